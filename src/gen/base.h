/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The base policy (-p): its text is kept as written, the compiled form
 * (built in memory with the compiler's library) answers what it already
 * allows, and the rules nothing exercised are listed (QNX's "unused").
 */
#ifndef SECPOL_GEN_BASE_H
#define SECPOL_GEN_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

struct strbuf;

struct gen_base {
	char *file;
	char *text;
	size_t len;
	struct sp_policy *policy;
};

/*
 * Reads and compiles file.  Diagnostics go to diag (the compiler's form,
 * warnings too).  Returns 0, -EINVAL when the policy has errors, or
 * -errno when it cannot be read (a message is printed in every case).
 */
int gen_base_load(struct gen_base *b, const char *file, FILE *diag);
void gen_base_free(struct gen_base *b);

/*
 * Compiles text (named name in messages) in memory, as secpolcompile
 * would: the generator's check of its own output.  Returns 0, or -EINVAL
 * after printing the compiler's diagnostics to diag, or -ENOMEM.
 */
int gen_check_policy(const char *name, const char *text, size_t len,
		     FILE *diag);

/* The base's ID of the model type t, or SPB_NO_TYPE. */
uint32_t gen_base_type(const struct gen_base *b, const struct gen_model *m,
		       uint32_t t);

/* Does the base grant the model ability ab to base type bt in dom, for
 * all of [lo, hi] (has_value), or at all (!has_value)?  settypeid values
 * are model types. */
bool gen_base_allows(const struct gen_base *b, const struct gen_model *m,
		     uint32_t bt, enum gen_dom dom, uint16_t ab, bool has_value,
		     uint64_t lo, uint64_t hi);
/* May base type bt connect to channels of model type target in dom? */
bool gen_base_allows_connect(const struct gen_base *b,
			     const struct gen_model *m, uint32_t bt,
			     enum gen_dom dom, uint32_t target);
/* Does the base allow the path (attach: with this channel type, a model
 * type or GEN_NO_TYPE for the subject's own)? */
bool gen_base_allows_path(const struct gen_base *b, const struct gen_model *m,
			  uint32_t bt, enum gen_op op, const char *path,
			  uint32_t chan_type);
/* Does the base have a rule of this op for bt written exactly as word? */
bool gen_base_has_rule(const struct gen_base *b, uint32_t bt, enum gen_op op,
		       const char *word);

/*
 * Appends the base's statements that nothing in the model exercised, as
 * policy text, one per line, each prefixed by prefix ("" or "# ").  Type
 * default is left out unless include_default.  Returns how many.
 */
size_t gen_base_unused(const struct gen_base *b, const struct gen_model *m,
		       bool include_default, const char *prefix,
		       struct strbuf *out);

#endif
