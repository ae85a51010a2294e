// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: secpolgenerate's state file (src/gen/state.c): the round
 * trip, refusal of damaged files with the file and line, and crash
 * safety (a failed write leaves the old file as it was, and no
 * temporary file behind).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/fileio.h"
#include "common/strbuf.h"
#include "gen/jsonev.h"
#include "gen/model.h"
#include "gen/state.h"
#include "gen/writer.h"
#include "testutil.h"

static const char *const events[] = {
	"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"usr/sbin/nginx\",\"type\":\"web_t\",\"type_id\":3,\"domain\":\"root\",\"ability\":\"SETUID\",\"value\":[33,34],\"age_ms\":4}",
	"{\"v\":1,\"kind\":\"ability\",\"result\":\"denied\",\"name\":\"usr/sbin/nginx\",\"type\":\"web_t\",\"domain\":\"non-root\",\"ability\":\"SYS_NICE\",\"age_ms\":40000}",
	"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"usr/sbin/nginx\",\"type\":\"web_t\",\"domain\":\"non-root\",\"ability\":\"SETUID\",\"age_ms\":40000}",
	"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"opt/we\\\\040ird\\\\\\\\name\",\"type\":\"web_t\",\"domain\":\"root\",\"ability\":\"acme/fast\",\"value\":[18446744073709551615,18446744073709551615]}",
	"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"usr/sbin/sshd\",\"type\":\"sshd_t\",\"domain\":\"root\",\"ability\":\"SETTYPEID\",\"value\":[5,5],\"value_type\":\"user_t\",\"value_type_id\":5}",
	"{\"v\":1,\"kind\":\"ability\",\"result\":\"allowed\",\"name\":\"usr/bin/cli\",\"type\":\"cli_t\",\"domain\":\"non-root\",\"ability\":\"CHANNEL_CONNECT\",\"value\":[3,3],\"value_type\":\"web_t\"}",
	"{\"v\":1,\"kind\":\"attach\",\"result\":\"allowed\",\"name\":\"usr/sbin/nginx\",\"type\":\"web_t\",\"domain\":\"root\",\"path\":\"/run/w\\\\040x\",\"channel_type\":\"pub_t\"}",
	"{\"v\":1,\"kind\":\"attach\",\"result\":\"allowed\",\"name\":\"usr/sbin/nginx\",\"type\":\"web_t\",\"domain\":\"root\",\"path\":\"/run/w\\\\040x\"}",
	"{\"v\":1,\"kind\":\"link\",\"result\":\"denied\",\"reason\":\"no rule\",\"name\":null,\"type\":\"web_t\",\"domain\":\"root\",\"path\":\"@a\\\\000b\"}",
	"{\"v\":1,\"kind\":\"new_type\",\"type\":\"tmp_t\",\"type_id\":9}",
	"{\"v\":1,\"kind\":\"lost\",\"lost\":7}",
	"{\"v\":1,\"kind\":\"gap\"}",
};

struct fx {
	char dir[64], path[128];
	struct gen_model m;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct gen_jparser *jp = gen_jparser_new();
	struct gen_event ev;
	char err[256];
	size_t i;

	assert_non_null(f);
	assert_non_null(jp);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_gen_state.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/state", f->dir);
	gen_model_init(&f->m);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		assert_int_equal(gen_jparse(jp, events[i], strlen(events[i]), &ev, err,
					    sizeof(err)),
				 0);
		if (gen_model_add(&f->m, &ev, err, sizeof(err)) < 0)
			fail_msg("%s: %s", events[i], err);
	}
	gen_jparser_free(jp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd >= 0)
		rm_tree_at(dfd);
	rmdir(f->dir);
	gen_model_free(&f->m);
	free(f);
	return 0;
}

static char *format(const struct gen_model *m)
{
	struct strbuf sb = STRBUF_INIT;

	assert_int_equal(gen_state_format(m, &sb), 0);
	return sb_steal(&sb);
}

static char *policy_of(const struct gen_model *m)
{
	struct gen_write_opts o = {.inputs = "x"};
	struct strbuf sb = STRBUF_INIT, notes = STRBUF_INIT;

	assert_int_equal(gen_write_policy(m, &o, &sb, &notes), 0);
	sb_free(&notes);
	return sb_steal(&sb);
}

static void test_round_trip(void **state)
{
	struct fx *f = *state;
	struct gen_model m2;
	char *a, *b, *pa, *pb, err[256] = "";

	a = format(&f->m);
	gen_model_init(&m2);
	if (gen_state_parse(&m2, "st", a, strlen(a), err, sizeof(err)) != 0)
		fail_msg("%s", err);
	b = format(&m2);
	assert_string_equal(a, b);
	/* the same policy from the state as from the events */
	pa = policy_of(&f->m);
	pb = policy_of(&m2);
	assert_string_equal(pa, pb);
	assert_non_null(strstr(pa, "acme/fast:18446744073709551615"));
	assert_int_equal(m2.lost, 7);
	assert_int_equal(m2.gaps, 1);
	assert_int_equal(m2.events, f->m.events);
	free(a);
	free(b);
	free(pa);
	free(pb);
	gen_model_free(&m2);

	/* loading twice adds up: learning accumulates */
	gen_model_init(&m2);
	a = format(&f->m);
	assert_int_equal(gen_state_parse(&m2, "st", a, strlen(a), err, sizeof(err)), 0);
	assert_int_equal(gen_state_parse(&m2, "st", a, strlen(a), err, sizeof(err)), 0);
	assert_int_equal(m2.lost, 14);
	pa = policy_of(&f->m);
	pb = policy_of(&m2);
	/* the same needs; only the counters of the header differ */
	assert_string_equal(strstr(pa, "\ntype "), strstr(pb, "\ntype "));
	free(a);
	free(pa);
	free(pb);
	gen_model_free(&m2);
}

static void test_save_load(void **state)
{
	struct fx *f = *state;
	struct gen_model m2;
	struct stat st;
	char err[256];
	char *a, *b;

	gen_model_init(&m2);
	assert_int_equal(gen_state_load(&m2, f->path, err, sizeof(err)), -ENOENT);
	assert_int_equal(gen_state_save(&f->m, f->path), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(gen_state_load(&m2, f->path, err, sizeof(err)), 0);
	a = format(&f->m);
	b = format(&m2);
	assert_string_equal(a, b);
	free(a);
	free(b);
	gen_model_free(&m2);
}

static void test_corrupt_refused(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"", "st:1: the state file is incomplete (no end record)"},
		{"{\"secpolgenerate_state\":1}\n", "st:1: the state file is incomplete (no end record)"},
		{"{\"secpolgenerate_state\":2}\n{\"r\":\"end\",\"records\":0}\n",
		 "st:1: unknown state version 2"},
		{"{\"v\":1,\"kind\":\"gap\"}\n", "st:1: not a secpolgenerate state file"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"type\",\"type\":\"a_t\"}\n{\"r\":\"type\",\n",
		 "st:3: invalid JSON: "},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"type\",\"type\":\"a_t\"}\n{\"r\":\"end\",\"records\":2}\n",
		 "st:3: the end record counts 2 records, the file has 1"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"end\",\"records\":0}\n{\"r\":\"type\",\"type\":\"a_t\"}\n",
		 "st:3: data after the end record"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"bogus\"}\n{\"r\":\"end\",\"records\":1}\n",
		 "st:2: unknown record \"bogus\""},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"type\",\"type\":\"a-t\"}\n{\"r\":\"end\",\"records\":1}\n",
		 "st:2: \"type\" is not a type name a policy can hold"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"ability\",\"type\":\"a_t\",\"ability\":\"io\",\"domain\":\"root\",\"names\":[],\"when\":1,\"values\":[[1,1]]}\n{\"r\":\"end\",\"records\":1}\n",
		 "st:2: \"values\" must be [lo,hi] pairs the ability can hold"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"ability\",\"type\":\"a_t\",\"ability\":\"setuid\",\"domain\":\"root\",\"names\":[],\"when\":9,\"values\":[[1,1]]}\n{\"r\":\"end\",\"records\":1}\n",
		 "st:2: \"when\" must be a number from 0 to 3"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"attach\",\"type\":\"a_t\",\"path\":\"x\",\"names\":[],\"when\":1}\n{\"r\":\"end\",\"records\":1}\n",
		 "st:2: \"path\" is neither absolute nor an abstract name"},
		{"{\"secpolgenerate_state\":1}\n{\"r\":\"connect\",\"type\":\"a_t\",\"target\":\"b_t\",\"domains\":0,\"names\":[],\"when\":1}\n{\"r\":\"end\",\"records\":1}\n",
		 "st:2: \"domains\" must be 1, 2 or 3"},
	};
	struct gen_model m;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r;

		gen_model_init(&m);
		err[0] = '\0';
		r = gen_state_parse(&m, "st", cases[i].text, strlen(cases[i].text), err,
				    sizeof(err));
		if (r != -EINVAL || strncmp(err, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got %d '%s', expected '%s'", i, r, err,
				 cases[i].msg);
		gen_model_free(&m);
	}
}

/* A state file cut anywhere is refused (the end record is missing or
 * the last line is broken): never taken for less than it was. */
static void test_truncated_refused(void **state)
{
	struct fx *f = *state;
	struct gen_model m;
	char *a = format(&f->m), err[256];
	size_t len = strlen(a), cut;

	for (cut = 0; cut < len - 1; cut += 7) {
		gen_model_init(&m);
		assert_int_equal(gen_state_parse(&m, "st", a, cut, err, sizeof(err)), -EINVAL);
		gen_model_free(&m);
	}
	free(a);
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* A write that fails half way (here: the file size limit, as a full disk
 * would) leaves the old state file whole and no temporary file behind. */
static void test_failed_write_keeps_old(void **state)
{
	struct fx *f = *state;
	struct rlimit old, small;
	struct gen_model big;
	char *before, *after;
	size_t len, len2;
	char name[64];
	uint32_t t, id;
	int i, r;

	assert_int_equal(gen_state_save(&f->m, f->path), 0);
	assert_int_equal(read_file(f->path, 1 << 20, &before, &len), 0);

	/* a model whose state is far larger than the limit */
	gen_model_init(&big);
	assert_int_equal(gen_model_type(&big, "big_t", 5, &t), 0);
	for (i = 0; i < 2000; i++) {
		struct gen_prov who;

		snprintf(name, sizeof(name), "/run/big/%06d.sock", i);
		assert_int_equal(gen_model_name(&big, name + 1, strlen(name) - 1, &id), 0);
		gen_prov_one(&who, id, GEN_WHEN_START);
		assert_int_equal(gen_model_use_path(&big, t, GEN_ATTACH, name, strlen(name),
						    GEN_NO_TYPE, &who),
				 0);
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = len + 4096; /* the old file fits, the new one not */
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	r = gen_state_save(&big, f->path);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(r, -EFBIG);
	assert_int_equal(read_file(f->path, 1 << 20, &after, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(before, after, len);
	assert_int_equal(count_entries(f->dir), 1);
	/* a missing directory fails too, cleanly */
	assert_true(gen_state_save(&f->m, "/nonexistent-dir-of-test/state") < 0);
	free(before);
	free(after);
	gen_model_free(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_load, setup, teardown),
		cmocka_unit_test(test_corrupt_refused),
		cmocka_unit_test_setup_teardown(test_truncated_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_keeps_old, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
