// SPDX-License-Identifier: BSD-2-Clause
/* secpolcompile: policy text -> binary policy.  See secpolcompile(1). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/log.h"
#include "common/strnum.h"
#include "common/version.h"
#include "lang/compile.h"
#include "lang/lexer.h"

#define MAX_FILES 1024

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpolcompile [-m] [-o output] [-p policy-id] file...\n"
"Compile security policy text into a binary policy.\n"
"\n"
"  -m, --mutable          the policy may be replaced once pushed\n"
"  -o, --output FILE      write the binary policy (default: only check)\n"
"  -p, --policy-id ID     use this policy ID (decimal, 0x hex or 0 octal)\n"
"  -h, --help             show this help\n"
"      --version          show the version\n"
"\n"
"Several files are read as if concatenated; \"-\" reads standard input.\n"
"Exit status: 0 compiled, 1 the policy has errors or output failed,\n"
"2 bad usage.  See secpolcompile(1).\n");
	/* clang-format on */
}

/* A usage error: what was wrong (already said), then where to look. */
static int bad_usage(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", log_prog());
	return 2;
}

enum { OPT_VERSION = 0x100 };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"mutable", no_argument, NULL, 'm'},
		{"output", required_argument, NULL, 'o'},
		{"policy-id", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	struct compile_opts opts = {0};
	struct source *srcs = NULL;
	const char *output = NULL;
	struct diags diags;
	void *bin = NULL;
	size_t nsrcs = 0, len = 0, i;
	int c, r, status = 1;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	while ((c = getopt_long(argc, argv, "mo:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			opts.mutable_ = true;
			break;
		case 'o':
			if (output) {
				log_err("-o given twice");
				return bad_usage();
			}
			output = optarg;
			break;
		case 'p':
			if (opts.has_id) {
				log_err("-p given twice");
				return bad_usage();
			}
			{
				uint64_t v;

				if (strnum_u64(optarg, 0, 0, UINT32_MAX, &v) < 0) {
					log_err("bad policy ID '%s': expected a number from 0 to 0xffffffff",
						optarg);
					return bad_usage();
				}
				opts.id = (uint32_t)v;
				opts.has_id = true;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			version_print(stdout, "secpolcompile");
			return 0;
		default:
			/* getopt said what was wrong */
			return bad_usage();
		}
	}
	if (optind >= argc) {
		log_err("no input files");
		return bad_usage();
	}
	if ((size_t)(argc - optind) > MAX_FILES) {
		log_err("too many input files (at most %d)", MAX_FILES);
		return bad_usage();
	}
	srcs = calloc((size_t)(argc - optind), sizeof(*srcs));
	if (!srcs) {
		log_err("out of memory");
		return 1;
	}
	for (i = 0; i < (size_t)(argc - optind); i++) {
		const char *path = argv[optind + (int)i];
		char *text;

		if (strcmp(path, "-") == 0)
			r = read_fd_all(STDIN_FILENO, LEX_MAX_FILE, &text, &len);
		else
			r = read_file(path, LEX_MAX_FILE, &text, &len);
		if (r == -EFBIG) {
			log_err("%s: larger than %u bytes",
				strcmp(path, "-") == 0 ? "<stdin>" : path,
				LEX_MAX_FILE);
			goto out;
		}
		if (r < 0) {
			log_err("cannot read %s: %s", path, strerror(-r));
			goto out;
		}
		srcs[nsrcs].name = strcmp(path, "-") == 0 ? "<stdin>" : path;
		srcs[nsrcs].text = text;
		srcs[nsrcs].len = len;
		nsrcs++;
	}
	diags_init(&diags, srcs, nsrcs);
	r = compile_policy(srcs, nsrcs, &opts, &diags, &bin, &len);
	diags_print(&diags, stderr);
	if (r == -ENOMEM) {
		log_err("out of memory");
	} else if (r < 0) {
		log_err("%u error%s%s", diags.errors, diags.errors == 1 ? "" : "s",
			output ? "; nothing written" : "");
	} else if (output) {
		r = write_file_atomic(output, bin, len, 0644);
		if (r < 0)
			log_err("cannot write %s: %s", output, strerror(-r));
		else
			status = 0;
	} else {
		status = 0;
	}
	diags_free(&diags);
out:
	for (i = 0; i < nsrcs; i++)
		free((char *)srcs[i].text);
	free(srcs);
	free(bin);
	return status;
}
