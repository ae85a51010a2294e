/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Escaping of untrusted bytes (process names, paths, policy tokens) for
 * output, in the style of vis(3): the result is one line of printable text
 * that cannot forge fields, lines or terminal escape sequences.
 *
 *   backslash -> \\      newline -> \n   tab -> \t   CR -> \r
 *   space     -> \040    (fields in our text output are space separated)
 *   other control bytes, DEL, bytes that are not well-formed UTF-8, C1
 *   controls and Unicode bidi/format controls -> \ooo per byte (octal)
 *
 * Well-formed printable UTF-8 is kept as is.
 */
#ifndef SECPOL_ESCAPE_H
#define SECPOL_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

enum {
	ESC_KEEP_SPACE = 1 << 0, /* leave spaces as they are (diagnostics) */
};

void sb_escape(struct strbuf *sb, const void *src, size_t len, int flags);
/* A JSON string literal (with quotes) holding the escaped form of src. */
void sb_json_string(struct strbuf *sb, const void *src, size_t len);
/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 if it is not
 * one.  Exposed for tests. */
size_t utf8_seq_len(const unsigned char *s, size_t avail, unsigned *cp);

#endif
