// SPDX-License-Identifier: BSD-2-Clause
#include "collector.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/log.h"
#include "common/strnum.h"
#include "common/util.h"
#include "secpol.skel.h"

#define BPF_FS_MAGIC 0xcafe4a11
#define CGROUP2_SUPER_MAGIC 0x63677270
/* not in Debian 12's uapi headers */
#define ATTACH_UNIX_CONNECT 49
#define ATTACH_UNIX_SENDMSG 50

struct collector {
	struct secpol_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *l_fork, *l_exec, *l_exit, *l_cap;
	struct bpf_link *l_obs[20], *l_sig;
	size_t n_obs;
	int l_connect, l_sendmsg; /* bpf_link_create fds */
	struct collector_caps caps;
	collector_cb cb;
	void *ctx;
	char bpffs[PATH_MAX];
	bool mounted_bpffs;
	pthread_mutex_t drain_lock;
	int64_t *type_tasks; /* mmap of the map of the same name */
};

/* Kernel functions that check a capability with CAP_OPT_NOAUDIT, found
 * on 6.18 by scanning call sites (see docs/design.md).  A check made
 * through one of them is a routine probe, not a need.  security_vm_*
 * is listed because cap_vm_enough_memory reaches cap_capable with a tail
 * call, so its own frame is never on the stack. */
static const char *const noaudit_fns[] = {
	"ns_capable_noaudit",         "ns_capable_noaudit.cold",
	"has_ns_capability_noaudit",  "has_capability_noaudit",
	"cap_vm_enough_memory",       "security_vm_enough_memory_mm",
	"kallsyms_show_value",        "ptracer_capable",
};

/*
 * Address ranges of noaudit_fns from /proc/kallsyms: a function ends where
 * the next symbol at a higher address begins (kallsyms lists the kernel's
 * own text in address order).  Returns how many were found.
 */
static unsigned find_noaudit_ranges(struct spb_addr_range *r, unsigned max)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/kallsyms", "re");
	unsigned n = 0, pending = 0, i;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char addrs[32], type[8], name[256];
		uint64_t addr;

		if (sscanf(line, "%31s %7s %255s", addrs, type, name) != 3)
			continue;
		if (strnum_u64(addrs, 16, 0, UINT64_MAX, &addr) < 0 || !addr)
			continue;
		for (i = n - pending; i < n; i++) {
			if (addr > r[i].start) {
				r[i].end = addr;
				pending--;
			}
		}
		if (type[0] != 't' && type[0] != 'T')
			continue;
		for (i = 0; i < ARRAY_SIZE(noaudit_fns) && n < max; i++) {
			if (strcmp(name, noaudit_fns[i]) == 0) {
				r[n].start = addr;
				r[n].end = 0;
				n++;
				pending++;
				break;
			}
		}
	}
	/* a last function without a successor: assume a small one */
	for (i = 0; i < n; i++)
		if (!r[i].end)
			r[i].end = r[i].start + 4096;
	return n;
}

/* A cgroup2 mount point from mountinfo, or "" */
static void find_cgroup2(char *out, size_t len)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX], *sep = strstr(line, " - ");
		char fstype[64];

		if (!sep || sscanf(sep + 3, "%63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2") != 0)
			continue;
		/* field 5 is the mount point (octal-escaped; cgroup2 mount
		 * points have no spaces in practice) */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(out, len, "%s", mnt);
			return;
		}
	}
}

#define TRACEFS "/sys/kernel/tracing"

/*
 * The observation programs: per-system-call tracepoints, attached through
 * tracefs (mounted for the moment if it is not: the attachments stay).
 * Returns whether all are attached.
 */
static bool attach_observers(struct collector *c)
{
	struct bpf_program *progs[] = {
		c->skel->progs.obs_bind_enter,     c->skel->progs.obs_bind_exit,
		c->skel->progs.obs_connect_enter,  c->skel->progs.obs_connect_exit,
		c->skel->progs.obs_symlink_enter,  c->skel->progs.obs_symlink_exit,
		c->skel->progs.obs_symlinkat_enter, c->skel->progs.obs_symlinkat_exit,
		c->skel->progs.obs_mknod_enter,    c->skel->progs.obs_mknod_exit,
		c->skel->progs.obs_mknodat_enter,  c->skel->progs.obs_mknodat_exit,
		c->skel->progs.obs_sendto_enter,   c->skel->progs.obs_sendto_exit,
		c->skel->progs.obs_sendmsg_enter,  c->skel->progs.obs_sendmsg_exit,
		c->skel->progs.obs_mount_enter,    c->skel->progs.obs_mount_exit,
	};
	struct statfs sf;
	bool mounted = false;
	int e = 0;

	if (statfs(TRACEFS "/events", &sf) < 0) {
		if (mount("tracefs", TRACEFS, "tracefs",
			  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
			mounted = true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		struct bpf_link *l = bpf_program__attach(progs[i]);

		if (!l) {
			e = errno;
			break;
		}
		c->l_obs[c->n_obs++] = l;
	}
	if (mounted)
		umount2(TRACEFS, MNT_DETACH);
	if (e) {
		log_warn("cannot attach the system call tracepoints (%s): processes without a type are not observed in the path space, and the network (-q) is not",
			 strerror(e));
		while (c->n_obs)
			bpf_link__destroy(c->l_obs[--c->n_obs]);
		return false;
	}
	return true;
}

void collector_set_observe(struct collector *c, uint32_t what)
{
	__atomic_store_n(&c->skel->bss->cfg.observe, what, __ATOMIC_RELEASE);
}

/* An fd of the cgroup2 root: an existing mount, or one we make for a
 * moment (the cgroup stays attached after the mount goes away). */
static int open_cgroup2_root(const char *rundir)
{
	char mnt[PATH_MAX], tmp[PATH_MAX];
	struct statfs sf;
	int fd;

	find_cgroup2(mnt, sizeof(mnt));
	if (mnt[0]) {
		fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && fstatfs(fd, &sf) == 0 &&
		    sf.f_type == CGROUP2_SUPER_MAGIC)
			return fd;
		if (fd >= 0)
			close(fd);
	}
	if (snprintf(tmp, sizeof(tmp), "%s/cgroup2", rundir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (mount("cgroup2", tmp, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0) {
		int e = -errno;

		rmdir(tmp);
		return e;
	}
	fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	umount2(tmp, MNT_DETACH);
	rmdir(tmp);
	return fd < 0 ? -errno : fd;
}

/* The instance's private bpffs, mounted if need be. */
static int setup_bpffs(struct collector *c, const char *rundir)
{
	struct statfs sf;

	if (snprintf(c->bpffs, sizeof(c->bpffs), "%s/bpf", rundir) >=
	    (int)sizeof(c->bpffs))
		return -ENAMETOOLONG;
	if (mkdir(c->bpffs, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (statfs(c->bpffs, &sf) == 0 && sf.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", c->bpffs, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0700") < 0)
		return -errno;
	c->mounted_bpffs = true;
	return 0;
}

static void pin_path(const struct collector *c, const char *name, char *buf,
		     size_t len)
{
	/* the daemon limits the run directory's length, so this fits */
	if (snprintf(buf, len, "%s/%s", c->bpffs, name) >= (int)len)
		buf[0] = '\0';
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct collector *c = ctx;

	c->cb(c->ctx, data, len);
	return 0;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	char *buf = NULL, *line, *save = NULL;

	if (level == LIBBPF_DEBUG)
		return 0;
	/* a verifier log is one long message: print all of it, by line */
	if (vasprintf(&buf, fmt, ap) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		log_msg(level == LIBBPF_WARN ? LOGL_WARN : LOGL_INFO, "%s",
			line);
	free(buf);
	return 0;
}

/* Re-pins a tracking link: the old pin (a previous secpold's) goes only
 * after ours is attached, so fork tracking never stops. */
static void repin(struct collector *c, struct bpf_link *l, const char *name)
{
	char path[PATH_MAX];

	pin_path(c, name, path, sizeof(path));
	unlink(path);
	if (bpf_link__pin(l, path) < 0)
		c->caps.pinned = false;
}

/* Copies tid -> type entries from a previous secpold's map that could not
 * be reused as is (e.g. its size changed). */
static size_t copy_types(int from, int to)
{
	__u32 key, next, *prev = NULL;
	struct spb_task v;
	size_t n = 0;

	while (bpf_map_get_next_key(from, prev, &next) == 0) {
		/* an older map may have a shorter value: the rest stays 0 */
		memset(&v, 0, sizeof(v));
		if (bpf_map_lookup_elem(from, &next, &v) == 0 &&
		    bpf_map_update_elem(to, &next, &v, BPF_ANY) == 0)
			n++;
		key = next;
		prev = &key;
	}
	return n;
}

int collector_start(struct collector **out, const struct collector_opts *o,
		    char *err, size_t errlen)
{
	struct spb_addr_range ranges[SPB_NOAUDIT_RANGES];
	struct collector *c = calloc(1, sizeof(*c));
	_cleanup_close_ int old_types = -1, old_chans = -1, cg = -1;
	char path[PATH_MAX], chpath[PATH_MAX];
	unsigned nranges, i;
	bool reused = false, chans_reused = false;
	int r;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->cb = o->cb;
	c->ctx = o->ctx;
	pthread_mutex_init(&c->drain_lock, NULL);
	c->l_connect = c->l_sendmsg = -1;
	libbpf_set_print(libbpf_log);

	c->skel = secpol_bpf__open();
	if (!c->skel) {
		r = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s",
			 strerror(-r));
		goto fail;
	}
	nranges = find_noaudit_ranges(ranges, SPB_NOAUDIT_RANGES);
	for (i = 0; i < nranges; i++)
		((struct spb_addr_range *)c->skel->rodata->ranges)[i] = ranges[i];
	c->skel->rodata->nranges = nranges;
	c->skel->rodata->stack_skip = 2;
	c->caps.noaudit = nranges >= 4;
	if (!c->caps.noaudit)
		log_warn("kernel symbols unreadable (/proc/kallsyms): routine noaudit capability probes cannot be told apart and will be reported");
	if (o->channels_max)
		bpf_map__set_max_entries(c->skel->maps.channels, o->channels_max);
	bpf_program__set_expected_attach_type(c->skel->progs.unix_connect,
					      (enum bpf_attach_type)ATTACH_UNIX_CONNECT);
	bpf_program__set_expected_attach_type(c->skel->progs.unix_sendmsg,
					      (enum bpf_attach_type)ATTACH_UNIX_SENDMSG);

	r = setup_bpffs(c, o->rundir);
	if (r < 0) {
		snprintf(err, errlen, "cannot mount bpffs on %s: %s", c->bpffs,
			 strerror(-r));
		goto fail;
	}
	pin_path(c, "types", path, sizeof(path));
	old_types = bpf_obj_get(path);
	if (old_types >= 0 &&
	    bpf_map__reuse_fd(c->skel->maps.types, old_types) == 0)
		reused = true;
	pin_path(c, "channels", chpath, sizeof(chpath));
	old_chans = bpf_obj_get(chpath);
	if (old_chans >= 0 &&
	    bpf_map__reuse_fd(c->skel->maps.channels, old_chans) == 0)
		chans_reused = true;

	r = secpol_bpf__load(c->skel);
	if (r < 0) {
		snprintf(err, errlen,
			 "cannot load the BPF programs: %s (secpold needs BPF tracing and BTF, see secpold(8))",
			 strerror(-r));
		goto fail;
	}
	c->skel->bss->cfg.daemon_tgid = (__u32)getpid();
	c->skel->bss->cfg.wakeup_bytes = 1 << 20;

	c->l_fork = bpf_program__attach(c->skel->progs.sched_fork);
	c->l_exec = bpf_program__attach(c->skel->progs.sched_exec);
	c->l_exit = bpf_program__attach(c->skel->progs.sched_exit);
	if (!c->l_fork || !c->l_exec || !c->l_exit) {
		r = -errno;
		snprintf(err, errlen,
			 "cannot attach the process tracking programs (sched_process_fork/exec/exit): %s",
			 strerror(-r));
		goto fail;
	}
	c->l_cap = bpf_program__attach(c->skel->progs.cap_capable);
	c->caps.cap_events = c->l_cap != NULL;
	if (!c->l_cap)
		log_warn("the capability:cap_capable tracepoint is not available (%s): capability checks are not observed; secpol abilities still are",
			 strerror(errno));

	c->caps.observe = attach_observers(c);
	c->l_sig = bpf_program__attach(c->skel->progs.obs_signal);
	c->caps.signals = c->l_sig != NULL;
	if (!c->l_sig)
		log_warn("the signal:signal_generate tracepoint is not available (%s): signals between types (-u) are not observed",
			 strerror(errno));

	cg = open_cgroup2_root(o->rundir);
	if (cg >= 0) {
		c->l_connect = bpf_link_create(bpf_program__fd(c->skel->progs.unix_connect),
					       cg, ATTACH_UNIX_CONNECT, NULL);
		c->l_sendmsg = bpf_link_create(bpf_program__fd(c->skel->progs.unix_sendmsg),
					       cg, ATTACH_UNIX_SENDMSG, NULL);
	}
	c->caps.unix_hooks = c->l_connect >= 0 && c->l_sendmsg >= 0;
	if (!c->caps.unix_hooks)
		log_warn("cannot attach the cgroup unix connect/sendmsg hooks (%s; Linux 6.7 or later has them): typed processes' connects and addressed sends to unix sockets are refused (EACCES), since nothing would hold them to the checked address",
			 cg < 0 ? strerror(-cg) : strerror(errno));

	/* take over the types of a previous secpold, then pin ours */
	c->caps.pinned = true;
	if (reused) {
		__u32 key, *prev = NULL;
		size_t n = 0;

		while (bpf_map_get_next_key(bpf_map__fd(c->skel->maps.types),
					    prev, &key) == 0) {
			n++;
			prev = &key;
		}
		c->caps.types_taken_over = n;
	} else {
		if (old_types >= 0)
			c->caps.types_taken_over = copy_types(
				old_types, bpf_map__fd(c->skel->maps.types));
		unlink(path);
		if (bpf_map__pin(c->skel->maps.types, path) < 0)
			c->caps.pinned = false;
	}
	if (!chans_reused) {
		/* a previous table that could not be reused as is is lost:
		 * its channels count as untyped until rebound (logged) */
		if (old_chans >= 0)
			log_warn("the channel table of the previous secpold has another layout: its channels are forgotten");
		unlink(chpath);
		if (bpf_map__pin(c->skel->maps.channels, chpath) < 0)
			c->caps.pinned = false;
	}
	repin(c, c->l_fork, "fork");
	repin(c, c->l_exec, "exec");
	repin(c, c->l_exit, "exit");
	if (!c->caps.pinned)
		log_warn("cannot pin BPF objects in %s: process types will not survive a restart of secpold",
			 c->bpffs);

	c->type_tasks = mmap(NULL, SPB_TYPE_SLOTS * sizeof(int64_t),
			     PROT_READ | PROT_WRITE, MAP_SHARED,
			     bpf_map__fd(c->skel->maps.type_tasks), 0);
	if (c->type_tasks == MAP_FAILED) {
		r = -errno;
		c->type_tasks = NULL;
		snprintf(err, errlen, "cannot map the task counts: %s",
			 strerror(-r));
		goto fail;
	}
	collector_recount(c);
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_record,
				 c, NULL);
	if (!c->rb) {
		r = -errno;
		snprintf(err, errlen, "cannot open the event ring buffer: %s",
			 strerror(-r));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	collector_stop(c, false);
	return r < 0 ? r : -EINVAL;
}

void collector_stop(struct collector *c, bool keep_types)
{
	static const char *const pins[] = {"types", "channels", "fork", "exec",
					   "exit"};
	char path[PATH_MAX];
	size_t i;

	if (!c)
		return;
	if (c->type_tasks)
		munmap(c->type_tasks, SPB_TYPE_SLOTS * sizeof(int64_t));
	ring_buffer__free(c->rb);
	if (c->l_connect >= 0)
		close(c->l_connect);
	if (c->l_sendmsg >= 0)
		close(c->l_sendmsg);
	bpf_link__destroy(c->l_cap);
	bpf_link__destroy(c->l_sig);
	while (c->n_obs)
		bpf_link__destroy(c->l_obs[--c->n_obs]);
	if (!keep_types && c->bpffs[0])
		for (i = 0; i < ARRAY_SIZE(pins); i++) {
			pin_path(c, pins[i], path, sizeof(path));
			unlink(path);
		}
	/* pinned links stay attached after their last fd closes */
	bpf_link__destroy(c->l_fork);
	bpf_link__destroy(c->l_exec);
	bpf_link__destroy(c->l_exit);
	secpol_bpf__destroy(c->skel);
	if (!keep_types && c->bpffs[0]) {
		if (umount2(c->bpffs, MNT_DETACH) < 0 && errno != EINVAL)
			log_warn("cannot unmount %s: %s", c->bpffs,
				 strerror(errno));
		rmdir(c->bpffs);
	}
	free(c);
}

const struct collector_caps *collector_caps(const struct collector *c)
{
	return &c->caps;
}

int collector_fd(const struct collector *c)
{
	return ring_buffer__epoll_fd(c->rb);
}

int collector_drain(struct collector *c)
{
	int n;

	/* any thread may drain (a worker before its own event): one at a
	 * time, in ring order */
	pthread_mutex_lock(&c->drain_lock);
	n = ring_buffer__consume(c->rb);
	pthread_mutex_unlock(&c->drain_lock);
	return n;
}

static void count_task(struct collector *c, uint32_t type, int delta)
{
	if (c->type_tasks && type < SPB_TYPE_SLOTS)
		__atomic_add_fetch(&c->type_tasks[type], (int64_t)delta,
				   __ATOMIC_RELAXED);
}

uint32_t collector_type_tasks(const struct collector *c, uint32_t type)
{
	int64_t n;

	if (!c->type_tasks || type >= SPB_TYPE_SLOTS)
		return 0;
	n = __atomic_load_n(&c->type_tasks[type], __ATOMIC_RELAXED);
	return n < 0 ? 0 : (uint32_t)n;
}

static int count_one(void *ctx, pid_t tid, struct spb_task *t)
{
	(void)tid;
	count_task(ctx, t->type, 1);
	return 0;
}

void collector_recount(struct collector *c)
{
	if (!c->type_tasks)
		return;
	memset(c->type_tasks, 0, SPB_TYPE_SLOTS * sizeof(int64_t));
	collector_for_each_typed(c, count_one, c);
}

void collector_retyped(struct collector *c, uint32_t from, uint32_t to)
{
	count_task(c, from, -1);
	count_task(c, to, 1);
}

int collector_set_type(struct collector *c, pid_t tid, uint32_t type,
		       uint32_t flags, pid_t tgid, uint64_t start_ns)
{
	struct spb_task old;
	struct spb_task v = {
		.type = type,
		.flags = flags,
		.tgid = (__u32)tgid,
		.start_ns = start_ns,
		/* a new type: what secpold knew of the task is stale */
		.gen = (__u32)__atomic_add_fetch(&c->skel->bss->cfg.next_gen, 1,
						 __ATOMIC_RELAXED),
	};
	__u32 key = (__u32)tid;
	bool had = bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.types), &key,
				       &old) == 0;

	if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.types), &key, &v,
				BPF_ANY) < 0)
		return -errno;
	if (had)
		count_task(c, old.type, -1);
	count_task(c, type, 1);
	return 0;
}

int collector_get_type(struct collector *c, pid_t tid, struct spb_task *t)
{
	__u32 key = (__u32)tid;

	if (bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.types), &key, t) < 0)
		return -errno;
	return 0;
}

int collector_count_typed(struct collector *c, uint32_t *n)
{
	int fd = bpf_map__fd(c->skel->maps.types);
	__u32 key, *prev = NULL;

	*n = 0;
	while (bpf_map_get_next_key(fd, prev, &key) == 0) {
		(*n)++;
		prev = &key;
	}
	return 0;
}

/* Only an entry still there is written: a task that exited meanwhile
 * must not come back. */
static void write_back(int fd, __u32 key, const struct spb_task *t)
{
	bpf_map_update_elem(fd, &key, t, BPF_EXIST);
}

int collector_for_each_typed(struct collector *c, collector_typed_fn fn,
			     void *ctx)
{
	enum { BATCH = 256 };
	int fd = bpf_map__fd(c->skel->maps.types);
	__u32 keys[BATCH], batch, key, *in = NULL;
	struct spb_task vals[BATCH];
	/* a map that changes while we walk it can make get_next_key start
	 * over: never more steps than it can hold */
	uint64_t steps = 0, max_steps = bpf_map__max_entries(c->skel->maps.types);
	__u32 *prev = NULL;
	int r, total = 0;

	/* batches first: one system call per BATCH tasks, not two per task */
	for (;;) {
		__u32 i, n = BATCH;

		r = bpf_map_lookup_batch(fd, in, &batch, keys, vals, &n, NULL);
		if (r < 0 && errno != ENOENT) {
			if (!in && (errno == EINVAL || errno == ENOTSUP ||
				    errno == EOPNOTSUPP))
				goto one_by_one;
			return -errno;
		}
		for (i = 0; i < n; i++) {
			int fr = fn(ctx, (pid_t)keys[i], &vals[i]);

			if (fr < 0)
				return fr;
			if (fr > 0)
				write_back(fd, keys[i], &vals[i]);
			total++;
		}
		if (r < 0) /* ENOENT: that was the last batch */
			return total;
		in = &batch;
	}
one_by_one:
	while (steps++ < max_steps && bpf_map_get_next_key(fd, prev, &key) == 0) {
		struct spb_task t;

		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &t) < 0)
			continue; /* it exited meanwhile */
		r = fn(ctx, (pid_t)key, &t);
		if (r < 0)
			return r;
		if (r > 0)
			write_back(fd, key, &t);
		total++;
	}
	return total;
}

int collector_channels_fd(const struct collector *c)
{
	return bpf_map__fd(c->skel->maps.channels);
}

uint32_t collector_channels_max(const struct collector *c)
{
	return bpf_map__max_entries(c->skel->maps.channels);
}

int collector_set_ticket(struct collector *c, pid_t tid,
			 const struct spb_ticket *t)
{
	__u32 key = (__u32)tid;

	if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.tickets), &key, t,
				BPF_ANY) < 0)
		return -errno;
	return 0;
}

void collector_clear_ticket(struct collector *c, pid_t tid)
{
	__u32 key = (__u32)tid;

	bpf_map_delete_elem(bpf_map__fd(c->skel->maps.tickets), &key);
}

void collector_configure(struct collector *c, bool monitoring, bool repeats,
			 uint64_t late_ns, bool new_generation)
{
	struct spb_config *cfg = &c->skel->bss->cfg;

	cfg->report_repeats = repeats;
	cfg->late_ns = late_ns;
	if (new_generation)
		cfg->dedup_gen++;
	cfg->monitoring = monitoring;
}

int collector_act_slot(struct collector *c, pid_t daemon_tid)
{
	struct spb_config *cfg = &c->skel->bss->cfg;

	for (int i = 0; i < SPB_ACT_PROBES; i++) {
		int k = ((int)daemon_tid + i) % SPB_ACT_SLOTS;
		__u32 expected = 0;

		if (__atomic_compare_exchange_n(&cfg->act[k].daemon_tid,
						&expected, (__u32)daemon_tid,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return k;
	}
	return -ENOSPC;
}

void collector_act_release(struct collector *c, int slot)
{
	struct spb_config *cfg = &c->skel->bss->cfg;

	if (slot < 0 || slot >= SPB_ACT_SLOTS)
		return;
	cfg->act[slot].tgid = 0;
	__atomic_store_n(&cfg->act[slot].daemon_tid, 0, __ATOMIC_RELEASE);
}

void collector_act_as(struct collector *c, int slot, pid_t tgid, pid_t tid,
		      uint32_t type, uint64_t start_ns)
{
	struct spb_act *a;

	if (slot < 0 || slot >= SPB_ACT_SLOTS)
		return;
	a = &c->skel->bss->cfg.act[slot];
	/* the other fields first: the program reads them once it sees a
	 * process; a compiler barrier keeps the stores in order (the
	 * program runs on this thread, in its own system calls) */
	a->tgid = 0;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	a->tid = (__u32)tid;
	a->type = type;
	a->start_ns = start_ns;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	a->tgid = (__u32)tgid;
}

uint64_t collector_lost(struct collector *c)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	__u32 key = SPB_STAT_LOST;
	uint64_t total = 0;
	__u64 *vals;

	if (ncpu <= 0)
		return 0;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return 0;
	if (bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.stats), &key, vals) == 0)
		for (i = 0; i < ncpu; i++)
			total += vals[i];
	free(vals);
	return total;
}

uint64_t boot_to_realtime(uint64_t boot_ns)
{
	struct timespec rt, bt;
	uint64_t rtn, btn;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	rtn = (uint64_t)rt.tv_sec * 1000000000u + (uint64_t)rt.tv_nsec;
	btn = (uint64_t)bt.tv_sec * 1000000000u + (uint64_t)bt.tv_nsec;
	return rtn - btn + boot_ns;
}
