// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: reading another thread's memory, page by page, with the
 * /proc/PID/mem fallback and the exit cases.
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
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/procmem.h"

static size_t ps;

/* Two readable pages followed by an unmapped one. */
static char *area_new(void)
{
	char *p = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + 2 * ps, ps);
	memset(p, 'x', 2 * ps);
	return p;
}

static void area_free(char *p)
{
	munmap(p, 2 * ps);
}

/*
 * The checks every reading path must pass, run against pid (whose memory
 * at area is a copy of ours).  Returns 0 or the line that failed, so that
 * it can run in a child that has no cmocka.
 */
static int check_reads(pid_t pid, char *area)
{
	char buf[64], big[8192];
	char *end2 = area + 2 * ps; /* first unmapped byte */
	ssize_t n;

	/* A string that ends on the last byte before the hole. */
	memcpy(end2 - 6, "hello", 6);
	n = procmem_read_str(pid, (uintptr_t)(end2 - 6), buf, sizeof(buf));
	if (n != 5 || strcmp(buf, "hello") != 0)
		return __LINE__;
	/* One that runs into the hole. */
	memset(end2 - 6, 'y', 6);
	if (procmem_read_str(pid, (uintptr_t)(end2 - 6), buf, sizeof(buf)) !=
	    -EFAULT)
		return __LINE__;
	/* One that crosses from the first page into the second. */
	memset(area + ps - 100, 'a', 200);
	area[ps + 100] = '\0';
	n = procmem_read_str(pid, (uintptr_t)(area + ps - 100), big,
			     sizeof(big));
	if (n != 200 || big[0] != 'a' || big[199] != 'a')
		return __LINE__;
	/* Too long: no NUL within max - 1 bytes... */
	if (procmem_read_str(pid, (uintptr_t)(area + ps - 100), buf, 50) !=
	    -ENAMETOOLONG)
		return __LINE__;
	/* ...but exactly max - 1 characters fit. */
	if (procmem_read_str(pid, (uintptr_t)(area + ps - 100), big, 201) !=
	    200)
		return __LINE__;
	if (procmem_read_str(pid, (uintptr_t)(area + ps - 100), big, 200) !=
	    -ENAMETOOLONG)
		return __LINE__;
	/* Empty string at the very last byte. */
	end2[-1] = '\0';
	if (procmem_read_str(pid, (uintptr_t)(end2 - 1), buf, sizeof(buf)) != 0)
		return __LINE__;
	if (procmem_read_str(pid, 0, buf, sizeof(buf)) != -EFAULT)
		return __LINE__;
	if (procmem_read_str(pid, (uintptr_t)end2, buf, sizeof(buf)) != -EFAULT)
		return __LINE__;
	if (procmem_read_str(pid, 0xffff800000000000ull, buf, sizeof(buf)) !=
	    -EFAULT)
		return __LINE__;
	if (procmem_read_str(pid, (uintptr_t)area, buf, 0) != -EINVAL)
		return __LINE__;

	/* Fixed-size reads: all or -EFAULT. */
	memcpy(area + ps - 4, "abcdefgh", 8);
	if (procmem_read(pid, (uintptr_t)(area + ps - 4), buf, 8) != 0 ||
	    memcmp(buf, "abcdefgh", 8) != 0)
		return __LINE__;
	if (procmem_read(pid, (uintptr_t)(end2 - 4), buf, 8) != -EFAULT)
		return __LINE__;
	if (procmem_read(pid, UINT64_MAX - 2, buf, 8) != -EFAULT)
		return __LINE__;
	if (procmem_read(pid, (uintptr_t)area, buf, 0) != 0)
		return __LINE__;
	return 0;
}

static void test_self(void **state)
{
	int fds = count_fds();
	char *area = area_new();

	(void)state;
	assert_non_null(area);
	assert_int_equal(check_reads(getpid(), area), 0);
	area_free(area);
	assert_int_equal(count_fds(), fds);
}

/* A stopped child: its memory is a copy of ours as of the fork. */
static pid_t child_pause(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void test_child_and_exit(void **state)
{
	int fds = count_fds();
	char *area = area_new();
	char buf[64];
	pid_t pid;
	int st;

	(void)state;
	assert_non_null(area);
	memcpy(area, "child string", 13);
	pid = child_pause();
	assert_true(pid > 0);
	/* The parent's copy changes; the child's does not. */
	memcpy(area, "parent", 7);
	assert_int_equal(
	    procmem_read_str(pid, (uintptr_t)area, buf, sizeof(buf)), 12);
	assert_string_equal(buf, "child string");

	kill(pid, SIGKILL);
	/* A zombie has no address space any more. */
	for (int i = 0; i < 1000; i++) {
		siginfo_t si = {0};

		waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);
		if (si.si_pid == pid)
			break;
		usleep(1000);
	}
	assert_int_equal(
	    procmem_read_str(pid, (uintptr_t)area, buf, sizeof(buf)), -ESRCH);
	assert_int_equal(procmem_read(pid, (uintptr_t)area, buf, 4), -ESRCH);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* Reaped: no such process. */
	assert_int_equal(
	    procmem_read_str(pid, (uintptr_t)area, buf, sizeof(buf)), -ESRCH);
	area_free(area);
	assert_int_equal(count_fds(), fds);
}

struct thr {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pid_t tid;
	int done;
	char text[32];
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;

	pthread_mutex_lock(&t->mu);
	t->tid = (pid_t)syscall(SYS_gettid);
	strcpy(t->text, "thread text");
	pthread_cond_broadcast(&t->cv);
	while (!t->done)
		pthread_cond_wait(&t->cv, &t->mu);
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* The seccomp notification names the thread: a tid must work. */
static void test_thread_id(void **state)
{
	struct thr t = {.mu = PTHREAD_MUTEX_INITIALIZER,
			.cv = PTHREAD_COND_INITIALIZER};
	int fds = count_fds();
	pthread_t th;
	char buf[32];

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, thr_main, &t), 0);
	pthread_mutex_lock(&t.mu);
	while (!t.tid)
		pthread_cond_wait(&t.cv, &t.mu);
	pthread_mutex_unlock(&t.mu);
	assert_true(t.tid != getpid());
	assert_int_equal(
	    procmem_read_str(t.tid, (uintptr_t)t.text, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "thread text");
	pthread_mutex_lock(&t.mu);
	t.done = 1;
	pthread_cond_broadcast(&t.cv);
	pthread_mutex_unlock(&t.mu);
	pthread_join(th, NULL);
	assert_int_equal(count_fds(), fds);
}

/*
 * process_vm_readv refused (as a seccomp filter on the daemon would):
 * the same checks through /proc/PID/mem, in a child so the filter does
 * not stay.
 */
static void test_fallback_proc_mem(void **state)
{
	int fds = count_fds();
	char *area = area_new();
	pid_t pid;
	int st;

	(void)state;
	assert_non_null(area);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		int cfds, line;

		if (!ctx ||
		    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
				     SCMP_SYS(process_vm_readv), 0) < 0 ||
		    seccomp_load(ctx) < 0)
			_exit(200);
		seccomp_release(ctx);
		{
			struct iovec l = {area, 1}, r = {area, 1};

			if (process_vm_readv(getpid(), &l, 1, &r, 1, 0) != -1 ||
			    errno != EPERM)
				_exit(201);
		}
		cfds = count_fds();
		line = check_reads(getpid(), area);
		if (line) {
			fprintf(stderr, "fallback check failed at line %d\n",
				line);
			_exit(1);
		}
		/* The fallback opens /proc/PID/mem per call: none kept. */
		_exit(count_fds() == cfds ? 0 : 202);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	area_free(area);
	assert_int_equal(count_fds(), fds);
}

/*
 * The page after a string's end is never touched: it is registered with
 * userfaultfd, so any access from the reader shows up as a fault event
 * (and would stall the reader until resolved).
 */
struct uffd_reader {
	char *addr;
	size_t len;
	int str;
	ssize_t ret;
};

static void *uffd_read_thread(void *arg)
{
	struct uffd_reader *r = arg;
	char buf[8192];

	if (r->str)
		r->ret =
		    procmem_read_str(getpid(), (uintptr_t)r->addr, buf, r->len);
	else
		r->ret =
		    procmem_read(getpid(), (uintptr_t)r->addr, buf, r->len);
	return NULL;
}

/* Runs the read on a thread; returns how many faults it caused (each
 * resolved with a zero page). */
static int faults_during(int uffd, struct uffd_reader *r)
{
	pthread_t th;
	int faults = 0;

	assert_int_equal(pthread_create(&th, NULL, uffd_read_thread, r), 0);
	for (;;) {
		struct pollfd pfd = {.fd = uffd, .events = POLLIN};
		struct uffd_msg msg;

		if (poll(&pfd, 1, 200) <= 0) {
			/* Quiet for 200 ms: is the reader done? */
			if (pthread_tryjoin_np(th, NULL) == 0)
				return faults;
			continue;
		}
		if (read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event == UFFD_EVENT_PAGEFAULT) {
			struct uffdio_zeropage zp = {
			    .range = {.start = msg.arg.pagefault.address &
					       ~(uint64_t)(ps - 1),
				      .len = ps},
			};

			faults++;
			ioctl(uffd, UFFDIO_ZEROPAGE, &zp);
		}
	}
}

static void test_never_reads_past_string_page(void **state)
{
	int fds = count_fds();
	struct uffdio_api api = {.api = UFFD_API};
	struct uffdio_register reg;
	struct uffd_reader r;
	char *p;
	int uffd;

	(void)state;
	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0) {
		skip();
		return;
	}
	assert_int_equal(ioctl(uffd, UFFDIO_API, &api), 0);
	p = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(p != MAP_FAILED);
	memset(p, 'z', ps);
	memcpy(p + ps - 4, "end", 4);
	reg = (struct uffdio_register){
	    .range = {.start = (uintptr_t)(p + ps), .len = ps},
	    .mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	assert_int_equal(ioctl(uffd, UFFDIO_REGISTER, &reg), 0);

	/* A string ending on the last byte of its page: no fault. */
	r = (struct uffd_reader){.addr = p + ps - 4, .len = 4096, .str = 1};
	assert_int_equal(faults_during(uffd, &r), 0);
	assert_int_equal(r.ret, 3);
	/* A long string in the first page, read from its start. */
	r = (struct uffd_reader){.addr = p, .len = 8192, .str = 1};
	assert_int_equal(faults_during(uffd, &r), 0);
	assert_int_equal(r.ret, (ssize_t)ps - 1);
	/* The harness does see a read that crosses (a zero page is then
	 * mapped there and the read succeeds). */
	r = (struct uffd_reader){.addr = p + ps - 4, .len = 8, .str = 0};
	assert_int_equal(faults_during(uffd, &r), 1);
	assert_int_equal(r.ret, 0);

	munmap(p, 2 * ps);
	close(uffd);
	assert_int_equal(count_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_self),
	    cmocka_unit_test(test_child_and_exit),
	    cmocka_unit_test(test_thread_id),
	    cmocka_unit_test(test_fallback_proc_mem),
	    cmocka_unit_test(test_never_reads_past_string_page),
	};

	ps = (size_t)sysconf(_SC_PAGESIZE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
