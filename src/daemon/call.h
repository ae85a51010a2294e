/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One supervised system call while secpold decides it: who made it (the
 * thread, its process, type and credentials), what the kernel asked
 * (the notification) and what secpold will answer.  Every decision
 * (decide_*.c) takes this context and nothing global: the policy it
 * decides by, the daemon thread that acts for the caller, and the events
 * it reports all come from here.
 *
 * A missing ability is EPERM, a path or channel without a rule EACCES
 * (SPEC §2).  A learning type is decided and reported the same way, but a
 * refusal becomes a "would have refused" event and the call goes ahead
 * (call_need and call_path_refused say which).
 */
#ifndef SECPOL_CALL_H
#define SECPOL_CALL_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "daemon.h"
#include "events.h"
#include "launch/supervised.h"
#include "policy/policy.h"
#include "procfs.h"

/* What is left to do once the caller has its answer (it waits no longer
 * for it): descriptors to close, a channel to complete in the table. */
#define CALL_TAIL_FDS 4

struct call_tail {
	int fds[CALL_TAIL_FDS];
	unsigned nfds;
	bool channel;
	int chan_sock; /* the bound socket (one of fds) */
	dev_t dev;
	ino_t ino;
	struct chan_info ci;
};

struct call {
	struct daemon *d;
	struct call_tail *tail;
	int act_slot; /* this daemon thread's slot (collector_act_slot) */
	int lfd;
	const struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	const struct sc_call *sc;
	const struct sp_policy *policy;
	struct ev_actor who; /* the caller, as events name it */
	pid_t tid, pid;
	uint64_t start_ns;
	uint32_t type, gen;
	enum sp_domain dom;
	bool learning;           /* the type learns: refusals go ahead */
	struct proc_creds creds; /* ids always; the rest once call_creds() */
	bool full;
};

/* ---- answers ---- */
void call_continue(struct call *c);
/* err > 0: an errno for the process */
void call_errno(struct call *c, int err);
/* r: 0 or -errno from a call secpold performed for the process */
void call_result(struct call *c, int r);
/* Is the notification still pending (process alive, same call)?  Asked
 * after reading its memory and before acting on what was read. */
bool call_still_valid(struct call *c);

/* ---- checks and their events ---- */
/* Checks an ability without a value, reporting the use or the lack.
 * True if the call may go on (granted, or the type learns). */
bool call_need(struct call *c, uint16_t ability);
/* ... with a value (a port, an id, a type). */
bool call_need_value(struct call *c, uint16_t ability, uint64_t v);
/* ... with a path (pathspace: the path it was for). */
bool call_need_path(struct call *c, uint16_t ability, const char *path);
/* Reports that the policy denies an ability here (no check to make).
 * True if the call must be refused, false if the type learns. */
bool call_lacks(struct call *c, uint16_t ability);
/* Reports an ability the process has or lacks by itself (its capability
 * sets decided, not the policy); allowed false is a refusal. */
void call_report_ability(struct call *c, uint16_t ability, bool allowed,
			 bool has_value, uint64_t v);
/*
 * Reports a path event: ok, or refused for reason (no rule, conflict, bad
 * op).  Returns true if the call may go on (ok, or the type learns).
 */
bool call_path(struct call *c, uint16_t kind, const char *path, size_t len,
	       enum ev_reason reason, uint32_t chan_type);

/* The kernel's records so far first (the exec that named the caller,
 * the capability checks it or secpold acting for it made), so that
 * monitors see events in the order they happened.  Only when monitors
 * listen. */
void call_kernel_first(struct call *c);

/* May the caller record one more channel (its type's and its own share
 * of the table)?  0, or -ENOBUFS with the refusal logged and reported on
 * path (an attach refused: the table is full). */
int call_admit_channel(struct call *c, const char *path, size_t len);

/* ---- the caller's resources ---- */
/* The full credentials (groups, capabilities, umask).  0 or -errno. */
int call_creds(struct call *c);
/* A copy of the caller's descriptor fd.  -errno. */
int call_take_fd(struct call *c, int fd);
/* What resolving *path for the caller starts from (pathres.h): its root
 * (kept between calls) and, for a relative path, its cwd or the directory
 * behind dirfd (AT_FDCWD for the cwd).  A path through /proc/self/fd/N is
 * taken relative to descriptor N (*path then points at the rest).  Close
 * with call_from_close. */
struct pathres_from;
struct tc_ref;
int call_from_open(struct call *c, int dirfd, const char **path,
		   struct pathres_from *f, struct tc_ref **root);
void call_from_close(struct call *c, struct pathres_from *f,
		     struct tc_ref *root);
/* A NUL-terminated string argument at addr into buf.  0 or -errno. */
int call_read_str(struct call *c, uint64_t addr, char *buf, size_t len);
/* Capability checks of this daemon thread are the caller's from begin to
 * end (it acts for the caller). */
void call_act_begin(struct call *c);
void call_act_end(struct call *c);

/* ---- after the answer ---- */
/* Closes fd once the caller has its answer (now if the tail is full). */
void call_close_later(struct call *c, int fd);
/* Completes the channel bound on sock at dev/ino (reserved in the table
 * already) once the caller has its answer; sock must be closed later. */
void call_channel_later(struct call *c, int sock, dev_t dev, ino_t ino,
			const struct chan_info *ci);

/* ---- shared by decide_channel.c and decide_send.c ---- */
struct uaddr;
struct channel_target {
	int fd;               /* a path's socket file (O_PATH), or -1 */
	char canon[PATH_MAX]; /* its canonical path */
};
/* Whether the caller may reach the channel at address u from sock (a
 * socket in the network namespace of an abstract name): 0, or -errno to
 * refuse (channel_connect reported).  out->fd is closed after the call. */
int channel_judge(struct call *c, int sock, const struct uaddr *u,
		  struct channel_target *out);
/* Names (and records) the caller's unix socket if a send would make the
 * kernel name it: 0, or -ENOBUFS (the channel table is full). */
int label_autobound(struct call *c, int sock);
/* Does the caller's type hold setuid or setgid with a subrange?  Then a
 * sendmsg could forge credentials (SCM_CREDENTIALS) outside it: secpold
 * sends for it (decide_send.c). */
bool send_needs_proxy(struct call *c, int sock);
void decide_send_proxy(struct call *c, int sock, bool mmsg);

/* ---- the decisions (decide_*.c), one per kind of call ---- */
void decide_bind(struct call *c);     /* decide_path.c */
void decide_symlink(struct call *c);
void decide_mknod(struct call *c);
void decide_mount(struct call *c);
void decide_connect(struct call *c);  /* decide_channel.c */
void decide_listen(struct call *c);
void decide_sendto(struct call *c);
void decide_sendmsg(struct call *c);
void decide_sendmmsg(struct call *c);
void decide_setid(struct call *c);    /* decide_creds.c */
void decide_setgroups(struct call *c);
void decide_capset(struct call *c);
void decide_umask(struct call *c);
void decide_fs_change(struct call *c); /* decide_proc.c */
void decide_namespace(struct call *c);
void decide_signal_owner(struct call *c);
void decide_fork(struct call *c);
/* Would a new task take the caller's type past its process limit?  Then
 * the refusal is answered (EAGAIN, as RLIMIT_NPROC) and true returned. */
bool over_limit(struct call *c);
void decide_io_uring(struct call *c);
void decide_userfaultfd(struct call *c);
void decide_mount_api(struct call *c);
/* a call of another architecture */
void decide_compat(struct call *c);

#endif
