// SPDX-License-Identifier: BSD-2-Clause
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "common/strbuf.h"

/* Quoted strings are kept in a list so diags_free can release them. */
struct quoted {
	struct quoted *next;
	char s[];
};

void diags_init(struct diags *d, const struct source *srcs, size_t nsrcs)
{
	memset(d, 0, sizeof(*d));
	d->srcs = srcs;
	d->nsrcs = nsrcs;
	d->max_errors = 50;
}

void diags_free(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
	while (d->quoted) {
		struct quoted *q = d->quoted;

		d->quoted = q->next;
		free(q);
	}
}

const char *diag_quote(struct diags *d, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	struct quoted *q;

	sb_escape(&sb, s, len, ESC_KEEP_SPACE);
	if (sb_error(&sb)) {
		d->oom = true;
		sb_free(&sb);
		return "?";
	}
	q = malloc(sizeof(*q) + sb.len + 1);
	if (!q) {
		d->oom = true;
		sb_free(&sb);
		return "?";
	}
	memcpy(q->s, sb_str(&sb), sb.len + 1);
	sb_free(&sb);
	q->next = d->quoted;
	d->quoted = q;
	return q->s;
}

void diag_add(struct diags *d, enum diag_sev sev, const struct loc *loc,
	      const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct diag *nv;
	va_list ap;

	if (sev == DIAG_ERROR) {
		d->errors++;
		if (d->errors > d->max_errors) {
			d->overflow = true;
			return;
		}
	} else if (sev == DIAG_WARNING) {
		d->warnings++;
	} else if (d->overflow) {
		return; /* a note for an error we dropped */
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;

		nv = realloc(d->v, cap * sizeof(*nv));
		if (!nv) {
			d->oom = true;
			return;
		}
		d->v = nv;
		d->cap = cap;
	}
	va_start(ap, fmt);
	sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	if (sb_error(&sb)) {
		d->oom = true;
		sb_free(&sb);
		return;
	}
	d->v[d->n].sev = sev;
	d->v[d->n].has_loc = loc != NULL;
	if (loc)
		d->v[d->n].loc = *loc;
	d->v[d->n].msg = sb_steal(&sb);
	d->n++;
}

/* Bytes of a source line shown around the place: a diagnostic in a huge
 * line (a megabyte word, a file of NULs) stays short. */
#define EXCERPT_BEFORE 80
#define EXCERPT_AFTER 120

/* Start of a UTF-8 character at or before p (not before lo). */
static size_t char_start(const char *t, size_t p, size_t lo)
{
	while (p > lo && ((unsigned char)t[p] & 0xc0) == 0x80)
		p--;
	return p;
}

/* Prints the source line holding loc and a caret line under it.  Bytes
 * that the escaper rewrites take as many columns in the caret line as
 * their escaped form, and tabs stay tabs, so the caret lines up. */
static void print_excerpt(const struct source *src, const struct loc *loc,
			  FILE *out)
{
	struct strbuf line = STRBUF_INIT, mark = STRBUF_INIT;
	size_t start = loc->off, end = loc->off, i, k, w;
	bool cut_start = false, cut_end = false;

	if (loc->off > src->len)
		return;
	while (start > 0 && src->text[start - 1] != '\n' &&
	       loc->off - start < EXCERPT_BEFORE)
		start--;
	if (start > 0 && src->text[start - 1] != '\n') {
		start = char_start(src->text, start, 0);
		cut_start = true;
	}
	while (end < src->len && src->text[end] != '\n' &&
	       end - loc->off < EXCERPT_AFTER)
		end++;
	if (end < src->len && src->text[end] != '\n') {
		end = char_start(src->text, end, loc->off);
		cut_end = true;
	}
	if (cut_start) {
		sb_puts(&line, "...");
		sb_puts(&mark, "   ");
	}
	for (i = start; i < end;) {
		size_t before = line.len, n = 1, span = loc->len ? loc->len : 1;
		unsigned char c = (unsigned char)src->text[i];
		bool first = i == loc->off;
		bool in_span = i >= loc->off && i < loc->off + span;
		bool past = i >= loc->off + span;
		unsigned cp;

		if (c == '\t') {
			sb_putc(&line, '\t');
			if (!past)
				sb_putc(&mark, in_span ? (first ? '^' : '~') : '\t');
			i++;
			continue;
		}
		if (c == '\r' && i + 1 == end)
			break;
		/* a well-formed multi-byte character is one column */
		if (c >= 0x80) {
			n = utf8_seq_len((const unsigned char *)src->text + i,
					 end - i, &cp);
			if (n == 0)
				n = 1;
		}
		sb_escape(&line, src->text + i, n, ESC_KEEP_SPACE);
		w = line.len - before;
		if (n > 1 && line.buf[before] != '\\')
			w = 1;
		for (k = 0; k < w && !past; k++)
			sb_putc(&mark, in_span ? (first && k == 0 ? '^' : '~') : ' ');
		i += n;
	}
	if (loc->off == end && !cut_end)
		sb_putc(&mark, '^'); /* at end of line or file */
	if (cut_end)
		sb_puts(&line, "...");
	fprintf(out, "%5u | %s\n      | %s\n", loc->line, sb_str(&line),
		sb_str(&mark));
	sb_free(&line);
	sb_free(&mark);
}

void diags_print(const struct diags *d, FILE *out)
{
	static const char *const word[] = {
		[DIAG_ERROR] = "error",
		[DIAG_WARNING] = "warning",
		[DIAG_NOTE] = "note",
	};
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->v[i];

		if (g->has_loc && g->loc.file < d->nsrcs) {
			const struct source *src = &d->srcs[g->loc.file];

			struct strbuf name = STRBUF_INIT;

			sb_escape(&name, src->name, strlen(src->name), 0);
			fprintf(out, "%s:%u:%u: %s: %s\n", sb_str(&name),
				g->loc.line, g->loc.col, word[g->sev], g->msg);
			sb_free(&name);
			print_excerpt(src, &g->loc, out);
		} else {
			fprintf(out, "%s: %s\n", word[g->sev], g->msg);
		}
	}
	if (d->overflow)
		fprintf(out, "note: too many errors (%u); only the first %u are shown\n",
			d->errors, d->max_errors);
	if (d->oom)
		fprintf(out, "error: out of memory while recording diagnostics\n");
}
