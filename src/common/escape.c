// SPDX-License-Identifier: BSD-2-Clause
#include "escape.h"

#include <stdbool.h>
#include <stdio.h>

size_t utf8_seq_len(const unsigned char *s, size_t avail, unsigned *cp)
{
	unsigned c = s[0], v, min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if (v < min || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	*cp = v;
	return n;
}

/* Code points that are valid but unsafe to show: C1 controls and the
 * format characters that reorder or hide text (Trojan Source). */
static bool unsafe_codepoint(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

static void put_octal(struct strbuf *sb, unsigned char c)
{
	char tmp[5];

	snprintf(tmp, sizeof(tmp), "\\%03o", c);
	sb_append(sb, tmp, 4);
}

void sb_escape(struct strbuf *sb, const void *src, size_t len, int flags)
{
	const unsigned char *s = src;
	size_t i = 0, n, k;
	unsigned cp;

	while (i < len) {
		unsigned char c = s[i];

		if (c == '\\') {
			sb_append(sb, "\\\\", 2);
		} else if (c == '\n') {
			sb_append(sb, "\\n", 2);
		} else if (c == '\t') {
			sb_append(sb, "\\t", 2);
		} else if (c == '\r') {
			sb_append(sb, "\\r", 2);
		} else if (c == ' ' && !(flags & ESC_KEEP_SPACE)) {
			put_octal(sb, c);
		} else if (c >= 0x20 && c < 0x7f) {
			sb_putc(sb, (char)c);
		} else if (c < 0x80) {
			put_octal(sb, c);
		} else {
			n = utf8_seq_len(s + i, len - i, &cp);
			if (n == 0 || unsafe_codepoint(cp)) {
				/* escape the whole sequence, or one bad byte */
				for (k = 0; k < (n ? n : 1); k++)
					put_octal(sb, s[i + k]);
				i += n ? n : 1;
				continue;
			}
			sb_append(sb, (const char *)s + i, n);
			i += n;
			continue;
		}
		i++;
	}
}

void sb_json_string(struct strbuf *sb, const void *src, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t i;

	/* The escaped form is printable UTF-8 with backslashes only as escape
	 * introducers; JSON then needs backslash and quote escaped. */
	sb_escape(&tmp, src, len, ESC_KEEP_SPACE);
	if (sb_error(&tmp))
		sb->failed = true;
	sb_putc(sb, '"');
	for (i = 0; i < tmp.len; i++) {
		char c = tmp.buf[i];

		if (c == '\\' || c == '"')
			sb_putc(sb, '\\');
		sb_putc(sb, c);
	}
	sb_putc(sb, '"');
	sb_free(&tmp);
}
