// SPDX-License-Identifier: BSD-2-Clause
/*
 * Decisions on credentials: the set*id family and setgroups under the
 * subranges of setuid and setgid, and the calls that change what secpold
 * knows of a thread's credentials (capset, umask).
 *
 * These calls pass plain values in registers, so they can be decided and
 * continued: nothing can change under us.  Every one of them changes the
 * caller's credentials
 * once it runs: what secpold remembers of them is dropped first
 * (taskcache.h), so the thread's next call reads them again.
 */
#include <errno.h>
#include <linux/capability.h>

#include "call.h"
#include "common/log.h"

/* A refused set*id call: EPERM, except that setfsuid and setfsgid never
 * fail: they return the old value (old_fs) and change nothing. */
static void refuse(struct call *c, uint32_t old_fs)
{
	if (!c->sc->fs)
		return call_errno(c, EPERM);
	c->resp->flags = 0;
	c->resp->error = 0;
	c->resp->val = old_fs;
}

void decide_setid(struct call *c)
{
	const struct sc_call *sc = c->sc;
	uint16_t ab = sc->gid ? CAP_SETGID : CAP_SETUID;
	uint32_t cur[4], want;
	int i, k;

	taskcache_forget_creds(c->d->tasks, c->tid);
	/* Every id the call changes is checked here, so that it is reported
	 * with its value (one event: the kernel's check of the capability
	 * during this call is not reported).  Without a subrange the
	 * process's capability sets say the same as the policy, and the
	 * kernel checks again. */
	if (sc->gid) {
		cur[0] = c->creds.gid, cur[1] = c->creds.egid;
		cur[2] = c->creds.sgid, cur[3] = c->creds.fsgid;
	} else {
		cur[0] = c->creds.uid, cur[1] = c->creds.euid;
		cur[2] = c->creds.suid, cur[3] = c->creds.fsuid;
	}
	for (i = 0; i < sc->nids; i++) {
		bool held;

		want = (uint32_t)c->req->data.args[i];
		if (want == (uint32_t)-1)
			continue;
		/* secpold's own: signals would reach it (daemon.h) */
		if (!sc->gid && want == SECPOLD_UID) {
			log_warn("refused process %d (type %u) taking secpold's uid %u",
				 c->pid, c->type, want);
			return refuse(c, cur[3]);
		}
		/* changing to an id the process already has needs no
		 * ability, as in the kernel */
		for (k = 0; k < 4; k++)
			if (cur[k] == want)
				break;
		held = k < 4;
		/* setuid and setgid check the capability first, whatever
		 * the id (and fall back to the unprivileged rules): their
		 * check is reported as the kernel would; the others only
		 * check for an id not held */
		if (held && !(sc->nids == 1 && !sc->fs))
			continue;
		if (!call_need_value(c, ab, want) && !held)
			return refuse(c, cur[3]);
	}
	call_continue(c);
}

/*
 * setgroups under a setgid subrange.  The list is in the process's memory,
 * where another thread could change it after our check, and secpold cannot
 * set another process's groups for it: only clearing the list (size 0,
 * nothing to read) is let through.
 */
void decide_setgroups(struct call *c)
{
	struct sp_grant_view g;

	taskcache_forget_creds(c->d->tasks, c->tid);
	if (sp_policy_grant(c->policy, c->type, c->dom, CAP_SETGID, &g) < 0 ||
	    !g.ranged || c->req->data.args[0] == 0)
		return call_continue(c);
	if (!call_lacks(c, CAP_SETGID))
		return call_continue(c);
	log_info("refused setgroups of %d with %llu groups: a setgid subrange allows only clearing the list",
		 c->pid, (unsigned long long)c->req->data.args[0]);
	call_errno(c, EPERM);
}

void decide_capset(struct call *c)
{
	taskcache_forget_creds(c->d->tasks, c->tid);
	call_continue(c);
}

void decide_umask(struct call *c)
{
	taskcache_set_umask(c->d->tasks, c->pid, c->start_ns,
			    (mode_t)c->req->data.args[0]);
	call_continue(c);
}
