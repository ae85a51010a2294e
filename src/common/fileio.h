/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SECPOL_FILEIO_H
#define SECPOL_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Reads all of fd (at most max bytes: more is -EFBIG) into a new buffer
 * with a NUL after the data.  Returns 0 or -errno. */
int read_fd_all(int fd, size_t max, char **buf, size_t *len);
int read_file(const char *path, size_t max, char **buf, size_t *len);
/* Writes buf to path atomically (temporary file in the same directory,
 * fsync, rename), with the given mode.  Returns 0 or -errno. */
int write_file_atomic(const char *path, const void *buf, size_t len,
		      mode_t mode);
/* write() all of buf, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);

#endif
