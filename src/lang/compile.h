/* SPDX-License-Identifier: BSD-2-Clause */
/* The compiler driver: policy text in, binary policy out. */
#ifndef SECPOL_COMPILE_H
#define SECPOL_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct compile_opts {
	bool mutable_;
	bool has_id;
	uint32_t id;
};

/*
 * Compiles the sources, concatenated, into a binary policy (caller frees
 * *out).  Diagnostics, warnings included, are added to diags.  Returns 0,
 * -EINVAL when the policy has errors (no output), or -ENOMEM.
 */
int compile_policy(const struct source *srcs, size_t nsrcs,
		   const struct compile_opts *opts, struct diags *diags,
		   void **out, size_t *outlen);

#endif
