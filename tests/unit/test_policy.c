// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: policy builder -> serialise -> load round trips, grant and
 * range semantics, queries, names, the dump text and policy IDs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "policy/ability.h"
#include "policy/policy.h"

#define RNG(a, b) ((struct sp_range){ (a), (b) })

/* Serialises b and loads the result; the serialised buffer is freed before
 * the policy is used, which also proves the loader keeps its own copy. */
static struct sp_policy *load_b(struct sp_builder *b, bool mut,
				const uint32_t *id)
{
	struct sp_policy *p = NULL;
	char err[256] = "";
	void *buf = NULL;
	size_t len = 0;
	int r;

	assert_int_equal(sp_builder_serialize(b, mut, id, &buf, &len), 0);
	r = sp_policy_load(buf, len, &p, err, sizeof(err));
	if (r)
		print_message("load failed: %s\n", err);
	assert_int_equal(r, 0);
	memset(buf, 0xa5, len);
	free(buf);
	return p;
}

static void serialize(struct sp_builder *b, bool mut, const uint32_t *id,
		      void **buf, size_t *len)
{
	assert_int_equal(sp_builder_serialize(b, mut, id, buf, len), 0);
}

/* The policy of the man page walkthrough, extended with every feature. */
static struct sp_builder *example_builder(void)
{
	struct sp_builder *b = sp_builder_new();
	const struct sp_range setuid_r[] = { RNG(1000, 2000), RNG(4, 4),
					     RNG(6, 6) };
	const struct sp_range ports[] = { RNG(443, 443), RNG(80, 80) };
	const struct sp_range seven = RNG(7, 7);
	const uint32_t gpu = 0;
	int fs, fsu, fsn, a_fs, a_user, dup;

	assert_non_null(b);
	fs = sp_builder_add_type(b, "fs_t");
	fsu = sp_builder_add_type(b, "fs_user_t");
	fsn = sp_builder_add_type(b, "fs_nonuser_t");
	assert_int_equal(fs, 1);
	assert_int_equal(fsu, 2);
	assert_int_equal(fsn, 3);
	a_fs = sp_builder_add_attr(b, "fs_attr");
	a_user = sp_builder_add_attr(b, "user_attr");
	assert_int_equal(a_fs, 0);
	assert_int_equal(a_user, 1);
	assert_int_equal(sp_builder_type_add_attr(b, 2, 0), 0);
	assert_int_equal(sp_builder_type_add_attr(b, 2, 1), 0);
	assert_int_equal(sp_builder_type_add_attr(b, 2, 0), 0); /* again */
	assert_int_equal(sp_builder_type_add_attr(b, 3, 1), 0);
	dup = sp_builder_add_custom(b, "iofunc/dup", 0);
	assert_int_equal(dup, AB_CUSTOM_BASE);
	assert_int_equal(sp_builder_add_named_range(b, "gpu_mem"), 0);

	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, AB_PUBLIC_CHANNEL,
					  NULL, 0, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, AB_PUBLIC_CHANNEL,
					  NULL, 0, NULL, 0), 0);
	assert_int_equal(sp_builder_add_rule(b, 0, "/...", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 0, "/...", SPB_R_LINK,
					     SPB_NO_TYPE), 0);

	/* fs_t: added out of ability order on purpose */
	assert_int_equal(sp_builder_grant(b, 1, SP_ROOT, AB_CHANNEL_CONNECT,
					  &RNG(1, 1), 1, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 1, SP_ROOT, AB_PATHSPACE, NULL, 0,
					  NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 1, SP_ROOT, 17 /* sys_rawio */,
					  NULL, 0, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 1, SP_ROOT, AB_PUBLIC_CHANNEL,
					  NULL, 0, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 1, SP_NONROOT, AB_PUBLIC_CHANNEL,
					  NULL, 0, NULL, 0), 0);

	/* fs_user_t's rules come before fs_t's: serialisation sorts by type */
	assert_int_equal(sp_builder_add_rule(b, 2, "/tmp/...", SPB_R_LINK,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/dev/fsF*", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 2, "@fsF*", SPB_R_ATTACH, 1),
			 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/fsFp0", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 3, "/dev/null", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);

	assert_int_equal(sp_builder_grant(b, 2, SP_ROOT, 7 /* setuid */,
					  setuid_r, 3, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 2, SP_ROOT, 10, ports, 2, NULL,
					  0), 0);
	assert_int_equal(sp_builder_grant(b, 2, SP_ROOT, AB_CHANNEL_CONNECT,
					  &RNG(1, 3), 1, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 2, SP_ROOT, AB_SETTYPEID,
					  &RNG(3, 3), 1, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 2, SP_ROOT, AB_SETTYPEID,
					  &RNG(1, 1), 1, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 2, SP_ROOT, (uint16_t)dup, NULL,
					  0, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 2, SP_NONROOT, (uint16_t)dup,
					  &seven, 1, &gpu, 1), 0);
	assert_int_equal(sp_builder_add_derive(b, 2, "run", 3), 0);
	assert_int_equal(sp_builder_add_derive(b, 2, "child", 1), 0);
	/* version 2: a learning type and limits (in reverse type order) */
	assert_int_equal(sp_builder_set_type_flags(b, 1, SPB_T_LEARNING), 0);
	assert_int_equal(sp_builder_set_limit(b, 3, SP_LIMIT_PROCESSES, 1), 0);
	assert_int_equal(sp_builder_set_limit(b, 2, SP_LIMIT_PROCESSES, 200),
			 0);
	return b;
}

static const char example_dump[] =
	"policy 0x9b6e74d6, immutable, 4 types\n"
	"ability iofunc/dup\n"
	"range gpu_mem\n"
	"\n"
	"type default (0)\n"
	"  root: PUBLIC_CHANNEL\n"
	"  non-root: PUBLIC_CHANNEL\n"
	"  attach /...\n"
	"  link /...\n"
	"\n"
	"type fs_t (1), learning\n"
	"  root: SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL, "
	"CHANNEL_CONNECT(1) (fs_t)\n"
	"  non-root: PUBLIC_CHANNEL\n"
	"  attach /dev/fsF*\n"
	"  attach /\n"
	"  attach /fsFp0\n"
	"\n"
	"type fs_user_t (2), attributes fs_attr, user_attr\n"
	"  root: SETUID(4, 6, 1000 - 2000), NET_BIND_SERVICE(80, 443), "
	"CHANNEL_CONNECT(1 - 3) (fs_t - fs_nonuser_t), "
	"SETTYPEID(1, 3) (fs_t, fs_nonuser_t), iofunc/dup\n"
	"  non-root: iofunc/dup(7, gpu_mem)\n"
	"  limit: 200 processes\n"
	"  link /tmp/...\n"
	"  attach @fsF* -> fs_t\n"
	"  derive child -> fs_t\n"
	"  derive run -> fs_nonuser_t\n"
	"\n"
	"type fs_nonuser_t (3), attributes user_attr\n"
	"  root: (none)\n"
	"  non-root: (none)\n"
	"  limit: 1 process\n"
	"  attach /dev/null\n";

static void test_dump_verbatim(void **state)
{
	struct sp_builder *b = example_builder();
	struct strbuf sb = STRBUF_INIT;
	const uint32_t id = 0x9b6e74d6;
	struct sp_policy *p;

	(void)state;
	p = load_b(b, false, &id);
	sp_policy_dump(p, NULL, &sb);
	assert_int_equal(sb_error(&sb), 0);
	assert_string_equal(sb_str(&sb), example_dump);
	sb_free(&sb);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_dump_filters(void **state)
{
	struct sp_builder *b = example_builder();
	struct strbuf sb = STRBUF_INIT;
	const uint32_t id = 1;
	struct sp_dump_opts o;
	struct sp_policy *p;

	(void)state;
	p = load_b(b, true, &id);

	o = (struct sp_dump_opts){ SP_DUMP_ALL, 1, AB_NONE };
	sp_policy_dump(p, &o, &sb);
	assert_string_equal(sb_str(&sb),
			    "policy 0x00000001, mutable, 4 types\n"
			    "\n"
			    "type fs_t (1), learning\n"
			    "  root: SYS_RAWIO (io), PATHSPACE, "
			    "PUBLIC_CHANNEL, CHANNEL_CONNECT(1) (fs_t)\n"
			    "  non-root: PUBLIC_CHANNEL\n"
			    "  attach /dev/fsF*\n"
			    "  attach /\n"
			    "  attach /fsFp0\n");

	/* Only types having the ability, only that ability, no rules. */
	sb_reset(&sb);
	o = (struct sp_dump_opts){ SP_DUMP_ALL, SPB_NO_TYPE,
				   AB_PUBLIC_CHANNEL };
	sp_policy_dump(p, &o, &sb);
	assert_string_equal(sb_str(&sb),
			    "policy 0x00000001, mutable, 4 types\n"
			    "\n"
			    "type default (0)\n"
			    "  root: PUBLIC_CHANNEL\n"
			    "  non-root: PUBLIC_CHANNEL\n"
			    "\n"
			    "type fs_t (1), learning\n"
			    "  root: PUBLIC_CHANNEL\n"
			    "  non-root: PUBLIC_CHANNEL\n");

	sb_reset(&sb);
	o = (struct sp_dump_opts){ SP_DUMP_ALL, SPB_NO_TYPE, AB_CUSTOM_BASE };
	sp_policy_dump(p, &o, &sb);
	assert_string_equal(sb_str(&sb),
			    "policy 0x00000001, mutable, 4 types\n"
			    "\n"
			    "type fs_user_t (2), attributes fs_attr, "
			    "user_attr\n"
			    "  root: iofunc/dup\n"
			    "  non-root: iofunc/dup(7, gpu_mem)\n");

	/* Limits only: the type line (learning or not) and the limit. */
	sb_reset(&sb);
	o = (struct sp_dump_opts){ SP_DUMP_LIMITS, SPB_NO_TYPE, AB_NONE };
	sp_policy_dump(p, &o, &sb);
	assert_string_equal(sb_str(&sb),
			    "policy 0x00000001, mutable, 4 types\n"
			    "\n"
			    "type default (0)\n"
			    "\n"
			    "type fs_t (1), learning\n"
			    "\n"
			    "type fs_user_t (2)\n"
			    "  limit: 200 processes\n"
			    "\n"
			    "type fs_nonuser_t (3)\n"
			    "  limit: 1 process\n");

	/* Line kinds: links and derivations only, no attributes. */
	sb_reset(&sb);
	o = (struct sp_dump_opts){ SP_DUMP_LINK | SP_DUMP_DERIVE, 2, AB_NONE };
	sp_policy_dump(p, &o, &sb);
	assert_string_equal(sb_str(&sb),
			    "policy 0x00000001, mutable, 4 types\n"
			    "\n"
			    "type fs_user_t (2)\n"
			    "  link /tmp/...\n"
			    "  derive child -> fs_t\n"
			    "  derive run -> fs_nonuser_t\n");

	sb_reset(&sb);
	o = (struct sp_dump_opts){ SP_DUMP_ATTACH, 0, AB_NONE };
	sp_policy_dump(p, &o, &sb);
	assert_string_equal(sb_str(&sb), "policy 0x00000001, mutable, 4 types\n"
					 "\n"
					 "type default (0)\n"
					 "  attach /...\n");
	sb_free(&sb);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_dump_structure(void **state)
{
	struct sp_builder *b = example_builder();
	struct strbuf sb = STRBUF_INIT;
	const uint32_t id = 0x1234abcd;
	struct sp_policy *p;
	char want[256];
	const char *s, *line;
	size_t len, nsec = 0;

	(void)state;
	p = load_b(b, true, &id);
	sp_policy_data(p, &len);
	sp_policy_dump_structure(p, &sb);
	s = sb_str(&sb);
	snprintf(want, sizeof(want),
		 "magic SPOLBIN, version 2, header 40 bytes, file %zu bytes\n"
		 "flags 0x1 (mutable), policy id 0x1234abcd, checksum 0x%08x "
		 "(valid)\n"
		 "section TYPE offset 0x",
		 len, sp_policy_checksum(p));
	assert_true(strncmp(s, want, strlen(want)) == 0);
	for (line = s; (line = strstr(line, "\nsection ")); line++)
		nsec++;
	/* every kind: TYPE ATTR TATR ABIL NRNG GRNT RNGE RULE DRVT TLIM
	 * STRS */
	assert_int_equal(nsec, 11);
	assert_non_null(strstr(s, "\nsection TYPE offset 0x130 size 64 count 4\n"));
	assert_non_null(strstr(s, "\nsection TLIM offset 0x"));
	assert_non_null(strstr(s, " size 32 count 2\n"));
	assert_non_null(strstr(s, " count 0\n")); /* STRS, last */
	sb_free(&sb);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_default_only(void **state)
{
	struct sp_builder *b = sp_builder_new();
	struct strbuf sb = STRBUF_INIT;
	const uint32_t id = 7;
	struct sp_policy *p;
	const struct spb_section *sec;
	const uint8_t *data;
	uint32_t t = 99;
	size_t len;

	(void)state;
	assert_int_equal(sp_builder_add_type(b, "default"), -EEXIST);
	p = load_b(b, false, &id);
	assert_int_equal(sp_policy_type_count(p), 1);
	assert_string_equal(sp_policy_type_name(p, 0), "default");
	assert_false(sp_policy_type_declared(p, 0));
	assert_int_equal(sp_policy_type_lookup(p, "default", &t), 0);
	assert_int_equal(t, 0);
	assert_null(sp_policy_type_name(p, 1));
	/* Only the required sections: TYPE and STRS. */
	data = sp_policy_data(p, &len);
	assert_int_equal(((const struct spb_header *)data)->section_count, 2);
	sec = (const struct spb_section *)(data + 40);
	assert_int_equal(sec[0].kind, SPB_TYPE);
	assert_int_equal(sec[1].kind, SPB_STRS);
	assert_int_equal(sec[0].offset, 88);
	assert_int_equal(sec[1].offset, 104);
	assert_int_equal(len, 104 + sizeof("\0default"));
	sp_policy_dump(p, NULL, &sb);
	assert_string_equal(sb_str(&sb), "policy 0x00000007, immutable, 1 type\n"
					 "\n"
					 "type default (0)\n"
					 "  root: (none)\n"
					 "  non-root: (none)\n");
	sb_free(&sb);
	sp_policy_free(p);

	sp_builder_mark_declared(b, 0);
	sp_builder_mark_declared(b, 5); /* ignored */
	p = load_b(b, false, &id);
	assert_true(sp_policy_type_declared(p, 0));
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_layout(void **state)
{
	struct sp_builder *b = example_builder();
	const struct spb_header *h;
	const struct spb_section *sec;
	uint64_t prev_end;
	void *buf;
	size_t len, i;

	(void)state;
	serialize(b, false, NULL, &buf, &len);
	h = buf;
	assert_memory_equal(h->magic, "SPOLBIN", 8);
	assert_int_equal(h->version, SPB_VERSION);
	assert_int_equal(h->version, 2);
	assert_int_equal(h->header_size, 40);
	assert_int_equal(h->file_size, len);
	assert_int_equal(h->reserved, 0);
	sec = (const struct spb_section *)((const char *)buf + 40);
	prev_end = 40 + 24 * h->section_count;
	for (i = 0; i < h->section_count; i++) {
		assert_int_equal(sec[i].offset % 8, 0);
		assert_true(sec[i].offset >= prev_end);
		assert_true(sec[i].size > 0);
		prev_end = sec[i].offset + sec[i].size;
	}
	assert_int_equal(prev_end, len);
	free(buf);
	sp_builder_free(b);
}

static void test_roundtrip_names(void **state)
{
	struct sp_builder *b = example_builder();
	struct sp_policy *p;
	const uint32_t *attrs;
	uint16_t ab = 0;
	uint32_t t = 0;
	size_t n = 9;

	(void)state;
	assert_int_equal(sp_builder_add_custom(b, "net/bind/privport",
					       SPB_C_RANGED), AB_CUSTOM_BASE + 1);
	assert_int_equal(sp_builder_add_named_range(b, "gpu_int"), 1);
	p = load_b(b, false, NULL);
	assert_int_equal(sp_policy_type_count(p), 4);
	assert_string_equal(sp_policy_type_name(p, 3), "fs_nonuser_t");
	assert_int_equal(sp_policy_type_lookup(p, "fs_user_t", &t), 0);
	assert_int_equal(t, 2);
	assert_int_equal(sp_policy_type_lookup(p, "FS_USER_T", &t), -ENOENT);
	assert_int_equal(sp_policy_type_lookup(p, "fs_attr", &t), -ENOENT);
	assert_int_equal(sp_policy_attr_count(p), 2);
	assert_string_equal(sp_policy_attr_name(p, 1), "user_attr");
	assert_null(sp_policy_attr_name(p, 2));
	attrs = sp_policy_type_attrs(p, 2, &n);
	assert_int_equal(n, 2);
	assert_int_equal(attrs[0], 0);
	assert_int_equal(attrs[1], 1);
	attrs = sp_policy_type_attrs(p, 3, &n);
	assert_int_equal(n, 1);
	assert_int_equal(attrs[0], 1);
	assert_null(sp_policy_type_attrs(p, 1, &n));
	assert_int_equal(n, 0);
	assert_false(sp_policy_type_declared(p, 1));

	assert_int_equal(sp_policy_custom_count(p), 2);
	assert_int_equal(sp_policy_ability_lookup(p, "NET/Bind/PRIVPORT", &ab),
			 0);
	assert_int_equal(ab, AB_CUSTOM_BASE + 1);
	assert_true(sp_policy_custom_ranged(p, AB_CUSTOM_BASE + 1));
	/* declared without flags, but granted with ranges */
	assert_true(sp_policy_custom_ranged(p, AB_CUSTOM_BASE));
	assert_false(sp_policy_custom_ranged(p, AB_CUSTOM_BASE + 2));
	assert_false(sp_policy_custom_ranged(p, 7));
	assert_int_equal(sp_policy_named_range_count(p), 2);
	assert_string_equal(sp_policy_named_range_name(p, 0), "gpu_mem");
	assert_string_equal(sp_policy_named_range_name(p, 1), "gpu_int");
	assert_null(sp_policy_named_range_name(p, 2));
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_ability_names(void **state)
{
	struct sp_builder *b = example_builder();
	struct sp_policy *p;
	uint16_t ab = 0;

	(void)state;
	p = load_b(b, false, NULL);
	assert_string_equal(sp_policy_ability_name(p, 17), "SYS_RAWIO");
	assert_string_equal(sp_policy_ability_policy_name(p, 17), "sys_rawio");
	assert_string_equal(sp_policy_ability_name(p, AB_CHANNEL_CONNECT),
			    "CHANNEL_CONNECT");
	assert_string_equal(sp_policy_ability_name(p, AB_CUSTOM_BASE),
			    "iofunc/dup");
	assert_string_equal(sp_policy_ability_policy_name(p, AB_CUSTOM_BASE),
			    "iofunc/dup");
	assert_null(sp_policy_ability_name(p, AB_CUSTOM_BASE + 1));
	assert_null(sp_policy_ability_name(p, AB_NCAPS));
	assert_null(sp_policy_ability_name(p, AB_SECPOL_LAST + 1));
	assert_null(sp_policy_ability_policy_name(p, AB_NONE));

	assert_int_equal(sp_policy_ability_lookup(p, "io", &ab), 0);
	assert_int_equal(ab, 17);
	assert_int_equal(sp_policy_ability_lookup(p, "Priority", &ab), 0);
	assert_int_equal(ab, 23); /* sys_nice */
	assert_int_equal(sp_policy_ability_lookup(p, "SYS_RAWIO", &ab), 0);
	assert_int_equal(ab, 17);
	assert_int_equal(sp_policy_ability_lookup(p, "channel_connect", &ab),
			 0);
	assert_int_equal(ab, AB_CHANNEL_CONNECT);
	assert_int_equal(sp_policy_ability_lookup(p, "IOFUNC/DUP", &ab), 0);
	assert_int_equal(ab, AB_CUSTOM_BASE);
	ab = 5;
	assert_int_equal(sp_policy_ability_lookup(p, "iofunc/dupx", &ab),
			 -ENOENT);
	assert_int_equal(sp_policy_ability_lookup(p, "rsrcdbmgr", &ab),
			 -ENOENT);
	assert_int_equal(ab, 5);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_name_errors(void **state)
{
	struct sp_builder *b = sp_builder_new();
	char long_name[300];

	(void)state;
	assert_int_equal(sp_builder_add_type(b, ""), -EINVAL);
	assert_int_equal(sp_builder_add_type(b, NULL), -EINVAL);
	assert_int_equal(sp_builder_add_type(b, "1abc"), -EINVAL);
	assert_int_equal(sp_builder_add_type(b, "fs-t"), -EINVAL);
	assert_int_equal(sp_builder_add_type(b, "fs t"), -EINVAL);
	assert_int_equal(sp_builder_add_type(b, "caf\xc3\xa9"), -EINVAL);
	memset(long_name, 'a', 255);
	long_name[255] = '\0';
	assert_int_equal(sp_builder_add_type(b, long_name), 1);
	long_name[255] = 'b';
	long_name[256] = '\0';
	assert_int_equal(sp_builder_add_type(b, long_name), -EINVAL);
	assert_int_equal(sp_builder_add_type(b, "_x9"), 2);
	assert_int_equal(sp_builder_add_type(b, "_x9"), -EEXIST);
	assert_int_equal(sp_builder_add_type(b, "_X9"), 3); /* case matters */
	assert_int_equal(sp_builder_add_attr(b, "_x9"), -EEXIST);
	assert_int_equal(sp_builder_add_attr(b, "default"), -EEXIST);
	assert_int_equal(sp_builder_add_attr(b, "at"), 0);
	assert_int_equal(sp_builder_add_attr(b, "at"), -EEXIST);
	assert_int_equal(sp_builder_add_type(b, "at"), -EEXIST);
	assert_int_equal(sp_builder_add_attr(b, "a-t"), -EINVAL);

	assert_int_equal(sp_builder_type_add_attr(b, 1, 0), 0);
	assert_int_equal(sp_builder_type_add_attr(b, 1, 0), 0); /* kept once */
	assert_int_equal(sp_builder_type_add_attr(b, 1, 1), -EINVAL);
	assert_int_equal(sp_builder_type_add_attr(b, 4, 0), -EINVAL);

	assert_int_equal(sp_builder_add_custom(b, "nodelimiter", 0), -EINVAL);
	assert_int_equal(sp_builder_add_custom(b, "io", 0), -EINVAL);
	assert_int_equal(sp_builder_add_custom(b, "a/b c", 0), -EINVAL);
	assert_int_equal(sp_builder_add_custom(b, "a/b:c", 0), -EINVAL);
	assert_int_equal(sp_builder_add_custom(b, "a/b", 2), -EINVAL);
	assert_int_equal(sp_builder_add_custom(b, "v.1/x-y_z", 0),
			 AB_CUSTOM_BASE);
	assert_int_equal(sp_builder_add_custom(b, "V.1/X-Y_Z", 0), -EEXIST);
	memset(long_name, 'c', 127);
	long_name[1] = '/';
	long_name[127] = '\0';
	assert_int_equal(sp_builder_add_custom(b, long_name, 0),
			 AB_CUSTOM_BASE + 1);
	long_name[127] = 'c';
	long_name[128] = '\0';
	assert_int_equal(sp_builder_add_custom(b, long_name, 0), -EINVAL);

	assert_int_equal(sp_builder_add_named_range(b, "r1"), 0);
	assert_int_equal(sp_builder_add_named_range(b, "r1"), -EEXIST);
	assert_int_equal(sp_builder_add_named_range(b, "r/1"), -EINVAL);
	/* ranges have a namespace of their own */
	assert_int_equal(sp_builder_add_named_range(b, "at"), 1);
	sp_builder_free(b);
}

static void test_limits(void **state)
{
	struct sp_builder *b = sp_builder_new();
	char name[32];
	int i;

	(void)state;
	for (i = 0; i < SPB_MAX_CUSTOM; i++) {
		snprintf(name, sizeof(name), "v/a%d", i);
		assert_int_equal(sp_builder_add_custom(b, name, 0),
				 AB_CUSTOM_BASE + i);
	}
	assert_int_equal(sp_builder_add_custom(b, "v/one_more", 0), -E2BIG);
	/* a duplicate is still a duplicate at the limit */
	assert_int_equal(sp_builder_add_custom(b, "v/a0", 0), -EEXIST);

	for (i = 1; i < SPB_MAX_TYPES; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		assert_int_equal(sp_builder_add_type(b, name), i);
	}
	assert_int_equal(sp_builder_add_type(b, "one_more"), -E2BIG);
	sp_builder_free(b);
}

/* The numeric ranges of a loaded grant, as a string "lo-hi,lo-hi". */
static const char *ranges_str(const struct sp_policy *p, uint32_t type,
			      enum sp_domain dom, uint16_t ab)
{
	static char buf[512];
	struct sp_grant_view g;
	size_t i, at = 0;

	if (sp_policy_grant(p, type, dom, ab, &g) < 0)
		return "absent";
	if (!g.ranged)
		return "unconditional";
	buf[0] = '\0';
	for (i = 0; i < g.nranges; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%llu-%llu",
				       i ? "," : "",
				       (unsigned long long)g.ranges[i].lo,
				       (unsigned long long)g.ranges[i].hi);
	for (i = 0; i < g.nnamed; i++)
		at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%sN%u",
				       at ? "," : "", g.named[i]);
	return buf;
}

static void test_range_merge(void **state)
{
	struct sp_builder *b = sp_builder_new();
	const struct sp_range a[] = { RNG(15, 30), RNG(10, 20), RNG(50, 60) };
	const struct sp_range adj[] = { RNG(31, 40), RNG(12, 13),
					RNG(62, 70) };
	const struct sp_range top[] = { RNG(UINT64_MAX, UINT64_MAX),
					RNG(0, 5),
					RNG(UINT64_MAX - 10, UINT64_MAX - 1) };
	const struct sp_range all[] = { RNG(100, UINT64_MAX), RNG(50, 99),
					RNG(UINT64_MAX, UINT64_MAX),
					RNG(7, 7) };
	const uint32_t named[] = { 1, 0, 1 };
	struct sp_policy *p;
	int cust;

	(void)state;
	cust = sp_builder_add_custom(b, "v/x", 0);
	assert_int_equal(sp_builder_add_custom(b, "v/y", 0), cust + 1);
	assert_int_equal(sp_builder_add_named_range(b, "n0"), 0);
	assert_int_equal(sp_builder_add_named_range(b, "n1"), 1);
	/* overlap, then adjacency (31 after 30) and containment */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, a, 3, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, adj, 3, NULL, 0),
			 0);
	/* 61 joins 50-60 and 62-70 */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, &RNG(61, 61), 1,
					  NULL, 0), 0);
	/* adjacency up to UINT64_MAX, which must not wrap */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, (uint16_t)cust, top,
					  3, NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, (uint16_t)cust,
					  all, 4, NULL, 0), 0);
	/* named ones sorted and de-duplicated, after the numeric ones */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, (uint16_t)cust + 1,
					  &RNG(9, 9), 1, named, 3), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, (uint16_t)cust + 1,
					  &RNG(3, 4), 1, named + 1, 1), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, (uint16_t)cust + 1,
					  NULL, 0, named + 1, 1), 0);
	p = load_b(b, false, NULL);
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 7), "10-40,50-70");
	assert_string_equal(ranges_str(p, 0, SP_ROOT, (uint16_t)cust),
			    "0-5,18446744073709551605-18446744073709551615");
	assert_string_equal(ranges_str(p, 0, SP_NONROOT, (uint16_t)cust),
			    "7-7,50-18446744073709551615");
	assert_string_equal(ranges_str(p, 0, SP_ROOT, (uint16_t)cust + 1),
			    "3-4,9-9,N0,N1");
	assert_string_equal(ranges_str(p, 0, SP_NONROOT, (uint16_t)cust + 1),
			    "N0");
	assert_string_equal(ranges_str(p, 0, SP_NONROOT, 7), "absent");
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_unconditional_wins(void **state)
{
	struct sp_builder *b = sp_builder_new();
	struct sp_policy *p;

	(void)state;
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, &RNG(1, 2), 1,
					  NULL, 0), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, NULL, 0, NULL, 0),
			 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, 7, NULL, 0, NULL,
					  0), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, 7, &RNG(1, 2), 1,
					  NULL, 0), 0);
	p = load_b(b, false, NULL);
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 7), "unconditional");
	assert_string_equal(ranges_str(p, 0, SP_NONROOT, 7), "unconditional");
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 5000, 6000),
			 SP_ALLOW);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_revoke(void **state)
{
	struct sp_builder *b = sp_builder_new();
	struct sp_policy *p;

	(void)state;
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 0, NULL, 0, NULL, 0),
			 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 1, NULL, 0, NULL, 0),
			 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, 1, NULL, 0, NULL,
					  0), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, NULL, 0, NULL, 0),
			 0);
	sp_builder_revoke(b, 0, SP_ROOT, 1);
	sp_builder_revoke(b, 0, SP_ROOT, 2);  /* absent: no error */
	sp_builder_revoke(b, 9, SP_ROOT, 2);  /* bad type: ignored */
	/* revoked, then granted again: only the new ranges */
	sp_builder_revoke(b, 0, SP_ROOT, 7);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, &RNG(5, 6), 1,
					  NULL, 0), 0);
	p = load_b(b, false, NULL);
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 1), "absent");
	assert_string_equal(ranges_str(p, 0, SP_NONROOT, 1), "unconditional");
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 0), "unconditional");
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 7), "5-6");
	assert_int_equal(sp_policy_caps(p, 0, SP_ROOT), (1u << 0) | (1u << 7));
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_grant_errors(void **state)
{
	struct sp_builder *b = sp_builder_new();
	const uint32_t n0 = 0, n1 = 1;
	struct sp_policy *p;

	(void)state;
	assert_int_equal(sp_builder_add_named_range(b, "r"), 0);
	/* value beyond the ability's limit: uid 0xffffffff means "unchanged" */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7,
					  &RNG(0, 0xffffffffULL), 1, NULL, 0),
			 -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7,
					  &RNG(0, 0xfffffffeULL), 1, NULL, 0),
			 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 10,
					  &RNG(80, 65536), 1, NULL, 0),
			 -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, AB_CHANNEL_CONNECT,
					  &RNG(0x10000, 0x10000), 1, NULL, 0),
			 -EINVAL);
	/* ranges on an ability without values, numeric or named */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 0, &RNG(1, 1), 1, NULL,
					  0), -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, AB_PATHSPACE, NULL, 0,
					  &n0, 1), -EINVAL);
	/* lo > hi, unknown named range */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, &RNG(5, 4), 1,
					  NULL, 0), -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, NULL, 0, &n1, 1),
			 -EINVAL);
	/* unknown abilities, types, domains */
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, AB_NCAPS, NULL, 0,
					  NULL, 0), -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, AB_SECPOL_LAST + 1,
					  NULL, 0, NULL, 0), -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, AB_CUSTOM_BASE, NULL,
					  0, NULL, 0), -EINVAL);
	assert_int_equal(sp_builder_grant(b, 1, SP_ROOT, 0, NULL, 0, NULL, 0),
			 -EINVAL);
	assert_int_equal(sp_builder_grant(b, 0, (enum sp_domain)2, 0, NULL, 0,
					  NULL, 0), -EINVAL);
	/* a failed grant changed nothing */
	p = load_b(b, false, NULL);
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 7), "0-4294967294");
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 10), "absent");
	assert_string_equal(ranges_str(p, 0, SP_ROOT, 0), "absent");
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_rule_errors(void **state)
{
	struct sp_builder *b = sp_builder_new();

	(void)state;
	assert_int_equal(sp_builder_add_type(b, "t"), 1);
	assert_int_equal(sp_builder_add_rule(b, 1, "tmp/x", SPB_R_ATTACH,
					     SPB_NO_TYPE), -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a/../b", SPB_R_ATTACH,
					     SPB_NO_TYPE), -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a", 0, SPB_NO_TYPE),
			 -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a",
					     SPB_R_ATTACH | SPB_R_LINK,
					     SPB_NO_TYPE), -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a",
					     SPB_R_ATTACH | SPB_R_PREFIX,
					     SPB_NO_TYPE), -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 2, "/a", SPB_R_ATTACH,
					     SPB_NO_TYPE), -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a", SPB_R_ATTACH, 2),
			 -EINVAL);
	/* a link has no channel to relabel */
	assert_int_equal(sp_builder_add_rule(b, 1, "/a", SPB_R_LINK, 0),
			 -EINVAL);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a", SPB_R_ATTACH, 0), 0);
	sp_builder_free(b);
}

static void test_rules_roundtrip(void **state)
{
	struct sp_builder *b = example_builder();
	struct sp_rule_view v[8];
	struct sp_policy *p;

	(void)state;
	p = load_b(b, false, NULL);
	assert_int_equal(sp_policy_rules(p, 1, v, 8), 3);
	assert_string_equal(v[0].path, "/dev/fsF*");
	assert_int_equal(v[0].flags, SPB_R_ATTACH | SPB_R_PATTERN);
	assert_string_equal(v[1].path, "/");
	assert_int_equal(v[1].flags, SPB_R_ATTACH);
	assert_string_equal(v[2].path, "/fsFp0");
	assert_int_equal(v[2].new_type, SPB_NO_TYPE);
	assert_int_equal(sp_policy_rules(p, 2, v, 1), 2); /* count, 1 written */
	assert_string_equal(v[0].path, "/tmp/...");
	assert_int_equal(v[0].flags, SPB_R_LINK | SPB_R_PREFIX);
	assert_int_equal(sp_policy_rules(p, 2, v, 8), 2);
	assert_string_equal(v[1].path, "@fsF*");
	assert_int_equal(v[1].flags,
			 SPB_R_ATTACH | SPB_R_ABSTRACT | SPB_R_PATTERN);
	assert_int_equal(v[1].new_type, 1);
	assert_int_equal(sp_policy_rules(p, 0, v, 8), 2);
	assert_string_equal(v[0].path, "/...");
	assert_int_equal(v[0].flags, SPB_R_ATTACH | SPB_R_PREFIX);
	assert_int_equal(sp_policy_rules(p, 4, v, 8), 0);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_check(void **state)
{
	struct sp_builder *b = sp_builder_new();
	const struct sp_range two[] = { RNG(100, 200), RNG(300, 400) };
	const uint32_t n0 = 0;
	struct sp_policy *p;

	(void)state;
	assert_int_equal(sp_builder_add_named_range(b, "r"), 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 7, two, 2, NULL, 0),
			 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_ROOT, 6, NULL, 0, &n0, 1),
			 0);
	assert_int_equal(sp_builder_grant(b, 0, SP_NONROOT, 0, NULL, 0, NULL,
					  0), 0);
	p = load_b(b, false, NULL);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 100, 100), SP_ALLOW);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 100, 200), SP_ALLOW);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 150, 160), SP_ALLOW);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 400, 400), SP_ALLOW);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 99, 99),
			 SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 201, 201),
			 SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 401, 401),
			 SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 0, 0),
			 SP_DENY_RANGE);
	/* a request spanning two ranges is denied, even when both cover it */
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 150, 350),
			 SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 190, 201),
			 SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 7, 200, 100),
			 SP_DENY_RANGE);
	/* named ranges are unresolved: they cover nothing */
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 6, 0, 0),
			 SP_DENY_RANGE);
	assert_false(sp_policy_has(p, 0, SP_ROOT, 6));
	assert_false(sp_policy_has(p, 0, SP_ROOT, 7));
	/* domains are separate */
	assert_int_equal(sp_policy_check(p, 0, SP_NONROOT, 7, 100, 100),
			 SP_DENY);
	assert_int_equal(sp_policy_check(p, 0, SP_ROOT, 0, 0, 0), SP_DENY);
	assert_int_equal(sp_policy_check(p, 0, SP_NONROOT, 0, 0, 0), SP_ALLOW);
	assert_int_equal(sp_policy_check(p, 0, SP_NONROOT, 0, 5, UINT64_MAX),
			 SP_ALLOW);
	assert_true(sp_policy_has(p, 0, SP_NONROOT, 0));
	assert_false(sp_policy_has(p, 0, SP_ROOT, 0));
	/* out-of-range arguments fail closed */
	assert_int_equal(sp_policy_check(p, 1, SP_NONROOT, 0, 0, 0), SP_DENY);
	assert_int_equal(sp_policy_check(p, 0, (enum sp_domain)2, 0, 0, 0),
			 SP_DENY);
	assert_int_equal(sp_policy_check(NULL, 0, SP_NONROOT, 0, 0, 0),
			 SP_DENY);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_caps(void **state)
{
	struct sp_builder *b = example_builder();
	struct sp_grant_view gv[8];
	struct sp_policy *p;

	(void)state;
	assert_int_equal(sp_builder_grant(b, 3, SP_NONROOT, 40, NULL, 0, NULL,
					  0), 0);
	p = load_b(b, false, NULL);
	/* sys_rawio only: PATHSPACE etc. are not capabilities */
	assert_int_equal(sp_policy_caps(p, 1, SP_ROOT), 1ULL << 17);
	assert_int_equal(sp_policy_caps(p, 1, SP_NONROOT), 0);
	/* ranged capabilities are in the mask: the kernel needs them */
	assert_int_equal(sp_policy_caps(p, 2, SP_ROOT),
			 (1ULL << 7) | (1ULL << 10));
	assert_int_equal(sp_policy_caps(p, 3, SP_NONROOT), 1ULL << 40);
	assert_int_equal(sp_policy_caps(p, 3, SP_ROOT), 0);
	assert_int_equal(sp_policy_caps(p, 4, SP_ROOT), 0);
	/* all grants of a domain, in ability order */
	assert_int_equal(sp_policy_grants(p, 1, SP_ROOT, gv, 8), 4);
	assert_int_equal(gv[0].ability, 17);
	assert_int_equal(gv[1].ability, AB_PATHSPACE);
	assert_int_equal(gv[2].ability, AB_PUBLIC_CHANNEL);
	assert_int_equal(gv[3].ability, AB_CHANNEL_CONNECT);
	assert_true(gv[3].ranged);
	assert_int_equal(gv[3].nranges, 1);
	assert_int_equal(gv[3].ranges[0].lo, 1);
	assert_false(gv[0].ranged);
	assert_int_equal(gv[0].domain, SP_ROOT);
	assert_int_equal(sp_policy_grants(p, 2, SP_NONROOT, NULL, 0), 1);
	assert_int_equal(sp_policy_grants(p, 3, SP_ROOT, gv, 8), 0);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_connect(void **state)
{
	struct sp_builder *b = example_builder();
	struct sp_policy *p;

	(void)state;
	assert_int_equal(sp_builder_grant(b, 3, SP_NONROOT, AB_CHANNEL_CONNECT,
					  NULL, 0, NULL, 0), 0);
	p = load_b(b, false, NULL);
	/* type 0 channels are free, even without the ability */
	assert_int_equal(sp_policy_check_connect(p, 3, SP_ROOT, 0), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(p, 0, SP_ROOT, 0), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(p, 1, SP_ROOT, 1), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(p, 1, SP_ROOT, 2),
			 SP_DENY_RANGE);
	assert_int_equal(sp_policy_check_connect(p, 1, SP_NONROOT, 1),
			 SP_DENY);
	assert_int_equal(sp_policy_check_connect(p, 3, SP_ROOT, 1), SP_DENY);
	assert_int_equal(sp_policy_check_connect(p, 3, SP_NONROOT, 2),
			 SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(p, 2, SP_ROOT, 3), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(p, 2, SP_ROOT, 4),
			 SP_DENY_RANGE);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_derive(void **state)
{
	struct sp_builder *b = example_builder();
	struct sp_policy *p;
	uint32_t d = 77;

	(void)state;
	assert_int_equal(sp_builder_add_derive(b, 2, "run", 1), -EEXIST);
	assert_int_equal(sp_builder_add_derive(b, 1, "run", 2), 0);
	assert_int_equal(sp_builder_add_derive(b, 1, "bad-name", 2), -EINVAL);
	assert_int_equal(sp_builder_add_derive(b, 4, "x", 2), -EINVAL);
	assert_int_equal(sp_builder_add_derive(b, 1, "x", 4), -EINVAL);
	p = load_b(b, false, NULL);
	assert_int_equal(sp_policy_derive(p, 2, "run", &d), 0);
	assert_int_equal(d, 3);
	assert_int_equal(sp_policy_derive(p, 2, "child", &d), 0);
	assert_int_equal(d, 1);
	assert_int_equal(sp_policy_derive(p, 1, "run", &d), 0);
	assert_int_equal(d, 2);
	d = 77;
	assert_int_equal(sp_policy_derive(p, 1, "child", &d), -ENOENT);
	assert_int_equal(sp_policy_derive(p, 0, "run", &d), -ENOENT);
	assert_int_equal(sp_policy_derive(p, 2, "Run", &d), -ENOENT);
	assert_int_equal(d, 77);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_policy_id(void **state)
{
	struct sp_builder *b = example_builder();
	const uint32_t explicit_id = 0xdeadbeef;
	struct sp_policy *p1, *p2, *p3, *p4;

	(void)state;
	p1 = load_b(b, false, NULL);
	p2 = load_b(b, true, NULL);
	/* -m does not change the automatic ID, only the flag and checksum */
	assert_int_equal(sp_policy_id(p1), sp_policy_id(p2));
	assert_false(sp_policy_mutable(p1));
	assert_true(sp_policy_mutable(p2));
	assert_int_not_equal(sp_policy_checksum(p1), sp_policy_checksum(p2));
	/* the same content twice gives the same ID */
	p3 = load_b(b, false, NULL);
	assert_int_equal(sp_policy_id(p1), sp_policy_id(p3));
	sp_policy_free(p3);
	/* any change of content changes it */
	assert_int_equal(sp_builder_add_rule(b, 3, "/dev/zero", SPB_R_LINK,
					     SPB_NO_TYPE), 0);
	p3 = load_b(b, false, NULL);
	assert_int_not_equal(sp_policy_id(p1), sp_policy_id(p3));
	sp_builder_mark_declared(b, 0);
	p4 = load_b(b, false, NULL);
	assert_int_not_equal(sp_policy_id(p3), sp_policy_id(p4));
	sp_policy_free(p4);
	/* the same record bytes in a section of another kind */
	{
		struct sp_builder *b1 = sp_builder_new(), *b2 = sp_builder_new();
		struct sp_policy *q1, *q2;

		assert_int_equal(sp_builder_add_attr(b1, "foo"), 0);
		assert_int_equal(sp_builder_add_named_range(b2, "foo"), 0);
		q1 = load_b(b1, false, NULL);
		q2 = load_b(b2, false, NULL);
		assert_int_not_equal(sp_policy_id(q1), sp_policy_id(q2));
		sp_policy_free(q1);
		sp_policy_free(q2);
		sp_builder_free(b1);
		sp_builder_free(b2);
	}
	/* an explicit ID is kept verbatim */
	p4 = load_b(b, true, &explicit_id);
	assert_int_equal(sp_policy_id(p4), 0xdeadbeef);
	sp_policy_free(p1);
	sp_policy_free(p2);
	sp_policy_free(p3);
	sp_policy_free(p4);
	sp_builder_free(b);
}

static void test_format_ranges(void **state)
{
	struct sp_builder *b = example_builder();
	struct strbuf sb = STRBUF_INIT;
	const struct sp_range r[] = { RNG(2, 2), RNG(5, 99999) };
	const uint32_t named[] = { 0, 3 };
	struct sp_grant_view g = { .ability = AB_SETTYPEID, .ranged = true,
				   .ranges = r, .nranges = 2,
				   .named = named, .nnamed = 2 };
	struct sp_policy *p;

	(void)state;
	p = load_b(b, false, NULL);
	sp_format_ranges(p, &g, &sb);
	/* unknown types and named ranges print as numbers */
	assert_string_equal(sb_str(&sb), "(2, 5 - 99999, gpu_mem, #3) "
					 "(fs_user_t, 5 - 99999, gpu_mem, #3)");
	sb_reset(&sb);
	g = (struct sp_grant_view){ .ability = 7, .ranged = true,
				    .ranges = &RNG(15, 15), .nranges = 1 };
	sp_format_ranges(p, &g, &sb);
	assert_string_equal(sb_str(&sb), "(15)");
	sb_reset(&sb);
	g = (struct sp_grant_view){ .ability = AB_CHANNEL_CONNECT,
				    .ranged = true, .ranges = &RNG(1, 1),
				    .nranges = 1 };
	sp_format_ranges(p, &g, &sb);
	assert_string_equal(sb_str(&sb), "(1) (fs_t)");
	sb_reset(&sb);
	g = (struct sp_grant_view){ .ability = 0 };
	sp_format_ranges(p, &g, &sb);
	assert_string_equal(sb_str(&sb), "");
	sb_free(&sb);
	sp_policy_free(p);
	sp_builder_free(b);
}

/* ---------------------------------------------------------------------
 * Version 2: learning types and limits
 */
static void test_learning(void **state)
{
	struct sp_builder *b = sp_builder_new();
	struct sp_policy *p;
	void *buf;
	size_t len;

	(void)state;
	assert_int_equal(sp_builder_add_type(b, "a_t"), 1);
	assert_int_equal(sp_builder_add_type(b, "b_t"), 2);
	assert_int_equal(sp_builder_set_type_flags(b, 2, SPB_T_LEARNING), 0);
	assert_int_equal(sp_builder_set_type_flags(b, 2, SPB_T_LEARNING), 0);
	/* untyped processes are never supervised: nothing to learn */
	assert_int_equal(sp_builder_set_type_flags(b, 0, SPB_T_LEARNING),
			 -EINVAL);
	assert_int_equal(sp_builder_set_type_flags(b, 0, SPB_T_DECLARED), 0);
	assert_int_equal(sp_builder_set_type_flags(b, 1, 0x4), -EINVAL);
	assert_int_equal(sp_builder_set_type_flags(b, 3, SPB_T_LEARNING),
			 -EINVAL);
	assert_int_equal(sp_builder_set_type_flags(NULL, 1, 0), -EINVAL);
	p = load_b(b, false, NULL);
	assert_false(sp_policy_type_learning(p, 0));
	assert_true(sp_policy_type_declared(p, 0));
	assert_false(sp_policy_type_learning(p, 1));
	assert_true(sp_policy_type_learning(p, 2));
	/* learning does not make a type declared, or the reverse */
	assert_false(sp_policy_type_declared(p, 2));
	assert_false(sp_policy_type_learning(p, 3));
	assert_false(sp_policy_type_learning(NULL, 2));
	sp_policy_free(p);
	serialize(b, false, NULL, &buf, &len);
	/* the flag, in the file */
	assert_int_equal(((const struct spb_type *)((char *)buf +
						    ((const struct spb_section *)
							     ((char *)buf + 40))
							    ->offset))[2]
				 .flags,
			 SPB_T_LEARNING);
	free(buf);
	sp_builder_free(b);
}

static void test_type_limits(void **state)
{
	struct sp_builder *b = sp_builder_new();
	enum sp_limit_kind k = 0;
	struct sp_policy *p;
	char name[16];
	uint32_t t;

	(void)state;
	assert_string_equal(sp_limit_kind_name(SP_LIMIT_PROCESSES),
			    "processes");
	assert_null(sp_limit_kind_name(0));
	assert_null(sp_limit_kind_name(2));
	assert_int_equal(sp_limit_kind_lookup("processes", 9, &k), 0);
	assert_int_equal(k, SP_LIMIT_PROCESSES);
	assert_int_equal(sp_limit_kind_lookup("PROCESSES", 9, NULL), 0);
	assert_int_equal(sp_limit_kind_lookup("processesx", 9, NULL), 0);
	assert_int_equal(sp_limit_kind_lookup("process", 7, NULL), -ENOENT);
	assert_int_equal(sp_limit_kind_lookup("threads", 7, NULL), -ENOENT);
	assert_int_equal(sp_limit_kind_lookup(NULL, 0, NULL), -ENOENT);
	assert_int_equal(sp_limit_kind_max(SP_LIMIT_PROCESSES), 4194304);
	assert_int_equal(sp_limit_kind_max(7), 0);

	/* limits on every third of 100 types, set out of order */
	for (t = 1; t <= 100; t++) {
		snprintf(name, sizeof(name), "t%u", t);
		assert_int_equal(sp_builder_add_type(b, name), (int)t);
	}
	for (t = 99; t >= 1; t--)
		if (t % 3 == 0)
			assert_int_equal(sp_builder_set_limit(
						 b, t, SP_LIMIT_PROCESSES, t * 7),
					 0);
	assert_int_equal(sp_builder_set_limit(b, 3, SP_LIMIT_PROCESSES, 5),
			 -EEXIST);
	assert_int_equal(sp_builder_set_limit(b, 0, SP_LIMIT_PROCESSES, 5),
			 -EINVAL);
	assert_int_equal(sp_builder_set_limit(b, 101, SP_LIMIT_PROCESSES, 5),
			 -EINVAL);
	assert_int_equal(sp_builder_set_limit(b, 1, 2, 5), -EINVAL);
	assert_int_equal(sp_builder_set_limit(b, 1, 0, 5), -EINVAL);
	assert_int_equal(sp_builder_set_limit(b, 1, SP_LIMIT_PROCESSES, 0),
			 -EINVAL);
	assert_int_equal(sp_builder_set_limit(b, 1, SP_LIMIT_PROCESSES,
					      4194305), -EINVAL);
	assert_int_equal(sp_builder_set_limit(b, 1, SP_LIMIT_PROCESSES,
					      4194304), 0);
	assert_int_equal(sp_builder_set_limit(NULL, 1, SP_LIMIT_PROCESSES, 1),
			 -EINVAL);
	p = load_b(b, false, NULL);
	assert_int_equal(sp_policy_type_limit(p, 1, SP_LIMIT_PROCESSES),
			 4194304);
	for (t = 2; t <= 100; t++)
		assert_int_equal(sp_policy_type_limit(p, t, SP_LIMIT_PROCESSES),
				 t % 3 == 0 ? t * 7 : 0);
	assert_int_equal(sp_policy_type_limit(p, 0, SP_LIMIT_PROCESSES), 0);
	assert_int_equal(sp_policy_type_limit(p, 101, SP_LIMIT_PROCESSES), 0);
	assert_int_equal(sp_policy_type_limit(p, 3, 2), 0);
	assert_int_equal(sp_policy_type_limit(NULL, 3, SP_LIMIT_PROCESSES), 0);
	sp_policy_free(p);
	sp_builder_free(b);
}

/* A policy that uses nothing of version 2 has no TLIM section and no new
 * flag, but is written as version 2 (the builder writes one version). */
static void test_version2_without_news(void **state)
{
	struct sp_builder *b = sp_builder_new();
	const struct spb_section *sec;
	const struct spb_header *h;
	void *buf;
	size_t len, i;

	(void)state;
	assert_int_equal(sp_builder_add_type(b, "a_t"), 1);
	serialize(b, false, NULL, &buf, &len);
	h = buf;
	assert_int_equal(h->version, 2);
	sec = (const struct spb_section *)((const char *)buf + 40);
	for (i = 0; i < h->section_count; i++)
		assert_int_not_equal(sec[i].kind, SPB_TLIM);
	free(buf);
	sp_builder_free(b);
}

/* ---------------------------------------------------------------------
 * A builder filled from a loaded policy; a policy with one more type
 */

static char *dump_of(const struct sp_policy *p)
{
	struct strbuf sb = STRBUF_INIT;

	sp_policy_dump(p, NULL, &sb);
	assert_int_equal(sb_error(&sb), 0);
	return sb_steal(&sb);
}

static void test_builder_from_policy(void **state)
{
	const uint32_t id = 0x600d;
	struct sp_builder *b = example_builder(), *b2;
	struct sp_policy *p, *q;
	const uint8_t *orig;
	void *buf, *again;
	size_t len, olen, alen;
	char *d1, *d2;
	int mut;

	(void)state;
	for (mut = 0; mut <= 1; mut++) {
		p = load_b(b, mut, &id);
		orig = sp_policy_data(p, &olen);
		/* every kind of section is in it */
		assert_int_equal(((const struct spb_header *)orig)->section_count,
				 11);
		assert_int_equal(sp_builder_from_policy(p, &b2), 0);
		serialize(b2, mut, &id, &buf, &len);
		/* byte for byte: checksum and policy ID included */
		assert_int_equal(len, olen);
		assert_memory_equal(buf, orig, len);
		/* and the rebuilt builder is a builder like any other */
		assert_int_equal(sp_builder_add_type(b2, "more_t"), 4);
		serialize(b2, mut, &id, &again, &alen);
		assert_true(alen > len);
		free(again);
		free(buf);
		sp_builder_free(b2);
		sp_policy_free(p);
	}
	assert_int_equal(sp_builder_from_policy(NULL, &b2), -EINVAL);
	assert_null(b2);

	/* a version 1 file comes back as version 2 and says the same */
	sp_builder_free(b);
	b = sp_builder_new();
	assert_int_equal(sp_builder_add_type(b, "a_t"), 1);
	assert_int_equal(sp_builder_add_rule(b, 1, "/x/...", SPB_R_LINK,
					     SPB_NO_TYPE), 0);
	serialize(b, false, &id, &buf, &len);
	((struct spb_header *)buf)->version = 1;
	((struct spb_header *)buf)->checksum = 0;
	((struct spb_header *)buf)->checksum =
		(uint32_t)crc32(0L, buf, (uInt)len);
	assert_int_equal(sp_policy_load(buf, len, &p, NULL, 0), 0);
	free(buf);
	assert_int_equal(sp_builder_from_policy(p, &b2), 0);
	q = load_b(b2, false, &id);
	assert_int_equal(((const struct spb_header *)sp_policy_data(q, NULL))
				 ->version, 2);
	d1 = dump_of(p);
	d2 = dump_of(q);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	sp_policy_free(p);
	sp_policy_free(q);
	sp_builder_free(b2);
	sp_builder_free(b);
}

static void test_add_type(void **state)
{
	struct sp_builder *b = example_builder();
	const uint32_t id = 0xabc;
	struct sp_policy *p, *q;
	struct sp_grant_view g[8];
	char *d1, *d2, *want;
	uint32_t t = 99, u;
	int mut;

	(void)state;
	for (mut = 0; mut <= 1; mut++) {
		p = load_b(b, mut, &id);
		assert_int_equal(sp_policy_add_type(p, "dev_t", SPB_T_LEARNING,
						    &q, &t), 0);
		assert_int_equal(t, 4);
		/* same ID and mutability */
		assert_int_equal(sp_policy_id(q), 0xabc);
		assert_int_equal(sp_policy_mutable(q), mut);
		assert_int_equal(sp_policy_type_count(q), 5);
		assert_string_equal(sp_policy_type_name(q, 4), "dev_t");
		assert_int_equal(sp_policy_type_lookup(q, "dev_t", &u), 0);
		assert_int_equal(u, 4);
		assert_true(sp_policy_type_declared(q, 4));
		assert_true(sp_policy_type_learning(q, 4));
		/* the defaults, nothing else: no rules, no limit, no attrs */
		assert_int_equal(sp_policy_grants(q, 4, SP_ROOT, g, 8), 1);
		assert_int_equal(g[0].ability, AB_PUBLIC_CHANNEL);
		assert_false(g[0].ranged);
		assert_int_equal(sp_policy_grants(q, 4, SP_NONROOT, g, 8), 1);
		assert_int_equal(g[0].ability, AB_PUBLIC_CHANNEL);
		assert_int_equal(sp_policy_caps(q, 4, SP_ROOT), 0);
		assert_int_equal(sp_policy_rules(q, 4, NULL, 0), 0);
		assert_int_equal(sp_policy_type_limit(q, 4, SP_LIMIT_PROCESSES),
				 0);
		assert_null(sp_policy_type_attrs(q, 4, NULL));
		assert_int_equal(sp_policy_check_attach(q, 4, "/x", SPB_NO_TYPE,
							NULL), SP_PATH_NO_RULE);
		/* every old type and rule is as it was: the dump is the old
		 * dump with one more type at the end */
		d1 = dump_of(p);
		d2 = dump_of(q);
		assert_int_equal(asprintf(&want, "%s\n"
					  "type dev_t (4), learning\n"
					  "  root: PUBLIC_CHANNEL\n"
					  "  non-root: PUBLIC_CHANNEL\n",
					  d1), (int)strlen(d1) + 76);
		/* "4 types" becomes "5 types" in the first line */
		*strstr(want, "4 types") = '5';
		assert_string_equal(d2, want);
		free(want);
		free(d1);
		free(d2);
		sp_policy_free(q);

		/* without flags the type is declared and enforced */
		assert_int_equal(sp_policy_add_type(p, "plain_t", 0, &q, NULL),
				 0);
		assert_true(sp_policy_type_declared(q, 4));
		assert_false(sp_policy_type_learning(q, 4));
		sp_policy_free(q);
		sp_policy_free(p);
	}

	p = load_b(b, false, &id);
	q = (struct sp_policy *)1;
	/* taken: a type, default, an attribute */
	assert_int_equal(sp_policy_add_type(p, "fs_t", 0, &q, &t), -EEXIST);
	assert_null(q);
	assert_int_equal(sp_policy_add_type(p, "default", 0, &q, &t), -EEXIST);
	assert_int_equal(sp_policy_add_type(p, "user_attr", 0, &q, &t),
			 -EEXIST);
	/* names the language refuses */
	assert_int_equal(sp_policy_add_type(p, "self", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, "Self", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, "fs-t", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, "1t", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, "", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, "a/b", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, NULL, 0, &q, &t), -EINVAL);
	{
		char name[300];

		memset(name, 'n', sizeof(name));
		name[256] = '\0';
		assert_int_equal(sp_policy_add_type(p, name, 0, &q, &t),
				 -EINVAL);
		name[255] = '\0';
		assert_int_equal(sp_policy_add_type(p, name, 0, &q, &t), 0);
		sp_policy_free(q);
	}
	/* unknown flags */
	assert_int_equal(sp_policy_add_type(p, "x_t", 0x4, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(NULL, "x_t", 0, &q, &t), -EINVAL);
	assert_int_equal(sp_policy_add_type(p, "x_t", 0, NULL, &t), -EINVAL);
	assert_int_equal(t, 4); /* untouched by the failures */
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_add_type_limit(void **state)
{
	struct sp_builder *b = sp_builder_new();
	struct sp_policy *p, *q = NULL;
	char name[16];
	uint32_t i, t;

	(void)state;
	/* SPB_MAX_TYPES types, default included */
	for (i = 1; i < SPB_MAX_TYPES - 1; i++) {
		snprintf(name, sizeof(name), "t%u", i);
		assert_int_equal(sp_builder_add_type(b, name), (int)i);
	}
	p = load_b(b, false, NULL);
	assert_int_equal(sp_policy_add_type(p, "last_t", 0, &q, &t), 0);
	assert_int_equal(t, SPB_MAX_TYPES - 1);
	assert_int_equal(sp_policy_type_count(q), SPB_MAX_TYPES);
	sp_policy_free(p);
	assert_int_equal(sp_policy_add_type(q, "one_more_t", 0, &p, &t),
			 -E2BIG);
	/* a taken name is the answer even when the policy is full */
	assert_int_equal(sp_policy_add_type(q, "t7", 0, &p, &t), -EEXIST);
	sp_policy_free(q);
	sp_builder_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_verbatim),
		cmocka_unit_test(test_dump_filters),
		cmocka_unit_test(test_dump_structure),
		cmocka_unit_test(test_default_only),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_roundtrip_names),
		cmocka_unit_test(test_ability_names),
		cmocka_unit_test(test_name_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_range_merge),
		cmocka_unit_test(test_unconditional_wins),
		cmocka_unit_test(test_revoke),
		cmocka_unit_test(test_grant_errors),
		cmocka_unit_test(test_rule_errors),
		cmocka_unit_test(test_rules_roundtrip),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_policy_id),
		cmocka_unit_test(test_format_ranges),
		cmocka_unit_test(test_learning),
		cmocka_unit_test(test_type_limits),
		cmocka_unit_test(test_version2_without_news),
		cmocka_unit_test(test_builder_from_policy),
		cmocka_unit_test(test_add_type),
		cmocka_unit_test(test_add_type_limit),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
