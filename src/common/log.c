// SPDX-License-Identifier: BSD-2-Clause
#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

static const char *prog_name = "secpol";
static enum log_level max_level = LOGL_INFO;
static FILE *stream;
static int timestamps;

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
