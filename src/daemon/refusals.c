// SPDX-License-Identifier: BSD-2-Clause
/*
 * Refusals to the system log.  Why syslog datagrams on /dev/log and not
 * the kernel audit log: journald (journalctl -t secpold) and rsyslog
 * (/var/log/auth.log) both read /dev/log on every Debian system, while
 * the audit log needs auditd, which is not installed by default.  Why not
 * libc's syslog(3): it blocks when the reader is slow, and a typed
 * process that makes refusals on purpose must not slow secpold down; and
 * the socket is chosen here (SECPOL_SYSLOG_SOCKET), which tests need.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "refusals.h"

#define RETRY_S 10 /* a missing syslog socket is tried again after this */
/* <facility authpriv (10) * 8 + priority warning (4)> */
#define PRI_REFUSAL (10 * 8 + 4)

struct refusals {
	pthread_mutex_t lock;
	struct sockaddr_un addr;
	socklen_t addrlen;
	int fd;
	uint64_t last_try;    /* s, monotonic: the last attempt to connect */
	uint64_t tokens_ns;   /* the rate limit's bucket, in ns of credit */
	uint64_t last_ns;     /* when the bucket was last filled */
	uint64_t suppressed;  /* lines the rate limit left out */
	uint64_t undelivered; /* lines the socket did not take */
	bool warned;          /* that the socket cannot be reached */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int refusals_open(struct refusals **out, const char *socket_path)
{
	struct refusals *r;
	const char *path = socket_path;

	if (!path)
		path = getenv("SECPOL_SYSLOG_SOCKET");
	if (!path || !*path)
		path = "/dev/log";
	if (strlen(path) >= sizeof(r->addr.sun_path))
		return -ENAMETOOLONG;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	pthread_mutex_init(&r->lock, NULL);
	r->addr.sun_family = AF_UNIX;
	strcpy(r->addr.sun_path, path);
	r->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				 strlen(path) + 1);
	r->fd = -1;
	r->tokens_ns = REFUSALS_BURST * 1000000000ull / REFUSALS_PER_SEC;
	r->last_ns = mono_ns();
	*out = r;
	return 0;
}

void refusals_close(struct refusals *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* Connected, or -1 (tried at most every RETRY_S seconds). */
static int sock(struct refusals *r)
{
	uint64_t now = mono_ns() / 1000000000u;
	int fd;

	if (r->fd >= 0)
		return r->fd;
	if (r->last_try && now < r->last_try + RETRY_S)
		return -1;
	r->last_try = now;
	/* non-blocking: a slow reader costs lines, never secpold's time */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&r->addr, r->addrlen) < 0) {
		if (!r->warned)
			log_warn("cannot reach the system log at %s: %s (refusals are logged here until it can be reached)",
				 r->addr.sun_path, strerror(errno));
		r->warned = true;
		close(fd);
		return -1;
	}
	if (r->warned)
		log_info("the system log at %s is reachable again",
			 r->addr.sun_path);
	r->warned = false;
	r->fd = fd;
	return fd;
}

/* One datagram: "<PRI>Mmm dd hh:mm:ss secpold[PID]: text". */
static void send_line(struct refusals *r, const char *text)
{
	char stamp[32], buf[2048];
	struct tm tm;
	time_t t = time(NULL);
	int fd, n;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	n = snprintf(buf, sizeof(buf), "<%d>%s secpold[%d]: %s", PRI_REFUSAL,
		     stamp, (int)getpid(), text);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1; /* (a long path: the line is cut) */
	fd = sock(r);
	if (fd >= 0 && send(fd, buf, (size_t)n, MSG_NOSIGNAL) == n)
		return;
	if (fd >= 0 && errno != EAGAIN && errno != ENOBUFS) {
		/* the reader went away (restarted): connect again later */
		close(r->fd);
		r->fd = -1;
	}
	r->undelivered++;
	log_warn("%s", text);
}

/* Takes one line's credit from the bucket; false when it is empty. */
static bool take_token(struct refusals *r)
{
	const uint64_t per = 1000000000ull / REFUSALS_PER_SEC;
	const uint64_t cap = REFUSALS_BURST * per;
	uint64_t now = mono_ns();

	r->tokens_ns += now - r->last_ns;
	if (r->tokens_ns > cap)
		r->tokens_ns = cap;
	r->last_ns = now;
	if (r->tokens_ns < per)
		return false;
	r->tokens_ns -= per;
	return true;
}

static bool is_refusal(const struct sp_event *e)
{
	/* observed calls were not refused: the kernel made them */
	if (e->result != EV_DENIED ||
	    (e->flags & (EVF_LEARNING | EVF_OBSERVED)))
		return false;
	if (e->kind == EV_ABILITY)
		/* the kernel's routine probes and checks made with another
		 * process's credentials are not this process's refusals */
		return e->type != 0 &&
		       !(e->flags & (EVF_NOAUDIT | EVF_BORROWED));
	return e->kind == EV_ATTACH || e->kind == EV_LINK;
}

void refusals_note(struct refusals *r, const struct sp_event *e,
		   const struct sp_policy *p)
{
	/* with the ids and the system call, as secpolmonitor -v */
	struct ev_format_opts o = {.flags = EVFMT_VERBOSE};
	struct strbuf sb = STRBUF_INIT;

	if (!r || !is_refusal(e))
		return;
	pthread_mutex_lock(&r->lock);
	if (!take_token(r)) {
		r->suppressed++;
		goto out;
	}
	ev_format_text(e, p, &o, &sb);
	if (!sb_error(&sb))
		send_line(r, sb_str(&sb));
out:
	pthread_mutex_unlock(&r->lock);
	sb_free(&sb);
}

void refusals_tick(struct refusals *r)
{
	char text[128];

	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	if (r->suppressed && take_token(r)) {
		snprintf(text, sizeof(text),
			 "%llu refusals were not logged (more than %d a second)",
			 (unsigned long long)r->suppressed, REFUSALS_PER_SEC);
		r->suppressed = 0;
		send_line(r, text);
	}
	pthread_mutex_unlock(&r->lock);
}
