// SPDX-License-Identifier: BSD-2-Clause
#include "ranges.h"

#include <stdint.h>
#include <stdlib.h>

static int cmp_range(const void *a, const void *b)
{
	const struct sp_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

size_t sp_ranges_normalize(struct sp_range *r, size_t n)
{
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(*r), cmp_range);
	for (i = 1; i < n; i++) {
		struct sp_range *last = &r[out];

		/* adjacent when last->hi + 1 == lo; careful at UINT64_MAX */
		if (r[i].lo <= last->hi ||
		    (last->hi != UINT64_MAX && r[i].lo == last->hi + 1)) {
			if (r[i].hi > last->hi)
				last->hi = r[i].hi;
		} else {
			r[++out] = r[i];
		}
	}
	return out + 1;
}

bool sp_ranges_cover(const struct sp_range *r, size_t n, uint64_t lo,
		     uint64_t hi)
{
	size_t a = 0, b = n;

	/* binary search for the last range with r.lo <= lo */
	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (r[m].lo <= lo)
			a = m + 1;
		else
			b = m;
	}
	return a > 0 && r[a - 1].hi >= hi && r[a - 1].lo <= lo;
}

bool sp_ranges_cover_all(const struct sp_range *a, size_t na,
			 const struct sp_range *b, size_t nb)
{
	size_t i;

	for (i = 0; i < nb; i++)
		if (!sp_ranges_cover(a, na, b[i].lo, b[i].hi))
			return false;
	return true;
}
