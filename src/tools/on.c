// SPDX-License-Identifier: BSD-2-Clause
/*
 * on -T type [-u uid[:gid]] command [args]: run a command under a type.
 * See on(1).
 *
 * The command runs in a child.  secpold types the child (or, when `on`
 * itself is typed, retypes it: a typed process cannot add a listener),
 * the child takes on the type's capabilities and, in a new tree, installs
 * the supervision filter whose listener secpold takes over.  `on` keeps a
 * copy of that listener: if secpold dies, `on` refuses every supervised
 * call (fail closed) until a new secpold takes the tree back.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/fileio.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "common/util.h"
#include "common/version.h"
#include "ctl/client.h"
#include "launch/launch.h"

#define EXIT_USAGE 2
#define EXIT_NOEXEC 126
#define EXIT_NOTFOUND 127

struct opts {
	const char *type;
	bool have_user;
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* the user's supplementary groups (-u) */
	int ngroups;
	bool close_fds; /* -C: no descriptor above 2 reaches the command */
	char **argv;
};

/* What the parent tells the child after secpold has typed it. */
struct setup {
	uint32_t flags; /* CTL_AR_* */
	uint64_t caps_root, caps_nonroot;
	uint32_t nrules;
	uint32_t rules_len; /* followed by the rules (struct ctl_fs_rule) */
};

/* The largest rule list `on` reads (a policy's type with more rules is
 * refused, not confined less). */
#define MAX_RULES_LEN (16u << 20)

/* How the child failed: the stage, an errno, and what it was doing. */
enum { STAGE_SETUP, STAGE_CONFINE, STAGE_EXEC };

struct child_report {
	int32_t stage;
	int32_t err;
	char why[248]; /* (one pipe write: atomic) */
};

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: on -T type [-u uid[:gid]] [-C] [--] command [args...]\n"
"Run a command under a security type of the policy secpold enforces.\n"
"\n"
"  -T type          the type (from the policy)\n"
"  -u uid[:gid]     run as this user and group (numbers or names)\n"
"  -C, --close-fds  close every descriptor above 2 for the command\n"
"  -h, --help       show this help\n"
"      --version    show the version\n"
"\n"
"Exit status: the command's; 1 when the type is unknown or refused or no\n"
"secpold runs; 126 when the command cannot be run or confined; 127 when\n"
"it is not found; 2 for bad usage.  See on(1).\n");
	/* clang-format on */
}

/* initgroups(3)'s list, for the child to set: name's groups and o->gid. */
static int user_groups(const char *name, struct opts *o)
{
	static gid_t *groups; /* kept until exit (the child uses it) */
	int n = 64;

	for (;;) {
		gid_t *g = realloc(groups, sizeof(*g) * (size_t)n);
		int want = n;

		if (!g)
			return -ENOMEM;
		groups = g;
		if (getgrouplist(name, o->gid, groups, &want) >= 0) {
			o->groups = groups;
			o->ngroups = want;
			return 0;
		}
		if (want <= n || want > 65536)
			return -EINVAL;
		n = want;
	}
}

static int parse_user(const char *arg, struct opts *o)
{
	char *copy = strdup(arg), *colon;
	struct passwd *pw;
	uint64_t v;

	if (!copy)
		return -ENOMEM;
	colon = strchr(copy, ':');
	if (colon)
		*colon++ = '\0';
	if (strnum_u64(copy, 10, 0, 0xfffffffe, &v) == 0) {
		o->uid = (uid_t)v;
		pw = getpwuid(o->uid);
	} else {
		pw = getpwnam(copy);
		if (!pw) {
			log_err("unknown user '%s'", copy);
			free(copy);
			return -EINVAL;
		}
		o->uid = pw->pw_uid;
	}
	/* without a group: the user's own, or the same number */
	o->gid = pw ? pw->pw_gid : (gid_t)o->uid;
	if (colon) {
		struct group *gr;

		if (strnum_u64(colon, 10, 0, 0xfffffffe, &v) == 0) {
			o->gid = (gid_t)v;
		} else if ((gr = getgrnam(colon))) {
			o->gid = gr->gr_gid;
		} else {
			log_err("unknown group '%s'", colon);
			free(copy);
			return -EINVAL;
		}
	}
	/* Looked up here, untyped: the typed child's name service lookups
	 * (nscd, systemd-userdb sockets) would meet the unix hooks. */
	if (pw && user_groups(pw->pw_name, o) < 0) {
		log_err("cannot list the groups of user '%s'", pw->pw_name);
		free(copy);
		return -EINVAL;
	}
	o->have_user = true;
	free(copy);
	return 0;
}

static void print_daemon_error(const char *what, const char *msg)
{
	struct strbuf sb = STRBUF_INIT;

	sb_escape(&sb, msg, strlen(msg), ESC_KEEP_SPACE);
	log_err("%s: %s", what, sb_str(&sb));
	sb_free(&sb);
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? -EPIPE : -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void child_report(int fd, int stage, int err, const char *why)
{
	struct child_report rep = {.stage = stage, .err = err};

	if (why)
		snprintf(rep.why, sizeof(rep.why), "%s", why);
	if (write(fd, &rep, sizeof(rep)) != sizeof(rep))
		_exit(EXIT_NOEXEC);
	_exit(err == ENOENT && stage == STAGE_EXEC ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

static void child_fail(int fd, int err)
{
	child_report(fd, STAGE_SETUP, err, NULL);
}

/*
 * Builds the child's Landlock ruleset from its type's rules, while it is
 * still the caller's user (see launch_confine_prepare).  -1 for a kernel
 * without Landlock (a warning); any other failure ends the child: the
 * command never runs with less confinement than its type has.
 */
static int confine_prepare(const struct setup *su, const char *blob,
			   int status)
{
	struct launch_rules rules;
	char why[200] = "";
	int r, ruleset;

	if (su->flags & CTL_AR_UNCONFINED)
		return -1; /* a learning type: what it makes is what it learns */
	r = launch_rules_decode(blob, su->rules_len, su->nrules, &rules);
	if (r < 0)
		child_report(status, STAGE_CONFINE, -r,
			     "the rule list from secpold is malformed");
	r = launch_confine_prepare(rules.v, rules.n, &ruleset, NULL, why,
				   sizeof(why));
	launch_rules_free(&rules);
	if (r == -EOPNOTSUPP) {
		fprintf(stderr,
			"on: warning: this kernel has no Landlock (version 2 or later): the process's own renames and links of sockets, FIFOs and symbolic links are not confined\n");
		return -1;
	}
	if (r < 0)
		child_report(status, STAGE_CONFINE, -r, why);
	return ruleset;
}

static void confine_apply(int ruleset, int status)
{
	int r;

	if (ruleset < 0)
		return;
	r = launch_confine_apply(ruleset);
	if (r < 0)
		child_report(status, STAGE_CONFINE, -r,
			     "Landlock refuses the domain");
}

/*
 * The child: waits to be typed, becomes the user, takes the type's
 * capabilities, installs the filter (in a new tree), then execs.
 * Reports failures as an errno on `status` (close-on-exec, so EOF on it
 * means the exec succeeded).
 */
static void child(const struct opts *o, int from_parent, int to_parent,
		  int status)
{
	char *blob = NULL;
	struct setup su;
	int32_t lfd = -1;
	int r, ruleset;
	char go;

	if (read_full(from_parent, &su, sizeof(su)) < 0 ||
	    su.rules_len > MAX_RULES_LEN ||
	    !(blob = malloc(su.rules_len ? su.rules_len : 1)) ||
	    read_full(from_parent, blob, su.rules_len) < 0)
		_exit(1);
	ruleset = confine_prepare(&su, blob, status);
	free(blob);
	if (o->have_user) {
		if (setgroups((size_t)o->ngroups, o->groups) < 0)
			child_fail(status, errno);
		/* keep the permitted set across the uid change; the type's
		 * non-root capabilities are applied below */
		if (prctl(PR_SET_KEEPCAPS, 1) < 0 ||
		    setresgid(o->gid, o->gid, o->gid) < 0 ||
		    setresuid(o->uid, o->uid, o->uid) < 0)
			child_fail(status, errno);
	}
	if (su.flags & CTL_AR_NEEDS_LISTENER) {
		struct launch_caps lc = {
			.caps = geteuid() == 0 ? su.caps_root : su.caps_nonroot,
			.lock_keepcaps = su.caps_root != su.caps_nonroot,
		};

		if (prctl(PR_SET_KEEPCAPS, 0) < 0)
			child_fail(status, errno);
		r = launch_set_caps(&lc);
		if (r < 0)
			child_fail(status, -r);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_fail(status, errno);
		lfd = launch_install_filter(su.flags & CTL_AR_LIMITS);
		if (lfd < 0)
			child_fail(status, -lfd);
		confine_apply(ruleset, status);
	} else {
		uint64_t missing = 0;

		prctl(PR_SET_KEEPCAPS, 0);
		r = launch_reduce_caps(geteuid() == 0 ? su.caps_root :
							su.caps_nonroot,
				       &missing);
		if (r < 0 && r != -EPERM)
			child_fail(status, -r);
		if (missing)
			fprintf(stderr,
				"on: warning: the new type grants capabilities this process does not hold (0x%llx); a typed process cannot gain them\n",
				(unsigned long long)missing);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		confine_apply(ruleset, status); /* stacked on the old type's */
	}
	/* tell the parent which descriptor to hand to secpold, then wait
	 * until secpold has it before running anything supervised */
	if (write(to_parent, &lfd, sizeof(lfd)) != sizeof(lfd) ||
	    read_full(from_parent, &go, 1) < 0)
		_exit(1);
	if (lfd >= 0)
		close(lfd);
	close(from_parent);
	close(to_parent);
	/* close-on-exec rather than closed: `status` must still report a
	 * failed exec */
	if (o->close_fds && close_range(3, ~0u, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(status, errno);
	execvp(o->argv[0], o->argv);
	child_report(status, STAGE_EXEC, errno, NULL);
}

/* Shared with secpold: the notification it received and answered last. */
static volatile struct ctl_listener_state *lstate;
static int lstate_fd = -1;

static void make_listener_state(void)
{
	void *p;

	lstate_fd = memfd_create("secpol-listener",
				 MFD_CLOEXEC | MFD_ALLOW_SEALING);
	/* secpold maps only a memfd that cannot shrink under it */
	if (lstate_fd < 0 || ftruncate(lstate_fd, sizeof(*lstate)) < 0 ||
	    fcntl(lstate_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)
		return;
	p = mmap(NULL, sizeof(*lstate), PROT_READ | PROT_WRITE, MAP_SHARED,
		 lstate_fd, 0);
	if (p != MAP_FAILED)
		lstate = p;
}

/* How many notification ids after the last answered one to look at. */
#define ORPHAN_PROBE 256

/*
 * secpold died between receiving a call and answering it: the caller
 * would wait forever (our copy keeps the listener alive), so refuse it.
 * A kill during secpold's receive leaves no record of the id; a filter's
 * ids are consecutive, so the ones after the last answered are probed
 * (only a call that was received and not answered is "valid": nobody else
 * has received anything from this listener yet).
 */
static void refuse_orphan(int holdfd)
{
	struct seccomp_notif_resp resp;
	__u64 id, n;

	if (!lstate)
		return;
	/* before any answer, only a recorded receive can be found */
	id = lstate->answered ? lstate->answered + 1 : lstate->received;
	n = lstate->answered ? ORPHAN_PROBE : !!lstate->received;
	for (; n; n--, id++) {
		if (ioctl(holdfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
			continue;
		memset(&resp, 0, sizeof(resp));
		resp.id = id;
		resp.error = -EPERM;
		if (ioctl(holdfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0)
			lstate->answered = id;
		break; /* secpold answers one call at a time */
	}
}

/* Re-registration after a daemon restart: hand secpold our copy. */
static int reregister(int sock, int holdfd, pid_t root, uint32_t type)
{
	struct ctl_register rg = {
		.pid = (uint32_t)getpid(),
		.fd = holdfd,
		.root_pid = (uint32_t)root,
		.type = type,
		.flags = CTL_RG_AGAIN,
	};
	struct ctl_msg *m = malloc(sizeof(*m));
	char err[512];
	int r;

	if (!m)
		return -ENOMEM;
	r = ctl_call(sock, CTL_REGISTER, &rg, sizeof(rg), lstate_fd, m, err,
		     sizeof(err));
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	return r;
}

/* Answers a supervised call while no secpold runs: refused. */
static void refuse_one(int holdfd)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	memset(&req, 0, sizeof(req));
	if (ioctl(holdfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return;
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EPERM;
	/* the probe of refuse_orphan starts after the last answer */
	if (ioctl(holdfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0 && lstate)
		lstate->answered = req.id;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/*
 * The parent's wait: forwards signals, watches secpold, and while secpold
 * is away refuses supervised calls and tries to hand the tree back.
 */
static int supervise_child(pid_t pid, int sock, int holdfd, uint32_t type)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	bool daemon_up = true;
	sigset_t set;
	int sfd, status;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	for (;;) {
		struct pollfd p[4] = {
			{.fd = pidfd, .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
			{.fd = daemon_up ? sock : -1, .events = POLLIN},
			{.fd = daemon_up ? -1 : holdfd, .events = POLLIN},
		};
		int n = poll(p, 4, daemon_up ? -1 : 200);

		if (n < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			/* a terminal's signal reached the child already */
			if (read(sfd, &si, sizeof(si)) == sizeof(si) &&
			    si.ssi_code != SI_KERNEL)
				kill(pid, (int)si.ssi_signo);
		}
		if (p[2].revents) {
			/* secpold went away: from now on we answer */
			close(sock);
			sock = -1;
			daemon_up = false;
			if (holdfd < 0)
				continue; /* a retyped process: its tree's own
					     listeners fail closed */
			fprintf(stderr,
				"on: secpold stopped: refusing supervised calls of process %d until it is back\n",
				pid);
			refuse_orphan(holdfd);
		}
		if (!daemon_up && holdfd >= 0) {
			if (p[3].revents & POLLIN)
				refuse_one(holdfd);
			sock = ctl_connect();
			if (sock >= 0 && reregister(sock, holdfd, pid, type) == 0) {
				daemon_up = true;
				fprintf(stderr,
					"on: secpold is back: process %d is supervised again\n",
					pid);
			} else if (sock >= 0) {
				close(sock);
				sock = -1;
			}
		}
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (sfd >= 0)
		close(sfd);
	if (pidfd >= 0)
		close(pidfd);
	return exit_code(status);
}

static int usage_error(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", log_prog());
	return EXIT_USAGE;
}

/* Parses the command line: -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_VERSION = 256 };
	static const struct option longopts[] = {
		{"close-fds", no_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "+T:u:Ch", longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			if (o->type) {
				log_err("-T given twice");
				return usage_error();
			}
			o->type = optarg;
			break;
		case 'u':
			if (o->have_user) {
				log_err("-u given twice");
				return usage_error();
			}
			if (parse_user(optarg, o) < 0)
				return usage_error();
			break;
		case 'C':
			o->close_fds = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			version_print(stdout, log_prog());
			return 0;
		default: /* getopt said what */
			return usage_error();
		}
	}
	if (!o->type || optind >= argc) {
		log_err(!o->type ? "no type: -T type is required" : "no command");
		return usage_error();
	}
	if (strlen(o->type) > 255) {
		log_err("type name too long");
		return usage_error();
	}
	o->argv = argv + optind;
	return -1;
}

/*
 * Reads the rule list secpold passed with the assignment (a memfd) into
 * *blob, and checks it.  0 or -errno, with a message printed.
 */
static int read_rules(int fd, uint32_t nrules, char **blob, uint32_t *len)
{
	struct launch_rules rules;
	struct stat st;
	size_t off = 0;
	char *b;
	int r;

	*blob = NULL;
	if (fd < 0) {
		log_err("secpold sent no file-system rules with the type (is it an older secpold?)");
		return -EPROTO;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_err("cannot read the file-system rules secpold sent");
		return -EPROTO;
	}
	if (st.st_size > MAX_RULES_LEN || nrules > LAUNCH_MAX_RULES) {
		log_err("the type has too many file-system rules (%u rules, %lld bytes; at most %d and %u): its Landlock domain cannot be built",
			nrules, (long long)st.st_size, LAUNCH_MAX_RULES,
			MAX_RULES_LEN);
		return -E2BIG;
	}
	b = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!b) {
		log_err("out of memory");
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = pread(fd, b + off, (size_t)st.st_size - off,
				  (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log_err("cannot read the file-system rules secpold sent: %s",
				n < 0 ? strerror(errno) : "short file");
			free(b);
			return -EIO;
		}
		off += (size_t)n;
	}
	r = launch_rules_decode(b, off, nrules, &rules);
	if (r < 0) {
		log_err("the file-system rules secpold sent are malformed: %s",
			strerror(-r));
		free(b);
		return r;
	}
	launch_rules_free(&rules);
	*blob = b;
	*len = (uint32_t)off;
	return 0;
}

/* The child failed before its command ran: says why; the exit status. */
static int explain_failure(struct child_report *rep, const struct opts *o)
{
	rep->why[sizeof(rep->why) - 1] = '\0';
	switch (rep->stage) {
	case STAGE_CONFINE:
		/* never run with less confinement than the type has */
		log_err("cannot confine %s under type %s (Landlock): %s%s%s",
			o->argv[0], o->type, rep->why, rep->why[0] ? ": " : "",
			strerror(rep->err));
		return EXIT_NOEXEC;
	case STAGE_EXEC:
		if (rep->err == ENOENT) {
			log_err("%s: command not found", o->argv[0]);
			return EXIT_NOTFOUND;
		}
		log_err("%s: %s", o->argv[0], strerror(rep->err));
		return EXIT_NOEXEC;
	default:
		log_err("cannot start %s under type %s: %s", o->argv[0],
			o->type, strerror(rep->err));
		return 1;
	}
}

int main(int argc, char **argv)
{
	int down[2], up[2], st[2];
	struct opts o = {0};
	struct ctl_assign *a = NULL;
	struct ctl_assign_reply ar = {0};
	struct ctl_msg *m = NULL;
	struct child_report rep;
	struct setup su;
	int r, sock, holdfd = -1, status, ret = 1;
	char errbuf[1024], *rules = NULL;
	uint32_t rules_len = 0;
	size_t alen;
	int32_t lfd;
	pid_t pid;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	r = parse_args(argc, argv, &o);
	if (r >= 0)
		return r;

	sock = ctl_connect();
	if (sock == -EACCES || sock == -EPERM) {
		log_err("cannot talk to secpold in %s: only root may start processes under a type",
			ctl_rundir());
		return 1;
	}
	if (sock < 0) {
		log_err("%s", ctl_no_daemon_hint());
		return 1;
	}
	if (pipe2(down, O_CLOEXEC) < 0 || pipe2(up, O_CLOEXEC) < 0 ||
	    pipe2(st, O_CLOEXEC) < 0) {
		log_err("pipe: %s", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		log_err("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(sock);
		close(down[1]);
		close(up[0]);
		close(st[0]);
		child(&o, down[0], up[1], st[1]);
	}
	close(down[0]);
	close(up[1]);
	close(st[1]);
	/* a child that dies while we write to it must not kill us (only
	 * here: an ignored SIGPIPE would survive the command's exec) */
	signal(SIGPIPE, SIG_IGN);

	alen = sizeof(*a) + strlen(o.type);
	a = calloc(1, alen);
	m = malloc(sizeof(*m));
	if (!a || !m) {
		log_err("out of memory");
		goto kill_child;
	}
	a->pid = (uint32_t)pid;
	a->flags = CTL_AS_CHILD;
	a->uid = o.have_user ? o.uid : (uint32_t)-1;
	a->name_len = (uint16_t)strlen(o.type);
	memcpy(a + 1, o.type, a->name_len);
	m->fd = -1;
	r = ctl_call(sock, CTL_ASSIGN, a, alen, -1, m, errbuf, sizeof(errbuf));
	if (r == 0 && m->hdr.len != sizeof(ar))
		r = -EPROTO;
	if (r < 0) {
		if (errbuf[0])
			print_daemon_error(o.type, errbuf);
		else
			log_err("%s: %s", o.type, strerror(-r));
		goto kill_child;
	}
	memcpy(&ar, m->payload, sizeof(ar));
	r = read_rules(m->fd, ar.nrules, &rules, &rules_len);
	if (m->fd >= 0) {
		close(m->fd);
		m->fd = -1; /* (m is reused for the next call) */
	}
	if (r < 0) {
		ret = EXIT_NOEXEC; /* the domain cannot be built */
		goto kill_child;
	}
	if (ar.flags & CTL_AR_NEW_TYPE)
		fprintf(stderr,
			"on: note: type %s is not in the policy: made for this run (develop mode), nothing it does is refused\n",
			o.type);
	su.flags = ar.flags;
	su.caps_root = ar.caps_root;
	su.caps_nonroot = ar.caps_nonroot;
	su.nrules = ar.nrules;
	su.rules_len = rules_len;
	if (write(down[1], &su, sizeof(su)) != sizeof(su) ||
	    write_all(down[1], rules, rules_len) < 0 ||
	    read_full(up[0], &lfd, sizeof(lfd)) < 0) {
		/* the child failed its setup: its report says why */
		goto child_failed;
	}
	if (lfd >= 0) {
		struct ctl_register rg = {
			.pid = (uint32_t)pid,
			.fd = lfd,
			.root_pid = (uint32_t)pid,
			.type = ar.type,
		};
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

		/* our own copy, to fail closed and to hand over later */
		if (pidfd >= 0) {
			holdfd = (int)syscall(SYS_pidfd_getfd, pidfd, lfd, 0);
			close(pidfd);
		}
		make_listener_state();
		r = ctl_call(sock, CTL_REGISTER, &rg, sizeof(rg), lstate_fd, m,
			     errbuf, sizeof(errbuf));
		if (r < 0) {
			if (errbuf[0])
				print_daemon_error("cannot hand the process to secpold",
						   errbuf);
			else
				log_err("cannot hand the process to secpold: %s",
					strerror(-r));
			goto kill_child;
		}
	}
	if (write(down[1], "x", 1) != 1)
		goto child_failed;
	close(down[1]);
	close(up[0]);
	free(a);
	free(rules);
	if (m->fd >= 0)
		close(m->fd); /* (CTL_REGISTER's reply carries none) */
	free(m);
	/* EOF: the exec succeeded; a report (one write): it did not */
	if (read_full(st[0], &rep, sizeof(rep)) == 0) {
		close(st[0]);
		waitpid(pid, &status, 0);
		return explain_failure(&rep, &o);
	}
	close(st[0]);
	return supervise_child(pid, sock, holdfd, ar.type);

child_failed:
	if (read_full(st[0], &rep, sizeof(rep)) == 0)
		ret = explain_failure(&rep, &o);
	else
		log_err("cannot start %s under type %s", o.argv[0], o.type);
kill_child:
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	free(a);
	free(rules);
	if (m && m->fd >= 0)
		close(m->fd);
	free(m);
	return ret;
}
