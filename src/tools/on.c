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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/escape.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/strnum.h"
#include "common/util.h"
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
	char **argv;
};

/* What the parent tells the child after secpold has typed it. */
struct setup {
	uint32_t flags; /* CTL_AR_* */
	uint64_t caps_root, caps_nonroot;
	uint16_t nattach, nlink;
	uint32_t dirs_len; /* followed by the directories (ctl_assign_reply) */
};

/* The directories of a setup, split into the two lists. */
struct dirs {
	char blob[CTL_MAX_PAYLOAD];
	const char *list[CTL_MAX_PAYLOAD / 2];
};

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: on -T type [-u uid[:gid]] [--] command [args...]\n"
"Run a command under a security type of the policy secpold enforces.\n"
"\n"
"  -T type          the type (from the policy)\n"
"  -u uid[:gid]     run as this user and group (numbers or names)\n"
"  -h, --help       show this help\n"
"\n"
"Exit status: the command's; 1 when the type is unknown or refused or no\n"
"secpold runs; 126 when the command cannot be run; 127 when it is not\n"
"found; 2 for bad usage.  See on(1).\n");
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

static void child_fail(int fd, int err)
{
	if (write(fd, &err, sizeof(err)) != sizeof(err))
		_exit(EXIT_NOEXEC);
	_exit(err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC);
}

/*
 * Checks that blob holds exactly n NUL-terminated absolute paths and
 * nothing else; fills list (if not NULL).  0 or -EPROTO.
 */
static int split_dirs(const char *blob, size_t len, size_t n,
		      const char **list)
{
	size_t off = 0, i;

	for (i = 0; i < n; i++) {
		const char *end = memchr(blob + off, '\0', len - off);

		if (!end || blob[off] != '/')
			return -EPROTO;
		if (list)
			list[i] = blob + off;
		off = (size_t)(end - blob) + 1;
	}
	return off == len ? 0 : -EPROTO;
}

/* Confines the child's own renames and links of special files (see
 * launch_confine); a kernel without Landlock gets a warning. */
static void confine(const struct setup *su, struct dirs *d, int status)
{
	struct launch_confine lc = {
		.attach_dirs = d->list,
		.nattach = su->nattach,
		.link_dirs = d->list + su->nattach,
		.nlink = su->nlink,
	};
	int r = launch_confine(&lc);

	if (r == -EOPNOTSUPP)
		fprintf(stderr,
			"on: warning: this kernel has no Landlock (version 2 or later): the process's own renames and links of sockets, FIFOs and symbolic links are not confined\n");
	else if (r < 0)
		child_fail(status, -r);
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
	static struct dirs dirs;
	struct setup su;
	int32_t lfd = -1;
	char go;
	int r;

	if (read_full(from_parent, &su, sizeof(su)) < 0 ||
	    su.dirs_len > sizeof(dirs.blob) ||
	    read_full(from_parent, dirs.blob, su.dirs_len) < 0 ||
	    split_dirs(dirs.blob, su.dirs_len, (size_t)su.nattach + su.nlink,
		       dirs.list) < 0)
		_exit(1);
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
		confine(&su, &dirs, status);
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
		confine(&su, &dirs, status); /* stacked on the old type's */
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
	execvp(o->argv[0], o->argv);
	child_fail(status, errno);
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

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int down[2], up[2], st[2];
	struct opts o = {0};
	struct ctl_assign *a = NULL;
	struct ctl_assign_reply ar = {0};
	struct ctl_msg *m = NULL;
	struct setup su;
	int c, r, sock, holdfd = -1, status, err;
	char errbuf[1024];
	size_t alen;
	int32_t lfd;
	pid_t pid;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	while ((c = getopt_long(argc, argv, "+T:u:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'T':
			if (o.type) {
				log_err("-T given twice");
				return EXIT_USAGE;
			}
			o.type = optarg;
			break;
		case 'u':
			if (o.have_user) {
				log_err("-u given twice");
				return EXIT_USAGE;
			}
			if (parse_user(optarg, &o) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!o.type || optind >= argc) {
		log_err(!o.type ? "no type: -T type is required" : "no command");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strlen(o.type) > 255) {
		log_err("type name too long");
		return EXIT_USAGE;
	}
	o.argv = argv + optind;

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
	r = ctl_call(sock, CTL_ASSIGN, a, alen, -1, m, errbuf, sizeof(errbuf));
	if (r == 0 && m->hdr.len >= sizeof(ar)) {
		memcpy(&ar, m->payload, sizeof(ar));
		r = split_dirs(m->payload + sizeof(ar), m->hdr.len - sizeof(ar),
			       (size_t)ar.nattach + ar.nlink, NULL);
	} else if (r == 0) {
		r = -EPROTO;
	}
	if (r < 0) {
		if (errbuf[0])
			print_daemon_error(o.type, errbuf);
		else
			log_err("%s: %s", o.type, strerror(-r));
		goto kill_child;
	}
	su.flags = ar.flags;
	su.caps_root = ar.caps_root;
	su.caps_nonroot = ar.caps_nonroot;
	su.nattach = ar.nattach;
	su.nlink = ar.nlink;
	su.dirs_len = m->hdr.len - (uint32_t)sizeof(ar);
	if (write(down[1], &su, sizeof(su)) != sizeof(su) ||
	    write(down[1], m->payload + sizeof(ar), su.dirs_len) !=
		    (ssize_t)su.dirs_len ||
	    read_full(up[0], &lfd, sizeof(lfd)) < 0) {
		/* the child failed its setup: its status says why */
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
	free(m);
	/* EOF: the exec succeeded; an errno: it did not */
	if (read_full(st[0], &err, sizeof(err)) == 0) {
		close(st[0]);
		waitpid(pid, &status, 0);
		if (err == ENOENT)
			log_err("%s: command not found", o.argv[0]);
		else
			log_err("%s: %s", o.argv[0], strerror(err));
		return err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
	}
	close(st[0]);
	return supervise_child(pid, sock, holdfd, ar.type);

child_failed:
	if (read_full(st[0], &err, sizeof(err)) == 0)
		log_err("cannot start %s under type %s: %s", o.argv[0], o.type,
			strerror(err));
	else
		log_err("cannot start %s under type %s", o.argv[0], o.type);
kill_child:
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	free(a);
	free(m);
	return 1;
}
