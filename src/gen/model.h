/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What secpolgenerate learned, aggregated as events arrive: per type, the
 * abilities it needed in each domain (with the values checked), the types
 * it connected to, the paths where it attached channels and made links,
 * and for each of these a bounded list of the processes that needed it.
 * Memory grows with what is distinct (types, abilities, values, paths,
 * program names), never with the number of events.
 */
#ifndef SECPOL_GEN_MODEL_H
#define SECPOL_GEN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/strmap.h"
#include "policy/policy.h"

struct gen_event;

enum gen_dom { GEN_ROOT = SPB_DOM_ROOT, GEN_NONROOT = SPB_DOM_NONROOT };

/* When a need was seen: within the -i threshold of the process's start,
 * or after it. */
enum { GEN_WHEN_START = 1, GEN_WHEN_LATER = 2 };

#define GEN_NAMES_KEEP 8   /* program names kept per need */
#define GEN_MAX_NAMES 65536 /* distinct program names remembered */
#define GEN_NO_TYPE UINT32_MAX
#define GEN_NO_NAME UINT32_MAX
#define GEN_MAX_TYPES SPB_MAX_TYPES
#define GEN_MAX_CUSTOM SPB_MAX_CUSTOM

/* Who needed something (program name IDs, first seen first) and when. */
struct gen_prov {
	uint32_t names[GEN_NAMES_KEEP];
	uint8_t nnames;
	uint8_t when;
	bool more; /* more distinct programs than kept */
};

/* A set of values, kept normalized (sorted, overlaps and neighbours
 * joined). */
struct gen_ranges {
	struct sp_range *r;
	size_t n, cap;
};

struct gen_ability {
	uint16_t id;       /* static ability ID, or AB_CUSTOM_BASE + custom index */
	uint8_t used;      /* bit per domain: used or lacked there */
	uint8_t valueless; /* bit per domain: a check without a value */
	struct gen_ranges vals[2]; /* per domain; settypeid: model type IDs */
	struct gen_prov prov[2];
};

struct gen_connect {
	uint32_t target; /* model type */
	uint8_t used;    /* bit per domain */
	struct gen_prov prov;
};

enum gen_op { GEN_ATTACH, GEN_LINK };

struct gen_path {
	const char *path; /* raw bytes (may hold NULs), NUL-terminated too */
	size_t len;
	uint32_t chan_type; /* attach: the type the channel got, if not the
			       subject's own; else GEN_NO_TYPE */
	bool chan_conflict; /* seen with another channel type too */
	struct gen_prov prov;
};

struct gen_type {
	const char *name;
	uint32_t seen_id; /* type_id of the first event naming it, or
			     GEN_NO_TYPE */
	bool subject;     /* it did something itself */
	bool new_type;    /* made in develop mode */
	struct gen_ability *ab;
	size_t nab, capab;
	struct gen_connect *conn;
	size_t nconn, capconn;
	struct gen_path *paths[2]; /* by enum gen_op */
	size_t npaths[2], cappaths[2];
	struct strmap path_idx[2];
};

struct gen_model {
	struct arena arena;
	struct strmap type_idx;
	struct gen_type *types;
	size_t ntypes, captypes;
	struct strmap name_idx;
	const char **names; /* program names, escaped as the events give them */
	size_t nnames, capnames;
	struct strmap custom_idx;
	const char **customs; /* custom ability names */
	size_t ncustoms, capcustoms;
	struct strmap ability_cache; /* event spelling -> ability ID */
	struct strmap unknown_kinds;
	char *scratch; /* unescaped paths */
	size_t scratch_cap;
	/* settings */
	uint32_t late_ms;      /* -i: "later" past this age */
	bool include_default;  /* learn for type default too */
	/* counters */
	uint64_t events;       /* lines (or live events) taken */
	uint64_t used;         /* events that said something about a need */
	uint64_t ignored;      /* noaudit, borrowed, other types' rules ... */
	uint64_t refused_other; /* path refusals other than "no rule" */
	uint64_t lost;
	uint64_t gaps;
};

enum {
	GEN_ADD_USED = 0,
	GEN_ADD_IGNORED = 1,
	GEN_ADD_NEW_KIND = 2, /* a kind not known here, seen the first time */
};

void gen_model_init(struct gen_model *m);
void gen_model_free(struct gen_model *m);

/*
 * Takes one event.  Returns GEN_ADD_* or -EINVAL with a one-line reason in
 * err (a type name the policy language cannot hold, an unknown ability,
 * a value out of the ability's range, a bad path escape), or -ENOMEM.
 */
int gen_model_add(struct gen_model *m, const struct gen_event *ev, char *err,
		  size_t errlen);

/* ---- building blocks, also used to load a state file ---------------- */

/* The type of this name (a new entry if needed).  0, -EINVAL (not a name
 * a policy can declare), -E2BIG (too many types) or -ENOMEM. */
int gen_model_type(struct gen_model *m, const char *name, size_t len,
		   uint32_t *idx);
/* A program name's ID; GEN_NO_NAME when the table is full. */
int gen_model_name(struct gen_model *m, const char *name, size_t len,
		   uint32_t *id);
/* An ability by its policy or output spelling ("setuid", "SETUID",
 * "vendor/name").  0, -ENOENT or -ENOMEM. */
int gen_model_ability(struct gen_model *m, const char *name, size_t len,
		      uint16_t *id);
/* The same without adding anything: false if the model has no such
 * custom ability (or the name is no ability). */
bool gen_model_find_ability(const struct gen_model *m, const char *name,
			    size_t len, uint16_t *id);
/* The policy spelling of an ability ID of this model. */
const char *gen_model_ability_name(const struct gen_model *m, uint16_t id);

/* Records a use.  lo..hi only when has_value (settypeid: model types). */
int gen_model_use_ability(struct gen_model *m, uint32_t type, uint16_t ab,
			  enum gen_dom dom, bool has_value, uint64_t lo,
			  uint64_t hi, const struct gen_prov *who);
int gen_model_use_connect(struct gen_model *m, uint32_t type, uint32_t target,
			  enum gen_dom dom, const struct gen_prov *who);
int gen_model_use_path(struct gen_model *m, uint32_t type, enum gen_op op,
		       const char *path, size_t len, uint32_t chan_type,
		       const struct gen_prov *who);

/* Adds who's names and times to p. */
void gen_prov_merge(struct gen_prov *p, const struct gen_prov *who);
/* p = one program (GEN_NO_NAME for none recorded) at when. */
void gen_prov_one(struct gen_prov *p, uint32_t name, uint8_t when);

/* Adds [lo, hi] to the set.  0 or -ENOMEM. */
int gen_ranges_add(struct gen_ranges *s, uint64_t lo, uint64_t hi);
void gen_ranges_free(struct gen_ranges *s);

/* The ability entry of a type, or NULL. */
const struct gen_ability *gen_type_ability(const struct gen_type *t,
					   uint16_t id);

/* Turns the escaped (vis) form of a string back into its bytes: \\ \n \t
 * \r and \ooo.  out must hold len + 1 bytes (NUL-terminated).  0, or
 * -EINVAL for a malformed escape. */
int gen_unvis(const char *s, size_t len, char *out, size_t *outlen);

#endif
