/* SPDX-License-Identifier: BSD-2-Clause */
/* Subrange lists: sorting, merging and coverage, shared by the compiler's
 * checks and the policy library. */
#ifndef SECPOL_RANGES_H
#define SECPOL_RANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/* Sorts by lo and joins overlapping or adjacent ranges, in place.
 * Returns the new count. */
size_t sp_ranges_normalize(struct sp_range *r, size_t n);
/* Does one range of a normalized list contain all of [lo, hi]? */
bool sp_ranges_cover(const struct sp_range *r, size_t n, uint64_t lo,
		     uint64_t hi);
/* Is every range of b inside a single range of a (both normalized)? */
bool sp_ranges_cover_all(const struct sp_range *a, size_t na,
			 const struct sp_range *b, size_t nb);

#endif
