/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The abilities a policy can grant (SPEC §2): every Linux capability under
 * its kernel name, the secpol abilities that secpold decides, QNX aliases
 * with a Linux meaning, and the QNX names that have none.
 *
 * Ability IDs are stable: they are stored in binary policies.
 *   0..63        Linux capability number (CAP_CHOWN = 0 ...)
 *   64..127      secpol abilities
 *   0x8000+i     custom ability i declared with `ability vendor/name;`
 */
#ifndef SECPOL_ABILITY_H
#define SECPOL_ABILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	AB_CAP_MAX = 63, /* last ID that can name a Linux capability */
	AB_PATHSPACE = 64,
	AB_PUBLIC_CHANNEL = 65,
	AB_CHANNEL_CONNECT = 66,
	AB_SETTYPEID = 67,
	AB_IO_URING = 68,
	AB_MOUNT_API = 69,
	AB_COMPAT_SYSCALLS = 70,
	AB_SECPOL_FIRST = AB_PATHSPACE,
	AB_SECPOL_LAST = AB_COMPAT_SYSCALLS,
	AB_CUSTOM_BASE = 0x8000,
	AB_CUSTOM_MAX = 0xfffe,
	AB_NONE = 0xffff,
};

/* Linux capabilities this build knows by name (CAP_LAST_CAP of 6.x). */
#define AB_NCAPS 41

/* What the value of a ranged check means; decides how it is printed. */
enum ab_value {
	AB_VAL_NONE,   /* no subranges allowed */
	AB_VAL_NUMBER, /* uid, gid, port: printed as numbers */
	AB_VAL_TYPE,   /* type ID: printed with the type name */
};

enum ab_kind { AB_KIND_CAP, AB_KIND_SECPOL, AB_KIND_CUSTOM };

struct ability_info {
	uint16_t id;
	enum ab_kind kind;
	enum ab_value value;
	uint64_t value_max; /* largest value a subrange may name */
	const char *name;   /* policy spelling, lower case */
	const char *upper;  /* output spelling */
	const char *qnx;    /* the QNX alias that maps to it, or NULL */
	const char *doc;    /* one line: what it allows on Linux */
};

/* Static abilities (capabilities and secpol abilities), or NULL. */
const struct ability_info *ability_by_id(uint16_t id);
/*
 * Looks a static ability up by name, case-insensitively, following QNX
 * aliases.  *via_alias (may be NULL) is set when an alias matched.
 */
const struct ability_info *ability_lookup(const char *name, size_t len,
					  bool *via_alias);
/* A QNX ability with no Linux meaning (compiles with a warning). */
bool ability_is_qnx_only(const char *name, size_t len);
/* Iterate static abilities: i = 0, 1, ... until NULL. */
const struct ability_info *ability_nth(size_t i);
/* Iterate QNX-only names, for "did you mean". */
const char *ability_qnx_only_nth(size_t i);
/* Iterate QNX aliases (alias name, target ID). */
const char *ability_alias_nth(size_t i, uint16_t *target);
/* The abilities every type has in both domains unless the policy removes
 * them: the one list the compiler and sp_policy_add_type() use. */
const uint16_t *ability_defaults(size_t *n);

static inline bool ability_is_cap(uint16_t id)
{
	return id < AB_NCAPS;
}

static inline bool ability_is_custom(uint16_t id)
{
	return id >= AB_CUSTOM_BASE && id <= AB_CUSTOM_MAX;
}

#endif
