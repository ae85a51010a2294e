// SPDX-License-Identifier: BSD-2-Clause
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

const char *ctl_rundir(void)
{
	const char *d = getenv("SECPOL_RUNDIR");

	return d && *d ? d : CTL_DEFAULT_RUNDIR;
}

const char *ctl_default_policy(void)
{
	const char *p = getenv("SECPOL_POLICY");

	return p && *p ? p : CTL_DEFAULT_POLICY;
}

int ctl_path(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", ctl_rundir(), name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

const char *ctl_no_daemon_hint(void)
{
	static char buf[512];

	snprintf(buf, sizeof(buf),
		 "no secpold is running for %s (start one with 'secpold' or push a policy with 'secpol -p'; SECPOL_RUNDIR selects the instance)",
		 ctl_rundir());
	return buf;
}

int ctl_connect(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int s, r;

	r = ctl_path(sa.sun_path, sizeof(sa.sun_path), CTL_SOCKET_NAME);
	if (r < 0)
		return r;
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(s);
		return r;
	}
	return s;
}

int ctl_call(int sock, uint16_t type, const void *payload, size_t len,
	     int fd, struct ctl_msg *reply, char *err, size_t errlen)
{
	static uint32_t seq;
	int r;

	if (err && errlen)
		err[0] = '\0';
	reply->fd = -1; /* (an error before the reply leaves none) */
	r = ctl_send(sock, type, 0, ++seq, payload, len, fd);
	if (r < 0)
		return r;
	do {
		r = ctl_recv(sock, reply);
		if (r == -EINTR)
			continue;
		if (r < 0)
			return r;
		/* events may already flow on a subscribed connection */
		if (reply->hdr.type != (type | CTL_REPLY) && reply->fd >= 0) {
			close(reply->fd);
			reply->fd = -1;
		}
	} while (reply->hdr.type != (type | CTL_REPLY));
	if (reply->hdr.seq != seq)
		return -EPROTO;
	if (reply->hdr.status < 0 && err && errlen && reply->hdr.len) {
		size_t n = strnlen(reply->payload, reply->hdr.len);

		if (n >= errlen)
			n = errlen - 1;
		memcpy(err, reply->payload, n);
		err[n] = '\0';
	}
	return reply->hdr.status;
}
