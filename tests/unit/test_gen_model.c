// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: secpolgenerate's input side (src/gen): the line reader, the
 * JSON event parser and the aggregation model.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/capability.h>

#include "gen/jsonev.h"
#include "gen/lines.h"
#include "gen/model.h"
#include "policy/ability.h"

/* An ability event line as secpolmonitor --json writes it; extra is put
 * before the closing brace (starting with a comma). */
static char *ab_line(const char *type, const char *ability, const char *dom,
		     const char *result, const char *extra)
{
	char *s = NULL;

	assert_true(asprintf(&s,
			     "{\"v\":1,\"time\":\"2026-12-05T13:00:01.000137Z\",\"kind\":\"ability\","
			     "\"severity\":\"info\",\"result\":\"%s\",\"pid\":12,\"tid\":12,"
			     "\"start_time_ns\":5,\"name\":\"usr/sbin/app\",\"comm\":\"app\","
			     "\"uid\":0,\"euid\":0,\"gid\":0,\"egid\":0,\"type\":\"%s\",\"type_id\":1,"
			     "\"domain\":\"%s\",\"ability\":\"%s\",\"ability_id\":7,"
			     "\"noaudit\":false,\"own_credentials\":true,\"decided_by\":\"kernel\","
			     "\"age_ms\":5%s}",
			     result, type, dom, ability, extra ? extra : "") > 0);
	return s;
}

static char *path_line(const char *kind, const char *type, const char *path,
		       const char *result, const char *extra)
{
	char *s = NULL;

	assert_true(asprintf(&s,
			     "{\"v\":1,\"kind\":\"%s\",\"result\":\"%s\",\"pid\":3,\"name\":\"usr/bin/ln\","
			     "\"type\":\"%s\",\"type_id\":2,\"domain\":\"root\",\"path\":\"%s\","
			     "\"age_ms\":7%s}",
			     kind, result, type, path, extra ? extra : "") > 0);
	return s;
}

struct fx {
	struct gen_model m;
	struct gen_jparser *jp;
	char err[512];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	gen_model_init(&f->m);
	f->jp = gen_jparser_new();
	assert_non_null(f->jp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	gen_jparser_free(f->jp);
	gen_model_free(&f->m);
	free(f);
	return 0;
}

/* Parses and adds a line; returns what gen_model_add (or the parser)
 * returned.  Frees line. */
static int feed(struct fx *f, char *line)
{
	struct gen_event ev;
	int r;

	f->err[0] = '\0';
	r = gen_jparse(f->jp, line, strlen(line), &ev, f->err, sizeof(f->err));
	if (r == 0)
		r = gen_model_add(&f->m, &ev, f->err, sizeof(f->err));
	free(line);
	return r;
}

static int parse_only(struct fx *f, const char *line, struct gen_event *ev)
{
	f->err[0] = '\0';
	return gen_jparse(f->jp, line, strlen(line), ev, f->err, sizeof(f->err));
}

static const struct gen_type *type_named(const struct fx *f, const char *name)
{
	uint32_t t;

	if (!strmap_get(&f->m.type_idx, name, strlen(name), &t))
		return NULL;
	return &f->m.types[t];
}

/* ---- parser ------------------------------------------------------------ */

static void test_parse_fields(void **state)
{
	struct fx *f = *state;
	struct gen_event ev;
	char *l = ab_line("web_t", "NET_BIND_SERVICE", "non-root", "denied",
			  ",\"value\":[80,443],\"learning\":true,\"future\":{\"a\":[1,{\"b\":null}]}");

	assert_int_equal(parse_only(f, l, &ev), 0);
	assert_int_equal(ev.kind, GEN_EV_ABILITY);
	assert_false(ev.allowed);
	assert_false(ev.root);
	assert_true(ev.learning);
	assert_false(ev.noaudit);
	assert_false(ev.borrowed);
	assert_true(ev.has_value);
	assert_int_equal(ev.lo, 80);
	assert_int_equal(ev.hi, 443);
	assert_int_equal(ev.type_id, 1);
	assert_true(ev.has_age);
	assert_int_equal(ev.age_ms, 5);
	assert_int_equal(ev.type.len, 5);
	assert_memory_equal(ev.type.s, "web_t", 5);
	assert_memory_equal(ev.ability.s, "NET_BIND_SERVICE", 16);
	assert_memory_equal(ev.name.s, "usr/sbin/app", 12);
	assert_null(ev.path.s);
	free(l);

	/* a name of null is an unnamed process; values above 2^63 are kept */
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":null,"
				       "\"type\":\"t\",\"domain\":\"root\",\"ability\":\"x/y\","
				       "\"value\":[18446744073709551615,18446744073709551615],"
				       "\"own_credentials\":false}",
				    &ev),
			 0);
	assert_null(ev.name.s);
	assert_true(ev.borrowed);
	assert_true(ev.lo == UINT64_MAX && ev.hi == UINT64_MAX);
	assert_false(ev.has_age);
	assert_int_equal(ev.type_id, UINT32_MAX);

	/* white space only: nothing to do, no error */
	assert_int_equal(parse_only(f, "  \t", &ev), 1);
	assert_int_equal(parse_only(f, "", &ev), 1);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{"{\"v\":1,\"kind\":\"gap\"", "invalid JSON: the object is not complete"},
		{"{\"v\":2,\"kind\":\"gap\"}", "unknown event version 2"},
		{"{\"v\":1.5,\"kind\":\"gap\"}", "unknown event version 1.5"},
		{"{\"kind\":\"gap\"}", "no event version (\"v\")"},
		{"{\"v\":1}", "no event kind (\"kind\")"},
		{"[1,2]", "not a JSON object"},
		{"\"text\"", "not a JSON object"},
		{"17", "not a JSON object"},
		{"{\"v\":1,\"kind\":\"gap\"}{\"v\":1,\"kind\":\"gap\"}",
		 "more than one JSON value on the line"},
		{"{\"v\":1,\"kind\":5}", "\"kind\" must be a string"},
		{"{\"v\":1,\"kind\":\"ability\",\"type\":{\"x\":1}}", "\"type\" must be a string"},
		{"{\"v\":1,\"kind\":\"ability\",\"noaudit\":\"no\"}", "\"noaudit\" must be true or false"},
		{"{\"v\":1,\"kind\":\"ability\",\"value\":[1]}",
		 "\"value\" must be an array of two numbers [lo, hi] with lo <= hi"},
		{"{\"v\":1,\"kind\":\"ability\",\"value\":[9,2]}",
		 "\"value\" must be an array of two numbers [lo, hi] with lo <= hi"},
		{"{\"v\":1,\"kind\":\"ability\",\"value\":[1,\"2\"]}",
		 "\"value\" must be an array of two numbers [lo, hi]"},
		{"{\"v\":1,\"kind\":\"ability\",\"value\":[-1,2]}",
		 "\"value\" must be an array of two numbers [lo, hi]"},
		{"{\"v\":1,\"kind\":\"ability\",\"age_ms\":-4}", "\"age_ms\" must be an unsigned integer"},
		{"{\"v\":1,\"kind\":\"ability\",\"result\":\"maybe\",\"domain\":\"root\",\"type\":\"t\",\"ability\":\"IO\"}",
		 "\"result\" must be \"allowed\" or \"denied\""},
		{"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"domain\":\"user\",\"type\":\"t\",\"ability\":\"IO\"}",
		 "\"domain\" must be \"root\" or \"non-root\""},
		{"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"domain\":\"root\",\"ability\":\"IO\"}",
		 "no \"type\""},
		{"{\"v\":1,\"kind\":\"attach\",\"result\":\"allowed\",\"domain\":\"root\",\"type\":\"t\"}",
		 "no \"path\""},
		{"{\"v\":1,\"kind\":\"lost\"}", "no \"lost\" count"},
		{"{\"v\":1,\"kind\":\"gap\",}", "invalid JSON: "},
	};
	struct fx *f = *state;
	struct gen_event ev;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = parse_only(f, cases[i].line, &ev);

		if (r != -EINVAL || strncmp(f->err, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("line %s: got %d '%s', expected '%s'", cases[i].line, r,
				 f->err, cases[i].msg);
		/* the parser recovers: the next good line parses */
		assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"gap\"}", &ev), 0);
		assert_int_equal(ev.kind, GEN_EV_GAP);
	}
	/* an error message never holds raw control bytes */
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"gap\"\x01}", &ev), -EINVAL);
	for (i = 0; f->err[i]; i++)
		assert_true((unsigned char)f->err[i] >= 0x20);
}

static void test_parse_kinds(void **state)
{
	struct fx *f = *state;
	struct gen_event ev;

	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"lost\",\"lost\":12}", &ev), 0);
	assert_int_equal(ev.kind, GEN_EV_LOST);
	assert_int_equal(ev.lost, 12);
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"new_type\",\"type\":\"tmp_t\",\"type_id\":9}", &ev), 0);
	assert_int_equal(ev.kind, GEN_EV_NEWTYPE);
	assert_int_equal(ev.type_id, 9);
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"signal\",\"whatever\":[]}", &ev), 0);
	assert_int_equal(ev.kind, GEN_EV_OTHER);
	assert_int_equal(ev.kind_name.len, 6);
}

/* What newer monitors write: gap lines in begin/end pairs, "path" on
 * PATHSPACE ability events, no "comm" when the kernel gave none, no
 * "errno" on a use that was allowed. */
static void test_newer_lines(void **state)
{
	struct fx *f = *state;
	struct gen_event ev;

	assert_int_equal(parse_only(f, "{\"v\":1,\"time\":\"2026-12-05T14:00:01.000000Z\",\"kind\":\"gap\","
				       "\"severity\":\"warning\",\"phase\":\"begin\",\"message\":\"secpold stopped\"}",
				    &ev),
			 0);
	assert_int_equal(ev.kind, GEN_EV_GAP);
	assert_true(ev.gap_begin);
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"gap\",\"phase\":\"end\",\"since\":\"x\",\"gap_ms\":500}",
				    &ev),
			 0);
	assert_false(ev.gap_begin);
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"gap\",\"phase\":1}", &ev), -EINVAL);
	assert_string_equal(f->err, "\"phase\" must be a string");

	/* a pair is one gap; a line without a phase (older monitors) too */
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"gap\",\"phase\":\"begin\"}")), GEN_ADD_IGNORED);
	assert_int_equal(f->m.gaps, 0);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"gap\",\"phase\":\"end\",\"gap_ms\":3}")), GEN_ADD_IGNORED);
	assert_int_equal(f->m.gaps, 1);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"gap\"}")), GEN_ADD_IGNORED);
	assert_int_equal(f->m.gaps, 2);
	assert_int_equal(f->m.events, 3);

	/* no comm, no errno, a path on a PATHSPACE check: taken as usual */
	assert_int_equal(parse_only(f, "{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"pid\":4,"
				       "\"name\":\"usr/bin/ln\",\"type\":\"ln_t\",\"domain\":\"root\","
				       "\"ability\":\"PATHSPACE\",\"ability_id\":64,\"noaudit\":false,"
				       "\"own_credentials\":true,\"path\":\"/srv/out\",\"age_ms\":2}",
				    &ev),
			 0);
	assert_int_equal(ev.kind, GEN_EV_ABILITY);
	assert_int_equal(ev.path.len, 8);
	assert_memory_equal(ev.path.s, "/srv/out", 8);
	assert_int_equal(gen_model_add(&f->m, &ev, f->err, sizeof(f->err)), GEN_ADD_USED);
	assert_non_null(gen_type_ability(type_named(f, "ln_t"), AB_PATHSPACE));
	/* the path of a PATHSPACE check is no attach or link rule */
	assert_int_equal(type_named(f, "ln_t")->npaths[GEN_ATTACH] + type_named(f, "ln_t")->npaths[GEN_LINK], 0);
	assert_int_equal(feed(f, path_line("link", "ln_t", "/srv/out", "denied",
					   ",\"reason\":\"no rule\",\"errno\":\"EACCES\"")),
			 GEN_ADD_USED);
	assert_int_equal(type_named(f, "ln_t")->npaths[GEN_LINK], 1);
}

/* ---- model ------------------------------------------------------------- */

static void test_values_merge(void **state)
{
	struct fx *f = *state;
	const struct gen_ability *a;
	const struct gen_type *t;

	assert_int_equal(feed(f, ab_line("web_t", "SETUID", "root", "allowed", ",\"value\":[33,33]")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, ab_line("web_t", "SETUID", "root", "allowed", ",\"value\":[1000,1001]")),
			 GEN_ADD_USED);
	/* adjacent to 33: merged */
	assert_int_equal(feed(f, ab_line("web_t", "SETUID", "root", "denied", ",\"value\":[34,34]")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, ab_line("web_t", "SETUID", "root", "allowed", ",\"value\":[33,33]")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, ab_line("web_t", "setuid", "non-root", "allowed", ",\"value\":[5,5]")),
			 GEN_ADD_USED);
	t = type_named(f, "web_t");
	assert_non_null(t);
	assert_true(t->subject);
	assert_int_equal(t->seen_id, 1);
	a = gen_type_ability(t, CAP_SETUID);
	assert_non_null(a);
	assert_int_equal(a->used, 3);
	assert_int_equal(a->valueless, 0);
	assert_int_equal(a->vals[GEN_ROOT].n, 2);
	assert_int_equal(a->vals[GEN_ROOT].r[0].lo, 33);
	assert_int_equal(a->vals[GEN_ROOT].r[0].hi, 34);
	assert_int_equal(a->vals[GEN_ROOT].r[1].lo, 1000);
	assert_int_equal(a->vals[GEN_ROOT].r[1].hi, 1001);
	assert_int_equal(a->vals[GEN_NONROOT].n, 1);
	assert_int_equal(a->vals[GEN_NONROOT].r[0].lo, 5);
	assert_int_equal(f->m.used, 5);

	/* without a value: recorded as such */
	assert_int_equal(feed(f, ab_line("web_t", "SYS_NICE", "root", "allowed", NULL)), GEN_ADD_USED);
	a = gen_type_ability(type_named(f, "web_t"), CAP_SYS_NICE);
	assert_non_null(a);
	assert_int_equal(a->valueless, 1 << GEN_ROOT);
	assert_int_equal(a->vals[GEN_ROOT].n, 0);
	/* a value on an ability that takes none is no subrange */
	assert_int_equal(feed(f, ab_line("web_t", "SYS_ADMIN", "root", "allowed", ",\"value\":[1,1]")),
			 GEN_ADD_USED);
	a = gen_type_ability(type_named(f, "web_t"), CAP_SYS_ADMIN);
	assert_int_equal(a->valueless, 1);
	assert_int_equal(a->vals[0].n, 0);
}

static void test_ignored(void **state)
{
	struct fx *f = *state;

	assert_int_equal(feed(f, ab_line("app_t", "SYS_ADMIN", "root", "denied", ",\"noaudit\":true")),
			 GEN_ADD_IGNORED);
	assert_int_equal(feed(f, ab_line("app_t", "DAC_OVERRIDE", "root", "allowed",
					 ",\"own_credentials\":false")),
			 GEN_ADD_IGNORED);
	assert_int_equal(feed(f, ab_line("default", "SETPCAP", "root", "allowed", NULL)),
			 GEN_ADD_IGNORED);
	/* every type has public_channel */
	assert_int_equal(feed(f, ab_line("app_t", "PUBLIC_CHANNEL", "root", "allowed", NULL)),
			 GEN_ADD_IGNORED);
	/* refusals that no rule would fix */
	assert_int_equal(feed(f, path_line("attach", "app_t", "/run/x", "denied", ",\"reason\":\"conflict\"")),
			 GEN_ADD_IGNORED);
	assert_int_equal(feed(f, path_line("link", "app_t", "/run/y", "denied", ",\"reason\":\"bad op\"")),
			 GEN_ADD_IGNORED);
	assert_int_equal(f->m.refused_other, 2);
	assert_int_equal(f->m.ignored, 6);
	assert_int_equal(f->m.used, 0);
	assert_false(type_named(f, "app_t")->subject);
	assert_int_equal(type_named(f, "app_t")->nab, 0);

	/* type default when asked for */
	f->m.include_default = true;
	assert_int_equal(feed(f, ab_line("default", "SETPCAP", "root", "allowed", NULL)), GEN_ADD_USED);
	assert_non_null(gen_type_ability(type_named(f, "default"), CAP_SETPCAP));
}

static void test_connect_settypeid(void **state)
{
	struct fx *f = *state;
	const struct gen_type *t;
	const struct gen_ability *a;
	uint32_t user;

	assert_int_equal(feed(f, ab_line("cli_t", "CHANNEL_CONNECT", "non-root", "denied",
					 ",\"value\":[1,1],\"value_type\":\"fs_t\",\"value_type_id\":1")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, ab_line("cli_t", "CHANNEL_CONNECT", "root", "allowed",
					 ",\"value\":[1,1],\"value_type\":\"fs_t\",\"value_type_id\":1")),
			 GEN_ADD_USED);
	/* type default's channels are free */
	assert_int_equal(feed(f, ab_line("cli_t", "CHANNEL_CONNECT", "root", "allowed",
					 ",\"value\":[0,0],\"value_type\":\"default\"")),
			 GEN_ADD_IGNORED);
	t = type_named(f, "cli_t");
	assert_int_equal(t->nconn, 1);
	assert_string_equal(f->m.types[t->conn[0].target].name, "fs_t");
	assert_int_equal(t->conn[0].used, 3);
	assert_int_equal(type_named(f, "fs_t")->seen_id, 1);
	assert_false(type_named(f, "fs_t")->subject);

	assert_int_equal(feed(f, ab_line("sshd_t", "SETTYPEID", "root", "allowed",
					 ",\"value\":[6,6],\"value_type\":\"user_t\"")),
			 GEN_ADD_USED);
	assert_true(strmap_get(&f->m.type_idx, "user_t", 6, &user));
	a = gen_type_ability(type_named(f, "sshd_t"), AB_SETTYPEID);
	assert_non_null(a);
	assert_int_equal(a->vals[GEN_ROOT].n, 1);
	assert_int_equal(a->vals[GEN_ROOT].r[0].lo, user);

	/* a type-valued check needs its type's name */
	assert_int_equal(feed(f, ab_line("sshd_t", "SETTYPEID", "root", "allowed", ",\"value\":[6,6]")),
			 -EINVAL);
	assert_string_equal(f->err, "SETTYPEID without one \"value\" and its \"value_type\"");
}

static void test_paths(void **state)
{
	struct fx *f = *state;
	const struct gen_type *t;
	const struct gen_path *p;

	assert_int_equal(feed(f, path_line("attach", "srv_t", "/run/srv/a\\\\040b", "allowed",
					   ",\"channel_type\":\"pub_t\"")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, path_line("attach", "srv_t", "/run/srv/a\\\\040b", "denied",
					   ",\"reason\":\"no rule\"")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, path_line("attach", "srv_t", "/run/srv/own", "allowed",
					   ",\"channel_type\":\"srv_t\"")),
			 GEN_ADD_USED);
	assert_int_equal(feed(f, path_line("link", "srv_t", "@abs\\\\000x", "allowed", NULL)),
			 GEN_ADD_USED);
	t = type_named(f, "srv_t");
	assert_int_equal(t->npaths[GEN_ATTACH], 2);
	p = &t->paths[GEN_ATTACH][0];
	/* the escaped form is turned back into bytes */
	assert_int_equal(p->len, 12);
	assert_memory_equal(p->path, "/run/srv/a b", 12);
	assert_string_equal(f->m.types[p->chan_type].name, "pub_t");
	/* seen once without the relabel */
	assert_true(p->chan_conflict);
	/* the subject's own type is no relabel */
	assert_int_equal(t->paths[GEN_ATTACH][1].chan_type, GEN_NO_TYPE);
	assert_int_equal(t->npaths[GEN_LINK], 1);
	assert_int_equal(t->paths[GEN_LINK][0].len, 6);
	assert_memory_equal(t->paths[GEN_LINK][0].path, "@abs\0x", 6);

	assert_int_equal(feed(f, path_line("link", "srv_t", "relative/x", "allowed", NULL)), -EINVAL);
	assert_string_equal(f->err, "path 'relative/x' is neither absolute nor an abstract name");
	assert_int_equal(feed(f, path_line("link", "srv_t", "/x\\\\9", "allowed", NULL)), -EINVAL);
	assert_string_equal(f->err, "path '/x\\\\9' has a malformed escape");
}

static void test_bad_names(void **state)
{
	struct fx *f = *state;

	assert_int_equal(feed(f, ab_line("fs-user_t", "IO", "root", "allowed", NULL)), -EINVAL);
	assert_string_equal(f->err, "type name 'fs-user_t' cannot be written in a policy");
	assert_int_equal(feed(f, ab_line("self", "IO", "root", "allowed", NULL)), -EINVAL);
	assert_int_equal(feed(f, ab_line("7", "IO", "root", "allowed", NULL)), -EINVAL);
	assert_int_equal(feed(f, ab_line("t", "PATHSPCE", "root", "allowed", NULL)), -EINVAL);
	assert_string_equal(f->err, "unknown ability 'PATHSPCE'");
	assert_int_equal(feed(f, ab_line("t", "NET_BIND_SERVICE", "root", "allowed", ",\"value\":[70000,70000]")),
			 -EINVAL);
	assert_string_equal(f->err, "value 70000 of NET_BIND_SERVICE is out of its range (0 to 65535)");
	/* QNX aliases and custom abilities are names too */
	assert_int_equal(feed(f, ab_line("t", "io", "root", "allowed", NULL)), GEN_ADD_USED);
	assert_non_null(gen_type_ability(type_named(f, "t"), CAP_SYS_RAWIO));
	assert_int_equal(feed(f, ab_line("t", "Vendor/Thing", "root", "allowed", ",\"value\":[3,3]")),
			 GEN_ADD_USED);
	assert_int_equal(f->m.ncustoms, 1);
	assert_string_equal(f->m.customs[0], "vendor/thing");
	assert_non_null(gen_type_ability(type_named(f, "t"), AB_CUSTOM_BASE));
}

static void test_kinds_and_counters(void **state)
{
	struct fx *f = *state;

	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"signal\"}")), GEN_ADD_NEW_KIND);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"signal\"}")), GEN_ADD_IGNORED);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"net\"}")), GEN_ADD_NEW_KIND);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"lost\",\"lost\":4}")), GEN_ADD_IGNORED);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"lost\",\"lost\":6}")), GEN_ADD_IGNORED);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"gap\"}")), GEN_ADD_IGNORED);
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"new_type\",\"type\":\"tmp_t\",\"type_id\":4}")),
			 GEN_ADD_USED);
	assert_int_equal(f->m.lost, 10);
	assert_int_equal(f->m.gaps, 1);
	assert_int_equal(f->m.events, 7);
	assert_true(type_named(f, "tmp_t")->new_type);
	assert_int_equal(type_named(f, "tmp_t")->seen_id, 4);
}

static void test_provenance(void **state)
{
	struct fx *f = *state;
	const struct gen_ability *a;
	char *l, name[32];
	int i;

	f->m.late_ms = 1000;
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "bin/p%02d", i);
		assert_true(asprintf(&l,
				     "{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"%s\","
				     "\"type\":\"t\",\"domain\":\"root\",\"ability\":\"KILL\",\"age_ms\":%d}",
				     name, i < 10 ? 5 : 5000) > 0);
		assert_int_equal(feed(f, l), GEN_ADD_USED);
		/* the same program again changes nothing */
		assert_true(asprintf(&l,
				     "{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"bin/p00\","
				     "\"type\":\"t\",\"domain\":\"root\",\"ability\":\"KILL\",\"age_ms\":1}") > 0);
		assert_int_equal(feed(f, l), GEN_ADD_USED);
	}
	a = gen_type_ability(type_named(f, "t"), CAP_KILL);
	assert_int_equal(a->prov[GEN_ROOT].nnames, GEN_NAMES_KEEP);
	assert_true(a->prov[GEN_ROOT].more);
	assert_int_equal(a->prov[GEN_ROOT].when, GEN_WHEN_START | GEN_WHEN_LATER);
	assert_string_equal(f->m.names[a->prov[GEN_ROOT].names[0]], "bin/p00");
	assert_int_equal(f->m.nnames, 20);
	assert_int_equal(a->prov[GEN_NONROOT].nnames, 0);

	/* an unnamed process */
	assert_int_equal(feed(f, strdup("{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":null,"
					"\"type\":\"u\",\"domain\":\"root\",\"ability\":\"KILL\"}")),
			 GEN_ADD_USED);
	a = gen_type_ability(type_named(f, "u"), CAP_KILL);
	assert_string_equal(f->m.names[a->prov[0].names[0]], "(unnamed)");
	assert_int_equal(a->prov[0].when, 0);
}

/* Many events about the same needs: the model does not grow. */
static void test_flat_memory(void **state)
{
	struct fx *f = *state;
	size_t before_arena, i;
	const struct gen_type *t;

	for (i = 0; i < 2; i++) {
		assert_int_equal(feed(f, ab_line("web_t", "SETUID", "root", "allowed", ",\"value\":[33,33]")),
				 GEN_ADD_USED);
		assert_int_equal(feed(f, path_line("attach", "web_t", "/run/w.sock", "allowed", NULL)),
				 GEN_ADD_USED);
	}
	before_arena = f->m.arena.used_total;
	for (i = 0; i < 50000; i++) {
		char *l = i % 2 ? ab_line("web_t", "SETUID", "root", "allowed", ",\"value\":[33,33]") :
				  path_line("attach", "web_t", "/run/w.sock", "allowed", NULL);

		assert_int_equal(feed(f, l), GEN_ADD_USED);
	}
	t = type_named(f, "web_t");
	assert_int_equal(f->m.arena.used_total, before_arena);
	assert_int_equal(f->m.ntypes, 1);
	assert_int_equal(f->m.nnames, 2);
	assert_int_equal(t->nab, 1);
	assert_int_equal(t->ab[0].vals[0].n, 1);
	assert_int_equal(t->npaths[GEN_ATTACH], 1);
	assert_int_equal(f->m.events, 50004);
}

static void test_unvis(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	assert_int_equal(gen_unvis("a\\\\b\\n\\t\\r\\040\\377", 18, out, &n), 0);
	assert_int_equal(n, 8);
	assert_memory_equal(out, "a\\b\n\t\r \377", 8);
	assert_int_equal(gen_unvis("x\\", 2, out, &n), -EINVAL);
	assert_int_equal(gen_unvis("x\\4001", 6, out, &n), -EINVAL);
	assert_int_equal(gen_unvis("x\\08", 4, out, &n), -EINVAL);
	assert_int_equal(gen_unvis("\\q", 2, out, &n), -EINVAL);
}

/* ---- line reader ------------------------------------------------------- */

static void test_lines(void **state)
{
	const char *line;
	struct gen_lines l;
	char big[300];
	size_t len;
	int fds[2];

	(void)state;
	memset(big, 'x', sizeof(big));
	assert_int_equal(pipe(fds), 0);
	assert_true(write(fds[1], "one\r\ntwo\n", 9) == 9);
	assert_true(write(fds[1], big, sizeof(big)) == sizeof(big));
	assert_true(write(fds[1], "\n\nlast", 6) == 6);
	close(fds[1]);
	assert_int_equal(gen_lines_init(&l, fds[0], 100), 0);
	assert_int_equal(gen_lines_next(&l, &line, &len), 1);
	assert_int_equal(len, 3);
	assert_memory_equal(line, "one", 3);
	assert_int_equal(gen_lines_next(&l, &line, &len), 1);
	assert_memory_equal(line, "two", 3);
	assert_int_equal(l.lineno, 2);
	/* longer than the limit: reported once, with its number */
	assert_int_equal(gen_lines_next(&l, &line, &len), -E2BIG);
	assert_int_equal(l.lineno, 3);
	assert_int_equal(gen_lines_next(&l, &line, &len), 1);
	assert_int_equal(len, 0);
	assert_int_equal(l.lineno, 4);
	/* a last line without a newline */
	assert_int_equal(gen_lines_next(&l, &line, &len), 1);
	assert_int_equal(len, 4);
	assert_memory_equal(line, "last", 4);
	assert_int_equal(l.lineno, 5);
	assert_int_equal(gen_lines_next(&l, &line, &len), 0);
	gen_lines_free(&l);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connect_settypeid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds_and_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_provenance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flat_memory, setup, teardown),
		cmocka_unit_test(test_unvis),
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
