// SPDX-License-Identifier: BSD-2-Clause
/*
 * Questions asked of a loaded policy.  The daemon asks them on every
 * supervised system call: they use the loader's indexes, never allocate,
 * and are O(1) or O(log n) except path checks, which scan the caller's
 * own rules.
 */
#include "policy_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ability.h"
#include "ranges.h"

/* ---------------------------------------------------------------------
 * Types, attributes, names
 */
uint32_t sp_policy_type_count(const struct sp_policy *p)
{
	return p ? p->ntypes : 0;
}

const char *sp_policy_type_name(const struct sp_policy *p, uint32_t type)
{
	if (!p || type >= p->ntypes)
		return NULL;
	return sp_str(p, p->types[type].name);
}

bool sp_policy_type_declared(const struct sp_policy *p, uint32_t type)
{
	return p && type < p->ntypes &&
	       (p->types[type].flags & SPB_T_DECLARED);
}

bool sp_policy_type_learning(const struct sp_policy *p, uint32_t type)
{
	return p && type < p->ntypes &&
	       (p->types[type].flags & SPB_T_LEARNING);
}

/* ---------------------------------------------------------------------
 * Limits
 */
static const struct {
	const char *name;
	uint64_t max;
} limit_kinds[SPB_L_LAST + 1] = {
	[SPB_L_PROCESSES] = { "processes", SPB_MAX_PROCESSES },
};

const char *sp_limit_kind_name(enum sp_limit_kind kind)
{
	if ((unsigned)kind < 1 || (unsigned)kind > SPB_L_LAST)
		return NULL;
	return limit_kinds[kind].name;
}

int sp_limit_kind_lookup(const char *name, size_t len,
			 enum sp_limit_kind *kind)
{
	unsigned k;

	for (k = 1; name && k <= SPB_L_LAST; k++) {
		if (strlen(limit_kinds[k].name) != len ||
		    strncasecmp(limit_kinds[k].name, name, len) != 0)
			continue;
		if (kind)
			*kind = (enum sp_limit_kind)k;
		return 0;
	}
	return -ENOENT;
}

uint64_t sp_limit_kind_max(enum sp_limit_kind kind)
{
	return sp_limit_kind_name(kind) ? limit_kinds[kind].max : 0;
}

uint64_t sp_policy_type_limit(const struct sp_policy *p, uint32_t type,
			      enum sp_limit_kind kind)
{
	size_t lo = 0, hi;

	if (!p)
		return 0;
	/* sorted by (type, kind), at most one per pair (the loader says so) */
	hi = p->nlimits;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct spb_limit *l = &p->limits[mid];

		if (l->type == type && l->kind == (uint32_t)kind)
			return l->value;
		if (l->type < type ||
		    (l->type == type && l->kind < (uint32_t)kind))
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Names
 */
static int cmp_key_name(const void *key, const void *ent)
{
	return strcmp(key, ((const struct sp_name_idx *)ent)->name);
}

static int cmp_key_name_icase(const void *key, const void *ent)
{
	return strcasecmp(key, ((const struct sp_name_idx *)ent)->name);
}

int sp_policy_type_lookup(const struct sp_policy *p, const char *name,
			  uint32_t *type)
{
	const struct sp_name_idx *e;

	if (!p || !name)
		return -ENOENT;
	e = bsearch(name, p->type_sorted, p->ntypes, sizeof(*e), cmp_key_name);
	if (!e)
		return -ENOENT;
	if (type)
		*type = e->id;
	return 0;
}

uint32_t sp_policy_attr_count(const struct sp_policy *p)
{
	return p ? p->nattrs : 0;
}

const char *sp_policy_attr_name(const struct sp_policy *p, uint32_t attr)
{
	if (!p || attr >= p->nattrs)
		return NULL;
	return sp_str(p, p->attrs[attr].name);
}

const uint32_t *sp_policy_type_attrs(const struct sp_policy *p,
				     uint32_t type, size_t *n)
{
	if (!p || type >= p->ntypes || !p->types[type].attr_count) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (n)
		*n = p->types[type].attr_count;
	return p->tatr + p->types[type].attr_first;
}

uint32_t sp_policy_custom_count(const struct sp_policy *p)
{
	return p ? p->ncustom : 0;
}

static const struct spb_custom *custom_of(const struct sp_policy *p,
					  uint16_t ability)
{
	if (!p || !ability_is_custom(ability) ||
	    (uint32_t)(ability - AB_CUSTOM_BASE) >= p->ncustom)
		return NULL;
	return &p->customs[ability - AB_CUSTOM_BASE];
}

const char *sp_policy_ability_name(const struct sp_policy *p, uint16_t ability)
{
	const struct ability_info *ai = ability_by_id(ability);
	const struct spb_custom *c;

	if (ai)
		return ai->upper;
	c = custom_of(p, ability);
	return c ? sp_str(p, c->name) : NULL;
}

const char *sp_policy_ability_policy_name(const struct sp_policy *p,
					  uint16_t ability)
{
	const struct ability_info *ai = ability_by_id(ability);
	const struct spb_custom *c;

	if (ai)
		return ai->name;
	c = custom_of(p, ability);
	return c ? sp_str(p, c->name) : NULL;
}

int sp_policy_ability_lookup(const struct sp_policy *p, const char *name,
			     uint16_t *ability)
{
	const struct ability_info *ai;
	const struct sp_name_idx *e;

	if (!name)
		return -ENOENT;
	ai = ability_lookup(name, strlen(name), NULL);
	if (ai) {
		if (ability)
			*ability = ai->id;
		return 0;
	}
	if (!p || !p->ncustom)
		return -ENOENT;
	e = bsearch(name, p->custom_sorted, p->ncustom, sizeof(*e),
		    cmp_key_name_icase);
	if (!e)
		return -ENOENT;
	if (ability)
		*ability = (uint16_t)(AB_CUSTOM_BASE + e->id);
	return 0;
}

bool sp_policy_custom_ranged(const struct sp_policy *p, uint16_t ability)
{
	const struct spb_custom *c = custom_of(p, ability);

	return c && (c->flags & SPB_C_RANGED);
}

uint32_t sp_policy_named_range_count(const struct sp_policy *p)
{
	return p ? p->nnamed : 0;
}

const char *sp_policy_named_range_name(const struct sp_policy *p,
				       uint32_t idx)
{
	if (!p || idx >= p->nnamed)
		return NULL;
	return sp_str(p, p->nameds[idx].name);
}

/* ---------------------------------------------------------------------
 * Abilities
 */
static bool dom_ok(enum sp_domain dom)
{
	return dom == SP_ROOT || dom == SP_NONROOT;
}

uint64_t sp_policy_caps(const struct sp_policy *p, uint32_t type,
			enum sp_domain dom)
{
	if (!p || type >= p->ntypes || !dom_ok(dom))
		return 0;
	return p->caps[(size_t)type * 2 + dom];
}

/* Index of the grant of (type, dom, ability), or -1. */
static long find_grant(const struct sp_policy *p, uint32_t type,
		       enum sp_domain dom, uint16_t ability)
{
	size_t k, lo, hi;

	if (!p || type >= p->ntypes || !dom_ok(dom))
		return -1;
	k = (size_t)type * 2 + dom;
	lo = p->grant_first[k];
	hi = p->grant_first[k + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint16_t a = p->grants[mid].ability;

		if (a == ability)
			return (long)mid;
		if (a < ability)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void fill_view(const struct sp_policy *p, size_t gi,
		      struct sp_grant_view *g)
{
	const struct spb_grant *gr = &p->grants[gi];
	uint32_t nnum = p->grant_nnum[gi];

	g->ability = gr->ability;
	g->domain = (enum sp_domain)gr->domain;
	g->ranged = gr->flags & SPB_G_RANGED;
	g->ranges = nnum ? &p->rnum[gr->range_first] : NULL;
	g->nranges = nnum;
	g->nnamed = gr->range_count - nnum;
	g->named = g->nnamed ? &p->rnamed[gr->range_first + nnum] : NULL;
}

int sp_policy_grant(const struct sp_policy *p, uint32_t type,
		    enum sp_domain dom, uint16_t ability,
		    struct sp_grant_view *g)
{
	long gi = find_grant(p, type, dom, ability);

	if (gi < 0)
		return -ENOENT;
	if (g)
		fill_view(p, (size_t)gi, g);
	return 0;
}

size_t sp_policy_grants(const struct sp_policy *p, uint32_t type,
			enum sp_domain dom, struct sp_grant_view *out,
			size_t max)
{
	size_t k, first, n, i;

	if (!p || type >= p->ntypes || !dom_ok(dom))
		return 0;
	k = (size_t)type * 2 + dom;
	first = p->grant_first[k];
	n = p->grant_first[k + 1] - first;
	for (i = 0; i < n && i < max && out; i++)
		fill_view(p, first + i, &out[i]);
	return n;
}

enum sp_verdict sp_policy_check(const struct sp_policy *p, uint32_t type,
				enum sp_domain dom, uint16_t ability,
				uint64_t lo, uint64_t hi)
{
	long gi = find_grant(p, type, dom, ability);

	if (gi < 0)
		return SP_DENY;
	if (!(p->grants[gi].flags & SPB_G_RANGED))
		return SP_ALLOW;
	/* Named ranges follow the numeric ones and cover nothing. */
	if (lo <= hi && sp_ranges_cover(&p->rnum[p->grants[gi].range_first],
					p->grant_nnum[gi], lo, hi))
		return SP_ALLOW;
	return SP_DENY_RANGE;
}

bool sp_policy_has(const struct sp_policy *p, uint32_t type,
		   enum sp_domain dom, uint16_t ability)
{
	/* Without a value, only a grant that covers every value counts. */
	return sp_policy_check(p, type, dom, ability, 0, UINT64_MAX) ==
	       SP_ALLOW;
}

enum sp_verdict sp_policy_check_connect(const struct sp_policy *p,
					uint32_t type, enum sp_domain dom,
					uint32_t channel_type)
{
	if (channel_type == 0)
		return SP_ALLOW;
	return sp_policy_check(p, type, dom, AB_CHANNEL_CONNECT, channel_type,
			       channel_type);
}

/* ---------------------------------------------------------------------
 * Path space
 */
const char *sp_path_result_str(enum sp_path_result r)
{
	switch (r) {
	case SP_PATH_OK:
		return "ok";
	case SP_PATH_NO_RULE:
		return "no rule";
	case SP_PATH_CONFLICT:
		return "conflict";
	case SP_PATH_BAD_OP:
		return "bad op";
	}
	return "?";
}

/* Higher is more specific: exact, then pattern, then prefix by length. */
static uint64_t specificity(const struct sp_policy *p,
			    const struct spb_rule *ru)
{
	if (ru->flags & SPB_R_PREFIX)
		return 1 + strlen(sp_str(p, ru->path));
	if (ru->flags & SPB_R_PATTERN)
		return (uint64_t)1 << 32;
	return (uint64_t)1 << 33;
}

static bool any_match(const struct sp_policy *p, uint32_t type,
		      uint32_t op, const char *path)
{
	uint32_t i;

	for (i = p->rule_first[type]; i < p->rule_first[type + 1]; i++) {
		const struct spb_rule *ru = &p->rules[i];

		if ((ru->flags & op) &&
		    sp_path_rule_match(sp_str(p, ru->path), ru->flags, path))
			return true;
	}
	return false;
}

enum sp_path_result sp_policy_check_attach(const struct sp_policy *p,
					   uint32_t type, const char *path,
					   uint32_t cur_type,
					   uint32_t *channel_type)
{
	uint64_t best = 0, spec;
	uint32_t best_ct = SPB_NO_TYPE, ct, i;
	bool conflict = false;

	if (!p || type >= p->ntypes || !path)
		return SP_PATH_NO_RULE;
	for (i = p->rule_first[type]; i < p->rule_first[type + 1]; i++) {
		const struct spb_rule *ru = &p->rules[i];

		if (!(ru->flags & SPB_R_ATTACH) ||
		    !sp_path_rule_match(sp_str(p, ru->path), ru->flags, path))
			continue;
		spec = specificity(p, ru);
		ct = ru->new_type != SPB_NO_TYPE ? ru->new_type : type;
		if (spec > best) {
			best = spec;
			best_ct = ct;
			conflict = false;
		} else if (spec == best && ct != best_ct) {
			conflict = true;
		}
	}
	if (!best)
		return any_match(p, type, SPB_R_LINK, path) ? SP_PATH_BAD_OP
							    : SP_PATH_NO_RULE;
	if (conflict || (cur_type != SPB_NO_TYPE && cur_type != best_ct))
		return SP_PATH_CONFLICT;
	if (channel_type)
		*channel_type = best_ct;
	return SP_PATH_OK;
}

enum sp_path_result sp_policy_check_link(const struct sp_policy *p,
					 uint32_t type, const char *path)
{
	if (!p || type >= p->ntypes || !path)
		return SP_PATH_NO_RULE;
	/* Link rules carry no type, so specificity cannot change the answer. */
	if (any_match(p, type, SPB_R_LINK, path))
		return SP_PATH_OK;
	return any_match(p, type, SPB_R_ATTACH, path) ? SP_PATH_BAD_OP
						      : SP_PATH_NO_RULE;
}

size_t sp_policy_rules(const struct sp_policy *p, uint32_t type,
		       struct sp_rule_view *out, size_t max)
{
	uint32_t first, n, i;

	if (!p || type >= p->ntypes)
		return 0;
	first = p->rule_first[type];
	n = p->rule_first[type + 1] - first;
	for (i = 0; i < n && i < max && out; i++) {
		const struct spb_rule *ru = &p->rules[first + i];

		out[i] = (struct sp_rule_view){
			.path = p->rule_written[first + i],
			.flags = ru->flags,
			.new_type = ru->new_type,
		};
	}
	return n;
}

struct derive_key {
	uint32_t type;
	const char *name;
	const struct sp_policy *p;
};

static int cmp_derive_key(const void *key, const void *ent)
{
	const struct derive_key *k = key;
	const struct spb_derive *d = ent;

	if (k->type != d->type)
		return k->type < d->type ? -1 : 1;
	return strcmp(k->name, sp_str(k->p, d->name));
}

int sp_policy_derive(const struct sp_policy *p, uint32_t type,
		     const char *name, uint32_t *derived)
{
	struct derive_key k = { type, name, p };
	const struct spb_derive *d;

	if (!p || !name || !p->nderives)
		return -ENOENT;
	d = bsearch(&k, p->derives, p->nderives, sizeof(*d), cmp_derive_key);
	if (!d)
		return -ENOENT;
	if (derived)
		*derived = d->derived;
	return 0;
}
