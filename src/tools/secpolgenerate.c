// SPDX-License-Identifier: BSD-2-Clause
/*
 * secpolgenerate: write a security policy from what processes were seen
 * doing (secpolmonitor --json logs, a running secpold, a state file).
 * The work is in src/gen/; this file reads the inputs, handles signals
 * and writes the outputs.  See secpolgenerate(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "common/util.h"
#include "common/version.h"
#include "ctl/client.h"
#include "gen/base.h"
#include "gen/dot.h"
#include "gen/jsonev.h"
#include "gen/lines.h"
#include "gen/live.h"
#include "gen/model.h"
#include "gen/state.h"
#include "gen/writer.h"

#define LINE_MAX_BYTES (1u << 20)
#define RECONNECT_MS 500

enum { OPT_VERSION = 0x100, OPT_DEFAULT };

struct opts {
	const char *output, *state, *base, *unused, *graph;
	unsigned generalize;
	uint32_t late_ms;
	bool live, include_default;
	char **files;
	int nfiles;
};

struct run {
	struct opts o;
	struct gen_model m;
	struct gen_base base;
	bool have_base;
	struct gen_jparser *jp;
	bool bad;      /* a line was bad: exit status 1 */
	bool io_error; /* an input or output failed */
	unsigned nfiles_read;
	bool state_read; /* -s named a file that existed and was read */
};

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpolgenerate [-l] [-s state] [-p base.sp] [-o policy] [-u unused]\n"
"                      [-g graph.dot] [-G N] [-i time] [--include-default]\n"
"                      [file.json ...]\n"
"Write a security policy from what processes were seen doing.\n"
"\n"
"  file.json               secpolmonitor --json output (\"-\": standard input);\n"
"                          several files, from several runs and hosts, are merged\n"
"  -l, --live              also learn from the running secpold until SIGINT or\n"
"                          SIGTERM (SIGHUP writes the outputs and goes on)\n"
"  -s, --state FILE        start from what FILE learned, if it exists, and save\n"
"                          everything learned to it at the end\n"
"  -p, --base FILE         a base policy (text): kept as it is; only what it does\n"
"                          not allow is added, and its unused rules are listed\n"
"  -o, --output FILE       the policy (default: standard output)\n"
"  -u, --unused FILE       the base's unused rules (default: comments at the end\n"
"                          of the policy)\n"
"  -g, --graph FILE        a Graphviz graph of the types (render: dot -Tsvg)\n"
"  -G, --generalize N      write DIR/* for N or more names in one directory\n"
"  -i, --interval TIME     uses more than TIME seconds after a process started\n"
"                          are \"later\", others \"start-up\" (default 10)\n"
"      --include-default   rules for type default too (untyped processes, which\n"
"                          are never restricted)\n"
"  -h, --help              show this help\n"
"      --version           show the version\n"
"\n"
"Bad input lines are reported as file:line: error: and skipped; the exit\n"
"status is then 1.  See secpolgenerate(1).\n");
	/* clang-format on */
}

static int usage_error(const char *fmt, ...) ATTR_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: error: ", log_prog());
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "Try '%s --help' for more information.\n", log_prog());
	return -1;
}

static int set_once(const char **dst, const char *val, const char *opt)
{
	if (*dst)
		return usage_error("%s given twice", opt);
	if (!val[0])
		return usage_error("%s: empty file name", opt);
	*dst = val;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"live", no_argument, NULL, 'l'},
		{"state", required_argument, NULL, 's'},
		{"base", required_argument, NULL, 'p'},
		{"output", required_argument, NULL, 'o'},
		{"unused", required_argument, NULL, 'u'},
		{"graph", required_argument, NULL, 'g'},
		{"generalize", required_argument, NULL, 'G'},
		{"generalise", required_argument, NULL, 'G'},
		{"interval", required_argument, NULL, 'i'},
		{"include-default", no_argument, NULL, OPT_DEFAULT},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	double secs;
	uint32_t n;
	int c;

	o->late_ms = 10000;
	while ((c = getopt_long(argc, argv, "ls:p:o:u:g:G:i:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'l':
			o->live = true;
			break;
		case 's':
			if (set_once(&o->state, optarg, "-s") < 0)
				return -1;
			break;
		case 'p':
			if (set_once(&o->base, optarg, "-p") < 0)
				return -1;
			break;
		case 'o':
			if (set_once(&o->output, optarg, "-o") < 0)
				return -1;
			break;
		case 'u':
			if (set_once(&o->unused, optarg, "-u") < 0)
				return -1;
			break;
		case 'g':
			if (set_once(&o->graph, optarg, "-g") < 0)
				return -1;
			break;
		case 'G':
			if (strnum_u32(optarg, 1000000, &n) < 0 || n < 2)
				return usage_error("-G: '%s' is not a number from 2 to 1000000",
						   optarg);
			o->generalize = n;
			break;
		case 'i':
			if (strnum_seconds(optarg, 86400.0 * 365, &secs) < 0)
				return usage_error("-i: '%s' is not a number of seconds",
						   optarg);
			o->late_ms = (uint32_t)(secs * 1000.0);
			break;
		case OPT_DEFAULT:
			o->include_default = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			version_print(stdout, log_prog());
			exit(0);
		default:
			return usage_error(NULL);
		}
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (!o->nfiles && !o->live && !o->state)
		return usage_error("no input: give secpolmonitor --json files, -l or -s");
	if (o->unused && !o->base)
		return usage_error("-u lists the unused rules of a base policy: it needs -p");
	return 0;
}

/* ---- input --------------------------------------------------------------- */

static void line_error(struct run *rn, const char *file, uint64_t line,
		       const char *msg)
{
	fprintf(stderr, "%s:%llu: error: %s\n", file, (unsigned long long)line,
		msg);
	rn->bad = true;
}

static void take_line(struct run *rn, const char *file, uint64_t lineno,
		      const char *line, size_t len)
{
	struct gen_event ev;
	char err[512];
	int r;

	r = gen_jparse(rn->jp, line, len, &ev, err, sizeof(err));
	if (r == 1)
		return;
	if (r == 0)
		r = gen_model_add(&rn->m, &ev, err, sizeof(err));
	if (r == GEN_ADD_NEW_KIND)
		fprintf(stderr,
			"%s:%llu: warning: unknown event kind '%.*s': skipped (said once per kind)\n",
			file, (unsigned long long)lineno,
			(int)(ev.kind_name.len > 40 ? 40 : ev.kind_name.len),
			ev.kind_name.s);
	else if (r == -ENOMEM)
		line_error(rn, file, lineno, "out of memory");
	else if (r < 0)
		line_error(rn, file, lineno, err);
}

static void read_file_events(struct run *rn, const char *path)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct gen_lines lines;
	const char *line;
	size_t len;
	int fd, r;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO :
				      open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		log_err("cannot open %s: %s", path, strerror(errno));
		rn->io_error = true;
		return;
	}
	if (gen_lines_init(&lines, fd, LINE_MAX_BYTES) < 0) {
		log_err("out of memory");
		rn->io_error = true;
		goto out;
	}
	while ((r = gen_lines_next(&lines, &line, &len)) != 0) {
		if (r == -E2BIG) {
			line_error(rn, name, lines.lineno,
				   "line longer than 1 MiB: skipped");
			continue;
		}
		if (r < 0) {
			log_err("cannot read %s: %s", name, strerror(-r));
			rn->io_error = true;
			break;
		}
		take_line(rn, name, lines.lineno, line, len);
	}
	gen_lines_free(&lines);
	rn->nfiles_read++;
out:
	if (fd != STDIN_FILENO)
		close(fd);
}

/* ---- output --------------------------------------------------------------- */

static int put_file(const char *path, const struct strbuf *sb)
{
	int r = write_file_atomic(path, sb_str(sb), sb->len, 0644);

	if (r < 0)
		log_err("cannot write %s: %s", path, strerror(-r));
	return r;
}

static void inputs_desc(const struct run *rn, struct strbuf *sb)
{
	const char *sep = "";

	if (rn->state_read) {
		sb_printf(sb, "the state file %s", rn->o.state);
		sep = ", ";
	}
	if (rn->o.nfiles) {
		sb_printf(sb, "%s%d event file%s", sep, rn->o.nfiles,
			  rn->o.nfiles == 1 ? "" : "s");
		sep = ", ";
	}
	if (rn->o.live)
		sb_printf(sb, "%slive events from secpold in %s", sep,
			  ctl_rundir());
}

/* Writes every output; 0, or -1 if one failed. */
static int write_outputs(struct run *rn)
{
	struct gen_write_opts wo = {
		.generalize = rn->o.generalize,
		.base = rn->have_base ? &rn->base : NULL,
		.unused_comments = rn->have_base && !rn->o.unused,
	};
	struct strbuf desc = STRBUF_INIT, pol = STRBUF_INIT,
		      notes = STRBUF_INIT, other = STRBUF_INIT;
	int status = 0, r;

	inputs_desc(rn, &desc);
	wo.inputs = sb_str(&desc);
	r = gen_write_policy(&rn->m, &wo, &pol, &notes);
	if (r < 0) {
		log_err("cannot make the policy: %s", strerror(-r));
		status = -1;
		goto out;
	}
	/* one warning per note line, so that each says who is speaking */
	for (const char *n = sb_str(&notes), *nl; *n; n = nl + 1) {
		nl = strchrnul(n, '\n');
		log_warn("%.*s", (int)(nl - n), n);
		if (!*nl)
			break;
	}
	/* what we write must compile: check it with the compiler itself */
	r = gen_check_policy("<generated policy>", sb_str(&pol), pol.len,
			     stderr);
	if (r == -EINVAL) {
		log_err("internal error: the generated policy does not compile (diagnostics above); it is written all the same");
		status = -1;
	} else if (r < 0) {
		log_err("cannot check the policy: %s", strerror(-r));
		status = -1;
	}
	if (rn->o.output) {
		if (put_file(rn->o.output, &pol) < 0)
			status = -1;
	} else if (fwrite(sb_str(&pol), 1, pol.len, stdout) != pol.len ||
		   fflush(stdout) == EOF) {
		log_err("cannot write the policy: %s", strerror(errno));
		status = -1;
	}
	if (rn->o.unused) {
		gen_base_unused(&rn->base, &rn->m, rn->m.include_default, "",
				&other);
		if (sb_error(&other) || put_file(rn->o.unused, &other) < 0)
			status = -1;
	}
	if (rn->o.graph) {
		sb_reset(&other);
		if (gen_write_dot(&rn->m, &other) < 0 ||
		    put_file(rn->o.graph, &other) < 0)
			status = -1;
	}
	if (rn->o.state) {
		r = gen_state_save(&rn->m, rn->o.state);
		if (r < 0) {
			log_err("cannot save the state to %s: %s (the old file, if any, is unchanged)",
				rn->o.state, strerror(-r));
			status = -1;
		}
	}
out:
	sb_free(&desc);
	sb_free(&pol);
	sb_free(&notes);
	sb_free(&other);
	return status;
}

/* ---- live --------------------------------------------------------------- */

static int live_connect(struct run *rn, struct gen_live **l, bool quiet)
{
	char err[512];
	int r = gen_live_open(l, rn->o.late_ms, err, sizeof(err));

	if (r < 0 && !quiet)
		log_err("%s", err);
	return r;
}

/* Learns from secpold until SIGINT or SIGTERM.  0, or -1 if it could not
 * start. */
static int run_live(struct run *rn)
{
	struct strbuf line = STRBUF_INIT;
	struct gen_live *l = NULL;
	struct signalfd_siginfo si;
	uint64_t lineno = 0;
	sigset_t set;
	bool stop = false;
	int sfd, r;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		log_err("cannot set up signals: %s", strerror(errno));
		return -1;
	}
	if (live_connect(rn, &l, false) < 0) {
		close(sfd);
		return -1;
	}
	log_info("learning from secpold in %s: SIGHUP writes the outputs, SIGINT or SIGTERM writes them and ends",
		 ctl_rundir());
	while (!stop) {
		struct pollfd pf[2] = {{sfd, POLLIN, 0}, {l ? gen_live_fd(l) : -1, POLLIN, 0}};

		r = poll(pf, 2, l ? -1 : RECONNECT_MS);
		if (r < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			break;
		}
		if (r > 0 && (pf[0].revents & POLLIN) &&
		    read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGHUP)
				write_outputs(rn);
			else
				stop = true;
			continue;
		}
		if (!l) {
			/* secpold went away: come back when it does */
			if (live_connect(rn, &l, true) == 0) {
				rn->m.gaps++;
				log_warn("secpold is back: learning again (events of the gap are missing)");
			}
			continue;
		}
		if (r <= 0 || !pf[1].revents)
			continue;
		r = gen_live_recv(l, &line);
		if (r == 1)
			take_line(rn, "<live>", ++lineno, sb_str(&line), line.len);
		else if (r < 0 && r != -EINTR && r != -EAGAIN) {
			log_warn(r == -EPIPE ? "secpold stopped: waiting for it to come back" :
					       "lost the connection to secpold (%s): waiting for it",
				 strerror(-r));
			gen_live_close(l);
			l = NULL;
		}
	}
	gen_live_close(l);
	close(sfd);
	sb_free(&line);
	return 0;
}

int main(int argc, char **argv)
{
	struct run *rn = calloc(1, sizeof(*rn));
	char err[512];
	int status = 1, i, r;

	log_init(argv[0]);
	argv[0] = (char *)log_prog();
	if (!rn) {
		log_err("out of memory");
		return 1;
	}
	if (parse(argc, argv, &rn->o) < 0) {
		free(rn);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	gen_model_init(&rn->m);
	rn->m.late_ms = rn->o.late_ms;
	rn->m.include_default = rn->o.include_default;
	rn->jp = gen_jparser_new();
	if (!rn->jp) {
		log_err("out of memory");
		goto out;
	}
	if (rn->o.state) {
		r = gen_state_load(&rn->m, rn->o.state, err, sizeof(err));
		if (r < 0 && r != -ENOENT) {
			/* never overwritten: nothing is written at all */
			log_err("%s: the state file is refused and left as it is",
				err);
			goto out;
		}
		rn->state_read = r == 0;
	}
	if (rn->o.base) {
		if (gen_base_load(&rn->base, rn->o.base, stderr) < 0) {
			gen_base_free(&rn->base);
			goto out;
		}
		rn->have_base = true;
	}
	for (i = 0; i < rn->o.nfiles; i++)
		read_file_events(rn, rn->o.files[i]);
	if (rn->o.live && run_live(rn) < 0)
		goto out;
	if (rn->m.lost)
		log_warn("%llu events were lost before they reached a monitor: the policy may lack what they showed",
			 (unsigned long long)rn->m.lost);
	if (rn->m.gaps)
		log_warn("%llu gap%s in the events (a monitor lost secpold and reconnected): the policy may lack what happened then",
			 (unsigned long long)rn->m.gaps, rn->m.gaps == 1 ? "" : "s");
	if (write_outputs(rn) < 0)
		rn->io_error = true;
	status = rn->bad || rn->io_error ? 1 : 0;
out:
	gen_jparser_free(rn->jp);
	if (rn->have_base)
		gen_base_free(&rn->base);
	gen_model_free(&rn->m);
	free(rn);
	return status;
}
