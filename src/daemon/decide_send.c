// SPDX-License-Identifier: BSD-2-Clause
/*
 * Sends secpold performs for processes that could forge credentials.
 *
 * A type granted setuid (or setgid) with a subrange runs with
 * CAP_SETUID, and with it the kernel accepts any uid in an
 * SCM_CREDENTIALS control message: a peer that trusts SO_PASSCRED would
 * believe a uid outside the subrange (root).  The message is in the
 * process's memory, where another thread could change it after a check,
 * so for such a type secpold performs every sendmsg and sendmmsg on a unix
 * or netlink socket itself, from its own copy: the data, the descriptors
 * passed (taken from the process), the credentials (checked: the
 * process's own pid, and a uid or gid it holds or its subrange allows;
 * when the message names none, the process's real ones, which is what the
 * kernel would give), and the address (a path reached through the very
 * socket file checked).  The peer sees the process's socket, its
 * credentials and its descriptors, as if it had sent.
 *
 * secpold never blocks on a full socket for longer than the caller
 * waits: it polls, and gives up when the caller is gone.  A broken stream
 * raises SIGPIPE in the caller, not in secpold.  Messages larger than
 * PROXY_MAX_DATA are sent in part on a stream socket (a short write, as
 * the kernel may do) and refused with EMSGSIZE otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "call.h"
#include "common/log.h"
#include "common/util.h"
#include "procmem.h"
#include "uaddr.h"

#define PROXY_MAX_DATA (256u << 10)
#define PROXY_MAX_CONTROL (64u << 10)
#define PROXY_MAX_FDS 253 /* SCM_MAX_FD */
#define PROXY_MAX_IOV 1024

bool send_needs_proxy(struct call *c, int sock)
{
	struct sp_grant_view g;
	int family;

	if (!(sp_policy_grant(c->policy, c->type, c->dom, CAP_SETUID, &g) ==
		      0 &&
	      g.ranged) &&
	    !(sp_policy_grant(c->policy, c->type, c->dom, CAP_SETGID, &g) ==
		      0 &&
	      g.ranged))
		return false;
	family = sock_int_opt(sock, SO_DOMAIN);
	return family == AF_UNIX || family == AF_NETLINK;
}

/* One message as secpold sends it. */
struct pmsg {
	struct sockaddr_storage name;
	socklen_t namelen;
	char *data;
	size_t len;
	char *control; /* ours: rights and credentials rebuilt */
	size_t controllen;
	int fds[PROXY_MAX_FDS];
	unsigned nfds;
};

static void pmsg_free(struct pmsg *m)
{
	for (unsigned i = 0; i < m->nfds; i++)
		close(m->fds[i]);
	free(m->data);
	free(m->control);
	memset(m, 0, sizeof(*m));
}

/* The data of the process's iovecs, concatenated (in part on a stream). */
static int read_data(struct call *c, const struct msghdr *mh, bool stream,
		     struct pmsg *m)
{
	struct iovec *iov;
	size_t n = mh->msg_iovlen, i, total = 0;
	int r = 0;

	if (n > PROXY_MAX_IOV)
		return -EMSGSIZE;
	if (n == 0)
		return 0;
	iov = calloc(n, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	r = procmem_read(c->tid, (uint64_t)(uintptr_t)mh->msg_iov, iov,
			 n * sizeof(*iov));
	for (i = 0; r == 0 && i < n; i++) {
		if (iov[i].iov_len > PROXY_MAX_DATA - total) {
			if (!stream) {
				r = -EMSGSIZE;
				break;
			}
			iov[i].iov_len = PROXY_MAX_DATA - total;
		}
		total += iov[i].iov_len;
	}
	if (r == 0 && total) {
		m->data = malloc(total);
		if (!m->data)
			r = -ENOMEM;
	}
	for (i = 0; r == 0 && i < n; i++) {
		if (!iov[i].iov_len)
			continue;
		r = procmem_read(c->tid, (uint64_t)(uintptr_t)iov[i].iov_base,
				 m->data + m->len, iov[i].iov_len);
		m->len += iov[i].iov_len;
	}
	free(iov);
	return r;
}

/* A credential the message claims: its own, or one the policy allows. */
static bool id_allowed(struct call *c, uint16_t ab, uint32_t v,
		       const uint32_t own[3])
{
	if (v == own[0] || v == own[1] || v == own[2])
		return true;
	return call_need_value(c, ab, v);
}

static int add_cmsg(struct pmsg *m, size_t *cap, int level, int type,
		    const void *data, size_t len)
{
	size_t need = CMSG_SPACE(len);
	struct cmsghdr *cm;

	if (m->controllen + need > *cap) {
		size_t ncap = (*cap ? *cap * 2 : 256) + need;
		char *nc = realloc(m->control, ncap);

		if (!nc)
			return -ENOMEM;
		memset(nc + *cap, 0, ncap - *cap);
		m->control = nc;
		*cap = ncap;
	}
	cm = (struct cmsghdr *)(m->control + m->controllen);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(cm), data, len);
	m->controllen += need;
	return 0;
}

/*
 * The control messages: descriptors taken from the process, credentials
 * checked (their refusal is EPERM, the kernel's), the rest copied for the
 * kernel to judge.
 */
static int read_control(struct call *c, const struct msghdr *mh,
			struct pmsg *m)
{
	uint32_t uids[3] = {c->creds.uid, c->creds.euid, c->creds.suid};
	uint32_t gids[3] = {c->creds.gid, c->creds.egid, c->creds.sgid};
	struct ucred cred = {.pid = c->pid, .uid = c->creds.uid,
			     .gid = c->creds.gid};
	size_t len = mh->msg_controllen, cap = 0, off = 0;
	_cleanup_free_ char *buf = NULL;
	int r = 0;

	if (len > PROXY_MAX_CONTROL)
		return -ENOBUFS;
	if (len) {
		buf = malloc(len);
		if (!buf)
			return -ENOMEM;
		r = procmem_read(c->tid, (uint64_t)(uintptr_t)mh->msg_control,
				 buf, len);
		if (r < 0)
			return r;
	}
	/* walk our copy: every length checked against what is left */
	while (r == 0 && off + sizeof(struct cmsghdr) <= len) {
		struct cmsghdr *cm = (struct cmsghdr *)(buf + off);
		size_t dlen;

		if (cm->cmsg_len < CMSG_LEN(0) || cm->cmsg_len > len - off)
			return -EINVAL;
		dlen = cm->cmsg_len - CMSG_LEN(0);
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int fds[PROXY_MAX_FDS];
			size_t n = dlen / sizeof(int), i;

			if (n > PROXY_MAX_FDS - m->nfds)
				return -EINVAL;
			memcpy(fds, CMSG_DATA(cm), n * sizeof(int));
			for (i = 0; i < n; i++) {
				int fd = call_take_fd(c, fds[i]);

				if (fd < 0)
					return fd == -EBADF ? -EBADF : fd;
				m->fds[m->nfds++] = fd;
				fds[i] = fd;
			}
			r = add_cmsg(m, &cap, SOL_SOCKET, SCM_RIGHTS, fds,
				     n * sizeof(int));
		} else if (cm->cmsg_level == SOL_SOCKET &&
			   cm->cmsg_type == SCM_CREDENTIALS) {
			if (dlen != sizeof(struct ucred))
				return -EINVAL;
			memcpy(&cred, CMSG_DATA(cm), sizeof(cred));
			/* the kernel's rules for the process: its own pid
			 * (or sys_admin), a uid/gid it holds or may set */
			if (cred.pid != c->pid &&
			    !call_need(c, CAP_SYS_ADMIN))
				return -EPERM;
			if (!id_allowed(c, CAP_SETUID, cred.uid, uids) ||
			    !id_allowed(c, CAP_SETGID, cred.gid, gids))
				return -EPERM;
		} else {
			r = add_cmsg(m, &cap, cm->cmsg_level, cm->cmsg_type,
				     CMSG_DATA(cm), dlen);
		}
		off += CMSG_ALIGN(cm->cmsg_len);
	}
	/* always explicit: without it the peer would see secpold's */
	if (r == 0)
		r = add_cmsg(m, &cap, SOL_SOCKET, SCM_CREDENTIALS, &cred,
			     sizeof(cred));
	return r;
}

/* The address: a unix datagram's is judged (channel_connect) and reached
 * exactly as checked; others go to the kernel as written. */
static int read_name(struct call *c, int sock, int family, int type,
		     const struct msghdr *mh, struct pmsg *m)
{
	struct channel_target target;
	struct uaddr u;
	int r;

	if (!mh->msg_name || !mh->msg_namelen)
		return 0;
	if (mh->msg_namelen > sizeof(m->name))
		return -EINVAL;
	if (family != AF_UNIX || type != SOCK_DGRAM) {
		m->namelen = mh->msg_namelen;
		return procmem_read(c->tid, (uint64_t)(uintptr_t)mh->msg_name,
				    &m->name, mh->msg_namelen);
	}
	r = uaddr_read(c->tid, (uint64_t)(uintptr_t)mh->msg_name,
		       mh->msg_namelen, &u);
	if (r < 0)
		return r == -EAFNOSUPPORT ? -EINVAL : r;
	r = label_autobound(c, sock);
	if (r == 0)
		r = channel_judge(c, sock, &u, &target);
	if (r < 0)
		return r;
	if (u.abstract) {
		memcpy(&m->name, &u.sun, u.len);
		m->namelen = u.len;
	} else {
		/* the socket file we checked, not its name again */
		struct sockaddr_un *sun = (struct sockaddr_un *)&m->name;
		int n;

		sun->sun_family = AF_UNIX;
		n = snprintf(sun->sun_path, sizeof(sun->sun_path),
			     "/proc/self/fd/%d", target.fd);
		m->namelen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
					 (size_t)n + 1);
	}
	return 0;
}

/* Reads and checks one message of the process (msghdr at addr). */
static int build(struct call *c, int sock, int family, int type,
		 uint64_t addr, struct pmsg *m)
{
	struct msghdr mh;
	int r = procmem_read(c->tid, addr, &mh, sizeof(mh));

	if (r == 0)
		r = read_name(c, sock, family, type, &mh, m);
	if (r == 0)
		r = read_data(c, &mh, type == SOCK_STREAM, m);
	if (r == 0)
		r = read_control(c, &mh, m);
	return r;
}

/*
 * Sends m on sock as the process asked (flags), without ever blocking
 * secpold for longer than the caller waits.  Bytes sent, or -errno.
 */
static ssize_t send_one(struct call *c, int sock, const struct pmsg *m,
			int flags)
{
	struct iovec iov = {.iov_base = m->data, .iov_len = m->len};
	struct msghdr mh = {
		.msg_name = m->namelen ? (void *)&m->name : NULL,
		.msg_namelen = m->namelen,
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = m->control,
		.msg_controllen = m->controllen,
	};
	bool nonblock = (flags & MSG_DONTWAIT) ||
			(fcntl(sock, F_GETFL) & O_NONBLOCK);
	ssize_t n;

	/* (the kernel ignores MSG_CMSG_COMPAT from user space) */
	for (;;) {
		n = sendmsg(sock, &mh, flags | MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0 || errno != EAGAIN || nonblock)
			break;
		/* the caller waits for room: so do we, while it lives */
		struct pollfd p = {.fd = sock, .events = POLLOUT};

		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			return -errno;
		if (!call_still_valid(c))
			return -EINTR;
	}
	if (n < 0 && errno == EPIPE && !(flags & MSG_NOSIGNAL))
		syscall(SYS_tgkill, c->pid, c->tid, SIGPIPE);
	return n < 0 ? -errno : n;
}

void decide_send_proxy(struct call *c, int sock, bool mmsg)
{
	int family = sock_int_opt(sock, SO_DOMAIN);
	int type = sock_int_opt(sock, SO_TYPE);
	int flags = (int)c->req->data.args[mmsg ? 3 : 2];
	uint64_t base = c->req->data.args[1];
	uint64_t vlen = mmsg ? c->req->data.args[2] : 1, i;
	ssize_t n = 0;
	int r = 0;

	if (vlen > PROXY_MAX_IOV) /* the kernel's UIO_MAXIOV cap */
		vlen = PROXY_MAX_IOV;
	for (i = 0; i < vlen; i++) {
		struct pmsg m = {0};
		uint64_t at = base + i * (mmsg ? sizeof(struct mmsghdr) :
						 sizeof(struct msghdr));

		r = build(c, sock, family, type, at, &m);
		if (r == 0 && !call_still_valid(c))
			r = -EINTR;
		if (r == 0) {
			n = send_one(c, sock, &m, flags);
			r = n < 0 ? (int)n : 0;
		}
		pmsg_free(&m);
		if (r < 0)
			break;
		if (mmsg) {
			/* the kernel tells each message's length */
			unsigned len = (unsigned)n;
			struct iovec local = {&len, sizeof(len)};
			struct iovec remote = {
				(void *)(uintptr_t)(at + offsetof(struct mmsghdr,
								  msg_len)),
				sizeof(len)};

			if (process_vm_writev(c->tid, &local, 1, &remote, 1,
					      0) != sizeof(len)) {
				r = -EFAULT;
				break;
			}
		}
	}
	if (mmsg && i > 0)
		r = 0, n = (ssize_t)i; /* how many were sent */
	c->resp->flags = 0;
	c->resp->error = r < 0 ? r : 0;
	c->resp->val = r < 0 ? 0 : n;
}
