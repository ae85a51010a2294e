// SPDX-License-Identifier: BSD-2-Clause
#include "dot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "policy/ability.h"
#include "writer.h"

#define LABEL_PATHS 12 /* paths of each kind in a label; then "N more" */

/* Appends s to a dot double-quoted string: quotes and backslashes are
 * escaped (s is printable already: escaped program names and paths). */
static void put_dq(struct strbuf *sb, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			sb_putc(sb, '\\');
		sb_putc(sb, s[i]);
	}
}

static void put_line(struct strbuf *sb, const char *s)
{
	put_dq(sb, s, strlen(s));
	sb_puts(sb, "\\l"); /* a left-justified line */
}

static bool is_default(const struct gen_model *m, uint32_t t)
{
	return strcmp(m->types[t].name, "default") == 0;
}

static void put_abilities(struct strbuf *sb, const struct gen_model *m,
			  const struct gen_type *t)
{
	struct strbuf l = STRBUF_INIT;
	size_t i;

	for (i = 0; i < t->nab; i++) {
		const struct gen_ability *a = &t->ab[i];
		const struct ability_info *info = ability_by_id(a->id);
		struct gen_ranges all = {0};
		size_t k;
		int d;

		/* shown as edges; implied by the paths */
		if (a->id == AB_SETTYPEID ||
		    (a->id == AB_PATHSPACE && (t->npaths[0] || t->npaths[1])))
			continue;
		sb_reset(&l);
		sb_puts(&l, info ? info->upper : gen_model_ability_name(m, a->id));
		for (d = 0; d < 2; d++)
			for (k = 0; k < a->vals[d].n; k++)
				if (gen_ranges_add(&all, a->vals[d].r[k].lo,
						   a->vals[d].r[k].hi) < 0)
					l.failed = true;
		if (all.n) {
			sb_putc(&l, '(');
			gen_put_values(&l, m, a->id, &all);
			sb_putc(&l, ')');
		}
		gen_ranges_free(&all);
		if (a->used == 1u << GEN_ROOT)
			sb_puts(&l, " as root");
		else if (a->used == 1u << GEN_NONROOT)
			sb_puts(&l, " as non-root");
		put_line(sb, sb_str(&l));
	}
	if (sb_error(&l))
		sb->failed = true;
	sb_free(&l);
}

static int cmp_path(const void *a, const void *b)
{
	const struct gen_path *x = *(const struct gen_path *const *)a;
	const struct gen_path *y = *(const struct gen_path *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->path, y->path, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void put_paths(struct strbuf *sb, const struct gen_type *t,
		      enum gen_op op)
{
	struct strbuf l = STRBUF_INIT;
	size_t i, n = t->npaths[op];
	const struct gen_path **v = malloc((n ? n : 1) * sizeof(*v));

	if (!v) {
		sb->failed = true;
		return;
	}
	/* sorted: the graph does not depend on the order of the inputs */
	for (i = 0; i < n; i++)
		v[i] = &t->paths[op][i];
	qsort(v, n, sizeof(*v), cmp_path);
	for (i = 0; i < n && i < LABEL_PATHS; i++) {
		sb_reset(&l);
		sb_puts(&l, op == GEN_ATTACH ? "attach " : "link ");
		sb_escape(&l, v[i]->path, v[i]->len, 0);
		put_line(sb, sb_str(&l));
	}
	free(v);
	if (n > LABEL_PATHS) {
		sb_reset(&l);
		sb_printf(&l, "... and %zu more %s paths", n - LABEL_PATHS,
			  op == GEN_ATTACH ? "attach" : "link");
		put_line(sb, sb_str(&l));
	}
	if (sb_error(&l))
		sb->failed = true;
	sb_free(&l);
}

/* Types that appear: those that did something, and the ends of edges. */
static void mark_shown(const struct gen_model *m, bool *shown)
{
	size_t i, k;
	int op, d;
	uint64_t x;

	for (i = 0; i < m->ntypes; i++) {
		const struct gen_type *t = &m->types[i];

		if (!t->subject || (is_default(m, (uint32_t)i) && !m->include_default))
			continue;
		shown[i] = true;
		for (k = 0; k < t->nconn; k++)
			shown[t->conn[k].target] = true;
		for (op = 0; op < 2; op++)
			for (k = 0; k < t->npaths[op]; k++)
				if (t->paths[op][k].chan_type != GEN_NO_TYPE)
					shown[t->paths[op][k].chan_type] = true;
		for (k = 0; k < t->nab; k++) {
			if (t->ab[k].id != AB_SETTYPEID)
				continue;
			for (d = 0; d < 2; d++) {
				const struct gen_ranges *v = &t->ab[k].vals[d];
				size_t j;

				for (j = 0; j < v->n; j++)
					for (x = v->r[j].lo; x <= v->r[j].hi && x < m->ntypes; x++)
						shown[x] = true;
			}
		}
	}
}

static void put_edges(struct strbuf *sb, const struct gen_model *m, uint32_t i)
{
	const struct gen_type *t = &m->types[i];
	struct gen_ranges targets = {0};
	size_t k, j;
	int d;
	uint64_t x;

	for (k = 0; k < t->nconn; k++)
		sb_printf(sb, "\t\"%s\" -> \"%s\" [label=\"connect\"];\n", t->name,
			  m->types[t->conn[k].target].name);
	for (k = 0; k < t->nab; k++) {
		if (t->ab[k].id != AB_SETTYPEID)
			continue;
		for (d = 0; d < 2; d++)
			for (j = 0; j < t->ab[k].vals[d].n; j++)
				if (gen_ranges_add(&targets, t->ab[k].vals[d].r[j].lo,
						   t->ab[k].vals[d].r[j].hi) < 0)
					sb->failed = true;
	}
	for (j = 0; j < targets.n; j++)
		for (x = targets.r[j].lo; x <= targets.r[j].hi && x < m->ntypes; x++)
			sb_printf(sb, "\t\"%s\" -> \"%s\" [label=\"settypeid\", style=dashed];\n",
				  t->name, m->types[x].name);
	gen_ranges_free(&targets);
	/* one edge per relabel type, not per path */
	for (k = 0; k < t->npaths[GEN_ATTACH]; k++) {
		uint32_t ct = t->paths[GEN_ATTACH][k].chan_type;
		bool dup = false;

		if (ct == GEN_NO_TYPE)
			continue;
		for (j = 0; j < k && !dup; j++)
			dup = t->paths[GEN_ATTACH][j].chan_type == ct;
		if (!dup)
			sb_printf(sb, "\t\"%s\" -> \"%s\" [label=\"attaches channels of\", style=dotted];\n",
				  t->name, m->types[ct].name);
	}
}

int gen_write_dot(const struct gen_model *m, struct strbuf *out)
{
	bool *shown = calloc(m->ntypes ? m->ntypes : 1, sizeof(*shown));
	uint32_t *order;
	size_t n, i;

	order = gen_type_order(m, &n);
	if (!shown || !order) {
		free(shown);
		free(order);
		return -ENOMEM;
	}
	mark_shown(m, shown);
	sb_puts(out, "digraph secpol {\n"
		     "\tgraph [rankdir=LR, fontname=\"Helvetica\"];\n"
		     "\tnode [shape=box, fontname=\"Helvetica\", fontsize=10];\n"
		     "\tedge [fontname=\"Helvetica\", fontsize=9];\n");
	for (i = 0; i < n; i++) {
		const struct gen_type *t = &m->types[order[i]];

		if (!shown[order[i]])
			continue;
		/* type names are identifiers: safe inside quotes */
		sb_printf(out, "\t\"%s\" [label=\"", t->name);
		put_line(out, t->name);
		if (t->nab || t->npaths[0] || t->npaths[1])
			sb_puts(out, "\\l");
		put_abilities(out, m, t);
		put_paths(out, t, GEN_ATTACH);
		put_paths(out, t, GEN_LINK);
		sb_printf(out, "\"%s];\n", t->subject ? "" : ", style=dashed");
	}
	for (i = 0; i < n; i++)
		if (shown[order[i]] && m->types[order[i]].subject)
			put_edges(out, m, order[i]);
	sb_puts(out, "}\n");
	free(shown);
	free(order);
	return sb_error(out);
}
