// SPDX-License-Identifier: BSD-2-Clause
/* The context of one supervised call: answers, checks, events, and the
 * caller's resources (see call.h). */
#include "call.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/util.h"
#include "pathres.h"
#include "policy/format.h"
#include "procmem.h"

void call_continue(struct call *c)
{
	c->resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	c->resp->error = 0;
	c->resp->val = 0;
}

void call_errno(struct call *c, int err)
{
	c->resp->flags = 0;
	c->resp->error = -err;
	c->resp->val = 0;
}

void call_result(struct call *c, int r)
{
	c->resp->flags = 0;
	c->resp->error = r < 0 ? r : 0;
	c->resp->val = 0;
}

bool call_still_valid(struct call *c)
{
	__u64 id = c->req->id;

	return ioctl(c->lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* ---- checks and their events ---------------------------------------- */

static void ability_event(struct call *c, uint16_t ability, bool allowed,
			  bool learned, bool has_value, uint64_t v,
			  const char *path)
{
	struct ev_what w = {
		.kind = EV_ABILITY,
		.ability = ability,
		.allowed = allowed,
		.obj_type = SPB_NO_TYPE,
		.lo = v,
		.hi = v,
		.path = path,
		.path_len = path ? strlen(path) : 0,
		/* what the process was answered: nothing refused when the
		 * type learns */
		.err = allowed || learned ? 0 : EPERM,
		.flags = (has_value ? EVF_VALUE : 0) |
			 (learned ? EVF_LEARNING : 0),
	};

	events_emit(c->d, &c->who, &w);
}

static bool check(struct call *c, uint16_t ability, bool has_value,
		  uint64_t v, const char *path)
{
	bool ok = has_value ? sp_policy_check(c->policy, c->type, c->dom,
					      ability, v, v) == SP_ALLOW :
			      sp_policy_has(c->policy, c->type, c->dom, ability);

	ability_event(c, ability, ok, !ok && c->learning, has_value, v, path);
	return ok || c->learning;
}

bool call_need(struct call *c, uint16_t ability)
{
	return check(c, ability, false, 0, NULL);
}

bool call_need_value(struct call *c, uint16_t ability, uint64_t v)
{
	return check(c, ability, true, v, NULL);
}

bool call_need_path(struct call *c, uint16_t ability, const char *path)
{
	return check(c, ability, false, 0, path);
}

bool call_lacks(struct call *c, uint16_t ability)
{
	ability_event(c, ability, false, c->learning, false, 0, NULL);
	return !c->learning;
}

void call_report_ability(struct call *c, uint16_t ability, bool allowed,
			 bool has_value, uint64_t v)
{
	ability_event(c, ability, allowed, false, has_value, v, NULL);
}

bool call_path(struct call *c, uint16_t kind, const char *path, size_t len,
	       enum ev_reason reason, uint32_t chan_type)
{
	bool ok = reason == EV_R_NONE, learned = !ok && c->learning;
	struct ev_what w = {
		.kind = kind,
		.allowed = ok,
		.reason = (uint8_t)reason,
		.obj_type = chan_type,
		.path = path,
		.path_len = len,
		.err = ok || learned ? 0 : EACCES,
		.flags = learned ? EVF_LEARNING : 0,
	};

	events_emit(c->d, &c->who, &w);
	return ok || learned;
}

void call_kernel_first(struct call *c)
{
	if (events_wanted(c->d))
		collector_drain(c->d->col);
}

int call_admit_channel(struct call *c, const char *path, size_t len)
{
	static uint64_t last_log; /* seconds; a rough rate limit */
	struct timespec ts;
	int r;

	daemon_lock(c->d);
	r = chantab_admit(c->d->chans, c->type, c->pid, c->start_ns);
	daemon_unlock(c->d);
	if (r == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if ((uint64_t)ts.tv_sec >= __atomic_load_n(&last_log, __ATOMIC_RELAXED) + 10) {
		__atomic_store_n(&last_log, (uint64_t)ts.tv_sec, __ATOMIC_RELAXED);
		log_warn(r == -ENOSPC ?
				 "the channel table is full: refusing binds of typed processes (process %d of type %u; see secpold -C)" :
				 "process %d (type %u) holds its share of the channel table: refusing its binds",
			 c->pid, c->type);
	}
	if (path) {
		struct ev_what w = {
			.kind = EV_ATTACH,
			.reason = EV_R_FULL,
			.obj_type = SPB_NO_TYPE,
			.path = path,
			.path_len = len,
			.err = ENOBUFS,
		};

		events_emit(c->d, &c->who, &w);
	}
	return -ENOBUFS;
}

/* ---- the caller's resources ----------------------------------------- */

int call_creds(struct call *c)
{
	int r;

	if (c->full)
		return 0;
	r = taskcache_creds(c->d->tasks, c->tid, c->gen, c->pid, c->start_ns,
			    &c->creds);
	if (r == 0)
		c->full = true;
	return r;
}

int call_take_fd(struct call *c, int fd)
{
	struct tc_ref *p;
	int r = taskcache_pidfd(c->d->tasks, c->tid, c->gen, c->pid, &p);

	if (r < 0)
		return r;
	r = (int)syscall(SYS_pidfd_getfd, tc_ref_fd(p), fd, 0);
	r = r < 0 ? -errno : r;
	taskcache_put(c->d->tasks, p);
	return r;
}

int call_from_open(struct call *c, int dirfd, const char **path,
		   struct pathres_from *f, struct tc_ref **root)
{
	const struct pathres_root *r;
	int ret;

	f->fd = f->start = -1;
	pathres_magic(c->pid, c->tid, &dirfd, path);
	ret = taskcache_root(c->d->tasks, c->tid, c->pid, c->start_ns, &r,
			     root);
	if (ret < 0)
		return ret;
	ret = pathres_from_open_in(r, c->tid,
				   dirfd == AT_FDCWD ? PATHRES_AT_FDCWD : dirfd,
				   *path, f);
	if (ret < 0) {
		taskcache_put(c->d->tasks, *root);
		*root = NULL;
	}
	return ret;
}

void call_from_close(struct call *c, struct pathres_from *f,
		     struct tc_ref *root)
{
	pathres_from_close(f);
	taskcache_put(c->d->tasks, root);
}

int call_read_str(struct call *c, uint64_t addr, char *buf, size_t len)
{
	ssize_t n;

	if (!addr)
		return -EFAULT;
	n = procmem_read_str(c->tid, addr, buf, len);
	return n < 0 ? (int)n : 0;
}

void call_close_later(struct call *c, int fd)
{
	if (fd < 0)
		return;
	if (!c->tail || c->tail->nfds == CALL_TAIL_FDS) {
		close(fd);
		return;
	}
	c->tail->fds[c->tail->nfds++] = fd;
}

void call_channel_later(struct call *c, int sock, dev_t dev, ino_t ino,
			const struct chan_info *ci)
{
	if (!c->tail)
		return;
	c->tail->channel = true;
	c->tail->chan_sock = sock;
	c->tail->dev = dev;
	c->tail->ino = ino;
	c->tail->ci = *ci;
}

void call_act_begin(struct call *c)
{
	collector_act_as(c->d->col, c->act_slot, c->pid, c->tid, c->type,
			 c->start_ns);
}

void call_act_end(struct call *c)
{
	collector_act_as(c->d->col, c->act_slot, 0, 0, 0, 0);
}
