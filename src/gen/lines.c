// SPDX-License-Identifier: BSD-2-Clause
#include "lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (64u << 10)

int gen_lines_init(struct gen_lines *l, int fd, size_t max)
{
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->max = max;
	l->cap = max + READ_CHUNK;
	l->buf = malloc(l->cap);
	return l->buf ? 0 : -ENOMEM;
}

void gen_lines_free(struct gen_lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

/* Reads more after the buffered bytes; 0, or -errno. */
static int fill(struct gen_lines *l)
{
	ssize_t n;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	do
		n = read(l->fd, l->buf + l->end, l->cap - l->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		l->eof = true;
	l->end += (size_t)n;
	return 0;
}

int gen_lines_next(struct gen_lines *l, const char **line, size_t *len)
{
	for (;;) {
		char *s = l->buf + l->start;
		size_t avail = l->end - l->start;
		char *nl = memchr(s, '\n', avail);
		size_t n;
		int r;

		if (l->skipping) {
			/* the rest of an overlong line: drop it */
			if (nl) {
				l->start += (size_t)(nl - s) + 1;
				l->skipping = false;
				continue;
			}
			l->start = l->end = 0;
			if (l->eof)
				return 0;
			r = fill(l);
			if (r < 0)
				return r;
			continue;
		}
		if (nl || (l->eof && avail > 0)) {
			n = nl ? (size_t)(nl - s) : avail;
			if (n > l->max) {
				/* complete but too long (the buffer holds max
				 * plus a chunk, so this can happen) */
				l->start += nl ? n + 1 : n;
				l->lineno++;
				return -E2BIG;
			}
			l->start += nl ? n + 1 : n;
			l->lineno++;
			if (n > 0 && s[n - 1] == '\r')
				n--;
			*line = s;
			*len = n;
			return 1;
		}
		if (l->eof)
			return 0;
		if (avail > l->max) {
			l->lineno++;
			l->skipping = true;
			l->start = l->end = 0;
			return -E2BIG;
		}
		r = fill(l);
		if (r < 0)
			return r;
	}
}
