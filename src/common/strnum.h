/* SPDX-License-Identifier: BSD-2-Clause */
/* Number parsing with full error checks (empty input, sign, trailing junk,
 * range).  Returns 0, -EINVAL (not a number) or -ERANGE (out of range). */
#ifndef SECPOL_STRNUM_H
#define SECPOL_STRNUM_H

#include <stddef.h>
#include <stdint.h>

/* base 0 accepts decimal, 0octal and 0xhex, as C does. */
int strnum_u64(const char *s, int base, uint64_t min, uint64_t max,
	       uint64_t *out);
/* The same over a counted (not NUL-terminated) buffer. */
int strnum_u64n(const char *s, size_t len, int base, uint64_t min,
		uint64_t max, uint64_t *out);
int strnum_u32(const char *s, uint32_t max, uint32_t *out);
/* Non-negative seconds with an optional fraction, e.g. "1.5". */
int strnum_seconds(const char *s, double max, double *out);

#endif
