// SPDX-License-Identifier: BSD-2-Clause
/*
 * The table of supervised system calls (see supervised.h).
 *
 * Conditional entries, one condition per line, notified when any holds:
 *  - sendto without an address (send(2)) is the common case and needs no
 *    decision: only an address makes it a connection;
 *  - a new user namespace holds every capability over its own namespaces
 *    (chroot, mounts): creating one (unshare, clone) or joining one
 *    (setns with a user namespace, or with nstype 0, which takes whatever
 *    the descriptor is) is secpold's to decide;
 *  - unshare of the mount namespace or of the file-system context, and a
 *    thread made without CLONE_FS, change what secpold knows of the
 *    process's root and umask (bookkeeping only).
 */
#include "supervised.h"

#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>

#include "common/util.h"

#define ALWAYS .filter = SCF_NOTIFY
#define IF(...) .filter = SCF_NOTIFY_IF, .nconds = ARRAY_SIZE(((struct sc_cond[]){__VA_ARGS__})), .conds = {__VA_ARGS__}
#define BIT(argn, bit) {.arg = argn, .op = SCO_MASKED_EQ, .a = bit, .b = bit}
#define BOOK(argn, bit) {.arg = argn, .op = SCO_MASKED_EQ, .a = bit, .b = bit, .bookkeeping = true}

static const struct sc_call table[] = {
	/* path space: pathspace, allow_attach, allow_link */
	{"bind", __NR_bind, SC_BIND, ALWAYS},
	{"mknod", __NR_mknod, SC_MKNOD, ALWAYS},
	{"mknodat", __NR_mknodat, SC_MKNOD, ALWAYS, .at = true},
	{"symlink", __NR_symlink, SC_SYMLINK, ALWAYS},
	{"symlinkat", __NR_symlinkat, SC_SYMLINK, ALWAYS, .at = true},
	{"mount", __NR_mount, SC_MOUNT, ALWAYS},
	/* channels */
	{"listen", __NR_listen, SC_LISTEN, ALWAYS},
	{"connect", __NR_connect, SC_CONNECT, ALWAYS},
	{"sendto", __NR_sendto, SC_SENDTO, IF({.arg = 4, .op = SCO_NE, .a = 0})},
	{"sendmsg", __NR_sendmsg, SC_SENDMSG, ALWAYS},
	{"sendmmsg", __NR_sendmmsg, SC_SENDMMSG, ALWAYS},
	/* setuid/setgid subranges; secpold also learns of every change of
	 * a thread's credentials here */
	{"setuid", __NR_setuid, SC_SETID, ALWAYS, .nids = 1},
	{"setgid", __NR_setgid, SC_SETID, ALWAYS, .gid = true, .nids = 1},
	{"setreuid", __NR_setreuid, SC_SETID, ALWAYS, .nids = 2},
	{"setregid", __NR_setregid, SC_SETID, ALWAYS, .gid = true, .nids = 2},
	{"setresuid", __NR_setresuid, SC_SETID, ALWAYS, .nids = 3},
	{"setresgid", __NR_setresgid, SC_SETID, ALWAYS, .gid = true, .nids = 3},
	{"setfsuid", __NR_setfsuid, SC_SETID, ALWAYS, .fs = true, .nids = 1},
	{"setfsgid", __NR_setfsgid, SC_SETID, ALWAYS, .gid = true, .fs = true,
	 .nids = 1},
	{"setgroups", __NR_setgroups, SC_SETGROUPS, ALWAYS},
	{"capset", __NR_capset, SC_CREDS, ALWAYS},
	{"umask", __NR_umask, SC_UMASK, ALWAYS},
	{"chroot", __NR_chroot, SC_FS_CHANGE, ALWAYS},
	{"pivot_root", __NR_pivot_root, SC_FS_CHANGE, ALWAYS},
	{"unshare", __NR_unshare, SC_NAMESPACE,
	 IF(BIT(0, CLONE_NEWUSER), BOOK(0, CLONE_NEWNS), BOOK(0, CLONE_FS))},
	{"clone", __NR_clone, SC_NAMESPACE,
	 IF(BIT(0, CLONE_NEWUSER),
	    {.arg = 0, .op = SCO_MASKED_EQ, .a = CLONE_THREAD | CLONE_FS,
	     .b = CLONE_THREAD, .bookkeeping = true}),
	 .task = true},
	/* a type's process limit: new tasks are counted (policies with
	 * limits only: every fork and thread costs a decision) */
	{"fork", __NR_fork, SC_FORK, .filter = SCF_NOTIFY_LIMITS, .task = true},
	{"vfork", __NR_vfork, SC_FORK, .filter = SCF_NOTIFY_LIMITS, .task = true},
	{"setns", __NR_setns, SC_NAMESPACE,
	 IF(BIT(1, CLONE_NEWUSER), {.arg = 1, .op = SCO_EQ, .a = 0},
	    BOOK(1, CLONE_NEWNS))},
	/* signals of a descriptor's I/O: secpold must not be their owner */
	{"fcntl", __NR_fcntl, SC_SIGNAL_OWNER,
	 IF({.arg = 1, .op = SCO_EQ, .a = 8 /* F_SETOWN */},
	    {.arg = 1, .op = SCO_EQ, .a = 15 /* F_SETOWN_EX */})},
	{"ioctl", __NR_ioctl, SC_SIGNAL_OWNER,
	 IF({.arg = 1, .op = SCO_EQ, .a = 0x8901 /* FIOSETOWN */},
	    {.arg = 1, .op = SCO_EQ, .a = 0x8902 /* SIOCSPGRP */})},
	/* side doors: io_uring and the new mount API bypass supervision
	 * (a ring can be received from another process, hence enter and
	 * register too); userfaultfd could make secpold wait while it reads
	 * an argument */
	{"io_uring_setup", __NR_io_uring_setup, SC_IO_URING, ALWAYS},
	{"io_uring_enter", __NR_io_uring_enter, SC_IO_URING, ALWAYS},
	{"io_uring_register", __NR_io_uring_register, SC_IO_URING, ALWAYS},
	{"fsopen", __NR_fsopen, SC_MOUNT_API, ALWAYS},
	{"fsmount", __NR_fsmount, SC_MOUNT_API, ALWAYS},
	{"fspick", __NR_fspick, SC_MOUNT_API, ALWAYS},
	{"open_tree", __NR_open_tree, SC_MOUNT_API, ALWAYS},
	{"move_mount", __NR_move_mount, SC_MOUNT_API, ALWAYS},
	{"mount_setattr", __NR_mount_setattr, SC_MOUNT_API, ALWAYS},
	{"userfaultfd", __NR_userfaultfd, SC_USERFAULTFD, ALWAYS},
	/* clone3 hides its flags in memory: ENOSYS makes libc fall back to
	 * clone, whose flags are a register */
	{"clone3", __NR_clone3, SC_NONE, .filter = SCF_ENOSYS},
};

const struct sc_call *sc_table(size_t *n)
{
	*n = ARRAY_SIZE(table);
	return table;
}

/* a direct index by number (x86-64 numbers are small) */
#define MAX_NR 512
static const struct sc_call *by_nr[MAX_NR];
static pthread_once_t by_nr_once = PTHREAD_ONCE_INIT;

static void make_index(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].nr >= 0 && table[i].nr < MAX_NR)
			by_nr[table[i].nr] = &table[i];
}

const struct sc_call *sc_lookup(int nr)
{
	pthread_once(&by_nr_once, make_index);
	if (nr < 0 || nr >= MAX_NR)
		return NULL;
	return by_nr[nr];
}

bool sc_kind_bookkeeping(enum sc_kind k)
{
	return k == SC_CREDS || k == SC_UMASK || k == SC_FS_CHANGE;
}

static bool cond_holds(const struct sc_cond *c, const uint64_t args[6])
{
	uint64_t v = args[c->arg];

	switch (c->op) {
	case SCO_NE:
		return v != c->a;
	case SCO_EQ:
		return v == c->a;
	case SCO_MASKED_EQ:
		return (v & c->a) == c->b;
	}
	return true;
}

bool sc_notified(const struct sc_call *c, const uint64_t args[6],
		 bool decisions_only)
{
	if (c->filter == SCF_ENOSYS)
		return true; /* refused by the filter: never let through */
	if (c->filter == SCF_NOTIFY_LIMITS)
		return !decisions_only;
	if (decisions_only && sc_kind_bookkeeping(c->kind))
		return false;
	if (c->filter == SCF_NOTIFY)
		return true;
	for (uint8_t i = 0; i < c->nconds; i++)
		if ((!decisions_only || !c->conds[i].bookkeeping) &&
		    cond_holds(&c->conds[i], args))
			return true;
	return false;
}

static const char *names[ARRAY_SIZE(table) + 1];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void make_names(void)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].filter != SCF_ENOSYS &&
		    table[i].filter != SCF_NOTIFY_LIMITS)
			names[n++] = table[i].name;
	names[n] = NULL;
}

const char *const *sc_names(void)
{
	pthread_once(&names_once, make_names);
	return names;
}
