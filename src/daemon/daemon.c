// SPDX-License-Identifier: BSD-2-Clause
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/strnum.h"
#include "common/log.h"
#include "common/util.h"
#include "common/escape.h"
#include "common/strbuf.h"
#include "policy/ability.h"
#include "ctl/proto.h"
#include "daemon_main.h"
#include "notify.h"
#include "proxy.h"
#include "refusals.h"

#define TICK_MS 50        /* drain the ring buffer at least this often */
#define GC_BUDGET 8       /* channel checks per tick: never a stall */
#define POLICY_COPY "policy.bin"

int daemon_watch(struct daemon *d, struct watch *w, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
		return -errno;
	return 0;
}

int daemon_rewatch(struct daemon *d, struct watch *w, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = w};

	if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, w->fd, &ev) < 0)
		return -errno;
	return 0;
}

void daemon_unwatch(struct daemon *d, struct watch *w)
{
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, w->fd, NULL);
}

static int rundir_file(const struct daemon *d, const char *name, char *buf,
		       size_t len)
{
	if (snprintf(buf, len, "%s/%s", d->rundir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* A sealed memfd holding the policy, handed to every monitor so they
 * print type and ability names exactly as this policy has them. */
static int policy_memfd(const struct sp_policy *p)
{
	size_t len;
	const void *data = sp_policy_data(p, &len);
	int fd = memfd_create("secpol-policy", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (write_all(fd, data, len) < 0 ||
	    fcntl(fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		close(fd);
		return -EIO;
	}
	return fd;
}

struct policy_ref {
	struct sp_policy *p;
	unsigned refs;
	struct policy_ref *next;
};

void daemon_lock(struct daemon *d)
{
	pthread_mutex_lock(&d->lock);
}

void daemon_unlock(struct daemon *d)
{
	pthread_mutex_unlock(&d->lock);
}

const struct sp_policy *daemon_policy_get(struct daemon *d)
{
	struct sp_policy *p;

	daemon_lock(d);
	p = d->policy;
	/* the current policy is the head of the list */
	if (p && d->policy_refs && d->policy_refs->p == p)
		d->policy_refs->refs++;
	daemon_unlock(d);
	return p;
}

/* With d->lock held. */
static void policy_put_locked(struct daemon *d, const struct sp_policy *p)
{
	struct policy_ref **pp, *r;

	for (pp = &d->policy_refs; *pp; pp = &(*pp)->next)
		if ((*pp)->p == p)
			break;
	r = *pp;
	if (!r || --r->refs)
		return;
	*pp = r->next;
	sp_policy_free(r->p);
	free(r);
}

void daemon_policy_put(struct daemon *d, const struct sp_policy *p)
{
	if (!p)
		return;
	daemon_lock(d);
	policy_put_locked(d, p);
	daemon_unlock(d);
}

bool daemon_type_learning(struct daemon *d, const struct sp_policy *p,
			  uint32_t type)
{
	return __atomic_load_n(&d->develop, __ATOMIC_RELAXED) ||
	       (p && sp_policy_type_learning(p, type));
}

/* "a_t, b_t" or "none": the types that learn, for the log. */
static void learning_types(struct daemon *d, struct strbuf *sb)
{
	uint32_t n = d->policy ? sp_policy_type_count(d->policy) : 0, i;
	bool any = false;

	if (d->develop) {
		sb_puts(sb, "all (develop mode)");
		return;
	}
	for (i = 1; i < n; i++) {
		const char *name = sp_policy_type_name(d->policy, i);

		if (!sp_policy_type_learning(d->policy, i))
			continue;
		if (any)
			sb_puts(sb, ", ");
		sb_escape(sb, name, strlen(name), 0);
		any = true;
	}
	if (!any)
		sb_puts(sb, "none");
}

void daemon_log_learning(struct daemon *d)
{
	struct strbuf sb = STRBUF_INIT;

	learning_types(d, &sb);
	log_info("types that learn (nothing they do is refused, every would-be refusal is reported): %s",
		 sb_str(&sb));
	sb_free(&sb);
}

void daemon_stop(struct daemon *d)
{
	__atomic_store_n(&d->stopping, true, __ATOMIC_RELAXED);
	daemon_wake_flush(d);
}

void daemon_wake_flush(struct daemon *d)
{
	uint64_t one = 1;

	/* one wake-up until the main thread has flushed */
	if (__atomic_exchange_n(&d->flush_pending, true, __ATOMIC_ACQ_REL))
		return;
	if (d->w_flush.fd >= 0 &&
	    write(d->w_flush.fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_debug("cannot wake the main thread: %s", strerror(errno));
}

/* Installs p as the policy in force (the daemon holds one reference). */
uint32_t daemon_task_flags(struct daemon *d)
{
	return (uint32_t)d->policy_gen << SPB_TASK_GEN_SHIFT;
}

int daemon_task_type(struct daemon *d, const struct spb_task *t,
		     uint32_t *type)
{
	uint8_t gen = (uint8_t)((t->flags & SPB_TASK_GEN_MASK) >>
				SPB_TASK_GEN_SHIFT);
	int r = 0;

	daemon_lock(d);
	if (gen == d->policy_gen)
		*type = t->type;
	else if (gen == (uint8_t)(d->policy_gen - 1) && d->remap)
		*type = t->type < d->remap_n ? d->remap[t->type] : SPB_TYPE_GONE;
	else
		r = -ESTALE;
	daemon_unlock(d);
	return r;
}

/* remap[i]: the ID in `to` of the type named as ID i in `from`. */
static uint32_t *type_remap(const struct sp_policy *from,
			    const struct sp_policy *to, uint32_t *n)
{
	uint32_t *m, i;

	*n = sp_policy_type_count(from);
	m = calloc(*n ? *n : 1, sizeof(*m));
	if (!m)
		return NULL;
	for (i = 0; i < *n; i++)
		if (sp_policy_type_lookup(to, sp_policy_type_name(from, i),
					  &m[i]) < 0)
			m[i] = SPB_TYPE_GONE;
	return m;
}

/* Installs p as the policy in force (the daemon holds one reference), a
 * new generation of type IDs whose remap from the last is given (it is
 * taken); the channel table follows at once. */
static int install_policy(struct daemon *d, struct sp_policy *p,
			  uint32_t *remap, uint32_t remap_n)
{
	struct policy_ref *r = calloc(1, sizeof(*r));
	struct sp_policy *old;

	if (!r) {
		free(remap);
		return -ENOMEM;
	}
	r->p = p;
	r->refs = 1;
	daemon_lock(d);
	old = d->policy;
	r->next = d->policy_refs;
	d->policy_refs = r;
	d->policy = p;
	free(d->remap);
	d->remap = remap;
	d->remap_n = remap_n;
	d->policy_gen++;
	if (remap)
		chantab_retype(d->chans, remap, remap_n);
	if (old)
		policy_put_locked(d, old);
	daemon_unlock(d);
	return 0;
}

/* Carrying running tasks over to a new policy, by type name. */
struct carry {
	struct daemon *d;
	const struct sp_policy *from, *to;
	const uint32_t *remap;
	uint32_t remap_n;
	uint8_t old_gen, new_gen;
	bool changed;   /* this pass wrote an entry */
	size_t renumbered, gone;
	struct strbuf caps; /* processes whose capabilities differ */
	unsigned caps_n;
};

static void note_caps(struct carry *k, uint32_t pid, const struct spb_task *t,
		      uint32_t from, uint32_t to)
{
	uint64_t a = sp_policy_caps(k->from, from, SP_ROOT) |
		     sp_policy_caps(k->from, from, SP_NONROOT);
	uint64_t b = sp_policy_caps(k->to, to, SP_ROOT) |
		     sp_policy_caps(k->to, to, SP_NONROOT);
	char name[256];
	size_t n;

	if (a == b || k->caps_n++ >= 20)
		return;
	daemon_lock(k->d);
	n = procinfo_name(k->d->procs, (pid_t)pid, t->start_ns, NULL, name,
			  sizeof(name));
	daemon_unlock(k->d);
	sb_printf(&k->caps, "\n  process %u (", pid);
	if (n)
		sb_escape(&k->caps, name, n, 0);
	else
		sb_puts(&k->caps, "unnamed");
	sb_printf(&k->caps, ") of type %s:", sp_policy_type_name(k->to, to));
	for (unsigned cap = 0; cap < 64; cap++) {
		const struct ability_info *ai = ability_by_id((uint16_t)cap);

		if (!ai || !((a ^ b) >> cap & 1))
			continue;
		sb_printf(&k->caps, " %c%s", b >> cap & 1 ? '+' : '-', ai->upper);
	}
}

static int carry_one(void *ctx, pid_t tid, struct spb_task *t)
{
	struct carry *k = ctx;
	uint8_t gen = (uint8_t)((t->flags & SPB_TASK_GEN_MASK) >>
				SPB_TASK_GEN_SHIFT);
	uint32_t to;

	if (gen == k->new_gen)
		return 0;
	/* a generation before the last (a secpold restarted over an older
	 * policy copy) is read as the last: its IDs are the copy's */
	to = !k->remap ? t->type :
	     t->type < k->remap_n ? k->remap[t->type] : SPB_TYPE_GONE;
	if (to != t->type)
		k->renumbered++;
	if (to == SPB_TYPE_GONE && t->type != SPB_TYPE_GONE)
		k->gone++;
	if (k->remap && (uint32_t)tid == t->tgid && to != SPB_TYPE_GONE &&
	    t->type < k->remap_n)
		note_caps(k, tid, t, t->type, to);
	if (to != t->type)
		collector_retyped(k->d->col, t->type, to);
	t->type = to;
	t->flags = (t->flags & ~SPB_TASK_GEN_MASK) |
		   ((uint32_t)k->new_gen << SPB_TASK_GEN_SHIFT);
	k->changed = true;
	return 1;
}

/*
 * Running tasks keep their type by name: their entries are rewritten to
 * the new IDs.  A task forked meanwhile copies its parent's old entry, so
 * passes go on until none is left (decisions meanwhile translate through
 * d->remap).  Writes what happened to d->push_summary.
 */
static void carry_over(struct daemon *d, const struct sp_policy *from,
		       const struct sp_policy *to, const uint32_t *remap,
		       uint32_t remap_n)
{
	struct carry k = {
		.d = d, .from = from, .to = to, .remap = remap,
		.remap_n = remap_n, .new_gen = d->policy_gen,
		.old_gen = (uint8_t)(d->policy_gen - 1), .caps = STRBUF_INIT,
	};
	struct strbuf sum = STRBUF_INIT;
	int seen = 0;

	for (int pass = 0; pass < 16; pass++) {
		k.changed = false;
		seen = collector_for_each_typed(d->col, carry_one, &k);
		if (!k.changed)
			break;
	}
	sb_printf(&sum, "%d running tasks keep their types by name",
		  seen < 0 ? 0 : seen);
	if (k.renumbered)
		sb_printf(&sum, " (%zu with a new type ID)", k.renumbered);
	if (k.gone)
		sb_printf(&sum,
			  "; %zu tasks are of types this policy no longer has: everything secpold decides for them is refused",
			  k.gone);
	if (k.caps_n) {
		sb_printf(&sum,
			  "; capability sets are set when a process starts: %u processes keep their old type's capabilities until they are restarted:%s%s",
			  k.caps_n, sb_str(&k.caps),
			  k.caps_n > 20 ? "\n  ..." : "");
	}
	snprintf(d->push_summary, sizeof(d->push_summary), "%s", sb_str(&sum));
	if (seen)
		log_info("%s", d->push_summary);
	sb_free(&sum);
	sb_free(&k.caps);
}

static int replace_policy(struct daemon *d, struct sp_policy *p)
{
	char path[PATH_MAX];
	const void *data;
	uint32_t *remap = NULL, remap_n = 0;
	size_t len;
	int fd = policy_memfd(p), r;

	if (fd < 0)
		return fd;
	d->push_summary[0] = '\0';
	if (d->policy) {
		remap = type_remap(d->policy, p, &remap_n);
		if (!remap) {
			close(fd);
			return -ENOMEM;
		}
	}
	/* keep a copy: a restarted secpold resumes with it, and an
	 * immutable one binds every later secpold until the system
	 * restarts (the run directory is on tmpfs) */
	data = sp_policy_data(p, &len);
	r = rundir_file(d, POLICY_COPY, path, sizeof(path));
	if (r == 0)
		r = write_file_atomic(path, data, len, 0600);
	if (r == 0) {
		struct sp_policy *old = d->policy;

		/* the old one stays alive for the carry-over: it is ours
		 * until the install drops it, and the main thread is the
		 * only one that installs */
		if (old)
			daemon_policy_get(d);
		r = install_policy(d, p, remap, remap_n);
		remap = NULL;
		if (r == 0 && d->col)
			carry_over(d, old, p, d->remap, d->remap_n);
		if (old)
			daemon_policy_put(d, old);
	}
	free(remap);
	if (r < 0) {
		close(fd);
		return r;
	}
	if (d->policy_memfd >= 0)
		close(d->policy_memfd);
	d->policy_memfd = fd;
	daemon_lock(d);
	bus_broadcast(d->bus, CTL_POLICY, fd);
	daemon_unlock(d);
	return 0;
}

int daemon_set_policy(struct daemon *d, struct sp_policy *p)
{
	int r;

	/* a service manager sees the change (nothing before READY=1) */
	notify_reloading();
	r = replace_policy(d, p);
	notify_reloaded(d);
	return r;
}

void daemon_kernel_settings(struct daemon *d, bool new_generation)
{
	bool monitoring, repeats;
	uint32_t observe;
	uint64_t late_ns;

	daemon_lock(d);
	bus_kernel_settings(d->bus, &monitoring, &repeats, &late_ns);
	observe = bus_observe(d->bus);
	daemon_unlock(d);
	collector_configure(d->col, monitoring, repeats, late_ns,
			    new_generation);
	collector_set_observe(d->col, observe);
}

static void reload(struct daemon *d)
{
	struct sp_policy *p;
	char err[256];
	int r;

	if (!d->policy_path) {
		log_warn("SIGHUP: no policy file to reload (start with -i)");
		return;
	}
	if (d->policy && !sp_policy_mutable(d->policy)) {
		log_warn("SIGHUP: the running policy 0x%08x is immutable; not reloading",
			 sp_policy_id(d->policy));
		return;
	}
	r = sp_policy_load_file(d->policy_path, &p, err, sizeof(err));
	if (r < 0) {
		log_err("SIGHUP: %s: %s; keeping policy 0x%08x", d->policy_path,
			r == -ENOENT ? "no such file" : err,
			d->policy ? sp_policy_id(d->policy) : 0);
		return;
	}
	r = daemon_set_policy(d, p);
	if (r < 0) {
		sp_policy_free(p);
		log_err("SIGHUP: cannot install the policy: %s", strerror(-r));
		return;
	}
	log_info("SIGHUP: reloaded policy 0x%08x from %s", sp_policy_id(p),
		 d->policy_path);
}

static void on_signal(struct daemon *d, struct watch *w, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	while (read(w->fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			reload(d);
		else
			daemon_stop(d);
	}
}

static void drain(struct daemon *d)
{
	collector_drain(d->col);
	events_check_lost(d);
}

static void on_ring(struct daemon *d, struct watch *w, uint32_t events)
{
	(void)w;
	(void)events;
	drain(d);
}

static void on_timer(struct daemon *d, struct watch *w, uint32_t events)
{
	uint64_t n;

	(void)events;
	if (read(w->fd, &n, sizeof(n)) < 0)
		return;
	drain(d);
	d->ticks++;
	daemon_lock(d);
	chantab_gc_step(d->chans, GC_BUDGET);
	daemon_unlock(d);
	supervise_tick(d);
	refusals_tick(d->refusals);
	/* the manager's STATUS= line, every 10 s (a walk of the types map) */
	if (d->ticks % (10000 / TICK_MS) == 0)
		notify_status(d);
}

/* Workers published events: the monitors' sockets are the main
 * thread's. */
static void on_flush(struct daemon *d, struct watch *w, uint32_t events)
{
	uint64_t n;

	(void)d;
	(void)events;
	/* the loop flushes the monitors after every wake-up */
	if (read(w->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_debug("flush eventfd: %s", strerror(errno));
}

/* Ports below this need net_bind_service (a sysctl, 1024 by default). */
static uint16_t unprivileged_port_start(void)
{
	char buf[32];
	uint64_t v;
	ssize_t n;
	int fd = open("/proc/sys/net/ipv4/ip_unprivileged_port_start",
		      O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 1024;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1024;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (strnum_u64(buf, 10, 0, 65535, &v) < 0)
		return 1024;
	return (uint16_t)v;
}

/* Another secpold answering on our socket? */
static pid_t running_instance(const struct daemon *d)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char buf[32];
	uint64_t pid = 0;
	int s, r;

	if (strlen(d->ctl_path) >= sizeof(sa.sun_path))
		return 0;
	memcpy(sa.sun_path, d->ctl_path, strlen(d->ctl_path) + 1);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return 0;
	r = connect(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
	if (r < 0)
		return 0;
	s = open(d->pid_path, O_RDONLY | O_CLOEXEC);
	if (s >= 0) {
		ssize_t n = read(s, buf, sizeof(buf) - 1);

		close(s);
		if (n > 0) {
			buf[n] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			if (strnum_u64(buf, 10, 1, INT32_MAX, &pid) < 0)
				pid = 1;
		}
	}
	return pid ? (pid_t)pid : 1;
}

static int open_control_socket(struct daemon *d)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	mode_t old;
	int s, r;

	if (strlen(d->ctl_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, d->ctl_path, strlen(d->ctl_path) + 1);
	s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	unlink(d->ctl_path); /* stale: running_instance() said nobody answers */
	old = umask(0177); /* mode 0600 from the start, no window */
	r = bind(s, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || listen(s, 64) < 0) {
		r = -errno;
		close(s);
		return r;
	}
	return s;
}

/* The run directory: created if missing; refused if someone else could
 * write to it (they could replace the socket). */
static int setup_rundir(struct daemon *d)
{
	struct stat st;

	if (mkdir(d->rundir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (stat(d->rundir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != geteuid() || (st.st_mode & 0022))
		return -EPERM;
	return 0;
}

/*
 * The policy to start with: the copy of the last pushed one (an immutable
 * one cannot be exchanged until the system restarts), else -i, else
 * $SECPOL_POLICY if it exists, else none.
 */
static int initial_policy(struct daemon *d, const struct daemon_opts *o,
			  char *err, size_t errlen)
{
	struct sp_policy *copy = NULL, *p = NULL;
	char path[PATH_MAX], lerr[256];
	int r;

	r = rundir_file(d, POLICY_COPY, path, sizeof(path));
	if (r == 0 && sp_policy_load_file(path, &copy, lerr, sizeof(lerr)) < 0)
		copy = NULL;
	if (o->policy) {
		r = sp_policy_load_file(o->policy, &p, lerr, sizeof(lerr));
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", o->policy,
				 r == -ENOENT ? "no such file" : lerr);
			sp_policy_free(copy);
			return r;
		}
	} else if (!copy && access(d->policy_path, F_OK) == 0) {
		r = sp_policy_load_file(d->policy_path, &p, lerr, sizeof(lerr));
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", d->policy_path, lerr);
			return r;
		}
	}
	if (copy && !sp_policy_mutable(copy)) {
		if (p && sp_policy_id(p) != sp_policy_id(copy)) {
			snprintf(err, errlen,
				 "the immutable policy 0x%08x was pushed before and stays in force until the system restarts; cannot start with policy 0x%08x",
				 sp_policy_id(copy), sp_policy_id(p));
			sp_policy_free(p);
			sp_policy_free(copy);
			return -EPERM;
		}
		sp_policy_free(p);
		p = copy;
		copy = NULL;
	}
	if (!p) {
		p = copy;
		copy = NULL;
	}
	/* the tasks a previous secpold typed have the copy's type IDs:
	 * install it first, so that they are carried over by name to the
	 * one we start with */
	if (copy && p && sp_policy_checksum(copy) != sp_policy_checksum(p) &&
	    daemon_set_policy(d, copy) == 0)
		copy = NULL;
	sp_policy_free(copy);
	if (!p)
		return 0;
	r = daemon_set_policy(d, p);
	if (r < 0) {
		sp_policy_free(p);
		snprintf(err, errlen, "cannot install the policy: %s",
			 strerror(-r));
	}
	return r;
}

static int setup_signals(struct daemon *d)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	d->w_sig.fd = fd;
	d->w_sig.fn = on_signal;
	return daemon_watch(d, &d->w_sig, EPOLLIN);
}

static int setup_timer(struct daemon *d)
{
	struct itimerspec its = {
		.it_interval = {0, TICK_MS * 1000000L},
		.it_value = {0, TICK_MS * 1000000L},
	};
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0)
		return -errno;
	d->w_timer.fd = fd;
	d->w_timer.fn = on_timer;
	return daemon_watch(d, &d->w_timer, EPOLLIN);
}

int daemon_init(struct daemon *d, const struct daemon_opts *o, char *err,
		size_t errlen)
{
	struct collector_opts co = {0};
	const struct collector_caps *caps;
	char pid[32];
	pid_t other;
	size_t n;
	int r;

	memset(d, 0, sizeof(*d));
	d->epfd = d->policy_memfd = -1;
	d->w_sig.fd = d->w_ctl.fd = d->w_timer.fd = d->w_flush.fd = -1;
	pthread_mutex_init(&d->lock, NULL);
	d->develop = o->develop;
	if (snprintf(d->rundir, sizeof(d->rundir), "%s", o->rundir) >=
		    (int)sizeof(d->rundir) ||
	    strlen(o->rundir) > 80) {
		snprintf(err, errlen,
			 "run directory name too long (at most 80 bytes): %s",
			 o->rundir);
		return -ENAMETOOLONG;
	}
	rundir_file(d, CTL_SOCKET_NAME, d->ctl_path, sizeof(d->ctl_path));
	rundir_file(d, CTL_PIDFILE_NAME, d->pid_path, sizeof(d->pid_path));
	d->policy_path = o->policy ? o->policy : o->default_policy;

	r = setup_rundir(d);
	if (r < 0) {
		snprintf(err, errlen,
			 r == -EPERM ?
				 "%s must belong to the user running secpold and not be writable by others" :
				 "cannot use run directory %s: %s",
			 d->rundir, strerror(-r));
		return r;
	}
	other = running_instance(d);
	if (other) {
		snprintf(err, errlen, "secpold is already running for %s (pid %d)",
			 d->rundir, other);
		return -EEXIST;
	}
	d->owner = true;
	/* out of reach of typed root processes' signals (daemon.h) */
	if (setresuid(SECPOLD_UID, 0, SECPOLD_UID) < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot take uid %u for secpold: %s",
			 SECPOLD_UID, strerror(-r));
		return r;
	}
	d->unpriv_port_start = unprivileged_port_start();
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->bus = bus_new();
	d->procs = procinfo_new();
	d->chans = chantab_new();
	d->tasks = taskcache_new(4096);
	r = refusals_open(&d->refusals, NULL);
	if (r < 0) {
		snprintf(err, errlen, "cannot set up the refusal log: %s",
			 strerror(-r));
		return r;
	}
	if (d->epfd < 0 || !d->bus || !d->procs || !d->chans || !d->tasks) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = procfs_init();
	if (r < 0) {
		snprintf(err, errlen, "cannot open /proc: %s", strerror(-r));
		return r;
	}
	r = initial_policy(d, o, err, errlen);
	if (r < 0)
		return r;
	if (d->develop && d->policy && !sp_policy_mutable(d->policy)) {
		snprintf(err, errlen,
			 "develop mode needs a mutable policy (secpolcompile -m): policy 0x%08x is immutable",
			 sp_policy_id(d->policy));
		return -EPERM;
	}
	co.rundir = d->rundir;
	co.cb = events_on_record;
	co.ctx = d;
	co.channels_max = o->channels_max;
	r = collector_start(&d->col, &co, err, errlen);
	if (r < 0)
		return r;
	caps = collector_caps(d->col);
	if (caps->types_taken_over) {
		log_info("took over the types of %zu tasks from a previous secpold",
			 caps->types_taken_over);
		if (d->policy)
			carry_over(d, NULL, d->policy, d->remap, d->remap_n);
	}
	/* a process may hold at most 1/16 of the table, a type 1/4 */
	chantab_set_capacity(d->chans, collector_channels_max(d->col),
			     collector_channels_max(d->col) / 16);
	n = chantab_persist(d->chans, collector_channels_fd(d->col));
	if (n)
		log_info("took over %zu channels from a previous secpold", n);
	r = supervise_init(d);
	if (r < 0) {
		snprintf(err, errlen, "cannot start the workers: %s",
			 strerror(-r));
		return r;
	}
	d->w_ring.fd = collector_fd(d->col);
	d->w_ring.fn = on_ring;
	r = daemon_watch(d, &d->w_ring, EPOLLIN);
	d->w_flush.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	d->w_flush.fn = on_flush;
	if (r == 0)
		r = d->w_flush.fd < 0 ? -errno :
					daemon_watch(d, &d->w_flush, EPOLLIN);
	if (r == 0)
		r = setup_signals(d);
	if (r == 0)
		r = setup_timer(d);
	if (r < 0) {
		snprintf(err, errlen, "cannot set up the event loop: %s",
			 strerror(-r));
		return r;
	}
	d->w_ctl.fd = open_control_socket(d);
	if (d->w_ctl.fd < 0) {
		r = d->w_ctl.fd;
		snprintf(err, errlen, "cannot listen on %s: %s", d->ctl_path,
			 strerror(-r));
		return r;
	}
	d->w_ctl.fn = ctl_accept;
	r = daemon_watch(d, &d->w_ctl, EPOLLIN);
	if (r < 0)
		return r;
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	r = write_file_atomic(d->pid_path, pid, strlen(pid), 0644);
	if (r < 0) {
		snprintf(err, errlen, "cannot write %s: %s", d->pid_path,
			 strerror(-r));
		return r;
	}
	{
		struct strbuf sb = STRBUF_INIT;

		learning_types(d, &sb);
		log_info("ready: %s, policy %s, capability events %s, unix race guard %s, learning: %s",
			 d->rundir,
			 d->policy ? "loaded" : "none (push one with 'secpol -p')",
			 caps->cap_events ? "on" : "off",
			 caps->unix_hooks ? "on" : "off", sb_str(&sb));
		sb_free(&sb);
	}
	return 0;
}

int daemon_run(struct daemon *d)
{
	struct epoll_event evs[64];
	int n, i;

	/* (in the log file too: the ready line went to the terminal) */
	daemon_log_learning(d);
	while (!__atomic_load_n(&d->stopping, __ATOMIC_RELAXED)) {
		n = epoll_wait(d->epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n && !__atomic_load_n(&d->stopping, __ATOMIC_RELAXED); i++) {
			struct watch *w = evs[i].data.ptr;

			w->fn(d, w, evs[i].events);
		}
		/* whatever the decisions and kernel records produced */
		__atomic_store_n(&d->flush_pending, false, __ATOMIC_RELEASE);
		ctl_flush_monitors(d);
	}
	return 0;
}

void daemon_fini(struct daemon *d)
{
	uint32_t ntyped = 0;
	bool keep;
	char path[PATH_MAX];

	if (d->w_ctl.fd >= 0) {
		daemon_unwatch(d, &d->w_ctl);
		close(d->w_ctl.fd);
		unlink(d->ctl_path);
	}
	ctl_close_all(d);
	supervise_fini(d);
	if (d->col)
		collector_count_typed(d->col, &ntyped);
	/* typed processes still run: keep their types and the policy for
	 * the next secpold (their `on` keeps them supervised meanwhile).
	 * An immutable policy stays until the system restarts; a copy we
	 * did not load ourselves is not ours to remove. */
	keep = ntyped > 0 || !d->policy || !sp_policy_mutable(d->policy);
	if (ntyped)
		log_info("stopping with %u typed tasks still running: their types stay pinned in %s/bpf for the next secpold",
			 ntyped, d->rundir);
	collector_stop(d->col, ntyped > 0);
	/* a secpold refused because another one runs touches nothing of
	 * the running one's */
	if (d->owner && !keep &&
	    rundir_file(d, POLICY_COPY, path, sizeof(path)) == 0)
		unlink(path);
	if (d->owner && d->pid_path[0])
		unlink(d->pid_path);
	if (d->w_sig.fd >= 0)
		close(d->w_sig.fd);
	if (d->w_timer.fd >= 0)
		close(d->w_timer.fd);
	if (d->policy_memfd >= 0)
		close(d->policy_memfd);
	if (d->w_flush.fd >= 0)
		close(d->w_flush.fd);
	if (d->epfd >= 0)
		close(d->epfd);
	bus_free(d->bus);
	refusals_close(d->refusals);
	procinfo_free(d->procs);
	chantab_free(d->chans);
	taskcache_free(d->tasks);
	free(d->remap);
	if (d->policy)
		daemon_policy_put(d, d->policy);
	d->policy = NULL;
	pthread_mutex_destroy(&d->lock);
	/* an empty run directory is removed; one holding state is kept */
	if (d->owner)
		rmdir(d->rundir);
}
