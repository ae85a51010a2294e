// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seccomp listeners: one per supervised process tree (a nested `on -T`
 * cannot add another, so one tree may hold processes of several types;
 * decisions use the pid -> type map, not the listener).  Each
 * notification is received, decided (decide.c) and answered at once:
 * nothing in a decision waits for a monitor or another process.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.h"
#include "ctl/proto.h"
#include "daemon.h"
#include "decide.h"

/* newer than Debian 12's uapi headers */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

int supervise_init(struct daemon *d)
{
	struct seccomp_notif_sizes sz;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return -errno;
	/* the kernel may know a larger struct than our headers */
	d->req_size = sz.seccomp_notif > sizeof(struct seccomp_notif) ?
			      sz.seccomp_notif :
			      sizeof(struct seccomp_notif);
	d->resp_size = sz.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ?
			       sz.seccomp_notif_resp :
			       sizeof(struct seccomp_notif_resp);
	d->req = calloc(1, d->req_size);
	d->resp = calloc(1, d->resp_size);
	if (!d->req || !d->resp)
		return -ENOMEM;
	return 0;
}

static void remove_listener(struct daemon *d, struct listener *l)
{
	struct listener **pp = &d->listeners;

	while (*pp && *pp != l)
		pp = &(*pp)->next;
	if (*pp)
		*pp = l->next;
	daemon_unwatch(d, &l->w);
	close(l->w.fd);
	if (l->state)
		munmap((void *)l->state, sizeof(*l->state));
	d->nlisteners--;
	log_debug("process tree of %d (type %u) has ended after %llu decisions",
		  l->root_pid, l->root_type,
		  (unsigned long long)l->notifications);
	free(l);
}

static void on_listener(struct daemon *d, struct watch *w, uint32_t events)
{
	struct listener *l = (struct listener *)((char *)w - offsetof(struct listener, w));

	if (events & EPOLLIN) {
		memset(d->req, 0, d->req_size);
		if (ioctl(w->fd, SECCOMP_IOCTL_NOTIF_RECV, d->req) < 0) {
			/* ENOENT: the caller died or was interrupted */
			if (errno != ENOENT && errno != EINTR)
				log_warn("cannot receive a notification: %s",
					 strerror(errno));
			return;
		}
		/* for `on`: this call is ours now; should we die before
		 * answering it, `on` refuses it */
		if (l->state)
			l->state->received = d->req->id;
		memset(d->resp, 0, d->resp_size);
		decide(d, w->fd, d->req, d->resp);
		l->notifications++;
		d->notifications++;
		if (ioctl(w->fd, SECCOMP_IOCTL_NOTIF_SEND, d->resp) < 0 &&
		    errno != ENOENT)
			log_warn("cannot answer system call %d of %u: %s",
				 d->req->data.nr, d->req->pid, strerror(errno));
		if (l->state)
			l->state->answered = d->req->id;
		return;
	}
	/* HUP without input: every process of the tree has exited */
	if (events & (EPOLLHUP | EPOLLERR))
		remove_listener(d, l);
}

int supervise_add(struct daemon *d, int fd, pid_t root_pid, uint32_t type,
		  int state_fd)
{
	struct listener *l = calloc(1, sizeof(*l));
	__u64 flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	int seals = state_fd >= 0 ? fcntl(state_fd, F_GET_SEALS) : -1, r;
	struct stat st;

	if (!l)
		return -ENOMEM;
	/* only a memfd sealed against shrinking: a truncated mapping would
	 * kill secpold with SIGBUS on its next write */
	if (state_fd >= 0 && fstat(state_fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size >= sizeof(*l->state) && seals >= 0 &&
	    (seals & F_SEAL_SHRINK)) {
		void *p = mmap(NULL, sizeof(*l->state), PROT_READ | PROT_WRITE,
			       MAP_SHARED, state_fd, 0);

		if (p != MAP_FAILED)
			l->state = p;
	}
	/* wake the supervised task on our CPU: about half the latency */
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags) < 0)
		log_debug("cannot set SYNC_WAKE_UP on a listener: %s",
			  strerror(errno));
	l->w.fd = fd;
	l->w.fn = on_listener;
	l->root_pid = root_pid;
	l->root_type = type;
	r = daemon_watch(d, &l->w, EPOLLIN);
	if (r < 0) {
		if (l->state)
			munmap((void *)l->state, sizeof(*l->state));
		free(l);
		return r;
	}
	l->next = d->listeners;
	d->listeners = l;
	d->nlisteners++;
	return 0;
}

void supervise_close_all(struct daemon *d)
{
	while (d->listeners)
		remove_listener(d, d->listeners);
}
