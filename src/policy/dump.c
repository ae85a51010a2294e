// SPDX-License-Identifier: BSD-2-Clause
/*
 * The readable form of a policy (secpol -c) and of its file structure
 * (secpol -d).  Tests and scripts compare this text: change it only with
 * the golden files.  Strings from the file are escaped even though the
 * loader validated them, so that the output is one record per line
 * whatever produced the file.
 */
#include "policy_internal.h"

#include <inttypes.h>
#include <string.h>

#include "ability.h"
#include "common/escape.h"
#include "common/strbuf.h"

static void put_esc(struct strbuf *sb, const char *s)
{
	sb_escape(sb, s, strlen(s), 0);
}

static void put_type(const struct sp_policy *p, struct strbuf *sb,
		     uint64_t type)
{
	const char *name = NULL;

	if (type <= UINT32_MAX)
		name = sp_policy_type_name(p, (uint32_t)type);
	if (name)
		put_esc(sb, name);
	else
		sb_printf(sb, "%" PRIu64, type);
}

static void put_named(const struct sp_policy *p, struct strbuf *sb,
		      uint32_t idx)
{
	const char *name = sp_policy_named_range_name(p, idx);

	if (name)
		put_esc(sb, name);
	else
		sb_printf(sb, "#%u", idx);
}

void sp_format_ranges(const struct sp_policy *p, const struct sp_grant_view *g,
		      struct strbuf *sb)
{
	const struct ability_info *ai = ability_by_id(g->ability);
	size_t i;

	if (g->nranges == 0 && g->nnamed == 0)
		return;
	sb_putc(sb, '(');
	for (i = 0; i < g->nranges; i++) {
		const struct sp_range *r = &g->ranges[i];

		if (i)
			sb_puts(sb, ", ");
		if (r->lo == r->hi)
			sb_printf(sb, "%" PRIu64, r->lo);
		else
			sb_printf(sb, "%" PRIu64 " - %" PRIu64, r->lo, r->hi);
	}
	for (i = 0; i < g->nnamed; i++) {
		if (i || g->nranges)
			sb_puts(sb, ", ");
		put_named(p, sb, g->named[i]);
	}
	sb_putc(sb, ')');
	if (!ai || ai->value != AB_VAL_TYPE)
		return;
	sb_puts(sb, " (");
	for (i = 0; i < g->nranges; i++) {
		const struct sp_range *r = &g->ranges[i];

		if (i)
			sb_puts(sb, ", ");
		put_type(p, sb, r->lo);
		if (r->lo != r->hi) {
			sb_puts(sb, " - ");
			put_type(p, sb, r->hi);
		}
	}
	for (i = 0; i < g->nnamed; i++) {
		if (i || g->nranges)
			sb_puts(sb, ", ");
		put_named(p, sb, g->named[i]);
	}
	sb_putc(sb, ')');
}

static void put_grant(const struct sp_policy *p, const struct sp_grant_view *g,
		      struct strbuf *sb)
{
	const struct ability_info *ai = ability_by_id(g->ability);
	const char *name = sp_policy_ability_name(p, g->ability);

	if (name)
		put_esc(sb, name);
	else
		sb_printf(sb, "0x%x", g->ability);
	if (g->ranged)
		sp_format_ranges(p, g, sb);
	if (ai && ai->qnx)
		sb_printf(sb, " (%s)", ai->qnx);
}

static void dump_domain(const struct sp_policy *p, uint32_t type,
			enum sp_domain dom, uint16_t only, struct strbuf *sb)
{
	const struct spb_grant *gr;
	struct sp_grant_view g;
	uint32_t i, first, last;
	bool any = false;

	sb_puts(sb, dom == SP_ROOT ? "  root: " : "  non-root: ");
	first = p->grant_first[(size_t)type * 2 + dom];
	last = p->grant_first[(size_t)type * 2 + dom + 1];
	for (i = first; i < last; i++) {
		gr = &p->grants[i];
		if (only != AB_NONE && gr->ability != only)
			continue;
		if (sp_policy_grant(p, type, dom, gr->ability, &g) < 0)
			continue;
		if (any)
			sb_puts(sb, ", ");
		put_grant(p, &g, sb);
		any = true;
	}
	sb_puts(sb, any ? "\n" : "(none)\n");
}

static void dump_rules(const struct sp_policy *p, uint32_t type,
		       unsigned what, struct strbuf *sb)
{
	uint32_t i;

	for (i = p->rule_first[type]; i < p->rule_first[type + 1]; i++) {
		const struct spb_rule *ru = &p->rules[i];

		if (ru->flags & SPB_R_ATTACH) {
			if (!(what & SP_DUMP_ATTACH))
				continue;
			sb_puts(sb, "  attach ");
		} else {
			if (!(what & SP_DUMP_LINK))
				continue;
			sb_puts(sb, "  link ");
		}
		put_esc(sb, p->rule_written[i]);
		if (ru->new_type != SPB_NO_TYPE) {
			sb_puts(sb, " -> ");
			put_type(p, sb, ru->new_type);
		}
		sb_putc(sb, '\n');
	}
}

static void dump_limits(const struct sp_policy *p, uint32_t type,
			struct strbuf *sb)
{
	unsigned k;

	for (k = 1; k <= SPB_L_LAST; k++) {
		uint64_t v = sp_policy_type_limit(p, type,
						  (enum sp_limit_kind)k);
		const char *what = sp_limit_kind_name((enum sp_limit_kind)k);

		if (!v)
			continue;
		/* "limit: 1 process", "limit: 200 processes" */
		if (v == 1 && k == SPB_L_PROCESSES)
			what = "process";
		sb_printf(sb, "  limit: %" PRIu64 " %s\n", v, what);
	}
}

static void dump_derives(const struct sp_policy *p, uint32_t type,
			 struct strbuf *sb)
{
	size_t lo = 0, hi = p->nderives;

	/* First derivation of the type: they are sorted by (type, name). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->derives[mid].type < type)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->nderives && p->derives[lo].type == type; lo++) {
		sb_puts(sb, "  derive ");
		put_esc(sb, sp_str(p, p->derives[lo].name));
		sb_puts(sb, " -> ");
		put_type(p, sb, p->derives[lo].derived);
		sb_putc(sb, '\n');
	}
}

void sp_policy_dump(const struct sp_policy *p, const struct sp_dump_opts *o,
		    struct strbuf *sb)
{
	struct sp_dump_opts all = { SP_DUMP_ALL, SPB_NO_TYPE, AB_NONE };
	bool filtered;
	uint32_t t, i;

	if (!p)
		return;
	if (!o)
		o = &all;
	filtered = o->only_type != SPB_NO_TYPE || o->only_ability != AB_NONE;
	sb_printf(sb, "policy 0x%08x, %s, %u type%s\n", p->hdr.policy_id,
		  (p->hdr.flags & SPB_F_MUTABLE) ? "mutable" : "immutable",
		  p->ntypes, p->ntypes == 1 ? "" : "s");
	/* Declarations belong to the whole policy, not to a filtered view. */
	if (!filtered && (o->what & SP_DUMP_ABILITIES)) {
		for (i = 0; i < p->ncustom; i++) {
			sb_puts(sb, "ability ");
			put_esc(sb, sp_str(p, p->customs[i].name));
			sb_putc(sb, '\n');
		}
		for (i = 0; i < p->nnamed; i++) {
			sb_puts(sb, "range ");
			put_esc(sb, sp_str(p, p->nameds[i].name));
			sb_putc(sb, '\n');
		}
	}
	for (t = 0; t < p->ntypes; t++) {
		const uint32_t *attrs;
		size_t na, k;

		if (o->only_type != SPB_NO_TYPE && t != o->only_type)
			continue;
		if (o->only_ability != AB_NONE &&
		    sp_policy_grant(p, t, SP_ROOT, o->only_ability, NULL) < 0 &&
		    sp_policy_grant(p, t, SP_NONROOT, o->only_ability, NULL) < 0)
			continue;
		sb_puts(sb, "\ntype ");
		put_esc(sb, sp_str(p, p->types[t].name));
		sb_printf(sb, " (%u)", t);
		if (sp_policy_type_learning(p, t))
			sb_puts(sb, ", learning");
		attrs = sp_policy_type_attrs(p, t, &na);
		if ((o->what & SP_DUMP_ATTRS) && na) {
			sb_puts(sb, ", attributes ");
			for (k = 0; k < na; k++) {
				if (k)
					sb_puts(sb, ", ");
				put_esc(sb, sp_policy_attr_name(p, attrs[k]));
			}
		}
		sb_putc(sb, '\n');
		if (o->what & SP_DUMP_ABILITIES) {
			dump_domain(p, t, SP_ROOT, o->only_ability, sb);
			dump_domain(p, t, SP_NONROOT, o->only_ability, sb);
		}
		if (o->only_ability != AB_NONE)
			continue;
		if (o->what & SP_DUMP_LIMITS)
			dump_limits(p, t, sb);
		dump_rules(p, t, o->what, sb);
		if (o->what & SP_DUMP_DERIVE)
			dump_derives(p, t, sb);
	}
}

void sp_policy_dump_structure(const struct sp_policy *p, struct strbuf *sb)
{
	uint32_t i;

	if (!p)
		return;
	sb_printf(sb,
		  "magic SPOLBIN, version %u, header %u bytes, file %zu "
		  "bytes\n",
		  p->hdr.version, p->hdr.header_size, p->len);
	sb_printf(sb,
		  "flags 0x%x (%s), policy id 0x%08x, checksum 0x%08x "
		  "(valid)\n",
		  p->hdr.flags,
		  (p->hdr.flags & SPB_F_MUTABLE) ? "mutable" : "immutable",
		  p->hdr.policy_id, p->hdr.checksum);
	for (i = 0; i < p->hdr.section_count; i++) {
		const struct spb_section *s = &p->secs[i];

		sb_printf(sb,
			  "section %c%c%c%c offset 0x%" PRIx64 " size %" PRIu64
			  " count %u\n",
			  (char)(s->kind & 0xff), (char)(s->kind >> 8 & 0xff),
			  (char)(s->kind >> 16 & 0xff),
			  (char)(s->kind >> 24 & 0xff), s->offset, s->size,
			  s->count);
	}
}
