// SPDX-License-Identifier: BSD-2-Clause
/*
 * Decisions on channels: connect and addressed sends to unix sockets
 * (channel_connect for the type of the channel reached), and listen
 * (public_channel).
 *
 * A connection must keep the caller's own credentials (the peer sees the
 * real client: a connection made by secpold would show secpold's pid and
 * credentials to the server), so these calls continue, but only under a
 * one-shot ticket: before answering CONTINUE, secpold stores the exact
 * address bytes it checked (and the socket's cookie) for the thread in a
 * BPF map; the kernel's cgroup connect_unix/sendmsg_unix hook lets the
 * thread's call through only if its own copy of the address is identical,
 * and rewrites a path to the canonical path secpold resolved
 * (secpol.bpf.c).
 *
 * A ticket must never outlive the call it was armed for: a call can fail
 * in the kernel before the hook runs (a flag it refuses), leaving the
 * ticket, and the thread's next call could then meet it with another
 * socket swapped under the descriptor or another object renamed under the
 * path.  Every connect and send the hook could see comes here first (the
 * filter notifies them all), so each of them either arms a new ticket or
 * clears the old one, whatever it decides.
 *
 * Untyped channels (type 0) are free, and so are a process's own.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "call.h"
#include "common/log.h"
#include "common/util.h"
#include "pathres.h"
#include "policy/ability.h"
#include "procmem.h"
#include "uaddr.h"

/* No ticket may be left for the thread (see above). */
static void clear_ticket(struct call *c)
{
	if (!taskcache_ticket(c->d->tasks, c->tid, c->gen))
		return;
	collector_clear_ticket(c->d->col, c->tid);
	taskcache_set_ticket(c->d->tasks, c->tid, c->gen, c->pid, false);
}

int channel_judge(struct call *c, int sock, const struct uaddr *u,
		  struct channel_target *out)
{
	struct chan_info ci;
	bool found = false;
	int r;

	out->fd = -1;
	out->canon[0] = '\0';
	if (u->autobind)
		return -EINVAL;
	if (u->abstract) {
		daemon_lock(c->d);
		found = chantab_lookup_abstract(c->d->chans, c->tid,
						sock_netns(sock), u->path,
						u->path_len, &ci) == 0;
		daemon_unlock(c->d);
	} else {
		struct pathres_from from, *f = &from;
		struct tc_ref *root = NULL;
		const char *path = u->path;
		struct stat st;

		r = call_from_open(c, AT_FDCWD, &path, f, &root);
		if (r == 0) {
			r = pathres_full_from(f, path, &out->fd, out->canon,
					      sizeof(out->canon));
			call_from_close(c, f, root);
		}
		if (r < 0)
			return r;
		call_close_later(c, out->fd);
		/* what the kernel says of a non-socket; continuing would let
		 * it look again, at whatever is there by then */
		if (fstat(out->fd, &st) < 0 || !S_ISSOCK(st.st_mode))
			return -ECONNREFUSED;
		daemon_lock(c->d);
		found = chantab_lookup_path(c->d->chans, c->tid, st.st_dev,
					    st.st_ino, &ci) == 0;
		daemon_unlock(c->d);
	}
	/* Untyped channels are free; a process's own channels too.  Other
	 * typed channels need channel_connect for their type. */
	if (found && ci.type != 0 &&
	    !(ci.owner == c->pid &&
	      procinfo_start_key(ci.owner_start) ==
		      procinfo_start_key(c->start_ns)) &&
	    !call_need_value(c, AB_CHANNEL_CONNECT, ci.type))
		return -EPERM;
	return 0;
}

/*
 * Decides a connection to address u (from sock, or -1 when the socket
 * does not matter: a path names the same socket from any) and, if
 * allowed, arms the kernel-side ticket.  Returns 0 (continue), or -errno
 * to refuse.
 */
static int channel_decision(struct call *c, int sock, const struct uaddr *u,
			    uint32_t uses)
{
	struct spb_ticket t = {.len = u->len, .uses = uses};
	struct channel_target target;
	int r = channel_judge(c, sock, u, &target);

	if (r < 0)
		return r;
	/* Without the kernel's unix hooks nothing would hold the process
	 * to the address we checked: fail closed (secpold warned at start). */
	if (!collector_caps(c->d->col)->unix_hooks)
		return -EACCES;
	if (u->abstract) {
		/* the name lives in the socket's network namespace: the
		 * ticket holds this very socket */
		if (getsockopt(sock, SOL_SOCKET, SO_COOKIE, &t.cookie,
			       &(socklen_t){sizeof(t.cookie)}) < 0)
			return -errno;
	} else if (strlen(target.canon) < sizeof(t.new_path)) {
		/* the kernel resolves the canonical path we checked */
		t.new_len = (uint32_t)strlen(target.canon);
		memcpy(t.new_path, target.canon, t.new_len);
	}
	memcpy(t.addr, &u->sun, u->len);
	/* (no check that the call is still pending: a caller gone meanwhile
	 * takes its ticket with it, sched_process_exit deletes it) */
	r = collector_set_ticket(c->d->col, c->tid, &t);
	if (r < 0) {
		log_warn("cannot store a connect ticket for %d: %s", c->tid,
			 strerror(-r));
		return -EAGAIN;
	}
	taskcache_set_ticket(c->d->tasks, c->tid, c->gen, c->pid, true);
	return 0;
}

static void finish_channel(struct call *c, int r)
{
	if (r < 0) {
		/* a ticket left from an earlier call must not outlive a
		 * refusal */
		clear_ticket(c);
		return call_result(c, r);
	}
	call_continue(c);
}

#ifndef SO_PASSPIDFD
#define SO_PASSPIDFD 76
#endif

/* An abstract name the kernel chose (autobind): five hex digits. */
static bool autobind_name(const struct sockaddr_un *a, socklen_t len)
{
	if (len != offsetof(struct sockaddr_un, sun_path) + 6 ||
	    a->sun_path[0] != '\0')
		return false;
	for (int i = 1; i < 6; i++)
		if (!strchr("0123456789abcdef", a->sun_path[i]) ||
		    !a->sun_path[i])
			return false;
	return true;
}

/*
 * The caller's unix socket gets a name when it sends with SO_PASSCRED (or
 * SO_PASSPIDFD) set and none yet: the kernel binds it to an abstract name
 * of its choosing (autobind), reachable by anyone in the namespace.  Such
 * a channel is the caller's type, like one it binds explicitly: secpold
 * names it first (the same autobind) and records it, or records a name
 * the kernel gave it behind our back (a send without an address, which
 * is not supervised) the first time it sees the socket.
 */
int label_autobound(struct call *c, int sock)
{
	struct chan_info ci = {.type = c->type, .owner = c->pid,
			       .owner_start = c->start_ns};
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	struct chan_info old;
	struct stat st;
	uint64_t netns;
	bool known;

	int r;

	if (getsockname(sock, (struct sockaddr *)&a, &len) < 0)
		return 0;
	if (len <= offsetof(struct sockaddr_un, sun_path)) {
		if (sock_int_opt(sock, SO_PASSCRED) <= 0 &&
		    sock_int_opt(sock, SO_PASSPIDFD) <= 0)
			return 0; /* stays unnamed: nobody can reach it */
		/* the kernel would name it unrecorded: refuse the send */
		r = call_admit_channel(c, "@", 1);
		if (r < 0)
			return r;
		if (bind(sock, (struct sockaddr *)&a,
			 offsetof(struct sockaddr_un, sun_path)) < 0)
			return 0;
		len = sizeof(a);
		if (getsockname(sock, (struct sockaddr *)&a, &len) < 0)
			return 0;
	}
	if (!autobind_name(&a, len))
		return 0;
	netns = sock_netns(sock);
	daemon_lock(c->d);
	known = chantab_lookup_abstract(c->d->chans, c->tid, netns,
					a.sun_path + 1, 5, &old) == 0;
	daemon_unlock(c->d);
	if (known)
		return 0;
	if (fstat(sock, &st) == 0)
		ci.sock_ino = st.st_ino;
	daemon_lock(c->d);
	chantab_add_abstract(c->d->chans, netns, a.sun_path + 1, 5, &ci);
	daemon_unlock(c->d);
	return 0;
}

/* Continues a call that needs no decision, with no ticket left. */
static void pass(struct call *c)
{
	clear_ticket(c);
	call_continue(c);
}

void decide_connect(struct call *c)
{
	int sock = -1;
	struct uaddr u;
	int r;

	r = uaddr_read(c->tid, c->req->data.args[1], c->req->data.args[2], &u);
	if (r == -EAFNOSUPPORT) {
		/* Another family: not a channel (a unix socket refuses it).
		 * AF_UNSPEC dissolves a datagram association: a socket
		 * named by autobind while connected becomes reachable.  An
		 * address swapped in meanwhile meets the hook without a
		 * ticket. */
		sa_family_t fam = 0;

		if (c->req->data.args[2] >= sizeof(fam) &&
		    procmem_read(c->tid, c->req->data.args[1], &fam,
				 sizeof(fam)) == 0 &&
		    fam == AF_UNSPEC) {
			sock = call_take_fd(c, (int)c->req->data.args[0]);
			if (sock >= 0) {
				call_close_later(c, sock);
				if (sock_int_opt(sock, SO_DOMAIN) == AF_UNIX)
					label_autobound(c, sock);
			}
		}
		return pass(c);
	}
	if (r < 0)
		return call_result(c, r);
	/* a path names one socket from any network namespace: the
	 * caller's socket does not matter; an abstract name's does */
	if (u.abstract) {
		sock = call_take_fd(c, (int)c->req->data.args[0]);
		if (sock < 0)
			return call_result(c, sock);
		call_close_later(c, sock);
		if (sock_int_opt(sock, SO_DOMAIN) != AF_UNIX)
			return pass(c);
	}
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

void decide_sendto(struct call *c)
{
	int sock = call_take_fd(c, (int)c->req->data.args[0]);
	struct uaddr u;
	int r;

	if (sock < 0)
		return call_result(c, sock);
	call_close_later(c, sock);
	if (!addressed_send_matters(sock))
		return pass(c);
	r = uaddr_read(c->tid, c->req->data.args[4], c->req->data.args[5], &u);
	if (r < 0)
		return call_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	r = label_autobound(c, sock);
	finish_channel(c, r < 0 ? r : channel_decision(c, sock, &u, 1));
}

void decide_sendmsg(struct call *c)
{
	int sock = call_take_fd(c, (int)c->req->data.args[0]);
	struct msghdr mh;
	struct uaddr u;
	int r;

	if (sock < 0)
		return call_result(c, sock);
	call_close_later(c, sock);
	if (send_needs_proxy(c, sock))
		return decide_send_proxy(c, sock, false);
	if (!addressed_send_matters(sock))
		return pass(c);
	r = procmem_read(c->tid, c->req->data.args[1], &mh, sizeof(mh));
	if (r < 0)
		return call_result(c, r);
	if (!mh.msg_name || !mh.msg_namelen) {
		/* no address: the hook does not run unless one appears,
		 * and then it finds no ticket */
		return pass(c);
	}
	r = uaddr_read(c->tid, (uint64_t)(uintptr_t)mh.msg_name,
		       mh.msg_namelen, &u);
	if (r < 0)
		return call_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	r = label_autobound(c, sock);
	finish_channel(c, r < 0 ? r : channel_decision(c, sock, &u, 1));
}

void decide_sendmmsg(struct call *c)
{
	int sock = call_take_fd(c, (int)c->req->data.args[0]);
	uint64_t vlen = c->req->data.args[2];
	struct mmsghdr *v = NULL;
	struct uaddr u, first;
	uint32_t addressed = 0;
	uint64_t i;
	int r;

	if (sock < 0)
		return call_result(c, sock);
	call_close_later(c, sock);
	if (send_needs_proxy(c, sock))
		return decide_send_proxy(c, sock, true);
	if (!addressed_send_matters(sock))
		return pass(c);
	if (vlen > 1024) /* the kernel's UIO_MAXIOV cap */
		vlen = 1024;
	v = calloc(vlen ? vlen : 1, sizeof(*v));
	if (!v)
		return call_errno(c, ENOMEM);
	r = procmem_read(c->tid, c->req->data.args[1], v, vlen * sizeof(*v));
	for (i = 0; r == 0 && i < vlen; i++) {
		if (!v[i].msg_hdr.msg_name || !v[i].msg_hdr.msg_namelen)
			continue;
		r = uaddr_read(c->tid, (uint64_t)(uintptr_t)v[i].msg_hdr.msg_name,
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
		clear_ticket(c);
		return call_result(c, r == -EAFNOSUPPORT ? -EINVAL : r);
	}
	if (!addressed)
		return pass(c);
	r = label_autobound(c, sock);
	finish_channel(c, r < 0 ? r :
			      channel_decision(c, sock, &first, addressed));
}

void decide_listen(struct call *c)
{
	if (!call_need(c, AB_PUBLIC_CHANNEL))
		return call_errno(c, EPERM);
	call_continue(c);
}
