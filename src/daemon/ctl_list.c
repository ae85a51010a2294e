// SPDX-License-Identifier: BSD-2-Clause
/*
 * CTL_LIST: which process runs under which type (secpol -l), as ps -Z
 * answers it for SELinux.  The types map holds one entry per typed task;
 * a process is the entry of its main thread (it stays while any thread
 * lives), with its thread count, effective uid and start time from /proc
 * and its name from procinfo.  The records travel in a sealed memfd: a
 * listing may be larger than one control message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "common/util.h"
#include "ctl/list.h"
#include "daemon.h"
#include "lang/suggest.h"

struct task_vec {
	struct typed_task {
		pid_t tid;
		struct spb_task t;
	} *v;
	size_t n, cap;
};

static int collect(void *ctx, pid_t tid, struct spb_task *t)
{
	struct task_vec *tv = ctx;

	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 256;
		void *v = reallocarray(tv->v, cap, sizeof(*tv->v));

		if (!v)
			return -ENOMEM;
		tv->v = v;
		tv->cap = cap;
	}
	tv->v[tv->n].tid = tid;
	tv->v[tv->n].t = *t;
	tv->n++;
	return 0;
}

/* By process, its main thread first, then by thread. */
static int by_process(const void *a, const void *b)
{
	const struct typed_task *x = a, *y = b;
	int xl = (uint32_t)x->tid != x->t.tgid, yl = (uint32_t)y->tid != y->t.tgid;

	if (x->t.tgid != y->t.tgid)
		return x->t.tgid < y->t.tgid ? -1 : 1;
	if (xl != yl)
		return xl - yl;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/*
 * Start time (clock ticks since boot) and thread count from
 * /proc/pid/stat, effective uid from /proc/pid/status.  0 or -errno.
 */
static int proc_summary(pid_t pid, uint64_t *start_ticks, uint32_t *nthreads,
			uint32_t *euid)
{
	_cleanup_free_ char *buf = NULL;
	char path[64], *p, *save = NULL, *tok;
	uint64_t v;
	size_t len;
	int field, r;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	r = read_file(path, 4096, &buf, &len);
	if (r < 0)
		return r;
	/* the name in parentheses may hold anything: fields start after
	 * the last ')' (field 3, the state) */
	p = strrchr(buf, ')');
	if (!p)
		return -EPROTO;
	*start_ticks = 0;
	*nthreads = 0;
	for (field = 3, tok = strtok_r(p + 1, " \n", &save); tok;
	     field++, tok = strtok_r(NULL, " \n", &save)) {
		if (field == 20 && strnum_u64(tok, 10, 0, UINT32_MAX, &v) == 0)
			*nthreads = (uint32_t)v;
		if (field == 22) {
			if (strnum_u64(tok, 10, 0, UINT64_MAX, start_ticks) < 0)
				return -EPROTO;
			break;
		}
	}
	if (field != 22)
		return -EPROTO;
	free(buf);
	buf = NULL;
	*euid = UINT32_MAX;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, 65536, &buf, &len) == 0) {
		/* "Uid:\treal\teffective\tsaved\tfs" */
		char *uid = strstr(buf, "\nUid:\t"), *eff, *end;

		eff = uid ? strchr(uid + 6, '\t') : NULL;
		end = eff ? strchr(eff + 1, '\t') : NULL;
		if (end && strnum_u64n(eff + 1, (size_t)(end - eff - 1), 10, 0,
				       UINT32_MAX - 1, &v) == 0)
			*euid = (uint32_t)v;
	}
	return 0;
}

/* A memfd holding data, sealed against every change. */
static int sealed_memfd(const void *data, size_t len)
{
	int fd = memfd_create("secpol-list", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	/* the reader shares the file offset: leave it at the start */
	if ((len && write_all(fd, data, len) < 0) ||
	    lseek(fd, 0, SEEK_SET) < 0 ||
	    fcntl(fd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/*
 * The records of the processes in tv (sorted by process), only those of
 * type `only` unless it is SPB_NO_TYPE.  Returns how many, or -errno.
 */
static long encode(struct daemon *d, const struct task_vec *tv, uint32_t only,
		   struct strbuf *sb)
{
	uint32_t ntypes = d->policy ? sp_policy_type_count(d->policy) : 0;
	long count = 0;
	size_t i = 0;

	while (i < tv->n) {
		const struct typed_task *first = &tv->v[i];
		struct ctl_list_entry e = {0};
		char name[PATH_MAX];
		uint64_t start;
		size_t j = i, nlen;

		/* the process's entries: its main thread's first */
		while (j < tv->n && tv->v[j].t.tgid == first->t.tgid)
			j++;
		i = j;
		if (only != SPB_NO_TYPE && first->t.type != only)
			continue;
		e.rec.pid = first->t.tgid;
		e.rec.type = first->t.type;
		e.rec.start_ns = first->t.start_ns;
		if (first->t.flags & SPB_TASK_NAMED)
			e.rec.flags |= CTL_LR_NAMED;
		/* gone, or its pid reused since (its entry would be gone
		 * by now): not listed */
		if (proc_summary((pid_t)e.rec.pid, &start, &e.rec.nthreads,
				 &e.rec.euid) < 0 ||
		    start != procinfo_start_key(first->t.start_ns))
			continue;
		if (e.rec.type == SPB_TYPE_GONE)
			e.rec.flags |= CTL_LR_GONE;
		if (e.rec.type < ntypes) {
			e.type_name = sp_policy_type_name(d->policy, e.rec.type);
			e.rec.type_len = (uint16_t)strlen(e.type_name);
		}
		nlen = procinfo_name(d->procs, (pid_t)e.rec.pid, e.rec.start_ns,
				     "", name, sizeof(name));
		if (nlen > UINT16_MAX)
			nlen = 0;
		e.name = name;
		e.rec.name_len = (uint16_t)nlen;
		ctl_list_append(sb, &e);
		if (sb_error(sb) || sb->len > CTL_LIST_MAX_SIZE)
			return -ENOMEM;
		count++;
	}
	return count;
}

static void fail_unknown(struct client *cl, const struct ctl_msg *m,
			 const struct sp_policy *p, const char *name)
{
	struct strbuf q = STRBUF_INIT;
	struct suggester sg;
	uint32_t i;

	sb_escape(&q, name, strlen(name), 0);
	suggester_init(&sg, name, strlen(name), false);
	for (i = 0; i < sp_policy_type_count(p); i++)
		suggester_add(&sg, sp_policy_type_name(p, i));
	if (suggester_best(&sg))
		ctl_send_error(cl->w.fd, m->hdr.type | CTL_REPLY, -ENOENT,
			       m->hdr.seq,
			       "unknown type '%s' in policy 0x%08x; did you mean '%s'?",
			       sb_str(&q), sp_policy_id(p), suggester_best(&sg));
	else
		ctl_send_error(cl->w.fd, m->hdr.type | CTL_REPLY, -ENOENT,
			       m->hdr.seq, "unknown type '%s' in policy 0x%08x",
			       sb_str(&q), sp_policy_id(p));
	sb_free(&q);
}

void ctl_list(struct daemon *d, struct client *cl, const struct ctl_msg *m,
	      bool admin)
{
	struct ctl_list_reply rep = {0};
	struct task_vec tv = {0};
	struct strbuf sb = STRBUF_INIT;
	char name[SPB_MAX_NAME + 1];
	uint32_t only = SPB_NO_TYPE;
	long count;
	int r, fd;

#define FAIL(status, ...)                                                     \
	ctl_send_error(cl->w.fd, m->hdr.type | CTL_REPLY, (status),           \
		       m->hdr.seq, __VA_ARGS__)
	if (!admin) {
		FAIL(-EPERM, "only root without a type, or a type with mac_admin, may list typed processes");
		return;
	}
	if (m->hdr.len) {
		if (m->hdr.len > SPB_MAX_NAME ||
		    memchr(m->payload, '\0', m->hdr.len)) {
			FAIL(-EINVAL, "malformed type name");
			return;
		}
		memcpy(name, m->payload, m->hdr.len);
		name[m->hdr.len] = '\0';
		if (!d->policy) {
			FAIL(-ENOENT, "no policy is loaded: no process has a type");
			return;
		}
		if (sp_policy_type_lookup(d->policy, name, &only) < 0) {
			fail_unknown(cl, m, d->policy, name);
			return;
		}
	}
	r = collector_for_each_typed(d->col, collect, &tv);
	if (r < 0) {
		free(tv.v);
		FAIL(r, "cannot read the types map: %s", strerror(-r));
		return;
	}
	if (tv.n)
		qsort(tv.v, tv.n, sizeof(*tv.v), by_process);
	count = encode(d, &tv, only, &sb);
	free(tv.v);
	if (count < 0) {
		sb_free(&sb);
		FAIL((int)count, "the listing is too large");
		return;
	}
	fd = sealed_memfd(sb.buf, sb.len);
	if (fd < 0) {
		sb_free(&sb);
		FAIL(fd, "cannot pass the listing: %s", strerror(-fd));
		return;
	}
	if (d->policy) {
		rep.policy_id = sp_policy_id(d->policy);
		rep.flags = CTL_ST_POLICY |
			    (sp_policy_mutable(d->policy) ? 0 : CTL_ST_IMMUTABLE);
	}
	rep.count = (uint32_t)count;
	rep.size = sb.len;
	sb_free(&sb);
	ctl_send(cl->w.fd, m->hdr.type | CTL_REPLY, 0, m->hdr.seq, &rep,
		 sizeof(rep), fd);
	close(fd);
#undef FAIL
}
