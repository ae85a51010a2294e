// SPDX-License-Identifier: BSD-2-Clause
/*
 * secpolmonitor: print what processes do against the policy, one line per
 * event (SPEC §5).  Filtering happens in secpold (and the kernel), except
 * -t, which needs the type names of the running policy at the time each
 * event arrives: this program subscribes with its options and prints what
 * comes.  See secpolmonitor(1).
 *
 * One loop waits (poll) for three things: a message from secpold, a signal
 * (through a self-pipe, so none is lost between a check and the wait), and
 * the output going away (a pipe whose reader left reports POLLERR on the
 * write end even when nothing is written).  When secpold goes, the monitor
 * reconnects and says which stretch of time it did not see.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "common/util.h"
#include "common/version.h"
#include "ctl/client.h"
#include "event/event.h"
#include "lang/suggest.h"
#include "policy/ability.h"
#include "policy/format.h"
#include "policy/policy.h"

#define MAX_S 32
#define MAX_T 64
#define RECONNECT_MS 250	  /* between attempts while secpold is away */
#define SUBSCRIBE_TIMEOUT_MS 5000 /* for the reply of a live secpold */

enum { OPT_JSON = 0x100, OPT_QUEUE, OPT_ONCE, OPT_VERSION };

struct mopts {
	/* the CTL_SUBSCRIBE payload: struct ctl_subscribe, then -f names */
	char payload[CTL_MAX_PAYLOAD];
	size_t payload_len;
	struct ctl_subscribe sub;
	size_t names_len;
	const char *output;
	const char *ranged[MAX_S];
	size_t nranged;
	const char *types[MAX_T];
	size_t ntypes;
	bool json, verbose, once;
};

struct monitor {
	const struct mopts *o;
	int sock;	      /* the subscription, or -1 while away */
	int out;	      /* standard output or the -o file */
	bool out_is_file;     /* out is the -o file (opened once subscribed) */
	const char *out_name; /* for messages */
	struct sp_policy *policy;
	uint16_t ranged_ids[MAX_S];
	uint32_t type_ids[MAX_T]; /* -t in the current policy (or SPB_NO_TYPE) */
	struct ev_format_opts fo;
	struct ctl_msg *m;
	struct sp_event *e;
	struct strbuf line;
	uint32_t seq;
};

/* What writing a line came to. */
enum out_result { OUT_OK, OUT_GONE, OUT_FAILED, OUT_STOPPED };

/* What ended a wait. */
enum wake { WAKE_SOCK, WAKE_TIMEOUT, WAKE_SIGNAL, WAKE_OUT_GONE };

static volatile sig_atomic_t stop, reopen;
static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGHUP)
		reopen = 1;
	else
		stop = 1;
	/* wakes the poll even if the signal came just before it */
	if (write(sig_pipe[1], "", 1) < 0) {
		/* full: a wake-up is already pending */
	}
	errno = saved;
}

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpolmonitor [-acnpqrsuv] [-f name] [-i time] [-o file] [-S ability-name]\n"
"                     [-t type] [--json] [--queue N] [--once]\n"
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
"  -t type          only processes of this type (as the running policy\n"
"                   names it); may be repeated\n"
"  -n               include unnamed processes (before their exec)\n"
"  -i time          report a use again when it comes more than time\n"
"                   seconds after the process started, marked so\n"
"  -o file          write to file (created once the subscription is live;\n"
"                   SIGHUP reopens it)\n"
"  -S ability-name  show the values of this custom ability\n"
"  -v               verbose: time, ids, system call; routine noaudit\n"
"                   capability probes too\n"
"  -u               signals between types (one line per sender type,\n"
"                   receiver type and signal; -r: every signal)\n"
"  -q               network: inet binds and connects of every process\n"
"      --json       one JSON object per line, every field\n"
"      --queue N    events secpold may hold for this monitor (default %d)\n"
"      --once       exit when secpold stops instead of reconnecting\n"
"  -h, --help       show this help\n"
"      --version    show the version\n"
"\n"
"Runs until interrupted or until its output is closed.  Lost events are\n"
"reported as \"warning: N events lost\"; if secpold stops, the monitor\n"
"reconnects and marks the gap.  See secpolmonitor(1).\n", 4096);
	/* clang-format on */
}

/* The second line of every usage error. */
static void try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", log_prog());
}

static int add_name(struct mopts *o, const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > EV_NAME_MAX) {
		log_err("-f: bad name");
		return -EINVAL;
	}
	if (o->sub.nnames >= CTL_SUB_MAX_NAMES ||
	    o->names_len + n + 1 > sizeof(o->payload) - sizeof(struct ctl_subscribe)) {
		log_err("-f: too many names (at most %d)", CTL_SUB_MAX_NAMES);
		return -E2BIG;
	}
	/* names are matched without a leading '/', as they are printed */
	while (*name == '/')
		name++, n--;
	memcpy(o->payload + sizeof(o->sub) + o->names_len, name, n + 1);
	o->names_len += n + 1;
	o->sub.nnames++;
	return 0;
}

static int add_type(struct mopts *o, const char *name)
{
	if (!*name) {
		log_err("-t: empty type name");
		return -EINVAL;
	}
	if (o->ntypes == MAX_T) {
		log_err("-t: at most %d types", MAX_T);
		return -E2BIG;
	}
	o->types[o->ntypes++] = name;
	return 0;
}

/* 0, 1 when the program is done (--help, --version), or -1 after a
 * message (bad usage). */
static int parse(int argc, char **argv, struct mopts *o)
{
	static const struct option longopts[] = {
		{"json", no_argument, NULL, OPT_JSON},
		{"queue", required_argument, NULL, OPT_QUEUE},
		{"once", no_argument, NULL, OPT_ONCE},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	bool want_a = false, want_p = false;
	double secs;
	uint32_t q;
	int c;

	while ((c = getopt_long(argc, argv, "acnpqrsuvf:i:o:S:t:h", longopts,
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
			o->sub.kinds |= 1u << EV_SIGNAL;
			break;
		case 'q':
			o->sub.kinds |= 1u << EV_NET;
			break;
		case 'f':
			if (add_name(o, optarg) < 0)
				return -1;
			break;
		case 't':
			if (add_type(o, optarg) < 0)
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
		case OPT_ONCE:
			o->once = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case OPT_VERSION:
			version_print(stdout, "secpolmonitor");
			return 1;
		default:
			/* getopt said what was wrong */
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
	memcpy(o->payload, &o->sub, sizeof(o->sub));
	o->payload_len = sizeof(o->sub) + o->names_len;
	return 0;
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int64_t mono_ms(void)
{
	return (int64_t)(clock_ns(CLOCK_MONOTONIC) / 1000000u);
}

static int setup_signals(const struct mopts *o)
{
	struct sigaction sa = {0}, old;

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	/* no SA_RESTART: a write blocked on a full pipe returns, so that
	 * SIGTERM stops a monitor whose reader is stuck */
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* SIGHUP reopens the -o file; without -o, or under nohup, it keeps
	 * the disposition it came with */
	if (o->output && sigaction(SIGHUP, NULL, &old) == 0 &&
	    old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	/* a closed pipe is EPIPE from write, handled there */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * Waits up to timeout_ms (-1: no limit) for sock (unless < 0) to become
 * readable, for a signal, or (if watch_out) for the output to go away.
 */
static enum wake wait_for(const struct monitor *mon, int sock, int timeout_ms,
			  bool watch_out)
{
	struct pollfd p[3] = {
		{.fd = sig_pipe[0], .events = POLLIN},
		/* no events asked: POLLERR (a pipe without a reader) and
		 * POLLHUP (a hung-up terminal or socket) come anyway, and a
		 * file never reports them */
		{.fd = watch_out ? mon->out : -1, .events = 0},
		{.fd = sock, .events = POLLIN},
	};
	char drain[64];
	int r;

	if (stop || reopen)
		return WAKE_SIGNAL;
	r = poll(p, sock >= 0 ? 3 : 2, timeout_ms);
	if (r < 0)
		return WAKE_SIGNAL; /* EINTR; the flags tell which */
	if (r == 0)
		return WAKE_TIMEOUT;
	if (p[0].revents) {
		while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
			;
		return WAKE_SIGNAL;
	}
	if (p[1].revents & (POLLERR | POLLHUP))
		return WAKE_OUT_GONE;
	if (sock >= 0 && p[2].revents)
		return WAKE_SOCK;
	return WAKE_TIMEOUT;
}

/* SIGHUP: the -o file was moved away (log rotation); write to a file of
 * that name again, created or appended to. */
static void reopen_output(struct monitor *mon)
{
	int fd;

	reopen = 0;
	/* before the first subscription there is no file yet: it is
	 * opened by name anyway */
	if (!mon->out_is_file)
		return;
	fd = open(mon->o->output,
		  O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0666);
	if (fd < 0) {
		log_err("cannot reopen %s: %s; still writing to the file it named before",
			mon->o->output, strerror(errno));
		return;
	}
	if (close(mon->out) < 0)
		log_err("cannot write %s (before reopening it): %s",
			mon->o->output, strerror(errno));
	mon->out = fd;
}

/* Writes the line and a newline. */
static enum out_result emit(struct monitor *mon)
{
	const char *p;
	size_t left;

	sb_putc(&mon->line, '\n');
	if (sb_error(&mon->line)) {
		log_err("out of memory");
		return OUT_FAILED;
	}
	p = sb_str(&mon->line);
	left = mon->line.len;
	while (left) {
		ssize_t n = write(mon->out, p, left);

		if (n >= 0) {
			p += n;
			left -= (size_t)n;
			continue;
		}
		if (errno == EINTR) {
			if (stop)
				return OUT_STOPPED;
			continue;
		}
		if (errno == EAGAIN) {
			/* an output left non-blocking by whoever gave it */
			struct pollfd w[2] = {
				{.fd = mon->out, .events = POLLOUT},
				{.fd = sig_pipe[0], .events = POLLIN},
			};
			char drain[64];

			poll(w, 2, -1);
			/* the flags keep what the pipe said */
			while (read(sig_pipe[0], drain, sizeof(drain)) > 0)
				;
			if (stop)
				return OUT_STOPPED;
			continue;
		}
		if (errno == EPIPE)
			return OUT_GONE; /* as `yes | head`: not an error */
		log_err("cannot write to %s: %s", mon->out_name, strerror(errno));
		return OUT_FAILED;
	}
	return OUT_OK;
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
static void resolve_ranged(struct monitor *mon, bool warn)
{
	const struct mopts *o = mon->o;
	size_t i;

	mon->fo.nranged_custom = 0;
	for (i = 0; i < o->nranged; i++) {
		uint16_t id;

		if (mon->policy &&
		    sp_policy_ability_lookup(mon->policy, o->ranged[i], &id) == 0 &&
		    ability_is_custom(id))
			mon->ranged_ids[mon->fo.nranged_custom++] = id;
		else if (warn)
			log_warn("-S %s: not a custom ability of the running policy",
				 o->ranged[i]);
	}
	mon->fo.ranged_custom = mon->ranged_ids;
}

static int type_lookup(const struct sp_policy *p, const char *name,
		       uint32_t *id)
{
	if (p)
		return sp_policy_type_lookup(p, name, id);
	/* no policy loaded: only type 0 exists */
	if (strcmp(name, "default") != 0)
		return -ENOENT;
	*id = 0;
	return 0;
}

/*
 * -t names, looked up in the current policy: a push may number the types
 * anew, and develop mode adds types, so the IDs are those of the policy
 * the events come under.  Returns the number of names not found.
 */
static size_t resolve_types(struct monitor *mon, bool warn)
{
	size_t i, missing = 0;

	for (i = 0; i < mon->o->ntypes; i++) {
		if (type_lookup(mon->policy, mon->o->types[i],
				&mon->type_ids[i]) == 0)
			continue;
		mon->type_ids[i] = SPB_NO_TYPE;
		missing++;
		if (warn)
			log_warn("-t %s: no longer a type of the running policy",
				 mon->o->types[i]);
	}
	return missing;
}

/* The first policy: each -t name must be one of its types. */
static int check_types(const struct monitor *mon)
{
	const struct sp_policy *p = mon->policy;
	size_t i;

	for (i = 0; i < mon->o->ntypes; i++) {
		const char *name = mon->o->types[i];
		struct suggester sg;
		uint32_t id, k;

		if (type_lookup(p, name, &id) == 0)
			continue;
		suggester_init(&sg, name, strlen(name), false);
		suggester_add(&sg, "default");
		for (k = 0; p && k < sp_policy_type_count(p); k++)
			suggester_add(&sg, sp_policy_type_name(p, k));
		if (suggester_best(&sg))
			log_err("-t: unknown type '%s' in the running policy; did you mean '%s'?",
				name, suggester_best(&sg));
		else
			log_err("-t: unknown type '%s' in the running policy",
				name);
		return -1;
	}
	return 0;
}

static void set_policy(struct monitor *mon, struct sp_policy *p, bool first)
{
	sp_policy_free(mon->policy);
	mon->policy = p;
	resolve_ranged(mon, first);
	resolve_types(mon, !first);
}

static bool type_wanted(const struct monitor *mon, const struct sp_event *e)
{
	size_t i;

	if (!mon->o->ntypes || e->kind == EV_LOST || e->kind == EV_NEWTYPE)
		return true;
	for (i = 0; i < mon->o->ntypes; i++)
		if (mon->type_ids[i] == e->type)
			return true;
	return false;
}

/*
 * Connects and subscribes.  On success mon->sock is the subscription and
 * mon->policy the running policy.  Returns 0, -EINTR when stopped by a
 * signal, or -errno (err holds secpold's reason for a refusal).
 */
static int subscribe(struct monitor *mon, char *err, size_t errlen, bool first)
{
	struct ctl_msg *m = mon->m;
	uint32_t seq = ++mon->seq;
	int64_t deadline = mono_ms() + SUBSCRIBE_TIMEOUT_MS;
	int sock, r;

	err[0] = '\0';
	sock = ctl_connect();
	if (sock < 0)
		return sock;
	r = ctl_send(sock, CTL_SUBSCRIBE, 0, seq, mon->o->payload,
		     mon->o->payload_len, -1);
	while (r == 0) {
		int64_t left = deadline - mono_ms();

		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		switch (wait_for(mon, sock, (int)left, false)) {
		case WAKE_SIGNAL:
			if (stop)
				r = -EINTR;
			else if (reopen)
				reopen_output(mon);
			continue;
		case WAKE_SOCK:
			break;
		case WAKE_TIMEOUT:
		case WAKE_OUT_GONE: /* not watched here */
			continue;
		}
		r = ctl_recv(sock, m);
		if (r == -EINTR || r == -EAGAIN) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		if (m->hdr.type != (CTL_SUBSCRIBE | CTL_REPLY)) {
			if (m->fd >= 0)
				close(m->fd);
			continue;
		}
		if (m->hdr.seq != seq) {
			r = -EPROTO;
		} else if (m->hdr.status < 0) {
			size_t n = strnlen(m->payload, m->hdr.len);

			n = n < errlen ? n : errlen - 1;
			memcpy(err, m->payload, n);
			err[n] = '\0';
			r = m->hdr.status;
		} else {
			mon->sock = sock;
			set_policy(mon, policy_from_fd(m->fd), first);
		}
		if (m->fd >= 0)
			close(m->fd);
		if (r == 0)
			return 0;
		break;
	}
	close(sock);
	return r;
}

/* A gap line (or object) in the output stream. */
static enum out_result emit_gap(struct monitor *mon, const struct ev_gap *g)
{
	sb_reset(&mon->line);
	if (mon->o->json)
		ev_format_gap_json(g, &mon->line);
	else
		ev_format_gap_text(g, &mon->line);
	return emit(mon);
}

static int exit_status(enum out_result r)
{
	return r == OUT_FAILED ? 1 : 0;
}

/*
 * secpold went away (why: how the connection ended).  Says so, tries again
 * every RECONNECT_MS with the same subscription, and says how long the
 * monitor was blind.  Returns -1 when monitoring again, else the status
 * to exit with.
 */
static int reconnect(struct monitor *mon, int why)
{
	struct ev_gap g = {.since_ns = clock_ns(CLOCK_REALTIME)};
	int64_t next = mono_ms() + RECONNECT_MS;
	enum out_result w;
	char err[1024];
	int last = 0, r;

	if (why != -EPIPE && why != -ECONNRESET)
		log_warn("lost the connection to secpold: %s", strerror(-why));
	w = emit_gap(mon, &g);
	if (w != OUT_OK)
		return exit_status(w);
	for (;;) {
		int64_t left = next - mono_ms();

		switch (wait_for(mon, -1, left > 0 ? (int)left : 0, true)) {
		case WAKE_SIGNAL:
			if (stop)
				return 0;
			if (reopen)
				reopen_output(mon);
			continue;
		case WAKE_OUT_GONE:
			return 0;
		case WAKE_SOCK:
		case WAKE_TIMEOUT:
			break;
		}
		if (mono_ms() < next)
			continue;
		next = mono_ms() + RECONNECT_MS;
		r = subscribe(mon, err, sizeof(err), false);
		if (r == 0)
			break;
		if (stop)
			return 0;
		/* no daemon yet is the expected answer; say anything else
		 * once */
		if (r != -ENOENT && r != -ECONNREFUSED && r != last) {
			struct strbuf q = STRBUF_INIT;

			sb_escape(&q, err, strlen(err), ESC_KEEP_SPACE);
			log_warn("cannot subscribe again: %s; retrying",
				 err[0] ? sb_str(&q) : strerror(-r));
			sb_free(&q);
		}
		last = r;
	}
	g.resumed = true;
	g.until_ns = clock_ns(CLOCK_REALTIME);
	w = emit_gap(mon, &g);
	return w == OUT_OK ? -1 : exit_status(w);
}

/* One message from secpold: a policy to name things by, or an event. */
static enum out_result handle(struct monitor *mon)
{
	struct ctl_msg *m = mon->m;
	enum out_result r = OUT_OK;

	if (m->hdr.type == CTL_POLICY) {
		struct sp_policy *np = policy_from_fd(m->fd);

		if (np)
			set_policy(mon, np, false);
	} else if (m->hdr.type == CTL_EVENT &&
		   ev_decode(m->payload, m->hdr.len, mon->e) == 0 &&
		   type_wanted(mon, mon->e)) {
		sb_reset(&mon->line);
		if (mon->o->json)
			ev_format_json(mon->e, mon->policy, &mon->fo, &mon->line);
		else
			ev_format_text(mon->e, mon->policy, &mon->fo, &mon->line);
		r = emit(mon);
	}
	if (m->fd >= 0)
		close(m->fd);
	return r;
}

/* Until a signal stops it, the output goes, or (--once) secpold goes. */
static int run(struct monitor *mon)
{
	enum out_result w;
	int r;

	for (;;) {
		switch (wait_for(mon, mon->sock, -1, true)) {
		case WAKE_SIGNAL:
			if (stop)
				return 0;
			if (reopen)
				reopen_output(mon);
			continue;
		case WAKE_OUT_GONE:
			return 0;
		case WAKE_TIMEOUT:
			continue;
		case WAKE_SOCK:
			break;
		}
		r = ctl_recv(mon->sock, mon->m);
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			close(mon->sock);
			mon->sock = -1;
			if (mon->o->once) {
				log_err(r == -EPIPE ? "secpold stopped" :
						      "lost the connection to secpold: %s",
					strerror(-r));
				return 1;
			}
			r = reconnect(mon, r);
			if (r >= 0)
				return r;
			continue;
		}
		w = handle(mon);
		if (w != OUT_OK)
			return exit_status(w);
	}
}

/* The first subscription; status to exit with if it failed, else -1. */
static int start(struct monitor *mon)
{
	char err[1024];
	int r;

	r = subscribe(mon, err, sizeof(err), true);
	if (r == 0)
		return -1;
	if (r == -EINTR)
		return 0;
	if (r == -EACCES || r == -EPERM) {
		if (!err[0]) {
			log_err("cannot talk to secpold in %s: only root may monitor",
				ctl_rundir());
			return 1;
		}
	} else if (r == -ENOENT || r == -ECONNREFUSED) {
		log_err("%s", ctl_no_daemon_hint());
		return 1;
	}
	{
		struct strbuf q = STRBUF_INIT;

		sb_escape(&q, err, strlen(err), ESC_KEEP_SPACE);
		log_err("cannot subscribe: %s", err[0] ? sb_str(&q) : strerror(-r));
		sb_free(&q);
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct mopts *o = calloc(1, sizeof(*o));
	struct monitor mon = {.sock = -1, .out = STDOUT_FILENO,
			      .out_name = "standard output",
			      .line = STRBUF_INIT};
	int r, status = 1;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	mon.o = o;
	mon.m = malloc(sizeof(*mon.m));
	mon.e = malloc(sizeof(*mon.e));
	if (!o || !mon.m || !mon.e) {
		log_err("out of memory");
		goto out;
	}
	r = parse(argc, argv, o);
	if (r != 0) {
		if (r < 0)
			try_help();
		status = r < 0 ? 2 : 0;
		goto out;
	}
	if (!o->output && fcntl(STDOUT_FILENO, F_GETFL) < 0) {
		log_err("cannot write to standard output: %s", strerror(errno));
		goto out;
	}
	if (setup_signals(o) < 0) {
		log_err("cannot set up signal handling: %s", strerror(errno));
		goto out;
	}
	r = start(&mon);
	if (r >= 0) {
		status = r;
		goto out;
	}
	if (check_types(&mon) < 0) {
		try_help();
		status = 2;
		goto out;
	}
	/* the subscription is live: only now does the file appear */
	if (o->output) {
		mon.out = open(o->output,
			       O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
			       0666);
		if (mon.out < 0) {
			log_err("cannot open %s: %s", o->output, strerror(errno));
			goto out;
		}
		mon.out_name = o->output;
		mon.out_is_file = true;
	}
	mon.fo.flags = o->verbose ? EVFMT_VERBOSE : 0;
	mon.fo.late_ms = o->sub.late_ms;
	status = run(&mon);
out:
	if (mon.out_is_file && close(mon.out) < 0) {
		log_err("cannot write %s: %s", o->output, strerror(errno));
		status = 1;
	}
	if (mon.sock >= 0)
		close(mon.sock);
	sb_free(&mon.line);
	sp_policy_free(mon.policy);
	free(mon.e);
	free(mon.m);
	free(o);
	return status;
}
