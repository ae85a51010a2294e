// SPDX-License-Identifier: BSD-2-Clause
/*
 * fs-client: plays touch(1) against devf-server in the secpolmonitor
 * walkthrough (`make demo`, secpolmonitor(1)).
 *
 *   fs-client PATH...
 *
 * For each PATH it finds the channel that serves it, the longest prefix
 * of PATH that is a socket (ROOT/fsFp0 for ROOT/fsFp0/file), connects to
 * it and asks for the rest of the path: "TOUCH file\n", answered "OK\n" or
 * "ERR message\n".  The connect is what the policy decides: to a channel
 * of another type it needs channel_connect for that type.
 *
 * Errors read like touch's, "PATH: message"; the status is 1 if any PATH
 * failed, as touch's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * Splits path into the channel (a socket) and the name below it.  Returns
 * 0 with chan filled and *name pointing into path, or -errno (ENOENT when
 * no prefix is a socket).
 */
static int find_channel(const char *path, char *chan, size_t len,
			const char **name)
{
	struct stat st;
	char *slash;

	if (strlen(path) >= len)
		return -ENAMETOOLONG;
	strcpy(chan, path);
	for (;;) {
		if (stat(chan, &st) == 0 && S_ISSOCK(st.st_mode)) {
			*name = path + strlen(chan);
			while (**name == '/')
				(*name)++;
			return 0;
		}
		slash = strrchr(chan, '/');
		if (!slash || slash == chan)
			return -ENOENT;
		*slash = '\0';
	}
}

/* One request; 0, or -errno with *msg set to the server's message. */
static int request(const char *chan, const char *name, char *msg,
		   size_t msglen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 5};
	char buf[PATH_MAX + 16];
	size_t len = 0;
	ssize_t n;
	int s, r = 0;

	msg[0] = '\0';
	if (strlen(chan) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, chan);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	/* a server that never answers must not hang the client */
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		r = -errno;
		goto out;
	}
	n = snprintf(buf, sizeof(buf), "TOUCH %s\n", name);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		r = -ENAMETOOLONG;
		goto out;
	}
	if (write(s, buf, (size_t)n) != n) {
		r = -errno;
		goto out;
	}
	while (len < sizeof(buf) - 1 && !memchr(buf, '\n', len)) {
		n = read(s, buf + len, sizeof(buf) - 1 - len);
		if (n < 0) {
			r = errno == EAGAIN ? -ETIMEDOUT : -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, "OK") != 0) {
		r = -EPROTO;
		/* the server's words, cut to fit */
		snprintf(msg, msglen, "%.*s", (int)(msglen - 1),
			 strncmp(buf, "ERR ", 4) ? "no answer from the server" :
						   buf + 4);
	}
out:
	close(s);
	return r;
}

int main(int argc, char **argv)
{
	char chan[PATH_MAX], msg[256];
	const char *name;
	int i, r, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: fs-client PATH...\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		msg[0] = '\0';
		r = find_channel(argv[i], chan, sizeof(chan), &name);
		if (r == 0)
			r = request(chan, name, msg, sizeof(msg));
		if (r < 0) {
			fprintf(stderr, "%s: %s\n", argv[i],
				msg[0] && r == -EPROTO ? msg : strerror(-r));
			status = 1;
		}
	}
	return status;
}
