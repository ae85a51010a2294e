// SPDX-License-Identifier: BSD-2-Clause
/*
 * Decisions on the path space: bind (of every family), mknod, symlink and
 * mount.  None of these is ever continued on the strength of what secpold
 * read, since another thread of the caller could rewrite the argument or
 * put another socket under the descriptor number after the check: secpold
 * performs the call itself, on the socket and directory it checked, as the
 * caller (proxy.c: its file-system ids, groups, capabilities and umask, so
 * the kernel's own checks and the ownership of what is made are the
 * caller's).
 *
 * A path call is one switch to the caller's credentials: the lookup of the
 * parent directory, the policy's verdict on the canonical path, and the
 * call itself happen in it; the events are reported after the switch back
 * (nothing that names or logs runs as the caller).  A bind, mknod or
 * symlink needs pathspace and an allow_attach (allow_link) rule for the
 * canonical path; a bind of another family a port in the net_bind_service
 * subrange when the port is privileged.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <linux/vm_sockets.h>
#include <unistd.h>

#include "call.h"
#include "common/log.h"
#include "common/util.h"
#include "observe.h"
#include "pathres.h"
#include "policy/ability.h"
#include "policy/format.h"
#include "procmem.h"
#include "proxy.h"
#include "uaddr.h"

/* The policy's verdict on making a name (attach or link), taken as the
 * caller and reported afterwards. */
struct verdict {
	uint16_t kind;            /* EV_ATTACH or EV_LINK */
	bool pathspace;           /* the type has pathspace */
	enum sp_path_result rule; /* the rule for the path */
	uint32_t chan_type;       /* attach: the channel's type */
};

static void judge(struct call *c, uint16_t kind, const char *canon,
		  struct verdict *v)
{
	v->kind = kind;
	v->chan_type = c->type;
	v->pathspace = sp_policy_has(c->policy, c->type, c->dom, AB_PATHSPACE);
	if (kind == EV_ATTACH)
		v->rule = sp_policy_check_attach(c->policy, c->type, canon,
						 SPB_NO_TYPE, &v->chan_type);
	else
		v->rule = sp_policy_check_link(c->policy, c->type, canon);
}

/* May the call go ahead (allowed, or the type learns)? */
static bool verdict_go(const struct call *c, const struct verdict *v)
{
	return c->learning || (v->pathspace && v->rule == SP_PATH_OK);
}

/*
 * Reports the verdict: the pathspace check, then the path's outcome (a
 * refusal; or, when done is 0, the name made).  Returns the errno of the
 * refusal, 0 when the call went ahead.
 */
static int report(struct call *c, const struct verdict *v, const char *path,
		  size_t len, int done)
{
	if (!call_need_path(c, AB_PATHSPACE, path))
		return EPERM;
	if (v->rule != SP_PATH_OK) {
		if (!call_path(c, v->kind, path, len, (enum ev_reason)v->rule,
			       SPB_NO_TYPE))
			return EACCES;
		return 0;
	}
	if (done == 0) {
		/* what the kernel checked while we made it comes before */
		call_kernel_first(c);
		call_path(c, v->kind, path, len, EV_R_NONE,
			  v->kind == EV_ATTACH ? v->chan_type : SPB_NO_TYPE);
	}
	return 0;
}

/*
 * Resolves the parent directory of path (relative to dirfd, or the cwd)
 * as the caller, judges the canonical name, and if it may be made and the
 * call is still pending, runs op in that directory, all in one switch to
 * the caller's credentials.  *done: op's result (1 if it did not run).
 */
typedef int (*path_op)(struct call *c, int dirfd, const char *name,
		       void *arg);

static int on_parent(struct call *c, int dirfd, const char *path,
		     uint16_t kind, struct pathres *pr, struct verdict *v,
		     path_op op, void *arg, int *done)
{
	struct pathres_from from, *f = &from;
	struct proxy_saved saved;
	struct tc_ref *root = NULL;
	int r, rl;

	*done = 1;
	pr->dirfd = -1;
	r = call_creds(c);
	if (r == 0)
		r = call_from_open(c, dirfd, &path, f, &root);
	if (r < 0)
		return r;
	call_act_begin(c);
	r = proxy_enter(&c->creds, &saved);
	if (r == 0)
		r = pathres_parent_from(f, path, pr);
	if (r == 0) {
		judge(c, kind, pr->canon, v);
		if (verdict_go(c, v))
			*done = call_still_valid(c) ?
					op(c, pr->dirfd, pr->name, arg) :
					-EINTR;
	}
	rl = proxy_leave(&saved);
	call_act_end(c);
	call_from_close(c, f, root);
	return rl ? rl : r;
}

/* ---- bind ----------------------------------------------------------- */

struct bind_op {
	int sock;
};

static int op_bind_unix(struct call *c, int dirfd, const char *name,
			void *arg)
{
	struct bind_op *b = arg;

	(void)c;
	return proxy_op_bind_unix(b->sock, dirfd, name);
}

static void bind_unix(struct call *c, int sock, const struct uaddr *u)
{
	struct chan_info ci = {.owner = c->pid, .owner_start = c->start_ns};
	char pname[sizeof(struct sockaddr_un) + 2];
	char epath[sizeof(struct sockaddr_un) + 2];
	struct bind_op b = {.sock = sock};
	struct pathres res, *pr = &res;
	struct verdict v;
	struct stat st;
	size_t elen;
	int r, done, err;

	/* a channel that could not be recorded would be untyped: free to
	 * reach, now and after a restart */
	elen = u->abstract ? uaddr_event_path(u, epath) :
			     (size_t)snprintf(epath, sizeof(epath), "%s",
					      u->autobind ? "@" : u->path);
	r = call_admit_channel(c, epath, elen);
	if (r < 0)
		return call_result(c, r);
	if (u->autobind) {
		/* an unnamed channel: nothing enters the path space */
		struct sockaddr_un got;
		socklen_t glen = sizeof(got);

		if (!call_still_valid(c))
			return call_errno(c, EINTR);
		if (bind(sock, (struct sockaddr *)&u->sun, u->len) < 0)
			return call_errno(c, errno);
		ci.type = c->type;
		if (fstat(sock, &st) == 0)
			ci.sock_ino = st.st_ino;
		if (getsockname(sock, (struct sockaddr *)&got, &glen) == 0 &&
		    glen > sizeof(sa_family_t) + 1) {
			daemon_lock(c->d);
			chantab_add_abstract(c->d->chans, sock_netns(sock),
					     got.sun_path + 1,
					     glen - sizeof(sa_family_t) - 1, &ci);
			daemon_unlock(c->d);
		}
		return call_result(c, 0);
	}
	if (u->abstract) {
		/* abstract names live in the socket's network namespace and
		 * carry no permissions: bind the copy we checked */
		if (!uaddr_policy_name(u, pname, sizeof(pname))) {
			v = (struct verdict){.kind = EV_ATTACH,
					     .rule = SP_PATH_NO_RULE};
			v.pathspace = sp_policy_has(c->policy, c->type, c->dom,
						    AB_PATHSPACE);
		} else {
			judge(c, EV_ATTACH, pname, &v);
		}
		err = report(c, &v, epath, elen, 1);
		if (err)
			return call_errno(c, err);
		if (!call_still_valid(c))
			return call_errno(c, EINTR);
		if (bind(sock, (struct sockaddr *)&u->sun, u->len) < 0)
			return call_errno(c, errno);
		ci.type = v.rule == SP_PATH_OK ? v.chan_type : c->type;
		if (fstat(sock, &st) == 0)
			ci.sock_ino = st.st_ino;
		daemon_lock(c->d);
		chantab_add_abstract(c->d->chans, sock_netns(sock), u->path,
				     u->path_len, &ci);
		daemon_unlock(c->d);
		if (v.rule == SP_PATH_OK && v.pathspace)
			call_path(c, EV_ATTACH, epath, elen, EV_R_NONE,
				  ci.type);
		return call_result(c, 0);
	}

	r = on_parent(c, AT_FDCWD, u->path, EV_ATTACH, pr, &v, op_bind_unix, &b,
		      &done);
	if (r == 0) {
		err = report(c, &v, pr->canon, strlen(pr->canon), done);
		if (err)
			r = -err;
		else
			r = done;
	}
	if (r == 0) {
		/* in the table before the caller runs again (a connect to
		 * it must find its type); its own inode and namespace, and
		 * the pinned copy, once the caller has its answer */
		ci.type = v.rule == SP_PATH_OK ? v.chan_type : c->type;
		if (fstatat(pr->dirfd, pr->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			daemon_lock(c->d);
			chantab_reserve_path(c->d->chans, st.st_dev, st.st_ino,
					     &ci);
			daemon_unlock(c->d);
			call_channel_later(c, sock, st.st_dev, st.st_ino, &ci);
		}
	}
	call_close_later(c, pr->dirfd);
	call_result(c, r);
}

/*
 * The port a bind of this family asks for, where the kernel reserves some
 * to CAP_NET_BIND_SERVICE: 1 and *port, 0 for a family that has no such
 * ports, -1 for one secpold does not know (it cannot hold a subrange).
 * *privileged: whether the port is one of the reserved ones.
 */
static int reserved_port(const struct call *c, int family,
			 const struct sockaddr_storage *ss, uint64_t len,
			 uint32_t *port, bool *privileged)
{
	const unsigned char *b = (const unsigned char *)ss;

	*port = 0;
	*privileged = false;
	switch (family) {
	case AF_INET:
	case AF_INET6:
		/* inet binds accept AF_UNSPEC, and IPv6 a 24-byte RFC 2133
		 * address: the port is where the kernel takes it from */
		if (len >= offsetof(struct sockaddr_in, sin_port) +
				   sizeof(in_port_t))
			*port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
		*privileged = *port != 0 && *port < c->d->unpriv_port_start;
		return 1;
	case AF_VSOCK: {
		const struct sockaddr_vm *vm = (const struct sockaddr_vm *)ss;

		/* ports up to 1023 (LAST_RESERVED_PORT); VMADDR_PORT_ANY
		 * picks a free one above */
		if (len >= offsetof(struct sockaddr_vm, svm_port) +
				   sizeof(vm->svm_port))
			*port = vm->svm_port;
		*privileged = *port <= 1023;
		return 1;
	}
	case AF_APPLETALK:
		/* sat_port, one byte: below ATPORT_RESERVED (128) */
		if (len >= 3)
			*port = b[2];
		*privileged = *port != 0 && *port < 128;
		return 1;
	case AF_NETLINK:
	case AF_PACKET:
	case AF_KEY:
	case AF_RDS:
	case AF_CAN:
	case AF_TIPC:
	case AF_ALG:
	case AF_QIPCRTR: /* its reserved ports need net_admin */
	case AF_XDP:
	case AF_MCTP:
		return 0;
	default:
		return -1;
	}
}

/*
 * Any other family.  Performed here, on the socket we checked, with the
 * process's credentials, so the kernel's own checks are the process's.
 * A privileged port needs net_bind_service (EPERM, where the kernel would
 * say EACCES), within its subrange if it has one: secpold reports the
 * port either way.  A family secpold cannot read the port of is refused
 * when the grant has a subrange (it could not hold it).
 */
static void bind_other(struct call *c, int sock, int family,
		       const struct sockaddr_storage *ss, uint64_t len)
{
	struct sp_grant_view g;
	bool privileged, ranged;
	uint32_t port;
	int known, r;

	known = reserved_port(c, family, ss, len, &port, &privileged);
	ranged = sp_policy_grant(c->policy, c->type, c->dom,
				 CAP_NET_BIND_SERVICE, &g) == 0 &&
		 g.ranged;
	if (known < 0 && ranged) {
		log_info("refused a bind of address family %d by %d: secpold cannot check its port against the net_bind_service subrange",
			 family, c->pid);
		if (call_lacks(c, CAP_NET_BIND_SERVICE))
			return call_errno(c, EPERM);
	}
	if (privileged && !call_need_value(c, CAP_NET_BIND_SERVICE, port))
		return call_errno(c, EPERM);
	r = call_creds(c);
	if (r == 0 && !call_still_valid(c))
		r = -EINTR;
	if (r == 0) {
		call_act_begin(c);
		r = proxy_bind(&c->creds, sock, (const struct sockaddr *)ss,
			       (socklen_t)len);
		call_act_end(c);
	}
	/* secpold made the call: the -q event is its to give */
	if ((family == AF_INET || family == AF_INET6) && events_wanted(c->d))
		observe_net(c->d, &c->who, ss, len, r, NULL);
	call_result(c, r);
}

void decide_bind(struct call *c)
{
	int sock = call_take_fd(c, (int)c->req->data.args[0]);
	uint64_t len = c->req->data.args[2];
	struct sockaddr_storage ss;
	struct uaddr u;
	int family, r;

	if (sock < 0)
		return call_result(c, sock);
	call_close_later(c, sock);
	if (len > sizeof(ss)) /* as the kernel's move_addr_to_kernel */
		return call_errno(c, EINVAL);
	memset(&ss, 0, sizeof(ss));
	r = procmem_read(c->tid, c->req->data.args[1], &ss, len);
	if (r < 0)
		return call_result(c, r);
	/* The address says which bind this is: a socket of another family
	 * refuses it in the kernel (we bind the socket we checked, as the
	 * caller).  AF_UNSPEC (or an address too short to name a family)
	 * takes the socket's own family. */
	family = len >= sizeof(sa_family_t) ? ss.ss_family : AF_UNSPEC;
	if (family == AF_UNSPEC)
		family = sock_int_opt(sock, SO_DOMAIN);
	if (family == AF_UNIX) {
		r = uaddr_parse(&ss, len, &u);
		if (r < 0)
			return call_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
		return bind_unix(c, sock, &u);
	}
	bind_other(c, sock, family, &ss, len);
}

/* ---- symlink, mknod ------------------------------------------------- */

struct symlink_op {
	const char *target;
};

static int op_symlink(struct call *c, int dirfd, const char *name, void *arg)
{
	struct symlink_op *s = arg;

	(void)c;
	return proxy_op_symlink(s->target, dirfd, name);
}

/* A name-making call: resolve, judge, make, report. */
static void make_name(struct call *c, int dirfd, const char *path,
		      uint16_t kind, path_op op, void *arg)
{
	struct pathres res, *pr = &res;
	struct verdict v;
	int r, done, err;

	r = on_parent(c, dirfd, path, kind, pr, &v, op, arg, &done);
	if (r == 0) {
		err = report(c, &v, pr->canon, strlen(pr->canon), done);
		r = err ? -err : done;
	}
	call_close_later(c, pr->dirfd);
	call_result(c, r);
}

void decide_symlink(struct call *c)
{
	bool at = c->sc->at;
	int dirfd = at ? (int)c->req->data.args[1] : AT_FDCWD;
	char target[PATH_MAX], linkp[PATH_MAX];
	struct symlink_op s = {.target = target};
	int r;

	r = call_read_str(c, c->req->data.args[0], target, PATH_MAX);
	if (r == 0)
		r = call_read_str(c, c->req->data.args[at ? 2 : 1], linkp,
				  PATH_MAX);
	if (r < 0)
		return call_result(c, r);
	make_name(c, dirfd, linkp, EV_LINK, op_symlink, &s);
}

struct mknod_op {
	mode_t mode;
	dev_t dev;
};

static int op_mknod(struct call *c, int dirfd, const char *name, void *arg)
{
	struct mknod_op *m = arg;

	(void)c;
	return proxy_op_mknod(dirfd, name, m->mode, m->dev);
}

void decide_mknod(struct call *c)
{
	bool at = c->sc->at;
	int dirfd = at ? (int)c->req->data.args[0] : AT_FDCWD;
	struct mknod_op m = {
		.mode = (mode_t)c->req->data.args[at ? 2 : 1],
		.dev = (dev_t)c->req->data.args[at ? 3 : 2],
	};
	char path[PATH_MAX];
	int r;

	/* a regular file is not a name in the path space; what mknod
	 * cannot make is the kernel's answer (EPERM for a directory) */
	switch (m.mode & S_IFMT) {
	case 0:
	case S_IFREG:
		return call_continue(c);
	case S_IFDIR:
		return call_errno(c, EPERM);
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		return call_errno(c, EINVAL);
	}
	r = call_read_str(c, c->req->data.args[at ? 1 : 0], path, PATH_MAX);
	if (r < 0)
		return call_result(c, r);
	make_name(c, dirfd, path, EV_ATTACH, op_mknod, &m);
}

/* ---- mount ---------------------------------------------------------- */

void decide_mount(struct call *c)
{
	uint64_t flags = c->req->data.args[3];
	_cleanup_free_ char *target = malloc(PATH_MAX);
	_cleanup_free_ char *source = malloc(PATH_MAX);
	_cleanup_free_ char *canon = malloc(PATH_MAX);
	_cleanup_free_ char *data = NULL;
	_cleanup_close_ int tfd = -1, sfd = -1;
	char fstype[256] = "";
	bool has_source = c->req->data.args[0] != 0;
	struct verdict v;
	int r, err;

	if (!target || !source || !canon)
		return call_errno(c, ENOMEM);
	r = call_read_str(c, c->req->data.args[1], target, PATH_MAX);
	if (r == 0 && has_source)
		r = call_read_str(c, c->req->data.args[0], source, PATH_MAX);
	if (r == 0 && c->req->data.args[2])
		r = call_read_str(c, c->req->data.args[2], fstype,
				  sizeof(fstype));
	if (r == 0 && c->req->data.args[4]) {
		data = malloc(4096);
		if (!data)
			return call_errno(c, ENOMEM);
		r = call_read_str(c, c->req->data.args[4], data, 4096);
	}
	if (r == 0)
		r = call_creds(c);
	if (r < 0)
		return call_result(c, r);
	/* the kernel would check CAP_SYS_ADMIN first; say so in its words */
	if (!(c->creds.cap_eff & (1ull << CAP_SYS_ADMIN))) {
		call_report_ability(c, CAP_SYS_ADMIN, false, false, 0);
		return call_errno(c, EPERM);
	}
	r = proxy_pathres_full(&c->creds, c->tid, PATHRES_AT_FDCWD, target, &tfd,
			       canon, PATH_MAX);
	if (r < 0)
		return call_result(c, r);
	judge(c, EV_ATTACH, canon, &v);
	err = report(c, &v, canon, strlen(canon), 1);
	if (err)
		return call_errno(c, err);
	if (has_source && (flags & (MS_BIND | MS_MOVE))) {
		_cleanup_free_ char *scanon = malloc(PATH_MAX);

		if (!scanon)
			return call_errno(c, ENOMEM);
		r = proxy_pathres_full(&c->creds, c->tid, PATHRES_AT_FDCWD,
				       source, &sfd, scanon, PATH_MAX);
		if (r < 0)
			return call_result(c, r);
	}
	if (!call_still_valid(c))
		return call_errno(c, EINTR);
	call_act_begin(c);
	r = proxy_mount(&c->creds, c->tid, has_source ? source : NULL, sfd,
			tfd, fstype[0] ? fstype : NULL, (unsigned long)flags,
			data);
	call_act_end(c);
	if (r == 0 && v.rule == SP_PATH_OK && v.pathspace)
		call_path(c, EV_ATTACH, canon, strlen(canon), EV_R_NONE,
			  v.chan_type);
	call_result(c, r);
}
