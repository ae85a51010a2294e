// SPDX-License-Identifier: GPL-2.0
/*
 * secpold's kernel side.
 *
 *  - tp_btf/sched_process_{fork,exec,exit} keep the `types` map (tid ->
 *    type) in step with the process tree, so a child is typed before it
 *    runs and a reused tid never inherits a type.
 *  - tp_btf/cap_capable reports capability checks (allowed or denied),
 *    de-duplicated per process, with the kernel's routine noaudit probes
 *    told apart by the call stack (the tracepoint has no audit flag).
 *  - cgroup unix connect/sendmsg hooks let a supervised thread's connect
 *    or addressed send through only with the exact address secpold
 *    checked (a one-shot ticket), closing the check-then-use race of
 *    seccomp's CONTINUE.
 *
 * tp_btf programs need neither tracefs nor kprobes.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "bpf/secpol_bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define PF_KTHREAD 0x00200000
#define PF_EXITING 0x00000004
/* uapi constants vmlinux.h lacks (they are macros) */
#define AF_UNIX_NR 1
#define AF_INET_NR 2
#define AF_INET6_NR 10
#define AT_FDCWD_NR -100
#define S_IFMT_NR 0170000
#define S_IFIFO_NR 0010000
#define S_IFSOCK_NR 0140000
#define AF_UNIX 1
#define STACK_FRAMES 4

/* Set before load: address ranges of the kernel functions that check a
 * capability with CAP_OPT_NOAUDIT, and how many frames of the tracepoint's
 * own machinery to skip. */
const volatile __u32 nranges = 0;
const volatile struct spb_addr_range ranges[SPB_NOAUDIT_RANGES] = {};
const volatile __u32 stack_skip = 2;

struct spb_config cfg = {};

/* One entry per task of a typed process.  As large as the kernel's pid
 * space (PID_MAX_LIMIT), allocated on demand: a process cannot fill it to
 * leave its children untyped. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4194304);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct spb_task);
} types SEC(".maps");

/* secpold's channel table, pinned with the types (see secpol_bpf.h);
 * secpold sets its size (the table's capacity) before loading */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct spb_chan_key);
	__type(value, struct spb_chan_val);
} channels SEC(".maps");

/* Tasks per type (a type's process limit), read by secpold through
 * mmap: counted here as tasks are forked and exit, by secpold when it
 * types or retypes one. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SPB_TYPE_SLOTS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __s64); /* an array's slots are 8 bytes apart anyway */
} type_tasks SEC(".maps");

static __always_inline void count_task(__u32 type, int delta)
{
	__s64 *n = bpf_map_lookup_elem(&type_tasks, &type);

	if (n)
		__sync_fetch_and_add(n, delta);
}

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct spb_dedup_key);
	__type(value, __u8);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct spb_ticket);
} tickets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SPB_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct scratch {
	__u64 stack[STACK_FRAMES];
	__u8 addr[SPB_ADDR_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern int bpf_sock_addr_set_sun_path(struct bpf_sock_addr_kern *sa_kern,
				      const __u8 *sun_path,
				      __u32 sun_path__sz) __ksym;

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &idx);

	if (c)
		(*c)++;
}

/* Submit without waking the consumer (it drains on a timer) unless a
 * good part of the buffer is already full. */
static __always_inline void submit(void *e)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > cfg.wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
}

static __always_inline void fill_hdr(struct spb_ev_hdr *h, __u32 kind,
				     struct task_struct *task, __u32 type)
{
	__u64 id = bpf_get_current_pid_tgid();

	h->kind = kind;
	h->tid = (__u32)id;
	h->tgid = id >> 32;
	h->type = type;
	h->time_ns = bpf_ktime_get_boot_ns();
	h->start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
}

static __always_inline bool in_noaudit_range(__u64 ip)
{
	for (int j = 0; j < SPB_NOAUDIT_RANGES; j++) {
		if (j >= nranges)
			break;
		if (ip >= ranges[j].start && ip < ranges[j].end)
			return true;
	}
	return false;
}

/* Was this check made through one of the noaudit entry points?  The
 * nearest few return addresses above cap_capable tell. */
static __always_inline bool noaudit(void *ctx)
{
	struct scratch *s;
	__u32 zero = 0;
	long n;

	if (!nranges)
		return false;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return false;
	n = bpf_get_stack(ctx, s->stack, sizeof(s->stack),
			  stack_skip & BPF_F_SKIP_FIELD_MASK);
	if (n <= 0)
		return false;
	n >>= 3; /* not "/ 8": clang 14 rejects signed division for BPF */
	for (int i = 0; i < STACK_FRAMES; i++) {
		if (i >= n)
			break;
		if (in_noaudit_range(s->stack[i]))
			return true;
	}
	return false;
}

/*
 * The act slot of secpold thread tid, or -1.  Checks made while the
 * thread switches its own credentials to and from the process's (setfsuid
 * needs CAP_SETUID, setgroups CAP_SETGID ...) are secpold's, not the
 * process's: no slot then.
 */
static __always_inline int acting_slot(__u32 tid, struct task_struct *task)
{
	long nr = ((struct pt_regs *)bpf_task_pt_regs(task))->orig_ax;

	switch (nr) {
	case 105: /* setuid */
	case 106: /* setgid */
	case 113: /* setreuid */
	case 114: /* setregid */
	case 116: /* setgroups */
	case 117: /* setresuid */
	case 119: /* setresgid */
	case 122: /* setfsuid */
	case 123: /* setfsgid */
	case 125: /* capget */
	case 126: /* capset */
	case 161: /* chroot */
	case 81:  /* fchdir */
	case 308: /* setns */
		return -1;
	}
	for (int i = 0; i < SPB_ACT_PROBES; i++) {
		__u32 k = (tid + i) % SPB_ACT_SLOTS;

		if (cfg.act[k].daemon_tid == tid)
			return cfg.act[k].tgid ? (int)k : -1;
	}
	return -1;
}

SEC("tp_btf/cap_capable")
int BPF_PROG(cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct task_struct *task;
	struct spb_task *ti;
	struct spb_ev_cap *e;
	struct mm_struct *mm;
	__u32 tid, tgid, flags = 0, type = 0, euid;
	__u64 id, now, start, exec_id;
	bool proxied = false;

	/* without monitors only refusals are wanted (secpold logs those
	 * of typed processes): an allowed check costs this test alone */
	if (!cfg.monitoring && ret == 0)
		return 0;
	id = bpf_get_current_pid_tgid();
	tid = (__u32)id;
	tgid = id >> 32;
	task = bpf_get_current_task_btf();
	if (tgid == cfg.daemon_tgid) {
		/* secpold's own checks are not reported, except those a
		 * thread of it makes while it acts as a supervised thread */
		int slot = acting_slot(tid, task);

		if (slot < 0)
			return 0;
		proxied = true;
		tgid = cfg.act[slot].tgid;
		tid = cfg.act[slot].tid;
		type = cfg.act[slot].type;
		start = cfg.act[slot].start_ns;
		exec_id = 0;
		flags |= SPB_CAP_TYPED | SPB_CAP_NAMED;
	} else {
		if (task->flags & PF_KTHREAD)
			return 0;
		ti = bpf_map_lookup_elem(&types, &tid);
		if (ti) {
			type = ti->type;
			flags |= SPB_CAP_TYPED;
			if (ti->flags & SPB_TASK_NAMED)
				flags |= SPB_CAP_NAMED;
		} else {
			flags |= SPB_CAP_NAMED;
		}
		/* read with a helper: a plain load would be merged with the
		 * one from cfg above, which the verifier refuses (one
		 * instruction, two kinds of pointer) */
		start = BPF_CORE_READ(task, group_leader, start_boottime);
		exec_id = BPF_CORE_READ(task, self_exec_id);
	}
	if (noaudit(ctx))
		flags |= SPB_CAP_NOAUDIT;
	if ((__u64)cred == (__u64)task->real_cred)
		flags |= SPB_CAP_OWN_CRED;
	if (!cfg.monitoring &&
	    (flags & (SPB_CAP_TYPED | SPB_CAP_NOAUDIT | SPB_CAP_OWN_CRED)) !=
		    (SPB_CAP_TYPED | SPB_CAP_OWN_CRED))
		return 0;
	euid = cred->euid.val;
	now = bpf_ktime_get_boot_ns();
	if (cfg.late_ns && now - start > cfg.late_ns)
		flags |= SPB_CAP_LATE;

	if (!cfg.report_repeats) {
		struct spb_dedup_key k = {
			.start_ns = start,
			.exec_id = exec_id,
			.tgid = tgid,
			.gen = cfg.dedup_gen,
			.cap = cap,
			.denied = ret != 0,
			.root = euid == 0,
			.noaudit = !!(flags & SPB_CAP_NOAUDIT),
			.late = !!(flags & SPB_CAP_LATE),
			.own = !!(flags & SPB_CAP_OWN_CRED),
		};
		__u8 one = 1;

		/* look up first: an LRU update allocates even on a hit */
		if (bpf_map_lookup_elem(&seen, &k))
			return 0;
		if (bpf_map_update_elem(&seen, &k, &one, BPF_NOEXIST))
			return 0;
	}

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SPB_STAT_LOST);
		return 0;
	}
	fill_hdr(&e->h, SPB_EV_CAP, task, type);
	e->h.tid = tid;
	e->h.tgid = tgid;
	e->h.start_ns = start;
	e->cap = cap;
	e->ret = ret;
	e->flags = flags;
	e->syscall = (__s32)((struct pt_regs *)bpf_task_pt_regs(task))->orig_ax;
	e->uid = cred->uid.val;
	e->euid = euid;
	e->gid = cred->gid.val;
	e->egid = cred->egid.val;
	e->comm[0] = 0;
	e->exe[0] = 0;
	if (!proxied) {
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		mm = task->mm;
		if (mm)
			bpf_probe_read_kernel_str(e->exe, sizeof(e->exe),
						  BPF_CORE_READ(mm, exe_file, f_path.dentry,
								d_name.name));
	} else {
		/* the thread secpold acts for: its name, not secpold's */
		struct task_struct *t = bpf_task_from_pid((s32)tid);

		if (t) {
			bpf_probe_read_kernel_str(e->comm, sizeof(e->comm),
						  t->comm);
			bpf_task_release(t);
		}
	}
	count(SPB_STAT_CAP_EVENTS);
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptid = parent->pid, ctid = child->pid, type = 0;
	struct spb_task *ti = bpf_map_lookup_elem(&types, &ptid);
	struct spb_ev_fork *e;

	/* threads too: every tid of a typed process is typed */
	if (ti) {
		struct spb_task v = *ti;

		type = v.type;
		v.tgid = child->tgid;
		v.start_ns = BPF_CORE_READ(child, group_leader, start_boottime);
		v.gen = (__u32)__sync_fetch_and_add(&cfg.next_gen, 1) + 1;
		if (bpf_map_update_elem(&types, &ctid, &v, BPF_NOEXIST) == 0)
			count_task(v.type, 1);
		else
			bpf_map_update_elem(&types, &ctid, &v, BPF_ANY);
	}
	/* a new process (not a thread) carries its parent's name until it
	 * execs: tell secpold, so that a child gone before its events are
	 * read still has a name */
	if (child->tgid != child->pid ||
	    (!ti && !cfg.monitoring && !cfg.observe))
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SPB_STAT_LOST);
		return 0;
	}
	fill_hdr(&e->h, SPB_EV_FORK, parent, type);
	e->child_pid = child->tgid;
	e->child_start_ns = child->start_boottime;
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u32 old = old_pid, now = p->pid, type = 0, flags = 0;
	struct spb_task *ti = bpf_map_lookup_elem(&types, &old);
	struct spb_ev_exec *e;

	if (ti) {
		struct spb_task v = *ti;

		v.flags |= SPB_TASK_NAMED;
		/* a new program: new credentials (capabilities change on
		 * exec), a new entry for what secpold knows of it */
		v.gen = (__u32)__sync_fetch_and_add(&cfg.next_gen, 1) + 1;
		type = v.type;
		flags = SPB_CAP_TYPED;
		/* a non-leader thread that execs takes over the leader's
		 * tid: move the entry, or the new image runs untyped */
		bpf_map_update_elem(&types, &now, &v, BPF_ANY);
		if (old != now)
			bpf_map_delete_elem(&types, &old);
	}
	if (!cfg.monitoring && !cfg.observe && !ti)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SPB_STAT_LOST);
		return 0;
	}
	fill_hdr(&e->h, SPB_EV_EXEC, p, type);
	e->flags = flags;
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename),
				  BPF_CORE_READ(bprm, filename));
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p, bool group_dead)
{
	__u32 tid = p->pid, tgid = p->tgid;
	struct spb_task *ti = bpf_map_lookup_elem(&types, &tid);
	struct spb_ev_exit *e;
	__u32 type;

	if (!ti)
		return 0;
	type = ti->type;
	bpf_map_delete_elem(&tickets, &tid);
	/* the task is gone (its process's entry may stay, below) */
	count_task(type, -1);
	/* The leader's entry names the process (secpold looks the type of a
	 * peer up by its pid): it stays while any thread lives.  Its pid
	 * cannot be reused before the whole group is gone. */
	if (tid != tgid || group_dead)
		bpf_map_delete_elem(&types, &tid);
	if (!group_dead)
		return 0;
	if (tid != tgid)
		bpf_map_delete_elem(&types, &tgid);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SPB_STAT_LOST);
		return 0;
	}
	fill_hdr(&e->h, SPB_EV_EXIT, p, type);
	submit(e);
	return 0;
}

/*
 * The unix address hooks.  They run for every process in the cgroup v2
 * hierarchy; an untyped thread costs one hash lookup.  A typed thread
 * needs a ticket: secpold writes one just before it lets the connect or
 * send continue, holding the exact address it checked.
 */
static __always_inline int check_ticket(void *ctx, __u32 hook)
{
	struct bpf_sock_addr_kern *ka = bpf_cast_to_kern_ctx(ctx);
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zero = 0, len, i, why;
	struct spb_ticket *t;
	struct spb_ev_hook *e;
	struct scratch *s;

	if (!bpf_map_lookup_elem(&types, &tid))
		return 1;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 0;
	len = ka->uaddrlen;
	if (bpf_probe_read_kernel(s->addr, sizeof(s->addr), ka->uaddr))
		return 0;
	t = bpf_map_lookup_elem(&tickets, &tid);
	if (!t) {
		why = SPB_HOOK_NO_TICKET;
		goto deny;
	}
	/* the same socket (for an abstract name: another one put under the
	 * descriptor number after the check could be in another network
	 * namespace; 0 for a path, which names the same socket from any) */
	if ((t->cookie && t->cookie != bpf_get_socket_cookie(ctx)) ||
	    t->len != len || len > SPB_ADDR_LEN)
		goto mismatch;
	for (i = 0; i < SPB_ADDR_LEN; i++) {
		if (i >= len)
			break;
		if (s->addr[i] != t->addr[i])
			goto mismatch;
	}
	if (t->new_len) {
		__u32 n = t->new_len;

		if (n > SPB_SUN_PATH_LEN ||
		    bpf_sock_addr_set_sun_path(ka, t->new_path, n)) {
			bpf_map_delete_elem(&tickets, &tid);
			why = SPB_HOOK_REWRITE;
			goto deny;
		}
	}
	if (t->uses > 1)
		t->uses--;
	else
		bpf_map_delete_elem(&tickets, &tid);
	return 1;
mismatch:
	bpf_map_delete_elem(&tickets, &tid);
	why = SPB_HOOK_MISMATCH;
deny:
	count(SPB_STAT_HOOK_DENY);
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		struct task_struct *task = bpf_get_current_task_btf();
		struct spb_task *ti = bpf_map_lookup_elem(&types, &tid);

		fill_hdr(&e->h, SPB_EV_HOOK, task, ti ? ti->type : 0);
		e->hook = hook;
		e->why = why;
		e->len = len;
		__builtin_memcpy(e->addr, s->addr, sizeof(e->addr));
		submit(e);
	} else {
		count(SPB_STAT_LOST);
	}
	return 0;
}

/* libbpf 1.1 does not know the unix sections: secpold loads these as
 * connect4/sendmsg4 programs and sets the unix attach types itself. */
SEC("cgroup/connect4")
int unix_connect(struct bpf_sock_addr *ctx)
{
	return check_ticket(ctx, SPB_HOOK_CONNECT);
}

SEC("cgroup/sendmsg4")
int unix_sendmsg(struct bpf_sock_addr *ctx)
{
	return check_ticket(ctx, SPB_HOOK_SENDMSG);
}

/*
 * Observation (secpolmonitor -p of untyped processes, -q, -u): nothing
 * here refuses anything.  The per-system-call tracepoints run only for
 * the calls they name, so other system calls pay nothing; an untyped
 * thread's bind pays one map update at entry and one lookup at exit, and
 * only while a monitor asks for these events (cfg.observe).
 */
/* what a call's entry saw, per thread until its exit (task storage:
 * no hash update or delete on the way) */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct spb_obs);
} obs_pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct spb_sig_key);
	__type(value, __u8);
} sig_seen SEC(".maps");

/* secpold's own calls (made for typed processes, reported by secpold)
 * are not observed */
static __always_inline bool is_daemon(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == cfg.daemon_tgid;
}

/* The thread's entry in the types map, or NULL. */
static __always_inline struct spb_task *my_type(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return bpf_map_lookup_elem(&types, &tid);
}

/* Entry of bind or connect: fd, sockaddr, length. */
static __always_inline int obs_addr_enter(__u32 op, const void *uaddr,
					  __u64 len)
{
	struct spb_obs *o;
	__u16 family = 0;
	bool typed;
	__u32 n;

	if (!cfg.observe || !uaddr || is_daemon())
		return 0;
	if (bpf_probe_read_user(&family, sizeof(family), uaddr) < 0)
		return 0;
	typed = my_type() != NULL;
	if (op == SPB_OP_SENDTO && family != AF_UNIX_NR)
		return 0;
	if (family == AF_UNIX_NR) {
		/* typed processes' unix calls are secpold's decisions */
		if (typed || !(cfg.observe & SPB_OBS_PATHS))
			return 0;
	} else if (family == AF_INET_NR || family == AF_INET6_NR) {
		if (!(cfg.observe & SPB_OBS_NET))
			return 0;
	} else {
		return 0;
	}
	o = bpf_task_storage_get(&obs_pending, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!o)
		return 0;
	n = len > SPB_ADDR_LEN ? SPB_ADDR_LEN : (__u32)len;
	o->len = n;
	o->dirfd = 0;
	o->mode = 0;
	o->path[0] = 0;
	__builtin_memset(o->addr, 0, sizeof(o->addr));
	/* n is at most 112, but the compiler may drop a bound it knows to be
	 * redundant: hide n from it, so that the mask the verifier needs
	 * stays */
	asm volatile("" : "+r"(n));
	if (n)
		bpf_probe_read_user(o->addr, n & 0x7f, uaddr);
	o->op = op; /* last: the exit reports only a complete entry */
	return 0;
}

/* Entry of symlink(at) or mknod(at) of an untyped thread. */
static __always_inline int obs_path_enter(__u32 op, __s32 dirfd,
					  const char *upath, __u32 mode)
{
	__u32 kind = mode & S_IFMT_NR;
	struct spb_obs *o;

	if (!(cfg.observe & SPB_OBS_PATHS) || is_daemon() || my_type())
		return 0;
	/* a regular file or a device is not a name in the path space */
	if (op == SPB_OP_MKNOD && kind != S_IFIFO_NR && kind != S_IFSOCK_NR)
		return 0;
	if (!upath)
		return 0;
	o = bpf_task_storage_get(&obs_pending, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!o)
		return 0;
	o->op = 0;
	o->len = 0;
	o->dirfd = dirfd;
	o->mode = mode;
	if (bpf_probe_read_user_str(o->path, sizeof(o->path), upath) <= 0)
		return 0;
	o->op = op;
	return 0;
}

/* op: the call this exit is of (an entry of another call left behind,
 * by a call the filter skipped, is not this one) */
static __always_inline int obs_exit(__u32 op, long ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct spb_obs *o;
	struct spb_task *ti;
	struct spb_ev_obs *e;

	/* no storage made here: a thread that never entered has none */
	o = bpf_task_storage_get(&obs_pending, task, 0, 0);
	if (!o || o->op != op)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SPB_STAT_LOST);
		o->op = 0;
		return 0;
	}
	ti = my_type();
	fill_hdr(&e->h, SPB_EV_OBS, task, ti ? ti->type : 0);
	e->ret = (__s32)ret;
	e->flags = ti ? SPB_CAP_TYPED | (ti->flags & SPB_TASK_NAMED ?
					   SPB_CAP_NAMED : 0) :
			SPB_CAP_NAMED;
	e->uid = task->real_cred->uid.val;
	e->euid = task->cred->euid.val;
	e->gid = task->real_cred->gid.val;
	e->egid = task->cred->egid.val;
	__builtin_memcpy(&e->o, o, sizeof(e->o));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	o->op = 0;
	submit(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_bind")
int obs_bind_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_addr_enter(SPB_OP_BIND, (const void *)ctx->args[1],
			      ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_connect")
int obs_connect_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_addr_enter(SPB_OP_CONNECT, (const void *)ctx->args[1],
			      ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_symlink")
int obs_symlink_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_path_enter(SPB_OP_SYMLINK, AT_FDCWD_NR,
			      (const char *)ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_enter_symlinkat")
int obs_symlinkat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_path_enter(SPB_OP_SYMLINK, (__s32)ctx->args[1],
			      (const char *)ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_enter_mknod")
int obs_mknod_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_path_enter(SPB_OP_MKNOD, AT_FDCWD_NR,
			      (const char *)ctx->args[0], (__u32)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_mknodat")
int obs_mknodat_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_path_enter(SPB_OP_MKNOD, (__s32)ctx->args[0],
			      (const char *)ctx->args[1], (__u32)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int obs_sendto_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_addr_enter(SPB_OP_SENDTO, (const void *)ctx->args[4],
			      ctx->args[5]);
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int obs_sendmsg_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct user_msghdr mh;

	if (!(cfg.observe & SPB_OBS_PATHS) ||
	    bpf_probe_read_user(&mh, sizeof(mh), (const void *)ctx->args[1]) < 0)
		return 0;
	return obs_addr_enter(SPB_OP_SENDTO, mh.msg_name, mh.msg_namelen);
}

SEC("tracepoint/syscalls/sys_exit_sendmsg")
int obs_sendmsg_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_SENDTO, ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_mount")
int obs_mount_enter(struct trace_event_raw_sys_enter *ctx)
{
	return obs_path_enter(SPB_OP_MOUNT, AT_FDCWD_NR,
			      (const char *)ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_exit_sendto")
int obs_sendto_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_SENDTO, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_mount")
int obs_mount_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_MOUNT, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_bind")
int obs_bind_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_BIND, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int obs_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_CONNECT, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_symlink")
int obs_symlink_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_SYMLINK, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_symlinkat")
int obs_symlinkat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_SYMLINK, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_mknod")
int obs_mknod_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_MKNOD, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_mknodat")
int obs_mknodat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return obs_exit(SPB_OP_MKNOD, ctx->ret);
}

/* A signal from the current task to another: one event per new (sender
 * type, receiver type, signal) unless repeats are wanted. */
SEC("tp_btf/signal_generate")
int BPF_PROG(obs_signal, int sig, struct kernel_siginfo *info,
	     struct task_struct *to, int group, int result)
{
	struct task_struct *task;
	struct spb_task *from_t, *to_t;
	struct spb_ev_sig *e;
	__u32 to_tid;
	struct spb_sig_key k = {0};
	__u8 one = 1;

	if (!(cfg.observe & SPB_OBS_SIGNALS) || is_daemon())
		return 0;
	task = bpf_get_current_task_btf();
	/* the kernel's own (a child's exit to its parent, timers) are not a
	 * process's */
	if (task->flags & (PF_KTHREAD | PF_EXITING))
		return 0;
	to_tid = to->pid;
	from_t = my_type();
	to_t = bpf_map_lookup_elem(&types, &to_tid);
	k.from_type = from_t ? from_t->type : 0;
	k.to_type = to_t ? to_t->type : 0;
	k.sig = sig;
	k.gen = cfg.dedup_gen;
	if (!cfg.report_repeats) {
		if (bpf_map_lookup_elem(&sig_seen, &k))
			return 0;
		if (bpf_map_update_elem(&sig_seen, &k, &one, BPF_NOEXIST))
			return 0;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(SPB_STAT_LOST);
		return 0;
	}
	fill_hdr(&e->h, SPB_EV_SIG, task, k.from_type);
	e->sig = sig;
	e->result = result;
	e->to_tid = to_tid;
	e->to_tgid = to->tgid;
	e->to_type = k.to_type;
	e->to_start_ns = BPF_CORE_READ(to, group_leader, start_boottime);
	e->flags = from_t ? (from_t->flags & SPB_TASK_NAMED ? SPB_CAP_NAMED : 0) :
			    SPB_CAP_NAMED;
	e->euid = task->cred->euid.val;
	e->pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	BPF_CORE_READ_STR_INTO(&e->to_comm, to, comm);
	submit(e);
	return 0;
}
