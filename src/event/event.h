/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Events: what secpold reports about processes against the policy.  One
 * in-memory form (struct sp_event), one wire form (wire.c, versioned,
 * sent to monitors over the control socket) and the output forms
 * (format.c: the QNX text lines of SPEC §5, and JSON lines).
 */
#ifndef SECPOL_EVENT_H
#define SECPOL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EV_NAME_MAX 4096 /* bytes of a process name (executable path) */
#define EV_PATH_MAX 4096 /* bytes of a path or abstract socket name */
#define EV_COMM_MAX 16

enum ev_kind {
	EV_ABILITY = 1, /* an ability was checked */
	EV_ATTACH = 2,  /* a channel was (or was not) attached to a path */
	EV_LINK = 3,    /* a link was (or was not) created */
	EV_LOST = 4,    /* lo = number of events lost before this one */
	EV_NEWTYPE = 5, /* develop mode made a type for this run: type is
			   its ID (the policy monitors get names it) */
	EV_SIGNAL = 6,  /* a signal (lo) sent to process hi of type
			   obj_type, whose name is in path */
	EV_NET = 7,     /* an inet bind or connect (syscall): address in
			   path, port in lo, family in hi; err its errno */
};
#define EV_KIND_LAST EV_NET

enum ev_result { EV_ALLOWED = 0, EV_DENIED = 1 };

/* Why a path operation was refused (policy.h's sp_path_result + 1) or
 * other reasons secpold refuses an operation. */
enum ev_reason {
	EV_R_NONE = 0,
	EV_R_NO_RULE = 1,
	EV_R_CONFLICT = 2,
	EV_R_BAD_OP = 3,
	EV_R_RACE = 4,        /* the address changed after it was checked */
	EV_R_UNSUPPORTED = 5, /* the operation cannot be supervised */
	EV_R_FULL = 6,        /* the channel table (or the type's or the
				 process's share of it) is full */
};
#define EV_R_LAST EV_R_FULL

/* event flags */
enum {
	EVF_ROOT = 1 << 0,     /* checked in the root domain (euid 0) */
	EVF_UNNAMED = 1 << 1,  /* before the process's first exec */
	EVF_NOAUDIT = 1 << 2,  /* a routine probe the kernel does not audit */
	EVF_BORROWED = 1 << 3, /* credentials not the process's own */
	EVF_VALUE = 1 << 4,    /* lo/hi hold the checked value */
	EVF_SECPOLD = 1 << 5,  /* decided by secpold (not the kernel) */
	EVF_LATE = 1 << 6,     /* late by the kernel's threshold (-i) */
	EVF_LEARNING = 1 << 7, /* allowed only because the type is learning:
				  the policy would have refused it */
	EVF_OBSERVED = 1 << 8, /* seen after the kernel did it (a process
				  without a type): judged, never enforced */
};

struct sp_event {
	uint16_t kind;
	uint16_t flags;
	uint32_t pid, tid;
	uint64_t time_ns;  /* CLOCK_REALTIME */
	uint64_t start_ns; /* process start, CLOCK_BOOTTIME: pid + start
			      identify a process across pid reuse */
	uint32_t uid, euid, gid, egid;
	uint32_t type;     /* the process's type */
	uint32_t obj_type; /* attach: the channel's type; else SPB_NO_TYPE */
	uint16_t ability;
	uint8_t result;
	uint8_t reason;
	int32_t syscall; /* system call number, or -1 */
	int32_t err;     /* errno returned to the process, 0 if allowed */
	uint64_t lo, hi; /* EVF_VALUE: the value checked; EV_LOST: count */
	uint32_t age_ms; /* time since the process started */
	uint16_t name_len, path_len, comm_len;
	char name[EV_NAME_MAX]; /* executable path without the leading '/' */
	char path[EV_PATH_MAX]; /* may hold NULs (abstract socket names) */
	char comm[EV_COMM_MAX];
};

/* A "N events lost" notice at time_ns (CLOCK_REALTIME). */
void ev_init_lost(struct sp_event *e, uint64_t n, uint64_t time_ns);

/* Copies bytes into a field, truncating to its size. */
void ev_set_name(struct sp_event *e, const char *s, size_t len);
void ev_set_path(struct sp_event *e, const char *s, size_t len);
void ev_set_comm(struct sp_event *e, const char *s, size_t len);

/* ---- wire form (wire.c) -------------------------------------------- */

#define EV_WIRE_MAX 8400 /* fixed part + name + path + comm */

/* Encodes e into buf (at least EV_WIRE_MAX bytes); returns the length. */
size_t ev_encode(const struct sp_event *e, void *buf);
/* Decodes and validates; 0 or -EINVAL (bad length, kind or field). */
int ev_decode(const void *buf, size_t len, struct sp_event *e);

/* ---- output (format.c) --------------------------------------------- */

/* The version of the JSON object ("v"): readers refuse others. */
#define EV_JSON_VERSION 1

struct sp_policy;
struct strbuf;

enum {
	EVFMT_VERBOSE = 1 << 0, /* -v: time, ids, system call appended */
};

/* ranged_custom: custom abilities whose values are shown (-S).
 * late_ms: -i; a process event that comes more than this long after the
 * process started is marked on the text line (0: never). */
struct ev_format_opts {
	unsigned flags;
	const uint16_t *ranged_custom;
	size_t nranged_custom;
	uint32_t late_ms;
};

/* The SPEC §5 line, without the newline. */
void ev_format_text(const struct sp_event *e, const struct sp_policy *p,
		    const struct ev_format_opts *o, struct strbuf *sb);
/* One JSON object with every field, without the newline. */
void ev_format_json(const struct sp_event *e, const struct sp_policy *p,
		    const struct ev_format_opts *o, struct strbuf *sb);
/*
 * A gap in a monitor's stream: its connection to secpold broke at
 * since_ns (CLOCK_REALTIME) and, when resumed, it was monitoring again at
 * until_ns.  The monitor says so twice: when the gap begins and when it
 * ends, so that a reader knows which events it cannot have seen.
 */
struct ev_gap {
	bool resumed;
	uint64_t since_ns, until_ns;
};

/* "warning: secpold stopped; reconnecting" or "warning: monitoring again
 * after N s; events in between were not seen", without the newline. */
void ev_format_gap_text(const struct ev_gap *g, struct strbuf *sb);
/* The same as a JSON object of kind "gap". */
void ev_format_gap_json(const struct ev_gap *g, struct strbuf *sb);
/* Name of a system call number of this architecture ("bind"), or NULL. */
const char *ev_syscall_name(int nr);

#endif
