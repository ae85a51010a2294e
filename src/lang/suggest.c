// SPDX-License-Identifier: BSD-2-Clause
#include "suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LEN 64 /* longer words are not worth comparing */

static bool ch_eq(char a, char b, bool icase)
{
	return icase ? tolower((unsigned char)a) == tolower((unsigned char)b)
		     : a == b;
}

unsigned edit_distance(const char *a, size_t alen, const char *b, size_t blen,
		       bool icase)
{
	unsigned d[MAX_LEN + 1][MAX_LEN + 1];
	size_t i, j;

	if (alen > MAX_LEN || blen > MAX_LEN)
		return ~0u;
	for (i = 0; i <= alen; i++)
		d[i][0] = (unsigned)i;
	for (j = 0; j <= blen; j++)
		d[0][j] = (unsigned)j;
	for (i = 1; i <= alen; i++) {
		for (j = 1; j <= blen; j++) {
			unsigned cost = ch_eq(a[i - 1], b[j - 1], icase) ? 0 : 1;
			unsigned v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && ch_eq(a[i - 1], b[j - 2], icase) &&
			    ch_eq(a[i - 2], b[j - 1], icase) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[alen][blen];
}

void suggester_init(struct suggester *s, const char *word, size_t len,
		    bool icase)
{
	s->word = word;
	s->len = len;
	s->icase = icase;
	s->best = NULL;
	s->best_dist = ~0u;
}

void suggester_add(struct suggester *s, const char *cand)
{
	size_t clen = strlen(cand);
	unsigned dist, limit;

	/* a case-only difference is always worth pointing out */
	if (clen == s->len && strncasecmp(cand, s->word, clen) == 0 &&
	    strncmp(cand, s->word, clen) != 0)
		dist = 0;
	else
		dist = edit_distance(s->word, s->len, cand, clen, s->icase);
	/* a third of the shorter word, at least one edit */
	limit = (unsigned)((s->len < clen ? s->len : clen) / 3);
	if (limit < 1)
		limit = 1;
	if (dist <= limit && dist < s->best_dist) {
		s->best = cand;
		s->best_dist = dist;
	}
}

const char *suggester_best(const struct suggester *s)
{
	return s->best;
}

const char *suggest(const char *word, size_t len, const char *const *cands,
		    bool icase)
{
	struct suggester s;

	suggester_init(&s, word, len, icase);
	while (*cands)
		suggester_add(&s, *cands++);
	return suggester_best(&s);
}
