// SPDX-License-Identifier: BSD-2-Clause
/*
 * The policy writer works in two passes: a plan (per type, the ability
 * items of each domain, the connects and the path rules, with what the
 * base already allows taken out and paths generalised), then the text.
 * Between them the plan and the base go into a grant table, which says
 * which gain_priv items the compiler's settypeid check will want.
 */
#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "common/escape.h"
#include "common/version.h"
#include "gain.h"
#include "pathtext.h"
#include "policy/ability.h"
#include "policy/policy.h"
#include "policy/ranges.h"

#define SHOWN_NAMES 3 /* programs named in a comment */

/* Ability keys of the grant table for custom abilities (see gain.h) */
#define KEY_BASE_CUSTOM 0x10000u
#define KEY_MODEL_CUSTOM 0x20000u

struct witem {
	uint16_t ab;
	bool plain; /* no subrange */
	struct gen_ranges vals;
	const struct gen_prov *prov;
};

struct wrule {
	enum gen_op op;
	char *word;            /* NULL: cannot be written (why) */
	const char *why;
	const struct gen_path *first; /* the (first) path it stands for */
	uint32_t chan_type;
	struct gen_prov prov;
	size_t count; /* names it stands for (> 1: generalised) */
	bool base_conflict; /* the base has the same rule with another type */
	bool chan_conflict;
};

struct wtype {
	uint32_t out_id;
	uint32_t bt; /* base type, or SPB_NO_TYPE */
	bool declare;
	struct witem *items[2];
	size_t nitems[2];
	const struct gen_connect **conns;
	size_t nconns;
	struct wrule *rules;
	size_t nrules, caprules;
	struct gen_gain *gains;
	size_t ngains;
};

struct writer {
	const struct gen_model *m;
	const struct gen_write_opts *o;
	const struct gen_base *b;
	struct wtype *wt; /* by model type */
	uint32_t *order;
	size_t norder;
	uint32_t ntypes_out;
	int err;
};

/* ---- comments ------------------------------------------------------------ */

static int cmp_name_id(const void *a, const void *b, void *ctx)
{
	const struct gen_model *m = ctx;

	return strcmp(m->names[*(const uint32_t *)a],
		      m->names[*(const uint32_t *)b]);
}

void gen_put_prov(struct strbuf *sb, const struct gen_model *m,
		  const struct gen_prov *p)
{
	uint32_t ids[GEN_NAMES_KEEP];
	size_t i, n = p->nnames;

	if (n == 0) {
		sb_puts(sb, "programs not recorded");
	} else {
		/* sorted, so that the order of the inputs does not matter */
		memcpy(ids, p->names, n * sizeof(ids[0]));
		qsort_r(ids, n, sizeof(ids[0]), cmp_name_id, (void *)m);
		for (i = 0; i < n && i < SHOWN_NAMES; i++)
			sb_printf(sb, "%s%s", i ? ", " : "", m->names[ids[i]]);
		if (n > SHOWN_NAMES)
			sb_printf(sb, " and %s%zu more",
				  p->more ? "at least " : "", n - SHOWN_NAMES);
		else if (p->more)
			sb_puts(sb, " and others");
	}
	if (p->when == GEN_WHEN_START)
		sb_puts(sb, " (start-up)");
	else if (p->when == GEN_WHEN_LATER)
		sb_puts(sb, " (later)");
	else if (p->when)
		sb_puts(sb, " (start-up and later)");
}

void gen_put_values(struct strbuf *sb, const struct gen_model *m, uint16_t ab,
		    const struct gen_ranges *v)
{
	size_t i;
	uint64_t t;
	bool first = true;

	for (i = 0; i < v->n; i++) {
		if (ab == AB_SETTYPEID) {
			for (t = v->r[i].lo; t <= v->r[i].hi && t < m->ntypes; t++) {
				sb_printf(sb, "%s%s", first ? "" : ",",
					  m->types[t].name);
				first = false;
			}
			continue;
		}
		sb_printf(sb, "%s%llu", i ? "," : "",
			  (unsigned long long)v->r[i].lo);
		if (v->r[i].hi != v->r[i].lo)
			sb_printf(sb, "-%llu", (unsigned long long)v->r[i].hi);
	}
}

/* ---- type order ------------------------------------------------------------ */

static int cmp_type(const void *a, const void *b, void *ctx)
{
	const struct gen_model *m = ctx;
	const struct gen_type *x = &m->types[*(const uint32_t *)a];
	const struct gen_type *y = &m->types[*(const uint32_t *)b];

	if (x->seen_id != y->seen_id)
		return x->seen_id < y->seen_id ? -1 : 1;
	return strcmp(x->name, y->name);
}

uint32_t *gen_type_order(const struct gen_model *m, size_t *n)
{
	uint32_t *v = malloc((m->ntypes ? m->ntypes : 1) * sizeof(*v));
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < m->ntypes; i++)
		v[i] = (uint32_t)i;
	qsort_r(v, m->ntypes, sizeof(*v), cmp_type, (void *)m);
	*n = m->ntypes;
	return v;
}

static bool is_default(const struct gen_model *m, uint32_t t)
{
	return strcmp(m->types[t].name, "default") == 0;
}

/* ---- plan: abilities ------------------------------------------------------------ */

/* dst = the ranges of src not covered by cov (whole ranges). */
static int ranges_minus(struct gen_ranges *dst, const struct gen_ranges *src,
			const struct gen_ranges *cov)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (!cov || !sp_ranges_cover(cov->r, cov->n, src->r[i].lo,
					     src->r[i].hi))
			if (gen_ranges_add(dst, src->r[i].lo, src->r[i].hi) < 0)
				return -ENOMEM;
	return 0;
}

static int ranges_copy(struct gen_ranges *dst, const struct gen_ranges *src)
{
	return ranges_minus(dst, src, NULL);
}

/* Takes out the values the base allows. */
static int minus_base(struct writer *w, uint32_t bt, enum gen_dom dom,
		      uint16_t ab, struct gen_ranges *v)
{
	struct gen_ranges keep = {0};
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!gen_base_allows(w->b, w->m, bt, dom, ab, true, v->r[i].lo,
				     v->r[i].hi) &&
		    gen_ranges_add(&keep, v->r[i].lo, v->r[i].hi) < 0) {
			gen_ranges_free(&keep);
			return -ENOMEM;
		}
	gen_ranges_free(v);
	*v = keep;
	return 0;
}

static int push_item(struct wtype *wt, enum gen_dom dom, const struct witem *it)
{
	struct witem *p = realloc(wt->items[dom],
				  (wt->nitems[dom] + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	wt->items[dom] = p;
	p[wt->nitems[dom]++] = *it;
	return 0;
}

/*
 * The items of one ability.  A domain whose checks carried values gets
 * those values; one whose checks never did gets no subrange when no
 * check of the ability ever had one, else every value seen (a ranged
 * grant lets the kernel's own checks of the capability through).  The
 * nonroot block also covers root, so root keeps only what it adds.
 */
static int plan_ability(struct writer *w, uint32_t t, const struct gen_ability *a)
{
	struct wtype *wt = &w->wt[t];
	bool has_values = a->vals[0].n || a->vals[1].n;
	struct witem it[2];
	bool want[2] = {false, false};
	int d, r = 0;

	memset(it, 0, sizeof(it));
	for (d = GEN_NONROOT; d >= GEN_ROOT; d--) {
		enum gen_dom dom = (enum gen_dom)d;

		if (!(a->used & (1u << d)))
			continue;
		it[d].ab = a->id;
		it[d].prov = &a->prov[d];
		if (!has_values) {
			it[d].plain = true;
		} else if (a->vals[d].n) {
			r = ranges_copy(&it[d].vals, &a->vals[d]);
		} else if (gen_base_allows(w->b, w->m, wt->bt, dom, a->id,
					   false, 0, 0)) {
			continue; /* the base grants it in some form */
		} else {
			r = ranges_copy(&it[d].vals, &a->vals[GEN_ROOT]);
			if (r == 0)
				r = ranges_copy(&it[d].vals, &a->vals[GEN_NONROOT]);
		}
		if (r < 0)
			goto fail;
		if (dom == GEN_ROOT && want[GEN_NONROOT]) {
			struct gen_ranges rest = {0};

			if (it[GEN_NONROOT].plain)
				continue;
			if (it[d].plain) {
				/* the nonroot block's subrange covers the
				 * kernel's checks too */
				continue;
			}
			r = ranges_minus(&rest, &it[d].vals,
					 &it[GEN_NONROOT].vals);
			gen_ranges_free(&it[d].vals);
			it[d].vals = rest;
			if (r < 0)
				goto fail;
		}
		if (it[d].plain) {
			if (gen_base_allows(w->b, w->m, wt->bt, dom, a->id,
					    false, 0, 0))
				continue;
		} else {
			r = minus_base(w, wt->bt, dom, a->id, &it[d].vals);
			if (r < 0)
				goto fail;
			if (!it[d].vals.n)
				continue;
		}
		want[d] = true;
	}
	for (d = GEN_ROOT; d <= GEN_NONROOT; d++) {
		if (!want[d]) {
			gen_ranges_free(&it[d].vals);
			continue;
		}
		r = push_item(wt, (enum gen_dom)d, &it[d]);
		if (r < 0)
			goto fail;
		want[d] = false; /* now owned by the plan */
	}
	return 0;
fail:
	for (d = GEN_ROOT; d <= GEN_NONROOT; d++)
		gen_ranges_free(&it[d].vals);
	return r;
}

/* ---- plan: paths ------------------------------------------------------------ */

static int cmp_path(const void *a, const void *b)
{
	const struct gen_path *x = *(const struct gen_path *const *)a;
	const struct gen_path *y = *(const struct gen_path *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->path, y->path, n);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static struct wrule *new_rule(struct wtype *wt)
{
	struct wrule *r;

	if (wt->nrules == wt->caprules) {
		size_t ncap = wt->caprules ? wt->caprules * 2 : 8;
		struct wrule *p = realloc(wt->rules, ncap * sizeof(*p));

		if (!p)
			return NULL;
		wt->rules = p;
		wt->caprules = ncap;
	}
	r = &wt->rules[wt->nrules++];
	memset(r, 0, sizeof(*r));
	return r;
}

static int add_rule(struct writer *w, struct wtype *wt, enum gen_op op,
		    const struct gen_path *const *ps, size_t n, bool generalise)
{
	struct strbuf word = STRBUF_INIT;
	struct wrule *r = new_rule(wt);
	const char *why = NULL;
	size_t i;
	int e;

	if (!r)
		return -ENOMEM;
	r->op = op;
	r->first = ps[0];
	r->chan_type = ps[0]->chan_type;
	r->count = n;
	for (i = 0; i < n; i++) {
		gen_prov_merge(&r->prov, &ps[i]->prov);
		r->chan_conflict |= ps[i]->chan_conflict;
	}
	if (generalise)
		e = gen_path_dir_word(ps[0]->path, ps[0]->len, &word, &why);
	else
		e = gen_path_word(ps[0]->path, ps[0]->len, &word, &why);
	if (e == -ENOMEM || sb_error(&word)) {
		sb_free(&word);
		return -ENOMEM;
	}
	if (e < 0) {
		r->why = why;
		sb_free(&word);
		return 0;
	}
	r->word = sb_steal(&word);
	if (!r->word)
		return -ENOMEM;
	if (gen_base_has_rule(w->b, wt->bt, op, r->word))
		r->base_conflict = true;
	return 0;
}

/* Paths in one directory (raw bytes before the last '/') */
static bool same_dir(const struct gen_path *a, const struct gen_path *b)
{
	size_t da = gen_path_dirlen(a->path, a->len);
	size_t db = gen_path_dirlen(b->path, b->len);

	return da && da == db && memcmp(a->path, b->path, da) == 0;
}

static int plan_paths(struct writer *w, uint32_t t, enum gen_op op)
{
	const struct gen_type *ty = &w->m->types[t];
	struct wtype *wt = &w->wt[t];
	const struct gen_path **ps;
	size_t n = 0, i, j, k;
	int r = 0;

	if (!ty->npaths[op])
		return 0;
	ps = malloc(ty->npaths[op] * sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	for (i = 0; i < ty->npaths[op]; i++) {
		const struct gen_path *p = &ty->paths[op][i];

		/* a NUL would cut the name short: never "allowed" */
		if (!memchr(p->path, '\0', p->len) &&
		    gen_base_allows_path(w->b, w->m, wt->bt, op, p->path,
					 p->chan_type))
			continue;
		ps[n++] = p;
	}
	qsort(ps, n, sizeof(*ps), cmp_path);
	for (i = 0; i < n && r == 0; i = j) {
		bool one_type = true;
		struct strbuf probe = STRBUF_INIT;
		const char *why;

		/* the run of names in the same directory */
		for (j = i + 1; j < n && same_dir(ps[i], ps[j]); j++)
			one_type &= ps[j]->chan_type == ps[i]->chan_type;
		if (w->o->generalize && j - i >= w->o->generalize && one_type &&
		    gen_path_dir_word(ps[i]->path, ps[i]->len, &probe, &why) == 0) {
			sb_free(&probe);
			r = add_rule(w, wt, op, &ps[i], j - i, true);
			continue;
		}
		sb_free(&probe);
		for (k = i; k < j && r == 0; k++)
			r = add_rule(w, wt, op, &ps[k], 1, false);
	}
	free(ps);
	return r;
}

static int plan_connects(struct writer *w, uint32_t t)
{
	const struct gen_type *ty = &w->m->types[t];
	struct wtype *wt = &w->wt[t];
	size_t i;
	int d;

	wt->conns = calloc(ty->nconn ? ty->nconn : 1, sizeof(*wt->conns));
	if (!wt->conns)
		return -ENOMEM;
	for (i = 0; i < ty->nconn; i++) {
		const struct gen_connect *c = &ty->conn[i];
		bool covered = true;

		for (d = GEN_ROOT; d <= GEN_NONROOT; d++)
			if ((c->used & (1u << d)) &&
			    !gen_base_allows_connect(w->b, w->m, wt->bt,
						     (enum gen_dom)d, c->target))
				covered = false;
		if (!covered)
			wt->conns[wt->nconns++] = c;
	}
	return 0;
}

static bool has_rules(const struct writer *w, uint32_t t)
{
	const struct wtype *wt = &w->wt[t];
	size_t i;

	for (i = 0; i < wt->nrules; i++)
		if (wt->rules[i].word && !wt->rules[i].base_conflict)
			return true;
	return w->b && wt->bt != SPB_NO_TYPE &&
	       sp_policy_rules(w->b->policy, wt->bt, NULL, 0) > 0;
}

static int plan_type(struct writer *w, uint32_t t)
{
	const struct gen_type *ty = &w->m->types[t];
	size_t i;
	int r;

	r = plan_paths(w, t, GEN_ATTACH);
	if (r == 0)
		r = plan_paths(w, t, GEN_LINK);
	if (r == 0)
		r = plan_connects(w, t);
	for (i = 0; r == 0 && i < ty->nab; i++) {
		/* path rules imply pathspace, as on QNX */
		if (ty->ab[i].id == AB_PATHSPACE && has_rules(w, t))
			continue;
		r = plan_ability(w, t, &ty->ab[i]);
	}
	return r;
}

/* ---- plan: gain_priv ---------------------------------------------------------- */

static uint32_t model_key(const struct writer *w, uint16_t ab)
{
	uint16_t bab;
	const char *name;

	if (!ability_is_custom(ab))
		return ab;
	name = gen_model_ability_name(w->m, ab);
	if (w->b && name && sp_policy_ability_lookup(w->b->policy, name, &bab) == 0)
		return KEY_BASE_CUSTOM + (bab - AB_CUSTOM_BASE);
	return KEY_MODEL_CUSTOM + (ab - AB_CUSTOM_BASE);
}

static const char *key_name(const struct writer *w, uint32_t key)
{
	const struct ability_info *a;

	if (key >= KEY_MODEL_CUSTOM)
		return w->m->customs[key - KEY_MODEL_CUSTOM];
	if (key >= KEY_BASE_CUSTOM)
		return sp_policy_ability_policy_name(
			w->b->policy, (uint16_t)(AB_CUSTOM_BASE + key - KEY_BASE_CUSTOM));
	a = ability_by_id((uint16_t)key);
	return a ? a->name : "?";
}

static int gtab_base(struct writer *w, struct gen_gtab *g)
{
	uint32_t nt = sp_policy_type_count(w->b->policy), bt;
	struct sp_grant_view *v = NULL;
	size_t n, i;
	int d, r = 0;

	for (bt = 0; bt < nt && r == 0; bt++) {
		for (d = GEN_ROOT; d <= GEN_NONROOT && r == 0; d++) {
			n = sp_policy_grants(w->b->policy, bt, (enum sp_domain)d,
					     NULL, 0);
			free(v);
			v = calloc(n + 1, sizeof(*v));
			if (!v)
				return -ENOMEM;
			sp_policy_grants(w->b->policy, bt, (enum sp_domain)d, v, n);
			for (i = 0; i < n && r == 0; i++) {
				uint32_t key = v[i].ability;

				if (v[i].ranged && !v[i].nranges)
					continue; /* named ranges cover nothing */
				if (ability_is_custom(v[i].ability))
					key = KEY_BASE_CUSTOM +
					      (v[i].ability - AB_CUSTOM_BASE);
				r = gen_gtab_grant(g, bt, (enum gen_dom)d, key,
						   v[i].ranged ? v[i].ranges : NULL,
						   v[i].ranged ? v[i].nranges : 0);
			}
		}
	}
	free(v);
	return r;
}

static int gtab_plan(struct writer *w, struct gen_gtab *g, uint32_t t)
{
	const struct wtype *wt = &w->wt[t];
	struct sp_range one;
	size_t i, k;
	uint64_t x;
	int d, r = 0;

	for (d = GEN_ROOT; d <= GEN_NONROOT; d++) {
		for (i = 0; i < wt->nitems[d] && r == 0; i++) {
			const struct witem *it = &wt->items[d][i];
			/* a nonroot item is granted in both domains */
			int d2;

			for (d2 = d == GEN_NONROOT ? GEN_ROOT : d; d2 <= d && r == 0; d2++) {
				uint32_t key = model_key(w, it->ab);

				if (it->plain) {
					r = gen_gtab_grant(g, wt->out_id,
							   (enum gen_dom)d2, key,
							   NULL, 0);
					continue;
				}
				for (k = 0; k < it->vals.n && r == 0; k++) {
					one = it->vals.r[k];
					if (it->ab != AB_SETTYPEID) {
						r = gen_gtab_grant(g, wt->out_id,
								   (enum gen_dom)d2,
								   key, &one, 1);
						continue;
					}
					for (x = one.lo; x <= one.hi && r == 0; x++) {
						struct sp_range tr;

						tr.lo = tr.hi = w->wt[x].out_id;
						r = gen_gtab_grant(g, wt->out_id,
								   (enum gen_dom)d2,
								   key, &tr, 1);
					}
				}
			}
		}
	}
	for (i = 0; i < wt->nconns && r == 0; i++) {
		one.lo = one.hi = w->wt[wt->conns[i]->target].out_id;
		for (d = GEN_ROOT; d <= GEN_NONROOT && r == 0; d++)
			r = gen_gtab_grant(g, wt->out_id, (enum gen_dom)d,
					   AB_CHANNEL_CONNECT, &one, 1);
	}
	for (d = GEN_ROOT; d <= GEN_NONROOT && r == 0; d++) {
		if (has_rules(w, t))
			r = gen_gtab_grant(g, wt->out_id, (enum gen_dom)d,
					   AB_PATHSPACE, NULL, 0);
		/* every type has public_channel unless its policy says no */
		if (r == 0 && wt->bt == SPB_NO_TYPE)
			r = gen_gtab_grant(g, wt->out_id, (enum gen_dom)d,
					   AB_PUBLIC_CHANNEL, NULL, 0);
	}
	return r;
}

static int plan_gains(struct writer *w)
{
	struct gen_gtab *g = gen_gtab_new(w->ntypes_out);
	size_t i;
	long n;
	int r = 0;

	if (!g)
		return -ENOMEM;
	if (w->b)
		r = gtab_base(w, g);
	for (i = 0; i < w->norder && r == 0; i++)
		r = gtab_plan(w, g, w->order[i]);
	for (i = 0; i < w->norder && r == 0; i++) {
		struct wtype *wt = &w->wt[w->order[i]];

		n = gen_gtab_gains(g, wt->out_id, NULL, 0);
		if (n <= 0) {
			r = (int)n;
			continue;
		}
		wt->gains = calloc((size_t)n, sizeof(*wt->gains));
		if (!wt->gains) {
			r = -ENOMEM;
			break;
		}
		wt->ngains = (size_t)gen_gtab_gains(g, wt->out_id, wt->gains,
						    (size_t)n);
	}
	gen_gtab_free(g);
	return r;
}

/* ---- plan ------------------------------------------------------------------ */

static int plan(struct writer *w)
{
	const struct gen_model *m = w->m;
	uint32_t nb = w->b ? sp_policy_type_count(w->b->policy) : 1;
	uint32_t next = nb;
	size_t i;
	int r = 0;

	w->wt = calloc(m->ntypes ? m->ntypes : 1, sizeof(*w->wt));
	w->order = gen_type_order(m, &w->norder);
	if (!w->wt || !w->order)
		return -ENOMEM;
	/* IDs in the output: the base's types keep theirs, default is 0,
	 * new types follow in declaration order */
	for (i = 0; i < w->norder; i++) {
		uint32_t t = w->order[i];
		struct wtype *wt = &w->wt[t];

		wt->bt = gen_base_type(w->b, m, t);
		if (wt->bt != SPB_NO_TYPE) {
			wt->out_id = wt->bt;
		} else if (is_default(m, t)) {
			wt->out_id = 0;
		} else {
			wt->out_id = next++;
			wt->declare = true;
		}
	}
	w->ntypes_out = next;
	for (i = 0; i < w->norder && r == 0; i++) {
		uint32_t t = w->order[i];

		if (is_default(m, t) && !m->include_default)
			continue;
		r = plan_type(w, t);
	}
	if (r == 0)
		r = plan_gains(w);
	return r;
}

static void free_plan(struct writer *w)
{
	size_t t, i;
	int d;

	for (t = 0; w->wt && t < w->m->ntypes; t++) {
		struct wtype *wt = &w->wt[t];

		for (d = 0; d < 2; d++) {
			for (i = 0; i < wt->nitems[d]; i++)
				gen_ranges_free(&wt->items[d][i].vals);
			free(wt->items[d]);
		}
		for (i = 0; i < wt->nrules; i++)
			free(wt->rules[i].word);
		free(wt->rules);
		free(wt->conns);
		free(wt->gains);
	}
	free(w->wt);
	free(w->order);
}

/* ---- text ------------------------------------------------------------------ */

static void put_comment(struct strbuf *sb, const struct gen_model *m,
			const struct gen_prov *p)
{
	sb_puts(sb, "  # ");
	gen_put_prov(sb, m, p);
	sb_putc(sb, '\n');
}

static void put_block(struct writer *w, struct strbuf *out, uint32_t t,
		      enum gen_dom dom)
{
	const struct wtype *wt = &w->wt[t];
	const char *name = w->m->types[t].name;
	size_t i, ng = dom == GEN_ROOT ? wt->ngains : 0;

	if (!wt->nitems[dom] && !ng)
		return;
	sb_printf(out, "allow %s self:ability {\n", name);
	if (dom == GEN_NONROOT)
		sb_puts(out, "\tnonroot  # the items below apply as root and as non-root\n");
	for (i = 0; i < wt->nitems[dom]; i++) {
		const struct witem *it = &wt->items[dom][i];

		sb_printf(out, "\t%s", gen_model_ability_name(w->m, it->ab));
		if (!it->plain) {
			sb_putc(out, ':');
			gen_put_values(out, w->m, it->ab, &it->vals);
		}
		put_comment(out, w->m, it->prov);
	}
	for (i = 0; i < ng; i++) {
		uint32_t target = wt->gains[i].target;
		const char *tn = NULL;
		size_t k;

		/* the target's name: a model type, or one only the base has */
		for (k = 0; k < w->norder && !tn; k++)
			if (w->wt[w->order[k]].out_id == target)
				tn = w->m->types[w->order[k]].name;
		if (!tn && w->b)
			tn = sp_policy_type_name(w->b->policy, target);
		sb_printf(out, "\tgain_priv:%s  # settypeid: %s has it\n",
			  key_name(w, wt->gains[i].key), tn ? tn : "?");
	}
	sb_puts(out, "};\n");
}

static void put_rule(struct writer *w, struct strbuf *out,
		     struct strbuf *notes, uint32_t t, const struct wrule *r)
{
	const struct gen_model *m = w->m;
	const char *name = m->types[t].name;
	const char *stmt = r->op == GEN_ATTACH ? "allow_attach" : "allow_link";
	struct strbuf esc = STRBUF_INIT;

	if (!r->word || r->base_conflict) {
		sb_escape(&esc, r->first->path, r->first->len, 0);
		if (!r->word) {
			sb_printf(out, "# %s %s %s: not written: the path %s\n",
				  stmt, name, sb_str(&esc), r->why);
			sb_printf(notes, "type %s: %s path %s cannot be written in a policy: it %s; left out\n",
				  name, r->op == GEN_ATTACH ? "attach" : "link",
				  sb_str(&esc), r->why);
		} else {
			sb_printf(out, "# %s %s %s: not written: the base policy has this rule with another channel type\n",
				  stmt, name, r->word);
			sb_printf(notes, "type %s: attach path %s: the base policy gives it another channel type; left as it is\n",
				  name, sb_str(&esc));
		}
		sb_free(&esc);
		return;
	}
	sb_printf(out, "%s %s %s", stmt, name, r->word);
	if (r->op == GEN_ATTACH && r->chan_type != GEN_NO_TYPE)
		sb_printf(out, " %s", m->types[r->chan_type].name);
	sb_putc(out, ';');
	if (r->count > 1) {
		sb_printf(out, "  # %zu names: ", r->count);
		gen_put_prov(out, m, &r->prov);
		sb_putc(out, '\n');
	} else {
		put_comment(out, m, &r->prov);
	}
	if (r->chan_conflict)
		sb_puts(out, "# (the channel was also seen with another type there)\n");
}

static bool type_has_output(const struct writer *w, uint32_t t)
{
	const struct wtype *wt = &w->wt[t];

	return wt->nitems[0] || wt->nitems[1] || wt->ngains || wt->nconns ||
	       wt->nrules;
}

static void put_type(struct writer *w, struct strbuf *out,
		     struct strbuf *notes, uint32_t t)
{
	const struct wtype *wt = &w->wt[t];
	const char *name = w->m->types[t].name;
	size_t i;

	if (!type_has_output(w, t))
		return;
	sb_printf(out, "\n# %s\n", name);
	put_block(w, out, t, GEN_ROOT);
	put_block(w, out, t, GEN_NONROOT);
	for (i = 0; i < wt->nconns; i++) {
		sb_printf(out, "allow %s %s:channel connect;", name,
			  w->m->types[wt->conns[i]->target].name);
		put_comment(out, w->m, &wt->conns[i]->prov);
	}
	for (i = 0; i < wt->nrules; i++)
		put_rule(w, out, notes, t, &wt->rules[i]);
}

static void put_header(struct writer *w, struct strbuf *out)
{
	const struct gen_model *m = w->m;

	sb_printf(out, "# Generated by secpolgenerate %s from %s:\n",
		  SECPOL_VERSION, w->o->inputs ? w->o->inputs : "no input");
	sb_printf(out, "# %llu events, %llu of them about what a type needs.\n",
		  (unsigned long long)m->events, (unsigned long long)m->used);
	if (m->lost)
		sb_printf(out, "# WARNING: %llu events were lost: what they showed is missing.\n",
			  (unsigned long long)m->lost);
	if (m->gaps)
		sb_printf(out, "# WARNING: a monitor lost secpold and reconnected (%llu time%s): events of the gaps are missing.\n",
			  (unsigned long long)m->gaps, m->gaps == 1 ? "" : "s");
	sb_puts(out, "# It allows what the observed programs did; review it before enforcing.\n");
}

static void put_declarations(struct writer *w, struct strbuf *out)
{
	const struct gen_model *m = w->m;
	bool any = false;
	uint16_t bab;
	size_t i;

	for (i = 0; i < w->norder; i++) {
		uint32_t t = w->order[i];

		if (!w->wt[t].declare)
			continue;
		if (!any)
			sb_putc(out, '\n');
		any = true;
		sb_printf(out, "type %s;", m->types[t].name);
		if (m->types[t].new_type)
			sb_puts(out, "  # made for a run in develop mode");
		sb_putc(out, '\n');
	}
	for (i = 0; i < m->ncustoms; i++) {
		if (w->b && sp_policy_ability_lookup(w->b->policy,
						     m->customs[i], &bab) == 0)
			continue;
		sb_printf(out, "ability %s;\n", m->customs[i]);
	}
}

int gen_write_policy(const struct gen_model *m, const struct gen_write_opts *o,
		     struct strbuf *out, struct strbuf *notes)
{
	struct writer w = {.m = m, .o = o, .b = o->base};
	size_t i;
	int r;

	r = plan(&w);
	if (r < 0)
		goto out;
	if (w.b) {
		sb_append(out, w.b->text, w.b->len);
		if (w.b->len && w.b->text[w.b->len - 1] != '\n')
			sb_putc(out, '\n');
		sb_printf(out, "\n# ---- added by secpolgenerate: what %s does not allow ----\n",
			  w.b->file);
	}
	put_header(&w, out);
	put_declarations(&w, out);
	for (i = 0; i < w.norder; i++)
		put_type(&w, out, notes, w.order[i]);
	if (w.b && o->unused_comments) {
		struct strbuf u = STRBUF_INIT;
		size_t n = gen_base_unused(w.b, m, m->include_default, "# ", &u);

		if (n) {
			sb_printf(out, "\n# ---- unused: %zu statement%s of %s that nothing exercised ----\n",
				  n, n == 1 ? "" : "s", w.b->file);
			sb_append(out, sb_str(&u), u.len);
		}
		if (sb_error(&u))
			r = -ENOMEM;
		sb_free(&u);
	}
	if (sb_error(out) || sb_error(notes))
		r = -ENOMEM;
out:
	free_plan(&w);
	return r;
}
