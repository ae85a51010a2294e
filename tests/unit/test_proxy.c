// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: reading a process's credentials and acting as it (bind,
 * symlink, mknod, mount).  Every test that switches credentials runs in
 * a forked child (proxy_init unshares CLONE_FS there; nothing leaks into
 * the test program) and checks after every call that the thread is
 * exactly as before: ids, groups, capabilities, umask, cwd, root, mount
 * namespace and descriptors.
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
#include <grp.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/pathres.h"
#include "daemon/procfs.h"
#include "daemon/proxy.h"

#define ID 4242
#define CAPBIT(c) (UINT64_C(1) << (c))

static char T[PATH_MAX];

static const char *tp(const char *suffix)
{
	static char buf[8][PATH_MAX];
	static unsigned int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s%s", T, suffix);
	return buf[i];
}

/* --- checks inside a child (no cmocka there) ------------------------------ */

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"%s:%d: check failed: %s (errno %d)\n",        \
				__FILE__, __LINE__, #cond, errno);             \
			return 1;                                              \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			fprintf(stderr, "%s:%d: %s is %lld, expected %lld\n",  \
				__FILE__, __LINE__, #a, a_, b_);               \
			return 1;                                              \
		}                                                              \
	} while (0)

/* Everything a proxy call may touch on the calling thread. */
struct tstate {
	uid_t ru, eu, su, fsu;
	gid_t rg, eg, sg, fsg;
	int ngroups;
	gid_t groups[64];
	struct __user_cap_data_struct caps[2];
	mode_t umask;
	struct stat cwd, root, mntns;
	int fds;
};

static int snap(struct tstate *t)
{
	struct __user_cap_header_struct h = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	};

	memset(t, 0, sizeof(*t));
	if (getresuid(&t->ru, &t->eu, &t->su) ||
	    getresgid(&t->rg, &t->eg, &t->sg))
		return -1;
	t->fsu = (uid_t)syscall(SYS_setfsuid, (uid_t)-1);
	t->fsg = (gid_t)syscall(SYS_setfsgid, (gid_t)-1);
	t->ngroups = (int)syscall(SYS_getgroups, 64, t->groups);
	if (t->ngroups < 0 || syscall(SYS_capget, &h, t->caps))
		return -1;
	t->umask = umask(0);
	umask(t->umask);
	if (stat(".", &t->cwd) || stat("/", &t->root) ||
	    stat("/proc/thread-self/ns/mnt", &t->mntns))
		return -1;
	t->fds = count_fds();
	return 0;
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* 0 if the thread is as in before. */
static int unchanged(const struct tstate *before, int line)
{
	struct tstate now;

	if (snap(&now)) {
		fprintf(stderr, "line %d: cannot read thread state\n", line);
		return 1;
	}
	if (now.ru != before->ru || now.eu != before->eu ||
	    now.su != before->su || now.fsu != before->fsu ||
	    now.rg != before->rg || now.eg != before->eg ||
	    now.sg != before->sg || now.fsg != before->fsg ||
	    now.ngroups != before->ngroups ||
	    memcmp(now.groups, before->groups,
		   sizeof(gid_t) * (size_t)now.ngroups) ||
	    memcmp(now.caps, before->caps, sizeof(now.caps)) ||
	    now.umask != before->umask || !same_file(&now.cwd, &before->cwd) ||
	    !same_file(&now.root, &before->root) ||
	    !same_file(&now.mntns, &before->mntns) || now.fds != before->fds) {
		fprintf(stderr,
			"line %d: thread state not restored (fsuid %u/%u "
			"fsgid %u/%u groups %d/%d eff %x/%x umask %o/%o fds "
			"%d/%d)\n",
			line, now.fsu, before->fsu, now.fsg, before->fsg,
			now.ngroups, before->ngroups, now.caps[0].effective,
			before->caps[0].effective, now.umask, before->umask,
			now.fds, before->fds);
		return 1;
	}
	return 0;
}

#define CHECK_RESTORED(st) CHECK(unchanged(st, __LINE__) == 0)

/* Private mount namespace for the child itself, so that nothing it mounts
 * can outlive it even if a check fails before the unmount. */
static int private_ns(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	return 0;
}

/* Runs fn in a child after proxy_init, from cwd T (the thread's home, to
 * which a bind takes it back); asserts it passed.
 * With ns, the child first gets a mount namespace of its own. */
static void in_child_ns(int (*fn)(void), int ns)
{
	int fds = count_fds();
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		int r;

		if (ns && private_ns() < 0)
			_exit(1);
		if (chdir(T) < 0)
			_exit(1);
		r = proxy_init();
		if (r < 0) {
			fprintf(stderr, "proxy_init: %s\n", strerror(-r));
			_exit(1);
		}
		umask(022);
		_exit(fn());
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(count_fds(), fds);
}

static void in_child(int (*fn)(void))
{
	in_child_ns(fn, 0);
}

static uint64_t our_permitted(void)
{
	struct __user_cap_header_struct h = {
	    .version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return 0;
	return d[0].permitted | (uint64_t)d[1].permitted << 32;
}

/* An unprivileged process: uid/gid 4242, umask 027. */
static struct proc_creds user_creds(void)
{
	struct proc_creds c = {
	    .uid = ID,
	    .euid = ID,
	    .suid = ID,
	    .fsuid = ID,
	    .gid = ID,
	    .egid = ID,
	    .sgid = ID,
	    .fsgid = ID,
	    .umask = 027,
	};

	return c;
}

/* Root, with every capability we have but those in drop. */
static struct proc_creds root_creds(uint64_t drop)
{
	struct proc_creds c = {.umask = 022};

	c.cap_eff = c.cap_prm = our_permitted() & ~drop;
	return c;
}

static int open_dir(const char *path)
{
	return open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* --- tree ----------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	/* the daemon's /proc descriptor stays open: before counting */
	if (procfs_init() < 0)
		return -1;
	strcpy(T, "/tmp/secpol-proxy-XXXXXX");
	if (!mkdtemp(T) || chmod(T, 0755))
		return -1;
	/* ro: root's; rw: 4242's; grp: for group 4243; closed: no search. */
	if (mkdir(tp("/ro"), 0755) || mkdir(tp("/rw"), 0755) ||
	    chown(tp("/rw"), ID, ID) || mkdir(tp("/grp"), 0770) ||
	    chown(tp("/grp"), 0, ID + 1) || chmod(tp("/grp"), 0770) ||
	    mkdir(tp("/closed"), 0700) || mkdir(tp("/closed/rw"), 0777) ||
	    chmod(tp("/closed/rw"), 0777) || mkdir(tp("/mp"), 0755) ||
	    mkdir(tp("/mp2"), 0755) || mkdir(tp("/src"), 0755))
		return -1;
	close(open(tp("/src/marker"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	return 0;
}

static int teardown(void **state)
{
	int fd = open(T, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	(void)state;
	if (fd >= 0)
		rm_tree_at(fd);
	return rmdir(T);
}

/* --- procfs_creds ------------------------------------------------------ */

static void test_creds_self(void **state)
{
	struct proc_creds c;
	uid_t r, e, s;
	mode_t um = umask(0);
	int fds = count_fds();

	(void)state;
	umask(um);
	assert_int_equal(procfs_creds(getpid(), &c), 0);
	getresuid(&r, &e, &s);
	assert_int_equal(c.uid, r);
	assert_int_equal(c.euid, e);
	assert_int_equal(c.suid, s);
	assert_int_equal(c.fsuid, (uid_t)syscall(SYS_setfsuid, (uid_t)-1));
	assert_int_equal(c.umask, um);
	assert_true(c.cap_prm == our_permitted());
	assert_int_equal(c.ngroups, getgroups(0, NULL));
	assert_int_equal(procfs_creds((pid_t)syscall(SYS_gettid), &c), 0);
	assert_int_equal(count_fds(), fds);
}

struct idthread {
	pid_t tid;
	int go[2], done[2];
};

/* A thread that takes other ids than its process, per thread. */
static void *id_thread(void *arg)
{
	struct idthread *t = arg;
	char c;

	/* Raw system calls: this thread only. */
	if (syscall(SYS_setresgid, 31, 32, 33) ||
	    syscall(SYS_setresuid, 21, 22, 23))
		return NULL;
	t->tid = (pid_t)syscall(SYS_gettid);
	if (write(t->go[1], "x", 1) != 1)
		return NULL;
	if (read(t->done[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

/* A child with distinctive ids, groups, capabilities and umask; its
 * second thread has other ids again.  Reports both tids. */
static void test_creds_child(void **state)
{
	int rep[2], hold[2], fds = count_fds();
	struct proc_creds c;
	pid_t pid, tids[2];
	int st;

	(void)state;
	assert_int_equal(pipe2(rep, O_CLOEXEC), 0);
	assert_int_equal(pipe2(hold, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		gid_t g[] = {7, 8, 9};
		struct idthread t;
		pthread_t th;
		char ch;

		close(rep[0]);
		close(hold[1]);
		if (pipe(t.go) || pipe(t.done) ||
		    pthread_create(&th, NULL, id_thread, &t) ||
		    read(t.go[0], &ch, 1) != 1)
			_exit(1);
		/* Per-thread again (glibc's wrappers would change the other
		 * thread too). */
		if (syscall(SYS_setgroups, 3, g) ||
		    syscall(SYS_setresgid, 1, 2, 3) ||
		    syscall(SYS_setfsgid, 4) != 2 ||
		    syscall(SYS_setresuid, 11, 12, 13))
			_exit(1);
		syscall(SYS_setfsuid, 13);
		umask(017);
		tids[0] = getpid();
		tids[1] = t.tid;
		if (write(rep[1], tids, sizeof(tids)) != sizeof(tids))
			_exit(1);
		while (read(hold[0], &ch, 1) > 0)
			;
		_exit(0);
	}
	close(rep[1]);
	close(hold[0]);
	assert_int_equal(read(rep[0], tids, sizeof(tids)), sizeof(tids));

	assert_int_equal(procfs_creds(tids[0], &c), 0);
	assert_int_equal(c.uid, 11);
	assert_int_equal(c.euid, 12);
	assert_int_equal(c.suid, 13);
	assert_int_equal(c.fsuid, 13);
	assert_int_equal(c.gid, 1);
	assert_int_equal(c.egid, 2);
	assert_int_equal(c.sgid, 3);
	assert_int_equal(c.fsgid, 4);
	assert_int_equal(c.ngroups, 3);
	assert_int_equal(c.groups[0], 7);
	assert_int_equal(c.groups[2], 9);
	assert_true(c.cap_eff == 0 && c.cap_prm == 0);
	assert_int_equal(c.umask, 017);
	/* The thread id gives that thread's credentials. */
	assert_int_equal(procfs_creds(tids[1], &c), 0);
	assert_int_equal(c.uid, 21);
	assert_int_equal(c.euid, 22);
	assert_int_equal(c.fsuid, 22);
	assert_int_equal(c.gid, 31);
	assert_int_equal(c.fsgid, 32);

	close(hold[1]);
	close(rep[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(procfs_creds(pid, &c), -ESRCH);
	assert_int_equal(count_fds(), fds);
}

/* A process in a user namespace of its own holds every capability
 * there, and none in ours: procfs_creds must say none. */
static void test_creds_other_userns(void **state)
{
	struct proc_creds c;
	int p[2], st;
	pid_t pid;
	char ch;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (unshare(CLONE_NEWUSER) < 0 || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &ch, 1), 1);
	assert_int_equal(procfs_creds(pid, &c), 0);
	assert_true(c.cap_eff == 0 && c.cap_prm == 0);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(p[0]);
	/* and the same reader still sees our own */
	assert_int_equal(procfs_creds(getpid(), &c), 0);
	assert_true(c.cap_prm == our_permitted());
}

static int many_groups(int n, int *ret)
{
	gid_t g[400];
	struct proc_creds *c = malloc(sizeof(*c));
	int p[2];
	pid_t pid;
	int st;

	if (!c || pipe2(p, O_CLOEXEC))
		return -1;
	for (int i = 0; i < n; i++)
		g[i] = (gid_t)(1000 + i);
	pid = fork();
	if (pid == 0) {
		char ch;

		if (setgroups((size_t)n, g))
			_exit(1);
		close(p[1]);
		while (read(p[0], &ch, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	/* Wait for the groups to show. */
	for (int i = 0; i < 1000; i++) {
		*ret = procfs_creds(pid, c);
		if (*ret != 0 || c->ngroups == n)
			break;
		usleep(1000);
	}
	if (*ret == 0 && (c->groups[n - 1] != (gid_t)(1000 + n - 1)))
		*ret = -EBADMSG;
	close(p[1]);
	waitpid(pid, &st, 0);
	free(c);
	return 0;
}

static void test_creds_groups_limit(void **state)
{
	int ret, fds = count_fds();

	(void)state;
	assert_int_equal(many_groups(PROXY_MAX_GROUPS, &ret), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(many_groups(PROXY_MAX_GROUPS + 1, &ret), 0);
	assert_int_equal(ret, -E2BIG);
	assert_int_equal(count_fds(), fds);
}

/* --- bind ----------------------------------------------------------------- */

static int bind_at(const struct proc_creds *c, const char *dir,
		   const char *name)
{
	int d = open_dir(dir);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = d < 0 || s < 0 ? -EBADF : proxy_bind_unix(c, s, d, name);

	close(s);
	close(d);
	return r;
}

static int bind_child(void)
{
	struct proc_creds u = user_creds(), root = root_creds(0);
	struct tstate st;
	struct stat sb;
	char name[120];

	CHECK(snap(&st) == 0);
	/* Not writable for 4242. */
	CHECK_EQ(bind_at(&u, tp("/ro"), "s"), -EACCES);
	CHECK_RESTORED(&st);
	CHECK(access(tp("/ro/s"), F_OK) < 0);
	/* Writable: the socket file is 4242's, mode 0777 & ~027. */
	CHECK_EQ(bind_at(&u, tp("/rw"), "s"), 0);
	CHECK_RESTORED(&st);
	CHECK(lstat(tp("/rw/s"), &sb) == 0);
	CHECK(S_ISSOCK(sb.st_mode));
	CHECK_EQ(sb.st_uid, ID);
	CHECK_EQ(sb.st_gid, ID);
	CHECK_EQ(sb.st_mode & 07777, 0750);
	/* The name is taken: EADDRINUSE, as for the process. */
	CHECK_EQ(bind_at(&u, tp("/rw"), "s"), -EADDRINUSE);
	CHECK_RESTORED(&st);
	/* A writable directory below one 4242 cannot search: the walk to
	 * it fails as the process's own would... */
	{
		struct pathres pr;
		char c[PATH_MAX];
		int fd;

		CHECK_EQ(proxy_pathres_parent(&u, getpid(), PATHRES_AT_FDCWD,
					      tp("/closed/rw/s"), &pr),
			 -EACCES);
		CHECK_RESTORED(&st);
		CHECK_EQ(proxy_pathres_full(&u, getpid(), PATHRES_AT_FDCWD,
					    tp("/closed/rw"), &fd, c,
					    sizeof(c)),
			 -EACCES);
		CHECK_RESTORED(&st);
		CHECK_EQ(proxy_pathres_parent(&u, getpid(), PATHRES_AT_FDCWD,
					      tp("/rw/s"), &pr),
			 0);
		CHECK(!strcmp(pr.canon, tp("/rw/s")));
		close(pr.dirfd);
		CHECK_RESTORED(&st);
		CHECK_EQ(proxy_pathres_parent(&root, getpid(), PATHRES_AT_FDCWD,
					      tp("/closed/rw/s"), &pr),
			 0);
		close(pr.dirfd);
		CHECK_RESTORED(&st);
		/* ...from its cwd too. */
		CHECK(chdir(tp("/closed")) == 0);
		CHECK(snap(&st) == 0);
		CHECK_EQ(proxy_pathres_parent(&u, getpid(), PATHRES_AT_FDCWD,
					      "rw/s", &pr),
			 -EACCES);
		CHECK_RESTORED(&st);
		CHECK(chdir(T) == 0);
		CHECK(snap(&st) == 0);
	}
	/* ...but a process that holds the directory itself may (the
	 * kernel checks only it, as fchdir does). */
	CHECK_EQ(bind_at(&u, tp("/closed/rw"), "s"), 0);
	CHECK_RESTORED(&st);
	CHECK(unlink(tp("/closed/rw/s")) == 0);
	/* Supplementary groups count, on this thread only. */
	CHECK_EQ(bind_at(&u, tp("/grp"), "s"), -EACCES);
	CHECK_RESTORED(&st);
	u.groups[0] = ID + 1;
	u.ngroups = 1;
	CHECK_EQ(bind_at(&u, tp("/grp"), "s"), 0);
	CHECK_RESTORED(&st);
	CHECK(lstat(tp("/grp/s"), &sb) == 0);
	CHECK_EQ(sb.st_uid, ID);
	/* Root with DAC override may bind where 4242 may not. */
	CHECK_EQ(bind_at(&root, tp("/ro"), "root.sock"), 0);
	CHECK_RESTORED(&st);
	CHECK(lstat(tp("/ro/root.sock"), &sb) == 0);
	CHECK_EQ(sb.st_uid, 0);
	CHECK_EQ(sb.st_mode & 07777, 0755);
	/* Root without CAP_DAC_OVERRIDE may not write in 4242's 0755
	 * directory. */
	root = root_creds(CAPBIT(CAP_DAC_OVERRIDE));
	CHECK_EQ(bind_at(&root, tp("/rw"), "r2"), -EACCES);
	CHECK_RESTORED(&st);
	/* sun_path holds 107 characters and the NUL. */
	memset(name, 'n', sizeof(name));
	name[108] = '\0';
	CHECK_EQ(bind_at(&u, tp("/rw"), name), -ENAMETOOLONG);
	name[107] = '\0';
	CHECK_EQ(bind_at(&u, tp("/rw"), name), 0);
	CHECK_RESTORED(&st);
	CHECK_EQ(bind_at(&u, tp("/rw"), "a/b"), -EINVAL);
	CHECK_EQ(bind_at(&u, tp("/rw"), ".."), -EINVAL);
	CHECK_EQ(bind_at(&u, tp("/rw"), ""), -EINVAL);
	/* Bad credentials are refused before anything runs as them. */
	u.ngroups = -1;
	CHECK_EQ(bind_at(&u, tp("/rw"), "bad"), -EINVAL);
	CHECK_RESTORED(&st);
	unlink(tp("/rw/s"));
	unlink(tp("/grp/s"));
	unlink(tp("/ro/root.sock"));
	{
		int rw = open_dir(tp("/rw"));

		CHECK(rw >= 0);
		CHECK(unlinkat(rw, name, 0) == 0);
		close(rw);
	}
	return 0;
}

static void test_bind(void **state)
{
	(void)state;
	in_child(bind_child);
}

/* --- symlink and mknod ---------------------------------------------------- */

static int symlink_child(void)
{
	struct proc_creds u = user_creds();
	struct tstate st;
	struct stat sb;
	char buf[32];
	int ro = open_dir(tp("/ro")), rw = open_dir(tp("/rw"));

	CHECK(ro >= 0 && rw >= 0);
	CHECK(snap(&st) == 0);
	CHECK_EQ(proxy_symlink(&u, "target", ro, "l"), -EACCES);
	CHECK_RESTORED(&st);
	CHECK_EQ(proxy_symlink(&u, "target", rw, "l"), 0);
	CHECK_RESTORED(&st);
	CHECK(lstat(tp("/rw/l"), &sb) == 0);
	CHECK(S_ISLNK(sb.st_mode));
	CHECK_EQ(sb.st_uid, ID);
	CHECK_EQ(sb.st_gid, ID);
	CHECK_EQ(readlink(tp("/rw/l"), buf, sizeof(buf)), 6);
	CHECK_EQ(proxy_symlink(&u, "target", rw, "l"), -EEXIST);
	CHECK_RESTORED(&st);
	CHECK_EQ(proxy_symlink(&u, "target", rw, "x/y"), -EINVAL);
	CHECK(unlink(tp("/rw/l")) == 0);
	close(ro);
	close(rw);
	return 0;
}

static void test_symlink(void **state)
{
	(void)state;
	in_child(symlink_child);
}

static int mknod_child(void)
{
	struct proc_creds u = user_creds(),
			  root = root_creds(CAPBIT(CAP_MKNOD));
	struct tstate st;
	struct stat sb;
	int rw = open_dir(tp("/rw")), ro = open_dir(tp("/ro"));

	CHECK(rw >= 0 && ro >= 0);
	CHECK(snap(&st) == 0);
	/* A FIFO: the process's umask applies. */
	CHECK_EQ(proxy_mknod(&u, rw, "fifo", S_IFIFO | 0666, 0), 0);
	CHECK_RESTORED(&st);
	CHECK(lstat(tp("/rw/fifo"), &sb) == 0);
	CHECK(S_ISFIFO(sb.st_mode));
	CHECK_EQ(sb.st_mode & 07777, 0640);
	CHECK_EQ(sb.st_uid, ID);
	CHECK_EQ(sb.st_gid, ID);
	CHECK_EQ(proxy_mknod(&u, ro, "fifo", S_IFIFO | 0666, 0), -EACCES);
	CHECK_RESTORED(&st);
	/* A character device needs CAP_MKNOD, even for root... */
	CHECK_EQ(proxy_mknod(&root, ro, "null", S_IFCHR | 0600, makedev(1, 3)),
		 -EPERM);
	CHECK_RESTORED(&st);
	CHECK_EQ(proxy_mknod(&u, rw, "null", S_IFCHR | 0600, makedev(1, 3)),
		 -EPERM);
	CHECK_RESTORED(&st);
	/* ...and with it, 4242 may. */
	u.cap_eff = CAPBIT(CAP_MKNOD);
	CHECK_EQ(proxy_mknod(&u, rw, "null", S_IFCHR | 0666, makedev(1, 3)), 0);
	CHECK_RESTORED(&st);
	CHECK(lstat(tp("/rw/null"), &sb) == 0);
	CHECK(S_ISCHR(sb.st_mode));
	CHECK_EQ(sb.st_rdev, makedev(1, 3));
	CHECK_EQ(sb.st_uid, ID);
	CHECK_EQ(sb.st_mode & 07777, 0640);
	CHECK(unlink(tp("/rw/fifo")) == 0);
	CHECK(unlink(tp("/rw/null")) == 0);
	close(rw);
	close(ro);
	return 0;
}

static void test_mknod(void **state)
{
	(void)state;
	in_child(mknod_child);
}

/* --- mount ---------------------------------------------------------------- */

static int mount_child(void)
{
	struct proc_creds admin = root_creds(0);
	struct proc_creds noadmin = root_creds(CAPBIT(CAP_SYS_ADMIN));
	struct proc_creds u = user_creds();
	struct stat before, after, src;
	struct tstate st;
	int mp, srcfd, movefd;

	mp = open_dir(tp("/mp"));
	CHECK(mp >= 0);
	CHECK(stat(tp("/mp"), &before) == 0);
	CHECK(snap(&st) == 0);

	CHECK_EQ(proxy_mount(&noadmin, getpid(), "tmpfs", -1, mp, "tmpfs", 0,
			     "size=16k"),
		 -EPERM);
	CHECK_RESTORED(&st);
	u.cap_eff = 0;
	CHECK_EQ(
	    proxy_mount(&u, getpid(), "tmpfs", -1, mp, "tmpfs", 0, "size=16k"),
	    -EPERM);
	CHECK_RESTORED(&st);
	CHECK(stat(tp("/mp"), &after) == 0);
	CHECK(after.st_dev == before.st_dev);

	CHECK_EQ(proxy_mount(&admin, getpid(), "tmpfs", -1, mp, "tmpfs",
			     MS_NOSUID | MS_NODEV, "size=16k,mode=0711"),
		 0);
	CHECK_RESTORED(&st);
	CHECK(stat(tp("/mp"), &after) == 0);
	CHECK(after.st_dev != before.st_dev);
	CHECK_EQ(after.st_mode & 07777, 0711);
	CHECK(umount2(tp("/mp"), 0) == 0);

	/* Bind mount from a descriptor, then move it. */
	srcfd = open(tp("/src"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(srcfd >= 0);
	CHECK(stat(tp("/src"), &src) == 0);
	CHECK(snap(&st) == 0);
	CHECK_EQ(proxy_mount(&noadmin, getpid(), NULL, srcfd, mp, NULL, MS_BIND,
			     NULL),
		 -EPERM);
	CHECK_RESTORED(&st);
	CHECK_EQ(
	    proxy_mount(&admin, getpid(), NULL, -1, mp, NULL, MS_BIND, NULL),
	    -EINVAL);
	CHECK_RESTORED(&st);
	CHECK_EQ(
	    proxy_mount(&admin, getpid(), NULL, srcfd, mp, NULL, MS_BIND, NULL),
	    0);
	CHECK_RESTORED(&st);
	CHECK(stat(tp("/mp"), &after) == 0);
	CHECK(same_file(&after, &src));
	CHECK(access(tp("/mp/marker"), F_OK) == 0);
	/* Move it from mp to mp2 (the source is the mount's root). */
	movefd = open(tp("/mp"), O_PATH | O_DIRECTORY | O_CLOEXEC);
	CHECK(movefd >= 0);
	{
		int mp2 = open_dir(tp("/mp2"));

		CHECK(mp2 >= 0);
		CHECK(snap(&st) == 0);
		CHECK_EQ(proxy_mount(&admin, getpid(), NULL, movefd, mp2, NULL,
				     MS_MOVE, NULL),
			 0);
		CHECK_RESTORED(&st);
		close(mp2);
	}
	close(movefd);
	CHECK(access(tp("/mp2/marker"), F_OK) == 0);
	CHECK(access(tp("/mp/marker"), F_OK) < 0);
	CHECK(umount2(tp("/mp2"), 0) == 0);
	close(srcfd);
	close(mp);
	return 0;
}

static void test_mount(void **state)
{
	(void)state;
	in_child_ns(mount_child, 1);
}

/* A process in a namespace of its own, waiting on a pipe. */
struct nskid {
	pid_t pid;
	int hold;
};

static int nskid_start(struct nskid *k, int flags)
{
	int ready[2], hold[2];
	char c = 0;

	if (pipe2(ready, O_CLOEXEC) || pipe2(hold, O_CLOEXEC))
		return -1;
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (k->pid == 0) {
		if (unshare(flags) ||
		    ((flags & CLONE_NEWNS) &&
		     mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)))
			c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		close(hold[1]);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	k->hold = hold[1];
	if (read(ready[0], &c, 1) != 1)
		c = 1;
	close(ready[0]);
	return c ? -1 : 0;
}

static void nskid_stop(struct nskid *k)
{
	int st;

	close(k->hold);
	waitpid(k->pid, &st, 0);
}

static struct nskid other;

/* Whether path is a mount point in process pid's namespace. */
static int mounted_in(pid_t pid, const char *path)
{
	char f[64], line[4096];
	FILE *fp;
	int found = 0;

	snprintf(f, sizeof(f), "/proc/%d/mountinfo", (int)pid);
	fp = fopen(f, "re");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		char *mp = strchr(line, ' ');

		/* id parent major:minor root mountpoint ... */
		for (int i = 0; mp && i < 3; i++)
			mp = strchr(mp + 1, ' ');
		if (mp && !strncmp(mp + 1, path, strlen(path)) &&
		    mp[1 + strlen(path)] == ' ')
			found = 1;
	}
	fclose(fp);
	return found;
}

static int other_ns_child(void)
{
	struct proc_creds admin = root_creds(0);
	struct tstate st;
	char canon[PATH_MAX];
	struct stat sb, src;
	int mp, srcfd;
	char path[PATH_MAX];

	/* The mount point as the other process sees it. */
	CHECK(pathres_full(other.pid, PATHRES_AT_FDCWD, tp("/mp"), &mp, canon,
			   sizeof(canon)) == 0);
	CHECK(pathres_full(other.pid, PATHRES_AT_FDCWD, tp("/src"), &srcfd,
			   canon, sizeof(canon)) == 0);
	CHECK(snap(&st) == 0);
	CHECK_EQ(proxy_mount(&admin, other.pid, "tmpfs", -1, mp, "tmpfs", 0,
			     "size=16k"),
		 0);
	CHECK_RESTORED(&st);
	CHECK_EQ(mounted_in(other.pid, tp("/mp")), 1);
	CHECK_EQ(mounted_in(getpid(), tp("/mp")), 0);
	/* A bind mount from a descriptor, in the other namespace too. */
	CHECK_EQ(proxy_mount(&admin, other.pid, NULL, srcfd, mp, NULL, MS_BIND,
			     NULL),
		 0);
	CHECK_RESTORED(&st);
	snprintf(path, sizeof(path), "/proc/%d/root%s", (int)other.pid,
		 tp("/mp"));
	CHECK(stat(path, &sb) == 0);
	CHECK(stat(tp("/src"), &src) == 0);
	CHECK(same_file(&sb, &src));
	CHECK_EQ(mounted_in(getpid(), tp("/mp")), 0);
	/* Failing there leaves us as we were, too. */
	CHECK_EQ(proxy_mount(&admin, other.pid, "tmpfs", -1, mp, "nosuchfs", 0,
			     NULL),
		 -ENODEV);
	CHECK_RESTORED(&st);
	close(mp);
	close(srcfd);
	return 0;
}

static void test_mount_other_namespace(void **state)
{
	(void)state;
	assert_int_equal(nskid_start(&other, CLONE_NEWNS), 0);
	in_child(other_ns_child);
	/* Its mounts die with it. */
	nskid_stop(&other);
	assert_int_equal(mounted_in(getpid(), tp("/mp")), 0);
}

static int other_userns_child(void)
{
	struct proc_creds admin = root_creds(0);
	struct tstate st;
	int mp = open_dir(tp("/mp"));

	CHECK(mp >= 0);
	CHECK(snap(&st) == 0);
	CHECK_EQ(
	    proxy_mount(&admin, other.pid, "tmpfs", -1, mp, "tmpfs", 0, NULL),
	    -EPERM);
	CHECK_RESTORED(&st);
	close(mp);
	return 0;
}

static void test_mount_other_userns(void **state)
{
	(void)state;
	if (nskid_start(&other, CLONE_NEWUSER) < 0) {
		nskid_stop(&other);
		skip();
	}
	in_child(other_userns_child);
	nskid_stop(&other);
}

static int gone_child(void)
{
	struct proc_creds admin = root_creds(0);
	int mp = open_dir(tp("/mp"));
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK_EQ(proxy_mount(&admin, pid, "tmpfs", -1, mp, "tmpfs", 0, NULL),
		 -ESRCH);
	close(mp);
	return 0;
}

static void test_mount_gone_process(void **state)
{
	(void)state;
	in_child(gone_child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_creds_self),
	    cmocka_unit_test(test_creds_child),
	    cmocka_unit_test(test_creds_other_userns),
	    cmocka_unit_test(test_creds_groups_limit),
	    cmocka_unit_test(test_bind),
	    cmocka_unit_test(test_symlink),
	    cmocka_unit_test(test_mknod),
	    cmocka_unit_test(test_mount),
	    cmocka_unit_test(test_mount_other_namespace),
	    cmocka_unit_test(test_mount_other_userns),
	    cmocka_unit_test(test_mount_gone_process),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
