/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Live events from a running secpold: the subscription secpolmonitor
 * makes with -aps (abilities, attachments and links, successes too, no
 * unnamed processes, no routine noaudit probes), each event turned into
 * the JSON line secpolmonitor --json would print, so that live events and
 * files go through one parser and one aggregation.
 */
#ifndef SECPOL_GEN_LIVE_H
#define SECPOL_GEN_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"

struct gen_live;

/*
 * Connects to the secpold of ctl_rundir() and subscribes.  late_ms is the
 * -i threshold (a use after it is reported again).  Returns 0, or -errno
 * with a message in err (no daemon, not allowed, refused).
 */
int gen_live_open(struct gen_live **out, uint32_t late_ms, char *err,
		  size_t errlen);
void gen_live_close(struct gen_live *l);
/* The socket, to poll for input. */
int gen_live_fd(const struct gen_live *l);
/*
 * Receives one message.  Returns 1 with the event's JSON line (no
 * newline) in line, 0 for a message that is no event (a new policy, whose
 * names later events use), -EPIPE when secpold went away, or -errno.
 */
int gen_live_recv(struct gen_live *l, struct strbuf *line);

#endif
