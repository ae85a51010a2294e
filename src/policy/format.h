/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The binary policy format, version 2.  Everything is little-endian.
 *
 *   header (struct spb_header, 40 bytes)
 *   section table (section_count x struct spb_section, 24 bytes each)
 *   sections, each at an 8-byte aligned offset, in any order, never
 *   overlapping the header, the table or each other
 *
 * checksum = CRC-32 (zlib's polynomial) of the whole file with the checksum
 * field read as zero, so a change to any byte, header included, is caught.
 *
 * Sections (kind is a four-character code, first letter in the low byte):
 *
 *   STRS  string pool: NUL-terminated strings, first byte NUL.  Every name
 *         field below is an offset into it.                      (required)
 *   TYPE  struct spb_type[count]; index = type ID; type 0 is "default".
 *                                                                 (required)
 *   ATTR  struct spb_attr[count]: attributes (attribute ID = index)
 *   TATR  uint32 attribute IDs; a type's list is a slice of it
 *   ABIL  struct spb_custom[count]: custom abilities, ID 0x8000 + index
 *   NRNG  struct spb_named[count]: named ranges (`range NAME;`)
 *   GRNT  struct spb_grant[count], sorted by (type, domain, ability),
 *         at most one per triple
 *   RNGE  struct spb_range[count]; a grant's ranges are a slice of it
 *   RULE  struct spb_rule[count], sorted by type (stable: policy order)
 *   DRVT  struct spb_derive[count], sorted by (type, name)
 *   TLIM  struct spb_limit[count], sorted by (type, kind), at most one per
 *         pair, never for type 0                              (version 2)
 *
 * Optional sections may be absent; each kind appears at most once; unknown
 * kinds are refused (a new kind means a new version).
 *
 * Versions: 2 added TLIM and the type flag SPB_T_LEARNING.  The loader
 * reads version 1 files too, holding them to version 1 (no TLIM section, no
 * flag it did not know); the builder always writes the current version.
 */
#ifndef SECPOL_FORMAT_H
#define SECPOL_FORMAT_H

#include <stdint.h>

#define SPB_MAGIC "SPOLBIN" /* 8 bytes with the NUL */
#define SPB_VERSION 2
#define SPB_VERSION_MIN 1 /* the oldest version the loader reads */

#define SPB_FOURCC(a, b, c, d)                                                 \
	((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 |            \
	 (uint32_t)(d) << 24)
#define SPB_STRS SPB_FOURCC('S', 'T', 'R', 'S')
#define SPB_TYPE SPB_FOURCC('T', 'Y', 'P', 'E')
#define SPB_ATTR SPB_FOURCC('A', 'T', 'T', 'R')
#define SPB_TATR SPB_FOURCC('T', 'A', 'T', 'R')
#define SPB_ABIL SPB_FOURCC('A', 'B', 'I', 'L')
#define SPB_NRNG SPB_FOURCC('N', 'R', 'N', 'G')
#define SPB_GRNT SPB_FOURCC('G', 'R', 'N', 'T')
#define SPB_RNGE SPB_FOURCC('R', 'N', 'G', 'E')
#define SPB_RULE SPB_FOURCC('R', 'U', 'L', 'E')
#define SPB_DRVT SPB_FOURCC('D', 'R', 'V', 'T')
#define SPB_TLIM SPB_FOURCC('T', 'L', 'I', 'M')

/* Limits that the compiler enforces and the loader checks. */
#define SPB_MAX_FILE (64u << 20)
#define SPB_MAX_SECTIONS 16
#define SPB_MAX_TYPES 65535 /* type IDs fit an ability subrange value */
#define SPB_MAX_ATTRS 65535
#define SPB_MAX_CUSTOM 4096
#define SPB_MAX_RULES (1u << 20)
#define SPB_MAX_NAME 255 /* bytes in a type, attribute or ability name */
#define SPB_MAX_PATH 4095
/* A process limit counts tasks, as a pids cgroup does: at most the
 * kernel's PID_MAX_LIMIT of them can exist. */
#define SPB_MAX_PROCESSES (4u << 20)

#define SPB_NO_TYPE 0xffffffffu
#define SPB_NOT_NAMED 0xffffffffu

/* header.flags */
#define SPB_F_MUTABLE 0x1u

struct spb_header {
	char magic[8];
	uint16_t version;
	uint16_t header_size; /* sizeof(struct spb_header) */
	uint32_t flags;
	uint32_t policy_id;
	uint32_t section_count;
	uint64_t file_size;
	uint32_t checksum;
	uint32_t reserved; /* 0 */
};

struct spb_section {
	uint32_t kind;
	uint32_t count;  /* records; 0 for STRS */
	uint64_t offset; /* from the start of the file, 8-byte aligned */
	uint64_t size;   /* bytes; count * record size for record sections */
};

/* spb_type.flags */
#define SPB_T_DECLARED 0x1u /* written in the policy (type 0 may not be) */
#define SPB_T_LEARNING 0x2u /* decided and reported, never refused (v2);
			     * never type 0, which is not supervised */
#define SPB_T_KNOWN_V1 0x1u
#define SPB_T_KNOWN 0x3u

struct spb_type {
	uint32_t name;
	uint32_t flags;
	uint32_t attr_first; /* slice of TATR */
	uint32_t attr_count;
};

struct spb_attr {
	uint32_t name;
	uint32_t reserved;
};

/* spb_custom.flags */
#define SPB_C_RANGED 0x1u /* declared with a subrange use somewhere */

struct spb_custom {
	uint32_t name;
	uint32_t flags;
};

struct spb_named {
	uint32_t name;
	uint32_t reserved;
};

/* spb_grant.domain */
#define SPB_DOM_ROOT 0
#define SPB_DOM_NONROOT 1

/* spb_grant.flags */
#define SPB_G_RANGED 0x1u /* only the ranges are granted */

struct spb_grant {
	uint32_t type;
	uint16_t ability;
	uint8_t domain;
	uint8_t flags;
	uint32_t range_first; /* slice of RNGE; count 0 unless RANGED */
	uint32_t range_count;
};

/*
 * A grant's ranges: numeric ones first, sorted by lo, merged (no overlap,
 * no adjacency, lo <= hi); then named ones (lo = hi = 0), sorted by index.
 */
struct spb_range {
	uint64_t lo;
	uint64_t hi;
	uint32_t named; /* SPB_NOT_NAMED or an index into NRNG */
	uint32_t reserved;
};

/* spb_rule.flags: exactly one of ATTACH/LINK; at most one of PREFIX and
 * PATTERN; ABSTRACT iff the path starts with '@'. */
#define SPB_R_ATTACH 0x01u
#define SPB_R_LINK 0x02u
#define SPB_R_PREFIX 0x04u  /* "dir/...": the directory and all below */
#define SPB_R_PATTERN 0x08u /* fnmatch(3) with FNM_PATHNAME */
#define SPB_R_ABSTRACT 0x10u
#define SPB_R_KNOWN 0x1fu

/*
 * path: absolute canonical path ("/" alone allowed), or "@name".  For
 * PREFIX the stored path is the directory without the "/..." ("/" for a
 * rule written "/...").  new_type: relabel type or SPB_NO_TYPE.
 */
struct spb_rule {
	uint32_t type;
	uint32_t path;
	uint32_t flags;
	uint32_t new_type;
};

struct spb_derive {
	uint32_t type;
	uint32_t name;
	uint32_t derived;
	uint32_t reserved;
};

/* spb_limit.kind */
#define SPB_L_PROCESSES 1u /* tasks (threads count) under the type at once;
			    * value 1..SPB_MAX_PROCESSES */
#define SPB_L_LAST SPB_L_PROCESSES

struct spb_limit {
	uint32_t type;
	uint32_t kind;
	uint64_t value;
};

_Static_assert(sizeof(struct spb_header) == 40, "header layout");
_Static_assert(sizeof(struct spb_section) == 24, "section layout");
_Static_assert(sizeof(struct spb_type) == 16, "type layout");
_Static_assert(sizeof(struct spb_grant) == 16, "grant layout");
_Static_assert(sizeof(struct spb_range) == 24, "range layout");
_Static_assert(sizeof(struct spb_rule) == 16, "rule layout");
_Static_assert(sizeof(struct spb_derive) == 16, "derive layout");
_Static_assert(sizeof(struct spb_limit) == 16, "limit layout");

#endif
