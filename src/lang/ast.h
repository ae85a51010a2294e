/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The parse tree of a policy: one node per statement, in source order.
 * Names point into the source text (not NUL-terminated); everything else
 * lives in the parser's arena.
 */
#ifndef SECPOL_AST_H
#define SECPOL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct name {
	const char *s;
	size_t len;
	struct loc loc;
	bool self; /* the keyword `self` */
};

struct name_list {
	struct name *v;
	size_t n;
};

/* One value of a subrange list: "5", "4-", "1000-2000", "fs_t". */
enum value_kind { V_NUM, V_RANGE, V_NAME };

struct value {
	enum value_kind kind;
	uint64_t lo, hi; /* V_NUM: lo == hi; V_RANGE with open end: hi = max */
	bool open;       /* "4-" */
	struct name name; /* V_NAME */
	struct loc loc;
};

enum item_kind {
	I_GRANT,        /* name or name:values */
	I_DENY,         /* -name */
	I_NONROOT,      /* nonroot */
	I_NOINHERIT,    /* noinherit */
	I_UNLOCK,       /* unlock */
	I_DEFAULT_PRIV, /* default_priv */
	I_GAIN_PRIV,    /* gain_priv:name */
};

struct item {
	enum item_kind kind;
	struct name name; /* the ability (I_GRANT, I_DENY, I_GAIN_PRIV) */
	struct value *values;
	size_t nvalues;
	bool has_values; /* a ':' followed */
	struct loc loc;  /* the whole item */
};

struct path {
	const char *s;
	size_t len;
	struct loc loc;
};

enum stmt_kind {
	S_TYPE,      /* type T[, attr...]; */
	S_ATTRIBUTE, /* attribute A; */
	S_ABILITY,   /* ability vendor/name; */
	S_RANGE,     /* range NAME; */
	S_ALLOW_ABILITY, /* allow S self:ability {items}; */
	S_ALLOW_CONNECT, /* allow S T:channel connect; */
	S_ALLOW_ATTACH,  /* allow_attach S PATH(s) [NEWTYPE]; */
	S_ALLOW_LINK,    /* allow_link S PATH(s); */
	S_DERIVE,        /* derive_type T name T2; */
	S_LEARN,         /* learn S; */
	S_LIMIT,         /* limit S KIND N; */
};

struct stmt {
	enum stmt_kind kind;
	struct loc loc; /* the keyword */
	union {
		struct {
			struct name name;
			struct name_list attrs;
		} type;
		struct name decl; /* S_ATTRIBUTE, S_ABILITY, S_RANGE */
		struct {
			struct name_list subjects;
			struct name target; /* for :ability, must be self */
			struct item *items;
			size_t nitems;
		} ability;
		struct {
			struct name_list subjects;
			struct name_list targets;
		} connect;
		struct {
			struct name_list subjects;
			struct path *paths;
			size_t npaths;
			struct name newtype; /* len 0 if absent */
		} attach;               /* also S_ALLOW_LINK */
		struct {
			struct name type, name, derived;
		} derive;
		struct name_list learn; /* the subjects */
		struct {
			struct name_list subjects;
			uint32_t kind;  /* enum sp_limit_kind */
			uint64_t value; /* checked: 1..the kind's largest */
			struct loc value_loc;
		} limit;
	} u;
};

struct policy_ast {
	struct stmt *stmts;
	size_t n;
};

#endif
