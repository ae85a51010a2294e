// SPDX-License-Identifier: BSD-2-Clause
/*
 * Output forms of an event.  The text form is exactly the QNX line
 * (SPEC §5); -v appends details in brackets without changing the words of
 * the line.  Every string from a process goes through sb_escape, so one
 * event is always one line.
 */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include "common/escape.h"
#include "common/strbuf.h"
#include "event.h"
#include "policy/ability.h"
#include "policy/policy.h"

const char *ev_syscall_name(int nr)
{
	/* libseccomp knows every name of this architecture; cache them */
	static char *names[512];
	static bool tried[512];

	if (nr < 0 || nr >= 512)
		return NULL;
	if (!tried[nr]) {
		tried[nr] = true;
		names[nr] = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
	}
	return names[nr];
}

static void put_type(struct strbuf *sb, const struct sp_policy *p,
		     uint32_t type)
{
	const char *n = p ? sp_policy_type_name(p, type) : NULL;

	if (n)
		sb_escape(sb, n, strlen(n), 0);
	else if (type == 0)
		sb_puts(sb, "default");
	else
		sb_printf(sb, "%u", type);
}

static void put_ability(struct strbuf *sb, const struct sp_policy *p,
			uint16_t id)
{
	const struct ability_info *a = ability_by_id(id);
	const char *n = p ? sp_policy_ability_name(p, id) : NULL;

	if (n)
		sb_escape(sb, n, strlen(n), 0);
	else if (a)
		sb_puts(sb, a->upper);
	else
		sb_printf(sb, "ABILITY%u", id);
}

static bool value_shown(const struct sp_event *e, const struct ev_format_opts *o)
{
	size_t i;

	if (!(e->flags & EVF_VALUE))
		return false;
	if (!ability_is_custom(e->ability))
		return true;
	/* custom abilities are shown unranged unless -S names them */
	for (i = 0; o && i < o->nranged_custom; i++)
		if (o->ranged_custom[i] == e->ability)
			return true;
	return false;
}

static void put_value(struct strbuf *sb, const struct sp_event *e,
		      const struct sp_policy *p)
{
	const struct ability_info *a = ability_by_id(e->ability);

	if (e->lo == e->hi)
		sb_printf(sb, "(%llu)", (unsigned long long)e->lo);
	else
		sb_printf(sb, "(%llu - %llu)", (unsigned long long)e->lo,
			  (unsigned long long)e->hi);
	if (a && a->value == AB_VAL_TYPE && e->lo <= UINT32_MAX &&
	    e->hi <= UINT32_MAX) {
		sb_puts(sb, " (");
		put_type(sb, p, (uint32_t)e->lo);
		if (e->hi != e->lo) {
			sb_puts(sb, " - ");
			put_type(sb, p, (uint32_t)e->hi);
		}
		sb_putc(sb, ')');
	}
}

static void put_name(struct strbuf *sb, const struct sp_event *e)
{
	if ((e->flags & EVF_UNNAMED) || e->name_len == 0)
		sb_puts(sb, "(unnamed)");
	else
		sb_escape(sb, e->name, e->name_len, 0);
}

static const char *reason_str(uint8_t r)
{
	switch ((enum ev_reason)r) {
	case EV_R_NONE:
		return "";
	case EV_R_NO_RULE:
		return "no rule";
	case EV_R_CONFLICT:
		return "conflict";
	case EV_R_BAD_OP:
		return "bad op";
	case EV_R_RACE:
		return "address changed after the check";
	case EV_R_UNSUPPORTED:
		return "cannot be supervised";
	case EV_R_FULL:
		return "the channel table is full";
	}
	return "?";
}

static void put_time(struct strbuf *sb, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;
	char buf[32];

	gmtime_r(&sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	sb_printf(sb, "%s.%06uZ", buf, (unsigned)(ns % 1000000000u / 1000u));
}

/* A duration for people: "1.6 s" below ten seconds, "12 s" above. */
static void put_secs(struct strbuf *sb, uint64_t ms)
{
	if (ms < 10000)
		sb_printf(sb, "%u.%u s", (unsigned)(ms / 1000),
			  (unsigned)(ms % 1000 / 100));
	else
		sb_printf(sb, "%llu s", (unsigned long long)(ms / 1000));
}

/* -i: the event came more than the threshold after the process started,
 * so it is a run-time need, reported again even if seen at start-up. */
static bool is_late(const struct sp_event *e, const struct ev_format_opts *o)
{
	if (!o || !o->late_ms)
		return false;
	if (e->kind != EV_ABILITY && e->kind != EV_ATTACH && e->kind != EV_LINK)
		return false;
	return e->age_ms > o->late_ms;
}

static void put_verbose(struct strbuf *sb, const struct sp_event *e)
{
	const char *sc = ev_syscall_name(e->syscall);

	sb_puts(sb, " [time=");
	put_time(sb, e->time_ns);
	sb_printf(sb, " tid=%u uid=%u euid=%u gid=%u egid=%u", e->tid, e->uid,
		  e->euid, e->gid, e->egid);
	if (e->syscall >= 0) {
		if (sc)
			sb_printf(sb, " syscall=%s", sc);
		else
			sb_printf(sb, " syscall=%d", e->syscall);
	}
	if (e->err) {
		const char *n = strerrorname_np(e->err);

		sb_printf(sb, " errno=%s", n ? n : "?");
	}
	if (e->comm_len) {
		sb_puts(sb, " comm=");
		sb_escape(sb, e->comm, e->comm_len, 0);
	}
	if (e->flags & EVF_NOAUDIT)
		sb_puts(sb, " noaudit");
	if (e->flags & EVF_BORROWED)
		sb_puts(sb, " borrowed-credentials");
	if (e->flags & EVF_LEARNING)
		sb_puts(sb, " learning");
	sb_putc(sb, ']');
}

/* "SIGTERM(15)"; a real-time signal "SIGRTMIN+2(36)" */
static void put_signal(struct strbuf *sb, uint64_t sig)
{
	const char *n = sig < 65 ? sigabbrev_np((int)sig) : NULL;

	if (n)
		sb_printf(sb, "SIG%s(%llu)", n, (unsigned long long)sig);
	else if (sig >= (uint64_t)SIGRTMIN && sig <= (uint64_t)SIGRTMAX)
		sb_printf(sb, "SIGRTMIN+%llu(%llu)",
			  (unsigned long long)(sig - (uint64_t)SIGRTMIN),
			  (unsigned long long)sig);
	else
		sb_printf(sb, "signal(%llu)", (unsigned long long)sig);
}

/* " bound port 80 on 127.0.0.1", " connected to ::1 port 443", or
 * " failed to bind port 80 on 0.0.0.0: EACCES" */
static void put_net(struct strbuf *sb, const struct sp_event *e, bool ok)
{
	bool bind = e->syscall == __NR_bind;
	const char *en = e->err ? strerrorname_np(e->err) : NULL;

	if (!ok)
		sb_puts(sb, bind ? " failed to bind port " : " failed to connect to ");
	else
		sb_puts(sb, bind ? " bound port " : " connected to ");
	if (bind) {
		sb_printf(sb, "%llu on ", (unsigned long long)e->lo);
		sb_escape(sb, e->path, e->path_len, 0);
	} else {
		sb_escape(sb, e->path, e->path_len, 0);
		sb_printf(sb, " port %llu", (unsigned long long)e->lo);
	}
	if (!ok)
		sb_printf(sb, ": %s", en ? en : "?");
}

void ev_format_text(const struct sp_event *e, const struct sp_policy *p,
		    const struct ev_format_opts *o, struct strbuf *sb)
{
	bool ok = e->result == EV_ALLOWED;

	if (e->kind == EV_LOST) {
		sb_printf(sb, "warning: %llu event%s lost",
			  (unsigned long long)e->lo, e->lo == 1 ? "" : "s");
		return;
	}
	if (e->kind == EV_NEWTYPE) {
		sb_puts(sb, "warning: new type ");
		put_type(sb, p, e->type);
		sb_printf(sb, " (%u) for this run, started by ", e->type);
		put_name(sb, e);
		sb_printf(sb, " (pid:%u): develop mode, it learns and nothing it does is refused",
			  e->pid);
		return;
	}
	sb_puts(sb, ok ? "info: " : "error: ");
	put_name(sb, e);
	sb_printf(sb, " (pid:%u) ", e->pid);
	switch ((enum ev_kind)e->kind) {
	case EV_ABILITY:
		sb_puts(sb, "type ");
		put_type(sb, p, e->type);
		sb_puts(sb, ok ? " uses ability " : " lacks ability ");
		put_ability(sb, p, e->ability);
		if (value_shown(e, o))
			put_value(sb, e, p);
		sb_puts(sb, e->flags & EVF_ROOT ? " as root" : " as non-root");
		break;
	case EV_ATTACH:
	case EV_LINK:
		sb_puts(sb, "of type ");
		put_type(sb, p, e->type);
		if (ok)
			sb_puts(sb, e->kind == EV_ATTACH ?
					    " attached channel to path " :
					    " created link to path ");
		else
			sb_puts(sb, " failed to attach to path ");
		sb_escape(sb, e->path, e->path_len, 0);
		if (!ok) {
			sb_puts(sb, ": ");
			sb_puts(sb, reason_str(e->reason));
		}
		break;
	case EV_SIGNAL:
		sb_puts(sb, "of type ");
		put_type(sb, p, e->type);
		sb_puts(sb, " sent signal ");
		put_signal(sb, e->lo);
		sb_puts(sb, " to ");
		sb_escape(sb, e->path, e->path_len, 0);
		sb_printf(sb, " (pid:%llu) of type ", (unsigned long long)e->hi);
		put_type(sb, p, e->obj_type);
		break;
	case EV_NET:
		sb_puts(sb, "of type ");
		put_type(sb, p, e->type);
		put_net(sb, e, ok);
		break;
	case EV_LOST:
	case EV_NEWTYPE:
		break;
	}
	/* after the QNX words, so that they stay as they are */
	if (is_late(e, o)) {
		sb_puts(sb, " (after start-up: ");
		put_secs(sb, e->age_ms);
		sb_putc(sb, ')');
	}
	if (o && (o->flags & EVFMT_VERBOSE))
		put_verbose(sb, e);
}

static void json_str(struct strbuf *sb, const char *key, const char *s,
		     size_t len)
{
	sb_printf(sb, ",\"%s\":", key);
	sb_json_string(sb, s, len);
}

static void json_type(struct strbuf *sb, const char *key,
		      const struct sp_policy *p, uint32_t type)
{
	struct strbuf t = STRBUF_INIT;

	put_type(&t, p, type);
	sb_printf(sb, ",\"%s\":", key);
	sb_json_string(sb, sb_str(&t), t.len);
	sb_printf(sb, ",\"%s_id\":%u", key, type);
	if (sb_error(&t))
		sb->failed = true;
	sb_free(&t);
}

void ev_format_json(const struct sp_event *e, const struct sp_policy *p,
		    const struct ev_format_opts *o, struct strbuf *sb)
{
	static const char *const kinds[] = {
		[EV_ABILITY] = "ability",
		[EV_ATTACH] = "attach",
		[EV_LINK] = "link",
		[EV_LOST] = "lost",
		[EV_NEWTYPE] = "new_type",
		[EV_SIGNAL] = "signal",
		[EV_NET] = "net",
	};
	struct strbuf tmp = STRBUF_INIT;
	const char *sc;

	sb_printf(sb, "{\"v\":%d,\"time\":\"", EV_JSON_VERSION);
	put_time(sb, e->time_ns);
	sb_printf(sb, "\",\"kind\":\"%s\"", kinds[e->kind]);
	if (e->kind == EV_LOST) {
		sb_printf(sb, ",\"severity\":\"warning\",\"lost\":%llu}",
			  (unsigned long long)e->lo);
		return;
	}
	if (e->kind == EV_NEWTYPE) {
		sb_puts(sb, ",\"severity\":\"warning\"");
		json_type(sb, "type", p, e->type);
		sb_printf(sb, ",\"pid\":%u,\"start_time_ns\":%llu", e->pid,
			  (unsigned long long)e->start_ns);
		if ((e->flags & EVF_UNNAMED) || e->name_len == 0)
			sb_puts(sb, ",\"name\":null");
		else
			json_str(sb, "name", e->name, e->name_len);
		sb_putc(sb, '}');
		return;
	}
	sb_printf(sb, ",\"severity\":\"%s\",\"result\":\"%s\"",
		  e->result == EV_ALLOWED ? "info" : "error",
		  e->result == EV_ALLOWED ? "allowed" : "denied");
	sb_printf(sb, ",\"pid\":%u,\"tid\":%u,\"start_time_ns\":%llu", e->pid,
		  e->tid, (unsigned long long)e->start_ns);
	if ((e->flags & EVF_UNNAMED) || e->name_len == 0)
		sb_puts(sb, ",\"name\":null");
	else
		json_str(sb, "name", e->name, e->name_len);
	/* a field is right or absent: no comm is better than an empty one */
	if (e->comm_len)
		json_str(sb, "comm", e->comm, e->comm_len);
	sb_printf(sb, ",\"uid\":%u,\"euid\":%u,\"gid\":%u,\"egid\":%u", e->uid,
		  e->euid, e->gid, e->egid);
	json_type(sb, "type", p, e->type);
	sb_printf(sb, ",\"domain\":\"%s\"",
		  e->flags & EVF_ROOT ? "root" : "non-root");
	if (e->kind == EV_ABILITY) {
		put_ability(&tmp, p, e->ability);
		json_str(sb, "ability", sb_str(&tmp), tmp.len);
		sb_printf(sb, ",\"ability_id\":%u", e->ability);
		if (e->flags & EVF_VALUE) {
			const struct ability_info *a = ability_by_id(e->ability);

			sb_printf(sb, ",\"value\":[%llu,%llu]",
				  (unsigned long long)e->lo,
				  (unsigned long long)e->hi);
			if (a && a->value == AB_VAL_TYPE && e->lo <= UINT32_MAX)
				json_type(sb, "value_type", p, (uint32_t)e->lo);
		}
		sb_printf(sb, ",\"noaudit\":%s,\"own_credentials\":%s",
			  e->flags & EVF_NOAUDIT ? "true" : "false",
			  e->flags & EVF_BORROWED ? "false" : "true");
		/* the path a PATHSPACE check was for (not on the text line:
		 * QNX prints none there) */
		if (e->path_len)
			json_str(sb, "path", e->path, e->path_len);
	} else if (e->kind == EV_SIGNAL) {
		sb_printf(sb, ",\"signal\":%llu", (unsigned long long)e->lo);
		put_signal(&tmp, e->lo);
		json_str(sb, "signal_name", sb_str(&tmp), tmp.len);
		sb_printf(sb, ",\"to_pid\":%llu", (unsigned long long)e->hi);
		json_str(sb, "to_name", e->path, e->path_len);
		json_type(sb, "to_type", p, e->obj_type);
	} else if (e->kind == EV_NET) {
		sb_printf(sb, ",\"family\":\"%s\",\"port\":%llu",
			  e->hi == AF_INET6 ? "inet6" : "inet",
			  (unsigned long long)e->lo);
		json_str(sb, "address", e->path, e->path_len);
	} else {
		json_str(sb, "path", e->path, e->path_len);
		if (e->kind == EV_ATTACH && e->obj_type != SPB_NO_TYPE)
			json_type(sb, "channel_type", p, e->obj_type);
		if (e->result != EV_ALLOWED)
			sb_printf(sb, ",\"reason\":\"%s\"", reason_str(e->reason));
	}
	sb_printf(sb, ",\"decided_by\":\"%s\"",
		  e->flags & EVF_SECPOLD ? "secpold" : "kernel");
	if (e->flags & EVF_LEARNING)
		sb_puts(sb, ",\"learning\":true");
	if (e->flags & EVF_OBSERVED)
		sb_puts(sb, ",\"observed\":true");
	sb_printf(sb, ",\"age_ms\":%u", e->age_ms);
	if (e->syscall >= 0) {
		sc = ev_syscall_name(e->syscall);
		if (sc)
			sb_printf(sb, ",\"syscall\":\"%s\"", sc);
		sb_printf(sb, ",\"syscall_nr\":%d", e->syscall);
	}
	if (e->err) {
		const char *n = strerrorname_np(e->err);

		sb_printf(sb, ",\"errno\":\"%s\"", n ? n : "?");
	}
	sb_putc(sb, '}');
	if (sb_error(&tmp))
		sb->failed = true;
	sb_free(&tmp);
	(void)o;
}

static uint64_t gap_ms(const struct ev_gap *g)
{
	return g->until_ns > g->since_ns ?
		       (g->until_ns - g->since_ns) / 1000000u :
		       0;
}

void ev_format_gap_text(const struct ev_gap *g, struct strbuf *sb)
{
	if (!g->resumed) {
		sb_puts(sb, "warning: secpold stopped; reconnecting");
		return;
	}
	sb_puts(sb, "warning: monitoring again after ");
	put_secs(sb, gap_ms(g));
	sb_puts(sb, "; events in between were not seen");
}

void ev_format_gap_json(const struct ev_gap *g, struct strbuf *sb)
{
	struct strbuf msg = STRBUF_INIT;

	ev_format_gap_text(g, &msg);
	sb_printf(sb, "{\"v\":%d,\"time\":\"", EV_JSON_VERSION);
	put_time(sb, g->resumed ? g->until_ns : g->since_ns);
	sb_puts(sb, "\",\"kind\":\"gap\",\"severity\":\"warning\"");
	if (g->resumed) {
		sb_puts(sb, ",\"phase\":\"end\",\"since\":\"");
		put_time(sb, g->since_ns);
		sb_printf(sb, "\",\"gap_ms\":%llu",
			  (unsigned long long)gap_ms(g));
	} else {
		sb_puts(sb, ",\"phase\":\"begin\"");
	}
	/* the text without its "warning: " */
	if (msg.len > strlen("warning: "))
		json_str(sb, "message", sb_str(&msg) + strlen("warning: "),
			 msg.len - strlen("warning: "));
	sb_putc(sb, '}');
	if (sb_error(&msg))
		sb->failed = true;
	sb_free(&msg);
}
