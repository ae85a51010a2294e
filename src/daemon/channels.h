/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The channel table: which type every AF_UNIX socket bound by a typed
 * process has (SPEC §2), so that a connect knows the type of the channel
 * it reaches.  Entries are keyed by what a connecting process can name
 * (the socket file's device and inode, or the abstract name in a network
 * namespace) and remember the socket's own inode.  A lookup checks with
 * sock_diag that this very socket is still alive and still bound there,
 * so a reused path or inode never inherits a stale type: sockets that are
 * not in the table (bound by untyped processes) are type 0.
 */
#ifndef SECPOL_CHANNELS_H
#define SECPOL_CHANNELS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct chantab;

struct chan_info {
	uint32_t type;
	pid_t owner;         /* the process that bound it */
	uint64_t owner_start; /* its start time (pid reuse) */
	uint64_t sock_ino;
};

/* The network namespace (inode of its ns file) a socket lives in, or 0. */
uint64_t sock_netns(int fd);
/* A SOL_SOCKET option of int size (SO_DOMAIN, SO_TYPE, ...), or -errno. */
int sock_int_opt(int sock, int opt);

struct chantab *chantab_new(void);
void chantab_free(struct chantab *t);

/* Records a socket bound at a path (dev/ino of the socket file) or an
 * abstract name in network namespace netns (the inode of its ns file);
 * name is every byte after sun_path's leading NUL, len 1..107.
 * An existing entry for the same key is replaced.  0 or -ENOMEM. */
int chantab_add_path(struct chantab *t, dev_t dev, ino_t ino,
		     const struct chan_info *ci);
int chantab_add_abstract(struct chantab *t, uint64_t netns, const char *name,
			 size_t len, const struct chan_info *ci);
/* The same for a path socket whose network namespace (inode) is known,
 * e.g. from the socket itself: no query needed to learn it. */
int chantab_add_path_ns(struct chantab *t, dev_t dev, ino_t ino,
			uint64_t netns, const struct chan_info *ci);

/* Records a path socket before its own inode and namespace are known
 * (in memory only: chantab_add_path_ns completes it), so that a connect
 * finds its type at once: a lookup meanwhile keeps it (fails closed). */
int chantab_reserve_path(struct chantab *t, dev_t dev, ino_t ino,
			 const struct chan_info *ci);

/*
 * The channel at a socket file / abstract name: 0 and *ci filled if the
 * socket recorded there is still alive and bound at that place; -ENOENT
 * otherwise (an untyped channel: type 0).  pid names the connecting
 * process: the check runs in its network namespace (for a path socket, in
 * the one that holds the socket, learnt when it was added: path sockets
 * are reachable across namespaces).  Stale entries found on the way are
 * removed; when liveness cannot be established the entry is kept (0).
 */
int chantab_lookup_path(struct chantab *t, pid_t pid, dev_t dev, ino_t ino,
			struct chan_info *ci);
int chantab_lookup_abstract(struct chantab *t, pid_t pid, uint64_t netns,
			    const char *name, size_t len, struct chan_info *ci);
/*
 * Keeps a copy of the table in a BPF hash map (struct spb_chan_key ->
 * struct spb_chan_val, pinned by the collector) from now on, after
 * loading what it already holds: a restarted secpold knows the channels
 * bound before it (stale ones are found by lookups and gc as usual).
 * Returns how many entries were loaded.
 */
size_t chantab_persist(struct chantab *t, int map_fd);

/*
 * The table holds at most max channels (its pinned copy has that room),
 * a type at most max / 4 and a process at most per_process, so that one
 * type or process filling it cannot stop the others from binding.
 * chantab_admit says whether one more channel of type, bound by owner,
 * may be recorded: 0, -ENOSPC (the table is full) or -EDQUOT (the type's
 * or the process's share is).  A channel that cannot be recorded must not
 * be bound: it would be untyped (free to reach), and stay so after a
 * restart.
 */
void chantab_set_capacity(struct chantab *t, size_t max, size_t per_process);
int chantab_admit(struct chantab *t, uint32_t type, pid_t owner,
		  uint64_t owner_start);

/* A new policy numbers types anew: remap[old] is each type's new ID
 * (n of them; a type beyond n, or SPB_TYPE_GONE, keeps that). */
void chantab_retype(struct chantab *t, const uint32_t *remap, uint32_t n);

/* Drops entries whose socket is gone; returns how many remain. */
size_t chantab_gc(struct chantab *t);
/* The same, a little at a time: checks about budget entries from where
 * the last step stopped. */
size_t chantab_gc_step(struct chantab *t, size_t budget);
size_t chantab_size(const struct chantab *t);

#endif
