/* SPDX-License-Identifier: BSD-2-Clause */
/* The decision for one supervised system call (see decide.c). */
#ifndef SECPOL_DECIDE_H
#define SECPOL_DECIDE_H

#include <linux/seccomp.h>
#include <stdbool.h>

struct daemon;

/*
 * Decides req (from listener lfd) and fills resp: an errno, a return
 * value for a call secpold performed itself, or CONTINUE for a call the
 * kernel may run as is.  Emits the events of the decision.  act_slot is
 * the calling thread's slot for reporting capability checks made while it
 * acts for the caller (collector_act_slot).
 */
struct call_tail;
void decide(struct daemon *d, int act_slot, int lfd,
	    const struct seccomp_notif *req, struct seccomp_notif_resp *resp,
	    struct call_tail *tail);
/* What is left of a decision once its answer is sent (call.h). */
void decide_tail(struct daemon *d, struct call_tail *tail);

/* Is nr one of the set*id system calls secpold decides values of? */
bool decide_is_setid(int nr);

#endif
