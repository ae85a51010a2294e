// SPDX-License-Identifier: BSD-2-Clause
/*
 * The decision of one supervised system call: who made it, then the
 * handler its kind names in the table of supervised calls
 * (launch/supervised.c).  The handlers are in decide_path.c (bind, mknod,
 * symlink, mount), decide_channel.c (connect, sends, listen),
 * decide_creds.c (set*id, setgroups, capset, umask) and decide_proc.c
 * (side doors, namespaces, other architectures).
 *
 * The policy is never half-applied: a caller secpold cannot name (its
 * type was lost, or is beyond the policy) is refused.
 */
#include "decide.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "call.h"
#include "common/log.h"
#include "common/util.h"
#include "launch/supervised.h"

#define AUDIT_ARCH_NATIVE 0xc000003eu /* x86_64 */

typedef void (*handler)(struct call *c);

static const handler handlers[SC_KIND_COUNT] = {
	[SC_BIND] = decide_bind,
	[SC_CONNECT] = decide_connect,
	[SC_LISTEN] = decide_listen,
	[SC_SENDTO] = decide_sendto,
	[SC_SENDMSG] = decide_sendmsg,
	[SC_SENDMMSG] = decide_sendmmsg,
	[SC_SYMLINK] = decide_symlink,
	[SC_MKNOD] = decide_mknod,
	[SC_MOUNT] = decide_mount,
	[SC_SETID] = decide_setid,
	[SC_SETGROUPS] = decide_setgroups,
	[SC_CREDS] = decide_capset,
	[SC_UMASK] = decide_umask,
	[SC_FS_CHANGE] = decide_fs_change,
	[SC_NAMESPACE] = decide_namespace,
	[SC_SIGNAL_OWNER] = decide_signal_owner,
	[SC_FORK] = decide_fork,
	[SC_IO_URING] = decide_io_uring,
	[SC_USERFAULTFD] = decide_userfaultfd,
	[SC_MOUNT_API] = decide_mount_api,
};

bool decide_is_setid(int nr)
{
	const struct sc_call *sc = sc_lookup(nr);

	return sc && sc->kind == SC_SETID;
}

/* Who made the call: its type (from the types map, kept by the BPF
 * programs) and credentials.  0, or an errno to refuse with. */
static int identify(struct call *c)
{
	struct spb_task t;
	pid_t ppid;
	int r;

	/* every supervised task has a type; if it has none (the map lost
	 * it), refuse rather than guess */
	if (collector_get_type(c->d->col, c->tid, &t) < 0 || !c->policy ||
	    daemon_task_type(c->d, &t, &c->type) < 0 ||
	    c->type >= sp_policy_type_count(c->policy)) {
		log_warn("refusing system call %d of task %d: %s",
			 c->req->data.nr, c->tid,
			 !c->policy ? "no policy is loaded" :
				      "its type is not in the policy");
		return EPERM;
	}
	c->gen = t.gen;
	c->pid = (pid_t)t.tgid;
	c->start_ns = t.start_ns;
	if (!c->pid &&
	    procfs_task_ids(c->tid, &c->pid, &ppid, &c->start_ns) < 0)
		return ESRCH;
	r = call_creds(c);
	if (r < 0)
		return r == -ESRCH ? ESRCH : EPERM;
	c->dom = c->creds.euid == 0 ? SP_ROOT : SP_NONROOT;
	c->learning = daemon_type_learning(c->d, c->policy, c->type);
	c->who = (struct ev_actor){
		.tid = c->tid,
		.pid = c->pid,
		.start_ns = c->start_ns,
		.type = c->type,
		.uid = c->creds.uid,
		.euid = c->creds.euid,
		.gid = c->creds.gid,
		.egid = c->creds.egid,
		.syscall = c->req->data.nr,
		.root = c->dom == SP_ROOT,
	};
	return 0;
}

void decide_tail(struct daemon *d, struct call_tail *tail)
{
	struct stat st;

	if (tail->channel) {
		/* the socket's own inode and namespace, and the pinned copy
		 * of the table for a restarted secpold */
		if (fstat(tail->chan_sock, &st) == 0)
			tail->ci.sock_ino = st.st_ino;
		daemon_lock(d);
		chantab_add_path_ns(d->chans, tail->dev, tail->ino,
				    sock_netns(tail->chan_sock), &tail->ci);
		daemon_unlock(d);
	}
	for (unsigned i = 0; i < tail->nfds; i++)
		close(tail->fds[i]);
	memset(tail, 0, sizeof(*tail));
}

void decide(struct daemon *d, int act_slot, int lfd,
	    const struct seccomp_notif *req, struct seccomp_notif_resp *resp,
	    struct call_tail *tail)
{
	struct call c = {
		.d = d,
		.tail = tail,
		.act_slot = act_slot,
		.lfd = lfd,
		.req = req,
		.resp = resp,
		.tid = (pid_t)req->pid,
	};
	handler h = NULL;
	int err;

	resp->id = req->id;
	c.policy = daemon_policy_get(d);
	err = identify(&c);
	if (err) {
		call_errno(&c, err);
		goto out;
	}
	call_kernel_first(&c);
	if (req->data.arch != AUDIT_ARCH_NATIVE) {
		decide_compat(&c);
		goto out;
	}
	c.sc = sc_lookup(req->data.nr);
	if (c.sc)
		h = handlers[c.sc->kind];
	if (!h) {
		log_warn("unexpected supervised system call %d from %d",
			 req->data.nr, c.tid);
		call_errno(&c, ENOSYS);
		goto out;
	}
	h(&c);
out:
	daemon_policy_put(d, c.policy);
	if (resp->error == -ENOTRECOVERABLE) {
		/* this thread could not get its own credentials back: it must
		 * not decide anything more (typed processes fail closed until
		 * a new secpold takes over) */
		log_err("could not restore secpold's credentials after acting for %d: stopping",
			c.tid);
		resp->error = -EPERM;
		daemon_stop(d);
	}
}
