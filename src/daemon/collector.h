/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel side of secpold: loads and attaches the BPF programs
 * (src/bpf/secpol.bpf.c), owns the maps, and drains the event ring.
 *
 * The types map and the fork/exec/exit programs are pinned in a private
 * bpffs under the instance's run directory, so that process types survive
 * a daemon restart: a new secpold takes them over.
 */
#ifndef SECPOL_COLLECTOR_H
#define SECPOL_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/types.h>

#include "bpf/secpol_bpf.h"

struct collector;

/* Called for each record drained from the ring buffer. */
typedef void (*collector_cb)(void *ctx, const void *rec, size_t len);

struct collector_opts {
	const char *rundir; /* for the private bpffs and cgroup2 mounts */
	collector_cb cb;
	void *ctx;
	uint32_t channels_max; /* the channel table's capacity (0: default) */
};

/* What works on this kernel (each failure is logged once, plainly). */
struct collector_caps {
	bool cap_events;  /* capability:cap_capable observed */
	bool noaudit;     /* noaudit probes recognised */
	bool unix_hooks;  /* connect/sendmsg tickets enforced */
	bool pinned;      /* types survive a restart */
	bool observe;     /* untyped path space, network (syscall
			     tracepoints) */
	bool signals;     /* signals across types (signal_generate) */
	size_t types_taken_over; /* typed tasks inherited from a previous
				    secpold */
};

/* 0 or -errno, with a one-line reason in err. */
int collector_start(struct collector **out, const struct collector_opts *o,
		    char *err, size_t errlen);
/* keep_types: leave the types map and process tracking pinned (typed
 * processes are still running); otherwise remove every trace. */
void collector_stop(struct collector *c, bool keep_types);
const struct collector_caps *collector_caps(const struct collector *c);

/* What the observation programs report (SPB_OBS_*), for monitors. */
void collector_set_observe(struct collector *c, uint32_t what);

/* Descriptor to poll: readable when the kernel wakes the consumer. */
int collector_fd(const struct collector *c);
/* Drains every record; returns how many. */
int collector_drain(struct collector *c);

/* Types task tid of process tgid, started at start_ns (CLOCK_BOOTTIME). */
int collector_set_type(struct collector *c, pid_t tid, uint32_t type,
		       uint32_t flags, pid_t tgid, uint64_t start_ns);
/* 0 and *t, or -ENOENT for an untyped task. */
int collector_get_type(struct collector *c, pid_t tid, struct spb_task *t);
int collector_count_typed(struct collector *c, uint32_t *n);
/*
 * Calls fn for every typed task (tid and its entry), in no order; fn
 * returns 0, 1 to write its (changed) entry back, or -errno to stop the
 * walk with that error.  A task that
 * comes or goes meanwhile may be seen or not.  Returns how many were
 * seen, or -errno.
 */
typedef int (*collector_typed_fn)(void *ctx, pid_t tid,
				  struct spb_task *t);
int collector_for_each_typed(struct collector *c, collector_typed_fn fn,
			     void *ctx);
/* Tasks running under type now (the BPF programs count forks and exits;
 * a type's process limit).  No system call. */
uint32_t collector_type_tasks(const struct collector *c, uint32_t type);
/* Counts every typed task again (after taking over a previous secpold's). */
void collector_recount(struct collector *c);
/* A task's entry was rewritten from type `from` to `to` (by
 * collector_for_each_typed). */
void collector_retyped(struct collector *c, uint32_t from, uint32_t to);
/* The pinned map holding the channel table (channels.c keeps it). */
int collector_channels_fd(const struct collector *c);
/* Its capacity. */
uint32_t collector_channels_max(const struct collector *c);
int collector_set_ticket(struct collector *c, pid_t tid,
			 const struct spb_ticket *t);
void collector_clear_ticket(struct collector *c, pid_t tid);

/* Monitoring settings (see struct spb_config). */
void collector_configure(struct collector *c, bool monitoring, bool repeats,
			 uint64_t late_ns, bool new_generation);
/* A slot for secpold thread daemon_tid to say for whom it acts (one per
 * thread that proxies calls): its index, or -ENOSPC. */
int collector_act_slot(struct collector *c, pid_t daemon_tid);
void collector_act_release(struct collector *c, int slot);
/* From now until collector_act_as(c, slot, 0, ...), capability checks of
 * the slot's secpold thread (except those of its own credential switches)
 * are reported as those of task tid of process tgid (type, started at
 * start_ns): the thread is acting for it. */
void collector_act_as(struct collector *c, int slot, pid_t tgid, pid_t tid,
		      uint32_t type, uint64_t start_ns);
/* Events the kernel dropped because the ring was full, in total. */
uint64_t collector_lost(struct collector *c);

/* CLOCK_BOOTTIME ns -> CLOCK_REALTIME ns (for event times). */
uint64_t boot_to_realtime(uint64_t boot_ns);

#endif
