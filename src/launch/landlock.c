// SPDX-License-Identifier: BSD-2-Clause
/*
 * The Landlock domain of a typed process.  secpold decides where the
 * process attaches channels and links, and makes them itself; but the
 * process could rename or hard-link what was made, which no seccomp
 * decision could follow race-free (the name can be swapped after a
 * check).  Landlock checks renames and links in the kernel, by directory
 * inode: see launch.h for the allow list built here, and docs/design.md
 * ("What the process itself can still move").
 *
 * In two parts: the plan (which directory gets which right) is computed
 * from the rules and a view of the file system given as callbacks, so it
 * can be tested with fakes; launch_confine_prepare() runs it on the real
 * file system and adds the rules, checking each directory it opens.
 *
 * A domain also keeps the process from tracing (or reading the memory of)
 * anything outside it: secpold, `on`, untyped services.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/util.h"
#include "ctl/proto.h"
#include "launch.h"
#include "policy/format.h"
#include "policy/policy.h"

#define MAKE_NODE                                                              \
	(LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |         \
	 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_BLOCK)
#define MAKE_SYM LANDLOCK_ACCESS_FS_MAKE_SYM
#define REFER LANDLOCK_ACCESS_FS_REFER
#define REMOVE_DIR LANDLOCK_ACCESS_FS_REMOVE_DIR

uint64_t launch_handled_access(void)
{
	return MAKE_NODE | MAKE_SYM | REFER | REMOVE_DIR;
}

static void set_why(char *why, size_t whylen, const char *fmt, ...)
	ATTR_PRINTF(3, 4);

static void set_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!why || !whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------
 * The rule list secpold sends
 */

int launch_rules_decode(const void *buf, size_t len, size_t n,
			struct launch_rules *out)
{
	const unsigned char *p = buf;
	size_t off = 0, toff = 0, i;

	memset(out, 0, sizeof(*out));
	if (n > LAUNCH_MAX_RULES)
		return -E2BIG;
	if (len > (size_t)LAUNCH_MAX_RULES * (sizeof(struct ctl_fs_rule) + SPB_MAX_PATH))
		return -EPROTO;
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	/* every path gets a NUL instead of its record header: fits in len */
	out->text = malloc(len ? len : 1);
	if (!out->v || !out->text) {
		launch_rules_free(out);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct ctl_fs_rule h;

		if (len - off < sizeof(h))
			goto bad;
		memcpy(&h, p + off, sizeof(h));
		off += sizeof(h);
		if (h.len == 0 || h.len > SPB_MAX_PATH || h.len > len - off ||
		    p[off] != '/' || memchr(p + off, '\0', h.len) ||
		    (h.kind != CTL_FR_ATTACH && h.kind != CTL_FR_LINK) ||
		    (h.shape != CTL_FR_EXACT && h.shape != CTL_FR_PATTERN &&
		     h.shape != CTL_FR_PREFIX))
			goto bad;
		memcpy(out->text + toff, p + off, h.len);
		out->text[toff + h.len] = '\0';
		out->v[i] = (struct launch_rule){
			.kind = h.kind == CTL_FR_ATTACH ? LAUNCH_ATTACH : LAUNCH_LINK,
			.shape = h.shape == CTL_FR_PREFIX    ? LAUNCH_PREFIX :
				 h.shape == CTL_FR_PATTERN ? LAUNCH_PATTERN :
							     LAUNCH_EXACT,
			.path = out->text + toff,
		};
		off += h.len;
		toff += h.len + 1;
	}
	if (off != len)
		goto bad;
	out->n = n;
	return 0;
bad:
	launch_rules_free(out);
	return -EPROTO;
}

void launch_rules_free(struct launch_rules *r)
{
	free(r->v);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/* ---------------------------------------------------------------------
 * The plan
 */

/* Is path dir itself or below it? */
static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1) /* "/" */
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool in_sorted(char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), cmp_str);
}

/* A growing array of owned strings. */
struct strv {
	char **v;
	size_t n, cap;
};

static int strv_add(struct strv *sv, char *s)
{
	if (!s)
		return -ENOMEM;
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		char **v = realloc(sv->v, cap * sizeof(*v));

		if (!v) {
			free(s);
			return -ENOMEM;
		}
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	return 0;
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* Sorts and drops duplicates. */
static void strv_uniq(struct strv *sv)
{
	size_t i, k = 0;

	if (sv->n)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
	for (i = 0; i < sv->n; i++) {
		if (k && !strcmp(sv->v[k - 1], sv->v[i]))
			free(sv->v[i]);
		else
			sv->v[k++] = sv->v[i];
	}
	sv->n = k;
}

/* A rule directory, canonical, with what its rules need. */
struct rdir {
	char *path;
	bool exists;
	bool deep;     /* a pattern spans directories below it */
	uint64_t make; /* make rights of its `D/...` rules */
};

struct planner {
	const struct launch_fs *fs;
	struct rdir *r;
	size_t nr;
	struct strv anc;                   /* every ancestor of a rule dir */
	struct launch_grant *g;
	size_t ng, gcap;
	char *why;
	size_t whylen;
};

static int add_grant(struct planner *pl, const char *path, uint64_t access,
		     bool rule_dir)
{
	if (!access)
		return 0;
	if (pl->ng == pl->gcap) {
		size_t cap = pl->gcap ? pl->gcap * 2 : 32;
		struct launch_grant *g = realloc(pl->g, cap * sizeof(*g));

		if (!g)
			return -ENOMEM;
		pl->g = g;
		pl->gcap = cap;
	}
	pl->g[pl->ng].path = strdup(path);
	if (!pl->g[pl->ng].path)
		return -ENOMEM;
	pl->g[pl->ng].access = access;
	pl->g[pl->ng].rule_dir = rule_dir;
	pl->ng++;
	return 0;
}

static int cmp_grant(const void *a, const void *b)
{
	return strcmp(((const struct launch_grant *)a)->path,
		      ((const struct launch_grant *)b)->path);
}

/* One grant per path: the rights of all of them. */
static void merge_grants(struct planner *pl)
{
	size_t i, k = 0;

	if (pl->ng)
		qsort(pl->g, pl->ng, sizeof(*pl->g), cmp_grant);
	for (i = 0; i < pl->ng; i++) {
		if (k && !strcmp(pl->g[k - 1].path, pl->g[i].path)) {
			pl->g[k - 1].access |= pl->g[i].access;
			pl->g[k - 1].rule_dir |= pl->g[i].rule_dir;
			free(pl->g[i].path);
		} else {
			pl->g[k++] = pl->g[i];
		}
	}
	pl->ng = k;
}

/* Is path below (or at) a rule directory (a deep-pattern one)? */
static bool in_rule_tree(const struct planner *pl, const char *path,
			 bool deep_only)
{
	size_t i;

	for (i = 0; i < pl->nr; i++)
		if ((!deep_only || pl->r[i].deep) && under(path, pl->r[i].path))
			return true;
	return false;
}

static bool is_rule_dir(const struct planner *pl, const char *path)
{
	size_t i;

	for (i = 0; i < pl->nr; i++)
		if (!strcmp(pl->r[i].path, path))
			return true;
	return false;
}

/* Does a pattern rule match across directories below its directory
 * ("/a/b*" + "/c")?  Renaming a directory there renames what it holds. */
static bool pattern_is_deep(const char *written)
{
	const char *pat = strpbrk(written, "*?[\\");

	return pat && strchr(pat, '/');
}

/* The written directory of each rule of one kind that has a `D/...`,
 * sorted: a rule below one of them adds nothing to protect. */
static int prefix_dirs(const struct launch_rule *rules, size_t n,
		       uint8_t kind, struct strv *out)
{
	char dir[SPB_MAX_PATH + 1];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (rules[i].kind != kind || rules[i].shape != LAUNCH_PREFIX ||
		    rules[i].path[0] == '@')
			continue;
		if (sp_path_rule_dir(rules[i].path, SPB_R_PREFIX, dir,
				     sizeof(dir)) < 0)
			return -EINVAL;
		r = strv_add(out, strdup(dir));
		if (r < 0)
			return r;
	}
	strv_uniq(out);
	return 0;
}

/* Is dir (written) below a prefix directory other than itself, or at
 * one when the rule is not that prefix rule itself? */
static bool subsumed(const struct strv *pd, const char *dir, bool is_prefix)
{
	char buf[SPB_MAX_PATH + 1];
	size_t n = strlen(dir);

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, dir, n + 1);
	/* dir itself covers an exact or pattern rule at dir */
	if (!is_prefix && in_sorted(pd->v, pd->n, buf))
		return true;
	while (n > 1) {
		while (n > 1 && buf[n - 1] != '/')
			n--;
		n = n > 1 ? n - 1 : 1; /* drop the '/' (keep "/") */
		buf[n] = '\0';
		if (in_sorted(pd->v, pd->n, buf))
			return true;
	}
	return false;
}

/* The rule directory path (taken over), merged with an equal one. */
static struct rdir *rule_dir_at(struct planner *pl, char *path, bool exists)
{
	struct rdir *rd;
	size_t i;

	for (i = 0; i < pl->nr; i++)
		if (!strcmp(pl->r[i].path, path)) {
			free(path);
			pl->r[i].exists |= exists;
			return &pl->r[i];
		}
	rd = realloc(pl->r, (pl->nr + 1) * sizeof(*rd));
	if (!rd) {
		free(path);
		return NULL;
	}
	pl->r = rd;
	pl->r[pl->nr] = (struct rdir){.path = path, .exists = exists};
	return &pl->r[pl->nr++];
}

static int add_rule_dir(struct planner *pl, const struct launch_rule *ru,
			uint64_t make_right)
{
	uint32_t flags = ru->shape == LAUNCH_PREFIX  ? SPB_R_PREFIX :
			 ru->shape == LAUNCH_PATTERN ? SPB_R_PATTERN :
						       0;
	bool deep = ru->shape == LAUNCH_PATTERN && pattern_is_deep(ru->path);
	char dir[SPB_MAX_PATH + 1];
	char *canon = NULL;
	bool exists = false, same;
	struct rdir *rd;
	int r;

	if (sp_path_rule_dir(ru->path, flags, dir, sizeof(dir)) < 0) {
		set_why(pl->why, pl->whylen, "rule %s has no directory",
			ru->path);
		return -EINVAL;
	}
	r = pl->fs->resolve(pl->fs->ctx, dir, &canon, &exists);
	if (r < 0) {
		set_why(pl->why, pl->whylen, "cannot resolve %s", dir);
		return r;
	}
	if (!canon || canon[0] != '/') {
		free(canon);
		set_why(pl->why, pl->whylen, "cannot resolve %s", dir);
		return -EINVAL;
	}
	same = !strcmp(canon, dir);
	rd = rule_dir_at(pl, canon, exists);
	if (!rd)
		return -ENOMEM;
	if (ru->shape == LAUNCH_PREFIX)
		rd->make |= make_right;
	rd->deep |= deep;
	/*
	 * Reached through a symbolic link (/var/run -> /run): the written
	 * path's directories are protected too, as a rule directory that
	 * does not exist, so that the process cannot replace the link with
	 * a directory that moves freely and have secpold bind there.
	 */
	if (!same) {
		char *w = strdup(dir);

		rd = w ? rule_dir_at(pl, w, false) : NULL;
		if (!rd)
			return -ENOMEM;
		rd->deep |= deep;
	}
	return 0;
}

/* Every proper ancestor of every rule directory. */
static int collect_ancestors(struct planner *pl)
{
	size_t i, k;
	int r;

	for (i = 0; i < pl->nr; i++) {
		const char *p = pl->r[i].path;

		if (!strcmp(p, "/"))
			continue;
		r = strv_add(&pl->anc, strdup("/"));
		for (k = 1; r == 0 && p[k]; k++)
			if (p[k] == '/')
				r = strv_add(&pl->anc, strndup(p, k));
		if (r < 0)
			return r;
	}
	strv_uniq(&pl->anc);
	return 0;
}

/* The neighbours of ancestor a: its child directories that are neither
 * ancestors nor rule directories. */
static int grant_children(struct planner *pl, const char *a)
{
	char **names = NULL;
	size_t n = 0, i;
	uint64_t access;
	int r;

	/* below a pattern spanning directories, no directory moves */
	if (in_rule_tree(pl, a, true))
		return 0;
	/* inside a rule directory nothing moves out: no REFER */
	access = REMOVE_DIR | (in_rule_tree(pl, a, false) ? 0 : REFER);
	r = pl->fs->list(pl->fs->ctx, a, &names, &n);
	if (r < 0) {
		set_why(pl->why, pl->whylen, "cannot list %s", a);
		return r;
	}
	for (i = 0; r == 0 && i < n; i++) {
		char *c;

		if (!names[i][0] || strchr(names[i], '/') ||
		    !strcmp(names[i], ".") || !strcmp(names[i], ".."))
			continue;
		if (asprintf(&c, "%s%s%s", a, strcmp(a, "/") ? "/" : "",
			     names[i]) < 0) {
			r = -ENOMEM;
			break;
		}
		if (!in_sorted(pl->anc.v, pl->anc.n, c) && !is_rule_dir(pl, c))
			r = add_grant(pl, c, access, false);
		free(c);
	}
	strv_free(names, n);
	return r;
}

void launch_plan_free(struct launch_plan *p)
{
	size_t i;

	for (i = 0; p->grants && i < p->ngrants; i++)
		free(p->grants[i].path);
	free(p->grants);
	strv_free(p->ancestors, p->nancestors);
	strv_free(p->rule_dirs, p->nrule_dirs);
	memset(p, 0, sizeof(*p));
}

int launch_plan_build(const struct launch_rule *rules, size_t n,
		      const struct launch_fs *fs, struct launch_plan *out,
		      char *why, size_t whylen)
{
	struct planner pl = {.fs = fs, .why = why, .whylen = whylen};
	struct strv pd[2] = {{0}};
	uint64_t free_make = 0; /* of a kind with `/...`: everywhere */
	char dir[SPB_MAX_PATH + 1];
	size_t i;
	int r = 0, k;

	memset(out, 0, sizeof(*out));
	if (n > LAUNCH_MAX_RULES) {
		set_why(why, whylen, "%s", "too many file-system rules");
		return -E2BIG;
	}
	for (k = 0; r == 0 && k < 2; k++)
		r = prefix_dirs(rules, n, (uint8_t)(k + 1), &pd[k]);
	if (r < 0) {
		set_why(why, whylen, "%s", "a rule has no directory");
		goto out;
	}
	for (k = 0; k < 2; k++)
		if (in_sorted(pd[k].v, pd[k].n, "/"))
			free_make |= k + 1 == LAUNCH_ATTACH ? MAKE_NODE : MAKE_SYM;
	for (i = 0; r == 0 && i < n; i++) {
		const struct launch_rule *ru = &rules[i];
		uint64_t make = ru->kind == LAUNCH_ATTACH ? MAKE_NODE : MAKE_SYM;
		uint32_t flags = ru->shape == LAUNCH_PREFIX  ? SPB_R_PREFIX :
				 ru->shape == LAUNCH_PATTERN ? SPB_R_PATTERN :
							       0;

		if (ru->kind != LAUNCH_ATTACH && ru->kind != LAUNCH_LINK) {
			r = -EINVAL;
			break;
		}
		/* every name of this kind is allowed: nothing to protect;
		 * abstract names are not in the file system */
		if ((free_make & make) || ru->path[0] == '@')
			continue;
		if (sp_path_rule_dir(ru->path, flags, dir, sizeof(dir)) < 0) {
			set_why(why, whylen, "rule %s has no directory", ru->path);
			r = -EINVAL;
			break;
		}
		if (subsumed(&pd[ru->kind - 1], dir, ru->shape == LAUNCH_PREFIX))
			continue;
		r = add_rule_dir(&pl, ru, make);
	}
	if (r == 0)
		r = collect_ancestors(&pl);
	for (i = 0; r == 0 && i < pl.anc.n; i++)
		r = grant_children(&pl, pl.anc.v[i]);
	for (i = 0; r == 0 && i < pl.nr; i++) {
		const struct rdir *rd = &pl.r[i];
		uint64_t access = rd->make;

		/* a directory the process makes later gets nothing */
		if (!rd->exists)
			continue;
		if (!in_sorted(pl.anc.v, pl.anc.n, rd->path) &&
		    !in_rule_tree(&pl, rd->path, true))
			access |= REMOVE_DIR;
		r = add_grant(&pl, rd->path, access, true);
	}
	if (r == 0 && pl.nr == 0)
		r = add_grant(&pl, "/", REFER | REMOVE_DIR | free_make, false);
	else if (r == 0)
		r = add_grant(&pl, "/", free_make, false);
	if (r < 0)
		goto out;
	merge_grants(&pl);
	out->grants = steal_ptr(&pl.g);
	out->ngrants = pl.ng;
	out->ancestors = steal_ptr(&pl.anc.v);
	out->nancestors = pl.anc.n;
	out->rule_dirs = calloc(pl.nr ? pl.nr : 1, sizeof(char *));
	if (!out->rule_dirs) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < pl.nr; i++)
		out->rule_dirs[i] = steal_ptr(&pl.r[i].path);
	out->nrule_dirs = pl.nr;
out:
	if (r == -ENOMEM)
		set_why(why, whylen, "%s", "out of memory");
	for (i = 0; pl.g && i < pl.ng; i++)
		free(pl.g[i].path);
	free(pl.g);
	strv_free(pl.anc.v, pl.anc.n);
	for (i = 0; i < pl.nr; i++)
		free(pl.r[i].path);
	free(pl.r);
	for (k = 0; k < 2; k++)
		strv_free(pd[k].v, pd[k].n);
	if (r < 0)
		launch_plan_free(out);
	return r;
}

/* ---------------------------------------------------------------------
 * The real file system
 */

static int real_resolve(void *ctx, const char *dir, char **canon, bool *exists)
{
	char path[PATH_MAX], tail[PATH_MAX] = "";
	size_t n = strlen(dir);

	(void)ctx;
	if (n == 0 || n >= sizeof(path) || dir[0] != '/')
		return -EINVAL;
	memcpy(path, dir, n + 1);
	*exists = true;
	for (;;) {
		char *rp = realpath(path, NULL), *slash;

		if (rp) {
			int r = asprintf(canon, "%s%s", strcmp(rp, "/") || !tail[0] ? rp : "",
					 tail);

			free(rp);
			return r < 0 ? -ENOMEM : 0;
		}
		/* what cannot be reached (yet) counts as missing */
		if (errno != ENOENT && errno != ENOTDIR && errno != EACCES &&
		    errno != ELOOP)
			return -errno;
		if (!strcmp(path, "/"))
			return -errno;
		*exists = false;
		slash = strrchr(path, '/');
		if (strlen(slash) + strlen(tail) >= sizeof(tail))
			return -ENAMETOOLONG;
		memmove(tail + strlen(slash), tail, strlen(tail) + 1);
		memcpy(tail, slash, strlen(slash));
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

static int real_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	struct strv sv = {0};
	struct dirent *e;
	int fd, r = 0;
	DIR *d;

	(void)ctx;
	*names = NULL;
	*n = 0;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* a directory we cannot read gets no neighbours: less REFER */
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while (r == 0 && (errno = 0, e = readdir(d))) {
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if (e->d_type == DT_UNKNOWN &&
		    (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		     !S_ISDIR(st.st_mode)))
			continue;
		r = strv_add(&sv, strdup(e->d_name));
	}
	closedir(d);
	if (r < 0) {
		strv_free(sv.v, sv.n);
		return r;
	}
	*names = sv.v;
	*n = sv.n;
	return 0;
}

/* The inodes of the protected directories. */
struct ino {
	dev_t dev;
	ino_t ino;
	bool ancestor;
};

static int cmp_ino(const void *a, const void *b)
{
	const struct ino *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

static size_t record_inodes(char **paths, size_t n, bool ancestor,
			    struct ino *out)
{
	size_t i, k = 0;
	struct stat st;

	for (i = 0; i < n; i++)
		if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
			out[k++] = (struct ino){st.st_dev, st.st_ino, ancestor};
	return k;
}

/*
 * What a neighbour really gets once opened: a name that now leads to a
 * protected directory (a bind mount of one, or a rename since the list
 * was read), or a mount on the file system of a rule directory (perhaps a
 * bind mount of something below one) gets no REFER or REMOVE_DIR.
 */
static uint64_t checked_access(int fd, const struct launch_grant *g,
			       const struct ino *prot, size_t nprot,
			       const struct ino *rdev, size_t nrdev)
{
	struct statx sx;
	struct ino key;
	const struct ino *hit;
	size_t i;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_INO, &sx) < 0)
		return g->access & ~(REFER | REMOVE_DIR);
	key.dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	key.ino = sx.stx_ino;
	hit = nprot ? bsearch(&key, prot, nprot, sizeof(*prot), cmp_ino) : NULL;
	if (g->rule_dir)
		return hit && hit->ancestor ? g->access & ~REMOVE_DIR : g->access;
	if (hit)
		return g->access & ~(REFER | REMOVE_DIR);
	if (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT &&
	    sx.stx_attributes & STATX_ATTR_MOUNT_ROOT)
		for (i = 0; i < nrdev; i++)
			if (rdev[i].dev == key.dev)
				return g->access & ~(REFER | REMOVE_DIR);
	return g->access;
}

static int add_rules(int ruleset, const struct launch_plan *pl,
		     size_t *nrules, char *why, size_t whylen)
{
	size_t nprot = pl->nancestors + pl->nrule_dirs, np, nr, i;
	_cleanup_free_ struct ino *prot = calloc(nprot ? nprot : 1, sizeof(*prot));
	_cleanup_free_ struct ino *rdev = calloc(pl->nrule_dirs ? pl->nrule_dirs : 1,
						 sizeof(*rdev));

	if (!prot || !rdev)
		return -ENOMEM;
	np = record_inodes(pl->ancestors, pl->nancestors, true, prot);
	nr = record_inodes(pl->rule_dirs, pl->nrule_dirs, false, rdev);
	memcpy(prot + np, rdev, nr * sizeof(*rdev));
	np += nr;
	if (np)
		qsort(prot, np, sizeof(*prot), cmp_ino);
	*nrules = 0;
	for (i = 0; i < pl->ngrants; i++) {
		const struct launch_grant *g = &pl->grants[i];
		struct landlock_path_beneath_attr pb = {0};
		int fd = open(g->path,
			      O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0) {
			/* gone, or no longer a directory: nothing to grant */
			if (errno == ENOENT || errno == ENOTDIR ||
			    errno == ELOOP || errno == EACCES)
				continue;
			set_why(why, whylen, "cannot open %s", g->path);
			return -errno;
		}
		pb.parent_fd = fd;
		pb.allowed_access = checked_access(fd, g, prot, np, rdev, nr);
		if (pb.allowed_access &&
		    syscall(SYS_landlock_add_rule, ruleset,
			    LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0) {
			int e = errno;

			close(fd);
			set_why(why, whylen, "Landlock refuses a rule for %s",
				g->path);
			return -e;
		}
		if (pb.allowed_access)
			(*nrules)++;
		close(fd);
	}
	return 0;
}

int launch_confine_prepare(const struct launch_rule *rules, size_t n,
			   int *ruleset, size_t *nrules, char *why,
			   size_t whylen)
{
	struct landlock_ruleset_attr ra = {
		.handled_access_fs = launch_handled_access(),
	};
	const struct launch_fs fs = {real_resolve, real_list, NULL};
	struct launch_plan pl;
	_cleanup_close_ int rs = -1;
	size_t count = 0;
	int abi, r;

	*ruleset = -1;
	if (why && whylen)
		why[0] = '\0';
	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
			   LANDLOCK_CREATE_RULESET_VERSION);
	/* Version 1 forbids every rename across directories. */
	if (abi < 2)
		return -EOPNOTSUPP;
	rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	if (rs < 0) {
		set_why(why, whylen, "%s", "cannot create a Landlock ruleset");
		return -errno;
	}
	r = launch_plan_build(rules, n, &fs, &pl, why, whylen);
	if (r < 0)
		return r;
	r = add_rules(rs, &pl, &count, why, whylen);
	launch_plan_free(&pl);
	if (r < 0)
		return r;
	if (nrules)
		*nrules = count;
	*ruleset = steal_fd(&rs);
	return 0;
}

int launch_confine_apply(int ruleset)
{
	int r = 0;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		r = -errno;
	close(ruleset);
	return r;
}
