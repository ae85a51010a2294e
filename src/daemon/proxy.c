// SPDX-License-Identifier: BSD-2-Clause
/*
 * Acting as a supervised thread.  The calling (daemon) thread takes the
 * target's file-system uid/gid, supplementary groups, effective
 * capabilities (limited to its own permitted set) and umask, so that the
 * kernel's checks and the ownership and mode of what is created are
 * exactly the target's.  Every change is per thread: raw setgroups/
 * setfsuid/setfsgid/capset system calls (the glibc wrappers of setgroups
 * broadcast to every thread), umask and cwd after unshare(CLONE_FS).
 *
 * The thread's own credentials never change, so they are recorded once
 * (proxy_init) and a switch costs only the calls that change something:
 * acting as a root process with no capabilities is one capset there and
 * one back.  One switch covers the path resolution and the call.
 *
 * Order matters.  Switching: umask, groups, fsgid, fsuid (each needs
 * CAP_SETGID/CAP_SETUID, so before the capabilities drop), then the
 * capabilities, last because a change of fsuid from or to 0 adds or clears
 * the file-system capabilities in the effective set.  Restoring: the own
 * capabilities first (to be allowed to change ids again), then ids and
 * groups, then the capabilities once more only if fsuid going back to 0
 * could have raised file-system capabilities the thread did not have.  A
 * file-system id change is read back to prove it.  A failure to restore is
 * a bug that leaves a daemon thread with a process's identity: it is
 * reported as -ENOTRECOVERABLE, and the caller must stop using the thread.
 *
 * Mounts in another mount namespace: setns(CLONE_NEWNS) on this thread
 * (allowed because its fs_struct is not shared) for the call, then back to
 * the namespace opened in proxy_init.  setns resets root and cwd, so both
 * are saved and put back.  A process in another user namespace is
 * refused with -EPERM: its ids and capabilities mean something else there
 * and the daemon does not translate them.
 *
 * Bind and move mounts take the source as a descriptor (resolved by the
 * caller for the process) and use open_tree(OPEN_TREE_CLONE) +
 * move_mount, the kernel's own descriptor-based mount calls: no path
 * string is looked up again, so neither a /proc missing in the target
 * namespace nor a rename between check and use can change the source.
 */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/util.h"
#include "daemon/pathres.h"

/* The daemon's own mount namespace (to return to), set once by the first
 * proxy_init. */
static int own_mntns = -1;
/* the thread's cwd at proxy_init, where it goes back after a bind made
 * from the process's directory */
static __thread int home_fd = -1;
/* a bind left the thread in the process's directory: proxy_leave takes it
 * back, with secpold's own credentials (home may be closed to the
 * process's) */
static __thread bool cwd_moved;

/* The file-system capabilities a change of fsuid clears and restores. */
#define CAP_FS_MASK                                                           \
	((1ull << CAP_CHOWN) | (1ull << CAP_DAC_OVERRIDE) |                    \
	 (1ull << CAP_DAC_READ_SEARCH) | (1ull << CAP_FOWNER) |                \
	 (1ull << CAP_FSETID) | (1ull << CAP_LINUX_IMMUTABLE) |                \
	 (1ull << CAP_MKNOD) | (1ull << CAP_MAC_OVERRIDE))

/* What this thread is when it acts for nobody. */
static __thread struct own {
	bool init;
	struct __user_cap_data_struct caps[2];
	gid_t groups[PROXY_MAX_GROUPS];
	int ngroups;
	uid_t fsuid;
	gid_t fsgid;
	mode_t umask;
	bool refresh;   /* fsuid back to 0 may raise what caps lack */
} own;

enum { CH_GROUPS = 1, CH_FSGID = 2, CH_FSUID = 4, CH_CAPS = 8, CH_UMASK = 16 };

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capget, &h, d) < 0 ? -errno : 0;
}

static int caps_set(const struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* setfs[ug]id report the old id, never an error: read back to check. */
static int set_fsuid(uid_t id)
{
	syscall(SYS_setfsuid, id);
	return (uid_t)syscall(SYS_setfsuid, (uid_t)-1) == id ? 0 : -EPERM;
}

static int set_fsgid(gid_t id)
{
	syscall(SYS_setfsgid, id);
	return (gid_t)syscall(SYS_setfsgid, (gid_t)-1) == id ? 0 : -EPERM;
}

int proxy_init(void)
{
	int fd, expected = -1, r;
	long n;

	if (unshare(CLONE_FS) < 0)
		return -errno;
	if (!own.init) {
		uint64_t eff, prm;

		r = caps_get(own.caps);
		if (r < 0)
			return r;
		n = syscall(SYS_getgroups, PROXY_MAX_GROUPS, own.groups);
		if (n < 0)
			return errno == EINVAL ? -E2BIG : -errno;
		own.ngroups = (int)n;
		own.fsuid = (uid_t)syscall(SYS_setfsuid, (uid_t)-1);
		own.fsgid = (gid_t)syscall(SYS_setfsgid, (gid_t)-1);
		own.umask = umask(0);
		umask(own.umask);
		eff = own.caps[0].effective | (uint64_t)own.caps[1].effective << 32;
		prm = own.caps[0].permitted | (uint64_t)own.caps[1].permitted << 32;
		own.refresh = (eff & CAP_FS_MASK) != (prm & CAP_FS_MASK);
		own.init = true;
	}
	if (home_fd < 0) {
		home_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (home_fd < 0)
			return -errno;
	}
	if (__atomic_load_n(&own_mntns, __ATOMIC_ACQUIRE) >= 0)
		return 0;
	fd = procfs_open(PROCFS_THREAD_SELF, "ns/mnt", O_RDONLY);
	if (fd < 0)
		return fd;
	/* Two threads initialising at once: keep the first descriptor. */
	if (!__atomic_compare_exchange_n(&own_mntns, &expected, fd, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		close(fd);
	return 0;
}

void proxy_fini(void)
{
	if (home_fd >= 0)
		close(home_fd);
	home_fd = -1;
}

/* --- switching ------------------------------------------------------------ */

int proxy_enter(const struct proc_creds *c, struct proxy_saved *s)
{
	struct __user_cap_data_struct d[2];
	size_t gsize;
	int r;

	s->changed = 0;
	s->umask = own.umask;
	if (!own.init)
		return -EINVAL; /* proxy_init was not called */
	if (c->ngroups < 0 || c->ngroups > PROXY_MAX_GROUPS ||
	    (c->umask & ~0777u))
		return -EINVAL;
	if ((c->umask & 0777) != own.umask) {
		s->changed |= CH_UMASK;
		umask(c->umask & 0777);
	}
	gsize = sizeof(gid_t) * (size_t)c->ngroups;
	if (c->ngroups != own.ngroups || memcmp(c->groups, own.groups, gsize)) {
		s->changed |= CH_GROUPS;
		if (syscall(SYS_setgroups, (size_t)c->ngroups, c->groups) < 0)
			return -errno;
	}
	if (c->fsgid != own.fsgid) {
		s->changed |= CH_FSGID;
		r = set_fsgid(c->fsgid);
		if (r < 0)
			return r;
	}
	if (c->fsuid != own.fsuid) {
		/* The kernel may change the effective set here. */
		s->changed |= CH_FSUID | CH_CAPS;
		r = set_fsuid(c->fsuid);
		if (r < 0)
			return r;
	}
	/* Effective: what the process has, as far as we have it; permitted
	 * and inheritable stay ours so that the restore can raise again. */
	memcpy(d, own.caps, sizeof(d));
	d[0].effective = (uint32_t)c->cap_eff & own.caps[0].permitted;
	d[1].effective = (uint32_t)(c->cap_eff >> 32) & own.caps[1].permitted;
	if (!(s->changed & CH_CAPS) && !memcmp(d, own.caps, sizeof(d)))
		return 0;
	s->changed |= CH_CAPS;
	return caps_set(d);
}

int proxy_leave(struct proxy_saved *s)
{
	unsigned ch = s->changed;
	int bad = 0;

	s->changed = 0;
	if (ch & CH_UMASK)
		umask(own.umask);
	if (ch & CH_CAPS)
		bad |= caps_set(own.caps);
	if (ch & CH_FSUID)
		bad |= set_fsuid(own.fsuid);
	if (ch & CH_FSGID)
		bad |= set_fsgid(own.fsgid);
	if ((ch & CH_GROUPS) &&
	    syscall(SYS_setgroups, (size_t)own.ngroups, own.groups) < 0)
		bad = -1;
	if ((ch & CH_FSUID) && own.refresh)
		bad |= caps_set(own.caps);
	/* never hold the process's directory (an unmount would be busy) */
	if (cwd_moved) {
		bad |= fchdir(home_fd);
		cwd_moved = false;
	}
	return bad ? -ENOTRECOVERABLE : 0;
}

/* Runs op as the process.  Returns the op's result, or -ENOTRECOVERABLE
 * if the thread could not be restored. */
static int as_process(const struct proc_creds *c, int (*op)(void *),
		      void *arg)
{
	struct proxy_saved s;
	int ret = proxy_enter(c, &s), r;

	if (ret == 0)
		ret = op(arg);
	r = proxy_leave(&s);
	return r ? r : ret;
}

/* --- path walks as the process -------------------------------------------- */

struct walk_ctx {
	const struct proc_creds *c;
	struct proxy_saved s;
};

static int walk_enter(void *arg)
{
	struct walk_ctx *w = arg;

	return proxy_enter(w->c, &w->s);
}

static int walk_leave(void *arg)
{
	struct walk_ctx *w = arg;

	return proxy_leave(&w->s);
}

int proxy_pathres_parent(const struct proc_creds *c, pid_t pid, int dirfd,
			 const char *path, struct pathres *out)
{
	struct walk_ctx w = {.c = c};
	struct pathres_as as = {walk_enter, walk_leave, &w};

	return pathres_parent_as(pid, dirfd, path, &as, out);
}

int proxy_pathres_full(const struct proc_creds *c, pid_t pid, int dirfd,
		       const char *path, int *fd, char *canon, size_t canonlen)
{
	struct walk_ctx w = {.c = c};
	struct pathres_as as = {walk_enter, walk_leave, &w};

	return pathres_full_as(pid, dirfd, path, &as, fd, canon, canonlen);
}

/* --- operations ----------------------------------------------------------- */

/* A single path component, as pathres hands out. */
static int check_name(const char *name)
{
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return -EINVAL;
	return 0;
}

int proxy_op_bind(int sock, const struct sockaddr *sa, socklen_t len)
{
	return bind(sock, sa, len) < 0 ? -errno : 0;
}

int proxy_op_bind_unix(int sock, int dirfd, const char *name)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	socklen_t len;
	size_t n = strlen(name);
	int r;

	if (check_name(name) < 0)
		return -EINVAL;
	if (n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	/* bind has no *at form: from the directory we resolved as this
	 * thread's own cwd (proxy_init), until proxy_leave.  Not through /proc/self/fd/N: with
	 * the process's credentials, the walk through our own /proc entry
	 * makes capability checks the process never made. */
	memcpy(sun.sun_path, name, n + 1);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	if (fchdir(dirfd) < 0)
		return -errno;
	cwd_moved = true; /* proxy_leave goes back */
	r = bind(sock, (struct sockaddr *)&sun, len) < 0 ? -errno : 0;
	return r;
}

int proxy_op_symlink(const char *target, int dirfd, const char *name)
{
	if (check_name(name) < 0)
		return -EINVAL;
	return symlinkat(target, dirfd, name) < 0 ? -errno : 0;
}

int proxy_op_mknod(int dirfd, const char *name, mode_t mode, dev_t dev)
{
	if (check_name(name) < 0)
		return -EINVAL;
	return mknodat(dirfd, name, mode, dev) < 0 ? -errno : 0;
}

struct op_args {
	int sock;
	const struct sockaddr *sa;
	socklen_t len;
	const char *target;
	int dirfd;
	const char *name;
	mode_t mode;
	dev_t dev;
};

static int op_bind(void *arg)
{
	struct op_args *a = arg;

	return proxy_op_bind(a->sock, a->sa, a->len);
}

static int op_bind_unix(void *arg)
{
	struct op_args *a = arg;

	return proxy_op_bind_unix(a->sock, a->dirfd, a->name);
}

static int op_symlink(void *arg)
{
	struct op_args *a = arg;

	return proxy_op_symlink(a->target, a->dirfd, a->name);
}

static int op_mknod(void *arg)
{
	struct op_args *a = arg;

	return proxy_op_mknod(a->dirfd, a->name, a->mode, a->dev);
}

int proxy_bind(const struct proc_creds *c, int sock,
	       const struct sockaddr *sa, socklen_t len)
{
	struct op_args a = {.sock = sock, .sa = sa, .len = len};

	return as_process(c, op_bind, &a);
}

int proxy_bind_unix(const struct proc_creds *c, int sock, int dirfd,
		    const char *name)
{
	struct op_args a = {.sock = sock, .dirfd = dirfd, .name = name};

	return as_process(c, op_bind_unix, &a);
}

int proxy_symlink(const struct proc_creds *c, const char *target, int dirfd,
		  const char *name)
{
	struct op_args a = {.target = target, .dirfd = dirfd, .name = name};

	return as_process(c, op_symlink, &a);
}

int proxy_mknod(const struct proc_creds *c, int dirfd, const char *name,
		mode_t mode, dev_t dev)
{
	struct op_args a = {
	    .dirfd = dirfd, .name = name, .mode = mode, .dev = dev};

	return as_process(c, op_mknod, &a);
}

/* --- mounts --------------------------------------------------------------- */

struct mount_args {
	const char *source;
	int source_fd;
	const char *fstype;
	unsigned long flags;
	const char *data;
};

#define MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/* In the target's namespace and as the process; cwd is the mount point.
 * The dispatch follows the kernel's path_mount. */
static int do_mount(void *arg)
{
	struct mount_args *a = arg;
	unsigned long f = a->flags;
	int r = 0;

	if (f & MS_REMOUNT || (!(f & MS_BIND) && f & MS_PROPAGATION) ||
	    !(f & (MS_BIND | MS_MOVE))) {
		if (mount(a->source, ".", a->fstype, f, a->data) < 0)
			return -errno;
		return 0;
	}
	if (a->source_fd < 0)
		return -EINVAL;
	if (f & MS_BIND) {
		unsigned int of =
		    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;
		int tree;

		if (f & MS_REC)
			of |= AT_RECURSIVE;
		tree = open_tree(a->source_fd, "", of);
		if (tree < 0)
			return -errno;
		if (move_mount(tree, "", AT_FDCWD, ".",
			       MOVE_MOUNT_F_EMPTY_PATH) < 0)
			r = -errno;
		/* Closing a tree that was not attached unmounts it. */
		close(tree);
		return r;
	}
	if (move_mount(a->source_fd, "", AT_FDCWD, ".",
		       MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return -errno;
	return 0;
}

/* Puts back root (if saved) and cwd, closes both.  0 or
 * -ENOTRECOVERABLE. */
static int restore_dirs(int root, int cwd)
{
	int bad = 0;

	if (root >= 0) {
		struct stat a, b;

		if (stat("/", &a) < 0 || fstat(root, &b) < 0)
			bad = -1;
		else if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			bad |= fchdir(root) | chroot(".");
		close(root);
	}
	if (cwd >= 0) {
		bad |= fchdir(cwd);
		close(cwd);
	}
	return bad ? -ENOTRECOVERABLE : 0;
}

int proxy_mount(const struct proc_creds *c, pid_t pid, const char *source,
		int source_fd, int dirfd, const char *fstype,
		unsigned long flags, const char *data)
{
	struct mount_args a = {.source = source,
			       .source_fd = source_fd,
			       .fstype = fstype,
			       .flags = flags,
			       .data = data};
	_cleanup_close_ int ns = -1;
	struct proxy_saved s;
	struct stat own_st, st;
	int ret, r1, r2, root = -1, cwd = -1;

	if (own_mntns < 0 || !own.init)
		return -EINVAL; /* proxy_init was not called */
	/* The historic magic number in the high bits means nothing. */
	if ((a.flags & MS_MGC_MSK) == MS_MGC_VAL)
		a.flags &= ~MS_MGC_MSK;
	ret = procfs_same_userns(pid);
	if (ret <= 0)
		return ret < 0 ? ret : -EPERM;
	if (fstat(own_mntns, &own_st) < 0)
		return -errno;
	ns = procfs_open(pid, "ns/mnt", O_RDONLY);
	if (ns < 0)
		return ns;
	if (fstat(ns, &st) < 0)
		return -errno;
	if (st.st_dev == own_st.st_dev && st.st_ino == own_st.st_ino) {
		close(ns);
		ns = -1;
	}
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0)
		return -errno;
	if (ns >= 0) {
		root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0) {
			ret = -errno;
			close(cwd);
			return ret;
		}
		/* With our own capabilities: setns needs CAP_SYS_ADMIN and
		 * CAP_SYS_CHROOT, which the process may not have. */
		if (setns(ns, CLONE_NEWNS) < 0) {
			ret = -errno;
			restore_dirs(root, cwd);
			return ret;
		}
	}
	ret = proxy_enter(c, &s);
	if (ret == 0 && fchdir(dirfd) < 0)
		ret = -errno;
	if (ret == 0)
		ret = do_mount(&a);
	r1 = proxy_leave(&s);
	if (ns >= 0 && setns(own_mntns, CLONE_NEWNS) < 0)
		r1 = -ENOTRECOVERABLE;
	r2 = restore_dirs(root, cwd);
	return r1 ? r1 : r2 ? r2 : ret;
}
