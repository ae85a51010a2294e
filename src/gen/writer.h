/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The generated policy, as text secpolcompile reads: type declarations,
 * per type its ability blocks (root, then nonroot), channel connects,
 * attach and link rules, each with a comment naming the programs that
 * needed it and when.  With a base policy, the base's text comes first
 * and only what it does not already allow is added.
 */
#ifndef SECPOL_GEN_WRITER_H
#define SECPOL_GEN_WRITER_H

#include <stdbool.h>

#include "common/strbuf.h"
#include "model.h"

struct gen_base;

struct gen_write_opts {
	unsigned generalize;         /* -G: this many names in one directory
					become DIR/ and a star (0: never) */
	const struct gen_base *base; /* -p, or NULL */
	bool unused_comments;        /* list the base's unused statements at
					the end, as comments */
	const char *inputs;          /* what was read, for the header */
};

/*
 * Appends the policy to out.  What could not be written (paths the
 * language cannot hold, conflicts with the base) is also appended to
 * notes, one line each, for stderr.  0 or -ENOMEM.
 */
int gen_write_policy(const struct gen_model *m, const struct gen_write_opts *o,
		     struct strbuf *out, struct strbuf *notes);

/* "prog, prog2 and 3 more (start-up)": the programs and time of a need. */
void gen_put_prov(struct strbuf *sb, const struct gen_model *m,
		  const struct gen_prov *p);
/* The values of ability ab as a subrange list ("33,1000-1001"; settypeid:
 * type names). */
void gen_put_values(struct strbuf *sb, const struct gen_model *m, uint16_t ab,
		    const struct gen_ranges *v);
/* The model's types in the order the policy declares them (types seen
 * with an ID first, by that ID, then by name).  Caller frees. */
uint32_t *gen_type_order(const struct gen_model *m, size_t *n);

#endif
