// SPDX-License-Identifier: BSD-2-Clause
/* secpol: inspect a binary policy, or push it into secpold.  See secpol(1). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/version.h"
#include "ctl/client.h"
#include "ctl/list.h"
#include "lang/suggest.h"
#include "policy/ability.h"
#include "policy/policy.h"

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpol [-cdv] [-i policy] [-f filter] [-t type] [-a ability]\n"
"       secpol -p [-D|-E] [-i policy]\n"
"       secpol -l [-t type] [--json]\n"
"       secpol --list-types [-i policy] | --list-abilities [-i policy]\n"
"Show, validate or push a binary security policy; list typed processes.\n"
"\n"
"  -c             show the policy per type (the default); with the policy\n"
"                 secpold runs, also how many processes run under each type\n"
"  -d             show the file's structure (header and sections)\n"
"  -v             validate the policy and say so\n"
"  -p             push the policy into secpold, starting one if none runs\n"
"  -D             with -p: develop mode: every type learns, nothing is\n"
"                 refused, on -T may name a type the policy lacks\n"
"  -E             with -p: leave develop mode (enforce)\n"
"  -i policy      the binary policy (default $SECPOL_POLICY or %s)\n"
"  -f filter      what to show, comma separated: abilities, attach, link,\n"
"                 derive, attributes, all\n"
"  -t type        show only this type\n"
"  -a ability     show only types with this ability, and only it\n"
"  -l             list the typed processes secpold knows: pid, type,\n"
"                 effective uid, threads, name (-t: only this type)\n"
"      --json     with -l: one JSON object per process\n"
"      --list-types      the type names of the policy, one per line\n"
"                        (default: the policy secpold runs, else as -i)\n"
"      --list-abilities  every ability name, one per line (and the\n"
"                        custom abilities of that policy)\n"
"  -h, --help     show this help\n"
"      --version  show the version\n"
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

#ifndef SECPOL_SBINDIR
#define SECPOL_SBINDIR "/usr/local/sbin"
#endif

/* An executable secpold at dir/rel? Its path into buf. */
static bool secpold_at(char *buf, size_t len, const char *dir, const char *rel)
{
	int n = snprintf(buf, len, "%s%s/secpold", dir, rel);

	return n > 0 && (size_t)n < len && access(buf, X_OK) == 0;
}

/*
 * Where secpold is, for `secpol -p` to start one: beside this secpol (a
 * build tree), in ../sbin relative to it (an installed prefix: sbin is
 * often not on a user's PATH), in the prefix this secpol was built for;
 * else NULL: $PATH decides.
 */
static const char *find_secpold(char *buf, size_t len)
{
	char self[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			if (secpold_at(buf, len, self, "") ||
			    secpold_at(buf, len, self, "/../sbin"))
				return buf;
		}
	}
	if (secpold_at(buf, len, SECPOL_SBINDIR, ""))
		return buf;
	return NULL;
}

/*
 * After a failed start: secpold's own error line becomes ours ("cannot
 * start secpold: ..."), its other lines are passed on as they are; if it
 * said nothing, how it ended.
 */
static void report_start_failure(const char *prog, char *out, int status)
{
	static const char errp[] = "secpold: error: ";
	bool said = false;
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, errp, sizeof(errp) - 1) == 0) {
			print_escaped_err("cannot start secpold: ",
					  line + sizeof(errp) - 1);
			said = true;
		} else {
			fprintf(stderr, "%s\n", line);
		}
	}
	if (said)
		return;
	if (WIFEXITED(status))
		log_err("cannot start secpold (%s): it exited with status %d without saying why",
			prog, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_err("cannot start secpold (%s): it was killed by signal %d (%s)",
			prog, WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		log_err("cannot start secpold (%s)", prog);
}

/*
 * Starts secpold with the policy; it detaches once it is ready.  What it
 * says goes through a pipe: passed on when it starts, turned into our
 * error when it does not.  0, or 1 after the error was reported.
 */
static int start_daemon(const char *policy, uint32_t push_flags)
{
	bool develop = push_flags & CTL_PUSH_DEVELOP;
	char path[PATH_MAX], out[4096];
	const char *prog = find_secpold(path, sizeof(path));
	size_t len = 0;
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		log_err("cannot start secpold: pipe: %s", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		log_err("cannot start secpold: fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return 1;
	}
	if (pid == 0) {
		/* (dup2 clears close-on-exec on the copy) */
		if (dup2(pfd[1], STDERR_FILENO) < 0)
			_exit(127);
		/* (-D last: NULL ends the list when it is not given) */
		if (prog)
			execl(prog, "secpold", "-i", policy,
			      develop ? "-D" : (char *)NULL, (char *)NULL);
		else
			execlp("secpold", "secpold", "-i", policy,
			       develop ? "-D" : (char *)NULL, (char *)NULL);
		if (prog)
			fprintf(stderr, "secpold: error: cannot run %s: %s\n", prog,
				strerror(errno));
		else
			fprintf(stderr,
				"secpold: error: not found beside secpol, in its ../sbin, in %s or on $PATH\n",
				SECPOL_SBINDIR);
		_exit(127);
	}
	close(pfd[1]);
	/* until end of file: secpold lets go of its stderr once it is
	 * ready (it detaches) or when it exits */
	for (;;) {
		char chunk[1024];

		n = read(pfd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* keep the first 4 KiB: more is not a message */
		if (len < sizeof(out) - 1) {
			size_t take = sizeof(out) - 1 - len;

			if ((size_t)n < take)
				take = (size_t)n;

			memcpy(out + len, chunk, take);
			len += take;
		}
	}
	close(pfd[0]);
	out[len] = '\0';
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			log_err("cannot start secpold: waitpid: %s",
				strerror(errno));
			return 1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		fputs(out, stderr);
		return 0;
	}
	report_start_failure(prog ? prog : "secpold", out, status);
	return 1;
}

/* flags: CTL_PUSH_DEVELOP (-D), CTL_PUSH_ENFORCE (-E) or 0 (as it is). */
static int push(const char *policy_path, uint32_t flags)
{
	struct ctl_push opts = {.flags = flags};
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
		if (start_daemon(policy_path, flags) != 0)
			return 1;
		printf("secpol: started secpold for %s with %s%s\n", ctl_rundir(),
		       policy_path,
		       flags & CTL_PUSH_DEVELOP ? " in develop mode" : "");
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
	r = ctl_call(sock, CTL_PUSH, flags ? &opts : NULL,
		     flags ? sizeof(opts) : 0, fd, reply, err, sizeof(err));
	if (reply->fd >= 0)
		close(reply->fd);
	if (r < 0) {
		free(reply);
		if (err[0])
			print_escaped_err("push refused: ", err);
		else
			log_err("push failed: %s", strerror(-r));
		return 1;
	}
	/* what the push did to running processes (secpold's words, a line
	 * and then one per process on old capabilities) */
	if (reply->hdr.len > 1) {
		size_t len = strnlen(reply->payload, reply->hdr.len);
		const char *line = reply->payload, *end = line + len;
		struct strbuf sb = STRBUF_INIT;

		sb_printf(&sb, "secpol: pushed %s%s; ", policy_path,
			  flags & CTL_PUSH_DEVELOP ? " in develop mode" :
			  flags & CTL_PUSH_ENFORCE ? ", enforcing"      : "");
		while (line < end) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));
			size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

			sb_escape(&sb, line, n, ESC_KEEP_SPACE);
			sb_putc(&sb, '\n');
			line += n + 1;
		}
		fputs(sb_str(&sb), stdout);
		sb_free(&sb);
	}
	free(reply);
	return 0;
}

/* ---- typed processes (secpol -l, and the counts of -c) ---------------- */

struct listing {
	struct ctl_list_reply rep;
	char *buf; /* the records, rep.size bytes */
	size_t len;
};

static void listing_free(struct listing *l)
{
	free(l->buf);
	l->buf = NULL;
}

/*
 * Asks secpold for its typed processes (only those of type_name, unless
 * NULL).  quiet: report nothing (the counts of -c are a bonus).  0, or 1
 * after an error was reported.
 */
static int fetch_listing(const char *type_name, bool quiet, struct listing *l)
{
	_cleanup_close_ int sock = -1, fd = -1;
	_cleanup_free_ struct ctl_msg *reply = NULL;
	char err[1024];
	int r;

	memset(l, 0, sizeof(*l));
	sock = ctl_connect();
	if (sock < 0) {
		if (quiet)
			return 1;
		if (sock == -ENOENT || sock == -ECONNREFUSED)
			log_err("%s", ctl_no_daemon_hint());
		else
			log_err("cannot connect to secpold in %s: %s", ctl_rundir(),
				strerror(-sock));
		return 1;
	}
	reply = malloc(sizeof(*reply));
	if (!reply) {
		if (!quiet)
			log_err("out of memory");
		return 1;
	}
	r = ctl_call(sock, CTL_LIST, type_name,
		     type_name ? strlen(type_name) : 0, -1, reply, err,
		     sizeof(err));
	fd = reply->fd;
	if (r < 0) {
		if (quiet)
			return 1;
		if (err[0])
			print_escaped_err("", err);
		else if (r == -EINVAL)
			log_err("this secpold cannot list processes (it is older than this secpol)");
		else
			log_err("listing failed: %s", strerror(-r));
		return 1;
	}
	if (reply->hdr.len != sizeof(l->rep) || fd < 0) {
		if (!quiet)
			log_err("malformed reply from secpold");
		return 1;
	}
	memcpy(&l->rep, reply->payload, sizeof(l->rep));
	r = lseek(fd, 0, SEEK_SET) < 0 ? -errno :
		read_fd_all(fd, CTL_LIST_MAX_SIZE, &l->buf, &l->len);
	if (r < 0 || l->len != l->rep.size) {
		if (!quiet)
			log_err("cannot read the listing from secpold: %s",
				r < 0 ? strerror(-r) : "wrong size");
		listing_free(l);
		return 1;
	}
	return 0;
}

/* Each record in turn; -EPROTO (reported) for a malformed listing. */
static int listing_next(const struct listing *l, size_t *off,
			struct ctl_list_entry *e)
{
	int r = ctl_list_next(l->buf, l->len, off, e);

	if (r < 0)
		log_err("malformed listing from secpold");
	return r;
}

/* The type as -l prints it: its name, or its ID if the policy has none. */
static void put_type(struct strbuf *sb, const struct ctl_list_entry *e)
{
	if (e->rec.flags & CTL_LR_GONE)
		sb_puts(sb, "(gone)");
	else if (e->rec.type_len)
		sb_escape(sb, e->type_name, e->rec.type_len, 0);
	else if (e->rec.type == 0)
		sb_puts(sb, "default");
	else
		sb_printf(sb, "%u", e->rec.type);
}

static void put_json(struct strbuf *sb, const struct ctl_list_entry *e)
{
	struct strbuf t = STRBUF_INIT;

	put_type(&t, e);
	sb_printf(sb, "{\"pid\":%u,\"start_time_ns\":%llu,\"name\":", e->rec.pid,
		  (unsigned long long)e->rec.start_ns);
	if (e->rec.name_len)
		sb_json_string(sb, e->name, e->rec.name_len);
	else
		sb_puts(sb, "null");
	if (e->rec.flags & CTL_LR_GONE) {
		sb_puts(sb, ",\"type\":null,\"type_id\":null,\"euid\":");
	} else {
		sb_puts(sb, ",\"type\":");
		sb_json_string(sb, sb_str(&t), t.len);
		sb_printf(sb, ",\"type_id\":%u,\"euid\":", e->rec.type);
	}
	if (e->rec.euid == UINT32_MAX)
		sb_puts(sb, "null");
	else
		sb_printf(sb, "%u", e->rec.euid);
	sb_printf(sb, ",\"threads\":%u}\n", e->rec.nthreads);
	if (sb_error(&t))
		sb->failed = true;
	sb_free(&t);
}

/* secpol -l: one line per typed process under a header, or JSON. */
static int list_processes(const char *type_name, bool json)
{
	struct listing l;
	struct ctl_list_entry e;
	struct strbuf sb = STRBUF_INIT, t = STRBUF_INIT;
	size_t off = 0, width = 4;
	int r;

	if (fetch_listing(type_name, false, &l) != 0)
		return 1;
	/* the type column is as wide as its longest entry */
	while ((r = listing_next(&l, &off, &e)) > 0) {
		sb_reset(&t);
		put_type(&t, &e);
		if (t.len > width)
			width = t.len;
	}
	if (r < 0)
		goto out;
	if (!json)
		sb_printf(&sb, "%7s %-*s %5s %7s %s\n", "PID", (int)width, "TYPE",
			  "EUID", "THREADS", "NAME");
	off = 0;
	while ((r = listing_next(&l, &off, &e)) > 0) {
		if (json) {
			put_json(&sb, &e);
			continue;
		}
		sb_reset(&t);
		put_type(&t, &e);
		sb_printf(&sb, "%7u %-*s ", e.rec.pid, (int)width, sb_str(&t));
		if (e.rec.euid == UINT32_MAX)
			sb_printf(&sb, "%5s ", "-");
		else
			sb_printf(&sb, "%5u ", e.rec.euid);
		sb_printf(&sb, "%7u ", e.rec.nthreads);
		if (e.rec.name_len)
			sb_escape(&sb, e.name, e.rec.name_len, 0);
		else
			sb_puts(&sb, "(unnamed)");
		sb_putc(&sb, '\n');
	}
	if (r == 0) {
		if (sb_error(&sb) || sb_error(&t)) {
			log_err("out of memory");
			r = -ENOMEM;
		} else {
			fputs(sb_str(&sb), stdout);
		}
	}
out:
	sb_free(&sb);
	sb_free(&t);
	listing_free(&l);
	return r < 0 ? 1 : 0;
}

/*
 * For secpol -c: when p is the policy the running secpold holds (same ID
 * and mutability), how many typed processes run under each type, after
 * the dump (only type `only`, unless SPB_NO_TYPE).  Nothing otherwise: no
 * secpold, another policy, or a caller that may not list.
 */
static void append_counts(const struct sp_policy *p, uint32_t only,
			  struct strbuf *sb)
{
	uint32_t ntypes = sp_policy_type_count(p), i, extra = 0;
	_cleanup_free_ uint64_t *count = NULL;
	struct ctl_list_entry e;
	struct listing l;
	size_t off = 0, width = 0;
	int r;

	if (fetch_listing(NULL, true, &l) != 0)
		return;
	if (!(l.rep.flags & CTL_ST_POLICY) || l.rep.policy_id != sp_policy_id(p) ||
	    !(l.rep.flags & CTL_ST_IMMUTABLE) != sp_policy_mutable(p))
		goto out;
	count = calloc(ntypes, sizeof(*count));
	if (!count)
		goto out;
	while ((r = ctl_list_next(l.buf, l.len, &off, &e)) > 0) {
		if (e.rec.type < ntypes)
			count[e.rec.type]++;
		else
			extra++;
	}
	if (r < 0)
		goto out;
	for (i = 0; i < ntypes; i++)
		if ((only == SPB_NO_TYPE || only == i) &&
		    strlen(sp_policy_type_name(p, i)) > width)
			width = strlen(sp_policy_type_name(p, i));
	sb_printf(sb, "\ntyped processes in %s:\n", ctl_rundir());
	for (i = 0; i < ntypes; i++) {
		const char *n = sp_policy_type_name(p, i);

		if (only != SPB_NO_TYPE && only != i)
			continue;
		sb_puts(sb, "  ");
		sb_escape(sb, n, strlen(n), 0);
		sb_printf(sb, "%*s %llu\n", (int)(width - strlen(n)), "",
			  (unsigned long long)count[i]);
	}
	/* develop mode adds types the policy file does not have */
	if (extra && only == SPB_NO_TYPE)
		sb_printf(sb, "  (types not in the policy) %u\n", extra);
out:
	listing_free(&l);
}

/* ---- names for shell completion ------------------------------------------ */

/*
 * The policy --list-types and --list-abilities read: -i, else the copy
 * of the running secpold's ($SECPOL_RUNDIR/policy.bin), else
 * $SECPOL_POLICY.  NULL after an error was reported.
 */
static struct sp_policy *names_policy(const char *input, bool required)
{
	struct sp_policy *p = NULL;
	char path[PATH_MAX], err[256];
	int r;

	if (!input && ctl_path(path, sizeof(path), "policy.bin") == 0 &&
	    sp_policy_load_file(path, &p, err, sizeof(err)) == 0)
		return p;
	if (!input)
		input = ctl_default_policy();
	r = sp_policy_load_file(input, &p, err, sizeof(err));
	if (r < 0) {
		if (!required)
			return NULL;
		if (r == -ENOENT)
			log_err("%s: no such file", input);
		else if (r == -EINVAL || r == -EPROTO || r == -ENOTSUP)
			log_err("%s: invalid policy: %s", input, err);
		else
			log_err("cannot read %s", err);
		return NULL;
	}
	return p;
}

static int list_types(const char *input)
{
	struct sp_policy *p = names_policy(input, true);
	struct strbuf sb = STRBUF_INIT;
	uint32_t i;
	int r;

	if (!p)
		return 1;
	for (i = 0; i < sp_policy_type_count(p); i++) {
		const char *n = sp_policy_type_name(p, i);

		sb_escape(&sb, n, strlen(n), 0);
		sb_putc(&sb, '\n');
	}
	r = sb_error(&sb) ? 1 : 0;
	if (r)
		log_err("out of memory");
	else
		fputs(sb_str(&sb), stdout);
	sb_free(&sb);
	sp_policy_free(p);
	return r;
}

/* Every ability name -a accepts (QNX aliases too), then the custom ones
 * of the policy, if one can be read (-i: it must). */
static int list_abilities(const char *input)
{
	struct sp_policy *p = names_policy(input, input != NULL);
	const struct ability_info *a;
	const char *alias;
	uint16_t target;
	uint32_t i;
	size_t k;

	if (input && !p)
		return 1;
	for (k = 0; (a = ability_nth(k)); k++)
		printf("%s\n", a->name);
	for (k = 0; (alias = ability_alias_nth(k, &target)); k++)
		printf("%s\n", alias);
	for (i = 0; p && i < sp_policy_custom_count(p); i++) {
		const char *n = sp_policy_ability_policy_name(
			p, (uint16_t)(AB_CUSTOM_BASE + i));
		struct strbuf sb = STRBUF_INIT;

		if (!n)
			continue;
		sb_escape(&sb, n, strlen(n), 0);
		printf("%s\n", sb_str(&sb));
		sb_free(&sb);
	}
	sp_policy_free(p);
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

static int usage_error(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", log_prog());
	return 2;
}

enum {
	OPT_JSON = 0x100,
	OPT_LIST_TYPES,
	OPT_LIST_ABILITIES,
	OPT_VERSION,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"json", no_argument, NULL, OPT_JSON},
		{"list-types", no_argument, NULL, OPT_LIST_TYPES},
		{"list-abilities", no_argument, NULL, OPT_LIST_ABILITIES},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	bool opt_c = false, opt_d = false, opt_v = false, opt_p = false;
	bool opt_l = false, opt_json = false, filtered = false;
	uint32_t push_flags = 0;
	int names = 0; /* OPT_LIST_TYPES or OPT_LIST_ABILITIES */
	const char *input = NULL, *type_name = NULL, *ab_name = NULL;
	struct sp_dump_opts dump = {SP_DUMP_ALL, SPB_NO_TYPE, AB_NONE};
	struct strbuf sb = STRBUF_INIT;
	struct sp_policy *p = NULL;
	char err[256];
	int c, r;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	while ((c = getopt_long(argc, argv, "cdvpli:DEf:t:a:h", longopts, NULL)) != -1) {
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
		case 'l':
			opt_l = true;
			break;
		case 'D':
			push_flags = CTL_PUSH_DEVELOP;
			break;
		case 'E':
			push_flags = CTL_PUSH_ENFORCE;
			break;
		case 'i':
			input = optarg;
			break;
		case 'f':
			if (parse_filter(optarg, &dump.what) < 0)
				return usage_error();
			filtered = true;
			break;
		case 't':
			type_name = optarg;
			break;
		case 'a':
			ab_name = optarg;
			break;
		case OPT_JSON:
			opt_json = true;
			break;
		case OPT_LIST_TYPES:
		case OPT_LIST_ABILITIES:
			names = c;
			break;
		case OPT_VERSION:
			version_print(stdout, "secpol");
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return usage_error();
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s' (the policy is given with -i)",
			argv[optind]);
		return usage_error();
	}
	if (push_flags && !opt_p) {
		log_err("-D and -E go with -p");
		return usage_error();
	}
	if (names) {
		if (opt_c || opt_d || opt_v || opt_p || opt_l || opt_json ||
		    filtered || type_name || ab_name) {
			log_err("--%s takes only -i",
				names == OPT_LIST_TYPES ? "list-types" : "list-abilities");
			return usage_error();
		}
		return names == OPT_LIST_TYPES ? list_types(input) :
						 list_abilities(input);
	}
	if (opt_l) {
		if (opt_c || opt_d || opt_v || opt_p || filtered || ab_name || input) {
			log_err("-l takes only -t and --json");
			return usage_error();
		}
		return list_processes(type_name, opt_json);
	}
	if (opt_json) {
		log_err("--json goes with -l");
		return usage_error();
	}
	if (!input)
		input = ctl_default_policy();
	if (opt_p) {
		if (opt_c || opt_d || opt_v || filtered || type_name || ab_name) {
			log_err("-p takes only -i, -D and -E");
			return usage_error();
		}
		return push(input, push_flags);
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
	if (opt_c || filtered || type_name || ab_name || (!opt_d && !opt_v)) {
		sp_policy_dump(p, &dump, &sb);
		append_counts(p, dump.only_type, &sb);
	}
	fputs(sb_str(&sb), stdout);
	r = sb_error(&sb) ? 1 : 0;
	if (r)
		log_err("out of memory");
	sb_free(&sb);
	sp_policy_free(p);
	return r;
}
