// SPDX-License-Identifier: BSD-2-Clause
/*
 * ctltest: talks to secpold's control socket ($SECPOL_RUNDIR/control)
 * directly, below the tools, for the integration tests.  Prints one line
 * and exits 0 on success, 1 when the daemon refused or failed, 2 on bad
 * usage.
 *
 *   ctltest hello             print the daemon's status:
 *                             "pid=P policy=0xID flags=F ntyped=N
 *                              listeners=L subscribers=S"
 *   ctltest push FILE         push FILE as it is (no validation here, so
 *                             the daemon's own checks are what is tested);
 *                             prints "ok" or "refused status=-E: MESSAGE"
 *   ctltest garbage           send malformed requests on several
 *                             connections (short packet, bad magic, bad
 *                             version, wrong length, unknown request,
 *                             truncated payloads, a push without a
 *                             descriptor); prints what each got back, then
 *                             "alive" if a fresh connection still answers
 *   ctltest orphan-push FILE  connect, fork, let the parent exit, then
 *                             push FILE from the child on the parent's
 *                             connection (must be refused: the peer the
 *                             daemon knows is gone)
 *   ctltest leaderless-push FILE
 *                             push FILE from a second thread after the
 *                             main thread has exited (the process must
 *                             keep its type: refused under a type)
 *   ctltest flood N           open N connections at once and say hello
 *                             on each; prints "answered=K" (the daemon
 *                             limits how many one process holds)
 *   ctltest stall FILE        subscribe to everything (all kinds,
 *                             successes, repeats, noaudit), create FILE,
 *                             then never read; runs until killed
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl/client.h"
#include "event/event.h"

static struct ctl_msg msg;

static int connect_or_die(void)
{
	int s = ctl_connect();

	if (s < 0) {
		printf("cannot connect: %s\n", strerror(-s));
		exit(1);
	}
	return s;
}

static int hello(void)
{
	struct ctl_status st;
	char err[512];
	int s = connect_or_die(), r;

	r = ctl_call(s, CTL_HELLO, NULL, 0, -1, &msg, err, sizeof(err));
	if (r < 0 || msg.hdr.len != sizeof(st)) {
		printf("refused status=%d: %s\n", r, err);
		return 1;
	}
	memcpy(&st, msg.payload, sizeof(st));
	printf("pid=%u policy=0x%08x flags=%u ntyped=%u listeners=%u subscribers=%u\n",
	       st.pid, st.policy_id, st.flags, st.ntyped, st.nlisteners,
	       st.nsubscribers);
	return 0;
}

static int push(const char *file)
{
	char err[1024];
	int fd = open(file, O_RDONLY | O_CLOEXEC), s, r;

	if (fd < 0) {
		printf("cannot open %s: %s\n", file, strerror(errno));
		return 2;
	}
	s = connect_or_die();
	r = ctl_call(s, CTL_PUSH, NULL, 0, fd, &msg, err, sizeof(err));
	if (r < 0) {
		printf("refused status=%d: %s\n", r, err);
		return 1;
	}
	puts("ok");
	return 0;
}

static int orphan_push(const char *file)
{
	char err[1024];
	int fd = open(file, O_RDONLY | O_CLOEXEC), s, r, p[2];
	pid_t pid, parent;

	if (fd < 0 || pipe(p) < 0) {
		printf("cannot open %s: %s\n", file, strerror(errno));
		return 2;
	}
	s = connect_or_die();
	parent = getpid();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid > 0)
		_exit(0); /* the process the daemon knows is gone */
	/* wait until the parent has exited (we are reparented then) */
	while (getppid() == parent)
		usleep(10000);
	r = ctl_call(s, CTL_PUSH, NULL, 0, fd, &msg, err, sizeof(err));
	if (r < 0) {
		printf("refused status=%d: %s\n", r, err);
		return 1;
	}
	puts("ok");
	return 0;
}

static const char *leaderless_file;

static void *leaderless_thread(void *arg)
{
	pthread_t leader = *(pthread_t *)arg;

	pthread_join(leader, NULL);
	exit(push(leaderless_file));
}

static int leaderless_push(const char *file)
{
	static pthread_t leader, th;

	leaderless_file = file;
	leader = pthread_self();
	if (pthread_create(&th, NULL, leaderless_thread, &leader) != 0)
		return 2;
	pthread_exit(NULL);
}

/* Sends raw bytes as one packet and prints the answer (or the end). */
static void raw(const char *what, const void *buf, size_t len)
{
	int s = connect_or_die(), r;
	ssize_t n;

	n = send(s, buf, len, MSG_NOSIGNAL);
	if (n < 0) {
		printf("%s: send: %s\n", what, strerror(errno));
		close(s);
		return;
	}
	r = ctl_recv(s, &msg);
	if (r < 0)
		printf("%s: no answer (%s)\n", what, strerror(-r));
	else
		printf("%s: status=%d %.*s\n", what, msg.hdr.status,
		       msg.hdr.status < 0 ? (int)strnlen(msg.payload, msg.hdr.len) : 0,
		       msg.payload);
	if (msg.fd >= 0)
		close(msg.fd);
	close(s);
}

static int garbage(void)
{
	struct {
		struct ctl_hdr h;
		char payload[64];
	} p;
	const struct ctl_hdr good = {.magic = CTL_MAGIC, .version = CTL_VERSION,
				     .type = CTL_HELLO};

	raw("short", "xy", 2);
	p.h = good;
	p.h.magic = 0xdeadbeef;
	raw("magic", &p, sizeof(p.h));
	p.h = good;
	p.h.version = 99;
	raw("version", &p, sizeof(p.h));
	p.h = good;
	p.h.len = 1000;
	raw("length", &p, sizeof(p.h) + 8);
	p.h = good;
	p.h.type = 999;
	raw("unknown", &p, sizeof(p.h));
	p.h = good;
	p.h.type = CTL_ASSIGN;
	p.h.len = 3;
	memset(p.payload, 0xff, sizeof(p.payload));
	raw("assign-short", &p, sizeof(p.h) + 3);
	p.h.type = CTL_ASSIGN;
	p.h.len = 16; /* a struct ctl_assign whose name_len says 0xffff */
	raw("assign-name", &p, sizeof(p.h) + 16);
	p.h.type = CTL_REGISTER;
	p.h.len = 5;
	raw("register-short", &p, sizeof(p.h) + 5);
	p.h.type = CTL_SUBSCRIBE;
	p.h.len = 24; /* nnames 0xffff */
	raw("subscribe-names", &p, sizeof(p.h) + 24);
	p.h = good;
	p.h.type = CTL_PUSH;
	raw("push-nofd", &p, sizeof(p.h));
	/* a fresh connection must still be served */
	{
		char err[256];
		int s = connect_or_die();

		if (ctl_call(s, CTL_HELLO, NULL, 0, -1, &msg, err, sizeof(err)) < 0) {
			puts("dead");
			return 1;
		}
	}
	puts("alive");
	return 0;
}

static int flood(long n)
{
	char err[256];
	long i, answered = 0;

	for (i = 0; i < n; i++) {
		int s = ctl_connect(); /* kept open until exit */

		if (s >= 0 &&
		    ctl_call(s, CTL_HELLO, NULL, 0, -1, &msg, err, sizeof(err)) == 0)
			answered++;
	}
	printf("answered=%ld\n", answered);
	return 0;
}

static int stall(const char *file)
{
	struct ctl_subscribe sub = {
		.kinds = 1u << EV_ABILITY | 1u << EV_ATTACH | 1u << EV_LINK,
		.flags = CTL_SUB_SUCCESS | CTL_SUB_REPEATS | CTL_SUB_NOAUDIT |
			 CTL_SUB_UNNAMED,
	};
	char err[512];
	int s = connect_or_die(), r, fd;

	r = ctl_call(s, CTL_SUBSCRIBE, &sub, sizeof(sub), -1, &msg, err,
		     sizeof(err));
	if (r < 0) {
		printf("refused status=%d: %s\n", r, err);
		return 1;
	}
	if (msg.fd >= 0)
		close(msg.fd);
	fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 2 && !strcmp(op, "hello"))
		return hello();
	if (argc == 3 && !strcmp(op, "push"))
		return push(argv[2]);
	if (argc == 2 && !strcmp(op, "garbage"))
		return garbage();
	if (argc == 3 && !strcmp(op, "stall"))
		return stall(argv[2]);
	if (argc == 3 && !strcmp(op, "orphan-push"))
		return orphan_push(argv[2]);
	if (argc == 3 && !strcmp(op, "flood"))
		return flood(strtol(argv[2], NULL, 10));
	if (argc == 3 && !strcmp(op, "leaderless-push"))
		return leaderless_push(argv[2]);
	fprintf(stderr, "usage: ctltest hello | push FILE | garbage | stall FILE\n");
	return 2;
}
