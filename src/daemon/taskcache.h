/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What secpold knows about a supervised thread between its calls: its
 * credentials (read from /proc once, not for every call) and a pidfd of
 * it.  An entry is keyed by the thread id and the task's generation from
 * the types map (struct spb_task.gen), which the BPF programs change on
 * every fork and exec and secpold on every retype, so a reused thread id
 * or a new program never finds an old entry.
 *
 * Credentials change only through calls secpold sees: the set*id family,
 * setgroups and capset (dropped here when secpold decides them, before the
 * thread runs them: its next call reads them again), exec (a new
 * generation), a user namespace made or joined (dropped).  The umask is
 * the process's (threads share it): a umask call secpold lets through
 * sets it for the whole process here, so that no thread can read the old
 * value back from /proc while the call is on its way.
 *
 * Thread-safe: one lock, held only to look up and copy.
 */
#ifndef SECPOL_TASKCACHE_H
#define SECPOL_TASKCACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"

struct taskcache;

/* At most max threads are remembered; the oldest go first. */
struct taskcache *taskcache_new(size_t max);
void taskcache_free(struct taskcache *tc);

/*
 * The credentials of thread tid (of process pid, started at start_ns) in
 * generation gen: remembered, or read from /proc and remembered.
 * 0 or -errno (as procfs_creds).
 */
int taskcache_creds(struct taskcache *tc, pid_t tid, uint32_t gen, pid_t pid,
		    uint64_t start_ns, struct proc_creds *out);
/* A descriptor kept by the cache, lent out: valid until given back. */
struct tc_ref;
int tc_ref_fd(const struct tc_ref *r);
void taskcache_put(struct taskcache *tc, struct tc_ref *r);
/*
 * A pidfd of thread tid (PIDFD_THREAD where the kernel has it), kept with
 * the entry: *out until taskcache_put.  0 or -errno.
 */
int taskcache_pidfd(struct taskcache *tc, pid_t tid, uint32_t gen, pid_t pid,
		    struct tc_ref **out);
/*
 * The root of process pid (started at start_ns), as its thread tid sees
 * it (the main thread may be gone), kept until the process
 * moves it (chroot, pivot_root, a new mount namespace: taskcache_uncached):
 * *root until taskcache_put(tc, *ref).  0 or -errno.
 */
struct pathres_root;
int taskcache_root(struct taskcache *tc, pid_t tid, pid_t pid,
		   uint64_t start_ns, const struct pathres_root **root,
		   struct tc_ref **ref);

/* Whether a connect ticket may be armed for the thread (secpold armed
 * one that the kernel may not have used). */
void taskcache_set_ticket(struct taskcache *tc, pid_t tid, uint32_t gen,
			  pid_t pid, bool armed);
bool taskcache_ticket(struct taskcache *tc, pid_t tid, uint32_t gen);

/* The thread's credentials are about to change: forget them. */
void taskcache_forget_creds(struct taskcache *tc, pid_t tid);
/* Process pid (started at start_ns) sets its umask to mask. */
void taskcache_set_umask(struct taskcache *tc, pid_t pid, uint64_t start_ns,
			 mode_t mask);
/* What is known of process pid's threads may be stale (its root moved, a
 * thread with a file-system context of its own, a call of another
 * architecture): read /proc for every call from now on. */
void taskcache_uncached(struct taskcache *tc, pid_t pid, uint64_t start_ns);
/* The process exited: forget it and its threads. */
void taskcache_exit(struct taskcache *tc, pid_t pid);

size_t taskcache_size(struct taskcache *tc);

#endif
