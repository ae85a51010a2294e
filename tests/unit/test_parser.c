// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: the policy parser (tree shapes, syntax errors, recovery). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/arena.h"
#include "lang/parser.h"
#include "policy/format.h"

struct parsed {
	struct arena arena;
	struct diags diags;
	struct source src;
	struct policy_ast ast;
};

static struct parsed *parse(const char *text)
{
	struct parsed *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->src = (struct source){"t.sp", text, strlen(text)};
	diags_init(&p->diags, &p->src, 1);
	assert_int_equal(parse_policy(&p->src, 1, &p->arena, &p->diags,
				      &p->ast),
			 0);
	return p;
}

static void done(struct parsed *p)
{
	diags_free(&p->diags);
	arena_free(&p->arena);
	free(p);
}

static void assert_name(const struct name *n, const char *s)
{
	assert_int_equal(n->len, strlen(s));
	assert_memory_equal(n->s, s, n->len);
}

/* The first error message, or "" */
static const char *first_error(const struct parsed *p)
{
	size_t i;

	for (i = 0; i < p->diags.n; i++)
		if (p->diags.v[i].sev == DIAG_ERROR)
			return p->diags.v[i].msg;
	return "";
}

static void test_type_and_attrs(void **state)
{
	struct parsed *p = parse("type io_pkt_t, priv_port, net;\n"
				 "attribute priv_port;\nrange gpu_mem;\n"
				 "ability iofunc/dup;");

	(void)state;
	assert_int_equal(p->diags.errors, 0);
	assert_int_equal(p->ast.n, 4);
	assert_int_equal(p->ast.stmts[0].kind, S_TYPE);
	assert_name(&p->ast.stmts[0].u.type.name, "io_pkt_t");
	assert_int_equal(p->ast.stmts[0].u.type.attrs.n, 2);
	assert_name(&p->ast.stmts[0].u.type.attrs.v[1], "net");
	assert_int_equal(p->ast.stmts[1].kind, S_ATTRIBUTE);
	assert_int_equal(p->ast.stmts[2].kind, S_RANGE);
	assert_name(&p->ast.stmts[3].u.decl, "iofunc/dup");
	done(p);
}

static void test_allow_ability_items(void **state)
{
	struct parsed *p = parse(
		"allow { a b } self : ability {\n"
		"  nonroot setuid:4,6,0x10-0x20 mem_phys:0- -priority\n"
		"  gain_priv:channel_connect settypeid:user_t unlock\n"
		"};\n"
		"allow a self:ability io;");
	const struct stmt *st;
	const struct item *it;

	(void)state;
	assert_int_equal(p->diags.errors, 0);
	assert_int_equal(p->ast.n, 2);
	st = &p->ast.stmts[0];
	assert_int_equal(st->kind, S_ALLOW_ABILITY);
	assert_int_equal(st->u.ability.subjects.n, 2);
	assert_true(st->u.ability.target.self);
	assert_int_equal(st->u.ability.nitems, 7);
	it = st->u.ability.items;
	assert_int_equal(it[0].kind, I_NONROOT);
	assert_int_equal(it[1].kind, I_GRANT);
	assert_name(&it[1].name, "setuid");
	assert_int_equal(it[1].nvalues, 3);
	assert_int_equal(it[1].values[0].kind, V_NUM);
	assert_int_equal(it[1].values[1].lo, 6);
	assert_int_equal(it[1].values[2].kind, V_RANGE);
	assert_int_equal(it[1].values[2].lo, 16);
	assert_int_equal(it[1].values[2].hi, 32);
	assert_true(it[2].values[0].open);
	assert_true(it[2].values[0].hi == UINT64_MAX);
	assert_int_equal(it[3].kind, I_DENY);
	assert_name(&it[3].name, "priority");
	assert_int_equal(it[3].name.loc.col, 45);
	assert_int_equal(it[4].kind, I_GAIN_PRIV);
	assert_name(&it[4].name, "channel_connect");
	assert_int_equal(it[5].values[0].kind, V_NAME);
	assert_name(&it[5].values[0].name, "user_t");
	assert_int_equal(it[6].kind, I_UNLOCK);
	assert_int_equal(p->ast.stmts[1].u.ability.nitems, 1);
	done(p);
}

static void test_connect_attach_link_derive(void **state)
{
	struct parsed *p = parse(
		"allow {root_t user_t} io_pkt_t:channel connect;\n"
		"allow fs_t self:channel { connect };\n"
		"allow_attach qconn_t / io_pkt_t;\n"
		"allow_attach fs_t { /dev/fsF* / /fsFp0 @abs };\n"
		"allow_link fs_nonuser_t /tmp/libc*;\n"
		"derive_type random_t run random_t__run;");
	const struct stmt *st = p->ast.stmts;

	(void)state;
	assert_int_equal(p->diags.errors, 0);
	assert_int_equal(p->ast.n, 6);
	assert_int_equal(st[0].kind, S_ALLOW_CONNECT);
	assert_int_equal(st[0].u.connect.subjects.n, 2);
	assert_name(&st[0].u.connect.targets.v[0], "io_pkt_t");
	assert_true(st[1].u.connect.targets.v[0].self);
	assert_int_equal(st[2].kind, S_ALLOW_ATTACH);
	assert_int_equal(st[2].u.attach.npaths, 1);
	assert_name(&st[2].u.attach.newtype, "io_pkt_t");
	assert_int_equal(st[3].u.attach.npaths, 4);
	assert_int_equal(st[3].u.attach.newtype.len, 0);
	assert_int_equal(st[4].kind, S_ALLOW_LINK);
	assert_int_equal(st[5].kind, S_DERIVE);
	assert_name(&st[5].u.derive.derived, "random_t__run");
	done(p);
}

static void test_hyphen_in_type_name(void **state)
{
	struct parsed *p = parse("type fs-user;\ntype ok_t;");

	(void)state;
	assert_int_equal(p->diags.errors, 1);
	assert_non_null(strstr(first_error(p), "contains '-'"));
	assert_non_null(strstr(first_error(p), "fs_user"));
	assert_int_equal(p->diags.v[0].loc.col, 8); /* the hyphen itself */
	/* the bad statement is dropped, the next one kept */
	assert_int_equal(p->ast.n, 1);
	assert_name(&p->ast.stmts[0].u.type.name, "ok_t");
	done(p);
}

static void test_digit_type_name(void **state)
{
	struct parsed *p = parse("type 9lives;");

	(void)state;
	assert_non_null(strstr(first_error(p), "starts with a digit"));
	done(p);
}

static void test_missing_semicolon_one_error(void **state)
{
	struct parsed *p = parse("type a\ntype b;\ntype c;");

	(void)state;
	/* one error, and a, b and c all declared: the ';' was all that was
	 * missing before the next line's statement */
	assert_int_equal(p->diags.errors, 1);
	assert_non_null(strstr(first_error(p), "expected ';'"));
	assert_int_equal(p->diags.v[0].loc.line, 2);
	assert_int_equal(p->ast.n, 3);
	assert_name(&p->ast.stmts[0].u.type.name, "a");
	assert_name(&p->ast.stmts[1].u.type.name, "b");
	done(p);
}

static void test_all_errors_reported(void **state)
{
	struct parsed *p = parse("tpye a;\nallow a b:ability io;\n"
				 "allow a self:file read;\n"
				 "allow a self:ability setuid:10-5;\n"
				 "allow a self:ability setuid:12abc;\n"
				 "allow_link a /x b;\n"
				 "allow_attach a mount:/;\n");

	(void)state;
	assert_int_equal(p->diags.errors, 7);
	assert_non_null(strstr(p->diags.v[0].msg, "did you mean 'type'"));
	assert_non_null(strstr(p->diags.v[1].msg, "write 'self'"));
	assert_non_null(strstr(p->diags.v[2].msg, "unknown class 'file'"));
	assert_non_null(strstr(p->diags.v[3].msg, "starts after it ends"));
	assert_non_null(strstr(p->diags.v[4].msg, "not a number"));
	assert_non_null(strstr(p->diags.v[5].msg, "takes no channel type"));
	assert_non_null(strstr(p->diags.v[6].msg, "file-type prefixes"));
	assert_int_equal(p->ast.n, 0);
	done(p);
}

static void test_unterminated_braces(void **state)
{
	struct parsed *p = parse("allow a self:ability { io\ntype b;");

	(void)state;
	assert_true(p->diags.errors >= 1);
	/* recovery stops at the next statement keyword */
	assert_int_equal(p->ast.n, 1);
	assert_int_equal(p->ast.stmts[0].kind, S_TYPE);
	done(p);
}

static void test_qnx_only_statement(void **state)
{
	struct parsed *p = parse("mount_point 1000:1001 { u::rw } /dev/mp;");

	(void)state;
	assert_int_equal(p->diags.errors, 1);
	assert_non_null(strstr(first_error(p), "no Linux meaning"));
	done(p);
}

static void test_number_too_large(void **state)
{
	struct parsed *p = parse(
		"allow a self:ability x/y:99999999999999999999;");

	(void)state;
	assert_non_null(strstr(first_error(p), "too large"));
	done(p);
}

static void test_keywords_any_case(void **state)
{
	struct parsed *p = parse("TYPE a;\nALLOW a SELF:ABILITY { IO };");

	(void)state;
	assert_int_equal(p->diags.errors, 0);
	assert_int_equal(p->ast.n, 2);
	done(p);
}

static void test_learn_and_limit(void **state)
{
	struct parsed *p = parse("learn svc_t;\nlearn { a_t pool };\n"
				 "limit svc_t processes 200;\n"
				 "LIMIT { a_t b_t } Processes 0050;");
	const struct stmt *st;

	(void)state;
	assert_int_equal(p->diags.errors, 0);
	assert_int_equal(p->ast.n, 4);
	st = &p->ast.stmts[0];
	assert_int_equal(st->kind, S_LEARN);
	assert_int_equal(st->u.learn.n, 1);
	assert_name(&st->u.learn.v[0], "svc_t");
	st = &p->ast.stmts[1];
	assert_int_equal(st->kind, S_LEARN);
	assert_int_equal(st->u.learn.n, 2);
	assert_name(&st->u.learn.v[1], "pool");
	st = &p->ast.stmts[2];
	assert_int_equal(st->kind, S_LIMIT);
	assert_int_equal(st->u.limit.subjects.n, 1);
	assert_int_equal(st->u.limit.kind, SPB_L_PROCESSES);
	assert_int_equal(st->u.limit.value, 200);
	assert_int_equal(st->u.limit.value_loc.col, 23);
	st = &p->ast.stmts[3];
	assert_int_equal(st->u.limit.subjects.n, 2);
	assert_int_equal(st->u.limit.value, 50);
	done(p);

	/* a broken statement is dropped and parsing goes on */
	p = parse("limit a_t processes 0;\nlimit a_t threads 1;\nlearn b_t;");
	assert_int_equal(p->diags.errors, 2);
	assert_int_equal(p->ast.n, 1);
	assert_int_equal(p->ast.stmts[0].kind, S_LEARN);
	done(p);

	/* learn and limit end an unclosed brace list */
	p = parse("allow_attach a_t { /x\nlearn a_t;");
	assert_int_equal(p->ast.n, 1);
	assert_int_equal(p->ast.stmts[0].kind, S_LEARN);
	done(p);

	/* a misspelt keyword is suggested */
	p = parse("lern a_t;");
	assert_string_equal(first_error(p),
			    "unknown statement 'lern'; did you mean 'learn'?");
	done(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_and_attrs),
		cmocka_unit_test(test_allow_ability_items),
		cmocka_unit_test(test_connect_attach_link_derive),
		cmocka_unit_test(test_hyphen_in_type_name),
		cmocka_unit_test(test_digit_type_name),
		cmocka_unit_test(test_missing_semicolon_one_error),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_unterminated_braces),
		cmocka_unit_test(test_qnx_only_statement),
		cmocka_unit_test(test_number_too_large),
		cmocka_unit_test(test_keywords_any_case),
		cmocka_unit_test(test_learn_and_limit),
	};

	return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
