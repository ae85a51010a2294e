// SPDX-License-Identifier: BSD-2-Clause
#include "pathtext.h"

#include <errno.h>
#include <string.h>

#include "common/escape.h"
#include "policy/policy.h"

/* Bytes of one word the policy lexer ends or refuses. */
static const char *refused_byte(unsigned char c)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f')
		return "contains white space";
	if (c < 0x20 || c == 0x7f)
		return "contains a control byte";
	if (c == '{' || c == '}' || c == ';' || c == ':' || c == ',' ||
	    c == '#')
		return "contains a byte the policy language reserves ({ } ; : , #)";
	return NULL;
}

/*
 * Appends raw[0..len) to out, escaping wildcards.  *pattern is set when
 * it did.  A sequence that the escaper would change (invalid UTF-8,
 * invisible or bidirectional controls) is refused: the compiler refuses
 * invalid UTF-8, and a rule should never hide what it names.
 */
static int put_escaped(const char *raw, size_t len, struct strbuf *out,
		       bool *pattern, const char **why)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		unsigned char c = s[i];

		if (c >= 0x80) {
			struct strbuf e = STRBUF_INIT;
			bool same;

			n = utf8_seq_len(s + i, len - i, &cp);
			if (n == 0) {
				*why = "is not valid UTF-8";
				return -EINVAL;
			}
			sb_escape(&e, s + i, n, 0);
			same = e.len == n && memcmp(e.buf, s + i, n) == 0;
			sb_free(&e);
			if (!same) {
				*why = "contains an invisible or control character";
				return -EINVAL;
			}
			sb_append(out, raw + i, n);
			i += n;
			continue;
		}
		*why = refused_byte(c);
		if (*why)
			return -EINVAL;
		if (c == '*' || c == '?' || c == '[') {
			/* a bracket expression of one byte matches only it */
			sb_putc(out, '[');
			sb_putc(out, (char)c);
			sb_putc(out, ']');
			*pattern = true;
		} else {
			sb_putc(out, (char)c);
		}
		i++;
	}
	return 0;
}

/* In a pattern a backslash escapes the next byte: double the literal ones
 * (only once we know the word is a pattern). */
static void double_backslashes(struct strbuf *out, size_t from)
{
	struct strbuf t = STRBUF_INIT;
	size_t i;

	for (i = from; i < out->len; i++) {
		if (out->buf[i] == '\\')
			sb_putc(&t, '\\');
		sb_putc(&t, out->buf[i]);
	}
	out->len = from;
	sb_append(out, sb_str(&t), t.len);
	if (sb_error(&t))
		out->failed = true;
	sb_free(&t);
}

/* Checks the word out[from..] as the compiler will read it. */
static int check_word(struct strbuf *out, size_t from, bool want_pattern,
		      const char *raw, const char **why)
{
	char stored[SPB_MAX_PATH + 1];
	uint32_t flags;
	const char *w = NULL;

	if (sb_error(out))
		return -ENOMEM;
	if (sp_path_rule_parse(out->buf + from, stored, sizeof(stored), &flags,
			       &w) < 0) {
		*why = w;
		return -EINVAL;
	}
	if (flags & SPB_R_PREFIX) {
		*why = "ends in \"/...\", which a policy reads as everything below";
		return -EINVAL;
	}
	if (!!(flags & SPB_R_PATTERN) != want_pattern ||
	    (raw && !sp_path_rule_match(stored, flags, raw))) {
		*why = "does not read back as itself";
		return -EINVAL;
	}
	return 0;
}

int gen_path_word(const char *raw, size_t len, struct strbuf *out,
		  const char **why)
{
	size_t from = out->len;
	bool pattern = false;
	int r;

	*why = NULL;
	if (len == 0 || (raw[0] != '/' && raw[0] != '@')) {
		*why = "is neither absolute nor an abstract name";
		return -EINVAL;
	}
	if (memchr(raw, '\0', len)) {
		*why = "contains a NUL byte";
		return -EINVAL;
	}
	r = put_escaped(raw, len, out, &pattern, why);
	if (r == 0 && pattern)
		double_backslashes(out, from);
	if (r == 0)
		r = check_word(out, from, pattern, raw, why);
	if (r < 0)
		out->len = from;
	if (out->buf)
		out->buf[out->len] = '\0';
	return r;
}

size_t gen_path_dirlen(const char *raw, size_t len)
{
	size_t i = len;

	if (len == 0 || raw[0] != '/')
		return 0;
	while (i > 0 && raw[i - 1] != '/')
		i--;
	/* i is past the last '/': the directory is raw[0..i-1), or "/" */
	return i > 1 ? i - 1 : 1;
}

int gen_path_dir_word(const char *raw, size_t len, struct strbuf *out,
		      const char **why)
{
	size_t from = out->len, dl = gen_path_dirlen(raw, len);
	bool pattern = false;
	int r;

	*why = NULL;
	if (dl == 0) {
		*why = "is an abstract name";
		return -EINVAL;
	}
	if (dl == 1) {
		*why = "is directly in /, which is never generalised";
		return -EINVAL;
	}
	if (memchr(raw, '\0', len)) {
		*why = "contains a NUL byte";
		return -EINVAL;
	}
	r = put_escaped(raw, dl, out, &pattern, why);
	if (r == 0) {
		sb_puts(out, "/*");
		double_backslashes(out, from);
		r = check_word(out, from, true, raw, why);
	}
	if (r < 0)
		out->len = from;
	if (out->buf)
		out->buf[out->len] = '\0';
	return r;
}
