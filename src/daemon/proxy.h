/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Acting on a supervised process's behalf.  secpold performs the checked
 * operation itself, on the descriptor it resolved, so that another thread
 * of the process cannot change what happens after the check.  It does so
 * with the process's file-system credentials, supplementary groups,
 * effective capabilities and umask, so the kernel's own permission checks
 * and the ownership of what is created are the process's.
 *
 * These functions switch credentials of the calling thread only (raw
 * system calls, not the glibc wrappers that change every thread), so the
 * caller must be a thread that has called proxy_init.
 */
#ifndef SECPOL_PROXY_H
#define SECPOL_PROXY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "procfs.h"

#define PROXY_MAX_GROUPS PROC_MAX_GROUPS

/* Unshares CLONE_FS for the calling thread (umask, cwd) and records its
 * own credentials, to return to.  Call once in every thread that acts for
 * processes, before it does.  0 or -errno. */
int proxy_init(void);
/* Before a thread that called proxy_init exits. */
void proxy_fini(void);

/*
 * One switch of the calling thread to c's credentials (file-system ids,
 * groups, effective capabilities within its own permitted set, umask), and
 * back.  Everything between proxy_enter and proxy_leave runs as the
 * process: the path resolution and the call, one switch for both.
 * proxy_leave must follow every proxy_enter, even a failed one; it returns
 * 0, or -ENOTRECOVERABLE if the thread could not be given back its own
 * credentials (a bug: stop using the thread).
 */
struct proxy_saved {
	unsigned changed;
	mode_t umask;
};
int proxy_enter(const struct proc_creds *c, struct proxy_saved *s);
int proxy_leave(struct proxy_saved *s);

/* The calls themselves, in the current credentials (between proxy_enter
 * and proxy_leave): 0 or -errno.  dirfd is an O_PATH directory descriptor
 * from pathres, name a single component. */
int proxy_op_bind_unix(int sock, int dirfd, const char *name);
int proxy_op_bind(int sock, const struct sockaddr *sa, socklen_t len);
int proxy_op_symlink(const char *target, int dirfd, const char *name);
int proxy_op_mknod(int dirfd, const char *name, mode_t mode, dev_t dev);

struct pathres;
/*
 * pathres_parent/pathres_full (pathres.h) walking the path with c's
 * groups, fsuid/fsgid and effective capabilities: a directory on the way
 * that the process may not search gives -EACCES, as its own call would.
 */
int proxy_pathres_parent(const struct proc_creds *c, pid_t pid, int dirfd,
			 const char *path, struct pathres *out);
int proxy_pathres_full(const struct proc_creds *c, pid_t pid, int dirfd,
		       const char *path, int *fd, char *canon, size_t canonlen);

/* Each is proxy_enter, the call, proxy_leave: 0 or -errno, the errno the
 * process's own call would have had, or -ENOTRECOVERABLE (see
 * proxy_leave). */
int proxy_bind_unix(const struct proc_creds *c, int sock, int dirfd,
		    const char *name);
/* bind(2) of any other address: the kernel's checks (a privileged port)
 * are the process's. */
int proxy_bind(const struct proc_creds *c, int sock,
	       const struct sockaddr *sa, socklen_t len);
int proxy_symlink(const struct proc_creds *c, const char *target, int dirfd,
		  const char *name);
int proxy_mknod(const struct proc_creds *c, int dirfd, const char *name,
		mode_t mode, dev_t dev);
/*
 * mount(2) for process pid onto the directory dirfd (its mount point),
 * in pid's mount namespace, as c.  source_fd >= 0 replaces the source path
 * for bind mounts and moves (resolved by the caller; required for them:
 * -EINVAL without); otherwise source is passed as is (a device name or a
 * string such as "tmpfs").  -EPERM for a process in another user
 * namespace (not supported).
 */
int proxy_mount(const struct proc_creds *c, pid_t pid, const char *source,
		int source_fd, int dirfd, const char *fstype,
		unsigned long flags, const char *data);

#endif
