/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A growable string.  Appends never fail loudly: an allocation failure sets
 * `failed`, later appends become no-ops, and the owner checks sb_error()
 * once at the end.  This keeps formatting code free of error ladders.
 */
#ifndef SECPOL_STRBUF_H
#define SECPOL_STRBUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

#include "util.h"

struct strbuf {
	char *buf; /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	bool failed;
};

#define STRBUF_INIT {NULL, 0, 0, false}

void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_append(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) ATTR_PRINTF(2, 3);
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	ATTR_PRINTF(2, 0);
/* Returns the string (never NULL) or "" if nothing was appended. */
const char *sb_str(const struct strbuf *sb);
/* 0, or -ENOMEM if an append failed. */
int sb_error(const struct strbuf *sb);
/* Hands the buffer to the caller (NULL on failure); sb is left empty. */
char *sb_steal(struct strbuf *sb);

#endif
