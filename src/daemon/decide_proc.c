// SPDX-License-Identifier: BSD-2-Clause
/*
 * Decisions on what a process may do to its own confinement: the side
 * doors that would bypass per-call supervision (io_uring, the new mount
 * API, userfaultfd, system calls of another architecture), user
 * namespaces (in one of its own a process holds every capability over its
 * own namespaces), and the calls that move its root or its file-system
 * context, which secpold only takes note of.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "call.h"
#include "common/log.h"
#include "launch/launch.h"
#include "policy/ability.h"

/* A call that needs one ability and is otherwise the kernel's. */
static void side_door(struct call *c, uint16_t ability, int err)
{
	if (!call_need(c, ability))
		return call_errno(c, err);
	call_continue(c);
}

void decide_fs_change(struct call *c)
{
	/* chroot, pivot_root: what secpold knows of the root is stale */
	taskcache_uncached(c->d->tasks, c->pid, c->start_ns);
	call_continue(c);
}

bool over_limit(struct call *c)
{
	static uint64_t last_log; /* seconds: a rough rate limit */
	uint64_t limit = sp_policy_type_limit(c->policy, c->type,
					      SP_LIMIT_PROCESSES);
	uint32_t now;
	struct timespec ts;

	if (!limit)
		return false;
	now = collector_type_tasks(c->d->col, c->type);
	if (now < limit)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if ((uint64_t)ts.tv_sec >= __atomic_load_n(&last_log, __ATOMIC_RELAXED) + 10) {
		__atomic_store_n(&last_log, (uint64_t)ts.tv_sec, __ATOMIC_RELAXED);
		log_warn("type %s has %u tasks, its limit is %llu: refusing new ones (process %d)",
			 sp_policy_type_name(c->policy, c->type), now,
			 (unsigned long long)limit, c->pid);
	}
	call_errno(c, EAGAIN);
	return true;
}

void decide_fork(struct call *c)
{
	if (!over_limit(c))
		call_continue(c);
}

void decide_namespace(struct call *c)
{
	bool setns = c->sc->nr == __NR_setns, clone = c->sc->nr == __NR_clone;
	uint64_t flags = c->req->data.args[setns ? 1 : 0];
	bool user = (flags & CLONE_NEWUSER) || (setns && flags == 0);

	/* A new mount namespace or file-system context changes the root
	 * and umask secpold knows of the process, a user namespace the
	 * meaning of its capabilities; a clone makes a new process, except
	 * for a thread with a file-system context of its own. */
	if (clone && over_limit(c))
		return;
	if (clone) {
		if ((flags & CLONE_THREAD) && !(flags & CLONE_FS))
			taskcache_uncached(c->d->tasks, c->pid, c->start_ns);
	} else {
		taskcache_uncached(c->d->tasks, c->pid, c->start_ns);
		taskcache_forget_creds(c->d->tasks, c->tid);
	}
	if (!user)
		return call_continue(c);
	side_door(c, CAP_SYS_ADMIN, EPERM);
}

/* Is pid secpold, one of its threads, or (negative) its process group? */
static bool is_secpold(pid_t who)
{
	pid_t tgid, ppid, me = getpid();
	uint64_t start;

	if (who == 0)
		return false;
	if (who < 0)
		return -who == getpgid(0) || -who == me;
	return who == me || (procfs_task_ids(who, &tgid, &ppid, &start) == 0 &&
			     tgid == me);
}

/*
 * The owner of a descriptor's I/O signals (fcntl F_SETOWN, F_SETOWN_EX,
 * ioctl FIOSETOWN, SIOCSPGRP).  A process with euid 0 may make anyone the
 * owner and have any signal sent to it (F_SETSIG), without CAP_KILL: a
 * typed root process could stop secpold, and with it every typed process.
 * F_SETOWN's owner is a register, checked; the others keep it in memory,
 * where another thread could change it after our check: refused unless
 * the type may signal anyone anyway (kill).
 */
void decide_signal_owner(struct call *c)
{
	bool in_register = c->sc->nr == __NR_fcntl && c->req->data.args[1] == 8;

	if (in_register) {
		if (!is_secpold((pid_t)(int)c->req->data.args[2]))
			return call_continue(c);
		log_warn("refused process %d (type %u) making secpold the owner of a descriptor's signals",
			 c->pid, c->type);
		return call_errno(c, EPERM);
	}
	if (sp_policy_has(c->policy, c->type, c->dom, CAP_KILL))
		return call_continue(c);
	log_info("refused %s of %d: a signal owner in memory cannot be checked (the type lacks kill)",
		 c->sc->nr == __NR_fcntl ? "fcntl F_SETOWN_EX" : "ioctl FIOSETOWN/SIOCSPGRP",
		 c->pid);
	call_errno(c, EPERM);
}

void decide_io_uring(struct call *c)
{
	side_door(c, AB_IO_URING, EPERM);
}

void decide_userfaultfd(struct call *c)
{
	/* a fault it serves itself could hold secpold while it reads a
	 * system call argument from that memory */
	log_info("refused userfaultfd to %d: it cannot be supervised", c->pid);
	call_errno(c, EPERM);
}

void decide_mount_api(struct call *c)
{
	/* ENOSYS: programs fall back to mount(2), which we supervise */
	side_door(c, AB_MOUNT_API, ENOSYS);
}

void decide_compat(struct call *c)
{
	/* what secpold knows of a process that makes calls of another
	 * architecture may be changed by them behind its back */
	taskcache_uncached(c->d->tasks, c->pid, c->start_ns);
	/* compat_syscalls opens the other ABI, not a way around the calls
	 * decided here (only native ones are) */
	if (sp_policy_has(c->policy, c->type, c->dom, AB_COMPAT_SYSCALLS) &&
	    launch_compat_supervised(c->req->data.nr,
				     (const uint64_t *)c->req->data.args)) {
		log_info("refused ia32 system call %d of %d: supervised calls are decided for x86-64 only",
			 c->req->data.nr, c->pid);
		return call_errno(c, ENOSYS);
	}
	side_door(c, AB_COMPAT_SYSCALLS, ENOSYS);
}
