// SPDX-License-Identifier: BSD-2-Clause
/*
 * Checks of the policy as a whole, after name resolution: fold the facts
 * per (type, domain, ability); report grants cancelled by denials,
 * duplicate and conflicting rules and derivations; and refuse settypeid
 * grants that would let a type gain abilities it does not have (QNX's
 * secpolcompile does the same) unless gain_priv allows it.
 */
#include "sema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "policy/ability.h"
#include "policy/ranges.h"

static int cmp_fact(const void *a, const void *b)
{
	const struct fact *x = a, *y = b;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->dom != y->dom)
		return x->dom < y->dom ? -1 : 1;
	if (x->ability != y->ability)
		return x->ability < y->ability ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Folds facts[from..to) (one type, domain, ability) into one entry. */
static void fold_group(struct sema *s, const struct fact *f, size_t n)
{
	struct folded *g = SEMA_PUSH(s, folded);
	size_t i, nr = 0, nn = 0;

	if (!g)
		return;
	g->type = f[0].type;
	g->dom = f[0].dom;
	g->ability = f[0].ability;
	for (i = 0; i < n; i++) {
		switch ((enum fact_kind)f[i].kind) {
		case F_GRANT:
			g->granted = true;
			if (!f[i].nranges && !f[i].nnamed)
				g->uncond = true;
			nr += f[i].nranges;
			nn += f[i].nnamed;
			if (!f[i].implicit && !g->explicit_grant) {
				g->explicit_grant = true;
				g->grant_loc = f[i].loc;
			}
			break;
		case F_DENY:
			if (!g->denied)
				g->deny_loc = f[i].loc;
			g->denied = true;
			break;
		case F_GAIN:
			g->gain = true;
			break;
		}
	}
	if (g->uncond || !g->granted)
		return;
	g->ranges = arena_array(s->arena, nr ? nr : 1, sizeof(*g->ranges));
	g->named = arena_array(s->arena, nn ? nn : 1, sizeof(*g->named));
	if (!g->ranges || !g->named) {
		s->oom = true;
		return;
	}
	for (i = 0; i < n; i++) {
		if (f[i].kind != F_GRANT)
			continue;
		if (f[i].nranges)
			memcpy(g->ranges + g->nranges, f[i].ranges,
			       f[i].nranges * sizeof(*g->ranges));
		g->nranges += f[i].nranges;
		if (f[i].nnamed)
			memcpy(g->named + g->nnamed, f[i].named,
			       f[i].nnamed * sizeof(*g->named));
		g->nnamed += f[i].nnamed;
	}
	g->nranges = sp_ranges_normalize(g->ranges, g->nranges);
	qsort(g->named, g->nnamed, sizeof(*g->named), cmp_u32);
	for (i = 1, nn = g->nnamed ? 1 : 0; i < g->nnamed; i++)
		if (g->named[i] != g->named[nn - 1])
			g->named[nn++] = g->named[i];
	g->nnamed = nn;
}

static void fold(struct sema *s)
{
	size_t i, start = 0;

	qsort(s->facts, s->nfacts, sizeof(*s->facts), cmp_fact);
	for (i = 1; i <= s->nfacts; i++) {
		if (i < s->nfacts && s->facts[i].type == s->facts[start].type &&
		    s->facts[i].dom == s->facts[start].dom &&
		    s->facts[i].ability == s->facts[start].ability)
			continue;
		fold_group(s, &s->facts[start], i - start);
		start = i;
	}
}

const struct folded *sema_folded(const struct sema *s, uint32_t type,
				 uint8_t dom, uint16_t ability)
{
	size_t a = 0, b = s->nfolded;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		const struct folded *g = &s->folded[m];
		int c = g->type != type ? (g->type < type ? -1 : 1) :
			g->dom != dom ? (g->dom < dom ? -1 : 1) :
			g->ability != ability ? (g->ability < ability ? -1 : 1) : 0;

		if (c == 0)
			return g;
		if (c < 0)
			a = m + 1;
		else
			b = m;
	}
	return NULL;
}

/* Effective: granted and not denied. */
static bool effective(const struct folded *g)
{
	return g && g->granted && !g->denied;
}

static void check_denials(struct sema *s)
{
	size_t i;

	for (i = 0; i < s->nfolded; i++) {
		const struct folded *g = &s->folded[i];

		/* one warning per type, not one per domain */
		if (g->dom != SPB_DOM_ROOT || !g->denied || !g->explicit_grant)
			continue;
		diag_warning(s->diags, &g->deny_loc,
			     "ability '%s' is both granted to and denied to type '%s'; the denial wins",
			     sema_ability_name(s, g->ability),
			     s->types[g->type].name);
		diag_note(s->diags, &g->grant_loc, "granted here");
	}
}

static int cmp_rule(const void *a, const void *b)
{
	const struct rule_fact *x = a, *y = b;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	c = strcmp(x->written, y->written);
	if (c)
		return c;
	/* keep policy order among equals so the first site comes first */
	if (x->loc.file != y->loc.file)
		return x->loc.file < y->loc.file ? -1 : 1;
	return x->loc.off < y->loc.off ? -1 : x->loc.off > y->loc.off;
}

static void check_rules(struct sema *s)
{
	struct rule_fact *sorted;
	size_t i;

	if (s->nrules < 2)
		return;
	sorted = malloc(s->nrules * sizeof(*sorted));
	if (!sorted) {
		s->oom = true;
		return;
	}
	memcpy(sorted, s->rules, s->nrules * sizeof(*sorted));
	qsort(sorted, s->nrules, sizeof(*sorted), cmp_rule);
	for (i = 1; i < s->nrules; i++) {
		const struct rule_fact *a = &sorted[i - 1], *b = &sorted[i];
		const char *op = b->op == SPB_R_LINK ? "allow_link" :
						       "allow_attach";

		if (a->type != b->type || a->op != b->op ||
		    strcmp(a->written, b->written) != 0)
			continue;
		/* the same statement listing several subjects that share an
		 * attribute produces the same site twice: not a duplicate */
		if (a->loc.file == b->loc.file && a->loc.off == b->loc.off)
			continue;
		/* no relabel means the subject's own type */
		if ((a->newtype == SPB_NO_TYPE ? a->type : a->newtype) ==
		    (b->newtype == SPB_NO_TYPE ? b->type : b->newtype)) {
			diag_warning(s->diags, &b->loc,
				     "duplicate %s rule for type '%s' and path '%s'",
				     op, s->types[b->type].name,
				     diag_quote(s->diags, b->written,
						strlen(b->written)));
			diag_note(s->diags, &a->loc, "first given here");
		} else {
			diag_error(s->diags, &b->loc,
				   "conflicting channel types for type '%s' at path '%s': '%s' here, '%s' before",
				   s->types[b->type].name,
				   diag_quote(s->diags, b->written,
					      strlen(b->written)),
				   b->newtype == SPB_NO_TYPE ?
					   s->types[b->type].name :
					   s->types[b->newtype].name,
				   a->newtype == SPB_NO_TYPE ?
					   s->types[a->type].name :
					   s->types[a->newtype].name);
			diag_note(s->diags, &a->loc, "first given here");
		}
	}
	free(sorted);
}

static void check_derives(struct sema *s)
{
	size_t i, j;

	/* few derivations in practice: quadratic is fine */
	for (i = 0; i < s->nderives; i++) {
		for (j = 0; j < i; j++) {
			if (s->derives[i].type != s->derives[j].type ||
			    strcmp(s->derives[i].name, s->derives[j].name))
				continue;
			diag_error(s->diags, &s->derives[i].loc,
				   "type '%s' already has a derivation named '%s'",
				   s->types[s->derives[i].type].name,
				   s->derives[i].name);
			diag_note(s->diags, &s->derives[j].loc,
				  "first given here");
			break;
		}
	}
}

static bool covers(const struct folded *have, const struct folded *want)
{
	if (!effective(have))
		return false;
	if (have->uncond)
		return true;
	return !want->uncond && sp_ranges_cover_all(have->ranges, have->nranges,
						    want->ranges, want->nranges);
}

static bool may_gain(const struct sema *s, uint32_t type, uint16_t ability)
{
	const struct folded *r = sema_folded(s, type, SPB_DOM_ROOT, ability);
	const struct folded *n = sema_folded(s, type, SPB_DOM_NONROOT, ability);

	return (r && r->gain) || (n && n->gain);
}

/*
 * What would a process of type `from` gain by becoming `to`?  Appends the
 * abilities `to` has (in either domain) beyond `from` that `from` may not
 * gain, as "name" or "name (range)" when only the range is wider, to sb.
 * Returns how many.  The folded list is sorted by type, domain, ability,
 * so an ability seen in the root domain is not listed again for non-root.
 */
static unsigned gains(const struct sema *s, uint32_t from, uint32_t to,
		      struct strbuf *sb)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < s->nfolded; i++) {
		const struct folded *g = &s->folded[i], *have;

		if (g->type != to || !effective(g))
			continue;
		have = sema_folded(s, from, g->dom, g->ability);
		if (covers(have, g) || may_gain(s, from, g->ability))
			continue;
		if (g->dom == SPB_DOM_NONROOT) {
			const struct folded *tr =
				sema_folded(s, to, SPB_DOM_ROOT, g->ability);

			/* already listed for the root domain */
			if (effective(tr) &&
			    !covers(sema_folded(s, from, SPB_DOM_ROOT, g->ability), tr))
				continue;
		}
		sb_printf(sb, "%s%s%s", n ? ", " : "",
			  sema_ability_name(s, g->ability),
			  effective(have) ? " (range)" : "");
		n++;
	}
	return n;
}

static void check_settypeid(struct sema *s)
{
	size_t i, k;

	for (i = 0; i < s->nfolded; i++) {
		const struct folded *g = &s->folded[i];
		uint64_t t;

		if (g->ability != AB_SETTYPEID || g->dom != SPB_DOM_ROOT ||
		    !effective(g))
			continue;
		for (k = 0; k < (g->uncond ? 1 : g->nranges); k++) {
			uint64_t lo = g->uncond ? 0 : g->ranges[k].lo;
			uint64_t hi = g->uncond ? s->ntypes - 1 : g->ranges[k].hi;

			for (t = lo; t <= hi && t < s->ntypes; t++) {
				struct strbuf sb = STRBUF_INIT;

				if (t == g->type)
					continue;
				if (gains(s, g->type, (uint32_t)t, &sb)) {
					const struct loc *l = g->explicit_grant ?
								      &g->grant_loc :
								      NULL;

					diag_error(s->diags, l,
						   "type '%s' cannot be granted 'settypeid:%s': a process would gain abilities '%s' lacks: %s",
						   s->types[g->type].name,
						   s->types[t].name,
						   s->types[g->type].name,
						   sb_str(&sb));
					diag_note(s->diags, l,
						  "grant the gain explicitly with 'gain_priv:ABILITY' for each ability if this is intended");
				}
				if (sb_error(&sb))
					s->oom = true;
				sb_free(&sb);
			}
		}
	}
}

int sema_check(struct sema *s)
{
	fold(s);
	check_denials(s);
	check_rules(s);
	check_derives(s);
	check_settypeid(s);
	return s->oom ? -ENOMEM : 0;
}
