// SPDX-License-Identifier: BSD-2-Clause
/*
 * spbench: the measuring half of `make bench` (bench/run.sh drives it).
 * It prints numbers, never a verdict.  See bench/README.md.
 *
 *   spbench run OP N WARMUP [ARG]   do OP WARMUP times untimed, then N
 *                                   times, timing every call; print one
 *                                   line: call_med call_p90 iter_med
 *                                   call_max (ns) errors allowed
 *       OP: connect PATH   socket(); [connect()]; close()
 *           bind PATH      socket(); [bind()]; unlink(); close()
 *           symlink PATH   [symlinkat()]; unlink()
 *           getppid        [getppid()]         (a call nobody supervises)
 *           prlimit        [prlimit64()] raising RLIMIT_CORE's hard
 *                          limit: one capable(CAP_SYS_RESOURCE) per call
 *       "call" is the bracketed system call alone; "iter" is the whole
 *       iteration (socket/close and unlink included, in every mode).
 *   spbench floor OP N WARMUP [ARG] the same under a trivial seccomp
 *                                   supervisor that continues every call
 *                                   at once: the notification's own cost
 *   spbench serve PATH READY        AF_UNIX stream server: accept and
 *                                   close until SIGTERM; READY is created
 *                                   once it listens
 *   spbench storm N PATH READY      N processes that call symlink(PATH)
 *                                   and fork without pause until
 *                                   SIGTERM; READY once all run
 *   spbench cpu PID...              CPU time (ns) used so far by these
 *                                   processes, all threads, summed
 *   spbench holdstats               keep BPF run-time statistics on
 *                                   until SIGTERM (BPF_ENABLE_STATS)
 *   spbench progstat PID            run count and time of the cap_capable
 *                                   programs of secpold PID and of others
 *   spbench report FILE             the tables of `make bench` from the
 *                                   result lines run.sh collected
 *   spbench profile LABEL:NS:FILE...  where secpold's time went, from
 *                                   `perf script` output (see below)
 */
#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt,
								...)
{
	va_list ap;

	fprintf(stderr, "spbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no system call */
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* copies a string, cutting it to fit */
static void scopy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* quantile of sorted v (nearest rank) */
static uint32_t quant(const uint32_t *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)n);

	return v[i >= n ? n - 1 : i];
}

static socklen_t unix_addr(const char *path, struct sockaddr_un *sun)
{
	size_t n = strlen(path);

	if (n >= sizeof(sun->sun_path))
		die("path too long: %s", path);
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n + 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
}

/* ---- run ------------------------------------------------------------ */

enum op { OP_CONNECT, OP_BIND, OP_SYMLINK, OP_GETPPID, OP_PRLIMIT };

struct ctx {
	enum op op;
	struct sockaddr_un sun;
	socklen_t len;
	const char *path;
	unsigned long errors, allowed;
};

/* One iteration; *call gets the time of the measured system call. */
static uint32_t iterate(struct ctx *c, uint32_t *call)
{
	uint64_t t0, t1, t2, t3;
	int s, r;

	switch (c->op) {
	case OP_CONNECT:
		t0 = now_ns();
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		t1 = now_ns();
		r = connect(s, (struct sockaddr *)&c->sun, c->len);
		t2 = now_ns();
		if (r < 0)
			c->errors++;
		close(s);
		t3 = now_ns();
		*call = (uint32_t)(t2 - t1);
		return (uint32_t)(t3 - t0);
	case OP_BIND:
		t0 = now_ns();
		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		t1 = now_ns();
		r = bind(s, (struct sockaddr *)&c->sun, c->len);
		t2 = now_ns();
		if (r < 0 || unlink(c->path) < 0)
			c->errors++;
		close(s);
		t3 = now_ns();
		*call = (uint32_t)(t2 - t1);
		return (uint32_t)(t3 - t0);
	case OP_SYMLINK:
		t0 = now_ns();
		r = (int)syscall(SYS_symlinkat, "target", AT_FDCWD, c->path);
		t1 = now_ns();
		if (r < 0 || unlink(c->path) < 0)
			c->errors++;
		t2 = now_ns();
		*call = (uint32_t)(t1 - t0);
		return (uint32_t)(t2 - t0);
	case OP_GETPPID:
		t0 = now_ns();
		syscall(SYS_getppid);
		t1 = now_ns();
		*call = (uint32_t)(t1 - t0);
		return *call;
	case OP_PRLIMIT: {
		struct rlimit up = {0, 1};

		t0 = now_ns();
		r = (int)syscall(SYS_prlimit64, 0, RLIMIT_CORE, &up, NULL);
		t1 = now_ns();
		if (r == 0) {
			/* CAP_SYS_RESOURCE was there: lower the limit again
			 * (no capability check) so the next call raises it */
			struct rlimit down = {0, 0};

			c->allowed++;
			setrlimit(RLIMIT_CORE, &down);
		} else if (errno != EPERM) {
			c->errors++;
		}
		*call = (uint32_t)(t1 - t0);
		return *call;
	}
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	struct ctx c = {0};
	uint32_t *calls, *iters, dummy;
	long n, warm, i;

	if (argc < 3)
		die("usage: spbench run OP N WARMUP [PATH]");
	n = atol(argv[1]);
	warm = atol(argv[2]);
	if (n <= 0 || warm < 0)
		die("bad count: %s", argv[1]);
	if (!strcmp(argv[0], "connect"))
		c.op = OP_CONNECT;
	else if (!strcmp(argv[0], "bind"))
		c.op = OP_BIND;
	else if (!strcmp(argv[0], "symlink"))
		c.op = OP_SYMLINK;
	else if (!strcmp(argv[0], "getppid"))
		c.op = OP_GETPPID;
	else if (!strcmp(argv[0], "prlimit"))
		c.op = OP_PRLIMIT;
	else
		die("unknown op %s", argv[0]);
	if (c.op <= OP_SYMLINK) {
		if (argc < 4)
			die("%s needs a path", argv[0]);
		c.path = argv[3];
		c.len = unix_addr(c.path, &c.sun);
		if (c.op != OP_CONNECT)
			unlink(c.path); /* left by an interrupted run */
	}
	if (c.op == OP_PRLIMIT) {
		struct rlimit rl = {0, 0};

		/* lowering needs no capability; then every call raises */
		if (setrlimit(RLIMIT_CORE, &rl) < 0)
			die("setrlimit: %s", strerror(errno));
	}
	calls = calloc((size_t)n, sizeof(*calls));
	iters = calloc((size_t)n, sizeof(*iters));
	if (!calls || !iters)
		die("out of memory");
	for (i = 0; i < warm; i++)
		iterate(&c, &dummy);
	c.errors = c.allowed = 0;
	for (i = 0; i < n; i++)
		iters[i] = iterate(&c, &calls[i]);
	qsort(calls, (size_t)n, sizeof(*calls), cmp_u32);
	qsort(iters, (size_t)n, sizeof(*iters), cmp_u32);
	printf("%u %u %u %u %lu %lu\n", quant(calls, (size_t)n, 0.5),
	       quant(calls, (size_t)n, 0.9), quant(iters, (size_t)n, 0.5),
	       calls[n - 1], c.errors, c.allowed);
	return 0;
}

/* ---- floor: the same loop under a trivial supervisor --------------- */

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* The child's filter: notify on nr (x86_64), allow everything else. */
static int install_filter(int nr)
{
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		     offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		     offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (__u32)nr, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	char b = 'l';
	struct iovec iov = {.iov_base = &b, .iov_len = 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	char b;
	struct iovec iov = {.iov_base = &b, .iov_len = 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * floor OP N WARMUP [PATH]: the child runs `run OP ...` behind a filter
 * that notifies OP's system call (getppid/prlimit: connect, which they do
 * not make: the filter's cost alone); the parent answers every
 * notification at once with CONTINUE, as fast as a supervisor can.  The
 * listener has SYNC_WAKE_UP, as secpold's.  What secpol adds on top of
 * this is the daemon's decision.
 */
static int cmd_floor(int argc, char **argv)
{
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int sv[2], nr, lfd, status;
	pid_t pid;

	if (argc < 3)
		die("usage: spbench floor OP N WARMUP [PATH]");
	if (!strcmp(argv[0], "bind"))
		nr = __NR_bind;
	else if (!strcmp(argv[0], "symlink"))
		nr = __NR_symlinkat;
	else
		nr = __NR_connect;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		die("seccomp: %s", strerror(errno));
	req = calloc(1, sz.seccomp_notif > sizeof(*req) ? sz.seccomp_notif
							: sizeof(*req));
	resp = calloc(1, sz.seccomp_notif_resp > sizeof(*resp)
			     ? sz.seccomp_notif_resp
			     : sizeof(*resp));
	if (!req || !resp)
		die("out of memory");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		char b;

		close(sv[0]);
		lfd = install_filter(nr);
		if (lfd < 0 || send_fd(sv[1], lfd) < 0)
			die("cannot install the filter: %s", strerror(errno));
		close(lfd);
		if (read(sv[1], &b, 1) != 1) /* the supervisor is ready */
			_exit(2);
		close(sv[1]);
		exit(cmd_run(argc, argv));
	}
	close(sv[1]);
	lfd = recv_fd(sv[0]);
	if (lfd < 0)
		die("no listener from the child");
	ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	      (__u64)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	if (write(sv[0], "g", 1) != 1)
		die("cannot start the child");
	for (;;) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};

		if (poll(&p, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!(p.revents & POLLIN))
			break; /* POLLHUP: the child has gone */
		memset(req, 0, sz.seccomp_notif);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
			continue;
		memset(resp, 0, sz.seccomp_notif_resp);
		resp->id = req->id;
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}

/* ---- serve ---------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_serve(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_term}; /* no SA_RESTART */
	struct sockaddr_un sun;
	socklen_t len;
	unsigned long n = 0;
	int s, fd;

	if (argc < 2)
		die("usage: spbench serve PATH READY");
	len = unix_addr(argv[0], &sun);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	unlink(argv[0]);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sun, len) < 0 ||
	    listen(s, SOMAXCONN) < 0)
		die("cannot listen: %s", strerror(errno));
	fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	/* the accepting loop drains the backlog; a connect never waits for
	 * it unless 4096 connections pile up */
	while (!stop) {
		int a = accept4(s, NULL, NULL, SOCK_CLOEXEC);

		if (a >= 0) {
			close(a);
			n++;
		}
	}
	unlink(argv[0]);
	fprintf(stderr, "spbench serve: %lu connections\n", n);
	return 0;
}

/* ---- storm ---------------------------------------------------------- */

/* N processes that each make supervised calls without pause (a symlink
 * the policy refuses, then a fork that the type's limit refuses): the
 * worst neighbour a type can be for the others.  READY is created once
 * all are running; SIGTERM to the process group ends them. */
static int cmd_storm(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_term};
	int go[2], fd;
	long n, k;
	char b;

	if (argc < 3)
		die("usage: spbench storm N PATH READY");
	n = strtol(argv[0], NULL, 10);
	if (n < 1)
		die("storm: bad count %s", argv[0]);
	sigaction(SIGTERM, &sa, NULL);
	if (pipe2(go, O_CLOEXEC) < 0)
		die("storm: pipe: %s", strerror(errno));
	for (k = 1; k < n; k++) {
		pid_t pid = fork();

		if (pid < 0)
			die("storm: fork %ld of %ld: %s", k, n, strerror(errno));
		if (pid == 0)
			break;
	}
	if (k == n) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	/* all start together, once the last one is forked */
	close(go[1]);
	while (read(go[0], &b, 1) < 0 && errno == EINTR && !stop)
		;
	while (!stop) {
		pid_t pid;

		if (symlinkat("t", AT_FDCWD, argv[1]) == 0)
			unlink(argv[1]);
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	if (k == n)
		while (wait(NULL) > 0)
			;
	return 0;
}

/* ---- cpu ------------------------------------------------------------ */

static int cmd_cpu(int argc, char **argv)
{
	uint64_t total = 0;
	int i;

	for (i = 0; i < argc; i++) {
		struct timespec ts;
		clockid_t clk;
		pid_t pid = (pid_t)atoi(argv[i]);

		if (pid <= 0 || clock_getcpuclockid(pid, &clk) != 0 ||
		    clock_gettime(clk, &ts) < 0)
			continue;
		total +=
		    (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	}
	printf("%llu\n", (unsigned long long)total);
	return 0;
}

/* ---- BPF program statistics --------------------------------------- */

/* holdstats: keep the kernel's BPF run-time statistics on until SIGTERM
 * (BPF_ENABLE_STATS: they go off again when this process ends, however
 * it ends; no sysctl is changed). */
static int cmd_holdstats(void)
{
	struct sigaction sa = {.sa_handler = on_term};
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0)
		die("cannot enable BPF statistics: %s", strerror(-fd));
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!stop)
		pause();
	close(fd);
	return 0;
}

/* Does process pid hold a descriptor of program id? */
static bool holds_prog(pid_t pid, __u32 id)
{
	char path[64], line[256];
	DIR *d;
	struct dirent *de;
	bool found = false;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo", (int)pid);
	d = opendir(path);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		char fp[400];
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(fp, sizeof(fp), "%s/%s", path, de->d_name);
		f = fopen(fp, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			unsigned long v;

			if (sscanf(line, "prog_id: %lu", &v) == 1 && v == id) {
				found = true;
				break;
			}
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

/* progstat PID: run counts and run time of every cap_capable program,
 * those secpold PID holds and the others: "n ns other_n other_ns
 * other_programs" */
static int cmd_progstat(int argc, char **argv)
{
	unsigned long long n = 0, ns = 0, on = 0, ons = 0, oprogs = 0;
	pid_t pid = argc > 0 ? (pid_t)atoi(argv[0]) : 0;
	__u32 id = 0;

	while (bpf_prog_get_next_id(id, &id) == 0) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
		    !strcmp(info.name, "cap_capable")) {
			if (holds_prog(pid, id)) {
				n += info.run_cnt;
				ns += info.run_time_ns;
			} else {
				on += info.run_cnt;
				ons += info.run_time_ns;
				oprogs++;
			}
		}
		close(fd);
	}
	printf("%llu %llu %llu %llu %llu\n", n, ns, on, ons, oprogs);
	return 0;
}

/* ---- report --------------------------------------------------------- */

/*
 * Input lines (from run.sh):
 *   R GROUP MODE call_med call_p90 iter_med call_max errors allowed cpu
 *     events lost others
 *     (cpu, events, lost: -1 if not measured; others: how many other
 *     secpold instances were running)
 *   T TEXT...          printed as it is (titles, notes)
 *   H GROUP HEADER...  the title of a group's table
 * GROUP names one table (e.g. "connect/pinned"); the first MODE seen in
 * a group is its baseline.  cpu is the daemon's (and monitor's) CPU time
 * per call in ns, or -1.  Several R lines of one group and mode are the
 * runs: the table shows the median over runs of each column and the
 * range of the per-run medians.
 */
#define MAXRUNS 64
#define MAXROWS 256

struct row {
	char group[64], mode[64];
	int nruns;
	double v[MAXRUNS][10]; /* the numeric columns */
};

static struct row rows[MAXROWS];
static int nrows;

static double med_of(struct row *r, int col)
{
	double t[MAXRUNS];
	int i, n = 0;

	for (i = 0; i < r->nruns; i++)
		if (r->v[i][col] >= 0)
			t[n++] = r->v[i][col];
	if (!n)
		return -1;
	qsort(t, (size_t)n, sizeof(double), cmp_dbl);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void range_of(struct row *r, int col, double *lo, double *hi)
{
	int i;

	*lo = 1e300;
	*hi = -1;
	for (i = 0; i < r->nruns; i++) {
		if (r->v[i][col] < *lo)
			*lo = r->v[i][col];
		if (r->v[i][col] > *hi)
			*hi = r->v[i][col];
	}
}

static struct row *find_row(const char *group, const char *mode)
{
	int i;

	for (i = 0; i < nrows; i++)
		if (!strcmp(rows[i].group, group) &&
		    !strcmp(rows[i].mode, mode))
			return &rows[i];
	if (nrows == MAXROWS)
		return NULL;
	scopy(rows[nrows].group, sizeof(rows[nrows].group), group);
	scopy(rows[nrows].mode, sizeof(rows[nrows].mode), mode);
	return &rows[nrows++];
}

static void print_group(const char *group, const char *header)
{
	struct row *base = NULL;
	bool has_ev = false, has_cpu = false;
	int i;

	for (i = 0; i < nrows; i++) {
		if (strcmp(rows[i].group, group))
			continue;
		if (!base)
			base = &rows[i];
		if (med_of(&rows[i], 6) >= 0)
			has_cpu = true;
		if (med_of(&rows[i], 7) >= 0)
			has_ev = true;
	}
	if (!base)
		return;
	printf("\n%s\n", header);
	printf("  %-24s %8s %8s %8s %15s %8s %7s %9s %7s", "mode", "call ns",
	       "p90 ns", "max us", "run medians", "added us", "ratio",
	       "iter ns", "ratio");
	if (has_cpu)
		printf(" %9s", "d-cpu ns");
	if (has_ev)
		printf(" %8s %7s", "events", "lost");
	printf("\n");
	for (i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		double cm, cp, im, bm, bi, lo, hi, mlo, mhi, err;
		int busy;
		char rng[32];

		if (strcmp(r->group, group))
			continue;
		cm = med_of(r, 0);
		cp = med_of(r, 1);
		im = med_of(r, 2);
		bm = med_of(base, 0);
		bi = med_of(base, 2);
		range_of(r, 0, &lo, &hi);
		snprintf(rng, sizeof(rng), "%.0f-%.0f", lo, hi);
		range_of(r, 3, &mlo, &mhi);
		printf(
		    "  %-24s %8.0f %8.0f %8.1f %15s %+8.2f %6.2fx %9.0f %6.2fx",
		    r->mode, cm, cp, mhi / 1000.0, rng, (cm - bm) / 1000.0,
		    cm / bm, im, im / bi);
		if (has_cpu) {
			double cpu = med_of(r, 6);

			if (cpu >= 0)
				printf(" %9.0f", cpu);
			else
				printf(" %9s", "-");
		}
		if (has_ev) {
			double ev = med_of(r, 7), lost = med_of(r, 8);

			if (ev >= 0)
				printf(" %8.0f %7.0f", ev, lost);
			else
				printf(" %8s %7s", "-", "-");
		}
		err = 0;
		busy = 0;
		for (int k = 0; k < r->nruns; k++) {
			err += r->v[k][4];
			if (r->v[k][9] > 0)
				busy++;
		}
		if (err > 0)
			printf("  [%.0f failed calls!]", err);
		if (busy)
			printf("  [others %d/%d]", busy, r->nruns);
		printf("\n");
	}
}

static int cmd_report(int argc, char **argv)
{
	char line[1024], groups[64][64], headers[64][256];
	int ng = 0, i;
	FILE *f;

	if (argc < 1)
		die("usage: spbench report FILE");
	f = fopen(argv[0], "r");
	if (!f)
		die("cannot open %s", argv[0]);
	while (fgets(line, sizeof(line), f)) {
		char group[64], mode[64];
		double v[10];
		int n;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == 'T' && line[1] == ' ') {
			/* flush nothing: titles come in order with groups */
			if (ng < 64) {
				scopy(groups[ng], sizeof(groups[ng]), "");
				scopy(headers[ng], sizeof(headers[ng]),
				      line + 2);
				ng++;
			}
			continue;
		}
		if (line[0] == 'H' && line[1] == ' ') {
			char *sp = strchr(line + 2, ' ');

			if (!sp || ng >= 64)
				continue;
			*sp = '\0';
			scopy(groups[ng], sizeof(groups[ng]), line + 2);
			scopy(headers[ng], sizeof(headers[ng]), sp + 1);
			ng++;
			continue;
		}
		if (line[0] != 'R')
			continue;
		for (i = 0; i < 10; i++)
			v[i] = -1;
		n = sscanf(
		    line, "R %63s %63s %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf",
		    group, mode, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		    &v[6], &v[7], &v[8], &v[9]);
		if (n >= 6) {
			struct row *r = find_row(group, mode);

			if (r && r->nruns < MAXRUNS) {
				memcpy(r->v[r->nruns], v, sizeof(v));
				r->nruns++;
			}
		}
	}
	fclose(f);
	for (i = 0; i < ng; i++) {
		if (groups[i][0])
			print_group(groups[i], headers[i]);
		else
			printf("%s\n", headers[i]);
	}
	return 0;
}

/* ---- profile -------------------------------------------------------- */

/*
 * `perf script -F comm,tid,ip,sym` output of secpold: a header line per
 * sample, then its frames, leaf first, then a blank line.  Each sample is
 * put into the first category whose pattern occurs in one of its frames
 * (the table is ordered from specific to general: a credential switch
 * inside a path walk counts as the switch).
 */
#define MAXPROF 8

struct cat {
	const char *name;
	const char *pat[12];
	unsigned long n[MAXPROF];
};

static struct cat cats[] = {
    {"BPF tracepoint programs run by secpold's own calls", {"bpf_trace_run"}},
    {"seccomp NOTIF_ID_VALID", {"seccomp_notify_ioctl&decide", "still_valid"}},
    {"seccomp RECV + SEND (incl. switching to the woken caller)",
     {"seccomp_notify_ioctl", "ioctl&on_listener"}},
    {"/proc/TID/status (procfs_creds)", {"procfs_creds"}},
    {"/proc/TID/stat+status (proc_task_ids)", {"proc_task_ids"}},
    {"event emission (naming, building, bus)",
     {"events_fill_process", "events_publish", "bus_publish", "emit_",
      "procinfo_", "bus_flush", "ev_encode", "base_event"}},
    {"channel table gc (timer: a sock_diag query per entry)", {"chantab_gc"}},
    {"channel table on bind (sock_diag query, fstatat)",
     {"chantab_", "diag_", "fstatat64&bind_unix"}},
    {"credential + cwd switch to act as the process",
     {"sys_capset", "sys_capget", "sys_setfsuid", "sys_setfsgid",
      "sys_setgroups", "sys_getgroups", "umask", "walk_enter", "walk_leave",
      "state_save", "restore_", "sys_fchdir"}},
    {"pidfd_open + pidfd_getfd (take the socket)",
     {"pidfd_open", "pidfd_getfd"}},
    {"getsockopt (socket family)", {"sys_getsockopt"}},
    {"reading process memory (process_vm_readv)",
     {"process_vm_readv", "procmem_"}},
    {"path resolution (openat2, /proc/TID/root|cwd, readlink)", {"pathres_"}},
    {"the operation itself (bind/symlinkat)",
     {"sys_bind", "sys_symlinkat", "proxy_bind_unix", "proxy_symlink",
      "as_process"}},
    {"BPF map syscalls (type lookup, tickets)", {"sys_bpf"}},
    {"ring-buffer drain", {"collector_drain", "ring_buffer__"}},
    {"policy lookup", {"sp_policy_"}},
    {"control socket (on -T registration, monitors)",
     {"on_client", "ctl_", "bus_"}},
    {"epoll_wait (event loop)", {"epoll_wait"}},
    {"close()", {"sys_close"}},
    {"other system calls", {"entry_SYSCALL_64"}},
    {"other user space", {""}},
};

#define NCATS (sizeof(cats) / sizeof(cats[0]))

static bool in_frames(char frames[][128], int nf, const char *pat, size_t len)
{
	char want[128];
	int f;

	if (len >= sizeof(want))
		len = sizeof(want) - 1;
	memcpy(want, pat, len);
	want[len] = '\0';
	for (f = 0; f < nf; f++)
		if (strstr(frames[f], want))
			return true;
	return false;
}

/* "a&b": both a and b occur in some frame */
static bool matches(char frames[][128], int nf, const char *pat)
{
	const char *amp;

	while ((amp = strchr(pat, '&'))) {
		if (!in_frames(frames, nf, pat, (size_t)(amp - pat)))
			return false;
		pat = amp + 1;
	}
	return in_frames(frames, nf, pat, strlen(pat));
}

static void classify(char frames[][128], int nf, int col)
{
	size_t c;
	int k;

	if (nf == 0)
		return;
	for (c = 0; c < NCATS; c++)
		for (k = 0; k < 12 && cats[c].pat[k]; k++)
			if (matches(frames, nf, cats[c].pat[k])) {
				cats[c].n[col]++;
				return;
			}
}

static unsigned long read_profile(FILE *in, int col)
{
	static char frames[256][128];
	char line[1024];
	unsigned long total = 0;
	int nf = 0;

	while (fgets(line, sizeof(line), in)) {
		char *p = line, *sym, *end;

		line[strcspn(line, "\n")] = '\0';
		if (!*line || (*p != ' ' && *p != '\t')) {
			/* blank line or the next sample's header */
			if (nf) {
				classify(frames, nf, col);
				total++;
			}
			nf = 0;
			continue;
		}
		/* "\t  ffffffff81000000 symbol+0x12 (dso)" */
		while (*p == ' ' || *p == '\t')
			p++;
		sym = strchr(p, ' ');
		if (!sym || nf == 256)
			continue;
		sym++;
		end = strstr(sym, " (");
		if (end)
			*end = '\0';
		scopy(frames[nf++], sizeof(frames[0]), sym);
	}
	if (nf) {
		classify(frames, nf, col);
		total++;
	}
	return total;
}

/*
 * profile LABEL:NS:FILE...: one column per profile (`perf script` text
 * in FILE; NS: the daemon's CPU per decision in that run), each category
 * as % of the samples and as ns per decision (% x NS).
 */
static int cmd_profile(int argc, char **argv)
{
	char labels[MAXPROF][64];
	double ns[MAXPROF];
	unsigned long total[MAXPROF];
	int np = 0, i;
	size_t c;

	for (i = 0; i < argc && np < MAXPROF; i++) {
		char *a = argv[i], *c1 = strchr(a, ':'), *c2;
		FILE *f;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			die("bad profile argument %s", a);
		*c1 = *c2 = '\0';
		scopy(labels[np], sizeof(labels[np]), a);
		ns[np] = atof(c1 + 1);
		f = fopen(c2 + 1, "r");
		if (!f)
			die("cannot open %s", c2 + 1);
		total[np] = read_profile(f, np);
		fclose(f);
		np++;
	}
	printf("  %-58s", "share of secpold's CPU: %, and ns per call");
	for (i = 0; i < np; i++)
		printf(" %17s", labels[i]);
	printf("\n  %-58s", "secpold CPU per supervised call (ns)");
	for (i = 0; i < np; i++)
		printf(" %17.0f", ns[i]);
	printf("\n  %-58s", "samples");
	for (i = 0; i < np; i++)
		printf(" %17lu", total[i]);
	printf("\n");
	for (c = 0; c < NCATS; c++) {
		bool any = false;

		for (i = 0; i < np; i++)
			if (cats[c].n[i])
				any = true;
		if (!any)
			continue;
		printf("  %-58s", cats[c].name);
		for (i = 0; i < np; i++) {
			double sh =
			    total[i] ? (double)cats[c].n[i] / (double)total[i]
				     : 0;

			if (cats[c].n[i])
				printf("    %5.1f%% %6.0f", 100 * sh,
				       sh * ns[i]);
			else
				printf(" %17s", "-");
		}
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: spbench run|serve|cpu|report|profile ...");
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "floor"))
		return cmd_floor(argc - 2, argv + 2);
	if (!strcmp(argv[1], "serve"))
		return cmd_serve(argc - 2, argv + 2);
	if (!strcmp(argv[1], "storm"))
		return cmd_storm(argc - 2, argv + 2);
	if (!strcmp(argv[1], "cpu"))
		return cmd_cpu(argc - 2, argv + 2);
	if (!strcmp(argv[1], "holdstats"))
		return cmd_holdstats();
	if (!strcmp(argv[1], "progstat"))
		return cmd_progstat(argc - 2, argv + 2);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 2, argv + 2);
	if (!strcmp(argv[1], "profile"))
		return cmd_profile(argc - 2, argv + 2);
	die("unknown command %s", argv[1]);
}
