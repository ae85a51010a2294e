/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Compiler diagnostics: "file:line:col: error: message", the source line
 * and a caret under the offending text, as C compilers print them.
 * Diagnostics are collected so that one run reports every error.
 */
#ifndef SECPOL_DIAG_H
#define SECPOL_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/util.h"

/* One input file.  text need not be NUL-terminated. */
struct source {
	const char *name;
	const char *text;
	size_t len;
};

/* A position: file index, 1-based line and byte column, byte length. */
struct loc {
	uint32_t file;
	uint32_t line;
	uint32_t col;
	uint32_t len;
	size_t off; /* byte offset of the start in the file */
};

enum diag_sev { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct quoted;

struct diag {
	enum diag_sev sev;
	bool has_loc;
	struct loc loc;
	char *msg;
};

struct diags {
	const struct source *srcs;
	size_t nsrcs;
	struct diag *v;
	size_t n, cap;
	unsigned errors, warnings;
	unsigned max_errors; /* stop recording errors past this (0: 50) */
	bool overflow;       /* max_errors reached */
	bool oom;
	struct quoted *quoted; /* strings made by diag_quote */
};

void diags_init(struct diags *d, const struct source *srcs, size_t nsrcs);
void diags_free(struct diags *d);
/* loc may be NULL for a diagnostic about no particular place. */
void diag_add(struct diags *d, enum diag_sev sev, const struct loc *loc,
	      const char *fmt, ...) ATTR_PRINTF(4, 5);
#define diag_error(d, loc, ...) diag_add(d, DIAG_ERROR, loc, __VA_ARGS__)
#define diag_warning(d, loc, ...) diag_add(d, DIAG_WARNING, loc, __VA_ARGS__)
#define diag_note(d, loc, ...) diag_add(d, DIAG_NOTE, loc, __VA_ARGS__)
/* Prints every diagnostic with its source line and caret. */
void diags_print(const struct diags *d, FILE *out);
/* Escapes untrusted text for a message (vis style, spaces kept); the
 * result lives until diags_free. */
const char *diag_quote(struct diags *d, const char *s, size_t len);

#endif
