/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to src/policy: the loaded policy's layout and the helpers that
 * the builder, the loader, the queries and the dump share.
 */
#ifndef SECPOL_POLICY_INTERNAL_H
#define SECPOL_POLICY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the binary policy is little-endian and read in place: little-endian hosts only"
#endif

/* Custom ability names: "vendor/name", at most this many bytes. */
#define SP_MAX_CUSTOM_NAME 127

struct sp_name_idx {
	const char *name;
	uint32_t id;
};

/*
 * A validated policy.  Every pointer into data was checked by the loader;
 * the arrays after them are indexes computed once so that queries neither
 * search linearly nor allocate.
 */
struct sp_policy {
	uint8_t *data; /* private copy of the file (malloc: 16-byte aligned) */
	size_t len;
	struct spb_header hdr;
	const struct spb_section *secs;

	const char *strs;
	uint32_t strs_size;
	const struct spb_type *types;
	uint32_t ntypes;
	const struct spb_attr *attrs;
	uint32_t nattrs;
	const uint32_t *tatr;
	uint32_t ntatr;
	const struct spb_custom *customs;
	uint32_t ncustom;
	const struct spb_named *nameds;
	uint32_t nnamed;
	const struct spb_grant *grants;
	uint32_t ngrants;
	const struct spb_range *ranges;
	uint32_t nranges;
	const struct spb_rule *rules;
	uint32_t nrules;
	const struct spb_derive *derives;
	uint32_t nderives;
	const struct spb_limit *limits;
	uint32_t nlimits;

	/* Grants of (type t, domain d) are [grant_first[2t+d], grant_first[2t+d+1]). */
	uint32_t *grant_first;
	/* Rules of type t are [rule_first[t], rule_first[t+1]). */
	uint32_t *rule_first;
	uint64_t *caps;          /* [2 * ntypes] capability bitmasks */
	uint32_t *grant_nnum;    /* numeric ranges at the start of each slice */
	struct sp_range *rnum;   /* [nranges]: lo/hi of each RNGE record */
	uint32_t *rnamed;        /* [nranges]: named index of each record */
	const char **rule_written; /* [nrules]: written form of each path */
	char *written_pool;      /* storage for the PREFIX written forms */
	struct sp_name_idx *type_sorted;   /* by name (strcmp) */
	struct sp_name_idx *custom_sorted; /* by name (strcasecmp) */
};

static inline const char *sp_str(const struct sp_policy *p, uint32_t off)
{
	return p->strs + off;
}

/* Name rules shared by the builder and the loader (which re-checks them
 * on hostile data: both stop reading after the longest valid name). */
bool sp_name_is_ident(const char *s);
bool sp_name_is_custom(const char *s);
/* A name the language accepts for a new type: an identifier that is not
 * the reserved word `self` in any case. */
bool sp_name_is_type(const char *s);

/*
 * Is (stored, flags) what sp_path_rule_parse() produces for some written
 * path?  flags holds only PREFIX/PATTERN/ABSTRACT.  *why on failure.
 */
bool sp_path_stored_valid(const char *stored, uint32_t flags,
			  const char **why);

#endif
