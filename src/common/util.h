/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small helpers shared by every module: scope cleanup, ownership transfer,
 * attributes.  Nothing here has side effects beyond what its name says.
 */
#ifndef SECPOL_UTIL_H
#define SECPOL_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ATTR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ATTR_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#define ATTR_UNUSED __attribute__((unused))
#define ATTR_NORETURN __attribute__((noreturn))
#define ATTR_WARN_UNUSED __attribute__((warn_unused_result))

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

static inline void cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/* Always initialise a cleaned-up variable (NULL / -1). */
#define _cleanup_free_ __attribute__((cleanup(cleanup_freep)))
#define _cleanup_close_ __attribute__((cleanup(cleanup_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclosep)))

/* Hand a cleaned-up pointer to the caller: the scope no longer frees it. */
static inline void *steal_ptr_(void **pp)
{
	void *p = *pp;

	*pp = NULL;
	return p;
}
#define steal_ptr(pp) ((__typeof__(*(pp)))steal_ptr_((void **)(pp)))

static inline int steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

/* Retry a system call interrupted by a signal. */
#define RETRY_EINTR(expr)                                                      \
	({                                                                     \
		__typeof__(expr) r_;                                           \
		do                                                             \
			r_ = (expr);                                           \
		while (r_ == -1 && errno == EINTR);                            \
		r_;                                                            \
	})

#endif
