// SPDX-License-Identifier: BSD-2-Clause
#include "procinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/strnum.h"
#include <linux/types.h>

#include "bpf/secpol_bpf.h"
#include "common/util.h"
#include "procfs.h"

#define NS_PER_TICK PROCFS_NS_PER_TICK
#define MAX_ENTRIES 65536       /* bound memory: the oldest go first */

struct pentry {
	pid_t pid;
	uint64_t start; /* ticks */
	char *name;
	struct pentry *next; /* hash chain */
	struct pentry *older, *newer; /* age list */
};

struct procinfo {
	struct pentry *buckets[4096];
	struct pentry *oldest, *newest;
	size_t n;
};

uint64_t procinfo_start_key(uint64_t start_ns)
{
	return start_ns / NS_PER_TICK;
}

struct procinfo *procinfo_new(void)
{
	return calloc(1, sizeof(struct procinfo));
}

static size_t bucket(pid_t pid)
{
	return (size_t)pid % 4096;
}

static void unlink_entry(struct procinfo *pi, struct pentry *e)
{
	struct pentry **pp = &pi->buckets[bucket(e->pid)];

	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (*pp)
		*pp = e->next;
	if (e->older)
		e->older->newer = e->newer;
	else
		pi->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		pi->newest = e->older;
	pi->n--;
	free(e->name);
	free(e);
}

void procinfo_free(struct procinfo *pi)
{
	if (!pi)
		return;
	while (pi->oldest)
		unlink_entry(pi, pi->oldest);
	free(pi);
}

static struct pentry *find(struct procinfo *pi, pid_t pid, uint64_t start)
{
	struct pentry *e;

	for (e = pi->buckets[bucket(pid)]; e; e = e->next)
		if (e->pid == pid && e->start == start)
			return e;
	return NULL;
}

static void set_name(struct procinfo *pi, pid_t pid, uint64_t start,
		     const char *path, size_t len)
{
	struct pentry *e = find(pi, pid, start);
	char *name;

	/* names are printed without the leading '/' (QNX style) */
	while (len && *path == '/')
		path++, len--;
	name = strndup(path, len);
	if (!name)
		return;
	if (e) {
		free(e->name);
		e->name = name;
		return;
	}
	if (pi->n >= MAX_ENTRIES)
		unlink_entry(pi, pi->oldest);
	e = calloc(1, sizeof(*e));
	if (!e) {
		free(name);
		return;
	}
	e->pid = pid;
	e->start = start;
	e->name = name;
	e->next = pi->buckets[bucket(pid)];
	pi->buckets[bucket(pid)] = e;
	e->older = pi->newest;
	if (pi->newest)
		pi->newest->newer = e;
	else
		pi->oldest = e;
	pi->newest = e;
	pi->n++;
}

/* readlink /proc/pid/exe, if pid is still the process started at start */
static ssize_t exe_of(pid_t pid, uint64_t start, char *buf, size_t len)
{
	uint64_t now;
	pid_t tgid, ppid;
	ssize_t n;

	n = procfs_readlink(pid, "exe", buf, len);
	if (n <= 0)
		return -1;
	/* the process might have exited and the pid been reused meanwhile */
	if (procfs_task_ids(pid, &tgid, &ppid, &now) < 0 ||
	    procinfo_start_key(now) != start)
		return -1;
	if (n > 10 && strcmp(buf + n - 10, " (deleted)") == 0)
		buf[n -= 10] = '\0';
	return n;
}

void procinfo_exec(struct procinfo *pi, pid_t pid, uint64_t start_ns,
		   const char *filename)
{
	uint64_t start = procinfo_start_key(start_ns);
	char buf[PATH_MAX];
	ssize_t n;

	/* an absolute name is the path as executed; one that filled the
	 * kernel's record may be cut: ask /proc */
	if (filename[0] == '/' && strlen(filename) < SPB_FILENAME_LEN - 1) {
		set_name(pi, pid, start, filename, strlen(filename));
		return;
	}
	n = exe_of(pid, start, buf, sizeof(buf));
	if (n > 0)
		set_name(pi, pid, start, buf, (size_t)n);
	else
		set_name(pi, pid, start, filename, strlen(filename));
}

void procinfo_fork(struct procinfo *pi, pid_t parent, uint64_t parent_start_ns,
		   pid_t child, uint64_t child_start_ns)
{
	struct pentry *p = find(pi, parent, procinfo_start_key(parent_start_ns));
	char buf[PATH_MAX];
	ssize_t n;

	if (p) {
		set_name(pi, child, procinfo_start_key(child_start_ns), p->name,
			 strlen(p->name));
		return;
	}
	/* a parent we have not met yet: it is alive, ask /proc */
	n = exe_of(parent, procinfo_start_key(parent_start_ns), buf, sizeof(buf));
	if (n > 0) {
		set_name(pi, parent, procinfo_start_key(parent_start_ns), buf,
			 (size_t)n);
		set_name(pi, child, procinfo_start_key(child_start_ns), buf,
			 (size_t)n);
	}
}

void procinfo_exit(struct procinfo *pi, pid_t pid, uint64_t start_ns)
{
	struct pentry *e = find(pi, pid, procinfo_start_key(start_ns));

	if (e)
		unlink_entry(pi, e);
}

size_t procinfo_name(struct procinfo *pi, pid_t pid, uint64_t start_ns,
		     const char *fallback, char *buf, size_t buflen)
{
	uint64_t start = procinfo_start_key(start_ns);
	struct pentry *e = find(pi, pid, start);
	char tmp[PATH_MAX];
	size_t n;
	ssize_t r;

	if (!e) {
		r = exe_of(pid, start, tmp, sizeof(tmp));
		if (r > 0) {
			set_name(pi, pid, start, tmp, (size_t)r);
			e = find(pi, pid, start);
		}
	}
	if (e) {
		n = strlen(e->name);
		if (n >= buflen)
			n = buflen - 1;
		memcpy(buf, e->name, n);
		buf[n] = '\0';
		return n;
	}
	if (fallback && *fallback) {
		n = strnlen(fallback, buflen - 1);
		memcpy(buf, fallback, n);
		buf[n] = '\0';
		return n;
	}
	return 0;
}

size_t procinfo_count(const struct procinfo *pi)
{
	return pi->n;
}
