// SPDX-License-Identifier: BSD-2-Clause
#include "compile.h"

#include <errno.h>

#include "common/arena.h"
#include "parser.h"
#include "policy/policy.h"
#include "sema.h"

int compile_policy(const struct source *srcs, size_t nsrcs,
		   const struct compile_opts *opts, struct diags *diags,
		   void **out, size_t *outlen)
{
	struct arena arena = ARENA_INIT;
	struct policy_ast ast;
	struct sp_builder *b = NULL;
	struct sema s;
	int r;

	*out = NULL;
	*outlen = 0;
	sema_init(&s, &arena, diags);
	r = parse_policy(srcs, nsrcs, &arena, diags, &ast);
	if (r < 0)
		goto out;
	/* resolve and check even after syntax errors: one run, all errors */
	r = sema_resolve(&s, &ast);
	if (r < 0)
		goto out;
	r = sema_check(&s);
	if (r < 0)
		goto out;
	if (diags->errors) {
		r = -EINVAL;
		goto out;
	}
	b = sp_builder_new();
	if (!b) {
		r = -ENOMEM;
		goto out;
	}
	r = sema_codegen(&s, b);
	if (r == 0 && diags->errors)
		r = -EINVAL;
	if (r < 0)
		goto out;
	r = sp_builder_serialize(b, opts->mutable_,
				 opts->has_id ? &opts->id : NULL, out, outlen);
	if (r < 0 && r != -ENOMEM) {
		diag_error(diags, NULL, "cannot encode the policy: error %d", -r);
		r = -EINVAL;
	}
out:
	sp_builder_free(b);
	sema_free(&s);
	arena_free(&arena);
	if (diags->oom && r == 0)
		r = -ENOMEM;
	return r;
}
