// SPDX-License-Identifier: BSD-2-Clause
#include "gain.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "policy/ability.h"
#include "policy/ranges.h"

struct entry {
	uint32_t key;
	uint8_t dom;
	bool uncond;
	struct gen_ranges r;
};

struct tgrants {
	struct entry *e;
	size_t n, cap;
};

struct gen_gtab {
	uint32_t ntypes;
	struct tgrants *t;
};

struct gen_gtab *gen_gtab_new(uint32_t ntypes)
{
	struct gen_gtab *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->ntypes = ntypes;
	g->t = calloc(ntypes ? ntypes : 1, sizeof(*g->t));
	if (!g->t) {
		free(g);
		return NULL;
	}
	return g;
}

void gen_gtab_free(struct gen_gtab *g)
{
	uint32_t i;
	size_t k;

	if (!g)
		return;
	for (i = 0; i < g->ntypes; i++) {
		for (k = 0; k < g->t[i].n; k++)
			gen_ranges_free(&g->t[i].e[k].r);
		free(g->t[i].e);
	}
	free(g->t);
	free(g);
}

static struct entry *find(const struct gen_gtab *g, uint32_t type, uint8_t dom,
			  uint32_t key)
{
	const struct tgrants *t;
	size_t i;

	if (type >= g->ntypes)
		return NULL;
	t = &g->t[type];
	for (i = 0; i < t->n; i++)
		if (t->e[i].key == key && t->e[i].dom == dom)
			return &t->e[i];
	return NULL;
}

int gen_gtab_grant(struct gen_gtab *g, uint32_t type, enum gen_dom dom,
		   uint32_t key, const struct sp_range *r, size_t n)
{
	struct entry *e;
	struct tgrants *t;
	size_t i;

	if (type >= g->ntypes)
		return -EINVAL;
	e = find(g, type, (uint8_t)dom, key);
	if (!e) {
		t = &g->t[type];
		if (t->n == t->cap) {
			size_t ncap = t->cap ? t->cap * 2 : 8;
			struct entry *p = realloc(t->e, ncap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			t->e = p;
			t->cap = ncap;
		}
		e = &t->e[t->n++];
		memset(e, 0, sizeof(*e));
		e->key = key;
		e->dom = (uint8_t)dom;
	}
	if (n == 0)
		e->uncond = true;
	for (i = 0; i < n; i++)
		if (gen_ranges_add(&e->r, r[i].lo, r[i].hi) < 0)
			return -ENOMEM;
	return 0;
}

/* check.c's covers(): have is at least want */
static bool covers(const struct entry *have, const struct entry *want)
{
	if (!have)
		return false;
	if (have->uncond)
		return true;
	return !want->uncond &&
	       sp_ranges_cover_all(have->r.r, have->r.n, want->r.r, want->r.n);
}

static int add_gain(struct gen_gain **v, size_t *n, size_t *cap, uint32_t key,
		    uint32_t target)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].key == key)
			return 0;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct gen_gain *p = realloc(*v, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		*v = p;
		*cap = ncap;
	}
	(*v)[(*n)++] = (struct gen_gain){key, target};
	return 0;
}

static int cmp_gain(const void *a, const void *b)
{
	uint32_t x = ((const struct gen_gain *)a)->key;
	uint32_t y = ((const struct gen_gain *)b)->key;

	return x < y ? -1 : x > y;
}

long gen_gtab_gains(const struct gen_gtab *g, uint32_t from,
		    struct gen_gain *out, size_t max)
{
	const struct entry *st = find(g, from, GEN_ROOT, AB_SETTYPEID);
	struct gen_gain *v = NULL;
	size_t n = 0, cap = 0, k, i;
	uint64_t t;

	if (!st)
		return 0;
	for (k = 0; k < (st->uncond ? 1 : st->r.n); k++) {
		uint64_t lo = st->uncond ? 0 : st->r.r[k].lo;
		uint64_t hi = st->uncond ? g->ntypes - 1 : st->r.r[k].hi;

		for (t = lo; t <= hi && t < g->ntypes; t++) {
			const struct tgrants *tg = &g->t[t];

			if (t == from)
				continue;
			for (i = 0; i < tg->n; i++) {
				const struct entry *want = &tg->e[i];

				if (covers(find(g, from, want->dom, want->key),
					   want))
					continue;
				if (add_gain(&v, &n, &cap, want->key,
					     (uint32_t)t) < 0) {
					free(v);
					return -ENOMEM;
				}
			}
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_gain);
	for (i = 0; i < n && i < max; i++)
		out[i] = v[i];
	free(v);
	return (long)n;
}
