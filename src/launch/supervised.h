/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one table of supervised system calls.  `on`'s seccomp filter
 * (filter.c) notifies secpold of exactly these calls, and secpold's
 * dispatch (daemon/decide.c) hands each to the decision its kind names,
 * with the per-call facts below (which argument is the path, which ids a
 * set*id call changes ...).  A call is listed once: adding one here adds
 * it to both sides.
 */
#ifndef SECPOL_SUPERVISED_H
#define SECPOL_SUPERVISED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What secpold decides for a call (one handler each). */
enum sc_kind {
	SC_NONE = 0,   /* not notified (the filter refuses it itself) */
	SC_BIND,       /* bind(2): path space, ports */
	SC_CONNECT,    /* connect(2): channels */
	SC_LISTEN,     /* listen(2): public_channel */
	SC_SENDTO,     /* sendto(2) with an address */
	SC_SENDMSG,    /* sendmsg(2) */
	SC_SENDMMSG,   /* sendmmsg(2) */
	SC_SYMLINK,    /* symlink(2), symlinkat(2): links */
	SC_MKNOD,      /* mknod(2), mknodat(2): path space */
	SC_MOUNT,      /* mount(2): path space, sys_admin */
	SC_SETID,      /* the set*id family: setuid/setgid subranges */
	SC_SETGROUPS,  /* setgroups(2) under a setgid subrange */
	SC_CREDS,      /* capset(2): the thread's credentials change */
	SC_UMASK,      /* umask(2): the process's umask changes */
	SC_FS_CHANGE,  /* chroot, pivot_root: the process's root moves */
	SC_NAMESPACE,  /* unshare, clone, setns: a user namespace made or
			  joined needs sys_admin; a new mount namespace or
			  file-system context changes the process's root */
	SC_FORK,       /* fork, vfork: a type's process limit */
	SC_SIGNAL_OWNER, /* fcntl F_SETOWN(_EX), ioctl FIOSETOWN/SIOCSPGRP:
			    who gets the descriptor's I/O signals (an
			    owner with euid 0 may signal anyone) */
	SC_IO_URING,   /* io_uring_*: a side door (io_uring) */
	SC_USERFAULTFD,
	SC_MOUNT_API,  /* fsopen & co.: a side door (mount_api) */
	SC_KIND_COUNT,
};

/* What the filter does with the call. */
enum sc_filter {
	SCF_NOTIFY,       /* always notify secpold */
	SCF_NOTIFY_IF,    /* notify when any of conds holds */
	SCF_ENOSYS,       /* fail with ENOSYS in the filter (clone3) */
	SCF_NOTIFY_LIMITS, /* notify only in a filter made for a policy with
			      process limits */
};

/* A condition on one register argument (libseccomp's comparisons). */
enum sc_op { SCO_NE, SCO_EQ, SCO_MASKED_EQ };

struct sc_cond {
	uint8_t arg;
	enum sc_op op;
	uint64_t a, b; /* NE/EQ: a; MASKED_EQ: (arg & a) == b */
	/* only so that secpold knows what changed (its caches), not a
	 * decision: ia32 forms matching only such conditions are not
	 * refused (see launch_compat_supervised) */
	bool bookkeeping;
};

#define SC_MAX_CONDS 3

struct sc_call {
	const char *name;
	int nr; /* x86-64 number */
	enum sc_kind kind;
	enum sc_filter filter;
	uint8_t nconds;
	struct sc_cond conds[SC_MAX_CONDS];
	/* facts the decision needs */
	bool at;       /* the *at form: arg 0 (mknodat) or 1 (symlinkat) is
			  a directory descriptor */
	bool gid;      /* SC_SETID: changes group ids */
	bool fs;       /* SC_SETID: setfsuid/setfsgid (never fails) */
	uint8_t nids;  /* SC_SETID: how many id arguments */
	bool task;     /* makes a task: with process limits, always notified */
};

/* The whole table, n entries. */
const struct sc_call *sc_table(size_t *n);
/* The entry of native call nr, or NULL if it is not supervised. */
const struct sc_call *sc_lookup(int nr);
/* Does the call's condition hold for these arguments?  decisions_only:
 * ignore bookkeeping conditions (and bookkeeping kinds). */
bool sc_notified(const struct sc_call *c, const uint64_t args[6],
		 bool decisions_only);
/* Kinds secpold only takes note of (it always lets them run). */
bool sc_kind_bookkeeping(enum sc_kind k);
/* The names of the notified calls, NULL-terminated (docs and tests). */
const char *const *sc_names(void);

#endif
