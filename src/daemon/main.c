// SPDX-License-Identifier: BSD-2-Clause
/* secpold: the policy authority.  See secpold(8). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/log.h"
#include "common/strnum.h"
#include "common/version.h"
#include "ctl/client.h"
#include "daemon.h"
#include "daemon_main.h"
#include "notify.h"

static void usage(FILE *out)
{
	/* clang-format off */
	fprintf(out,
"Usage: secpold [-Dfv] [-C channels] [-i policy]\n"
"The secpol policy authority: supervises typed processes, decides their\n"
"path-space and channel operations, observes capability checks, and\n"
"streams events to secpolmonitor.\n"
"\n"
"  -C channels    room for this many channels (bound unix sockets of\n"
"                 typed processes; default 262144)\n"
"  -D             develop mode: every type learns, nothing is refused,\n"
"                 on -T may name a type the policy lacks\n"
"  -f             stay in the foreground, log to standard error\n"
"  -i policy      the binary policy to start with\n"
"  -v             log more (debug)\n"
"  -h, --help     show this help\n"
"      --version  show the version\n"
"\n"
"The instance lives in $SECPOL_RUNDIR (default %s).  Without -f,\n"
"secpold returns once it is ready; with -f under systemd (Type=notify) it\n"
"says so through $NOTIFY_SOCKET.  SIGTERM stops it; SIGHUP reloads the\n"
"policy file if the running policy is mutable.  See secpold(8).\n",
		CTL_DEFAULT_RUNDIR);
	/* clang-format on */
}

/* After getopt's or our own one-line complaint. */
static int usage_error(void)
{
	fprintf(stderr, "Try 'secpold --help' for more information.\n");
	return 2;
}

/*
 * Detaching: the child does all the work and tells the parent through a
 * pipe when it is ready (or why it failed), so `secpold && use it` works.
 */
static int wait_ready(int rd, pid_t child)
{
	char buf[1024];
	ssize_t n;
	int status;

	n = read(rd, buf, sizeof(buf) - 1);
	close(rd);
	if (n > 0 && buf[0] == 'R')
		return 0;
	if (n > 1) {
		buf[n] = '\0';
		fprintf(stderr, "secpold: error: %s\n", buf + 1);
	} else {
		fprintf(stderr, "secpold: error: the daemon exited before it was ready\n");
	}
	waitpid(child, &status, 0);
	return 1;
}

/* Every supervised tree holds a listener descriptor here, every monitor
 * a connection: the soft limit of 1024 is too small for a busy machine. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			log_warn("cannot raise the open file limit: %s",
				 strerror(errno));
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct daemon_opts o = {0};
	bool foreground = false;
	struct daemon *d;
	char err[1024] = "";
	int c, r, pipefd[2] = {-1, -1};
	FILE *logf = NULL;

	log_init(argv[0]);
	/* getopt's own messages then name the program as ours do */
	argv[0] = (char *)log_prog();
	while ((c = getopt_long(argc, argv, "C:Dfi:vh", longopts, NULL)) != -1) {
		uint64_t v;

		switch (c) {
		case 'C':
			if (strnum_u64(optarg, 10, 64, 1u << 24, &v) < 0) {
				log_err("-C: a number of channels from 64 to %u, not '%s'",
					1u << 24, optarg);
				return 2;
			}
			o.channels_max = (unsigned)v;
			break;
		case 'D':
			o.develop = true;
			break;
		case 'f':
			foreground = true;
			break;
		case 'i':
			o.policy = optarg;
			break;
		case 'v':
			log_set_level(LOGL_DEBUG);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			version_print(stdout, "secpold");
			return 0;
		default:
			return usage_error();
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s'", argv[optind]);
		return usage_error();
	}
	if (geteuid() != 0) {
		log_err("secpold must run as root (it loads BPF programs and supervises processes)");
		return 1;
	}
	o.rundir = ctl_rundir();
	o.default_policy = ctl_default_policy();
	raise_fd_limit();

	if (!foreground) {
		pid_t pid;

		if (pipe2(pipefd, O_CLOEXEC) < 0) {
			log_err("pipe: %s", strerror(errno));
			return 1;
		}
		pid = fork();
		if (pid < 0) {
			log_err("fork: %s", strerror(errno));
			return 1;
		}
		if (pid > 0) {
			close(pipefd[1]);
			return wait_ready(pipefd[0], pid);
		}
		close(pipefd[0]);
		setsid();
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		log_err("out of memory");
		return 1;
	}
	r = daemon_init(d, &o, err, sizeof(err));
	if (r < 0) {
		if (foreground) {
			log_err("%s", err);
			notify_failed(err, r);
		} else {
			char msg[sizeof(err) + 1];
			size_t n = strlen(err);

			/* one write: the parent reads one message */
			msg[0] = 'E';
			memcpy(msg + 1, err, n);
			if (write(pipefd[1], msg, n + 1) < 0) {
				/* the parent reports that we exited */
			}
		}
		daemon_fini(d);
		free(d);
		return 1;
	}
	if (foreground) {
		/* ready: the socket listens, the policy is loaded, the BPF
		 * programs are attached (what detaching waits for below) */
		notify_ready(d);
	} else {
		char path[4200];
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

		snprintf(path, sizeof(path), "%s/%s", o.rundir, CTL_LOGFILE_NAME);
		logf = fopen(path, "ae");
		if (logf) {
			log_set_stream(logf);
			log_set_timestamps(1);
		}
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
			dup2(devnull, STDERR_FILENO);
			close(devnull);
		}
		if (write(pipefd[1], "R", 1) != 1)
			log_warn("cannot tell the parent we are ready");
		close(pipefd[1]);
	}
	r = daemon_run(d);
	notify_stopping();
	log_info("stopping");
	daemon_fini(d);
	free(d);
	if (logf)
		fclose(logf);
	return r < 0 ? 1 : 0;
}
