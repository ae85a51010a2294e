// SPDX-License-Identifier: BSD-2-Clause
#include "state.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/strnum.h"
#include "common/util.h"
#include "policy/ability.h"

#define HEADER_KEY "secpolgenerate_state"

/* ---- writing ------------------------------------------------------------ */

static void put_str(struct strbuf *sb, const char *key, const char *s,
		    size_t len)
{
	sb_printf(sb, ",\"%s\":", key);
	sb_json_string(sb, s, len);
}

static void put_prov(struct strbuf *sb, const struct gen_model *m,
		     const struct gen_prov *p)
{
	size_t i;

	sb_puts(sb, ",\"names\":[");
	for (i = 0; i < p->nnames; i++) {
		const char *n = m->names[p->names[i]];

		if (i)
			sb_putc(sb, ',');
		sb_json_string(sb, n, strlen(n));
	}
	sb_printf(sb, "],\"more\":%s,\"when\":%u", p->more ? "true" : "false",
		  p->when);
}

static void put_head(struct strbuf *sb, const struct gen_model *m,
		     const char *rec, uint32_t t)
{
	sb_printf(sb, "{\"r\":\"%s\"", rec);
	put_str(sb, "type", m->types[t].name, strlen(m->types[t].name));
}

static size_t put_abilities(struct strbuf *sb, const struct gen_model *m,
			    uint32_t t)
{
	const struct gen_type *ty = &m->types[t];
	size_t i, k, n = 0;
	uint64_t x;
	int d;

	for (i = 0; i < ty->nab; i++) {
		const struct gen_ability *a = &ty->ab[i];
		const char *an = gen_model_ability_name(m, a->id);

		for (d = 0; d < 2; d++) {
			if (!(a->used & (1u << d)))
				continue;
			put_head(sb, m, "ability", t);
			put_str(sb, "ability", an, strlen(an));
			sb_printf(sb, ",\"domain\":\"%s\",\"valueless\":%s",
				  d == GEN_ROOT ? "root" : "non-root",
				  a->valueless & (1u << d) ? "true" : "false");
			if (a->id == AB_SETTYPEID) {
				bool first = true;

				sb_puts(sb, ",\"types\":[");
				for (k = 0; k < a->vals[d].n; k++)
					for (x = a->vals[d].r[k].lo;
					     x <= a->vals[d].r[k].hi && x < m->ntypes; x++) {
						sb_printf(sb, "%s\"%s\"", first ? "" : ",",
							  m->types[x].name);
						first = false;
					}
			} else {
				sb_puts(sb, ",\"values\":[");
				for (k = 0; k < a->vals[d].n; k++)
					sb_printf(sb, "%s[%llu,%llu]", k ? "," : "",
						  (unsigned long long)a->vals[d].r[k].lo,
						  (unsigned long long)a->vals[d].r[k].hi);
			}
			sb_putc(sb, ']');
			put_prov(sb, m, &a->prov[d]);
			sb_puts(sb, "}\n");
			n++;
		}
	}
	return n;
}

int gen_state_format(const struct gen_model *m, struct strbuf *out)
{
	size_t n = 0, i, k;
	int op;

	sb_printf(out,
		  "{\"" HEADER_KEY "\":%d,\"events\":%llu,\"used\":%llu,\"ignored\":%llu,\"refused_other\":%llu,\"lost\":%llu,\"gaps\":%llu}\n",
		  GEN_STATE_VERSION, (unsigned long long)m->events,
		  (unsigned long long)m->used, (unsigned long long)m->ignored,
		  (unsigned long long)m->refused_other,
		  (unsigned long long)m->lost, (unsigned long long)m->gaps);
	for (i = 0; i < m->ntypes; i++) {
		const struct gen_type *t = &m->types[i];

		put_head(out, m, "type", (uint32_t)i);
		if (t->seen_id != GEN_NO_TYPE)
			sb_printf(out, ",\"id\":%u", t->seen_id);
		sb_printf(out, ",\"new\":%s,\"subject\":%s}\n",
			  t->new_type ? "true" : "false",
			  t->subject ? "true" : "false");
		n++;
	}
	for (i = 0; i < m->ntypes; i++) {
		const struct gen_type *t = &m->types[i];

		n += put_abilities(out, m, (uint32_t)i);
		for (k = 0; k < t->nconn; k++) {
			const char *tn = m->types[t->conn[k].target].name;

			put_head(out, m, "connect", (uint32_t)i);
			put_str(out, "target", tn, strlen(tn));
			sb_printf(out, ",\"domains\":%u", t->conn[k].used);
			put_prov(out, m, &t->conn[k].prov);
			sb_puts(out, "}\n");
			n++;
		}
		for (op = 0; op < 2; op++) {
			for (k = 0; k < t->npaths[op]; k++) {
				const struct gen_path *p = &t->paths[op][k];

				put_head(out, m, op == GEN_ATTACH ? "attach" : "link",
					 (uint32_t)i);
				put_str(out, "path", p->path, p->len);
				if (p->chan_type != GEN_NO_TYPE)
					put_str(out, "channel_type",
						m->types[p->chan_type].name,
						strlen(m->types[p->chan_type].name));
				sb_printf(out, ",\"conflict\":%s",
					  p->chan_conflict ? "true" : "false");
				put_prov(out, m, &p->prov);
				sb_puts(out, "}\n");
				n++;
			}
		}
	}
	sb_printf(out, "{\"r\":\"end\",\"records\":%zu}\n", n);
	return sb_error(out);
}

static int fsync_dir_of(const char *path)
{
	char buf[PATH_MAX];
	_cleanup_close_ int fd = -1;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	fd = open(dirname(buf), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return fsync(fd) < 0 ? -errno : 0;
}

int gen_state_save(const struct gen_model *m, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	r = gen_state_format(m, &sb);
	/* write_file_atomic: temporary file, fsync, rename; then the
	 * directory, so that the rename itself survives a crash */
	if (r == 0)
		r = write_file_atomic(path, sb_str(&sb), sb.len, 0600);
	if (r == 0)
		r = fsync_dir_of(path);
	sb_free(&sb);
	return r;
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
	struct gen_model *m;
	const char *name;
	unsigned long line;
	char *err;
	size_t errlen;
	char *scratch;
	size_t scratch_cap;
};

static int bad(struct rd *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct rd *rd, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(rd->err, rd->errlen, "%s:%lu: %s", rd->name, rd->line, msg);
	return -EINVAL;
}

static yajl_val field(yajl_val o, const char *key)
{
	size_t i;

	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0)
			return o->u.object.values[i];
	return NULL;
}

static int get_u64(struct rd *rd, yajl_val o, const char *key, uint64_t max,
		   bool required, uint64_t *out)
{
	yajl_val v = field(o, key);

	if (!v && !required) {
		*out = 0;
		return 0;
	}
	if (!YAJL_IS_NUMBER(v) ||
	    strnum_u64(YAJL_GET_NUMBER(v), 10, 0, max, out) < 0)
		return bad(rd, "\"%s\" must be a number from 0 to %llu", key,
			   (unsigned long long)max);
	return 0;
}

static int get_bool(struct rd *rd, yajl_val o, const char *key, bool *out)
{
	yajl_val v = field(o, key);

	if (!v) {
		*out = false;
		return 0;
	}
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
		return bad(rd, "\"%s\" must be true or false", key);
	*out = YAJL_IS_TRUE(v);
	return 0;
}

/* A string field, unescaped, into rd->scratch. */
static int get_str(struct rd *rd, yajl_val o, const char *key,
		   const char **s, size_t *len)
{
	yajl_val v = field(o, key);
	const char *js = YAJL_GET_STRING(v);
	size_t n;

	if (!js)
		return bad(rd, "\"%s\" must be a string", key);
	n = strlen(js);
	if (rd->scratch_cap < n + 1) {
		char *p = realloc(rd->scratch, n + 1);

		if (!p)
			return -ENOMEM;
		rd->scratch = p;
		rd->scratch_cap = n + 1;
	}
	if (gen_unvis(js, n, rd->scratch, len) < 0)
		return bad(rd, "\"%s\" has a malformed escape", key);
	*s = rd->scratch;
	return 0;
}

static int get_type(struct rd *rd, yajl_val o, const char *key, uint32_t *t)
{
	const char *s;
	size_t len;
	int r = get_str(rd, o, key, &s, &len);

	if (r < 0)
		return r;
	r = gen_model_type(rd->m, s, len, t);
	if (r == -EINVAL || r == -E2BIG)
		return bad(rd, "\"%s\" is not a type name a policy can hold", key);
	return r;
}

static int get_prov(struct rd *rd, yajl_val o, struct gen_prov *p)
{
	yajl_val v = field(o, "names");
	uint64_t when;
	size_t i;
	bool more;
	int r;

	memset(p, 0, sizeof(*p));
	if (!YAJL_IS_ARRAY(v))
		return bad(rd, "\"names\" must be an array of strings");
	r = get_bool(rd, o, "more", &more);
	if (r == 0)
		r = get_u64(rd, o, "when", GEN_WHEN_START | GEN_WHEN_LATER,
			    true, &when);
	if (r < 0)
		return r;
	p->more = more;
	p->when = (uint8_t)when;
	for (i = 0; i < v->u.array.len; i++) {
		const char *js = YAJL_GET_STRING(v->u.array.values[i]);
		struct gen_prov one;
		uint32_t id;
		size_t len;

		if (!js || rd->scratch_cap < strlen(js) + 1) {
			char *q;

			if (!js)
				return bad(rd, "\"names\" must be an array of strings");
			q = realloc(rd->scratch, strlen(js) + 1);
			if (!q)
				return -ENOMEM;
			rd->scratch = q;
			rd->scratch_cap = strlen(js) + 1;
		}
		if (gen_unvis(js, strlen(js), rd->scratch, &len) < 0)
			return bad(rd, "a name has a malformed escape");
		r = gen_model_name(rd->m, rd->scratch, len, &id);
		if (r < 0)
			return r;
		gen_prov_one(&one, id, 0);
		gen_prov_merge(p, &one);
	}
	return 0;
}

static int rec_type(struct rd *rd, yajl_val o)
{
	uint64_t id;
	uint32_t t;
	bool b;
	int r;

	r = get_type(rd, o, "type", &t);
	if (r == 0)
		r = get_u64(rd, o, "id", UINT32_MAX - 1, false, &id);
	if (r < 0)
		return r;
	if (field(o, "id") && rd->m->types[t].seen_id == GEN_NO_TYPE)
		rd->m->types[t].seen_id = (uint32_t)id;
	r = get_bool(rd, o, "new", &b);
	if (r < 0)
		return r;
	rd->m->types[t].new_type |= b;
	r = get_bool(rd, o, "subject", &b);
	if (r < 0)
		return r;
	rd->m->types[t].subject |= b;
	return 0;
}

static int rec_ability(struct rd *rd, yajl_val o)
{
	const struct ability_info *info;
	struct gen_prov who;
	enum gen_dom dom;
	const char *s;
	yajl_val v;
	uint32_t t, x;
	uint16_t ab;
	size_t len, i;
	bool valueless;
	int r;

	r = get_type(rd, o, "type", &t);
	if (r == 0)
		r = get_str(rd, o, "ability", &s, &len);
	if (r < 0)
		return r;
	r = gen_model_ability(rd->m, s, len, &ab);
	if (r == -ENOENT || r == -E2BIG)
		return bad(rd, "unknown ability");
	if (r < 0)
		return r;
	r = get_str(rd, o, "domain", &s, &len);
	if (r < 0)
		return r;
	if (len == 4 && memcmp(s, "root", 4) == 0)
		dom = GEN_ROOT;
	else if (len == 8 && memcmp(s, "non-root", 8) == 0)
		dom = GEN_NONROOT;
	else
		return bad(rd, "\"domain\" must be \"root\" or \"non-root\"");
	r = get_bool(rd, o, "valueless", &valueless);
	if (r == 0)
		r = get_prov(rd, o, &who);
	if (r < 0)
		return r;
	info = ability_by_id(ab);
	if (ab == AB_SETTYPEID) {
		v = field(o, "types");
		if (!YAJL_IS_ARRAY(v))
			return bad(rd, "\"types\" must be an array of type names");
		for (i = 0; i < v->u.array.len; i++) {
			const char *tn = YAJL_GET_STRING(v->u.array.values[i]);

			if (!tn || gen_model_type(rd->m, tn, strlen(tn), &x) < 0)
				return bad(rd, "\"types\" must be an array of type names");
			r = gen_model_use_ability(rd->m, t, ab, dom, true, x, x, &who);
			if (r < 0)
				return r;
		}
	} else {
		v = field(o, "values");
		if (!YAJL_IS_ARRAY(v))
			return bad(rd, "\"values\" must be an array of [lo,hi]");
		for (i = 0; i < v->u.array.len; i++) {
			yajl_val p = v->u.array.values[i];
			uint64_t lo, hi;

			if (!YAJL_IS_ARRAY(p) || p->u.array.len != 2 ||
			    !YAJL_IS_NUMBER(p->u.array.values[0]) ||
			    !YAJL_IS_NUMBER(p->u.array.values[1]) ||
			    strnum_u64(YAJL_GET_NUMBER(p->u.array.values[0]), 10, 0,
				       UINT64_MAX, &lo) < 0 ||
			    strnum_u64(YAJL_GET_NUMBER(p->u.array.values[1]), 10, 0,
				       UINT64_MAX, &hi) < 0 ||
			    lo > hi || (info && info->value != AB_VAL_NUMBER) ||
			    (info && hi > info->value_max))
				return bad(rd, "\"values\" must be [lo,hi] pairs the ability can hold");
			r = gen_model_use_ability(rd->m, t, ab, dom, true, lo, hi, &who);
			if (r < 0)
				return r;
		}
		if (!v->u.array.len && !valueless)
			return bad(rd, "a need with neither values nor \"valueless\"");
	}
	if (valueless)
		r = gen_model_use_ability(rd->m, t, ab, dom, false, 0, 0, &who);
	return r;
}

static int rec_connect(struct rd *rd, yajl_val o)
{
	struct gen_prov who;
	uint32_t t, target;
	uint64_t doms;
	int r, d;

	r = get_type(rd, o, "type", &t);
	if (r == 0)
		r = get_type(rd, o, "target", &target);
	if (r == 0)
		r = get_u64(rd, o, "domains", 3, true, &doms);
	if (r == 0)
		r = get_prov(rd, o, &who);
	if (r < 0)
		return r;
	if (!doms)
		return bad(rd, "\"domains\" must be 1, 2 or 3");
	for (d = 0; d < 2 && r == 0; d++)
		if (doms & (1u << d))
			r = gen_model_use_connect(rd->m, t, target,
						  (enum gen_dom)d, &who);
	return r;
}

static int rec_path(struct rd *rd, yajl_val o, enum gen_op op)
{
	uint32_t t, chan = GEN_NO_TYPE;
	struct gen_prov who;
	const char *s;
	char *path;
	size_t len;
	bool conflict;
	int r;

	r = get_type(rd, o, "type", &t);
	if (r == 0 && op == GEN_ATTACH && field(o, "channel_type"))
		r = get_type(rd, o, "channel_type", &chan);
	if (r == 0)
		r = get_bool(rd, o, "conflict", &conflict);
	if (r == 0)
		r = get_prov(rd, o, &who);
	if (r == 0)
		r = get_str(rd, o, "path", &s, &len);
	if (r < 0)
		return r;
	if (len == 0 || (s[0] != '/' && s[0] != '@'))
		return bad(rd, "\"path\" is neither absolute nor an abstract name");
	path = malloc(len + 1);
	if (!path)
		return -ENOMEM;
	memcpy(path, s, len + 1);
	r = gen_model_use_path(rd->m, t, op, path, len, chan, &who);
	free(path);
	if (r == 0 && conflict) {
		uint32_t i;

		if (strmap_get(&rd->m->types[t].path_idx[op], s, len, &i))
			rd->m->types[t].paths[op][i].chan_conflict = true;
	}
	return r;
}

static int header(struct rd *rd, yajl_val o)
{
	static const char *const keys[] = {"events", "used", "ignored",
					   "refused_other", "lost", "gaps"};
	uint64_t *dst[] = {&rd->m->events, &rd->m->used, &rd->m->ignored,
			   &rd->m->refused_other, &rd->m->lost, &rd->m->gaps};
	yajl_val v = YAJL_IS_OBJECT(o) ? field(o, HEADER_KEY) : NULL;
	uint64_t x;
	size_t i;
	int r;

	if (!v)
		return bad(rd, "not a secpolgenerate state file");
	if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) != GEN_STATE_VERSION)
		return bad(rd, "unknown state version %s", YAJL_IS_NUMBER(v) ?
								   YAJL_GET_NUMBER(v) :
								   "(not a number)");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		r = get_u64(rd, o, keys[i], UINT64_MAX, false, &x);
		if (r < 0)
			return r;
		*dst[i] += x;
	}
	return 0;
}

static int record(struct rd *rd, yajl_val o, bool *end, uint64_t nrec)
{
	yajl_val rv = YAJL_IS_OBJECT(o) ? field(o, "r") : NULL;
	const char *r = YAJL_GET_STRING(rv);
	uint64_t count;
	int e;

	if (!r)
		return bad(rd, "not a record (an object with \"r\")");
	if (strcmp(r, "type") == 0)
		return rec_type(rd, o);
	if (strcmp(r, "ability") == 0)
		return rec_ability(rd, o);
	if (strcmp(r, "connect") == 0)
		return rec_connect(rd, o);
	if (strcmp(r, "attach") == 0)
		return rec_path(rd, o, GEN_ATTACH);
	if (strcmp(r, "link") == 0)
		return rec_path(rd, o, GEN_LINK);
	if (strcmp(r, "end") == 0) {
		e = get_u64(rd, o, "records", UINT64_MAX, true, &count);
		if (e < 0)
			return e;
		if (count != nrec)
			return bad(rd, "the end record counts %llu records, the file has %llu",
				   (unsigned long long)count,
				   (unsigned long long)nrec);
		*end = true;
		return 0;
	}
	return bad(rd, "unknown record \"%.40s\"", r);
}

int gen_state_parse(struct gen_model *m, const char *name, const char *buf,
		    size_t len, char *err, size_t errlen)
{
	struct rd rd = {.m = m, .name = name, .err = err, .errlen = errlen};
	const char *p = buf, *end = buf + len;
	char *line = NULL;
	uint64_t nrec = 0;
	bool done = false;
	int r = 0;

	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char ebuf[128];
		yajl_val o;

		rd.line++;
		if (done) {
			r = bad(&rd, "data after the end record");
			break;
		}
		free(line);
		line = strndup(p, n);
		if (!line) {
			r = -ENOMEM;
			break;
		}
		if (strlen(line) != n) {
			r = bad(&rd, "a NUL byte");
			break;
		}
		p += n + (nl ? 1 : 0);
		ebuf[0] = '\0';
		o = yajl_tree_parse(line, ebuf, sizeof(ebuf));
		if (!o) {
			ebuf[strcspn(ebuf, "\n")] = '\0';
			r = bad(&rd, "invalid JSON: %s", ebuf[0] ? ebuf : "parse error");
			break;
		}
		if (rd.line == 1) {
			r = header(&rd, o);
		} else {
			r = record(&rd, o, &done, nrec);
			if (!done)
				nrec++;
		}
		yajl_tree_free(o);
	}
	if (r == 0 && !done) {
		rd.line += rd.line ? 0 : 1;
		r = bad(&rd, "the state file is incomplete (no end record)");
	}
	free(line);
	free(rd.scratch);
	return r;
}

int gen_state_load(struct gen_model *m, const char *path, char *err,
		   size_t errlen)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	r = read_file(path, GEN_STATE_MAX, &buf, &len);
	if (r == -ENOENT)
		return r;
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-r));
		return r;
	}
	return gen_state_parse(m, path, buf, len, err, errlen);
}
