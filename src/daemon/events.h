/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every event secpold reports is built here: from its own decisions
 * (events_emit, for a caller described by struct ev_actor), from the
 * kernel's records (capability checks, exec/fork/exit, refused unix
 * addresses: events_on_record), and the notice of lost events.  Nothing is
 * built when no monitor listens.
 */
#ifndef SECPOL_EVENTS_H
#define SECPOL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/event.h"

struct daemon;

/* Who an event is about. */
struct ev_actor {
	pid_t tid, pid;
	uint64_t start_ns; /* the process's start, CLOCK_BOOTTIME */
	uint32_t type;
	uid_t uid, euid;
	gid_t gid, egid;
	int syscall; /* -1: none */
	bool root;   /* checked in the root domain */
};

/* What happened (the rest of an sp_event). */
struct ev_what {
	uint16_t kind;  /* EV_* */
	uint16_t flags; /* EVF_VALUE, EVF_LEARNING ... (added to the actor's) */
	uint16_t ability;
	bool allowed;
	uint8_t reason;
	uint32_t obj_type; /* SPB_NO_TYPE unless a channel's */
	uint64_t lo, hi;
	const char *path; /* may be NULL */
	size_t path_len;
	int err; /* errno returned to the process, 0 if none */
	const char *comm; /* the thread's name if known (else read from
			     /proc), comm_len bytes */
	size_t comm_len;
};

/* Is anyone listening?  (Callers skip building what nobody reads.) */
bool events_wanted(struct daemon *d);
/* Builds and publishes one event; a refusal also goes to the system
 * log (refusals.h), whether or not anyone listens. */
void events_emit(struct daemon *d, const struct ev_actor *a,
		 const struct ev_what *w);
/* The actor for process pid (its main thread), from /proc: 0 or -errno. */
int events_actor_of(pid_t pid, uint32_t type, struct ev_actor *a);

/* The collector's callback for each kernel record. */
void events_on_record(void *ctx, const void *rec, size_t len);
/* Announces events the kernel dropped since the last call. */
void events_check_lost(struct daemon *d);

#endif
