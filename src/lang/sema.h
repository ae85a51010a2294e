/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Semantic passes of the compiler, in order:
 *   resolve.c  declare every name, resolve every use, turn statements into
 *              facts (grants, denials, rules, derivations) per type
 *   check.c    fold the facts per (type, domain, ability) and check the
 *              policy as a whole (conflicts, privilege escalation)
 *   codegen.c  hand the folded policy to the binary policy builder
 * Each pass reports to diags and goes on, so one run shows every error.
 */
#ifndef SECPOL_SEMA_H
#define SECPOL_SEMA_H

#include "ast.h"
#include "common/arena.h"
#include "common/strmap.h"
#include "diag.h"
#include "policy/policy.h"

struct sym_type {
	const char *name; /* NUL-terminated, in the arena */
	struct loc loc;
	bool declared;
	bool learning;        /* `learn` */
	struct loc learn_loc; /* the first learn of the type */
	uint32_t seen;        /* statement seq + 1 that last reached it */
	uint32_t *attrs;
	size_t nattrs, attrs_cap;
	/* `limit`, by kind (0: none), with the site that set each */
	uint64_t limit[SPB_L_LAST + 1];
	struct loc limit_loc[SPB_L_LAST + 1];
};

struct sym_attr {
	const char *name;
	struct loc loc;
	uint32_t *members;
	size_t n, cap;
};

struct sym_custom {
	const char *name; /* as written */
	struct loc loc;
	bool ranged; /* used with a subrange */
};

struct sym_range {
	const char *name;
	struct loc loc;
};

enum fact_kind { F_GRANT, F_DENY, F_GAIN };

/* One grant, denial or gain_priv of one ability to one type in one domain. */
struct fact {
	uint32_t type;
	uint16_t ability;
	uint8_t dom;
	uint8_t kind;
	bool implicit; /* added by the compiler (defaults, implied pathspace) */
	bool has_loc;
	uint32_t seq; /* statement order, for stable folding */
	struct loc loc;
	struct sp_range *ranges;
	uint32_t nranges;
	uint32_t *named;
	uint32_t nnamed;
};

/* The facts of one (type, domain, ability), folded. */
struct folded {
	uint32_t type;
	uint16_t ability;
	uint8_t dom;
	bool granted;  /* some grant exists (before denials) */
	bool uncond;   /* an unranged grant exists */
	bool denied;
	bool gain;     /* gain_priv */
	bool explicit_grant; /* granted by the policy text, not implicitly */
	struct loc grant_loc; /* first explicit grant */
	struct loc deny_loc;
	struct sp_range *ranges; /* normalized */
	size_t nranges;
	uint32_t *named; /* sorted, unique */
	size_t nnamed;
};

struct rule_fact {
	uint32_t type;
	uint32_t op; /* SPB_R_ATTACH or SPB_R_LINK */
	const char *written;
	uint32_t newtype; /* SPB_NO_TYPE if none */
	struct loc loc;
};

struct derive_fact {
	uint32_t type;
	const char *name;
	uint32_t derived;
	struct loc loc;
};

#define SEMA_VEC(T, name)                                                      \
	T *name;                                                               \
	size_t n##name, cap_##name

struct sema {
	struct arena *arena;
	struct diags *diags;
	bool oom;
	SEMA_VEC(struct sym_type, types);
	SEMA_VEC(struct sym_attr, attrs);
	SEMA_VEC(struct sym_custom, customs);
	SEMA_VEC(struct sym_range, ranges);
	SEMA_VEC(struct fact, facts);
	SEMA_VEC(struct rule_fact, rules);
	SEMA_VEC(struct derive_fact, derives);
	SEMA_VEC(struct folded, folded);
	struct strmap names;   /* type -> id, attribute -> SYM_ATTR | index */
	struct strmap customs_by_name; /* lower-cased name -> index */
	struct strmap ranges_by_name;
	uint32_t seq;
};

#define SYM_ATTR 0x80000000u

void sema_init(struct sema *s, struct arena *arena, struct diags *diags);
void sema_free(struct sema *s);
/* Returns 0 or -ENOMEM; errors in the policy go to diags. */
int sema_resolve(struct sema *s, const struct policy_ast *ast);
int sema_check(struct sema *s);
int sema_codegen(struct sema *s, struct sp_builder *b);

/* Grows a SEMA_VEC by one zeroed element; NULL (and s->oom) on failure. */
void *sema_push(struct sema *s, void **v, size_t *n, size_t *cap, size_t size);
#define SEMA_PUSH(s, vec)                                                      \
	((__typeof__((s)->vec))sema_push((s), (void **)&(s)->vec,              \
					 &(s)->n##vec, &(s)->cap_##vec,        \
					 sizeof(*(s)->vec)))

/* Finds the folded entry of (type, dom, ability) or NULL. */
const struct folded *sema_folded(const struct sema *s, uint32_t type,
				 uint8_t dom, uint16_t ability);
/* Name of an ability ID for messages ("setuid", "iofunc/dup"). */
const char *sema_ability_name(const struct sema *s, uint16_t ability);

#endif
