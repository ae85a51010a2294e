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
#include "supervised.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

const char *const *launch_supervised_syscalls(void)
{
	return sc_names();
}

/* ia32 has a second, 32-bit-id set*id family besides the 16-bit one */
static const char *const compat_only[] = {
	"setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
	"setresgid32", "setfsuid32", "setfsgid32", "setgroups32",
	NULL,
};

/* socketcall(2)'s numbers for the calls supervised natively (linux/net.h:
 * SYS_BIND, SYS_CONNECT, SYS_LISTEN, SYS_SENDTO, SYS_SENDMSG,
 * SYS_SENDMMSG). */
static const uint64_t socketcall_supervised[] = {2, 3, 4, 11, 16, 20};

/* ia32 numbers of the table's calls (same order) and of the extras,
 * resolved once. */
static int compat_of_table[64];
static int compat_extra[16];
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

static void resolve_compat(void)
{
	const struct sc_call *t;
	size_t n, i;

	t = sc_table(&n);
	for (i = 0; i < n && i < ARRAY_SIZE(compat_of_table); i++)
		compat_of_table[i] = compat_nr(t[i].name);
	for (i = 0; compat_only[i] && i < ARRAY_SIZE(compat_extra); i++)
		compat_extra[i] = compat_nr(compat_only[i]);
	compat_socketcall = compat_nr("socketcall");
}

bool launch_compat_supervised(int nr, const uint64_t args[6])
{
	const struct sc_call *t;
	size_t n, i;

	pthread_once(&compat_once, resolve_compat);
	if (nr < 0)
		return false;
	t = sc_table(&n);
	for (i = 0; i < n && i < ARRAY_SIZE(compat_of_table); i++)
		if (compat_of_table[i] == nr && sc_notified(&t[i], args, true))
			return true;
	for (i = 0; compat_only[i] && i < ARRAY_SIZE(compat_extra); i++)
		if (compat_extra[i] == nr)
			return true;
	if (nr == compat_socketcall)
		for (i = 0; i < ARRAY_SIZE(socketcall_supervised); i++)
			if (args[0] == socketcall_supervised[i])
				return true;
	return false;
}

static const enum scmp_compare scmp_op[] = {
	[SCO_NE] = SCMP_CMP_NE,
	[SCO_EQ] = SCMP_CMP_EQ,
	[SCO_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

/* The filter's rules for one table entry: libseccomp ORs several rules
 * of one call. */
static int add_rule(scmp_filter_ctx ctx, const struct sc_call *c,
		    bool limits)
{
	int r = 0;

	/* with process limits every new task is counted */
	if (limits && c->task)
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, c->nr, 0);
	switch (c->filter) {
	case SCF_NOTIFY_LIMITS:
		return 0;
	case SCF_NOTIFY:
		return seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, c->nr, 0);
	case SCF_ENOSYS:
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), c->nr, 0);
	case SCF_NOTIFY_IF:
		for (uint8_t k = 0; r == 0 && k < c->nconds; k++) {
			const struct sc_cond *x = &c->conds[k];
			struct scmp_arg_cmp cmp = {x->arg, scmp_op[x->op], x->a,
						   x->b};

			r = seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, c->nr,
						   1, &cmp);
		}
		return r;
	}
	return -EINVAL;
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

int launch_install_filter(bool limits)
{
	struct sock_fprog prog = {0};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	const struct sc_call *t;
	size_t i, n;
	int r, fd;

	t = sc_table(&n);
	if (!ctx)
		return -ENOMEM;
	/* other architectures (ia32, x32) go to secpold, which refuses them
	 * unless the type has compat_syscalls */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY);
	if (r < 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				     SCMP_ACT_ERRNO(ENOSYS));
	for (i = 0; r == 0 && i < n; i++)
		r = add_rule(ctx, &t[i], limits);
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
