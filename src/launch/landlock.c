// SPDX-License-Identifier: BSD-2-Clause
/*
 * The Landlock domain of a typed process.  secpold decides where the
 * process attaches channels and links, but a node it has made can still be
 * renamed or hard-linked elsewhere by the process itself, which no seccomp
 * decision could follow race-free (the name can be swapped after a check).
 * Landlock checks the right to make a socket, FIFO, device or symbolic
 * link at the destination of every rename and link, in the kernel: the
 * process may make them only below its rule directories.  Its own binds,
 * mknods and symlinks are performed by secpold, outside the domain.
 *
 * A domain also keeps the process from tracing (or reading the memory of)
 * anything outside it: secpold, `on`, untyped services.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "launch.h"

#define MAKE_NODE                                                              \
	(LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |         \
	 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK)

/*
 * Opens dir, or the nearest ancestor that exists (a rule may name a
 * directory not made yet: what it will hold lies below the ancestor).
 */
static int open_dir_or_ancestor(const char *dir)
{
	char path[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(path) || dir[0] != '/')
		return -EINVAL;
	memcpy(path, dir, n + 1);
	for (;;) {
		int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		char *slash;

		if (fd >= 0)
			return fd;
		/* (one it cannot reach, it cannot make anything in) */
		if ((errno != ENOENT && errno != ENOTDIR && errno != EACCES) ||
		    !strcmp(path, "/"))
			return -errno;
		slash = strrchr(path, '/');
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

static int add_rule(int ruleset, const char *dir, __u64 access)
{
	struct landlock_path_beneath_attr pb = {.allowed_access = access};
	int r;

	pb.parent_fd = open_dir_or_ancestor(dir);
	if (pb.parent_fd < 0)
		return pb.parent_fd;
	r = (int)syscall(SYS_landlock_add_rule, ruleset,
			 LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	r = r < 0 ? -errno : 0;
	close(pb.parent_fd);
	return r;
}

int launch_confine(const struct launch_confine *c)
{
	struct landlock_ruleset_attr ra = {
		.handled_access_fs = MAKE_NODE | LANDLOCK_ACCESS_FS_MAKE_SYM |
				     LANDLOCK_ACCESS_FS_REFER,
	};
	_cleanup_close_ int ruleset = -1;
	int abi, r = 0;
	size_t i;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);
	/* Version 1 forbids every rename across directories. */
	if (abi < 2)
		return -EOPNOTSUPP;
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	if (ruleset < 0)
		return -errno;
	/* Moving files between directories stays allowed everywhere; what
	 * is moved must find its own make right at the destination. */
	r = add_rule(ruleset, "/", LANDLOCK_ACCESS_FS_REFER);
	for (i = 0; r == 0 && i < c->nattach; i++)
		r = add_rule(ruleset, c->attach_dirs[i], MAKE_NODE);
	for (i = 0; r == 0 && i < c->nlink; i++)
		r = add_rule(ruleset, c->link_dirs[i],
			     LANDLOCK_ACCESS_FS_MAKE_SYM);
	if (r < 0)
		return r;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return -errno;
	return 0;
}
