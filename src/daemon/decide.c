// SPDX-License-Identifier: BSD-2-Clause
/*
 * The decisions of SPEC §2 for typed processes.
 *
 * Calls whose arguments are plain values (listen, set*id, io_uring_setup)
 * are decided and, if allowed, continued: nothing can change under us.
 * Calls that name something through a pointer are never continued on the
 * strength of what we read, since another thread could rewrite it:
 *  - bind, symlink, mknod and mount are performed here, on the descriptor
 *    and directory we resolved, with the process's credentials (proxy.c);
 *  - connect and addressed sends keep the process's own credentials (the
 *    peer sees the real client), so they continue with a one-shot ticket
 *    that lets the kernel through only with the exact address we checked,
 *    rewritten to the canonical path we resolved (secpol.bpf.c).
 *
 * A missing ability is EPERM, a path or channel without a rule EACCES
 * (SPEC §2).  The policy is never half-applied: anything we cannot decide
 * is refused.
 */
#include "decide.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "launch/launch.h"
#include "pathres.h"
#include "policy/ability.h"
#include "procmem.h"
#include "proxy.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#define AUDIT_ARCH_NATIVE 0xc000003eu /* x86_64 */

struct call {
	struct daemon *d;
	int lfd;
	const struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	pid_t tid, pid;
	uint64_t start_ns;
	uint32_t type;
	enum sp_domain dom;
	struct proc_creds creds; /* ids always; the rest once full_creds() */
	bool full;
	int pidfd;
};

/* ---- answers ------------------------------------------------------ */

static void answer_continue(struct call *c)
{
	c->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	c->resp->error = 0;
	c->resp->val = 0;
}

/* err > 0 is an errno for the process */
static void answer_errno(struct call *c, int err)
{
	c->resp->flags = 0;
	c->resp->error = -err;
	c->resp->val = 0;
}

/* r: 0 or -errno from an operation we performed for the process */
static void answer_result(struct call *c, int r)
{
	c->resp->flags = 0;
	c->resp->error = r < 0 ? r : 0;
	c->resp->val = 0;
}

/* Is the notification still pending (process alive, same call)?  Checked
 * after reading its memory and before acting on what we read. */
static bool still_valid(struct call *c)
{
	__u64 id = c->req->id;

	return ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* ---- events ------------------------------------------------------- */

/* The thread's name, for -v and JSON (monitors are listening). */
static void read_comm(pid_t tid, struct sp_event *e)
{
	char path[48], buf[EV_COMM_MAX + 1];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (buf[n - 1] == '\n')
		n--;
	ev_set_comm(e, buf, (size_t)n);
}

static void base_event(struct call *c, struct sp_event *e, uint16_t kind)
{
	memset(e, 0, offsetof(struct sp_event, name));
	e->kind = kind;
	e->syscall = c->req->data.nr;
	e->obj_type = SPB_NO_TYPE;
	events_fill_process(c->d, e, c->tid, c->pid, c->start_ns, c->type);
	e->uid = c->creds.uid;
	e->euid = c->creds.euid;
	e->gid = c->creds.gid;
	e->egid = c->creds.egid;
	e->flags |= EVF_SECPOLD | (c->dom == SP_ROOT ? EVF_ROOT : 0);
	read_comm(c->tid, e);
}

static void emit_ability(struct call *c, uint16_t ability, bool allowed,
			 bool has_value, uint64_t lo, uint64_t hi, int err)
{
	struct sp_event *e;

	/* nobody is watching: naming the process would cost more than the
	 * decision */
	if (!bus_count(c->d->bus))
		return;
	e = malloc(sizeof(*e));
	if (!e)
		return;
	base_event(c, e, EV_ABILITY);
	e->ability = ability;
	e->result = allowed ? EV_ALLOWED : EV_DENIED;
	e->err = allowed ? 0 : err;
	if (has_value) {
		e->flags |= EVF_VALUE;
		e->lo = lo;
		e->hi = hi;
	}
	events_publish(c->d, e);
	free(e);
}

static void emit_path(struct call *c, uint16_t kind, const char *path,
		      size_t len, bool ok, enum ev_reason reason,
		      uint32_t chan_type, int err)
{
	struct sp_event *e;

	if (!bus_count(c->d->bus))
		return;
	e = malloc(sizeof(*e));
	if (!e)
		return;
	base_event(c, e, kind);
	ev_set_path(e, path, len);
	e->result = ok ? EV_ALLOWED : EV_DENIED;
	e->reason = (uint8_t)reason;
	e->obj_type = chan_type;
	e->err = ok ? 0 : err;
	events_publish(c->d, e);
	free(e);
}

/* Checks an ability without a value, reporting the use or the lack.
 * Returns true if the process has it. */
static bool need(struct call *c, uint16_t ability)
{
	bool ok = sp_policy_has(c->d->policy, c->type, c->dom, ability);

	emit_ability(c, ability, ok, false, 0, 0, EPERM);
	return ok;
}

/* ... and with a value (a port, a uid, a channel type). */
static bool need_value(struct call *c, uint16_t ability, uint64_t v)
{
	bool ok = sp_policy_check(c->d->policy, c->type, c->dom, ability, v,
				  v) == SP_ALLOW;

	emit_ability(c, ability, ok, true, v, v, EPERM);
	return ok;
}

/* ---- the process's descriptors and memory -------------------------- */

/*
 * A pidfd of the calling thread.  Before 6.9 only the process has one,
 * which gives the descriptors of its main thread: used only when the
 * calling thread shares that table (a clone without CLONE_FILES has its
 * own), else the call is refused.
 */
static int call_pidfd(struct call *c)
{
	if (c->pidfd >= 0)
		return c->pidfd;
	c->pidfd = (int)syscall(SYS_pidfd_open, c->tid, PIDFD_THREAD);
	if (c->pidfd < 0 && errno == EINVAL && c->tid != c->pid) {
		long same = syscall(SYS_kcmp, c->pid, c->tid, KCMP_FILES, 0, 0);

		if (same != 0)
			return same < 0 ? -errno : -EPERM;
	}
	if (c->pidfd < 0 && errno == EINVAL)
		c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	return c->pidfd < 0 ? -errno : c->pidfd;
}

/* A copy of descriptor fd of the calling thread (its own table). */
static int take_fd(struct call *c, int fd)
{
	int p = call_pidfd(c), r;

	if (p < 0)
		return p;
	r = (int)syscall(SYS_pidfd_getfd, p, fd, 0);
	return r < 0 ? -errno : r;
}

/* Everything proxy.c needs to act as the process (groups, capabilities,
 * umask): read only for the calls secpold performs itself, because it
 * costs several microseconds. */
static int full_creds(struct call *c)
{
	int r;

	if (c->full)
		return 0;
	r = proc_creds_read(c->tid, &c->creds);
	if (r == 0)
		c->full = true;
	return r;
}

static int sock_int_opt(int sock, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(sock, SOL_SOCKET, opt, &v, &len) < 0)
		return -errno;
	return v;
}

/* ---- unix socket addresses ---------------------------------------- */

struct uaddr {
	struct sockaddr_un sun;
	socklen_t len;
	bool abstract;
	bool autobind;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	size_t path_len; /* pathname: strlen; abstract: name bytes */
};

/* Reads and validates a unix address as the kernel would (EINVAL for
 * lengths it refuses). */
static int read_uaddr(struct call *c, uint64_t addr, uint64_t len,
		      struct uaddr *u)
{
	int r;

	memset(u, 0, sizeof(*u));
	if (len < sizeof(sa_family_t) || len > sizeof(u->sun))
		return -EINVAL;
	r = procmem_read(c->tid, addr, &u->sun, len);
	if (r < 0)
		return r;
	u->len = (socklen_t)len;
	if (u->sun.sun_family != AF_UNIX)
		return -EAFNOSUPPORT;
	if (len == sizeof(sa_family_t)) {
		u->autobind = true;
		return 0;
	}
	if (u->sun.sun_path[0] == '\0') {
		u->abstract = true;
		u->path_len = len - sizeof(sa_family_t) - 1;
		memcpy(u->path, u->sun.sun_path + 1, u->path_len);
		return 0;
	}
	u->path_len = strnlen(u->sun.sun_path, len - sizeof(sa_family_t));
	memcpy(u->path, u->sun.sun_path, u->path_len);
	u->path[u->path_len] = '\0';
	return 0;
}

/*
 * The policy's name for an abstract address: "@" + name.  Trailing NUL
 * padding (bind with sizeof(struct sockaddr_un)) is not significant for
 * the policy; a NUL inside the name cannot be written in a policy, so no
 * rule matches it.  Returns false for such a name.
 */
static bool abstract_policy_name(const struct uaddr *u, char *out, size_t len)
{
	size_t n = u->path_len;

	while (n && u->path[n - 1] == '\0')
		n--;
	if (memchr(u->path, '\0', n) || n + 2 > len)
		return false;
	out[0] = '@';
	memcpy(out + 1, u->path, n);
	out[n + 1] = '\0';
	return true;
}

/* The event's path for an abstract address: "@" + every byte. */
static void abstract_event_path(const struct uaddr *u, char *out, size_t *len)
{
	out[0] = '@';
	memcpy(out + 1, u->path, u->path_len);
	*len = u->path_len + 1;
}

/* ---- bind ---------------------------------------------------------- */

static int attach_check(struct call *c, const char *policy_path,
			const char *event_path, size_t event_len,
			uint32_t *chan_type)
{
	enum sp_path_result pr;

	if (!need(c, AB_PATHSPACE))
		return -EPERM;
	pr = sp_policy_check_attach(c->d->policy, c->type, policy_path,
				    SPB_NO_TYPE, chan_type);
	if (pr != SP_PATH_OK) {
		emit_path(c, EV_ATTACH, event_path, event_len, false,
			  (enum ev_reason)pr, SPB_NO_TYPE, EACCES);
		return -EACCES;
	}
	return 0;
}

static void bind_unix(struct call *c, int sock)
{
	_cleanup_close_ int dirfd = -1;
	struct chan_info ci = {0};
	char pname[sizeof(struct sockaddr_un) + 2];
	char epath[sizeof(struct sockaddr_un) + 2];
	uint32_t ct = c->type;
	struct pathres *pr = NULL;
	struct uaddr u;
	struct stat st;
	size_t elen;
	int r;

	r = read_uaddr(c, c->req->data.args[1], c->req->data.args[2], &u);
	if (r < 0)
		return answer_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	ci.owner = c->pid;
	ci.owner_start = c->start_ns;
	if (fstat(sock, &st) == 0)
		ci.sock_ino = st.st_ino;

	if (u.autobind) {
		/* an unnamed channel: nothing enters the path space */
		struct sockaddr_un got;
		socklen_t glen = sizeof(got);

		if (!still_valid(c))
			return answer_errno(c, EINTR);
		if (bind(sock, (struct sockaddr *)&u.sun, u.len) < 0)
			return answer_errno(c, errno);
		ci.type = c->type;
		if (getsockname(sock, (struct sockaddr *)&got, &glen) == 0 &&
		    glen > sizeof(sa_family_t) + 1)
			chantab_add_abstract(c->d->chans, sock_netns(sock),
					     got.sun_path + 1,
					     glen - sizeof(sa_family_t) - 1, &ci);
		return answer_result(c, 0);
	}
	if (u.abstract) {
		abstract_event_path(&u, epath, &elen);
		if (!abstract_policy_name(&u, pname, sizeof(pname))) {
			if (!need(c, AB_PATHSPACE))
				return answer_errno(c, EPERM);
			emit_path(c, EV_ATTACH, epath, elen, false, EV_R_NO_RULE,
				  SPB_NO_TYPE, EACCES);
			return answer_errno(c, EACCES);
		}
		r = attach_check(c, pname, epath, elen, &ct);
		if (r < 0)
			return answer_result(c, r);
		if (!still_valid(c))
			return answer_errno(c, EINTR);
		/* abstract names live in the socket's network namespace and
		 * carry no permissions: bind the copy we checked */
		if (bind(sock, (struct sockaddr *)&u.sun, u.len) < 0)
			return answer_errno(c, errno);
		ci.type = ct;
		chantab_add_abstract(c->d->chans, sock_netns(sock), u.path,
				     u.path_len, &ci);
		emit_path(c, EV_ATTACH, epath, elen, true, EV_R_NONE, ct, 0);
		return answer_result(c, 0);
	}

	r = full_creds(c);
	if (r < 0)
		return answer_result(c, r);
	pr = malloc(sizeof(*pr));
	if (!pr)
		return answer_errno(c, ENOMEM);
	r = proxy_pathres_parent(&c->creds, c->tid, PATHRES_AT_FDCWD, u.path,
				 pr);
	if (r < 0) {
		free(pr);
		return answer_result(c, r);
	}
	dirfd = pr->dirfd;
	r = attach_check(c, pr->canon, pr->canon, strlen(pr->canon), &ct);
	if (r == 0 && !still_valid(c))
		r = -EINTR;
	if (r == 0)
		r = proxy_bind_unix(&c->creds, sock, dirfd, pr->name);
	if (r == 0) {
		ci.type = ct;
		if (fstatat(dirfd, pr->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			chantab_add_path_ns(c->d->chans, st.st_dev, st.st_ino,
					    sock_netns(sock), &ci);
		emit_path(c, EV_ATTACH, pr->canon, strlen(pr->canon), true,
			  EV_R_NONE, ct, 0);
	}
	free(pr);
	answer_result(c, r);
}

/*
 * Any other family.  The call is never continued: another thread could put
 * a different socket (an AF_UNIX one) under the descriptor number after
 * our check.  It is performed here, on the socket we checked, with the
 * process's credentials, so the kernel's own checks are the process's.
 */
static void bind_other(struct call *c, int sock, int family)
{
	struct sockaddr_storage ss;
	struct sp_grant_view g;
	uint64_t len = c->req->data.args[2];
	uint16_t port = 0;
	int r;

	if (len > sizeof(ss)) /* as the kernel's move_addr_to_kernel */
		return answer_errno(c, EINVAL);
	memset(&ss, 0, sizeof(ss));
	r = procmem_read(c->tid, c->req->data.args[1], &ss, len);
	if (r < 0)
		return answer_result(c, r);
	/* The port, wherever the kernel might take one from: inet binds
	 * accept AF_UNSPEC, and IPv6 a 24-byte RFC 2133 address. */
	if ((family == AF_INET || family == AF_INET6) &&
	    len >= offsetof(struct sockaddr_in, sin_port) + sizeof(in_port_t))
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (port != 0 && port < c->d->unpriv_port_start) {
		/* a missing ability is EPERM (SPEC), where the kernel would
		 * say EACCES; with a subrange, the port must be in it */
		bool granted = sp_policy_grant(c->d->policy, c->type, c->dom,
					       CAP_NET_BIND_SERVICE, &g) == 0;

		if ((!granted || g.ranged) &&
		    !need_value(c, CAP_NET_BIND_SERVICE, port))
			return answer_errno(c, EPERM);
	}
	r = full_creds(c);
	if (r == 0 && !still_valid(c))
		r = -EINTR;
	if (r == 0)
		r = proxy_bind(&c->creds, sock, (struct sockaddr *)&ss,
			       (socklen_t)len);
	answer_result(c, r);
}

static void do_bind(struct call *c)
{
	_cleanup_close_ int sock = take_fd(c, (int)c->req->data.args[0]);
	int family;

	if (sock < 0)
		return answer_result(c, sock == -EBADF ? -EBADF : sock);
	family = sock_int_opt(sock, SO_DOMAIN);
	if (family == AF_UNIX)
		return bind_unix(c, sock);
	bind_other(c, sock, family);
}

/* ---- connect and addressed sends ----------------------------------- */

/*
 * Decides a connection from sock to address u and, if allowed, arms the
 * kernel-side ticket.  Returns 0 (continue), or -errno to refuse.
 */
static int channel_decision(struct call *c, int sock, const struct uaddr *u,
			    uint32_t uses)
{
	struct spb_ticket t = {.len = u->len, .uses = uses};
	char canon[PATH_MAX];
	struct chan_info ci;
	bool found = false;
	int r;

	if (u->autobind)
		return -EINVAL;
	if (u->abstract) {
		found = chantab_lookup_abstract(c->d->chans, c->tid,
						sock_netns(sock), u->path,
						u->path_len, &ci) == 0;
	} else {
		_cleanup_close_ int fd = -1;
		struct stat st;

		r = pathres_full(c->tid, PATHRES_AT_FDCWD, u->path, &fd, canon,
				 sizeof(canon));
		if (r < 0)
			return r;
		/* what the kernel says of a non-socket; continuing would let
		 * it look again, at whatever is there by then */
		if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
			return -ECONNREFUSED;
		found = chantab_lookup_path(c->d->chans, c->tid, st.st_dev,
					    st.st_ino, &ci) == 0;
		/* the kernel resolves the canonical path we checked */
		if (strlen(canon) < sizeof(t.new_path)) {
			t.new_len = (uint32_t)strlen(canon);
			memcpy(t.new_path, canon, t.new_len);
		}
	}
	/* Untyped channels are free; a process's own channels too.  Other
	 * typed channels need channel_connect for their type. */
	if (found && ci.type != 0 &&
	    !(ci.owner == c->pid &&
	      procinfo_start_key(ci.owner_start) ==
		      procinfo_start_key(c->start_ns)) &&
	    !need_value(c, AB_CHANNEL_CONNECT, ci.type))
		return -EPERM;
	/* Without the kernel's unix hooks nothing would hold the process
	 * to the address we checked: fail closed (secpold warned at start). */
	if (!collector_caps(c->d->col)->unix_hooks)
		return -EACCES;
	if (getsockopt(sock, SOL_SOCKET, SO_COOKIE, &t.cookie,
		       &(socklen_t){sizeof(t.cookie)}) < 0)
		return -errno;
	memcpy(t.addr, &u->sun, u->len);
	if (!still_valid(c))
		return -EINTR;
	r = collector_set_ticket(c->d->col, c->tid, &t);
	if (r < 0) {
		log_warn("cannot store a connect ticket for %d: %s", c->tid,
			 strerror(-r));
		return -EAGAIN;
	}
	return 0;
}

static void finish_channel(struct call *c, int r)
{
	if (r < 0) {
		/* a ticket left from an earlier call must not outlive a
		 * refusal */
		collector_clear_ticket(c->d->col, c->tid);
		return answer_result(c, r);
	}
	answer_continue(c);
}

static void do_connect(struct call *c)
{
	_cleanup_close_ int sock = take_fd(c, (int)c->req->data.args[0]);
	struct uaddr u;
	int r;

	if (sock < 0)
		return answer_result(c, sock);
	if (sock_int_opt(sock, SO_DOMAIN) != AF_UNIX)
		return answer_continue(c);
	r = read_uaddr(c, c->req->data.args[1], c->req->data.args[2], &u);
	if (r == -EAFNOSUPPORT) {
		/* AF_UNSPEC dissolves a datagram association; any other
		 * family fails in the kernel, and an address swapped in
		 * meanwhile meets the hook without a ticket */
		collector_clear_ticket(c->d->col, c->tid);
		return answer_continue(c);
	}
	if (r < 0)
		return answer_result(c, r);
	finish_channel(c, channel_decision(c, sock, &u, 1));
}

/* Only unconnected-capable datagram sockets send to an address: stream
 * sockets refuse one and seqpacket ignores it (and the hook does not run
 * for them). */
static bool addressed_send_matters(int sock)
{
	return sock_int_opt(sock, SO_DOMAIN) == AF_UNIX &&
	       sock_int_opt(sock, SO_TYPE) == SOCK_DGRAM;
}

static void do_sendto(struct call *c)
{
	_cleanup_close_ int sock = take_fd(c, (int)c->req->data.args[0]);
	struct uaddr u;
	int r;

	if (sock < 0)
		return answer_result(c, sock);
	if (!addressed_send_matters(sock))
		return answer_continue(c);
	r = read_uaddr(c, c->req->data.args[4], c->req->data.args[5], &u);
	if (r < 0)
		return answer_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	finish_channel(c, channel_decision(c, sock, &u, 1));
}

static void do_sendmsg(struct call *c)
{
	_cleanup_close_ int sock = take_fd(c, (int)c->req->data.args[0]);
	struct msghdr mh;
	struct uaddr u;
	int r;

	if (sock < 0)
		return answer_result(c, sock);
	if (!addressed_send_matters(sock))
		return answer_continue(c);
	r = procmem_read(c->tid, c->req->data.args[1], &mh, sizeof(mh));
	if (r < 0)
		return answer_result(c, r);
	if (!mh.msg_name || !mh.msg_namelen) {
		/* no address: the hook does not run unless one appears,
		 * and then it finds no ticket */
		collector_clear_ticket(c->d->col, c->tid);
		return answer_continue(c);
	}
	r = read_uaddr(c, (uint64_t)(uintptr_t)mh.msg_name, mh.msg_namelen, &u);
	if (r < 0)
		return answer_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	finish_channel(c, channel_decision(c, sock, &u, 1));
}

static void do_sendmmsg(struct call *c)
{
	_cleanup_close_ int sock = take_fd(c, (int)c->req->data.args[0]);
	uint64_t vlen = c->req->data.args[2];
	struct mmsghdr *v = NULL;
	struct uaddr u, first;
	uint32_t addressed = 0;
	uint64_t i;
	int r;

	if (sock < 0)
		return answer_result(c, sock);
	if (!addressed_send_matters(sock))
		return answer_continue(c);
	if (vlen > 1024) /* the kernel's UIO_MAXIOV cap */
		vlen = 1024;
	v = calloc(vlen ? vlen : 1, sizeof(*v));
	if (!v)
		return answer_errno(c, ENOMEM);
	r = procmem_read(c->tid, c->req->data.args[1], v, vlen * sizeof(*v));
	for (i = 0; r == 0 && i < vlen; i++) {
		if (!v[i].msg_hdr.msg_name || !v[i].msg_hdr.msg_namelen)
			continue;
		r = read_uaddr(c, (uint64_t)(uintptr_t)v[i].msg_hdr.msg_name,
			       v[i].msg_hdr.msg_namelen, &u);
		if (r < 0)
			break;
		/* one ticket holds one address */
		if (addressed++ == 0)
			first = u;
		else if (u.len != first.len || memcmp(&u.sun, &first.sun, u.len))
			r = -EOPNOTSUPP;
	}
	free(v);
	if (r < 0) {
		if (r == -EOPNOTSUPP)
			log_info("refused sendmmsg of %d to several unix addresses: not supported under supervision",
				 c->pid);
		return answer_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	}
	if (!addressed) {
		collector_clear_ticket(c->d->col, c->tid);
		return answer_continue(c);
	}
	finish_channel(c, channel_decision(c, sock, &first, addressed));
}

/* ---- listen -------------------------------------------------------- */

static void do_listen(struct call *c)
{
	if (!need(c, AB_PUBLIC_CHANNEL))
		return answer_errno(c, EPERM);
	answer_continue(c);
}

/* ---- symlink, mknod ------------------------------------------------ */

static int read_path(struct call *c, uint64_t addr, char *buf, size_t len)
{
	ssize_t n;

	if (!addr)
		return -EFAULT;
	n = procmem_read_str(c->tid, addr, buf, len);
	if (n < 0)
		return (int)n;
	return 0;
}

/* The directory of a *at call's new name, resolved as the process
 * (dirfd: the call's, or PATHRES_AT_FDCWD for the plain call). */
static int resolve_parent(struct call *c, int dirfd, const char *path,
			  struct pathres *pr)
{
	int r = full_creds(c);

	if (r < 0)
		return r;
	if (dirfd == AT_FDCWD)
		dirfd = PATHRES_AT_FDCWD;
	return proxy_pathres_parent(&c->creds, c->tid, dirfd, path, pr);
}

static void do_symlink(struct call *c, bool at)
{
	uint64_t target_addr = c->req->data.args[0];
	int dirfd = at ? (int)c->req->data.args[1] : PATHRES_AT_FDCWD;
	uint64_t link_addr = c->req->data.args[at ? 2 : 1];
	_cleanup_free_ char *target = malloc(PATH_MAX);
	_cleanup_free_ char *linkp = malloc(PATH_MAX);
	_cleanup_free_ struct pathres *pr = malloc(sizeof(*pr));
	enum sp_path_result res;
	int r;

	if (!target || !linkp || !pr)
		return answer_errno(c, ENOMEM);
	r = read_path(c, target_addr, target, PATH_MAX);
	if (r == 0)
		r = read_path(c, link_addr, linkp, PATH_MAX);
	if (r < 0)
		return answer_result(c, r);
	r = resolve_parent(c, dirfd, linkp, pr);
	if (r < 0)
		return answer_result(c, r);
	if (!need(c, AB_PATHSPACE)) {
		close(pr->dirfd);
		return answer_errno(c, EPERM);
	}
	res = sp_policy_check_link(c->d->policy, c->type, pr->canon);
	if (res != SP_PATH_OK) {
		emit_path(c, EV_LINK, pr->canon, strlen(pr->canon), false,
			  (enum ev_reason)res, SPB_NO_TYPE, EACCES);
		close(pr->dirfd);
		return answer_errno(c, EACCES);
	}
	r = still_valid(c) ? proxy_symlink(&c->creds, target, pr->dirfd,
					   pr->name) :
			     -EINTR;
	if (r == 0)
		emit_path(c, EV_LINK, pr->canon, strlen(pr->canon), true,
			  EV_R_NONE, SPB_NO_TYPE, 0);
	close(pr->dirfd);
	answer_result(c, r);
}

static void do_mknod(struct call *c, bool at)
{
	int dirfd = at ? (int)c->req->data.args[0] : PATHRES_AT_FDCWD;
	uint64_t path_addr = c->req->data.args[at ? 1 : 0];
	mode_t mode = (mode_t)c->req->data.args[at ? 2 : 1];
	dev_t dev = (dev_t)c->req->data.args[at ? 3 : 2];
	_cleanup_free_ char *path = malloc(PATH_MAX);
	_cleanup_free_ struct pathres *pr = malloc(sizeof(*pr));
	uint32_t ct = c->type;
	int r;

	/* a regular file is not a name in the path space */
	if ((mode & S_IFMT) == 0 || S_ISREG(mode))
		return answer_continue(c);
	if (!path || !pr)
		return answer_errno(c, ENOMEM);
	r = read_path(c, path_addr, path, PATH_MAX);
	if (r < 0)
		return answer_result(c, r);
	r = resolve_parent(c, dirfd, path, pr);
	if (r < 0)
		return answer_result(c, r);
	r = attach_check(c, pr->canon, pr->canon, strlen(pr->canon), &ct);
	if (r == 0 && !still_valid(c))
		r = -EINTR;
	if (r == 0)
		r = proxy_mknod(&c->creds, pr->dirfd, pr->name, mode, dev);
	if (r == 0)
		emit_path(c, EV_ATTACH, pr->canon, strlen(pr->canon), true,
			  EV_R_NONE, ct, 0);
	close(pr->dirfd);
	answer_result(c, r);
}

/* ---- mount --------------------------------------------------------- */

static void do_mount(struct call *c)
{
	uint64_t flags = c->req->data.args[3];
	_cleanup_free_ char *target = malloc(PATH_MAX);
	_cleanup_free_ char *source = malloc(PATH_MAX);
	_cleanup_free_ char *canon = malloc(PATH_MAX);
	_cleanup_free_ char *data = NULL;
	_cleanup_close_ int tfd = -1, sfd = -1;
	char fstype[256] = "";
	uint32_t ct = c->type;
	bool has_source = c->req->data.args[0] != 0;
	int r;

	if (!target || !source || !canon)
		return answer_errno(c, ENOMEM);
	r = read_path(c, c->req->data.args[1], target, PATH_MAX);
	if (r == 0 && has_source)
		r = read_path(c, c->req->data.args[0], source, PATH_MAX);
	if (r == 0 && c->req->data.args[2])
		r = read_path(c, c->req->data.args[2], fstype, sizeof(fstype));
	if (r == 0 && c->req->data.args[4]) {
		data = malloc(4096);
		if (!data)
			return answer_errno(c, ENOMEM);
		r = read_path(c, c->req->data.args[4], data, 4096);
	}
	if (r == 0)
		r = full_creds(c);
	if (r < 0)
		return answer_result(c, r);
	/* the kernel would check CAP_SYS_ADMIN first; say so in its words */
	if (!(c->creds.cap_eff & (1ull << CAP_SYS_ADMIN))) {
		emit_ability(c, CAP_SYS_ADMIN, false, false, 0, 0, EPERM);
		return answer_errno(c, EPERM);
	}
	r = proxy_pathres_full(&c->creds, c->tid, PATHRES_AT_FDCWD, target, &tfd,
			       canon, PATH_MAX);
	if (r < 0)
		return answer_result(c, r);
	r = attach_check(c, canon, canon, strlen(canon), &ct);
	if (r < 0)
		return answer_result(c, r);
	if (has_source && (flags & (MS_BIND | MS_MOVE))) {
		_cleanup_free_ char *scanon = malloc(PATH_MAX);

		if (!scanon)
			return answer_errno(c, ENOMEM);
		r = proxy_pathres_full(&c->creds, c->tid, PATHRES_AT_FDCWD,
				       source, &sfd, scanon, PATH_MAX);
		if (r < 0)
			return answer_result(c, r);
	}
	if (!still_valid(c))
		return answer_errno(c, EINTR);
	r = proxy_mount(&c->creds, c->tid, has_source ? source : NULL, sfd,
			tfd, fstype[0] ? fstype : NULL, (unsigned long)flags,
			data);
	if (r == 0)
		emit_path(c, EV_ATTACH, canon, strlen(canon), true, EV_R_NONE,
			  ct, 0);
	answer_result(c, r);
}

/* ---- set*id -------------------------------------------------------- */

/* The set*id calls: which ids they change, how many, and whether it is
 * the set*fs*id kind that never fails. */
static const struct setid_call {
	int nr;
	bool gid;
	int nargs;
	bool fs;
} setid_calls[] = {
	{__NR_setuid, false, 1, false},   {__NR_setreuid, false, 2, false},
	{__NR_setresuid, false, 3, false}, {__NR_setfsuid, false, 1, true},
	{__NR_setgid, true, 1, false},    {__NR_setregid, true, 2, false},
	{__NR_setresgid, true, 3, false},  {__NR_setfsgid, true, 1, true},
};

bool decide_is_setid(int nr)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(setid_calls); k++)
		if (setid_calls[k].nr == nr)
			return true;
	return false;
}

static void do_setid(struct call *c, int nr)
{
	const struct setid_call *sc = NULL;
	struct sp_grant_view g;
	uint32_t cur[4], want;
	uint16_t ab;
	bool gid, fs;
	int nargs, i, k;

	for (k = 0; k < (int)ARRAY_SIZE(setid_calls); k++)
		if (setid_calls[k].nr == nr)
			sc = &setid_calls[k];
	if (!sc)
		return answer_errno(c, ENOSYS);
	gid = sc->gid;
	nargs = sc->nargs;
	fs = sc->fs;
	ab = gid ? CAP_SETGID : CAP_SETUID;

	/* Unless the grant has subranges, the kernel's own check (the
	 * capability the process holds or not) decides exactly. */
	if (sp_policy_grant(c->d->policy, c->type, c->dom, ab, &g) < 0 ||
	    !g.ranged)
		return answer_continue(c);
	if (gid) {
		cur[0] = c->creds.gid, cur[1] = c->creds.egid;
		cur[2] = c->creds.sgid, cur[3] = c->creds.fsgid;
	} else {
		cur[0] = c->creds.uid, cur[1] = c->creds.euid;
		cur[2] = c->creds.suid, cur[3] = c->creds.fsuid;
	}
	for (i = 0; i < nargs; i++) {
		want = (uint32_t)c->req->data.args[i];
		if (want == (uint32_t)-1)
			continue;
		/* changing to an id the process already has needs no
		 * ability, as in the kernel */
		for (k = 0; k < 4; k++)
			if (cur[k] == want)
				break;
		if (k < 4)
			continue;
		if (!need_value(c, ab, want)) {
			/* setfsuid/setfsgid never fail: they return the old
			 * value and change nothing */
			if (fs) {
				c->resp->flags = 0;
				c->resp->error = 0;
				c->resp->val = cur[3];
				return;
			}
			return answer_errno(c, EPERM);
		}
	}
	answer_continue(c);
}

/*
 * setgroups under a setgid subrange.  The list is in the process's memory,
 * where another thread could change it after our check, and secpold cannot
 * set another process's groups for it: only clearing the list (size 0,
 * nothing to read) is let through.
 */
static void do_setgroups(struct call *c)
{
	struct sp_grant_view g;

	if (sp_policy_grant(c->d->policy, c->type, c->dom, CAP_SETGID, &g) < 0 ||
	    !g.ranged || c->req->data.args[0] == 0)
		return answer_continue(c);
	emit_ability(c, CAP_SETGID, false, false, 0, 0, EPERM);
	log_info("refused setgroups of %d with %llu groups: a setgid subrange allows only clearing the list",
		 c->pid, (unsigned long long)c->req->data.args[0]);
	answer_errno(c, EPERM);
}

/* ---- side doors ---------------------------------------------------- */

static void side_door(struct call *c, uint16_t ability, int err)
{
	if (!need(c, ability))
		return answer_errno(c, err);
	answer_continue(c);
}

/* The thread's user and group ids, cheaply: PIDFD_GET_INFO (6.13) on its
 * pidfd, else /proc. */
static int read_ids(struct call *c)
{
	struct {
		__u64 mask, cgroupid;
		__u32 pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid;
		__u32 fsuid, fsgid;
		__s32 exit_code;
		__u32 coredump_mask, spare;
	} info = {.mask = 1ull << 1 /* PIDFD_INFO_CREDS */};
	int p = call_pidfd(c);

	if (p >= 0 &&
	    ioctl(p, _IOWR(0xFF, 11, info) /* PIDFD_GET_INFO */, &info) == 0 &&
	    (info.mask & (1ull << 1))) {
		c->creds.uid = info.ruid, c->creds.euid = info.euid;
		c->creds.suid = info.suid, c->creds.fsuid = info.fsuid;
		c->creds.gid = info.rgid, c->creds.egid = info.egid;
		c->creds.sgid = info.sgid, c->creds.fsgid = info.fsgid;
		return 0;
	}
	return full_creds(c);
}

/* While proxy.c acts as the process, the kernel's capability checks are
 * the process's (DAC_OVERRIDE on a directory, MKNOD, SYS_ADMIN for a
 * mount): attribute them to it. */
static void act_begin(void *ctx)
{
	struct call *c = ctx;

	collector_act_as(c->d->col, c->pid, c->tid, c->type, c->start_ns);
}

static void act_end(void *ctx)
{
	struct call *c = ctx;

	collector_act_as(c->d->col, 0, 0, 0, 0);
}

/* ---- entry --------------------------------------------------------- */

void decide(struct daemon *d, int lfd, const struct seccomp_notif *req,
	    struct seccomp_notif_resp *resp)
{
	struct call c = {
		.d = d,
		.lfd = lfd,
		.req = req,
		.resp = resp,
		.tid = (pid_t)req->pid,
		.pidfd = -1,
	};
	struct proxy_hooks hooks = {act_begin, act_end, NULL};
	struct spb_task t;
	pid_t ppid;
	int r;

	resp->id = req->id;
	/* kernel records first (exec names, capability checks), so events
	 * reach monitors in the order they happened */
	collector_drain(d->col);
	/* every supervised task has a type; if it has none (the map lost
	 * it), refuse rather than guess */
	if (collector_get_type(d->col, c.tid, &t) < 0 || !d->policy ||
	    t.type >= sp_policy_type_count(d->policy)) {
		log_warn("refusing system call %d of task %d: %s", req->data.nr,
			 c.tid,
			 !d->policy ? "no policy is loaded" :
				      "its type is unknown");
		answer_errno(&c, EPERM);
		return;
	}
	c.type = t.type;
	c.pid = (pid_t)t.tgid;
	c.start_ns = t.start_ns;
	if (!c.pid && proc_task_ids(c.tid, &c.pid, &ppid, &c.start_ns) < 0) {
		answer_errno(&c, ESRCH);
		return;
	}
	r = read_ids(&c);
	if (r < 0) {
		answer_errno(&c, r == -ESRCH || r == -ENOENT ? ESRCH : EPERM);
		goto out;
	}
	c.dom = c.creds.euid == 0 ? SP_ROOT : SP_NONROOT;
	hooks.ctx = &c;
	proxy_set_hooks(&hooks);

	if (req->data.arch != AUDIT_ARCH_NATIVE) {
		/* compat_syscalls opens the other ABI, not a way around the
		 * calls decided here (only native ones are) */
		if (sp_policy_has(d->policy, c.type, c.dom, AB_COMPAT_SYSCALLS) &&
		    launch_compat_supervised(req->data.nr,
					     (const uint64_t *)req->data.args)) {
			log_info("refused ia32 system call %d of %d: supervised calls are decided for x86-64 only",
				 req->data.nr, c.pid);
			answer_errno(&c, ENOSYS);
			goto out;
		}
		side_door(&c, AB_COMPAT_SYSCALLS, ENOSYS);
		goto out;
	}
	switch (req->data.nr) {
	case __NR_bind:
		do_bind(&c);
		break;
	case __NR_connect:
		do_connect(&c);
		break;
	case __NR_listen:
		do_listen(&c);
		break;
	case __NR_sendto:
		do_sendto(&c);
		break;
	case __NR_sendmsg:
		do_sendmsg(&c);
		break;
	case __NR_sendmmsg:
		do_sendmmsg(&c);
		break;
	case __NR_symlink:
		do_symlink(&c, false);
		break;
	case __NR_symlinkat:
		do_symlink(&c, true);
		break;
	case __NR_mknod:
		do_mknod(&c, false);
		break;
	case __NR_mknodat:
		do_mknod(&c, true);
		break;
	case __NR_mount:
		do_mount(&c);
		break;
	case __NR_setuid:
	case __NR_setreuid:
	case __NR_setresuid:
	case __NR_setfsuid:
	case __NR_setgid:
	case __NR_setregid:
	case __NR_setresgid:
	case __NR_setfsgid:
		do_setid(&c, req->data.nr);
		break;
	case __NR_setgroups:
		do_setgroups(&c);
		break;
	case __NR_io_uring_setup:
	case __NR_io_uring_enter:
	case __NR_io_uring_register:
		side_door(&c, AB_IO_URING, EPERM);
		break;
	case __NR_unshare:
	case __NR_clone:
	case __NR_setns:
		/* only CLONE_NEWUSER (or setns's "any") comes here (the
		 * filter says so): in a user namespace of its own a process
		 * holds every capability over its own namespaces, so it takes
		 * sys_admin */
		side_door(&c, CAP_SYS_ADMIN, EPERM);
		break;
	case __NR_userfaultfd:
		/* a fault it serves itself could hold secpold while it reads
		 * a system call argument from that memory */
		log_info("refused userfaultfd to %d: it cannot be supervised",
			 c.pid);
		answer_errno(&c, EPERM);
		break;
	case __NR_fsopen:
	case __NR_fsmount:
	case __NR_fspick:
	case __NR_open_tree:
	case __NR_move_mount:
	case __NR_mount_setattr:
		/* ENOSYS: programs fall back to mount(2), which we supervise */
		side_door(&c, AB_MOUNT_API, ENOSYS);
		break;
	default:
		log_warn("unexpected supervised system call %d from %d",
			 req->data.nr, c.tid);
		answer_errno(&c, ENOSYS);
		break;
	}
out:
	proxy_set_hooks(NULL);
	/* the kernel's records of this call, in order with secpold's own */
	collector_drain(d->col);
	if (c.pidfd >= 0)
		close(c.pidfd);
	if (resp->error == -ENOTRECOVERABLE) {
		/* this thread could not get its own credentials back: it must
		 * not decide anything more (typed processes fail closed until
		 * a new secpold takes over) */
		log_err("could not restore secpold's credentials after acting for %d: stopping",
			c.tid);
		resp->error = -EPERM;
		d->stopping = true;
	}
}
