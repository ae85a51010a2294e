/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * secpold's state and its modules:
 *   daemon.c     start-up, the epoll loop, signals, shutdown
 *   ctl.c        the control socket: push, assign, register, subscribe
 *   supervise.c  seccomp listeners: receive, decide, answer
 *   decide.c     the decision for each supervised system call
 *   events.c     turning kernel records and decisions into events
 * and the leaf modules collector, bus, channels, procinfo, procmem,
 * pathres, proxy.
 *
 * Threads: the main thread runs the event loop (control socket, BPF ring,
 * timer, signals, monitors); worker threads (supervise.c) receive and
 * decide supervised calls, each with credentials of its own to switch
 * (proxy.c).  What workers share with the main thread is behind
 * daemon_lock (the process names, the channel table, the event bus), the
 * policy is reference-counted (daemon_policy_get), the task cache and the
 * BPF maps lock themselves.
 */
#ifndef SECPOL_DAEMON_H
#define SECPOL_DAEMON_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bus.h"
#include "ctl/proto.h"
#include "channels.h"
#include "collector.h"
#include "event/event.h"
#include "policy/policy.h"
#include "events.h"
#include "procinfo.h"
#include "taskcache.h"

struct daemon;
struct watch;

typedef void (*watch_fn)(struct daemon *d, struct watch *w, uint32_t events);

struct watch {
	int fd;
	watch_fn fn;
};

struct client {
	struct watch w;
	struct client *next;
	pid_t pid; /* peer, from SO_PEERCRED at accept */
	uid_t uid;
	int pidfd; /* SO_PEERPIDFD: the peer, not a later user of its pid */
	struct subscriber *sub; /* after CTL_SUBSCRIBE */
	bool want_out;          /* EPOLLOUT armed */
};

struct ctl_listener_state;

#define LISTENER_MAX_THREADS 8

struct listener {
	struct watch w; /* the main thread's: the end of the tree */
	struct daemon *d;
	int fd;
	struct listener *next;
	pid_t root_pid;
	uint32_t root_type;
	volatile struct ctl_listener_state *state; /* shared with `on`, or NULL */
	/* with d->lock: its threads (0: a free place), how many wait for a
	 * call and how many decide one; dead once its tree has ended (the
	 * main thread frees it when no thread is left) */
	pthread_t threads[LISTENER_MAX_THREADS];
	unsigned nthreads, idle, busy;
	uint64_t notifications;
	bool dead;
};

struct policy_ref;

/*
 * secpold's real and saved user ID (its effective one stays 0): the kernel
 * lets a process signal another whose real or saved uid matches its own,
 * so a typed root process without CAP_KILL could otherwise stop or kill
 * secpold, and with it every typed process.  No typed process may take
 * this uid.
 */
#define SECPOLD_UID 2147483646u

struct daemon {
	char rundir[128]; /* at most 80 bytes: socket paths must fit */
	char ctl_path[PATH_MAX];
	char pid_path[PATH_MAX];
	const char *policy_path; /* for SIGHUP, NULL if none */
	int epfd;
	struct watch w_sig, w_ctl, w_timer, w_ring;
	/* the policy: the main thread reads d->policy directly, workers
	 * through daemon_policy_get */
	struct sp_policy *policy;
	struct policy_ref *policy_refs;
	struct refusals *refusals; /* every refusal to the system log */
	/* type IDs of running tasks are the policy's of their generation
	 * (spb_task.flags): remap[] takes those of the one before to this
	 * one's (SPB_TYPE_GONE: none by that name); with d->lock */
	uint8_t policy_gen;
	uint32_t *remap;
	uint32_t remap_n;
	char push_summary[CTL_MAX_PAYLOAD / 2]; /* what the last push did */
	int policy_memfd; /* the policy for monitors, or -1 */
	bool develop;     /* atomic: every type learns; unknown types are
			     made for the run */
	struct collector *col;
	struct procinfo *procs;
	struct chantab *chans;
	struct bus *bus;
	struct taskcache *tasks;
	pthread_mutex_t lock;
	struct client *clients;
	struct listener *listeners;
	struct listener *dying; /* ended trees whose threads are leaving */
	unsigned nlisteners;
	struct watch w_flush; /* workers ask the main thread to flush monitors */
	bool flush_pending;   /* atomic: w_flush was written since the last
				 flush */
	uint64_t notifications; /* atomic */
	uint64_t lost_reported; /* kernel losses already announced */
	unsigned ticks;
	bool stopping; /* atomic */
	bool owner; /* no other secpold runs for the run directory */
	uint16_t unpriv_port_start; /* ip_unprivileged_port_start */
	/* seccomp notification sizes, as the kernel has them */
	size_t req_size, resp_size;
};

/* daemon.c */
int daemon_watch(struct daemon *d, struct watch *w, uint32_t events);
int daemon_rewatch(struct daemon *d, struct watch *w, uint32_t events);
void daemon_unwatch(struct daemon *d, struct watch *w);
/* Installs a new policy (validated) and tells the monitors. */
int daemon_set_policy(struct daemon *d, struct sp_policy *p);
/* Re-reads what the kernel should report for the current monitors. */
void daemon_kernel_settings(struct daemon *d, bool new_generation);
/* The lock over what workers share with the main thread. */
void daemon_lock(struct daemon *d);
void daemon_unlock(struct daemon *d);
/* The policy in force, held until daemon_policy_put (NULL: none). */
const struct sp_policy *daemon_policy_get(struct daemon *d);
void daemon_policy_put(struct daemon *d, const struct sp_policy *p);
/* The type of task entry t under the policy in force: 0 and *type, or
 * -ESTALE (a generation secpold no longer knows). */
int daemon_task_type(struct daemon *d, const struct spb_task *t,
		     uint32_t *type);
/* The flags a task typed now carries (the policy's generation). */
uint32_t daemon_task_flags(struct daemon *d);
/* Does type learn under policy p (its own statement, or develop mode)? */
bool daemon_type_learning(struct daemon *d, const struct sp_policy *p,
			  uint32_t type);
/* Logs which types learn (after a policy or mode change). */
void daemon_log_learning(struct daemon *d);
/* Stops the daemon (any thread). */
void daemon_stop(struct daemon *d);
/* A worker published events: the main thread flushes the monitors. */
void daemon_wake_flush(struct daemon *d);

/* ctl.c */
void ctl_accept(struct daemon *d, struct watch *w, uint32_t events);
void ctl_close_all(struct daemon *d);
void ctl_flush_monitors(struct daemon *d);

/* ctl_list.c: the typed processes (secpol -l); admin: the caller may
 * (as for subscribe) */
void ctl_list(struct daemon *d, struct client *cl, const struct ctl_msg *m,
	      bool admin);

/* supervise.c: the listeners and the worker threads */
/* Takes fd; state_fd (or -1) is mapped, not taken. */
int supervise_add(struct daemon *d, int fd, pid_t root_pid, uint32_t type,
		  int state_fd);
void supervise_close_all(struct daemon *d);
/* Prepares supervision.  0 or -errno. */
int supervise_init(struct daemon *d);
/* Stops every listener's threads. */
void supervise_fini(struct daemon *d);
/* On the timer: frees the listeners of ended trees once their threads
 * have left. */
void supervise_tick(struct daemon *d);
/* Threads deciding calls, and how many are deciding now. */
void supervise_counts(struct daemon *d, unsigned *threads, unsigned *busy);


#endif
