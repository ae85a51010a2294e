// SPDX-License-Identifier: BSD-2-Clause
/*
 * Wire form of an event: a fixed little-endian header followed by the
 * name, path and comm bytes.  The receiver validates every length before
 * use, so a peer speaking nonsense cannot make it read past the message.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "event.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the wire form assumes a little-endian host"
#endif

struct ev_wire {
	uint16_t kind;
	uint16_t flags;
	uint32_t pid, tid;
	uint32_t uid, euid, gid, egid;
	uint32_t type, obj_type;
	uint16_t ability;
	uint8_t result;
	uint8_t reason;
	int32_t syscall;
	int32_t err;
	uint64_t time_ns, start_ns;
	uint64_t lo, hi;
	uint16_t name_len, path_len, comm_len, reserved;
	uint32_t age_ms;
	uint32_t reserved2;
};

_Static_assert(sizeof(struct ev_wire) == 96, "wire layout");
_Static_assert(sizeof(struct ev_wire) + EV_NAME_MAX + EV_PATH_MAX +
			       EV_COMM_MAX <= EV_WIRE_MAX,
	       "EV_WIRE_MAX too small");

void ev_init_lost(struct sp_event *e, uint64_t n, uint64_t time_ns)
{
	memset(e, 0, offsetof(struct sp_event, name));
	e->kind = EV_LOST;
	e->lo = n;
	e->obj_type = 0xffffffffu; /* SPB_NO_TYPE */
	e->syscall = -1;
	e->time_ns = time_ns;
}

void ev_set_name(struct sp_event *e, const char *s, size_t len)
{
	if (len > EV_NAME_MAX)
		len = EV_NAME_MAX;
	memcpy(e->name, s, len);
	e->name_len = (uint16_t)len;
}

void ev_set_path(struct sp_event *e, const char *s, size_t len)
{
	if (len > EV_PATH_MAX)
		len = EV_PATH_MAX;
	memcpy(e->path, s, len);
	e->path_len = (uint16_t)len;
}

void ev_set_comm(struct sp_event *e, const char *s, size_t len)
{
	size_t n = strnlen(s, len < EV_COMM_MAX ? len : EV_COMM_MAX);

	memcpy(e->comm, s, n);
	e->comm_len = (uint16_t)n;
}

size_t ev_encode(const struct sp_event *e, void *buf)
{
	struct ev_wire w = {
		.kind = e->kind,
		.flags = e->flags,
		.pid = e->pid,
		.tid = e->tid,
		.uid = e->uid,
		.euid = e->euid,
		.gid = e->gid,
		.egid = e->egid,
		.type = e->type,
		.obj_type = e->obj_type,
		.ability = e->ability,
		.result = e->result,
		.reason = e->reason,
		.syscall = e->syscall,
		.err = e->err,
		.time_ns = e->time_ns,
		.start_ns = e->start_ns,
		.lo = e->lo,
		.hi = e->hi,
		.age_ms = e->age_ms,
		.name_len = e->name_len > EV_NAME_MAX ? EV_NAME_MAX : e->name_len,
		.path_len = e->path_len > EV_PATH_MAX ? EV_PATH_MAX : e->path_len,
		.comm_len = e->comm_len > EV_COMM_MAX ? EV_COMM_MAX : e->comm_len,
	};
	char *p = buf;

	memcpy(p, &w, sizeof(w));
	p += sizeof(w);
	memcpy(p, e->name, w.name_len);
	p += w.name_len;
	memcpy(p, e->path, w.path_len);
	p += w.path_len;
	memcpy(p, e->comm, w.comm_len);
	p += w.comm_len;
	return (size_t)(p - (char *)buf);
}

int ev_decode(const void *buf, size_t len, struct sp_event *e)
{
	struct ev_wire w;
	const char *p = buf;

	if (len < sizeof(w))
		return -EINVAL;
	memcpy(&w, p, sizeof(w));
	if (w.kind < EV_ABILITY || w.kind > EV_KIND_LAST || w.reserved ||
	    w.reserved2 ||
	    w.name_len > EV_NAME_MAX || w.path_len > EV_PATH_MAX ||
	    w.comm_len > EV_COMM_MAX || w.result > EV_DENIED ||
	    w.reason > EV_R_LAST ||
	    len != sizeof(w) + w.name_len + w.path_len + w.comm_len)
		return -EINVAL;
	memset(e, 0, offsetof(struct sp_event, name));
	e->kind = w.kind;
	e->flags = w.flags;
	e->pid = w.pid;
	e->tid = w.tid;
	e->uid = w.uid;
	e->euid = w.euid;
	e->gid = w.gid;
	e->egid = w.egid;
	e->type = w.type;
	e->obj_type = w.obj_type;
	e->ability = w.ability;
	e->result = w.result;
	e->reason = w.reason;
	e->syscall = w.syscall;
	e->err = w.err;
	e->time_ns = w.time_ns;
	e->start_ns = w.start_ns;
	e->lo = w.lo;
	e->hi = w.hi;
	e->age_ms = w.age_ms;
	p += sizeof(w);
	ev_set_name(e, p, w.name_len);
	p += w.name_len;
	ev_set_path(e, p, w.path_len);
	p += w.path_len;
	memcpy(e->comm, p, w.comm_len);
	e->comm_len = w.comm_len;
	return 0;
}
