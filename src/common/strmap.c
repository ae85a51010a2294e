// SPDX-License-Identifier: BSD-2-Clause
#include "strmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key,
				size_t len, uint32_t h)
{
	size_t i = h & (m->cap - 1);

	for (;;) {
		struct strmap_slot *s = &m->slots[i];

		if (!s->key)
			return s;
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

static int grow(struct strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i;
	struct strmap old = *m;

	m->slots = calloc(ncap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return -ENOMEM;
	}
	m->cap = ncap;
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].len,
			      old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return 0;
}

int strmap_put(struct strmap *m, const char *key, size_t len, uint32_t value,
	       uint32_t *old)
{
	uint32_t h = hash_bytes(key, len);
	struct strmap_slot *s;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -ENOMEM;
	s = find(m, key, len, h);
	if (s->key) {
		if (old)
			*old = s->value;
		return -EEXIST;
	}
	s->key = key;
	s->len = len;
	s->value = value;
	s->hash = h;
	m->n++;
	return 0;
}

bool strmap_get(const struct strmap *m, const char *key, size_t len,
		uint32_t *value)
{
	struct strmap_slot *s;

	if (!m->cap)
		return false;
	s = find(m, key, len, hash_bytes(key, len));
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}

void strmap_free(struct strmap *m)
{
	free(m->slots);
	*m = (struct strmap)STRMAP_INIT;
}
