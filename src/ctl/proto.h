/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The control protocol between secpold and its clients (secpol -p, on,
 * secpolmonitor): a SOCK_SEQPACKET socket at $SECPOL_RUNDIR/control, mode
 * 0600.  One message per packet: struct ctl_hdr, then `len` payload
 * bytes.  Requests get one reply (type | CTL_REPLY) with a status (0 or
 * -errno) and, on error, a NUL-terminated message as payload.  After a
 * successful CTL_SUBSCRIBE the daemon sends CTL_EVENT and CTL_POLICY
 * messages on the same connection until it closes.
 *
 * Integers are little-endian (host order on the only supported hosts).
 * Both sides validate every length before use.
 */
#ifndef SECPOL_PROTO_H
#define SECPOL_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define CTL_SOCKET_NAME "control"
#define CTL_PIDFILE_NAME "secpold.pid"
#define CTL_LOGFILE_NAME "secpold.log"
#define CTL_DEFAULT_RUNDIR "/run/secpol"
#define CTL_DEFAULT_POLICY "/etc/secpol/secpol.bin"

#define CTL_MAGIC 0x31435053u /* "SPC1" */
#define CTL_VERSION 1
#define CTL_MAX_PAYLOAD 16384

enum ctl_type {
	CTL_HELLO = 1,     /* -> struct ctl_status */
	CTL_PUSH = 2,      /* fd of a binary policy (SCM_RIGHTS), and
			      optionally struct ctl_push */
	CTL_ASSIGN = 3,    /* struct ctl_assign + type name */
	CTL_REGISTER = 4,  /* struct ctl_register */
	CTL_SUBSCRIBE = 5, /* struct ctl_subscribe + names */
	CTL_LIST = 6,      /* typed processes (secpol -l); see its reply */
	CTL_EVENT = 16,    /* daemon -> monitor: a wire event */
	CTL_POLICY = 17,   /* daemon -> monitor: the policy, as a memfd */
	CTL_REPLY = 0x8000,
};

struct ctl_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t len; /* payload bytes */
	int32_t status;
	uint32_t seq;
	uint32_t reserved;
};

/* ctl_status.flags */
enum {
	CTL_ST_POLICY = 1 << 0,    /* a policy is loaded */
	CTL_ST_IMMUTABLE = 1 << 1, /* ... and cannot be replaced */
	CTL_ST_CAP_EVENTS = 1 << 2, /* capability checks are observed */
	CTL_ST_UNIX_HOOKS = 1 << 3, /* connect/sendmsg race guard active */
};

struct ctl_status {
	uint32_t pid;
	uint32_t policy_id;
	uint32_t flags;
	uint32_t ntyped;      /* tasks with a type */
	uint32_t nlisteners;  /* supervised process trees */
	uint32_t nsubscribers;
	uint64_t notifications; /* system calls decided */
	uint64_t lost_kernel;   /* events the kernel could not queue */
	uint64_t lost_monitors; /* events dropped for slow monitors */
};

/* ctl_push.flags */
enum {
	CTL_PUSH_DEVELOP = 1 << 0,   /* develop mode on (secpol -p -D) */
	CTL_PUSH_ENFORCE = 1 << 1,   /* develop mode off */
};

struct ctl_push {
	uint32_t flags;
	uint32_t reserved;
};

/* ctl_assign.flags */
enum {
	CTL_AS_CHILD = 1 << 0, /* the target is the caller's child, which will
				  install a filter and register it */
};

struct ctl_assign {
	uint32_t pid; /* the caller itself or its child */
	uint32_t flags;
	uint32_t uid; /* the uid the process will run as (-u), or -1 */
	uint16_t name_len;
	uint16_t reserved;
	/* followed by the type name (not NUL-terminated) */
};

/* ctl_assign_reply.flags */
enum {
	CTL_AR_NEEDS_LISTENER = 1 << 0, /* install a filter and register it */
	CTL_AR_RETYPED = 1 << 1,        /* the supervised caller was retyped */
	CTL_AR_NEW_TYPE = 1 << 2,       /* develop mode made the type for this
					   run: it was not in the policy */
	CTL_AR_LIMITS = 1 << 3,         /* the policy limits the processes of
					   some type: supervise new tasks */
	CTL_AR_UNCONFINED = 1 << 4,     /* a learning type: no Landlock
					   domain from the rules */
};

struct ctl_assign_reply {
	uint32_t type;
	uint32_t flags;
	uint64_t caps_root;    /* capabilities of the type as root */
	uint64_t caps_nonroot; /* ... and as non-root */
	uint32_t policy_id;
	uint32_t nrules; /* file-system rules in the memfd of the reply */
};

/*
 * A successful CTL_ASSIGN reply carries a sealed memfd (SCM_RIGHTS) with
 * the type's attach and link rules on file-system paths, nrules records
 * of struct ctl_fs_rule each followed by len bytes of the path as written
 * in the policy (no NUL): `on` builds the process's Landlock domain from
 * them (src/launch/landlock.c).  A reply without it is an error.
 */
struct ctl_fs_rule {
	uint8_t kind;  /* CTL_FR_ATTACH or CTL_FR_LINK */
	uint8_t shape; /* CTL_FR_EXACT, CTL_FR_PATTERN or CTL_FR_PREFIX */
	uint16_t len;
};

enum { CTL_FR_ATTACH = 1, CTL_FR_LINK = 2 };
enum { CTL_FR_EXACT = 0, CTL_FR_PATTERN = 1, CTL_FR_PREFIX = 2 };

struct ctl_register {
	uint32_t pid;      /* the process holding the listener */
	int32_t fd;        /* its descriptor number there */
	uint32_t root_pid; /* the first supervised process of the tree */
	uint32_t type;     /* that process's type */
	uint32_t flags;
	uint32_t reserved;
};

/* ctl_register.flags */
enum {
	CTL_RG_AGAIN = 1 << 0, /* re-registration after a daemon restart */
};

/*
 * A CTL_REGISTER may pass a memfd (at least sizeof this, sealed with
 * F_SEAL_SHRINK; any other is ignored) that secpold maps: it records the
 * notification it has received and the one it has answered.  If secpold dies between the two, the registrant (`on`) can
 * refuse that call, which would otherwise wait for an answer forever.
 */
struct ctl_listener_state {
	uint64_t received;
	uint64_t answered;
};

/* ctl_subscribe.kinds: bit (1 << ev_kind) for each kind wanted */
/* ctl_subscribe.flags */
enum {
	CTL_SUB_SUCCESS = 1 << 0, /* -s: allowed events too */
	CTL_SUB_REPEATS = 1 << 1, /* -r: no de-duplication */
	CTL_SUB_COMBINE = 1 << 2, /* -c: de-duplicate by name, not pid */
	CTL_SUB_UNNAMED = 1 << 3, /* -n: events of unnamed processes */
	CTL_SUB_NOAUDIT = 1 << 4, /* -v: routine noaudit probes too */
};

#define CTL_SUB_MAX_NAMES 64

struct ctl_subscribe {
	uint32_t kinds;
	uint32_t flags;
	uint32_t late_ms; /* -i: re-report after this long (0: never) */
	uint32_t queue;   /* events the daemon may queue (0: default) */
	uint16_t nnames;  /* -f names, NUL-separated after the struct */
	uint16_t names_len;
	uint32_t reserved;
};

/*
 * CTL_LIST (secpol -l): the typed processes.  The request is empty (every
 * typed process) or a type name (not NUL-terminated): only that type's.
 * Who may list: as for CTL_SUBSCRIBE.  The reply is struct
 * ctl_list_reply with a memfd, sealed against every change, holding
 * `count` records in `size` bytes: each a struct ctl_list_rec, then its
 * type name and process name (type_len and name_len bytes, not
 * NUL-terminated), then zero bytes up to a multiple of 8.  Records are
 * sorted by pid.  src/ctl/list.h writes and reads them.
 */
struct ctl_list_reply {
	uint32_t policy_id; /* the running policy's, 0 without one */
	uint32_t flags;     /* CTL_ST_POLICY, CTL_ST_IMMUTABLE */
	uint32_t count;     /* records */
	uint32_t reserved;
	uint64_t size; /* bytes of records in the memfd */
};

/* ctl_list_rec.flags */
enum {
	CTL_LR_NAMED = 1 << 0, /* it has exec'd since it was typed */
	CTL_LR_GONE = 1 << 1,  /* its type is not in the running policy any
				  more (a push removed it): type is not an ID */
};

#define CTL_LIST_MAX_SIZE (64u << 20) /* a reply's records, at most */

struct ctl_list_rec {
	uint32_t pid;
	uint32_t type;     /* type ID (one beyond the policy has no name) */
	uint32_t euid;     /* effective uid, or UINT32_MAX if unknown */
	uint32_t nthreads; /* threads, or 0 if unknown */
	uint64_t start_ns; /* its start, CLOCK_BOOTTIME */
	uint32_t flags;    /* CTL_LR_* */
	uint16_t type_len; /* 0: a type the policy does not name */
	uint16_t name_len; /* 0: unnamed */
};

struct ctl_msg {
	struct ctl_hdr hdr;
	char payload[CTL_MAX_PAYLOAD];
	int fd; /* a received descriptor, or -1 */
};

/*
 * Sends one message (payload may be NULL when len is 0; fd < 0 for none).
 * Returns 0 or -errno; -EAGAIN on a non-blocking socket that is full.
 */
int ctl_send(int sock, uint16_t type, int32_t status, uint32_t seq,
	     const void *payload, size_t len, int fd);
/* Sends a reply carrying an error message (printf style). */
int ctl_send_error(int sock, uint16_t type, int32_t status, uint32_t seq,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/*
 * Receives one message and validates the header (magic, version, length
 * matching the packet, no truncation).  A received descriptor is stored in
 * m->fd (close it); any extra descriptors are closed.  Returns 0, -EPIPE at
 * end of stream, -EPROTO for a malformed message, -EINTR if a signal came
 * first, or -errno.
 */
int ctl_recv(int sock, struct ctl_msg *m);

#endif
