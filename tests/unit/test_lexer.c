// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: the policy lexer and diagnostic printing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/diag.h"
#include "lang/lexer.h"
#include "lang/suggest.h"

struct lexed {
	struct token tok[64];
	size_t n;
	struct diags diags;
	struct source src[2];
};

static void lex_all(struct lexed *l, const char *a, size_t alen,
		    const char *b)
{
	struct lexer lx;

	memset(l, 0, sizeof(*l));
	l->src[0] = (struct source){"a.sp", a, alen};
	l->src[1] = (struct source){"b.sp", b ? b : "", b ? strlen(b) : 0};
	diags_init(&l->diags, l->src, b ? 2 : 1);
	lexer_init(&lx, l->src, b ? 2 : 1, &l->diags);
	do {
		lexer_next(&lx, &l->tok[l->n]);
	} while (l->tok[l->n++].kind != T_EOF && l->n < 64);
}

static void assert_word(const struct token *t, const char *text,
			uint32_t line, uint32_t col)
{
	assert_int_equal(t->kind, T_WORD);
	assert_int_equal(t->len, strlen(text));
	assert_memory_equal(t->text, text, t->len);
	assert_int_equal(t->loc.line, line);
	assert_int_equal(t->loc.col, col);
}

static void test_words_and_punctuation(void **state)
{
	static const char text[] =
		"allow fs_t self:ability { setuid:1000-2000,3 -mem_phys };\n"
		"allow_attach fs_t /dev/fsF* ; # comment { ; }\n"
		"\tallow_link x /...;";
	struct lexed l;

	(void)state;
	lex_all(&l, text, sizeof(text) - 1, NULL);
	assert_int_equal(l.diags.errors, 0);
	assert_word(&l.tok[0], "allow", 1, 1);
	assert_word(&l.tok[1], "fs_t", 1, 7);
	assert_word(&l.tok[2], "self", 1, 12);
	assert_int_equal(l.tok[3].kind, T_COLON);
	assert_word(&l.tok[4], "ability", 1, 17);
	assert_int_equal(l.tok[5].kind, T_LBRACE);
	assert_word(&l.tok[6], "setuid", 1, 27);
	assert_int_equal(l.tok[7].kind, T_COLON);
	assert_word(&l.tok[8], "1000-2000", 1, 34);
	assert_int_equal(l.tok[9].kind, T_COMMA);
	assert_word(&l.tok[10], "3", 1, 44);
	assert_word(&l.tok[11], "-mem_phys", 1, 46);
	assert_int_equal(l.tok[12].kind, T_RBRACE);
	assert_int_equal(l.tok[13].kind, T_SEMI);
	assert_word(&l.tok[14], "allow_attach", 2, 1);
	assert_word(&l.tok[16], "/dev/fsF*", 2, 19);
	assert_int_equal(l.tok[17].kind, T_SEMI);
	/* the comment is skipped entirely; a tab is one column */
	assert_word(&l.tok[18], "allow_link", 3, 2);
	assert_word(&l.tok[20], "/...", 3, 15);
	assert_int_equal(l.tok[21].kind, T_SEMI);
	assert_int_equal(l.tok[22].kind, T_EOF);
	diags_free(&l.diags);
}

static void test_files_concatenate(void **state)
{
	struct lexed l;

	(void)state;
	lex_all(&l, "type a", 6, ";\ntype b;");
	assert_int_equal(l.diags.errors, 0);
	assert_word(&l.tok[1], "a", 1, 6);
	assert_int_equal(l.tok[1].loc.file, 0);
	assert_int_equal(l.tok[2].kind, T_SEMI);
	assert_int_equal(l.tok[2].loc.file, 1);
	assert_int_equal(l.tok[2].loc.line, 1);
	assert_word(&l.tok[3], "type", 2, 1);
	assert_int_equal(l.tok[3].loc.file, 1);
	assert_int_equal(l.tok[6].kind, T_EOF);
	diags_free(&l.diags);
}

static void test_bad_bytes(void **state)
{
	static const char text[] = "type a\0b;\ntype \x01 c;\ntype caf\xc3\xa9;\n"
				   "type d\xff;\n# comment \x01 ok\n";
	struct lexed l;

	(void)state;
	lex_all(&l, text, sizeof(text) - 1, NULL);
	/* NUL, a control character and a bad UTF-8 byte; the comment's
	 * control character is allowed and the UTF-8 word is fine */
	assert_int_equal(l.diags.errors, 3);
	assert_true(strstr(l.diags.v[0].msg, "NUL") != NULL);
	assert_int_equal(l.diags.v[0].loc.line, 1);
	assert_int_equal(l.diags.v[0].loc.col, 7);
	assert_true(strstr(l.diags.v[1].msg, "control character") != NULL);
	assert_int_equal(l.diags.v[1].loc.line, 2);
	assert_true(strstr(l.diags.v[2].msg, "UTF-8") != NULL);
	assert_int_equal(l.diags.v[2].loc.line, 4);
	/* the words around the NUL survive as separate words */
	assert_word(&l.tok[1], "a", 1, 6);
	assert_word(&l.tok[2], "b", 1, 8);
	assert_word(&l.tok[8], "caf\xc3\xa9", 3, 6);
	diags_free(&l.diags);
}

static void test_long_word(void **state)
{
	size_t n = LEX_MAX_TOKEN + 10;
	char *text = malloc(n + 1);
	struct lexed l;

	(void)state;
	memset(text, 'x', n);
	text[n] = ';';
	lex_all(&l, text, n + 1, NULL);
	assert_int_equal(l.diags.errors, 1);
	assert_true(strstr(l.diags.v[0].msg, "longer than") != NULL);
	assert_int_equal(l.tok[0].len, LEX_MAX_TOKEN);
	assert_int_equal(l.tok[1].kind, T_SEMI);
	diags_free(&l.diags);
	free(text);
}

static char *print_diags(const struct diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	diags_print(d, f);
	fclose(f);
	return buf;
}

static void test_diag_caret(void **state)
{
	static const char text[] = "type a;\n\tallow a self:ability pathspce;\n";
	struct source src = {"p.sp", text, sizeof(text) - 1};
	struct loc l = {0, 2, 23, 8, 8 + 22};
	struct diags d;
	char *out;

	(void)state;
	diags_init(&d, &src, 1);
	diag_error(&d, &l, "unknown ability '%s'", "pathspce");
	out = print_diags(&d);
	assert_string_equal(out,
			    "p.sp:2:23: error: unknown ability 'pathspce'\n"
			    "    2 | \tallow a self:ability pathspce;\n"
			    "      | \t                     ^~~~~~~~\n");
	free(out);
	diags_free(&d);
}

static void test_diag_escapes_source(void **state)
{
	static const char text[] = "type \x1b[2Jx;\n";
	struct source src = {"e\nvil.sp", text, sizeof(text) - 1};
	struct loc l = {0, 1, 6, 1, 5};
	struct diags d;
	char *out;

	(void)state;
	diags_init(&d, &src, 1);
	diag_error(&d, &l, "bad");
	out = print_diags(&d);
	/* the file name and the line are escaped; the caret still lines up
	 * under the four columns of the escaped byte */
	assert_string_equal(out, "e\\nvil.sp:1:6: error: bad\n"
				 "    1 | type \\033[2Jx;\n"
				 "      |      ^~~~\n");
	free(out);
	diags_free(&d);
}

static void test_suggest(void **state)
{
	static const char *const words[] = {"pathspace", "public_channel",
					    "setuid", NULL};

	(void)state;
	assert_string_equal(suggest("pathspce", 8, words, true), "pathspace");
	assert_string_equal(suggest("PATHSPACE", 9, words, true), "pathspace");
	assert_string_equal(suggest("stuid", 5, words, true), "setuid");
	assert_string_equal(suggest("seutid", 6, words, true), "setuid");
	assert_null(suggest("frobnicate", 10, words, true));
	assert_int_equal(edit_distance("abc", 3, "acb", 3, false), 1);
	assert_int_equal(edit_distance("", 0, "abc", 3, false), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_punctuation),
		cmocka_unit_test(test_files_concatenate),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_long_word),
		cmocka_unit_test(test_diag_caret),
		cmocka_unit_test(test_diag_escapes_source),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
