// SPDX-License-Identifier: BSD-2-Clause
/*
 * The durable record of refusals: every refusal secpold makes or sees
 * (a typed process's call, a capability the kernel refused a typed
 * process) goes to the system log as one syslog datagram on /dev/log
 * (facility authpriv, priority warning, identifier "secpold"), which
 * journald and rsyslog both read, whether or not a monitor runs.  The
 * line is the monitor's.  A burst is rate-limited and what was left out
 * is counted in a later line.
 */
#ifndef SECPOL_DAEMON_REFUSALS_H
#define SECPOL_DAEMON_REFUSALS_H

#include <stdint.h>

#include "event/event.h"

/* Burst and steady rate of refusal lines (per second). */
#define REFUSALS_BURST 20
#define REFUSALS_PER_SEC 5

struct refusals;
struct sp_policy;

/* socket_path: the syslog socket (NULL: $SECPOL_SYSLOG_SOCKET, else
 * /dev/log).  A socket that is not there yet is tried again later. */
int refusals_open(struct refusals **out, const char *socket_path);
void refusals_close(struct refusals *r);

/* Logs e if it is a refusal (not one a learning type was allowed). */
void refusals_note(struct refusals *r, const struct sp_event *e,
		   const struct sp_policy *p);

/* Once a second or so: the count of lines the rate limit left out. */
void refusals_tick(struct refusals *r);

#endif
