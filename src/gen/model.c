// SPDX-License-Identifier: BSD-2-Clause
/*
 * The aggregation.  Every event ends in a handful of lookups (hash maps
 * for type, program and path names, a sorted array of abilities per type)
 * and, for a need seen before, no allocation at all.
 */
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/escape.h"
#include "common/strbuf.h"
#include "event/event.h"
#include "jsonev.h"
#include "lang/parser.h"
#include "policy/ability.h"
#include "policy/ranges.h"

#define UNNAMED "(unnamed)"

void gen_model_init(struct gen_model *m)
{
	memset(m, 0, sizeof(*m));
	m->late_ms = 10000;
}

static void free_type(struct gen_type *t)
{
	size_t i;
	int op;

	for (i = 0; i < t->nab; i++) {
		gen_ranges_free(&t->ab[i].vals[0]);
		gen_ranges_free(&t->ab[i].vals[1]);
	}
	free(t->ab);
	free(t->conn);
	for (op = 0; op < 2; op++) {
		free(t->paths[op]);
		strmap_free(&t->path_idx[op]);
	}
}

void gen_model_free(struct gen_model *m)
{
	size_t i;

	for (i = 0; i < m->ntypes; i++)
		free_type(&m->types[i]);
	free(m->types);
	free(m->names);
	free(m->customs);
	free(m->scratch);
	strmap_free(&m->type_idx);
	strmap_free(&m->name_idx);
	strmap_free(&m->custom_idx);
	strmap_free(&m->ability_cache);
	strmap_free(&m->unknown_kinds);
	arena_free(&m->arena);
	memset(m, 0, sizeof(*m));
}

/* Makes room for one more element in a malloc'd array. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	p = realloc(*arr, ncap * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* ---- provenance ------------------------------------------------------- */

void gen_prov_one(struct gen_prov *p, uint32_t name, uint8_t when)
{
	memset(p, 0, sizeof(*p));
	p->when = when;
	if (name == GEN_NO_NAME)
		p->more = true;
	else
		p->names[p->nnames++] = name;
}

static void prov_add_name(struct gen_prov *p, uint32_t name)
{
	size_t i;

	for (i = 0; i < p->nnames; i++)
		if (p->names[i] == name)
			return;
	if (p->nnames < GEN_NAMES_KEEP)
		p->names[p->nnames++] = name;
	else
		p->more = true;
}

void gen_prov_merge(struct gen_prov *p, const struct gen_prov *who)
{
	size_t i;

	p->when |= who->when;
	if (who->more)
		p->more = true;
	for (i = 0; i < who->nnames; i++)
		prov_add_name(p, who->names[i]);
}

/* ---- value sets ------------------------------------------------------ */

int gen_ranges_add(struct gen_ranges *s, uint64_t lo, uint64_t hi)
{
	/* the common case: a value seen before */
	if (sp_ranges_cover(s->r, s->n, lo, hi))
		return 0;
	if (grow((void **)&s->r, &s->cap, s->n, sizeof(*s->r)) < 0)
		return -ENOMEM;
	s->r[s->n].lo = lo;
	s->r[s->n].hi = hi;
	s->n = sp_ranges_normalize(s->r, s->n + 1);
	return 0;
}

void gen_ranges_free(struct gen_ranges *s)
{
	free(s->r);
	memset(s, 0, sizeof(*s));
}

/* ---- names ------------------------------------------------------------ */

static bool type_name_ok(const char *s, size_t len)
{
	return len <= SPB_MAX_NAME && is_identifier(s, len) &&
	       !(len == 4 && strncasecmp(s, "self", 4) == 0);
}

int gen_model_type(struct gen_model *m, const char *name, size_t len,
		   uint32_t *idx)
{
	struct gen_type *t;
	char *key;
	int r;

	if (strmap_get(&m->type_idx, name, len, idx))
		return 0;
	if (!type_name_ok(name, len))
		return -EINVAL;
	if (m->ntypes >= GEN_MAX_TYPES)
		return -E2BIG;
	if (grow((void **)&m->types, &m->captypes, m->ntypes,
		 sizeof(*m->types)) < 0)
		return -ENOMEM;
	key = arena_strndup(&m->arena, name, len);
	if (!key)
		return -ENOMEM;
	r = strmap_put(&m->type_idx, key, len, (uint32_t)m->ntypes, NULL);
	if (r < 0)
		return r;
	t = &m->types[m->ntypes];
	memset(t, 0, sizeof(*t));
	t->name = key;
	t->seen_id = GEN_NO_TYPE;
	*idx = (uint32_t)m->ntypes++;
	return 0;
}

int gen_model_name(struct gen_model *m, const char *name, size_t len,
		   uint32_t *id)
{
	char *key;
	int r;

	if (strmap_get(&m->name_idx, name, len, id))
		return 0;
	if (m->nnames >= GEN_MAX_NAMES) {
		*id = GEN_NO_NAME;
		return 0;
	}
	if (grow((void **)&m->names, &m->capnames, m->nnames,
		 sizeof(*m->names)) < 0)
		return -ENOMEM;
	key = arena_strndup(&m->arena, name, len);
	if (!key)
		return -ENOMEM;
	r = strmap_put(&m->name_idx, key, len, (uint32_t)m->nnames, NULL);
	if (r < 0)
		return r;
	m->names[m->nnames] = key;
	*id = (uint32_t)m->nnames++;
	return 0;
}

/* secpolcompile's rule for custom ability names */
static bool custom_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 127 || !memchr(s, '/', len) || s[0] == '/' ||
	    s[len - 1] == '/')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '-' || c == '/'))
			return false;
	}
	return true;
}

int gen_model_ability(struct gen_model *m, const char *name, size_t len,
		      uint16_t *id)
{
	const struct ability_info *a;
	uint32_t v;
	char *key;
	int r;

	if (strmap_get(&m->ability_cache, name, len, &v)) {
		*id = (uint16_t)v;
		return 0;
	}
	a = ability_lookup(name, len, NULL);
	if (a) {
		v = a->id;
	} else if (custom_name_ok(name, len)) {
		char *lower = arena_strndup(&m->arena, name, len);
		size_t i;

		if (!lower)
			return -ENOMEM;
		/* custom names compare without regard to case */
		for (i = 0; i < len; i++)
			if (lower[i] >= 'A' && lower[i] <= 'Z')
				lower[i] = (char)(lower[i] - 'A' + 'a');
		if (!strmap_get(&m->custom_idx, lower, len, &v)) {
			if (m->ncustoms >= GEN_MAX_CUSTOM)
				return -E2BIG;
			if (grow((void **)&m->customs, &m->capcustoms,
				 m->ncustoms, sizeof(*m->customs)) < 0)
				return -ENOMEM;
			v = (uint32_t)m->ncustoms;
			r = strmap_put(&m->custom_idx, lower, len, v, NULL);
			if (r < 0)
				return r;
			m->customs[m->ncustoms++] = lower;
		}
		v += AB_CUSTOM_BASE;
	} else {
		return -ENOENT;
	}
	key = arena_strndup(&m->arena, name, len);
	if (!key)
		return -ENOMEM;
	r = strmap_put(&m->ability_cache, key, len, v, NULL);
	if (r < 0)
		return r;
	*id = (uint16_t)v;
	return 0;
}

bool gen_model_find_ability(const struct gen_model *m, const char *name,
			    size_t len, uint16_t *id)
{
	const struct ability_info *a = ability_lookup(name, len, NULL);
	char lower[128];
	uint32_t v;
	size_t i;

	if (a) {
		*id = a->id;
		return true;
	}
	if (len >= sizeof(lower))
		return false;
	for (i = 0; i < len; i++)
		lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
					  name[i] - 'A' + 'a' :
					  name[i]);
	if (!strmap_get(&m->custom_idx, lower, len, &v))
		return false;
	*id = (uint16_t)(AB_CUSTOM_BASE + v);
	return true;
}

const char *gen_model_ability_name(const struct gen_model *m, uint16_t id)
{
	const struct ability_info *a = ability_by_id(id);

	if (a)
		return a->name;
	if (ability_is_custom(id) && id - AB_CUSTOM_BASE < m->ncustoms)
		return m->customs[id - AB_CUSTOM_BASE];
	return NULL;
}

/* ---- needs ------------------------------------------------------------ */

static struct gen_ability *find_ability(struct gen_type *t, uint16_t id,
					size_t *pos)
{
	size_t a = 0, b = t->nab;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (t->ab[mid].id == id)
			return &t->ab[mid];
		if (t->ab[mid].id < id)
			a = mid + 1;
		else
			b = mid;
	}
	*pos = a;
	return NULL;
}

const struct gen_ability *gen_type_ability(const struct gen_type *t,
					   uint16_t id)
{
	size_t pos;

	return find_ability((struct gen_type *)t, id, &pos);
}

int gen_model_use_ability(struct gen_model *m, uint32_t type, uint16_t ab,
			  enum gen_dom dom, bool has_value, uint64_t lo,
			  uint64_t hi, const struct gen_prov *who)
{
	struct gen_type *t = &m->types[type];
	struct gen_ability *a;
	size_t pos = 0;

	a = find_ability(t, ab, &pos);
	if (!a) {
		if (grow((void **)&t->ab, &t->capab, t->nab, sizeof(*t->ab)) < 0)
			return -ENOMEM;
		memmove(&t->ab[pos + 1], &t->ab[pos],
			(t->nab - pos) * sizeof(*t->ab));
		a = &t->ab[pos];
		memset(a, 0, sizeof(*a));
		a->id = ab;
		t->nab++;
	}
	a->used |= (uint8_t)(1u << dom);
	if (has_value) {
		if (gen_ranges_add(&a->vals[dom], lo, hi) < 0)
			return -ENOMEM;
	} else {
		a->valueless |= (uint8_t)(1u << dom);
	}
	gen_prov_merge(&a->prov[dom], who);
	return 0;
}

int gen_model_use_connect(struct gen_model *m, uint32_t type, uint32_t target,
			  enum gen_dom dom, const struct gen_prov *who)
{
	struct gen_type *t = &m->types[type];
	struct gen_connect *c = NULL;
	size_t i;

	/* few targets per type: a linear search is fine */
	for (i = 0; i < t->nconn && !c; i++)
		if (t->conn[i].target == target)
			c = &t->conn[i];
	if (!c) {
		if (grow((void **)&t->conn, &t->capconn, t->nconn,
			 sizeof(*t->conn)) < 0)
			return -ENOMEM;
		c = &t->conn[t->nconn++];
		memset(c, 0, sizeof(*c));
		c->target = target;
	}
	c->used |= (uint8_t)(1u << dom);
	gen_prov_merge(&c->prov, who);
	return 0;
}

int gen_model_use_path(struct gen_model *m, uint32_t type, enum gen_op op,
		       const char *path, size_t len, uint32_t chan_type,
		       const struct gen_prov *who)
{
	struct gen_type *t = &m->types[type];
	struct gen_path *p;
	uint32_t i;
	char *key;
	int r;

	if (strmap_get(&t->path_idx[op], path, len, &i)) {
		p = &t->paths[op][i];
		if (p->chan_type != chan_type)
			p->chan_conflict = true;
		gen_prov_merge(&p->prov, who);
		return 0;
	}
	if (grow((void **)&t->paths[op], &t->cappaths[op], t->npaths[op],
		 sizeof(*t->paths[op])) < 0)
		return -ENOMEM;
	key = arena_strndup(&m->arena, path, len);
	if (!key)
		return -ENOMEM;
	r = strmap_put(&t->path_idx[op], key, len, (uint32_t)t->npaths[op],
		       NULL);
	if (r < 0)
		return r;
	p = &t->paths[op][t->npaths[op]++];
	memset(p, 0, sizeof(*p));
	p->path = key;
	p->len = len;
	p->chan_type = chan_type;
	gen_prov_merge(&p->prov, who);
	return 0;
}

/* ---- unescaping -------------------------------------------------------- */

int gen_unvis(const char *s, size_t len, char *out, size_t *outlen)
{
	size_t i = 0, n = 0;

	while (i < len) {
		if (s[i] != '\\') {
			out[n++] = s[i++];
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		switch (s[i + 1]) {
		case '\\':
			out[n++] = '\\';
			i += 2;
			break;
		case 'n':
			out[n++] = '\n';
			i += 2;
			break;
		case 't':
			out[n++] = '\t';
			i += 2;
			break;
		case 'r':
			out[n++] = '\r';
			i += 2;
			break;
		default:
			if (i + 3 >= len || s[i + 1] < '0' || s[i + 1] > '3' ||
			    s[i + 2] < '0' || s[i + 2] > '7' || s[i + 3] < '0' ||
			    s[i + 3] > '7')
				return -EINVAL;
			out[n++] = (char)((s[i + 1] - '0') * 64 +
					  (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 4;
			break;
		}
	}
	out[n] = '\0';
	*outlen = n;
	return 0;
}

/* ---- events ------------------------------------------------------------ */

/* The escaped form of s for a message, shortened to fit buf. */
static const char *quote(char *buf, size_t n, const char *s, size_t len)
{
	struct strbuf q = STRBUF_INIT;

	sb_escape(&q, s, len, ESC_KEEP_SPACE);
	if (q.len >= n && n > 4)
		snprintf(buf, n, "%.*s...", (int)(n - 4), sb_str(&q));
	else
		snprintf(buf, n, "%s", sb_str(&q));
	sb_free(&q);
	return buf;
}

static bool is_str(const struct gen_str *s, const char *lit)
{
	return s->s && s->len == strlen(lit) && memcmp(s->s, lit, s->len) == 0;
}

static int bad_type(const struct gen_str *s, char *err, size_t errlen)
{
	char q[160];

	snprintf(err, errlen, "type name '%s' cannot be written in a policy",
		 quote(q, sizeof(q), s->s, s->len));
	return -EINVAL;
}

static bool name_ok(const struct gen_model *m, const struct gen_str *s)
{
	uint32_t t;

	return strmap_get(&m->type_idx, s->s, s->len, &t) ||
	       type_name_ok(s->s, s->len);
}

/* Unescapes the event's path into m->scratch.  0, -EINVAL or -ENOMEM. */
static int event_path(struct gen_model *m, const struct gen_event *ev,
		      size_t *len, char *err, size_t errlen)
{
	char q[160];
	char *p;

	/* unescaping never lengthens: one buffer, grown to the longest */
	if (m->scratch_cap < ev->path.len + 1) {
		p = realloc(m->scratch, ev->path.len + 1);
		if (!p)
			return -ENOMEM;
		m->scratch = p;
		m->scratch_cap = ev->path.len + 1;
	}
	if (gen_unvis(ev->path.s, ev->path.len, m->scratch, len) < 0) {
		snprintf(err, errlen, "path '%s' has a malformed escape",
			 quote(q, sizeof(q), ev->path.s, ev->path.len));
		return -EINVAL;
	}
	if (*len == 0 || *len > EV_PATH_MAX ||
	    (m->scratch[0] != '/' && m->scratch[0] != '@')) {
		snprintf(err, errlen,
			 "path '%s' is neither absolute nor an abstract name",
			 quote(q, sizeof(q), ev->path.s, ev->path.len));
		return -EINVAL;
	}
	return 0;
}

/* Events that say nothing about a need, whatever else they hold. */
static bool ignored(const struct gen_model *m, const struct gen_event *ev)
{
	/* untyped processes are never restricted: rules for them would be
	 * noise (unless asked for) */
	if (!m->include_default && is_str(&ev->type, "default"))
		return true;
	/* routine probes and checks of borrowed credentials say nothing
	 * about what the process needs */
	if (ev->kind == GEN_EV_ABILITY && (ev->noaudit || ev->borrowed))
		return true;
	/* a refusal for another reason than a missing rule (a conflict of
	 * relabels, an attach where only a link is allowed) is the
	 * policy's own contradiction: adding a rule would not be learning */
	return ev->kind != GEN_EV_ABILITY && !ev->allowed &&
	       !is_str(&ev->reason, "no rule");
}

/*
 * Everything that can be wrong with an event, checked before anything is
 * recorded: a bad line leaves no trace.  *ab receives the ability.
 */
static int validate(struct gen_model *m, const struct gen_event *ev,
		    uint16_t *ab, char *err, size_t errlen)
{
	const struct ability_info *info;
	char q[160];
	size_t len;
	uint32_t v;
	int r;

	if (!name_ok(m, &ev->type))
		return bad_type(&ev->type, err, errlen);
	if (ev->kind == GEN_EV_NEWTYPE || ignored(m, ev))
		return 0;
	if (ev->kind != GEN_EV_ABILITY) {
		if (ev->kind == GEN_EV_ATTACH && ev->channel_type.s &&
		    !name_ok(m, &ev->channel_type))
			return bad_type(&ev->channel_type, err, errlen);
		return event_path(m, ev, &len, err, errlen);
	}
	info = ability_lookup(ev->ability.s, ev->ability.len, NULL);
	if (!info && !strmap_get(&m->ability_cache, ev->ability.s,
				 ev->ability.len, &v) &&
	    !custom_name_ok(ev->ability.s, ev->ability.len)) {
		snprintf(err, errlen, "unknown ability '%s'",
			 quote(q, sizeof(q), ev->ability.s, ev->ability.len));
		return -EINVAL;
	}
	if (info && info->value == AB_VAL_TYPE) {
		if (!ev->value_type.s || !ev->has_value || ev->lo != ev->hi) {
			snprintf(err, errlen,
				 "%s without one \"value\" and its \"value_type\"",
				 info->upper);
			return -EINVAL;
		}
		if (!name_ok(m, &ev->value_type))
			return bad_type(&ev->value_type, err, errlen);
	}
	if (info && info->value == AB_VAL_NUMBER && ev->has_value &&
	    ev->hi > info->value_max) {
		snprintf(err, errlen,
			 "value %llu of %s is out of its range (0 to %llu)",
			 (unsigned long long)ev->hi, info->upper,
			 (unsigned long long)info->value_max);
		return -EINVAL;
	}
	r = gen_model_ability(m, ev->ability.s, ev->ability.len, ab);
	if (r == -E2BIG) {
		snprintf(err, errlen, "more than %u custom abilities",
			 GEN_MAX_CUSTOM);
		return -EINVAL;
	}
	return r;
}

static int type_of(struct gen_model *m, const struct gen_str *s, uint32_t id,
		   uint32_t *idx, char *err, size_t errlen)
{
	int r = gen_model_type(m, s->s, s->len, idx);

	if (r == -EINVAL)
		return bad_type(s, err, errlen);
	if (r == -E2BIG) {
		snprintf(err, errlen, "more than %u types", GEN_MAX_TYPES);
		return -EINVAL;
	}
	if (r == 0 && id != UINT32_MAX && m->types[*idx].seen_id == GEN_NO_TYPE)
		m->types[*idx].seen_id = id;
	return r;
}

static int add_ability(struct gen_model *m, const struct gen_event *ev,
		       uint32_t type, uint16_t ab, const struct gen_prov *who,
		       char *err, size_t errlen)
{
	enum gen_dom dom = ev->root ? GEN_ROOT : GEN_NONROOT;
	const struct ability_info *info = ability_by_id(ab);
	uint32_t target;
	int r;

	if (ab == AB_PUBLIC_CHANNEL) {
		/* every type has it unless a policy takes it away */
		return GEN_ADD_IGNORED;
	}
	if (ab == AB_CHANNEL_CONNECT || ab == AB_SETTYPEID) {
		/* channels of type default are free to connect to */
		if (ab == AB_CHANNEL_CONNECT && is_str(&ev->value_type, "default"))
			return GEN_ADD_IGNORED;
		r = type_of(m, &ev->value_type, ev->value_type_id, &target,
			    err, errlen);
		if (r < 0)
			return r;
		if (ab == AB_CHANNEL_CONNECT)
			r = gen_model_use_connect(m, type, target, dom, who);
		else
			r = gen_model_use_ability(m, type, ab, dom, true, target,
						  target, who);
	} else if (ev->has_value && (!info || info->value == AB_VAL_NUMBER)) {
		r = gen_model_use_ability(m, type, ab, dom, true, ev->lo, ev->hi,
					  who);
	} else {
		/* a value the policy cannot restrict is no subrange */
		r = gen_model_use_ability(m, type, ab, dom, false, 0, 0, who);
	}
	return r < 0 ? r : GEN_ADD_USED;
}

static int add_path(struct gen_model *m, const struct gen_event *ev,
		    uint32_t type, const struct gen_prov *who, char *err,
		    size_t errlen)
{
	enum gen_op op = ev->kind == GEN_EV_ATTACH ? GEN_ATTACH : GEN_LINK;
	uint32_t chan = GEN_NO_TYPE;
	size_t len;
	int r;

	if (op == GEN_ATTACH && ev->channel_type.s &&
	    !(ev->channel_type.len == ev->type.len &&
	      memcmp(ev->channel_type.s, ev->type.s, ev->type.len) == 0)) {
		r = type_of(m, &ev->channel_type, ev->channel_type_id, &chan,
			    err, errlen);
		if (r < 0)
			return r;
	}
	r = event_path(m, ev, &len, err, errlen);
	if (r < 0)
		return r;
	r = gen_model_use_path(m, type, op, m->scratch, len, chan, who);
	return r < 0 ? r : GEN_ADD_USED;
}

static int add_kind(struct gen_model *m, const struct gen_event *ev)
{
	uint32_t v;
	char *key;

	if (strmap_get(&m->unknown_kinds, ev->kind_name.s, ev->kind_name.len,
		       &v))
		return GEN_ADD_IGNORED;
	key = arena_strndup(&m->arena, ev->kind_name.s, ev->kind_name.len);
	if (!key ||
	    strmap_put(&m->unknown_kinds, key, ev->kind_name.len, 0, NULL) < 0)
		return -ENOMEM;
	return GEN_ADD_NEW_KIND;
}

int gen_model_add(struct gen_model *m, const struct gen_event *ev, char *err,
		  size_t errlen)
{
	struct gen_prov who;
	uint32_t type, name;
	uint16_t ab = AB_NONE;
	uint8_t when = 0;
	int r;

	switch (ev->kind) {
	case GEN_EV_LOST:
		m->events++;
		m->lost += ev->lost;
		return GEN_ADD_IGNORED;
	case GEN_EV_GAP:
		m->events++;
		/* one gap per begin/end pair: what happened between is
		 * missing; a "begin" at the end of a log misses nothing the
		 * log could have held */
		if (!ev->gap_begin)
			m->gaps++;
		return GEN_ADD_IGNORED;
	case GEN_EV_OTHER:
		m->events++;
		return add_kind(m, ev);
	case GEN_EV_NEWTYPE:
	case GEN_EV_ABILITY:
	case GEN_EV_ATTACH:
	case GEN_EV_LINK:
		break;
	}
	r = validate(m, ev, &ab, err, errlen);
	if (r < 0)
		return r;
	m->events++;
	r = type_of(m, &ev->type, ev->type_id, &type, err, errlen);
	if (r < 0)
		return r;
	if (ev->kind == GEN_EV_NEWTYPE) {
		m->types[type].new_type = true;
		return GEN_ADD_USED;
	}
	if (ignored(m, ev)) {
		if (ev->kind != GEN_EV_ABILITY && !ev->allowed)
			m->refused_other++;
		m->ignored++;
		return GEN_ADD_IGNORED;
	}
	if (ev->name.s)
		r = gen_model_name(m, ev->name.s, ev->name.len, &name);
	else
		r = gen_model_name(m, UNNAMED, strlen(UNNAMED), &name);
	if (r < 0)
		return r;
	if (ev->has_age)
		when = ev->age_ms > m->late_ms ? GEN_WHEN_LATER : GEN_WHEN_START;
	gen_prov_one(&who, name, when);
	if (ev->kind == GEN_EV_ABILITY)
		r = add_ability(m, ev, type, ab, &who, err, errlen);
	else
		r = add_path(m, ev, type, &who, err, errlen);
	if (r == GEN_ADD_USED) {
		m->types[type].subject = true;
		m->used++;
	} else if (r == GEN_ADD_IGNORED) {
		m->ignored++;
	}
	return r;
}
