/* SPDX-License-Identifier: BSD-2-Clause */
/* Recursive-descent parser for the policy language (see parser.c). */
#ifndef SECPOL_PARSER_H
#define SECPOL_PARSER_H

#include "ast.h"
#include "common/arena.h"
#include "diag.h"

#define PARSE_MAX_STMTS (1u << 20) /* statements in all files */
#define PARSE_MAX_LIST 65536       /* items inside one pair of braces */

/*
 * Parses all sources into ast (allocated in arena).  Syntax errors are
 * reported to diags; parsing resumes at the next statement, so one run
 * reports every error.  Returns 0, or -ENOMEM.
 */
int parse_policy(const struct source *srcs, size_t nsrcs, struct arena *arena,
		 struct diags *diags, struct policy_ast *ast);

/* Identifier rules for type, attribute and range names. */
bool is_identifier(const char *s, size_t len);

#endif
