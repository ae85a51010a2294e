// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the channel table.  Real sockets, checked through
 * sock_diag: found while alive and bound where recorded, gone (and
 * removed) once closed or replaced, across network namespaces.
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
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/channels.h"

static char T[64];
/* Unique per test run: another run may be binding at the same time. */
static char NS_NAME[64];

static uint64_t our_netns(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

static uint64_t sock_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? st.st_ino : 0;
}

/* A socket bound at path; *st is the socket file. */
static int bind_path(const char *path, struct stat *st)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    lstat(path, st) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A socket bound at abstract name (len bytes after the leading NUL). */
static int bind_abstract(const char *name, size_t len)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memcpy(sa.sun_path + 1, name, len);
	if (bind(fd, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			     len)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static struct chan_info info(uint32_t type, pid_t owner, int fd)
{
	struct chan_info ci = {.type = type,
			       .owner = owner,
			       .owner_start = 77,
			       .sock_ino = sock_ino(fd)};

	return ci;
}

static int setup(void **state)
{
	(void)state;
	strcpy(T, "/tmp/secpol-chan-XXXXXX");
	snprintf(NS_NAME, sizeof(NS_NAME), "secpol-netns-%d", (int)getpid());
	return mkdtemp(T) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[512];
	DIR *d = opendir(T);
	struct dirent *e;

	(void)state;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", T, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	return rmdir(T);
}

static const char *tp(const char *name)
{
	static char buf[4][128];
	static unsigned int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", T, name);
	return buf[i];
}

static void test_path_alive_then_closed(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	struct chan_info ci, got;
	struct stat st;
	int s;

	(void)state;
	assert_non_null(t);
	s = bind_path(tp("s1"), &st);
	assert_true(s >= 0);
	ci = info(5, getpid(), s);
	assert_int_equal(chantab_add_path(t, st.st_dev, st.st_ino, &ci), 0);
	assert_int_equal(chantab_size(t), 1);
	memset(&got, 0, sizeof(got));
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got), 0);
	assert_int_equal(got.type, 5);
	assert_int_equal(got.owner, getpid());
	assert_true(got.owner_start == 77 && got.sock_ino == ci.sock_ino);
	/* Replacing the entry for the same key. */
	ci.type = 6;
	assert_int_equal(chantab_add_path(t, st.st_dev, st.st_ino, &ci), 0);
	assert_int_equal(chantab_size(t), 1);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got), 0);
	assert_int_equal(got.type, 6);
	/* Not in the table: another file. */
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino + 1, &got),
	    -ENOENT);
	/* Closed: the file stays, the channel is gone, so is the entry. */
	close(s);
	assert_int_equal(access(tp("s1"), F_OK), 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got),
	    -ENOENT);
	assert_int_equal(chantab_size(t), 0);
	unlink(tp("s1"));
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

/* /tmp is ext4 here (dev 254:0), /dev/shm tmpfs: sock_diag reports the
 * kernel's dev_t encoding, which differs from stat's for a major > 0. */
static void test_path_device_encodings(void **state)
{
	const char *dirs[] = {T, "/dev/shm"};
	int fds = count_fds();
	struct chantab *t = chantab_new();

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < 2; i++) {
		char path[128];
		struct chan_info ci, got;
		struct stat st;
		int s;

		snprintf(path, sizeof(path), "%s/secpol-dev-%d", dirs[i],
			 (int)getpid());
		s = bind_path(path, &st);
		assert_true(s >= 0);
		print_message("# %s: st_dev %u:%u\n", dirs[i], major(st.st_dev),
			      minor(st.st_dev));
		ci = info(9, getpid(), s);
		assert_int_equal(chantab_add_path(t, st.st_dev, st.st_ino, &ci),
				 0);
		assert_int_equal(chantab_lookup_path(t, getpid(), st.st_dev,
						     st.st_ino, &got),
				 0);
		assert_int_equal(got.type, 9);
		close(s);
		unlink(path);
	}
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

/*
 * A new socket at the same path never inherits the old entry: neither
 * with a new file inode, nor when the inode number is reused, nor when
 * the recorded socket is alive but bound elsewhere.
 */
static void test_path_rebind(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	struct chan_info ci, got;
	struct stat old, new, other;
	int s1, s2, s3;

	(void)state;
	assert_non_null(t);
	/* Old socket closed, file unlinked, new socket bound there. */
	s1 = bind_path(tp("r"), &old);
	assert_true(s1 >= 0);
	ci = info(3, getpid(), s1);
	assert_int_equal(chantab_add_path(t, old.st_dev, old.st_ino, &ci), 0);
	close(s1);
	unlink(tp("r"));
	s2 = bind_path(tp("r"), &new);
	assert_true(s2 >= 0);
	print_message("# rebind: inode %s\n",
		      new.st_ino == old.st_ino ? "reused" : "new");
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), new.st_dev, new.st_ino, &got),
	    -ENOENT);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), old.st_dev, old.st_ino, &got),
	    -ENOENT);
	assert_int_equal(chantab_size(t), 0);

	/* The same inode number for sure: an entry keyed by s2's file
	 * that remembers a socket that is alive but bound at another
	 * file (s3), as if the number had been reused. */
	s3 = bind_path(tp("o"), &other);
	assert_true(s3 >= 0);
	ci = info(4, getpid(), s3);
	assert_int_equal(chantab_add_path(t, new.st_dev, new.st_ino, &ci), 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), new.st_dev, new.st_ino, &got),
	    -ENOENT);
	assert_int_equal(chantab_size(t), 0);
	/* Right inode, wrong device. */
	ci = info(4, getpid(), s2);
	assert_int_equal(chantab_add_path(t, new.st_dev + 1, new.st_ino, &ci),
			 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), new.st_dev + 1, new.st_ino, &got),
	    -ENOENT);
	/* A socket that was already gone when it was added was never seen
	 * in any namespace: no "not found" is authoritative for it, so
	 * the entry stays (fail closed) until the key is added again.  The
	 * daemon adds while it holds the socket, so this does not occur. */
	ci.sock_ino = sock_ino(s1 = socket(AF_UNIX, SOCK_STREAM, 0));
	close(s1);
	assert_int_equal(chantab_add_path(t, new.st_dev, new.st_ino, &ci), 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), new.st_dev, new.st_ino, &got), 0);
	assert_int_equal(chantab_size(t), 1);
	ci = info(4, getpid(), s2);
	assert_int_equal(chantab_add_path(t, new.st_dev, new.st_ino, &ci), 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), new.st_dev, new.st_ino, &got), 0);
	close(s2);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), new.st_dev, new.st_ino, &got),
	    -ENOENT);
	assert_int_equal(chantab_size(t), 0);
	close(s3);
	unlink(tp("r"));
	unlink(tp("o"));
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

static void test_abstract(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	uint64_t ns = our_netns();
	struct chan_info ci, got;
	char name[64], pad[107];
	size_t len;
	int s, s2;

	(void)state;
	assert_non_null(t);
	/* A name with an embedded NUL. */
	len = (size_t)snprintf(name, sizeof(name), "secpol%ctest-%d", '\0',
			       (int)getpid());
	s = bind_abstract(name, len);
	assert_true(s >= 0);
	ci = info(7, getpid(), s);
	assert_int_equal(chantab_add_abstract(t, ns, name, len, &ci), 0);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, name, len, &got), 0);
	assert_int_equal(got.type, 7);
	/* Every byte counts. */
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, name, 6, &got), -ENOENT);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns + 1, name, len, &got),
	    -ENOENT);
	assert_int_equal(chantab_size(t), 1);
	/* Closed, and the name bound again by another (untyped) socket:
	 * the old entry does not match it. */
	close(s);
	s = bind_abstract(name, len);
	assert_true(s >= 0);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, name, len, &got), -ENOENT);
	assert_int_equal(chantab_size(t), 0);
	/* An entry whose socket is alive but bound to another name. */
	snprintf(pad, sizeof(pad), "secpol-other-%d", (int)getpid());
	s2 = bind_abstract(pad, strlen(pad));
	assert_true(s2 >= 0);
	ci = info(8, getpid(), s2);
	assert_int_equal(chantab_add_abstract(t, ns, name, len, &ci), 0);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, name, len, &got), -ENOENT);
	close(s2);
	close(s);
	/* bind with the whole sockaddr_un: trailing NULs are the name. */
	memset(pad, 0, sizeof(pad));
	snprintf(pad, sizeof(pad), "secpol-pad-%d", (int)getpid());
	s = bind_abstract(pad, sizeof(pad));
	assert_true(s >= 0);
	ci = info(9, getpid(), s);
	assert_int_equal(chantab_add_abstract(t, ns, pad, sizeof(pad), &ci), 0);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, pad, sizeof(pad), &got),
	    0);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, pad, strlen(pad), &got),
	    -ENOENT);
	close(s);
	/* Lengths that are no abstract name. */
	assert_int_equal(chantab_add_abstract(t, ns, pad, 0, &ci), -EINVAL);
	assert_int_equal(chantab_add_abstract(t, ns, name, 108, &ci), -EINVAL);
	assert_int_equal(
	    chantab_lookup_abstract(t, getpid(), ns, name, 108, &got), -ENOENT);
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

/*
 * A child in a network namespace of its own binds an abstract name and a
 * path socket, and reports their socket inodes and its namespace.
 */
struct nskid {
	pid_t pid;
	int hold;
	struct {
		uint64_t netns, abs_ino, path_ino;
	} r;
};

static int nskid_start(struct nskid *k)
{
	int rep[2], hold[2];

	if (pipe2(rep, O_CLOEXEC) || pipe2(hold, O_CLOEXEC))
		return -1;
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (k->pid == 0) {
		struct stat st;
		int a, p;
		char c;

		close(rep[0]);
		close(hold[1]);
		memset(&k->r, 0, sizeof(k->r));
		if (unshare(CLONE_NEWNET) == 0) {
			a = bind_abstract(NS_NAME, strlen(NS_NAME));
			p = bind_path(tp("ns.sock"), &st);
			k->r.netns = our_netns();
			k->r.abs_ino = sock_ino(a);
			k->r.path_ino = sock_ino(p);
		}
		if (write(rep[1], &k->r, sizeof(k->r)) != sizeof(k->r))
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(rep[1]);
	close(hold[0]);
	k->hold = hold[1];
	if (read(rep[0], &k->r, sizeof(k->r)) != sizeof(k->r))
		k->r.netns = 0;
	close(rep[0]);
	return k->r.netns && k->r.abs_ino && k->r.path_ino ? 0 : -1;
}

static void nskid_stop(struct nskid *k)
{
	int st;

	close(k->hold);
	waitpid(k->pid, &st, 0);
}

static void test_other_netns(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	struct chan_info ci = {.type = 11}, got;
	struct nskid k;
	struct stat st;
	int s;

	(void)state;
	assert_non_null(t);
	assert_int_equal(nskid_start(&k), 0);
	assert_true(k.r.netns != our_netns());
	/* The same name in our namespace is another channel. */
	s = bind_abstract(NS_NAME, strlen(NS_NAME));
	assert_true(s >= 0);

	ci.owner = k.pid;
	ci.sock_ino = k.r.abs_ino;
	assert_int_equal(
	    chantab_add_abstract(t, k.r.netns, NS_NAME, strlen(NS_NAME), &ci),
	    0);
	/* Found through the process that connects from there... */
	assert_int_equal(chantab_lookup_abstract(t, k.pid, k.r.netns, NS_NAME,
						 strlen(NS_NAME), &got),
			 0);
	assert_int_equal(got.type, 11);
	/* ...not in ours. */
	assert_int_equal(chantab_lookup_abstract(t, getpid(), our_netns(),
						 NS_NAME, strlen(NS_NAME),
						 &got),
			 -ENOENT);

	/* A path socket bound over there is reachable from here: the
	 * table finds it in its own namespace, whoever connects. */
	assert_int_equal(lstat(tp("ns.sock"), &st), 0);
	ci.type = 12;
	ci.sock_ino = k.r.path_ino;
	assert_int_equal(chantab_add_path(t, st.st_dev, st.st_ino, &ci), 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got), 0);
	assert_int_equal(got.type, 12);
	assert_int_equal(
	    chantab_lookup_path(t, k.pid, st.st_dev, st.st_ino, &got), 0);
	assert_int_equal(chantab_size(t), 2);

	/* Its sockets die with it: both entries go. */
	nskid_stop(&k);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got),
	    -ENOENT);
	assert_int_equal(chantab_gc(t), 0);
	assert_int_equal(chantab_lookup_abstract(t, getpid(), k.r.netns,
						 NS_NAME, strlen(NS_NAME),
						 &got),
			 -ENOENT);
	close(s);
	unlink(tp("ns.sock"));
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

/*
 * A path socket whose namespace the table could not learn (its binder
 * named no process there): "not found" in the namespaces it can ask is
 * no proof, so the entry and its type stay.
 */
static void test_unknown_netns_fails_closed(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	struct chan_info ci = {.type = 13}, got;
	struct nskid k;
	struct stat st;

	(void)state;
	assert_non_null(t);
	assert_int_equal(nskid_start(&k), 0);
	assert_int_equal(lstat(tp("ns.sock"), &st), 0);
	ci.sock_ino = k.r.path_ino;
	ci.owner = 0;
	assert_int_equal(chantab_add_path(t, st.st_dev, st.st_ino, &ci), 0);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got), 0);
	assert_int_equal(got.type, 13);
	assert_int_equal(chantab_gc(t), 1);
	/* Once a process of that namespace connects, it is known there. */
	assert_int_equal(
	    chantab_lookup_path(t, k.pid, st.st_dev, st.st_ino, &got), 0);
	nskid_stop(&k);
	assert_int_equal(
	    chantab_lookup_path(t, getpid(), st.st_dev, st.st_ino, &got),
	    -ENOENT);
	unlink(tp("ns.sock"));
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

static void test_gc(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	uint64_t ns = our_netns();
	struct chan_info ci;
	int s[5];

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 3; i++) {
		char name[16];
		struct stat st;

		snprintf(name, sizeof(name), "gc%d", i);
		s[i] = bind_path(tp(name), &st);
		assert_true(s[i] >= 0);
		ci = info((uint32_t)i, getpid(), s[i]);
		assert_int_equal(chantab_add_path(t, st.st_dev, st.st_ino, &ci),
				 0);
	}
	for (int i = 3; i < 5; i++) {
		char name[32];
		size_t len = (size_t)snprintf(
		    name, sizeof(name), "secpol-gc-%d-%d", (int)getpid(), i);

		s[i] = bind_abstract(name, len);
		assert_true(s[i] >= 0);
		ci = info((uint32_t)i, getpid(), s[i]);
		assert_int_equal(chantab_add_abstract(t, ns, name, len, &ci),
				 0);
	}
	assert_int_equal(chantab_gc(t), 5);
	close(s[0]);
	close(s[3]);
	assert_int_equal(chantab_gc(t), 3);
	assert_int_equal(chantab_size(t), 3);
	for (int i = 0; i < 5; i++) {
		char name[16];

		if (i != 0 && i != 3)
			close(s[i]);
		snprintf(name, sizeof(name), "gc%d", i);
		unlink(tp(name));
	}
	assert_int_equal(chantab_gc(t), 0);
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

/* Many entries: the table grows and still finds each. */
static void test_many(void **state)
{
	int fds = count_fds();
	struct chantab *t = chantab_new();
	struct chan_info ci = {0}, got;
	char name[32];

	(void)state;
	assert_non_null(t);
	/* sock_ino 0 can never be checked: such entries simply stay. */
	for (uint32_t i = 0; i < 5000; i++) {
		size_t len = (size_t)snprintf(name, sizeof(name), "n%u", i);

		ci.type = i;
		assert_int_equal(chantab_add_abstract(t, 1, name, len, &ci), 0);
		assert_int_equal(chantab_add_path(t, 1, i, &ci), 0);
	}
	assert_int_equal(chantab_size(t), 10000);
	for (uint32_t i = 0; i < 5000; i++) {
		size_t len = (size_t)snprintf(name, sizeof(name), "n%u", i);

		assert_int_equal(
		    chantab_lookup_abstract(t, getpid(), 1, name, len, &got),
		    0);
		assert_int_equal(got.type, i);
		assert_int_equal(chantab_lookup_path(t, getpid(), 1, i, &got),
				 0);
		assert_int_equal(got.type, i);
	}
	chantab_free(t);
	assert_int_equal(count_fds(), fds);
}

/* Capacity: a full table, and a type's and a process's share of it. */
static void test_capacity(void **state)
{
	struct chantab *t = chantab_new();
	struct chan_info ci = {.type = 1, .owner = 100, .owner_start = 7};
	char name[32];
	uint32_t i;

	(void)state;
	assert_non_null(t);
	chantab_set_capacity(t, 16, 3); /* 4 per type, 3 per process */
	for (i = 0; i < 3; i++) {
		size_t len = (size_t)snprintf(name, sizeof(name), "p%u", i);

		assert_int_equal(chantab_admit(t, 1, 100, 7), 0);
		assert_int_equal(chantab_add_abstract(t, 1, name, len, &ci), 0);
	}
	/* the process's share */
	assert_int_equal(chantab_admit(t, 1, 100, 7), -EDQUOT);
	/* the same pid started later is another process */
	assert_int_equal(chantab_admit(t, 1, 100, 7 + 20000000000ull), 0);
	ci.owner = 101;
	assert_int_equal(chantab_add_path(t, 1, 1, &ci), 0);
	/* the type's share: 4 */
	assert_int_equal(chantab_admit(t, 1, 102, 7), -EDQUOT);
	assert_int_equal(chantab_admit(t, 2, 102, 7), 0);
	/* replacing an entry moves its count */
	ci.type = 2;
	assert_int_equal(chantab_add_path(t, 1, 1, &ci), 0);
	assert_int_equal(chantab_admit(t, 1, 102, 7), 0);
	/* the whole table */
	for (i = 0; chantab_size(t) < 16; i++) {
		ci.type = 10 + i;
		ci.owner = 200 + (pid_t)i;
		assert_int_equal(chantab_add_path(t, 2, i, &ci), 0);
	}
	assert_int_equal(chantab_admit(t, 99, 999, 7), -ENOSPC);
	chantab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_alive_then_closed),
	    cmocka_unit_test(test_path_device_encodings),
	    cmocka_unit_test(test_path_rebind),
	    cmocka_unit_test(test_abstract),
	    cmocka_unit_test(test_other_netns),
	    cmocka_unit_test(test_unknown_netns_fails_closed),
	    cmocka_unit_test(test_gc),
	    cmocka_unit_test(test_many),
	    cmocka_unit_test(test_capacity),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
