/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Resolving a path as a supervised process would: in its root directory
 * and from its working directory (or a directory descriptor it passed to
 * an *at call), following symbolic links as the kernel would, never
 * escaping its root.  The result is a descriptor of the object (so that
 * what was checked is what is acted on) and its canonical absolute path
 * as the process sees it (what the policy is matched against).
 */
#ifndef SECPOL_PATHRES_H
#define SECPOL_PATHRES_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#define PATHRES_AT_FDCWD (-100) /* dirfd value meaning "the cwd" */

struct pathres {
	int dirfd;               /* O_PATH|O_DIRECTORY of the parent */
	char name[NAME_MAX + 1]; /* the last component */
	char canon[PATH_MAX];    /* canonical path of parent + "/" + name */
};

/*
 * For calls that create a name (bind, symlink, mknod, mount point): finds
 * the parent directory of path, following symlinks in the directory part
 * only.  dirfd is PATHRES_AT_FDCWD or a descriptor number in process pid.
 * On success out->dirfd is open (close it).  Errors: -ENOENT (also for an
 * empty path, as the kernel), -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES,
 * -EINVAL (last component "." or "..", or a trailing "/"), -EBADF (bad
 * dirfd), -ESRCH, -errno.
 */
int pathres_parent(pid_t pid, int dirfd, const char *path, struct pathres *out);

/*
 * For calls that use an existing object (connect): resolves all of path,
 * the last symlink included, to an O_PATH descriptor (*fd, close it) and
 * its canonical path.  Same errors.
 */
int pathres_full(pid_t pid, int dirfd, const char *path, int *fd, char *canon,
		 size_t canonlen);

/*
 * The same, walking the path with other credentials: enter switches the
 * calling thread to them around each lookup (so that a directory the
 * process may not search stops the walk with -EACCES, as in its own
 * call), leave switches back and is called after every enter, even a
 * failed one; a nonzero leave means the thread is not restored
 * (-ENOTRECOVERABLE).  Opening the process's root, cwd and descriptors
 * stays the daemon's.  proxy_pathres_parent/_full (proxy.h) use these.
 */
/*
 * A path through a descriptor's magic link, /proc/self/fd/N[/rest] (or
 * thread-self, or the process's own pid or thread id): the kernel follows
 * it, secpold does not resolve magic links (RESOLVE_NO_MAGICLINKS) and
 * takes it as rest relative to descriptor N instead (rest "" for the
 * object itself).  Returns 1 and sets *dirfd and *path, or 0.
 */
int pathres_magic(pid_t pid, pid_t tid, int *dirfd, const char **path);

/*
 * The same in two steps, so that the lookup itself can run in other
 * credentials: pathres_from_open opens what the lookup starts from (the
 * process's root, and for a relative path its cwd or the directory behind
 * dirfd), which needs the daemon's own credentials; the *_from lookups
 * then run in whatever credentials the thread has.
 */
struct pathres_from {
	int fd;           /* O_PATH of /proc/PID/root */
	bool own_fd;      /* closed with the rest, or borrowed */
	int start;        /* O_PATH of the start directory, or -1 */
	size_t len;       /* length of path; 1 for "/" */
	const char *path; /* the root's path from the daemon's root */
	char buf[PATH_MAX];
};
int pathres_from_open(pid_t pid, int dirfd, const char *path,
		      struct pathres_from *f);

/* A process's root, kept between calls (what secpold knows of a process:
 * taskcache.h): the same as pathres_from_open, from it. */
struct pathres_root {
	int fd;
	size_t len;
	char path[];
};
int pathres_root_open(pid_t pid, struct pathres_root **out);
void pathres_root_free(struct pathres_root *r);
int pathres_from_open_in(const struct pathres_root *root, pid_t pid,
			 int dirfd, const char *path, struct pathres_from *f);
void pathres_from_close(struct pathres_from *f);
int pathres_parent_from(const struct pathres_from *f, const char *path,
			struct pathres *out);
int pathres_full_from(const struct pathres_from *f, const char *path,
		      int *fd, char *canon, size_t canonlen);

struct pathres_as {
	int (*enter)(void *ctx);
	int (*leave)(void *ctx);
	void *ctx;
};
int pathres_parent_as(pid_t pid, int dirfd, const char *path,
		      const struct pathres_as *as, struct pathres *out);
int pathres_full_as(pid_t pid, int dirfd, const char *path,
		    const struct pathres_as *as, int *fd, char *canon,
		    size_t canonlen);

#endif
