// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: path rule parsing, matching, and the attach/link decisions. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy/policy.h"

#define P SPB_R_PREFIX
#define PAT SPB_R_PATTERN
#define ABS SPB_R_ABSTRACT

static void test_parse_accept(void **state)
{
	static const struct {
		const char *written, *stored;
		uint32_t flags;
	} t[] = {
		{ "/", "/", 0 },
		{ "/a", "/a", 0 },
		{ "/a/b.c", "/a/b.c", 0 },
		{ "/a/.hidden", "/a/.hidden", 0 },
		{ "/a/..b", "/a/..b", 0 },
		{ "/caf\xc3\xa9", "/caf\xc3\xa9", 0 },
		{ "/...", "/", P },
		{ "/a/b/...", "/a/b", P },
		{ "/dev/fsF*", "/dev/fsF*", PAT },
		{ "/dev/tty?", "/dev/tty?", PAT },
		{ "/dev/sd[a-c]", "/dev/sd[a-c]", PAT },
		{ "/*/x", "/*/x", PAT },
		{ "@foo", "@foo", ABS },
		{ "@foo*", "@foo*", ABS | PAT },
		{ "@a/./b//c", "@a/./b//c", ABS }, /* names, not paths */
		{ "@...", "@...", ABS },
	};
	char stored[SPB_MAX_PATH + 1];
	const char *why;
	uint32_t flags;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why = "unset";
		flags = 0xff;
		memset(stored, 'x', sizeof(stored));
		if (sp_path_rule_parse(t[i].written, stored, sizeof(stored),
				       &flags, &why) != 0)
			fail_msg("%s refused: %s", t[i].written, why);
		assert_string_equal(stored, t[i].stored);
		assert_int_equal(flags, t[i].flags);
		assert_null(why);
	}
}

static void test_parse_reject(void **state)
{
	static const char *const bad[] = {
		"",	     "a/b",	  "./a",	"~/a",
		"/a/./b",    "/a/../b",	  "/.",		"/..",
		"/a/.",	     "/a/..",	  "/a//b",	"//",
		"/a/",	     "/a/b/.../c", "/a/...b",	"/a/b...",
		"/.../a",    "/a/*/...",  "/dev/fs*/...", "/a/b?/...",
		"@",	     "@x/...",	  "/a b",	"/a\tb",
		"/a\x7f",    "@a\nb",	  "@a b",	"/a/..../b",
		"/dev/\x1b[31m",
	};
	char stored[SPB_MAX_PATH + 1];
	const char *why;
	uint32_t flags = 0xab;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (sp_path_rule_parse(bad[i], stored, sizeof(stored), &flags,
				       &why) != -EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		if (!why || !why[0])
			fail_msg("\"%s\": no reason given", bad[i]);
	}
	assert_int_equal(flags, 0xab); /* untouched on error */
	assert_int_equal(sp_path_rule_parse(NULL, stored, sizeof(stored),
					    &flags, &why), -EINVAL);
	assert_non_null(why);
}

static void test_parse_lengths(void **state)
{
	char *w = malloc(SPB_MAX_PATH + 2);
	char stored[SPB_MAX_PATH + 1];
	const char *why = NULL;
	uint32_t flags;

	(void)state;
	memset(w, 'a', SPB_MAX_PATH + 1);
	w[0] = '/';
	w[SPB_MAX_PATH] = '\0';
	assert_int_equal(sp_path_rule_parse(w, stored, sizeof(stored), &flags,
					    &why), 0);
	assert_int_equal(strlen(stored), SPB_MAX_PATH);
	w[SPB_MAX_PATH] = 'a';
	w[SPB_MAX_PATH + 1] = '\0';
	assert_int_equal(sp_path_rule_parse(w, stored, sizeof(stored), &flags,
					    &why), -EINVAL);
	assert_non_null(why);
	/* the output buffer must hold the stored form */
	why = NULL;
	assert_int_equal(sp_path_rule_parse("/abc", stored, 4, &flags, &why),
			 -EINVAL);
	assert_non_null(why);
	assert_int_equal(sp_path_rule_parse("/abc/...", stored, 5, &flags,
					    &why), 0);
	assert_string_equal(stored, "/abc");
	free(w);
}

static void test_written(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(sp_path_rule_written("/", P, buf, sizeof(buf)),
			    "/...");
	assert_string_equal(sp_path_rule_written("/a/b", P, buf, sizeof(buf)),
			    "/a/b/...");
	assert_string_equal(sp_path_rule_written("/a/b", 0, buf, sizeof(buf)),
			    "/a/b");
	assert_string_equal(sp_path_rule_written("@x*", ABS | PAT, buf,
						 sizeof(buf)), "@x*");
	assert_string_equal(sp_path_rule_written("/a/b", P, buf, 5), "/a/b");
}

static void test_rule_dir(void **state)
{
	static const struct {
		const char *written;
		uint32_t flags;
		const char *dir; /* NULL: -ENOENT */
	} t[] = {
		{ "/...", P, "/" },
		{ "/a/b/...", P, "/a/b" },
		{ "/a/b", 0, "/a" },
		{ "/a", 0, "/" },
		{ "/a/b*", PAT, "/a" },
		{ "/a/b*/c", PAT, "/a" },
		{ "/a/x/b?c/d", PAT, "/a/x" },
		{ "/[ab]/c", PAT, "/" },
		{ "/dev/ser*", PAT, "/dev" },
		{ "@x", ABS, NULL },
		{ "@x*", ABS | PAT, NULL },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = sp_path_rule_dir(t[i].written, t[i].flags, buf,
					 sizeof(buf));

		if (!t[i].dir) {
			assert_int_equal(r, -ENOENT);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(buf, t[i].dir);
	}
	assert_int_equal(sp_path_rule_dir("/a/b/c", 0, buf, 4), -ENAMETOOLONG);
	assert_int_equal(sp_path_rule_dir("/a/b/c", 0, buf, 5), 0);
}

static void test_match(void **state)
{
	static const struct {
		const char *stored;
		uint32_t flags;
		const char *path;
		bool match;
	} t[] = {
		{ "/a/b", 0, "/a/b", true },
		{ "/a/b", 0, "/a/b/c", false },
		{ "/a/b", 0, "/a", false },
		{ "/a/b", 0, "/a/bc", false },
		{ "/", 0, "/", true },
		{ "/", 0, "/a", false },
		{ "/a/b", P, "/a/b", true },
		{ "/a/b", P, "/a/b/c", true },
		{ "/a/b", P, "/a/b/c/d/e", true },
		{ "/a/b", P, "/a/bc", false }, /* a sibling, not a child */
		{ "/a/b", P, "/a/bc/d", false },
		{ "/a/b", P, "/a", false },
		{ "/a/b", P, "a/b/c", false },
		{ "/", P, "/", true },
		{ "/", P, "/anything/at/all", true },
		{ "/", P, "@abstract", false },
		{ "/", P, "relative", false },
		{ "/dev/fsF*", PAT, "/dev/fsF", true },
		{ "/dev/fsF*", PAT, "/dev/fsF0", true },
		{ "/dev/fsF*", PAT, "/dev/fsF/x", false }, /* FNM_PATHNAME */
		{ "/dev/tty?", PAT, "/dev/tty1", true },
		{ "/dev/tty?", PAT, "/dev/tty10", false },
		{ "/dev/sd[a-c]", PAT, "/dev/sdb", true },
		{ "/dev/sd[a-c]", PAT, "/dev/sdd", false },
		{ "/*/x", PAT, "/a/x", true },
		{ "/*/x", PAT, "/a/b/x", false },
		{ "/*", PAT, "@x", false },
		{ "@foo", ABS, "@foo", true },
		{ "@foo", ABS, "@foobar", false },
		{ "@foo", ABS, "/foo", false },
		{ "@foo*", ABS | PAT, "@foobar", true },
		{ "@foo*", ABS | PAT, "/foobar", false },
		{ "/foo", 0, "@/foo", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (sp_path_rule_match(t[i].stored, t[i].flags, t[i].path) !=
		    t[i].match)
			fail_msg("rule %s (0x%x) vs %s: expected %s",
				 t[i].stored, t[i].flags, t[i].path,
				 t[i].match ? "a match" : "no match");
	assert_false(sp_path_rule_match("/a", 0, NULL));
}

static void test_result_str(void **state)
{
	(void)state;
	assert_string_equal(sp_path_result_str(SP_PATH_OK), "ok");
	assert_string_equal(sp_path_result_str(SP_PATH_NO_RULE), "no rule");
	assert_string_equal(sp_path_result_str(SP_PATH_CONFLICT), "conflict");
	assert_string_equal(sp_path_result_str(SP_PATH_BAD_OP), "bad op");
}

enum { SRV = 1, OTHER = 2, THIRD = 3, CONF = 4 };

static struct sp_policy *rules_policy(void)
{
	struct sp_builder *b = sp_builder_new();
	struct sp_policy *p = NULL;
	char err[256];
	void *buf;
	size_t len;

	assert_int_equal(sp_builder_add_type(b, "srv"), SRV);
	assert_int_equal(sp_builder_add_type(b, "other"), OTHER);
	assert_int_equal(sp_builder_add_type(b, "third"), THIRD);
	assert_int_equal(sp_builder_add_type(b, "conf"), CONF);
#define ATT(t, path, nt)                                                       \
	assert_int_equal(sp_builder_add_rule(b, t, path, SPB_R_ATTACH, nt), 0)
#define LNK(t, path)                                                           \
	assert_int_equal(                                                      \
		sp_builder_add_rule(b, t, path, SPB_R_LINK, SPB_NO_TYPE), 0)
	ATT(SRV, "/run/...", THIRD);
	ATT(SRV, "/run/srv/...", SPB_NO_TYPE);
	ATT(SRV, "/run/srv/*.sock", SPB_NO_TYPE);
	ATT(SRV, "/run/srv/sock", OTHER);
	ATT(SRV, "@srv*", SPB_NO_TYPE);
	ATT(SRV, "@srv.x", OTHER);
	LNK(SRV, "/tmp/...");
	LNK(SRV, "/var/lnk");

	/* equal specificity, different channel types */
	ATT(CONF, "/c/a*", OTHER);
	ATT(CONF, "/c/*b", SPB_NO_TYPE);
	ATT(CONF, "/c/x", OTHER);
	ATT(CONF, "/c/x", THIRD);
	ATT(CONF, "/c/same", OTHER);
	ATT(CONF, "/c/same", OTHER);
	/* an explicit relabel to the caller's own type agrees with none */
	ATT(CONF, "/c/own", CONF);
	ATT(CONF, "/c/own", SPB_NO_TYPE);
	ATT(CONF, "/d/...", OTHER);
	ATT(CONF, "/d/...", THIRD);
	ATT(CONF, "/d/x", SPB_NO_TYPE);
	LNK(CONF, "/c/*b");
#undef ATT
#undef LNK
	assert_int_equal(sp_builder_serialize(b, false, NULL, &buf, &len), 0);
	assert_int_equal(sp_policy_load(buf, len, &p, err, sizeof(err)), 0);
	free(buf);
	sp_builder_free(b);
	return p;
}

static void test_check_attach(void **state)
{
	struct sp_policy *p = rules_policy();
	static const struct {
		uint32_t type;
		const char *path;
		uint32_t cur;
		enum sp_path_result res;
		uint32_t ct;
	} t[] = {
		/* exact beats pattern beats prefix */
		{ SRV, "/run/srv/sock", SPB_NO_TYPE, SP_PATH_OK, OTHER },
		{ SRV, "/run/srv/a.sock", SPB_NO_TYPE, SP_PATH_OK, SRV },
		/* the longer prefix wins */
		{ SRV, "/run/srv/deep/x", SPB_NO_TYPE, SP_PATH_OK, SRV },
		{ SRV, "/run/srv", SPB_NO_TYPE, SP_PATH_OK, SRV },
		{ SRV, "/run/other", SPB_NO_TYPE, SP_PATH_OK, THIRD },
		{ SRV, "/run", SPB_NO_TYPE, SP_PATH_OK, THIRD },
		{ SRV, "/runx", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		{ SRV, "@srv1", SPB_NO_TYPE, SP_PATH_OK, SRV },
		{ SRV, "@srv.x", SPB_NO_TYPE, SP_PATH_OK, OTHER },
		{ SRV, "@other", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		/* the channel already has a type */
		{ SRV, "/run/srv/sock", OTHER, SP_PATH_OK, OTHER },
		{ SRV, "/run/srv/sock", SRV, SP_PATH_CONFLICT, 0 },
		{ SRV, "/run/srv/a.sock", SRV, SP_PATH_OK, SRV },
		{ SRV, "/run/srv/a.sock", THIRD, SP_PATH_CONFLICT, 0 },
		/* only a link rule covers it */
		{ SRV, "/tmp/x", SPB_NO_TYPE, SP_PATH_BAD_OP, 0 },
		{ SRV, "/var/lnk", SPB_NO_TYPE, SP_PATH_BAD_OP, 0 },
		{ SRV, "/etc/passwd", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		{ SRV, "run/srv/sock", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		{ SRV, "", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		/* rules belong to their type */
		{ OTHER, "/run/srv/sock", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		{ 0, "/run/srv/sock", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		{ 99, "/run/srv/sock", SPB_NO_TYPE, SP_PATH_NO_RULE, 0 },
		/* equally specific rules that disagree */
		{ CONF, "/c/ab", SPB_NO_TYPE, SP_PATH_CONFLICT, 0 },
		{ CONF, "/c/ax", SPB_NO_TYPE, SP_PATH_OK, OTHER },
		{ CONF, "/c/zb", SPB_NO_TYPE, SP_PATH_OK, CONF },
		{ CONF, "/c/x", SPB_NO_TYPE, SP_PATH_CONFLICT, 0 },
		{ CONF, "/c/same", SPB_NO_TYPE, SP_PATH_OK, OTHER },
		{ CONF, "/c/own", SPB_NO_TYPE, SP_PATH_OK, CONF },
		{ CONF, "/d/y", SPB_NO_TYPE, SP_PATH_CONFLICT, 0 },
		/* ... unless a more specific one decides */
		{ CONF, "/d/x", SPB_NO_TYPE, SP_PATH_OK, CONF },
	};
	uint32_t ct;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum sp_path_result r;

		ct = 12345;
		r = sp_policy_check_attach(p, t[i].type, t[i].path, t[i].cur,
					   &ct);
		if (r != t[i].res)
			fail_msg("case %zu: type %u attach %s: %s, expected %s",
				 i, t[i].type, t[i].path, sp_path_result_str(r),
				 sp_path_result_str(t[i].res));
		if (r == SP_PATH_OK && ct != t[i].ct)
			fail_msg("case %zu: type %u attach %s: channel type %u, "
				 "expected %u",
				 i, t[i].type, t[i].path, ct, t[i].ct);
	}
	assert_int_equal(sp_policy_check_attach(p, SRV, NULL, SPB_NO_TYPE, &ct),
			 SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_attach(p, SRV, "/run/x", SPB_NO_TYPE,
						NULL), SP_PATH_OK);
	sp_policy_free(p);
}

static void test_check_link(void **state)
{
	struct sp_policy *p = rules_policy();

	(void)state;
	assert_int_equal(sp_policy_check_link(p, SRV, "/tmp/x"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(p, SRV, "/tmp"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(p, SRV, "/tmp/a/b/c"),
			 SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(p, SRV, "/var/lnk"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(p, SRV, "/tmpx"),
			 SP_PATH_NO_RULE);
	/* only attach rules cover these */
	assert_int_equal(sp_policy_check_link(p, SRV, "/run/srv/sock"),
			 SP_PATH_BAD_OP);
	assert_int_equal(sp_policy_check_link(p, SRV, "@srv1"),
			 SP_PATH_BAD_OP);
	assert_int_equal(sp_policy_check_link(p, SRV, "/etc/x"),
			 SP_PATH_NO_RULE);
	/* a link rule beside conflicting attach rules */
	assert_int_equal(sp_policy_check_link(p, CONF, "/c/ab"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(p, CONF, "/c/ax"),
			 SP_PATH_BAD_OP);
	assert_int_equal(sp_policy_check_link(p, OTHER, "/tmp/x"),
			 SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_link(p, 99, "/tmp/x"),
			 SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_link(p, SRV, NULL), SP_PATH_NO_RULE);
	sp_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accept),
		cmocka_unit_test(test_parse_reject),
		cmocka_unit_test(test_parse_lengths),
		cmocka_unit_test(test_written),
		cmocka_unit_test(test_rule_dir),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_result_str),
		cmocka_unit_test(test_check_attach),
		cmocka_unit_test(test_check_link),
	};

	return cmocka_run_group_tests_name("pathmatch", tests, NULL, NULL);
}
