// SPDX-License-Identifier: BSD-2-Clause
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
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
#include "ctl/proto.h"
#include "daemon_main.h"
#include "notify.h"
#include "proxy.h"

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

static int install_policy(struct daemon *d, struct sp_policy *p)
{
	char path[PATH_MAX];
	const void *data;
	size_t len;
	int fd = policy_memfd(p), r;

	if (fd < 0)
		return fd;
	/* keep a copy: a restarted secpold resumes with it, and an
	 * immutable one binds every later secpold until the system
	 * restarts (the run directory is on tmpfs) */
	data = sp_policy_data(p, &len);
	r = rundir_file(d, POLICY_COPY, path, sizeof(path));
	if (r == 0)
		r = write_file_atomic(path, data, len, 0600);
	if (r < 0) {
		close(fd);
		return r;
	}
	sp_policy_free(d->policy);
	d->policy = p;
	if (d->policy_memfd >= 0)
		close(d->policy_memfd);
	d->policy_memfd = fd;
	bus_broadcast(d->bus, CTL_POLICY, fd);
	return 0;
}

int daemon_set_policy(struct daemon *d, struct sp_policy *p)
{
	int r;

	/* a service manager sees the change (nothing before READY=1) */
	notify_reloading();
	r = install_policy(d, p);
	notify_reloaded(d);
	return r;
}

void daemon_kernel_settings(struct daemon *d, bool new_generation)
{
	bool monitoring, repeats;
	uint64_t late_ns;

	bus_kernel_settings(d->bus, &monitoring, &repeats, &late_ns);
	collector_configure(d->col, monitoring, repeats, late_ns,
			    new_generation);
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
			d->stopping = true;
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
	chantab_gc_step(d->chans, GC_BUDGET);
	/* the manager's STATUS= line, every 10 s (a walk of the types map) */
	if (d->ticks % (10000 / TICK_MS) == 0)
		notify_status(d);
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
	d->w_sig.fd = d->w_ctl.fd = d->w_timer.fd = -1;
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
	d->unpriv_port_start = unprivileged_port_start();
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	d->bus = bus_new();
	d->procs = procinfo_new();
	d->chans = chantab_new();
	if (d->epfd < 0 || !d->bus || !d->procs || !d->chans) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r = proxy_init();
	if (r == 0)
		r = supervise_init(d);
	if (r < 0) {
		snprintf(err, errlen, "cannot prepare supervision: %s",
			 strerror(-r));
		return r;
	}
	r = initial_policy(d, o, err, errlen);
	if (r < 0)
		return r;
	co.rundir = d->rundir;
	co.cb = events_on_record;
	co.ctx = d;
	r = collector_start(&d->col, &co, err, errlen);
	if (r < 0)
		return r;
	caps = collector_caps(d->col);
	if (caps->types_taken_over)
		log_info("took over the types of %zu tasks from a previous secpold",
			 caps->types_taken_over);
	n = chantab_persist(d->chans, collector_channels_fd(d->col));
	if (n)
		log_info("took over %zu channels from a previous secpold", n);
	d->w_ring.fd = collector_fd(d->col);
	d->w_ring.fn = on_ring;
	r = daemon_watch(d, &d->w_ring, EPOLLIN);
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
	log_info("ready: %s, policy %s, capability events %s, unix race guard %s",
		 d->rundir,
		 d->policy ? "loaded" : "none (push one with 'secpol -p')",
		 caps->cap_events ? "on" : "off",
		 caps->unix_hooks ? "on" : "off");
	return 0;
}

int daemon_run(struct daemon *d)
{
	struct epoll_event evs[64];
	int n, i;

	while (!d->stopping) {
		n = epoll_wait(d->epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n && !d->stopping; i++) {
			struct watch *w = evs[i].data.ptr;

			w->fn(d, w, evs[i].events);
		}
		/* whatever the decisions and kernel records produced */
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
	supervise_close_all(d);
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
	if (d->epfd >= 0)
		close(d->epfd);
	bus_free(d->bus);
	procinfo_free(d->procs);
	chantab_free(d->chans);
	sp_policy_free(d->policy);
	free(d->req);
	free(d->resp);
	/* an empty run directory is removed; one holding state is kept */
	if (d->owner)
		rmdir(d->rundir);
}
