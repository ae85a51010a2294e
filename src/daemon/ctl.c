// SPDX-License-Identifier: BSD-2-Clause
/*
 * The control socket.  Peers are identified by the kernel (SO_PEERCRED,
 * SO_PEERPIDFD), never by what they say:
 *  - push and subscribe: root without a type, or a type with mac_admin
 *    (QNX needs MAC_POLICY to push);
 *  - assign a type: root without a type, or a type with settypeid
 *    covering the new type;
 *  - register a listener: root without a type.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/strnum.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "daemon.h"
#include "lang/suggest.h"
#include "policy/ability.h"
#include "procfs.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

static void close_client(struct daemon *d, struct client *cl)
{
	struct client **pp = &d->clients;

	while (*pp && *pp != cl)
		pp = &(*pp)->next;
	if (*pp)
		*pp = cl->next;
	daemon_unwatch(d, &cl->w);
	if (cl->sub) {
		daemon_lock(d);
		bus_unsubscribe(d->bus, cl->sub);
		daemon_unlock(d);
		daemon_kernel_settings(d, false);
	}
	if (cl->pidfd >= 0)
		close(cl->pidfd);
	close(cl->w.fd);
	free(cl);
}

void ctl_close_all(struct daemon *d)
{
	while (d->clients)
		close_client(d, d->clients);
}

/* The caller's type, or -1 if it has none.  The process's entry (its
 * main thread's) stays in the map while any of its threads lives. */
static int64_t caller_type(struct daemon *d, const struct client *cl)
{
	struct spb_task t;
	uint32_t type;

	if (collector_get_type(d->col, cl->pid, &t) < 0)
		return -1;
	/* typed, but of a generation secpold no longer knows: the type no
	 * policy has (refused everything) */
	if (daemon_task_type(d, &t, &type) < 0)
		return SPB_TYPE_GONE;
	return type;
}

static enum sp_domain caller_domain(const struct client *cl)
{
	struct proc_creds cr;

	if (procfs_creds(cl->pid, &cr) == 0)
		return cr.euid == 0 ? SP_ROOT : SP_NONROOT;
	return cl->uid == 0 ? SP_ROOT : SP_NONROOT;
}

/* Root without a type, or a type holding mac_admin. */
static bool caller_admin(struct daemon *d, const struct client *cl)
{
	int64_t t = caller_type(d, cl);

	if (t < 0)
		return cl->uid == 0;
	return d->policy && sp_policy_has(d->policy, (uint32_t)t,
					  caller_domain(cl), CAP_MAC_ADMIN);
}

static void reply(struct client *cl, const struct ctl_msg *m, int32_t status,
		  const void *payload, size_t len, int fd)
{
	ctl_send(cl->w.fd, m->hdr.type | CTL_REPLY, status, m->hdr.seq, payload,
		 len, fd);
}

#define fail(cl, m, status, ...)                                              \
	ctl_send_error((cl)->w.fd, (m)->hdr.type | CTL_REPLY, (status),       \
		       (m)->hdr.seq, __VA_ARGS__)

static void do_hello(struct daemon *d, struct client *cl,
		     const struct ctl_msg *m)
{
	const struct collector_caps *caps = collector_caps(d->col);
	struct ctl_status st = {
		.pid = (uint32_t)getpid(),
		.nlisteners = d->nlisteners,
		.notifications = __atomic_load_n(&d->notifications,
						 __ATOMIC_RELAXED),
		.lost_kernel = collector_lost(d->col),
	};

	daemon_lock(d);
	st.nsubscribers = (uint32_t)bus_count(d->bus);
	st.lost_monitors = bus_lost_total(d->bus);
	daemon_unlock(d);

	if (d->policy) {
		st.flags |= CTL_ST_POLICY;
		st.policy_id = sp_policy_id(d->policy);
		if (!sp_policy_mutable(d->policy))
			st.flags |= CTL_ST_IMMUTABLE;
	}
	if (caps->cap_events)
		st.flags |= CTL_ST_CAP_EVENTS;
	if (caps->unix_hooks)
		st.flags |= CTL_ST_UNIX_HOOKS;
	collector_count_typed(d->col, &st.ntyped);
	reply(cl, m, 0, &st, sizeof(st), -1);
}

static void do_push(struct daemon *d, struct client *cl, struct ctl_msg *m)
{
	struct ctl_push opts = {0};
	struct sp_policy *p = NULL;
	char err[256], *buf = NULL;
	size_t len;
	int r;

	if (!caller_admin(d, cl))
		return (void)fail(cl, m, -EPERM,
				  "only root without a type, or a type with mac_admin, may push a policy");
	if (m->fd < 0)
		return (void)fail(cl, m, -EINVAL, "no policy file was passed");
	if (m->hdr.len == sizeof(struct ctl_push))
		memcpy(&opts, m->payload, sizeof(opts));
	else if (m->hdr.len != 0)
		return (void)fail(cl, m, -EINVAL, "malformed request");
	r = read_fd_all(m->fd, SPB_MAX_FILE, &buf, &len);
	if (r < 0)
		return (void)fail(cl, m, r, "cannot read the policy: %s",
				  strerror(-r));
	r = sp_policy_load(buf, len, &p, err, sizeof(err));
	free(buf);
	if (r < 0)
		return (void)fail(cl, m, -EINVAL, "invalid policy: %s", err);
	if (d->policy && !sp_policy_mutable(d->policy)) {
		uint32_t id = sp_policy_id(d->policy);

		sp_policy_free(p);
		return (void)fail(cl, m, -EPERM,
				  "the running policy 0x%08x is immutable and cannot be replaced until the system restarts",
				  id);
	}
	if ((opts.flags & CTL_PUSH_DEVELOP) && !sp_policy_mutable(p)) {
		sp_policy_free(p);
		return (void)fail(cl, m, -EPERM,
				  "develop mode needs a mutable policy (secpolcompile -m): it adds types as they are named");
	}
	r = daemon_set_policy(d, p);
	if (r < 0)
		return (void)fail(cl, m, r, "cannot install the policy: %s",
				  strerror(-r));
	if (opts.flags & (CTL_PUSH_DEVELOP | CTL_PUSH_ENFORCE))
		__atomic_store_n(&d->develop, !!(opts.flags & CTL_PUSH_DEVELOP),
				 __ATOMIC_RELAXED);
	log_info("policy 0x%08x pushed by process %d", sp_policy_id(d->policy),
		 cl->pid);
	daemon_log_learning(d);
	/* what the push did to running processes, for secpol -p to say */
	reply(cl, m, 0, d->push_summary, strlen(d->push_summary) + 1, -1);
}

/* Retypes every thread of pid (a typed caller cannot add a listener: its
 * filter chain already has one, so its type changes instead). */
static int retype_process(struct daemon *d, pid_t pid, uint32_t type,
			  uint32_t flags)
{
	struct dirent *de;
	uint64_t start;
	pid_t tgid, ppid;
	DIR *dir;
	int r = 0, fd;

	r = procfs_task_ids(pid, &tgid, &ppid, &start);
	if (r < 0)
		return r;
	fd = procfs_open(pid, "task", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((de = readdir(dir))) {
		uint64_t tid;

		if (de->d_name[0] == '.')
			continue;
		if (strnum_u64(de->d_name, 10, 1, INT32_MAX, &tid) < 0)
			continue;
		r = collector_set_type(d->col, (pid_t)tid, type,
				       flags | daemon_task_flags(d), pid, start);
		if (r < 0)
			break;
	}
	closedir(dir);
	return r;
}

static void unknown_type(struct daemon *d, struct client *cl,
			 const struct ctl_msg *m, const char *name)
{
	struct strbuf q = STRBUF_INIT;
	struct suggester sg;
	uint32_t i;

	sb_escape(&q, name, strlen(name), 0);
	suggester_init(&sg, name, strlen(name), false);
	for (i = 0; i < sp_policy_type_count(d->policy); i++)
		suggester_add(&sg, sp_policy_type_name(d->policy, i));
	if (suggester_best(&sg))
		fail(cl, m, -ENOENT,
		     "unknown type '%s' in policy 0x%08x; did you mean '%s'?",
		     sb_str(&q), sp_policy_id(d->policy), suggester_best(&sg));
	else
		fail(cl, m, -ENOENT, "unknown type '%s' in policy 0x%08x",
		     sb_str(&q), sp_policy_id(d->policy));
	sb_free(&q);
}

/*
 * A sealed memfd holding type's attach and link rules on file-system
 * paths (struct ctl_fs_rule records; see proto.h), for `on` to build the
 * process's Landlock domain; *n gets their count.  The fd or -errno: the
 * assignment fails rather than send less than every rule.
 */
static int rules_memfd(const struct sp_policy *p, uint32_t type, uint32_t *n)
{
	size_t nr = sp_policy_rules(p, type, NULL, 0), i;
	_cleanup_free_ struct sp_rule_view *v = calloc(nr ? nr : 1, sizeof(*v));
	_cleanup_close_ int fd = -1;
	struct strbuf sb = STRBUF_INIT;
	int r = 0;

	*n = 0;
	if (!v)
		return -ENOMEM;
	sp_policy_rules(p, type, v, nr);
	for (i = 0; i < nr; i++) {
		struct ctl_fs_rule h = {
			.kind = (v[i].flags & SPB_R_LINK) ? CTL_FR_LINK : CTL_FR_ATTACH,
			.shape = (v[i].flags & SPB_R_PREFIX)    ? CTL_FR_PREFIX :
				 (v[i].flags & SPB_R_PATTERN) ? CTL_FR_PATTERN :
								CTL_FR_EXACT,
		};
		size_t len = strlen(v[i].path);

		if ((v[i].flags & SPB_R_ABSTRACT) || v[i].path[0] != '/')
			continue;
		if (len > UINT16_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		h.len = (uint16_t)len;
		sb_append(&sb, (const char *)&h, sizeof(h));
		sb_append(&sb, v[i].path, len);
		(*n)++;
	}
	fd = memfd_create("secpol-rules", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (r == 0 && fd < 0)
		r = -errno;
	if (r == 0 && sb_error(&sb))
		r = -ENOMEM;
	if (r == 0 && (write_all(fd, sb_str(&sb), sb.len) < 0 ||
		       fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
						      F_SEAL_WRITE | F_SEAL_SEAL) < 0))
		r = -EIO;
	sb_free(&sb);
	return r < 0 ? r : steal_fd(&fd);
}

/*
 * Develop mode: a type the policy lacks is made for the run (learning,
 * no grants beyond the defaults), announced in the log and to monitors.
 * 0 and *type, or -errno with the reply sent.
 */
static int new_type(struct daemon *d, struct client *cl,
		    const struct ctl_msg *m, const char *name, uint32_t *type)
{
	struct sp_policy *np = NULL;
	struct strbuf q = STRBUF_INIT;
	struct ev_actor who;
	int r;

	sb_escape(&q, name, strlen(name), 0);
	r = sp_policy_add_type(d->policy, name, SPB_T_LEARNING, &np, type);
	if (r == 0) {
		r = daemon_set_policy(d, np);
		if (r < 0)
			sp_policy_free(np);
	}
	if (r < 0) {
		fail(cl, m, r,
		     r == -EINVAL ? "'%s' cannot be a type name (letters, digits and '_', not starting with a digit)" :
				    "cannot make type '%s' for this run: %s",
		     sb_str(&q), strerror(-r));
		sb_free(&q);
		return r;
	}
	log_info("develop mode: new type %s (%u) for this run, asked for by process %d",
		 sb_str(&q), *type, cl->pid);
	sb_free(&q);
	if (events_wanted(d) && events_actor_of(cl->pid, *type, &who) == 0) {
		struct ev_what w = {.kind = EV_NEWTYPE, .obj_type = SPB_NO_TYPE};

		events_emit(d, &who, &w);
	}
	return 0;
}

static void do_assign(struct daemon *d, struct client *cl, struct ctl_msg *m)
{
	struct ctl_assign a;
	struct ctl_assign_reply reply_ar, *ar = &reply_ar;
	char name[SPB_MAX_NAME + 1];
	int rfd;
	uint64_t start;
	int64_t ctype;
	uint32_t type;
	pid_t tgid, ppid;
	bool new = false;
	int r;

	memset(ar, 0, sizeof(*ar));
	if (m->hdr.len < sizeof(a))
		return (void)fail(cl, m, -EINVAL, "malformed request");
	memcpy(&a, m->payload, sizeof(a));
	if (a.name_len == 0 || a.name_len > SPB_MAX_NAME ||
	    a.name_len != m->hdr.len - sizeof(a))
		return (void)fail(cl, m, -EINVAL, "malformed type name");
	memcpy(name, m->payload + sizeof(a), a.name_len);
	name[a.name_len] = '\0';
	if (strlen(name) != a.name_len)
		return (void)fail(cl, m, -EINVAL, "malformed type name");
	if (!d->policy)
		return (void)fail(cl, m, -ENOENT,
				  "no policy is loaded: push one with 'secpol -p'");
	if (sp_policy_type_lookup(d->policy, name, &type) < 0) {
		if (!d->develop)
			return unknown_type(d, cl, m, name);
		r = new_type(d, cl, m, name, &type);
		if (r < 0)
			return;
		new = true;
	}
	if (a.uid == SECPOLD_UID)
		return (void)fail(cl, m, -EPERM,
				  "uid %u is secpold's own: no typed process may run as it",
				  SECPOLD_UID);

	/* the target: the caller itself, or its child */
	if (procfs_task_ids((pid_t)a.pid, &tgid, &ppid, &start) < 0 ||
	    tgid != (pid_t)a.pid)
		return (void)fail(cl, m, -ESRCH, "no process %u", a.pid);
	if (tgid != cl->pid && !((a.flags & CTL_AS_CHILD) && ppid == cl->pid))
		return (void)fail(cl, m, -EPERM,
				  "a process may only type itself or its own child");

	ctype = caller_type(d, cl);
	if (ctype < 0) {
		if (cl->uid != 0)
			return (void)fail(cl, m, -EPERM,
					  "only root may start processes under a type");
		/* a fresh tree: the child will install a filter and
		 * register it; until its exec it has no name of its own */
		r = collector_set_type(d->col, tgid, type,
				       daemon_task_flags(d), tgid, start);
		if (r < 0)
			return (void)fail(cl, m, r, "cannot record the type: %s",
					  strerror(-r));
		ar->flags = CTL_AR_NEEDS_LISTENER;
	} else {
		enum sp_domain dom = caller_domain(cl);
		bool ok = sp_policy_check(d->policy, (uint32_t)ctype, dom,
					  AB_SETTYPEID, type, type) == SP_ALLOW;
		struct ev_actor who;

		if ((events_wanted(d) || !ok) &&
		    events_actor_of(cl->pid, (uint32_t)ctype, &who) == 0) {
			struct ev_what w = {
				.kind = EV_ABILITY,
				.ability = AB_SETTYPEID,
				.flags = EVF_VALUE,
				.allowed = ok,
				.obj_type = SPB_NO_TYPE,
				.lo = type,
				.hi = type,
				.err = ok ? 0 : EPERM,
			};

			who.root = dom == SP_ROOT;
			events_emit(d, &who, &w);
		}
		if (!ok)
			return (void)fail(cl, m, -EPERM,
					  "type %s may not start processes of type %s (it lacks settypeid:%s)",
					  sp_policy_type_name(d->policy, (uint32_t)ctype),
					  name, name);
		/* like a new tree: no name of its own until it execs */
		r = retype_process(d, (pid_t)a.pid, type, 0);
		if (r < 0)
			return (void)fail(cl, m, r, "cannot retype process %u: %s",
					  a.pid, strerror(-r));
		ar->flags = CTL_AR_RETYPED;
	}
	ar->type = type;
	ar->policy_id = sp_policy_id(d->policy);
	for (uint32_t t = 1; t < sp_policy_type_count(d->policy); t++)
		if (sp_policy_type_limit(d->policy, t, SP_LIMIT_PROCESSES))
			ar->flags |= CTL_AR_LIMITS;
	if (daemon_type_learning(d, d->policy, type)) {
		/* A learning type's processes keep the capabilities their
		 * user has without a type (the capability tracepoint then
		 * sees what they use) and no Landlock domain: they may make
		 * and rename what they like, which is what they learn. */
		struct proc_creds cr;

		ar->caps_root = procfs_creds(cl->pid, &cr) == 0 ? cr.cap_prm : 0;
		ar->caps_nonroot = 0;
		ar->flags |= CTL_AR_UNCONFINED;
		if (new)
			ar->flags |= CTL_AR_NEW_TYPE;
	} else {
		ar->caps_root = sp_policy_caps(d->policy, type, SP_ROOT);
		ar->caps_nonroot = sp_policy_caps(d->policy, type, SP_NONROOT);
	}
	rfd = rules_memfd(d->policy, type, &ar->nrules);
	if (rfd < 0)
		return (void)fail(cl, m, rfd,
				  "cannot pass the file-system rules of type %s: %s",
				  name, strerror(-rfd));
	log_info("process %u is now of type %s (for process %d)", a.pid, name,
		 cl->pid);
	reply(cl, m, 0, ar, sizeof(*ar), rfd);
	close(rfd);
}

static bool is_seccomp_listener(int fd)
{
	char rel[32], target[64];

	snprintf(rel, sizeof(rel), "fd/%d", fd);
	return procfs_readlink(PROCFS_SELF, rel, target, sizeof(target)) > 0 &&
	       strcmp(target, "anon_inode:seccomp notify") == 0;
}

static void do_register(struct daemon *d, struct client *cl, struct ctl_msg *m)
{
	struct ctl_register rg;
	struct spb_task t;
	pid_t tgid, ppid;
	uint64_t start;
	int pidfd, fd, r;

	if (m->hdr.len != sizeof(rg))
		return (void)fail(cl, m, -EINVAL, "malformed request");
	memcpy(&rg, m->payload, sizeof(rg));
	if (cl->uid != 0 || caller_type(d, cl) >= 0)
		return (void)fail(cl, m, -EPERM,
				  "only root without a type may register a listener");
	if (procfs_task_ids((pid_t)rg.pid, &tgid, &ppid, &start) < 0 ||
	    (tgid != cl->pid && ppid != cl->pid))
		return (void)fail(cl, m, -EPERM,
				  "the listener must be held by the caller or its child");
	pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd < 0)
		return (void)fail(cl, m, -errno, "no process %u", rg.pid);
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, rg.fd, 0);
	r = -errno;
	close(pidfd);
	if (fd < 0)
		return (void)fail(cl, m, r, "cannot take descriptor %d of %u: %s",
				  rg.fd, rg.pid, strerror(-r));
	if (!is_seccomp_listener(fd)) {
		close(fd);
		return (void)fail(cl, m, -EINVAL,
				  "descriptor %d of %u is not a seccomp listener",
				  rg.fd, rg.pid);
	}
	/* after a restart without the pinned map the tree's root may have
	 * no type: take the registrant's word for it (root, untyped) */
	if (collector_get_type(d->col, (pid_t)rg.root_pid, &t) < 0 && d->policy &&
	    rg.type < sp_policy_type_count(d->policy))
		if (procfs_task_ids((pid_t)rg.root_pid, &tgid, &ppid, &start) == 0)
			collector_set_type(d->col, (pid_t)rg.root_pid, rg.type,
					   ((rg.flags & CTL_RG_AGAIN) ?
						    SPB_TASK_NAMED : 0) |
						   daemon_task_flags(d),
					   tgid, start);
	r = supervise_add(d, fd, (pid_t)rg.root_pid, rg.type, m->fd);
	if (r < 0) {
		close(fd);
		return (void)fail(cl, m, r, "cannot supervise: %s", strerror(-r));
	}
	log_info("%s supervising the process tree of %u",
		 (rg.flags & CTL_RG_AGAIN) ? "again" : "now", rg.root_pid);
	reply(cl, m, 0, NULL, 0, -1);
}

static void do_subscribe(struct daemon *d, struct client *cl,
			 struct ctl_msg *m)
{
	struct ctl_subscribe s;
	const char *names, *p;
	uint16_t i;

	if (!caller_admin(d, cl))
		return (void)fail(cl, m, -EPERM,
				  "only root without a type, or a type with mac_admin, may monitor");
	if (cl->sub)
		return (void)fail(cl, m, -EBUSY, "already subscribed");
	if (m->hdr.len < sizeof(s))
		return (void)fail(cl, m, -EINVAL, "malformed request");
	memcpy(&s, m->payload, sizeof(s));
	names = m->payload + sizeof(s);
	if (s.nnames > CTL_SUB_MAX_NAMES ||
	    s.names_len != m->hdr.len - sizeof(s) || (s.nnames && !s.names_len) ||
	    (!s.nnames && s.names_len))
		return (void)fail(cl, m, -EINVAL, "malformed name list");
	/* exactly nnames non-empty NUL-terminated names */
	for (i = 0, p = names; i < s.nnames; i++) {
		size_t left = s.names_len - (size_t)(p - names);
		size_t n = strnlen(p, left);

		if (n == 0 || n == left)
			return (void)fail(cl, m, -EINVAL, "malformed name list");
		p += n + 1;
	}
	if ((size_t)(p - names) != s.names_len)
		return (void)fail(cl, m, -EINVAL, "malformed name list");
	daemon_lock(d);
	cl->sub = bus_subscribe(d->bus, cl->w.fd, &s, names, s.names_len);
	if (cl->sub)
		bus_set_self(cl->sub, (uint32_t)cl->pid);
	daemon_unlock(d);
	if (!cl->sub)
		return (void)fail(cl, m, -ENOMEM, "out of memory");
	daemon_kernel_settings(d, true);
	reply(cl, m, 0, NULL, 0, d->policy_memfd);
}

/*
 * Requests are judged by who opened the connection (its pid, uid and
 * type).  If that process is gone, its pid may already name another
 * process: a typed child that inherited the connection could then pass
 * for an untyped root.  The pidfd from SO_PEERPIDFD tells.
 */
static bool peer_alive(const struct client *cl)
{
	struct pollfd p = {.fd = cl->pidfd, .events = POLLIN};

	if (cl->pidfd < 0)
		return true; /* kernels before 6.5: pid and uid only */
	/* a pidfd is readable once its process has exited, zombie or not
	 * (a zombie's type is already gone from the map) */
	return poll(&p, 1, 0) == 0;
}

static void handle(struct daemon *d, struct client *cl, struct ctl_msg *m)
{
	if (m->hdr.type != CTL_HELLO && !peer_alive(cl)) {
		fail(cl, m, -EPERM,
		     "the process that opened this connection (%d) has exited",
		     cl->pid);
		return;
	}
	switch (m->hdr.type) {
	case CTL_HELLO:
		do_hello(d, cl, m);
		break;
	case CTL_PUSH:
		do_push(d, cl, m);
		break;
	case CTL_ASSIGN:
		do_assign(d, cl, m);
		break;
	case CTL_REGISTER:
		do_register(d, cl, m);
		break;
	case CTL_SUBSCRIBE:
		do_subscribe(d, cl, m);
		break;
	case CTL_LIST:
		ctl_list(d, cl, m, caller_admin(d, cl));
		break;
	default:
		fail(cl, m, -EINVAL, "unknown request %u", m->hdr.type);
		break;
	}
}

static void on_client(struct daemon *d, struct watch *w, uint32_t events)
{
	struct client *cl = (struct client *)((char *)w - offsetof(struct client, w));
	struct ctl_msg *m;
	int r;

	if (events & EPOLLIN) {
		m = malloc(sizeof(*m));
		if (!m)
			return;
		r = ctl_recv(w->fd, m);
		if (r == -EAGAIN) {
			free(m);
		} else if (r < 0) {
			if (r == -EPROTO)
				log_warn("closing a connection from process %d: malformed message",
					 cl->pid);
			free(m);
			close_client(d, cl);
			return;
		} else {
			handle(d, cl, m);
			if (m->fd >= 0)
				close(m->fd);
			free(m);
		}
	}
	if ((events & (EPOLLHUP | EPOLLERR)) && !(events & EPOLLIN)) {
		close_client(d, cl);
		return;
	}
	if ((events & EPOLLOUT) && cl->sub)
		ctl_flush_monitors(d);
}

/*
 * Connections held open at once: per process, and in all.  Only root can
 * connect, but a typed root process is still one that must not starve
 * secpold of descriptors (supervision needs them for every call).
 */
#define CTL_MAX_PER_PROCESS 16
#define CTL_MAX_CLIENTS 512

/* Refuses the connection if its process, or everyone, holds too many. */
static bool over_limit(struct daemon *d, pid_t pid)
{
	unsigned n = 0, same = 0;

	for (const struct client *c = d->clients; c; c = c->next) {
		n++;
		same += c->pid == pid;
	}
	if (n < CTL_MAX_CLIENTS && same < CTL_MAX_PER_PROCESS)
		return false;
	if (same >= CTL_MAX_PER_PROCESS)
		log_warn("refused a control connection of process %d: it holds %d already",
			 pid, CTL_MAX_PER_PROCESS);
	else
		log_warn("refused a control connection of process %d: %d connections are open",
			 pid, CTL_MAX_CLIENTS);
	return true;
}

void ctl_accept(struct daemon *d, struct watch *w, uint32_t events)
{
	(void)events;
	for (;;) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct client *cl;
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("accept on the control socket: %s",
					 strerror(errno));
			return;
		}
		cl = calloc(1, sizeof(*cl));
		if (!cl || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
		    over_limit(d, cred.pid)) {
			free(cl);
			close(fd);
			continue;
		}
		cl->w.fd = fd;
		cl->w.fn = on_client;
		cl->pid = cred.pid;
		cl->uid = cred.uid;
		len = sizeof(cl->pidfd);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &cl->pidfd, &len) < 0)
			cl->pidfd = -1;
		if (daemon_watch(d, &cl->w, EPOLLIN) < 0) {
			if (cl->pidfd >= 0)
				close(cl->pidfd);
			close(fd);
			free(cl);
			continue;
		}
		cl->next = d->clients;
		d->clients = cl;
	}
}

void ctl_flush_monitors(struct daemon *d)
{
	struct client *cl, *next;

	for (cl = d->clients; cl; cl = next) {
		int r;

		next = cl->next;
		if (!cl->sub)
			continue;
		daemon_lock(d);
		r = bus_pending(cl->sub) || cl->want_out ? bus_flush(cl->sub) :
							   0;
		daemon_unlock(d);
		if (r < 0) {
			close_client(d, cl);
			continue;
		}
		if ((r == 1) != cl->want_out) {
			cl->want_out = r == 1;
			daemon_rewatch(d, &cl->w,
				       EPOLLIN | (cl->want_out ? EPOLLOUT : 0));
		}
	}
}
