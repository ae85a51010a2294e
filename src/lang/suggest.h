/* SPDX-License-Identifier: BSD-2-Clause */
/* "Did you mean": the closest candidate by edit distance (with adjacent
 * transpositions), if it is close enough to be a plausible typo. */
#ifndef SECPOL_SUGGEST_H
#define SECPOL_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

struct suggester {
	const char *word;
	size_t len;
	bool icase;
	const char *best; /* NUL-terminated candidate */
	unsigned best_dist;
};

void suggester_init(struct suggester *s, const char *word, size_t len,
		    bool icase);
void suggester_add(struct suggester *s, const char *cand);
/* The best candidate, or NULL if none is close enough. */
const char *suggester_best(const struct suggester *s);
/* One call over a NULL-terminated list. */
const char *suggest(const char *word, size_t len, const char *const *cands,
		    bool icase);
/* Edit distance (optimal string alignment), exposed for tests. */
unsigned edit_distance(const char *a, size_t alen, const char *b, size_t blen,
		       bool icase);

#endif
