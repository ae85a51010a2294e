/* SPDX-License-Identifier: BSD-2-Clause */
/* What main() hands the daemon (daemon.c). */
#ifndef SECPOL_DAEMON_MAIN_H
#define SECPOL_DAEMON_MAIN_H

#include <stdbool.h>
#include <stddef.h>

struct daemon;

struct daemon_opts {
	const char *rundir;
	const char *policy;         /* -i, or NULL */
	const char *default_policy; /* $SECPOL_POLICY or the default */
	bool develop;               /* every type learns (secpold -D) */
	unsigned channels_max;      /* channel table capacity (-C), 0: default */
};

/* Sets everything up; on failure a one-line reason is in err. */
int daemon_init(struct daemon *d, const struct daemon_opts *o, char *err,
		size_t errlen);
/* The event loop, until SIGTERM or SIGINT. */
int daemon_run(struct daemon *d);
void daemon_fini(struct daemon *d);

#endif
