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
 * caller must be a thread that has unshared CLONE_FS (proxy_init).
 */
#ifndef SECPOL_PROXY_H
#define SECPOL_PROXY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#define PROXY_MAX_GROUPS 256

struct proc_creds {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	gid_t groups[PROXY_MAX_GROUPS];
	int ngroups;
	uint64_t cap_eff;
	uint64_t cap_prm;
	mode_t umask;
};

/* Unshares CLONE_FS for the calling thread (umask, cwd).  0 or -errno. */
int proxy_init(void);

/*
 * Called around the part of each proxied call that runs as the process
 * (after the switch to its credentials, before the switch back), so that
 * the kernel's capability checks in between can be attributed to it.
 */
struct proxy_hooks {
	void (*begin)(void *ctx);
	void (*end)(void *ctx);
	void *ctx;
};
/* Sets the hooks (NULL: none) for the following calls. */
void proxy_set_hooks(const struct proxy_hooks *h);
/* Reads the credentials of process pid from /proc/pid/status.  -E2BIG
 * if it has more than PROXY_MAX_GROUPS groups.  The capabilities are
 * those it holds in our user namespace: none if it is in another. */
int proc_creds_read(pid_t pid, struct proc_creds *c);

struct pathres;
/*
 * pathres_parent/pathres_full (pathres.h) walking the path with c's
 * groups, fsuid/fsgid and effective capabilities: a directory on the way
 * that the process may not search gives -EACCES, as its own call would
 * (the proxy_* calls below act on the resolved directory and cannot see
 * how it was reached).  Resolve with these for the calls proxied below.
 */
int proxy_pathres_parent(const struct proc_creds *c, pid_t pid, int dirfd,
			 const char *path, struct pathres *out);
int proxy_pathres_full(const struct proc_creds *c, pid_t pid, int dirfd,
		       const char *path, int *fd, char *canon, size_t canonlen);

/* Each returns 0 or -errno, the errno the process's own call would have
 * had, or -ENOTRECOVERABLE if the calling thread could not be given back
 * its own credentials (a bug: stop using the thread).  dirfd is an O_PATH
 * directory descriptor from pathres. */
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
 * in pid's mount namespace.  source_fd >= 0 replaces the source path for
 * bind mounts and moves (resolved by the caller; required for them:
 * -EINVAL without); otherwise source is passed as is (a device name or a
 * string such as "tmpfs").
 * -EPERM for a process in another user namespace (not supported).
 */
int proxy_mount(const struct proc_creds *c, pid_t pid, const char *source,
		int source_fd, int dirfd, const char *fstype,
		unsigned long flags, const char *data);

#endif
