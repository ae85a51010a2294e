// SPDX-License-Identifier: BSD-2-Clause
/*
 * The binary policy loader.  The input is hostile: every offset, count and
 * index is checked, with arithmetic that cannot overflow, before anything
 * is read through it.  Order: header (magic, version, size), checksum, then
 * the section table and each section, then the cross references; the
 * indexes that make queries cheap are built only from validated data.
 */
#include "policy_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "ability.h"
#include "common/escape.h"
#include "common/fileio.h"
#include "common/strbuf.h"
#include "common/util.h"

struct ld {
	struct sp_policy *p;
	char *err;
	size_t errlen;
};

static int fail(struct ld *l, int rc, const char *fmt, ...) ATTR_PRINTF(3, 4);

static int fail(struct ld *l, int rc, const char *fmt, ...)
{
	va_list ap;

	if (l->err && l->errlen) {
		va_start(ap, fmt);
		vsnprintf(l->err, l->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* A name from the file, escaped and shortened, for an error message. */
static const char *shown(const char *s, char *buf, size_t buflen)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strnlen(s, 48);

	sb_escape(&sb, s, n, 0);
	snprintf(buf, buflen, "%s%s", sb_error(&sb) ? "?" : sb_str(&sb),
		 s[n] ? "..." : "");
	sb_free(&sb);
	return buf;
}

/* ---------------------------------------------------------------------
 * Policy text where a binary policy is expected (secpol -i file.sp)
 */

/* Not the magic, and the first bytes are text: printable ASCII, white
 * space or UTF-8 (comments may hold any language). */
static bool looks_like_text(const uint8_t *d, size_t len)
{
	size_t i, n = len < 256 ? len : 256;

	if (len == 0 ||
	    memcmp(d, SPB_MAGIC, len < sizeof(SPB_MAGIC) ? len
							: sizeof(SPB_MAGIC)) == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (d[i] == '\t' || d[i] == '\n' || d[i] == '\r')
			continue;
		if (d[i] < 0x20 || d[i] == 0x7f)
			return false;
	}
	return true;
}

static const char text_msg[] = "this is policy text, not a binary policy; "
			       "compile it first";

/* A path as one shell word, escaped for the terminal. */
static void put_shell_word(struct strbuf *sb, const char *s)
{
	bool plain = s[0] != '\0' && s[0] != '-';
	const char *c;

	for (c = s; *c && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
			       "UVWXYZ0123456789_./+,:@%=-",
			       *c) != NULL;
	if (plain) {
		sb_puts(sb, s);
		return;
	}
	/* '...' with each ' written '\'' ; control bytes escaped */
	sb_putc(sb, '\'');
	for (c = s; *c; c++) {
		size_t n = strcspn(c, "'");

		sb_escape(sb, c, n, ESC_KEEP_SPACE);
		c += n;
		if (!*c)
			break;
		sb_puts(sb, "'\\''");
	}
	sb_putc(sb, '\'');
}

/* The message for a policy file that is text, with the command that
 * compiles it: "x.sp" -> "secpolcompile -o x.bin x.sp". */
static int fail_text_file(struct ld *l, const char *path)
{
	struct strbuf out = STRBUF_INIT, bin = STRBUF_INIT;
	size_t n = strlen(path);
	int r;

	if (n > 3 && strcmp(path + n - 3, ".sp") == 0)
		sb_append(&bin, path, n - 3);
	else
		sb_puts(&bin, path);
	sb_puts(&bin, ".bin");
	sb_puts(&out, "secpolcompile -o ");
	put_shell_word(&out, sb_error(&bin) ? "FILE.bin" : sb_str(&bin));
	sb_putc(&out, ' ');
	put_shell_word(&out, path);
	r = fail(l, -EINVAL, "%s: %s", text_msg,
		 sb_error(&out) ? "secpolcompile" : sb_str(&out));
	sb_free(&out);
	sb_free(&bin);
	return r;
}

/* ---------------------------------------------------------------------
 * Header and section table
 */
struct kind_info {
	uint32_t kind;
	const char *name;
	uint32_t recsize; /* 0: not a record section (STRS) */
	uint32_t max;     /* record limit */
	uint16_t since;   /* the format version that introduced it */
};

enum { K_STRS, K_TYPE, K_ATTR, K_TATR, K_ABIL, K_NRNG, K_GRNT, K_RNGE,
       K_RULE, K_DRVT, K_TLIM, K_COUNT };

static const struct kind_info kinds[K_COUNT] = {
	[K_STRS] = { SPB_STRS, "STRS", 0, 0 },
	[K_TYPE] = { SPB_TYPE, "TYPE", sizeof(struct spb_type), SPB_MAX_TYPES },
	[K_ATTR] = { SPB_ATTR, "ATTR", sizeof(struct spb_attr), SPB_MAX_ATTRS },
	[K_TATR] = { SPB_TATR, "TATR", sizeof(uint32_t), UINT32_MAX },
	[K_ABIL] = { SPB_ABIL, "ABIL", sizeof(struct spb_custom),
		     SPB_MAX_CUSTOM },
	[K_NRNG] = { SPB_NRNG, "NRNG", sizeof(struct spb_named),
		     SPB_NOT_NAMED - 1 },
	[K_GRNT] = { SPB_GRNT, "GRNT", sizeof(struct spb_grant), UINT32_MAX },
	[K_RNGE] = { SPB_RNGE, "RNGE", sizeof(struct spb_range), UINT32_MAX },
	[K_RULE] = { SPB_RULE, "RULE", sizeof(struct spb_rule), SPB_MAX_RULES },
	[K_DRVT] = { SPB_DRVT, "DRVT", sizeof(struct spb_derive), UINT32_MAX },
	/* one per (type, kind): the order check bounds it by the types */
	[K_TLIM] = { SPB_TLIM, "TLIM", sizeof(struct spb_limit), UINT32_MAX,
		     2 },
};

static int check_header(struct ld *l)
{
	struct sp_policy *p = l->p;
	struct spb_header *h = &p->hdr;
	uint32_t crc;

	if (looks_like_text(p->data, p->len))
		return fail(l, -EINVAL, "%s with secpolcompile", text_msg);
	if (p->len < sizeof(*h))
		return fail(l, -EINVAL,
			    "file is %zu bytes, shorter than the %zu-byte header",
			    p->len, sizeof(*h));
	memcpy(h, p->data, sizeof(*h));
	if (memcmp(h->magic, SPB_MAGIC, sizeof(h->magic)) != 0)
		return fail(l, -EINVAL,
			    "not a secpol binary policy (bad magic)");
	/* Before anything else a later version may have changed. */
	if (h->version < SPB_VERSION_MIN || h->version > SPB_VERSION)
		return fail(l, -ENOTSUP,
			    "version %u is not supported (this build reads "
			    "versions %u to %u)",
			    h->version, SPB_VERSION_MIN, SPB_VERSION);
	if (h->header_size != sizeof(*h))
		return fail(l, -EINVAL,
			    "header: header_size is %u, expected %zu",
			    h->header_size, sizeof(*h));
	if (h->file_size != p->len)
		return fail(l, -EINVAL,
			    "header: file_size is %llu but the file has %zu "
			    "bytes (truncated or padded)",
			    (unsigned long long)h->file_size, p->len);
	/* The checksum field reads as zero. */
	crc = (uint32_t)crc32(0L, p->data,
			      offsetof(struct spb_header, checksum));
	crc = (uint32_t)crc32(crc, (const Bytef *)"\0\0\0\0", 4);
	crc = (uint32_t)crc32(crc, p->data + offsetof(struct spb_header,
						       reserved),
			      (uInt)(p->len -
				     offsetof(struct spb_header, reserved)));
	if (crc != h->checksum)
		return fail(l, -EPROTO,
			    "checksum mismatch: file says 0x%08x, content is "
			    "0x%08x",
			    h->checksum, crc);
	if (h->flags & ~SPB_F_MUTABLE)
		return fail(l, -EINVAL, "header: unknown flag bits 0x%x",
			    h->flags & ~SPB_F_MUTABLE);
	if (h->reserved != 0)
		return fail(l, -EINVAL,
			    "header: reserved field is 0x%x, expected 0",
			    h->reserved);
	if (h->section_count < 1 || h->section_count > SPB_MAX_SECTIONS)
		return fail(l, -EINVAL,
			    "header: section_count %u is not within 1..%u",
			    h->section_count, SPB_MAX_SECTIONS);
	if (sizeof(*h) + (size_t)h->section_count * sizeof(struct spb_section) >
	    p->len)
		return fail(l, -EINVAL,
			    "header: the section table (%u entries) runs past "
			    "the end of the file",
			    h->section_count);
	return 0;
}

static int cmp_sec_offset(const void *a, const void *b)
{
	const struct spb_section *x = *(const struct spb_section *const *)a;
	const struct spb_section *y = *(const struct spb_section *const *)b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static const char *kind_name(uint32_t kind)
{
	size_t k;

	for (k = 0; k < K_COUNT; k++)
		if (kinds[k].kind == kind)
			return kinds[k].name;
	return "?";
}

static int check_sections(struct ld *l, const struct spb_section **found)
{
	struct sp_policy *p = l->p;
	const struct spb_section *order[SPB_MAX_SECTIONS];
	uint32_t n = p->hdr.section_count, i;
	size_t table_end = sizeof(struct spb_header) +
			   (size_t)n * sizeof(struct spb_section);
	size_t k;

	/* 40 + 24 * i: 8-byte aligned in the malloc'd copy. */
	p->secs = (const struct spb_section *)(p->data +
					       sizeof(struct spb_header));
	for (i = 0; i < n; i++) {
		const struct spb_section *s = &p->secs[i];
		const struct kind_info *ki = NULL;

		for (k = 0; k < K_COUNT; k++)
			if (kinds[k].kind == s->kind)
				ki = &kinds[k];
		if (!ki)
			return fail(l, -EINVAL,
				    "section table entry %u: unknown kind "
				    "0x%08x",
				    i, s->kind);
		k = (size_t)(ki - kinds);
		if (ki->since > p->hdr.version)
			return fail(l, -EINVAL,
				    "section table entry %u: a %s section in a "
				    "version %u file (it needs version %u)",
				    i, ki->name, p->hdr.version, ki->since);
		if (found[k])
			return fail(l, -EINVAL,
				    "section table entry %u: a second %s "
				    "section",
				    i, ki->name);
		found[k] = s;
		if (s->offset % 8)
			return fail(l, -EINVAL,
				    "section %s: offset 0x%llx is not 8-byte "
				    "aligned",
				    ki->name, (unsigned long long)s->offset);
		if (s->offset < table_end)
			return fail(l, -EINVAL,
				    "section %s: offset 0x%llx overlaps the "
				    "header or the section table",
				    ki->name, (unsigned long long)s->offset);
		if (s->offset > p->len || s->size > p->len - s->offset)
			return fail(l, -EINVAL,
				    "section %s: offset 0x%llx size %llu runs "
				    "past the end of the file (%zu bytes)",
				    ki->name, (unsigned long long)s->offset,
				    (unsigned long long)s->size, p->len);
		if (!ki->recsize) {
			if (s->count != 0)
				return fail(l, -EINVAL,
					    "section %s: count is %u, expected "
					    "0",
					    ki->name, s->count);
		} else {
			/* count < 2^32 and recsize <= 24: no overflow */
			if (s->size != (uint64_t)s->count * ki->recsize)
				return fail(l, -EINVAL,
					    "section %s: size %llu is not %u "
					    "records of %u bytes",
					    ki->name,
					    (unsigned long long)s->size,
					    s->count, ki->recsize);
			if (s->count > ki->max)
				return fail(l, -EINVAL,
					    "section %s: %u records, more than "
					    "the limit of %u",
					    ki->name, s->count, ki->max);
		}
		order[i] = s;
	}
	qsort(order, n, sizeof(order[0]), cmp_sec_offset);
	for (i = 1; i < n; i++)
		if (order[i - 1]->offset + order[i - 1]->size >
		    order[i]->offset)
			return fail(l, -EINVAL,
				    "section %s at 0x%llx overlaps section %s "
				    "at 0x%llx",
				    kind_name(order[i]->kind),
				    (unsigned long long)order[i]->offset,
				    kind_name(order[i - 1]->kind),
				    (unsigned long long)order[i - 1]->offset);
	if (!found[K_STRS])
		return fail(l, -EINVAL, "no STRS section (string pool)");
	if (!found[K_TYPE])
		return fail(l, -EINVAL, "no TYPE section");
	return 0;
}

/* Points each array at its validated section (absent: empty). */
static void map_sections(struct sp_policy *p,
			 const struct spb_section *const *found)
{
#define MAP(k, ptr, cnt)                                                       \
	do {                                                                   \
		if (found[k]) {                                                \
			p->ptr = (const void *)(p->data + found[k]->offset);   \
			p->cnt = found[k]->count;                              \
		}                                                              \
	} while (0)
	MAP(K_TYPE, types, ntypes);
	MAP(K_ATTR, attrs, nattrs);
	MAP(K_TATR, tatr, ntatr);
	MAP(K_ABIL, customs, ncustom);
	MAP(K_NRNG, nameds, nnamed);
	MAP(K_GRNT, grants, ngrants);
	MAP(K_RNGE, ranges, nranges);
	MAP(K_RULE, rules, nrules);
	MAP(K_DRVT, derives, nderives);
	MAP(K_TLIM, limits, nlimits);
#undef MAP
	p->strs = (const char *)(p->data + found[K_STRS]->offset);
	/* <= SPB_MAX_FILE, so it fits */
	p->strs_size = (uint32_t)found[K_STRS]->size;
}

/* ---------------------------------------------------------------------
 * Names
 */
enum name_kind { N_IDENT, N_CUSTOM };

static int check_name(struct ld *l, const char *sec, const char *what,
		      uint32_t idx, uint32_t off, enum name_kind kind)
{
	const struct sp_policy *p = l->p;
	char buf[256];
	const char *s;

	if (off >= p->strs_size)
		return fail(l, -EINVAL,
			    "section %s: %s %u: name offset 0x%x is outside "
			    "the string pool (%u bytes)",
			    sec, what, idx, off, p->strs_size);
	s = p->strs + off;
	if (kind == N_IDENT ? !sp_name_is_ident(s) : !sp_name_is_custom(s))
		return fail(l, -EINVAL, "section %s: %s %u: invalid name \"%s\"",
			    sec, what, idx, shown(s, buf, sizeof(buf)));
	return 0;
}

struct name_ent {
	const char *name;
	uint32_t id;
	bool attr;
};

static int cmp_name_ent(const void *a, const void *b)
{
	const struct name_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->attr != y->attr)
		return x->attr ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_name_ent_icase(const void *a, const void *b)
{
	const struct name_ent *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);

	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int check_types(struct ld *l)
{
	struct sp_policy *p = l->p;
	_cleanup_free_ struct name_ent *ents = NULL;
	_cleanup_free_ uint32_t *seen = NULL;
	uint32_t i, running = 0, n;
	/* a version 1 file holds only the flags version 1 knew */
	uint32_t known = p->hdr.version >= 2 ? SPB_T_KNOWN : SPB_T_KNOWN_V1;
	char buf[256];
	int r;

	if (p->ntypes == 0)
		return fail(l, -EINVAL,
			    "section TYPE: no types (type 0 \"default\" is "
			    "required)");
	for (i = 0; i < p->ntypes; i++) {
		const struct spb_type *t = &p->types[i];

		r = check_name(l, "TYPE", "type", i, t->name, N_IDENT);
		if (r < 0)
			return r;
		if (i == 0 && strcmp(sp_str(p, t->name), "default") != 0)
			return fail(l, -EINVAL,
				    "section TYPE: type 0 is named \"%s\", "
				    "expected \"default\"",
				    shown(sp_str(p, t->name), buf,
					  sizeof(buf)));
		if (t->flags & ~known)
			return fail(l, -EINVAL,
				    "section TYPE: type %u has unknown flag "
				    "bits 0x%x",
				    i, t->flags & ~known);
		if (i == 0 && (t->flags & SPB_T_LEARNING))
			return fail(l, -EINVAL,
				    "section TYPE: type 0 (default) is "
				    "learning, but it is never supervised");
		if (t->attr_first != running)
			return fail(l, -EINVAL,
				    "section TYPE: type %u's attributes start "
				    "at TATR entry %u, expected %u (the slices "
				    "tile TATR in type order)",
				    i, t->attr_first, running);
		if (t->attr_count > p->ntatr - running)
			return fail(l, -EINVAL,
				    "section TYPE: type %u's %u attributes "
				    "from entry %u run past TATR (%u entries)",
				    i, t->attr_count, t->attr_first, p->ntatr);
		running += t->attr_count;
	}
	if (running != p->ntatr)
		return fail(l, -EINVAL,
			    "section TATR: %u entries but the types use %u",
			    p->ntatr, running);
	for (i = 0; i < p->ntatr; i++)
		if (p->tatr[i] >= p->nattrs)
			return fail(l, -EINVAL,
				    "section TATR: entry %u names attribute %u "
				    "but the policy has %u attributes",
				    i, p->tatr[i], p->nattrs);
	/* each attribute once per type, as the builder writes it (a
	 * policy rebuilt from this one must say the same thing) */
	seen = calloc(p->nattrs ? p->nattrs : 1, sizeof(*seen));
	if (!seen)
		return fail(l, -ENOMEM, "out of memory");
	for (i = 0; i < p->ntypes; i++) {
		const struct spb_type *t = &p->types[i];
		uint32_t k;

		for (k = 0; k < t->attr_count; k++) {
			uint32_t a = p->tatr[t->attr_first + k];

			if (seen[a] == i + 1)
				return fail(l, -EINVAL,
					    "section TATR: type %u lists "
					    "attribute %u twice",
					    i, a);
			seen[a] = i + 1;
		}
	}
	for (i = 0; i < p->nattrs; i++) {
		r = check_name(l, "ATTR", "attribute", i, p->attrs[i].name,
			       N_IDENT);
		if (r < 0)
			return r;
		if (p->attrs[i].reserved)
			return fail(l, -EINVAL,
				    "section ATTR: attribute %u: reserved "
				    "field is not 0",
				    i);
	}

	/* Types and attributes share one namespace. */
	n = p->ntypes + p->nattrs;
	ents = calloc(n, sizeof(*ents));
	if (!ents)
		return fail(l, -ENOMEM, "out of memory");
	for (i = 0; i < p->ntypes; i++)
		ents[i] = (struct name_ent){ sp_str(p, p->types[i].name), i,
					     false };
	for (i = 0; i < p->nattrs; i++)
		ents[p->ntypes + i] = (struct name_ent){
			sp_str(p, p->attrs[i].name), i, true
		};
	qsort(ents, n, sizeof(*ents), cmp_name_ent);
	for (i = 1; i < n; i++) {
		const struct name_ent *a = &ents[i - 1], *b = &ents[i];

		if (strcmp(a->name, b->name) != 0)
			continue;
		/* Sorted types first: b is an attribute if either is. */
		return fail(l, -EINVAL,
			    "section %s: %s %u is named \"%s\" like %s %u",
			    b->attr ? "ATTR" : "TYPE",
			    b->attr ? "attribute" : "type", b->id,
			    shown(b->name, buf, sizeof(buf)),
			    a->attr ? "attribute" : "type", a->id);
	}
	p->type_sorted = calloc(p->ntypes, sizeof(*p->type_sorted));
	if (!p->type_sorted)
		return fail(l, -ENOMEM, "out of memory");
	for (i = 0, n = 0; i < p->ntypes + p->nattrs; i++)
		if (!ents[i].attr)
			p->type_sorted[n++] =
				(struct sp_name_idx){ ents[i].name, ents[i].id };
	return 0;
}

static int check_customs(struct ld *l)
{
	struct sp_policy *p = l->p;
	_cleanup_free_ struct name_ent *ents = NULL;
	char buf[256];
	uint32_t i;
	int r;

	for (i = 0; i < p->ncustom; i++) {
		const struct spb_custom *c = &p->customs[i];
		const char *s;

		r = check_name(l, "ABIL", "custom ability", i, c->name,
			       N_CUSTOM);
		if (r < 0)
			return r;
		s = sp_str(p, c->name);
		if (ability_lookup(s, strlen(s), NULL))
			return fail(l, -EINVAL,
				    "section ABIL: custom ability %u is named "
				    "\"%s\" like a static ability",
				    i, shown(s, buf, sizeof(buf)));
		if (c->flags & ~SPB_C_RANGED)
			return fail(l, -EINVAL,
				    "section ABIL: custom ability %u has "
				    "unknown flag bits 0x%x",
				    i, c->flags & ~SPB_C_RANGED);
	}
	/* Unique the way lookups compare: case-insensitively. */
	ents = calloc(p->ncustom ? p->ncustom : 1, sizeof(*ents));
	p->custom_sorted = calloc(p->ncustom ? p->ncustom : 1,
				  sizeof(*p->custom_sorted));
	if (!ents || !p->custom_sorted)
		return fail(l, -ENOMEM, "out of memory");
	for (i = 0; i < p->ncustom; i++)
		ents[i] = (struct name_ent){ sp_str(p, p->customs[i].name), i,
					     false };
	qsort(ents, p->ncustom, sizeof(*ents), cmp_name_ent_icase);
	for (i = 0; i < p->ncustom; i++) {
		if (i && strcasecmp(ents[i - 1].name, ents[i].name) == 0)
			return fail(l, -EINVAL,
				    "section ABIL: custom ability %u is named "
				    "\"%s\" like custom ability %u",
				    ents[i].id,
				    shown(ents[i].name, buf, sizeof(buf)),
				    ents[i - 1].id);
		p->custom_sorted[i] =
			(struct sp_name_idx){ ents[i].name, ents[i].id };
	}
	return 0;
}

static int check_named(struct ld *l)
{
	struct sp_policy *p = l->p;
	_cleanup_free_ struct name_ent *ents = NULL;
	char buf[256];
	uint32_t i;
	int r;

	ents = calloc(p->nnamed ? p->nnamed : 1, sizeof(*ents));
	if (!ents)
		return fail(l, -ENOMEM, "out of memory");
	for (i = 0; i < p->nnamed; i++) {
		r = check_name(l, "NRNG", "range", i, p->nameds[i].name,
			       N_IDENT);
		if (r < 0)
			return r;
		if (p->nameds[i].reserved)
			return fail(l, -EINVAL,
				    "section NRNG: range %u: reserved field "
				    "is not 0",
				    i);
		ents[i] = (struct name_ent){ sp_str(p, p->nameds[i].name), i,
					     false };
	}
	qsort(ents, p->nnamed, sizeof(*ents), cmp_name_ent);
	for (i = 1; i < p->nnamed; i++)
		if (strcmp(ents[i - 1].name, ents[i].name) == 0)
			return fail(l, -EINVAL,
				    "section NRNG: range %u is named \"%s\" "
				    "like range %u",
				    ents[i].id,
				    shown(ents[i].name, buf, sizeof(buf)),
				    ents[i - 1].id);
	return 0;
}

/* ---------------------------------------------------------------------
 * Grants and their ranges
 */

/* Is ability known, and what may its subranges hold? */
static bool ability_limits(const struct sp_policy *p, uint16_t ability,
			   bool *ranged_ok, uint64_t *vmax)
{
	const struct ability_info *ai = ability_by_id(ability);

	if (ai) {
		*ranged_ok = ai->value != AB_VAL_NONE;
		*vmax = ai->value_max;
		return true;
	}
	if (ability_is_custom(ability) &&
	    (uint32_t)(ability - AB_CUSTOM_BASE) < p->ncustom) {
		*ranged_ok = true;
		*vmax = UINT64_MAX;
		return true;
	}
	return false;
}

static int check_slice(struct ld *l, uint32_t gi, const struct spb_grant *g,
		       uint64_t vmax)
{
	struct sp_policy *p = l->p;
	uint32_t j, nnum = 0;
	bool in_named = false;

	for (j = 0; j < g->range_count; j++) {
		uint32_t ri = g->range_first + j;
		const struct spb_range *r = &p->ranges[ri];

		if (r->reserved)
			return fail(l, -EINVAL,
				    "section RNGE: range %u (grant %u): "
				    "reserved field is not 0",
				    ri, gi);
		if (r->named != SPB_NOT_NAMED) {
			if (r->lo || r->hi)
				return fail(l, -EINVAL,
					    "section RNGE: range %u (grant "
					    "%u): named range with values",
					    ri, gi);
			if (r->named >= p->nnamed)
				return fail(l, -EINVAL,
					    "section RNGE: range %u (grant "
					    "%u) names range %u but the policy "
					    "has %u",
					    ri, gi, r->named, p->nnamed);
			if (in_named && r->named <= p->ranges[ri - 1].named)
				return fail(l, -EINVAL,
					    "section RNGE: range %u (grant "
					    "%u): named ranges not strictly "
					    "increasing",
					    ri, gi);
			in_named = true;
			continue;
		}
		if (in_named)
			return fail(l, -EINVAL,
				    "section RNGE: range %u (grant %u): a "
				    "numeric range after the named ones",
				    ri, gi);
		if (r->lo > r->hi || r->hi > vmax)
			return fail(l, -EINVAL,
				    "section RNGE: range %u (grant %u): "
				    "%llu - %llu is not within 0 - %llu",
				    ri, gi, (unsigned long long)r->lo,
				    (unsigned long long)r->hi,
				    (unsigned long long)vmax);
		if (j > 0) {
			const struct spb_range *prev = &p->ranges[ri - 1];

			/* Sorted, with a gap: prev->hi + 1 < r->lo. */
			if (prev->hi == UINT64_MAX || prev->hi + 1 >= r->lo)
				return fail(l, -EINVAL,
					    "section RNGE: range %u (grant "
					    "%u) is not after range %u with a "
					    "gap (ranges must be sorted and "
					    "merged)",
					    ri, gi, ri - 1);
		}
		nnum++;
	}
	p->grant_nnum[gi] = nnum;
	return 0;
}

static int check_grants(struct ld *l)
{
	struct sp_policy *p = l->p;
	uint64_t prev_key = 0, key, vmax;
	uint32_t i, running = 0;
	bool ranged_ok;
	int r;

	p->grant_nnum = calloc(p->ngrants ? p->ngrants : 1,
			       sizeof(*p->grant_nnum));
	if (!p->grant_nnum)
		return fail(l, -ENOMEM, "out of memory");
	for (i = 0; i < p->ngrants; i++) {
		const struct spb_grant *g = &p->grants[i];

		if (g->type >= p->ntypes)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u names type %u but "
				    "the policy has %u types",
				    i, g->type, p->ntypes);
		if (g->domain != SPB_DOM_ROOT && g->domain != SPB_DOM_NONROOT)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u has domain %u "
				    "(0 root or 1 non-root)",
				    i, g->domain);
		if (!ability_limits(p, g->ability, &ranged_ok, &vmax))
			return fail(l, -EINVAL,
				    "section GRNT: grant %u names unknown "
				    "ability 0x%x",
				    i, g->ability);
		if (g->flags & ~SPB_G_RANGED)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u has unknown flag "
				    "bits 0x%x",
				    i, g->flags & ~SPB_G_RANGED);
		if (!!(g->flags & SPB_G_RANGED) != (g->range_count > 0))
			return fail(l, -EINVAL,
				    "section GRNT: grant %u: the RANGED flag "
				    "disagrees with its %u ranges",
				    i, g->range_count);
		if (g->range_count && !ranged_ok)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u: ability 0x%x "
				    "takes no subranges",
				    i, g->ability);
		/* the builder marks every custom ability granted with
		 * subranges (monitors print its values) */
		if (g->range_count && ability_is_custom(g->ability) &&
		    !(p->customs[g->ability - AB_CUSTOM_BASE].flags &
		      SPB_C_RANGED))
			return fail(l, -EINVAL,
				    "section GRNT: grant %u gives custom "
				    "ability %u subranges, but section ABIL "
				    "does not mark it ranged",
				    i, g->ability - AB_CUSTOM_BASE);
		key = (uint64_t)g->type << 24 | (uint64_t)g->domain << 16 |
		      g->ability;
		if (i > 0 && key <= prev_key)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u is not after grant "
				    "%u in (type, domain, ability) order",
				    i, i - 1);
		prev_key = key;
		if (g->range_first != running)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u's ranges start at "
				    "RNGE entry %u, expected %u (the slices "
				    "tile RNGE in grant order)",
				    i, g->range_first, running);
		if (g->range_count > p->nranges - running)
			return fail(l, -EINVAL,
				    "section GRNT: grant %u's %u ranges from "
				    "entry %u run past RNGE (%u entries)",
				    i, g->range_count, g->range_first,
				    p->nranges);
		running += g->range_count;
		r = check_slice(l, i, g, vmax);
		if (r < 0)
			return r;
	}
	if (running != p->nranges)
		return fail(l, -EINVAL,
			    "section RNGE: %u entries but the grants use %u",
			    p->nranges, running);
	return 0;
}

/* ---------------------------------------------------------------------
 * Rules and derivations
 */
static int check_rules(struct ld *l)
{
	struct sp_policy *p = l->p;
	char buf[256];
	const char *why;
	uint32_t i;

	for (i = 0; i < p->nrules; i++) {
		const struct spb_rule *ru = &p->rules[i];
		uint32_t op = ru->flags & (SPB_R_ATTACH | SPB_R_LINK);

		if (ru->type >= p->ntypes)
			return fail(l, -EINVAL,
				    "section RULE: rule %u names type %u but "
				    "the policy has %u types",
				    i, ru->type, p->ntypes);
		if (ru->new_type != SPB_NO_TYPE && ru->new_type >= p->ntypes)
			return fail(l, -EINVAL,
				    "section RULE: rule %u relabels to type %u "
				    "but the policy has %u types",
				    i, ru->new_type, p->ntypes);
		if (ru->flags & ~SPB_R_KNOWN)
			return fail(l, -EINVAL,
				    "section RULE: rule %u has unknown flag "
				    "bits 0x%x",
				    i, ru->flags & ~SPB_R_KNOWN);
		if (op != SPB_R_ATTACH && op != SPB_R_LINK)
			return fail(l, -EINVAL,
				    "section RULE: rule %u is not exactly one "
				    "of attach and link (flags 0x%x)",
				    i, ru->flags);
		if (op == SPB_R_LINK && ru->new_type != SPB_NO_TYPE)
			return fail(l, -EINVAL,
				    "section RULE: rule %u relabels a link",
				    i);
		if ((ru->flags & SPB_R_PREFIX) && (ru->flags & SPB_R_PATTERN))
			return fail(l, -EINVAL,
				    "section RULE: rule %u is both a prefix "
				    "and a pattern",
				    i);
		if (i > 0 && ru->type < p->rules[i - 1].type)
			return fail(l, -EINVAL,
				    "section RULE: rule %u (type %u) comes "
				    "after a rule of type %u (rules are sorted "
				    "by type)",
				    i, ru->type, p->rules[i - 1].type);
		if (ru->path >= p->strs_size)
			return fail(l, -EINVAL,
				    "section RULE: rule %u: path offset 0x%x "
				    "is outside the string pool (%u bytes)",
				    i, ru->path, p->strs_size);
		if (!sp_path_stored_valid(sp_str(p, ru->path),
					  ru->flags & ~op, &why))
			return fail(l, -EINVAL,
				    "section RULE: rule %u: path \"%s\": %s", i,
				    shown(sp_str(p, ru->path), buf,
					  sizeof(buf)),
				    why);
	}
	return 0;
}

static int check_derives(struct ld *l)
{
	struct sp_policy *p = l->p;
	uint32_t i;
	int r;

	for (i = 0; i < p->nderives; i++) {
		const struct spb_derive *d = &p->derives[i];

		if (d->type >= p->ntypes || d->derived >= p->ntypes)
			return fail(l, -EINVAL,
				    "section DRVT: derivation %u names type %u "
				    "but the policy has %u types",
				    i, d->type >= p->ntypes ? d->type
							    : d->derived,
				    p->ntypes);
		if (d->reserved)
			return fail(l, -EINVAL,
				    "section DRVT: derivation %u: reserved "
				    "field is not 0",
				    i);
		r = check_name(l, "DRVT", "derivation", i, d->name, N_IDENT);
		if (r < 0)
			return r;
		if (i > 0) {
			const struct spb_derive *q = &p->derives[i - 1];

			if (d->type < q->type ||
			    (d->type == q->type &&
			     strcmp(sp_str(p, q->name), sp_str(p, d->name)) >=
				     0))
				return fail(l, -EINVAL,
					    "section DRVT: derivation %u is "
					    "not after derivation %u in "
					    "(type, name) order",
					    i, i - 1);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Limits
 */
static int check_limits(struct ld *l)
{
	struct sp_policy *p = l->p;
	uint32_t i;

	for (i = 0; i < p->nlimits; i++) {
		const struct spb_limit *li = &p->limits[i];
		uint64_t max = sp_limit_kind_max((enum sp_limit_kind)li->kind);

		if (li->type >= p->ntypes)
			return fail(l, -EINVAL,
				    "section TLIM: limit %u names type %u but "
				    "the policy has %u types",
				    i, li->type, p->ntypes);
		if (li->type == 0)
			return fail(l, -EINVAL,
				    "section TLIM: limit %u is for type 0 "
				    "(default), which is never supervised",
				    i);
		if (!max)
			return fail(l, -EINVAL,
				    "section TLIM: limit %u has unknown kind %u",
				    i, li->kind);
		if (li->value < 1 || li->value > max)
			return fail(l, -EINVAL,
				    "section TLIM: limit %u: %llu %s is not "
				    "within 1 - %llu",
				    i, (unsigned long long)li->value,
				    sp_limit_kind_name(
					    (enum sp_limit_kind)li->kind),
				    (unsigned long long)max);
		if (i > 0 && (li->type < li[-1].type ||
			      (li->type == li[-1].type &&
			       li->kind <= li[-1].kind)))
			return fail(l, -EINVAL,
				    "section TLIM: limit %u is not after limit "
				    "%u in (type, kind) order",
				    i, i - 1);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Indexes
 */
struct pend {
	uint32_t end; /* offset of the string's NUL */
	uint32_t off;
	uint32_t rule;
};

static int cmp_pend(const void *a, const void *b)
{
	const struct pend *x = a, *y = b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * The written form of each rule path (sp_rule_view.path).  Only PREFIX
 * rules differ from the stored form ("/a" -> "/a/...").  Paths may share
 * the tail of one string, so forms are built once per string end, from
 * its smallest offset: memory stays linear in the string pool however the
 * file overlaps its names.
 */
static int build_written(struct sp_policy *p)
{
	_cleanup_free_ struct pend *pe = NULL;
	size_t n = 0, i, j, total = 0, at = 0;

	p->rule_written = calloc(p->nrules ? p->nrules : 1,
				 sizeof(*p->rule_written));
	pe = calloc(p->nrules ? p->nrules : 1, sizeof(*pe));
	if (!p->rule_written || !pe)
		return -ENOMEM;
	for (i = 0; i < p->nrules; i++) {
		const struct spb_rule *ru = &p->rules[i];
		const char *s = sp_str(p, ru->path);

		if (!(ru->flags & SPB_R_PREFIX))
			p->rule_written[i] = s;
		else if (strcmp(s, "/") == 0)
			p->rule_written[i] = "/...";
		else
			pe[n++] = (struct pend){
				(uint32_t)(ru->path + strlen(s)), ru->path,
				(uint32_t)i
			};
	}
	qsort(pe, n, sizeof(*pe), cmp_pend);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && pe[j].end == pe[i].end; j++)
			;
		total += pe[i].end - pe[i].off + 5; /* "/..." and NUL */
	}
	p->written_pool = malloc(total ? total : 1);
	if (!p->written_pool)
		return -ENOMEM;
	for (i = 0; i < n; i = j) {
		size_t len = pe[i].end - pe[i].off;
		char *base = p->written_pool + at;

		memcpy(base, p->strs + pe[i].off, len);
		memcpy(base + len, "/...", 5);
		for (j = i; j < n && pe[j].end == pe[i].end; j++)
			p->rule_written[pe[j].rule] = base + (pe[j].off -
							      pe[i].off);
		at += len + 5;
	}
	return 0;
}

static int build_indexes(struct sp_policy *p)
{
	size_t nk = (size_t)p->ntypes * 2, k, i;
	int r;

	p->grant_first = calloc(nk + 1, sizeof(*p->grant_first));
	p->caps = calloc(nk, sizeof(*p->caps));
	p->rule_first = calloc((size_t)p->ntypes + 1, sizeof(*p->rule_first));
	p->rnum = calloc(p->nranges ? p->nranges : 1, sizeof(*p->rnum));
	p->rnamed = calloc(p->nranges ? p->nranges : 1, sizeof(*p->rnamed));
	if (!p->grant_first || !p->caps || !p->rule_first || !p->rnum ||
	    !p->rnamed)
		return -ENOMEM;
	for (k = 0, i = 0; k <= nk; k++) {
		while (i < p->ngrants &&
		       (size_t)p->grants[i].type * 2 + p->grants[i].domain < k)
			i++;
		p->grant_first[k] = (uint32_t)i;
	}
	for (i = 0; i < p->ngrants; i++)
		if (ability_is_cap(p->grants[i].ability))
			p->caps[(size_t)p->grants[i].type * 2 +
				p->grants[i].domain] |=
				1ULL << p->grants[i].ability;
	for (k = 0, i = 0; k <= p->ntypes; k++) {
		while (i < p->nrules && p->rules[i].type < k)
			i++;
		p->rule_first[k] = (uint32_t)i;
	}
	for (i = 0; i < p->nranges; i++) {
		p->rnum[i] = (struct sp_range){ p->ranges[i].lo,
						p->ranges[i].hi };
		p->rnamed[i] = p->ranges[i].named;
	}
	r = build_written(p);
	return r;
}

/* ---------------------------------------------------------------------
 * Entry points
 */

/* Takes ownership of buf. */
static int load_owned(uint8_t *buf, size_t len, struct sp_policy **out,
		      char *err, size_t errlen)
{
	const struct spb_section *found[K_COUNT] = { 0 };
	struct ld l = { .err = err, .errlen = errlen };
	struct sp_policy *p;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p) {
		free(buf);
		return fail(&l, -ENOMEM, "out of memory");
	}
	p->data = buf;
	p->len = len;
	l.p = p;
	r = check_header(&l);
	if (r < 0)
		goto bad;
	r = check_sections(&l, found);
	if (r < 0)
		goto bad;
	map_sections(p, found);
	if (p->strs_size == 0) {
		r = fail(&l, -EINVAL, "section STRS: empty");
		goto bad;
	}
	if (p->strs[0] != '\0') {
		r = fail(&l, -EINVAL, "section STRS: the first byte is not NUL");
		goto bad;
	}
	if (p->strs[p->strs_size - 1] != '\0') {
		r = fail(&l, -EINVAL,
			 "section STRS: the last byte is not NUL (an "
			 "unterminated string)");
		goto bad;
	}
	r = check_types(&l);
	if (r < 0)
		goto bad;
	r = check_customs(&l);
	if (r < 0)
		goto bad;
	r = check_named(&l);
	if (r < 0)
		goto bad;
	r = check_grants(&l);
	if (r < 0)
		goto bad;
	r = check_rules(&l);
	if (r < 0)
		goto bad;
	r = check_derives(&l);
	if (r < 0)
		goto bad;
	r = check_limits(&l);
	if (r < 0)
		goto bad;
	r = build_indexes(p);
	if (r < 0) {
		fail(&l, r, "out of memory");
		goto bad;
	}
	*out = p;
	return 0;
bad:
	sp_policy_free(p);
	return r;
}

int sp_policy_load(const void *data, size_t len, struct sp_policy **out,
		   char *err, size_t errlen)
{
	struct ld l = { .err = err, .errlen = errlen };
	uint8_t *copy;

	if (err && errlen)
		err[0] = '\0';
	if (!out || (!data && len))
		return fail(&l, -EINVAL, "no policy given");
	if (len > SPB_MAX_FILE)
		return fail(&l, -EFBIG,
			    "file is %zu bytes, more than the limit of %u",
			    len, SPB_MAX_FILE);
	/* Our own copy: the caller may free theirs, and nobody can change
	 * the bytes between validation and use. */
	copy = malloc(len ? len : 1);
	if (!copy)
		return fail(&l, -ENOMEM, "out of memory");
	if (len)
		memcpy(copy, data, len);
	return load_owned(copy, len, out, err, errlen);
}

int sp_policy_load_file(const char *path, struct sp_policy **out, char *err,
			size_t errlen)
{
	struct ld l = { .err = err, .errlen = errlen };
	char *buf = NULL;
	size_t len = 0;
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!path || !out)
		return fail(&l, -EINVAL, "no policy given");
	r = read_file(path, SPB_MAX_FILE, &buf, &len);
	if (r == -EFBIG)
		return fail(&l, r, "%s: larger than the limit of %u bytes",
			    path, SPB_MAX_FILE);
	if (r < 0)
		return fail(&l, r, "%s: %s", path, strerror(-r));
	if (looks_like_text((const uint8_t *)buf, len)) {
		free(buf);
		return fail_text_file(&l, path);
	}
	return load_owned((uint8_t *)buf, len, out, err, errlen);
}

void sp_policy_free(struct sp_policy *p)
{
	if (!p)
		return;
	free(p->data);
	free(p->grant_first);
	free(p->rule_first);
	free(p->caps);
	free(p->grant_nnum);
	free(p->rnum);
	free(p->rnamed);
	free(p->rule_written);
	free(p->written_pool);
	free(p->type_sorted);
	free(p->custom_sorted);
	free(p);
}

const void *sp_policy_data(const struct sp_policy *p, size_t *len)
{
	if (len)
		*len = p ? p->len : 0;
	return p ? p->data : NULL;
}

uint32_t sp_policy_id(const struct sp_policy *p)
{
	return p ? p->hdr.policy_id : 0;
}

bool sp_policy_mutable(const struct sp_policy *p)
{
	return p && (p->hdr.flags & SPB_F_MUTABLE);
}

uint32_t sp_policy_checksum(const struct sp_policy *p)
{
	return p ? p->hdr.checksum : 0;
}
