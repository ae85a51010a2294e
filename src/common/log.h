/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One logger for every tool: "prog: message" on stderr (or a file).  When
 * systemd connects stderr to the journal (JOURNAL_STREAM names its device
 * and inode), each line starts with its syslog priority, "<3>" for an
 * error ... "<7>" for debug, as sd-daemon(3) describes; nothing changes
 * otherwise.
 */
#ifndef SECPOL_LOG_H
#define SECPOL_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

enum log_level { LOGL_ERR, LOGL_WARN, LOGL_INFO, LOGL_DEBUG };

void log_init(const char *prog);
const char *log_prog(void);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Where messages go (default stderr); the caller keeps ownership. */
void log_set_stream(FILE *f);
/* Prefix each message with a timestamp (for the daemon's log file). */
void log_set_timestamps(int on);
/* Is fd the stream $JOURNAL_STREAM names? */
bool log_fd_is_journal(int fd);
void log_msg(enum log_level level, const char *fmt, ...) ATTR_PRINTF(2, 3);

#define log_err(...) log_msg(LOGL_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOGL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOGL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOGL_DEBUG, __VA_ARGS__)

#endif
