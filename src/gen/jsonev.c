// SPDX-License-Identifier: BSD-2-Clause
/*
 * The secpolmonitor --json reader.  yajl calls back for every token; we
 * keep what the keys we know hold, check each one's JSON type, and skip
 * the rest (new fields may appear at any time: only "v" changes when the
 * meaning of the old ones does).
 */
#include "jsonev.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "common/escape.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "event/event.h"

enum key {
	K_NONE,
	K_V,
	K_KIND,
	K_RESULT,
	K_NAME,
	K_TYPE,
	K_DOMAIN,
	K_ABILITY,
	K_VALUE,
	K_VALUE_TYPE,
	K_NOAUDIT,
	K_OWN,
	K_PATH,
	K_CHANNEL_TYPE,
	K_REASON,
	K_LEARNING,
	K_AGE,
	K_LOST,
	K_TYPE_ID,
	K_VALUE_TYPE_ID,
	K_CHANNEL_TYPE_ID,
	K_PHASE,
	K_OTHER,
	K_COUNT
};

static const char *const key_names[K_COUNT] = {
	[K_V] = "v",
	[K_KIND] = "kind",
	[K_RESULT] = "result",
	[K_NAME] = "name",
	[K_TYPE] = "type",
	[K_DOMAIN] = "domain",
	[K_ABILITY] = "ability",
	[K_VALUE] = "value",
	[K_VALUE_TYPE] = "value_type",
	[K_NOAUDIT] = "noaudit",
	[K_OWN] = "own_credentials",
	[K_PATH] = "path",
	[K_CHANNEL_TYPE] = "channel_type",
	[K_REASON] = "reason",
	[K_LEARNING] = "learning",
	[K_AGE] = "age_ms",
	[K_LOST] = "lost",
	[K_TYPE_ID] = "type_id",
	[K_VALUE_TYPE_ID] = "value_type_id",
	[K_CHANNEL_TYPE_ID] = "channel_type_id",
	[K_PHASE] = "phase",
};

/* What JSON type each key's value has. */
enum jt { JT_ANY, JT_STR, JT_NUM, JT_BOOL, JT_PAIR };

static const enum jt key_types[K_COUNT] = {
	[K_V] = JT_NUM,        [K_KIND] = JT_STR,      [K_RESULT] = JT_STR,
	[K_NAME] = JT_STR,     [K_TYPE] = JT_STR,      [K_DOMAIN] = JT_STR,
	[K_ABILITY] = JT_STR,  [K_VALUE] = JT_PAIR,    [K_VALUE_TYPE] = JT_STR,
	[K_NOAUDIT] = JT_BOOL, [K_OWN] = JT_BOOL,      [K_PATH] = JT_STR,
	[K_CHANNEL_TYPE] = JT_STR, [K_REASON] = JT_STR, [K_LEARNING] = JT_BOOL,
	[K_AGE] = JT_NUM,      [K_LOST] = JT_NUM,      [K_TYPE_ID] = JT_NUM,
	[K_VALUE_TYPE_ID] = JT_NUM, [K_CHANNEL_TYPE_ID] = JT_NUM,
	[K_PHASE] = JT_STR,
};

struct sref {
	size_t off, len;
	bool set;
};

struct gen_jparser {
	yajl_handle h;
	bool handle_dirty; /* mid-value after an error: make a new one */
	/* per line */
	int depth;
	int nvalues;
	enum key key; /* the key whose value comes next (depth 1) */
	bool in_pair;
	int npair;
	bool seen[K_COUNT];
	struct sref str[K_COUNT];
	uint64_t num[K_COUNT];
	bool flag[K_COUNT];
	uint64_t pair[2];
	char vtext[24]; /* "v" as written, for the message */
	struct strbuf sb;
	char why[200];
	bool bad;
};

static int fail(struct gen_jparser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct gen_jparser *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->bad) {
		va_start(ap, fmt);
		vsnprintf(p->why, sizeof(p->why), fmt, ap);
		va_end(ap);
		p->bad = true;
	}
	return 0; /* yajl: stop */
}

static enum key lookup_key(const unsigned char *k, size_t len)
{
	int i;

	for (i = K_V; i < K_OTHER; i++)
		if (strlen(key_names[i]) == len && memcmp(key_names[i], k, len) == 0)
			return (enum key)i;
	return K_OTHER;
}

static const char *jt_str(enum jt t)
{
	switch (t) {
	case JT_STR:
		return "a string";
	case JT_NUM:
		return "a number";
	case JT_BOOL:
		return "true or false";
	case JT_PAIR:
		return "an array of two numbers [lo, hi]";
	case JT_ANY:
		break;
	}
	return "?";
}

/* A value arrived at depth 1 (the top object's member) of type t; also
 * called with JT_ANY for null, which counts as absent. */
static int member(struct gen_jparser *p, enum jt t, bool is_null)
{
	enum key k = p->key;

	if (p->depth == 0)
		return fail(p, "not a JSON object");
	if (k == K_NONE || k == K_OTHER || is_null)
		return 1;
	if (key_types[k] != t)
		return fail(p, "\"%s\" must be %s", key_names[k],
			    jt_str(key_types[k]));
	p->seen[k] = true;
	return 1;
}

/* A scalar below the top object's members: only "value"'s two numbers
 * matter there; anything else belongs to a field we skip. */
static int nested_scalar(struct gen_jparser *p)
{
	if (p->depth == 0)
		return fail(p, "not a JSON object");
	if (p->in_pair)
		return fail(p, "\"value\" must be %s", jt_str(JT_PAIR));
	return 1;
}

static int cb_null(void *ctx)
{
	struct gen_jparser *p = ctx;

	if (p->depth != 1)
		return nested_scalar(p);
	return member(p, JT_ANY, true);
}

static int cb_bool(void *ctx, int b)
{
	struct gen_jparser *p = ctx;

	if (p->depth != 1)
		return nested_scalar(p);
	if (!member(p, JT_BOOL, false))
		return 0;
	p->flag[p->key] = b != 0;
	return 1;
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	struct gen_jparser *p = ctx;
	uint64_t v;

	if (p->in_pair && p->depth == 2) {
		if (p->npair >= 2 || strnum_u64n(s, len, 10, 0, UINT64_MAX, &v) < 0)
			return fail(p, "\"value\" must be %s", jt_str(JT_PAIR));
		p->pair[p->npair++] = v;
		return 1;
	}
	if (p->depth != 1)
		return nested_scalar(p);
	if (!member(p, JT_NUM, false))
		return 0;
	if (p->key == K_V) {
		snprintf(p->vtext, sizeof(p->vtext), "%.*s",
			 (int)(len < 20 ? len : 20), s);
		if (strnum_u64n(s, len, 10, 0, UINT64_MAX, &v) < 0)
			v = UINT64_MAX; /* not a version we know */
		p->num[K_V] = v;
		return 1;
	}
	if (p->key == K_AGE || p->key == K_LOST || p->key == K_TYPE_ID ||
	    p->key == K_VALUE_TYPE_ID || p->key == K_CHANNEL_TYPE_ID) {
		/* type IDs: UINT32_MAX is "none" (GEN_NO_TYPE) */
		uint64_t max = p->key == K_LOST ? UINT64_MAX :
			       p->key == K_AGE  ? UINT32_MAX :
						  UINT32_MAX - 1;

		if (strnum_u64n(s, len, 10, 0, max, &v) < 0)
			return fail(p, "\"%s\" must be an unsigned integer",
				    key_names[p->key]);
		p->num[p->key] = v;
	}
	return 1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct gen_jparser *p = ctx;

	if (p->depth != 1)
		return nested_scalar(p);
	if (!member(p, JT_STR, false))
		return 0;
	if (p->key == K_NONE || p->key == K_OTHER)
		return 1;
	p->str[p->key].off = p->sb.len;
	p->str[p->key].len = len;
	p->str[p->key].set = true;
	sb_append(&p->sb, (const char *)s, len);
	sb_putc(&p->sb, '\0');
	return 1;
}

static int cb_start_map(void *ctx)
{
	struct gen_jparser *p = ctx;

	if (p->depth == 0) {
		if (p->nvalues++ > 0)
			return fail(p, "more than one JSON value on the line");
	} else if (p->depth == 1 && p->key != K_OTHER && p->key != K_NONE) {
		return fail(p, "\"%s\" must be %s", key_names[p->key],
			    jt_str(key_types[p->key]));
	} else if (p->in_pair) {
		return fail(p, "\"value\" must be %s", jt_str(JT_PAIR));
	}
	p->depth++;
	p->key = K_NONE;
	return 1;
}

static int cb_key(void *ctx, const unsigned char *k, size_t len)
{
	struct gen_jparser *p = ctx;

	if (p->depth == 1)
		p->key = lookup_key(k, len);
	return 1;
}

static int cb_end_map(void *ctx)
{
	struct gen_jparser *p = ctx;

	p->depth--;
	return 1;
}

static int cb_start_array(void *ctx)
{
	struct gen_jparser *p = ctx;

	if (p->depth == 0)
		return fail(p, "not a JSON object");
	if (p->in_pair)
		return fail(p, "\"value\" must be %s", jt_str(JT_PAIR));
	if (p->depth == 1 && p->key == K_VALUE) {
		p->in_pair = true;
		p->npair = 0;
	} else if (p->depth == 1 && p->key != K_OTHER && p->key != K_NONE) {
		return fail(p, "\"%s\" must be %s", key_names[p->key],
			    jt_str(key_types[p->key]));
	}
	p->depth++;
	return 1;
}

static int cb_end_array(void *ctx)
{
	struct gen_jparser *p = ctx;

	p->depth--;
	if (p->in_pair && p->depth == 1) {
		p->in_pair = false;
		if (p->npair != 2 || p->pair[0] > p->pair[1])
			return fail(p, "\"value\" must be %s with lo <= hi",
				    jt_str(JT_PAIR));
		p->seen[K_VALUE] = true;
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_bool,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

static int new_handle(struct gen_jparser *p)
{
	if (p->h)
		yajl_free(p->h);
	p->h = yajl_alloc(&callbacks, NULL, p);
	if (!p->h)
		return -ENOMEM;
	/* one object per line, parsed with one handle for many lines */
	yajl_config(p->h, yajl_allow_multiple_values, 1);
	p->handle_dirty = false;
	return 0;
}

struct gen_jparser *gen_jparser_new(void)
{
	struct gen_jparser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (new_handle(p) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

void gen_jparser_free(struct gen_jparser *p)
{
	if (!p)
		return;
	if (p->h)
		yajl_free(p->h);
	sb_free(&p->sb);
	free(p);
}

static void reset_line(struct gen_jparser *p)
{
	p->depth = 0;
	p->nvalues = 0;
	p->key = K_NONE;
	p->in_pair = false;
	p->npair = 0;
	memset(p->seen, 0, sizeof(p->seen));
	memset(p->str, 0, sizeof(p->str));
	memset(p->num, 0, sizeof(p->num));
	memset(p->flag, 0, sizeof(p->flag));
	p->vtext[0] = '\0';
	p->why[0] = '\0';
	p->bad = false;
	sb_reset(&p->sb);
}

static struct gen_str get(const struct gen_jparser *p, enum key k)
{
	struct gen_str s = {NULL, 0};

	if (p->str[k].set) {
		s.s = p->sb.buf + p->str[k].off;
		s.len = p->str[k].len;
	}
	return s;
}

static bool str_is(struct gen_str s, const char *lit)
{
	return s.s && s.len == strlen(lit) && memcmp(s.s, lit, s.len) == 0;
}

static int set_err(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

/* Fields each kind needs, after a syntactically good line. */
static int fill_event(struct gen_jparser *p, struct gen_event *ev, char *err,
		      size_t errlen)
{
	static const struct {
		const char *name;
		enum gen_ev_kind kind;
	} kinds[] = {
		{"ability", GEN_EV_ABILITY}, {"attach", GEN_EV_ATTACH},
		{"link", GEN_EV_LINK},       {"lost", GEN_EV_LOST},
		{"new_type", GEN_EV_NEWTYPE}, {"gap", GEN_EV_GAP},
	};
	struct gen_str result, domain;
	size_t i;

	memset(ev, 0, sizeof(*ev));
	if (!p->seen[K_V])
		return set_err(err, errlen, "no event version (\"v\")");
	if (p->num[K_V] != EV_JSON_VERSION) {
		snprintf(err, errlen, "unknown event version %s", p->vtext);
		return -EINVAL;
	}
	ev->kind_name = get(p, K_KIND);
	if (!ev->kind_name.s)
		return set_err(err, errlen, "no event kind (\"kind\")");
	ev->kind = GEN_EV_OTHER;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (str_is(ev->kind_name, kinds[i].name))
			ev->kind = kinds[i].kind;
	ev->name = get(p, K_NAME);
	ev->type = get(p, K_TYPE);
	ev->ability = get(p, K_ABILITY);
	ev->value_type = get(p, K_VALUE_TYPE);
	ev->path = get(p, K_PATH);
	ev->channel_type = get(p, K_CHANNEL_TYPE);
	ev->reason = get(p, K_REASON);
	ev->noaudit = p->flag[K_NOAUDIT];
	ev->borrowed = p->seen[K_OWN] && !p->flag[K_OWN];
	ev->learning = p->flag[K_LEARNING];
	ev->has_value = p->seen[K_VALUE];
	ev->lo = p->pair[0];
	ev->hi = p->pair[1];
	ev->has_age = p->seen[K_AGE];
	ev->age_ms = (uint32_t)p->num[K_AGE];
	ev->lost = p->num[K_LOST];
	ev->type_id = p->seen[K_TYPE_ID] ? (uint32_t)p->num[K_TYPE_ID] : UINT32_MAX;
	ev->value_type_id = p->seen[K_VALUE_TYPE_ID] ?
				    (uint32_t)p->num[K_VALUE_TYPE_ID] :
				    UINT32_MAX;
	ev->channel_type_id = p->seen[K_CHANNEL_TYPE_ID] ?
				      (uint32_t)p->num[K_CHANNEL_TYPE_ID] :
				      UINT32_MAX;

	switch (ev->kind) {
	case GEN_EV_ABILITY:
	case GEN_EV_ATTACH:
	case GEN_EV_LINK:
		result = get(p, K_RESULT);
		if (str_is(result, "allowed"))
			ev->allowed = true;
		else if (!str_is(result, "denied"))
			return set_err(err, errlen,
				       "\"result\" must be \"allowed\" or \"denied\"");
		domain = get(p, K_DOMAIN);
		if (str_is(domain, "root"))
			ev->root = true;
		else if (!str_is(domain, "non-root"))
			return set_err(err, errlen,
				       "\"domain\" must be \"root\" or \"non-root\"");
		if (!ev->type.s)
			return set_err(err, errlen, "no \"type\"");
		if (ev->kind == GEN_EV_ABILITY && !ev->ability.s)
			return set_err(err, errlen, "no \"ability\"");
		if (ev->kind != GEN_EV_ABILITY && !ev->path.s)
			return set_err(err, errlen, "no \"path\"");
		break;
	case GEN_EV_NEWTYPE:
		if (!ev->type.s)
			return set_err(err, errlen, "no \"type\"");
		break;
	case GEN_EV_LOST:
		if (!p->seen[K_LOST])
			return set_err(err, errlen, "no \"lost\" count");
		break;
	case GEN_EV_GAP:
		/* a reconnecting monitor writes "begin" when it loses
		 * secpold and "end" when it is back; older lines have no
		 * phase */
		ev->gap_begin = str_is(get(p, K_PHASE), "begin");
		break;
	case GEN_EV_OTHER:
		break;
	}
	return 0;
}

static bool blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

int gen_jparse(struct gen_jparser *p, const char *line, size_t len,
	       struct gen_event *ev, char *err, size_t errlen)
{
	yajl_status st;
	int r;

	if (blank(line, len))
		return 1;
	if (p->handle_dirty) {
		r = new_handle(p);
		if (r < 0)
			return r;
	}
	reset_line(p);
	st = yajl_parse(p->h, (const unsigned char *)line, len);
	if (sb_error(&p->sb)) {
		p->handle_dirty = true;
		return -ENOMEM;
	}
	if (st != yajl_status_ok || p->bad || p->depth != 0 || p->nvalues != 1) {
		p->handle_dirty = true;
		if (p->bad) {
			snprintf(err, errlen, "%s", p->why);
		} else if (st == yajl_status_error) {
			unsigned char *m = yajl_get_error(p->h, 0, NULL, 0);
			struct strbuf q = STRBUF_INIT;
			size_t n = m ? strcspn((const char *)m, "\n") : 0;

			/* yajl's message, on one line and escaped */
			sb_escape(&q, m ? (const char *)m : "", n,
				  ESC_KEEP_SPACE);
			snprintf(err, errlen, "invalid JSON: %s",
				 n ? sb_str(&q) : "parse error");
			sb_free(&q);
			if (m)
				yajl_free_error(p->h, m);
		} else if (p->nvalues == 0) {
			snprintf(err, errlen, "not a JSON object");
		} else {
			snprintf(err, errlen,
				 "invalid JSON: the object is not complete");
		}
		return -EINVAL;
	}
	return fill_event(p, ev, err, errlen);
}
