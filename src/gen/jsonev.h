/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One secpolmonitor --json line (src/event/format.c writes them) into the
 * fields secpolgenerate uses.  A streaming parser (yajl): no tree is
 * built, nothing is allocated per line once the buffers have grown, and
 * fields it does not know are skipped, whatever their JSON type.
 */
#ifndef SECPOL_GEN_JSONEV_H
#define SECPOL_GEN_JSONEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gen_ev_kind {
	GEN_EV_ABILITY,
	GEN_EV_ATTACH,
	GEN_EV_LINK,
	GEN_EV_LOST,
	GEN_EV_NEWTYPE,
	GEN_EV_GAP,   /* a monitor reconnected to a restarted secpold */
	GEN_EV_OTHER, /* a kind this version does not know */
};

/* A string of the event: the JSON string decoded, so still in the
 * escaped (vis) form format.c gives every untrusted string.  s is NULL
 * when the field was absent or null. */
struct gen_str {
	const char *s;
	size_t len;
};

struct gen_event {
	enum gen_ev_kind kind;
	struct gen_str kind_name;
	bool allowed;
	bool root;
	bool noaudit;
	bool borrowed; /* "own_credentials": false */
	bool learning;
	bool has_value;
	bool has_age;
	bool gap_begin; /* gap: the "begin" line of a pair (counted at "end") */
	uint64_t lo, hi;
	uint32_t age_ms;
	uint64_t lost;
	/* the IDs the types had in the policy of the run; UINT32_MAX if
	 * the line did not say */
	uint32_t type_id, value_type_id, channel_type_id;
	struct gen_str name; /* NULL: unnamed */
	struct gen_str type;
	struct gen_str ability;
	struct gen_str value_type;
	struct gen_str path;
	struct gen_str channel_type;
	struct gen_str reason;
};

struct gen_jparser;

struct gen_jparser *gen_jparser_new(void);
void gen_jparser_free(struct gen_jparser *p);
/*
 * Parses one line.  Returns 0 with *ev filled (its strings live until the
 * next call), 1 for a line of white space only (nothing to do), -EINVAL
 * with a one-line reason in err (invalid JSON, not an object, an unknown
 * version, a field of the wrong JSON type or a missing one), or -ENOMEM.
 */
int gen_jparse(struct gen_jparser *p, const char *line, size_t len,
	       struct gen_event *ev, char *err, size_t errlen);

#endif
