// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests for running as a service: the CTL_LIST records (written by
 * secpold, read by secpol -l, from a peer that is checked), the journal
 * detection of the logger, and the systemd STATUS= line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/log.h"
#include "common/strbuf.h"
#include "ctl/list.h"
#include "daemon/notify.h"

static struct ctl_list_entry entry(uint32_t pid, const char *type,
				   const char *name)
{
	struct ctl_list_entry e = {
		.rec = {.pid = pid, .type = 1, .euid = 0, .nthreads = 1},
		.type_name = type,
		.name = name,
	};

	e.rec.type_len = type ? (uint16_t)strlen(type) : 0;
	e.rec.name_len = name ? (uint16_t)strlen(name) : 0;
	return e;
}

static void test_list_roundtrip(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ctl_list_entry in[3], out;
	size_t off = 0;
	int i;

	(void)state;
	in[0] = entry(1, "a_t", "usr/bin/sleep");
	in[1] = entry(22, NULL, NULL); /* beyond the policy, unnamed */
	in[2] = entry(333, "b_t", "x");
	in[2].rec.euid = UINT32_MAX;
	in[2].rec.start_ns = 0x123456789abcdefull;
	for (i = 0; i < 3; i++)
		assert_int_equal(ctl_list_append(&sb, &in[i]), 0);
	assert_int_equal(sb_error(&sb), 0);
	assert_int_equal(sb.len % 8, 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ctl_list_next(sb.buf, sb.len, &off, &out), 1);
		assert_memory_equal(&out.rec, &in[i].rec, sizeof(out.rec));
		if (in[i].rec.type_len)
			assert_memory_equal(out.type_name, in[i].type_name,
					    in[i].rec.type_len);
		if (in[i].rec.name_len)
			assert_memory_equal(out.name, in[i].name,
					    in[i].rec.name_len);
	}
	assert_int_equal(ctl_list_next(sb.buf, sb.len, &off, &out), 0);
	assert_int_equal(off, sb.len);
	/* a length without its name is refused when writing */
	in[0].type_name = NULL;
	assert_int_equal(ctl_list_append(&sb, &in[0]), -EINVAL);
	sb_free(&sb);
}

/* Every truncation of a valid listing is refused, never read past. */
static void test_list_truncated(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ctl_list_entry e = entry(7, "a_t", "some/name");
	size_t len;

	(void)state;
	ctl_list_append(&sb, &e);
	for (len = 1; len < sb.len; len++) {
		/* a copy of exactly len bytes: ASan sees any overread */
		char *copy = malloc(len);
		struct ctl_list_entry out;
		size_t off = 0;

		memcpy(copy, sb.buf, len);
		assert_int_equal(ctl_list_next(copy, len, &off, &out), -EPROTO);
		assert_int_equal(off, 0);
		free(copy);
	}
	sb_free(&sb);
}

static void test_list_malformed(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct ctl_list_entry e = entry(7, "a_t", "name"), out;
	struct ctl_list_rec rec;
	size_t off;
	char *buf;

	(void)state;
	ctl_list_append(&sb, &e);
	buf = sb.buf;
	/* a NUL inside a name */
	buf[sizeof(rec) + 1] = '\0';
	off = 0;
	assert_int_equal(ctl_list_next(buf, sb.len, &off, &out), -EPROTO);
	buf[sizeof(rec) + 1] = '_';
	/* padding that is not zero */
	buf[sb.len - 1] = 'x';
	off = 0;
	assert_int_equal(ctl_list_next(buf, sb.len, &off, &out), -EPROTO);
	buf[sb.len - 1] = '\0';
	/* lengths that reach past the end */
	memcpy(&rec, buf, sizeof(rec));
	rec.name_len = UINT16_MAX;
	memcpy(buf, &rec, sizeof(rec));
	off = 0;
	assert_int_equal(ctl_list_next(buf, sb.len, &off, &out), -EPROTO);
	sb_free(&sb);
}

static void test_journal_stream(void **state)
{
	char path[] = "/tmp/secpol-journal-XXXXXX", env[64];
	struct stat st;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(fstat(fd, &st), 0);
	unsetenv("JOURNAL_STREAM");
	assert_false(log_fd_is_journal(fd));
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	assert_true(log_fd_is_journal(fd));
	/* another stream (the inode differs) */
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", env, 1);
	assert_false(log_fd_is_journal(fd));
	/* malformed values are no journal */
	static const char *const bad[] = {"", ":", "1", "1:", ":1", "a:b",
					  "1:2:3", "-1:2", "1: 2"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("JOURNAL_STREAM", bad[i], 1);
		assert_false(log_fd_is_journal(fd));
	}
	unsetenv("JOURNAL_STREAM");
	close(fd);
}

static void test_notify_status(void **state)
{
	char buf[128];

	(void)state;
	notify_format_status(buf, sizeof(buf), true, 0x42, true, 3);
	assert_string_equal(buf, "policy 0x00000042 (mutable), 3 typed processes");
	notify_format_status(buf, sizeof(buf), true, 0x42, false, 1);
	assert_string_equal(buf, "policy 0x00000042 (immutable), 1 typed process");
	notify_format_status(buf, sizeof(buf), false, 0, false, 0);
	assert_string_equal(buf, "no policy (push one with 'secpol -p'), 0 typed processes");
	/* unknown count: left out */
	notify_format_status(buf, sizeof(buf), true, 7, true, -1);
	assert_string_equal(buf, "policy 0x00000007 (mutable)");
	/* too small: cut, still terminated */
	notify_format_status(buf, 10, true, 7, true, 5);
	assert_int_equal(strlen(buf), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_roundtrip),
		cmocka_unit_test(test_list_truncated),
		cmocka_unit_test(test_list_malformed),
		cmocka_unit_test(test_journal_stream),
		cmocka_unit_test(test_notify_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
