// SPDX-License-Identifier: BSD-2-Clause
/*
 * Events from the observation programs (untyped processes' path space,
 * inet binds and connects, signals across types): judged against the
 * policy, reported, never enforced.  See observe.c.
 */
#ifndef SECPOL_DAEMON_OBSERVE_H
#define SECPOL_DAEMON_OBSERVE_H

#include <linux/types.h>

#include "bpf/secpol_bpf.h"

struct daemon;
struct ev_actor;

void observe_on_obs(struct daemon *d, const struct spb_ev_obs *r);
void observe_on_sig(struct daemon *d, const struct spb_ev_sig *r);
/* An inet bind or connect (a->syscall) of address sa, which returned ret
 * (0 or -errno): a -q event.  comm: the thread's name from an observed
 * record; NULL when secpold made the call for a typed process (the
 * kernel's tracepoint never sees those). */
void observe_net(struct daemon *d, const struct ev_actor *a, const void *sa,
		 size_t len, int ret, const char *comm);

#endif
