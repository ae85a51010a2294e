/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Lines of a file descriptor, each at most max bytes: a hostile or broken
 * input without newlines cannot make the reader grow without bound.
 */
#ifndef SECPOL_GEN_LINES_H
#define SECPOL_GEN_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gen_lines {
	int fd;
	char *buf;
	size_t cap, start, end;
	size_t max;
	uint64_t lineno; /* of the line last returned (1-based) */
	bool eof, skipping;
};

/* Reads fd (not closed by gen_lines_free).  0 or -ENOMEM. */
int gen_lines_init(struct gen_lines *l, int fd, size_t max);
void gen_lines_free(struct gen_lines *l);
/*
 * The next line, without its newline (and without a trailing '\r'), valid
 * until the next call.  Returns 1 with *line set, 0 at the end, -E2BIG for
 * a line longer than max (it is skipped; lineno is its number), or -errno
 * for a read error.
 */
int gen_lines_next(struct gen_lines *l, const char **line, size_t *len);

#endif
