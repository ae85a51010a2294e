// SPDX-License-Identifier: BSD-2-Clause
/*
 * Name resolution: declare every type, attribute, custom ability and named
 * range (in any order: a name may be used before its declaration), then
 * resolve every use and turn the statements into facts per type.
 */
#include "sema.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "policy/ability.h"
#include "suggest.h"

void *sema_push(struct sema *s, void **v, size_t *n, size_t *cap, size_t size)
{
	void *slot;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *nv = realloc(*v, ncap * size);

		if (!nv) {
			s->oom = true;
			return NULL;
		}
		*v = nv;
		*cap = ncap;
	}
	slot = (char *)*v + (*n)++ * size;
	memset(slot, 0, size);
	return slot;
}

void sema_init(struct sema *s, struct arena *arena, struct diags *diags)
{
	struct sym_type *t;

	memset(s, 0, sizeof(*s));
	s->arena = arena;
	s->diags = diags;
	/* type 0 always exists, declared or not (SPEC §2) */
	t = SEMA_PUSH(s, types);
	if (!t)
		return;
	t->name = "default";
	if (strmap_put(&s->names, t->name, 7, 0, NULL) < 0)
		s->oom = true;
}

void sema_free(struct sema *s)
{
	size_t i;

	for (i = 0; i < s->ntypes; i++)
		free(s->types[i].attrs);
	for (i = 0; i < s->nattrs; i++)
		free(s->attrs[i].members);
	free(s->types);
	free(s->attrs);
	free(s->customs);
	free(s->ranges);
	free(s->facts);
	free(s->rules);
	free(s->derives);
	free(s->folded);
	strmap_free(&s->names);
	strmap_free(&s->customs_by_name);
	strmap_free(&s->ranges_by_name);
}

static const char *q(struct sema *s, const char *p, size_t len)
{
	return diag_quote(s->diags, p, len);
}

static char *dup_name(struct sema *s, const char *p, size_t len, bool lower)
{
	char *d = arena_strndup(s->arena, p, len);
	size_t i;

	if (!d) {
		s->oom = true;
		return NULL;
	}
	if (lower)
		for (i = 0; i < len; i++)
			d[i] = (char)tolower((unsigned char)d[i]);
	return d;
}

/* The site where a type or attribute was declared, for "first declared
 * here" notes.  Type 0 may have no site. */
static const struct loc *decl_loc(const struct sema *s, uint32_t v)
{
	if (v & SYM_ATTR)
		return &s->attrs[v & ~SYM_ATTR].loc;
	return s->types[v].declared ? &s->types[v].loc : NULL;
}

static void duplicate(struct sema *s, const struct name *n, uint32_t old,
		      const char *what)
{
	const struct loc *first = decl_loc(s, old);
	const char *was = old & SYM_ATTR ? "an attribute" : "a type";

	diag_error(s->diags, &n->loc, "%s '%s' is already declared as %s",
		   what, q(s, n->s, n->len), was);
	if (first)
		diag_note(s->diags, first, "'%s' was first declared here",
			  q(s, n->s, n->len));
}

static void declare_type(struct sema *s, const struct name *n)
{
	struct sym_type *t;
	uint32_t old;
	char *name;

	if (n->len == 7 && memcmp(n->s, "default", 7) == 0) {
		if (s->types[0].declared) {
			duplicate(s, n, 0, "type");
			return;
		}
		s->types[0].declared = true;
		s->types[0].loc = n->loc;
		return;
	}
	if (s->ntypes >= SPB_MAX_TYPES) {
		diag_error(s->diags, &n->loc, "more than %u types",
			   SPB_MAX_TYPES);
		return;
	}
	name = dup_name(s, n->s, n->len, false);
	if (!name)
		return;
	if (strmap_put(&s->names, name, n->len, (uint32_t)s->ntypes, &old) ==
	    -EEXIST) {
		duplicate(s, n, old, "type");
		return;
	}
	t = SEMA_PUSH(s, types);
	if (!t)
		return;
	t->name = name;
	t->loc = n->loc;
	t->declared = true;
}

static void declare_attr(struct sema *s, const struct name *n)
{
	struct sym_attr *a;
	uint32_t old;
	char *name;

	if (s->nattrs >= SPB_MAX_ATTRS) {
		diag_error(s->diags, &n->loc, "more than %u attributes",
			   SPB_MAX_ATTRS);
		return;
	}
	name = dup_name(s, n->s, n->len, false);
	if (!name)
		return;
	if (strmap_put(&s->names, name, n->len,
		       SYM_ATTR | (uint32_t)s->nattrs, &old) == -EEXIST) {
		duplicate(s, n, old, "attribute");
		return;
	}
	a = SEMA_PUSH(s, attrs);
	if (!a)
		return;
	a->name = name;
	a->loc = n->loc;
}

static bool custom_name_ok(const char *p, size_t len)
{
	size_t i;

	if (len == 0 || len > 127 || !memchr(p, '/', len))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr("_./-", p[i]))
			return false;
	return p[0] != '/' && p[len - 1] != '/';
}

static void declare_custom(struct sema *s, const struct name *n)
{
	struct sym_custom *c;
	uint32_t old;
	char *lower;

	if (!custom_name_ok(n->s, n->len)) {
		diag_error(s->diags, &n->loc,
			   "custom ability '%s' must be written vendor/name (letters, digits, '_', '.', '-', at most 127 bytes; static abilities need no declaration)",
			   q(s, n->s, n->len));
		return;
	}
	if (s->ncustoms >= SPB_MAX_CUSTOM) {
		diag_error(s->diags, &n->loc, "more than %u custom abilities",
			   SPB_MAX_CUSTOM);
		return;
	}
	lower = dup_name(s, n->s, n->len, true);
	if (!lower)
		return;
	if (strmap_put(&s->customs_by_name, lower, n->len,
		       (uint32_t)s->ncustoms, &old) == -EEXIST) {
		diag_error(s->diags, &n->loc, "ability '%s' is declared twice",
			   q(s, n->s, n->len));
		diag_note(s->diags, &s->customs[old].loc,
			  "first declared here");
		return;
	}
	c = SEMA_PUSH(s, customs);
	if (!c)
		return;
	c->name = dup_name(s, n->s, n->len, false);
	c->loc = n->loc;
}

static void declare_range(struct sema *s, const struct name *n)
{
	struct sym_range *r;
	uint32_t old;
	char *name = dup_name(s, n->s, n->len, false);

	if (!name)
		return;
	if (strmap_put(&s->ranges_by_name, name, n->len,
		       (uint32_t)s->nranges, &old) == -EEXIST) {
		diag_error(s->diags, &n->loc, "range '%s' is declared twice",
			   q(s, n->s, n->len));
		diag_note(s->diags, &s->ranges[old].loc, "first declared here");
		return;
	}
	r = SEMA_PUSH(s, ranges);
	if (!r)
		return;
	r->name = name;
	r->loc = n->loc;
}

/* "did you mean" over every type and attribute name */
static const char *suggest_type(const struct sema *s, const struct name *n)
{
	struct suggester sg;
	size_t i;

	suggester_init(&sg, n->s, n->len, false);
	for (i = 0; i < s->ntypes; i++)
		suggester_add(&sg, s->types[i].name);
	for (i = 0; i < s->nattrs; i++)
		suggester_add(&sg, s->attrs[i].name);
	return suggester_best(&sg);
}

static void unknown_type(struct sema *s, const struct name *n,
			 const char *what)
{
	const char *best = suggest_type(s, n);

	if (best)
		diag_error(s->diags, &n->loc,
			   "unknown %s '%s'; did you mean '%s'?", what,
			   q(s, n->s, n->len), best);
	else
		diag_error(s->diags, &n->loc,
			   "unknown %s '%s' (declare it with '%s %s;')", what,
			   q(s, n->s, n->len),
			   strcmp(what, "attribute") == 0 ? "attribute" : "type",
			   q(s, n->s, n->len));
}

static void link_attrs(struct sema *s, const struct stmt *st)
{
	uint32_t type, v;
	size_t i;

	if (!strmap_get(&s->names, st->u.type.name.s, st->u.type.name.len,
			&type) ||
	    (type & SYM_ATTR))
		return; /* the declaration failed and was reported */
	for (i = 0; i < st->u.type.attrs.n; i++) {
		const struct name *n = &st->u.type.attrs.v[i];
		struct sym_attr *a;
		struct sym_type *t;
		uint32_t *slot;

		if (!strmap_get(&s->names, n->s, n->len, &v)) {
			unknown_type(s, n, "attribute");
			continue;
		}
		if (!(v & SYM_ATTR)) {
			diag_error(s->diags, &n->loc,
				   "'%s' is a type, not an attribute",
				   q(s, n->s, n->len));
			continue;
		}
		a = &s->attrs[v & ~SYM_ATTR];
		t = &s->types[type];
		slot = sema_push(s, (void **)&t->attrs, &t->nattrs,
				 &t->attrs_cap, sizeof(*slot));
		if (!slot)
			return;
		*slot = v & ~SYM_ATTR;
		slot = sema_push(s, (void **)&a->members, &a->n, &a->cap,
				 sizeof(*slot));
		if (!slot)
			return;
		*slot = type;
	}
}

/* A list of type IDs; attributes expand to their members. */
struct idlist {
	uint32_t *v;
	size_t n, cap;
};

static void idlist_add(struct sema *s, struct idlist *l, uint32_t id)
{
	uint32_t *slot = sema_push(s, (void **)&l->v, &l->n, &l->cap,
				   sizeof(*slot));

	if (slot)
		*slot = id;
}

/* Resolves one name to types.  allow_attr: attributes expand; otherwise an
 * attribute is an error ("what" must be a type). */
static bool resolve_name(struct sema *s, const struct name *n, bool allow_attr,
			 const char *what, struct idlist *out)
{
	uint32_t v;
	size_t i;

	if (!strmap_get(&s->names, n->s, n->len, &v)) {
		unknown_type(s, n, what);
		return false;
	}
	if (!(v & SYM_ATTR)) {
		idlist_add(s, out, v);
		return true;
	}
	if (!allow_attr) {
		diag_error(s->diags, &n->loc,
			   "'%s' is an attribute; a %s must be a type",
			   q(s, n->s, n->len), what);
		return false;
	}
	for (i = 0; i < s->attrs[v & ~SYM_ATTR].n; i++)
		idlist_add(s, out, s->attrs[v & ~SYM_ATTR].members[i]);
	return true;
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Subjects as a set: a type named twice (directly and through an
 * attribute) gets each rule once. */
static bool resolve_subjects(struct sema *s, const struct name_list *l,
			     struct idlist *out)
{
	bool ok = true;
	size_t i, n;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].self) {
			diag_error(s->diags, &l->v[i].loc,
				   "'self' refers to the subject and cannot be one");
			ok = false;
			continue;
		}
		ok &= resolve_name(s, &l->v[i], true, "type", out);
	}
	if (out->n > 1) {
		qsort(out->v, out->n, sizeof(*out->v), cmp_id);
		for (i = 1, n = 1; i < out->n; i++)
			if (out->v[i] != out->v[n - 1])
				out->v[n++] = out->v[i];
		out->n = n;
	}
	return ok;
}

static void add_fact(struct sema *s, uint32_t type, uint8_t dom,
		     uint16_t ability, enum fact_kind kind, const struct loc *loc,
		     bool implicit, const struct sp_range *ranges,
		     size_t nranges, const uint32_t *named, size_t nnamed)
{
	struct fact *f = SEMA_PUSH(s, facts);

	if (!f)
		return;
	f->type = type;
	f->dom = dom;
	f->ability = ability;
	f->kind = (uint8_t)kind;
	f->implicit = implicit;
	f->seq = s->seq;
	if (loc) {
		f->loc = *loc;
		f->has_loc = true;
	}
	if (nranges) {
		f->ranges = arena_array(s->arena, nranges, sizeof(*ranges));
		if (!f->ranges) {
			s->oom = true;
			return;
		}
		memcpy(f->ranges, ranges, nranges * sizeof(*ranges));
		f->nranges = (uint32_t)nranges;
	}
	if (nnamed) {
		f->named = arena_array(s->arena, nnamed, sizeof(*named));
		if (!f->named) {
			s->oom = true;
			return;
		}
		memcpy(f->named, named, nnamed * sizeof(*named));
		f->nnamed = (uint32_t)nnamed;
	}
}

const char *sema_ability_name(const struct sema *s, uint16_t ability)
{
	const struct ability_info *a = ability_by_id(ability);

	if (a)
		return a->name;
	if (ability_is_custom(ability) &&
	    ability - AB_CUSTOM_BASE < (int)s->ncustoms)
		return s->customs[ability - AB_CUSTOM_BASE].name;
	return "?";
}

/* Finds an ability by name.  Returns false after reporting an unknown
 * name; *qnx_only is set (and true returned with AB_NONE) for a QNX
 * ability that has no meaning here, which the caller warns about. */
static bool lookup_ability(struct sema *s, const struct name *n,
			   uint16_t *id)
{
	const struct ability_info *a = ability_lookup(n->s, n->len, NULL);
	struct suggester sg;
	const char *alias;
	char lower[128];
	uint32_t v;
	uint16_t target;
	size_t i;

	if (a) {
		*id = a->id;
		return true;
	}
	if (n->len < sizeof(lower)) {
		for (i = 0; i < n->len; i++)
			lower[i] = (char)tolower((unsigned char)n->s[i]);
		if (strmap_get(&s->customs_by_name, lower, n->len, &v)) {
			*id = (uint16_t)(AB_CUSTOM_BASE + v);
			return true;
		}
	}
	if (ability_is_qnx_only(n->s, n->len)) {
		*id = AB_NONE;
		return true;
	}
	suggester_init(&sg, n->s, n->len, true);
	for (i = 0; (a = ability_nth(i)); i++)
		suggester_add(&sg, a->name);
	for (i = 0; (alias = ability_alias_nth(i, &target)); i++)
		suggester_add(&sg, alias);
	for (i = 0; (alias = ability_qnx_only_nth(i)); i++)
		suggester_add(&sg, alias);
	for (i = 0; i < s->ncustoms; i++)
		suggester_add(&sg, s->customs[i].name);
	if (suggester_best(&sg))
		diag_error(s->diags, &n->loc,
			   "unknown ability '%s'; did you mean '%s'?",
			   q(s, n->s, n->len), suggester_best(&sg));
	else if (memchr(n->s, '/', n->len))
		diag_error(s->diags, &n->loc,
			   "unknown ability '%s' (declare custom abilities with 'ability %s;')",
			   q(s, n->s, n->len), q(s, n->s, n->len));
	else
		diag_error(s->diags, &n->loc,
			   "unknown ability '%s' (abilities are Linux capabilities without 'cap_', such as net_bind_service, or pathspace, public_channel, channel_connect, settypeid)",
			   q(s, n->s, n->len));
	return false;
}

static void qnx_only_warning(struct sema *s, const struct name *n)
{
	diag_warning(s->diags, &n->loc,
		     "'%s' is a QNX ability with no meaning on Linux; ignored",
		     q(s, n->s, n->len));
}

/* The values of one item, resolved once for all subjects. */
struct rvalues {
	struct sp_range *ranges;
	size_t nranges, cap;
	uint32_t *named;
	size_t nnamed, ncap;
	bool self; /* channel_connect:self and the like */
};

static void rv_range(struct sema *s, struct rvalues *rv, uint64_t lo,
		     uint64_t hi)
{
	struct sp_range *r = sema_push(s, (void **)&rv->ranges, &rv->nranges,
				       &rv->cap, sizeof(*r));

	if (r) {
		r->lo = lo;
		r->hi = hi;
	}
}

static void rv_free(struct rvalues *rv)
{
	free(rv->ranges);
	free(rv->named);
}

static bool resolve_value(struct sema *s, const struct item *it,
			  const struct value *v, uint16_t id,
			  struct rvalues *rv)
{
	const struct ability_info *a = ability_by_id(id);
	uint64_t max = a ? a->value_max : UINT64_MAX;
	const char *abname = sema_ability_name(s, id);
	bool types = a && a->value == AB_VAL_TYPE;
	uint32_t r, *slot;
	uint64_t hi;

	(void)it;
	if (types)
		max = s->ntypes - 1;
	if (v->kind != V_NAME) {
		hi = v->open ? max : v->hi;
		if (v->lo > max || hi > max) {
			if (types)
				diag_error(s->diags, &v->loc,
					   "%s takes type IDs 0..%llu (or type names); %llu is not a type",
					   abname, (unsigned long long)max,
					   (unsigned long long)(v->lo > max ? v->lo : hi));
			else
				diag_error(s->diags, &v->loc,
					   "value %llu is out of range for %s (0..%llu)",
					   (unsigned long long)(v->lo > max ? v->lo : hi),
					   abname, (unsigned long long)max);
			return false;
		}
		rv_range(s, rv, v->lo, hi);
		return true;
	}
	if (types) {
		struct idlist ids = {0};
		size_t i;

		if (v->name.self) {
			rv->self = true;
			return true;
		}
		if (!resolve_name(s, &v->name, true, "type", &ids)) {
			free(ids.v);
			return false;
		}
		for (i = 0; i < ids.n; i++)
			rv_range(s, rv, ids.v[i], ids.v[i]);
		free(ids.v);
		return true;
	}
	if (strmap_get(&s->ranges_by_name, v->name.s, v->name.len, &r)) {
		slot = sema_push(s, (void **)&rv->named, &rv->nnamed, &rv->ncap,
				 sizeof(*slot));
		if (slot)
			*slot = r;
		return true;
	}
	if (strmap_get(&s->names, v->name.s, v->name.len, &r)) {
		diag_error(s->diags, &v->name.loc,
			   "%s takes numbers or named ranges; '%s' is %s",
			   abname, q(s, v->name.s, v->name.len),
			   r & SYM_ATTR ? "an attribute" : "a type");
		return false;
	}
	{
		struct suggester sg;
		size_t i;

		suggester_init(&sg, v->name.s, v->name.len, false);
		for (i = 0; i < s->nranges; i++)
			suggester_add(&sg, s->ranges[i].name);
		if (suggester_best(&sg))
			diag_error(s->diags, &v->name.loc,
				   "unknown range '%s'; did you mean '%s'?",
				   q(s, v->name.s, v->name.len),
				   suggester_best(&sg));
		else
			diag_error(s->diags, &v->name.loc,
				   "unknown range '%s' (declare it with 'range %s;')",
				   q(s, v->name.s, v->name.len),
				   q(s, v->name.s, v->name.len));
	}
	return false;
}

static void resolve_allow_ability(struct sema *s, const struct stmt *st)
{
	struct idlist subj = {0};
	bool nonroot = false;
	size_t i, k;

	resolve_subjects(s, &st->u.ability.subjects, &subj);
	for (i = 0; i < st->u.ability.nitems; i++)
		if (st->u.ability.items[i].kind == I_NONROOT)
			nonroot = true;

	for (i = 0; i < st->u.ability.nitems; i++) {
		const struct item *it = &st->u.ability.items[i];
		struct rvalues rv = {0};
		enum fact_kind kind = F_GRANT;
		bool ok = true;
		uint16_t id;
		size_t v;
		uint8_t dom;

		switch (it->kind) {
		case I_NONROOT:
			continue;
		case I_UNLOCK:
			diag_warning(s->diags, &it->loc,
				     "'unlock' has no effect on Linux: a typed process may always drop capabilities and can never regain them");
			continue;
		case I_NOINHERIT:
			diag_error(s->diags, &it->loc,
				   "'noinherit' has no Linux meaning: children inherit their parent's type and with it every ability; start the child under another type (settypeid, derive_type) instead");
			continue;
		case I_DEFAULT_PRIV:
			for (k = 0; k < subj.n; k++)
				for (dom = 0; dom <= (nonroot ? 1 : 0); dom++)
					for (id = 0; id < AB_NCAPS; id++)
						add_fact(s, subj.v[k], dom, id,
							 F_GRANT, &it->loc,
							 false, NULL, 0, NULL,
							 0);
			continue;
		case I_DENY:
			kind = F_DENY;
			break;
		case I_GAIN_PRIV:
			kind = F_GAIN;
			break;
		case I_GRANT:
			break;
		}
		if (!lookup_ability(s, &it->name, &id))
			continue;
		if (id == AB_NONE) {
			qnx_only_warning(s, &it->name);
			continue;
		}
		if (it->has_values) {
			const struct ability_info *a = ability_by_id(id);

			if (a && a->value == AB_VAL_NONE) {
				diag_error(s->diags, &it->name.loc,
					   "ability '%s' takes no subrange (subranges apply to setuid, setgid, net_bind_service, channel_connect, settypeid and custom abilities)",
					   q(s, it->name.s, it->name.len));
				continue;
			}
			if (ability_is_custom(id))
				s->customs[id - AB_CUSTOM_BASE].ranged = true;
			for (v = 0; v < it->nvalues; v++)
				ok &= resolve_value(s, it, &it->values[v], id,
						    &rv);
			if (!ok) {
				rv_free(&rv);
				continue;
			}
		}
		for (k = 0; k < subj.n; k++) {
			size_t n0 = rv.nranges;

			if (rv.self)
				rv_range(s, &rv, subj.v[k], subj.v[k]);
			for (dom = 0; dom <= (nonroot ? 1 : 0); dom++)
				add_fact(s, subj.v[k], dom, id, kind, &it->loc,
					 false, rv.ranges, rv.nranges, rv.named,
					 rv.nnamed);
			rv.nranges = n0;
		}
		rv_free(&rv);
	}
	free(subj.v);
}

static void resolve_connect(struct sema *s, const struct stmt *st)
{
	struct idlist subj = {0}, targ = {0};
	bool self = false;
	size_t i, k;
	uint8_t dom;

	resolve_subjects(s, &st->u.connect.subjects, &subj);
	for (i = 0; i < st->u.connect.targets.n; i++) {
		const struct name *n = &st->u.connect.targets.v[i];

		if (n->self)
			self = true;
		else
			resolve_name(s, n, true, "type", &targ);
	}
	for (k = 0; k < subj.n; k++) {
		for (i = 0; i < targ.n + (self ? 1 : 0); i++) {
			uint32_t t = i < targ.n ? targ.v[i] : subj.v[k];
			struct sp_range r = {t, t};

			for (dom = 0; dom <= 1; dom++)
				add_fact(s, subj.v[k], dom, AB_CHANNEL_CONNECT,
					 F_GRANT, &st->loc, false, &r, 1, NULL,
					 0);
		}
	}
	free(subj.v);
	free(targ.v);
}

static void resolve_paths(struct sema *s, const struct stmt *st)
{
	uint32_t op = st->kind == S_ALLOW_LINK ? SPB_R_LINK : SPB_R_ATTACH;
	uint32_t newtype = SPB_NO_TYPE;
	struct idlist subj = {0}, nt = {0};
	size_t i, k;
	uint8_t dom;

	resolve_subjects(s, &st->u.attach.subjects, &subj);
	if (st->u.attach.newtype.len) {
		if (resolve_name(s, &st->u.attach.newtype, false, "channel type",
				 &nt))
			newtype = nt.v[0];
		free(nt.v);
		if (newtype == SPB_NO_TYPE)
			goto out;
	}
	for (i = 0; i < st->u.attach.npaths; i++) {
		const struct path *p = &st->u.attach.paths[i];
		char stored[SPB_MAX_PATH + 1];
		const char *why = NULL, *written;
		uint32_t flags;

		written = dup_name(s, p->s, p->len, false);
		if (!written)
			goto out;
		if (p->len > SPB_MAX_PATH ||
		    sp_path_rule_parse(written, stored, sizeof(stored), &flags,
				       &why) < 0) {
			diag_error(s->diags, &p->loc, "bad path '%s': %s",
				   q(s, p->s, p->len),
				   why ? why : "longer than the limit");
			continue;
		}
		for (k = 0; k < subj.n; k++) {
			struct rule_fact *r = SEMA_PUSH(s, rules);

			if (!r)
				goto out;
			r->type = subj.v[k];
			r->op = op;
			r->written = written;
			r->newtype = newtype;
			r->loc = p->loc;
		}
	}
	/* QNX compiles every allow_attach and allow_link into pathspace */
	for (k = 0; k < subj.n; k++)
		for (dom = 0; dom <= 1; dom++)
			add_fact(s, subj.v[k], dom, AB_PATHSPACE, F_GRANT,
				 &st->loc, true, NULL, 0, NULL, 0);
out:
	free(subj.v);
}

static void resolve_derive(struct sema *s, const struct stmt *st)
{
	struct idlist from = {0}, to = {0};
	struct derive_fact *d;

	if (resolve_name(s, &st->u.derive.type, false, "type", &from) &&
	    resolve_name(s, &st->u.derive.derived, false, "type", &to)) {
		d = SEMA_PUSH(s, derives);
		if (d) {
			d->type = from.v[0];
			d->derived = to.v[0];
			d->name = dup_name(s, st->u.derive.name.s,
					   st->u.derive.name.len, false);
			d->loc = st->u.derive.name.loc;
		}
	}
	free(from.v);
	free(to.v);
}

/*
 * learn and limit apply to the types a subject names, each reached with
 * the site of its name (an attribute's site for its types).  A type met
 * twice in one statement (directly and through an attribute) is one use,
 * at its first site.
 */
typedef void (*per_type_fn)(struct sema *s, const struct stmt *st,
			    uint32_t type, const struct name *n);

/* " (of attribute 'a')" when n names an attribute, "" otherwise. */
struct via {
	char s[SPB_MAX_NAME + 32];
};

static const char *via(struct sema *s, const struct name *n, struct via *buf)
{
	uint32_t v;

	buf->s[0] = '\0';
	if (strmap_get(&s->names, n->s, n->len, &v) && (v & SYM_ATTR))
		snprintf(buf->s, sizeof(buf->s), " (of attribute '%s')",
			 s->attrs[v & ~SYM_ATTR].name);
	return buf->s;
}

static void for_each_subject(struct sema *s, const struct stmt *st,
			     const struct name_list *subjects, per_type_fn fn)
{
	size_t i, k;

	for (i = 0; i < subjects->n && !s->oom; i++) {
		const struct name *n = &subjects->v[i];
		struct idlist ids = {0};

		if (n->self) {
			diag_error(s->diags, &n->loc,
				   "'self' refers to the subject and cannot be one");
			continue;
		}
		if (resolve_name(s, n, true, "type", &ids))
			for (k = 0; k < ids.n; k++) {
				struct sym_type *t = &s->types[ids.v[k]];

				if (t->seen == s->seq + 1)
					continue;
				t->seen = s->seq + 1;
				fn(s, st, ids.v[k], n);
			}
		free(ids.v);
	}
}

static void learn_type(struct sema *s, const struct stmt *st, uint32_t type,
		       const struct name *n)
{
	struct sym_type *t = &s->types[type];
	struct via v;

	(void)st;
	if (type == 0) {
		diag_warning(s->diags, &n->loc,
			     "type 'default'%s cannot learn: untyped processes are never supervised; ignored",
			     via(s, n, &v));
		return;
	}
	if (t->learning) {
		diag_warning(s->diags, &n->loc, "type '%s'%s already learns",
			     t->name, via(s, n, &v));
		diag_note(s->diags, &t->learn_loc, "'%s' learns from here",
			  t->name);
		return;
	}
	t->learning = true;
	t->learn_loc = n->loc;
}

static void limit_type(struct sema *s, const struct stmt *st, uint32_t type,
		       const struct name *n)
{
	uint32_t k = st->u.limit.kind;
	const char *kind = sp_limit_kind_name((enum sp_limit_kind)k);
	struct sym_type *t = &s->types[type];
	const struct loc *first;
	struct via v;

	if (type == 0) {
		diag_warning(s->diags, &n->loc,
			     "type 'default'%s cannot have a limit: untyped processes are never supervised; ignored",
			     via(s, n, &v));
		return;
	}
	if (t->limit[k]) {
		first = &t->limit_loc[k];
		diag_error(s->diags, &n->loc,
			   "type '%s'%s already has a limit of %llu %s, set at %s:%u; a type has one limit of each kind",
			   t->name, via(s, n, &v),
			   (unsigned long long)t->limit[k], kind,
			   diag_quote(s->diags, s->diags->srcs[first->file].name,
				      strlen(s->diags->srcs[first->file].name)),
			   first->line);
		diag_note(s->diags, first, "the first limit of '%s' is here",
			  t->name);
		return;
	}
	t->limit[k] = st->u.limit.value;
	t->limit_loc[k] = n->loc;
}

int sema_resolve(struct sema *s, const struct policy_ast *ast)
{
	const uint16_t *def;
	size_t i, k, ndef;

	for (i = 0; i < ast->n && !s->oom; i++) {
		const struct stmt *st = &ast->stmts[i];

		switch (st->kind) {
		case S_TYPE:
			declare_type(s, &st->u.type.name);
			break;
		case S_ATTRIBUTE:
			declare_attr(s, &st->u.decl);
			break;
		case S_ABILITY:
			declare_custom(s, &st->u.decl);
			break;
		case S_RANGE:
			declare_range(s, &st->u.decl);
			break;
		case S_ALLOW_ABILITY:
		case S_ALLOW_CONNECT:
		case S_ALLOW_ATTACH:
		case S_ALLOW_LINK:
		case S_DERIVE:
		case S_LEARN:
		case S_LIMIT:
			break;
		}
	}
	/* An attribute's members are part of the types' declarations: all
	 * are known before any statement uses the attribute, wherever the
	 * types are declared. */
	for (i = 0; i < ast->n && !s->oom; i++)
		if (ast->stmts[i].kind == S_TYPE)
			link_attrs(s, &ast->stmts[i]);
	for (i = 0; i < ast->n && !s->oom; i++) {
		const struct stmt *st = &ast->stmts[i];

		s->seq = (uint32_t)i;
		switch (st->kind) {
		case S_TYPE:
			break;
		case S_ALLOW_ABILITY:
			resolve_allow_ability(s, st);
			break;
		case S_ALLOW_CONNECT:
			resolve_connect(s, st);
			break;
		case S_ALLOW_ATTACH:
		case S_ALLOW_LINK:
			resolve_paths(s, st);
			break;
		case S_DERIVE:
			resolve_derive(s, st);
			break;
		case S_LEARN:
			for_each_subject(s, st, &st->u.learn, learn_type);
			break;
		case S_LIMIT:
			for_each_subject(s, st, &st->u.limit.subjects,
					 limit_type);
			break;
		case S_ATTRIBUTE:
		case S_ABILITY:
		case S_RANGE:
			break;
		}
	}
	/* the defaults (public_channel, QNX's non-root default) are every
	 * type's; an item such as '-public_channel' takes one away */
	s->seq = (uint32_t)ast->n;
	def = ability_defaults(&ndef);
	for (i = 0; i < s->ntypes && !s->oom; i++) {
		for (k = 0; k < ndef; k++) {
			add_fact(s, (uint32_t)i, SPB_DOM_ROOT, def[k], F_GRANT,
				 NULL, true, NULL, 0, NULL, 0);
			add_fact(s, (uint32_t)i, SPB_DOM_NONROOT, def[k],
				 F_GRANT, NULL, true, NULL, 0, NULL, 0);
		}
	}
	return s->oom ? -ENOMEM : 0;
}
