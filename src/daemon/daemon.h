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
 * One thread does everything, so no state is shared between threads and
 * the per-thread credential switching of proxy.c is safe.
 */
#ifndef SECPOL_DAEMON_H
#define SECPOL_DAEMON_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bus.h"
#include "channels.h"
#include "collector.h"
#include "event/event.h"
#include "policy/policy.h"
#include "procinfo.h"

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

struct listener {
	struct watch w;
	struct listener *next;
	pid_t root_pid;
	uint32_t root_type;
	uint64_t notifications;
	volatile struct ctl_listener_state *state; /* shared with `on`, or NULL */
};

struct daemon {
	char rundir[128]; /* at most 80 bytes: socket paths must fit */
	char ctl_path[PATH_MAX];
	char pid_path[PATH_MAX];
	const char *policy_path; /* for SIGHUP, NULL if none */
	int epfd;
	struct watch w_sig, w_ctl, w_timer, w_ring;
	struct sp_policy *policy;
	int policy_memfd; /* the policy for monitors, or -1 */
	struct collector *col;
	struct procinfo *procs;
	struct chantab *chans;
	struct bus *bus;
	struct client *clients;
	struct listener *listeners;
	unsigned nlisteners;
	uint64_t notifications;
	uint64_t lost_reported; /* kernel losses already announced */
	unsigned ticks;
	bool stopping;
	bool owner; /* no other secpold runs for the run directory */
	uint16_t unpriv_port_start; /* ip_unprivileged_port_start */
	/* seccomp notification buffers, sized by the kernel */
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
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

/* ctl.c */
void ctl_accept(struct daemon *d, struct watch *w, uint32_t events);
void ctl_close_all(struct daemon *d);
void ctl_flush_monitors(struct daemon *d);

/* ctl_list.c: the typed processes (secpol -l); admin: the caller may
 * (as for subscribe) */
void ctl_list(struct daemon *d, struct client *cl, const struct ctl_msg *m,
	      bool admin);

/* supervise.c */
/* Takes fd; state_fd (or -1) is mapped, not taken. */
int supervise_add(struct daemon *d, int fd, pid_t root_pid, uint32_t type,
		  int state_fd);
void supervise_close_all(struct daemon *d);
int supervise_init(struct daemon *d);

/* events.c */
void events_on_record(void *ctx, const void *rec, size_t len);
void events_check_lost(struct daemon *d);
/* Fills the process part of an event for thread tid (of process pid). */
void events_fill_process(struct daemon *d, struct sp_event *e, pid_t tid,
			 pid_t pid, uint64_t start_ns, uint32_t type);
void events_publish(struct daemon *d, const struct sp_event *e);

#endif
