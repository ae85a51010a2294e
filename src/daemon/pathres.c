// SPDX-License-Identifier: BSD-2-Clause
/*
 * Path resolution for a supervised thread, done by the kernel itself:
 * openat2(2) relative to an O_PATH descriptor of /proc/PID/root with
 * RESOLVE_IN_ROOT, so that "..", absolute symlinks and mount crossings
 * behave exactly as they would for that thread (its chroot and mount
 * namespace included: /proc/PID/root is the root of the namespace it
 * lives in).  Magic links (/proc/PID/fd/N and friends) are not followed
 * (RESOLVE_NO_MAGICLINKS): they would take a supervised process to
 * objects the daemon opened, not ones it can name.
 *
 * Relative paths start at the thread's cwd or at the directory behind
 * the descriptor it passed.  A path that stays beneath that directory is
 * resolved from it directly (RESOLVE_BENEATH: no string building, no
 * length limit beyond the thread's own).  One that climbs out of it with
 * ".." or an absolute symlink (EXDEV) is resolved again in the root,
 * from the directory's own path as the process sees it; that path is
 * first checked to lead back to the same directory, so an over-mounted
 * or moved working directory cannot redirect the lookup.
 *
 * The canonical path is what readlink of the resulting descriptor says,
 * minus the process root's own path: "/a/b" for a thread chrooted at
 * /srv/jail, not "/srv/jail/a/b".
 *
 * Limits:
 *  - An object whose path from the daemon's root is PATH_MAX or longer has
 *    no readable path (readlink fails): -ENAMETOOLONG.
 *  - Climbing out of a relative start needs the start's path plus the
 *    rest of the path (leading "." and ".." folded) to fit in PATH_MAX.
 *  - A working directory or dirfd outside the process root (a chroot
 *    without chdir) cannot be named as the process sees it: paths from it
 *    that land outside the root are -EACCES.
 *  - pathres_parent/_full walk with the daemon's credentials (root):
 *    search permission on the directories on the way is not the
 *    process's.  The _as forms walk with the process's (proxy.h); when a
 *    relative path climbs out of its start, that walk goes down from the
 *    root through the start's ancestors, so it also needs search
 *    permission on those (stricter than the kernel, never looser).
 *
 * Verified by tests/unit/test_pathres.c on 6.18: a chrooted process
 * (absolute symlinks and ".." stay in the jail; canonical paths are the
 * jail's), a cwd outside the root, a process in another mount namespace
 * with a tmpfs we do not see (found through /proc/PID/root, canonical
 * path as it sees it), thread ids, removed working directories, names
 * that end in " (deleted)", and paths of PATH_MAX - 1 bytes.
 */
#include "pathres.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "procfs.h"
#include "common/strnum.h"

/* openat2 answers EAGAIN when a concurrent rename or mount could have let
 * ".." escape; the man page says to retry.  Bounded, so a process that
 * renames in a loop cannot hold the daemon. */
#define RESOLVE_RETRIES 16

#define DELETED_SUFFIX " (deleted)"


static int resolve(int dirfd, const char *path, uint64_t oflags,
		   uint64_t rflags)
{
	struct open_how how = {
	    .flags = oflags | O_PATH | O_CLOEXEC,
	    .resolve = rflags | RESOLVE_NO_MAGICLINKS,
	};
	int tries = 0;

	for (;;) {
		long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

		if (fd >= 0)
			return (int)fd;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || ++tries == RESOLVE_RETRIES)
			return -errno;
	}
}

/* resolve() as the process: the walk is its own (search permission). */
static int resolve_as(const struct pathres_as *as, int dirfd, const char *path,
		      uint64_t oflags, uint64_t rflags)
{
	int fd, r;

	if (!as)
		return resolve(dirfd, path, oflags, rflags);
	r = as->enter(as->ctx);
	fd = r < 0 ? r : resolve(dirfd, path, oflags, rflags);
	if (as->leave(as->ctx) != 0) {
		if (fd >= 0)
			close(fd);
		return -ENOTRECOVERABLE;
	}
	return fd;
}

/* readlink of our own descriptor: the object's path from our root. */
static ssize_t fd_path(int fd, char *buf, size_t size)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	/* Not a path at all (never for a directory or a file we opened by
	 * path, but do not build a policy name from it). */
	if (n == 0 || buf[0] != '/')
		return -EACCES;
	return n;
}

static bool ends_deleted(const char *s, size_t n)
{
	size_t sl = sizeof(DELETED_SUFFIX) - 1;

	return n >= sl && memcmp(s + n - sl, DELETED_SUFFIX, sl) == 0;
}

static bool same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void pathres_from_close(struct pathres_from *r)
{
	if (r->fd >= 0 && r->own_fd)
		close(r->fd);
	if (r->start >= 0)
		close(r->start);
	r->fd = r->start = -1;
}

#define _cleanup_from_ __attribute__((cleanup(pathres_from_close)))

/* /proc/PID/root as an O_PATH descriptor and its path from our root. */
static int root_open(pid_t pid, int *fdp, char *path, size_t size)
{
	_cleanup_close_ int fd = -1;
	ssize_t n;

	fd = procfs_open(pid, "root", O_PATH | O_DIRECTORY);
	if (fd < 0)
		return fd;
	n = fd_path(fd, path, size);
	if (n < 0)
		return (int)n;
	if (ends_deleted(path, (size_t)n)) {
		struct stat st;

		/* A root whose directory was removed holds nothing: the
		 * kernel refuses to create in an unlinked directory.  A
		 * directory that is merely named "x (deleted)" still has
		 * links. */
		if (fstat(fd, &st) < 0)
			return -errno;
		if (st.st_nlink == 0)
			return -ENOENT;
	}
	*fdp = steal_fd(&fd);
	return (int)n;
}

int pathres_root_open(pid_t pid, struct pathres_root **out)
{
	_cleanup_free_ char *buf = malloc(PATH_MAX);
	struct pathres_root *r;
	int fd = -1, n;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	n = root_open(pid, &fd, buf, PATH_MAX);
	if (n < 0)
		return n;
	r = malloc(sizeof(*r) + (size_t)n + 1);
	if (!r) {
		close(fd);
		return -ENOMEM;
	}
	r->fd = fd;
	r->len = (size_t)n;
	memcpy(r->path, buf, (size_t)n + 1);
	*out = r;
	return 0;
}

void pathres_root_free(struct pathres_root *r)
{
	if (!r)
		return;
	close(r->fd);
	free(r);
}

/*
 * Turns path (our view, length n, in a PATH_MAX buffer) into the
 * process's view in place.  -EACCES if it is not under the process root.
 */
static ssize_t strip_root(const struct pathres_from *r, char *path, size_t n)
{
	if (r->len == 1)
		return (ssize_t)n;
	if (n < r->len || memcmp(path, r->path, r->len) != 0)
		return -EACCES;
	if (n == r->len) {
		path[0] = '/';
		path[1] = '\0';
		return 1;
	}
	if (path[r->len] != '/')
		return -EACCES;
	memmove(path, path + r->len, n - r->len + 1);
	return (ssize_t)(n - r->len);
}

/*
 * The canonical path of fd as the process sees it, into buf (PATH_MAX).
 * -ENOENT if the object has been unlinked.
 */
static ssize_t canon_of(const struct pathres_from *r, int fd, char *buf)
{
	_cleanup_close_ int again = -1;
	ssize_t n;

	n = fd_path(fd, buf, PATH_MAX);
	if (n < 0)
		return n;
	n = strip_root(r, buf, (size_t)n);
	if (n < 0 || !ends_deleted(buf, (size_t)n))
		return n;
	/* d_path marks an unlinked object with this suffix, but a name can
	 * end with it too: it is genuine if the name leads back here. */
	again = resolve(r->fd, buf, O_NOFOLLOW,
			RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	if (again < 0 || !same_file(again, fd))
		return -ENOENT;
	return n;
}

/* The directory a relative path starts from, as an O_PATH descriptor. */
static int start_open(pid_t pid, int dirfd, bool itself)
{
	char rel[32];
	int fd;

	if (dirfd == PATHRES_AT_FDCWD)
		snprintf(rel, sizeof(rel), "cwd");
	else if (dirfd >= 0)
		snprintf(rel, sizeof(rel), "fd/%d", dirfd);
	else
		return -EBADF;
	/* itself: the object behind the descriptor, whatever it is (an
	 * empty path after /proc/self/fd/N) */
	fd = procfs_open(pid, rel, O_PATH | (itself ? 0 : O_DIRECTORY));
	if (fd != -ESRCH)
		return fd;
	/* The root was there a moment ago: a missing cwd means the process
	 * is exiting, a missing fd is the process's bad descriptor. */
	return dirfd == PATHRES_AT_FDCWD ? -ESRCH : -EBADF;
}

/*
 * Folds leading "." and ".." components of *rest into base (a canonical
 * directory path of length *blen).  Sound because base names real
 * directories with no symlinks in it: ".." of each is its dirname, and
 * ".." of "/" is "/", as for the process at its root.
 */
static void fold_dots(char *base, size_t *blen, const char **rest)
{
	const char *p = *rest;

	for (;;) {
		const char *end;
		size_t clen;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		clen = (size_t)(end - p);
		if (clen == 1 && p[0] == '.') {
			p = end;
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = memrchr(base, '/', *blen);

			/* base is absolute: slash is never NULL. */
			*blen =
			    slash && slash != base ? (size_t)(slash - base) : 1;
			base[*blen] = '\0';
			p = end;
		} else {
			break;
		}
	}
	*rest = p;
}

/*
 * A relative path that climbed out of its start directory: resolve it in
 * the root from the start's own path.
 */
static int resolve_via_root(const struct pathres_from *r, int start,
			    const char *path, uint64_t oflags,
			    const struct pathres_as *as)
{
	_cleanup_close_ int check = -1;
	char full[PATH_MAX];
	size_t blen, rlen;
	ssize_t n;

	n = fd_path(start, full, sizeof(full));
	if (n < 0)
		return (int)n;
	n = strip_root(r, full, (size_t)n);
	if (n < 0)
		return (int)n;
	check = resolve(r->fd, full, O_DIRECTORY,
			RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	if (check == -ENOENT)
		return -ENOENT;
	if (check < 0 || !same_file(check, start))
		return -EACCES;
	blen = (size_t)n;
	fold_dots(full, &blen, &path);
	rlen = strlen(path);
	if (blen + 1 + rlen >= sizeof(full))
		return -ENAMETOOLONG;
	if (blen > 1 && rlen > 0)
		full[blen++] = '/';
	memcpy(full + blen, path, rlen + 1);
	return resolve_as(as, r->fd, full, oflags, RESOLVE_IN_ROOT);
}

/* Resolves path from f: an O_PATH descriptor or -errno. */
static int resolve_for(const struct pathres_from *f, const char *path,
		       uint64_t oflags, const struct pathres_as *as)
{
	int fd;

	if (path[0] == '/')
		return resolve_as(as, f->fd, path, oflags, RESOLVE_IN_ROOT);
	if (f->start < 0)
		return -EBADF;
	fd = resolve_as(as, f->start, path, oflags, RESOLVE_BENEATH);
	if (fd != -EXDEV)
		return fd;
	return resolve_via_root(f, f->start, path, oflags, as);
}

/*
 * Is the absolute path p (len bytes, a trailing '/' allowed when dir) in
 * canonical form as written: no empty, "." or ".." component?  Then, if it
 * resolves without following a symbolic link, it is its own canonical path
 * and no readlink is needed.
 */
static bool written_canonical(const char *p, size_t len, bool dir)
{
	size_t i = 0;

	if (len == 0 || p[0] != '/')
		return false;
	if (len == 1)
		return true;
	if (dir && p[len - 1] == '/')
		len--;
	while (i < len) {
		size_t start = ++i, n;

		while (i < len && p[i] != '/')
			i++;
		n = i - start;
		if (n == 0 || (n == 1 && p[start] == '.') ||
		    (n == 2 && p[start] == '.' && p[start + 1] == '.'))
			return false;
	}
	return true;
}

/*
 * The fast path of a lookup: an absolute path in canonical form resolved
 * in the root without following symbolic links; canon is then the path
 * itself (a trailing '/' dropped).  Returns the descriptor, or -ELOOP when
 * a symbolic link is on the way (resolve the slow way), or another -errno
 * (the lookup's own answer).
 */
static int resolve_written(const struct pathres_from *f, const char *path,
			   size_t len, uint64_t oflags, bool dir,
			   const struct pathres_as *as, char *canon,
			   size_t canonlen, ssize_t *canon_len)
{
	int fd;

	if (!written_canonical(path, len, dir))
		return -ELOOP;
	if (dir && len > 1 && path[len - 1] == '/')
		len--;
	if (len >= canonlen)
		return -ELOOP;
	fd = resolve_as(as, f->fd, path, oflags,
			RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS);
	if (fd < 0)
		return fd;
	memcpy(canon, path, len);
	canon[len] = '\0';
	*canon_len = (ssize_t)len;
	return fd;
}

int pathres_magic(pid_t pid, pid_t tid, int *dirfd, const char **path)
{
	const char *p = *path, *end;
	uint64_t v;
	size_t n;

	if (strncmp(p, "/proc/", 6) != 0)
		return 0;
	p += 6;
	if (!strncmp(p, "self/fd/", 8)) {
		p += 8;
	} else if (!strncmp(p, "thread-self/fd/", 15)) {
		p += 15;
	} else {
		end = strchrnul(p, '/');
		if (strnum_u64n(p, (size_t)(end - p), 10, 1, INT32_MAX, &v) < 0 ||
		    ((pid_t)v != pid && (pid_t)v != tid) ||
		    strncmp(end, "/fd/", 4) != 0)
			return 0;
		p = end + 4;
	}
	end = strchrnul(p, '/');
	n = (size_t)(end - p);
	if (strnum_u64n(p, n, 10, 0, INT32_MAX, &v) < 0)
		return 0;
	*dirfd = (int)v;
	while (*end == '/')
		end++;
	*path = end;
	return 1;
}

/* The start directory of a relative path, and the root's path. */
static int from_finish(pid_t pid, int dirfd, const char *path,
		       struct pathres_from *f)
{
	int r;

	if (path[0] != '/') {
		f->start = start_open(pid, dirfd, path[0] == '\0');
		if (f->start < 0) {
			r = f->start;
			pathres_from_close(f);
			return r;
		}
	}
	return 0;
}

int pathres_from_open(pid_t pid, int dirfd, const char *path,
		      struct pathres_from *f)
{
	int n;

	f->fd = f->start = -1;
	f->own_fd = true;
	n = root_open(pid, &f->fd, f->buf, sizeof(f->buf));
	if (n < 0)
		return n;
	f->len = (size_t)n;
	f->path = f->buf;
	return from_finish(pid, dirfd, path, f);
}

int pathres_from_open_in(const struct pathres_root *root, pid_t pid,
			 int dirfd, const char *path, struct pathres_from *f)
{
	f->fd = root->fd;
	f->own_fd = false;
	f->start = -1;
	f->len = root->len;
	f->path = root->path;
	return from_finish(pid, dirfd, path, f);
}

static int check_len(const char *path)
{
	size_t len = strnlen(path, PATH_MAX);

	if (len == PATH_MAX)
		return -ENAMETOOLONG;
	return len == 0 ? -ENOENT : (int)len; /* as the kernel, for "" */
}

/* The directory part of path ("." for a bare name) and its last component:
 * 0, or -EINVAL/-ENAMETOOLONG as the kernel would say. */
static int split_parent(const char *path, char *dir, const char **name,
			size_t *nlenp)
{
	const char *slash;
	size_t nlen, dlen;
	int len;

	len = check_len(path);
	if (len < 0)
		return len;
	if (path[len - 1] == '/')
		return -EINVAL;
	slash = memrchr(path, '/', (size_t)len);
	*name = slash ? slash + 1 : path;
	nlen = (size_t)len - (size_t)(*name - path);
	if ((nlen == 1 && (*name)[0] == '.') ||
	    (nlen == 2 && (*name)[0] == '.' && (*name)[1] == '.'))
		return -EINVAL;
	if (nlen > NAME_MAX)
		return -ENAMETOOLONG;
	if (slash) {
		/* Keep the slash: "/" for "/x", and "a/" must be a
		 * directory (O_DIRECTORY says so too). */
		dlen = (size_t)(slash - path) + 1;
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
	} else {
		memcpy(dir, ".", 2);
	}
	*nlenp = nlen;
	return 0;
}

static int parent_from(const struct pathres_from *f, const char *path,
		       const struct pathres_as *as, struct pathres *out)
{
	_cleanup_close_ int fd = -1;
	char dir[PATH_MAX];
	const char *name;
	size_t nlen;
	ssize_t n;
	int r;

	out->dirfd = -1;
	r = split_parent(path, dir, &name, &nlen);
	if (r < 0)
		return r;
	fd = resolve_written(f, dir, strlen(dir), O_DIRECTORY, true, as,
			     out->canon, sizeof(out->canon), &n);
	if (fd == -ELOOP) {
		fd = resolve_for(f, dir, O_DIRECTORY, as);
		if (fd < 0)
			return fd;
		n = canon_of(f, fd, out->canon);
	}
	if (fd < 0)
		return fd;
	if (n < 0)
		return (int)n;
	if ((size_t)n + 1 + nlen >= sizeof(out->canon))
		return -ENAMETOOLONG;
	if (n > 1)
		out->canon[n++] = '/';
	memcpy(out->canon + n, name, nlen + 1);
	memcpy(out->name, name, nlen + 1);
	out->dirfd = steal_fd(&fd);
	return 0;
}

static int full_from(const struct pathres_from *f, const char *path,
		     const struct pathres_as *as, int *fdp, char *canon,
		     size_t canonlen)
{
	_cleanup_close_ int fd = -1;
	char buf[PATH_MAX];
	ssize_t n;

	*fdp = -1;
	if (path[0] == '\0' && f->start >= 0) {
		/* /proc/self/fd/N itself (pathres_magic) */
		fd = fcntl(f->start, F_DUPFD_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		n = canon_of(f, fd, buf);
		goto found;
	}
	n = check_len(path);
	if (n < 0)
		return (int)n;
	fd = resolve_written(f, path, (size_t)n, 0, false, as, buf, sizeof(buf),
			     &n);
	if (fd == -ELOOP) {
		fd = resolve_for(f, path, 0, as);
		if (fd < 0)
			return fd;
		n = canon_of(f, fd, buf);
	}
	if (fd < 0)
		return fd;
found:
	if (n < 0)
		return (int)n;
	if ((size_t)n >= canonlen)
		return -ENAMETOOLONG;
	memcpy(canon, buf, (size_t)n + 1);
	*fdp = steal_fd(&fd);
	return 0;
}

int pathres_parent_from(const struct pathres_from *f, const char *path,
			struct pathres *out)
{
	return parent_from(f, path, NULL, out);
}

int pathres_full_from(const struct pathres_from *f, const char *path,
		      int *fd, char *canon, size_t canonlen)
{
	return full_from(f, path, NULL, fd, canon, canonlen);
}

int pathres_parent_as(pid_t pid, int dirfd, const char *path,
		      const struct pathres_as *as, struct pathres *out)
{
	_cleanup_from_ struct pathres_from f = {.fd = -1, .start = -1};
	int r;

	out->dirfd = -1;
	r = check_len(path);
	if (r < 0)
		return r;
	r = pathres_from_open(pid, dirfd, path, &f);
	if (r < 0)
		return r;
	return parent_from(&f, path, as, out);
}

int pathres_full_as(pid_t pid, int dirfd, const char *path,
		    const struct pathres_as *as, int *fdp, char *canon,
		    size_t canonlen)
{
	_cleanup_from_ struct pathres_from f = {.fd = -1, .start = -1};
	int r;

	*fdp = -1;
	r = check_len(path);
	if (r < 0)
		return r;
	r = pathres_from_open(pid, dirfd, path, &f);
	if (r < 0)
		return r;
	return full_from(&f, path, as, fdp, canon, canonlen);
}

int pathres_parent(pid_t pid, int dirfd, const char *path, struct pathres *out)
{
	return pathres_parent_as(pid, dirfd, path, NULL, out);
}

int pathres_full(pid_t pid, int dirfd, const char *path, int *fd, char *canon,
		 size_t canonlen)
{
	return pathres_full_as(pid, dirfd, path, NULL, fd, canon, canonlen);
}
