// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the compiler front end as a whole (compile_policy).  Every
 * diagnostic it can produce is checked with its exact text, severity and
 * file:line:col; the semantics are checked by loading the binary policy it
 * produces and querying it, not by looking at compiler internals.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/capability.h>

#include "common/strbuf.h"
#include "lang/compile.h"
#include "policy/ability.h"
#include "policy/policy.h"

/* ---------------------------------------------------------------------
 * Harness
 */

struct res {
	int r;
	unsigned errors, warnings;
	char *lines;   /* "file:line:col: sev: msg\n" per diagnostic */
	char *printed; /* diags_print() output, excerpts and all */
	void *bin;
	size_t len;
	struct sp_policy *p; /* loaded when compiled */
};

static const char *const sev_word[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

/* Compiles n sources named t.sp, u.sp, v.sp ... */
static struct res *compile_opts(const char *const *texts, size_t n,
				const struct compile_opts *o)
{
	static const char *const names[] = {"t.sp", "u.sp", "v.sp", "w.sp"};
	struct compile_opts none = {0};
	struct source srcs[4];
	struct strbuf sb = STRBUF_INIT;
	struct res *res = calloc(1, sizeof(*res));
	struct diags d;
	size_t i, plen = 0;
	FILE *f;
	char err[256] = "";

	assert_non_null(res);
	assert_true(n >= 1 && n <= 4);
	for (i = 0; i < n; i++)
		srcs[i] = (struct source){names[i], texts[i], strlen(texts[i])};
	diags_init(&d, srcs, n);
	res->r = compile_policy(srcs, n, o ? o : &none, &d, &res->bin,
				&res->len);
	res->errors = d.errors;
	res->warnings = d.warnings;
	for (i = 0; i < d.n; i++) {
		const struct diag *g = &d.v[i];

		if (g->has_loc)
			sb_printf(&sb, "%s:%u:%u: %s: %s\n",
				  srcs[g->loc.file].name, g->loc.line,
				  g->loc.col, sev_word[g->sev], g->msg);
		else
			sb_printf(&sb, "%s: %s\n", sev_word[g->sev], g->msg);
	}
	assert_int_equal(sb_error(&sb), 0);
	res->lines = strdup(sb_str(&sb));
	sb_free(&sb);
	f = open_memstream(&res->printed, &plen);
	assert_non_null(f);
	diags_print(&d, f);
	assert_int_equal(fclose(f), 0);
	diags_free(&d);
	/* the contract: output exactly when there are no errors */
	if (res->r == 0) {
		assert_int_equal(res->errors, 0);
		assert_non_null(res->bin);
		if (sp_policy_load(res->bin, res->len, &res->p, err,
				   sizeof(err)) != 0)
			fail_msg("the compiled policy does not load: %s", err);
	} else {
		assert_null(res->bin);
		assert_int_equal(res->len, 0);
	}
	return res;
}

static struct res *compile1(const char *text)
{
	return compile_opts(&text, 1, NULL);
}

static void done(struct res *res)
{
	sp_policy_free(res->p);
	free(res->bin);
	free(res->lines);
	free(res->printed);
	free(res);
}

/* The compile failed with these diagnostics (one "file:line:col: sev: msg"
 * per line), exactly. */
static void expect_fail(const char *text, const char *lines)
{
	struct res *res = compile1(text);

	if (strcmp(res->lines, lines) != 0)
		print_message("for the policy:\n%s\n", text);
	assert_string_equal(res->lines, lines);
	assert_int_equal(res->r, -EINVAL);
	assert_true(res->errors >= 1);
	done(res);
}

/* The compile succeeded with exactly these diagnostics ("" for none);
 * returns the result for further checks. */
static struct res *expect_ok(const char *text, const char *lines)
{
	struct res *res = compile1(text);

	if (strcmp(res->lines, lines) != 0)
		print_message("for the policy:\n%s\n", text);
	assert_string_equal(res->lines, lines);
	assert_int_equal(res->r, 0);
	return res;
}

static uint32_t type_id(const struct sp_policy *p, const char *name)
{
	uint32_t t = SPB_NO_TYPE;

	if (sp_policy_type_lookup(p, name, &t) != 0)
		fail_msg("type %s not in the policy", name);
	return t;
}

/*
 * The grants of a type in a domain, in ability order, in policy spelling:
 * "sys_rawio pathspace channel_connect:1,3-4 setuid:=gpu".  Numeric ranges
 * print as lo or lo-hi, named ranges as =name.
 */
static char *grants(const struct sp_policy *p, const char *type,
		    enum sp_domain dom)
{
	struct sp_grant_view g[256];
	struct strbuf sb = STRBUF_INIT;
	size_t n, i, k;

	n = sp_policy_grants(p, type_id(p, type), dom, g, 256);
	assert_true(n <= 256);
	for (i = 0; i < n; i++) {
		const char *name =
			sp_policy_ability_policy_name(p, g[i].ability);

		assert_non_null(name);
		sb_printf(&sb, "%s%s", i ? " " : "", name);
		if (!g[i].ranged) {
			assert_int_equal(g[i].nranges + g[i].nnamed, 0);
			continue;
		}
		sb_putc(&sb, ':');
		for (k = 0; k < g[i].nranges; k++) {
			const struct sp_range *r = &g[i].ranges[k];

			sb_printf(&sb, "%s%llu", k ? "," : "",
				  (unsigned long long)r->lo);
			if (r->hi != r->lo)
				sb_printf(&sb, "-%llu",
					  (unsigned long long)r->hi);
		}
		for (k = 0; k < g[i].nnamed; k++)
			sb_printf(&sb, "%s=%s", k || g[i].nranges ? "," : "",
				  sp_policy_named_range_name(p, g[i].named[k]));
	}
	assert_int_equal(sb_error(&sb), 0);
	return sb_steal(&sb) ? : strdup("");
}

#define assert_grants(p, type, dom, want)                                      \
	do {                                                                   \
		char *got_ = grants((p), (type), (dom));                       \
		assert_string_equal(got_, (want));                             \
		free(got_);                                                    \
	} while (0)

/* Both domains get the same grants. */
#define assert_grants_both(p, type, want)                                      \
	do {                                                                   \
		assert_grants(p, type, SP_ROOT, want);                         \
		assert_grants(p, type, SP_NONROOT, want);                      \
	} while (0)

/* The rules of a type: "attach /x; link /y; attach /z -> b". */
static char *rules(const struct sp_policy *p, const char *type)
{
	struct sp_rule_view v[64];
	struct strbuf sb = STRBUF_INIT;
	size_t n, i;

	n = sp_policy_rules(p, type_id(p, type), v, 64);
	assert_true(n <= 64);
	for (i = 0; i < n; i++) {
		sb_printf(&sb, "%s%s %s", i ? "; " : "",
			  v[i].flags & SPB_R_ATTACH ? "attach" : "link",
			  v[i].path);
		if (v[i].new_type != SPB_NO_TYPE)
			sb_printf(&sb, " -> %s",
				  sp_policy_type_name(p, v[i].new_type));
	}
	return sb_steal(&sb) ? : strdup("");
}

#define assert_rules(p, type, want)                                            \
	do {                                                                   \
		char *got_ = rules((p), (type));                               \
		assert_string_equal(got_, (want));                             \
		free(got_);                                                    \
	} while (0)

/* ---------------------------------------------------------------------
 * Unknown names, "did you mean"
 */

static void test_unknown_ability_misspelt(void **state)
{
	struct res *res = compile1("type a_t;\nallow a_t self:ability pathspce;\n");

	(void)state;
	assert_int_equal(res->r, -EINVAL);
	assert_int_equal(res->errors, 1);
	assert_int_equal(res->warnings, 0);
	/* the whole diagnostic as printed: location, caret, suggestion */
	assert_string_equal(
		res->printed,
		"t.sp:2:24: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n"
		"    2 | allow a_t self:ability pathspce;\n"
		"      |                        ^~~~~~~~\n");
	done(res);
}

static void test_unknown_ability_suggestions(void **state)
{
	(void)state;
	/* a typo and a case difference together */
	expect_fail("type a;\nallow a self:ability PATHSPCE;",
		    "t.sp:2:22: error: unknown ability 'PATHSPCE'; did you mean 'pathspace'?\n");
	/* QNX aliases and QNX-only names are candidates too */
	expect_fail("type a;\nallow a self:ability xprocess_debg;",
		    "t.sp:2:22: error: unknown ability 'xprocess_debg'; did you mean 'xprocess_debug'?\n");
	expect_fail("type a;\nallow a self:ability clokset;",
		    "t.sp:2:22: error: unknown ability 'clokset'; did you mean 'clockset'?\n");
	expect_fail("type a;\nallow a self:ability rsrcdbmg;",
		    "t.sp:2:22: error: unknown ability 'rsrcdbmg'; did you mean 'rsrcdbmgr'?\n");
	/* Linux capability names with a typo */
	expect_fail("type a;\nallow a self:ability net_bind_servce;",
		    "t.sp:2:22: error: unknown ability 'net_bind_servce'; did you mean 'net_bind_service'?\n");
	/* declared custom abilities */
	expect_fail("ability iofunc/dup;\ntype a;\nallow a self:ability iofunc/dpu;",
		    "t.sp:3:22: error: unknown ability 'iofunc/dpu'; did you mean 'iofunc/dup'?\n");
	/* in every item form: -name and gain_priv:name */
	expect_fail("type a;\nallow a self:ability { -pathspce gain_priv:pathspce };",
		    "t.sp:2:25: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n"
		    "t.sp:2:44: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n");
}

static void test_unknown_ability_no_suggestion(void **state)
{
	(void)state;
	expect_fail("type a;\nallow a self:ability frobnicate;",
		    "t.sp:2:22: error: unknown ability 'frobnicate' (abilities are Linux capabilities without 'cap_', such as net_bind_service, or pathspace, public_channel, channel_connect, settypeid)\n");
	/* with a '/': a custom ability that was not declared */
	expect_fail("type a;\nallow a self:ability vendor/thing;",
		    "t.sp:2:22: error: unknown ability 'vendor/thing' (declare custom abilities with 'ability vendor/thing;')\n");
	/* the Linux names are written without cap_ */
	expect_fail("type a;\nallow a self:ability cap_sys_admin;",
		    "t.sp:2:22: error: unknown ability 'cap_sys_admin' (abilities are Linux capabilities without 'cap_', such as net_bind_service, or pathspace, public_channel, channel_connect, settypeid)\n");
}

static void test_ability_names_any_case(void **state)
{
	struct res *res;

	(void)state;
	/* QNX writes ability names in either case (the man page: IO) */
	res = expect_ok("type a;\nallow a self:ability { PathSpace IO Sys_Admin };", "");
	assert_grants(res->p, "a", SP_ROOT,
		      "sys_rawio sys_admin pathspace public_channel");
	done(res);
	/* and declared custom abilities too */
	res = expect_ok("ability Vendor/Thing;\ntype a;\nallow a self:ability vendor/THING;", "");
	assert_grants(res->p, "a", SP_ROOT, "public_channel Vendor/Thing");
	done(res);
}

static void test_unknown_type(void **state)
{
	(void)state;
	/* with a suggestion: a typo, or a case-only difference */
	expect_fail("type fs_t;\nallow fs_tt self:ability io;",
		    "t.sp:2:7: error: unknown type 'fs_tt'; did you mean 'fs_t'?\n");
	expect_fail("type fs_t;\nallow FS_T self:ability io;",
		    "t.sp:2:7: error: unknown type 'FS_T'; did you mean 'fs_t'?\n");
	/* attributes are suggested too */
	expect_fail("attribute servers;\nallow server self:ability io;",
		    "t.sp:2:7: error: unknown type 'server'; did you mean 'servers'?\n");
	/* without one */
	expect_fail("type fs_t;\nallow zzz self:ability io;",
		    "t.sp:2:7: error: unknown type 'zzz' (declare it with 'type zzz;')\n");
	/* every place a type is used */
	expect_fail("type fs_t;\n"
		    "allow fs_t fs_tx:channel connect;\n"
		    "allow_attach fs_t /x fs_tx;\n"
		    "allow_link fx_t /y;\n"
		    "derive_type fs_tx run fs_t;\n"
		    "derive_type fs_t run fs_tx;\n"
		    "allow fs_t self:ability { settypeid:fs_tx channel_connect:fs_tx };\n",
		    "t.sp:2:12: error: unknown type 'fs_tx'; did you mean 'fs_t'?\n"
		    "t.sp:3:22: error: unknown channel type 'fs_tx'; did you mean 'fs_t'?\n"
		    "t.sp:4:12: error: unknown type 'fx_t'; did you mean 'fs_t'?\n"
		    "t.sp:5:13: error: unknown type 'fs_tx'; did you mean 'fs_t'?\n"
		    "t.sp:6:22: error: unknown type 'fs_tx'; did you mean 'fs_t'?\n"
		    "t.sp:7:37: error: unknown type 'fs_tx'; did you mean 'fs_t'?\n"
		    "t.sp:7:59: error: unknown type 'fs_tx'; did you mean 'fs_t'?\n");
	/* type 0 is known as default whether declared or not */
	expect_fail("allow defualt self:ability io;",
		    "t.sp:1:7: error: unknown type 'defualt'; did you mean 'default'?\n");
}

static void test_unknown_attribute(void **state)
{
	(void)state;
	expect_fail("attribute priv_port;\ntype a, priv_prot;",
		    "t.sp:2:9: error: unknown attribute 'priv_prot'; did you mean 'priv_port'?\n");
	expect_fail("type a;\ntype b, a;",
		    "t.sp:2:9: error: 'a' is a type, not an attribute\n");
}

/* BUG: resolve.c unknown_type() tells the user to declare an unknown
 * attribute with 'type NAME;', which would make it a type. */
static void test_unknown_attribute_hint(void **state)
{
	(void)state;
	expect_fail("type a, nope;",
		    "t.sp:1:9: error: unknown attribute 'nope' (declare it with 'attribute nope;')\n");
}

static void test_unknown_range(void **state)
{
	(void)state;
	expect_fail("range gpu_mem;\ntype a;\nallow a self:ability setuid:gpu_mme;",
		    "t.sp:3:29: error: unknown range 'gpu_mme'; did you mean 'gpu_mem'?\n");
	expect_fail("type a;\nallow a self:ability setuid:zzzq;",
		    "t.sp:2:29: error: unknown range 'zzzq' (declare it with 'range zzzq;')\n");
	/* a type name where numbers are wanted */
	expect_fail("type a;\nallow a self:ability setuid:a;",
		    "t.sp:2:29: error: setuid takes numbers or named ranges; 'a' is a type\n");
	/* the names of type-valued abilities are types, never ranges */
	expect_fail("range r;\ntype a;\nallow a self:ability channel_connect:r;",
		    "t.sp:3:38: error: unknown type 'r'; did you mean 'a'?\n");
}

/* BUG (typo): resolve.c resolve_value() prints "is a an attribute". */
static void test_attribute_as_number_message(void **state)
{
	(void)state;
	expect_fail("attribute at;\ntype a, at;\nallow a self:ability setuid:at;",
		    "t.sp:3:29: error: setuid takes numbers or named ranges; 'at' is an attribute\n");
}

/* ---------------------------------------------------------------------
 * Declarations
 */

static void test_duplicate_declarations(void **state)
{
	(void)state;
	expect_fail("type a;\ntype a;",
		    "t.sp:2:6: error: type 'a' is already declared as a type\n"
		    "t.sp:1:6: note: 'a' was first declared here\n");
	expect_fail("attribute x;\ntype x;",
		    "t.sp:2:6: error: type 'x' is already declared as an attribute\n"
		    "t.sp:1:11: note: 'x' was first declared here\n");
	expect_fail("type x;\nattribute x;",
		    "t.sp:2:11: error: attribute 'x' is already declared as a type\n"
		    "t.sp:1:6: note: 'x' was first declared here\n");
	expect_fail("attribute x;\n  attribute x;",
		    "t.sp:2:13: error: attribute 'x' is already declared as an attribute\n"
		    "t.sp:1:11: note: 'x' was first declared here\n");
	expect_fail("type default;\ntype default;",
		    "t.sp:2:6: error: type 'default' is already declared as a type\n"
		    "t.sp:1:6: note: 'default' was first declared here\n");
	/* custom abilities compare without case, as ability names do */
	expect_fail("ability v/a;\nability V/A;",
		    "t.sp:2:9: error: ability 'V/A' is declared twice\n"
		    "t.sp:1:9: note: first declared here\n");
	expect_fail("range r;\nrange r;",
		    "t.sp:2:7: error: range 'r' is declared twice\n"
		    "t.sp:1:7: note: first declared here\n");
	/* type names are case-sensitive: these are two types */
	done(expect_ok("type a;\ntype A;", ""));
}

static void test_duplicate_across_files(void **state)
{
	const char *texts[] = {"type a;\n", "\n  type a;\n"};
	struct res *res = compile_opts(texts, 2, NULL);

	(void)state;
	assert_string_equal(res->lines,
			    "u.sp:2:8: error: type 'a' is already declared as a type\n"
			    "t.sp:1:6: note: 'a' was first declared here\n");
	done(res);
}

static void test_bad_names(void **state)
{
	(void)state;
	expect_fail("type fs-user_t;",
		    "t.sp:1:8: error: type name 'fs-user_t' contains '-'; names are letters, digits and '_' (write 'fs_user_t'?)\n");
	expect_fail("type 9lives;",
		    "t.sp:1:6: error: type name '9lives' starts with a digit\n");
	expect_fail("attribute a-b;",
		    "t.sp:1:12: error: attribute name 'a-b' contains '-'; names are letters, digits and '_' (write 'a_b'?)\n");
	expect_fail("attribute 0a;",
		    "t.sp:1:11: error: attribute name '0a' starts with a digit\n");
	expect_fail("range 1r;",
		    "t.sp:1:7: error: range name '1r' starts with a digit\n");
	expect_fail("range gpu-mem;",
		    "t.sp:1:10: error: range name 'gpu-mem' contains '-'; names are letters, digits and '_' (write 'gpu_mem'?)\n");
	expect_fail("type a;\nderive_type a ru-n a;",
		    "t.sp:2:17: error: derivation name 'ru-n' contains '-'; names are letters, digits and '_' (write 'ru_n'?)\n");
	expect_fail("type a.b;",
		    "t.sp:1:7: error: type name 'a.b' contains '.'; names are letters, digits and '_'\n");
	/* custom abilities: vendor/name */
	expect_fail("ability dup;",
		    "t.sp:1:9: error: custom ability 'dup' must be written vendor/name (letters, digits, '_', '.', '-', at most 127 bytes; static abilities need no declaration)\n");
	expect_fail("ability /dup;",
		    "t.sp:1:9: error: custom ability '/dup' must be written vendor/name (letters, digits, '_', '.', '-', at most 127 bytes; static abilities need no declaration)\n");
	expect_fail("ability a/b$;",
		    "t.sp:1:9: error: custom ability 'a/b$' must be written vendor/name (letters, digits, '_', '.', '-', at most 127 bytes; static abilities need no declaration)\n");
	/* names with '-' may be written where they are used: just unknown */
	expect_fail("type fs_user_t;\nallow fs-user_t self:ability io;",
		    "t.sp:2:7: error: unknown type 'fs-user_t'; did you mean 'fs_user_t'?\n");
}

/* BUG: parser.c accepts 'self' (in any case) as a type or attribute name,
 * but the name can never be used: 'allow b Self:channel connect' and
 * 'settypeid:self' silently mean the subject itself, not the type. */
static void test_type_named_self(void **state)
{
	struct res *res = compile1("type Self;\ntype b;\nallow b Self:channel connect;\n");

	(void)state;
	assert_int_equal(res->r, -EINVAL);
	assert_true(strncmp(res->lines, "t.sp:1:6: error: ", 17) == 0);
	assert_non_null(strstr(res->lines, "'Self'"));
	done(res);
}

/* BUG: names longer than SPB_MAX_NAME (255 bytes) pass the front end and
 * fail in codegen.c with "error: cannot encode a type: Invalid argument":
 * no location, no name, and only the first such name is reported. */
static void test_name_too_long(void **state)
{
	char text[700];
	struct res *res;

	(void)state;
	/* 255 bytes is the limit, and fine */
	snprintf(text, sizeof(text), "type %0255d;", 0);
	text[5] = 'a';
	res = expect_ok(text, "");
	done(res);
	/* 256: an error at the name */
	snprintf(text, sizeof(text), "type a_t;\ntype %0256d;\nattribute %0300d;", 0, 0);
	text[15] = 'a';
	text[15 + 256 + 12] = 'b';
	res = compile1(text);
	assert_int_equal(res->r, -EINVAL);
	assert_int_equal(res->errors, 2);
	assert_true(strncmp(res->lines, "t.sp:2:6: error: ", 17) == 0);
	assert_non_null(strstr(res->lines, "\nt.sp:3:11: error: "));
	done(res);
}

/* ---------------------------------------------------------------------
 * QNX items and abilities
 */

static void test_qnx_only_abilities(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type a;\nallow a self:ability { RSRCDBMGR mem_phys:0- interrupt:18 -able_create gain_priv:spawn };",
			"t.sp:2:24: warning: 'RSRCDBMGR' is a QNX ability with no meaning on Linux; ignored\n"
			"t.sp:2:34: warning: 'mem_phys' is a QNX ability with no meaning on Linux; ignored\n"
			"t.sp:2:46: warning: 'interrupt' is a QNX ability with no meaning on Linux; ignored\n"
			"t.sp:2:60: warning: 'able_create' is a QNX ability with no meaning on Linux; ignored\n"
			"t.sp:2:82: warning: 'spawn' is a QNX ability with no meaning on Linux; ignored\n");
	assert_int_equal(res->warnings, 5);
	/* no effect at all */
	assert_grants_both(res->p, "a", "public_channel");
	assert_int_equal(sp_policy_custom_count(res->p), 0);
	done(res);
}

static void test_noinherit_is_an_error(void **state)
{
	(void)state;
	expect_fail("type a;\nallow a self:ability { noinherit io };",
		    "t.sp:2:24: error: 'noinherit' has no Linux meaning: children inherit their parent's type and with it every ability; start the child under another type (settypeid, derive_type) instead\n");
}

static void test_unlock_is_a_warning(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type a;\nallow a self:ability { unlock io };",
			"t.sp:2:24: warning: 'unlock' has no effect on Linux: a typed process may always drop capabilities and can never regain them\n");
	/* the rest of the block still counts */
	assert_grants(res->p, "a", SP_ROOT, "sys_rawio public_channel");
	done(res);
}

/* ---------------------------------------------------------------------
 * Subranges and values
 */

static void test_subrange_on_unranged_ability(void **state)
{
	(void)state;
	expect_fail("type a;\nallow a self:ability chown:1;",
		    "t.sp:2:22: error: ability 'chown' takes no subrange (subranges apply to setuid, setgid, net_bind_service, channel_connect, settypeid and custom abilities)\n");
	/* the name is quoted as written: a QNX alias */
	expect_fail("type a;\nallow a self:ability IO:1;",
		    "t.sp:2:22: error: ability 'IO' takes no subrange (subranges apply to setuid, setgid, net_bind_service, channel_connect, settypeid and custom abilities)\n");
	expect_fail("type a;\nallow a self:ability pathspace:1-2;",
		    "t.sp:2:22: error: ability 'pathspace' takes no subrange (subranges apply to setuid, setgid, net_bind_service, channel_connect, settypeid and custom abilities)\n");
}

static void test_value_out_of_range(void **state)
{
	(void)state;
	expect_fail("type a;\nallow a self:ability net_bind_service:70000;",
		    "t.sp:2:39: error: value 70000 is out of range for net_bind_service (0..65535)\n");
	expect_fail("type a;\nallow a self:ability net_bind_service:80,1-0x11170;",
		    "t.sp:2:42: error: value 70000 is out of range for net_bind_service (0..65535)\n");
	/* (uid_t)-1 means "unchanged" to setuid(2): not a uid */
	expect_fail("type a;\nallow a self:ability setuid:4294967295;",
		    "t.sp:2:29: error: value 4294967295 is out of range for setuid (0..4294967294)\n");
	expect_fail("type a;\nallow a self:ability setgid:0x100000000-;",
		    "t.sp:2:29: error: value 4294967296 is out of range for setgid (0..4294967294)\n");
	/* type IDs past the last type */
	expect_fail("type a;\nallow a self:ability channel_connect:2;",
		    "t.sp:2:38: error: channel_connect takes type IDs 0..1 (or type names); 2 is not a type\n");
	expect_fail("type a;\ntype b;\nallow a self:ability settypeid:1-5;",
		    "t.sp:3:32: error: settypeid takes type IDs 0..2 (or type names); 5 is not a type\n");
}

static void test_value_syntax(void **state)
{
	(void)state;
	expect_fail("type a;\nallow a self:ability setuid:10-5;",
		    "t.sp:2:29: error: range '10-5' starts after it ends\n");
	expect_fail("type a;\nallow a self:ability setuid:12abc;",
		    "t.sp:2:29: error: '12abc' is not a number or a range (write 5, 0x1f, 017, 4-, or 10-20)\n");
	expect_fail("type a;\nallow a self:ability setuid:08;",
		    "t.sp:2:29: error: '08' is not a number or a range (write 5, 0x1f, 017, 4-, or 10-20)\n");
	expect_fail("type a;\nallow a self:ability setuid:99999999999999999999;",
		    "t.sp:2:29: error: number in '99999999999999999999' is too large\n");
	expect_fail("type a;\nallow a self:ability setuid:a-b;",
		    "t.sp:2:29: error: 'a-b' is neither a number, a range nor a name\n");
	expect_fail("type a;\nallow a self:ability setuid:1,;",
		    "t.sp:2:31: error: expected a value, found ';'\n");
}

/* ---------------------------------------------------------------------
 * Whole-policy checks
 */

static void test_settypeid_escalation(void **state)
{
	struct res *res;

	(void)state;
	res = compile1("type a;\ntype b;\n"
		       "allow b self:ability { io sys_admin };\n"
		       "allow a self:ability settypeid:b;\n");
	assert_int_equal(res->r, -EINVAL);
	assert_string_equal(
		res->printed,
		"t.sp:4:22: error: type 'a' cannot be granted 'settypeid:b': a process would gain abilities 'a' lacks: sys_rawio, sys_admin\n"
		"    4 | allow a self:ability settypeid:b;\n"
		"      |                      ^~~~~~~~~\n"
		"t.sp:4:22: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n"
		"    4 | allow a self:ability settypeid:b;\n"
		"      |                      ^~~~~~~~~\n");
	done(res);

	/* an unranged settypeid covers every type */
	expect_fail("type a;\ntype b;\nallow b self:ability chown;\nallow a self:ability settypeid;",
		    "t.sp:4:22: error: type 'a' cannot be granted 'settypeid:b': a process would gain abilities 'a' lacks: chown\n"
		    "t.sp:4:22: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n");
	/* a wider range is a gain too */
	expect_fail("type a;\ntype b;\n"
		    "allow b self:ability setuid:5;\n"
		    "allow a self:ability { settypeid:b setuid:1-3 };",
		    "t.sp:4:24: error: type 'a' cannot be granted 'settypeid:b': a process would gain abilities 'a' lacks: setuid (range)\n"
		    "t.sp:4:24: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n");
	/* an attribute names every member: one error per member that gains */
	expect_fail("attribute at;\ntype a;\ntype b, at;\ntype c, at;\ntype d, at;\n"
		    "allow b self:ability sys_admin;\n"
		    "allow c self:ability chown;\n"
		    "allow a self:ability settypeid:at;",
		    "t.sp:8:22: error: type 'a' cannot be granted 'settypeid:b': a process would gain abilities 'a' lacks: sys_admin\n"
		    "t.sp:8:22: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n"
		    "t.sp:8:22: error: type 'a' cannot be granted 'settypeid:c': a process would gain abilities 'a' lacks: chown\n"
		    "t.sp:8:22: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n");
	/* implied pathspace counts */
	expect_fail("type a;\ntype b;\nallow_attach b /x;\nallow a self:ability settypeid:b;",
		    "t.sp:4:22: error: type 'a' cannot be granted 'settypeid:b': a process would gain abilities 'a' lacks: pathspace\n"
		    "t.sp:4:22: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n");
}

static void test_settypeid_gain_priv(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type a;\ntype b;\n"
			"allow b self:ability { io sys_admin };\n"
			"allow a self:ability { settypeid:b gain_priv:io gain_priv:sys_admin };\n",
			"");
	assert_grants(res->p, "a", SP_ROOT, "public_channel settypeid:2");
	assert_grants(res->p, "a", SP_NONROOT, "public_channel");
	/* gain_priv grants nothing by itself */
	assert_false(sp_policy_has(res->p, 1, SP_ROOT, CAP_SYS_RAWIO));
	done(res);
	/* one missing gain_priv is still an error, naming only it */
	expect_fail("type a;\ntype b;\n"
		    "allow b self:ability { io sys_admin };\n"
		    "allow a self:ability { settypeid:b gain_priv:io };\n",
		    "t.sp:4:24: error: type 'a' cannot be granted 'settypeid:b': a process would gain abilities 'a' lacks: sys_admin\n"
		    "t.sp:4:24: note: grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended\n");
	/* having the abilities already is no gain; neither is a narrower
	 * range, nor becoming a type with fewer abilities */
	res = expect_ok("type a;\ntype b;\ntype c;\n"
			"allow b self:ability { io setuid:5 };\n"
			"allow a self:ability { io setuid:1-10 settypeid:b,c,default,self };\n",
			"");
	assert_grants(res->p, "a", SP_ROOT,
		      "setuid:1-10 sys_rawio public_channel settypeid:0-3");
	done(res);
}

static void test_denied_and_granted(void **state)
{
	struct res *res;

	(void)state;
	res = compile1("type a;\nallow a self:ability io;\nallow a self:ability -io;\n");
	assert_int_equal(res->r, 0);
	assert_string_equal(
		res->printed,
		"t.sp:3:22: warning: ability 'sys_rawio' is both granted to and denied to type 'a'; the denial wins\n"
		"    3 | allow a self:ability -io;\n"
		"      |                      ^~~\n"
		"t.sp:2:22: note: granted here\n"
		"    2 | allow a self:ability io;\n"
		"      |                      ^~\n");
	assert_grants(res->p, "a", SP_ROOT, "public_channel");
	done(res);
	/* the denial wins whatever the order; one warning, not per domain */
	res = expect_ok("type a;\nallow a self:ability { nonroot -chown };\nallow a self:ability { nonroot chown };",
			"t.sp:2:32: warning: ability 'chown' is both granted to and denied to type 'a'; the denial wins\n"
			"t.sp:3:32: note: granted here\n");
	assert_grants_both(res->p, "a", "public_channel");
	done(res);
	/* denying what was never granted says nothing */
	res = expect_ok("type a;\nallow a self:ability -chown;", "");
	done(res);
	/* nor does denying a default (public_channel) */
	res = expect_ok("type a;\nallow a self:ability -public_channel;", "");
	done(res);
}

static void test_duplicate_and_conflicting_rules(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type a;\nallow_attach a /x;\nallow_attach a /x;\n"
			"allow_link a /y;\nallow_link a { /z /y };",
			"t.sp:3:16: warning: duplicate allow_attach rule for type 'a' and path '/x'\n"
			"t.sp:2:16: note: first given here\n"
			"t.sp:5:19: warning: duplicate allow_link rule for type 'a' and path '/y'\n"
			"t.sp:4:14: note: first given here\n");
	done(res);
	expect_fail("type a;\ntype b;\nallow_attach a /y b;\nallow_attach a /y default;",
		    "t.sp:4:16: error: conflicting channel types for type 'a' at path '/y': 'default' here, 'b' before\n"
		    "t.sp:3:16: note: first given here\n");
	expect_fail("type a;\ntype b;\nallow_attach a /y;\nallow_attach a /y b;",
		    "t.sp:4:16: error: conflicting channel types for type 'a' at path '/y': 'b' here, 'a' before\n"
		    "t.sp:3:16: note: first given here\n");
	/* attach and link rules for one path do not clash */
	res = expect_ok("type a;\ntype b;\nallow_link a /y;\nallow_attach a /y b;", "");
	assert_rules(res->p, "a", "link /y; attach /y -> b");
	done(res);
	/* different subjects may label the same path differently */
	res = expect_ok("type a;\ntype b;\nallow_attach a /y;\nallow_attach b /y a;", "");
	done(res);
}

/* BUG: check.c check_rules() compares the written relabel type, not the
 * channel type a rule gives: "allow_attach a /y a;" and "allow_attach a
 * /y;" both give channel type a, yet are reported as "conflicting channel
 * types ... 'a' here, 'a' before".  The loader treats them as equal. */
static void test_relabel_to_own_type_is_no_conflict(void **state)
{
	struct res *res = compile1("type a;\nallow_attach a /y a;\nallow_attach a /y;\n");
	uint32_t ct = SPB_NO_TYPE;

	(void)state;
	assert_int_equal(res->errors, 0);
	assert_int_equal(res->r, 0);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/y", SPB_NO_TYPE, &ct),
			 SP_PATH_OK);
	assert_int_equal(ct, 1);
	done(res);
}

/* BUG: a subject named twice in one statement (directly and through an
 * attribute) gets the same rule twice in the binary policy: check.c skips
 * the duplicate warning for one site, but codegen.c emits every copy. */
static void test_subject_twice_one_rule(void **state)
{
	struct res *res = expect_ok("attribute at;\ntype a, at;\ntype b, at;\n"
				    "allow_attach { at a } /y;\n", "");

	(void)state;
	assert_rules(res->p, "a", "attach /y");
	assert_rules(res->p, "b", "attach /y");
	done(res);
}

static void test_duplicate_derivation(void **state)
{
	(void)state;
	expect_fail("type a;\ntype b;\nderive_type a run b;\nderive_type a run a;",
		    "t.sp:4:15: error: type 'a' already has a derivation named 'run'\n"
		    "t.sp:3:15: note: first given here\n");
}

static void test_bad_paths(void **state)
{
	(void)state;
	expect_fail("type a;\nallow_attach a { @ @x/... rel //x /x/ /./x /x/.. /a/.../b /a*/... /x... ./x };",
		    "t.sp:2:18: error: bad path '@': \"@\" needs a name after it\n"
		    "t.sp:2:20: error: bad path '@x/...': \"/...\" applies to file system paths, not to abstract names (use a pattern such as @name*)\n"
		    "t.sp:2:27: error: bad path 'rel': not absolute (a path starts with \"/\", an abstract name with \"@\")\n"
		    "t.sp:2:31: error: bad path '//x': contains \"//\"\n"
		    "t.sp:2:35: error: bad path '/x/': ends in \"/\" (only \"/\" itself may)\n"
		    "t.sp:2:39: error: bad path '/./x': contains a \".\" component (paths must be canonical)\n"
		    "t.sp:2:44: error: bad path '/x/..': contains a \"..\" component (paths must be canonical)\n"
		    "t.sp:2:50: error: bad path '/a/.../b': \"...\" is only allowed as the whole last component (\"/dir/...\")\n"
		    "t.sp:2:59: error: bad path '/a*/...': a pattern cannot end in \"/...\" (write the directory without wildcards, or a pattern for each level)\n"
		    "t.sp:2:67: error: bad path '/x...': \"...\" is only allowed as the whole last component (\"/dir/...\")\n"
		    "t.sp:2:73: error: bad path './x': not absolute (a path starts with \"/\", an abstract name with \"@\")\n");
	/* allow_link checks paths the same way */
	expect_fail("type a;\nallow_link a tmp/x;",
		    "t.sp:2:14: error: bad path 'tmp/x': not absolute (a path starts with \"/\", an abstract name with \"@\")\n");
	/* a QNX file-type prefix */
	expect_fail("type a;\nallow_attach a mount:/;",
		    "t.sp:2:16: error: file-type prefixes such as 'mount:' are not supported; write the path alone\n");
}

static void test_long_path(void **state)
{
	size_t n = 4096 + 64;
	char *text = malloc(n), *want;
	struct res *res;

	(void)state;
	assert_non_null(text);
	/* 4095 bytes: the longest path */
	strcpy(text, "type a;\nallow_attach a /");
	assert_int_equal(strlen(text), 24);
	memset(text + 24, 'x', 4094);
	strcpy(text + 24 + 4094, ";");
	res = expect_ok(text, "");
	done(res);
	/* 4096 bytes: one too many */
	memset(text + 24, 'x', 4095);
	strcpy(text + 24 + 4095, ";");
	res = compile1(text);
	assert_int_equal(res->r, -EINVAL);
	assert_int_equal(res->errors, 1);
	want = strstr(res->lines, "t.sp:2:16: error: bad path '/xxx");
	assert_ptr_equal(want, res->lines);
	done(res);
	free(text);
}

static void test_attribute_where_a_type_is_needed(void **state)
{
	(void)state;
	expect_fail("attribute at;\ntype a, at;\nallow_attach a /y at;",
		    "t.sp:3:19: error: 'at' is an attribute; a channel type must be a type\n");
	expect_fail("attribute at;\ntype a, at;\nderive_type a run at;",
		    "t.sp:3:19: error: 'at' is an attribute; a type must be a type\n");
	expect_fail("attribute at;\ntype a, at;\nderive_type at run a;",
		    "t.sp:3:13: error: 'at' is an attribute; a type must be a type\n");
	/* self is the target, never the subject */
	expect_fail("type a;\nallow self self:ability io;",
		    "t.sp:2:7: error: 'self' refers to the subject and cannot be one\n");
	expect_fail("type a;\nallow_attach { a self } /x;",
		    "t.sp:2:18: error: 'self' refers to the subject and cannot be one\n");
}

/* ---------------------------------------------------------------------
 * Syntax errors: recovery, one run reports all
 */

static void test_several_errors_one_run(void **state)
{
	struct res *res = compile1(
		"type a;\n"
		"allow a self:ability pathspce;\n"     /* unknown ability */
		"type a;\n"                            /* duplicate */
		"allow zzz self:ability io;\n"         /* unknown type */
		"allow a self:ability { noinherit };\n" /* error */
		"allow a self:ability unlock;\n"       /* warning */
		"allow_attach a rel;\n");              /* bad path */

	(void)state;
	assert_int_equal(res->r, -EINVAL);
	assert_int_equal(res->errors, 5);
	assert_int_equal(res->warnings, 1);
	assert_null(res->p);
	assert_string_equal(res->lines,
			    "t.sp:3:6: error: type 'a' is already declared as a type\n"
			    "t.sp:1:6: note: 'a' was first declared here\n"
			    "t.sp:2:22: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n"
			    "t.sp:4:7: error: unknown type 'zzz' (declare it with 'type zzz;')\n"
			    "t.sp:5:24: error: 'noinherit' has no Linux meaning: children inherit their parent's type and with it every ability; start the child under another type (settypeid, derive_type) instead\n"
			    "t.sp:6:22: warning: 'unlock' has no effect on Linux: a typed process may always drop capabilities and can never regain them\n"
			    "t.sp:7:16: error: bad path 'rel': not absolute (a path starts with \"/\", an abstract name with \"@\")\n");
	done(res);
}

static void test_syntax_errors_recovered(void **state)
{
	(void)state;
	/* a syntax error does not hide later semantic errors */
	expect_fail("tpye a;\n"
		    "type b\n"
		    "type c;\n"
		    "allow b c:ability io;\n"
		    "allow b self:file read;\n"
		    "allow_link b /x b;\n"
		    "mount_point 1000:1001 { u::rw } /dev/mp;\n"
		    "allow b self:ability { io\n"
		    "type d;\n"
		    "allow b;\n"
		    "allow b self:channel read;\n"
		    "allow b self:ability -;\n"
		    "allow b self:ability gain_priv io;\n"
		    "}\n"
		    "derive_type b;\n"
		    "frobnicate;\n"
		    "class x;\n"
		    "default_spawn_type c d;\n"
		    "allow c self:ability pathspce;\n",
		    "t.sp:1:1: error: unknown statement 'tpye'; did you mean 'type'?\n"
		    "t.sp:3:1: error: expected ';' or ',' after the type name, found 'type'\n"
		    "t.sp:4:9: error: abilities are granted to the subject itself: write 'self' before ':ability'\n"
		    "t.sp:5:14: error: unknown class 'file'; expected 'ability' or 'channel'\n"
		    "t.sp:6:17: error: allow_link takes no channel type (links are not channels)\n"
		    "t.sp:7:1: error: the QNX statement 'mount_point' has no Linux meaning in secpol and is not supported\n"
		    "t.sp:9:1: error: expected an ability or '}', found 'type'\n"
		    "t.sp:10:8: error: expected a target type or 'self', found ';'\n"
		    "t.sp:11:22: error: expected 'connect' (the only channel permission), found 'read'\n"
		    "t.sp:12:22: error: '-' must be followed by an ability name\n"
		    "t.sp:13:32: error: expected ':' after gain_priv, found 'io'\n"
		    "t.sp:14:1: error: expected a statement, found '}'\n"
		    "t.sp:15:14: error: expected the name of the derivation, found ';'\n"
		    "t.sp:16:1: error: expected a statement (type, attribute, ability, range, allow, allow_attach, allow_link, derive_type, learn or limit), found 'frobnicate'\n"
		    "t.sp:17:1: error: the QNX statement 'class' has no Linux meaning in secpol and is not supported\n"
		    "t.sp:18:1: error: the QNX statement 'default_spawn_type' has no Linux meaning in secpol and is not supported\n"
		    "t.sp:19:22: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n");
}

static void test_end_of_input(void **state)
{
	struct res *res;

	(void)state;
	res = compile1("type a;\nallow a self:ability { io");
	assert_int_equal(res->r, -EINVAL);
	assert_string_equal(res->printed,
			    "t.sp:2:26: error: expected an ability or '}', found end of input\n"
			    "    2 | allow a self:ability { io\n"
			    "      |                          ^\n");
	done(res);
	expect_fail("type a", "t.sp:1:7: error: expected ';' or ',' after the type name, found end of input\n");
}

static void test_lexical_errors(void **state)
{
	static const char text[] = "type a\0b;\ntype c\001;\ntype d\377;\n# comment \001 ok\ntype e;";
	struct source src = {"t.sp", text, sizeof(text) - 1};
	struct compile_opts o = {0};
	struct diags d;
	void *bin = NULL;
	size_t len = 0, plen = 0;
	char *printed = NULL;
	FILE *f;

	(void)state;
	diags_init(&d, &src, 1);
	assert_int_equal(compile_policy(&src, 1, &o, &d, &bin, &len), -EINVAL);
	assert_null(bin);
	f = open_memstream(&printed, &plen);
	assert_non_null(f);
	diags_print(&d, f);
	fclose(f);
	/* bytes are shown escaped, and the caret covers the escape */
	assert_string_equal(printed,
			    "t.sp:1:7: error: NUL byte in policy text\n"
			    "    1 | type a\\000b;\n"
			    "      |       ^~~~\n"
			    "t.sp:1:8: error: expected ';' or ',' after the type name, found 'b'\n"
			    "    1 | type a\\000b;\n"
			    "      |           ^\n"
			    "t.sp:2:7: error: unexpected control character '\\001'\n"
			    "    2 | type c\\001;\n"
			    "      |       ^~~~\n"
			    "t.sp:3:7: error: invalid UTF-8 byte '\\377'\n"
			    "    3 | type d\\377;\n"
			    "      |       ^~~~\n");
	assert_int_equal(d.errors, 4);
	free(printed);
	diags_free(&d);
}

/* BUG: diag.c print_excerpt() puts '~' instead of '^' under a diagnostic
 * that starts on a multi-byte UTF-8 character (i has already been moved
 * past the continuation bytes when it is compared with loc->off). */
static void test_caret_on_utf8(void **state)
{
	struct res *res = compile1("type \xc3\xa9t\xc3\xa9;");

	(void)state;
	assert_int_equal(res->r, -EINVAL);
	assert_non_null(strstr(res->printed, "\n    1 | type \xc3\xa9t\xc3\xa9;\n"
					     "      |      ^\n"));
	done(res);
}

static void test_tabs_keep_the_caret_aligned(void **state)
{
	struct res *res = compile1("type a;\n\tallow\ta self:ability\tpathspce;");

	(void)state;
	assert_string_equal(res->printed,
			    "t.sp:2:23: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n"
			    "    2 | \tallow\ta self:ability\tpathspce;\n"
			    "      | \t     \t              \t^~~~~~~~\n");
	done(res);
}

static void test_too_many_errors(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct res *res;
	const char *last;
	int i;

	(void)state;
	for (i = 0; i < 60; i++)
		sb_printf(&sb, "type 9t%d;\n", i);
	res = compile1(sb_str(&sb));
	assert_int_equal(res->r, -EINVAL);
	assert_int_equal(res->errors, 60);
	/* 50 recorded, then one line that says so */
	last = strstr(res->printed, "t.sp:50:6: error: type name '9t49' starts with a digit\n");
	assert_non_null(last);
	assert_null(strstr(res->printed, "9t50"));
	assert_non_null(strstr(res->printed,
			       "\nnote: too many errors (60); only the first 50 are shown\n"));
	done(res);
	sb_free(&sb);
}

/* ---------------------------------------------------------------------
 * Semantics, checked on the loaded binary policy
 */

static void test_type_ids(void **state)
{
	struct res *res;

	(void)state;
	/* default is 0 whether declared or not; others in declaration order */
	res = expect_ok("type fs_t;\ntype fs_user_t;\ntype fs_nonuser_t;", "");
	assert_int_equal(sp_policy_type_count(res->p), 4);
	assert_string_equal(sp_policy_type_name(res->p, 0), "default");
	assert_false(sp_policy_type_declared(res->p, 0));
	assert_string_equal(sp_policy_type_name(res->p, 1), "fs_t");
	assert_string_equal(sp_policy_type_name(res->p, 2), "fs_user_t");
	assert_string_equal(sp_policy_type_name(res->p, 3), "fs_nonuser_t");
	assert_true(sp_policy_type_declared(res->p, 3));
	done(res);
	res = expect_ok("type b_t;\ntype default;\ntype a_t;", "");
	assert_int_equal(sp_policy_type_count(res->p), 3);
	assert_int_equal(type_id(res->p, "default"), 0);
	assert_true(sp_policy_type_declared(res->p, 0));
	assert_int_equal(type_id(res->p, "b_t"), 1);
	assert_int_equal(type_id(res->p, "a_t"), 2);
	done(res);
	/* a name may be used before its declaration */
	res = expect_ok("allow late_t self:ability io;\ntype early_t;\ntype late_t;", "");
	assert_int_equal(type_id(res->p, "late_t"), 2);
	assert_grants(res->p, "late_t", SP_ROOT, "sys_rawio public_channel");
	done(res);
	/* an empty policy: default only, with public_channel */
	res = expect_ok("", "");
	assert_int_equal(sp_policy_type_count(res->p), 1);
	assert_grants_both(res->p, "default", "public_channel");
	done(res);
}

static void test_attributes_expand(void **state)
{
	struct res *res;
	const uint32_t *attrs;
	size_t n;

	(void)state;
	res = expect_ok("attribute priv_port;\nattribute unused;\n"
			"type io_pkt_t, priv_port;\ntype fs_t, priv_port, unused;\n"
			"type user_t;\ntype svc_t;\n"
			"allow priv_port self:ability net_bind_service:80;\n"
			"allow user_t priv_port:channel connect;\n"
			"allow svc_t self:ability { settypeid:priv_port channel_connect:unused gain_priv:net_bind_service gain_priv:chown };\n"
			"allow unused self:ability chown;\n",
			"");
	assert_grants(res->p, "io_pkt_t", SP_ROOT, "net_bind_service:80 public_channel");
	assert_grants(res->p, "io_pkt_t", SP_NONROOT, "public_channel");
	assert_grants(res->p, "fs_t", SP_ROOT, "chown net_bind_service:80 public_channel");
	assert_grants(res->p, "user_t", SP_ROOT, "public_channel channel_connect:1-2");
	assert_grants(res->p, "user_t", SP_NONROOT, "public_channel channel_connect:1-2");
	assert_grants(res->p, "svc_t", SP_ROOT,
		      "public_channel channel_connect:2 settypeid:1-2");
	assert_int_equal(sp_policy_attr_count(res->p), 2);
	assert_string_equal(sp_policy_attr_name(res->p, 0), "priv_port");
	attrs = sp_policy_type_attrs(res->p, type_id(res->p, "fs_t"), &n);
	assert_int_equal(n, 2);
	assert_string_equal(sp_policy_attr_name(res->p, attrs[0]), "priv_port");
	assert_string_equal(sp_policy_attr_name(res->p, attrs[1]), "unused");
	attrs = sp_policy_type_attrs(res->p, type_id(res->p, "user_t"), &n);
	assert_int_equal(n, 0);
	done(res);
	/* an attribute without members grants nothing, and is no error */
	res = expect_ok("attribute empty;\ntype a;\nallow empty self:ability io;\n"
			"allow a empty:channel connect;", "");
	assert_grants_both(res->p, "a", "public_channel");
	done(res);
	/* rules too */
	res = expect_ok("attribute at;\ntype a, at;\ntype b, at;\nallow_attach at /srv/...;", "");
	assert_rules(res->p, "a", "attach /srv/...");
	assert_rules(res->p, "b", "attach /srv/...");
	done(res);
}

/* A type may join an attribute after statements that use the attribute:
 * every use sees every member (the declarations come first). */
static void test_attribute_used_before_members(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("attribute pool;\n"
			"allow pool self:ability io;\n"
			"allow user_t pool:channel connect;\n"
			"allow_attach pool /run/pool/...;\n"
			"learn pool;\nlimit pool processes 9;\n"
			"type user_t;\ntype a_t, pool;\ntype b_t, pool;\n",
			"");
	assert_grants(res->p, "a_t", SP_ROOT, "sys_rawio pathspace public_channel");
	assert_grants(res->p, "b_t", SP_ROOT, "sys_rawio pathspace public_channel");
	assert_grants_both(res->p, "user_t", "public_channel channel_connect:2-3");
	assert_rules(res->p, "b_t", "attach /run/pool/...");
	assert_true(sp_policy_type_learning(res->p, 3));
	assert_int_equal(sp_policy_type_limit(res->p, 2, SP_LIMIT_PROCESSES), 9);
	assert_false(sp_policy_type_learning(res->p, 1));
	done(res);
}

static void test_self(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type a;\ntype b;\ntype c;\n"
			"allow { a b } self:channel connect;\n"
			"allow c { self a }:channel { connect };\n",
			"");
	assert_grants_both(res->p, "a", "public_channel channel_connect:1");
	assert_grants_both(res->p, "b", "public_channel channel_connect:2");
	assert_grants_both(res->p, "c", "public_channel channel_connect:1,3");
	done(res);
	res = expect_ok("type a;\ntype b;\n"
			"allow { a b } self:ability { channel_connect:self settypeid:self };\n",
			"");
	assert_grants(res->p, "a", SP_ROOT, "public_channel channel_connect:1 settypeid:1");
	assert_grants(res->p, "b", SP_ROOT, "public_channel channel_connect:2 settypeid:2");
	done(res);
}

static void test_domains(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type root_only;\ntype both;\n"
			"allow root_only self:ability { io setuid:5 };\n"
			"allow both self:ability { io nonroot setuid:5 };\n"
			"allow both self:ability chown;\n",
			"");
	assert_grants(res->p, "root_only", SP_ROOT, "setuid:5 sys_rawio public_channel");
	assert_grants(res->p, "root_only", SP_NONROOT, "public_channel");
	assert_grants(res->p, "both", SP_ROOT, "chown setuid:5 sys_rawio public_channel");
	/* nonroot applies to the block it is in, wherever it stands */
	assert_grants(res->p, "both", SP_NONROOT, "setuid:5 sys_rawio public_channel");
	assert_int_equal(sp_policy_caps(res->p, 2, SP_NONROOT),
			 1ULL << CAP_SETUID | 1ULL << CAP_SYS_RAWIO);
	done(res);
}

static void test_default_priv(void **state)
{
	struct res *res;
	uint64_t all = (1ULL << AB_NCAPS) - 1;

	(void)state;
	res = expect_ok("type a;\ntype b;\n"
			"allow a self:ability default_priv;\n"
			"allow b self:ability { nonroot default_priv -sys_admin -public_channel };\n",
			"t.sp:4:45: warning: ability 'sys_admin' is both granted to and denied to type 'b'; the denial wins\n"
			"t.sp:4:32: note: granted here\n");
	/* every capability, root only; the secpol abilities are not in it */
	assert_int_equal(sp_policy_caps(res->p, 1, SP_ROOT), all);
	assert_int_equal(sp_policy_caps(res->p, 1, SP_NONROOT), 0);
	assert_false(sp_policy_has(res->p, 1, SP_ROOT, AB_PATHSPACE));
	assert_false(sp_policy_has(res->p, 1, SP_ROOT, AB_CHANNEL_CONNECT));
	assert_false(sp_policy_has(res->p, 1, SP_ROOT, AB_SETTYPEID));
	assert_true(sp_policy_has(res->p, 1, SP_ROOT, AB_PUBLIC_CHANNEL));
	/* -name removes, in both domains with nonroot */
	assert_int_equal(sp_policy_caps(res->p, 2, SP_ROOT), all & ~(1ULL << CAP_SYS_ADMIN));
	assert_int_equal(sp_policy_caps(res->p, 2, SP_NONROOT), all & ~(1ULL << CAP_SYS_ADMIN));
	assert_false(sp_policy_has(res->p, 2, SP_ROOT, AB_PUBLIC_CHANNEL));
	assert_false(sp_policy_has(res->p, 2, SP_NONROOT, AB_PUBLIC_CHANNEL));
	done(res);
}

static void test_removal(void **state)
{
	struct res *res;

	(void)state;
	/* every type has public_channel unless a -public_channel item
	 * takes it away; a block without nonroot touches root only */
	res = expect_ok("type a;\ntype b;\ntype c;\n"
			"allow a self:ability -public_channel;\n"
			"allow b self:ability { nonroot -public_channel };\n"
			"allow c self:ability { io -io -setuid };\n",
			"t.sp:6:27: warning: ability 'sys_rawio' is both granted to and denied to type 'c'; the denial wins\n"
			"t.sp:6:24: note: granted here\n");
	assert_grants(res->p, "a", SP_ROOT, "");
	assert_grants(res->p, "a", SP_NONROOT, "public_channel");
	assert_grants_both(res->p, "b", "");
	assert_grants(res->p, "c", SP_ROOT, "public_channel");
	assert_grants_both(res->p, "default", "public_channel");
	done(res);
	/* a denial takes a ranged grant entirely, and the implied pathspace */
	res = expect_ok("type a;\nallow a self:ability { setuid:5 -setuid -pathspace };\nallow_attach a /x;",
			"t.sp:2:33: warning: ability 'setuid' is both granted to and denied to type 'a'; the denial wins\n"
			"t.sp:2:24: note: granted here\n");
	assert_grants(res->p, "a", SP_ROOT, "public_channel");
	assert_grants(res->p, "a", SP_NONROOT, "pathspace public_channel");
	assert_rules(res->p, "a", "attach /x");
	done(res);
}

static void test_qnx_aliases(void **state)
{
	static const struct {
		const char *qnx, *linux_name;
		int cap;
	} map[] = {
		{"io", "sys_rawio", CAP_SYS_RAWIO},
		{"priority", "sys_nice", CAP_SYS_NICE},
		{"reboot", "sys_boot", CAP_SYS_BOOT},
		{"clockset", "sys_time", CAP_SYS_TIME},
		{"mem_lock", "ipc_lock", CAP_IPC_LOCK},
		{"chroot", "sys_chroot", CAP_SYS_CHROOT},
		{"rlimit", "sys_resource", CAP_SYS_RESOURCE},
		{"xprocess_debug", "sys_ptrace", CAP_SYS_PTRACE},
		{"signal", "kill", CAP_KILL},
		{"mac_policy", "mac_admin", CAP_MAC_ADMIN},
	};
	char text[128], want[128];
	struct res *res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		snprintf(text, sizeof(text), "type a;\nallow a self:ability %s;", map[i].qnx);
		res = expect_ok(text, "");
		snprintf(want, sizeof(want), "%s public_channel", map[i].linux_name);
		assert_grants(res->p, "a", SP_ROOT, want);
		assert_int_equal(sp_policy_caps(res->p, 1, SP_ROOT), 1ULL << map[i].cap);
		done(res);
	}
	/* the alias and the Linux name are one ability */
	res = expect_ok("type a;\nallow a self:ability { io sys_rawio };", "");
	assert_grants(res->p, "a", SP_ROOT, "sys_rawio public_channel");
	done(res);
}

static void test_subranges(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type a;\ntype b;\ntype c;\n"
			/* decimal, octal, hex; comma lists */
			"allow a self:ability setuid:10,010,0x10,0X20-0x2f;\n"
			/* open ranges go up to the ability's maximum */
			"allow a self:ability { net_bind_service:1000- setgid:5- settypeid:2- channel_connect:0- gain_priv:setuid };\n"
			/* overlapping and adjacent ranges merge, across statements */
			"allow b self:ability setuid:1-5,3-8,9,20-30;\n"
			"allow b self:ability setuid:31,15-19,100;\n"
			/* type names as values */
			"allow c self:ability channel_connect:b,default;\n"
			"allow c self:ability channel_connect:c;\n",
			"");
	assert_grants(res->p, "a", SP_ROOT,
		      "setgid:5-4294967294 setuid:8,10,16,32-47 net_bind_service:1000-65535 "
		      "public_channel channel_connect:0-3 settypeid:2-3");
	assert_grants(res->p, "b", SP_ROOT, "setuid:1-9,15-31,100 public_channel");
	assert_grants(res->p, "c", SP_ROOT, "public_channel channel_connect:0,2-3");
	/* a request needs one range covering all of it */
	assert_int_equal(sp_policy_check(res->p, 2, SP_ROOT, CAP_SETUID, 3, 9), SP_ALLOW);
	assert_int_equal(sp_policy_check(res->p, 2, SP_ROOT, CAP_SETUID, 9, 15), SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(res->p, 2, SP_ROOT, CAP_SETUID, 10, 10), SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(res->p, 2, SP_NONROOT, CAP_SETUID, 3, 3), SP_DENY);
	done(res);
	/* an unranged grant wins over ranged ones */
	res = expect_ok("type a;\nallow a self:ability setuid:5;\nallow a self:ability setuid;", "");
	assert_grants(res->p, "a", SP_ROOT, "setuid public_channel");
	done(res);
}

static void test_connect(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("type fs_t;\ntype user_t;\ntype other_t;\n"
			"allow user_t fs_t:channel connect;\n"
			"allow { user_t other_t } { fs_t default }:channel connect;\n"
			"allow user_t self:ability channel_connect:other_t;\n",
			"");
	/* both domains from 'channel connect', root only from the item */
	assert_grants(res->p, "user_t", SP_ROOT, "public_channel channel_connect:0-1,3");
	assert_grants(res->p, "user_t", SP_NONROOT, "public_channel channel_connect:0-1");
	assert_grants_both(res->p, "other_t", "public_channel channel_connect:0-1");
	assert_int_equal(sp_policy_check_connect(res->p, 2, SP_NONROOT, 1), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(res->p, 2, SP_NONROOT, 3), SP_DENY_RANGE);
	assert_int_equal(sp_policy_check_connect(res->p, 1, SP_ROOT, 2), SP_DENY);
	done(res);
}

static void test_paths_and_pathspace(void **state)
{
	struct res *res;
	uint32_t ct = SPB_NO_TYPE;

	(void)state;
	res = expect_ok("type fs_t;\ntype io_t;\ntype ln_t;\n"
			"allow_attach fs_t { /dev/fsF* / /fsFp0 /srv/... @fs* @exact };\n"
			"allow_attach fs_t /dev/socket io_t;\n"
			"allow_link ln_t /tmp/libc*;\n"
			"allow_link ln_t { /... };\n",
			"");
	/* every allow_attach and allow_link implies pathspace, both domains */
	assert_grants_both(res->p, "fs_t", "pathspace public_channel");
	assert_grants_both(res->p, "ln_t", "pathspace public_channel");
	assert_grants_both(res->p, "io_t", "public_channel");
	assert_rules(res->p, "fs_t",
		     "attach /dev/fsF*; attach /; attach /fsFp0; attach /srv/...; "
		     "attach @fs*; attach @exact; attach /dev/socket -> io_t");
	assert_rules(res->p, "ln_t", "link /tmp/libc*; link /...");
	/* the rules mean what they say */
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/dev/fsF0", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(ct, 1);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/dev/socket", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(ct, 2);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/srv/a/b", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/srv", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/dev/x/fsF0", SPB_NO_TYPE, &ct), SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "@fs1", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(res->p, 3, "/tmp/libc.so.5"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(res->p, 3, "/anything/at/all"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_attach(res->p, 3, "/tmp/libc.so.5", SPB_NO_TYPE, &ct), SP_PATH_BAD_OP);
	done(res);
}

static void test_derive_type(void **state)
{
	struct res *res;
	uint32_t d = SPB_NO_TYPE;

	(void)state;
	res = expect_ok("type random_t;\ntype random_t__run;\ntype low_t;\n"
			"derive_type random_t run random_t__run;\n"
			"derive_type random_t low_priv low_t;\n"
			"derive_type low_t run low_t;\n",
			"");
	assert_int_equal(sp_policy_derive(res->p, 1, "run", &d), 0);
	assert_int_equal(d, 2);
	assert_int_equal(sp_policy_derive(res->p, 1, "low_priv", &d), 0);
	assert_int_equal(d, 3);
	assert_int_equal(sp_policy_derive(res->p, 3, "run", &d), 0);
	assert_int_equal(d, 3);
	assert_int_equal(sp_policy_derive(res->p, 2, "run", &d), -ENOENT);
	assert_int_equal(sp_policy_derive(res->p, 1, "RUN", &d), -ENOENT);
	done(res);
}

static void test_named_ranges(void **state)
{
	struct res *res;
	struct sp_grant_view g;

	(void)state;
	res = expect_ok("range gpu_mem;\nrange gpu_int;\nability vendor/irq;\ntype screen_t;\n"
			"allow screen_t self:ability { setuid:gpu_mem,7 vendor/irq:gpu_int setgid: gpu_mem };\n",
			"");
	assert_int_equal(sp_policy_named_range_count(res->p), 2);
	assert_string_equal(sp_policy_named_range_name(res->p, 0), "gpu_mem");
	assert_string_equal(sp_policy_named_range_name(res->p, 1), "gpu_int");
	assert_grants(res->p, "screen_t", SP_ROOT,
		      "setgid:=gpu_mem setuid:7,=gpu_mem public_channel vendor/irq:=gpu_int");
	assert_int_equal(sp_policy_grant(res->p, 1, SP_ROOT, CAP_SETUID, &g), 0);
	assert_true(g.ranged);
	/* unresolved named ranges cover nothing: fail closed */
	assert_int_equal(sp_policy_check(res->p, 1, SP_ROOT, CAP_SETUID, 7, 7), SP_ALLOW);
	assert_int_equal(sp_policy_check(res->p, 1, SP_ROOT, CAP_SETUID, 0, 0), SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(res->p, 1, SP_ROOT, CAP_SETGID, 0, 0), SP_DENY_RANGE);
	done(res);
}

static void test_custom_abilities(void **state)
{
	struct res *res;
	uint16_t id = AB_NONE;

	(void)state;
	res = expect_ok("ability iofunc/dup;\nability network/bind/privport;\nability x.y/z-1;\n"
			"type a;\n"
			"allow a self:ability { iofunc/dup network/bind/privport:0x10-0xffffffffffffffff };\n",
			"");
	assert_int_equal(sp_policy_custom_count(res->p), 3);
	assert_int_equal(sp_policy_ability_lookup(res->p, "iofunc/dup", &id), 0);
	assert_int_equal(id, AB_CUSTOM_BASE);
	assert_false(sp_policy_custom_ranged(res->p, AB_CUSTOM_BASE));
	assert_int_equal(sp_policy_ability_lookup(res->p, "network/bind/privport", &id), 0);
	assert_int_equal(id, AB_CUSTOM_BASE + 1);
	assert_true(sp_policy_custom_ranged(res->p, AB_CUSTOM_BASE + 1));
	assert_grants(res->p, "a", SP_ROOT,
		      "public_channel iofunc/dup network/bind/privport:16-18446744073709551615");
	assert_grants(res->p, "a", SP_NONROOT, "public_channel");
	done(res);
}

static void test_multiple_files(void **state)
{
	/* a statement may start in one file and end in the next */
	const char *texts[] = {"type a;\nallow a self:ability {\n  io\n",
			       "  chown };\nallow_attach a\n", "/x;\n"};
	const char *bad[] = {"type a;\n", "\nallow a self:ability pathspce;\n"};
	struct res *res;

	(void)state;
	res = compile_opts(texts, 3, NULL);
	assert_string_equal(res->lines, "");
	assert_int_equal(res->r, 0);
	assert_grants(res->p, "a", SP_ROOT, "chown sys_rawio pathspace public_channel");
	assert_rules(res->p, "a", "attach /x");
	done(res);
	/* diagnostics name the file and count lines per file */
	res = compile_opts(bad, 2, NULL);
	assert_string_equal(res->printed,
			    "u.sp:2:22: error: unknown ability 'pathspce'; did you mean 'pathspace'?\n"
			    "    2 | allow a self:ability pathspce;\n"
			    "      |                      ^~~~~~~~\n");
	done(res);
}

static void test_policy_id_and_mutable(void **state)
{
	static const char text[] = "type a;\nallow a self:ability io;\n";
	const char *t = text, *t2 = "type a;\nallow a self:ability chown;\n";
	struct compile_opts mut = {.mutable_ = true, .has_id = true, .id = 0xdeadbeef};
	struct compile_opts id0 = {.has_id = true, .id = 0};
	struct res *a, *b, *c, *d;

	(void)state;
	a = compile_opts(&t, 1, &mut);
	assert_int_equal(a->r, 0);
	assert_int_equal(sp_policy_id(a->p), 0xdeadbeef);
	assert_true(sp_policy_mutable(a->p));
	c = compile_opts(&t, 1, &id0);
	assert_int_equal(sp_policy_id(c->p), 0);
	assert_false(sp_policy_mutable(c->p));
	done(c);
	/* automatic IDs: the same text gives the same bytes and ID... */
	b = compile_opts(&t, 1, NULL);
	c = compile_opts(&t, 1, NULL);
	assert_false(sp_policy_mutable(b->p));
	assert_int_equal(b->len, c->len);
	assert_memory_equal(b->bin, c->bin, b->len);
	/* ...the mutable flag does not change it, other content does */
	d = compile_opts(&t, 1, &(struct compile_opts){.mutable_ = true});
	assert_int_equal(sp_policy_id(d->p), sp_policy_id(b->p));
	assert_true(sp_policy_mutable(d->p));
	done(d);
	d = compile_opts(&t2, 1, NULL);
	assert_int_not_equal(sp_policy_id(d->p), sp_policy_id(b->p));
	done(d);
	done(a);
	done(b);
	done(c);
}

static void test_man_page_policy(void **state)
{
	struct res *res;
	uint32_t ct = SPB_NO_TYPE;

	(void)state;
	res = expect_ok("type default;\n"
			"allow_attach default /...;\n"
			"allow_link default /...;\n"
			"type fs_t;\n"
			"type fs_user_t;\n"
			"type fs_nonuser_t;\n"
			"allow_attach fs_t {\n"
			"    /dev/fsF*\n"
			"    /\n"
			"    /fsFp0\n"
			"};\n"
			"allow fs_t self:ability {\n"
			"      RSRCDBMGR\n"
			"      IO\n"
			"};\n"
			"allow fs_t fs_t:channel connect;\n"
			"allow fs_user_t fs_t:channel connect;\n"
			"allow_link fs_nonuser_t /tmp/libc*;\n"
			"allow fs_nonuser_t self:channel connect;\n"
			"allow fs_nonuser_t self:ability io;\n"
			"allow fs_user_t self:ability io;\n",
			"t.sp:13:7: warning: 'RSRCDBMGR' is a QNX ability with no meaning on Linux; ignored\n");
	assert_grants(res->p, "fs_t", SP_ROOT, "sys_rawio pathspace public_channel channel_connect:1");
	assert_grants(res->p, "fs_t", SP_NONROOT, "pathspace public_channel channel_connect:1");
	assert_grants(res->p, "fs_user_t", SP_ROOT, "sys_rawio public_channel channel_connect:1");
	assert_grants(res->p, "fs_nonuser_t", SP_ROOT, "sys_rawio pathspace public_channel channel_connect:3");
	assert_grants_both(res->p, "default", "pathspace public_channel");
	/* the walkthrough's outcomes */
	assert_false(sp_policy_has(res->p, 2, SP_ROOT, AB_PATHSPACE));
	assert_int_equal(sp_policy_check_attach(res->p, 3, "/", SPB_NO_TYPE, &ct), SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_attach(res->p, 1, "/dev/fsFp0", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(sp_policy_check_connect(res->p, 3, SP_ROOT, 1), SP_DENY_RANGE);
	assert_int_equal(sp_policy_check_connect(res->p, 2, SP_ROOT, 1), SP_ALLOW);
	assert_int_equal(sp_policy_check_link(res->p, 3, "/tmp/libc.so.5"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(res->p, 3, "/tmp/notlibc.so.5"), SP_PATH_NO_RULE);
	done(res);
}

/* ---------------------------------------------------------------------
 * learn and limit
 */

static void test_learn(void **state)
{
	struct res *res;

	(void)state;
	/* a type, a brace list, an attribute; names before declarations */
	res = expect_ok("learn svc_t;\nlearn { web_t };\nlearn pool;\n"
			"attribute pool;\ntype svc_t;\ntype web_t;\n"
			"type db_t, pool;\ntype enforced_t;\n",
			"");
	assert_false(sp_policy_type_learning(res->p, 0));
	assert_true(sp_policy_type_learning(res->p, type_id(res->p, "svc_t")));
	assert_true(sp_policy_type_learning(res->p, type_id(res->p, "web_t")));
	assert_true(sp_policy_type_learning(res->p, type_id(res->p, "db_t")));
	assert_false(sp_policy_type_learning(res->p,
					     type_id(res->p, "enforced_t")));
	/* learning is decided by secpold: the grants are as written */
	assert_grants_both(res->p, "svc_t", "public_channel");
	done(res);
	/* keywords in any case */
	res = expect_ok("type a_t;\nLEARN a_t;\nLearn { a_t };", "t.sp:3:9: warning: type 'a_t' already learns\n"
			"t.sp:2:7: note: 'a_t' learns from here\n");
	assert_true(sp_policy_type_learning(res->p, 1));
	done(res);
	/* default: accepted, a warning, no effect; also through an attribute */
	res = expect_ok("attribute all;\ntype default, all;\ntype a_t, all;\n"
			"learn default;\nlearn all;\n",
			"t.sp:4:7: warning: type 'default' cannot learn: untyped processes are never supervised; ignored\n"
			"t.sp:5:7: warning: type 'default' (of attribute 'all') cannot learn: untyped processes are never supervised; ignored\n");
	assert_false(sp_policy_type_learning(res->p, 0));
	assert_true(sp_policy_type_learning(res->p, 1));
	done(res);
	/* a type reached twice in one statement is one use, no warning */
	res = expect_ok("attribute at;\ntype a_t, at;\nlearn { a_t at a_t };", "");
	assert_true(sp_policy_type_learning(res->p, 1));
	done(res);
	/* twice across files: the note points into the first file */
	{
		const char *texts[] = {"type a_t;\nlearn a_t;\n", "learn a_t;\n"};
		res = compile_opts(texts, 2, NULL);
		assert_int_equal(res->r, 0);
		assert_string_equal(res->lines,
				    "u.sp:1:7: warning: type 'a_t' already learns\n"
				    "t.sp:2:7: note: 'a_t' learns from here\n");
		done(res);
	}
	/* unknown types: the usual did-you-mean; self is never a subject */
	expect_fail("type svc_t;\nlearn svct;",
		    "t.sp:2:7: error: unknown type 'svct'; did you mean 'svc_t'?\n");
	expect_fail("type svc_t;\nlearn { self };",
		    "t.sp:2:9: error: 'self' refers to the subject and cannot be one\n");
	expect_fail("type svc_t;\nlearn;",
		    "t.sp:2:6: error: expected a type, an attribute or '{' after 'learn', found ';'\n");
	expect_fail("type svc_t;\nlearn {};",
		    "t.sp:2:8: error: expected a name in the list, found '}'\n");
	/* a forgotten ';' costs one error, and both statements count */
	res = compile1("type a_t;\nlearn a_t\nlimit a_t processes 3;\n");
	assert_string_equal(res->lines,
			    "t.sp:3:1: error: expected ';' to end the learn statement, found 'limit'\n");
	assert_int_equal(res->r, -EINVAL);
	done(res);
}

static void test_limit(void **state)
{
	struct res *res;

	(void)state;
	res = expect_ok("attribute pool;\ntype svc_t;\ntype a_t, pool;\n"
			"type b_t, pool;\ntype free_t;\ntype big_t;\n"
			"limit svc_t processes 200;\n"
			"limit pool processes 50;\n"
			"LIMIT big_t PROCESSES 4194304;\n",
			"");
	assert_int_equal(sp_policy_type_limit(res->p, type_id(res->p, "svc_t"),
					      SP_LIMIT_PROCESSES), 200);
	assert_int_equal(sp_policy_type_limit(res->p, type_id(res->p, "a_t"),
					      SP_LIMIT_PROCESSES), 50);
	assert_int_equal(sp_policy_type_limit(res->p, type_id(res->p, "b_t"),
					      SP_LIMIT_PROCESSES), 50);
	assert_int_equal(sp_policy_type_limit(res->p, type_id(res->p, "free_t"),
					      SP_LIMIT_PROCESSES), 0);
	assert_int_equal(sp_policy_type_limit(res->p, type_id(res->p, "big_t"),
					      SP_LIMIT_PROCESSES), 4194304);
	assert_int_equal(sp_policy_type_limit(res->p, 0, SP_LIMIT_PROCESSES), 0);
	/* a limit is not learning, nor a grant */
	assert_false(sp_policy_type_learning(res->p, 1));
	assert_grants_both(res->p, "svc_t", "public_channel");
	done(res);
	/* one, with leading zeros: decimal, not octal */
	res = expect_ok("type a_t;\nlimit { a_t } processes 0200;", "");
	assert_int_equal(sp_policy_type_limit(res->p, 1, SP_LIMIT_PROCESSES), 200);
	done(res);
	res = expect_ok("type a_t;\nlimit a_t processes 1;\nlimit default processes 9;",
			"t.sp:3:7: warning: type 'default' cannot have a limit: untyped processes are never supervised; ignored\n");
	assert_int_equal(sp_policy_type_limit(res->p, 1, SP_LIMIT_PROCESSES), 1);
	assert_int_equal(sp_policy_type_limit(res->p, 0, SP_LIMIT_PROCESSES), 0);
	done(res);
	/* the values, each with its caret */
	expect_fail("type a_t;\nlimit a_t processes 0;",
		    "t.sp:2:21: error: a limit of 0 processes would let no process of the type run; write 1 to 4194304\n");
	expect_fail("type a_t;\nlimit a_t processes 4194305;",
		    "t.sp:2:21: error: '4194305' is more than 4194304, the most processes the kernel allows\n");
	expect_fail("type a_t;\nlimit a_t processes 99999999999999999999999;",
		    "t.sp:2:21: error: '99999999999999999999999' is more than 4194304, the most processes the kernel allows\n");
	expect_fail("type a_t;\nlimit a_t processes 0x10;",
		    "t.sp:2:21: error: '0x10' is not a number of processes (write a decimal number from 1 to 4194304)\n");
	expect_fail("type a_t;\nlimit a_t processes 5k;",
		    "t.sp:2:21: error: '5k' is not a number of processes (write a decimal number from 1 to 4194304)\n");
	expect_fail("type a_t;\nlimit a_t processes { 5 };",
		    "t.sp:2:21: error: expected the number of processes, found '{'\n");
	expect_fail("type a_t;\nlimit a_t processes 5 6;",
		    "t.sp:2:23: error: expected ';' to end the limit statement, found '6'\n");
	/* the kinds */
	expect_fail("type a_t;\nlimit a_t Process 5;",
		    "t.sp:2:11: error: unknown kind of limit 'Process'; did you mean 'processes'? (the kinds are: processes)\n");
	expect_fail("type a_t;\nlimit a_t memory 5;",
		    "t.sp:2:11: error: unknown kind of limit 'memory' (the kinds are: processes)\n");
	/* unknown types */
	expect_fail("type svc_t;\nlimit svct processes 5;",
		    "t.sp:2:7: error: unknown type 'svct'; did you mean 'svc_t'?\n");
	/* a second limit names the first one's line, in its file */
	expect_fail("type a_t;\nlimit a_t processes 5;\n\nlimit a_t processes 5;",
		    "t.sp:4:7: error: type 'a_t' already has a limit of 5 processes, set at t.sp:2; a type has one limit of each kind\n"
		    "t.sp:2:7: note: the first limit of 'a_t' is here\n");
	{
		const char *texts[] = {"attribute at;\ntype a_t, at;\nlimit a_t processes 5;\n",
				       "limit { at } processes 6;\n"};
		res = compile_opts(texts, 2, NULL);
		assert_int_equal(res->r, -EINVAL);
		assert_string_equal(res->lines,
				    "u.sp:1:9: error: type 'a_t' (of attribute 'at') already has a limit of 5 processes, set at t.sp:3; a type has one limit of each kind\n"
				    "t.sp:3:7: note: the first limit of 'a_t' is here\n");
		done(res);
	}
	/* one statement naming a type twice sets one limit */
	res = expect_ok("attribute at;\ntype a_t, at;\nlimit { a_t at } processes 3;", "");
	assert_int_equal(sp_policy_type_limit(res->p, 1, SP_LIMIT_PROCESSES), 3);
	done(res);
}

/* ---------------------------------------------------------------------
 * sp_policy_add_type(): the type develop mode makes for `on -T NAME`
 */

/* Every kind of statement, so that every section is in the policy. */
static const char every_section[] =
	"type default;\nattribute pool;\nability vendor/thing;\nrange gpu;\n"
	"type fs_t, pool;\ntype user_t;\ntype svc_t, pool;\n"
	"allow_attach default /...;\n"
	"allow_attach fs_t { /dev/fsF* /run/fs/... @fs-* };\n"
	"allow_attach user_t /run/u fs_t;\nallow_link svc_t /tmp/l*;\n"
	"allow fs_t self:ability { io nonroot setuid:1000-2000,5 vendor/thing:7,gpu };\n"
	"allow user_t { fs_t self }:channel connect;\n"
	"allow svc_t self:ability { -public_channel net_bind_service:80,443 };\n"
	"derive_type user_t low svc_t;\n"
	"learn svc_t;\nlimit pool processes 64;\n";

static void test_add_type_is_one_more_declaration(void **state)
{
	struct compile_opts o = {.mutable_ = true, .has_id = true, .id = 0x77};
	const char *texts[2] = {every_section, "type new_t;\n"};
	struct res *base, *want;
	struct sp_policy *q;
	const void *data;
	size_t len;
	uint32_t t;

	(void)state;
	base = compile_opts(texts, 1, &o);
	assert_int_equal(base->r, 0);
	data = sp_policy_data(base->p, &len);
	assert_int_equal(((const struct spb_header *)data)->section_count, 11);

	/* the policy with `type new_t;` added, byte for byte */
	want = compile_opts(texts, 2, &o);
	assert_int_equal(want->r, 0);
	assert_int_equal(sp_policy_add_type(base->p, "new_t", 0, &q, &t), 0);
	assert_int_equal(t, 4);
	data = sp_policy_data(q, &len);
	assert_int_equal(len, want->len);
	assert_memory_equal(data, want->bin, len);
	sp_policy_free(q);
	done(want);

	/* learning: `type new_t; learn new_t;` */
	texts[1] = "type new_t;\nlearn new_t;\n";
	want = compile_opts(texts, 2, &o);
	assert_int_equal(sp_policy_add_type(base->p, "new_t", SPB_T_LEARNING,
					    &q, &t), 0);
	data = sp_policy_data(q, &len);
	assert_int_equal(len, want->len);
	assert_memory_equal(data, want->bin, len);
	sp_policy_free(q);
	done(want);

	/* immutable and with the automatic ID: kept, not recomputed */
	o = (struct compile_opts){0};
	texts[1] = "type new_t;\n";
	done(base);
	base = compile_opts(texts, 1, &o);
	assert_int_equal(sp_policy_add_type(base->p, "new_t", 0, &q, &t), 0);
	assert_int_equal(sp_policy_id(q), sp_policy_id(base->p));
	assert_false(sp_policy_mutable(q));
	want = compile_opts(texts, 2, &o);
	assert_int_not_equal(sp_policy_id(want->p), sp_policy_id(base->p));
	sp_policy_free(q);
	done(want);
	/* the names the compiler has */
	assert_int_equal(sp_policy_add_type(base->p, "pool", 0, &q, &t), -EEXIST);
	assert_int_equal(sp_policy_add_type(base->p, "svc_t", 0, &q, &t), -EEXIST);
	assert_int_equal(sp_policy_add_type(base->p, "new-t", 0, &q, &t), -EINVAL);
	done(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_ability_misspelt),
		cmocka_unit_test(test_unknown_ability_suggestions),
		cmocka_unit_test(test_unknown_ability_no_suggestion),
		cmocka_unit_test(test_ability_names_any_case),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_unknown_attribute),
		cmocka_unit_test(test_unknown_attribute_hint),
		cmocka_unit_test(test_unknown_range),
		cmocka_unit_test(test_attribute_as_number_message),
		cmocka_unit_test(test_duplicate_declarations),
		cmocka_unit_test(test_duplicate_across_files),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_type_named_self),
		cmocka_unit_test(test_name_too_long),
		cmocka_unit_test(test_qnx_only_abilities),
		cmocka_unit_test(test_noinherit_is_an_error),
		cmocka_unit_test(test_unlock_is_a_warning),
		cmocka_unit_test(test_subrange_on_unranged_ability),
		cmocka_unit_test(test_value_out_of_range),
		cmocka_unit_test(test_value_syntax),
		cmocka_unit_test(test_settypeid_escalation),
		cmocka_unit_test(test_settypeid_gain_priv),
		cmocka_unit_test(test_denied_and_granted),
		cmocka_unit_test(test_duplicate_and_conflicting_rules),
		cmocka_unit_test(test_relabel_to_own_type_is_no_conflict),
		cmocka_unit_test(test_subject_twice_one_rule),
		cmocka_unit_test(test_duplicate_derivation),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_attribute_where_a_type_is_needed),
		cmocka_unit_test(test_several_errors_one_run),
		cmocka_unit_test(test_syntax_errors_recovered),
		cmocka_unit_test(test_end_of_input),
		cmocka_unit_test(test_lexical_errors),
		cmocka_unit_test(test_caret_on_utf8),
		cmocka_unit_test(test_tabs_keep_the_caret_aligned),
		cmocka_unit_test(test_too_many_errors),
		cmocka_unit_test(test_type_ids),
		cmocka_unit_test(test_attributes_expand),
		cmocka_unit_test(test_attribute_used_before_members),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_default_priv),
		cmocka_unit_test(test_removal),
		cmocka_unit_test(test_qnx_aliases),
		cmocka_unit_test(test_subranges),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_paths_and_pathspace),
		cmocka_unit_test(test_derive_type),
		cmocka_unit_test(test_named_ranges),
		cmocka_unit_test(test_custom_abilities),
		cmocka_unit_test(test_multiple_files),
		cmocka_unit_test(test_policy_id_and_mutable),
		cmocka_unit_test(test_man_page_policy),
		cmocka_unit_test(test_learn),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_add_type_is_one_more_declaration),
	};

	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}
