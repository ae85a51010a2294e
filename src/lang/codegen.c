// SPDX-License-Identifier: BSD-2-Clause
/* Code generation: hand the resolved and checked policy to the binary
 * policy builder.  Denials are applied here (a denied ability is simply
 * not granted). */
#include "sema.h"

#include <errno.h>
#include <string.h>

#include "policy/ability.h"

static bool built(struct sema *s, int r, const char *what)
{
	if (r >= 0)
		return true;
	if (r == -ENOMEM)
		s->oom = true;
	else
		diag_error(s->diags, NULL, "cannot encode %s: %s", what,
			   strerror(-r));
	return false;
}

int sema_codegen(struct sema *s, struct sp_builder *b)
{
	size_t i, k;

	for (i = 1; i < s->ntypes; i++)
		if (!built(s, sp_builder_add_type(b, s->types[i].name), "a type"))
			return -EINVAL;
	for (i = 0; i < s->ntypes; i++) {
		const struct sym_type *t = &s->types[i];

		if (t->declared)
			sp_builder_mark_declared(b, (uint32_t)i);
		if (t->learning &&
		    !built(s, sp_builder_set_type_flags(b, (uint32_t)i,
							SPB_T_LEARNING),
			   "a learning type"))
			return -EINVAL;
		for (k = 1; k <= SPB_L_LAST; k++)
			if (t->limit[k] &&
			    !built(s, sp_builder_set_limit(b, (uint32_t)i,
							   (enum sp_limit_kind)k,
							   t->limit[k]),
				   "a limit"))
				return -EINVAL;
	}
	for (i = 0; i < s->nattrs; i++)
		if (!built(s, sp_builder_add_attr(b, s->attrs[i].name),
			   "an attribute"))
			return -EINVAL;
	for (i = 0; i < s->ntypes; i++)
		for (k = 0; k < s->types[i].nattrs; k++)
			if (!built(s, sp_builder_type_add_attr(b, (uint32_t)i,
						s->types[i].attrs[k]),
				   "a type attribute"))
				return -EINVAL;
	for (i = 0; i < s->ncustoms; i++)
		if (!built(s, sp_builder_add_custom(b, s->customs[i].name,
				s->customs[i].ranged ? SPB_C_RANGED : 0),
			   "a custom ability"))
			return -EINVAL;
	for (i = 0; i < s->nranges; i++)
		if (!built(s, sp_builder_add_named_range(b, s->ranges[i].name),
			   "a named range"))
			return -EINVAL;
	for (i = 0; i < s->nfolded; i++) {
		const struct folded *g = &s->folded[i];

		if (!g->granted || g->denied)
			continue;
		if (!built(s, sp_builder_grant(b, g->type, g->dom, g->ability,
					       g->uncond ? NULL : g->ranges,
					       g->uncond ? 0 : g->nranges,
					       g->uncond ? NULL : g->named,
					       g->uncond ? 0 : g->nnamed),
			   "a grant"))
			return -EINVAL;
	}
	for (i = 0; i < s->nrules; i++) {
		const struct rule_fact *r = &s->rules[i];

		if (!built(s, sp_builder_add_rule(b, r->type, r->written, r->op,
						  r->newtype),
			   "a path rule"))
			return -EINVAL;
	}
	for (i = 0; i < s->nderives; i++) {
		const struct derive_fact *d = &s->derives[i];

		if (!built(s, sp_builder_add_derive(b, d->type, d->name,
						    d->derived),
			   "a derivation"))
			return -EINVAL;
	}
	return s->oom ? -ENOMEM : 0;
}
