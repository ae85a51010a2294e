// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: resolving paths as a supervised process would, in its root
 * (a chroot, another mount namespace) and from its cwd or a dirfd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/pathres.h"
#include "daemon/procfs.h"

static char T[PATH_MAX]; /* the test tree */
static size_t TL;
static int cwdfd = -1; /* the test program's own cwd, restored after each */

/* T + suffix, in one of 8 static buffers used in turn. */
static const char *tp(const char *suffix)
{
	static char buf[8][PATH_MAX];
	static unsigned int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s%s", T, suffix);
	return buf[i];
}

/* Whether fd is the object at path (in our view). */
static int is_at(int fd, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) < 0 || lstat(path, &b) < 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void rm_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0)
		rm_tree_at(fd);
	rmdir(path);
}

static int setup(void **state)
{
	(void)state;
	/* the daemon's /proc descriptor stays open: before counting */
	if (procfs_init() < 0)
		return -1;
	strcpy(T, "/tmp/secpol-pathres-XXXXXX");
	if (!mkdtemp(T))
		return -1;
	TL = strlen(T);
	cwdfd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (mkdir(tp("/a"), 0755) || mkdir(tp("/a/b"), 0755) ||
	    mkdir(tp("/x (deleted)"), 0755) || mkdir(tp("/jail"), 0755) ||
	    mkdir(tp("/jail/etc"), 0755) || mkdir(tp("/jail/d"), 0755) ||
	    mkdir(tp("/mnt"), 0755) || symlink("a/b", tp("/link")) ||
	    symlink(tp("/a"), tp("/abslink")) ||
	    symlink("loop2", tp("/loop1")) || symlink("loop1", tp("/loop2")) ||
	    symlink("nonexistent", tp("/dangling")) ||
	    symlink("/etc", tp("/jail/abs")) ||
	    symlink("../../../..", tp("/jail/up")) ||
	    symlink("/proc/self/fd/0", tp("/magic")))
		return -1;
	close(open(tp("/file"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	close(open(tp("/a/b/file"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_tree(T);
	close(cwdfd);
	return 0;
}

static int restore_cwd(void **state)
{
	(void)state;
	return fchdir(cwdfd);
}

static void expect_parent(pid_t pid, int dirfd, const char *path,
			  const char *canon, const char *dirpath,
			  const char *name)
{
	struct pathres r;
	int ret = pathres_parent(pid, dirfd, path, &r);

	if (ret)
		print_error("pathres_parent(%d, %d, %.60s...) = %d\n", (int)pid,
			    dirfd, path, ret);
	assert_int_equal(ret, 0);
	assert_string_equal(r.canon, canon);
	assert_string_equal(r.name, name);
	assert_true(is_at(r.dirfd, dirpath));
	close(r.dirfd);
}

static void expect_full(pid_t pid, int dirfd, const char *path,
			const char *canon, const char *objpath)
{
	char c[PATH_MAX];
	int fd = -7;

	assert_int_equal(pathres_full(pid, dirfd, path, &fd, c, sizeof(c)), 0);
	assert_string_equal(c, canon);
	assert_true(is_at(fd, objpath));
	close(fd);
}

static int parent_err(pid_t pid, int dirfd, const char *path)
{
	struct pathres r;
	int ret = pathres_parent(pid, dirfd, path, &r);

	if (ret == 0)
		close(r.dirfd);
	else
		assert_int_equal(r.dirfd, -1);
	return ret;
}

static int full_err(pid_t pid, int dirfd, const char *path)
{
	char c[PATH_MAX];
	int fd = 5, ret = pathres_full(pid, dirfd, path, &fd, c, sizeof(c));

	if (ret == 0)
		close(fd);
	else
		assert_int_equal(fd, -1);
	return ret;
}

static void test_parent_absolute(void **state)
{
	pid_t me = getpid();
	int fds = count_fds();

	(void)state;
	expect_parent(me, PATHRES_AT_FDCWD, tp("/a/b/new"), tp("/a/b/new"),
		      tp("/a/b"), "new");
	/* Symlinks in the directory part are followed... */
	expect_parent(me, PATHRES_AT_FDCWD, tp("/link/new"), tp("/a/b/new"),
		      tp("/a/b"), "new");
	expect_parent(me, PATHRES_AT_FDCWD, tp("/abslink/b/new"),
		      tp("/a/b/new"), tp("/a/b"), "new");
	/* ...the last component is not. */
	expect_parent(me, PATHRES_AT_FDCWD, tp("/link"), tp("/link"), T,
		      "link");
	/* Folding: ".", "..", "//". */
	expect_parent(me, PATHRES_AT_FDCWD, tp("//a/./b/../b//new"),
		      tp("/a/b/new"), tp("/a/b"), "new");
	/* The root itself as the parent. */
	expect_parent(me, PATHRES_AT_FDCWD, "/new", "/new", "/", "new");
	expect_parent(me, PATHRES_AT_FDCWD, "/../../new", "/new", "/", "new");
	/* An absolute path ignores dirfd, even a bad one. */
	expect_parent(me, 9999, tp("/a/new"), tp("/a/new"), tp("/a"), "new");
	/* A thread id names the same process. */
	expect_parent((pid_t)syscall(SYS_gettid), PATHRES_AT_FDCWD,
		      tp("/a/new"), tp("/a/new"), tp("/a"), "new");
	assert_int_equal(count_fds(), fds);
}

static void test_parent_errors(void **state)
{
	pid_t me = getpid();
	int fds = count_fds();
	char name[NAME_MAX + 2];
	char *longp = malloc(PATH_MAX + 1);
	int filefd;

	(void)state;
	assert_non_null(longp);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, ""), -ENOENT);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "."), -EINVAL);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, ".."), -EINVAL);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/a/.")), -EINVAL);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/a/..")),
			 -EINVAL);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/a/")), -EINVAL);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "/"), -EINVAL);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "//"), -EINVAL);
	/* A name of NAME_MAX is fine, one more is not. */
	memset(name, 'n', sizeof(name));
	name[NAME_MAX + 1] = '\0';
	snprintf(longp, PATH_MAX, "%.100s/%s", T, name);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, longp),
			 -ENAMETOOLONG);
	name[NAME_MAX] = '\0';
	snprintf(longp, PATH_MAX, "%.100s/%s", T, name);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, longp), 0);
	/* No NUL within PATH_MAX bytes. */
	memset(longp, 'p', PATH_MAX);
	longp[0] = '/';
	longp[PATH_MAX] = '\0';
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, longp),
			 -ENAMETOOLONG);
	free(longp);

	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/nope/x")),
			 -ENOENT);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/dangling/x")),
			 -ENOENT);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/file/x")),
			 -ENOTDIR);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/loop1/x")),
			 -ELOOP);
	/* Magic links are not followed. */
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "/proc/self/cwd/x"),
			 -ELOOP);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, tp("/magic/x")),
			 -ELOOP);
	/* Bad dirfd values for a relative path. */
	assert_int_equal(parent_err(me, 9999, "x"), -EBADF);
	assert_int_equal(parent_err(me, -5, "x"), -EBADF);
	filefd = open(tp("/file"), O_RDONLY | O_CLOEXEC);
	assert_true(filefd >= 0);
	assert_int_equal(parent_err(me, filefd, "x"), -ENOTDIR);
	close(filefd);
	assert_int_equal(count_fds(), fds);
}

static void test_parent_relative(void **state)
{
	pid_t me = getpid();
	int fds = count_fds();
	int dfd, pfd;

	(void)state;
	assert_int_equal(chdir(tp("/a")), 0);
	expect_parent(me, PATHRES_AT_FDCWD, "new", tp("/a/new"), tp("/a"),
		      "new");
	expect_parent(me, PATHRES_AT_FDCWD, "b/new", tp("/a/b/new"), tp("/a/b"),
		      "new");
	expect_parent(me, PATHRES_AT_FDCWD, "./b//new", tp("/a/b/new"),
		      tp("/a/b"), "new");
	/* Climbing out of the cwd goes through the root. */
	expect_parent(me, PATHRES_AT_FDCWD, "../new", tp("/new"), T, "new");
	expect_parent(me, PATHRES_AT_FDCWD, "../link/new", tp("/a/b/new"),
		      tp("/a/b"), "new");
	expect_parent(me, PATHRES_AT_FDCWD, "b/../../a/new", tp("/a/new"),
		      tp("/a"), "new");
	expect_parent(me, PATHRES_AT_FDCWD,
		      "../../../../../../../../../../../../new", "/new", "/",
		      "new");
	/* An absolute symlink from a relative start. */
	assert_int_equal(symlink(tp("/a/b"), tp("/a/abs")), 0);
	expect_parent(me, PATHRES_AT_FDCWD, "abs/new", tp("/a/b/new"),
		      tp("/a/b"), "new");
	unlink(tp("/a/abs"));

	/* A dirfd, plain or O_PATH. */
	dfd = open(tp("/a/b"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	pfd = open(tp("/a/b"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0 && pfd >= 0);
	expect_parent(me, dfd, "new", tp("/a/b/new"), tp("/a/b"), "new");
	expect_parent(me, pfd, "new", tp("/a/b/new"), tp("/a/b"), "new");
	expect_parent(me, pfd, "../../new", tp("/new"), T, "new");
	close(dfd);
	close(pfd);
	assert_int_equal(count_fds(), fds);
}

static void test_full(void **state)
{
	pid_t me = getpid();
	int fds = count_fds();
	char small[8];
	int fd;

	(void)state;
	expect_full(me, PATHRES_AT_FDCWD, tp("/a/b/file"), tp("/a/b/file"),
		    tp("/a/b/file"));
	/* The last symlink is followed too. */
	expect_full(me, PATHRES_AT_FDCWD, tp("/link"), tp("/a/b"), tp("/a/b"));
	expect_full(me, PATHRES_AT_FDCWD, tp("/link/file"), tp("/a/b/file"),
		    tp("/a/b/file"));
	expect_full(me, PATHRES_AT_FDCWD, "/", "/", "/");
	assert_int_equal(chdir(tp("/a/b")), 0);
	expect_full(me, PATHRES_AT_FDCWD, "file", tp("/a/b/file"),
		    tp("/a/b/file"));
	expect_full(me, PATHRES_AT_FDCWD, ".", tp("/a/b"), tp("/a/b"));
	expect_full(me, PATHRES_AT_FDCWD, "../../link/file", tp("/a/b/file"),
		    tp("/a/b/file"));
	expect_full(me, PATHRES_AT_FDCWD, "..", tp("/a"), tp("/a"));

	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, ""), -ENOENT);
	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, tp("/dangling")),
			 -ENOENT);
	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, tp("/loop1")), -ELOOP);
	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, tp("/file/")),
			 -ENOTDIR);
	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, tp("/magic")), -ELOOP);
	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, "/proc/self/root"),
			 -ELOOP);
	/* The canonical path must fit the caller's buffer. */
	assert_int_equal(pathres_full(me, PATHRES_AT_FDCWD, tp("/a"), &fd,
				      small, sizeof(small)),
			 -ENAMETOOLONG);
	assert_int_equal(fd, -1);
	assert_int_equal(count_fds(), fds);
}

/* d_path marks unlinked objects with " (deleted)"; names can end so. */
static void test_deleted(void **state)
{
	pid_t me = getpid();
	int fds = count_fds();
	int gone;

	(void)state;
	expect_parent(me, PATHRES_AT_FDCWD, tp("/x (deleted)/new"),
		      tp("/x (deleted)/new"), tp("/x (deleted)"), "new");
	expect_full(me, PATHRES_AT_FDCWD, tp("/x (deleted)"),
		    tp("/x (deleted)"), tp("/x (deleted)"));
	/* A removed cwd: creating in it fails with ENOENT. */
	assert_int_equal(mkdir(tp("/gone"), 0755), 0);
	assert_int_equal(chdir(tp("/gone")), 0);
	assert_int_equal(rmdir(tp("/gone")), 0);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "new"), -ENOENT);
	assert_int_equal(full_err(me, PATHRES_AT_FDCWD, "."), -ENOENT);
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "../new"), -ENOENT);
	/* Same through a dirfd. */
	assert_int_equal(mkdir(tp("/gone"), 0755), 0);
	gone = open(tp("/gone"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(gone >= 0);
	assert_int_equal(rmdir(tp("/gone")), 0);
	assert_int_equal(parent_err(me, gone, "new"), -ENOENT);
	close(gone);
	assert_int_equal(count_fds(), fds);
}

/* A child that runs fn then waits until the parent closes its pipe. */
struct kid {
	pid_t pid;
	int release; /* write end: close to let the child exit */
	int value;   /* what the child reported */
};

static int kid_start(struct kid *k, int (*fn)(void))
{
	int ready[2], hold[2];

	if (pipe2(ready, O_CLOEXEC) || pipe2(hold, O_CLOEXEC))
		return -1;
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (k->pid == 0) {
		char c;
		int v;

		close(ready[0]);
		close(hold[1]);
		v = fn();
		if (write(ready[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	k->release = hold[1];
	if (read(ready[0], &k->value, sizeof(k->value)) != sizeof(k->value))
		k->value = -1;
	close(ready[0]);
	return 0;
}

static void kid_stop(struct kid *k)
{
	int st;

	close(k->release);
	assert_int_equal(waitpid(k->pid, &st, 0), k->pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* In a chroot at T/jail with cwd /d, reports a dirfd for /etc. */
static int jail_fn(void)
{
	if (chroot(tp("/jail")) || chdir("/d"))
		return -1;
	return open("/etc", O_RDONLY | O_DIRECTORY); /* kept open */
}

static void test_chroot(void **state)
{
	int fds = count_fds();
	struct kid k;
	pid_t p;

	(void)state;
	assert_int_equal(kid_start(&k, jail_fn), 0);
	assert_true(k.value >= 0);
	p = k.pid;
	expect_parent(p, PATHRES_AT_FDCWD, "/etc/x", "/etc/x", tp("/jail/etc"),
		      "x");
	/* An absolute symlink stays in the jail. */
	expect_parent(p, PATHRES_AT_FDCWD, "/abs/x", "/etc/x", tp("/jail/etc"),
		      "x");
	/* ".." stops at its root, in a symlink too. */
	expect_parent(p, PATHRES_AT_FDCWD, "/../../../etc/x", "/etc/x",
		      tp("/jail/etc"), "x");
	expect_parent(p, PATHRES_AT_FDCWD, "/up/x", "/x", tp("/jail"), "x");
	expect_parent(p, PATHRES_AT_FDCWD, "/x", "/x", tp("/jail"), "x");
	/* Relative to its cwd and to its descriptor. */
	expect_parent(p, PATHRES_AT_FDCWD, "x", "/d/x", tp("/jail/d"), "x");
	expect_parent(p, PATHRES_AT_FDCWD, "../../../../x", "/x", tp("/jail"),
		      "x");
	expect_parent(p, PATHRES_AT_FDCWD, "../abs/x", "/etc/x",
		      tp("/jail/etc"), "x");
	expect_parent(p, k.value, "x", "/etc/x", tp("/jail/etc"), "x");
	expect_parent(p, k.value, "../d/x", "/d/x", tp("/jail/d"), "x");
	expect_full(p, PATHRES_AT_FDCWD, "/abs", "/etc", tp("/jail/etc"));
	expect_full(p, PATHRES_AT_FDCWD, "/", "/", tp("/jail"));
	expect_full(p, PATHRES_AT_FDCWD, "/up", "/", tp("/jail"));
	/* What is outside the jail does not exist for it. */
	assert_int_equal(parent_err(p, PATHRES_AT_FDCWD, tp("/a/x")), -ENOENT);
	kid_stop(&k);
	assert_int_equal(count_fds(), fds);
}

/* chroot without chdir: the cwd (T) is outside the root (T/jail). */
static int outside_fn(void)
{
	if (chdir(T) || chroot("jail"))
		return -1;
	return 0;
}

static void test_cwd_outside_root(void **state)
{
	int fds = count_fds();
	struct kid k;

	(void)state;
	assert_int_equal(kid_start(&k, outside_fn), 0);
	assert_int_equal(k.value, 0);
	/* The kernel resolves from the cwd; what lands in the root has a
	 * name the process can see... */
	expect_parent(k.pid, PATHRES_AT_FDCWD, "jail/d/x", "/d/x",
		      tp("/jail/d"), "x");
	/* ...what lands outside it has none. */
	assert_int_equal(parent_err(k.pid, PATHRES_AT_FDCWD, "a/x"), -EACCES);
	assert_int_equal(parent_err(k.pid, PATHRES_AT_FDCWD, "../x"), -EACCES);
	kid_stop(&k);
	assert_int_equal(count_fds(), fds);
}

/* Another mount namespace with a tmpfs on T/mnt that we do not see. */
static int mntns_fn(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", tp("/mnt"), "tmpfs", 0, "size=64k") ||
	    mkdir(tp("/mnt/inner"), 0755) || chdir(tp("/mnt/inner")))
		return -1;
	return 0;
}

static void test_mount_namespace(void **state)
{
	int fds = count_fds();
	struct pathres r;
	struct stat ours, theirs;
	char c[PATH_MAX];
	struct kid k;
	int fd;

	(void)state;
	assert_int_equal(kid_start(&k, mntns_fn), 0);
	assert_int_equal(k.value, 0);
	assert_int_equal(stat(tp("/mnt"), &ours), 0);
	assert_int_equal(access(tp("/mnt/inner"), F_OK), -1);

	assert_int_equal(pathres_parent(k.pid, PATHRES_AT_FDCWD, "x", &r), 0);
	assert_string_equal(r.canon, tp("/mnt/inner/x"));
	assert_int_equal(fstat(r.dirfd, &theirs), 0);
	assert_true(theirs.st_dev != ours.st_dev);
	close(r.dirfd);
	assert_int_equal(
	    pathres_parent(k.pid, PATHRES_AT_FDCWD, "../inner/x", &r), 0);
	assert_string_equal(r.canon, tp("/mnt/inner/x"));
	close(r.dirfd);
	assert_int_equal(pathres_full(k.pid, PATHRES_AT_FDCWD, tp("/mnt/inner"),
				      &fd, c, sizeof(c)),
			 0);
	assert_string_equal(c, tp("/mnt/inner"));
	assert_int_equal(fstat(fd, &theirs), 0);
	assert_true(theirs.st_dev != ours.st_dev);
	close(fd);
	kid_stop(&k);
	assert_int_equal(count_fds(), fds);
}

static void test_gone_process(void **state)
{
	int fds = count_fds();
	pid_t pid = fork();
	int st;

	(void)state;
	if (pid == 0)
		_exit(0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(parent_err(pid, PATHRES_AT_FDCWD, "/x"), -ESRCH);
	assert_int_equal(full_err(pid, PATHRES_AT_FDCWD, "/"), -ESRCH);
	assert_int_equal(count_fds(), fds);
}

/*
 * Long paths: the process may pass up to PATH_MAX - 1 bytes.  A deep tree
 * of 200-byte names under T/deep.
 */
static void test_long_paths(void **state)
{
	pid_t me = getpid();
	int fds = count_fds();
	static char p[PATH_MAX + 256], rel[PATH_MAX], canon[PATH_MAX + 512],
	    dirp[PATH_MAX + 512];
	char comp[201];
	struct pathres r;
	size_t len;
	int depth;

	(void)state;
	memset(comp, 'd', 200);
	comp[200] = '\0';
	assert_int_equal(mkdir(tp("/deep"), 0755), 0);
	len = (size_t)snprintf(p, PATH_MAX, "%s", tp("/deep"));
	for (depth = 0; len + 201 + 20 < PATH_MAX; depth++) {
		len += (size_t)sprintf(p + len, "/%s", comp);
		assert_int_equal(mkdir(p, 0755), 0);
	}
	/* A name that makes the whole path exactly PATH_MAX - 1 bytes. */
	p[len++] = '/';
	memset(p + len, 'n', PATH_MAX - 1 - len);
	p[PATH_MAX - 1] = '\0';
	assert_int_equal(pathres_parent(me, PATHRES_AT_FDCWD, p, &r), 0);
	assert_string_equal(r.canon, p);
	close(r.dirfd);
	/* One byte more is more than the kernel takes. */
	p[PATH_MAX - 1] = 'n';
	p[PATH_MAX] = '\0';
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, p), -ENAMETOOLONG);
	p[len - 1] = '\0';

	/* From a deep cwd, a relative path that stays beneath it needs no
	 * string building, however long the two together are. */
	assert_int_equal(chdir(p), 0);
	len = 0;
	while (len + 4 + 5 < PATH_MAX - 1)
		len += (size_t)sprintf(rel + len, "././");
	strcpy(rel + len, "name");
	snprintf(canon, sizeof(canon), "%s/name", p);
	expect_parent(me, PATHRES_AT_FDCWD, rel, canon, p, "name");
	/* Leading "." and ".." fold into the cwd's path... */
	len = (size_t)sprintf(rel, "../");
	while (len + 2 + 5 < PATH_MAX - 1)
		len += (size_t)sprintf(rel + len, "./");
	strcpy(rel + len, "name");
	snprintf(canon, sizeof(canon), "%s", p);
	*strrchr(canon, '/') = '\0';
	snprintf(dirp, sizeof(dirp), "%s", canon);
	strcat(canon, "/name");
	expect_parent(me, PATHRES_AT_FDCWD, rel, canon, dirp, "name");
	/* ...but what climbs out needs the start's path plus the rest to
	 * fit in PATH_MAX. */
	len = (size_t)sprintf(rel, "../%s", comp);
	while (len + 4 + 5 < PATH_MAX - 1)
		len += (size_t)sprintf(rel + len, "/./.");
	strcpy(rel + len, "/name");
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, rel), -ENAMETOOLONG);
	/* Leading dots fold into the cwd's path first. */
	assert_int_equal(parent_err(me, PATHRES_AT_FDCWD, "../../new"), 0);
	assert_int_equal(fchdir(cwdfd), 0);
	rm_tree(tp("/deep"));
	assert_int_equal(count_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_parent_absolute, restore_cwd),
	    cmocka_unit_test_teardown(test_parent_errors, restore_cwd),
	    cmocka_unit_test_teardown(test_parent_relative, restore_cwd),
	    cmocka_unit_test_teardown(test_full, restore_cwd),
	    cmocka_unit_test_teardown(test_deleted, restore_cwd),
	    cmocka_unit_test_teardown(test_chroot, restore_cwd),
	    cmocka_unit_test_teardown(test_cwd_outside_root, restore_cwd),
	    cmocka_unit_test_teardown(test_mount_namespace, restore_cwd),
	    cmocka_unit_test_teardown(test_gone_process, restore_cwd),
	    cmocka_unit_test_teardown(test_long_paths, restore_cwd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
