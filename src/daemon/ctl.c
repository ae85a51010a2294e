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
#include "proxy.h"

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
		bus_unsubscribe(d->bus, cl->sub);
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

	if (collector_get_type(d->col, cl->pid, &t) < 0)
		return -1;
	return t.type;
}

static enum sp_domain caller_domain(const struct client *cl)
{
	struct proc_creds cr;

	if (proc_creds_read(cl->pid, &cr) == 0)
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
		.nsubscribers = (uint32_t)bus_count(d->bus),
		.notifications = d->notifications,
		.lost_kernel = collector_lost(d->col),
		.lost_monitors = bus_lost_total(d->bus),
	};

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
	struct sp_policy *p = NULL;
	char err[256], *buf = NULL;
	size_t len;
	int r;

	if (!caller_admin(d, cl))
		return (void)fail(cl, m, -EPERM,
				  "only root without a type, or a type with mac_admin, may push a policy");
	if (m->fd < 0)
		return (void)fail(cl, m, -EINVAL, "no policy file was passed");
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
	r = daemon_set_policy(d, p);
	if (r < 0)
		return (void)fail(cl, m, r, "cannot install the policy: %s",
				  strerror(-r));
	log_info("policy 0x%08x pushed by process %d", sp_policy_id(d->policy),
		 cl->pid);
	reply(cl, m, 0, NULL, 0, -1);
}

/* Retypes every thread of pid (a typed caller cannot add a listener: its
 * filter chain already has one, so its type changes instead). */
static int retype_process(struct daemon *d, pid_t pid, uint32_t type,
			  uint32_t flags)
{
	char path[64];
	struct dirent *de;
	uint64_t start;
	pid_t tgid, ppid;
	DIR *dir;
	int r = 0;

	r = proc_task_ids(pid, &tgid, &ppid, &start);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		uint64_t tid;

		if (de->d_name[0] == '.')
			continue;
		if (strnum_u64(de->d_name, 10, 1, INT32_MAX, &tid) < 0)
			continue;
		r = collector_set_type(d->col, (pid_t)tid, type, flags, pid,
				       start);
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
 * Appends the directories of type's rules of one kind (SPB_R_ATTACH or
 * SPB_R_LINK) to buf at *off, NUL-terminated, one per rule directory;
 * returns how many.  If they do not fit, "/" alone (no confinement for
 * that kind) is better than a partial list that would refuse what the
 * policy allows.
 */
static uint16_t rule_dirs(const struct sp_policy *p, uint32_t type,
			  uint32_t kind, char *buf, size_t len, size_t *off)
{
	size_t nr = sp_policy_rules(p, type, NULL, 0), i, start = *off;
	struct sp_rule_view *v = calloc(nr ? nr : 1, sizeof(*v));
	char dir[SPB_MAX_PATH + 1];
	uint16_t n = 0;

	if (!v)
		goto everything;
	sp_policy_rules(p, type, v, nr);
	for (i = 0; i < nr; i++) {
		size_t dl;

		if (!(v[i].flags & kind) ||
		    sp_path_rule_dir(v[i].path, v[i].flags, dir, sizeof(dir)) < 0)
			continue;
		dl = strlen(dir) + 1;
		if (*off + dl > len || n == UINT16_MAX) {
			free(v);
			goto everything;
		}
		memcpy(buf + *off, dir, dl);
		*off += dl;
		n++;
	}
	free(v);
	return n;
everything:
	*off = start;
	if (*off + 2 > len)
		return 0;
	memcpy(buf + *off, "/", 2);
	*off += 2;
	return 1;
}

static void do_assign(struct daemon *d, struct client *cl, struct ctl_msg *m)
{
	struct ctl_assign a;
	/* the reply and the directories after it */
	char out[CTL_MAX_PAYLOAD] __attribute__((aligned(8)));
	struct ctl_assign_reply *ar = (struct ctl_assign_reply *)out;
	char name[SPB_MAX_NAME + 1];
	size_t off;
	uint64_t start;
	int64_t ctype;
	uint32_t type;
	pid_t tgid, ppid;
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
	if (sp_policy_type_lookup(d->policy, name, &type) < 0)
		return unknown_type(d, cl, m, name);

	/* the target: the caller itself, or its child */
	if (proc_task_ids((pid_t)a.pid, &tgid, &ppid, &start) < 0 ||
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
		r = collector_set_type(d->col, tgid, type, 0, tgid, start);
		if (r < 0)
			return (void)fail(cl, m, r, "cannot record the type: %s",
					  strerror(-r));
		ar->flags = CTL_AR_NEEDS_LISTENER;
	} else {
		enum sp_domain dom = caller_domain(cl);
		struct sp_event *e = calloc(1, sizeof(*e));
		bool ok = sp_policy_check(d->policy, (uint32_t)ctype, dom,
					  AB_SETTYPEID, type, type) == SP_ALLOW;

		if (e) {
			struct proc_creds cr;

			e->kind = EV_ABILITY;
			e->ability = AB_SETTYPEID;
			e->flags = EVF_VALUE | EVF_SECPOLD |
				   (dom == SP_ROOT ? EVF_ROOT : 0);
			e->lo = e->hi = type;
			e->result = ok ? EV_ALLOWED : EV_DENIED;
			e->err = ok ? 0 : EPERM;
			e->obj_type = SPB_NO_TYPE;
			e->syscall = -1;
			if (proc_task_ids(cl->pid, &tgid, &ppid, &start) == 0)
				events_fill_process(d, e, cl->pid, cl->pid, start,
						    (uint32_t)ctype);
			if (proc_creds_read(cl->pid, &cr) == 0) {
				e->uid = cr.uid, e->euid = cr.euid;
				e->gid = cr.gid, e->egid = cr.egid;
			}
			events_publish(d, e);
			free(e);
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
	ar->caps_root = sp_policy_caps(d->policy, type, SP_ROOT);
	ar->caps_nonroot = sp_policy_caps(d->policy, type, SP_NONROOT);
	ar->policy_id = sp_policy_id(d->policy);
	off = sizeof(*ar);
	ar->nattach = rule_dirs(d->policy, type, SPB_R_ATTACH, out,
				sizeof(out), &off);
	ar->nlink = rule_dirs(d->policy, type, SPB_R_LINK, out, sizeof(out),
			      &off);
	log_info("process %u is now of type %s (for process %d)", a.pid, name,
		 cl->pid);
	reply(cl, m, 0, out, off, -1);
}

static bool is_seccomp_listener(int fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:seccomp notify") == 0;
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
	if (proc_task_ids((pid_t)rg.pid, &tgid, &ppid, &start) < 0 ||
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
		if (proc_task_ids((pid_t)rg.root_pid, &tgid, &ppid, &start) == 0)
			collector_set_type(d->col, (pid_t)rg.root_pid, rg.type,
					   (rg.flags & CTL_RG_AGAIN) ?
						   SPB_TASK_NAMED : 0,
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
	cl->sub = bus_subscribe(d->bus, cl->w.fd, &s, names, s.names_len);
	if (!cl->sub)
		return (void)fail(cl, m, -ENOMEM, "out of memory");
	bus_set_self(cl->sub, (uint32_t)cl->pid);
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
		if (!cl->sub || (!bus_pending(cl->sub) && !cl->want_out))
			continue;
		r = bus_flush(cl->sub);
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
