/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What secpold knows about a process for its events: its name (the
 * executable's path without the leading '/', SPEC §5), thread group,
 * start time and credentials.  Names are cached per (pid, start time),
 * learnt from exec events (so short-lived processes keep their names
 * after they exit) or read from /proc.
 */
#ifndef SECPOL_PROCINFO_H
#define SECPOL_PROCINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct procinfo;

/* Start times are compared at the /proc granularity (clock ticks), so a
 * BPF nanosecond start and a /proc start of one process agree. */
uint64_t procinfo_start_key(uint64_t start_ns);

struct procinfo *procinfo_new(void);
void procinfo_free(struct procinfo *pi);

/* An exec happened: remember filename as the process's name (an absolute
 * path; a relative one is resolved through /proc/pid/exe). */
void procinfo_exec(struct procinfo *pi, pid_t pid, uint64_t start_ns,
		   const char *filename);
/* A new process: it has its parent's name until it execs. */
void procinfo_fork(struct procinfo *pi, pid_t parent, uint64_t parent_start_ns,
		   pid_t child, uint64_t child_start_ns);
/* The process exited: forget it. */
void procinfo_exit(struct procinfo *pi, pid_t pid, uint64_t start_ns);
/*
 * The name of process (pid, start_ns) into buf: cached, else from
 * /proc/pid/exe if that is still the same process, else fallback (the
 * executable's basename the kernel reported) if non-empty.  Returns the
 * length, or 0 if unknown (an unnamed process).
 */
size_t procinfo_name(struct procinfo *pi, pid_t pid, uint64_t start_ns,
		     const char *fallback, char *buf, size_t buflen);
size_t procinfo_count(const struct procinfo *pi);

#endif
