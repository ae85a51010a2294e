// SPDX-License-Identifier: BSD-2-Clause
/* Unit tests: which ia32 system calls the filter's knowledge marks as
 * supervised (secpold refuses those even to compat_syscalls); the plan of
 * the Landlock domain (which directory gets which right) on a fake file
 * system; the rule list secpold sends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <linux/landlock.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctl/proto.h"
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


/* ---- the Landlock plan on a fake file system ---------------------------- */

#define MK_NODE                                                                \
	(LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |         \
	 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK)
#define MK_SYM LANDLOCK_ACCESS_FS_MAKE_SYM
#define REF LANDLOCK_ACCESS_FS_REFER
#define RMD LANDLOCK_ACCESS_FS_REMOVE_DIR

/* Directories (canonical) and one level of symbolic links. */
struct fakefs {
	const char *const *dirs;
	const char *const (*links)[2]; /* {link, target}, NULL-terminated */
	int listed;                    /* how many lists were asked for */
};

static bool fake_exists(const struct fakefs *f, const char *p)
{
	const char *const *d;

	for (d = f->dirs; *d; d++)
		if (!strcmp(*d, p))
			return true;
	return false;
}

static int fake_resolve(void *ctx, const char *dir, char **canon, bool *exists)
{
	const struct fakefs *f = ctx;
	char buf[512];
	size_t i, n;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (i = 0; f->links && f->links[i][0]; i++) {
		n = strlen(f->links[i][0]);
		if (!strncmp(buf, f->links[i][0], n) &&
		    (buf[n] == '/' || buf[n] == '\0')) {
			char rest[512];

			snprintf(rest, sizeof(rest), "%s", buf + n);
			snprintf(buf, sizeof(buf), "%s%s", f->links[i][1], rest);
		}
	}
	*exists = fake_exists(f, buf);
	*canon = strdup(buf);
	return *canon ? 0 : -ENOMEM;
}

static int fake_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	struct fakefs *f = ctx;
	const char *const *d;
	size_t dl = strlen(dir), k = 0;
	char **v = calloc(64, sizeof(*v));

	f->listed++;
	for (d = f->dirs; v && *d; d++) {
		const char *rest = *d + (dl == 1 ? 1 : dl + 1);

		if (strlen(*d) <= dl || strncmp(*d, dir, dl) ||
		    (dl > 1 && (*d)[dl] != '/') || strchr(rest, '/') || !*rest)
			continue;
		v[k++] = strdup(rest);
	}
	*names = v;
	*n = k;
	return v ? 0 : -ENOMEM;
}

struct want {
	const char *path;
	uint64_t access;
};

/* Builds the plan of rules on f; the grants must be exactly want. */
static void check_plan(const struct launch_rule *rules, size_t n,
		       struct fakefs *f, const struct want *want)
{
	const struct launch_fs fs = {fake_resolve, fake_list, f};
	struct launch_plan pl;
	char why[128];
	size_t i, nw = 0;

	assert_int_equal(launch_plan_build(rules, n, &fs, &pl, why, sizeof(why)),
			 0);
	while (want[nw].path)
		nw++;
	for (i = 0; pl.ngrants != nw && i < pl.ngrants; i++)
		print_message("  grant %s 0x%llx\n", pl.grants[i].path,
			      (unsigned long long)pl.grants[i].access);
	assert_int_equal(pl.ngrants, nw);
	for (i = 0; i < nw; i++) {
		assert_string_equal(pl.grants[i].path, want[i].path);
		assert_int_equal(pl.grants[i].access, want[i].access);
	}
	launch_plan_free(&pl);
}

static const char *const tree[] = {
	"/", "/tmp", "/tmp/S", "/tmp/S/srv", "/tmp/S/srv/sub", "/tmp/S/other",
	"/tmp/S/d", "/tmp/S/d/sub", "/tmp/x", "/usr", "/usr/lib", "/run",
	"/run/app", "/run/dbus", "/var", "/a", "/a/b1", "/a/x", "/a/y", NULL,
};

static void test_plan_no_rules(void **state)
{
	struct fakefs f = {tree, NULL, 0};
	static const struct want w[] = {{"/", REF | RMD}, {NULL, 0}};
	/* abstract names are not on the file system */
	const struct launch_rule abs[] = {{LAUNCH_ATTACH, LAUNCH_EXACT, "@x"}};

	(void)state;
	check_plan(NULL, 0, &f, w);
	assert_int_equal(f.listed, 0);
	check_plan(abs, 1, &f, w);
}

static void test_plan_prefix(void **state)
{
	/* make rights on the directory; REFER beside every ancestor, never
	 * at or below the rule directory; REMOVE_DIR beside the ancestors
	 * and inside the rule directory */
	const struct launch_rule r[] = {
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/tmp/S/srv/..."},
	};
	struct fakefs f = {tree, NULL, 0};
	static const struct want w[] = {
		{"/a", REF | RMD},          {"/run", REF | RMD},
		{"/tmp/S/d", REF | RMD},    {"/tmp/S/other", REF | RMD},
		{"/tmp/S/srv", MK_NODE | RMD}, {"/tmp/x", REF | RMD},
		{"/usr", REF | RMD},        {"/var", REF | RMD},
		{NULL, 0},
	};

	(void)state;
	check_plan(r, 1, &f, w);
}

static void test_plan_exact(void **state)
{
	/* an exact rule gives no make right: the socket cannot be renamed
	 * over a neighbour's name; its directory keeps its name */
	const struct launch_rule r[] = {
		{LAUNCH_ATTACH, LAUNCH_EXACT, "/tmp/S/d/mine.sock"},
		{LAUNCH_LINK, LAUNCH_EXACT, "/tmp/S/d/sub/l"},
	};
	struct fakefs f = {tree, NULL, 0};
	static const struct want w[] = {
		{"/a", REF | RMD},       {"/run", REF | RMD},
		{"/tmp/S/d/sub", RMD},   {"/tmp/S/other", REF | RMD},
		{"/tmp/S/srv", REF | RMD}, {"/tmp/x", REF | RMD},
		{"/usr", REF | RMD},     {"/var", REF | RMD},
		{NULL, 0},
	};

	(void)state;
	/* /tmp/S/d is an ancestor of /tmp/S/d/sub: no REMOVE_DIR there */
	check_plan(r, 2, &f, w);
}

static void test_plan_missing(void **state)
{
	/* a directory made later gets nothing; what exists of its path is
	 * protected (hole 3 of issue 8) */
	const struct launch_rule r[] = {
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/tmp/S/new/sub/..."},
	};
	struct fakefs f = {tree, NULL, 0};
	static const struct want w[] = {
		{"/a", REF | RMD},          {"/run", REF | RMD},
		{"/tmp/S/d", REF | RMD},    {"/tmp/S/other", REF | RMD},
		{"/tmp/S/srv", REF | RMD},  {"/tmp/x", REF | RMD},
		{"/usr", REF | RMD},        {"/var", REF | RMD},
		{NULL, 0},
	};

	(void)state;
	check_plan(r, 1, &f, w);
}

static void test_plan_symlink(void **state)
{
	/* /var/run -> /run: the real directory is protected, and so is
	 * /var, which holds the link (replaced by a directory, that must
	 * not move freely) */
	const char *const links[][2] = {{"/var/run", "/run"}, {NULL, NULL}};
	const struct launch_rule r[] = {
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/var/run/app/..."},
	};
	struct fakefs f = {tree, links, 0};
	static const struct want w[] = {
		{"/a", REF | RMD},        {"/run/app", MK_NODE | RMD},
		{"/run/dbus", REF | RMD}, {"/tmp", REF | RMD},
		{"/usr", REF | RMD},      {NULL, 0},
	};

	(void)state;
	check_plan(r, 1, &f, w);
}

static void test_plan_patterns(void **state)
{
	/* a pattern spanning directories: no directory below it moves */
	const struct launch_rule deep[] = {
		{LAUNCH_ATTACH, LAUNCH_PATTERN, "/a/b*/s.sock"},
	};
	/* one within a directory: its subdirectories may */
	const struct launch_rule flat[] = {
		{LAUNCH_LINK, LAUNCH_PATTERN, "/a/*.lnk"},
	};
	struct fakefs f = {tree, NULL, 0};
	static const struct want wd[] = {
		{"/run", REF | RMD}, {"/tmp", REF | RMD}, {"/usr", REF | RMD},
		{"/var", REF | RMD}, {NULL, 0},
	};
	static const struct want wf[] = {
		{"/a", RMD},         {"/run", REF | RMD}, {"/tmp", REF | RMD},
		{"/usr", REF | RMD}, {"/var", REF | RMD}, {NULL, 0},
	};

	(void)state;
	check_plan(deep, 1, &f, wd);
	check_plan(flat, 1, &f, wf);
}

static void test_plan_subsumed(void **state)
{
	/* a rule below a `D/...` of its kind adds nothing to protect; one
	 * of the other kind does */
	const struct launch_rule same[] = {
		{LAUNCH_ATTACH, LAUNCH_EXACT, "/a/x/s"},
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/a/..."},
		{LAUNCH_ATTACH, LAUNCH_PATTERN, "/a/b*/s"},
	};
	const struct launch_rule other[] = {
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/a/..."},
		{LAUNCH_LINK, LAUNCH_EXACT, "/a/x/l"},
	};
	struct fakefs f = {tree, NULL, 0};
	static const struct want ws[] = {
		{"/a", MK_NODE | RMD}, {"/run", REF | RMD}, {"/tmp", REF | RMD},
		{"/usr", REF | RMD},   {"/var", REF | RMD}, {NULL, 0},
	};
	static const struct want wo[] = {
		{"/a", MK_NODE},     {"/a/b1", RMD},      {"/a/x", RMD},
		{"/a/y", RMD},       {"/run", REF | RMD}, {"/tmp", REF | RMD},
		{"/usr", REF | RMD}, {"/var", REF | RMD}, {NULL, 0},
	};

	(void)state;
	check_plan(same, 3, &f, ws);
	check_plan(other, 2, &f, wo);
}

static void test_plan_everything(void **state)
{
	/* `/...` allows every name of its kind: make rights everywhere, and
	 * nothing to protect for that kind */
	const struct launch_rule all[] = {
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/..."},
	};
	const struct launch_rule mixed[] = {
		{LAUNCH_ATTACH, LAUNCH_PREFIX, "/..."},
		{LAUNCH_LINK, LAUNCH_EXACT, "/run/app/l"},
	};
	const struct launch_rule root[] = {
		{LAUNCH_ATTACH, LAUNCH_EXACT, "/s.sock"},
	};
	struct fakefs f = {tree, NULL, 0};
	static const struct want wa[] = {{"/", MK_NODE | REF | RMD}, {NULL, 0}};
	static const struct want wm[] = {
		{"/", MK_NODE},        {"/a", REF | RMD},   {"/run/app", RMD},
		{"/run/dbus", REF | RMD}, {"/tmp", REF | RMD}, {"/usr", REF | RMD},
		{"/var", REF | RMD},   {NULL, 0},
	};
	/* a rule directory "/": no REFER anywhere */
	static const struct want wr[] = {{"/", RMD}, {NULL, 0}};

	(void)state;
	check_plan(all, 1, &f, wa);
	check_plan(mixed, 2, &f, wm);
	check_plan(root, 1, &f, wr);
}

static void test_plan_errors(void **state)
{
	const struct launch_rule bad[] = {{7, LAUNCH_EXACT, "/a/b"}};
	const struct launch_rule rel[] = {{LAUNCH_ATTACH, LAUNCH_EXACT, "a/b"}};
	struct fakefs f = {tree, NULL, 0};
	const struct launch_fs fs = {fake_resolve, fake_list, &f};
	struct launch_plan pl;
	char why[128] = "";

	(void)state;
	assert_int_equal(launch_plan_build(bad, 1, &fs, &pl, why, sizeof(why)),
			 -EINVAL);
	assert_int_equal(launch_plan_build(rel, 1, &fs, &pl, why, sizeof(why)),
			 -EINVAL);
	assert_non_null(strstr(why, "a/b"));
	assert_int_equal(launch_plan_build(rel, LAUNCH_MAX_RULES + 1, &fs, &pl,
					   why, sizeof(why)),
			 -E2BIG);
}

/* ---- the rule list secpold sends ---------------------------------------- */

static size_t put_rule(char *buf, size_t off, uint8_t kind, uint8_t shape,
		       const char *path)
{
	struct ctl_fs_rule h = {kind, shape, (uint16_t)strlen(path)};

	memcpy(buf + off, &h, sizeof(h));
	memcpy(buf + off + sizeof(h), path, h.len);
	return off + sizeof(h) + h.len;
}

static void test_rules_decode(void **state)
{
	char buf[256];
	struct launch_rules r;
	size_t len;

	(void)state;
	len = put_rule(buf, 0, CTL_FR_ATTACH, CTL_FR_PREFIX, "/run/app/...");
	len = put_rule(buf, len, CTL_FR_LINK, CTL_FR_PATTERN, "/tmp/l*");
	len = put_rule(buf, len, CTL_FR_ATTACH, CTL_FR_EXACT, "/x");
	assert_int_equal(launch_rules_decode(buf, len, 3, &r), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.v[0].kind, LAUNCH_ATTACH);
	assert_int_equal(r.v[0].shape, LAUNCH_PREFIX);
	assert_string_equal(r.v[0].path, "/run/app/...");
	assert_int_equal(r.v[1].kind, LAUNCH_LINK);
	assert_int_equal(r.v[1].shape, LAUNCH_PATTERN);
	assert_string_equal(r.v[1].path, "/tmp/l*");
	assert_int_equal(r.v[2].shape, LAUNCH_EXACT);
	assert_string_equal(r.v[2].path, "/x");
	launch_rules_free(&r);
	assert_int_equal(launch_rules_decode(buf, 0, 0, &r), 0);
	launch_rules_free(&r);
	/* a count that does not match, bytes left over, a cut record */
	assert_int_equal(launch_rules_decode(buf, len, 4, &r), -EPROTO);
	assert_int_equal(launch_rules_decode(buf, len, 2, &r), -EPROTO);
	assert_int_equal(launch_rules_decode(buf, len - 1, 3, &r), -EPROTO);
	assert_int_equal(launch_rules_decode(buf, 3, 1, &r), -EPROTO);
	assert_int_equal(launch_rules_decode(buf, len, LAUNCH_MAX_RULES + 1, &r),
			 -E2BIG);
	/* relative, NUL inside, empty, unknown kind or shape */
	len = put_rule(buf, 0, CTL_FR_ATTACH, CTL_FR_EXACT, "run/x");
	assert_int_equal(launch_rules_decode(buf, len, 1, &r), -EPROTO);
	len = put_rule(buf, 0, CTL_FR_ATTACH, CTL_FR_EXACT, "/a\0b");
	buf[sizeof(struct ctl_fs_rule) + 2] = '\0';
	((struct ctl_fs_rule *)buf)->len = 4;
	assert_int_equal(launch_rules_decode(buf, sizeof(struct ctl_fs_rule) + 4,
					     1, &r),
			 -EPROTO);
	len = put_rule(buf, 0, CTL_FR_ATTACH, CTL_FR_EXACT, "");
	assert_int_equal(launch_rules_decode(buf, len, 1, &r), -EPROTO);
	len = put_rule(buf, 0, 3, CTL_FR_EXACT, "/x");
	assert_int_equal(launch_rules_decode(buf, len, 1, &r), -EPROTO);
	len = put_rule(buf, 0, CTL_FR_LINK, 9, "/x");
	assert_int_equal(launch_rules_decode(buf, len, 1, &r), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_plain),
		cmocka_unit_test(test_compat_arguments),
		cmocka_unit_test(test_supervised_list),
		cmocka_unit_test(test_plan_no_rules),
		cmocka_unit_test(test_plan_prefix),
		cmocka_unit_test(test_plan_exact),
		cmocka_unit_test(test_plan_missing),
		cmocka_unit_test(test_plan_symlink),
		cmocka_unit_test(test_plan_patterns),
		cmocka_unit_test(test_plan_subsumed),
		cmocka_unit_test(test_plan_everything),
		cmocka_unit_test(test_plan_errors),
		cmocka_unit_test(test_rules_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
