// SPDX-License-Identifier: BSD-2-Clause
/*
 * decomp: what each step of a secpold decision costs on its own.
 *
 *   decomp DIR [N]
 *
 * Runs the daemon's own library functions (libsecpol.a: the code secpold
 * runs) N times each against a live target: a child process that, like a
 * process under `on -T`, is root without capabilities, has its cwd in DIR
 * (on tmpfs) and holds an AF_UNIX socket.  Its memory is the parent's
 * (fork), so the addresses of the strings below are valid in it.  Prints
 * the median and p90 of each step in ns, next to a few alternatives that
 * secpold does not use (marked "alt:") so that their saving can be read
 * off directly.  Only numbers, no verdicts.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf/secpol_bpf.h"
#include "daemon/pathres.h"
#include "daemon/procinfo.h"
#include "daemon/procmem.h"
#include "daemon/proxy.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

/* Linux 6.13 uapi (Debian 12's headers predate it) */
struct bench_pidfd_info {
	__u64 mask;
	__u64 cgroupid;
	__u32 pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	__u32 spare0[1];
};
#define BENCH_PIDFD_GET_INFO _IOWR(0xFF, 11, struct bench_pidfd_info)
#define BENCH_PIDFD_INFO_CREDS (1UL << 1)

static char dir[PATH_MAX];
static char srv_path[PATH_MAX];	 /* an untyped listener (connect target) */
static char link_path[PATH_MAX]; /* symlink target path, absolute */
static char link_target[] = "target";
static struct sockaddr_un srv_sun;
static pid_t tgt;
static int tgt_sock; /* same number in the target (fork) */
static struct proc_creds tgt_creds;
static int map_types = -1, map_tickets = -1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* dst = a + b; false if it does not fit */
static bool join(char *dst, size_t size, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb + 1 > size)
		return false;
	memcpy(dst, a, la);
	memcpy(dst + la, b, lb + 1);
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A step returns the ns of its timed part, or 0 if it failed. */
typedef uint64_t (*step_fn)(void);

static long reps = 2000;
static unsigned long failures;

static void measure(const char *name, step_fn fn)
{
	uint64_t *v = calloc((size_t)reps, sizeof(*v));
	long i, n = 0, bad = 0;

	if (!v)
		exit(2);
	for (i = 0; i < reps / 10; i++) /* warm-up */
		fn();
	for (i = 0; i < reps; i++) {
		uint64_t t = fn();

		if (t)
			v[n++] = t;
		else
			bad++;
	}
	if (n) {
		qsort(v, (size_t)n, sizeof(*v), cmp_u64);
		printf("  %-66s %7llu %7llu", name,
		       (unsigned long long)v[n / 2],
		       (unsigned long long)v[n * 9 / 10]);
	} else {
		printf("  %-66s %7s %7s", name, "-", "-");
	}
	if (bad) {
		printf("  (%ld of %ld failed)", bad, reps);
		failures++;
	}
	printf("\n");
	free(v);
}

/* ---- the steps ------------------------------------------------------ */

static uint64_t st_map_lookup(void)
{
	struct spb_task t;
	__u32 k = (__u32)tgt;
	uint64_t t0 = now_ns();
	int r = bpf_map_lookup_elem(map_types, &k, &t);

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_ticket(void)
{
	struct spb_ticket tk = {.len = sizeof(srv_sun), .uses = 1};
	__u32 k = (__u32)tgt;
	uint64_t t0 = now_ns();
	int r = bpf_map_update_elem(map_tickets, &k, &tk, BPF_ANY);

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_task_ids(void)
{
	pid_t tgid, ppid;
	uint64_t start, t0 = now_ns();
	int r = procfs_task_ids(tgt, &tgid, &ppid, &start);

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_creds(void)
{
	struct proc_creds c;
	uint64_t t0 = now_ns();
	int r = procfs_creds(tgt, &c);

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_pidfd_info(void)
{
	struct bench_pidfd_info pi = {.mask = BENCH_PIDFD_INFO_CREDS};
	uint64_t t0 = now_ns(), t;
	int fd = (int)syscall(SYS_pidfd_open, tgt, PIDFD_THREAD), r;

	if (fd < 0)
		return 0;
	r = ioctl(fd, BENCH_PIDFD_GET_INFO, &pi);
	close(fd);
	t = now_ns() - t0;
	return r == 0 ? t : 0;
}

static uint64_t st_pidfd_info_open(void)
{
	static int fd = -1;
	struct bench_pidfd_info pi = {.mask = BENCH_PIDFD_INFO_CREDS};
	uint64_t t0;
	int r;

	if (fd < 0)
		fd = (int)syscall(SYS_pidfd_open, tgt, PIDFD_THREAD);
	if (fd < 0)
		return 0;
	t0 = now_ns();
	r = ioctl(fd, BENCH_PIDFD_GET_INFO, &pi);
	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_pidfd_status(void)
{
	/* the status file read through an open pidfd does not exist: the
	 * comparison is opening /proc/TID/status once and re-reading it */
	static int fd = -1;
	char buf[8192];
	uint64_t t0;
	ssize_t n;

	if (fd < 0) {
		char p[64];

		snprintf(p, sizeof(p), "/proc/%d/status", tgt);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
	}
	t0 = now_ns();
	n = pread(fd, buf, sizeof(buf), 0);
	return n > 0 ? now_ns() - t0 : 0;
}

static uint64_t st_take_fd(void)
{
	uint64_t t0 = now_ns(), t;
	int pfd = (int)syscall(SYS_pidfd_open, tgt, PIDFD_THREAD), fd;

	if (pfd < 0)
		return 0;
	fd = (int)syscall(SYS_pidfd_getfd, pfd, tgt_sock, 0);
	if (fd >= 0)
		close(fd);
	close(pfd);
	t = now_ns() - t0;
	return fd >= 0 ? t : 0;
}

static uint64_t st_getsockopt(void)
{
	int v, s = tgt_sock;
	socklen_t len = sizeof(v);
	uint64_t t0 = now_ns();
	int r = getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len);

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_read_addr(void)
{
	struct sockaddr_un sun;
	uint64_t t0 = now_ns();
	int r =
	    procmem_read(tgt, (uint64_t)(uintptr_t)&srv_sun, &sun, sizeof(sun));

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_read_strs(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	uint64_t t0 = now_ns();
	ssize_t r1 = procmem_read_str(tgt, (uint64_t)(uintptr_t)link_target, a,
				      sizeof(a));
	ssize_t r2 =
	    procmem_read_str(tgt, (uint64_t)(uintptr_t)link_path, b, sizeof(b));

	return r1 >= 0 && r2 >= 0 ? now_ns() - t0 : 0;
}

static uint64_t st_pathres_full(void)
{
	char canon[PATH_MAX];
	int fd = -1;
	uint64_t t0 = now_ns(), t;
	int r = pathres_full(tgt, PATHRES_AT_FDCWD, srv_path, &fd, canon,
			     sizeof(canon));

	t = now_ns() - t0;
	if (fd >= 0)
		close(fd);
	return r == 0 ? t : 0;
}

static struct pathres pr;

static uint64_t st_pathres_parent(void)
{
	uint64_t t0 = now_ns(), t;
	int r = pathres_parent(tgt, PATHRES_AT_FDCWD, link_path, &pr);

	t = now_ns() - t0;
	if (r == 0)
		close(pr.dirfd);
	return r == 0 ? t : 0;
}

static uint64_t st_proxy_pathres_parent(void)
{
	uint64_t t0 = now_ns(), t;
	int r = proxy_pathres_parent(&tgt_creds, tgt, PATHRES_AT_FDCWD,
				     link_path, &pr);

	t = now_ns() - t0;
	if (r == 0)
		close(pr.dirfd);
	return r == 0 ? t : 0;
}

static int dirfd_w = -1;

static uint64_t st_symlink_plain(void)
{
	uint64_t t0 = now_ns(), t;
	int r = symlinkat(link_target, dirfd_w, "l");

	t = now_ns() - t0;
	unlinkat(dirfd_w, "l", 0);
	return r == 0 ? t : 0;
}

static uint64_t st_symlink_proxy(void)
{
	uint64_t t0 = now_ns(), t;
	int r = proxy_symlink(&tgt_creds, link_target, dirfd_w, "l");

	t = now_ns() - t0;
	unlinkat(dirfd_w, "l", 0);
	return r == 0 ? t : 0;
}

static uint64_t st_bind_plain(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;
	uint64_t t0, t;

	if (!join(sun.sun_path, sizeof(sun.sun_path), dir, "/b.sock"))
		return 0;
	t0 = now_ns();
	r = bind(s, (struct sockaddr *)&sun, sizeof(sun));
	t = now_ns() - t0;
	unlinkat(dirfd_w, "b.sock", 0);
	close(s);
	return r == 0 ? t : 0;
}

static uint64_t st_bind_proxy(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;
	uint64_t t0, t;

	t0 = now_ns();
	r = proxy_bind_unix(&tgt_creds, s, dirfd_w, "b.sock");
	t = now_ns() - t0;
	unlinkat(dirfd_w, "b.sock", 0);
	close(s);
	return r == 0 ? t : 0;
}

static uint64_t st_fstatat(void)
{
	struct stat st;
	uint64_t t0 = now_ns();
	int r = fstatat(dirfd_w, "srv.sock", &st, AT_SYMLINK_NOFOLLOW);

	return r == 0 ? now_ns() - t0 : 0;
}

static uint64_t st_name_miss(void)
{
	struct procinfo *pi = procinfo_new();
	char name[256];
	pid_t tgid, ppid;
	uint64_t start, t0, t;
	size_t n;

	if (!pi || procfs_task_ids(tgt, &tgid, &ppid, &start) < 0)
		return 0;
	t0 = now_ns();
	n = procinfo_name(pi, tgt, start, NULL, name, sizeof(name));
	t = now_ns() - t0;
	procinfo_free(pi);
	return n ? t : 0;
}

static uint64_t st_clock(void)
{
	struct timespec a, b;
	uint64_t t0 = now_ns();

	clock_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_BOOTTIME, &b);
	return now_ns() - t0 + 1;
}

/* ---- the target ----------------------------------------------------- */

static int drop_caps(void)
{
	struct __user_cap_header_struct h = {.version =
						 _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2] = {{0}};

	return (int)syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	int sp[2], lsock;
	char c;
	__u32 k;
	struct spb_task tv = {.type = 1};

	if (argc < 2) {
		fprintf(stderr, "usage: decomp DIR [N]\n");
		return 2;
	}
	if (argc > 2)
		reps = atol(argv[2]) > 0 ? atol(argv[2]) : reps;
	if (!realpath(argv[1], dir)) {
		perror(argv[1]);
		return 2;
	}
	srv_sun.sun_family = AF_UNIX;
	if (!join(srv_path, sizeof(srv_path), dir, "/srv.sock") ||
	    !join(link_path, sizeof(link_path), dir, "/l") ||
	    !join(srv_sun.sun_path, sizeof(srv_sun.sun_path), srv_path, "")) {
		fprintf(stderr, "decomp: %s: path too long\n", dir);
		return 2;
	}
	/* a listener to resolve (connect's path) */
	unlink(srv_path);
	lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lsock < 0 ||
	    bind(lsock, (struct sockaddr *)&srv_sun, sizeof(srv_sun)) < 0 ||
	    listen(lsock, 16) < 0) {
		perror("listener");
		return 2;
	}
	tgt_sock = socket(AF_UNIX, SOCK_STREAM, 0);
	if (tgt_sock < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0) {
		perror("socket");
		return 2;
	}
	tgt = fork();
	if (tgt == 0) {
		/* like a process under on -T: root, no capabilities, cwd in
		 * the work directory; then wait to be killed */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (chdir(dir) < 0 || drop_caps() < 0)
			_exit(1);
		if (write(sp[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (tgt < 0 || read(sp[0], &c, 1) != 1) {
		fprintf(stderr, "decomp: the target did not start\n");
		return 2;
	}
	if (proxy_init() < 0 || procfs_creds(tgt, &tgt_creds) < 0) {
		fprintf(stderr, "decomp: cannot set up the proxy\n");
		kill(tgt, SIGKILL);
		return 2;
	}
	dirfd_w = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	map_types = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_types", 4,
				   sizeof(struct spb_task), 1024, NULL);
	map_tickets = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_tickets", 4,
				     sizeof(struct spb_ticket), 1024, NULL);
	k = (__u32)tgt;
	if (map_types >= 0)
		bpf_map_update_elem(map_types, &k, &tv, BPF_ANY);

	printf("  %-66s %7s %7s\n", "step (as secpold runs it)", "med ns",
	       "p90 ns");
	measure("every call: BPF types map lookup (collector_get_type)",
		st_map_lookup);
	measure("every call: /proc/TID/status (procfs_creds)", st_creds);
	measure("  alt: pidfd_open + PIDFD_GET_INFO (ids only) + close",
		st_pidfd_info);
	measure("  alt: PIDFD_GET_INFO on an already open pidfd",
		st_pidfd_info_open);
	measure("  alt: pread of an already open /proc/TID/status",
		st_pidfd_status);
	measure("fallback/ctl: /proc/TID/stat + status (procfs_task_ids)",
		st_task_ids);
	measure("bind/connect: pidfd_open + pidfd_getfd + 2 close (take_fd)",
		st_take_fd);
	measure("bind/connect: getsockopt SO_DOMAIN", st_getsockopt);
	measure("bind/connect: read the sockaddr (procmem_read, 110 B)",
		st_read_addr);
	measure("symlink: read target + link path (2 procmem_read_str)",
		st_read_strs);
	measure("connect: resolve the path (pathres_full)", st_pathres_full);
	measure("connect: store the ticket (BPF map update)", st_ticket);
	measure(
	    "bind/symlink: resolve parent as process (proxy_pathres_parent)",
	    st_proxy_pathres_parent);
	measure("  same without the credential switch (pathres_parent)",
		st_pathres_parent);
	measure("symlink: the operation as the process (proxy_symlink)",
		st_symlink_proxy);
	measure("  same, plain symlinkat by the daemon", st_symlink_plain);
	measure("bind: the operation as the process (proxy_bind_unix)",
		st_bind_proxy);
	measure("  same, plain bind by the daemon", st_bind_plain);
	measure("bind: channel table key (fstatat)", st_fstatat);
	measure("events: name a process not yet known (procinfo_name miss)",
		st_name_miss);
	measure("events: two clock_gettime (time stamps)", st_clock);

	kill(tgt, SIGKILL);
	waitpid(tgt, NULL, 0);
	unlink(srv_path);
	return 0;
}
