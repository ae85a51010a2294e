/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a supervised process's memory (system call arguments). */
#ifndef SECPOL_PROCMEM_H
#define SECPOL_PROCMEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads exactly len bytes at addr of process pid.  0, -EFAULT if any of it
 * is not mapped readable, -ESRCH if the process is gone, or -errno. */
int procmem_read(pid_t pid, uint64_t addr, void *buf, size_t len);
/*
 * Reads a NUL-terminated string at addr into buf (size max, NUL included).
 * Reads page by page, so a string that ends just before an unmapped page
 * is read.  Returns its length, -ENAMETOOLONG if no NUL within max - 1
 * bytes, -EFAULT, -ESRCH or -errno.
 */
ssize_t procmem_read_str(pid_t pid, uint64_t addr, char *buf, size_t max);

#endif
