// SPDX-License-Identifier: BSD-2-Clause
/*
 * sptest: performs one operation and reports its result, for the
 * integration tests.  Prints "ok" or the errno name (e.g. "EPERM") on
 * stdout and exits 0 on success, 1 on failure, 2 on bad usage.
 *
 *   sptest bind PATH|@NAME          bind an AF_UNIX stream socket
 *   sptest listen PATH|@NAME        bind and listen
 *   sptest serve PATH|@NAME N FILE  bind, listen, write FILE when ready,
 *                                   accept N connections, print how many
 *   sptest connect PATH|@NAME       connect a stream socket
 *   sptest sendto PATH|@NAME        send a datagram to the address
 *   sptest sendmsg PATH|@NAME       the same with sendmsg
 *   sptest dgram-serve PATH N FILE  receive N datagrams
 *   sptest symlink TARGET LINK      symlink(2)
 *   sptest symlinkat TARGET DIR NAME symlinkat(2) relative to DIR
 *   sptest mkfifo PATH              mknod(2) of a FIFO
 *   sptest mknod-chr PATH           mknod(2) of /dev/null's device
 *   sptest mount-tmpfs DIR          mount(2) a tmpfs
 *   sptest fsopen                   the new mount API
 *   sptest io_uring                 io_uring_setup(2)
 *   sptest with-ring CMD...         set up a ring as descriptor 3 (not
 *                                   close-on-exec), then exec CMD
 *   sptest io_uring-enter FD        io_uring_enter(2) on ring FD
 *   sptest ia32-getpid              a 32-bit system call (int $0x80)
 *   sptest ia32-unshare-user        unshare(CLONE_NEWUSER) the same way
 *   sptest ia32-setuid UID          setuid32 the same way
 *   sptest bind-port PORT           bind a TCP socket on 127.0.0.1:PORT
 *   sptest setuid UID | setgid GID  setresuid/setresgid to the id
 *   sptest setgroups [GID]          setgroups(2) to {GID}, or to none
 *   sptest alloc-exec               allocate memory, then exec /bin/true
 *   sptest unshare-user             unshare(CLONE_NEWUSER)
 *   sptest userfaultfd              userfaultfd(2)
 *   sptest clone3                   a raw clone3(2) (the child exits)
 *   sptest thread                   pthread_create and join
 *   sptest caps                     print the Cap* lines of /proc/self/status
 *   sptest chown PATH UID GID       chown(2)
 *   sptest rename OLD NEW           rename(2)
 *   sptest link OLD NEW             link(2)
 *   sptest bind-rename PATH NEW     bind PATH, then rename it to NEW
 *   sptest peek PID                 open /proc/PID/mem (a ptrace attach
 *                                   check)
 *   sptest self-connect PATH|@NAME  bind and listen, then connect to that
 *                                   same socket from the same process
 *   sptest listen-loop PATH|@NAME N bind once, then listen() N times;
 *                                   prints "ok=K err=E last=ERRNAME"
 *   sptest listen-for PATH|@NAME S  the same for S seconds instead
 *   sptest race-bind GOOD BAD N     a thread flips the path while the
 *   sptest race-symlink GOOD BAD N  other binds/links/connects N times;
 *   sptest race-connect GOOD BAD N  prints "ok=K" (successful calls)
 *   sptest race-bind-fd PATH N      a thread swaps an AF_UNIX socket in
 *                                   and out under the descriptor number
 *                                   of a TCP socket that the other binds to
 *                                   the unix PATH N times; prints "ok=K"
 *   sptest bind-port6-short PORT    bind a TCP6 socket on [::1]:PORT with a
 *                                   24-byte (RFC 2133) address
 *   sptest bind-port-unspec PORT    bind a TCP socket with an AF_UNSPEC
 *                                   address (INADDR_ANY, PORT)
 *   sptest setns-fd FD              setns(2) into the namespace open as
 *                                   FD (nstype 0)
 *   sptest userns-bind PATH         unshare(CLONE_NEWUSER), then bind PATH
 *   sptest bind-via-fd DIR NAME     bind /proc/self/fd/N/NAME, N an O_PATH
 *                                   descriptor of DIR
 *   sptest connect-via-fd PATH      connect to /proc/self/fd/N, N an O_PATH
 *                                   descriptor of the socket file PATH
 *   sptest mknod-dir PATH           mknod(2) with S_IFDIR
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

static int report(int r)
{
	if (r == 0) {
		puts("ok");
		return 0;
	}
	puts(strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
	return 1;
}

static socklen_t make_addr(const char *a, struct sockaddr_un *sun)
{
	size_t n = strlen(a);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n >= sizeof(sun->sun_path))
		n = sizeof(sun->sun_path) - 1;
	memcpy(sun->sun_path, a, n);
	if (a[0] == '@')
		sun->sun_path[0] = '\0'; /* abstract: no NUL at the end */
	else
		n++; /* pathname: include the NUL */
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

static int unix_sock(int type)
{
	int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	if (s < 0) {
		perror("socket");
		exit(2);
	}
	return s;
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
}

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Serves until n connections (or datagrams) came or SIGTERM, then prints
 * how many came. */
static int serve(const char *a, int n, const char *ready, int type)
{
	struct sockaddr_un sun;
	socklen_t len = make_addr(a, &sun);
	int s = unix_sock(type), got = 0;
	struct sigaction sa = {.sa_handler = on_term};
	char buf[64];

	sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART: accept returns */
	if (bind(s, (struct sockaddr *)&sun, len) < 0 ||
	    (type == SOCK_STREAM && listen(s, 128) < 0))
		return report(-1);
	touch(ready);
	while (got < n && !stopping) {
		if (type == SOCK_STREAM) {
			int c = accept(s, NULL, NULL);

			if (c < 0)
				break;
			close(c);
		} else if (recv(s, buf, sizeof(buf), 0) < 0) {
			break;
		}
		got++;
	}
	printf("%d\n", got);
	return 0;
}

/* ---- races ---------------------------------------------------------- */

struct race {
	char *buf; /* the path the worker passes, rewritten by the flipper */
	const char *good, *bad;
	size_t len;
	atomic_int stop;
};

static void *flipper(void *arg)
{
	struct race *r = arg;
	unsigned i = 0;

	while (!atomic_load(&r->stop)) {
		/* write the whole buffer each time: a mix of both names is
		 * also a name someone could be tricked into */
		memcpy(r->buf, (i++ & 1) ? r->bad : r->good, r->len);
	}
	return NULL;
}

static int race(const char *op, const char *good, const char *bad, long n)
{
	struct race r = {.good = good, .bad = bad};
	size_t glen = strlen(good), blen = strlen(bad);
	struct sockaddr_un *sun = calloc(1, sizeof(*sun));
	pthread_t t;
	long i, ok = 0;

	r.len = (glen > blen ? glen : blen) + 1;
	/* both strings padded to the same length with NULs */
	r.good = calloc(1, r.len);
	r.bad = calloc(1, r.len);
	memcpy((char *)r.good, good, glen);
	memcpy((char *)r.bad, bad, blen);
	sun->sun_family = AF_UNIX;
	r.buf = strcmp(op, "race-symlink") ? sun->sun_path : calloc(1, r.len);
	memcpy(r.buf, r.good, r.len);
	pthread_create(&t, NULL, flipper, &r);
	for (i = 0; i < n; i++) {
		int s = -1, res;

		if (!strcmp(op, "race-symlink")) {
			res = symlink("/nonexistent-target", r.buf);
			if (res == 0) {
				ok++;
				unlink(good); /* the test checks bad never exists */
			}
			continue;
		}
		s = unix_sock(SOCK_STREAM);
		if (!strcmp(op, "race-bind")) {
			res = bind(s, (struct sockaddr *)sun,
				   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + r.len));
			if (res == 0) {
				ok++;
				unlink(good);
			}
		} else {
			res = connect(s, (struct sockaddr *)sun,
				      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + r.len));
			if (res == 0)
				ok++;
		}
		close(s);
	}
	atomic_store(&r.stop, 1);
	pthread_join(t, NULL);
	printf("ok=%ld\n", ok);
	return 0;
}

struct fdswap {
	int fd, inet;
	atomic_int stop;
};

static void *fd_swapper(void *arg)
{
	struct fdswap *w = arg;

	while (!atomic_load(&w->stop)) {
		int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (u >= 0) {
			dup2(u, w->fd);
			close(u);
		}
		dup2(w->inet, w->fd);
	}
	return NULL;
}

static int race_bind_fd(const char *path, long n)
{
	struct fdswap w = {0};
	struct sockaddr_un sun;
	socklen_t len = make_addr(path, &sun);
	pthread_t t;
	long i, ok = 0;

	w.inet = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	w.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (w.inet < 0 || w.fd < 0)
		return report(-1);
	pthread_create(&t, NULL, fd_swapper, &w);
	for (i = 0; i < n; i++)
		if (bind(w.fd, (struct sockaddr *)&sun, len) == 0)
			ok++;
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	printf("ok=%ld\n", ok);
	return 0;
}

/* ---- the rest ------------------------------------------------------- */

/* An i386 system call with one argument (int $0x80). */
static int ia32_call(long nr, long arg)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(arg) : "memory");
	if (r < 0) {
		errno = (int)-r;
		return report(-1);
	}
	return report(0);
}

static int alloc_exec(void)
{
	size_t i;

	for (i = 0; i < 32; i++) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			memset(p, 1, 4096);
		free(malloc(1 << 16));
	}
	execl("/bin/true", "true", (char *)NULL);
	return report(-1);
}

static long num(const char *s);

/* Many supervised calls in a row: listen() on a bound socket again and
 * again (each one is decided by secpold). */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int listen_loop(const char *a, long n, double secs)
{
	struct sockaddr_un sun;
	long i, ok = 0, err = 0;
	int s = unix_sock(SOCK_STREAM), last = 0;
	double end = now_s() + secs;

	if (bind(s, (struct sockaddr *)&sun, make_addr(a, &sun)) < 0)
		return report(-1);
	for (i = 0; n ? i < n : now_s() < end; i++) {
		if (listen(s, 1) == 0) {
			ok++;
		} else {
			err++;
			last = errno;
		}
	}
	printf("ok=%ld err=%ld last=%s\n", ok, err,
	       last ? (strerrorname_np(last) ? strerrorname_np(last) : "E?") : "none");
	return err ? 1 : 0;
}

static void *thread_noop(void *arg)
{
	return arg;
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0') {
		fprintf(stderr, "sptest: bad number %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun;
	const char *op = argc > 1 ? argv[1] : "";
	int s;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 3 && !strcmp(op, "bind")) {
		s = unix_sock(SOCK_STREAM);
		return report(bind(s, (struct sockaddr *)&sun, make_addr(argv[2], &sun)));
	}
	if (argc == 3 && !strcmp(op, "listen")) {
		s = unix_sock(SOCK_STREAM);
		if (bind(s, (struct sockaddr *)&sun, make_addr(argv[2], &sun)) < 0)
			return report(-1);
		return report(listen(s, 1));
	}
	if (argc == 5 && !strcmp(op, "serve"))
		return serve(argv[2], (int)num(argv[3]), argv[4], SOCK_STREAM);
	if (argc == 5 && !strcmp(op, "dgram-serve"))
		return serve(argv[2], (int)num(argv[3]), argv[4], SOCK_DGRAM);
	if (argc == 3 && !strcmp(op, "connect")) {
		s = unix_sock(SOCK_STREAM);
		return report(connect(s, (struct sockaddr *)&sun, make_addr(argv[2], &sun)));
	}
	if (argc == 3 && !strcmp(op, "sendto")) {
		s = unix_sock(SOCK_DGRAM);
		return report(sendto(s, "x", 1, 0, (struct sockaddr *)&sun,
				     make_addr(argv[2], &sun)) == 1 ? 0 : -1);
	}
	if (argc == 3 && !strcmp(op, "sendmsg")) {
		struct iovec iov = {.iov_base = "x", .iov_len = 1};
		struct msghdr mh = {.msg_name = &sun, .msg_iov = &iov, .msg_iovlen = 1};

		s = unix_sock(SOCK_DGRAM);
		mh.msg_namelen = make_addr(argv[2], &sun);
		return report(sendmsg(s, &mh, 0) == 1 ? 0 : -1);
	}
	if (argc == 4 && !strcmp(op, "symlink"))
		return report(symlink(argv[2], argv[3]));
	if (argc == 5 && !strcmp(op, "symlinkat")) {
		int dfd = open(argv[3], O_PATH | O_DIRECTORY | O_CLOEXEC);

		return report(symlinkat(argv[2], dfd, argv[4]));
	}
	if (argc == 4 && !strcmp(op, "bind-via-fd")) {
		int dfd = open(argv[2], O_PATH | O_DIRECTORY | O_CLOEXEC);
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", dfd, argv[3]);
		s = unix_sock(SOCK_STREAM);
		return report(bind(s, (struct sockaddr *)&sun, make_addr(p, &sun)));
	}
	if (argc == 3 && !strcmp(op, "connect-via-fd")) {
		int ofd = open(argv[2], O_PATH | O_CLOEXEC);
		char p[64];

		snprintf(p, sizeof(p), "/proc/self/fd/%d", ofd);
		s = unix_sock(SOCK_STREAM);
		return report(connect(s, (struct sockaddr *)&sun, make_addr(p, &sun)));
	}
	if (argc == 3 && !strcmp(op, "mknod-dir"))
		return report(mknod(argv[2], S_IFDIR | 0755, 0));
	if (argc == 3 && !strcmp(op, "mkfifo"))
		return report(mknod(argv[2], S_IFIFO | 0644, 0));
	if (argc == 3 && !strcmp(op, "mknod-chr"))
		return report(mknod(argv[2], S_IFCHR | 0644, makedev(1, 3)));
	if (argc == 3 && !strcmp(op, "mount-tmpfs"))
		return report(mount("sptest", argv[2], "tmpfs", 0, "size=1m"));
	if (argc == 2 && !strcmp(op, "fsopen")) {
		int fd = (int)syscall(SYS_fsopen, "tmpfs", 0);

		return report(fd < 0 ? -1 : 0);
	}
	if (argc >= 3 && !strcmp(op, "with-ring")) {
		struct io_uring_params p = {0};
		int fd = (int)syscall(SYS_io_uring_setup, 4, &p);

		if (fd < 0 || dup2(fd, 3) < 0)
			return report(-1);
		execvp(argv[2], argv + 2);
		return report(-1);
	}
	if (argc == 3 && !strcmp(op, "io_uring-enter"))
		return report(syscall(SYS_io_uring_enter, (int)num(argv[2]), 0, 0,
				      0, NULL, 0) < 0 ? -1 : 0);
	if (argc == 2 && !strcmp(op, "io_uring")) {
		struct io_uring_params p = {0};

		return report(syscall(SYS_io_uring_setup, 4, &p) < 0 ? -1 : 0);
	}
	if (argc == 2 && !strcmp(op, "ia32-getpid"))
		return ia32_call(20, 0); /* i386 getpid */
	if (argc == 2 && !strcmp(op, "ia32-unshare-user"))
		return ia32_call(310, CLONE_NEWUSER); /* i386 unshare */
	if (argc == 3 && !strcmp(op, "ia32-setuid"))
		return ia32_call(213, num(argv[2])); /* i386 setuid32 */
	if (argc == 3 && !strcmp(op, "bind-port")) {
		struct sockaddr_in sin = {.sin_family = AF_INET};

		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sin.sin_port = htons((uint16_t)num(argv[2]));
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
		return report(bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	}
	if (argc == 3 && !strcmp(op, "bind-port6-short")) {
		struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};

		s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sin6.sin6_port = htons((uint16_t)num(argv[2]));
		sin6.sin6_addr = in6addr_loopback;
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
		return report(bind(s, (struct sockaddr *)&sin6, 24));
	}
	if (argc == 3 && !strcmp(op, "bind-port-unspec")) {
		struct sockaddr_in sin = {.sin_family = AF_UNSPEC};

		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sin.sin_port = htons((uint16_t)num(argv[2]));
		sin.sin_addr.s_addr = htonl(INADDR_ANY);
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &(int){1}, sizeof(int));
		return report(bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	}
	if (argc == 3 && !strcmp(op, "setns-fd"))
		return report(setns((int)num(argv[2]), 0));
	if (argc == 3 && !strcmp(op, "userns-bind")) {
		if (unshare(CLONE_NEWUSER) < 0)
			return report(-1);
		s = unix_sock(SOCK_STREAM);
		return report(bind(s, (struct sockaddr *)&sun, make_addr(argv[2], &sun)));
	}
	if (argc == 4 && !strcmp(op, "race-bind-fd"))
		return race_bind_fd(argv[2], num(argv[3]));
	if (argc == 3 && !strcmp(op, "setuid")) {
		uid_t u = (uid_t)num(argv[2]);

		return report((int)syscall(SYS_setresuid, u, u, u));
	}
	if (argc == 3 && !strcmp(op, "setgid")) {
		gid_t g = (gid_t)num(argv[2]);

		return report((int)syscall(SYS_setresgid, g, g, g));
	}
	if (argc == 4 && !strcmp(op, "rename"))
		return report(rename(argv[2], argv[3]));
	if (argc == 4 && !strcmp(op, "link"))
		return report(link(argv[2], argv[3]));
	if (argc == 4 && !strcmp(op, "bind-rename")) {
		s = unix_sock(SOCK_STREAM);
		if (bind(s, (struct sockaddr *)&sun, make_addr(argv[2], &sun)) < 0) {
			printf("bind: ");
			return report(-1);
		}
		return report(rename(argv[2], argv[3]));
	}
	if (argc == 3 && !strcmp(op, "peek")) {
		char p[64];

		snprintf(p, sizeof(p), "/proc/%s/mem", argv[2]);
		return report(open(p, O_RDONLY | O_CLOEXEC) < 0 ? -1 : 0);
	}
	if ((argc == 2 || argc == 3) && !strcmp(op, "setgroups")) {
		gid_t g = argc == 3 ? (gid_t)num(argv[2]) : 0;

		return report((int)syscall(SYS_setgroups, argc - 2, &g));
	}
	if (argc == 2 && !strcmp(op, "alloc-exec"))
		return alloc_exec();
	if (argc == 2 && !strcmp(op, "unshare-user"))
		return report(unshare(CLONE_NEWUSER));
	if (argc == 2 && !strcmp(op, "userfaultfd")) {
		long fd = syscall(SYS_userfaultfd, O_CLOEXEC);

		return report(fd < 0 ? -1 : 0);
	}
	if (argc == 2 && !strcmp(op, "clone3")) {
		struct {
			uint64_t flags, pidfd, child_tid, parent_tid, exit_signal,
				stack, stack_size, tls;
		} args = {.exit_signal = SIGCHLD};
		long pid = syscall(SYS_clone3, &args, sizeof(args));

		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid((pid_t)pid, NULL, 0);
		return report(pid < 0 ? -1 : 0);
	}
	if (argc == 2 && !strcmp(op, "thread")) {
		pthread_t t;
		int r = pthread_create(&t, NULL, thread_noop, NULL);

		if (r == 0)
			pthread_join(t, NULL);
		errno = r;
		return report(r ? -1 : 0);
	}
	if (argc == 2 && !strcmp(op, "caps")) {
		char line[256];
		FILE *f = fopen("/proc/self/status", "re");

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "Cap", 3))
				fputs(line, stdout);
		return 0;
	}
	if (argc == 5 && !strcmp(op, "chown"))
		return report(chown(argv[2], (uid_t)num(argv[3]), (gid_t)num(argv[4])));
	if (argc == 3 && !strcmp(op, "self-connect")) {
		socklen_t len = make_addr(argv[2], &sun);
		int c;

		s = unix_sock(SOCK_STREAM);
		if (bind(s, (struct sockaddr *)&sun, len) < 0 || listen(s, 1) < 0)
			return report(-1);
		c = unix_sock(SOCK_STREAM);
		return report(connect(c, (struct sockaddr *)&sun, len));
	}
	if (argc == 4 && !strcmp(op, "listen-loop"))
		return listen_loop(argv[2], num(argv[3]), 0);
	if (argc == 4 && !strcmp(op, "listen-for"))
		return listen_loop(argv[2], 0, (double)num(argv[3]));
	if (argc == 5 && !strncmp(op, "race-", 5))
		return race(op, argv[2], argv[3], num(argv[4]));
	fprintf(stderr, "usage: sptest OP ARGS (see the comment in sptest.c)\n");
	return 2;
}
