// SPDX-License-Identifier: BSD-2-Clause
#include "lexer.h"

#include <stdbool.h>
#include <string.h>

#include "common/escape.h"

void lexer_init(struct lexer *lx, const struct source *srcs, size_t nsrcs,
		struct diags *diags)
{
	memset(lx, 0, sizeof(*lx));
	lx->srcs = srcs;
	lx->nsrcs = nsrcs;
	lx->diags = diags;
	lx->line = 1;
	lx->col = 1;
}

const char *tok_kind_str(enum tok_kind k)
{
	switch (k) {
	case T_EOF:
		return "end of input";
	case T_WORD:
		return "word";
	case T_LBRACE:
		return "'{'";
	case T_RBRACE:
		return "'}'";
	case T_SEMI:
		return "';'";
	case T_COLON:
		return "':'";
	case T_COMMA:
		return "','";
	}
	return "?";
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_punct(unsigned char c)
{
	return c == '{' || c == '}' || c == ';' || c == ':' || c == ',' ||
	       c == '#';
}

static struct loc here(const struct lexer *lx, uint32_t len)
{
	struct loc l = {
		.file = (uint32_t)lx->file,
		.line = lx->line,
		.col = lx->col,
		.len = len,
		.off = lx->pos,
	};
	return l;
}

static void advance(struct lexer *lx, size_t n)
{
	const struct source *s = &lx->srcs[lx->file];

	while (n-- && lx->pos < s->len) {
		if (s->text[lx->pos] == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
		lx->pos++;
	}
}

/*
 * Checks the character at the current position.  Returns its length in
 * bytes (1 for ASCII, 2..4 for well-formed UTF-8) if it may appear here,
 * or 0 after reporting it (*skip then says how many bytes to skip).  NUL
 * is refused everywhere; other control characters except white space
 * everywhere but in comments; malformed UTF-8 everywhere.
 */
static size_t check_char(struct lexer *lx, bool in_comment, size_t *skip)
{
	const struct source *s = &lx->srcs[lx->file];
	const unsigned char *p = (const unsigned char *)s->text + lx->pos;
	struct loc l = here(lx, 1);
	unsigned cp;
	size_t n;

	*skip = 1;
	if (*p == 0) {
		diag_error(lx->diags, &l, "NUL byte in policy text");
		return 0;
	}
	if ((*p < 0x20 && !is_space(*p)) || *p == 0x7f) {
		if (in_comment)
			return 1;
		diag_error(lx->diags, &l, "unexpected control character '\\%03o'",
			   *p);
		return 0;
	}
	if (*p < 0x80)
		return 1;
	n = utf8_seq_len(p, s->len - lx->pos, &cp);
	if (n == 0) {
		diag_error(lx->diags, &l, "invalid UTF-8 byte '\\%03o'", *p);
		return 0;
	}
	return n;
}

void lexer_next(struct lexer *lx, struct token *t)
{
	for (;;) {
		const struct source *s;
		unsigned char c;
		size_t skip;

		if (lx->file >= lx->nsrcs) {
			t->kind = T_EOF;
			t->text = "";
			t->len = 0;
			/* point at the end of the last file */
			if (lx->nsrcs) {
				lx->file = lx->nsrcs - 1;
				t->loc = here(lx, 0);
				lx->file = lx->nsrcs;
			} else {
				memset(&t->loc, 0, sizeof(t->loc));
			}
			return;
		}
		s = &lx->srcs[lx->file];
		if (lx->pos >= s->len) {
			if (lx->file + 1 == lx->nsrcs) {
				t->kind = T_EOF;
				t->text = "";
				t->len = 0;
				t->loc = here(lx, 0);
				return;
			}
			lx->file++;
			lx->pos = 0;
			lx->line = 1;
			lx->col = 1;
			continue;
		}
		c = (unsigned char)s->text[lx->pos];
		if (is_space(c)) {
			advance(lx, 1);
			continue;
		}
		if (c == '#') {
			while (lx->pos < s->len && s->text[lx->pos] != '\n') {
				size_t n = check_char(lx, true, &skip);

				advance(lx, n ? n : skip);
			}
			continue;
		}
		if (!check_char(lx, false, &skip)) {
			advance(lx, skip);
			continue;
		}
		t->text = s->text + lx->pos;
		t->loc = here(lx, 1);
		switch (c) {
		case '{':
			t->kind = T_LBRACE;
			break;
		case '}':
			t->kind = T_RBRACE;
			break;
		case ';':
			t->kind = T_SEMI;
			break;
		case ':':
			t->kind = T_COLON;
			break;
		case ',':
			t->kind = T_COMMA;
			break;
		default:
			t->kind = T_WORD;
		}
		if (t->kind != T_WORD) {
			t->len = 1;
			advance(lx, 1);
			return;
		}
		/* A word: stop at white space, punctuation or a bad byte
		 * (reported by check_char and skipped here). */
		{
			size_t start = lx->pos, end, n;

			for (;;) {
				end = lx->pos;
				if (lx->pos >= s->len)
					break;
				c = (unsigned char)s->text[lx->pos];
				if (is_space(c) || is_punct(c))
					break;
				n = c < 0x80 && c >= 0x20 && c != 0x7f ? 1 :
					check_char(lx, false, &skip);
				if (n == 0) {
					advance(lx, skip);
					break;
				}
				advance(lx, n);
			}
			t->len = end - start;
			if (t->len > LEX_MAX_TOKEN) {
				t->loc.len = 1;
				diag_error(lx->diags, &t->loc,
					   "word longer than %u bytes",
					   LEX_MAX_TOKEN);
				t->len = LEX_MAX_TOKEN;
			}
			t->loc.len = (uint32_t)t->len;
			return;
		}
	}
}
