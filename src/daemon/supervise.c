// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seccomp listeners and the threads that decide their calls.
 *
 * A listener belongs to one supervised process tree (a nested `on -T`
 * cannot add another, so one tree may hold processes of several types;
 * decisions use the pid -> type map, not the listener).  Each listener has
 * threads of its own, blocked in SECCOMP_IOCTL_NOTIF_RECV: a call is one
 * receive, the decision and one answer, with no event loop in between.  A
 * thread that finds every other thread of its listener busy starts another
 * (up to one per CPU), so the processes of one tree are decided on every
 * CPU.
 *
 * A decision can be slow: it reads the caller's memory, which a page
 * served by userfaultfd or FUSE can hold for as long as the caller likes.
 * Such a call holds only threads of its own tree, never another tree's.
 *
 * The main thread watches each listener for the end of its tree (HUP),
 * then interrupts the listener's threads (a signal: the receive returns
 * EINTR); the last thread to leave frees the listener.
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
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "ctl/proto.h"
#include "daemon.h"
#include "call.h"
#include "decide.h"
#include "proxy.h"

/* newer than Debian 12's uapi headers */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

/* interrupts a listener thread's receive (its handler does nothing) */
#define SIG_QUIT_THREAD (SIGRTMIN + 1)

static unsigned max_threads = 2; /* per listener: the CPUs, at most 8 */

static void on_quit_signal(int sig)
{
	(void)sig;
}

struct lthread {
	struct listener *l;
	unsigned idx; /* in l->threads */
};

static void listener_free(struct listener *l)
{
	close(l->fd);
	if (l->state)
		munmap((void *)l->state, sizeof(*l->state));
	free(l);
}


static int start_thread(struct daemon *d, struct listener *l);

static void *listener_main(void *arg)
{
	struct lthread *lt = arg;
	struct listener *l = lt->l;
	unsigned idx = lt->idx;
	struct daemon *d = l->d;
	struct seccomp_notif *req = calloc(1, d->req_size);
	struct seccomp_notif_resp *resp = calloc(1, d->resp_size);
	int slot = -1, r = proxy_init();
	struct call_tail tail = {0};
	sigset_t quit;

	free(lt);
	if (r == 0) {
		slot = collector_act_slot(d->col, (pid_t)syscall(SYS_gettid));
		if (slot < 0)
			log_warn("no slot to report capability checks made while acting for processes: they are not reported");
	}
	if (r < 0 || !req || !resp) {
		log_err("a thread for the process tree of %d cannot start: %s",
			l->root_pid, r < 0 ? strerror(-r) : "out of memory");
		goto out;
	}
	/* only now may the quit signal reach this thread */
	sigemptyset(&quit);
	sigaddset(&quit, SIG_QUIT_THREAD);
	pthread_sigmask(SIG_UNBLOCK, &quit, NULL);
	for (;;) {
		daemon_lock(d);
		if (l->dead) {
			daemon_unlock(d);
			break;
		}
		l->idle++;
		daemon_unlock(d);

		memset(req, 0, d->req_size);
		r = ioctl(l->fd, SECCOMP_IOCTL_NOTIF_RECV, req);

		daemon_lock(d);
		l->idle--;
		if (r < 0 || l->dead) {
			bool dead = l->dead;

			daemon_unlock(d);
			/* ENOENT: the caller died or was interrupted */
			if (r < 0 && errno != ENOENT && errno != EINTR) {
				log_warn("cannot receive a notification from the tree of %d: %s",
					 l->root_pid, strerror(errno));
				break;
			}
			if (dead && r == 0) {
				/* refused rather than left waiting */
				memset(resp, 0, d->resp_size);
				resp->id = req->id;
				resp->error = -EPERM;
				ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
			}
			continue;
		}
		/* for `on`: this call is ours now; should we die before
		 * answering it, `on` refuses it */
		if (l->state && req->id > l->state->received)
			l->state->received = req->id;
		if (l->idle == 0 && l->nthreads < max_threads)
			start_thread(d, l);
		l->busy++;
		daemon_unlock(d);

		memset(resp, 0, d->resp_size);
		decide(d, slot, l->fd, req, resp, &tail);
		if (ioctl(l->fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 &&
		    errno != ENOENT)
			log_warn("cannot answer system call %d of %u: %s",
				 req->data.nr, req->pid, strerror(errno));
		/* the caller runs again: the rest need not hold it */
		decide_tail(d, &tail);
		__atomic_add_fetch(&d->notifications, 1, __ATOMIC_RELAXED);

		daemon_lock(d);
		l->busy--;
		l->notifications++;
		/* several threads answer one listener: `on` probes the ids
		 * around the last one recorded (see on.c refuse_orphan) */
		if (l->state && req->id > l->state->answered)
			l->state->answered = req->id;
		daemon_unlock(d);
	}
out:
	if (slot >= 0)
		collector_act_release(d->col, slot);
	proxy_fini();
	free(req);
	free(resp);
	/* the main thread frees the listener once no thread is left */
	daemon_lock(d);
	l->threads[idx] = 0;
	l->nthreads--;
	daemon_unlock(d);
	return NULL;
}

/* With d->lock held. */
static int start_thread(struct daemon *d, struct listener *l)
{
	struct lthread *lt = calloc(1, sizeof(*lt));
	pthread_attr_t attr;
	sigset_t all, old;
	int r;

	(void)d;
	if (!lt)
		return -ENOMEM;
	lt->l = l;
	for (lt->idx = 0; lt->idx < LISTENER_MAX_THREADS; lt->idx++)
		if (!l->threads[lt->idx])
			break;
	if (lt->idx == LISTENER_MAX_THREADS) {
		free(lt);
		return -EAGAIN;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* decisions keep paths on the stack: 256 KiB is plenty */
	pthread_attr_setstacksize(&attr, 256 << 10);
	/* signals are the main thread's (its signalfd): the thread starts
	 * with all of them blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&l->threads[lt->idx], &attr, listener_main, lt);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r) {
		l->threads[lt->idx] = 0;
		free(lt);
		return -r;
	}
	l->nthreads++;
	return 0;
}

/* Interrupts every thread of l (in its receive).  With d->lock held. */
static void interrupt(struct listener *l)
{
	for (unsigned i = 0; i < LISTENER_MAX_THREADS; i++)
		if (l->threads[i])
			pthread_kill(l->threads[i], SIG_QUIT_THREAD);
}

/* The main thread learns that l's tree has ended. */
static void on_hup(struct daemon *d, struct watch *w, uint32_t events)
{
	struct listener *l = (struct listener *)((char *)w -
						 offsetof(struct listener, w));

	if (!(events & (EPOLLHUP | EPOLLERR)))
		return;
	daemon_unwatch(d, &l->w);
	daemon_lock(d);
	for (struct listener **pp = &d->listeners; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	d->nlisteners--;
	l->dead = true;
	l->next = d->dying;
	d->dying = l;
	interrupt(l);
	daemon_unlock(d);
	supervise_tick(d);
}

int supervise_init(struct daemon *d)
{
	struct seccomp_notif_sizes sz;
	struct sigaction sa = {.sa_handler = on_quit_signal};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
		return -errno;
	/* the kernel may know a larger struct than our headers */
	d->req_size = sz.seccomp_notif > sizeof(struct seccomp_notif) ?
			      sz.seccomp_notif :
			      sizeof(struct seccomp_notif);
	d->resp_size = sz.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ?
			       sz.seccomp_notif_resp :
			       sizeof(struct seccomp_notif_resp);
	max_threads = ncpu < 2 ? 2 : ncpu > LISTENER_MAX_THREADS ?
					 LISTENER_MAX_THREADS :
					 (unsigned)ncpu;
	/* no SA_RESTART: the receive must return EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIG_QUIT_THREAD, &sa, NULL) < 0)
		return -errno;
	return 0;
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
	/* wake the supervised task on our CPU when we answer */
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, flags) < 0)
		log_debug("cannot set SYNC_WAKE_UP on a listener: %s",
			  strerror(errno));
	l->d = d;
	l->fd = fd;
	l->root_pid = root_pid;
	l->root_type = type;
	l->w.fd = fd;
	l->w.fn = on_hup;
	/* only the end of the tree: its calls are the threads' */
	r = daemon_watch(d, &l->w, 0);
	if (r < 0)
		goto fail;
	daemon_lock(d);
	r = start_thread(d, l);
	if (r == 0) {
		l->next = d->listeners;
		d->listeners = l;
		d->nlisteners++;
	}
	daemon_unlock(d);
	if (r == 0)
		return 0;
	daemon_unwatch(d, &l->w);
fail:
	if (l->state)
		munmap((void *)l->state, sizeof(*l->state));
	free(l);
	return r;
}

/* With d->lock held: interrupts the threads of ended trees again (a signal
 * can come just before a thread enters its receive) and frees the
 * listeners whose threads have all left.  *left: threads still there. */
static void reap_locked(struct daemon *d, unsigned *left)
{
	struct listener **pp = &d->dying;

	*left = 0;
	while (*pp) {
		struct listener *l = *pp;

		if (l->nthreads == 0) {
			*pp = l->next;
			log_debug("process tree of %d (type %u) has ended after %llu decisions",
				  l->root_pid, l->root_type,
				  (unsigned long long)l->notifications);
			listener_free(l);
			continue;
		}
		*left += l->nthreads;
		interrupt(l);
		pp = &l->next;
	}
}

/* Stops every listener's threads; waits a little for them (one held by
 * a slow call is left behind: the process is about to exit). */
void supervise_close_all(struct daemon *d)
{
	struct listener *l;
	unsigned left = 1;

	daemon_lock(d);
	while ((l = d->listeners)) {
		d->listeners = l->next;
		daemon_unwatch(d, &l->w);
		l->dead = true;
		l->next = d->dying;
		d->dying = l;
	}
	d->nlisteners = 0;
	daemon_unlock(d);
	for (int tries = 0; tries < 100 && left; tries++) {
		struct timespec ts = {0, 10 * 1000 * 1000};

		daemon_lock(d);
		reap_locked(d, &left);
		daemon_unlock(d);
		if (left)
			nanosleep(&ts, NULL);
	}
}

void supervise_fini(struct daemon *d)
{
	supervise_close_all(d);
}

void supervise_tick(struct daemon *d)
{
	unsigned left;

	daemon_lock(d);
	reap_locked(d, &left);
	daemon_unlock(d);
}

void supervise_counts(struct daemon *d, unsigned *threads, unsigned *busy)
{
	*threads = *busy = 0;
	daemon_lock(d);
	for (struct listener *l = d->listeners; l; l = l->next) {
		*threads += l->nthreads;
		*busy += l->busy;
	}
	daemon_unlock(d);
}
