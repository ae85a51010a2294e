/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The state file (-s): what was learned, kept across runs.  JSON lines,
 * versioned: a header {"secpolgenerate_state":1, counters}, one record
 * per type, need and path, and an end record with the count, so that a
 * cut file is known for what it is.  Strings are in the escaped form of
 * the events (then JSON-escaped), so the file is printable text.
 *
 * A state file that cannot be read completely is refused as a whole
 * (nothing of it is taken) and never written over by the caller.
 */
#ifndef SECPOL_GEN_STATE_H
#define SECPOL_GEN_STATE_H

#include <stddef.h>

#include "common/strbuf.h"
#include "model.h"

#define GEN_STATE_VERSION 1
#define GEN_STATE_MAX (256u << 20) /* bytes of a state file */

/* The state of m as text.  0 or -ENOMEM. */
int gen_state_format(const struct gen_model *m, struct strbuf *out);
/*
 * Adds the state in buf to m.  name is the file's name for messages.
 * Returns 0, or -EINVAL with "NAME:LINE: reason" in err (m may then hold
 * part of it: throw m away), or -ENOMEM.
 */
int gen_state_parse(struct gen_model *m, const char *name, const char *buf,
		    size_t len, char *err, size_t errlen);

/*
 * Writes the state crash-safely: a temporary file in the same directory,
 * fsync, rename over path, fsync of the directory.  A failure leaves the
 * old file as it was.  0 or -errno.
 */
int gen_state_save(const struct gen_model *m, const char *path);
/* Reads path into m: 0, -ENOENT (no such file), -EINVAL (err as for
 * gen_state_parse) or -errno (err says what failed). */
int gen_state_load(struct gen_model *m, const char *path, char *err,
		   size_t errlen);

#endif
