// SPDX-License-Identifier: BSD-2-Clause
/*
 * The channel table.  A hash table (chained, SipHash with a random key:
 * abstract names are chosen by supervised processes, so the bucket of a
 * name must not be predictable) keyed by
 *   - (dev, ino) of the socket file, for sockets bound at a path, or
 *   - (network namespace inode, name bytes) for abstract names, where the
 *     name is what follows the leading NUL of sun_path, every byte of it
 *     (embedded and trailing NULs included: the kernel compares the whole
 *     address).
 *
 * Every entry remembers the socket's own inode, and a lookup asks
 * sock_diag (SOCK_DIAG_BY_FAMILY, AF_UNIX, by inode) whether that socket
 * still exists and is still bound where the key says.  sock_diag only
 * sees the sockets of the network namespace its netlink socket was made
 * in, so the table keeps one diag socket per namespace, made by entering
 * the namespace (setns on the calling thread) through some process that
 * lives in it, and returning to our own.
 *
 * A path socket can be reached from any network namespace that sees the
 * file, so the namespace that holds it is found when it is added (the
 * binder's, checked by asking there).  Asking the wrong namespace would
 * say "no such socket" about a live one and hand out type 0, the most
 * permissive type: so "not found" counts as stale only where the answer
 * is authoritative (the socket's own namespace); anything else keeps the
 * entry (fail closed).  A wrong, stale type is never more permissive
 * than type 0.
 *
 * Not thread-safe: the daemon holds its lock around every call.
 */
#include "channels.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/sockios.h>
#include <linux/types.h>

#include <bpf/bpf.h>

#include "bpf/secpol_bpf.h"
#include "common/util.h"

#define ABSTRACT_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
#define INITIAL_BUCKETS 64

struct chan_ent {
	struct chan_ent *next;
	uint64_t hash;
	bool abstract;
	uint8_t len;  /* abstract: name length */
	uint64_t dev; /* path key */
	uint64_t ino; /* path key */
	/* Abstract: part of the key.  Path: the namespace that holds the
	 * socket, 0 while unknown. */
	uint64_t netns;
	struct chan_info ci;
	char name[ABSTRACT_MAX];
};

/* How many channels one process holds. */
struct owner_count {
	pid_t pid;
	uint64_t start; /* procinfo_start_key */
	uint32_t n;
	struct owner_count *next;
};

#define OWNER_BUCKETS 1024
#define TYPE_SLOTS 65536 /* type IDs are below SPB_MAX_TYPES */

struct diag_sock {
	uint64_t netns;
	int fd;
};

struct chantab {
	struct chan_ent **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;
	uint64_t key[2];
	struct diag_sock *diag;
	size_t ndiag, capdiag;
	int own_netns_fd; /* to return to after entering another */
	uint64_t own_netns;
	uint32_t seq;
	size_t gc_bucket; /* where the incremental gc goes on */
	int store_fd;     /* BPF map mirroring the table, or -1 */
	size_t max, per_type, per_process; /* 0: no limit */
	uint32_t *type_n;                  /* channels per type */
	struct owner_count *owners[OWNER_BUCKETS];
};

/* --- SipHash-2-4 ---------------------------------------------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
	do {                                                                   \
		v0 += v1;                                                      \
		v1 = ROTL(v1, 13);                                             \
		v1 ^= v0;                                                      \
		v0 = ROTL(v0, 32);                                             \
		v2 += v3;                                                      \
		v3 = ROTL(v3, 16);                                             \
		v3 ^= v2;                                                      \
		v0 += v3;                                                      \
		v3 = ROTL(v3, 21);                                             \
		v3 ^= v0;                                                      \
		v2 += v1;                                                      \
		v1 = ROTL(v1, 17);                                             \
		v1 ^= v2;                                                      \
		v2 = ROTL(v2, 32);                                             \
	} while (0)

static uint64_t siphash(const uint64_t k[2], const uint8_t *in, size_t len)
{
	uint64_t v0 = 0x736f6d6570736575ull ^ k[0];
	uint64_t v1 = 0x646f72616e646f6dull ^ k[1];
	uint64_t v2 = 0x6c7967656e657261ull ^ k[0];
	uint64_t v3 = 0x7465646279746573ull ^ k[1];
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, in + i, 8);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t j = 0; j < left; j++)
		b |= (uint64_t)in[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint64_t hash_path(const struct chantab *t, uint64_t dev, uint64_t ino)
{
	uint8_t buf[17] = {'p'};

	memcpy(buf + 1, &dev, 8);
	memcpy(buf + 9, &ino, 8);
	return siphash(t->key, buf, sizeof(buf));
}

static uint64_t hash_abstract(const struct chantab *t, uint64_t netns,
			      const char *name, size_t len)
{
	uint8_t buf[9 + ABSTRACT_MAX] = {'a'};

	memcpy(buf + 1, &netns, 8);
	memcpy(buf + 9, name, len);
	return siphash(t->key, buf, 9 + len);
}

/* --- table ---------------------------------------------------------------- */

struct chantab *chantab_new(void)
{
	_cleanup_free_ struct chantab *t = calloc(1, sizeof(*t));
	struct stat st;

	if (!t)
		return NULL;
	if (getrandom(t->key, sizeof(t->key), GRND_INSECURE) !=
		sizeof(t->key) &&
	    getrandom(t->key, sizeof(t->key), 0) != sizeof(t->key))
		return NULL;
	t->store_fd = -1;
	t->nbuckets = INITIAL_BUCKETS;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	if (!t->buckets)
		return NULL;
	t->own_netns_fd =
	    open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (t->own_netns_fd < 0 || fstat(t->own_netns_fd, &st) < 0) {
		if (t->own_netns_fd >= 0)
			close(t->own_netns_fd);
		free(t->buckets);
		return NULL;
	}
	t->own_netns = st.st_ino;
	t->type_n = calloc(TYPE_SLOTS, sizeof(*t->type_n));
	if (!t->type_n) {
		close(t->own_netns_fd);
		free(t->buckets);
		return NULL;
	}
	return steal_ptr(&t);
}

void chantab_free(struct chantab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct chan_ent *e = t->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	for (size_t i = 0; i < t->ndiag; i++)
		close(t->diag[i].fd);
	free(t->diag);
	free(t->buckets);
	close(t->own_netns_fd);
	for (size_t i = 0; i < OWNER_BUCKETS; i++)
		while (t->owners[i]) {
			struct owner_count *o = t->owners[i];

			t->owners[i] = o->next;
			free(o);
		}
	free(t->type_n);
	free(t);
}

size_t chantab_size(const struct chantab *t)
{
	return t->count;
}

static bool ent_is_path(const struct chan_ent *e, uint64_t dev, uint64_t ino)
{
	return !e->abstract && e->dev == dev && e->ino == ino;
}

static bool ent_is_abstract(const struct chan_ent *e, uint64_t netns,
			    const char *name, size_t len)
{
	return e->abstract && e->netns == netns && e->len == len &&
	       memcmp(e->name, name, len) == 0;
}

/* The link that points at the entry (for removal), or NULL. */
static struct chan_ent **find_path(struct chantab *t, uint64_t dev,
				   uint64_t ino)
{
	uint64_t h = hash_path(t, dev, ino);
	struct chan_ent **pp = &t->buckets[h & (t->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == h && ent_is_path(*pp, dev, ino))
			return pp;
	return NULL;
}

static struct chan_ent **find_abstract(struct chantab *t, uint64_t netns,
				       const char *name, size_t len)
{
	uint64_t h = hash_abstract(t, netns, name, len);
	struct chan_ent **pp = &t->buckets[h & (t->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == h && ent_is_abstract(*pp, netns, name, len))
			return pp;
	return NULL;
}

static void grow(struct chantab *t)
{
	size_t n = t->nbuckets * 2;
	struct chan_ent **b = calloc(n, sizeof(*b));

	/* Out of memory: stay at this size; chains only get longer. */
	if (!b)
		return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct chan_ent *e = t->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

static struct owner_count **owner_slot(struct chantab *t, pid_t pid,
				       uint64_t start)
{
	struct owner_count **pp = &t->owners[(size_t)pid % OWNER_BUCKETS];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->pid == pid && (*pp)->start == start)
			break;
	return pp;
}

/* Counts ci's channel in (delta 1) or out (-1). */
static void count(struct chantab *t, const struct chan_info *ci, int delta)
{
	uint64_t start = ci->owner_start / 10000000ull; /* clock ticks */
	struct owner_count **pp = owner_slot(t, ci->owner, start), *o = *pp;

	if (t->type_n && ci->type < TYPE_SLOTS)
		t->type_n[ci->type] += (uint32_t)delta;
	if (!o && delta > 0) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return;
		o->pid = ci->owner;
		o->start = start;
		*pp = o;
	}
	if (!o)
		return;
	o->n += (uint32_t)delta;
	if (o->n == 0) {
		*pp = o->next;
		free(o);
	}
}

void chantab_set_capacity(struct chantab *t, size_t max, size_t per_process)
{
	t->max = max;
	t->per_type = max / 4;
	t->per_process = per_process;
}

int chantab_admit(struct chantab *t, uint32_t type, pid_t owner,
		  uint64_t owner_start)
{
	struct owner_count *o;

	if (t->max && t->count >= t->max)
		return -ENOSPC;
	if (t->per_type && t->type_n && type < TYPE_SLOTS &&
	    t->type_n[type] >= t->per_type)
		return -EDQUOT;
	o = *owner_slot(t, owner, owner_start / 10000000ull);
	if (t->per_process && o && o->n >= t->per_process)
		return -EDQUOT;
	return 0;
}

static void insert(struct chantab *t, struct chan_ent *e)
{
	struct chan_ent **head;

	if (t->count + 1 > t->nbuckets / 4 * 3)
		grow(t);
	head = &t->buckets[e->hash & (t->nbuckets - 1)];
	e->next = *head;
	*head = e;
	t->count++;
}

static void store_key(const struct chan_ent *e, struct spb_chan_key *k)
{
	memset(k, 0, sizeof(*k));
	k->kind = e->abstract ? 2 : 1;
	if (e->abstract) {
		k->a = e->netns;
		k->len = e->len;
		memcpy(k->name, e->name, e->len);
	} else {
		k->a = e->dev;
		k->b = e->ino;
	}
}

/* Mirrors an entry into the pinned map (best effort: a full map only
 * costs the knowledge after a restart). */
static void store_put(struct chantab *t, const struct chan_ent *e)
{
	struct spb_chan_key k;
	struct spb_chan_val v = {
		.type = e->ci.type,
		.owner = (__u32)e->ci.owner,
		.owner_start = e->ci.owner_start,
		.sock_ino = e->ci.sock_ino,
		.netns = e->netns,
	};

	if (t->store_fd < 0)
		return;
	store_key(e, &k);
	bpf_map_update_elem(t->store_fd, &k, &v, BPF_ANY);
}

static void store_del(struct chantab *t, const struct chan_ent *e)
{
	struct spb_chan_key k;

	if (t->store_fd < 0)
		return;
	store_key(e, &k);
	bpf_map_delete_elem(t->store_fd, &k);
}

static void unlink_ent(struct chantab *t, struct chan_ent **pp)
{
	struct chan_ent *e = *pp;

	count(t, &e->ci, -1);
	store_del(t, e);
	*pp = e->next;
	free(e);
	t->count--;
}

/* --- sock_diag ------------------------------------------------------------ */

static int diag_get(struct chantab *t, uint64_t netns)
{
	for (size_t i = 0; i < t->ndiag; i++)
		if (t->diag[i].netns == netns)
			return t->diag[i].fd;
	return -1;
}

int sock_int_opt(int sock, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(sock, SOL_SOCKET, opt, &v, &len) < 0)
		return -errno;
	return v;
}

uint64_t sock_netns(int fd)
{
	struct stat st;
	int ns = ioctl(fd, SIOCGSKNS);
	uint64_t ino = 0;

	if (ns < 0)
		return 0;
	if (fstat(ns, &st) == 0)
		ino = st.st_ino;
	close(ns);
	return ino;
}

/*
 * The diag socket for network namespace netns: cached, ours, or made
 * through process pid (which must be in it: checked, since pids are
 * reused; pid 0: no process to go through).  Returns the
 * descriptor (owned by the table) or -errno; -ENOTRECOVERABLE if this
 * thread could not return to its own namespace.
 */
static int diag_open(struct chantab *t, pid_t pid, uint64_t netns)
{
	_cleanup_close_ int ns = -1, fd = -1;
	int cached = diag_get(t, netns);
	char path[40];
	struct stat st;

	if (cached >= 0)
		return cached;
	if (t->ndiag == t->capdiag) {
		size_t n = t->capdiag ? t->capdiag * 2 : 4;
		struct diag_sock *d = realloc(t->diag, n * sizeof(*d));

		if (!d)
			return -ENOMEM;
		t->diag = d;
		t->capdiag = n;
	}
	if (netns != t->own_netns) {
		if (pid <= 0)
			return -ESRCH;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
		ns = open(path, O_RDONLY | O_CLOEXEC);
		if (ns < 0)
			return errno == ENOENT ? -ESRCH : -errno;
		if (fstat(ns, &st) < 0)
			return -errno;
		if (st.st_ino != netns)
			return -ESRCH;
		if (setns(ns, CLONE_NEWNET) < 0)
			return -errno;
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (ns >= 0 && setns(t->own_netns_fd, CLONE_NEWNET) < 0)
		return -ENOTRECOVERABLE;
	if (fd < 0)
		return -errno;
	/* The socket is where we meant it to be (SIOCGSKNS asks the
	 * socket itself). */
	if (sock_netns(fd) != netns)
		return -ESRCH;
	t->diag[t->ndiag].netns = netns;
	t->diag[t->ndiag].fd = fd;
	t->ndiag++;
	return steal_fd(&fd);
}

enum diag_verdict {
	DIAG_MATCH,    /* alive and bound where the entry says */
	DIAG_MISMATCH, /* that inode is another socket now: stale */
	DIAG_ABSENT,   /* no such socket in that namespace */
	DIAG_ERROR,    /* no answer: decide nothing */
};

/* The kernel reports the file's device as the kernel-internal dev_t
 * (major << 20 | minor), not stat's encoding. */
static uint64_t kdev_to_dev(uint32_t kdev)
{
	return makedev(kdev >> 20, kdev & 0xfffff);
}

/* Checks one reply message against e; DIAG_ERROR if it is not ours. */
static enum diag_verdict check_reply(const struct nlmsghdr *h,
				     const struct chan_ent *e)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	const struct unix_diag_vfs *vfs = NULL;
	const struct rtattr *a;
	const char *name = NULL;
	size_t namelen = 0;
	int alen;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)) ||
	    m->udiag_family != AF_UNIX || m->udiag_ino != e->ci.sock_ino)
		return DIAG_ERROR;
	alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	a = (const struct rtattr *)((const char *)m + NLMSG_ALIGN(sizeof(*m)));
	for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		size_t plen = RTA_PAYLOAD(a);

		if (a->rta_type == UNIX_DIAG_VFS && plen >= sizeof(*vfs))
			vfs = RTA_DATA(a);
		else if (a->rta_type == UNIX_DIAG_NAME) {
			name = RTA_DATA(a);
			namelen = plen;
		}
	}
	if (e->abstract) {
		/* The bound address: a NUL, then the name. */
		if (name && namelen == (size_t)e->len + 1 && name[0] == '\0' &&
		    memcmp(name + 1, e->name, e->len) == 0)
			return DIAG_MATCH;
		return DIAG_MISMATCH;
	}
	/* The inode number is only 32 bits wide in the reply. */
	if (vfs && vfs->udiag_vfs_ino == (uint32_t)e->ino &&
	    kdev_to_dev(vfs->udiag_vfs_dev) == e->dev)
		return DIAG_MATCH;
	return DIAG_MISMATCH;
}

/* Asks the diag socket fd about e's socket. */
static enum diag_verdict diag_check(struct chantab *t, int fd,
				    const struct chan_ent *e)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {0};
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	union {
		struct nlmsghdr h;
		char b[8192];
	} buf;

	if (e->ci.sock_ino == 0 || e->ci.sock_ino > UINT32_MAX)
		return DIAG_ERROR;
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = ++t->seq;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_ino = (uint32_t)e->ci.sock_ino;
	req.r.udiag_states = ~0u;
	req.r.udiag_show = UDIAG_SHOW_VFS | UDIAG_SHOW_NAME;
	req.r.udiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req.r.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (RETRY_EINTR(sendto(fd, &req, sizeof(req), 0,
			       (struct sockaddr *)&kernel, sizeof(kernel))) < 0)
		return DIAG_ERROR;
	/* The kernel answers within sendto: whatever is not there now
	 * never comes.  Older replies (seq) are skipped. */
	for (;;) {
		struct iovec iov = {buf.b, sizeof(buf.b)};
		struct sockaddr_nl from;
		struct msghdr mh = {.msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1};
		ssize_t n = RETRY_EINTR(recvmsg(fd, &mh, MSG_DONTWAIT));
		const struct nlmsghdr *h = &buf.h;
		int len;

		if (n <= 0 || (mh.msg_flags & MSG_TRUNC) || from.nl_pid != 0)
			return DIAG_ERROR;
		len = (int)n;
		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			const struct nlmsgerr *err = NLMSG_DATA(h);

			if (h->nlmsg_seq != req.h.nlmsg_seq)
				continue;
			switch (h->nlmsg_type) {
			case NLMSG_ERROR:
				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
					return DIAG_ERROR;
				if (err->error == -ENOENT)
					return DIAG_ABSENT;
				if (err->error == 0)
					continue; /* an ack */
				return DIAG_ERROR;
			case NLMSG_DONE:
				return DIAG_ABSENT;
			case SOCK_DIAG_BY_FAMILY:
				return check_reply(h, e);
			default:
				continue;
			}
		}
	}
}

/*
 * Whether e's socket is alive, asking in namespace netns (through pid if
 * there is no diag socket for it yet).  authoritative: netns is where the
 * socket lives, so "absent" is final.  Returns 1 alive, 0 stale, -1
 * unknown.
 */
static int alive_in(struct chantab *t, const struct chan_ent *e, pid_t pid,
		    uint64_t netns, bool authoritative)
{
	int fd = diag_open(t, pid, netns);

	if (fd < 0)
		return -1;
	switch (diag_check(t, fd, e)) {
	case DIAG_MATCH:
		return 1;
	case DIAG_MISMATCH:
		return 0;
	case DIAG_ABSENT:
		return authoritative ? 0 : -1;
	case DIAG_ERROR:
		break;
	}
	return -1;
}

static uint64_t pid_netns(pid_t pid)
{
	char path[40];
	struct stat st;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/*
 * Liveness of e for a lookup by pid (0 in gc).  A path socket whose
 * namespace is not known yet is looked for where pid is, and in ours,
 * and remembered where found.
 */
static int alive(struct chantab *t, struct chan_ent *e, pid_t pid)
{
	uint64_t where[2];
	int v;

	if (e->abstract || e->netns)
		return alive_in(t, e, pid, e->netns, true);
	where[0] = pid_netns(pid);
	where[1] = t->own_netns;
	for (size_t i = 0; i < ARRAY_SIZE(where); i++) {
		if (!where[i] || (i == 1 && where[1] == where[0]))
			continue;
		v = alive_in(t, e, i == 0 ? pid : 0, where[i], false);
		if (v == 1)
			e->netns = where[i];
		if (v >= 0)
			return v;
	}
	return -1;
}

/* --- the interface -------------------------------------------------------- */

int chantab_add_path(struct chantab *t, dev_t dev, ino_t ino,
		     const struct chan_info *ci)
{
	return chantab_add_path_ns(t, dev, ino, 0, ci);
}

/* The entry of a path socket, made if there is none; an existing one is
 * no longer counted (the caller counts what it writes into it). */
static struct chan_ent *path_entry(struct chantab *t, dev_t dev, ino_t ino)
{
	struct chan_ent **pp = find_path(t, dev, ino);
	struct chan_ent *e;

	if (pp) {
		e = *pp;
		count(t, &e->ci, -1);
		return e;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->hash = hash_path(t, dev, ino);
	e->dev = dev;
	e->ino = ino;
	insert(t, e);
	return e;
}

int chantab_add_path_ns(struct chantab *t, dev_t dev, ino_t ino,
			uint64_t netns, const struct chan_info *ci)
{
	struct chan_ent *e = path_entry(t, dev, ino);

	if (!e)
		return -ENOMEM;
	e->ci = *ci;
	e->netns = netns;
	count(t, &e->ci, 1);
	/* Unknown: find the namespace that holds the socket while its
	 * binder is surely alive: that is where the binder (or we) are. */
	if (!netns)
		alive(t, e, ci->owner);
	else
		diag_open(t, ci->owner, netns);
	store_put(t, e);
	return 0;
}

int chantab_reserve_path(struct chantab *t, dev_t dev, ino_t ino,
			 const struct chan_info *ci)
{
	struct chan_ent *e = path_entry(t, dev, ino);

	if (!e)
		return -ENOMEM;
	e->ci = *ci;
	e->netns = 0;
	count(t, &e->ci, 1);
	return 0;
}

int chantab_add_abstract(struct chantab *t, uint64_t netns, const char *name,
			 size_t len, const struct chan_info *ci)
{
	struct chan_ent **pp;
	struct chan_ent *e;

	if (len == 0 || len > ABSTRACT_MAX)
		return -EINVAL;
	pp = find_abstract(t, netns, name, len);
	if (pp) {
		e = *pp;
		count(t, &e->ci, -1);
	} else {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->hash = hash_abstract(t, netns, name, len);
		e->abstract = true;
		e->netns = netns;
		e->len = (uint8_t)len;
		memcpy(e->name, name, len);
		insert(t, e);
	}
	e->ci = *ci;
	count(t, &e->ci, 1);
	/* Keep a diag socket for the namespace while the binder is there,
	 * so that gc can check this entry without a process. */
	diag_open(t, ci->owner, netns);
	store_put(t, e);
	return 0;
}

/* 0 and *ci if pp's entry is alive; stale ones are removed (-ENOENT). */
static int settle(struct chantab *t, struct chan_ent **pp, pid_t pid,
		  struct chan_info *ci)
{
	if (!pp)
		return -ENOENT;
	if (alive(t, *pp, pid) == 0) {
		unlink_ent(t, pp);
		return -ENOENT;
	}
	/* Alive, or unknown: keep the type (fail closed). */
	*ci = (*pp)->ci;
	return 0;
}

int chantab_lookup_path(struct chantab *t, pid_t pid, dev_t dev, ino_t ino,
			struct chan_info *ci)
{
	return settle(t, find_path(t, dev, ino), pid, ci);
}

int chantab_lookup_abstract(struct chantab *t, pid_t pid, uint64_t netns,
			    const char *name, size_t len, struct chan_info *ci)
{
	if (len == 0 || len > ABSTRACT_MAX)
		return -ENOENT;
	return settle(t, find_abstract(t, netns, name, len), pid, ci);
}

void chantab_retype(struct chantab *t, const uint32_t *remap, uint32_t n)
{
	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct chan_ent *e = t->buckets[i]; e; e = e->next) {
			uint32_t old = e->ci.type;

			/* type 0, untyped channels, stays 0 */
			if (old == 0 || old >= n || remap[old] == old)
				continue;
			count(t, &e->ci, -1);
			e->ci.type = remap[old];
			count(t, &e->ci, 1);
			store_put(t, e);
		}
}

size_t chantab_persist(struct chantab *t, int map_fd)
{
	struct spb_chan_key k, next, *prev = NULL;
	struct spb_chan_val v;
	size_t n = 0;

	t->store_fd = -1; /* loading must not write back */
	while (bpf_map_get_next_key(map_fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(map_fd, &k, &v) < 0)
			continue;
		struct chan_info ci = {
			.type = v.type,
			.owner = (pid_t)v.owner,
			.owner_start = v.owner_start,
			.sock_ino = v.sock_ino,
		};

		if (k.kind == 1 &&
		    chantab_add_path_ns(t, k.a, k.b, v.netns, &ci) == 0)
			n++;
		else if (k.kind == 2 && k.len && k.len <= ABSTRACT_MAX &&
			 chantab_add_abstract(t, k.a, (const char *)k.name,
					      k.len, &ci) == 0)
			n++;
	}
	t->store_fd = map_fd;
	return n;
}

/* Diag sockets pin their namespace: drop those no entry needs. */
static void prune_diag(struct chantab *t)
{
	for (size_t d = 0; d < t->ndiag;) {
		bool used = t->diag[d].netns == t->own_netns;

		for (size_t i = 0; !used && i < t->nbuckets; i++)
			for (struct chan_ent *e = t->buckets[i]; e && !used;
			     e = e->next)
				used = e->netns == t->diag[d].netns;
		if (used) {
			d++;
			continue;
		}
		close(t->diag[d].fd);
		t->diag[d] = t->diag[--t->ndiag];
	}
}

/* Checks the entries of the next buckets, at least budget entries (or
 * all of them), so that the daemon's loop never stalls on a big table.
 * Returns true when the sweep came round to the start again. */
static bool gc_some(struct chantab *t, size_t budget)
{
	size_t checked = 0;

	while (checked < budget) {
		struct chan_ent **pp;

		if (t->gc_bucket >= t->nbuckets) {
			t->gc_bucket = 0;
			prune_diag(t);
			return true;
		}
		pp = &t->buckets[t->gc_bucket++];
		while (*pp) {
			checked++;
			if (alive(t, *pp, 0) == 0) {
				unlink_ent(t, pp);
				continue;
			}
			pp = &(*pp)->next;
		}
	}
	return false;
}

size_t chantab_gc_step(struct chantab *t, size_t budget)
{
	gc_some(t, budget ? budget : 1);
	return t->count;
}

size_t chantab_gc(struct chantab *t)
{
	t->gc_bucket = 0;
	while (!gc_some(t, SIZE_MAX))
		;
	return t->count;
}
