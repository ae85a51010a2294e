// SPDX-License-Identifier: BSD-2-Clause
/* secpol: inspect a binary policy, or push it into secpold.  See secpol(1). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "ctl/client.h"
#include "lang/suggest.h"
#include "policy/ability.h"
#include "policy/policy.h"

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpol [-cdv] [-i policy] [-f filter] [-t type] [-a ability]\n"
"       secpol -p [-i policy]\n"
"Show, validate or push a binary security policy.\n"
"\n"
"  -c             show the policy per type (the default)\n"
"  -d             show the file's structure (header and sections)\n"
"  -v             validate the policy and say so\n"
"  -p             push the policy into secpold, starting one if none runs\n"
"  -i policy      the binary policy (default $SECPOL_POLICY or %s)\n"
"  -f filter      what to show, comma separated: abilities, attach, link,\n"
"                 derive, attributes, all\n"
"  -t type        show only this type\n"
"  -a ability     show only types with this ability, and only it\n"
"  -h, --help     show this help\n"
"\n"
"Exit status: 0 success, 1 error, 2 bad usage.  See secpol(1).\n",
		CTL_DEFAULT_POLICY);
	/* clang-format on */
}

static int parse_filter(const char *arg, unsigned *what)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = {
		{"abilities", SP_DUMP_ABILITIES}, {"attach", SP_DUMP_ATTACH},
		{"link", SP_DUMP_LINK},           {"derive", SP_DUMP_DERIVE},
		{"attributes", SP_DUMP_ATTRS},    {"all", SP_DUMP_ALL},
	};
	char *copy = strdup(arg), *tok, *save = NULL;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	if (!*arg) {
		free(copy);
		log_err("empty filter (use abilities, attach, link, derive, attributes or all)");
		return -EINVAL;
	}
	*what = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strcmp(tok, names[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(names)) {
			log_err("unknown filter '%s' (use abilities, attach, link, derive, attributes or all)",
				tok);
			r = -EINVAL;
			break;
		}
		*what |= names[i].bits;
	}
	free(copy);
	return r;
}

static void print_escaped_err(const char *prefix, const char *msg)
{
	struct strbuf sb = STRBUF_INIT;

	/* the daemon's message may quote names from policies and processes */
	sb_escape(&sb, msg, strlen(msg), ESC_KEEP_SPACE);
	log_err("%s%s", prefix, sb_str(&sb));
	sb_free(&sb);
}

/* Starts secpold with the policy; it detaches once it is ready. */
static int start_daemon(const char *policy)
{
	char self[PATH_MAX], path[PATH_MAX];
	const char *prog = "secpold";
	ssize_t n;
	pid_t pid;
	int status;

	/* prefer the secpold installed beside this secpol */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if (snprintf(path, sizeof(path), "%s/secpold", self) <
				    (int)sizeof(path) &&
			    access(path, X_OK) == 0)
				prog = path;
		}
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execlp(prog, "secpold", "-i", policy, (char *)NULL);
		fprintf(stderr, "secpol: cannot run %s: %s\n", prog,
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -ECHILD;
	return 0;
}

static int push(const char *policy_path)
{
	char err[1024];
	_cleanup_close_ int fd = -1, sock = -1;
	struct sp_policy *p = NULL;
	struct ctl_msg *reply = NULL;
	char loaderr[256];
	int r;

	/* validate here too: a clear message before talking to anyone */
	r = sp_policy_load_file(policy_path, &p, loaderr, sizeof(loaderr));
	if (r < 0) {
		log_err("%s: %s", policy_path,
			r == -ENOENT ? "no such file" : loaderr);
		return 1;
	}
	sp_policy_free(p);
	fd = open(policy_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_err("cannot open %s: %s", policy_path, strerror(errno));
		return 1;
	}
	sock = ctl_connect();
	if (sock == -ENOENT || sock == -ECONNREFUSED) {
		r = start_daemon(policy_path);
		if (r < 0) {
			log_err("cannot start secpold (see its messages above)");
			return 1;
		}
		printf("secpol: started secpold for %s with %s\n", ctl_rundir(),
		       policy_path);
		return 0;
	}
	if (sock < 0) {
		log_err("cannot connect to secpold in %s: %s", ctl_rundir(),
			strerror(-sock));
		return 1;
	}
	reply = malloc(sizeof(*reply));
	if (!reply) {
		log_err("out of memory");
		return 1;
	}
	r = ctl_call(sock, CTL_PUSH, NULL, 0, fd, reply, err, sizeof(err));
	if (reply->fd >= 0)
		close(reply->fd);
	free(reply);
	if (r < 0) {
		if (err[0])
			print_escaped_err("push refused: ", err);
		else
			log_err("push failed: %s", strerror(-r));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool opt_c = false, opt_d = false, opt_v = false, opt_p = false;
	bool filtered = false;
	const char *input = NULL, *type_name = NULL, *ab_name = NULL;
	struct sp_dump_opts dump = {SP_DUMP_ALL, SPB_NO_TYPE, AB_NONE};
	struct strbuf sb = STRBUF_INIT;
	struct sp_policy *p = NULL;
	char err[256];
	int c, r;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	while ((c = getopt_long(argc, argv, "cdvpi:f:t:a:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			opt_c = true;
			break;
		case 'd':
			opt_d = true;
			break;
		case 'v':
			opt_v = true;
			break;
		case 'p':
			opt_p = true;
			break;
		case 'i':
			input = optarg;
			break;
		case 'f':
			if (parse_filter(optarg, &dump.what) < 0)
				return 2;
			filtered = true;
			break;
		case 't':
			type_name = optarg;
			break;
		case 'a':
			ab_name = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s' (the policy is given with -i)",
			argv[optind]);
		return 2;
	}
	if (!input)
		input = ctl_default_policy();
	if (opt_p) {
		if (opt_c || opt_d || opt_v || filtered || type_name || ab_name) {
			log_err("-p takes only -i");
			return 2;
		}
		return push(input);
	}
	r = sp_policy_load_file(input, &p, err, sizeof(err));
	if (r < 0) {
		/* only a file we could read can be an invalid policy; read
		 * errors already name the file */
		if (r == -EINVAL || r == -EPROTO || r == -ENOTSUP)
			log_err("%s: invalid policy: %s", input, err);
		else if (r == -ENOENT)
			log_err("%s: no such file", input);
		else
			log_err("cannot read %s", err);
		return 1;
	}
	if (type_name) {
		if (sp_policy_type_lookup(p, type_name, &dump.only_type) < 0) {
			struct suggester sg;
			uint32_t i;

			suggester_init(&sg, type_name, strlen(type_name), false);
			for (i = 0; i < sp_policy_type_count(p); i++)
				suggester_add(&sg, sp_policy_type_name(p, i));
			if (suggester_best(&sg))
				log_err("unknown type '%s'; did you mean '%s'?",
					type_name, suggester_best(&sg));
			else
				log_err("unknown type '%s'", type_name);
			sp_policy_free(p);
			return 1;
		}
	}
	if (ab_name && sp_policy_ability_lookup(p, ab_name, &dump.only_ability) < 0) {
		const struct ability_info *a;
		struct suggester sg;
		size_t i;

		suggester_init(&sg, ab_name, strlen(ab_name), true);
		for (i = 0; (a = ability_nth(i)); i++)
			suggester_add(&sg, a->name);
		if (suggester_best(&sg))
			log_err("unknown ability '%s'; did you mean '%s'?",
				ab_name, suggester_best(&sg));
		else
			log_err("unknown ability '%s'", ab_name);
		sp_policy_free(p);
		return 1;
	}
	if (opt_v)
		printf("%s: valid policy 0x%08x, %s, %u type%s\n", input,
		       sp_policy_id(p),
		       sp_policy_mutable(p) ? "mutable" : "immutable",
		       sp_policy_type_count(p),
		       sp_policy_type_count(p) == 1 ? "" : "s");
	if (opt_d)
		sp_policy_dump_structure(p, &sb);
	/* a filter asks for the contents even with -v or -d */
	if (opt_c || filtered || type_name || ab_name || (!opt_d && !opt_v))
		sp_policy_dump(p, &dump, &sb);
	fputs(sb_str(&sb), stdout);
	r = sb_error(&sb) ? 1 : 0;
	if (r)
		log_err("out of memory");
	sb_free(&sb);
	sp_policy_free(p);
	return r;
}
