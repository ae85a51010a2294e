// SPDX-License-Identifier: BSD-2-Clause
#include "notify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "common/log.h"
#include "daemon.h"

static bool ready;         /* READY=1 was sent */
static bool warned;        /* a failed notification was logged */
static char last_status[128];

/* One message; a failure is logged once (the manager may be gone). */
static void send_state(const char *state)
{
	int r;

	if (!getenv("NOTIFY_SOCKET"))
		return;
	r = sd_notify(0, state);
	if (r < 0 && !warned) {
		warned = true;
		log_warn("cannot notify the service manager through $NOTIFY_SOCKET: %s",
			 strerror(-r));
	}
}

void notify_format_status(char *buf, size_t len, bool has_policy,
			  uint32_t policy_id, bool mutable_, long nproc)
{
	int n;

	if (!has_policy)
		n = snprintf(buf, len, "no policy (push one with 'secpol -p')");
	else
		n = snprintf(buf, len, "policy 0x%08x (%s)", policy_id,
			     mutable_ ? "mutable" : "immutable");
	if (n < 0 || (size_t)n >= len || nproc < 0)
		return;
	snprintf(buf + n, len - (size_t)n, ", %ld typed process%s", nproc,
		 nproc == 1 ? "" : "es");
}

static int count_leader(void *ctx, pid_t tid, struct spb_task *t)
{
	/* a process's main thread keeps its entry while any thread lives */
	if ((uint32_t)tid == t->tgid)
		(*(long *)ctx)++;
	return 0;
}

static void current_status(struct daemon *d, char *buf, size_t len)
{
	long nproc = 0;

	if (!d->col || collector_for_each_typed(d->col, count_leader, &nproc) < 0)
		nproc = -1;
	notify_format_status(buf, len, d->policy != NULL,
			     d->policy ? sp_policy_id(d->policy) : 0,
			     d->policy && sp_policy_mutable(d->policy), nproc);
}

void notify_ready(struct daemon *d)
{
	char msg[sizeof(last_status) + 32];

	if (!getenv("NOTIFY_SOCKET"))
		return;
	current_status(d, last_status, sizeof(last_status));
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", last_status);
	send_state(msg);
	ready = true;
}

void notify_failed(const char *reason, int err)
{
	char line[1024], msg[sizeof(line) + 32];
	size_t i;

	if (!getenv("NOTIFY_SOCKET"))
		return;
	/* STATUS= ends at a newline: a path in the reason may hold one */
	snprintf(line, sizeof(line), "%s", reason);
	for (i = 0; line[i]; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	snprintf(msg, sizeof(msg), "STATUS=failed: %s\nERRNO=%d", line,
		 err < 0 ? -err : err);
	send_state(msg);
}

void notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	if (!ready)
		return;
	/* systemd 253 and later want the time with it (Type=notify-reload) */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ull +
			 (unsigned long long)ts.tv_nsec / 1000);
	send_state(msg);
}

void notify_reloaded(struct daemon *d)
{
	char msg[sizeof(last_status) + 32];

	if (!ready)
		return;
	current_status(d, last_status, sizeof(last_status));
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", last_status);
	send_state(msg);
}

void notify_status(struct daemon *d)
{
	char status[sizeof(last_status)], msg[sizeof(status) + 16];

	if (!ready)
		return;
	current_status(d, status, sizeof(status));
	if (strcmp(status, last_status) == 0)
		return;
	memcpy(last_status, status, sizeof(status));
	snprintf(msg, sizeof(msg), "STATUS=%s", status);
	send_state(msg);
}

void notify_stopping(void)
{
	if (!ready)
		return;
	send_state("STOPPING=1\nSTATUS=stopping");
}
