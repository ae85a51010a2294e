// SPDX-License-Identifier: BSD-2-Clause
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "common/strbuf.h"
#include "lang/compile.h"
#include "policy/ability.h"
#include "policy/policy.h"
#include "policy/ranges.h"

#define BASE_MAX (16u << 20) /* as secpolcompile reads at most */

int gen_base_load(struct gen_base *b, const char *file, FILE *diag)
{
	struct compile_opts co = {.mutable_ = true};
	struct diags d;
	struct source src;
	char err[256];
	void *bin = NULL;
	size_t binlen = 0;
	int r;

	memset(b, 0, sizeof(*b));
	b->file = strdup(file);
	if (!b->file)
		return -ENOMEM;
	r = read_file(file, BASE_MAX, &b->text, &b->len);
	if (r < 0) {
		fprintf(diag, "secpolgenerate: error: cannot read base policy %s: %s\n",
			file, strerror(-r));
		return r;
	}
	src.name = b->file;
	src.text = b->text;
	src.len = b->len;
	diags_init(&d, &src, 1);
	r = compile_policy(&src, 1, &co, &d, &bin, &binlen);
	diags_print(&d, diag);
	if (r == -EINVAL)
		fprintf(diag, "secpolgenerate: error: the base policy %s has errors\n",
			file);
	diags_free(&d);
	if (r < 0)
		return r;
	r = sp_policy_load(bin, binlen, &b->policy, err, sizeof(err));
	free(bin);
	if (r < 0)
		fprintf(diag, "secpolgenerate: error: base policy %s: %s\n", file,
			err);
	return r;
}

int gen_check_policy(const char *name, const char *text, size_t len,
		     FILE *diag)
{
	struct compile_opts co = {.mutable_ = true};
	struct source src = {name, text, len};
	struct diags d;
	void *bin = NULL;
	size_t binlen = 0;
	int r;

	diags_init(&d, &src, 1);
	r = compile_policy(&src, 1, &co, &d, &bin, &binlen);
	if (r == -EINVAL)
		diags_print(&d, diag);
	diags_free(&d);
	free(bin);
	return r;
}

void gen_base_free(struct gen_base *b)
{
	sp_policy_free(b->policy);
	free(b->text);
	free(b->file);
	memset(b, 0, sizeof(*b));
}

uint32_t gen_base_type(const struct gen_base *b, const struct gen_model *m,
		       uint32_t t)
{
	uint32_t bt;

	if (!b || !b->policy || t >= m->ntypes ||
	    sp_policy_type_lookup(b->policy, m->types[t].name, &bt) < 0)
		return SPB_NO_TYPE;
	return bt;
}

/* The base's ID of a model ability (custom IDs differ). */
static bool base_ability(const struct gen_base *b, const struct gen_model *m,
			 uint16_t ab, uint16_t *out)
{
	const char *name;

	if (!ability_is_custom(ab)) {
		*out = ab;
		return true;
	}
	name = gen_model_ability_name(m, ab);
	return name && sp_policy_ability_lookup(b->policy, name, out) == 0;
}

bool gen_base_allows(const struct gen_base *b, const struct gen_model *m,
		     uint32_t bt, enum gen_dom dom, uint16_t ab, bool has_value,
		     uint64_t lo, uint64_t hi)
{
	struct sp_grant_view g;
	uint16_t bab;
	uint64_t v;

	if (!b || bt == SPB_NO_TYPE || !base_ability(b, m, ab, &bab))
		return false;
	if (!has_value)
		return sp_policy_grant(b->policy, bt, (enum sp_domain)dom, bab,
				       &g) == 0;
	if (ab == AB_SETTYPEID) {
		/* model types: each must be a base type the grant covers */
		for (v = lo; v <= hi; v++) {
			uint32_t t = gen_base_type(b, m, (uint32_t)v);

			if (t == SPB_NO_TYPE ||
			    sp_policy_check(b->policy, bt, (enum sp_domain)dom,
					    bab, t, t) != SP_ALLOW)
				return false;
		}
		return true;
	}
	return sp_policy_check(b->policy, bt, (enum sp_domain)dom, bab, lo,
			       hi) == SP_ALLOW;
}

bool gen_base_allows_connect(const struct gen_base *b,
			     const struct gen_model *m, uint32_t bt,
			     enum gen_dom dom, uint32_t target)
{
	uint32_t tt = gen_base_type(b, m, target);

	if (!b || bt == SPB_NO_TYPE || tt == SPB_NO_TYPE)
		return false;
	return sp_policy_check_connect(b->policy, bt, (enum sp_domain)dom,
				       tt) == SP_ALLOW;
}

bool gen_base_allows_path(const struct gen_base *b, const struct gen_model *m,
			  uint32_t bt, enum gen_op op, const char *path,
			  uint32_t chan_type)
{
	uint32_t got = SPB_NO_TYPE, want;

	if (!b || bt == SPB_NO_TYPE)
		return false;
	if (op == GEN_LINK)
		return sp_policy_check_link(b->policy, bt, path) == SP_PATH_OK;
	want = chan_type == GEN_NO_TYPE ? bt : gen_base_type(b, m, chan_type);
	if (want == SPB_NO_TYPE)
		return false;
	return sp_policy_check_attach(b->policy, bt, path, SPB_NO_TYPE, &got) ==
		       SP_PATH_OK &&
	       got == want;
}

/* The rules of a base type, in a new array (*n of them). */
static struct sp_rule_view *rules_of(const struct gen_base *b, uint32_t bt,
				     size_t *n)
{
	struct sp_rule_view *v;

	*n = sp_policy_rules(b->policy, bt, NULL, 0);
	v = calloc(*n ? *n : 1, sizeof(*v));
	if (v)
		sp_policy_rules(b->policy, bt, v, *n);
	else
		*n = 0;
	return v;
}

bool gen_base_has_rule(const struct gen_base *b, uint32_t bt, enum gen_op op,
		       const char *word)
{
	uint32_t want = op == GEN_LINK ? SPB_R_LINK : SPB_R_ATTACH;
	struct sp_rule_view *v;
	char buf[SPB_MAX_PATH + 8];
	bool found = false;
	size_t n, i;

	if (!b || bt == SPB_NO_TYPE)
		return false;
	v = rules_of(b, bt, &n);
	for (i = 0; v && i < n && !found; i++)
		found = (v[i].flags & want) &&
			strcmp(sp_path_rule_written(v[i].path, v[i].flags, buf,
						    sizeof(buf)),
			       word) == 0;
	free(v);
	return found;
}

/* ---- unused -------------------------------------------------------------- */

static void put_type_ranges(struct strbuf *sb, const struct gen_base *b,
			    const struct sp_grant_view *g)
{
	uint32_t nt = sp_policy_type_count(b->policy);
	bool first = true;
	size_t i;
	uint64_t t;

	for (i = 0; i < g->nranges; i++) {
		for (t = g->ranges[i].lo; t <= g->ranges[i].hi && t < nt; t++) {
			sb_printf(sb, "%s%s", first ? "" : ",",
				  sp_policy_type_name(b->policy, (uint32_t)t));
			first = false;
		}
	}
}

static void put_item(struct strbuf *sb, const struct gen_base *b,
		     const struct sp_grant_view *g)
{
	const struct ability_info *a = ability_by_id(g->ability);
	size_t i;

	sb_puts(sb, sp_policy_ability_policy_name(b->policy, g->ability));
	if (!g->ranged)
		return;
	sb_putc(sb, ':');
	if (a && a->value == AB_VAL_TYPE) {
		put_type_ranges(sb, b, g);
		return;
	}
	for (i = 0; i < g->nranges; i++) {
		sb_printf(sb, "%s%llu", i ? "," : "",
			  (unsigned long long)g->ranges[i].lo);
		if (g->ranges[i].hi != g->ranges[i].lo)
			sb_printf(sb, "-%llu", (unsigned long long)g->ranges[i].hi);
	}
	for (i = 0; i < g->nnamed; i++)
		sb_printf(sb, "%s%s", i || g->nranges ? "," : "",
			  sp_policy_named_range_name(b->policy, g->named[i]));
}

/* Was ability bab (a base ID) used by model type t in dom? */
static bool used_in(const struct gen_base *b, const struct gen_model *m,
		    uint32_t t, uint16_t bab, enum gen_dom dom)
{
	const struct gen_ability *a;
	const char *name;
	uint16_t ab = bab;

	if (t == GEN_NO_TYPE)
		return false;
	if (ability_is_custom(bab)) {
		name = sp_policy_ability_policy_name(b->policy, bab);
		if (!name || !gen_model_find_ability(m, name, strlen(name), &ab))
			return false;
	}
	a = gen_type_ability(&m->types[t], ab);
	return a && (a->used & (1u << dom));
}

static bool connected(const struct gen_model *m, uint32_t t, const char *target)
{
	const struct gen_type *ty;
	size_t i;

	if (t == GEN_NO_TYPE)
		return false;
	ty = &m->types[t];
	for (i = 0; i < ty->nconn; i++)
		if (strcmp(m->types[ty->conn[i].target].name, target) == 0)
			return true;
	return false;
}

static size_t unused_connects(const struct gen_base *b,
			      const struct gen_model *m, uint32_t bt,
			      uint32_t t, const char *prefix, struct strbuf *out)
{
	uint32_t nt = sp_policy_type_count(b->policy);
	const char *me = sp_policy_type_name(b->policy, bt);
	struct sp_grant_view g;
	size_t i, n = 0;
	uint64_t x;

	/* `allow A B:channel connect` grants both domains: one statement */
	if (sp_policy_grant(b->policy, bt, SP_NONROOT, AB_CHANNEL_CONNECT, &g) < 0 ||
	    !g.ranged)
		return 0;
	for (i = 0; i < g.nranges; i++) {
		for (x = g.ranges[i].lo; x <= g.ranges[i].hi && x < nt; x++) {
			const char *tn = sp_policy_type_name(b->policy, (uint32_t)x);

			if (connected(m, t, tn))
				continue;
			sb_printf(out, "%sallow %s %s:channel connect;\n",
				  prefix, me, tn);
			n++;
		}
	}
	return n;
}

static size_t unused_grants(const struct gen_base *b, const struct gen_model *m,
			    uint32_t bt, uint32_t t, bool has_rules,
			    const char *prefix, struct strbuf *out)
{
	const char *me = sp_policy_type_name(b->policy, bt);
	struct sp_grant_view *rv = NULL, *nv = NULL, other;
	size_t nr, nn, i, n = 0;

	nr = sp_policy_grants(b->policy, bt, SP_ROOT, NULL, 0);
	nn = sp_policy_grants(b->policy, bt, SP_NONROOT, NULL, 0);
	rv = calloc(nr + 1, sizeof(*rv));
	nv = calloc(nn + 1, sizeof(*nv));
	if (!rv || !nv) {
		out->failed = true;
		goto out;
	}
	sp_policy_grants(b->policy, bt, SP_ROOT, rv, nr);
	sp_policy_grants(b->policy, bt, SP_NONROOT, nv, nn);
	/* a grant in both domains came from a block with nonroot: unused
	 * when neither domain used it, or when only root did (the root
	 * block would do); a root-only grant when root did not use it */
	for (i = 0; i < nn; i++) {
		const struct sp_grant_view *g = &nv[i];
		bool in_root = sp_policy_grant(b->policy, bt, SP_ROOT,
					       g->ability, &other) == 0;
		bool ur = used_in(b, m, t, g->ability, GEN_ROOT);
		bool un = used_in(b, m, t, g->ability, GEN_NONROOT);

		if (g->ability == AB_PUBLIC_CHANNEL ||
		    g->ability == AB_CHANNEL_CONNECT ||
		    (g->ability == AB_PATHSPACE && has_rules) || un)
			continue;
		sb_printf(out, "%sallow %s self:ability { nonroot ", prefix, me);
		put_item(out, b, g);
		sb_printf(out, " };%s\n",
			  in_root && ur ? "  # used as root only" : "");
		n++;
	}
	for (i = 0; i < nr; i++) {
		const struct sp_grant_view *g = &rv[i];

		if (g->ability == AB_PUBLIC_CHANNEL ||
		    g->ability == AB_CHANNEL_CONNECT ||
		    (g->ability == AB_PATHSPACE && has_rules) ||
		    sp_policy_grant(b->policy, bt, SP_NONROOT, g->ability,
				    &other) == 0 ||
		    used_in(b, m, t, g->ability, GEN_ROOT))
			continue;
		sb_printf(out, "%sallow %s self:ability ", prefix, me);
		put_item(out, b, g);
		sb_puts(out, ";\n");
		n++;
	}
out:
	free(rv);
	free(nv);
	return n;
}

static bool path_used(const struct gen_model *m, uint32_t t, enum gen_op op,
		      const char *stored, uint32_t flags)
{
	const struct gen_type *ty;
	size_t i;

	if (t == GEN_NO_TYPE)
		return false;
	ty = &m->types[t];
	for (i = 0; i < ty->npaths[op]; i++)
		if (sp_path_rule_match(stored, flags, ty->paths[op][i].path))
			return true;
	return false;
}

static size_t unused_rules(const struct gen_base *b, const struct gen_model *m,
			   uint32_t bt, uint32_t t, const char *prefix,
			   struct strbuf *out)
{
	const char *me = sp_policy_type_name(b->policy, bt);
	char stored[SPB_MAX_PATH + 1], written[SPB_MAX_PATH + 8];
	struct sp_rule_view *v;
	size_t nrules, i, n = 0;
	uint32_t flags;

	v = rules_of(b, bt, &nrules);
	if (!v) {
		out->failed = true;
		return 0;
	}
	for (i = 0; i < nrules; i++) {
		enum gen_op op = v[i].flags & SPB_R_LINK ? GEN_LINK : GEN_ATTACH;

		sp_path_rule_written(v[i].path, v[i].flags, written,
				     sizeof(written));
		if (sp_path_rule_parse(written, stored, sizeof(stored), &flags,
				       NULL) < 0)
			continue;
		if (path_used(m, t, op, stored, flags))
			continue;
		sb_printf(out, "%s%s %s %s", prefix,
			  op == GEN_LINK ? "allow_link" : "allow_attach", me,
			  written);
		if (op == GEN_ATTACH && v[i].new_type != SPB_NO_TYPE)
			sb_printf(out, " %s",
				  sp_policy_type_name(b->policy, v[i].new_type));
		sb_puts(out, ";\n");
		n++;
	}
	free(v);
	return n;
}

size_t gen_base_unused(const struct gen_base *b, const struct gen_model *m,
		       bool include_default, const char *prefix,
		       struct strbuf *out)
{
	uint32_t nt = sp_policy_type_count(b->policy), bt, t;
	size_t n = 0;

	for (bt = include_default ? 0 : 1; bt < nt; bt++) {
		const char *name = sp_policy_type_name(b->policy, bt);
		bool has_rules = sp_policy_rules(b->policy, bt, NULL, 0) > 0;

		if (!strmap_get(&m->type_idx, name, strlen(name), &t) ||
		    !m->types[t].subject)
			t = GEN_NO_TYPE;
		n += unused_grants(b, m, bt, t, has_rules, prefix, out);
		n += unused_connects(b, m, bt, t, prefix, out);
		n += unused_rules(b, m, bt, t, prefix, out);
	}
	return n;
}
