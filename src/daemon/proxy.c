// SPDX-License-Identifier: BSD-2-Clause
/*
 * Acting as a supervised thread.  The calling (daemon) thread takes the
 * target's file-system uid/gid, supplementary groups, effective
 * capabilities (limited to its own permitted set) and umask for the one
 * call, so that the kernel's checks and the ownership and mode of what is
 * created are exactly the target's.  Every change is per thread: raw
 * setgroups/setfsuid/setfsgid/capset system calls (the glibc wrappers of
 * setgroups broadcast to every thread), umask and cwd after
 * unshare(CLONE_FS).
 *
 * Order matters.  Switching: umask, groups, fsgid, fsuid (each needs
 * CAP_SETGID/CAP_SETUID, so before the capabilities drop), then the
 * capabilities, last because a change of fsuid from or to 0 adds or clears
 * the file-system capabilities in the effective set.  Restoring: the
 * saved capabilities first (to be allowed to change ids again), then ids
 * and groups, then the capabilities once more (fsuid going back to 0 may
 * have raised file-system capabilities the saved set did not have), and
 * a final capget to prove the result.  Each credential change is a
 * commit_creds in the kernel (~0.5 us): what already matches is left
 * alone, so acting as a process with the daemon's own credentials costs
 * next to nothing.  A failure to restore is a bug that
 * leaves a daemon thread with a process's identity: it is reported as
 * -ENOTRECOVERABLE, and the caller must stop using the thread.
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

#include "common/fileio.h"
#include "daemon/pathres.h"
#include "common/strnum.h"
#include "common/util.h"

/* The daemon's own mount namespace (to return to), set once by the first
 * proxy_init, and user namespace (to compare with), found on first use. */
static int own_mntns = -1;
static dev_t own_userns_dev;
static ino_t own_userns_ino;
static int own_userns_err;
static pthread_once_t own_userns_once = PTHREAD_ONCE_INIT;

struct saved {
	struct __user_cap_data_struct caps[2];
	gid_t groups[PROXY_MAX_GROUPS];
	int ngroups;
	uid_t fsuid;
	gid_t fsgid;
	mode_t umask;
	int cwd;  /* O_PATH of the cwd, or -1 if the call does not move it */
	int root; /* O_PATH of the root, or -1 if the call keeps it */
	unsigned int changed; /* CH_*: what become() changed */
};

enum { CH_GROUPS = 1, CH_FSGID = 2, CH_FSUID = 4, CH_CAPS = 8 };

int proxy_init(void)
{
	int fd, expected = -1;

	if (unshare(CLONE_FS) < 0)
		return -errno;
	if (__atomic_load_n(&own_mntns, __ATOMIC_ACQUIRE) >= 0)
		return 0;
	fd = open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Two threads initialising at once: keep the first descriptor. */
	if (!__atomic_compare_exchange_n(&own_mntns, &expected, fd, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		close(fd);
	return 0;
}

/* --- /proc/PID/status ----------------------------------------------------- */

enum {
	F_UID = 1 << 0,
	F_GID = 1 << 1,
	F_GROUPS = 1 << 2,
	F_CAPEFF = 1 << 3,
	F_CAPPRM = 1 << 4,
	F_UMASK = 1 << 5,
	F_ALL = (1 << 6) - 1,
};

/* "a\tb\tc\td": exactly four ids. */
static int parse_ids4(const char *s, size_t len, uint32_t out[4])
{
	const char *end = s + len;

	for (int i = 0; i < 4; i++) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;
		uint64_t v;

		/* Three separators, no more, no less. */
		if ((i < 3) != (tab != NULL))
			return -EINVAL;
		/* (uid_t)-1 is never an id. */
		if (strnum_u64n(s, (size_t)(stop - s), 10, 0, UINT32_MAX - 1,
				&v) < 0)
			return -EINVAL;
		out[i] = (uint32_t)v;
		s = stop + 1;
	}
	return 0;
}

/* "1 2 3 " (the kernel ends the list with a space; accept it missing). */
static int parse_groups(const char *s, size_t len, struct proc_creds *c)
{
	c->ngroups = 0;
	while (len > 0) {
		const char *sp = memchr(s, ' ', len);
		size_t n = sp ? (size_t)(sp - s) : len;
		uint64_t v;

		if (n == 0) {
			/* Only the single trailing space, or the lone space of
			 * an empty list, is allowed. */
			if (len != 1)
				return -EINVAL;
			break;
		}
		if (strnum_u64n(s, n, 10, 0, UINT32_MAX - 1, &v) < 0)
			return -EINVAL;
		if (c->ngroups == PROXY_MAX_GROUPS)
			return -E2BIG;
		c->groups[c->ngroups++] = (gid_t)v;
		if (!sp)
			break;
		s += n + 1;
		len -= n + 1;
	}
	return 0;
}

static int parse_cap(const char *s, size_t len, uint64_t *out)
{
	/* Always 16 hex digits; strtoull would also take "0x". */
	if (len != 16)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return -EINVAL;
	return strnum_u64n(s, len, 16, 0, UINT64_MAX, out) < 0 ? -EINVAL : 0;
}

static int parse_line(const char *key, size_t klen, const char *val,
		      size_t vlen, struct proc_creds *c, unsigned int *seen)
{
	static const struct {
		const char *key;
		unsigned int bit;
	} keys[] = {
	    {"Uid", F_UID},	  {"Gid", F_GID},	{"Groups", F_GROUPS},
	    {"CapEff", F_CAPEFF}, {"CapPrm", F_CAPPRM}, {"Umask", F_UMASK},
	};
	unsigned int bit = 0;
	uint32_t ids[4];
	uint64_t v;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strlen(keys[i].key) == klen &&
		    memcmp(keys[i].key, key, klen) == 0)
			bit = keys[i].bit;
	if (!bit)
		return 0;
	if (*seen & bit)
		return -EINVAL;
	*seen |= bit;
	switch (bit) {
	case F_UID:
		r = parse_ids4(val, vlen, ids);
		if (r == 0) {
			c->uid = ids[0];
			c->euid = ids[1];
			c->suid = ids[2];
			c->fsuid = ids[3];
		}
		return r;
	case F_GID:
		r = parse_ids4(val, vlen, ids);
		if (r == 0) {
			c->gid = ids[0];
			c->egid = ids[1];
			c->sgid = ids[2];
			c->fsgid = ids[3];
		}
		return r;
	case F_GROUPS:
		return parse_groups(val, vlen, c);
	case F_CAPEFF:
		return parse_cap(val, vlen, &c->cap_eff);
	case F_CAPPRM:
		return parse_cap(val, vlen, &c->cap_prm);
	default:
		r = strnum_u64n(val, vlen, 8, 0, 0777, &v);
		if (r < 0)
			return -EINVAL;
		c->umask = (mode_t)v;
		return 0;
	}
}

static int parse_status(const char *buf, size_t len, struct proc_creds *c)
{
	unsigned int seen = 0;

	while (len > 0) {
		const char *nl = memchr(buf, '\n', len);
		size_t llen = nl ? (size_t)(nl - buf) : len;
		const char *colon = memchr(buf, ':', llen);

		/* Every line is "Key:\tvalue" ("Key:" alone never occurs in
		 * the lines we read, but may in others). */
		if (colon && (size_t)(colon - buf) + 1 < llen &&
		    colon[1] == '\t') {
			size_t klen = (size_t)(colon - buf);
			int r = parse_line(buf, klen, colon + 2,
					   llen - klen - 2, c, &seen);

			if (r < 0)
				return r;
		}
		if (!nl)
			break;
		buf += llen + 1;
		len -= llen + 1;
	}
	return seen == F_ALL ? 0 : -EINVAL;
}

/* Same namespace as ours?  1, 0 or -errno (-ESRCH: the process is gone). */
static int same_ns(const char *path, dev_t dev, ino_t ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	return st.st_dev == dev && st.st_ino == ino;
}

static void find_own_userns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/user", &st) < 0) {
		own_userns_err = -errno;
		return;
	}
	own_userns_dev = st.st_dev;
	own_userns_ino = st.st_ino;
}

/* Is pid in our user namespace?  1, 0 or -errno. */
static int userns_is_ours(pid_t pid)
{
	char path[48];

	pthread_once(&own_userns_once, find_own_userns);
	if (own_userns_err)
		return own_userns_err;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	return same_ns(path, own_userns_dev, own_userns_ino);
}

int proc_creds_read(pid_t pid, struct proc_creds *c)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *heap = NULL;
	char path[32], buf[16384];
	const char *text = buf;
	size_t len = 0;
	int r;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/* Fits the stack unless the process has thousands of groups (or a
	 * machine has thousands of CPUs): then read it all on the heap. */
	while (len < sizeof(buf)) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == sizeof(buf)) {
		if (lseek(fd, 0, SEEK_SET) < 0)
			return -errno;
		r = read_fd_all(fd, 4 << 20, &heap, &len);
		if (r < 0)
			return r;
		text = heap;
	}
	/* An exiting thread's status can be empty or lack its creds. */
	if (len == 0)
		return -ESRCH;
	r = parse_status(text, len, c);
	if (r == 0)
		r = userns_is_ours(pid);
	if (r < 0)
		return r;
	/* Capabilities held in a user namespace of its own are nothing in
	 * ours: acting with them here would be a way out of it. */
	if (r == 0)
		c->cap_eff = c->cap_prm = 0;
	return 0;
}

/* --- switching ------------------------------------------------------------ */

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

static int state_save(struct saved *s, bool cwd, bool root)
{
	long n;
	int r;

	s->cwd = s->root = -1;
	s->changed = 0;
	r = caps_get(s->caps);
	if (r < 0)
		return r;
	n = syscall(SYS_getgroups, PROXY_MAX_GROUPS, s->groups);
	if (n < 0)
		return errno == EINVAL ? -E2BIG : -errno;
	s->ngroups = (int)n;
	s->fsuid = (uid_t)syscall(SYS_setfsuid, (uid_t)-1);
	s->fsgid = (gid_t)syscall(SYS_setfsgid, (gid_t)-1);
	if (cwd) {
		s->cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (s->cwd < 0)
			return -errno;
	}
	if (root) {
		s->root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (s->root < 0) {
			r = -errno;
			close(s->cwd);
			s->cwd = -1;
			return r;
		}
	}
	return 0;
}

/* Puts back ids, groups, capabilities and umask.  0 or -ENOTRECOVERABLE. */
static int restore_creds(struct saved *s)
{
	struct __user_cap_data_struct now[2];
	unsigned int ch = s->changed;
	int bad = 0;

	umask(s->umask);
	if (!ch)
		return 0;
	s->changed = 0;
	if (ch & CH_CAPS)
		bad |= caps_set(s->caps);
	if (ch & CH_FSUID)
		bad |= set_fsuid(s->fsuid);
	if (ch & CH_FSGID)
		bad |= set_fsgid(s->fsgid);
	if ((ch & CH_GROUPS) &&
	    syscall(SYS_setgroups, (size_t)s->ngroups, s->groups) < 0)
		bad = -1;
	if (ch & CH_FSUID)
		bad |= caps_set(s->caps);
	bad |= caps_get(now);
	if (bad || memcmp(now, s->caps, sizeof(now)) != 0)
		return -ENOTRECOVERABLE;
	return 0;
}

/* Puts back root (if saved) and cwd, closes both. */
static int restore_dirs(struct saved *s)
{
	int bad = 0;

	if (s->root >= 0) {
		struct stat a, b;

		if (stat("/", &a) < 0 || fstat(s->root, &b) < 0)
			bad = -1;
		else if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			bad |= fchdir(s->root) | chroot(".");
		close(s->root);
		s->root = -1;
	}
	if (s->cwd >= 0) {
		bad |= fchdir(s->cwd);
		close(s->cwd);
		s->cwd = -1;
	}
	return bad ? -ENOTRECOVERABLE : 0;
}

static const struct proxy_hooks *hooks;

void proxy_set_hooks(const struct proxy_hooks *h)
{
	hooks = h;
}

static void hook_begin(void)
{
	if (hooks && hooks->begin)
		hooks->begin(hooks->ctx);
}

static void hook_end(void)
{
	if (hooks && hooks->end)
		hooks->end(hooks->ctx);
}

static int become(const struct proc_creds *c, struct saved *s)
{
	struct __user_cap_data_struct d[2];
	size_t gsize;
	int r;

	/* First, so that the restore always has it. */
	s->umask = umask(c->umask & 0777);
	if (c->ngroups < 0 || c->ngroups > PROXY_MAX_GROUPS ||
	    (c->umask & ~0777u))
		return -EINVAL;
	gsize = sizeof(gid_t) * (size_t)c->ngroups;
	if (c->ngroups != s->ngroups || memcmp(c->groups, s->groups, gsize)) {
		s->changed |= CH_GROUPS;
		if (syscall(SYS_setgroups, (size_t)c->ngroups, c->groups) < 0)
			return -errno;
	}
	if (c->fsgid != s->fsgid) {
		s->changed |= CH_FSGID;
		r = set_fsgid(c->fsgid);
		if (r < 0)
			return r;
	}
	if (c->fsuid != s->fsuid) {
		/* The kernel may change the effective set here. */
		s->changed |= CH_FSUID | CH_CAPS;
		r = set_fsuid(c->fsuid);
		if (r < 0)
			return r;
	}
	/* Effective: what the process has, as far as we have it; permitted
	 * and inheritable stay ours so that the restore can raise again. */
	memcpy(d, s->caps, sizeof(d));
	d[0].effective = (uint32_t)c->cap_eff & s->caps[0].permitted;
	d[1].effective = (uint32_t)(c->cap_eff >> 32) & s->caps[1].permitted;
	if (!(s->changed & CH_CAPS) && !memcmp(d, s->caps, sizeof(d)))
		return 0;
	s->changed |= CH_CAPS;
	return caps_set(d);
}

/* Runs op as the process, in directory dirfd if in_dir.  Returns the op's
 * result, or -ENOTRECOVERABLE if the thread could not be restored. */
static int as_process(const struct proc_creds *c, int dirfd, bool in_dir,
		      int (*op)(void *), void *arg)
{
	struct saved s;
	int ret, r1, r2;

	ret = state_save(&s, in_dir, false);
	if (ret < 0)
		return ret;
	ret = become(c, &s);
	if (ret == 0 && in_dir && fchdir(dirfd) < 0)
		ret = -errno;
	if (ret == 0) {
		hook_begin();
		ret = op(arg);
		hook_end();
	}
	r1 = restore_creds(&s);
	r2 = restore_dirs(&s);
	return r1 ? r1 : r2 ? r2 : ret;
}

/* --- path walks as the process -------------------------------------------- */

struct walk_ctx {
	const struct proc_creds *c;
	struct saved s;
	bool saved;
};

static int walk_enter(void *arg)
{
	struct walk_ctx *w = arg;
	int r = state_save(&w->s, false, false);

	w->saved = r == 0;
	if (r == 0)
		r = become(w->c, &w->s);
	if (r == 0)
		hook_begin();
	return r;
}

static int walk_leave(void *arg)
{
	struct walk_ctx *w = arg;

	if (!w->saved)
		return 0;
	hook_end();
	w->saved = false;
	return restore_creds(&w->s);
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

struct bind_args {
	int sock;
	const struct sockaddr *sa;
	socklen_t len;
};

static int do_bind(void *arg)
{
	struct bind_args *a = arg;

	return bind(a->sock, a->sa, a->len) < 0 ? -errno : 0;
}

int proxy_bind(const struct proc_creds *c, int sock,
	       const struct sockaddr *sa, socklen_t len)
{
	struct bind_args a = {.sock = sock, .sa = sa, .len = len};

	return as_process(c, -1, false, do_bind, &a);
}

/* A single path component, as pathres hands out. */
static int check_name(const char *name)
{
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return -EINVAL;
	return 0;
}

int proxy_bind_unix(const struct proc_creds *c, int sock, int dirfd,
		    const char *name)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct bind_args a = {.sock = sock, .sa = (struct sockaddr *)&sun};
	size_t n = strlen(name);

	if (check_name(name) < 0)
		return -EINVAL;
	if (n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, name, n + 1);
	a.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	/* bind has no *at form: it resolves from the cwd, which is this
	 * thread's own after proxy_init. */
	return as_process(c, dirfd, true, do_bind, &a);
}

struct at_args {
	const char *target;
	int dirfd;
	const char *name;
	mode_t mode;
	dev_t dev;
};

static int do_symlink(void *arg)
{
	struct at_args *a = arg;

	return symlinkat(a->target, a->dirfd, a->name) < 0 ? -errno : 0;
}

static int do_mknod(void *arg)
{
	struct at_args *a = arg;

	return mknodat(a->dirfd, a->name, a->mode, a->dev) < 0 ? -errno : 0;
}

int proxy_symlink(const struct proc_creds *c, const char *target, int dirfd,
		  const char *name)
{
	struct at_args a = {.target = target, .dirfd = dirfd, .name = name};

	if (check_name(name) < 0)
		return -EINVAL;
	return as_process(c, dirfd, false, do_symlink, &a);
}

int proxy_mknod(const struct proc_creds *c, int dirfd, const char *name,
		mode_t mode, dev_t dev)
{
	struct at_args a = {
	    .dirfd = dirfd, .name = name, .mode = mode, .dev = dev};

	if (check_name(name) < 0)
		return -EINVAL;
	return as_process(c, dirfd, false, do_mknod, &a);
}

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
	struct stat own, st;
	struct saved s;
	char path[48];
	int ret, r1, r2;

	if (own_mntns < 0)
		return -EINVAL; /* proxy_init was not called */
	/* The historic magic number in the high bits means nothing. */
	if ((a.flags & MS_MGC_MSK) == MS_MGC_VAL)
		a.flags &= ~MS_MGC_MSK;
	ret = userns_is_ours(pid);
	if (ret <= 0)
		return ret < 0 ? ret : -EPERM;
	if (fstat(own_mntns, &own) < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	if (fstat(ns, &st) < 0)
		return -errno;
	if (st.st_dev == own.st_dev && st.st_ino == own.st_ino) {
		close(ns);
		ns = -1;
	}

	ret = state_save(&s, true, ns >= 0);
	if (ret < 0)
		return ret;
	/* With our own capabilities: setns needs CAP_SYS_ADMIN and
	 * CAP_SYS_CHROOT, which the process may not have. */
	if (ns >= 0 && setns(ns, CLONE_NEWNS) < 0) {
		ret = -errno;
		restore_dirs(&s);
		return ret;
	}
	ret = become(c, &s);
	if (ret == 0 && fchdir(dirfd) < 0)
		ret = -errno;
	if (ret == 0) {
		hook_begin();
		ret = do_mount(&a);
		hook_end();
	}
	r1 = restore_creds(&s);
	if (ns >= 0 && setns(own_mntns, CLONE_NEWNS) < 0)
		r1 = -ENOTRECOVERABLE;
	r2 = restore_dirs(&s);
	return r1 ? r1 : r2 ? r2 : ret;
}
