// SPDX-License-Identifier: BSD-2-Clause
#include "log.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "strnum.h"

static const char *prog_name = "secpol";
static enum log_level max_level = LOGL_INFO;
static FILE *stream;
static int timestamps;
static int journal = -1; /* stderr is the journal: -1 not checked yet */

void log_init(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	prog_name = slash ? slash + 1 : prog;
}

const char *log_prog(void)
{
	return prog_name;
}

void log_set_level(enum log_level level)
{
	max_level = level;
}

enum log_level log_get_level(void)
{
	return max_level;
}

bool log_fd_is_journal(int fd)
{
	const char *env = getenv("JOURNAL_STREAM"), *colon;
	uint64_t dev, ino;
	struct stat st;

	if (!env || !(colon = strchr(env, ':')))
		return false;
	if (strnum_u64n(env, (size_t)(colon - env), 10, 0, UINT64_MAX, &dev) < 0 ||
	    strnum_u64(colon + 1, 10, 0, UINT64_MAX, &ino) < 0)
		return false;
	if (fstat(fd, &st) < 0)
		return false;
	return (uint64_t)st.st_dev == dev && (uint64_t)st.st_ino == ino;
}

void log_set_stream(FILE *f)
{
	stream = f;
}

void log_set_timestamps(int on)
{
	timestamps = on;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[LOGL_ERR] = "error: ",
		[LOGL_WARN] = "warning: ",
		[LOGL_INFO] = "",
		[LOGL_DEBUG] = "debug: ",
	};
	FILE *out = stream ? stream : stderr;
	int saved = errno;
	va_list ap;

	if (level > max_level)
		return;
	if (!stream) {
		/* systemd connected stderr to the journal: say the priority
		 * as sd-daemon(3) prefixes do (LOG_ERR, LOG_WARNING,
		 * LOG_INFO, LOG_DEBUG) */
		static const char prio[] = {
			[LOGL_ERR] = '3',
			[LOGL_WARN] = '4',
			[LOGL_INFO] = '6',
			[LOGL_DEBUG] = '7',
		};

		if (journal < 0)
			journal = log_fd_is_journal(fileno(stderr));
		if (journal)
			fprintf(out, "<%c>", prio[level]);
	}
	if (timestamps) {
		struct timespec ts;
		struct tm tm;
		char buf[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(out, "%s.%03ldZ ", buf, ts.tv_nsec / 1000000);
	}
	fprintf(out, "%s: %s", prog_name, prefix[level]);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
	errno = saved;
}
