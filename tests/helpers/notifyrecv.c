// SPDX-License-Identifier: BSD-2-Clause
/*
 * notifyrecv: plays the service manager's end of sd_notify(3) for the
 * tests of secpold's systemd unit (tests/pkg).
 *
 *   notifyrecv SOCKET OUT [SECONDS]
 *
 * Binds a datagram socket at the path SOCKET (what systemd passes in
 * $NOTIFY_SOCKET), creates OUT once it listens, and appends every message
 * to OUT as "pid=SENDER" (from the kernel's credentials), the message's
 * lines, and a line ".".  Exits on SIGTERM or SIGINT, or after SECONDS
 * (default 300) so that a failed test leaves nothing behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/strnum.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct sigaction act = {.sa_handler = on_signal};
	uint64_t seconds = 300;
	int s, out, one = 1;

	if (argc < 3 || argc > 4 ||
	    (argc == 4 && strnum_u64(argv[3], 10, 1, 86400, &seconds) < 0) ||
	    strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: notifyrecv SOCKET OUT [SECONDS]\n");
		return 2;
	}
	/* no SA_RESTART: a signal ends the blocking receive */
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGALRM, &act, NULL);
	alarm((unsigned)seconds);
	memcpy(sa.sun_path, argv[1], strlen(argv[1]) + 1);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0) {
		fprintf(stderr, "notifyrecv: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (out < 0) {
		fprintf(stderr, "notifyrecv: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	while (!stop) {
		char buf[4096], ctl[CMSG_SPACE(sizeof(struct ucred))], head[32];
		struct iovec iov = {buf, sizeof(buf) - 1};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl,
				    .msg_controllen = sizeof(ctl)};
		struct cmsghdr *c;
		pid_t pid = 0;
		ssize_t n = recvmsg(s, &mh, MSG_CMSG_CLOEXEC);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "notifyrecv: recvmsg: %s\n", strerror(errno));
			return 1;
		}
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS) {
				struct ucred cr;

				memcpy(&cr, CMSG_DATA(c), sizeof(cr));
				pid = cr.pid;
			}
		snprintf(head, sizeof(head), "pid=%d\n", (int)pid);
		/* one write per message: a reader never sees half of one */
		{
			char rec[sizeof(buf) + sizeof(head) + 4];
			int len = snprintf(rec, sizeof(rec), "%s%.*s\n.\n", head,
					   (int)n, buf);

			if (write(out, rec, (size_t)len) != len)
				return 1;
		}
	}
	unlink(argv[1]);
	return 0;
}
