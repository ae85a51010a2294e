// SPDX-License-Identifier: BSD-2-Clause
/*
 * The supervision filter, built with libseccomp and loaded with flags
 * libseccomp 2.5 cannot set: a listener, and WAIT_KILLABLE_RECV so that
 * once secpold has taken a call, a stray signal cannot abort it half done
 * (secpold performs some calls itself; a restart would redo them).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/util.h"
#include "launch.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static const char *const supervised[] = {
	/* path space (pathspace, allow_attach, allow_link) */
	"bind", "mknod", "mknodat", "symlink", "symlinkat", "mount",
	/* channels */
	"listen", "connect", "sendmsg", "sendmmsg", /* sendto: see below */
	/* subranges of setuid/setgid */
	"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
	"setfsuid", "setfsgid", "setgroups",
	/* side doors: io_uring and the new mount API bypass supervision
	 * (a ring can be received from another process, hence enter and
	 * register too); userfaultfd could make secpold wait while it reads
	 * an argument */
	"io_uring_setup", "io_uring_enter", "io_uring_register", "fsopen",
	"fsmount", "fspick", "open_tree", "move_mount", "mount_setattr",
	"userfaultfd",
	NULL,
};

const char *const *launch_supervised_syscalls(void)
{
	return supervised;
}

/*
 * Calls supervised only with some arguments: one rule per line, a call
 * with several lines when any of them holds.
 *  - sendto without an address (send(2)) is the common case and needs no
 *    decision: only an address makes it a connection;
 *  - a new user namespace holds every capability over its own namespaces
 *    (chroot, mounts): creating one (unshare, clone) or joining one (setns
 *    with a user namespace, or with nstype 0, which takes whatever the
 *    descriptor is) is secpold's to decide.
 */
static const struct cond_rule {
	const char *name;
	unsigned int arg;
	enum scmp_compare op;
	uint64_t a, b; /* datum (MASKED_EQ: mask, value) */
} conditional[] = {
	{"sendto", 4, SCMP_CMP_NE, 0, 0},
	{"unshare", 0, SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER},
	{"clone", 0, SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER},
	{"setns", 1, SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER},
	{"setns", 1, SCMP_CMP_EQ, 0, 0},
};

static bool cond_holds(const struct cond_rule *c, const uint64_t args[6])
{
	uint64_t v = args[c->arg];

	if (c->op == SCMP_CMP_NE)
		return v != c->a;
	if (c->op == SCMP_CMP_EQ)
		return v == c->a;
	if (c->op == SCMP_CMP_MASKED_EQ)
		return (v & c->a) == c->b;
	return true; /* not used above; supervised when unsure */
}

/* ia32 has a second, 32-bit-id set*id family besides the 16-bit one */
static const char *const compat_only[] = {
	"setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
	"setresgid32", "setfsuid32", "setfsgid32", "setgroups32",
	"clone3", /* its flags are in memory */
	NULL,
};

/* socketcall(2)'s numbers for the calls supervised natively (linux/net.h:
 * SYS_BIND, SYS_CONNECT, SYS_LISTEN, SYS_SENDTO, SYS_SENDMSG,
 * SYS_SENDMMSG). */
static const uint64_t socketcall_supervised[] = {2, 3, 4, 11, 16, 20};

/* ia32 numbers, resolved once: the supervised calls, the conditional
 * ones (same order as conditional[]) and socketcall. */
static int compat_nrs[64];
static size_t ncompat;
static int compat_cond[ARRAY_SIZE(conditional)];
static int compat_socketcall;
static pthread_once_t compat_once = PTHREAD_ONCE_INIT;

/* libseccomp names the i386 socket calls by socketcall's pseudo numbers;
 * the kernel has had direct ones since 4.3 (syscall_32.tbl). */
static const struct {
	const char *name;
	int nr;
} i386_socket[] = {
	{"bind", 361},	  {"connect", 362}, {"listen", 363},
	{"sendto", 369},  {"sendmsg", 370}, {"sendmmsg", 345},
};

static int compat_nr(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(i386_socket); i++)
		if (!strcmp(i386_socket[i].name, name))
			return i386_socket[i].nr;
	return seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, name);
}

static void resolve_names(const char *const *names)
{
	for (size_t i = 0; names[i] && ncompat < ARRAY_SIZE(compat_nrs); i++) {
		int nr = compat_nr(names[i]);

		if (nr >= 0)
			compat_nrs[ncompat++] = nr;
	}
}

static void resolve_compat(void)
{
	resolve_names(supervised);
	resolve_names(compat_only);
	for (size_t i = 0; i < ARRAY_SIZE(conditional); i++)
		compat_cond[i] = compat_nr(conditional[i].name);
	compat_socketcall = compat_nr("socketcall");
}

bool launch_compat_supervised(int nr, const uint64_t args[6])
{
	size_t i;

	pthread_once(&compat_once, resolve_compat);
	for (i = 0; i < ncompat; i++)
		if (compat_nrs[i] == nr)
			return true;
	for (i = 0; i < ARRAY_SIZE(conditional); i++)
		if (compat_cond[i] == nr && cond_holds(&conditional[i], args))
			return true;
	if (nr == compat_socketcall)
		for (i = 0; i < ARRAY_SIZE(socketcall_supervised); i++)
			if (args[0] == socketcall_supervised[i])
				return true;
	return false;
}

/* libseccomp writes the program to a descriptor: read it back. */
static int export_filter(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	char *buf = NULL;
	size_t len;
	int fd = memfd_create("secpol-filter", MFD_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (r == 0 && lseek(fd, 0, SEEK_SET) < 0)
		r = -errno;
	if (r == 0)
		r = read_fd_all(fd, 1 << 20, &buf, &len);
	close(fd);
	if (r < 0)
		return r;
	if (len == 0 || len % sizeof(struct sock_filter)) {
		free(buf);
		return -EINVAL;
	}
	prog->filter = (struct sock_filter *)buf;
	prog->len = (unsigned short)(len / sizeof(struct sock_filter));
	return 0;
}

int launch_install_filter(void)
{
	struct sock_fprog prog = {0};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t i;
	int r, fd;

	if (!ctx)
		return -ENOMEM;
	/* other architectures (ia32, x32) go to secpold, which refuses them
	 * unless the type has compat_syscalls */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY);
	if (r < 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				     SCMP_ACT_ERRNO(ENOSYS));
	for (i = 0; r == 0 && supervised[i]; i++) {
		int nr = seccomp_syscall_resolve_name(supervised[i]);

		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture (e.g. mknod) */
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
	}
	for (i = 0; r == 0 && i < ARRAY_SIZE(conditional); i++) {
		const struct cond_rule *c = &conditional[i];
		struct scmp_arg_cmp cmp = {c->arg, c->op, c->a, c->b};

		r = seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY,
					   seccomp_syscall_resolve_name(c->name),
					   1, &cmp);
	}
	/* clone3 hides its flags in memory: ENOSYS makes libc fall back to
	 * clone, whose flags are a register */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
				     0);
	if (r == 0)
		r = export_filter(ctx, &prog);
	seccomp_release(ctx);
	if (r < 0)
		return r;
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			  SECCOMP_FILTER_FLAG_NEW_LISTENER |
				  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
			  &prog);
	if (fd < 0 && errno == EINVAL) /* kernels before 5.19 */
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				  SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	r = fd < 0 ? -errno : fd;
	free(prog.filter);
	return r;
}
