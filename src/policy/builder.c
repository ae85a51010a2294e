// SPDX-License-Identifier: BSD-2-Clause
/*
 * The policy builder: the compiler's back end.  It collects types,
 * attributes, abilities, grants, rules and limits in memory, refuses what
 * the format cannot hold, and serialises the current version of format.h.
 */
#include "policy_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "ability.h"
#include "common/util.h"
#include "ranges.h"

/* ---------------------------------------------------------------------
 * Names
 */

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

bool sp_name_is_ident(const char *s)
{
	size_t i;

	if (!s || !is_ident_start(s[0]))
		return false;
	for (i = 1; s[i]; i++)
		if (i >= SPB_MAX_NAME || !is_ident_char(s[i]))
			return false;
	return true;
}

bool sp_name_is_custom(const char *s)
{
	bool slash = false;
	size_t i;

	if (!s || !s[0])
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (i >= SP_MAX_CUSTOM_NAME)
			return false;
		if (c == '/')
			slash = true;
		else if (!is_ident_char(c) && c != '.' && c != '-')
			return false;
	}
	return slash;
}

bool sp_name_is_type(const char *s)
{
	/* the parser's check_decl_name(): `self` always means the subject */
	return sp_name_is_ident(s) && strcasecmp(s, "self") != 0;
}

/* ---------------------------------------------------------------------
 * A small open-addressing string set: (key, tag) -> value.  Keys are not
 * copied; they must outlive the set (they are the builder's own copies).
 */
struct hslot {
	const char *key;
	uint32_t tag;
	uint32_t val;
};

struct hset {
	struct hslot *slots;
	size_t cap; /* power of two or 0 */
	size_t n;
	bool icase;
};

static uint64_t hash_key(const char *s, uint32_t tag, bool icase)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ tag;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (icase && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = (h ^ c) * 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

static bool key_eq(const struct hset *h, const struct hslot *sl,
		   const char *key, uint32_t tag)
{
	if (sl->tag != tag)
		return false;
	return h->icase ? strcasecmp(sl->key, key) == 0
			: strcmp(sl->key, key) == 0;
}

static struct hslot *hset_slot(const struct hset *h, const char *key,
			       uint32_t tag)
{
	size_t i;

	if (!h->cap)
		return NULL;
	i = hash_key(key, tag, h->icase) & (h->cap - 1);
	while (h->slots[i].key) {
		if (key_eq(h, &h->slots[i], key, tag))
			return &h->slots[i];
		i = (i + 1) & (h->cap - 1);
	}
	return &h->slots[i];
}

static bool hset_get(const struct hset *h, const char *key, uint32_t tag,
		     uint32_t *val)
{
	const struct hslot *sl = hset_slot(h, key, tag);

	if (!sl || !sl->key)
		return false;
	if (val)
		*val = sl->val;
	return true;
}

/* Adds a key known to be absent. */
static int hset_add(struct hset *h, const char *key, uint32_t tag,
		    uint32_t val)
{
	struct hslot *sl;

	if ((h->n + 1) * 2 > h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 64, i;
		struct hset nh = { .cap = ncap, .icase = h->icase };

		nh.slots = calloc(ncap, sizeof(*nh.slots));
		if (!nh.slots)
			return -ENOMEM;
		for (i = 0; i < h->cap; i++) {
			if (!h->slots[i].key)
				continue;
			*hset_slot(&nh, h->slots[i].key, h->slots[i].tag) =
				h->slots[i];
		}
		free(h->slots);
		h->slots = nh.slots;
		h->cap = ncap;
	}
	sl = hset_slot(h, key, tag);
	sl->key = key;
	sl->tag = tag;
	sl->val = val;
	h->n++;
	return 0;
}

static void hset_free(struct hset *h)
{
	free(h->slots);
	h->slots = NULL;
	h->cap = h->n = 0;
}

/* Grows *arr (of elem-size records) to hold at least need records. */
static int grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	void **pp = arr;
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -ENOMEM;
		ncap *= 2;
	}
	p = realloc(*pp, ncap * elem);
	if (!p)
		return -ENOMEM;
	*pp = p;
	*cap = ncap;
	return 0;
}

/* ---------------------------------------------------------------------
 * The builder
 */
struct b_grant {
	uint8_t domain;
	uint16_t ability;
	bool present;  /* false once revoked */
	bool uncond;   /* an unconditional grant was made: ranges ignored */
	struct sp_range *ranges;
	size_t nranges, cranges;
	uint32_t *named;
	size_t nnamed, cnamed;
};

struct b_type {
	char *name;
	uint32_t flags; /* SPB_T_* */
	uint64_t limit[SPB_L_LAST + 1]; /* by kind; 0: none */
	uint32_t *attrs;
	size_t nattrs, cattrs;
	struct b_grant *grants;
	size_t ngrants, cgrants;
};

struct b_name {
	char *name;
	uint32_t flags;
};

struct b_rule {
	uint32_t type;
	uint32_t flags;
	uint32_t new_type;
	char *path; /* stored form */
};

struct b_derive {
	uint32_t type;
	uint32_t derived;
	char *name;
};

struct sp_builder {
	struct b_type *types;
	size_t ntypes, ctypes;
	struct b_name *attrs;
	size_t nattrs, cattrs;
	struct b_name *customs;
	size_t ncustom, ccustom;
	struct b_name *nameds;
	size_t nnamed, cnamed;
	struct b_rule *rules;
	size_t nrules, crules;
	struct b_derive *derives;
	size_t nderives, cderives;
	struct hset names;       /* types (tag 0) and attributes (tag 1) */
	struct hset custom_set;  /* case-insensitive, like the lookups */
	struct hset named_set;
	struct hset derive_set;  /* tag = type */
};

enum { TAG_TYPE, TAG_ATTR };

struct sp_builder *sp_builder_new(void)
{
	struct sp_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->custom_set.icase = true;
	if (sp_builder_add_type(b, "default") != 0) {
		sp_builder_free(b);
		return NULL;
	}
	return b;
}

void sp_builder_free(struct sp_builder *b)
{
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->ntypes; i++) {
		struct b_type *t = &b->types[i];

		free(t->name);
		free(t->attrs);
		for (j = 0; j < t->ngrants; j++) {
			free(t->grants[j].ranges);
			free(t->grants[j].named);
		}
		free(t->grants);
	}
	free(b->types);
	for (i = 0; i < b->nattrs; i++)
		free(b->attrs[i].name);
	free(b->attrs);
	for (i = 0; i < b->ncustom; i++)
		free(b->customs[i].name);
	free(b->customs);
	for (i = 0; i < b->nnamed; i++)
		free(b->nameds[i].name);
	free(b->nameds);
	for (i = 0; i < b->nrules; i++)
		free(b->rules[i].path);
	free(b->rules);
	for (i = 0; i < b->nderives; i++)
		free(b->derives[i].name);
	free(b->derives);
	hset_free(&b->names);
	hset_free(&b->custom_set);
	hset_free(&b->named_set);
	hset_free(&b->derive_set);
	free(b);
}

int sp_builder_add_type(struct sp_builder *b, const char *name)
{
	_cleanup_free_ char *copy = NULL;
	struct b_type *t;
	int r;

	if (!b || !sp_name_is_ident(name))
		return -EINVAL;
	if (hset_get(&b->names, name, TAG_TYPE, NULL) ||
	    hset_get(&b->names, name, TAG_ATTR, NULL))
		return -EEXIST;
	if (b->ntypes >= SPB_MAX_TYPES)
		return -E2BIG;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	r = grow(&b->types, &b->ctypes, b->ntypes + 1, sizeof(*b->types));
	if (r < 0)
		return r;
	r = hset_add(&b->names, copy, TAG_TYPE, (uint32_t)b->ntypes);
	if (r < 0)
		return r;
	t = &b->types[b->ntypes];
	*t = (struct b_type){ .name = steal_ptr(&copy) };
	return (int)b->ntypes++;
}

void sp_builder_mark_declared(struct sp_builder *b, uint32_t type)
{
	if (b && type < b->ntypes)
		b->types[type].flags |= SPB_T_DECLARED;
}

int sp_builder_set_type_flags(struct sp_builder *b, uint32_t type,
			      uint32_t flags)
{
	if (!b || type >= b->ntypes || (flags & ~SPB_T_KNOWN))
		return -EINVAL;
	if (type == 0 && (flags & SPB_T_LEARNING))
		return -EINVAL;
	b->types[type].flags |= flags;
	return 0;
}

int sp_builder_set_limit(struct sp_builder *b, uint32_t type,
			 enum sp_limit_kind kind, uint64_t value)
{
	uint64_t max = sp_limit_kind_max(kind);

	if (!b || type == 0 || type >= b->ntypes || !max || value < 1 ||
	    value > max)
		return -EINVAL;
	if (b->types[type].limit[kind])
		return -EEXIST;
	b->types[type].limit[kind] = value;
	return 0;
}

int sp_builder_add_attr(struct sp_builder *b, const char *name)
{
	_cleanup_free_ char *copy = NULL;
	int r;

	if (!b || !sp_name_is_ident(name))
		return -EINVAL;
	if (hset_get(&b->names, name, TAG_TYPE, NULL) ||
	    hset_get(&b->names, name, TAG_ATTR, NULL))
		return -EEXIST;
	if (b->nattrs >= SPB_MAX_ATTRS)
		return -E2BIG;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	r = grow(&b->attrs, &b->cattrs, b->nattrs + 1, sizeof(*b->attrs));
	if (r < 0)
		return r;
	r = hset_add(&b->names, copy, TAG_ATTR, (uint32_t)b->nattrs);
	if (r < 0)
		return r;
	b->attrs[b->nattrs] = (struct b_name){ .name = steal_ptr(&copy) };
	return (int)b->nattrs++;
}

int sp_builder_type_add_attr(struct sp_builder *b, uint32_t type,
			     uint32_t attr)
{
	struct b_type *t;
	size_t i;
	int r;

	if (!b || type >= b->ntypes || attr >= b->nattrs)
		return -EINVAL;
	t = &b->types[type];
	/* "type t, a, a;" says the same thing twice: store it once */
	for (i = 0; i < t->nattrs; i++)
		if (t->attrs[i] == attr)
			return 0;
	r = grow(&t->attrs, &t->cattrs, t->nattrs + 1, sizeof(*t->attrs));
	if (r < 0)
		return r;
	t->attrs[t->nattrs++] = attr;
	return 0;
}

int sp_builder_add_custom(struct sp_builder *b, const char *name,
			  uint32_t flags)
{
	_cleanup_free_ char *copy = NULL;
	int r;

	if (!b || !sp_name_is_custom(name) || (flags & ~SPB_C_RANGED))
		return -EINVAL;
	if (ability_lookup(name, strlen(name), NULL) ||
	    hset_get(&b->custom_set, name, 0, NULL))
		return -EEXIST;
	if (b->ncustom >= SPB_MAX_CUSTOM)
		return -E2BIG;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	r = grow(&b->customs, &b->ccustom, b->ncustom + 1,
		 sizeof(*b->customs));
	if (r < 0)
		return r;
	r = hset_add(&b->custom_set, copy, 0, (uint32_t)b->ncustom);
	if (r < 0)
		return r;
	b->customs[b->ncustom] =
		(struct b_name){ .name = steal_ptr(&copy), .flags = flags };
	return (int)(AB_CUSTOM_BASE + b->ncustom++);
}

int sp_builder_add_named_range(struct sp_builder *b, const char *name)
{
	_cleanup_free_ char *copy = NULL;
	int r;

	if (!b || !sp_name_is_ident(name))
		return -EINVAL;
	if (hset_get(&b->named_set, name, 0, NULL))
		return -EEXIST;
	/* Named indexes share the RNGE field with SPB_NOT_NAMED. */
	if (b->nnamed >= SPB_NOT_NAMED - 1)
		return -E2BIG;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	r = grow(&b->nameds, &b->cnamed, b->nnamed + 1, sizeof(*b->nameds));
	if (r < 0)
		return r;
	r = hset_add(&b->named_set, copy, 0, (uint32_t)b->nnamed);
	if (r < 0)
		return r;
	b->nameds[b->nnamed] = (struct b_name){ .name = steal_ptr(&copy) };
	return (int)b->nnamed++;
}

/* Largest value a subrange of ability may hold, or -EINVAL if unknown. */
static int value_limit(const struct sp_builder *b, uint16_t ability,
		       bool *ranged_ok, uint64_t *vmax)
{
	const struct ability_info *ai = ability_by_id(ability);

	if (ai) {
		*ranged_ok = ai->value != AB_VAL_NONE;
		*vmax = ai->value_max;
		return 0;
	}
	if (ability_is_custom(ability) &&
	    ability - AB_CUSTOM_BASE < b->ncustom) {
		*ranged_ok = true;
		*vmax = UINT64_MAX;
		return 0;
	}
	return -EINVAL;
}

static struct b_grant *find_grant(struct b_type *t, uint8_t dom,
				  uint16_t ability)
{
	size_t i;

	for (i = 0; i < t->ngrants; i++)
		if (t->grants[i].domain == dom && t->grants[i].ability == ability)
			return &t->grants[i];
	return NULL;
}

int sp_builder_grant(struct sp_builder *b, uint32_t type, enum sp_domain dom,
		     uint16_t ability, const struct sp_range *ranges,
		     size_t nranges, const uint32_t *named, size_t nnamed)
{
	struct b_grant *g;
	struct b_type *t;
	bool ranged_ok;
	uint64_t vmax;
	size_t i;
	int r;

	if (!b || type >= b->ntypes || (dom != SP_ROOT && dom != SP_NONROOT))
		return -EINVAL;
	if (value_limit(b, ability, &ranged_ok, &vmax) < 0)
		return -EINVAL;
	if ((nranges && !ranges) || (nnamed && !named))
		return -EINVAL;
	if ((nranges || nnamed) && !ranged_ok)
		return -EINVAL;
	for (i = 0; i < nranges; i++)
		if (ranges[i].lo > ranges[i].hi || ranges[i].hi > vmax)
			return -EINVAL;
	for (i = 0; i < nnamed; i++)
		if (named[i] >= b->nnamed)
			return -EINVAL;

	t = &b->types[type];
	g = find_grant(t, (uint8_t)dom, ability);
	if (!g) {
		r = grow(&t->grants, &t->cgrants, t->ngrants + 1,
			 sizeof(*t->grants));
		if (r < 0)
			return r;
		g = &t->grants[t->ngrants++];
		*g = (struct b_grant){ .domain = (uint8_t)dom,
				       .ability = ability };
	}
	if (!g->present) {
		g->present = true;
		g->uncond = false;
		g->nranges = g->nnamed = 0;
	}
	if (g->uncond)
		return 0;
	if (nranges == 0 && nnamed == 0) {
		g->uncond = true;
		g->nranges = g->nnamed = 0;
		return 0;
	}
	r = grow(&g->ranges, &g->cranges, g->nranges + nranges,
		 sizeof(*g->ranges));
	if (r < 0)
		return r;
	r = grow(&g->named, &g->cnamed, g->nnamed + nnamed, sizeof(*g->named));
	if (r < 0)
		return r;
	if (nranges)
		memcpy(g->ranges + g->nranges, ranges,
		       nranges * sizeof(*ranges));
	g->nranges += nranges;
	if (nnamed)
		memcpy(g->named + g->nnamed, named, nnamed * sizeof(*named));
	g->nnamed += nnamed;
	return 0;
}

int sp_builder_grant_defaults(struct sp_builder *b, uint32_t type)
{
	const uint16_t *def;
	size_t n, i;
	int r;

	def = ability_defaults(&n);
	for (i = 0; i < n; i++) {
		r = sp_builder_grant(b, type, SP_ROOT, def[i], NULL, 0, NULL, 0);
		if (r < 0)
			return r;
		r = sp_builder_grant(b, type, SP_NONROOT, def[i], NULL, 0, NULL,
				     0);
		if (r < 0)
			return r;
	}
	return 0;
}

void sp_builder_revoke(struct sp_builder *b, uint32_t type,
		       enum sp_domain dom, uint16_t ability)
{
	struct b_grant *g;

	if (!b || type >= b->ntypes)
		return;
	g = find_grant(&b->types[type], (uint8_t)dom, ability);
	if (g)
		g->present = false;
}

int sp_builder_add_rule(struct sp_builder *b, uint32_t type,
			const char *path, uint32_t flags, uint32_t new_type)
{
	char stored[SPB_MAX_PATH + 1];
	const char *why;
	uint32_t pflags;
	char *copy;
	int r;

	if (!b || type >= b->ntypes)
		return -EINVAL;
	if (flags != SPB_R_ATTACH && flags != SPB_R_LINK)
		return -EINVAL;
	if (new_type != SPB_NO_TYPE &&
	    (new_type >= b->ntypes || flags == SPB_R_LINK))
		return -EINVAL; /* a link has no channel to relabel */
	if (sp_path_rule_parse(path, stored, sizeof(stored), &pflags, &why) < 0)
		return -EINVAL;
	if (b->nrules >= SPB_MAX_RULES)
		return -E2BIG;
	r = grow(&b->rules, &b->crules, b->nrules + 1, sizeof(*b->rules));
	if (r < 0)
		return r;
	copy = strdup(stored);
	if (!copy)
		return -ENOMEM;
	b->rules[b->nrules++] = (struct b_rule){ .type = type,
						 .flags = flags | pflags,
						 .new_type = new_type,
						 .path = copy };
	return 0;
}

int sp_builder_add_derive(struct sp_builder *b, uint32_t type,
			  const char *name, uint32_t derived)
{
	_cleanup_free_ char *copy = NULL;
	int r;

	if (!b || type >= b->ntypes || derived >= b->ntypes ||
	    !sp_name_is_ident(name))
		return -EINVAL;
	if (hset_get(&b->derive_set, name, type, NULL))
		return -EEXIST;
	copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	r = grow(&b->derives, &b->cderives, b->nderives + 1,
		 sizeof(*b->derives));
	if (r < 0)
		return r;
	r = hset_add(&b->derive_set, copy, type, (uint32_t)b->nderives);
	if (r < 0)
		return r;
	b->derives[b->nderives++] = (struct b_derive){
		.type = type, .derived = derived, .name = steal_ptr(&copy)
	};
	return 0;
}

/* ---------------------------------------------------------------------
 * Serialisation
 */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static size_t dedup_u32(uint32_t *v, size_t n)
{
	size_t i, out = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_u32);
	for (i = 1; i < n; i++)
		if (v[i] != v[out])
			v[++out] = v[i];
	return out + 1;
}

static int cmp_grant(const void *a, const void *b)
{
	const struct b_grant *x = a, *y = b;

	if (x->domain != y->domain)
		return x->domain < y->domain ? -1 : 1;
	return x->ability < y->ability ? -1 : x->ability > y->ability;
}

static int cmp_rule_type(const void *a, const void *b)
{
	const struct b_rule *const *x = a, *const *y = b;

	if ((*x)->type != (*y)->type)
		return (*x)->type < (*y)->type ? -1 : 1;
	/* stable: policy order within a type */
	return *x < *y ? -1 : *x > *y;
}

static int cmp_derive(const void *a, const void *b)
{
	const struct b_derive *const *x = a, *const *y = b;

	if ((*x)->type != (*y)->type)
		return (*x)->type < (*y)->type ? -1 : 1;
	return strcmp((*x)->name, (*y)->name);
}

/* The string pool, each distinct string stored once. */
struct pool {
	char *buf;
	size_t len, cap;
	struct hset set;
};

static int pool_add(struct pool *p, const char *s, uint32_t *off)
{
	size_t n = strlen(s) + 1;
	int r;

	if (hset_get(&p->set, s, 0, off))
		return 0;
	if (p->len + n > SPB_MAX_FILE)
		return -E2BIG;
	r = grow(&p->buf, &p->cap, p->len + n, 1);
	if (r < 0)
		return r;
	memcpy(p->buf + p->len, s, n);
	*off = (uint32_t)p->len;
	r = hset_add(&p->set, s, 0, *off);
	if (r < 0)
		return r;
	p->len += n;
	return 0;
}

struct out_section {
	uint32_t kind;
	uint32_t count;
	uint64_t size;
	const void *data;
};

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~(uint64_t)7;
}

/* Everything serialize() allocates, freed in one place. */
struct ser {
	struct pool pool;
	struct spb_type *types;
	struct spb_attr *attrs;
	uint32_t *tatr;
	struct spb_custom *customs;
	struct spb_named *nameds;
	struct spb_grant *grants;
	struct spb_range *ranges;
	struct spb_rule *rules;
	struct spb_derive *derives;
	struct spb_limit *limits;
	const struct b_rule **rule_order;
	const struct b_derive **derive_order;
};

static void ser_free(struct ser *s)
{
	free(s->pool.buf);
	hset_free(&s->pool.set);
	free(s->types);
	free(s->attrs);
	free(s->tatr);
	free(s->customs);
	free(s->nameds);
	free(s->grants);
	free(s->ranges);
	free(s->rules);
	free(s->derives);
	free(s->limits);
	free(s->rule_order);
	free(s->derive_order);
}

/* calloc of n records, with a non-NULL result for n == 0. */
static void *alloc_n(size_t n, size_t elem)
{
	return calloc(n ? n : 1, elem);
}

static int build_types(struct sp_builder *b, struct ser *s, size_t *ntatr)
{
	size_t i, total = 0;
	uint32_t off;
	int r;

	for (i = 0; i < b->ntypes; i++)
		total += b->types[i].nattrs;
	s->types = alloc_n(b->ntypes, sizeof(*s->types));
	s->tatr = alloc_n(total, sizeof(*s->tatr));
	s->attrs = alloc_n(b->nattrs, sizeof(*s->attrs));
	if (!s->types || !s->tatr || !s->attrs)
		return -ENOMEM;
	total = 0;
	for (i = 0; i < b->ntypes; i++) {
		const struct b_type *t = &b->types[i];

		r = pool_add(&s->pool, t->name, &off);
		if (r < 0)
			return r;
		s->types[i] = (struct spb_type){
			.name = off,
			.flags = t->flags,
			.attr_first = (uint32_t)total,
			.attr_count = (uint32_t)t->nattrs,
		};
		if (t->nattrs)
			memcpy(s->tatr + total, t->attrs,
			       t->nattrs * sizeof(*t->attrs));
		total += t->nattrs;
	}
	*ntatr = total;
	for (i = 0; i < b->nattrs; i++) {
		r = pool_add(&s->pool, b->attrs[i].name, &off);
		if (r < 0)
			return r;
		s->attrs[i].name = off;
	}
	return 0;
}

static int build_names(struct sp_builder *b, struct ser *s)
{
	uint32_t off;
	size_t i, j, k;
	int r;

	s->customs = alloc_n(b->ncustom, sizeof(*s->customs));
	s->nameds = alloc_n(b->nnamed, sizeof(*s->nameds));
	if (!s->customs || !s->nameds)
		return -ENOMEM;
	for (i = 0; i < b->ncustom; i++) {
		uint32_t flags = b->customs[i].flags;

		/* "declared with a subrange use somewhere": any ranged grant */
		for (j = 0; j < b->ntypes && !(flags & SPB_C_RANGED); j++) {
			const struct b_type *t = &b->types[j];

			for (k = 0; k < t->ngrants; k++) {
				const struct b_grant *g = &t->grants[k];

				if (g->present && !g->uncond &&
				    g->ability == AB_CUSTOM_BASE + i)
					flags |= SPB_C_RANGED;
			}
		}
		r = pool_add(&s->pool, b->customs[i].name, &off);
		if (r < 0)
			return r;
		s->customs[i] = (struct spb_custom){ .name = off, .flags = flags };
	}
	for (i = 0; i < b->nnamed; i++) {
		r = pool_add(&s->pool, b->nameds[i].name, &off);
		if (r < 0)
			return r;
		s->nameds[i].name = off;
	}
	return 0;
}

static int build_grants(struct sp_builder *b, struct ser *s, size_t *ngrants,
			size_t *nranges)
{
	size_t i, j, k, ng = 0, nr = 0, cg = 0, cr = 0;
	int r;

	for (i = 0; i < b->ntypes; i++) {
		struct b_type *t = &b->types[i];

		if (t->ngrants)
			qsort(t->grants, t->ngrants, sizeof(*t->grants),
			      cmp_grant);
		for (j = 0; j < t->ngrants; j++) {
			struct b_grant *g = &t->grants[j];
			size_t nn, nv;

			if (!g->present)
				continue;
			g->nranges = sp_ranges_normalize(g->ranges, g->nranges);
			g->nnamed = dedup_u32(g->named, g->nnamed);
			nv = g->uncond ? 0 : g->nranges;
			nn = g->uncond ? 0 : g->nnamed;
			r = grow(&s->grants, &cg, ng + 1, sizeof(*s->grants));
			if (r < 0)
				return r;
			r = grow(&s->ranges, &cr, nr + nv + nn,
				 sizeof(*s->ranges));
			if (r < 0)
				return r;
			if (nr + nv + nn > UINT32_MAX)
				return -E2BIG;
			s->grants[ng++] = (struct spb_grant){
				.type = (uint32_t)i,
				.ability = g->ability,
				.domain = g->domain,
				.flags = nv + nn ? SPB_G_RANGED : 0,
				.range_first = (uint32_t)nr,
				.range_count = (uint32_t)(nv + nn),
			};
			for (k = 0; k < nv; k++)
				s->ranges[nr++] = (struct spb_range){
					.lo = g->ranges[k].lo,
					.hi = g->ranges[k].hi,
					.named = SPB_NOT_NAMED,
				};
			for (k = 0; k < nn; k++)
				s->ranges[nr++] =
					(struct spb_range){ .named = g->named[k] };
		}
	}
	*ngrants = ng;
	*nranges = nr;
	return 0;
}

static int build_rules(struct sp_builder *b, struct ser *s)
{
	uint32_t off;
	size_t i;
	int r;

	s->rules = alloc_n(b->nrules, sizeof(*s->rules));
	s->rule_order = alloc_n(b->nrules, sizeof(*s->rule_order));
	s->derives = alloc_n(b->nderives, sizeof(*s->derives));
	s->derive_order = alloc_n(b->nderives, sizeof(*s->derive_order));
	if (!s->rules || !s->rule_order || !s->derives || !s->derive_order)
		return -ENOMEM;
	for (i = 0; i < b->nrules; i++)
		s->rule_order[i] = &b->rules[i];
	qsort(s->rule_order, b->nrules, sizeof(*s->rule_order), cmp_rule_type);
	for (i = 0; i < b->nrules; i++) {
		const struct b_rule *br = s->rule_order[i];

		r = pool_add(&s->pool, br->path, &off);
		if (r < 0)
			return r;
		s->rules[i] = (struct spb_rule){ .type = br->type,
						 .path = off,
						 .flags = br->flags,
						 .new_type = br->new_type };
	}
	for (i = 0; i < b->nderives; i++)
		s->derive_order[i] = &b->derives[i];
	qsort(s->derive_order, b->nderives, sizeof(*s->derive_order),
	      cmp_derive);
	for (i = 0; i < b->nderives; i++) {
		const struct b_derive *bd = s->derive_order[i];

		r = pool_add(&s->pool, bd->name, &off);
		if (r < 0)
			return r;
		s->derives[i] = (struct spb_derive){ .type = bd->type,
						     .name = off,
						     .derived = bd->derived };
	}
	return 0;
}

/* Limits in (type, kind) order: the order of the loops. */
static int build_limits(struct sp_builder *b, struct ser *s, size_t *nlimits)
{
	size_t i, k, n = 0;

	for (i = 0; i < b->ntypes; i++)
		for (k = 1; k <= SPB_L_LAST; k++)
			n += b->types[i].limit[k] != 0;
	s->limits = alloc_n(n, sizeof(*s->limits));
	if (!s->limits)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < b->ntypes; i++)
		for (k = 1; k <= SPB_L_LAST; k++)
			if (b->types[i].limit[k])
				s->limits[n++] = (struct spb_limit){
					.type = (uint32_t)i,
					.kind = (uint32_t)k,
					.value = b->types[i].limit[k],
				};
	*nlimits = n;
	return 0;
}

int sp_builder_serialize(struct sp_builder *b, bool mutable_,
			 const uint32_t *policy_id, void **out, size_t *outlen)
{
	struct ser s = { 0 };
	struct out_section secs[SPB_MAX_SECTIONS];
	struct spb_header hdr = { 0 };
	size_t nsec = 0, i, ntatr = 0, ngrants = 0, nranges = 0, nlimits = 0;
	uint64_t off, table_end;
	uint8_t *file = NULL;
	int r;

	if (!b || !out || !outlen)
		return -EINVAL;
	r = grow(&s.pool.buf, &s.pool.cap, 1, 1);
	if (r < 0)
		goto out;
	s.pool.buf[0] = '\0'; /* offset 0 is the empty string */
	s.pool.len = 1;
	r = build_types(b, &s, &ntatr);
	if (r < 0)
		goto out;
	r = build_names(b, &s);
	if (r < 0)
		goto out;
	r = build_grants(b, &s, &ngrants, &nranges);
	if (r < 0)
		goto out;
	r = build_rules(b, &s);
	if (r < 0)
		goto out;
	r = build_limits(b, &s, &nlimits);
	if (r < 0)
		goto out;

#define ADD(k, n, recsize, ptr)                                                \
	do {                                                                   \
		if ((n) > 0)                                                   \
			secs[nsec++] = (struct out_section){                   \
				(k), (uint32_t)(n),                            \
				(uint64_t)(n) * (recsize), (ptr)               \
			};                                                     \
	} while (0)
	/* Record sections first, the variable-length string pool last. */
	ADD(SPB_TYPE, b->ntypes, sizeof(struct spb_type), s.types);
	ADD(SPB_ATTR, b->nattrs, sizeof(struct spb_attr), s.attrs);
	ADD(SPB_TATR, ntatr, sizeof(uint32_t), s.tatr);
	ADD(SPB_ABIL, b->ncustom, sizeof(struct spb_custom), s.customs);
	ADD(SPB_NRNG, b->nnamed, sizeof(struct spb_named), s.nameds);
	ADD(SPB_GRNT, ngrants, sizeof(struct spb_grant), s.grants);
	ADD(SPB_RNGE, nranges, sizeof(struct spb_range), s.ranges);
	ADD(SPB_RULE, b->nrules, sizeof(struct spb_rule), s.rules);
	ADD(SPB_DRVT, b->nderives, sizeof(struct spb_derive), s.derives);
	ADD(SPB_TLIM, nlimits, sizeof(struct spb_limit), s.limits);
#undef ADD
	secs[nsec++] = (struct out_section){ SPB_STRS, 0, s.pool.len,
					     s.pool.buf };

	table_end = sizeof(hdr) + nsec * sizeof(struct spb_section);
	off = align8(table_end);
	for (i = 0; i < nsec; i++) {
		if (i)
			off = align8(off);
		off += secs[i].size;
		if (off > SPB_MAX_FILE) {
			r = -E2BIG;
			goto out;
		}
	}
	file = calloc(1, off);
	if (!file) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(hdr.magic, SPB_MAGIC, sizeof(hdr.magic));
	hdr.version = SPB_VERSION;
	hdr.header_size = sizeof(hdr);
	hdr.flags = mutable_ ? SPB_F_MUTABLE : 0;
	hdr.section_count = (uint32_t)nsec;
	hdr.file_size = off;
	off = align8(table_end);
	for (i = 0; i < nsec; i++) {
		struct spb_section sec = { .kind = secs[i].kind,
					   .count = secs[i].count,
					   .offset = align8(off),
					   .size = secs[i].size };

		memcpy(file + sizeof(hdr) + i * sizeof(sec), &sec, sizeof(sec));
		memcpy(file + sec.offset, secs[i].data, secs[i].size);
		off = sec.offset + sec.size;
	}
	/* Everything but the header (mutable flag, ID, checksum).  The table
	 * is included: an attribute and a named range of the same name have
	 * the same record bytes and differ only in their section's kind. */
	hdr.policy_id = policy_id ? *policy_id
				  : (uint32_t)crc32(0L, file + sizeof(hdr),
						    (uInt)(hdr.file_size -
							   sizeof(hdr)));
	memcpy(file, &hdr, sizeof(hdr));
	hdr.checksum = (uint32_t)crc32(0L, file, (uInt)hdr.file_size);
	memcpy(file + offsetof(struct spb_header, checksum), &hdr.checksum,
	       sizeof(hdr.checksum));
	*out = file;
	*outlen = hdr.file_size;
	file = NULL;
	r = 0;
out:
	free(file);
	ser_free(&s);
	return r;
}
