// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer target for the policy compiler.  The input is policy text; it
 * is split into two "files" at a position chosen by the input's last byte
 * (no byte is removed, so seeds are plain policies), which exercises
 * statements and tokens that span files.  Every input goes through
 * compile_policy and the diagnostic printer.  A policy that compiles must
 * load, survive the dump, compile again to the same bytes, come out of a
 * builder filled from it as the same bytes, and take one more type with
 * nothing but the defaults; one that does not compile must say why.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strbuf.h"
#include "lang/compile.h"
#include "policy/ability.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			__builtin_trap();                                      \
	} while (0)

static int compile(const struct source *srcs, size_t n,
		   const struct compile_opts *o, void **out, size_t *outlen,
		   bool print)
{
	struct diags d;
	int r;

	diags_init(&d, srcs, n);
	r = compile_policy(srcs, n, o, &d, out, outlen);
	/* errors and output go together */
	CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r == 0) {
		CHECK(d.errors == 0);
		CHECK(*out != NULL && *outlen > 0);
	} else {
		CHECK(*out == NULL && *outlen == 0);
		CHECK(r != -EINVAL || d.errors > 0);
	}
	if (print) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (f) {
			diags_print(&d, f);
			fclose(f);
			/* one run reports something for every error */
			CHECK(d.errors == 0 || strstr(buf, "error") != NULL);
			free(buf);
		}
	}
	diags_free(&d);
	return r;
}

static void exercise(const struct sp_policy *p)
{
	struct sp_dump_opts o = {SP_DUMP_ALL, SPB_NO_TYPE, AB_NONE};
	struct strbuf sb = STRBUF_INIT;
	uint32_t t, nt = sp_policy_type_count(p);

	CHECK(nt >= 1);
	CHECK(strcmp(sp_policy_type_name(p, 0), "default") == 0);
	sp_policy_dump(p, &o, &sb);
	sp_policy_dump_structure(p, &sb);
	for (t = 0; t < nt && t < 8; t++) {
		o.only_type = t;
		sp_policy_dump(p, &o, &sb);
		/* every type has the channel ability unless it was removed */
		sp_policy_has(p, t, SP_ROOT, AB_PUBLIC_CHANNEL);
	}
	CHECK(sb_error(&sb) == 0);
	sb_free(&sb);
}

/* The derived policies of a compiled one (policy/derived.c). */
static void derive(const struct sp_policy *p, const void *file, size_t len)
{
	struct sp_builder *b = NULL;
	struct sp_grant_view g[4];
	struct sp_policy *q = NULL;
	uint32_t id = sp_policy_id(p), t = 0;
	void *again = NULL;
	size_t alen = 0;
	int r;

	CHECK(sp_builder_from_policy(p, &b) == 0);
	CHECK(sp_builder_serialize(b, sp_policy_mutable(p), &id, &again,
				   &alen) == 0);
	CHECK(alen == len && memcmp(again, file, len) == 0);
	free(again);
	sp_builder_free(b);

	r = sp_policy_add_type(p, "fuzz_new_t", SPB_T_LEARNING, &q, &t);
	CHECK(r == 0 || r == -EEXIST || r == -E2BIG);
	if (r < 0) {
		CHECK(q == NULL);
		return;
	}
	CHECK(t == sp_policy_type_count(p));
	CHECK(sp_policy_type_count(q) == t + 1);
	CHECK(sp_policy_id(q) == id);
	CHECK(sp_policy_mutable(q) == sp_policy_mutable(p));
	CHECK(sp_policy_type_learning(q, t) && sp_policy_type_declared(q, t));
	CHECK(sp_policy_grants(q, t, SP_ROOT, g, 4) == 1 &&
	      g[0].ability == AB_PUBLIC_CHANNEL && !g[0].ranged);
	CHECK(sp_policy_grants(q, t, SP_NONROOT, g, 4) == 1 &&
	      g[0].ability == AB_PUBLIC_CHANNEL && !g[0].ranged);
	CHECK(sp_policy_rules(q, t, NULL, 0) == 0);
	CHECK(sp_policy_type_limit(q, t, SP_LIMIT_PROCESSES) == 0);
	if (t > 1)
		CHECK(sp_policy_type_limit(q, t - 1, SP_LIMIT_PROCESSES) ==
		      sp_policy_type_limit(p, t - 1, SP_LIMIT_PROCESSES));
	sp_policy_free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct compile_opts o = {0};
	struct source srcs[2];
	struct sp_policy *p = NULL;
	void *out = NULL, *again = NULL;
	size_t outlen = 0, againlen = 0, split;
	char err[256];
	int r;

	if (size > (1u << 20))
		return 0;
	split = size ? (size_t)data[size - 1] * size / 256 : 0;
	srcs[0] = (struct source){"a.sp", (const char *)data, split};
	srcs[1] = (struct source){"b.sp", (const char *)data + split,
				  size - split};
	o.mutable_ = size & 1;
	r = compile(srcs, 2, &o, &out, &outlen, true);
	if (r != 0)
		return 0;
	CHECK(sp_policy_load(out, outlen, &p, err, sizeof(err)) == 0);
	CHECK(sp_policy_mutable(p) == o.mutable_);
	exercise(p);
	derive(p, out, outlen);
	sp_policy_free(p);
	/* the same text compiles to the same bytes */
	r = compile(srcs, 2, &o, &again, &againlen, false);
	CHECK(r == 0);
	CHECK(againlen == outlen && memcmp(again, out, outlen) == 0);
	free(again);
	free(out);
	return 0;
}
