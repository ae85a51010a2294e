// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: secpolgenerate's output side (src/gen): paths as policy
 * words, the policy writer (checked by compiling what it writes and
 * querying the binary policy), the gain_priv table, the base policy and
 * the Graphviz graph.
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

#include "common/strbuf.h"
#include "common/version.h"
#include "gen/base.h"
#include "gen/dot.h"
#include "gen/gain.h"
#include "gen/jsonev.h"
#include "gen/model.h"
#include "gen/pathtext.h"
#include "gen/writer.h"
#include "lang/compile.h"
#include "policy/ability.h"
#include "policy/policy.h"

struct fx {
	struct gen_model m;
	struct gen_jparser *jp;
	struct strbuf out, notes;
	struct sp_policy *p;
	char dir[64];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	gen_model_init(&f->m);
	f->jp = gen_jparser_new();
	assert_non_null(f->jp);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_gen_writer.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	gen_jparser_free(f->jp);
	gen_model_free(&f->m);
	sb_free(&f->out);
	sb_free(&f->notes);
	sp_policy_free(f->p);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Adds one event line; fails the test on any error. */
static void add(struct fx *f, const char *fmt, ...) ATTR_PRINTF(2, 3);

static void add(struct fx *f, const char *fmt, ...)
{
	struct gen_event ev;
	char *line, err[256];
	va_list ap;
	int r;

	va_start(ap, fmt);
	assert_true(vasprintf(&line, fmt, ap) > 0);
	va_end(ap);
	r = gen_jparse(f->jp, line, strlen(line), &ev, err, sizeof(err));
	if (r == 0)
		r = gen_model_add(&f->m, &ev, err, sizeof(err));
	if (r < 0)
		fail_msg("%s: %s", line, err);
	free(line);
}

/* An ability event: TYPE DOMAIN ABILITY, extra JSON members (or ""). */
#define AB(f, name, type, dom, ability, extra)                                 \
	add(f,                                                                 \
	    "{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"" \
	    name "\",\"type\":\"" type "\",\"domain\":\"" dom                  \
	    "\",\"ability\":\"" ability "\",\"age_ms\":5" extra "}")
#define PATH(f, kind, name, type, path, extra)                                 \
	add(f,                                                                 \
	    "{\"v\":1,\"kind\":\"" kind "\",\"result\":\"allowed\",\"name\":\"" \
	    name "\",\"type\":\"" type "\",\"domain\":\"root\",\"path\":\""    \
	    path "\",\"age_ms\":20000" extra "}")

static void write_policy(struct fx *f, const struct gen_write_opts *o)
{
	struct gen_write_opts none = {.inputs = "a test"};

	sb_reset(&f->out);
	sb_reset(&f->notes);
	assert_int_equal(gen_write_policy(&f->m, o ? o : &none, &f->out,
					  &f->notes),
			 0);
}

/* Compiles text; returns the loaded policy or NULL (errors printed unless
 * quiet). */
static struct sp_policy *compile_text_q(const char *text, unsigned *warnings,
					bool quiet)
{
	struct compile_opts co = {.mutable_ = true};
	struct source src = {"gen.sp", text, strlen(text)};
	struct sp_policy *p = NULL;
	struct diags d;
	void *bin = NULL;
	size_t len = 0;
	char err[256];

	diags_init(&d, &src, 1);
	if (compile_policy(&src, 1, &co, &d, &bin, &len) == 0)
		assert_int_equal(sp_policy_load(bin, len, &p, err, sizeof(err)), 0);
	else if (!quiet)
		diags_print(&d, stderr);
	if (warnings)
		*warnings = d.warnings;
	diags_free(&d);
	free(bin);
	return p;
}

static struct sp_policy *compile_text(const char *text, unsigned *warnings)
{
	return compile_text_q(text, warnings, false);
}

static uint32_t tid(const struct sp_policy *p, const char *name)
{
	uint32_t t;

	assert_int_equal(sp_policy_type_lookup(p, name, &t), 0);
	return t;
}

/* ---- paths as words ------------------------------------------------------ */

static void test_path_word(void **state)
{
	static const struct {
		const char *raw;
		size_t len;
		const char *word, *why;
	} cases[] = {
		{"/run/app.sock", 13, "/run/app.sock", NULL},
		{"@app-ctl", 8, "@app-ctl", NULL},
		{"/srv/caf\xc3\xa9", 10, "/srv/caf\xc3\xa9", NULL},
		{"/tmp/a*b?c[d]", 13, "/tmp/a[*]b[?]c[[]d]", NULL},
		{"/tmp/back\\slash", 15, "/tmp/back\\slash", NULL},
		{"/tmp/back\\*", 11, "/tmp/back\\\\[*]", NULL},
		{"@x*", 3, "@x[*]", NULL},
		{"/tmp/a b", 8, NULL, "contains white space"},
		{"/tmp/a\tb", 8, NULL, "contains white space"},
		{"/tmp/a\x01", 7, NULL, "contains a control byte"},
		{"/tmp/a:b", 8, NULL, "contains a byte the policy language reserves"},
		{"/tmp/a#b", 8, NULL, "contains a byte the policy language reserves"},
		{"/tmp/a{", 7, NULL, "contains a byte the policy language reserves"},
		{"/tmp/\xff", 6, NULL, "is not valid UTF-8"},
		{"/tmp/\xe2\x80\xae", 8, NULL, "contains an invisible or control character"},
		{"@a\0b", 4, NULL, "contains a NUL byte"},
		{"/tmp/...", 8, NULL, "ends in \"/...\""},
		{"/tmp/.../x", 10, NULL, "\"...\" is only allowed"},
		{"/tmp//x", 7, NULL, "contains \"//\""},
		{"rel", 3, NULL, "is neither absolute"},
	};
	struct strbuf sb = STRBUF_INIT;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		sb_reset(&sb);
		sb_puts(&sb, "x "); /* appended after what is there */
		r = gen_path_word(cases[i].raw, cases[i].len, &sb, &why);
		if (cases[i].word) {
			if (r != 0)
				fail_msg("%s: refused: %s", cases[i].raw, why);
			assert_string_equal(sb_str(&sb) + 2, cases[i].word);
		} else {
			assert_int_equal(r, -EINVAL);
			assert_string_equal(sb_str(&sb), "x ");
			if (strncmp(why, cases[i].why, strlen(cases[i].why)) != 0)
				fail_msg("%s: why '%s', expected '%s'", cases[i].raw,
					 why, cases[i].why);
		}
	}
	sb_free(&sb);
}

static void test_dir_word(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *why;

	(void)state;
	assert_int_equal(gen_path_dir_word("/run/app/a.sock", 15, &sb, &why), 0);
	assert_string_equal(sb_str(&sb), "/run/app/*");
	sb_reset(&sb);
	assert_int_equal(gen_path_dir_word("/run/a*p/x", 10, &sb, &why), 0);
	assert_string_equal(sb_str(&sb), "/run/a[*]p/*");
	sb_reset(&sb);
	/* never everything in / */
	assert_int_equal(gen_path_dir_word("/x.sock", 7, &sb, &why), -EINVAL);
	assert_string_equal(why, "is directly in /, which is never generalised");
	assert_int_equal(gen_path_dir_word("@abs", 4, &sb, &why), -EINVAL);
	assert_int_equal(gen_path_dir_word("/a b/x", 6, &sb, &why), -EINVAL);
	assert_int_equal(sb.len, 0);
	assert_int_equal(gen_path_dirlen("/a/b/c", 6), 4);
	assert_int_equal(gen_path_dirlen("/a", 2), 1);
	assert_int_equal(gen_path_dirlen("@a/b", 4), 0);
	sb_free(&sb);
}

/* ---- the writer ---------------------------------------------------------- */

static void test_golden(void **state)
{
	struct fx *f = *state;

	AB(f, "usr/sbin/nginx", "web_t", "root", "NET_BIND_SERVICE", ",\"value\":[443,443],\"type_id\":2");
	AB(f, "usr/sbin/nginx", "web_t", "root", "NET_BIND_SERVICE", ",\"value\":[80,80]");
	AB(f, "usr/sbin/nginx", "web_t", "root", "SETUID", ",\"value\":[33,33]");
	AB(f, "usr/sbin/nginx", "web_t", "non-root", "SYS_NICE", "");
	AB(f, "usr/bin/cli", "cli_t", "non-root", "CHANNEL_CONNECT",
	   ",\"value\":[2,2],\"value_type\":\"web_t\",\"type_id\":1");
	PATH(f, "attach", "usr/sbin/nginx", "web_t", "/run/web/ctl.sock", "");
	PATH(f, "link", "usr/bin/cli", "cli_t", "/tmp/cli.lnk", "");
	write_policy(f, NULL);
	assert_string_equal(sb_str(&f->out),
			    "# Generated by secpolgenerate " SECPOL_VERSION " from a test:\n"
			    "# 7 events, 7 of them about what a type needs.\n"
			    "# It allows what the observed programs did; review it before enforcing.\n"
			    "\n"
			    "type cli_t;\n"
			    "type web_t;\n"
			    "\n"
			    "# cli_t\n"
			    "allow cli_t web_t:channel connect;  # usr/bin/cli (start-up)\n"
			    "allow_link cli_t /tmp/cli.lnk;  # usr/bin/cli (later)\n"
			    "\n"
			    "# web_t\n"
			    "allow web_t self:ability {\n"
			    "\tsetuid:33  # usr/sbin/nginx (start-up)\n"
			    "\tnet_bind_service:80,443  # usr/sbin/nginx (start-up)\n"
			    "};\n"
			    "allow web_t self:ability {\n"
			    "\tnonroot  # the items below apply as root and as non-root\n"
			    "\tsys_nice  # usr/sbin/nginx (start-up)\n"
			    "};\n"
			    "allow_attach web_t /run/web/ctl.sock;  # usr/sbin/nginx (later)\n");
	assert_string_equal(sb_str(&f->notes), "");
}

static void test_compiles_to_what_was_seen(void **state)
{
	struct fx *f = *state;
	uint32_t web, cli, srv, pub, ct;
	struct sp_grant_view g;
	unsigned warnings;

	/* root uses 33 and 80; non-root uses 1000 and a check without value */
	AB(f, "a", "web_t", "root", "SETUID", ",\"value\":[33,33]");
	AB(f, "a", "web_t", "non-root", "SETUID", ",\"value\":[1000,1000]");
	AB(f, "a", "web_t", "root", "NET_BIND_SERVICE", ",\"value\":[80,80]");
	AB(f, "a", "web_t", "non-root", "NET_BIND_SERVICE", "");
	AB(f, "a", "web_t", "root", "IO", "");
	AB(f, "b", "cli_t", "root", "CHANNEL_CONNECT", ",\"value\":[1,1],\"value_type\":\"web_t\"");
	PATH(f, "attach", "s", "srv_t", "/run/srv/pub.sock", ",\"channel_type\":\"pub_t\"");
	PATH(f, "attach", "s", "srv_t", "@srv", "");
	PATH(f, "link", "s", "srv_t", "/tmp/l*nk", "");
	AB(f, "s", "srv_t", "root", "PATHSPACE", "");
	write_policy(f, NULL);
	f->p = compile_text(sb_str(&f->out), &warnings);
	assert_non_null(f->p);
	assert_int_equal(warnings, 0);
	web = tid(f->p, "web_t");
	cli = tid(f->p, "cli_t");
	srv = tid(f->p, "srv_t");
	pub = tid(f->p, "pub_t");
	/* setuid: 33 as root only, 1000 in both domains */
	assert_int_equal(sp_policy_check(f->p, web, SP_ROOT, CAP_SETUID, 33, 33), SP_ALLOW);
	assert_int_equal(sp_policy_check(f->p, web, SP_ROOT, CAP_SETUID, 1000, 1000), SP_ALLOW);
	assert_int_equal(sp_policy_check(f->p, web, SP_NONROOT, CAP_SETUID, 1000, 1000), SP_ALLOW);
	assert_int_equal(sp_policy_check(f->p, web, SP_NONROOT, CAP_SETUID, 33, 33), SP_DENY_RANGE);
	assert_int_equal(sp_policy_check(f->p, web, SP_ROOT, CAP_SETUID, 0, 0), SP_DENY_RANGE);
	/* a non-root check without a value: the values seen, in that domain */
	assert_int_equal(sp_policy_grant(f->p, web, SP_NONROOT, CAP_NET_BIND_SERVICE, &g), 0);
	assert_true(g.ranged);
	assert_int_equal(sp_policy_check(f->p, web, SP_NONROOT, CAP_NET_BIND_SERVICE, 80, 80), SP_ALLOW);
	assert_int_equal(sp_policy_check(f->p, web, SP_ROOT, CAP_NET_BIND_SERVICE, 81, 81), SP_DENY_RANGE);
	assert_true(sp_policy_has(f->p, web, SP_ROOT, CAP_SYS_RAWIO));
	assert_false(sp_policy_has(f->p, web, SP_NONROOT, CAP_SYS_RAWIO));
	assert_false(sp_policy_has(f->p, web, SP_ROOT, CAP_SYS_ADMIN));
	assert_int_equal(sp_policy_check_connect(f->p, cli, SP_ROOT, web), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(f->p, cli, SP_NONROOT, web), SP_ALLOW);
	assert_int_equal(sp_policy_check_connect(f->p, cli, SP_ROOT, srv), SP_DENY_RANGE);
	/* exact paths: the relabel, the abstract name, a literal '*' */
	assert_int_equal(sp_policy_check_attach(f->p, srv, "/run/srv/pub.sock", SPB_NO_TYPE, &ct),
			 SP_PATH_OK);
	assert_int_equal(ct, pub);
	assert_int_equal(sp_policy_check_attach(f->p, srv, "/run/srv/other.sock", SPB_NO_TYPE, &ct),
			 SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_attach(f->p, srv, "@srv", SPB_NO_TYPE, &ct), SP_PATH_OK);
	assert_int_equal(sp_policy_check_attach(f->p, srv, "@srv2", SPB_NO_TYPE, &ct), SP_PATH_NO_RULE);
	assert_int_equal(sp_policy_check_link(f->p, srv, "/tmp/l*nk"), SP_PATH_OK);
	assert_int_equal(sp_policy_check_link(f->p, srv, "/tmp/link"), SP_PATH_NO_RULE);
	/* pathspace comes with the rules, not as an item */
	assert_null(strstr(sb_str(&f->out), "\tpathspace"));
	assert_true(sp_policy_has(f->p, srv, SP_NONROOT, AB_PATHSPACE));
}

static void test_gain_priv(void **state)
{
	struct fx *f = *state;
	unsigned warnings;
	char *cut, *line;

	AB(f, "sshd", "sshd_t", "root", "SETTYPEID", ",\"value\":[2,2],\"value_type\":\"user_t\"");
	AB(f, "sshd", "sshd_t", "root", "SETUID", ",\"value\":[1000,1000]");
	AB(f, "sh", "user_t", "root", "SETUID", ",\"value\":[1000,2000]");
	AB(f, "sh", "user_t", "root", "SYS_CHROOT", "");
	AB(f, "sh", "user_t", "non-root", "KILL", "");
	write_policy(f, NULL);
	assert_non_null(strstr(sb_str(&f->out), "\tgain_priv:setuid  # settypeid: user_t has it\n"));
	assert_non_null(strstr(sb_str(&f->out), "\tgain_priv:sys_chroot  # settypeid: user_t has it\n"));
	assert_non_null(strstr(sb_str(&f->out), "\tgain_priv:kill  # settypeid: user_t has it\n"));
	f->p = compile_text(sb_str(&f->out), &warnings);
	assert_non_null(f->p);
	assert_int_equal(warnings, 0);
	assert_int_equal(sp_policy_check(f->p, tid(f->p, "sshd_t"), SP_ROOT, AB_SETTYPEID,
					 tid(f->p, "user_t"), tid(f->p, "user_t")),
			 SP_ALLOW);
	/* and they are needed: without one the compiler refuses the policy */
	cut = strdup(sb_str(&f->out));
	line = strstr(cut, "\tgain_priv:setuid");
	assert_non_null(line);
	memset(line, ' ', strcspn(line, "\n"));
	assert_null(compile_text_q(cut, NULL, true));
	free(cut);
}

static void test_generalize(void **state)
{
	struct fx *f = *state;
	struct gen_write_opts o = {.inputs = "t", .generalize = 3};
	unsigned warnings;

	PATH(f, "attach", "t", "a_t", "/run/a/1.sock", "");
	PATH(f, "attach", "t", "a_t", "/run/a/2.sock", "");
	PATH(f, "attach", "t", "a_t", "/run/a/3.sock", "");
	PATH(f, "attach", "t", "a_t", "/run/a/sub/4.sock", "");
	/* two only: stay exact */
	PATH(f, "link", "t", "a_t", "/run/b/1", "");
	PATH(f, "link", "t", "a_t", "/run/b/2", "");
	/* three, but channels of two types: stay exact */
	PATH(f, "attach", "t", "a_t", "/run/c/1", "");
	PATH(f, "attach", "t", "a_t", "/run/c/2", ",\"channel_type\":\"c_t\"");
	PATH(f, "attach", "t", "a_t", "/run/c/3", "");
	/* in / itself: never */
	PATH(f, "link", "t", "a_t", "/x1", "");
	PATH(f, "link", "t", "a_t", "/x2", "");
	PATH(f, "link", "t", "a_t", "/x3", "");
	write_policy(f, &o);
	assert_non_null(strstr(sb_str(&f->out), "allow_attach a_t /run/a/*;  # 3 names: t (later)\n"));
	assert_non_null(strstr(sb_str(&f->out), "allow_attach a_t /run/a/sub/4.sock;"));
	assert_non_null(strstr(sb_str(&f->out), "allow_link a_t /run/b/1;"));
	assert_non_null(strstr(sb_str(&f->out), "allow_link a_t /run/b/2;"));
	assert_non_null(strstr(sb_str(&f->out), "allow_attach a_t /run/c/2 c_t;"));
	assert_non_null(strstr(sb_str(&f->out), "allow_link a_t /x3;"));
	assert_null(strstr(sb_str(&f->out), "/..."));
	assert_null(strstr(sb_str(&f->out), "/run/a/1.sock"));
	f->p = compile_text(sb_str(&f->out), &warnings);
	assert_non_null(f->p);
	assert_int_equal(warnings, 0);
	/* without -G nothing is widened */
	write_policy(f, NULL);
	assert_null(strstr(sb_str(&f->out), "*"));
}

static void test_unwritable_path(void **state)
{
	struct fx *f = *state;
	unsigned warnings;

	PATH(f, "attach", "t", "a_t", "/run/with\\\\040space", "");
	PATH(f, "link", "t", "a_t", "@nul\\\\000name", "");
	PATH(f, "link", "t", "a_t", "/run/ok", "");
	write_policy(f, NULL);
	assert_non_null(strstr(sb_str(&f->out),
			       "# allow_attach a_t /run/with\\040space: not written: the path contains white space\n"));
	assert_non_null(strstr(sb_str(&f->out),
			       "# allow_link a_t @nul\\000name: not written: the path contains a NUL byte\n"));
	assert_string_equal(sb_str(&f->notes),
			    "type a_t: attach path /run/with\\040space cannot be written in a policy: it contains white space; left out\n"
			    "type a_t: link path @nul\\000name cannot be written in a policy: it contains a NUL byte; left out\n");
	f->p = compile_text(sb_str(&f->out), &warnings);
	assert_non_null(f->p);
	assert_int_equal(warnings, 0);
}

static void test_prov_text(void **state)
{
	struct fx *f = *state;
	struct strbuf sb = STRBUF_INIT;
	struct gen_prov p = {0}, one;
	uint32_t id;
	char name[16];
	int i;

	for (i = 4; i >= 0; i--) {
		snprintf(name, sizeof(name), "bin/%c", 'a' + i);
		assert_int_equal(gen_model_name(&f->m, name, strlen(name), &id), 0);
		gen_prov_one(&one, id, i ? GEN_WHEN_START : GEN_WHEN_LATER);
		gen_prov_merge(&p, &one);
	}
	gen_put_prov(&sb, &f->m, &p);
	/* sorted, whatever order they came in */
	assert_string_equal(sb_str(&sb), "bin/a, bin/b, bin/c and 2 more (start-up and later)");
	p.more = true;
	sb_reset(&sb);
	gen_put_prov(&sb, &f->m, &p);
	assert_string_equal(sb_str(&sb), "bin/a, bin/b, bin/c and at least 2 more (start-up and later)");
	p.nnames = 1;
	p.when = GEN_WHEN_LATER;
	sb_reset(&sb);
	gen_put_prov(&sb, &f->m, &p);
	assert_string_equal(sb_str(&sb), "bin/e and others (later)");
	sb_free(&sb);
}

/* ---- gain table ---------------------------------------------------------- */

static void test_gtab(void **state)
{
	struct sp_range r1000 = {1000, 1000}, r1000_2000 = {1000, 2000}, t2 = {2, 2};
	struct gen_gtab *g = gen_gtab_new(4);
	struct gen_gain out[8];

	(void)state;
	assert_non_null(g);
	/* 1 may become 2; 2 has a wider setuid and io; 3 is not a target */
	assert_int_equal(gen_gtab_grant(g, 1, GEN_ROOT, AB_SETTYPEID, &t2, 1), 0);
	assert_int_equal(gen_gtab_grant(g, 1, GEN_ROOT, CAP_SETUID, &r1000, 1), 0);
	assert_int_equal(gen_gtab_grant(g, 2, GEN_ROOT, CAP_SETUID, &r1000_2000, 1), 0);
	assert_int_equal(gen_gtab_grant(g, 2, GEN_NONROOT, CAP_SYS_RAWIO, NULL, 0), 0);
	assert_int_equal(gen_gtab_grant(g, 3, GEN_ROOT, CAP_SYS_ADMIN, NULL, 0), 0);
	assert_int_equal(gen_gtab_gains(g, 1, out, 8), 2);
	assert_int_equal(out[0].key, CAP_SETUID);
	assert_int_equal(out[0].target, 2);
	assert_int_equal(out[1].key, CAP_SYS_RAWIO);
	/* covering it removes the need */
	assert_int_equal(gen_gtab_grant(g, 1, GEN_ROOT, CAP_SETUID, &r1000_2000, 1), 0);
	assert_int_equal(gen_gtab_grant(g, 1, GEN_NONROOT, CAP_SYS_RAWIO, NULL, 0), 0);
	assert_int_equal(gen_gtab_gains(g, 1, out, 8), 0);
	/* an unconditional settypeid names every type */
	assert_int_equal(gen_gtab_grant(g, 1, GEN_ROOT, AB_SETTYPEID, NULL, 0), 0);
	assert_int_equal(gen_gtab_gains(g, 1, out, 8), 1);
	assert_int_equal(out[0].key, CAP_SYS_ADMIN);
	assert_int_equal(out[0].target, 3);
	/* no settypeid, no gains */
	assert_int_equal(gen_gtab_gains(g, 2, out, 8), 0);
	gen_gtab_free(g);
}

/* ---- the base policy ---------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void test_base(void **state)
{
	static const char base_text[] =
		"type web_t;\n"
		"type cli_t;\n"
		"allow web_t self:ability { net_bind_service:80 sys_admin };\n"
		"allow web_t self:ability { nonroot setuid:33 };\n"
		"allow_attach web_t /run/web/...;\n"
		"allow_attach web_t /run/other/x.sock;\n"
		"allow cli_t web_t:channel connect;\n"
		"allow cli_t cli_t:channel connect;\n";
	struct fx *f = *state;
	struct gen_write_opts o = {.inputs = "t", .unused_comments = true};
	struct gen_base b;
	struct strbuf u = STRBUF_INIT;
	char path[128];
	FILE *devnull = fopen("/dev/null", "w");
	unsigned warnings;
	const char *added;

	snprintf(path, sizeof(path), "%s/base.sp", f->dir);
	write_file(path, base_text);
	assert_int_equal(gen_base_load(&b, path, devnull), 0);
	AB(f, "w", "web_t", "root", "NET_BIND_SERVICE", ",\"value\":[80,80]");
	AB(f, "w", "web_t", "root", "NET_BIND_SERVICE", ",\"value\":[443,443]");
	AB(f, "w", "web_t", "root", "SETUID", ",\"value\":[33,33]");
	AB(f, "w", "web_t", "non-root", "SETUID", ",\"value\":[34,34]");
	PATH(f, "attach", "w", "web_t", "/run/web/a.sock", "");
	PATH(f, "attach", "w", "web_t", "/run/web2/a.sock", "");
	AB(f, "c", "cli_t", "root", "CHANNEL_CONNECT", ",\"value\":[1,1],\"value_type\":\"web_t\"");
	AB(f, "c", "cli_t", "root", "CHANNEL_CONNECT", ",\"value\":[3,3],\"value_type\":\"new_t\"");
	o.base = &b;
	write_policy(f, &o);
	/* the base first, as written */
	assert_memory_equal(sb_str(&f->out), base_text, strlen(base_text));
	added = sb_str(&f->out) + strlen(base_text);
	assert_non_null(strstr(added, "\n# ---- added by secpolgenerate: what "));
	/* only what it lacks */
	assert_non_null(strstr(added, "type new_t;\n"));
	assert_null(strstr(added, "type web_t;"));
	assert_non_null(strstr(added, "\tnet_bind_service:443  # w (start-up)\n"));
	assert_null(strstr(added, "net_bind_service:80"));
	assert_null(strstr(added, "setuid:33"));
	assert_non_null(strstr(added, "\tsetuid:34  # w (start-up)\n"));
	assert_non_null(strstr(added, "allow_attach web_t /run/web2/a.sock;"));
	assert_null(strstr(added, "/run/web/a.sock"));
	assert_non_null(strstr(added, "allow cli_t new_t:channel connect;"));
	assert_null(strstr(added, "allow cli_t web_t:channel connect;"));
	/* the unused ones */
	assert_non_null(strstr(added, "# ---- unused: 3 statements of "));
	assert_non_null(strstr(added, "\n# allow web_t self:ability sys_admin;\n"));
	assert_non_null(strstr(added, "\n# allow_attach web_t /run/other/x.sock;\n"));
	assert_non_null(strstr(added, "\n# allow cli_t cli_t:channel connect;\n"));
	f->p = compile_text(sb_str(&f->out), &warnings);
	assert_non_null(f->p);
	assert_int_equal(warnings, 0);
	/* the same list without the comment marks, for -u */
	assert_int_equal(gen_base_unused(&b, &f->m, false, "", &u), 3);
	assert_string_equal(sb_str(&u),
			    "allow web_t self:ability sys_admin;\n"
			    "allow_attach web_t /run/other/x.sock;\n"
			    "allow cli_t cli_t:channel connect;\n");
	sb_free(&u);
	gen_base_free(&b);

	/* a base with errors is refused */
	write_file(path, "type a_t;\nallow a_t self:ability pathspce;\n");
	assert_int_equal(gen_base_load(&b, path, devnull), -EINVAL);
	gen_base_free(&b);
	fclose(devnull);
}

static void test_base_conflict(void **state)
{
	struct fx *f = *state;
	struct gen_write_opts o = {.inputs = "t"};
	struct gen_base b;
	char path[128];
	FILE *devnull = fopen("/dev/null", "w");
	unsigned warnings;

	snprintf(path, sizeof(path), "%s/base.sp", f->dir);
	write_file(path, "type a_t;\ntype b_t;\nallow_attach a_t /run/x.sock b_t;\n");
	assert_int_equal(gen_base_load(&b, path, devnull), 0);
	/* the base gives the channel type b_t; it was seen as a_t's own */
	PATH(f, "attach", "t", "a_t", "/run/x.sock", "");
	o.base = &b;
	write_policy(f, &o);
	assert_non_null(strstr(sb_str(&f->out),
			       "# allow_attach a_t /run/x.sock: not written: the base policy has this rule with another channel type\n"));
	assert_non_null(strstr(sb_str(&f->notes), "type a_t: attach path /run/x.sock: the base policy gives it another channel type"));
	f->p = compile_text(sb_str(&f->out), &warnings);
	assert_non_null(f->p);
	gen_base_free(&b);
	fclose(devnull);
}

static void test_check_policy(void **state)
{
	FILE *devnull = fopen("/dev/null", "w");

	(void)state;
	assert_int_equal(gen_check_policy("x", "type a_t;\n", 10, devnull), 0);
	assert_int_equal(gen_check_policy("x", "type a-t;\n", 10, devnull), -EINVAL);
	fclose(devnull);
}

/* ---- the graph ---------------------------------------------------------- */

static void test_dot(void **state)
{
	struct fx *f = *state;
	const char *s;

	AB(f, "a", "web_t", "root", "NET_BIND_SERVICE", ",\"value\":[80,80]");
	AB(f, "a", "web_t", "non-root", "SYS_NICE", "");
	AB(f, "b", "cli_t", "root", "CHANNEL_CONNECT", ",\"value\":[1,1],\"value_type\":\"web_t\"");
	AB(f, "c", "sshd_t", "root", "SETTYPEID", ",\"value\":[4,4],\"value_type\":\"user_t\"");
	PATH(f, "attach", "a", "web_t", "/run/q\\\"uote\\\\\\\\x", ",\"channel_type\":\"pub_t\"");
	PATH(f, "attach", "a", "web_t", "/run/z", ",\"channel_type\":\"pub_t\"");
	assert_int_equal(gen_write_dot(&f->m, &f->out), 0);
	s = sb_str(&f->out);
	assert_memory_equal(s, "digraph secpol {\n", 17);
	assert_non_null(strstr(s, "\t\"web_t\" [label=\"web_t\\l\\lNET_BIND_SERVICE(80) as root\\lSYS_NICE as non-root\\l"
				  "attach /run/q\\\"uote\\\\\\\\x\\lattach /run/z\\l\"];\n"));
	assert_non_null(strstr(s, "\t\"cli_t\" -> \"web_t\" [label=\"connect\"];\n"));
	assert_non_null(strstr(s, "\t\"sshd_t\" -> \"user_t\" [label=\"settypeid\", style=dashed];\n"));
	/* one relabel edge for two paths; targets only are dashed nodes */
	assert_non_null(strstr(s, "\t\"web_t\" -> \"pub_t\" [label=\"attaches channels of\", style=dotted];\n"));
	assert_null(strstr(strstr(s, "-> \"pub_t\"") + 1, "-> \"pub_t\""));
	assert_non_null(strstr(s, "\t\"user_t\" [label=\"user_t\\l\", style=dashed];\n"));
	assert_string_equal(s + strlen(s) - 2, "}\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_word),
		cmocka_unit_test(test_dir_word),
		cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compiles_to_what_was_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gain_priv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generalize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prov_text, setup, teardown),
		cmocka_unit_test(test_gtab),
		cmocka_unit_test_setup_teardown(test_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_conflict, setup, teardown),
		cmocka_unit_test(test_check_policy),
		cmocka_unit_test_setup_teardown(test_dot, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
