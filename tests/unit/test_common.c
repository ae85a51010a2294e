// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: number parsing, escaping, string buffers, ability table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/escape.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "policy/ability.h"

static void test_strnum_bases(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(strnum_u64("42", 0, 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(strnum_u64("0x1F", 0, 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 31);
	assert_int_equal(strnum_u64("017", 0, 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(strnum_u64("18446744073709551615", 0, 0, UINT64_MAX,
				    &v), 0);
	assert_true(v == UINT64_MAX);
}

static void test_strnum_rejects(void **state)
{
	uint64_t v = 7;

	(void)state;
	assert_int_equal(strnum_u64("", 0, 0, 100, &v), -EINVAL);
	assert_int_equal(strnum_u64(" 1", 0, 0, 100, &v), -EINVAL);
	assert_int_equal(strnum_u64("-1", 0, 0, 100, &v), -EINVAL);
	assert_int_equal(strnum_u64("+1", 0, 0, 100, &v), -EINVAL);
	assert_int_equal(strnum_u64("12x", 0, 0, 100, &v), -EINVAL);
	assert_int_equal(strnum_u64("09", 0, 0, 100, &v), -EINVAL);
	assert_int_equal(strnum_u64("101", 0, 0, 100, &v), -ERANGE);
	assert_int_equal(strnum_u64("18446744073709551616", 0, 0, UINT64_MAX,
				    &v), -ERANGE);
	assert_int_equal(v, 7); /* untouched on error */
}

static const char *esc(const char *s, size_t n)
{
	static struct strbuf sb = STRBUF_INIT;

	sb_reset(&sb);
	sb_escape(&sb, s, n, 0);
	return sb_str(&sb);
}

static void test_escape(void **state)
{
	(void)state;
	assert_string_equal(esc("usr/bin/touch", 13), "usr/bin/touch");
	assert_string_equal(esc("a\nb", 3), "a\\nb");
	assert_string_equal(esc("a\\b", 3), "a\\\\b");
	assert_string_equal(esc("a b", 3), "a\\040b");
	assert_string_equal(esc("\x1b[31m", 5), "\\033[31m");
	assert_string_equal(esc("x\0y", 3), "x\\000y");
	assert_string_equal(esc("\x7f", 1), "\\177");
	/* valid UTF-8 kept, invalid and overlong escaped */
	assert_string_equal(esc("caf\xc3\xa9", 5), "caf\xc3\xa9");
	assert_string_equal(esc("\xff", 1), "\\377");
	assert_string_equal(esc("\xc0\xaf", 2), "\\300\\257");
	assert_string_equal(esc("\xed\xa0\x80", 3), "\\355\\240\\200");
	/* truncated sequence at the end */
	assert_string_equal(esc("\xe2\x82", 2), "\\342\\202");
	/* C1 control and RIGHT-TO-LEFT OVERRIDE */
	assert_string_equal(esc("\xc2\x85", 2), "\\302\\205");
	assert_string_equal(esc("\xe2\x80\xae", 3), "\\342\\200\\256");
}

static void test_json_string(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sb_json_string(&sb, "a\"b\\c\nd e", 9);
	assert_string_equal(sb_str(&sb), "\"a\\\"b\\\\\\\\c\\\\nd e\"");
	sb_free(&sb);
}

static void test_strbuf_printf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		sb_printf(&sb, "%d,", i);
	assert_int_equal(sb_error(&sb), 0);
	assert_true(strncmp(sb_str(&sb), "0,1,2,", 6) == 0);
	assert_int_equal(sb.len, strlen(sb_str(&sb)));
	sb_free(&sb);
}

static void test_ability_table(void **state)
{
	const struct ability_info *a;
	bool alias;
	uint16_t id;

	(void)state;
	for (id = 0; id < AB_NCAPS; id++) {
		a = ability_by_id(id);
		assert_non_null(a);
		assert_int_equal(a->id, id);
	}
	for (id = AB_SECPOL_FIRST; id <= AB_SECPOL_LAST; id++)
		assert_int_equal(ability_by_id(id)->id, id);
	assert_null(ability_by_id(AB_NCAPS));
	assert_null(ability_by_id(AB_SECPOL_LAST + 1));

	a = ability_lookup("IO", 2, &alias);
	assert_non_null(a);
	assert_string_equal(a->upper, "SYS_RAWIO");
	assert_true(alias);
	a = ability_lookup("Net_Bind_Service", 16, &alias);
	assert_int_equal(a->value, AB_VAL_NUMBER);
	assert_false(alias);
	assert_null(ability_lookup("cap_chown", 9, NULL));
	assert_true(ability_is_qnx_only("RSRCDBMGR", 9));
	assert_false(ability_is_qnx_only("io", 2));
	assert_int_equal(ability_lookup("channel_connect", 15, NULL)->value,
			 AB_VAL_TYPE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strnum_bases),
		cmocka_unit_test(test_strnum_rejects),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_strbuf_printf),
		cmocka_unit_test(test_ability_table),
	};

	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
