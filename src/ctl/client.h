/* SPDX-License-Identifier: BSD-2-Clause */
/* Client side of the control protocol: find and talk to secpold. */
#ifndef SECPOL_CLIENT_H
#define SECPOL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* $SECPOL_RUNDIR or the default; never NULL. */
const char *ctl_rundir(void);
/* $SECPOL_POLICY or the default. */
const char *ctl_default_policy(void);
/* path = rundir "/" name, into buf. */
int ctl_path(char *buf, size_t len, const char *name);

/*
 * Connects to the daemon of ctl_rundir().  Returns the socket or -errno:
 * -ENOENT/-ECONNREFUSED mean no daemon runs (see ctl_no_daemon_hint()).
 */
int ctl_connect(void);
/* A message for the user when no daemon runs: how to start one. */
const char *ctl_no_daemon_hint(void);

/*
 * One request and its reply.  On an error status, the daemon's message
 * is copied into err (if any).  Returns the status (0 or -errno) or a
 * transport error; *reply receives the reply (fd included).
 */
int ctl_call(int sock, uint16_t type, const void *payload, size_t len,
	     int fd, struct ctl_msg *reply, char *err, size_t errlen);

#endif
