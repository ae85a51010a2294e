// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit tests: the output forms of events (src/event/format.c): the QNX
 * text line and what -v, -i and -S add to it, the JSON object, and the
 * gap a monitor reports when its connection to secpold broke.
 */
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/strbuf.h"
#include "event/event.h"
#include "policy/ability.h"
#include "policy/format.h"
#include "policy/policy.h"

/* types: 1 fs_t, 2 fs_user_t; custom ability vendor/reset */
struct fixture {
	struct sp_policy *p;
	uint16_t custom;
	struct sp_event e;
	struct strbuf sb;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sp_builder *b = sp_builder_new();
	char err[256];
	void *buf = NULL;
	size_t len;
	int c;

	assert_non_null(f);
	assert_non_null(b);
	assert_int_equal(sp_builder_add_type(b, "fs_t"), 1);
	assert_int_equal(sp_builder_add_type(b, "fs_user_t"), 2);
	c = sp_builder_add_custom(b, "vendor/reset", 0);
	assert_true(c >= AB_CUSTOM_BASE);
	f->custom = (uint16_t)c;
	assert_int_equal(sp_builder_serialize(b, true, NULL, &buf, &len), 0);
	assert_int_equal(sp_policy_load(buf, len, &f->p, err, sizeof(err)), 0);
	free(buf);
	sp_builder_free(b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sp_policy_free(f->p);
	sb_free(&f->sb);
	free(f);
	return 0;
}

/* a refused bind of sbin/devf-ram (pid 42), type fs_user_t, as root */
static struct sp_event *ability_event(struct fixture *f, uint16_t ability)
{
	struct sp_event *e = &f->e;

	memset(e, 0, sizeof(*e));
	e->kind = EV_ABILITY;
	e->flags = EVF_ROOT;
	e->pid = e->tid = 42;
	e->time_ns = 1700000000123456789ull;
	e->type = 2;
	e->obj_type = SPB_NO_TYPE;
	e->ability = ability;
	e->result = EV_DENIED;
	e->syscall = -1;
	e->err = 1;
	e->age_ms = 250;
	ev_set_name(e, "sbin/devf-ram", strlen("sbin/devf-ram"));
	ev_set_comm(e, "devf-ram", strlen("devf-ram"));
	return e;
}

static const char *text(struct fixture *f, const struct ev_format_opts *o)
{
	sb_reset(&f->sb);
	ev_format_text(&f->e, f->p, o, &f->sb);
	assert_false(sb_error(&f->sb));
	return sb_str(&f->sb);
}

static const char *json(struct fixture *f, const struct ev_format_opts *o)
{
	sb_reset(&f->sb);
	ev_format_json(&f->e, f->p, o, &f->sb);
	assert_false(sb_error(&f->sb));
	return sb_str(&f->sb);
}

static void test_text_line(void **state)
{
	struct fixture *f = *state;

	ability_event(f, AB_PATHSPACE);
	assert_string_equal(text(f, NULL),
			    "error: sbin/devf-ram (pid:42) type fs_user_t lacks ability PATHSPACE as root");
}

/* PATHSPACE checks carry the path: JSON has it, the text line does not
 * (QNX prints none there) */
static void test_ability_path(void **state)
{
	struct fixture *f = *state;
	struct sp_event *e = ability_event(f, AB_PATHSPACE);

	assert_null(strstr(json(f, NULL), "\"path\""));
	ev_set_path(e, "/dev/fs\nF", strlen("/dev/fs\nF"));
	assert_string_equal(text(f, NULL),
			    "error: sbin/devf-ram (pid:42) type fs_user_t lacks ability PATHSPACE as root");
	assert_non_null(strstr(json(f, NULL), ",\"path\":\"/dev/fs\\\\nF\","));
}

/* a value prints for every static ability that carries one */
static void test_values(void **state)
{
	struct fixture *f = *state;
	struct sp_event *e = ability_event(f, CAP_NET_BIND_SERVICE);

	e->result = EV_ALLOWED;
	e->flags |= EVF_VALUE;
	e->lo = e->hi = 443;
	assert_string_equal(text(f, NULL),
			    "info: sbin/devf-ram (pid:42) type fs_user_t uses ability NET_BIND_SERVICE(443) as root");
	assert_non_null(strstr(json(f, NULL), ",\"value\":[443,443],"));
	e->ability = CAP_SETUID;
	e->lo = 1000;
	e->hi = 2000;
	e->flags &= (uint16_t)~EVF_ROOT;
	assert_string_equal(text(f, NULL),
			    "info: sbin/devf-ram (pid:42) type fs_user_t uses ability SETUID(1000 - 2000) as non-root");
	/* a type value is followed by the type's name */
	e->ability = AB_CHANNEL_CONNECT;
	e->lo = e->hi = 1;
	assert_string_equal(text(f, NULL),
			    "info: sbin/devf-ram (pid:42) type fs_user_t uses ability CHANNEL_CONNECT(1) (fs_t) as non-root");
	assert_non_null(strstr(json(f, NULL), ",\"value_type\":\"fs_t\",\"value_type_id\":1,"));
	/* no value: none printed */
	e->flags &= (uint16_t)~EVF_VALUE;
	assert_string_equal(text(f, NULL),
			    "info: sbin/devf-ram (pid:42) type fs_user_t uses ability CHANNEL_CONNECT as non-root");
	assert_null(strstr(json(f, NULL), "\"value\""));
}

/* custom abilities: the value only for those -S names */
static void test_custom_values(void **state)
{
	struct fixture *f = *state;
	struct sp_event *e = ability_event(f, f->custom);
	struct ev_format_opts o = {0};
	uint16_t other = (uint16_t)(f->custom + 1);

	e->flags |= EVF_VALUE;
	e->lo = e->hi = 7;
	assert_string_equal(text(f, &o),
			    "error: sbin/devf-ram (pid:42) type fs_user_t lacks ability vendor/reset as root");
	o.ranged_custom = &other;
	o.nranged_custom = 1;
	assert_null(strstr(text(f, &o), "(7)"));
	o.ranged_custom = &f->custom;
	assert_string_equal(text(f, &o),
			    "error: sbin/devf-ram (pid:42) type fs_user_t lacks ability vendor/reset(7) as root");
	/* JSON has every field, -S or not */
	o.nranged_custom = 0;
	assert_non_null(strstr(json(f, &o), ",\"value\":[7,7],"));
}

/* -i: a late use ends with the marker, after the words of the line and
 * before the -v details; not without -i, not for an early use */
static void test_late_marker(void **state)
{
	struct fixture *f = *state;
	struct sp_event *e = ability_event(f, AB_PATHSPACE);
	struct ev_format_opts o = {.late_ms = 1000};
	const char *base = "error: sbin/devf-ram (pid:42) type fs_user_t lacks ability PATHSPACE as root";
	char want[256];

	assert_string_equal(text(f, &o), base);
	e->age_ms = 1000;
	assert_string_equal(text(f, &o), base);
	e->age_ms = 1601;
	snprintf(want, sizeof(want), "%s (after start-up: 1.6 s)", base);
	assert_string_equal(text(f, &o), want);
	e->age_ms = 12345;
	snprintf(want, sizeof(want), "%s (after start-up: 12 s)", base);
	assert_string_equal(text(f, &o), want);
	o.flags = EVFMT_VERBOSE;
	snprintf(want, sizeof(want), "%s (after start-up: 12 s) [time=", base);
	assert_memory_equal(text(f, &o), want, strlen(want));
	o.late_ms = 0;
	snprintf(want, sizeof(want), "%s [time=", base);
	assert_memory_equal(text(f, &o), want, strlen(want));
	/* path events too */
	o.flags = 0;
	o.late_ms = 1000;
	e->kind = EV_LINK;
	e->result = EV_ALLOWED;
	ev_set_path(e, "/tmp/l", 6);
	assert_string_equal(text(f, &o),
			    "info: sbin/devf-ram (pid:42) of type fs_user_t created link to path /tmp/l (after start-up: 12 s)");
	/* JSON keeps age_ms and no marker */
	assert_non_null(strstr(json(f, &o), ",\"age_ms\":12345"));
	assert_null(strstr(json(f, &o), "start-up"));
	/* not the lost-events line */
	e->kind = EV_LOST;
	e->lo = 3;
	assert_string_equal(text(f, &o), "warning: 3 events lost");
}

/* an empty comm is left out rather than shown empty */
static void test_json_comm(void **state)
{
	struct fixture *f = *state;
	struct sp_event *e = ability_event(f, AB_PATHSPACE);

	assert_non_null(strstr(json(f, NULL), ",\"comm\":\"devf-ram\","));
	e->comm_len = 0;
	assert_null(strstr(json(f, NULL), "\"comm\""));
}

static void test_learning_and_newtype(void **state)
{
	struct fixture *f = *state;
	struct sp_event *e = ability_event(f, AB_PATHSPACE);
	struct ev_format_opts v = {.flags = EVFMT_VERBOSE};

	e->flags |= EVF_LEARNING;
	assert_non_null(strstr(text(f, &v), " learning]"));
	assert_null(strstr(text(f, NULL), "learning"));
	assert_non_null(strstr(json(f, NULL), ",\"learning\":true,"));
	e->kind = EV_NEWTYPE;
	e->type = 1;
	assert_string_equal(text(f, NULL),
			    "warning: new type fs_t (1) for this run, started by sbin/devf-ram (pid:42): develop mode, it learns and nothing it does is refused");
	assert_non_null(strstr(json(f, NULL), "\"kind\":\"new_type\",\"severity\":\"warning\",\"type\":\"fs_t\",\"type_id\":1,"));
}

static void test_gap(void **state)
{
	struct fixture *f = *state;
	struct ev_gap g = {.since_ns = 1700000000000000000ull};

	sb_reset(&f->sb);
	ev_format_gap_text(&g, &f->sb);
	assert_string_equal(sb_str(&f->sb), "warning: secpold stopped; reconnecting");
	sb_reset(&f->sb);
	ev_format_gap_json(&g, &f->sb);
	assert_string_equal(sb_str(&f->sb),
			    "{\"v\":1,\"time\":\"2023-11-14T22:13:20.000000Z\",\"kind\":\"gap\",\"severity\":\"warning\",\"phase\":\"begin\",\"message\":\"secpold stopped; reconnecting\"}");
	g.resumed = true;
	g.until_ns = g.since_ns + 2345000000ull;
	sb_reset(&f->sb);
	ev_format_gap_text(&g, &f->sb);
	assert_string_equal(sb_str(&f->sb),
			    "warning: monitoring again after 2.3 s; events in between were not seen");
	sb_reset(&f->sb);
	ev_format_gap_json(&g, &f->sb);
	assert_string_equal(sb_str(&f->sb),
			    "{\"v\":1,\"time\":\"2023-11-14T22:13:22.345000Z\",\"kind\":\"gap\",\"severity\":\"warning\",\"phase\":\"end\",\"since\":\"2023-11-14T22:13:20.000000Z\",\"gap_ms\":2345,\"message\":\"monitoring again after 2.3 s; events in between were not seen\"}");
	/* a clock that went back is no negative gap */
	g.until_ns = g.since_ns - 1;
	sb_reset(&f->sb);
	ev_format_gap_text(&g, &f->sb);
	assert_string_equal(sb_str(&f->sb),
			    "warning: monitoring again after 0.0 s; events in between were not seen");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ability_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_custom_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_marker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_comm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learning_and_newtype, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
