/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Arena allocation for data that lives and dies together (a parse tree,
 * a compilation): many small allocations, one free.  Allocation failure
 * returns NULL; the arena stays usable.
 */
#ifndef SECPOL_ARENA_H
#define SECPOL_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used_total; /* bytes handed out, for limits */
};

#define ARENA_INIT {NULL, 0}

void *arena_alloc(struct arena *a, size_t size);   /* zeroed, 16-aligned */
void *arena_array(struct arena *a, size_t n, size_t size); /* overflow-safe */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Grows an array held in the arena: returns a copy with room for cap_new
 * elements (old contents copied), or NULL. */
void *arena_grow(struct arena *a, void *old, size_t n_old, size_t n_new,
		 size_t size);
void arena_free(struct arena *a);

#endif
