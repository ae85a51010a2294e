// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the loader refuses every malformed file.  Each case takes a
 * valid policy from the builder, patches one field, recomputes the
 * checksum (so that the structural check, not the checksum, must catch
 * it) and checks the errno and that the message names the section and
 * record.  Then truncations and random bit flips.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "policy/ability.h"
#include "policy/policy.h"

#define RNG(a, b) ((struct sp_range){ (a), (b) })

/* ---------------------------------------------------------------------
 * Fixtures
 */

/*
 * Every section kind.  Record indexes the cases below rely on:
 *   grants 0-1 default, 2-6 fs_t (5 = CHANNEL_CONNECT(1)), 7 SETUID(4, 6,
 *   1000 - 2000), 8 NET_BIND_SERVICE(80, 443), 9 CHANNEL_CONNECT(1 - 3),
 *   10 SETTYPEID(1, 3), 11 iofunc/dup, 12 non-root iofunc/dup(7, gpu_mem),
 *   13 fs_nonuser_t non-root iofunc/dux(gpu_mem, gpu_int)
 *   ranges 0 | 1 2 3 | 4 5 | 6 | 7 8 | 9 10 | 11 12
 *   rules 0-1 default, 2-4 fs_t (/dev/fsF*, /, /fsFp0), 5-6 fs_user_t,
 *   7 fs_nonuser_t; derivations 0 child, 1 run (fs_user_t)
 *   fs_t learns; limits 0 fs_user_t 200 processes, 1 fs_nonuser_t 7
 */
static struct sp_builder *rich_builder(void)
{
	struct sp_builder *b = sp_builder_new();
	const struct sp_range setuid_r[] = { RNG(1000, 2000), RNG(4, 4),
					     RNG(6, 6) };
	const struct sp_range ports[] = { RNG(443, 443), RNG(80, 80) };
	const struct sp_range tt[] = { RNG(1, 1), RNG(3, 3) };
	const uint32_t named[] = { 0, 1 };

	assert_int_equal(sp_builder_add_type(b, "fs_t"), 1);
	assert_int_equal(sp_builder_add_type(b, "fs_user_t"), 2);
	assert_int_equal(sp_builder_add_type(b, "fs_nonuser_t"), 3);
	assert_int_equal(sp_builder_add_attr(b, "fs_attr"), 0);
	assert_int_equal(sp_builder_add_attr(b, "user_attr"), 1);
	assert_int_equal(sp_builder_type_add_attr(b, 2, 0), 0);
	assert_int_equal(sp_builder_type_add_attr(b, 2, 1), 0);
	assert_int_equal(sp_builder_type_add_attr(b, 3, 1), 0);
	assert_int_equal(sp_builder_add_custom(b, "iofunc/dup", 0),
			 AB_CUSTOM_BASE);
	assert_int_equal(sp_builder_add_custom(b, "iofunc/dux", SPB_C_RANGED),
			 AB_CUSTOM_BASE + 1);
	assert_int_equal(sp_builder_add_named_range(b, "gpu_mem"), 0);
	assert_int_equal(sp_builder_add_named_range(b, "gpu_int"), 1);
#define G(t, d, a, r, nr, n, nn)                                               \
	assert_int_equal(sp_builder_grant(b, t, d, a, r, nr, n, nn), 0)
	G(0, SP_ROOT, AB_PUBLIC_CHANNEL, NULL, 0, NULL, 0);
	G(0, SP_NONROOT, AB_PUBLIC_CHANNEL, NULL, 0, NULL, 0);
	G(1, SP_ROOT, 17, NULL, 0, NULL, 0);
	G(1, SP_ROOT, AB_PATHSPACE, NULL, 0, NULL, 0);
	G(1, SP_ROOT, AB_PUBLIC_CHANNEL, NULL, 0, NULL, 0);
	G(1, SP_ROOT, AB_CHANNEL_CONNECT, &RNG(1, 1), 1, NULL, 0);
	G(1, SP_NONROOT, AB_PUBLIC_CHANNEL, NULL, 0, NULL, 0);
	G(2, SP_ROOT, 7, setuid_r, 3, NULL, 0);
	G(2, SP_ROOT, 10, ports, 2, NULL, 0);
	G(2, SP_ROOT, AB_CHANNEL_CONNECT, &RNG(1, 3), 1, NULL, 0);
	G(2, SP_ROOT, AB_SETTYPEID, tt, 2, NULL, 0);
	G(2, SP_ROOT, AB_CUSTOM_BASE, NULL, 0, NULL, 0);
	G(2, SP_NONROOT, AB_CUSTOM_BASE, &RNG(7, 7), 1, named, 1);
	G(3, SP_NONROOT, AB_CUSTOM_BASE + 1, NULL, 0, named, 2);
#undef G
#define R(t, path, f, nt)                                                      \
	assert_int_equal(sp_builder_add_rule(b, t, path, f, nt), 0)
	R(0, "/...", SPB_R_ATTACH, SPB_NO_TYPE);
	R(0, "/...", SPB_R_LINK, SPB_NO_TYPE);
	R(1, "/dev/fsF*", SPB_R_ATTACH, SPB_NO_TYPE);
	R(1, "/", SPB_R_ATTACH, SPB_NO_TYPE);
	R(1, "/fsFp0", SPB_R_ATTACH, SPB_NO_TYPE);
	R(2, "/tmp/...", SPB_R_LINK, SPB_NO_TYPE);
	R(2, "@fsF*", SPB_R_ATTACH, 1);
	R(3, "/dev/null", SPB_R_ATTACH, SPB_NO_TYPE);
#undef R
	assert_int_equal(sp_builder_add_derive(b, 2, "run", 3), 0);
	assert_int_equal(sp_builder_add_derive(b, 2, "child", 1), 0);
	assert_int_equal(sp_builder_set_type_flags(b, 1, SPB_T_LEARNING), 0);
	assert_int_equal(sp_builder_set_limit(b, 2, SP_LIMIT_PROCESSES, 200),
			 0);
	assert_int_equal(sp_builder_set_limit(b, 3, SP_LIMIT_PROCESSES, 7), 0);
	return b;
}

static uint8_t *rich_file(size_t *len)
{
	struct sp_builder *b = rich_builder();
	void *buf;

	assert_int_equal(sp_builder_serialize(b, true, NULL, &buf, len), 0);
	sp_builder_free(b);
	return buf;
}

static void fix_crc(uint8_t *m, size_t len)
{
	uint32_t crc = 0;

	memcpy(m + offsetof(struct spb_header, checksum), &crc, 4);
	crc = (uint32_t)crc32(0L, m, (uInt)len);
	memcpy(m + offsetof(struct spb_header, checksum), &crc, 4);
}

static struct spb_header *hdr(uint8_t *m)
{
	return (struct spb_header *)m;
}

static struct spb_section *sec(uint8_t *m, uint32_t kind)
{
	struct spb_section *s = (struct spb_section *)(m + 40);
	uint32_t i;

	for (i = 0; i < hdr(m)->section_count; i++)
		if (s[i].kind == kind)
			return &s[i];
	fail_msg("no section 0x%x", kind);
	return NULL;
}

static void *rec(uint8_t *m, uint32_t kind, size_t recsize, size_t i)
{
	return m + sec(m, kind)->offset + i * recsize;
}

#define TYPE(m, i) ((struct spb_type *)rec(m, SPB_TYPE, 16, i))
#define ATTR(m, i) ((struct spb_attr *)rec(m, SPB_ATTR, 8, i))
#define TATR(m, i) ((uint32_t *)rec(m, SPB_TATR, 4, i))
#define ABIL(m, i) ((struct spb_custom *)rec(m, SPB_ABIL, 8, i))
#define NRNG(m, i) ((struct spb_named *)rec(m, SPB_NRNG, 8, i))
#define GRNT(m, i) ((struct spb_grant *)rec(m, SPB_GRNT, 16, i))
#define RNGE(m, i) ((struct spb_range *)rec(m, SPB_RNGE, 24, i))
#define RULE(m, i) ((struct spb_rule *)rec(m, SPB_RULE, 16, i))
#define DRVT(m, i) ((struct spb_derive *)rec(m, SPB_DRVT, 16, i))
#define TLIM(m, i) ((struct spb_limit *)rec(m, SPB_TLIM, 16, i))
#define STRS(m) ((char *)rec(m, SPB_STRS, 1, 0))

/* Offset of a string in the pool. */
static uint32_t str_off(uint8_t *m, const char *s)
{
	const struct spb_section *st = sec(m, SPB_STRS);
	const char *pool = STRS(m);
	size_t i, n = strlen(s) + 1;

	for (i = 0; i + n <= st->size; i++)
		if ((i == 0 || pool[i - 1] == '\0') && memcmp(pool + i, s, n) == 0)
			return (uint32_t)i;
	fail_msg("string %s not in the pool", s);
	return 0;
}

/* Loads m[0..len); expects rc and an error message containing want. */
static void expect(const uint8_t *m, size_t len, int rc, const char *want)
{
	struct sp_policy *p = NULL;
	char err[512] = "";
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	/* an exact-size heap copy: any over-read is an ASan report */
	memcpy(copy, m, len);
	r = sp_policy_load(copy, len, &p, err, sizeof(err));
	free(copy);
	if (r == 0 && rc == 0) {
		assert_non_null(p);
		sp_policy_free(p);
		return;
	}
	if (r != rc)
		fail_msg("load returned %d (%s), expected %d (wanted \"%s\")",
			 r, err, rc, want);
	assert_null(p);
	if (!strstr(err, want))
		fail_msg("error \"%s\" does not contain \"%s\"", err, want);
	if (strchr(err, '\n'))
		fail_msg("error \"%s\" is not one line", err);
}

/* A fresh copy of the rich policy for one case. */
struct fx {
	uint8_t *base;
	size_t len;
	uint8_t *m;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->base = rich_file(&f->len);
	f->m = malloc(f->len);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	free(f->base);
	free(f->m);
	free(f);
	return 0;
}

static uint8_t *fresh(struct fx *f)
{
	memcpy(f->m, f->base, f->len);
	return f->m;
}

/* Patch statement S on a fresh copy, fix the checksum, expect rc/want. */
#define CASE(rc, want, S)                                                      \
	do {                                                                   \
		uint8_t *m = fresh(f);                                         \
		S;                                                             \
		fix_crc(m, f->len);                                            \
		expect(m, f->len, rc, want);                                   \
	} while (0)

/* ---------------------------------------------------------------------
 * The fixture itself loads
 */
static void test_fixture_loads(void **state)
{
	struct fx *f = *state;
	struct sp_policy *p = NULL;
	struct sp_grant_view g;
	char err[256];

	assert_int_equal(sp_policy_load(f->base, f->len, &p, err, sizeof(err)),
			 0);
	assert_int_equal(sp_policy_grants(p, 2, SP_ROOT, NULL, 0), 5);
	assert_int_equal(sp_policy_grant(p, 3, SP_NONROOT, AB_CUSTOM_BASE + 1,
					 &g), 0);
	assert_int_equal(g.nnamed, 2);
	assert_int_equal(hdr(f->base)->section_count, 11);
	assert_int_equal(hdr(f->base)->version, 2);
	assert_true(sp_policy_type_learning(p, 1));
	assert_false(sp_policy_type_learning(p, 2));
	assert_int_equal(sp_policy_type_limit(p, 2, SP_LIMIT_PROCESSES), 200);
	assert_int_equal(sp_policy_type_limit(p, 3, SP_LIMIT_PROCESSES), 7);
	assert_int_equal(sp_policy_type_limit(p, 1, SP_LIMIT_PROCESSES), 0);
	assert_int_equal(sec(f->base, SPB_RNGE)->count, 13);
	assert_int_equal(sec(f->base, SPB_GRNT)->count, 14);
	assert_int_equal(sec(f->base, SPB_RULE)->count, 8);
	assert_int_equal(sp_policy_checksum(p), hdr(f->base)->checksum);
	sp_policy_free(p);
}

/* ---------------------------------------------------------------------
 * Header
 */
static void test_header(void **state)
{
	struct fx *f = *state;
	char want[128];
	uint8_t *c;
	uint32_t good;

	CASE(-EINVAL, "bad magic", m[0] = 'X');
	CASE(-EINVAL, "bad magic", m[7] = 'X');
	CASE(-ENOTSUP, "version 3 is not supported (this build reads versions "
		       "1 to 2)",
	     hdr(m)->version = 3);
	CASE(-ENOTSUP, "version 65535 is not supported",
	     hdr(m)->version = 0xffff);
	CASE(-ENOTSUP, "version 0 is not supported", hdr(m)->version = 0);
	CASE(-EINVAL, "header: header_size is 48", hdr(m)->header_size = 48);
	CASE(-EINVAL, "header: file_size", hdr(m)->file_size += 8);
	CASE(-EINVAL, "header: unknown flag bits 0x2", hdr(m)->flags |= 2);
	CASE(-EINVAL, "header: reserved", hdr(m)->reserved = 1);
	CASE(-EINVAL, "header: section_count 0 ", hdr(m)->section_count = 0);
	CASE(-EINVAL, "header: section_count 17 ", hdr(m)->section_count = 17);

	/* the exact checksum message, with both values */
	c = fresh(f);
	good = hdr(c)->checksum;
	c[f->len - 1] ^= 0x40;
	fix_crc(c, f->len);
	snprintf(want, sizeof(want),
		 "checksum mismatch: file says 0x%08x, content is 0x%08x", good,
		 hdr(c)->checksum);
	memcpy(c, f->base, f->len);
	c[f->len - 1] ^= 0x40;
	expect(c, f->len, -EPROTO, want);
	/* the checksum field itself */
	c = fresh(f);
	hdr(c)->checksum ^= 1;
	expect(c, f->len, -EPROTO, "checksum mismatch");

	expect(f->base, 0, -EINVAL, "shorter than the 40-byte header");
	expect(f->base, 39, -EINVAL, "shorter than the 40-byte header");
}

static void test_header_small_table(void **state)
{
	struct sp_builder *b = sp_builder_new();
	uint8_t *m;
	size_t len;

	(void)state;
	assert_int_equal(sp_builder_serialize(b, false, NULL, (void **)&m,
					      &len), 0);
	/* TYPE and STRS only: 16 entries do not fit a 113-byte file */
	assert_int_equal(len, 113);
	hdr(m)->section_count = 16;
	fix_crc(m, len);
	expect(m, len, -EINVAL, "section table (16 entries) runs past");
	hdr(m)->section_count = 2;

	/* no TYPE: it becomes two ATTR records */
	sec(m, SPB_TYPE)->count = 2;
	sec(m, SPB_TYPE)->kind = SPB_ATTR;
	fix_crc(m, len);
	expect(m, len, -EINVAL, "no TYPE section");
	sec(m, SPB_ATTR)->count = 1;
	sec(m, SPB_ATTR)->kind = SPB_TYPE;

	/* no STRS: it becomes one ABIL record */
	sec(m, SPB_STRS)->count = 1;
	sec(m, SPB_STRS)->size = 8;
	sec(m, SPB_STRS)->kind = SPB_ABIL;
	fix_crc(m, len);
	expect(m, len, -EINVAL, "no STRS section");
	sec(m, SPB_ABIL)->kind = SPB_STRS;
	sec(m, SPB_STRS)->count = 0;

	sec(m, SPB_STRS)->size = 0;
	fix_crc(m, len);
	expect(m, len, -EINVAL, "section STRS: empty");
	sec(m, SPB_STRS)->size = 9;
	fix_crc(m, len);
	expect(m, len, 0, ""); /* back to valid: each case was its patch */
	free(m);
	sp_builder_free(b);
}

/* ---------------------------------------------------------------------
 * Section table
 */
static void test_section_table(void **state)
{
	struct fx *f = *state;

	CASE(-EINVAL, "section table entry 0: unknown kind 0x58585858",
	     sec(m, SPB_TYPE)->kind = SPB_FOURCC('X', 'X', 'X', 'X'));
	CASE(-EINVAL, "section table entry 2: a second ATTR section",
	     sec(m, SPB_TATR)->kind = SPB_ATTR);
	CASE(-EINVAL, "section GRNT: offset 0x", sec(m, SPB_GRNT)->offset += 4);
	CASE(-EINVAL, "not 8-byte aligned", sec(m, SPB_GRNT)->offset += 4);
	CASE(-EINVAL, "section TYPE: offset 0x28 overlaps the header",
	     sec(m, SPB_TYPE)->offset = 40);
	CASE(-EINVAL, "section STRS: offset",
	     sec(m, SPB_STRS)->size += 8);
	CASE(-EINVAL, "runs past the end of the file",
	     sec(m, SPB_STRS)->offset += 1024);
	CASE(-EINVAL, "runs past the end of the file",
	     sec(m, SPB_STRS)->size = UINT64_MAX);
	CASE(-EINVAL, "runs past the end of the file",
	     sec(m, SPB_DRVT)->offset = UINT64_MAX - 7);
	CASE(-EINVAL, "section TYPE: size 64 is not 3 records of 16 bytes",
	     sec(m, SPB_TYPE)->count = 3);
	CASE(-EINVAL, "section RNGE: size", sec(m, SPB_RNGE)->size -= 8);
	CASE(-EINVAL, "section STRS: count is 1, expected 0",
	     sec(m, SPB_STRS)->count = 1);
	CASE(-EINVAL, "overlaps section",
	     sec(m, SPB_ATTR)->offset = sec(m, SPB_TYPE)->offset + 8);
	CASE(-EINVAL, "section ATTR at 0x",
	     sec(m, SPB_ATTR)->offset = sec(m, SPB_TYPE)->offset);
}

static void test_section_limit(void **state)
{
	struct sp_builder *b = sp_builder_new();
	char name[32];
	uint8_t *m;
	size_t len;
	int i;

	(void)state;
	for (i = 0; i < SPB_MAX_CUSTOM; i++) {
		snprintf(name, sizeof(name), "v/a%d", i);
		assert_true(sp_builder_add_custom(b, name, 0) >= 0);
	}
	assert_int_equal(sp_builder_serialize(b, false, NULL, (void **)&m,
					      &len), 0);
	expect(m, len, 0, "");
	/* one record more, its bytes taken from the next section */
	sec(m, SPB_ABIL)->count++;
	sec(m, SPB_ABIL)->size += 8;
	fix_crc(m, len);
	expect(m, len, -EINVAL,
	       "section ABIL: 4097 records, more than the limit of 4096");
	free(m);
	sp_builder_free(b);
}

/* ---------------------------------------------------------------------
 * Names: STRS, TYPE, TATR, ATTR, ABIL, NRNG
 */
static void test_strings_and_types(void **state)
{
	struct fx *f = *state;

	CASE(-EINVAL, "section STRS: the first byte is not NUL",
	     STRS(m)[0] = 'x');
	CASE(-EINVAL, "section STRS: the last byte is not NUL",
	     STRS(m)[sec(m, SPB_STRS)->size - 1] = 'x');
	CASE(-EINVAL, "section TYPE: type 2: name offset 0x",
	     TYPE(m, 2)->name = (uint32_t)sec(m, SPB_STRS)->size);
	CASE(-EINVAL, "outside the string pool",
	     TYPE(m, 2)->name = UINT32_MAX);
	CASE(-EINVAL, "section TYPE: type 0 is named \"fs_t\", expected "
		      "\"default\"",
	     TYPE(m, 0)->name = TYPE(m, 1)->name);
	CASE(-EINVAL, "section TYPE: type 1: invalid name \"iofunc/dup\"",
	     TYPE(m, 1)->name = str_off(m, "iofunc/dup"));
	CASE(-EINVAL, "section TYPE: type 1: invalid name \"\"",
	     TYPE(m, 1)->name = 0);
	CASE(-EINVAL, "section TYPE: type 3 is named \"fs_user_t\" like type 2",
	     TYPE(m, 3)->name = TYPE(m, 2)->name);
	CASE(-EINVAL, "section TYPE: type 1 has unknown flag bits 0x4",
	     TYPE(m, 1)->flags = 4);
	CASE(-EINVAL, "section TYPE: type 2 has unknown flag bits 0x80000000",
	     TYPE(m, 2)->flags |= 0x80000000u);
	CASE(-EINVAL, "section TYPE: type 0 (default) is learning, but it is "
		      "never supervised",
	     TYPE(m, 0)->flags |= SPB_T_LEARNING);
	CASE(-EINVAL, "section TYPE: type 2's attributes start at TATR entry 1, "
		      "expected 0",
	     TYPE(m, 2)->attr_first = 1);
	CASE(-EINVAL, "section TYPE: type 3's 5 attributes from entry 2 run "
		      "past TATR",
	     TYPE(m, 3)->attr_count = 5);
	CASE(-EINVAL, "section TYPE: type 3's", TYPE(m, 3)->attr_count =
							UINT32_MAX);
	CASE(-EINVAL, "section TATR: 3 entries but the types use 2",
	     TYPE(m, 3)->attr_count = 0);
	CASE(-EINVAL, "section TATR: entry 1 names attribute 9 but the policy "
		      "has 2 attributes",
	     *TATR(m, 1) = 9);
	CASE(-EINVAL, "section TATR: type 2 lists attribute 1 twice",
	     *TATR(m, 0) = 1);
	/* the same attribute for two types is fine */
	CASE(0, "", *TATR(m, 2) = 0);
	CASE(-EINVAL, "section ATTR: attribute 0 is named \"fs_t\" like type 1",
	     ATTR(m, 0)->name = TYPE(m, 1)->name);
	CASE(-EINVAL, "section ATTR: attribute 1 is named \"fs_attr\" like "
		      "attribute 0",
	     ATTR(m, 1)->name = ATTR(m, 0)->name);
	CASE(-EINVAL, "section ATTR: attribute 1: invalid name \"/dev/null\"",
	     ATTR(m, 1)->name = str_off(m, "/dev/null"));
	CASE(-EINVAL, "section ATTR: attribute 1: reserved",
	     ATTR(m, 1)->reserved = 1);
}

static void test_customs_and_named(void **state)
{
	struct fx *f = *state;

	CASE(-EINVAL, "section ABIL: custom ability 0: invalid name \"fs_t\"",
	     ABIL(m, 0)->name = TYPE(m, 1)->name);
	CASE(-EINVAL, "section ABIL: custom ability 1 is named \"iofunc/dup\" "
		      "like custom ability 0",
	     ABIL(m, 1)->name = ABIL(m, 0)->name);
	/* unique the way lookups compare: case-insensitively */
	CASE(-EINVAL, "section ABIL: custom ability 1 is named \"IOFUNC/DUP\" "
		      "like custom ability 0",
	     memcpy(STRS(m) + ABIL(m, 1)->name, "IOFUNC/DUP", 10));
	CASE(-EINVAL, "section ABIL: custom ability 1 has unknown flag bits "
		      "0x4",
	     ABIL(m, 1)->flags |= 4);
	/* granted with subranges (grant 12) but not marked ranged */
	CASE(-EINVAL, "section GRNT: grant 12 gives custom ability 0 "
		      "subranges, but section ABIL does not mark it ranged",
	     ABIL(m, 0)->flags = 0);
	/* marked ranged without a ranged grant is what `ability x/y;` and
	 * a later '-x/y' leave: fine */
	CASE(0, "", ABIL(m, 1)->flags = SPB_C_RANGED);
	CASE(-EINVAL, "section NRNG: range 1 is named \"gpu_mem\" like range 0",
	     NRNG(m, 1)->name = NRNG(m, 0)->name);
	CASE(-EINVAL, "section NRNG: range 0: invalid name \"iofunc/dux\"",
	     NRNG(m, 0)->name = str_off(m, "iofunc/dux"));
	CASE(-EINVAL, "section NRNG: range 0: reserved",
	     NRNG(m, 0)->reserved = 3);
	/* a name that is not valid escapes into the message safely */
	CASE(-EINVAL, "type 1: invalid name \"f\\033_t\"",
	     STRS(m)[TYPE(m, 1)->name + 1] = 0x1b);
}

/* ---------------------------------------------------------------------
 * Grants and ranges
 */
static void test_grants(void **state)
{
	struct fx *f = *state;

	CASE(-EINVAL, "section GRNT: grant 4 names type 7 but the policy has 4 "
		      "types",
	     GRNT(m, 4)->type = 7);
	CASE(-EINVAL, "section GRNT: grant 3 has domain 2",
	     GRNT(m, 3)->domain = 2);
	CASE(-EINVAL, "section GRNT: grant 2 names unknown ability 0x32",
	     GRNT(m, 2)->ability = 50);
	CASE(-EINVAL, "section GRNT: grant 11 names unknown ability 0x8002",
	     GRNT(m, 11)->ability = AB_CUSTOM_BASE + 2);
	CASE(-EINVAL, "section GRNT: grant 11 names unknown ability 0xffff",
	     GRNT(m, 11)->ability = AB_NONE);
	CASE(-EINVAL, "section GRNT: grant 2 has unknown flag bits 0x80",
	     GRNT(m, 2)->flags = 0x80);
	CASE(-EINVAL, "section GRNT: grant 2: the RANGED flag disagrees with "
		      "its 0 ranges",
	     GRNT(m, 2)->flags = SPB_G_RANGED);
	CASE(-EINVAL, "section GRNT: grant 5: the RANGED flag disagrees with "
		      "its 1 ranges",
	     GRNT(m, 5)->flags = 0);
	/* SETUID's ranges moved to CHOWN, which has no values */
	CASE(-EINVAL, "section GRNT: grant 7: ability 0x0 takes no subranges",
	     GRNT(m, 7)->ability = 0);
	CASE(-EINVAL, "section GRNT: grant 3 is not after grant 2",
	     GRNT(m, 3)->ability = 17);
	CASE(-EINVAL, "section GRNT: grant 6 is not after grant 5",
	     GRNT(m, 6)->domain = 0);
	CASE(-EINVAL, "section GRNT: grant 7 is not after grant 6",
	     GRNT(m, 7)->type = 1);
	CASE(-EINVAL, "section GRNT: grant 8's ranges start at RNGE entry 3, "
		      "expected 4",
	     GRNT(m, 8)->range_first = 3);
	CASE(-EINVAL, "section GRNT: grant 13's 102 ranges from entry 11 run "
		      "past RNGE (13 entries)",
	     GRNT(m, 13)->range_count = 102);
	CASE(-EINVAL, "section GRNT: grant 13's",
	     GRNT(m, 13)->range_count = UINT32_MAX);
	CASE(-EINVAL, "section RNGE: 13 entries but the grants use 12",
	     GRNT(m, 13)->range_count = 1);
}

static void test_ranges(void **state)
{
	struct fx *f = *state;
	struct spb_range t;

	CASE(-EINVAL, "section RNGE: range 2 (grant 7): 6 - 5 is not within "
		      "0 - 4294967294",
	     RNGE(m, 2)->hi = 5);
	CASE(-EINVAL, "section RNGE: range 3 (grant 7): 1000 - 4294967295 is "
		      "not within 0 - 4294967294",
	     RNGE(m, 3)->hi = 0xffffffffULL);
	CASE(-EINVAL, "section RNGE: range 5 (grant 8): 443 - 65536",
	     RNGE(m, 5)->hi = 65536);
	/* adjacent (4 then 5-6), overlapping, unsorted */
	CASE(-EINVAL, "section RNGE: range 2 (grant 7) is not after range 1 "
		      "with a gap",
	     RNGE(m, 2)->lo = 5);
	CASE(-EINVAL, "section RNGE: range 2 (grant 7) is not after range 1",
	     RNGE(m, 1)->hi = 6);
	CASE(-EINVAL, "section RNGE: range 3 (grant 7) is not after range 2",
	     RNGE(m, 3)->lo = 2; RNGE(m, 3)->hi = 3);
	CASE(-EINVAL, "section RNGE: range 10 (grant 12): named range with "
		      "values",
	     RNGE(m, 10)->hi = 1);
	CASE(-EINVAL, "section RNGE: range 10 (grant 12) names range 5 but the "
		      "policy has 2",
	     RNGE(m, 10)->named = 5);
	CASE(-EINVAL, "section RNGE: range 10 (grant 12): a numeric range "
		      "after the named ones",
	     t = *RNGE(m, 9); *RNGE(m, 9) = *RNGE(m, 10); *RNGE(m, 10) = t);
	CASE(-EINVAL, "section RNGE: range 12 (grant 13): named ranges not "
		      "strictly increasing",
	     RNGE(m, 12)->named = 0);
	CASE(-EINVAL, "section RNGE: range 4 (grant 8): reserved",
	     RNGE(m, 4)->reserved = 1);
	/* a numeric range must say SPB_NOT_NAMED */
	CASE(-EINVAL, "section RNGE: range 0 (grant 5): named range with values",
	     RNGE(m, 0)->named = 0);
}

/* ---------------------------------------------------------------------
 * Rules and derivations
 */
static void test_rules(void **state)
{
	struct fx *f = *state;

	/* the whole message, as secpol prints it */
	CASE(-EINVAL, "section RULE: rule 2 names type 7 but the policy has 4 "
		      "types",
	     RULE(m, 2)->type = 7);
	CASE(-EINVAL, "section RULE: rule 6 relabels to type 9 but the policy "
		      "has 4 types",
	     RULE(m, 6)->new_type = 9);
	CASE(-EINVAL, "section RULE: rule 3 has unknown flag bits 0x20",
	     RULE(m, 3)->flags |= 0x20);
	CASE(-EINVAL, "section RULE: rule 3 is not exactly one of attach and "
		      "link",
	     RULE(m, 3)->flags |= SPB_R_LINK);
	CASE(-EINVAL, "section RULE: rule 3 is not exactly one of attach and "
		      "link",
	     RULE(m, 3)->flags &= ~SPB_R_ATTACH);
	CASE(-EINVAL, "section RULE: rule 1 relabels a link",
	     RULE(m, 1)->new_type = 2);
	CASE(-EINVAL, "section RULE: rule 0 is both a prefix and a pattern",
	     RULE(m, 0)->flags |= SPB_R_PATTERN);
	CASE(-EINVAL, "section RULE: rule 1 (type 0) comes after a rule of "
		      "type 1",
	     RULE(m, 0)->type = 1);
	CASE(-EINVAL, "section RULE: rule 4: path offset 0x",
	     RULE(m, 4)->path = (uint32_t)sec(m, SPB_STRS)->size);
	/* flags that disagree with the path */
	CASE(-EINVAL, "section RULE: rule 2: path \"/dev/fsF*\": not in "
		      "stored form",
	     RULE(m, 2)->flags &= ~SPB_R_PATTERN);
	CASE(-EINVAL, "section RULE: rule 4: path \"/fsFp0\": not in stored "
		      "form",
	     RULE(m, 4)->flags |= SPB_R_PATTERN);
	CASE(-EINVAL, "section RULE: rule 6: path \"@fsF*\": not in stored "
		      "form",
	     RULE(m, 6)->flags &= ~SPB_R_ABSTRACT);
	CASE(-EINVAL, "section RULE: rule 7: path \"/dev/null\": not in "
		      "stored form",
	     RULE(m, 7)->flags |= SPB_R_ABSTRACT);
	CASE(-EINVAL, "section RULE: rule 6: path \"@fsF*\": \"/...\" applies "
		      "to file system paths",
	     RULE(m, 6)->flags |= SPB_R_PREFIX;
	     RULE(m, 6)->flags &= ~SPB_R_PATTERN);
	/* paths that are not valid at all */
	CASE(-EINVAL, "section RULE: rule 4: path \"fs_t\": not absolute",
	     RULE(m, 4)->path = TYPE(m, 1)->name);
	CASE(-EINVAL, "section RULE: rule 4: path \"/../p0\": contains a \"..\" "
		      "component",
	     memcpy(STRS(m) + RULE(m, 4)->path, "/../p0", 6));
	CASE(-EINVAL, "section RULE: rule 4: path \"/fs\\033p0\": contains a "
		      "control character",
	     STRS(m)[RULE(m, 4)->path + 3] = 0x1b);
	CASE(-EINVAL, "section RULE: rule 4: path \"\": empty",
	     RULE(m, 4)->path = 0);
}

static void test_derives(void **state)
{
	struct fx *f = *state;
	struct spb_derive t;

	CASE(-EINVAL, "section DRVT: derivation 1 names type 4 but the policy "
		      "has 4 types",
	     DRVT(m, 1)->type = 4);
	CASE(-EINVAL, "section DRVT: derivation 0 names type 77",
	     DRVT(m, 0)->derived = 77);
	CASE(-EINVAL, "section DRVT: derivation 0: reserved",
	     DRVT(m, 0)->reserved = 1);
	CASE(-EINVAL, "section DRVT: derivation 0: invalid name \"/tmp\"",
	     DRVT(m, 0)->name = str_off(m, "/tmp"));
	CASE(-EINVAL, "section DRVT: derivation 1 is not after derivation 0",
	     t = *DRVT(m, 0); *DRVT(m, 0) = *DRVT(m, 1); *DRVT(m, 1) = t);
	CASE(-EINVAL, "section DRVT: derivation 1 is not after derivation 0",
	     DRVT(m, 1)->name = DRVT(m, 0)->name);
	CASE(-EINVAL, "section DRVT: derivation 1 is not after derivation 0",
	     DRVT(m, 0)->type = 3);
}

/* ---------------------------------------------------------------------
 * Limits (version 2)
 */
static void test_limits(void **state)
{
	struct fx *f = *state;
	struct spb_limit t;

	CASE(-EINVAL, "section TLIM: limit 0 names type 9 but the policy has 4 "
		      "types",
	     TLIM(m, 0)->type = 9);
	CASE(-EINVAL, "section TLIM: limit 1 names type 4294967295",
	     TLIM(m, 1)->type = UINT32_MAX);
	CASE(-EINVAL, "section TLIM: limit 0 is for type 0 (default), which is "
		      "never supervised",
	     TLIM(m, 0)->type = 0);
	CASE(-EINVAL, "section TLIM: limit 1 has unknown kind 2",
	     TLIM(m, 1)->kind = 2);
	CASE(-EINVAL, "section TLIM: limit 0 has unknown kind 0",
	     TLIM(m, 0)->kind = 0);
	CASE(-EINVAL, "section TLIM: limit 0: 0 processes is not within 1 - "
		      "4194304",
	     TLIM(m, 0)->value = 0);
	CASE(-EINVAL, "section TLIM: limit 1: 4194305 processes is not within",
	     TLIM(m, 1)->value = SPB_MAX_PROCESSES + 1);
	CASE(-EINVAL, "section TLIM: limit 1: 18446744073709551615 processes",
	     TLIM(m, 1)->value = UINT64_MAX);
	CASE(0, "", TLIM(m, 1)->value = SPB_MAX_PROCESSES);
	/* two limits of one (type, kind), and the wrong order */
	CASE(-EINVAL, "section TLIM: limit 1 is not after limit 0 in (type, "
		      "kind) order",
	     TLIM(m, 1)->type = 2);
	CASE(-EINVAL, "section TLIM: limit 1 is not after limit 0",
	     t = *TLIM(m, 0); *TLIM(m, 0) = *TLIM(m, 1); *TLIM(m, 1) = t);
	/* truncated or grown */
	CASE(-EINVAL, "section TLIM: size 24 is not 2 records of 16 bytes",
	     sec(m, SPB_TLIM)->size -= 8);
	CASE(-EINVAL, "section TLIM: size 32 is not 1 records of 16 bytes",
	     sec(m, SPB_TLIM)->count = 1);
	CASE(-EINVAL, "overlaps section",
	     sec(m, SPB_TLIM)->count = 3; sec(m, SPB_TLIM)->size = 48);
	CASE(-EINVAL, "section table entry 10: a second TLIM section",
	     sec(m, SPB_STRS)->kind = SPB_TLIM);
	/* with the second record gone, the first still loads */
	CASE(0, "", sec(m, SPB_TLIM)->count = 1; sec(m, SPB_TLIM)->size = 16);
}

static void exercise(const struct sp_policy *p);

/* Version 1 files still load, held to what version 1 had. */
static void test_version1(void **state)
{
	struct fx *f = *state;
	struct sp_builder *b;
	struct sp_policy *p = NULL;
	struct sp_grant_view g;
	char err[256];
	uint8_t *v1;
	size_t len;

	/* the rich policy has a TLIM section and a learning type */
	CASE(-EINVAL, "section table entry 9: a TLIM section in a version 1 "
		      "file (it needs version 2)",
	     hdr(m)->version = 1);
	CASE(-EINVAL, "section TYPE: type 1 has unknown flag bits 0x2",
	     hdr(m)->version = 1; hdr(m)->section_count = 10;
	     memmove(m + 40 + 9 * 24, m + 40 + 10 * 24, 24));

	/* without them the file is what version 1 wrote: it loads as one */
	b = sp_builder_new();
	assert_int_equal(sp_builder_add_type(b, "svc_t"), 1);
	assert_int_equal(sp_builder_grant(b, 1, SP_ROOT, 10, &RNG(80, 80), 1,
					  NULL, 0), 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/run/svc/...",
					     SPB_R_ATTACH, SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_serialize(b, true, NULL, (void **)&v1,
					      &len), 0);
	assert_int_equal(hdr(v1)->version, 2);
	hdr(v1)->version = 1;
	fix_crc(v1, len);
	assert_int_equal(sp_policy_load(v1, len, &p, err, sizeof(err)), 0);
	assert_true(sp_policy_mutable(p));
	assert_false(sp_policy_type_learning(p, 1));
	assert_int_equal(sp_policy_type_limit(p, 1, SP_LIMIT_PROCESSES), 0);
	assert_int_equal(sp_policy_grant(p, 1, SP_ROOT, 10, &g), 0);
	assert_int_equal(g.nranges, 1);
	assert_int_equal(sp_policy_check_attach(p, 1, "/run/svc/s", SPB_NO_TYPE,
						NULL), SP_PATH_OK);
	exercise(p);
	sp_policy_free(p);
	free(v1);
	sp_builder_free(b);
}

/* ---------------------------------------------------------------------
 * Whole-file damage
 */

/* Runs every query and the dump over a loaded policy.  Its results are
 * not checked: the point is that nothing reads out of bounds. */
static void exercise(const struct sp_policy *p)
{
	struct sp_dump_opts o = { SP_DUMP_ALL, SPB_NO_TYPE, AB_NONE };
	struct strbuf sb = STRBUF_INIT;
	struct sp_grant_view gv[64];
	struct sp_rule_view rv[64];
	uint32_t nt = sp_policy_type_count(p), t, d, ct, i;
	const char *paths[] = { "/", "/dev/fsF0", "/tmp/x", "@fsF1", "/x/y" };
	size_t n, k, na;
	uint16_t ab;

	for (t = 0; t <= nt && t < 64; t++) {
		const char *name = sp_policy_type_name(p, t);

		if (name)
			assert_int_equal(sp_policy_type_lookup(p, name, &d), 0);
		sp_policy_type_declared(p, t);
		sp_policy_type_learning(p, t);
		for (d = 0; d < 3; d++)
			sp_policy_type_limit(p, t, d);
		sp_policy_type_attrs(p, t, &na);
		for (d = 0; d < 2; d++) {
			sp_policy_caps(p, t, d);
			n = sp_policy_grants(p, t, d, gv, 64);
			for (k = 0; k < n && k < 64; k++) {
				sb_reset(&sb);
				sp_format_ranges(p, &gv[k], &sb);
				sp_policy_check(p, t, d, gv[k].ability, 5, 5);
			}
			for (i = 0; i < AB_SECPOL_LAST + 2; i++)
				sp_policy_check(p, t, d, (uint16_t)i, 1, 3);
			sp_policy_check_connect(p, t, d, 1);
		}
		n = sp_policy_rules(p, t, rv, 64);
		for (k = 0; k < n && k < 64; k++) {
			sp_policy_check_attach(p, t, rv[k].path, SPB_NO_TYPE,
					       &ct);
			sp_policy_check_link(p, t, rv[k].path);
		}
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
			sp_policy_check_attach(p, t, paths[k], 1, &ct);
			sp_policy_check_link(p, t, paths[k]);
		}
		sp_policy_derive(p, t, "run", &d);
	}
	for (i = 0; i < sp_policy_custom_count(p) && i < 64; i++) {
		const char *name = sp_policy_ability_name(p, AB_CUSTOM_BASE + i);

		assert_non_null(name);
		assert_int_equal(sp_policy_ability_lookup(p, name, &ab), 0);
	}
	for (i = 0; i < sp_policy_attr_count(p) && i < 64; i++)
		sp_policy_attr_name(p, i);
	sb_reset(&sb);
	sp_policy_dump(p, NULL, &sb);
	o.only_ability = AB_CUSTOM_BASE;
	sp_policy_dump(p, &o, &sb);
	sp_policy_dump_structure(p, &sb);
	assert_int_equal(sb_error(&sb), 0);
	sb_free(&sb);
}

static void test_truncations(void **state)
{
	struct fx *f = *state;
	struct sp_policy *p;
	char err[256];
	size_t len;
	int r;

	for (len = 0; len < f->len; len++) {
		uint8_t *m = malloc(len ? len : 1);

		memcpy(m, f->base, len);
		p = NULL;
		r = sp_policy_load(m, len, &p, err, sizeof(err));
		if (r >= 0)
			fail_msg("a %zu-byte truncation loaded", len);
		assert_null(p);
		/* and again with a consistent header, so that the section
		 * bounds must catch it */
		if (len >= 40) {
			hdr(m)->file_size = len;
			fix_crc(m, len);
			r = sp_policy_load(m, len, &p, err, sizeof(err));
			if (r != -EINVAL)
				fail_msg("consistent %zu-byte truncation: %d %s",
					 len, r, err);
		}
		free(m);
	}
}

static void test_bit_flips(void **state)
{
	struct fx *f = *state;
	struct sp_policy *p;
	unsigned seed = 12345;
	char err[256];
	int i, r;

	for (i = 0; i < 2000; i++) {
		uint8_t *m = fresh(f);
		size_t at = (size_t)rand_r(&seed) % f->len;

		m[at] ^= (uint8_t)(1u << (rand_r(&seed) % 8));
		p = NULL;
		r = sp_policy_load(m, f->len, &p, err, sizeof(err));
		assert_null(p);
		/* magic, version, header_size and file_size are checked
		 * before the checksum; everything else is the checksum's */
		if (at < 12 || (at >= 24 && at < 32))
			assert_true(r < 0);
		else if (r != -EPROTO)
			fail_msg("flip at byte %zu: %d %s", at, r, err);
	}
}

static void test_bit_flips_structural(void **state)
{
	struct fx *f = *state;
	struct sp_policy *p;
	unsigned seed = 4242;
	int i, j, r, loaded = 0;
	char err[256];

	for (i = 0; i < 2000; i++) {
		uint8_t *m = fresh(f);
		int flips = 1 + rand_r(&seed) % 3;

		for (j = 0; j < flips; j++) {
			size_t at = (size_t)rand_r(&seed) % f->len;

			m[at] ^= (uint8_t)(1u << (rand_r(&seed) % 8));
		}
		fix_crc(m, f->len);
		p = NULL;
		r = sp_policy_load(m, f->len, &p, err, sizeof(err));
		if (r < 0) {
			assert_null(p);
			assert_true(err[0] != '\0');
			continue;
		}
		/* the loader's copy is what is used: scribble over ours */
		memset(m, 0xff, f->len);
		loaded++;
		exercise(p);
		sp_policy_free(p);
	}
	print_message("# %d of 2000 mutated policies loaded and were "
		      "exercised\n", loaded);
	/* Some mutations are valid policies (a renamed type, another
	 * ability): the test is meaningless if none load. */
	assert_true(loaded > 0);
}

/* Names may share the tail of one string; the written forms of PREFIX
 * rules must still be right (the loader builds them per string end). */
static void test_shared_tails(void **state)
{
	struct sp_builder *b = sp_builder_new();
	struct sp_policy *p = NULL;
	struct sp_rule_view v[4];
	uint32_t abc, ct;
	char err[256];
	uint8_t *m;
	size_t len;

	(void)state;
	assert_int_equal(sp_builder_add_type(b, "x"), 1);
	assert_int_equal(sp_builder_add_rule(b, 1, "/a/b/c/...", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/p/...", SPB_R_ATTACH, 0),
			 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/q/...", SPB_R_LINK,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_add_rule(b, 1, "/r", SPB_R_ATTACH,
					     SPB_NO_TYPE), 0);
	assert_int_equal(sp_builder_serialize(b, false, NULL, (void **)&m,
					      &len), 0);
	abc = str_off(m, "/a/b/c");
	RULE(m, 1)->path = abc + 2; /* "/b/c" */
	RULE(m, 2)->path = abc + 4; /* "/c" */
	RULE(m, 3)->path = abc + 4; /* "/c" exact */
	fix_crc(m, len);
	assert_int_equal(sp_policy_load(m, len, &p, err, sizeof(err)), 0);
	free(m);
	assert_int_equal(sp_policy_rules(p, 1, v, 4), 4);
	assert_string_equal(v[0].path, "/a/b/c/...");
	assert_string_equal(v[1].path, "/b/c/...");
	assert_string_equal(v[2].path, "/c/...");
	assert_string_equal(v[3].path, "/c");
	assert_int_equal(sp_policy_check_attach(p, 1, "/b/c/d", SPB_NO_TYPE,
						&ct), SP_PATH_OK);
	assert_int_equal(ct, 0);
	assert_int_equal(sp_policy_check_attach(p, 1, "/c", SPB_NO_TYPE, &ct),
			 SP_PATH_OK);
	assert_int_equal(ct, 1);
	assert_int_equal(sp_policy_check_link(p, 1, "/c/d"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(p, 1, "/a/b/c"), SP_PATH_BAD_OP);
	sp_policy_free(p);
	sp_builder_free(b);
}

static void test_load_file(void **state)
{
	struct fx *f = *state;
	char path[] = "/tmp/test_loader.XXXXXX";
	struct sp_policy *p = NULL;
	char err[256];
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->base, f->len), (ssize_t)f->len);
	close(fd);
	assert_int_equal(sp_policy_load_file(path, &p, err, sizeof(err)), 0);
	exercise(p);
	assert_true(sp_policy_mutable(p));
	sp_policy_free(p);
	unlink(path);
	p = NULL;
	assert_int_equal(sp_policy_load_file(path, &p, err, sizeof(err)),
			 -ENOENT);
	assert_null(p);
	assert_non_null(strstr(err, path));
}

/* Policy text given where a binary policy is expected (issue 12). */
static void test_policy_text(void **state)
{
	static const char text[] = "# policy\ntype fs_t;\r\n\tallow fs_t "
				   "self:ability io;  # caf\xc3\xa9\n";
	char dir[] = "/tmp/test_loader.XXXXXX", path[64];
	struct sp_policy *p = NULL;
	char err[512], want[256];
	uint8_t m[64];
	FILE *f;

	(void)state;
	expect((const uint8_t *)text, strlen(text), -EINVAL,
	       "this is policy text, not a binary policy; compile it first "
	       "with secpolcompile");
	/* shorter than the header: still text, not "shorter than" */
	expect((const uint8_t *)"type a;", 7, -EINVAL, "this is policy text");
	expect((const uint8_t *)" ", 1, -EINVAL, "this is policy text");
	/* not text: NUL, other control bytes, DEL; the magic's beginning */
	expect((const uint8_t *)"type a;\0", 8, -EINVAL,
	       "file is 8 bytes, shorter than the 40-byte header");
	expect((const uint8_t *)"type\033a;", 8, -EINVAL, "shorter than");
	expect((const uint8_t *)"type\177a;", 8, -EINVAL, "shorter than");
	expect((const uint8_t *)"SPOLB", 5, -EINVAL, "shorter than");
	memset(m, 'a', sizeof(m));
	m[63] = 0x01;
	expect(m, sizeof(m), -EINVAL, "bad magic");
	m[63] = 'a';
	expect(m, sizeof(m), -EINVAL, "this is policy text");

	/* from a file: the command that compiles it */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/svc.sp", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(sp_policy_load_file(path, &p, err, sizeof(err)),
			 -EINVAL);
	assert_null(p);
	snprintf(want, sizeof(want),
		 "this is policy text, not a binary policy; compile it first: "
		 "secpolcompile -o %s/svc.bin %s/svc.sp",
		 dir, dir);
	assert_string_equal(err, want);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a b's", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(sp_policy_load_file(path, &p, err, sizeof(err)),
			 -EINVAL);
	snprintf(want, sizeof(want),
		 "this is policy text, not a binary policy; compile it first: "
		 "secpolcompile -o '%s/a b'\\''s.bin' '%s/a b'\\''s'",
		 dir, dir);
	assert_string_equal(err, want);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fixture_loads),
		T(test_header),
		cmocka_unit_test(test_header_small_table),
		T(test_section_table),
		cmocka_unit_test(test_section_limit),
		T(test_strings_and_types),
		T(test_customs_and_named),
		T(test_grants),
		T(test_ranges),
		T(test_rules),
		T(test_derives),
		T(test_limits),
		T(test_version1),
		T(test_truncations),
		T(test_bit_flips),
		T(test_bit_flips_structural),
		cmocka_unit_test(test_shared_tails),
		T(test_load_file),
		cmocka_unit_test(test_policy_text),
	};
#undef T

	return cmocka_run_group_tests_name("loader", tests, NULL, NULL);
}
