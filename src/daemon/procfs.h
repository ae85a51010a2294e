/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every read secpold makes of /proc goes through here: one descriptor of
 * /proc opened at start-up, one parser of /proc/PID/status, one of
 * /proc/PID/stat.  A process that is gone is -ESRCH, whatever file was
 * asked for.
 */
#ifndef SECPOL_PROCFS_H
#define SECPOL_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* pid values for the daemon itself */
#define PROCFS_SELF 0          /* "self" */
#define PROCFS_THREAD_SELF (-1) /* "thread-self" */

#define PROC_MAX_GROUPS 256

/* What acting as a thread takes (proxy.c), from /proc/TID/status. */
struct proc_creds {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	gid_t groups[PROC_MAX_GROUPS];
	int ngroups;
	uint64_t cap_eff;
	uint64_t cap_prm;
	mode_t umask;
};

/* Opens /proc once (idempotent, thread-safe).  0 or -errno. */
int procfs_init(void);

/* openat of "PID/rel" below /proc (rel may be "" for the directory). */
int procfs_open(pid_t pid, const char *rel, int flags);
/* readlink of "PID/rel": the length (buf NUL-terminated), -ENAMETOOLONG. */
ssize_t procfs_readlink(pid_t pid, const char *rel, char *buf, size_t len);
int procfs_stat(pid_t pid, const char *rel, struct stat *st);

/*
 * The credentials of thread tid.  -E2BIG if it has more than
 * PROC_MAX_GROUPS groups.  The capabilities are those it holds in our user
 * namespace: none if it is in another (capabilities held in a user
 * namespace of its own are nothing in ours).
 */
int procfs_creds(pid_t tid, struct proc_creds *c);
/* Thread group, parent and the thread group leader's start time
 * (CLOCK_BOOTTIME, clock-tick precision) of thread tid. */
int procfs_task_ids(pid_t tid, pid_t *tgid, pid_t *ppid, uint64_t *start_ns);
/* The thread's name (comm), without the newline: its length or -errno. */
ssize_t procfs_comm(pid_t tid, char *buf, size_t len);
/* Is pid in the daemon's user namespace?  1, 0 or -errno. */
int procfs_same_userns(pid_t pid);

/* Nanoseconds per /proc clock tick: start times from /proc have this
 * precision. */
#define PROCFS_NS_PER_TICK 10000000ull

#endif
