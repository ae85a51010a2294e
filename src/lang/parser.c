// SPDX-License-Identifier: BSD-2-Clause
/*
 * The grammar, in EBNF.  WORD is any lexer word; what a word may be (a name,
 * a path, a number) is checked where it is used.
 *
 *   policy    = { statement } ;
 *   statement = type | attribute | ability | range | allow | attach
 *             | link | derive | learn | limit ;
 *   type      = "type" NAME { "," NAME } ";" ;
 *   attribute = "attribute" NAME ";" ;
 *   ability   = "ability" WORD ";" ;
 *   range     = "range" NAME ";" ;
 *   allow     = "allow" names names ":" ( "ability" items
 *                                       | "channel" perms ) ";" ;
 *   names     = NAME | "{" NAME { NAME } "}" ;
 *   items     = item | "{" { item } "}" ;
 *   item      = "nonroot" | "noinherit" | "unlock" | "default_priv"
 *             | "gain_priv" ":" WORD | "-" WORD
 *             | WORD [ ":" value { "," value } ] ;
 *   value     = NUMBER [ "-" [ NUMBER ] ] | NAME ;   (one WORD)
 *   perms     = "connect" | "{" "connect" "}" ;
 *   attach    = "allow_attach" names paths [ NAME ] ";" ;
 *   link      = "allow_link" names paths ";" ;
 *   paths     = WORD | "{" WORD { WORD } "}" ;
 *   derive    = "derive_type" NAME NAME NAME ";" ;
 *   learn     = "learn" names ";" ;
 *   limit     = "limit" names KIND NUMBER ";" ;      (KIND: "processes")
 *
 * Keywords are matched without regard to case, as QNX policies write
 * ability names in either case.
 */
#include "parser.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/strnum.h"
#include "lexer.h"
#include "policy/format.h"
#include "policy/policy.h"
#include "suggest.h"

struct parser {
	struct lexer lx;
	struct token tok;
	struct arena *arena;
	struct diags *diags;
	bool oom;
	size_t nstmts;
};

static void next(struct parser *p)
{
	lexer_next(&p->lx, &p->tok);
}

static bool word_is(const struct token *t, const char *kw)
{
	return t->kind == T_WORD && strlen(kw) == t->len &&
	       strncasecmp(t->text, kw, t->len) == 0;
}

bool is_identifier(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static const char *tok_desc(struct parser *p, const struct token *t)
{
	if (t->kind != T_WORD)
		return tok_kind_str(t->kind);
	return diag_quote(p->diags, t->text, t->len);
}

static void unexpected(struct parser *p, const char *expected)
{
	if (p->tok.kind == T_WORD)
		diag_error(p->diags, &p->tok.loc, "expected %s, found '%s'",
			   expected, tok_desc(p, &p->tok));
	else
		diag_error(p->diags, &p->tok.loc, "expected %s, found %s",
			   expected, tok_desc(p, &p->tok));
}

static const char *const statement_keywords[] = {
	"type", "attribute", "ability", "range", "allow", "allow_attach",
	"allow_link", "derive_type", "learn", "limit", NULL,
};

static bool is_statement_keyword(const struct token *t);

/* Skips to the end of the statement after an error: past the next ';' that
 * is not inside braces.  A statement keyword at the start of a later line
 * also ends the skip, so that a forgotten ';' costs one error, not two. */
static void recover(struct parser *p, const struct loc *start)
{
	uint32_t line = start->line, file = start->file;
	int depth = 0;

	while (p->tok.kind != T_EOF) {
		if (depth == 0 && is_statement_keyword(&p->tok) &&
		    (p->tok.loc.line > line || p->tok.loc.file != file))
			return;
		if (p->tok.kind == T_LBRACE) {
			depth++;
		} else if (p->tok.kind == T_RBRACE) {
			if (depth > 0)
				depth--;
		} else if (p->tok.kind == T_SEMI && depth == 0) {
			next(p);
			return;
		}
		next(p);
	}
}

static bool expect(struct parser *p, enum tok_kind k, const char *what)
{
	if (p->tok.kind == k) {
		next(p);
		return true;
	}
	unexpected(p, what);
	return false;
}

/*
 * The ';' that ends a statement.  When it is missing and the next line
 * starts a new statement, the statement is kept (one error, not a
 * cascade of "unknown type" errors for what it declared).
 */
static bool expect_semi(struct parser *p, const struct loc *start,
			const char *what)
{
	if (p->tok.kind == T_SEMI) {
		next(p);
		return true;
	}
	unexpected(p, what);
	return is_statement_keyword(&p->tok) &&
	       (p->tok.loc.line > start->line || p->tok.loc.file != start->file);
}

static struct name take_name(struct parser *p)
{
	struct name n = {
		.s = p->tok.text,
		.len = p->tok.len,
		.loc = p->tok.loc,
		.self = word_is(&p->tok, "self"),
	};

	next(p);
	return n;
}

/* A name being declared: report a name that is not an identifier with the
 * reason (QNX: "a hyphen in a type name will generate an error"). */
static bool check_decl_name(struct parser *p, const struct name *n,
			    const char *what)
{
	const char *q;
	size_t i;

	if (is_identifier(n->s, n->len)) {
		if (n->len > SPB_MAX_NAME) {
			diag_error(p->diags, &n->loc,
				   "%s name is %zu bytes long; at most %u are allowed",
				   what, n->len, SPB_MAX_NAME);
			return false;
		}
		/* `self` always means the subject: a type of that name could
		 * never be named */
		if (n->self) {
			diag_error(p->diags, &n->loc,
				   "'%s' is reserved (it means the subject itself) and cannot be a %s name",
				   diag_quote(p->diags, n->s, n->len), what);
			return false;
		}
		return true;
	}
	q = diag_quote(p->diags, n->s, n->len);
	if (isdigit((unsigned char)n->s[0])) {
		diag_error(p->diags, &n->loc,
			   "%s name '%s' starts with a digit", what, q);
		return false;
	}
	for (i = 0; i < n->len; i++) {
		if (!isalnum((unsigned char)n->s[i]) && n->s[i] != '_') {
			struct loc l = n->loc;

			l.col += (uint32_t)i;
			l.off += i;
			l.len = 1;
			if (n->s[i] == '-')
				diag_error(p->diags, &l,
					   "%s name '%s' contains '-'; names are letters, digits and '_' (write '%.*s_%s'?)",
					   what, q, (int)i, n->s,
					   diag_quote(p->diags, n->s + i + 1,
						      n->len - i - 1));
			else
				diag_error(p->diags, &l,
					   "%s name '%s' contains '%s'; names are letters, digits and '_'",
					   what, q,
					   diag_quote(p->diags, n->s + i, 1));
			return false;
		}
	}
	return false;
}

/* Grows *v (n elements) by one; returns the new slot or NULL. */
static void *push(struct parser *p, void **v, size_t *n, size_t *cap,
		  size_t size)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4;
		void *nv = arena_grow(p->arena, *v, *n, ncap, size);

		if (!nv) {
			p->oom = true;
			return NULL;
		}
		*v = nv;
		*cap = ncap;
	}
	return (char *)*v + (*n)++ * size;
}

/* names = NAME | "{" NAME { NAME } "}" */
static bool parse_names(struct parser *p, struct name_list *out,
			const char *what)
{
	size_t cap = 0;
	struct name *slot;

	out->v = NULL;
	out->n = 0;
	if (p->tok.kind == T_WORD) {
		slot = push(p, (void **)&out->v, &out->n, &cap, sizeof(*slot));
		if (!slot)
			return false;
		*slot = take_name(p);
		return true;
	}
	if (p->tok.kind != T_LBRACE) {
		unexpected(p, what);
		return false;
	}
	next(p);
	while (p->tok.kind == T_WORD && !is_statement_keyword(&p->tok)) {
		if (out->n >= PARSE_MAX_LIST) {
			diag_error(p->diags, &p->tok.loc,
				   "more than %u names in one list",
				   PARSE_MAX_LIST);
			return false;
		}
		slot = push(p, (void **)&out->v, &out->n, &cap, sizeof(*slot));
		if (!slot)
			return false;
		*slot = take_name(p);
	}
	if (out->n == 0) {
		unexpected(p, "a name in the list");
		return false;
	}
	return expect(p, T_RBRACE, "'}' to close the list");
}

/* value = NUMBER [ "-" [ NUMBER ] ] | NAME, all inside one word */
static bool parse_value(struct parser *p, struct value *v)
{
	const char *s = p->tok.text, *dash;
	size_t len = p->tok.len;
	int r;

	memset(v, 0, sizeof(*v));
	v->loc = p->tok.loc;
	if (p->tok.kind != T_WORD) {
		unexpected(p, "a value");
		return false;
	}
	if (!isdigit((unsigned char)s[0])) {
		v->kind = V_NAME;
		v->name = take_name(p);
		if (!is_identifier(v->name.s, v->name.len)) {
			diag_error(p->diags, &v->loc,
				   "'%s' is neither a number, a range nor a name",
				   diag_quote(p->diags, s, len));
			return false;
		}
		return true;
	}
	dash = memchr(s, '-', len);
	r = strnum_u64n(s, dash ? (size_t)(dash - s) : len, 0, 0, UINT64_MAX,
			&v->lo);
	if (r == 0 && dash) {
		size_t rest = len - (size_t)(dash - s) - 1;

		v->kind = V_RANGE;
		if (rest == 0) {
			v->open = true;
			v->hi = UINT64_MAX;
		} else {
			r = strnum_u64n(dash + 1, rest, 0, 0, UINT64_MAX, &v->hi);
		}
	} else {
		v->kind = V_NUM;
		v->hi = v->lo;
	}
	if (r == -ERANGE) {
		diag_error(p->diags, &v->loc, "number in '%s' is too large",
			   diag_quote(p->diags, s, len));
		next(p);
		return false;
	}
	if (r < 0) {
		diag_error(p->diags, &v->loc,
			   "'%s' is not a number or a range (write 5, 0x1f, 017, 4-, or 10-20)",
			   diag_quote(p->diags, s, len));
		next(p);
		return false;
	}
	if (v->kind == V_RANGE && !v->open && v->lo > v->hi) {
		diag_error(p->diags, &v->loc,
			   "range '%s' starts after it ends",
			   diag_quote(p->diags, s, len));
		next(p);
		return false;
	}
	next(p);
	return true;
}

static bool parse_item(struct parser *p, struct item *it)
{
	size_t cap = 0;
	struct value *slot;

	memset(it, 0, sizeof(*it));
	it->loc = p->tok.loc;
	if (p->tok.kind != T_WORD) {
		unexpected(p, "an ability");
		return false;
	}
	if (word_is(&p->tok, "nonroot")) {
		it->kind = I_NONROOT;
	} else if (word_is(&p->tok, "noinherit")) {
		it->kind = I_NOINHERIT;
	} else if (word_is(&p->tok, "unlock")) {
		it->kind = I_UNLOCK;
	} else if (word_is(&p->tok, "default_priv")) {
		it->kind = I_DEFAULT_PRIV;
	} else if (word_is(&p->tok, "gain_priv")) {
		it->kind = I_GAIN_PRIV;
		next(p);
		if (!expect(p, T_COLON, "':' after gain_priv"))
			return false;
		if (p->tok.kind != T_WORD) {
			unexpected(p, "an ability after 'gain_priv:'");
			return false;
		}
		it->name = take_name(p);
		return true;
	} else if (p->tok.text[0] == '-') {
		it->kind = I_DENY;
		it->name = take_name(p);
		it->name.s++;
		it->name.len--;
		it->name.loc.col++;
		it->name.loc.off++;
		it->name.loc.len--;
		if (it->name.len == 0) {
			diag_error(p->diags, &it->loc,
				   "'-' must be followed by an ability name");
			return false;
		}
		return true;
	} else {
		it->kind = I_GRANT;
		it->name = take_name(p);
		if (p->tok.kind != T_COLON)
			return true;
		next(p);
		it->has_values = true;
		for (;;) {
			if (it->nvalues >= PARSE_MAX_LIST) {
				diag_error(p->diags, &p->tok.loc,
					   "more than %u values for one ability",
					   PARSE_MAX_LIST);
				return false;
			}
			slot = push(p, (void **)&it->values, &it->nvalues,
				    &cap, sizeof(*slot));
			if (!slot || !parse_value(p, slot))
				return false;
			if (p->tok.kind != T_COMMA)
				break;
			next(p);
		}
		return true;
	}
	next(p);
	return true;
}

/* items = item | "{" { item } "}" */
static bool parse_items(struct parser *p, struct stmt *st)
{
	size_t cap = 0;
	struct item *slot;

	if (p->tok.kind != T_LBRACE) {
		slot = push(p, (void **)&st->u.ability.items,
			    &st->u.ability.nitems, &cap, sizeof(*slot));
		return slot && parse_item(p, slot);
	}
	next(p);
	/* a statement keyword cannot be an ability: the '}' is missing */
	while (p->tok.kind == T_WORD && !is_statement_keyword(&p->tok)) {
		if (st->u.ability.nitems >= PARSE_MAX_LIST) {
			diag_error(p->diags, &p->tok.loc,
				   "more than %u abilities in one list",
				   PARSE_MAX_LIST);
			return false;
		}
		slot = push(p, (void **)&st->u.ability.items,
			    &st->u.ability.nitems, &cap, sizeof(*slot));
		if (!slot || !parse_item(p, slot))
			return false;
	}
	return expect(p, T_RBRACE, "an ability or '}'");
}

static bool parse_allow(struct parser *p, struct stmt *st)
{
	struct name_list targets;

	if (!parse_names(p, &st->u.ability.subjects, "a type or '{' after 'allow'"))
		return false;
	if (!parse_names(p, &targets, "a target type or 'self'"))
		return false;
	if (!expect(p, T_COLON, "':' between the target and the class"))
		return false;
	if (word_is(&p->tok, "ability")) {
		st->kind = S_ALLOW_ABILITY;
		next(p);
		if (targets.n != 1 || !targets.v[0].self) {
			diag_error(p->diags, &targets.v[0].loc,
				   "abilities are granted to the subject itself: write 'self' before ':ability'");
			return false;
		}
		st->u.ability.target = targets.v[0];
		if (!parse_items(p, st))
			return false;
	} else if (word_is(&p->tok, "channel")) {
		struct name_list subjects = st->u.ability.subjects;

		st->kind = S_ALLOW_CONNECT;
		st->u.connect.subjects = subjects;
		st->u.connect.targets = targets;
		next(p);
		if (p->tok.kind == T_LBRACE) {
			next(p);
			if (!word_is(&p->tok, "connect")) {
				unexpected(p, "'connect'");
				return false;
			}
			next(p);
			if (!expect(p, T_RBRACE, "'}'"))
				return false;
		} else if (word_is(&p->tok, "connect")) {
			next(p);
		} else {
			unexpected(p, "'connect' (the only channel permission)");
			return false;
		}
	} else {
		if (p->tok.kind == T_WORD)
			diag_error(p->diags, &p->tok.loc,
				   "unknown class '%s'; expected 'ability' or 'channel'",
				   tok_desc(p, &p->tok));
		else
			unexpected(p, "'ability' or 'channel'");
		return false;
	}
	return expect_semi(p, &st->loc, "';' to end the allow statement");
}

static bool parse_attach(struct parser *p, struct stmt *st)
{
	size_t cap = 0;
	struct path *slot;
	bool braces = false;

	if (!parse_names(p, &st->u.attach.subjects, "a type or '{'"))
		return false;
	if (p->tok.kind == T_LBRACE) {
		braces = true;
		next(p);
	}
	while (p->tok.kind == T_WORD && !(braces && is_statement_keyword(&p->tok))) {
		if (st->u.attach.npaths >= PARSE_MAX_LIST) {
			diag_error(p->diags, &p->tok.loc,
				   "more than %u paths in one list",
				   PARSE_MAX_LIST);
			return false;
		}
		slot = push(p, (void **)&st->u.attach.paths,
			    &st->u.attach.npaths, &cap, sizeof(*slot));
		if (!slot)
			return false;
		slot->s = p->tok.text;
		slot->len = p->tok.len;
		slot->loc = p->tok.loc;
		next(p);
		if (p->tok.kind == T_COLON) {
			diag_error(p->diags, &slot->loc,
				   "file-type prefixes such as '%s:' are not supported; write the path alone",
				   diag_quote(p->diags, slot->s, slot->len));
			return false;
		}
		if (!braces)
			break;
	}
	if (st->u.attach.npaths == 0) {
		unexpected(p, "a path");
		return false;
	}
	if (braces && !expect(p, T_RBRACE, "a path or '}'"))
		return false;
	if (p->tok.kind == T_WORD) {
		st->u.attach.newtype = take_name(p);
		if (st->kind == S_ALLOW_LINK) {
			diag_error(p->diags, &st->u.attach.newtype.loc,
				   "allow_link takes no channel type (links are not channels)");
			return false;
		}
	}
	return expect_semi(p, &st->loc,
			   st->kind == S_ALLOW_LINK ?
				   "';' to end the allow_link statement" :
				   "';' (or one channel type) after the paths");
}

static bool parse_type(struct parser *p, struct stmt *st)
{
	size_t cap = 0;
	struct name *slot;

	if (p->tok.kind != T_WORD) {
		unexpected(p, "a type name");
		return false;
	}
	st->u.type.name = take_name(p);
	if (!check_decl_name(p, &st->u.type.name, "type"))
		return false;
	while (p->tok.kind == T_COMMA) {
		next(p);
		if (p->tok.kind != T_WORD) {
			unexpected(p, "an attribute name after ','");
			return false;
		}
		slot = push(p, (void **)&st->u.type.attrs.v,
			    &st->u.type.attrs.n, &cap, sizeof(*slot));
		if (!slot)
			return false;
		*slot = take_name(p);
		if (st->u.type.attrs.n > PARSE_MAX_LIST) {
			diag_error(p->diags, &slot->loc,
				   "more than %u attributes", PARSE_MAX_LIST);
			return false;
		}
	}
	return expect_semi(p, &st->loc, "';' or ',' after the type name");
}

static bool parse_decl(struct parser *p, struct stmt *st, const char *what)
{
	if (p->tok.kind != T_WORD) {
		unexpected(p, what);
		return false;
	}
	st->u.decl = take_name(p);
	if (st->kind != S_ABILITY &&
	    !check_decl_name(p, &st->u.decl,
			     st->kind == S_RANGE ? "range" : "attribute"))
		return false;
	return expect_semi(p, &st->loc, "';'");
}

static bool parse_derive(struct parser *p, struct stmt *st)
{
	struct name *parts[3] = {&st->u.derive.type, &st->u.derive.name,
				 &st->u.derive.derived};
	static const char *const what[3] = {"the type to derive from",
					    "the name of the derivation",
					    "the derived type"};
	int i;

	for (i = 0; i < 3; i++) {
		if (p->tok.kind != T_WORD) {
			unexpected(p, what[i]);
			return false;
		}
		*parts[i] = take_name(p);
	}
	if (!check_decl_name(p, &st->u.derive.name, "derivation"))
		return false;
	return expect_semi(p, &st->loc, "';' to end derive_type");
}

static bool parse_learn(struct parser *p, struct stmt *st)
{
	if (!parse_names(p, &st->u.learn, "a type, an attribute or '{' after 'learn'"))
		return false;
	return expect_semi(p, &st->loc, "';' to end the learn statement");
}

/* An unknown kind of limit: name the known ones, and a close one. */
static void unknown_limit_kind(struct parser *p)
{
	struct suggester sg;
	char known[128] = "";
	size_t at = 0;
	unsigned k;

	suggester_init(&sg, p->tok.text, p->tok.len, true);
	for (k = 1; k <= SPB_L_LAST; k++) {
		const char *name = sp_limit_kind_name((enum sp_limit_kind)k);

		suggester_add(&sg, name);
		at += (size_t)snprintf(known + at, sizeof(known) - at, "%s%s",
				       k > 1 ? ", " : "", name);
		if (at >= sizeof(known))
			break;
	}
	if (suggester_best(&sg))
		diag_error(p->diags, &p->tok.loc,
			   "unknown kind of limit '%s'; did you mean '%s'? (the kinds are: %s)",
			   tok_desc(p, &p->tok), suggester_best(&sg), known);
	else
		diag_error(p->diags, &p->tok.loc,
			   "unknown kind of limit '%s' (the kinds are: %s)",
			   tok_desc(p, &p->tok), known);
}

static bool parse_limit_value(struct parser *p, struct stmt *st,
			      const char *kind, uint64_t max)
{
	const struct token *t = &p->tok;
	char what[64];
	uint64_t v;
	int r;

	if (t->kind != T_WORD) {
		snprintf(what, sizeof(what), "the number of %s", kind);
		unexpected(p, what);
		return false;
	}
	st->u.limit.value_loc = t->loc;
	/* decimal only: a count written 0200 means two hundred to a reader */
	r = strnum_u64n(t->text, t->len, 10, 0, max, &v);
	if (r == -ERANGE) {
		diag_error(p->diags, &t->loc,
			   "'%s' is more than %llu, the most %s the kernel allows",
			   tok_desc(p, t), (unsigned long long)max, kind);
		return false;
	}
	if (r < 0) {
		diag_error(p->diags, &t->loc,
			   "'%s' is not a number of %s (write a decimal number from 1 to %llu)",
			   tok_desc(p, t), kind, (unsigned long long)max);
		return false;
	}
	if (v == 0) {
		diag_error(p->diags, &t->loc,
			   "a limit of 0 %s would let no process of the type run; write 1 to %llu",
			   kind, (unsigned long long)max);
		return false;
	}
	st->u.limit.value = v;
	next(p);
	return true;
}

static bool parse_limit(struct parser *p, struct stmt *st)
{
	enum sp_limit_kind kind;

	if (!parse_names(p, &st->u.limit.subjects, "a type, an attribute or '{' after 'limit'"))
		return false;
	if (p->tok.kind != T_WORD) {
		unexpected(p, "the kind of limit (processes)");
		return false;
	}
	if (sp_limit_kind_lookup(p->tok.text, p->tok.len, &kind) < 0) {
		unknown_limit_kind(p);
		return false;
	}
	st->u.limit.kind = kind;
	next(p);
	if (!parse_limit_value(p, st, sp_limit_kind_name(kind),
			       sp_limit_kind_max(kind)))
		return false;
	return expect_semi(p, &st->loc, "';' to end the limit statement");
}

static bool is_statement_keyword(const struct token *t)
{
	size_t i;

	for (i = 0; statement_keywords[i]; i++)
		if (word_is(t, statement_keywords[i]))
			return true;
	return false;
}

static void bad_statement(struct parser *p)
{
	const char *best;

	if (p->tok.kind != T_WORD) {
		unexpected(p, "a statement");
		return;
	}
	if (word_is(&p->tok, "mount_point") || word_is(&p->tok, "class") ||
	    word_is(&p->tok, "default_spawn_type")) {
		diag_error(p->diags, &p->tok.loc,
			   "the QNX statement '%s' has no Linux meaning in secpol and is not supported",
			   tok_desc(p, &p->tok));
		return;
	}
	best = suggest(p->tok.text, p->tok.len, statement_keywords, true);
	if (best)
		diag_error(p->diags, &p->tok.loc,
			   "unknown statement '%s'; did you mean '%s'?",
			   tok_desc(p, &p->tok), best);
	else
		diag_error(p->diags, &p->tok.loc,
			   "expected a statement (type, attribute, ability, range, allow, allow_attach, allow_link, derive_type, learn or limit), found '%s'",
			   tok_desc(p, &p->tok));
}

static struct stmt *new_stmt(struct parser *p, struct policy_ast *ast,
			     size_t *cap, enum stmt_kind kind)
{
	struct stmt *st;

	if (p->nstmts >= PARSE_MAX_STMTS) {
		diag_error(p->diags, &p->tok.loc,
			   "more than %u statements", PARSE_MAX_STMTS);
		return NULL;
	}
	st = push(p, (void **)&ast->stmts, &ast->n, cap, sizeof(*st));
	if (!st)
		return NULL;
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->loc = p->tok.loc;
	p->nstmts++;
	next(p);
	return st;
}

int parse_policy(const struct source *srcs, size_t nsrcs, struct arena *arena,
		 struct diags *diags, struct policy_ast *ast)
{
	struct parser p = {.arena = arena, .diags = diags};
	size_t cap = 0;

	ast->stmts = NULL;
	ast->n = 0;
	lexer_init(&p.lx, srcs, nsrcs, diags);
	next(&p);
	while (p.tok.kind != T_EOF && !p.oom) {
		struct stmt *st = NULL;
		bool ok = false;
		size_t before = ast->n;
		struct loc start = p.tok.loc;

		if (word_is(&p.tok, "type")) {
			st = new_stmt(&p, ast, &cap, S_TYPE);
			ok = st && parse_type(&p, st);
		} else if (word_is(&p.tok, "attribute")) {
			st = new_stmt(&p, ast, &cap, S_ATTRIBUTE);
			ok = st && parse_decl(&p, st, "an attribute name");
		} else if (word_is(&p.tok, "ability")) {
			st = new_stmt(&p, ast, &cap, S_ABILITY);
			ok = st && parse_decl(&p, st, "an ability name");
		} else if (word_is(&p.tok, "range")) {
			st = new_stmt(&p, ast, &cap, S_RANGE);
			ok = st && parse_decl(&p, st, "a range name");
		} else if (word_is(&p.tok, "allow")) {
			st = new_stmt(&p, ast, &cap, S_ALLOW_ABILITY);
			ok = st && parse_allow(&p, st);
		} else if (word_is(&p.tok, "allow_attach")) {
			st = new_stmt(&p, ast, &cap, S_ALLOW_ATTACH);
			ok = st && parse_attach(&p, st);
		} else if (word_is(&p.tok, "allow_link")) {
			st = new_stmt(&p, ast, &cap, S_ALLOW_LINK);
			ok = st && parse_attach(&p, st);
		} else if (word_is(&p.tok, "derive_type")) {
			st = new_stmt(&p, ast, &cap, S_DERIVE);
			ok = st && parse_derive(&p, st);
		} else if (word_is(&p.tok, "learn")) {
			st = new_stmt(&p, ast, &cap, S_LEARN);
			ok = st && parse_learn(&p, st);
		} else if (word_is(&p.tok, "limit")) {
			st = new_stmt(&p, ast, &cap, S_LIMIT);
			ok = st && parse_limit(&p, st);
		} else {
			bad_statement(&p);
		}
		if (!st && p.nstmts >= PARSE_MAX_STMTS)
			break;
		if (!ok) {
			/* a broken statement is dropped, not half-used */
			ast->n = before;
			recover(&p, &start);
		}
	}
	if (p.oom || diags->oom)
		return -ENOMEM;
	return 0;
}
