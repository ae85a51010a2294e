// SPDX-License-Identifier: BSD-2-Clause
#include "live.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "ctl/client.h"
#include "event/event.h"
#include "policy/policy.h"

struct gen_live {
	int sock;
	struct sp_policy *policy; /* names types and abilities */
	struct ctl_msg msg;
	struct sp_event ev;
};

/* The policy in a memfd secpold sent; NULL if it is none we can read
 * (events then carry numbers, which the aggregation refuses by line). */
static struct sp_policy *policy_from_fd(int fd)
{
	struct sp_policy *p = NULL;
	char err[256], *buf = NULL;
	size_t len;

	if (fd < 0)
		return NULL;
	if (lseek(fd, 0, SEEK_SET) < 0 ||
	    read_fd_all(fd, SPB_MAX_FILE, &buf, &len) < 0)
		return NULL;
	if (sp_policy_load(buf, len, &p, err, sizeof(err)) < 0)
		p = NULL;
	free(buf);
	return p;
}

int gen_live_open(struct gen_live **out, uint32_t late_ms, char *err,
		  size_t errlen)
{
	struct ctl_subscribe sub = {
		.kinds = 1u << EV_ABILITY | 1u << EV_ATTACH | 1u << EV_LINK,
		.flags = CTL_SUB_SUCCESS,
		.late_ms = late_ms,
	};
	struct gen_live *l = calloc(1, sizeof(*l));
	char msg[512];
	int r;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->sock = ctl_connect();
	if (l->sock == -EACCES || l->sock == -EPERM) {
		snprintf(err, errlen, "cannot talk to secpold in %s: only root may subscribe",
			 ctl_rundir());
		r = l->sock;
		goto fail;
	}
	if (l->sock < 0) {
		snprintf(err, errlen, "%s", ctl_no_daemon_hint());
		r = l->sock;
		goto fail;
	}
	msg[0] = '\0';
	r = ctl_call(l->sock, CTL_SUBSCRIBE, &sub, sizeof(sub), -1, &l->msg, msg,
		     sizeof(msg));
	if (r < 0) {
		struct strbuf q = STRBUF_INIT;

		sb_escape(&q, msg, strlen(msg), ESC_KEEP_SPACE);
		snprintf(err, errlen, "cannot subscribe: %s",
			 msg[0] ? sb_str(&q) : strerror(-r));
		sb_free(&q);
		goto fail;
	}
	l->policy = policy_from_fd(l->msg.fd);
	if (l->msg.fd >= 0)
		close(l->msg.fd);
	*out = l;
	return 0;
fail:
	gen_live_close(l);
	return r;
}

void gen_live_close(struct gen_live *l)
{
	if (!l)
		return;
	if (l->sock >= 0)
		close(l->sock);
	sp_policy_free(l->policy);
	free(l);
}

int gen_live_fd(const struct gen_live *l)
{
	return l->sock;
}

int gen_live_recv(struct gen_live *l, struct strbuf *line)
{
	int r = ctl_recv(l->sock, &l->msg);

	if (r < 0)
		return r;
	r = 0;
	if (l->msg.hdr.type == CTL_POLICY) {
		struct sp_policy *np = policy_from_fd(l->msg.fd);

		if (np) {
			sp_policy_free(l->policy);
			l->policy = np;
		}
	} else if (l->msg.hdr.type == CTL_EVENT &&
		   ev_decode(l->msg.payload, l->msg.hdr.len, &l->ev) == 0) {
		sb_reset(line);
		ev_format_json(&l->ev, l->policy, NULL, line);
		r = sb_error(line) ? -ENOMEM : 1;
	}
	if (l->msg.fd >= 0)
		close(l->msg.fd);
	return r;
}
