/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What `on -T` does to the process it starts under a type: the seccomp
 * filter that hands its path-space and channel operations to secpold,
 * and the capability sets of its type.
 */
#ifndef SECPOL_LAUNCH_H
#define SECPOL_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Installs the supervision filter on the calling thread (and its future
 * children): the system calls of SPEC §2 go to secpold (user notification),
 * system calls of other architectures too, the rest run as usual.  Needs
 * no_new_privs or CAP_SYS_ADMIN.  Returns the listener descriptor or
 * -errno (-EBUSY: this process already has a listener in its chain).
 * limits: the policy limits processes of some type: every fork, vfork
 * and clone goes to secpold too (CTL_AR_LIMITS).
 */
int launch_install_filter(bool limits);
/* The supervised system calls (for documentation and tests). */
const char *const *launch_supervised_syscalls(void);
/*
 * Is ia32 system call nr with these arguments one that the filter would
 * hand to secpold as a native call (bind, connect through socketcall,
 * mount, set*id, a user namespace...)?  secpold decides native calls
 * only, so these are refused even to a type with compat_syscalls.
 */
bool launch_compat_supervised(int nr, const uint64_t args[6]);

/*
 * The Landlock domain of a typed process (landlock.c).  secpold sends the
 * type's file-system rules with the assignment; from them `on` builds an
 * allow list over directories (Landlock knows no names):
 *  - make rights (sockets, FIFOs and devices for attach rules, symbolic
 *    links for link rules) only on D of a rule `D/...`, which allows
 *    every name below D; exact and pattern rules grant none (secpold
 *    makes the node at an allowed name, and the process cannot rename or
 *    link one into that directory itself);
 *  - protected: every rule directory (sp_path_rule_dir) with its subtree,
 *    and every ancestor of one, by canonical path.  REFER (moving across
 *    directories) is granted only on the directories that are children
 *    of a protected ancestor and not protected themselves, so nothing
 *    leaves a rule directory and no rule directory or ancestor moves;
 *  - REMOVE_DIR (rmdir, and renaming a directory even within its parent)
 *    nowhere in an ancestor, nor below a rule directory whose pattern
 *    spans directories: a rule directory keeps its name, and no other
 *    directory can be renamed into the name of one.
 * A type without file-system rules keeps REFER and REMOVE_DIR on "/".
 */
enum launch_rule_kind { LAUNCH_ATTACH = 1, LAUNCH_LINK = 2 };
enum launch_rule_shape { LAUNCH_EXACT = 0, LAUNCH_PATTERN = 1, LAUNCH_PREFIX = 2 };

struct launch_rule {
	uint8_t kind;  /* enum launch_rule_kind */
	uint8_t shape; /* enum launch_rule_shape */
	const char *path; /* as written: "/run/app/...", "/run/app-?" */
};

/* At most this many rules (more makes `on` refuse to start the command). */
#define LAUNCH_MAX_RULES 65536

/* Rules decoded from secpold's list (struct ctl_fs_rule records). */
struct launch_rules {
	struct launch_rule *v;
	size_t n;
	char *text; /* the paths, NUL-terminated */
};

/*
 * Decodes n records of buf (len bytes): each absolute, without NUL, of a
 * known kind and shape, and nothing left over.  0, -EPROTO for a malformed
 * list, -E2BIG for more than LAUNCH_MAX_RULES, or -ENOMEM.
 */
int launch_rules_decode(const void *buf, size_t len, size_t n,
			struct launch_rules *out);
void launch_rules_free(struct launch_rules *r);

/* What the file system looks like (real one: landlock.c; tests: fakes). */
struct launch_fs {
	/*
	 * The canonical form of absolute directory dir: its longest existing
	 * prefix with symbolic links resolved (realpath(3)), the rest as
	 * written; *exists says whether all of it exists.  0 or -errno.
	 */
	int (*resolve)(void *ctx, const char *dir, char **canon, bool *exists);
	/*
	 * The real directories (not symbolic links) directly in dir, by
	 * name; none for a directory that cannot be read.  0 or -errno.
	 */
	int (*list)(void *ctx, const char *dir, char ***names, size_t *n);
	void *ctx;
};

struct launch_grant {
	char *path;      /* canonical */
	uint64_t access; /* LANDLOCK_ACCESS_FS_* */
	bool rule_dir;   /* a rule directory itself (not a neighbour) */
};

struct launch_plan {
	struct launch_grant *grants; /* sorted by path, one per path */
	size_t ngrants;
	char **ancestors; /* protected: ancestors of rule directories */
	size_t nancestors;
	char **rule_dirs; /* protected with everything below */
	size_t nrule_dirs;
};

/* The access rights the domain handles. */
uint64_t launch_handled_access(void);
/*
 * Computes the grants for rules (see above).  0 or -errno, with what
 * failed in why.
 */
int launch_plan_build(const struct launch_rule *rules, size_t n,
		      const struct launch_fs *fs, struct launch_plan *out,
		      char *why, size_t whylen);
void launch_plan_free(struct launch_plan *p);

/*
 * Builds the Landlock ruleset for rules on the real file system, as the
 * caller (do it before changing user: the lists are read with its
 * rights).  *ruleset gets the descriptor, *nrules (if not NULL) how many
 * Landlock rules it holds.  0, -EOPNOTSUPP without Landlock (version 2
 * or later), or -errno with what failed in why.
 */
int launch_confine_prepare(const struct launch_rule *rules, size_t n,
			   int *ruleset, size_t *nrules, char *why,
			   size_t whylen);
/*
 * Confines the calling thread (and what it starts) with the ruleset, and
 * closes it: sets no_new_privs.  A domain also keeps the process from
 * tracing processes outside it.  0 or -errno.
 */
int launch_confine_apply(int ruleset);

struct launch_caps {
	uint64_t caps;      /* the capabilities of the type in this domain */
	bool lock_keepcaps; /* forbid keeping capabilities across setuid */
};

/*
 * Gives the calling process exactly caps (SPEC §2): bounding set,
 * permitted, effective, inheritable and ambient (so they survive exec,
 * as root or not), with securebits that keep root from regaining more
 * (NOROOT, locked).  The caller must hold CAP_SETPCAP.  0 or -errno.
 */
int launch_set_caps(const struct launch_caps *c);
/* For a process that already has a type: only drops (a typed process can
 * never gain).  Returns 0, or -EPERM if caps holds capabilities the
 * process lacks (they were not gained; the rest was applied). */
int launch_reduce_caps(uint64_t caps, uint64_t *missing);
/* Capabilities the running kernel knows (last + 1). */
int launch_cap_count(void);

#endif
