/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Telling a service manager how secpold is doing (sd_notify(3), through
 * Debian's libsystemd): READY=1 once it is ready, RELOADING=1 and READY=1
 * around a change of policy, STOPPING=1, and a STATUS= line with the
 * policy and the number of typed processes.  Without $NOTIFY_SOCKET
 * (secpold not started by systemd with Type=notify) every call does
 * nothing.
 */
#ifndef SECPOL_NOTIFY_H
#define SECPOL_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct daemon;

/* The STATUS= text: "policy 0x00000042 (mutable), 3 typed processes",
 * or "no policy (push one with 'secpol -p')"; nproc < 0: unknown. */
void notify_format_status(char *buf, size_t len, bool has_policy,
			  uint32_t policy_id, bool mutable_, long nproc);
/* secpold is ready (socket listening, policy loaded, BPF attached). */
void notify_ready(struct daemon *d);
/* It could not start: the reason and errno, for `systemctl status`. */
void notify_failed(const char *reason, int err);
/* Around a change of policy; nothing before notify_ready(). */
void notify_reloading(void);
void notify_reloaded(struct daemon *d);
/* The STATUS= line again, if it changed (called now and then). */
void notify_status(struct daemon *d);
void notify_stopping(void);

#endif
