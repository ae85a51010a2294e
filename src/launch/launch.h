/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What `on -T` does to the process it starts under a type: the seccomp
 * filter that hands its path-space and channel operations to secpold,
 * and the capability sets of its type.
 */
#ifndef SECPOL_LAUNCH_H
#define SECPOL_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Installs the supervision filter on the calling thread (and its future
 * children): the system calls of SPEC §2 go to secpold (user notification),
 * system calls of other architectures too, the rest run as usual.  Needs
 * no_new_privs or CAP_SYS_ADMIN.  Returns the listener descriptor or
 * -errno (-EBUSY: this process already has a listener in its chain).
 * limits: the policy limits processes of some type: every fork, vfork
 * and clone goes to secpold too (CTL_AR_LIMITS).
 */
int launch_install_filter(bool limits);
/* The supervised system calls (for documentation and tests). */
const char *const *launch_supervised_syscalls(void);
/*
 * Is ia32 system call nr with these arguments one that the filter would
 * hand to secpold as a native call (bind, connect through socketcall,
 * mount, set*id, a user namespace...)?  secpold decides native calls
 * only, so these are refused even to a type with compat_syscalls.
 */
bool launch_compat_supervised(int nr, const uint64_t args[6]);

/* Where the process itself may make (create, rename to, link to)
 * sockets, FIFOs and device nodes, and symbolic links. */
struct launch_confine {
	const char *const *attach_dirs;
	size_t nattach;
	const char *const *link_dirs;
	size_t nlink;
};

/*
 * Confines the calling thread (and what it starts) with Landlock: special
 * files only below those directories (or their nearest existing
 * ancestor), and no tracing of processes outside the domain.  Sets
 * no_new_privs.  0, -EOPNOTSUPP without Landlock (version 2 or later),
 * or -errno.
 */
int launch_confine(const struct launch_confine *c);

struct launch_caps {
	uint64_t caps;      /* the capabilities of the type in this domain */
	bool lock_keepcaps; /* forbid keeping capabilities across setuid */
};

/*
 * Gives the calling process exactly caps (SPEC §2): bounding set,
 * permitted, effective, inheritable and ambient (so they survive exec,
 * as root or not), with securebits that keep root from regaining more
 * (NOROOT, locked).  The caller must hold CAP_SETPCAP.  0 or -errno.
 */
int launch_set_caps(const struct launch_caps *c);
/* For a process that already has a type: only drops (a typed process can
 * never gain).  Returns 0, or -EPERM if caps holds capabilities the
 * process lacks (they were not gained; the rest was applied). */
int launch_reduce_caps(uint64_t caps, uint64_t *missing);
/* Capabilities the running kernel knows (last + 1). */
int launch_cap_count(void);

#endif
