// SPDX-License-Identifier: BSD-2-Clause
/*
 * Policies made from a loaded policy: a builder holding all of it, and the
 * copy with one more type that secpold's develop mode runs a command under
 * (`on -T NAME` for a NAME the policy does not declare).  Both go through
 * the builder and the loader, so a derived policy is held to the same
 * rules as a compiled one.
 */
#include "policy_internal.h"

#include <errno.h>
#include <stdlib.h>

/* Builder errors on data the loader accepted are bugs, not bad input. */
static int as_bug(int r)
{
	return r == -ENOMEM ? r : -EINVAL;
}

static int copy_names(const struct sp_policy *p, struct sp_builder *b)
{
	uint32_t i, k;
	int r;

	for (i = 1; i < p->ntypes; i++) {
		r = sp_builder_add_type(b, sp_str(p, p->types[i].name));
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->ntypes; i++) {
		r = sp_builder_set_type_flags(b, i, p->types[i].flags);
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->nattrs; i++) {
		r = sp_builder_add_attr(b, sp_str(p, p->attrs[i].name));
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->ntypes; i++) {
		const struct spb_type *t = &p->types[i];

		for (k = 0; k < t->attr_count; k++) {
			r = sp_builder_type_add_attr(b, i,
						     p->tatr[t->attr_first + k]);
			if (r < 0)
				return r;
		}
	}
	for (i = 0; i < p->ncustom; i++) {
		r = sp_builder_add_custom(b, sp_str(p, p->customs[i].name),
					  p->customs[i].flags);
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->nnamed; i++) {
		r = sp_builder_add_named_range(b, sp_str(p, p->nameds[i].name));
		if (r < 0)
			return r;
	}
	return 0;
}

static int copy_rest(const struct sp_policy *p, struct sp_builder *b)
{
	uint32_t i;
	int r;

	for (i = 0; i < p->ngrants; i++) {
		const struct spb_grant *g = &p->grants[i];
		uint32_t nnum = p->grant_nnum[i];

		/* the loader's copies: numeric ranges first, then named */
		r = sp_builder_grant(b, g->type, (enum sp_domain)g->domain,
				     g->ability, nnum ? &p->rnum[g->range_first]
						      : NULL,
				     nnum,
				     g->range_count > nnum ?
					     &p->rnamed[g->range_first + nnum] :
					     NULL,
				     g->range_count - nnum);
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->nrules; i++) {
		const struct spb_rule *ru = &p->rules[i];

		r = sp_builder_add_rule(b, ru->type, p->rule_written[i],
					ru->flags & (SPB_R_ATTACH | SPB_R_LINK),
					ru->new_type);
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->nderives; i++) {
		const struct spb_derive *d = &p->derives[i];

		r = sp_builder_add_derive(b, d->type, sp_str(p, d->name),
					  d->derived);
		if (r < 0)
			return r;
	}
	for (i = 0; i < p->nlimits; i++) {
		const struct spb_limit *l = &p->limits[i];

		r = sp_builder_set_limit(b, l->type, (enum sp_limit_kind)l->kind,
					 l->value);
		if (r < 0)
			return r;
	}
	return 0;
}

int sp_builder_from_policy(const struct sp_policy *p, struct sp_builder **out)
{
	struct sp_builder *b;
	int r;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!p)
		return -EINVAL;
	b = sp_builder_new();
	if (!b)
		return -ENOMEM;
	r = copy_names(p, b);
	if (r == 0)
		r = copy_rest(p, b);
	if (r < 0) {
		sp_builder_free(b);
		return as_bug(r);
	}
	*out = b;
	return 0;
}

int sp_policy_add_type(const struct sp_policy *p, const char *name,
		       uint32_t flags, struct sp_policy **out, uint32_t *id)
{
	struct sp_builder *b = NULL;
	uint32_t policy_id;
	char err[256];
	void *buf = NULL;
	size_t len;
	int r, t;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!p || !sp_name_is_type(name) || (flags & ~SPB_T_KNOWN))
		return -EINVAL;
	r = sp_builder_from_policy(p, &b);
	if (r < 0)
		return r;
	/* -EEXIST (a type or an attribute has the name) before -E2BIG */
	t = sp_builder_add_type(b, name);
	if (t < 0) {
		r = t;
		goto out;
	}
	r = sp_builder_set_type_flags(b, (uint32_t)t, SPB_T_DECLARED | flags);
	if (r == 0)
		r = sp_builder_grant_defaults(b, (uint32_t)t);
	if (r < 0) {
		r = as_bug(r);
		goto out;
	}
	policy_id = p->hdr.policy_id;
	r = sp_builder_serialize(b, p->hdr.flags & SPB_F_MUTABLE, &policy_id,
				 &buf, &len);
	if (r < 0) /* -E2BIG past the file size limit */
		goto out;
	r = sp_policy_load(buf, len, out, err, sizeof(err));
	if (r < 0) {
		r = as_bug(r);
		goto out;
	}
	if (id)
		*id = (uint32_t)t;
out:
	free(buf);
	sp_builder_free(b);
	return r;
}
