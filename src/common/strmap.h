/* SPDX-License-Identifier: BSD-2-Clause */
/* A map from byte strings to 32-bit values (open addressing).  Keys are
 * not copied: they must outlive the map. */
#ifndef SECPOL_STRMAP_H
#define SECPOL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strmap_slot {
	const char *key;
	size_t len;
	uint32_t value;
	uint32_t hash;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap; /* power of two */
	size_t n;
};

#define STRMAP_INIT {NULL, 0, 0}

/* 0, -EEXIST (value left as is; *old gets the existing one if non-NULL),
 * or -ENOMEM. */
int strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value,
	       uint32_t *old);
bool strmap_get(const struct strmap *m, const char *key, size_t len,
		uint32_t *value);
void strmap_free(struct strmap *m);

#endif
