// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the binary policy loader.  Each input is loaded as
 * is; inputs of header size or more are also loaded with the checksum (and
 * then the file size) recomputed, since a random mutation almost always
 * breaks the checksum and the structural checks behind it would otherwise
 * go untested.  A policy that loads is put through every query and the
 * dump: whatever the loader accepts must be safe to use.  It must also go
 * through a builder (policy/derived.c) and come back saying the same
 * thing, and take one more type.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "common/strbuf.h"
#include "policy/ability.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

/* Bounded so that one input cannot take seconds. */
#define MAXT 32
#define MAXV 64

static void exercise(const struct sp_policy *p)
{
	static const char *const paths[] = { "/",	   "/dev/fsF0", "/tmp/x",
					     "@fsF1",	   "/x/y",	"",
					     "relative", "@" };
	struct sp_dump_opts o = { SP_DUMP_ALL, SPB_NO_TYPE, AB_NONE };
	struct strbuf sb = STRBUF_INIT;
	struct sp_grant_view gv[MAXV];
	struct sp_rule_view rv[MAXV];
	uint32_t nt = sp_policy_type_count(p), t, u, ct, i;
	size_t n, k, j, na;
	uint16_t ab;
	int d;

	CHECK(nt >= 1);
	for (t = 0; t <= nt && t < MAXT; t++) {
		const char *name = sp_policy_type_name(p, t);
		const uint32_t *attrs;

		CHECK((name != NULL) == (t < nt));
		if (name) {
			CHECK(sp_policy_type_lookup(p, name, &u) == 0 &&
			      u == t);
		}
		sp_policy_type_declared(p, t);
		CHECK(!sp_policy_type_learning(p, t) || (t > 0 && t < nt));
		for (d = 0; d <= 2; d++)
			CHECK(sp_policy_type_limit(p, t, d) <=
			      SPB_MAX_PROCESSES);
		CHECK(sp_policy_type_limit(p, 0, SP_LIMIT_PROCESSES) == 0);
		attrs = sp_policy_type_attrs(p, t, &na);
		for (k = 0; k < na; k++)
			CHECK(sp_policy_attr_name(p, attrs[k]) != NULL);
		for (d = 0; d < 2; d++) {
			uint64_t caps = sp_policy_caps(p, t, d);

			n = sp_policy_grants(p, t, d, gv, MAXV);
			for (k = 0; k < n && k < MAXV; k++) {
				const struct sp_grant_view *g = &gv[k];

				if (g->ability < AB_NCAPS)
					CHECK(caps & (1ULL << g->ability));
				CHECK(sp_policy_ability_name(p, g->ability));
				for (j = 0; j < g->nranges; j++) {
					CHECK(g->ranges[j].lo <= g->ranges[j].hi);
					CHECK(sp_policy_check(
						      p, t, d, g->ability,
						      g->ranges[j].lo,
						      g->ranges[j].hi) ==
					      SP_ALLOW);
				}
				for (j = 0; j < g->nnamed; j++)
					CHECK(sp_policy_named_range_name(
						p, g->named[j]));
				sb_reset(&sb);
				sp_format_ranges(p, g, &sb);
			}
			for (i = 0; i <= AB_SECPOL_LAST + 1; i++)
				sp_policy_check(p, t, d, (uint16_t)i, 1, 3);
			for (i = 0; i < 4; i++)
				sp_policy_check(p, t, d,
						(uint16_t)(AB_CUSTOM_BASE + i),
						0, UINT64_MAX);
			sp_policy_has(p, t, d, AB_PATHSPACE);
			sp_policy_check_connect(p, t, d, 1);
		}
		n = sp_policy_rules(p, t, rv, MAXV);
		for (k = 0; k < n && k < MAXV; k++) {
			char stored[SPB_MAX_PATH + 1];
			uint32_t flags;
			const char *why;

			/* the written form parses back to the rule */
			CHECK(sp_path_rule_parse(rv[k].path, stored,
						 sizeof(stored), &flags,
						 &why) == 0);
			CHECK(flags == (rv[k].flags & (SPB_R_PREFIX |
						       SPB_R_PATTERN |
						       SPB_R_ABSTRACT)));
			sp_policy_check_attach(p, t, rv[k].path, SPB_NO_TYPE,
					       &ct);
			sp_policy_check_attach(p, t, stored, 0, &ct);
			sp_policy_check_link(p, t, rv[k].path);
		}
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
			sp_policy_check_attach(p, t, paths[k], 1, &ct);
			sp_policy_check_link(p, t, paths[k]);
		}
		sp_policy_derive(p, t, "run", &u);
	}
	for (i = 0; i < sp_policy_custom_count(p) && i < MAXV; i++) {
		const char *name = sp_policy_ability_name(p, AB_CUSTOM_BASE + i);

		CHECK(name && sp_policy_ability_lookup(p, name, &ab) == 0 &&
		      ab == AB_CUSTOM_BASE + i);
		sp_policy_custom_ranged(p, (uint16_t)(AB_CUSTOM_BASE + i));
	}
	for (i = 0; i < sp_policy_named_range_count(p) && i < MAXV; i++)
		CHECK(sp_policy_named_range_name(p, i));
	sp_policy_dump(p, NULL, &sb);
	o.only_ability = AB_CUSTOM_BASE;
	sp_policy_dump(p, &o, &sb);
	o = (struct sp_dump_opts){ SP_DUMP_ATTACH | SP_DUMP_DERIVE, 1,
				   AB_NONE };
	sp_policy_dump(p, &o, &sb);
	sp_policy_dump_structure(p, &sb);
	sb_free(&sb);
}

static char *dump_of(const struct sp_policy *p)
{
	struct strbuf sb = STRBUF_INIT;
	char *s;

	sp_policy_dump(p, NULL, &sb);
	CHECK(!sb_error(&sb));
	s = sb_steal(&sb);
	return s ? s : strdup("");
}

/* Whatever loads can be rebuilt and says the same, and takes a type. */
static void derive(const struct sp_policy *p)
{
	struct sp_builder *b = NULL;
	struct sp_policy *q = NULL;
	uint32_t id = sp_policy_id(p), t = 0, n = sp_policy_type_count(p);
	void *buf = NULL;
	size_t len = 0;
	char err[256], *d1, *d2;
	int r;

	CHECK(sp_builder_from_policy(p, &b) == 0);
	r = sp_builder_serialize(b, sp_policy_mutable(p), &id, &buf, &len);
	sp_builder_free(b);
	/* a hostile file may share string tails: its rebuilt form can be
	 * larger, and only then fail, for its size */
	CHECK(r == 0 || r == -E2BIG);
	if (r == 0) {
		CHECK(sp_policy_load(buf, len, &q, err, sizeof(err)) == 0);
		free(buf);
		CHECK(sp_policy_id(q) == id);
		CHECK(sp_policy_custom_count(q) == sp_policy_custom_count(p));
		for (t = 0; t < sp_policy_custom_count(p); t++)
			CHECK(sp_policy_custom_ranged(
				      p, (uint16_t)(AB_CUSTOM_BASE + t)) ==
			      sp_policy_custom_ranged(
				      q, (uint16_t)(AB_CUSTOM_BASE + t)));
		d1 = dump_of(p);
		d2 = dump_of(q);
		CHECK(strcmp(d1, d2) == 0);
		free(d1);
		free(d2);
		sp_policy_free(q);
		q = NULL;
	}
	r = sp_policy_add_type(p, "fuzz_new_t", SPB_T_LEARNING, &q, &t);
	CHECK(r == 0 || r == -EEXIST || r == -E2BIG);
	if (r == 0) {
		CHECK(t == n && sp_policy_type_count(q) == n + 1);
		CHECK(sp_policy_type_learning(q, t));
		CHECK(sp_policy_rules(q, t, NULL, 0) == 0);
		sp_policy_free(q);
	}
}

static void try_load(const uint8_t *data, size_t size)
{
	struct sp_policy *p = NULL;
	char err[256];
	size_t len;

	if (sp_policy_load(data, size, &p, err, sizeof(err)) < 0) {
		CHECK(p == NULL && err[0] != '\0' && !strchr(err, '\n'));
		return;
	}
	CHECK(sp_policy_data(p, &len) != NULL && len == size);
	exercise(p);
	derive(p);
	sp_policy_free(p);
}

static void fix_crc(uint8_t *m, size_t size)
{
	uint32_t crc = 0;

	memcpy(m + offsetof(struct spb_header, checksum), &crc, 4);
	crc = (uint32_t)crc32(0L, m, (uInt)size);
	memcpy(m + offsetof(struct spb_header, checksum), &crc, 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t fsize = size;
	uint8_t *m;

	try_load(data, size);
	if (size < sizeof(struct spb_header))
		return 0;
	m = malloc(size);
	if (!m)
		return 0;
	memcpy(m, data, size);
	fix_crc(m, size);
	if (memcmp(m, data, size) != 0)
		try_load(m, size);
	if (memcmp(m + offsetof(struct spb_header, file_size), &fsize, 8)) {
		memcpy(m + offsetof(struct spb_header, file_size), &fsize, 8);
		fix_crc(m, size);
		try_load(m, size);
	}
	free(m);
	return 0;
}
