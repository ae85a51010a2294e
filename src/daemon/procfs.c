// SPDX-License-Identifier: BSD-2-Clause
/*
 * /proc for secpold: one descriptor of /proc, opened once, and every file
 * below it opened relative to it (no path string is ever built from
 * "/proc"), one parser for status, one for stat.
 *
 * status lines are "Key:\tvalue"; the ones read here: Tgid, PPid, Uid,
 * Gid (four ids each: real, effective, saved, file system), Groups (the
 * kernel ends the list with a space), CapEff and CapPrm (16 hex digits),
 * Umask (octal).  Each is parsed with full checks; a line seen twice or a
 * wanted line missing is -EINVAL.
 */
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/strnum.h"
#include "common/util.h"

static int proc_fd = -1;
static int init_err;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static dev_t own_userns_dev;
static ino_t own_userns_ino;
static int own_userns_err;

static void do_init(void)
{
	struct stat st;

	proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc_fd < 0) {
		init_err = -errno;
		return;
	}
	if (fstatat(proc_fd, "self/ns/user", &st, 0) < 0) {
		own_userns_err = -errno;
		return;
	}
	own_userns_dev = st.st_dev;
	own_userns_ino = st.st_ino;
}

int procfs_init(void)
{
	pthread_once(&init_once, do_init);
	return init_err;
}

/* "PID/rel" (or "self/rel", "thread-self/rel") into buf. */
static int rel_path(char *buf, size_t len, pid_t pid, const char *rel)
{
	int n;

	if (pid == PROCFS_SELF)
		n = snprintf(buf, len, "self/%s", rel);
	else if (pid == PROCFS_THREAD_SELF)
		n = snprintf(buf, len, "thread-self/%s", rel);
	else if (pid > 0)
		n = snprintf(buf, len, "%d/%s", (int)pid, rel);
	else
		return -EINVAL;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* ENOENT below /proc/PID: the process is gone. */
static int gone(int err)
{
	return err == ENOENT ? -ESRCH : -err;
}

int procfs_open(pid_t pid, const char *rel, int flags)
{
	char path[64];
	int r = procfs_init(), fd;

	if (r == 0)
		r = rel_path(path, sizeof(path), pid, rel);
	if (r < 0)
		return r;
	fd = openat(proc_fd, path, flags | O_CLOEXEC);
	return fd < 0 ? gone(errno) : fd;
}

ssize_t procfs_readlink(pid_t pid, const char *rel, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int r = procfs_init();

	if (r == 0)
		r = rel_path(path, sizeof(path), pid, rel);
	if (r < 0)
		return r;
	n = readlinkat(proc_fd, path, buf, len);
	if (n < 0)
		return gone(errno);
	if ((size_t)n >= len)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}

int procfs_stat(pid_t pid, const char *rel, struct stat *st)
{
	char path[64];
	int r = procfs_init();

	if (r == 0)
		r = rel_path(path, sizeof(path), pid, rel);
	if (r < 0)
		return r;
	return fstatat(proc_fd, path, st, 0) < 0 ? gone(errno) : 0;
}

/*
 * Reads all of "PID/rel" into buf (NUL-terminated).  A file larger than
 * buf (a process with thousands of groups) goes to *heap, which the
 * caller frees.  Returns the text or NULL with *err set.
 */
static const char *proc_read_file(pid_t pid, const char *rel, char *buf,
			     size_t size, char **heap, size_t *lenp, int *err)
{
	_cleanup_close_ int fd = procfs_open(pid, rel, O_RDONLY);
	size_t len = 0;

	*heap = NULL;
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = -errno;
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == size - 1) {
		int r;

		if (lseek(fd, 0, SEEK_SET) < 0) {
			*err = -errno;
			return NULL;
		}
		r = read_fd_all(fd, 4 << 20, heap, &len);
		if (r < 0) {
			*err = r;
			return NULL;
		}
		*lenp = len;
		return *heap;
	}
	/* an exiting thread's files can be empty */
	if (len == 0) {
		*err = -ESRCH;
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* --- status --------------------------------------------------------------- */

enum {
	F_UID = 1 << 0,
	F_GID = 1 << 1,
	F_GROUPS = 1 << 2,
	F_CAPEFF = 1 << 3,
	F_CAPPRM = 1 << 4,
	F_UMASK = 1 << 5,
	F_TGID = 1 << 6,
	F_PPID = 1 << 7,
	F_CREDS = F_UID | F_GID | F_GROUPS | F_CAPEFF | F_CAPPRM | F_UMASK,
};

struct status {
	struct proc_creds *c;
	pid_t tgid, ppid;
};

/* "a\tb\tc\td": exactly four ids. */
static int parse_ids4(const char *s, size_t len, uint32_t out[4])
{
	const char *end = s + len;

	for (int i = 0; i < 4; i++) {
		const char *tab = memchr(s, '\t', (size_t)(end - s));
		const char *stop = tab ? tab : end;
		uint64_t v;

		/* Three separators, no more, no less. */
		if ((i < 3) != (tab != NULL))
			return -EINVAL;
		/* (uid_t)-1 is never an id. */
		if (strnum_u64n(s, (size_t)(stop - s), 10, 0, UINT32_MAX - 1,
				&v) < 0)
			return -EINVAL;
		out[i] = (uint32_t)v;
		s = stop + 1;
	}
	return 0;
}

/* "1 2 3 " (the kernel ends the list with a space; accept it missing). */
static int parse_groups(const char *s, size_t len, struct proc_creds *c)
{
	c->ngroups = 0;
	while (len > 0) {
		const char *sp = memchr(s, ' ', len);
		size_t n = sp ? (size_t)(sp - s) : len;
		uint64_t v;

		if (n == 0) {
			/* Only the single trailing space, or the lone space of
			 * an empty list, is allowed. */
			if (len != 1)
				return -EINVAL;
			break;
		}
		if (strnum_u64n(s, n, 10, 0, UINT32_MAX - 1, &v) < 0)
			return -EINVAL;
		if (c->ngroups == PROC_MAX_GROUPS)
			return -E2BIG;
		c->groups[c->ngroups++] = (gid_t)v;
		if (!sp)
			break;
		s += n + 1;
		len -= n + 1;
	}
	return 0;
}

static int parse_cap(const char *s, size_t len, uint64_t *out)
{
	/* Always 16 hex digits; strtoull would also take "0x". */
	if (len != 16)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return -EINVAL;
	return strnum_u64n(s, len, 16, 0, UINT64_MAX, out) < 0 ? -EINVAL : 0;
}

static int parse_pid(const char *s, size_t len, pid_t *out)
{
	uint64_t v;

	if (strnum_u64n(s, len, 10, 0, INT32_MAX, &v) < 0)
		return -EINVAL;
	*out = (pid_t)v;
	return 0;
}

static int parse_line(const char *key, size_t klen, const char *val,
		      size_t vlen, struct status *st, unsigned want,
		      unsigned *seen)
{
	static const struct {
		const char *key;
		unsigned bit;
	} keys[] = {
	    {"Uid", F_UID},	  {"Gid", F_GID},	{"Groups", F_GROUPS},
	    {"CapEff", F_CAPEFF}, {"CapPrm", F_CAPPRM}, {"Umask", F_UMASK},
	    {"Tgid", F_TGID},	  {"PPid", F_PPID},
	};
	struct proc_creds *c = st->c;
	unsigned bit = 0;
	uint32_t ids[4];
	uint64_t v;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strlen(keys[i].key) == klen &&
		    memcmp(keys[i].key, key, klen) == 0)
			bit = keys[i].bit;
	if (!(bit & want))
		return 0;
	if (*seen & bit)
		return -EINVAL;
	*seen |= bit;
	switch (bit) {
	case F_UID:
	case F_GID:
		r = parse_ids4(val, vlen, ids);
		if (r == 0 && bit == F_UID) {
			c->uid = ids[0], c->euid = ids[1];
			c->suid = ids[2], c->fsuid = ids[3];
		} else if (r == 0) {
			c->gid = ids[0], c->egid = ids[1];
			c->sgid = ids[2], c->fsgid = ids[3];
		}
		return r;
	case F_GROUPS:
		return parse_groups(val, vlen, c);
	case F_CAPEFF:
		return parse_cap(val, vlen, &c->cap_eff);
	case F_CAPPRM:
		return parse_cap(val, vlen, &c->cap_prm);
	case F_TGID:
		return parse_pid(val, vlen, &st->tgid);
	case F_PPID:
		return parse_pid(val, vlen, &st->ppid);
	default:
		r = strnum_u64n(val, vlen, 8, 0, 0777, &v);
		if (r < 0)
			return -EINVAL;
		c->umask = (mode_t)v;
		return 0;
	}
}

static int parse_status(const char *buf, size_t len, struct status *st,
			unsigned want)
{
	unsigned seen = 0;

	while (len > 0) {
		const char *nl = memchr(buf, '\n', len);
		size_t llen = nl ? (size_t)(nl - buf) : len;
		const char *colon = memchr(buf, ':', llen);

		/* Every line is "Key:\tvalue" ("Key:" alone never occurs in
		 * the lines we read, but may in others). */
		if (colon && (size_t)(colon - buf) + 1 < llen &&
		    colon[1] == '\t') {
			size_t klen = (size_t)(colon - buf);
			int r = parse_line(buf, klen, colon + 2,
					   llen - klen - 2, st, want, &seen);

			if (r < 0)
				return r;
		}
		if (!nl)
			break;
		buf += llen + 1;
		len -= llen + 1;
	}
	return seen == want ? 0 : -EINVAL;
}

static int read_status(pid_t tid, struct status *st, unsigned want)
{
	_cleanup_free_ char *heap = NULL;
	char buf[4096];
	const char *text;
	size_t len = 0;
	int err = 0;

	text = proc_read_file(tid, "status", buf, sizeof(buf), &heap, &len, &err);
	if (!text)
		return err;
	return parse_status(text, len, st, want);
}

int procfs_same_userns(pid_t pid)
{
	struct stat st;
	int r = procfs_init();

	if (r < 0)
		return r;
	if (own_userns_err)
		return own_userns_err;
	r = procfs_stat(pid, "ns/user", &st);
	if (r < 0)
		return r;
	return st.st_dev == own_userns_dev && st.st_ino == own_userns_ino;
}

int procfs_creds(pid_t tid, struct proc_creds *c)
{
	struct status st = {.c = c};
	int r = read_status(tid, &st, F_CREDS);

	if (r == 0)
		r = procfs_same_userns(tid);
	if (r < 0)
		return r;
	if (r == 0)
		c->cap_eff = c->cap_prm = 0;
	return 0;
}

/* --- stat ----------------------------------------------------------------- */

/* The start time (field 22) of pid's stat, in nanoseconds. */
static int stat_start(pid_t pid, uint64_t *start_ns)
{
	_cleanup_free_ char *heap = NULL;
	char buf[1024], *p;
	const char *text;
	size_t len = 0;
	uint64_t v;
	int err = 0, field;

	text = proc_read_file(pid, "stat", buf, sizeof(buf), &heap, &len, &err);
	if (!text)
		return err;
	/* the command name may hold spaces and parentheses: skip to the
	 * last ')' before counting fields */
	p = memrchr(text, ')', len);
	if (!p || (size_t)(p - text) + 2 >= len)
		return -EINVAL;
	p += 2;
	for (field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	if (strnum_u64n(p, strcspn(p, " \n"), 10, 0,
			UINT64_MAX / PROCFS_NS_PER_TICK, &v) < 0)
		return -EINVAL;
	*start_ns = v * PROCFS_NS_PER_TICK;
	return 0;
}

int procfs_task_ids(pid_t tid, pid_t *tgid, pid_t *ppid, uint64_t *start_ns)
{
	struct proc_creds unused;
	struct status st = {.c = &unused};
	int r;

	*tgid = *ppid = 0;
	r = read_status(tid, &st, F_TGID | F_PPID);
	if (r < 0)
		return r;
	if (st.tgid <= 0)
		return -EINVAL;
	/* the process's start: its leader's, as the BPF programs have it */
	r = stat_start(st.tgid, start_ns);
	if (r < 0)
		return r;
	*tgid = st.tgid;
	*ppid = st.ppid;
	return 0;
}

ssize_t procfs_comm(pid_t tid, char *buf, size_t len)
{
	_cleanup_close_ int fd = procfs_open(tid, "comm", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return fd;
	if (len == 0)
		return -EINVAL;
	n = read(fd, buf, len - 1);
	if (n < 0)
		return -errno;
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return n;
}
