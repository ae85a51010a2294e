/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The policy language's lexer: reentrant, hand-written.  Several files are
 * read one after the other as if concatenated (QNX secpolcompile does the
 * same).  Tokens point into the source text and carry file, line, column.
 *
 * A word is a maximal run of bytes other than white space and the
 * punctuation { } ; : , and # (which starts a comment to the end of the
 * line).  The parser gives words their meaning (keyword, name, path,
 * number, range) from context, so paths such as /dev/fsF* and ranges such
 * as 0x1000-0x2000 need no quoting.
 */
#ifndef SECPOL_LEXER_H
#define SECPOL_LEXER_H

#include "diag.h"

#define LEX_MAX_TOKEN 4096          /* bytes in one word */
#define LEX_MAX_FILE (16u << 20)    /* bytes in one input file */

enum tok_kind {
	T_EOF,
	T_WORD,
	T_LBRACE,
	T_RBRACE,
	T_SEMI,
	T_COLON,
	T_COMMA,
};

struct token {
	enum tok_kind kind;
	const char *text; /* not NUL-terminated */
	size_t len;
	struct loc loc;
};

struct lexer {
	const struct source *srcs;
	size_t nsrcs;
	size_t file;
	size_t pos;
	uint32_t line, col;
	struct diags *diags;
};

void lexer_init(struct lexer *lx, const struct source *srcs, size_t nsrcs,
		struct diags *diags);
/* Reads the next token.  Lexical errors are reported to diags and the
 * offending bytes skipped, so the parser always gets a usable token. */
void lexer_next(struct lexer *lx, struct token *t);
const char *tok_kind_str(enum tok_kind k);

#endif
