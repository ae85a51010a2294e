// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seccomp listeners and the worker threads that decide their calls.
 *
 * A listener belongs to one supervised process tree (a nested `on -T`
 * cannot add another, so one tree may hold processes of several types;
 * decisions use the pid -> type map, not the listener).  Every listener
 * waits in one epoll set shared by the workers, armed one-shot: a worker
 * that gets it receives one notification, arms it again at once if fewer
 * than MAX_INFLIGHT of its calls are being decided (so the processes of
 * one tree are decided on both CPUs), decides, answers, and waits again.
 *
 * A decision can be slow: it reads the caller's memory, which a page
 * served by userfaultfd or FUSE can hold for as long as the caller likes.
 * Such a call holds its worker and at most MAX_INFLIGHT - 1 more of its
 * own tree's calls, never another tree's: on every timer tick the main
 * thread adds a worker when all of them have been busy since the last
 * tick (up to MAX_WORKERS).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.h"
#include "ctl/proto.h"
#include "daemon.h"
#include "decide.h"
#include "proxy.h"

/* newer than Debian 12's uapi headers */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#define MAX_INFLIGHT 2 /* calls of one tree decided at once */
#define MAX_WORKERS (SPB_ACT_SLOTS - 1) /* the main thread has a slot */

struct worker {
	struct workers *ws;
	pthread_t thread;
	int slot; /* collector act slot */
	bool busy; /* atomic: deciding a call */
};

struct workers {
	struct daemon *d;
	int epfd;    /* the listeners, one-shot */
	int quitfd;  /* eventfd: workers stop */
	unsigned n, busy_ticks;
	uint64_t decided_at_tick;
	struct worker *w[MAX_WORKERS];
};

static void arm(struct daemon *d, struct listener *l)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT,
				 .data.ptr = l};

	/* with d->lock held */
	if (l->armed || l->dead)
		return;
	if (epoll_ctl(d->workers->epfd, EPOLL_CTL_MOD, l->fd, &ev) == 0)
		l->armed = true;
}

/* Frees a dead listener no worker holds.  With d->lock held. */
static void reap(struct daemon *d, struct listener *l)
{
	struct listener **pp = &d->listeners;

	if (!l->dead || l->inflight)
		return;
	while (*pp && *pp != l)
		pp = &(*pp)->next;
	if (*pp)
		*pp = l->next;
	epoll_ctl(d->workers->epfd, EPOLL_CTL_DEL, l->fd, NULL);
	close(l->fd);
	if (l->state)
		munmap((void *)l->state, sizeof(*l->state));
	d->nlisteners--;
	log_debug("process tree of %d (type %u) has ended after %llu decisions",
		  l->root_pid, l->root_type,
		  (unsigned long long)l->notifications);
	free(l);
}

/* One notification of l: received, decided, answered. */
static void handle(struct worker *w, struct listener *l, void *reqbuf,
		   void *respbuf)
{
	struct daemon *d = w->ws->d;
	struct seccomp_notif *req = reqbuf;
	struct seccomp_notif_resp *resp = respbuf;
	int r;

	memset(req, 0, d->req_size);
	r = ioctl(l->fd, SECCOMP_IOCTL_NOTIF_RECV, req);
	daemon_lock(d);
	if (r < 0) {
		/* ENOENT: the caller died or was interrupted */
		if (errno != ENOENT && errno != EINTR)
			log_warn("cannot receive a notification: %s",
				 strerror(errno));
		l->armed = false;
		arm(d, l);
		daemon_unlock(d);
		return;
	}
	/* for `on`: this call is ours now; should we die before answering
	 * it, `on` refuses it */
	if (l->state)
		l->state->received = req->id;
	l->inflight++;
	l->armed = false;
	if (l->inflight < MAX_INFLIGHT)
		arm(d, l);
	daemon_unlock(d);

	memset(resp, 0, d->resp_size);
	decide(d, w->slot, l->fd, req, resp);
	if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
		log_warn("cannot answer system call %d of %u: %s",
			 req->data.nr, req->pid, strerror(errno));
	__atomic_add_fetch(&d->notifications, 1, __ATOMIC_RELAXED);

	daemon_lock(d);
	l->notifications++;
	/* several workers answer one listener: `on` probes the ids after
	 * the last one recorded (see on.c refuse_orphan) */
	if (l->state && req->id > l->state->answered)
		l->state->answered = req->id;
	l->inflight--;
	arm(d, l);
	reap(d, l);
	daemon_unlock(d);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct daemon *d = w->ws->d;
	void *req = calloc(1, d->req_size), *resp = calloc(1, d->resp_size);
	int r = proxy_init();

	if (r == 0)
		r = w->slot = collector_act_slot(d->col,
						 (pid_t)syscall(SYS_gettid));
	if (r < 0 || !req || !resp) {
		log_err("a worker cannot start: %s",
			r < 0 ? strerror(-r) : "out of memory");
		daemon_stop(d);
		goto out;
	}
	for (;;) {
		struct epoll_event ev;
		struct listener *l;

		r = epoll_wait(w->ws->epfd, &ev, 1, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (ev.data.ptr == NULL)
			break; /* the quit eventfd */
		l = ev.data.ptr;
		if (ev.events & EPOLLIN) {
			__atomic_store_n(&w->busy, true, __ATOMIC_RELAXED);
			handle(w, l, req, resp);
			__atomic_store_n(&w->busy, false, __ATOMIC_RELAXED);
		} else if (ev.events & (EPOLLHUP | EPOLLERR)) {
			/* every process of the tree has exited */
			daemon_lock(d);
			l->armed = false;
			l->dead = true;
			reap(d, l);
			daemon_unlock(d);
		}
	}
out:
	if (w->slot >= 0)
		collector_act_release(d->col, w->slot);
	free(req);
	free(resp);
	return NULL;
}

static int add_worker(struct workers *ws)
{
	struct worker *w;
	pthread_attr_t attr;
	sigset_t all, old;
	int r;

	if (ws->n >= MAX_WORKERS)
		return -ENOSPC;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->ws = ws;
	w->slot = -1;
	pthread_attr_init(&attr);
	/* decisions keep paths on the stack: 256 KiB is plenty */
	pthread_attr_setstacksize(&attr, 256 << 10);
	/* signals are the main thread's (its signalfd): the worker starts
	 * with all of them blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&w->thread, &attr, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r) {
		free(w);
		return -r;
	}
	ws->w[ws->n++] = w;
	return 0;
}

int supervise_init(struct daemon *d)
{
	struct seccomp_notif_sizes sz;
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	struct workers *ws;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int r = 0;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return -errno;
	/* the kernel may know a larger struct than our headers */
	d->req_size = sz.seccomp_notif > sizeof(struct seccomp_notif) ?
			      sz.seccomp_notif :
			      sizeof(struct seccomp_notif);
	d->resp_size = sz.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ?
			       sz.seccomp_notif_resp :
			       sizeof(struct seccomp_notif_resp);
	ws = calloc(1, sizeof(*ws));
	if (!ws)
		return -ENOMEM;
	ws->d = d;
	d->workers = ws;
	ws->epfd = epoll_create1(EPOLL_CLOEXEC);
	ws->quitfd = eventfd(0, EFD_CLOEXEC);
	if (ws->epfd < 0 || ws->quitfd < 0 ||
	    epoll_ctl(ws->epfd, EPOLL_CTL_ADD, ws->quitfd, &ev) < 0)
		return -errno;
	if (ncpu < 2)
		ncpu = 2;
	if (ncpu > 8)
		ncpu = 8;
	while (r == 0 && ws->n < (unsigned)ncpu)
		r = add_worker(ws);
	return r;
}

int supervise_add(struct daemon *d, int fd, pid_t root_pid, uint32_t type,
		  int state_fd)
{
	struct listener *l = calloc(1, sizeof(*l));
	struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT};
	__u64 flags = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	int seals = state_fd >= 0 ? fcntl(state_fd, F_GET_SEALS) : -1;
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
	l->fd = fd;
	l->root_pid = root_pid;
	l->root_type = type;
	l->armed = true;
	ev.data.ptr = l;
	daemon_lock(d);
	l->next = d->listeners;
	d->listeners = l;
	d->nlisteners++;
	if (epoll_ctl(d->workers->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int r = -errno;

		d->listeners = l->next;
		d->nlisteners--;
		daemon_unlock(d);
		if (l->state)
			munmap((void *)l->state, sizeof(*l->state));
		free(l);
		return r;
	}
	daemon_unlock(d);
	return 0;
}

void supervise_close_all(struct daemon *d)
{
	struct listener *l;

	daemon_lock(d);
	for (l = d->listeners; l; l = l->next) {
		l->dead = true;
		epoll_ctl(d->workers->epfd, EPOLL_CTL_DEL, l->fd, NULL);
	}
	while (d->listeners) {
		l = d->listeners;
		l->inflight = 0;
		reap(d, l);
	}
	daemon_unlock(d);
}

void supervise_fini(struct daemon *d)
{
	struct workers *ws = d->workers;
	uint64_t one = 1;

	if (!ws)
		return;
	if (ws->quitfd >= 0 && write(ws->quitfd, &one, sizeof(one)) < 0)
		log_warn("cannot stop the workers: %s", strerror(errno));
	for (unsigned i = 0; i < ws->n; i++) {
		pthread_join(ws->w[i]->thread, NULL);
		free(ws->w[i]);
	}
	supervise_close_all(d);
	if (ws->epfd >= 0)
		close(ws->epfd);
	if (ws->quitfd >= 0)
		close(ws->quitfd);
	free(ws);
	d->workers = NULL;
}

void supervise_counts(struct daemon *d, unsigned *workers, unsigned *busy)
{
	struct workers *ws = d->workers;

	*workers = *busy = 0;
	if (!ws)
		return;
	*workers = ws->n;
	for (unsigned i = 0; i < ws->n; i++)
		*busy += __atomic_load_n(&ws->w[i]->busy, __ATOMIC_RELAXED);
}

void supervise_tick(struct daemon *d)
{
	struct workers *ws = d->workers;
	uint64_t decided = __atomic_load_n(&d->notifications, __ATOMIC_RELAXED);
	unsigned n, busy;

	supervise_counts(d, &n, &busy);
	/* every worker busy, twice in a row, and none of them finished a
	 * call in between: they are held */
	if (busy < n || decided != ws->decided_at_tick) {
		ws->busy_ticks = 0;
		ws->decided_at_tick = decided;
		return;
	}
	if (++ws->busy_ticks < 2)
		return;
	ws->busy_ticks = 0;
	if (add_worker(ws) == 0)
		log_warn("all %u workers are held by slow calls: started another",
			 n);
}
