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

void decide_namespace(struct call *c)
{
	bool setns = c->sc->nr == __NR_setns, clone = c->sc->nr == __NR_clone;
	uint64_t flags = c->req->data.args[setns ? 1 : 0];
	bool user = (flags & CLONE_NEWUSER) || (setns && flags == 0);

	/* A new mount namespace or file-system context changes the root
	 * and umask secpold knows of the process, a user namespace the
	 * meaning of its capabilities; a clone makes a new process, except
	 * for a thread with a file-system context of its own. */
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
