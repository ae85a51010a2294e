// SPDX-License-Identifier: BSD-2-Clause
/*
 * port-server: a daemon as many are written, for the learn-then-enforce
 * walkthrough (`make demo-generate`, examples/demo-generate.sh).
 *
 *   port-server PORT UID SOCKET
 *
 *  1. As root, it binds a TCP socket on 127.0.0.1:PORT (below 1024 that
 *     needs NET_BIND_SERVICE).
 *  2. It drops to UID (and the group of the same number) for good:
 *     setgroups, setresgid, setresuid (SETGID and SETUID, with values).
 *  3. As that user, it binds its control socket SOCKET (a unix channel)
 *     and listens on both.
 *  4. It prints "port-server: ready" and serves until SIGTERM, then
 *     removes SOCKET.
 *
 * Errors read "port-server: what: why" and exit with status 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/strnum.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int fail(const char *what)
{
	fprintf(stderr, "port-server: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_term};
	struct sockaddr_in in = {.sin_family = AF_INET};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	uint32_t port, uid;
	int tcp, ux, one = 1;

	if (argc != 4 || strnum_u32(argv[1], 65535, &port) < 0 ||
	    strnum_u32(argv[2], UINT32_MAX - 1, &uid) < 0 ||
	    strlen(argv[3]) >= sizeof(un.sun_path)) {
		fprintf(stderr, "usage: port-server PORT UID SOCKET\n");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	in.sin_port = htons((uint16_t)port);
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (tcp < 0)
		return fail("socket");
	setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(tcp, (struct sockaddr *)&in, sizeof(in)) < 0)
		return fail("bind port");
	/* root is needed no longer */
	if (setgroups(0, NULL) < 0)
		return fail("setgroups");
	if (setresgid(uid, uid, uid) < 0)
		return fail("setresgid");
	if (setresuid(uid, uid, uid) < 0)
		return fail("setresuid");
	strcpy(un.sun_path, argv[3]);
	unlink(argv[3]);
	ux = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ux < 0)
		return fail("socket");
	if (bind(ux, (struct sockaddr *)&un, sizeof(un)) < 0)
		return fail(argv[3]);
	if (listen(tcp, 16) < 0 || listen(ux, 16) < 0)
		return fail("listen");
	printf("port-server: ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	unlink(argv[3]);
	return 0;
}
