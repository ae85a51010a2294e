// SPDX-License-Identifier: BSD-2-Clause
/*
 * What the observation programs saw, judged and turned into events: unix
 * binds, connects and addressed sends, symlinks, mknods and mounts of
 * processes without a type (judged
 * against the default type's rules, never enforced: the kernel already
 * did them), inet binds and connects of every process (-q), and signals
 * from one type to another (-u).
 *
 * A relative path is resolved against the process's working directory
 * (or the directory descriptor it gave) as /proc shows it when the event
 * is read, a moment after the call; when that cannot be read (the process
 * is gone), the path is reported as written and judged as such.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "daemon.h"
#include "observe.h"
#include "procfs.h"
#include "policy/ability.h"

/* From the record alone: the process may be gone already, and /proc
 * costs more than the event. */
static void actor_of(const struct spb_ev_hdr *h, uint32_t uid, uint32_t euid,
		     int syscall, struct ev_actor *a)
{
	memset(a, 0, sizeof(*a));
	a->tid = (pid_t)h->tid;
	a->pid = (pid_t)h->tgid;
	a->start_ns = h->start_ns;
	a->type = h->type;
	a->uid = uid;
	a->euid = euid;
	a->root = euid == 0;
	a->syscall = syscall;
}

/* An absolute path for what the process wrote: 0, or -1 if it stays as
 * written. */
static int absolute(pid_t pid, int dirfd, const char *path, char *out,
		    size_t len)
{
	char rel[32], dir[PATH_MAX];
	ssize_t n;

	if (path[0] == '/') {
		snprintf(out, len, "%s", path);
		return 0;
	}
	if (dirfd == AT_FDCWD)
		snprintf(rel, sizeof(rel), "cwd");
	else
		snprintf(rel, sizeof(rel), "fd/%d", dirfd);
	n = procfs_readlink(pid, rel, dir, sizeof(dir));
	if (n <= 0 || dir[0] != '/' ||
	    snprintf(out, len, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "",
		     path) >= (int)len) {
		snprintf(out, len, "%s", path);
		return -1;
	}
	return 0;
}

/* A unix address as a path ("@name" for an abstract one); false for an
 * autobind or nothing. */
static bool unix_name(const struct spb_obs *o, char *out, size_t len,
		      size_t *outlen, bool *abstract)
{
	const uint8_t *p = o->addr + offsetof(struct sockaddr_un, sun_path);
	size_t n = o->len > offsetof(struct sockaddr_un, sun_path) ?
			   o->len - offsetof(struct sockaddr_un, sun_path) :
			   0;

	if (n == 0 || len < n + 2)
		return false;
	*abstract = p[0] == '\0';
	if (*abstract) {
		out[0] = '@';
		memcpy(out + 1, p + 1, n - 1);
		*outlen = n;
		return true;
	}
	n = strnlen((const char *)p, n);
	memcpy(out, p, n);
	out[n] = '\0';
	*outlen = n;
	return n > 0;
}

static void on_unix(struct daemon *d, const struct spb_ev_obs *r,
		    const struct sp_policy *p, struct ev_actor *a)
{
	char raw[SPB_ADDR_LEN + 2], path[PATH_MAX];
	struct ev_what w = {.flags = EVF_OBSERVED, .obj_type = SPB_NO_TYPE,
			    .comm = r->comm, .comm_len = SPB_COMM_LEN};
	struct chan_info ci;
	size_t len;
	bool abstract;

	if (!unix_name(&r->o, raw, sizeof(raw), &len, &abstract))
		return;
	if (abstract) {
		memcpy(path, raw, len);
	} else {
		absolute(a->pid, AT_FDCWD, raw, path, sizeof(path));
		len = strlen(path);
	}
	if (r->o.op == SPB_OP_BIND) {
		uint32_t chan = 0;
		enum sp_path_result pr =
			sp_policy_check_attach(p, 0, path, 0, &chan);

		w.kind = EV_ATTACH;
		w.allowed = pr == SP_PATH_OK;
		w.reason = (uint8_t)pr; /* the same numbers (event.h) */
		w.obj_type = 0;
		w.path = path;
		w.path_len = len;
		return events_emit(d, a, &w);
	}
	/* a connect or an addressed send: to a typed process's channel it
	 * needs channel_connect for that type (untyped channels are free) */
	daemon_lock(d);
	if (abstract) {
		struct stat st;
		int found = procfs_stat(a->pid, "ns/net", &st) == 0 &&
			chantab_lookup_abstract(d->chans, a->pid, st.st_ino,
						path + 1, len - 1, &ci) == 0;
		daemon_unlock(d);
		if (!found)
			return;
	} else {
		struct stat st;
		int found = stat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
			    chantab_lookup_path(d->chans, a->pid, st.st_dev,
						st.st_ino, &ci) == 0;

		daemon_unlock(d);
		if (!found)
			return;
	}
	if (ci.type == 0)
		return;
	w.kind = EV_ABILITY;
	w.ability = AB_CHANNEL_CONNECT;
	w.flags |= EVF_VALUE;
	w.lo = w.hi = ci.type;
	w.allowed = sp_policy_check_connect(p, 0, a->root ? SP_ROOT : SP_NONROOT,
					    ci.type) == SP_ALLOW;
	events_emit(d, a, &w);
}

static void on_path(struct daemon *d, const struct spb_ev_obs *r,
		    const struct sp_policy *p, struct ev_actor *a)
{
	char raw[SPB_OBS_PATH_LEN + 1], path[PATH_MAX];
	struct ev_what w = {.flags = EVF_OBSERVED, .obj_type = SPB_NO_TYPE,
			    .comm = r->comm, .comm_len = SPB_COMM_LEN};
	enum sp_path_result pr;
	uint32_t chan = 0;

	memcpy(raw, r->o.path, SPB_OBS_PATH_LEN);
	raw[SPB_OBS_PATH_LEN] = '\0';
	absolute(a->pid, r->o.dirfd, raw, path, sizeof(path));
	if (r->o.op == SPB_OP_SYMLINK) {
		w.kind = EV_LINK;
		pr = sp_policy_check_link(p, 0, path);
	} else {
		w.kind = EV_ATTACH;
		w.obj_type = 0;
		pr = sp_policy_check_attach(p, 0, path, 0, &chan);
	}
	w.allowed = pr == SP_PATH_OK;
	w.reason = (uint8_t)pr; /* the same numbers (event.h) */
	w.path = path;
	w.path_len = strlen(path);
	events_emit(d, a, &w);
}

void observe_net(struct daemon *d, const struct ev_actor *a, const void *sa,
		 size_t len, int ret, const char *comm)
{
	struct ev_what w = {.kind = EV_NET, .obj_type = SPB_NO_TYPE,
			    .comm = comm, .comm_len = SPB_COMM_LEN};
	char text[INET6_ADDRSTRLEN + 2];
	uint16_t family, port;

	if (len < sizeof(family))
		return;
	memcpy(&family, sa, sizeof(family));
	if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in sin;

		memcpy(&sin, sa, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
		port = ntohs(sin.sin_port);
	} else if (family == AF_INET6 &&
		   len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 sin6;

		memcpy(&sin6, sa, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
		port = ntohs(sin6.sin6_port);
	} else {
		return;
	}
	/* a non-blocking connect in progress is a connection made */
	w.allowed = ret == 0 ||
		    (a->syscall == __NR_connect && ret == -EINPROGRESS);
	w.err = w.allowed ? 0 : -ret;
	w.flags = comm ? EVF_OBSERVED : 0;
	w.lo = port;
	w.hi = family;
	w.path = text;
	w.path_len = strlen(text);
	events_emit(d, a, &w);
}

void observe_on_obs(struct daemon *d, const struct spb_ev_obs *r)
{
	const struct sp_policy *p;
	struct ev_actor a;
	uint16_t family;
	bool addr = r->o.op == SPB_OP_BIND || r->o.op == SPB_OP_CONNECT ||
		    r->o.op == SPB_OP_SENDTO;
	int nr = r->o.op == SPB_OP_BIND    ? __NR_bind :
		 r->o.op == SPB_OP_CONNECT ? __NR_connect :
		 r->o.op == SPB_OP_SENDTO  ? __NR_sendto :
		 r->o.op == SPB_OP_SYMLINK ? __NR_symlinkat :
		 r->o.op == SPB_OP_MOUNT   ? __NR_mount :
					     __NR_mknodat;

	if (!events_wanted(d))
		return;
	actor_of(&r->h, r->uid, r->euid, nr, &a);
	a.gid = r->gid;
	a.egid = r->egid;
	memcpy(&family, r->o.addr, sizeof(family));
	if (addr && family != AF_UNIX)
		return observe_net(d, &a, r->o.addr, r->o.len, r->ret, r->comm);
	/* what the kernel refused made nothing: not a path-space event */
	if (r->ret < 0 || (r->flags & SPB_CAP_TYPED))
		return;
	p = daemon_policy_get(d);
	if (!p)
		return;
	if (addr)
		on_unix(d, r, p, &a);
	else
		on_path(d, r, p, &a);
	daemon_policy_put(d, p);
}

void observe_on_sig(struct daemon *d, const struct spb_ev_sig *r)
{
	struct ev_what w = {.kind = EV_SIGNAL, .comm = r->comm,
			    .comm_len = SPB_COMM_LEN};
	char name[EV_NAME_MAX + 1];
	struct ev_actor a;
	size_t n;

	if (!events_wanted(d))
		return;
	actor_of(&r->h, r->euid, r->euid, -1, &a);
	daemon_lock(d);
	n = procinfo_name(d->procs, (pid_t)r->to_tgid, r->to_start_ns, "",
			  name, sizeof(name));
	daemon_unlock(d);
	if (!n) {
		n = strnlen(r->to_comm, sizeof(r->to_comm));
		memcpy(name, r->to_comm, n);
	}
	w.allowed = true;
	w.lo = (uint64_t)r->sig;
	w.hi = r->to_tgid;
	w.obj_type = r->to_type;
	w.path = name;
	w.path_len = n;
	events_emit(d, &a, &w);
}
