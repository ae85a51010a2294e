// SPDX-License-Identifier: BSD-2-Clause
/*
 * devf-server: plays QNX's devf-ram in the secpolmonitor walkthrough
 * (`make demo`, secpolmonitor(1)).
 *
 *   devf-server -r ROOT
 *
 * It does what the man page's devf-ram does that the policy cares about,
 * in the same order, so that secpolmonitor shows the same kinds of lines:
 *
 *  1. It uses the IO ability (CAP_SYS_RAWIO on Linux): ioperm(2) on one
 *     port, as a flash driver reaching its hardware would.
 *  2. It attaches its channels, an AF_UNIX stream socket each (bind, which
 *     needs pathspace and an allow_attach rule, then listen, which needs
 *     public_channel): the mounter first, then the raw device and its
 *     partition.  QNX attaches the mounter at "/"; a socket cannot be
 *     bound at a directory, so it goes to ROOT/mnt.
 *  3. It serves one trivial request on every channel until SIGTERM:
 *     "TOUCH name\n" puts name into an in-memory store and is answered
 *     "OK\n" (see fs-client.c).  Then it unlinks its sockets.
 *
 * Errors read like devf-ram's ("unable to attach mounter: ...") and exit
 * with status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/fs.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif

/* The channels, in the order devf-ram attaches them. */
static const struct {
	const char *what; /* for messages */
	const char *rel;  /* below ROOT */
} channels[] = {
	{"mounter", "mnt"},
	{"raw device", "dev/fsF"},
	{"partition", "fsFp0"},
	{"partition", "dev/fsFp0"},
};
#define NCHAN (sizeof(channels) / sizeof(channels[0]))

#define STORE_MAX 64
#define REQ_MAX 512

static char *store[STORE_MAX];
static size_t nstore;

/*
 * The IO ability.  ioperm(2) asks the kernel for CAP_SYS_RAWIO before it
 * grants port access.  Kernels built without I/O port permissions
 * (CONFIG_X86_IOPL_IOPERM off, or not x86) answer ENOSYS without checking
 * anything; FIBMAP, which maps a file block to a disk block, asks for the
 * same capability first, so it stands in there.
 */
static int use_io_ability(void)
{
	int fd, block = 0, r;

#if defined(__x86_64__) || defined(__i386__)
	/* port 0x80, the POST diagnostic port: permission only, no I/O */
	if (ioperm(0x80, 1, 1) == 0) {
		ioperm(0x80, 1, 0);
		return 0;
	}
	if (errno != ENOSYS)
		return -errno;
#endif
	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = ioctl(fd, FIBMAP, &block);
	r = r < 0 && errno == EPERM ? -EPERM : 0; /* the rest: file system */
	close(fd);
	return r;
}

static int channel_path(char *buf, size_t len, const char *root,
			const char *rel)
{
	int n = snprintf(buf, len, "%s/%s", root, rel);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Binds and listens: what attaching a channel is on Linux. */
static int attach(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int s, err;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -errno;
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(s, 16) < 0) {
		err = errno;
		close(s);
		return -err;
	}
	return s;
}

static const char *touch(const char *name)
{
	size_t i;

	/* the channel itself: nothing to create */
	if (!*name)
		return NULL;
	if (strlen(name) > NAME_MAX || strchr(name, '/'))
		return strerror(EINVAL);
	for (i = 0; i < nstore; i++)
		if (!strcmp(store[i], name))
			return NULL;
	if (nstore == STORE_MAX)
		return strerror(ENOSPC);
	store[nstore] = strdup(name);
	if (!store[nstore])
		return strerror(ENOMEM);
	nstore++;
	return NULL;
}

/* One connection, one request.  A client that sends nothing is dropped
 * after a second: the server must not hang on it. */
static void serve(int lsock)
{
	struct timeval tv = {.tv_sec = 1};
	char req[REQ_MAX + 1], reply[128];
	const char *err = NULL;
	size_t len = 0;
	ssize_t n;
	int c;

	c = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < REQ_MAX && !memchr(req, '\n', len)) {
		n = read(c, req + len, REQ_MAX - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	req[len] = '\0';
	if (!memchr(req, '\n', len)) {
		close(c);
		return;
	}
	*strchr(req, '\n') = '\0';
	if (!strncmp(req, "TOUCH ", 6))
		err = touch(req + 6);
	else
		err = strerror(EOPNOTSUPP);
	if (err)
		snprintf(reply, sizeof(reply), "ERR %s\n", err);
	else
		snprintf(reply, sizeof(reply), "OK\n");
	if (write(c, reply, strlen(reply)) < 0) {
		/* the client went away: nothing to tell */
	}
	close(c);
}

/* Only makes ppoll() return: the return is the stop signal. */
static void on_signal(int sig)
{
	(void)sig;
}

static void usage(void)
{
	fprintf(stderr, "usage: devf-server -r ROOT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	char paths[NCHAN][PATH_MAX];
	struct pollfd p[NCHAN];
	struct sigaction sa = {.sa_handler = on_signal};
	const char *root = NULL;
	sigset_t term, empty;
	size_t i, k, up = 0;
	int c, r, status = 0;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r')
			usage();
		root = optarg;
	}
	if (!root || optind != argc)
		usage();

	/* SIGTERM and SIGINT are only taken inside ppoll(): no request is
	 * cut short, and no signal slips in between a check and the wait */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &term, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	r = use_io_ability();
	if (r < 0) {
		fprintf(stderr, "unable to get I/O privileges: %s\n",
			strerror(-r));
		return 1;
	}
	for (i = 0; i < NCHAN; i++) {
		r = channel_path(paths[i], sizeof(paths[i]), root,
				 channels[i].rel);
		if (r == 0)
			r = attach(paths[i]);
		if (r < 0) {
			if (i == 0)
				fprintf(stderr, "unable to attach mounter: %s\n",
					strerror(-r));
			else
				fprintf(stderr, "unable to attach %s %s: %s\n",
					channels[i].what, paths[i],
					strerror(-r));
			status = 1;
			break;
		}
		p[i].fd = r;
		p[i].events = POLLIN;
		up++;
	}

	/* serve until a signal interrupts the wait */
	while (!status) {
		r = ppoll(p, up, NULL, &empty);
		if (r < 0)
			break;
		for (k = 0; k < up; k++)
			if (p[k].revents & POLLIN)
				serve(p[k].fd);
	}

	for (k = 0; k < up; k++) {
		close(p[k].fd);
		unlink(paths[k]);
	}
	for (k = 0; k < nstore; k++)
		free(store[k]);
	return status;
}
