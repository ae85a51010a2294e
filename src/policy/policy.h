/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The binary policy library: build a policy (the compiler's back end),
 * serialise it, load and validate a file, and answer the questions the
 * daemon and the tools ask.  No function here exits or prints.
 */
#ifndef SECPOL_POLICY_H
#define SECPOL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"

enum sp_domain { SP_ROOT = SPB_DOM_ROOT, SP_NONROOT = SPB_DOM_NONROOT };

struct sp_range {
	uint64_t lo, hi;
};

/* Resource limits a type may be given (`limit T processes N;`). */
enum sp_limit_kind { SP_LIMIT_PROCESSES = SPB_L_PROCESSES };

/* "processes"; NULL for an unknown kind. */
const char *sp_limit_kind_name(enum sp_limit_kind kind);
/* By name (case-insensitive, as keywords are): 0 or -ENOENT. */
int sp_limit_kind_lookup(const char *name, size_t len,
			 enum sp_limit_kind *kind);
/* The largest value of a limit (the smallest is 1); 0 if unknown. */
uint64_t sp_limit_kind_max(enum sp_limit_kind kind);

/* ---------------------------------------------------------------------
 * Building (used by the compiler's code generation)
 *
 * All add functions copy their strings.  They return an ID/index >= 0 or
 * -errno (-ENOMEM, -E2BIG past a limit of format.h, -EINVAL on a value the
 * format cannot hold, -EEXIST for a duplicate name).
 */
struct sp_builder;
struct sp_policy;

struct sp_builder *sp_builder_new(void);
void sp_builder_free(struct sp_builder *b);
/* Type 0 "default" exists from the start; mark_declared tells the dump
 * whether the policy wrote it.  Returns the new type ID. */
int sp_builder_add_type(struct sp_builder *b, const char *name);
void sp_builder_mark_declared(struct sp_builder *b, uint32_t type);
/* Adds SPB_T_* flags to a type.  -EINVAL for an unknown type or flag, or
 * SPB_T_LEARNING on type 0 (untyped processes are never supervised). */
int sp_builder_set_type_flags(struct sp_builder *b, uint32_t type,
			      uint32_t flags);
/* Sets a limit of a type: -EINVAL for type 0, an unknown type or kind, a
 * value outside 1..sp_limit_kind_max(); -EEXIST if the type has one of
 * that kind already. */
int sp_builder_set_limit(struct sp_builder *b, uint32_t type,
			 enum sp_limit_kind kind, uint64_t value);
int sp_builder_add_attr(struct sp_builder *b, const char *name);
int sp_builder_type_add_attr(struct sp_builder *b, uint32_t type,
			     uint32_t attr);
/* Returns the custom ability ID (AB_CUSTOM_BASE + index). */
int sp_builder_add_custom(struct sp_builder *b, const char *name,
			  uint32_t flags);
int sp_builder_add_named_range(struct sp_builder *b, const char *name);
/*
 * Grants ability in domain to type.  nranges == 0 && nnamed == 0 means
 * unconditional.  Several calls for the same (type, domain, ability)
 * merge: unconditional wins; ranges are unioned and merged.
 */
int sp_builder_grant(struct sp_builder *b, uint32_t type, enum sp_domain dom,
		     uint16_t ability, const struct sp_range *ranges,
		     size_t nranges, const uint32_t *named, size_t nnamed);
/* Removes a grant entirely (the `-name` item).  Not an error if absent. */
void sp_builder_revoke(struct sp_builder *b, uint32_t type,
		       enum sp_domain dom, uint16_t ability);
/* flags: SPB_R_ATTACH or SPB_R_LINK; PREFIX/PATTERN/ABSTRACT are derived
 * from the path by sp_path_rule_parse(). new_type may be SPB_NO_TYPE. */
int sp_builder_add_rule(struct sp_builder *b, uint32_t type,
			const char *path, uint32_t flags, uint32_t new_type);
int sp_builder_add_derive(struct sp_builder *b, uint32_t type,
			  const char *name, uint32_t derived);
/* Serialises into a new buffer (caller frees).  mutable_ sets
 * SPB_F_MUTABLE; policy_id == NULL asks for an automatic ID derived from
 * the content, so that any change to the policy changes its ID. */
int sp_builder_serialize(struct sp_builder *b, bool mutable_,
			 const uint32_t *policy_id, void **out, size_t *outlen);
/*
 * A builder holding everything of a loaded policy (types with their flags
 * and attributes, custom abilities, named ranges, grants, rules,
 * derivations, limits), in the same order: serialising it with the
 * policy's mutability and ID gives the same file again when the policy was
 * written by the builder.  0, -ENOMEM, or -EINVAL (cannot happen for a
 * policy the loader accepted).
 */
int sp_builder_from_policy(const struct sp_policy *p, struct sp_builder **out);
/* Grants type the abilities every type has unless the policy removes them
 * (ability_defaults(): public_channel), in both domains.  0 or -errno. */
int sp_builder_grant_defaults(struct sp_builder *b, uint32_t type);

/* ---------------------------------------------------------------------
 * Loading and validating
 */
struct sp_policy;

/*
 * Validates every field, offset and count of a binary policy before use and
 * keeps a private copy of data.  On failure returns -EINVAL (malformed),
 * -EPROTO (bad checksum), -ENOTSUP (other version), -EFBIG or -ENOMEM and
 * writes a one-line reason to err (e.g. "section GRNT: grant 3 names type
 * 9 but the policy has 4 types").
 */
int sp_policy_load(const void *data, size_t len, struct sp_policy **out,
		   char *err, size_t errlen);
/* Reads and loads a file (at most SPB_MAX_FILE bytes). */
int sp_policy_load_file(const char *path, struct sp_policy **out, char *err,
			size_t errlen);
void sp_policy_free(struct sp_policy *p);

/* The validated file image, e.g. to forward it to the daemon. */
const void *sp_policy_data(const struct sp_policy *p, size_t *len);
uint32_t sp_policy_id(const struct sp_policy *p);
bool sp_policy_mutable(const struct sp_policy *p);
uint32_t sp_policy_checksum(const struct sp_policy *p);

/* ---------------------------------------------------------------------
 * Types, attributes, names
 */
uint32_t sp_policy_type_count(const struct sp_policy *p);
/* NULL if type is out of range. */
const char *sp_policy_type_name(const struct sp_policy *p, uint32_t type);
bool sp_policy_type_declared(const struct sp_policy *p, uint32_t type);
/* A learning type (`learn T;`): every decision is made and reported, but
 * nothing it does is refused.  False for an unknown type. */
bool sp_policy_type_learning(const struct sp_policy *p, uint32_t type);
/* The type's limit of that kind (`limit T processes N;`); 0 for none. */
uint64_t sp_policy_type_limit(const struct sp_policy *p, uint32_t type,
			      enum sp_limit_kind kind);
/* 0 or -ENOENT. */
int sp_policy_type_lookup(const struct sp_policy *p, const char *name,
			  uint32_t *type);
uint32_t sp_policy_attr_count(const struct sp_policy *p);
const char *sp_policy_attr_name(const struct sp_policy *p, uint32_t attr);
/* The attributes of a type (pointer into the policy, valid until free). */
const uint32_t *sp_policy_type_attrs(const struct sp_policy *p,
				     uint32_t type, size_t *n);
uint32_t sp_policy_custom_count(const struct sp_policy *p);
/* Name of any ability (static or custom) as printed: "SYS_RAWIO",
 * "iofunc/dup".  NULL if unknown. */
const char *sp_policy_ability_name(const struct sp_policy *p, uint16_t ability);
/* Policy spelling, lower case: "sys_rawio", "iofunc/dup". */
const char *sp_policy_ability_policy_name(const struct sp_policy *p,
					  uint16_t ability);
/* Static or custom ability by policy name (case-insensitive, QNX aliases
 * followed).  0 or -ENOENT. */
int sp_policy_ability_lookup(const struct sp_policy *p, const char *name,
			     uint16_t *ability);
bool sp_policy_custom_ranged(const struct sp_policy *p, uint16_t ability);
uint32_t sp_policy_named_range_count(const struct sp_policy *p);
const char *sp_policy_named_range_name(const struct sp_policy *p,
				       uint32_t idx);

/* ---------------------------------------------------------------------
 * Abilities
 */
struct sp_grant_view {
	uint16_t ability;
	enum sp_domain domain;
	bool ranged;
	const struct sp_range *ranges; /* numeric ranges, sorted, merged */
	size_t nranges;
	const uint32_t *named; /* named range indices */
	size_t nnamed;
};

/* Linux capabilities granted in a domain, as a bitmask by capability
 * number (a ranged capability is in the mask: the kernel needs it). */
uint64_t sp_policy_caps(const struct sp_policy *p, uint32_t type,
			enum sp_domain dom);
/* 0 and *g filled, or -ENOENT if not granted. */
int sp_policy_grant(const struct sp_policy *p, uint32_t type,
		    enum sp_domain dom, uint16_t ability,
		    struct sp_grant_view *g);
/* All grants of a type in a domain, in ability order; returns how many
 * were written (up to max) or would be. */
size_t sp_policy_grants(const struct sp_policy *p, uint32_t type,
			enum sp_domain dom, struct sp_grant_view *out,
			size_t max);

enum sp_verdict {
	SP_ALLOW,     /* granted, and the value is covered */
	SP_DENY,      /* not granted in this domain */
	SP_DENY_RANGE /* granted, but no single range covers [lo, hi] */
};

/*
 * Is [lo, hi] of ability allowed to type in dom?  An unranged grant allows
 * every value; a ranged one needs one range covering all of [lo, hi].
 * Named ranges are unresolved here and cover nothing (fail closed).
 */
enum sp_verdict sp_policy_check(const struct sp_policy *p, uint32_t type,
				enum sp_domain dom, uint16_t ability,
				uint64_t lo, uint64_t hi);
/* Shorthand for an ability without a value. */
bool sp_policy_has(const struct sp_policy *p, uint32_t type,
		   enum sp_domain dom, uint16_t ability);

/* ---------------------------------------------------------------------
 * Path space (SPEC §2)
 */
enum sp_path_result {
	SP_PATH_OK,
	SP_PATH_NO_RULE,  /* no rule covers the path */
	SP_PATH_CONFLICT, /* the rules disagree on the channel's type */
	SP_PATH_BAD_OP    /* only a rule for the other operation covers it */
};

/*
 * May type attach a channel at path (absolute canonical, or "@name")?
 * The most specific matching attach rule decides: exact beats pattern,
 * pattern beats prefix, a longer prefix beats a shorter one.  Among equally
 * specific rules, different channel types are a conflict.  cur_type is the
 * type the channel already has (SPB_NO_TYPE for a new one): if it differs
 * from the type the rule gives, that is a conflict too.  On SP_PATH_OK
 * *channel_type is the relabel type or the caller's type.
 */
enum sp_path_result sp_policy_check_attach(const struct sp_policy *p,
					   uint32_t type, const char *path,
					   uint32_t cur_type,
					   uint32_t *channel_type);
/* May type create a symbolic link at path?  Attach rules do not allow it
 * (SP_PATH_BAD_OP when only they match). */
enum sp_path_result sp_policy_check_link(const struct sp_policy *p,
					 uint32_t type, const char *path);
/* May a process of type connect to a channel of channel_type?  Type 0
 * channels are free; others need channel_connect covering channel_type.
 * (A process's own channels are the caller's business: see secpold.) */
enum sp_verdict sp_policy_check_connect(const struct sp_policy *p,
					uint32_t type, enum sp_domain dom,
					uint32_t channel_type);
const char *sp_path_result_str(enum sp_path_result r);

struct sp_rule_view {
	const char *path; /* as written: "/dev/fsF*", "/tmp/...", "@x" */
	uint32_t flags;
	uint32_t new_type; /* SPB_NO_TYPE if none */
};

/* The rules of a type in policy order; returns the count (up to max
 * written).  path points into the policy (or a buffer of it). */
size_t sp_policy_rules(const struct sp_policy *p, uint32_t type,
		       struct sp_rule_view *out, size_t max);

/* derive_type: 0 and *derived, or -ENOENT. */
int sp_policy_derive(const struct sp_policy *p, uint32_t type,
		     const char *name, uint32_t *derived);

/* ---------------------------------------------------------------------
 * Derived policies
 */

/*
 * A copy of p with one more declared type `name` (ID = the old type
 * count), with the given SPB_T_* flags (learning) and no grants beyond
 * the defaults every declared type gets, no rules.  Same policy ID and
 * mutability as p.  0, -EEXIST if the name is taken (by a type or an
 * attribute), -EINVAL for a name the language would refuse or an unknown
 * flag, -E2BIG past SPB_MAX_TYPES (or the file size limit), -ENOMEM.
 */
int sp_policy_add_type(const struct sp_policy *p, const char *name,
		       uint32_t flags, struct sp_policy **out, uint32_t *id);

/* ---------------------------------------------------------------------
 * Path rules (pathmatch.c)
 */

/*
 * Classifies a rule path as written in the policy and returns the stored
 * form: "/a/b/..." -> PREFIX "/a/b"; "/..." -> PREFIX "/"; a path with
 * '*', '?' or '[' -> PATTERN; "@name" -> ABSTRACT (PATTERN may combine
 * with ABSTRACT).  Returns 0, or -EINVAL with a reason in *why for a path
 * that is not absolute and canonical ("." or ".." components, "//",
 * a trailing "/" other than "/" itself, "..." other than at the end, NUL
 * or control bytes, longer than SPB_MAX_PATH).
 */
int sp_path_rule_parse(const char *written, char *stored, size_t storedlen,
		       uint32_t *flags, const char **why);
/* Does the stored rule match path? */
bool sp_path_rule_match(const char *stored, uint32_t flags, const char *path);
/*
 * The deepest directory below which every path a rule (as written, with
 * its flags) can match lies: "/a/b/..." -> "/a/b", "/a/b/c" -> "/a/b",
 * "/a/b*" + "/c" -> "/a".  0, -ENOENT for an abstract rule, or
 * -ENAMETOOLONG if out is too small.
 */
int sp_path_rule_dir(const char *written, uint32_t flags, char *out,
		     size_t outlen);
/* The written form again ("/a/b" PREFIX -> "/a/b/..."), into buf. */
const char *sp_path_rule_written(const char *stored, uint32_t flags,
				 char *buf, size_t buflen);

/* ---------------------------------------------------------------------
 * Dump (secpol -c), dump.c
 */
struct strbuf;

enum {
	SP_DUMP_ABILITIES = 1 << 0,
	SP_DUMP_ATTACH = 1 << 1,
	SP_DUMP_LINK = 1 << 2,
	SP_DUMP_DERIVE = 1 << 3,
	SP_DUMP_ATTRS = 1 << 4,
	SP_DUMP_LIMITS = 1 << 5,
	SP_DUMP_ALL = 0x3f,
};

struct sp_dump_opts {
	unsigned what;       /* SP_DUMP_* */
	uint32_t only_type;  /* SPB_NO_TYPE for all */
	uint16_t only_ability; /* AB_NONE for all */
};

/* Appends the readable policy to sb (see docs/man/secpol.1). */
void sp_policy_dump(const struct sp_policy *p, const struct sp_dump_opts *o,
		    struct strbuf *sb);
/* Appends the file structure: header and section table (secpol -d). */
void sp_policy_dump_structure(const struct sp_policy *p, struct strbuf *sb);
/* Formats a grant's value list: "(1)", "(4, 6, 23)", "(1000 - 2000)",
 * and for type-valued abilities " (fs_t)" after it. */
void sp_format_ranges(const struct sp_policy *p, const struct sp_grant_view *g,
		      struct strbuf *sb);

#endif
