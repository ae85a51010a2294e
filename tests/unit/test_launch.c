// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: which ia32 system calls the filter's knowledge marks as
 * supervised (secpold refuses those even to compat_syscalls). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <sched.h>

#include "launch/launch.h"

/* i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl) */
enum {
	I386_GETPID = 20,
	I386_SETUID = 23,
	I386_SOCKETCALL = 102,
	I386_CLONE = 120,
	I386_SETUID32 = 213,
	I386_SETGROUPS32 = 206,
	I386_UNSHARE = 310,
	I386_SETNS = 346,
	I386_BIND = 361,
	I386_CONNECT = 362,
	I386_SENDTO = 369,
	I386_IO_URING_ENTER = 426,
	I386_CLONE3 = 435,
};

static bool sup(int nr, uint64_t a0, uint64_t a1, uint64_t a4)
{
	const uint64_t args[6] = {a0, a1, 0, 0, a4, 0};

	return launch_compat_supervised(nr, args);
}

static void test_compat_plain(void **state)
{
	(void)state;
	assert_true(sup(I386_BIND, 0, 0, 0));
	assert_true(sup(I386_CONNECT, 0, 0, 0));
	assert_true(sup(I386_SETUID, 0, 0, 0));
	assert_true(sup(I386_SETUID32, 0, 0, 0));
	assert_true(sup(I386_SETGROUPS32, 0, 0, 0));
	assert_true(sup(I386_IO_URING_ENTER, 0, 0, 0));
	assert_true(sup(I386_CLONE3, 0, 0, 0));
	assert_false(sup(I386_GETPID, 0, 0, 0));
}

static void test_compat_arguments(void **state)
{
	(void)state;
	/* socketcall: bind (2), connect (3), sendto (11) yes; socket (1),
	 * recvfrom (12) no */
	assert_true(sup(I386_SOCKETCALL, 2, 0, 0));
	assert_true(sup(I386_SOCKETCALL, 3, 0, 0));
	assert_true(sup(I386_SOCKETCALL, 11, 0, 0));
	assert_false(sup(I386_SOCKETCALL, 1, 0, 0));
	assert_false(sup(I386_SOCKETCALL, 12, 0, 0));
	/* a user namespace: made or joined */
	assert_true(sup(I386_CLONE, CLONE_NEWUSER | CLONE_NEWNS, 0, 0));
	assert_false(sup(I386_CLONE, CLONE_VM, 0, 0));
	assert_true(sup(I386_UNSHARE, CLONE_NEWUSER, 0, 0));
	assert_false(sup(I386_UNSHARE, CLONE_NEWNS, 0, 0));
	assert_true(sup(I386_SETNS, 3, 0, 0));
	assert_true(sup(I386_SETNS, 3, CLONE_NEWUSER, 0));
	assert_false(sup(I386_SETNS, 3, CLONE_NEWNET, 0));
	/* sendto with an address only */
	assert_true(sup(I386_SENDTO, 3, 0, 0x1000));
	assert_false(sup(I386_SENDTO, 3, 0, 0));
}

static void test_supervised_list(void **state)
{
	const char *const *l = launch_supervised_syscalls();
	bool setgroups = false, enter = false;

	(void)state;
	for (; *l; l++) {
		setgroups |= !strcmp(*l, "setgroups");
		enter |= !strcmp(*l, "io_uring_enter");
	}
	assert_true(setgroups && enter);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_plain),
		cmocka_unit_test(test_compat_arguments),
		cmocka_unit_test(test_supervised_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
