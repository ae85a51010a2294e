// SPDX-License-Identifier: BSD-2-Clause
/*
 * secpolmonitor: print what processes do against the policy, one line per
 * event (SPEC §5).  Filtering happens in secpold (and the kernel), not
 * here: this program subscribes with its options and prints what comes.
 * See secpolmonitor(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "common/util.h"
#include "ctl/client.h"
#include "event/event.h"
#include "policy/ability.h"
#include "policy/policy.h"

#define MAX_S 32

enum { OPT_JSON = 0x100, OPT_QUEUE };

struct mopts {
	struct ctl_subscribe sub;
	char names[CTL_MAX_PAYLOAD];
	size_t names_len;
	const char *output;
	const char *ranged[MAX_S];
	size_t nranged;
	bool json, verbose;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpolmonitor [-acnpqrsuv] [-f name] [-i time] [-o file] [-S ability-name]\n"
"                     [--json] [--queue N]\n"
"Show what processes do against the security policy, one line per event.\n"
"\n"
"  -a               ability checks\n"
"  -p               path-space attachments and links\n"
"                   (neither -a nor -p: both)\n"
"  -s               successes too (info: lines), not only failures\n"
"  -r               every repeated check, not only the first\n"
"  -c               combine processes of the same name\n"
"  -f name          only processes of this name (or last component);\n"
"                   may be repeated\n"
"  -n               include unnamed processes (before their exec)\n"
"  -i time          report a use again when it comes more than time\n"
"                   seconds after the process started\n"
"  -o file          write to file (created once the subscription is live)\n"
"  -S ability-name  show the values of this custom ability\n"
"  -v               verbose: time, ids, system call; routine noaudit\n"
"                   capability probes too\n"
"  -u               signals between types (not yet supported on Linux)\n"
"  -q               network channels (not yet supported on Linux)\n"
"      --json       one JSON object per line, every field\n"
"      --queue N    events secpold may hold for this monitor (default %d)\n"
"  -h, --help       show this help\n"
"\n"
"Runs until interrupted.  Lost events are reported as \"warning: N events\n"
"lost\".  See secpolmonitor(1).\n", 4096);
	/* clang-format on */
}

static int add_name(struct mopts *o, const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > EV_NAME_MAX) {
		log_err("-f: bad name");
		return -EINVAL;
	}
	if (o->sub.nnames >= CTL_SUB_MAX_NAMES ||
	    o->names_len + n + 1 > sizeof(o->names) - sizeof(struct ctl_subscribe)) {
		log_err("-f: too many names (at most %d)", CTL_SUB_MAX_NAMES);
		return -E2BIG;
	}
	/* names are matched without a leading '/', as they are printed */
	while (*name == '/')
		name++, n--;
	memcpy(o->names + o->names_len, name, n + 1);
	o->names_len += n + 1;
	o->sub.nnames++;
	return 0;
}

static int parse(int argc, char **argv, struct mopts *o)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"queue", required_argument, NULL, OPT_QUEUE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool want_a = false, want_p = false;
	double secs;
	uint32_t q;
	int c;

	while ((c = getopt_long(argc, argv, "acnpqrsuvf:i:o:S:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'a':
			want_a = true;
			break;
		case 'p':
			want_p = true;
			break;
		case 'c':
			o->sub.flags |= CTL_SUB_COMBINE;
			break;
		case 'n':
			o->sub.flags |= CTL_SUB_UNNAMED;
			break;
		case 'r':
			o->sub.flags |= CTL_SUB_REPEATS;
			break;
		case 's':
			o->sub.flags |= CTL_SUB_SUCCESS;
			break;
		case 'v':
			o->sub.flags |= CTL_SUB_NOAUDIT;
			o->verbose = true;
			break;
		case 'u':
			fprintf(stderr,
				"secpolmonitor: note: -u (signals between processes of different types) is not yet supported on Linux; no such events will be shown\n");
			break;
		case 'q':
			fprintf(stderr,
				"secpolmonitor: note: -q (network channel events) is not yet supported on Linux; no such events will be shown\n");
			break;
		case 'f':
			if (add_name(o, optarg) < 0)
				return -1;
			break;
		case 'i':
			if (strnum_seconds(optarg, 86400.0 * 365, &secs) < 0) {
				log_err("-i: '%s' is not a number of seconds",
					optarg);
				return -1;
			}
			o->sub.late_ms = (uint32_t)(secs * 1000.0);
			if (!o->sub.late_ms)
				o->sub.late_ms = 1;
			break;
		case 'o':
			if (o->output) {
				log_err("-o given twice");
				return -1;
			}
			o->output = optarg;
			break;
		case 'S':
			if (o->nranged == MAX_S) {
				log_err("-S: at most %d abilities", MAX_S);
				return -1;
			}
			o->ranged[o->nranged++] = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_QUEUE:
			if (strnum_u32(optarg, 65536, &q) < 0 || q == 0) {
				log_err("--queue: expected 1 to 65536");
				return -1;
			}
			o->sub.queue = q;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!want_a && !want_p)
		want_a = want_p = true;
	if (want_a)
		o->sub.kinds |= 1u << EV_ABILITY;
	if (want_p)
		o->sub.kinds |= 1u << EV_ATTACH | 1u << EV_LINK;
	o->sub.names_len = (uint16_t)o->names_len;
	return 0;
}

static struct sp_policy *policy_from_fd(int fd)
{
	struct sp_policy *p = NULL;
	char err[256], *buf = NULL;
	size_t len;

	if (fd < 0)
		return NULL;
	if (lseek(fd, 0, SEEK_SET) < 0 ||
	    read_fd_all(fd, SPB_MAX_FILE, &buf, &len) < 0)
		return NULL;
	if (sp_policy_load(buf, len, &p, err, sizeof(err)) < 0) {
		log_warn("the policy secpold sent is invalid (%s): showing numbers",
			 err);
		p = NULL;
	}
	free(buf);
	return p;
}

/* -S names, looked up in the current policy */
static void resolve_ranged(const struct mopts *o, const struct sp_policy *p,
			   uint16_t *ids, size_t *n, bool warn)
{
	size_t i;

	*n = 0;
	for (i = 0; i < o->nranged; i++) {
		uint16_t id;

		if (p && sp_policy_ability_lookup(p, o->ranged[i], &id) == 0 &&
		    ability_is_custom(id))
			ids[(*n)++] = id;
		else if (warn)
			log_warn("-S %s: not a custom ability of the running policy",
				 o->ranged[i]);
	}
}

int main(int argc, char **argv)
{
	struct mopts *o = calloc(1, sizeof(*o));
	struct ctl_msg *m = malloc(sizeof(*m));
	struct ev_format_opts fo = {0};
	struct strbuf line = STRBUF_INIT;
	struct sp_policy *policy = NULL;
	struct sp_event *e = malloc(sizeof(*e));
	uint16_t ranged_ids[MAX_S];
	char payload[CTL_MAX_PAYLOAD], err[1024];
	struct sigaction sa = {0};
	FILE *out = stdout;
	int sock = -1, r, status = 1;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	if (!o || !m || !e) {
		log_err("out of memory");
		goto out;
	}
	if (parse(argc, argv, o) < 0) {
		status = 2;
		goto out;
	}
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	sock = ctl_connect();
	if (sock == -EACCES || sock == -EPERM) {
		log_err("cannot talk to secpold in %s: only root may monitor",
			ctl_rundir());
		goto out;
	}
	if (sock < 0) {
		log_err("%s", ctl_no_daemon_hint());
		goto out;
	}
	memcpy(payload, &o->sub, sizeof(o->sub));
	memcpy(payload + sizeof(o->sub), o->names, o->names_len);
	r = ctl_call(sock, CTL_SUBSCRIBE, payload, sizeof(o->sub) + o->names_len,
		     -1, m, err, sizeof(err));
	if (r < 0) {
		struct strbuf q = STRBUF_INIT;

		sb_escape(&q, err, strlen(err), ESC_KEEP_SPACE);
		log_err("cannot subscribe: %s", err[0] ? sb_str(&q) : strerror(-r));
		sb_free(&q);
		goto out;
	}
	policy = policy_from_fd(m->fd);
	if (m->fd >= 0)
		close(m->fd);
	/* the subscription is live: only now does the file appear */
	if (o->output) {
		out = fopen(o->output, "we");
		if (!out) {
			log_err("cannot open %s: %s", o->output, strerror(errno));
			out = stdout;
			goto out;
		}
	}
	setvbuf(out, NULL, _IOLBF, 0);
	fo.flags = o->verbose ? EVFMT_VERBOSE : 0;
	resolve_ranged(o, policy, ranged_ids, &fo.nranged_custom, true);
	fo.ranged_custom = ranged_ids;

	while (!stop) {
		r = ctl_recv(sock, m);
		if (r == -EINTR)
			continue;
		if (r < 0) {
			if (!stop)
				log_err(r == -EPIPE ? "secpold stopped" :
						      "lost the connection to secpold: %s",
					strerror(-r));
			break;
		}
		if (m->hdr.type == CTL_POLICY) {
			struct sp_policy *np = policy_from_fd(m->fd);

			if (np) {
				sp_policy_free(policy);
				policy = np;
				resolve_ranged(o, policy, ranged_ids,
					       &fo.nranged_custom, false);
			}
		} else if (m->hdr.type == CTL_EVENT &&
			   ev_decode(m->payload, m->hdr.len, e) == 0) {
			sb_reset(&line);
			if (o->json)
				ev_format_json(e, policy, &fo, &line);
			else
				ev_format_text(e, policy, &fo, &line);
			sb_putc(&line, '\n');
			if (fwrite(sb_str(&line), 1, line.len, out) != line.len ||
			    fflush(out) == EOF) {
				log_err("cannot write: %s", strerror(errno));
				break;
			}
		}
		if (m->fd >= 0)
			close(m->fd);
	}
	if (stop)
		status = 0;
out:
	if (out != stdout && fclose(out) == EOF) {
		log_err("cannot write %s: %s", o->output, strerror(errno));
		status = 1;
	}
	if (sock >= 0)
		close(sock);
	sb_free(&line);
	sp_policy_free(policy);
	free(e);
	free(m);
	free(o);
	return status;
}
