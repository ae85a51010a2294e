// SPDX-License-Identifier: BSD-2-Clause
/* Kernel records and secpold's decisions become events for the bus. */
#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "common/escape.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "daemon.h"
#include "observe.h"
#include "procfs.h"
#include "refusals.h"
#include "decide.h"
#include "policy/ability.h"

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool events_wanted(struct daemon *d)
{
	return bus_count(d->bus) > 0;
}

/* Start times come from the BPF programs (nanoseconds) and from /proc
 * (clock ticks): events carry the tick, so that one process has one
 * start_time_ns in every event, whichever source named it. */
static uint64_t start_key_ns(uint64_t start_ns)
{
	return procinfo_start_key(start_ns) * PROCFS_NS_PER_TICK;
}

/* The process part of an event; time_ns is CLOCK_BOOTTIME. */
static void fill_process(struct daemon *d, struct sp_event *e, pid_t tid,
			 pid_t pid, uint64_t start_ns, uint32_t type,
			 uint64_t boot_ns, const char *exe_hint, bool named)
{
	char name[EV_NAME_MAX + 1];
	size_t n = 0;

	e->pid = (uint32_t)pid;
	e->tid = (uint32_t)tid;
	e->start_ns = start_key_ns(start_ns);
	e->time_ns = boot_to_realtime(boot_ns);
	e->age_ms = boot_ns > start_ns ?
			    (uint32_t)((boot_ns - start_ns) / 1000000u) :
			    0;
	e->type = type;
	/* before the first exec after typing, the process has no name of
	 * its own yet (it is still secpol's `on`) */
	if (named) {
		daemon_lock(d);
		n = procinfo_name(d->procs, pid, start_ns, exe_hint, name,
				  sizeof(name));
		daemon_unlock(d);
	}
	if (n)
		ev_set_name(e, name, n);
	else
		e->flags |= EVF_UNNAMED;
}

static void publish(struct daemon *d, const struct sp_event *e)
{
	if (e->result == EV_DENIED) {
		const struct sp_policy *p = daemon_policy_get(d);

		refusals_note(d->refusals, e, p);
		daemon_policy_put(d, p);
	}
	if (!events_wanted(d))
		return;
	daemon_lock(d);
	bus_publish(d->bus, e);
	daemon_unlock(d);
	daemon_wake_flush(d);
}

void events_emit(struct daemon *d, const struct ev_actor *a,
		 const struct ev_what *w)
{
	struct sp_event *e;
	char comm[EV_COMM_MAX + 1];
	ssize_t n;

	/* a refusal is logged whether or not a monitor listens */
	if (!events_wanted(d) && w->allowed)
		return;
	e = malloc(sizeof(*e));
	if (!e)
		return;
	memset(e, 0, offsetof(struct sp_event, name));
	e->kind = w->kind;
	e->flags = w->flags | (a->root ? EVF_ROOT : 0);
	if (!(w->flags & EVF_OBSERVED))
		e->flags |= EVF_SECPOLD;
	e->syscall = a->syscall;
	fill_process(d, e, a->tid, a->pid, a->start_ns, a->type,
		     now_ns(CLOCK_BOOTTIME), NULL, true);
	e->uid = a->uid;
	e->euid = a->euid;
	e->gid = a->gid;
	e->egid = a->egid;
	e->ability = w->ability;
	e->result = w->allowed ? EV_ALLOWED : EV_DENIED;
	e->reason = w->reason;
	e->obj_type = w->obj_type;
	e->lo = w->lo;
	e->hi = w->hi;
	e->err = w->err;
	if (w->path)
		ev_set_path(e, w->path, w->path_len);
	if (w->comm) {
		ev_set_comm(e, w->comm, strnlen(w->comm, w->comm_len));
	} else {
		n = procfs_comm(a->tid, comm, sizeof(comm));
		if (n > 0)
			ev_set_comm(e, comm, (size_t)n);
	}
	publish(d, e);
	free(e);
}

int events_actor_of(pid_t pid, uint32_t type, struct ev_actor *a)
{
	struct proc_creds cr;
	pid_t tgid, ppid;
	int r;

	memset(a, 0, sizeof(*a));
	a->syscall = -1;
	a->type = type;
	r = procfs_task_ids(pid, &tgid, &ppid, &a->start_ns);
	if (r < 0)
		return r;
	a->pid = tgid;
	a->tid = pid;
	r = procfs_creds(pid, &cr);
	if (r < 0)
		return r;
	a->uid = cr.uid, a->euid = cr.euid;
	a->gid = cr.gid, a->egid = cr.egid;
	a->root = cr.euid == 0;
	return 0;
}

/*
 * A typed process's set*id calls and binds of privileged ports are decided
 * by secpold, which reports each with its value (the uid, the gid, the
 * port); the kernel's own check of the capability during that call is the
 * same check and is not reported again (SPEC §5: one event, not two).
 */
static bool decided_by_secpold(const struct spb_ev_cap *r)
{
	bool setid = (r->cap == CAP_SETUID || r->cap == CAP_SETGID) &&
		     decide_is_setid(r->syscall);
	bool port = r->cap == CAP_NET_BIND_SERVICE && r->syscall == __NR_bind;

	return (r->flags & SPB_CAP_TYPED) && (setid || port);
}

static void on_cap(struct daemon *d, const struct spb_ev_cap *r)
{
	struct sp_event *e;
	char exe[SPB_EXE_LEN + 1];

	if (r->cap < 0 || r->cap >= AB_NCAPS || decided_by_secpold(r))
		return;
	e = calloc(1, sizeof(*e));
	if (!e)
		return;
	e->kind = EV_ABILITY;
	memcpy(exe, r->exe, SPB_EXE_LEN);
	exe[SPB_EXE_LEN] = '\0';
	fill_process(d, e, (pid_t)r->h.tid, (pid_t)r->h.tgid, r->h.start_ns,
		     r->h.type, r->h.time_ns, exe, r->flags & SPB_CAP_NAMED);
	e->uid = r->uid;
	e->euid = r->euid;
	e->gid = r->gid;
	e->egid = r->egid;
	e->obj_type = SPB_NO_TYPE;
	e->ability = (uint16_t)r->cap;
	e->result = r->ret == 0 ? EV_ALLOWED : EV_DENIED;
	/* a learning type holds its user's capabilities: a use the policy
	 * does not grant is one it would have refused */
	if (r->ret == 0 && (r->flags & SPB_CAP_TYPED) && d->policy &&
	    r->h.type < sp_policy_type_count(d->policy) &&
	    daemon_type_learning(d, d->policy, r->h.type) &&
	    !sp_policy_has(d->policy, r->h.type,
			   r->euid == 0 ? SP_ROOT : SP_NONROOT,
			   (uint16_t)r->cap)) {
		e->result = EV_DENIED;
		e->flags |= EVF_LEARNING;
	}
	/* the kernel's check, not the system call's result: what the call
	 * returned is not known here */
	e->err = 0;
	e->syscall = r->syscall;
	if (r->euid == 0)
		e->flags |= EVF_ROOT;
	if (r->flags & SPB_CAP_NOAUDIT)
		e->flags |= EVF_NOAUDIT;
	if (!(r->flags & SPB_CAP_OWN_CRED))
		e->flags |= EVF_BORROWED;
	if (r->flags & SPB_CAP_LATE)
		e->flags |= EVF_LATE;
	ev_set_comm(e, r->comm, sizeof(r->comm));
	publish(d, e);
	free(e);
}

static void on_hook(struct daemon *d, const struct spb_ev_hook *r)
{
	static uint64_t window, in_window, suppressed;
	struct strbuf sb = STRBUF_INIT;
	size_t len = r->len < SPB_ADDR_LEN ? r->len : SPB_ADDR_LEN;
	uint64_t now = now_ns(CLOCK_MONOTONIC) / 1000000000u;

	(void)d;
	/* a process racing on purpose makes many of these: a few per
	 * second are logged, the rest counted */
	if (now != window) {
		if (suppressed)
			log_warn("... and %llu more refused unix connects/sends",
				 (unsigned long long)suppressed);
		window = now;
		in_window = suppressed = 0;
	}
	if (++in_window > 5) {
		suppressed++;
		return;
	}
	if (len > 2 && r->addr[2] == '\0') {
		/* abstract: "@" and every byte of the name */
		sb_putc(&sb, '@');
		sb_escape(&sb, r->addr + 3, len - 3, 0);
	} else if (len > 2) {
		/* a path ends at its NUL (the rest is padding) */
		const void *nul = memchr(r->addr + 2, '\0', len - 2);

		sb_escape(&sb, r->addr + 2,
			  nul ? (size_t)((const uint8_t *)nul - (r->addr + 2)) :
				len - 2,
			  0);
	}
	log_warn("refused a unix %s of task %u (process %u, type %u) to '%s': %s",
		 r->hook == SPB_HOOK_CONNECT ? "connect" : "send", r->h.tid,
		 r->h.tgid, r->h.type, sb_str(&sb),
		 r->why == SPB_HOOK_NO_TICKET ?
			 "the address was not checked (it changed or appeared after the check)" :
		 r->why == SPB_HOOK_MISMATCH ? "the address changed after the check" :
					       "the checked path could not be set");
	sb_free(&sb);
}

void events_on_record(void *ctx, const void *rec, size_t len)
{
	struct daemon *d = ctx;
	const struct spb_ev_hdr *h = rec;

	if (len < sizeof(*h))
		return;
	switch (h->kind) {
	case SPB_EV_CAP:
		if (len >= sizeof(struct spb_ev_cap))
			on_cap(d, rec);
		break;
	case SPB_EV_EXEC:
		if (len >= sizeof(struct spb_ev_exec)) {
			const struct spb_ev_exec *x = rec;
			char fn[SPB_FILENAME_LEN + 1];

			memcpy(fn, x->filename, SPB_FILENAME_LEN);
			fn[SPB_FILENAME_LEN] = '\0';
			daemon_lock(d);
			procinfo_exec(d->procs, (pid_t)h->tgid, h->start_ns, fn);
			daemon_unlock(d);
		}
		break;
	case SPB_EV_EXIT:
		daemon_lock(d);
		procinfo_exit(d->procs, (pid_t)h->tgid, h->start_ns);
		daemon_unlock(d);
		taskcache_exit(d->tasks, (pid_t)h->tgid);
		break;
	case SPB_EV_FORK:
		if (len >= sizeof(struct spb_ev_fork)) {
			const struct spb_ev_fork *f = rec;

			daemon_lock(d);
			procinfo_fork(d->procs, (pid_t)h->tgid, h->start_ns,
				      (pid_t)f->child_pid, f->child_start_ns);
			daemon_unlock(d);
		}
		break;
	case SPB_EV_HOOK:
		if (len >= sizeof(struct spb_ev_hook))
			on_hook(d, rec);
		break;
	case SPB_EV_OBS:
		if (len >= sizeof(struct spb_ev_obs))
			observe_on_obs(d, rec);
		break;
	case SPB_EV_SIG:
		if (len >= sizeof(struct spb_ev_sig))
			observe_on_sig(d, rec);
		break;
	default:
		break;
	}
}

void events_check_lost(struct daemon *d)
{
	uint64_t lost = collector_lost(d->col);
	struct sp_event e;

	if (lost <= d->lost_reported)
		return;
	ev_init_lost(&e, lost - d->lost_reported, now_ns(CLOCK_REALTIME));
	d->lost_reported = lost;
	log_warn("the kernel dropped %llu events (ring buffer full)",
		 (unsigned long long)e.lo);
	publish(d, &e);
}
