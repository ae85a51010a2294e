/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Types shared by the BPF programs (secpol.bpf.c) and secpold.  No
 * includes: the BPF side gets __u32 and friends from vmlinux.h, user space
 * from <linux/types.h>.  Fixed-width fields only; layouts are asserted on
 * the user side.
 */
#ifndef SECPOL_BPF_H
#define SECPOL_BPF_H

#define SPB_COMM_LEN 16
#define SPB_EXE_LEN 64       /* basename of the executable */
#define SPB_FILENAME_LEN 256 /* exec filename */
#define SPB_ADDR_LEN 112     /* a sockaddr_un as the kernel holds it */
#define SPB_SUN_PATH_LEN 108
#define SPB_NOAUDIT_RANGES 16

/* types map value: the type of one task (keyed by tid) */
#define SPB_TASK_NAMED 0x1u /* has exec'd since it was typed */
/* bits 8-15: the generation of the policy whose type IDs .type uses (a
 * push renumbers types; secpold carries running tasks over by name) */
#define SPB_TASK_GEN_SHIFT 8
#define SPB_TASK_GEN_MASK 0xff00u
/* a type the policy in force no longer has: everything it does that
 * secpold decides is refused */
#define SPB_TYPE_GONE 0xfffffffeu

struct spb_task {
	__u32 type;
	__u32 flags;
	__u32 tgid;     /* the process the task belongs to */
	__u32 gen;      /* unique per task and program (fork, exec, retype):
			   what secpold knows of the task is keyed by it */
	__u64 start_ns; /* its process's start (CLOCK_BOOTTIME): pid reuse
			   guard */
};

/* type_tasks: how many tasks run under each type (index: type ID) */
#define SPB_TYPE_SLOTS 65536

/* Event records in the ring buffer */
enum spb_event_kind {
	SPB_EV_CAP = 1,
	SPB_EV_EXEC = 2,
	SPB_EV_EXIT = 3,
	SPB_EV_HOOK = 4, /* the unix address hook refused a call */
	SPB_EV_FORK = 5, /* a new process: it has its parent's name */
	SPB_EV_OBS = 6,  /* an observed call (untyped path space, network) */
	SPB_EV_SIG = 7,  /* a signal from one type to another */
};

/* spb_ev_cap.flags */
#define SPB_CAP_NOAUDIT 0x01u  /* a routine probe (CAP_OPT_NOAUDIT) */
#define SPB_CAP_OWN_CRED 0x02u /* cred is the task's real credentials */
#define SPB_CAP_NAMED 0x04u    /* see SPB_TASK_NAMED */
#define SPB_CAP_TYPED 0x08u
#define SPB_CAP_KTHREAD 0x10u
#define SPB_CAP_LATE 0x20u /* more than late_ns after the process started */

struct spb_ev_hdr {
	__u32 kind;
	__u32 tid;
	__u32 tgid;
	__u32 type;
	__u64 time_ns;  /* CLOCK_BOOTTIME */
	__u64 start_ns; /* the thread group leader's start, CLOCK_BOOTTIME */
};

struct spb_ev_cap {
	struct spb_ev_hdr h;
	__s32 cap;
	__s32 ret; /* 0 allowed, -EPERM denied */
	__u32 flags;
	__s32 syscall; /* -1 outside a system call */
	__u32 uid, euid, gid, egid;
	char comm[SPB_COMM_LEN];
	char exe[SPB_EXE_LEN];
};

struct spb_ev_exec {
	struct spb_ev_hdr h;
	__u32 flags;
	__u32 pad;
	char filename[SPB_FILENAME_LEN];
};

struct spb_ev_exit {
	struct spb_ev_hdr h;
};

/* h describes the parent; the child's pid and start follow */
struct spb_ev_fork {
	struct spb_ev_hdr h;
	__u32 child_pid;
	__u32 pad;
	__u64 child_start_ns;
};

/* spb_config.observe: what the observation programs report */
#define SPB_OBS_PATHS 0x1u   /* untyped processes' unix binds, connects,
				symlinks and mknods */
#define SPB_OBS_NET 0x2u     /* every process's inet binds and connects */
#define SPB_OBS_SIGNALS 0x4u /* signals across types */

/* spb_ev_obs.op */
enum { SPB_OP_BIND = 1, SPB_OP_CONNECT = 2, SPB_OP_SYMLINK = 3,
       SPB_OP_MKNOD = 4, SPB_OP_MOUNT = 5, SPB_OP_SENDTO = 6 };

#define SPB_OBS_PATH_LEN 256

/* What a call's entry saw (per thread, until its exit). */
struct spb_obs {
	__u32 op;
	__u32 len;   /* bind/connect: the address length the call gave */
	__s32 dirfd; /* symlinkat, mknodat: the directory (AT_FDCWD: -100) */
	__u32 mode;  /* mknod */
	__u8 addr[SPB_ADDR_LEN];
	char path[SPB_OBS_PATH_LEN]; /* symlink, mknod: the new name */
};

struct spb_ev_obs {
	struct spb_ev_hdr h;
	__s32 ret; /* the call's result: 0 or -errno */
	__u32 flags; /* SPB_CAP_TYPED, SPB_CAP_NAMED */
	__u32 uid, euid, gid, egid;
	struct spb_obs o;
	char comm[SPB_COMM_LEN];
};

struct spb_ev_sig {
	struct spb_ev_hdr h; /* the sender */
	__s32 sig;
	__s32 result;  /* the kernel's TRACE_SIGNAL_* verdict */
	__u32 to_tid, to_tgid;
	__u32 to_type; /* 0: untyped */
	__u32 flags;   /* SPB_CAP_NAMED: the sender's */
	__u64 to_start_ns;
	__u32 euid, pad;
	char comm[SPB_COMM_LEN];
	char to_comm[SPB_COMM_LEN];
};

/* In-kernel de-duplication of signals: one per (types, signal) */
struct spb_sig_key {
	__u32 from_type, to_type;
	__s32 sig;
	__u32 gen;
};

/* spb_ev_hook.why */
enum { SPB_HOOK_NO_TICKET = 1, SPB_HOOK_MISMATCH = 2, SPB_HOOK_REWRITE = 3 };
/* spb_ev_hook.hook */
enum { SPB_HOOK_CONNECT = 1, SPB_HOOK_SENDMSG = 2 };

struct spb_ev_hook {
	struct spb_ev_hdr h;
	__u32 hook;
	__u32 why;
	__u32 len;
	__u32 pad;
	__u8 addr[SPB_ADDR_LEN];
};

/*
 * A one-shot permission for the calling thread's next unix connect or
 * addressed send: the kernel's copy of the address must be exactly
 * addr[0..len) (the sockaddr as the process passed it, family included),
 * then it is optionally rewritten to new_path (a canonical path, so that
 * what the kernel resolves is what secpold resolved).
 */
struct spb_ticket {
	__u32 len;
	__u32 new_len; /* 0: no rewrite */
	__u32 uses;    /* sendmmsg: how many messages it covers */
	__u32 pad;
	__u64 cookie;  /* the socket checked (SO_COOKIE), 0: any (a path) */
	__u8 addr[SPB_ADDR_LEN];
	__u8 new_path[SPB_SUN_PATH_LEN];
};

struct spb_dedup_key {
	__u64 start_ns;
	__u64 exec_id; /* task->self_exec_id: a new program reports afresh */
	__u32 tgid;
	__u32 gen; /* bumped when a monitor subscribes */
	__s32 cap;
	__u8 denied, root, noaudit, late;
	__u8 own, pad[7];
};

/*
 * The channel table, kept by secpold in a pinned map so that a restarted
 * secpold still knows the type of every channel bound before (the BPF
 * programs do not use it).  kind 1: a path socket, a = device, b = inode;
 * kind 2: an abstract name in network namespace a.
 */
struct spb_chan_key {
	__u8 kind;
	__u8 len; /* abstract: name bytes */
	__u8 pad[6];
	__u64 a, b;
	__u8 name[SPB_SUN_PATH_LEN];
};

struct spb_chan_val {
	__u32 type;
	__u32 owner;
	__u64 owner_start;
	__u64 sock_ino;
	__u64 netns; /* path sockets: where the socket lives (0: unknown) */
};

struct spb_addr_range {
	__u64 start, end;
};

/*
 * While a secpold thread acts for a supervised thread (it resolves a path
 * and performs the call with that thread's credentials), the capability
 * checks it causes are that thread's: report them as such.  One slot per
 * secpold thread; the thread fills its slot and sets tgid last.
 */
#define SPB_ACT_SLOTS 1024 /* a thread's slot: its tid modulo this, */
#define SPB_ACT_PROBES 8   /* or one of the next few */

struct spb_act {
	__u32 daemon_tid; /* the secpold thread */
	__u32 tgid;       /* 0: not acting for anyone */
	__u32 tid;
	__u32 type;
	__u64 start_ns;
};

/* Run-time settings, in .bss (the daemon writes them through mmap). */
struct spb_config {
	__u32 monitoring;      /* emit capability and exec events */
	__u32 report_repeats;  /* no in-kernel de-duplication */
	__u32 dedup_gen;
	__u32 daemon_tgid;     /* our own checks are not reported */
	__u64 late_ns;         /* 0: no "late" re-reporting */
	__u32 wakeup_bytes;    /* wake the consumer past this much data */
	__u32 observe;         /* SPB_OBS_* */
	__u64 next_gen;        /* spb_task.gen, shared with secpold */
	struct spb_act act[SPB_ACT_SLOTS];
};

/* Per-CPU counters (index) */
enum {
	SPB_STAT_LOST = 0,       /* ring buffer full: events dropped */
	SPB_STAT_HOOK_DENY = 1,  /* connect/sendmsg refused by the hook */
	SPB_STAT_CAP_EVENTS = 2,
	SPB_NSTATS = 4,
};

#endif
