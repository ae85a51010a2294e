// SPDX-License-Identifier: BSD-2-Clause
#include "bus.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "bpf/secpol_bpf.h"
#include "common/util.h"
#include "policy/format.h"
#include "procinfo.h"

/* De-duplication remembers 64-bit hashes of event keys; past this many it
 * starts afresh (a few repeats then, never a missed first use). */
#define SEEN_MAX (1u << 20)

struct qmsg {
	uint16_t type;
	int fd; /* a descriptor to pass along (dup'ed), or -1 */
	size_t len;
	char data[]; /* wire event */
};

struct subscriber {
	struct subscriber *next;
	int fd;
	uint32_t self;
	struct ctl_subscribe f;
	char *names; /* NUL-separated */
	size_t names_len;
	/* queue: a ring of message pointers */
	struct qmsg **q;
	size_t qcap, qhead, qlen;
	uint64_t lost_pending, lost_total;
	/* de-duplication: open addressing set of key hashes */
	uint64_t *seen;
	size_t seen_cap, seen_n;
};

struct bus {
	struct subscriber *subs;
	size_t n;
	uint64_t lost_closed; /* losses of monitors that have gone */
};

struct bus *bus_new(void)
{
	return calloc(1, sizeof(struct bus));
}

static void free_sub(struct subscriber *s)
{
	size_t i;

	for (i = 0; i < s->qlen; i++) {
		struct qmsg *m = s->q[(s->qhead + i) % s->qcap];

		if (m->fd >= 0)
			close(m->fd);
		free(m);
	}
	free(s->q);
	free(s->names);
	free(s->seen);
	free(s);
}

void bus_free(struct bus *b)
{
	if (!b)
		return;
	while (b->subs) {
		struct subscriber *s = b->subs;

		b->subs = s->next;
		free_sub(s);
	}
	free(b);
}

struct subscriber *bus_subscribe(struct bus *b, int fd,
				 const struct ctl_subscribe *f,
				 const char *names, size_t names_len)
{
	struct subscriber *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = fd;
	s->f = *f;
	s->qcap = f->queue ? f->queue : BUS_DEFAULT_QUEUE;
	if (s->qcap > BUS_MAX_QUEUE)
		s->qcap = BUS_MAX_QUEUE;
	/* room for an event and the notice of what was lost before it */
	if (s->qcap < BUS_MIN_QUEUE)
		s->qcap = BUS_MIN_QUEUE;
	s->q = calloc(s->qcap, sizeof(*s->q));
	if (names_len) {
		s->names = malloc(names_len);
		if (s->names)
			memcpy(s->names, names, names_len);
		s->names_len = names_len;
	}
	if (!s->q || (names_len && !s->names)) {
		free_sub(s);
		return NULL;
	}
	s->next = b->subs;
	b->subs = s;
	b->n++;
	return s;
}

void bus_unsubscribe(struct bus *b, struct subscriber *s)
{
	struct subscriber **pp = &b->subs;

	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = s->next;
	b->n--;
	b->lost_closed += s->lost_total;
	free_sub(s);
}

void bus_set_self(struct subscriber *s, uint32_t pid)
{
	s->self = pid;
}

size_t bus_count(const struct bus *b)
{
	return b->n;
}

int bus_fd(const struct subscriber *s)
{
	return s->fd;
}

/* The "N events lost" notice, stamped now. */
static size_t lost_notice(uint64_t n, char *buf)
{
	struct sp_event lost;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ev_init_lost(&lost, n,
		     (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	return ev_encode(&lost, buf);
}

static bool enqueue(struct subscriber *s, uint16_t type, const void *data,
		    size_t len, int fd)
{
	struct qmsg *m;

	if (s->qlen == s->qcap)
		return false;
	m = malloc(sizeof(*m) + len);
	if (!m)
		return false;
	m->type = type;
	m->len = len;
	m->fd = fd >= 0 ? dup(fd) : -1;
	if (len)
		memcpy(m->data, data, len);
	s->q[(s->qhead + s->qlen) % s->qcap] = m;
	s->qlen++;
	return true;
}

static uint64_t fnv64(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= c[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Adds a key hash; returns false if it was there already. */
static bool seen_add(struct subscriber *s, uint64_t h)
{
	size_t i;

	if (h == 0)
		h = 1; /* 0 marks an empty slot */
	if ((s->seen_n + 1) * 2 > s->seen_cap) {
		size_t ncap = s->seen_cap ? s->seen_cap * 2 : 1024, k;
		uint64_t *nv;

		if (s->seen_n >= SEEN_MAX) {
			/* start afresh rather than grow without bound */
			memset(s->seen, 0, s->seen_cap * sizeof(*s->seen));
			s->seen_n = 0;
		} else {
			nv = calloc(ncap, sizeof(*nv));
			if (!nv)
				return true; /* report rather than lose */
			for (k = 0; k < s->seen_cap; k++) {
				uint64_t v = s->seen[k];

				if (!v)
					continue;
				for (i = v & (ncap - 1); nv[i]; i = (i + 1) & (ncap - 1))
					;
				nv[i] = v;
			}
			free(s->seen);
			s->seen = nv;
			s->seen_cap = ncap;
		}
	}
	for (i = h & (s->seen_cap - 1); s->seen[i]; i = (i + 1) & (s->seen_cap - 1))
		if (s->seen[i] == h)
			return false;
	s->seen[i] = h;
	s->seen_n++;
	return true;
}

static bool name_matches(const struct subscriber *s, const struct sp_event *e)
{
	const char *last, *p = s->names, *end = s->names + s->names_len;

	if (!s->f.nnames)
		return true;
	if ((e->flags & EVF_UNNAMED) || e->name_len == 0)
		return false;
	last = memrchr(e->name, '/', e->name_len);
	last = last ? last + 1 : e->name;
	while (p < end) {
		size_t n = strnlen(p, (size_t)(end - p));

		/* the printed name, or its last component */
		if ((n == e->name_len && memcmp(p, e->name, n) == 0) ||
		    (n == (size_t)(e->name + e->name_len - last) &&
		     memcmp(p, last, n) == 0))
			return true;
		p += n + 1;
	}
	return false;
}

static bool wanted(struct subscriber *s, const struct sp_event *e)
{
	uint64_t h = 1469598103934665603ull;
	uint32_t kindbit = 1u << e->kind;
	bool late = false;
	uint8_t k8;

	if (e->kind == EV_LOST || e->kind == EV_NEWTYPE)
		return true;
	if (s->self && e->pid == s->self)
		return false;
	/* attach and link both come with -p */
	if (e->kind == EV_LINK)
		kindbit |= 1u << EV_ATTACH;
	if (!(s->f.kinds & kindbit))
		return false;
	/* -u and -q lines are what those options ask for, -s or not */
	if (e->result == EV_ALLOWED && !(s->f.flags & CTL_SUB_SUCCESS) &&
	    e->kind != EV_SIGNAL && e->kind != EV_NET)
		return false;
	if ((e->flags & EVF_UNNAMED) && !(s->f.flags & CTL_SUB_UNNAMED))
		return false;
	if ((e->flags & EVF_NOAUDIT) && !(s->f.flags & CTL_SUB_NOAUDIT))
		return false;
	if (!name_matches(s, e))
		return false;
	if (s->f.flags & CTL_SUB_REPEATS)
		return true;
	/* a signal: once per (sender type, receiver type, signal) */
	if (e->kind == EV_SIGNAL) {
		h = fnv64(h, &e->kind, sizeof(e->kind));
		h = fnv64(h, &e->type, sizeof(e->type));
		h = fnv64(h, &e->obj_type, sizeof(e->obj_type));
		h = fnv64(h, &e->lo, sizeof(e->lo));
		return seen_add(s, h);
	}
	/* -i: a use long after the process started is a new need */
	late = s->f.late_ms && e->age_ms > s->f.late_ms;
	if (s->f.flags & CTL_SUB_COMBINE) {
		h = fnv64(h, e->name, e->name_len);
		h = fnv64(h, "\0", 1);
	} else {
		uint64_t start = procinfo_start_key(e->start_ns);

		h = fnv64(h, &e->pid, sizeof(e->pid));
		h = fnv64(h, &start, sizeof(start));
		/* a process that execs is a new program: its first uses
		 * are reported again under its new name */
		h = fnv64(h, e->name, e->name_len);
	}
	h = fnv64(h, &e->kind, sizeof(e->kind));
	h = fnv64(h, &e->type, sizeof(e->type));
	h = fnv64(h, &e->ability, sizeof(e->ability));
	h = fnv64(h, &e->result, sizeof(e->result));
	k8 = (uint8_t)((e->flags & EVF_ROOT ? 1 : 0) |
		       (e->flags & EVF_NOAUDIT ? 2 : 0) | (late ? 4 : 0) |
		       (e->flags & EVF_BORROWED ? 8 : 0));
	h = fnv64(h, &k8, 1);
	if (e->flags & EVF_VALUE) {
		h = fnv64(h, &e->lo, sizeof(e->lo));
		h = fnv64(h, &e->hi, sizeof(e->hi));
	}
	if (e->kind != EV_ABILITY) {
		h = fnv64(h, e->path, e->path_len);
		h = fnv64(h, &e->reason, sizeof(e->reason));
	}
	return seen_add(s, h);
}

static void offer(struct subscriber *s, const struct sp_event *e)
{
	char buf[EV_WIRE_MAX];
	size_t len;

	if (!wanted(s, e))
		return;
	/* report losses before the next event that fits */
	if (s->lost_pending && s->qlen + 1 < s->qcap) {
		len = lost_notice(s->lost_pending, buf);
		if (enqueue(s, CTL_EVENT, buf, len, -1))
			s->lost_pending = 0;
	}
	len = ev_encode(e, buf);
	if (!enqueue(s, CTL_EVENT, buf, len, -1)) {
		s->lost_pending++;
		s->lost_total++;
	}
}

void bus_publish(struct bus *b, const struct sp_event *e)
{
	struct subscriber *s;

	for (s = b->subs; s; s = s->next)
		offer(s, e);
}

void bus_broadcast(struct bus *b, uint16_t type, int fd)
{
	struct subscriber *s;

	for (s = b->subs; s; s = s->next) {
		/* control messages may exceed the event budget by one */
		if (s->qlen == s->qcap) {
			struct qmsg *m = s->q[(s->qhead + s->qlen - 1) % s->qcap];

			if (m->fd >= 0)
				close(m->fd);
			free(m);
			s->qlen--;
			s->lost_pending++;
			s->lost_total++;
		}
		enqueue(s, type, NULL, 0, fd);
	}
}

int bus_flush(struct subscriber *s)
{
	while (s->qlen) {
		struct qmsg *m = s->q[s->qhead];
		int r = ctl_send(s->fd, m->type, 0, 0, m->data, m->len, m->fd);

		if (r == -EAGAIN)
			return 1;
		if (r < 0)
			return r;
		if (m->fd >= 0)
			close(m->fd);
		free(m);
		s->qhead = (s->qhead + 1) % s->qcap;
		s->qlen--;
	}
	if (s->lost_pending) {
		char buf[EV_WIRE_MAX];
		size_t len = lost_notice(s->lost_pending, buf);

		if (enqueue(s, CTL_EVENT, buf, len, -1)) {
			s->lost_pending = 0;
			return bus_flush(s);
		}
	}
	return 0;
}

bool bus_pending(const struct subscriber *s)
{
	return s->qlen > 0 || s->lost_pending > 0;
}

uint32_t bus_observe(const struct bus *b)
{
	const struct subscriber *s;
	uint32_t o = 0;

	for (s = b->subs; s; s = s->next) {
		if (s->f.kinds & (1u << EV_ATTACH))
			o |= SPB_OBS_PATHS;
		if (s->f.kinds & (1u << EV_ABILITY))
			o |= SPB_OBS_PATHS; /* a connect to a typed channel */
		if (s->f.kinds & (1u << EV_NET))
			o |= SPB_OBS_NET;
		if (s->f.kinds & (1u << EV_SIGNAL))
			o |= SPB_OBS_SIGNALS;
	}
	return o;
}

void bus_kernel_settings(const struct bus *b, bool *monitoring,
			 bool *repeats, uint64_t *late_ns)
{
	const struct subscriber *s;
	uint32_t late_ms = 0;

	*monitoring = *repeats = false;
	*late_ns = 0;
	for (s = b->subs; s; s = s->next) {
		if (s->f.kinds & (1u << EV_ABILITY))
			*monitoring = true;
		if (s->f.flags & CTL_SUB_REPEATS)
			*repeats = true;
		if (s->f.late_ms) {
			/* one threshold in the kernel; several distinct
			 * ones: let everything through, each monitor sorts
			 * it out itself */
			if (late_ms && late_ms != s->f.late_ms)
				*repeats = true;
			late_ms = s->f.late_ms;
		}
	}
	*late_ns = (uint64_t)late_ms * 1000000u;
}

uint64_t bus_lost_total(const struct bus *b)
{
	const struct subscriber *s;
	uint64_t n = b->lost_closed;

	for (s = b->subs; s; s = s->next)
		n += s->lost_total;
	return n;
}
