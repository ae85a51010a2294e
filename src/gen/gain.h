/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The compiler's settypeid check (src/lang/check.c), asked ahead: which
 * abilities a type would gain by starting processes of the types its
 * settypeid grant names.  The generator gives it a gain_priv item for
 * each, as the compiler's error message asks, so that what it writes
 * compiles.
 *
 * Abilities are keys: a static ability's ID, or any number above 0xffff
 * the caller chooses for a custom ability (the base policy and the model
 * number theirs differently).
 */
#ifndef SECPOL_GEN_GAIN_H
#define SECPOL_GEN_GAIN_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct gen_gtab;

struct gen_gain {
	uint32_t key;    /* the ability */
	uint32_t target; /* a type that has it */
};

struct gen_gtab *gen_gtab_new(uint32_t ntypes);
void gen_gtab_free(struct gen_gtab *g);
/* Grants key to type in dom for the values r[0..n), or for every value
 * when n is 0.  Grants add up as the compiler's do.  0 or -ENOMEM. */
int gen_gtab_grant(struct gen_gtab *g, uint32_t type, enum gen_dom dom,
		   uint32_t key, const struct sp_range *r, size_t n);
/*
 * What `from` lacks of the abilities of the types its root-domain
 * settypeid grant names (type IDs): one entry per ability, in key order,
 * the first such type with it.  Writes up to max and returns how many
 * there are, or -ENOMEM.
 */
long gen_gtab_gains(const struct gen_gtab *g, uint32_t from,
		    struct gen_gain *out, size_t max);

#endif
