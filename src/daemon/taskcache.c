// SPDX-License-Identifier: BSD-2-Clause
#include "taskcache.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "pathres.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#define NBUCKETS 4096

/* A descriptor (or root) shared by the cache and its borrowers: closed
 * when the last reference goes. */
struct tc_ref {
	unsigned refs;
	int fd;
	struct pathres_root *root; /* or a root */
};

struct tentry {
	pid_t tid;
	uint32_t gen;
	pid_t pid;
	bool have_creds;
	bool ticket; /* a connect ticket may be armed */
	struct proc_creds creds;
	struct tc_ref *pidfd; /* NULL until asked for */
	struct tentry *next;	      /* hash chain */
	struct tentry *older, *newer; /* age list */
};

/* A process whose umask secpold saw set, or that is not to be cached. */
struct pentry {
	pid_t pid;
	uint64_t start;
	bool umask_known;
	mode_t umask;
	bool uncached;
	struct tc_ref *root; /* NULL until asked for */
	struct pentry *next;
};

struct taskcache {
	pthread_mutex_t lock;
	size_t max, n;
	struct tentry *buckets[NBUCKETS];
	struct tentry *oldest, *newest;
	struct pentry *procs[NBUCKETS];
	size_t nprocs;
	int thread_pidfds; /* 1 yes, 0 no, -1 not probed */
};

struct taskcache *taskcache_new(size_t max)
{
	struct taskcache *tc = calloc(1, sizeof(*tc));

	if (!tc)
		return NULL;
	pthread_mutex_init(&tc->lock, NULL);
	tc->max = max ? max : 1;
	tc->thread_pidfds = -1;
	return tc;
}

static struct tc_ref *ref_new(int fd, struct pathres_root *root)
{
	struct tc_ref *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->refs = 1;
	r->fd = fd;
	r->root = root;
	return r;
}

/* With tc->lock held. */
static void ref_drop(struct tc_ref *r)
{
	if (!r || --r->refs)
		return;
	if (r->root)
		pathres_root_free(r->root);
	else if (r->fd >= 0)
		close(r->fd);
	free(r);
}

int tc_ref_fd(const struct tc_ref *r)
{
	return r->fd;
}

void taskcache_put(struct taskcache *tc, struct tc_ref *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&tc->lock);
	ref_drop(r);
	pthread_mutex_unlock(&tc->lock);
}

static size_t bucket(pid_t id)
{
	return (size_t)id % NBUCKETS;
}

static void unlink_entry(struct taskcache *tc, struct tentry *e)
{
	struct tentry **pp = &tc->buckets[bucket(e->tid)];

	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	if (e->older)
		e->older->newer = e->newer;
	else
		tc->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		tc->newest = e->older;
	tc->n--;
	ref_drop(e->pidfd);
	free(e);
}

void taskcache_free(struct taskcache *tc)
{
	size_t i;

	if (!tc)
		return;
	while (tc->oldest)
		unlink_entry(tc, tc->oldest);
	for (i = 0; i < NBUCKETS; i++)
		while (tc->procs[i]) {
			struct pentry *p = tc->procs[i];

			tc->procs[i] = p->next;
			ref_drop(p->root);
			free(p);
		}
	pthread_mutex_destroy(&tc->lock);
	free(tc);
}

static struct tentry *find(struct taskcache *tc, pid_t tid, uint32_t gen)
{
	struct tentry *e;

	for (e = tc->buckets[bucket(tid)]; e; e = e->next)
		if (e->tid == tid)
			return e->gen == gen ? e : NULL;
	return NULL;
}

static struct pentry *find_proc(struct taskcache *tc, pid_t pid)
{
	struct pentry *p;

	for (p = tc->procs[bucket(pid)]; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* The process record, made if missing (NULL: no memory).  A record of an
 * earlier process with the same pid is reset. */
static struct pentry *get_proc(struct taskcache *tc, pid_t pid, uint64_t start)
{
	struct pentry *p = find_proc(tc, pid);

	if (p) {
		if (p->start != start) {
			p->start = start;
			p->umask_known = p->uncached = false;
			ref_drop(p->root);
			p->root = NULL;
		}
		return p;
	}
	if (tc->nprocs >= tc->max)
		return NULL; /* no record: every call reads /proc */
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->start = start;
	p->next = tc->procs[bucket(pid)];
	tc->procs[bucket(pid)] = p;
	tc->nprocs++;
	return p;
}

/* The entry of (tid, gen), made if missing; an entry of an older
 * generation of the same tid is dropped. */
static struct tentry *get(struct taskcache *tc, pid_t tid, uint32_t gen,
			  pid_t pid)
{
	struct tentry *e;

	for (e = tc->buckets[bucket(tid)]; e; e = e->next)
		if (e->tid == tid)
			break;
	if (e && e->gen == gen)
		return e;
	if (e)
		unlink_entry(tc, e);
	if (tc->n >= tc->max)
		unlink_entry(tc, tc->oldest);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->tid = tid;
	e->gen = gen;
	e->pid = pid;
	/* a ticket armed before an exec (same tid, new generation) may
	 * still be there: assume one until it is cleared */
	e->ticket = true;
	e->next = tc->buckets[bucket(tid)];
	tc->buckets[bucket(tid)] = e;
	e->older = tc->newest;
	if (tc->newest)
		tc->newest->newer = e;
	else
		tc->oldest = e;
	tc->newest = e;
	tc->n++;
	return e;
}

int taskcache_creds(struct taskcache *tc, pid_t tid, uint32_t gen, pid_t pid,
		    uint64_t start_ns, struct proc_creds *out)
{
	struct tentry *e;
	struct pentry *p;
	bool cache;
	int r;

	pthread_mutex_lock(&tc->lock);
	p = get_proc(tc, pid, start_ns);
	cache = p && !p->uncached;
	e = cache ? find(tc, tid, gen) : NULL;
	if (e && e->have_creds) {
		*out = e->creds;
		if (p->umask_known)
			out->umask = p->umask;
		pthread_mutex_unlock(&tc->lock);
		return 0;
	}
	pthread_mutex_unlock(&tc->lock);

	r = procfs_creds(tid, out);
	if (r < 0)
		return r;

	pthread_mutex_lock(&tc->lock);
	p = get_proc(tc, pid, start_ns);
	/* (a process whose threads have umasks of their own is uncached:
	 * /proc has each thread's) */
	if (p && !p->uncached && p->umask_known)
		out->umask = p->umask;
	if (p && !p->uncached) {
		e = get(tc, tid, gen, pid);
		if (e) {
			e->creds = *out;
			e->have_creds = true;
		}
	}
	pthread_mutex_unlock(&tc->lock);
	return 0;
}

/* A new pidfd of thread tid of process pid: a thread pidfd (6.9), else
 * the process's when the thread shares its descriptor table. */
static int open_pidfd(struct taskcache *tc, pid_t tid, pid_t pid)
{
	int fd;

	if (tc->thread_pidfds != 0) {
		fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
		if (fd >= 0) {
			tc->thread_pidfds = 1;
			return fd;
		}
		if (errno != EINVAL)
			return -errno;
		tc->thread_pidfds = 0;
	}
	/* Before 6.9 only the process has one, which gives the descriptors
	 * of its main thread: used only when the calling thread shares
	 * that table (a clone without CLONE_FILES has its own), else the
	 * call is refused. */
	if (tid != pid) {
		long same = syscall(SYS_kcmp, pid, tid, KCMP_FILES, 0, 0);

		if (same != 0)
			return same < 0 ? -errno : -EPERM;
	}
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	return fd < 0 ? -errno : fd;
}

int taskcache_pidfd(struct taskcache *tc, pid_t tid, uint32_t gen, pid_t pid,
		    struct tc_ref **out)
{
	struct tentry *e;
	int fd, r = 0;

	*out = NULL;
	pthread_mutex_lock(&tc->lock);
	e = get(tc, tid, gen, pid);
	if (e && e->pidfd) {
		e->pidfd->refs++;
		*out = e->pidfd;
		goto out;
	}
	fd = open_pidfd(tc, tid, pid);
	if (fd < 0) {
		r = fd;
		goto out;
	}
	*out = ref_new(fd, NULL);
	if (!*out) {
		close(fd);
		r = -ENOMEM;
		goto out;
	}
	if (e) {
		/* the entry's reference, and the caller's */
		e->pidfd = *out;
		(*out)->refs++;
	}
out:
	pthread_mutex_unlock(&tc->lock);
	return r;
}

int taskcache_root(struct taskcache *tc, pid_t tid, pid_t pid,
		   uint64_t start_ns, const struct pathres_root **root,
		   struct tc_ref **ref)
{
	struct pathres_root *pr;
	struct tc_ref *nr;
	struct pentry *p;
	int r;

	*root = NULL;
	*ref = NULL;
	pthread_mutex_lock(&tc->lock);
	p = get_proc(tc, pid, start_ns);
	if (p && !p->uncached && p->root) {
		p->root->refs++;
		*ref = p->root;
		*root = p->root->root;
		pthread_mutex_unlock(&tc->lock);
		return 0;
	}
	pthread_mutex_unlock(&tc->lock);

	r = pathres_root_open(tid, &pr);
	if (r < 0)
		return r;
	nr = ref_new(-1, pr);
	if (!nr) {
		pathres_root_free(pr);
		return -ENOMEM;
	}
	pthread_mutex_lock(&tc->lock);
	p = get_proc(tc, pid, start_ns);
	if (p && !p->uncached && !p->root) {
		p->root = nr;
		nr->refs++;
	}
	pthread_mutex_unlock(&tc->lock);
	*ref = nr;
	*root = pr;
	return 0;
}

void taskcache_set_ticket(struct taskcache *tc, pid_t tid, uint32_t gen,
			  pid_t pid, bool armed)
{
	struct tentry *e;

	pthread_mutex_lock(&tc->lock);
	e = armed ? get(tc, tid, gen, pid) : find(tc, tid, gen);
	if (e)
		e->ticket = armed;
	pthread_mutex_unlock(&tc->lock);
}

bool taskcache_ticket(struct taskcache *tc, pid_t tid, uint32_t gen)
{
	struct tentry *e;
	bool armed;

	pthread_mutex_lock(&tc->lock);
	e = find(tc, tid, gen);
	/* not remembered (an entry evicted, or never made): maybe */
	armed = !e || e->ticket;
	pthread_mutex_unlock(&tc->lock);
	return armed;
}

void taskcache_forget_creds(struct taskcache *tc, pid_t tid)
{
	struct tentry *e;

	pthread_mutex_lock(&tc->lock);
	for (e = tc->buckets[bucket(tid)]; e; e = e->next)
		if (e->tid == tid)
			e->have_creds = false;
	pthread_mutex_unlock(&tc->lock);
}

void taskcache_set_umask(struct taskcache *tc, pid_t pid, uint64_t start_ns,
			 mode_t mask)
{
	struct pentry *p;

	pthread_mutex_lock(&tc->lock);
	p = get_proc(tc, pid, start_ns);
	if (p) {
		p->umask_known = true;
		p->umask = mask & 0777;
	}
	pthread_mutex_unlock(&tc->lock);
}

void taskcache_uncached(struct taskcache *tc, pid_t pid, uint64_t start_ns)
{
	struct pentry *p;
	struct tentry *e, *next;

	pthread_mutex_lock(&tc->lock);
	p = get_proc(tc, pid, start_ns);
	if (p) {
		p->uncached = true;
		ref_drop(p->root);
		p->root = NULL;
	}
	for (e = tc->oldest; e; e = next) {
		next = e->newer;
		if (e->pid == pid)
			e->have_creds = false;
	}
	pthread_mutex_unlock(&tc->lock);
}

void taskcache_exit(struct taskcache *tc, pid_t pid)
{
	struct pentry **pp;
	struct tentry *e, *next;

	pthread_mutex_lock(&tc->lock);
	for (pp = &tc->procs[bucket(pid)]; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid) {
			struct pentry *p = *pp;

			*pp = p->next;
			ref_drop(p->root);
			free(p);
			tc->nprocs--;
			break;
		}
	for (e = tc->oldest; e; e = next) {
		next = e->newer;
		if (e->pid == pid)
			unlink_entry(tc, e);
	}
	pthread_mutex_unlock(&tc->lock);
}

size_t taskcache_size(struct taskcache *tc)
{
	size_t n;

	pthread_mutex_lock(&tc->lock);
	n = tc->n;
	pthread_mutex_unlock(&tc->lock);
	return n;
}
