// SPDX-License-Identifier: BSD-2-Clause
#include "strnum.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int strnum_u64n(const char *s, size_t len, int base, uint64_t min,
		uint64_t max, uint64_t *out)
{
	char buf[72];
	char *end;
	unsigned long long v;

	/* Copy so that strtoull cannot read past the counted buffer. */
	if (len == 0 || len >= sizeof(buf))
		return len == 0 ? -EINVAL : -ERANGE;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* strtoull accepts leading spaces and a sign: we do not. */
	if (base == 16 ? !isxdigit((unsigned char)buf[0]) :
			 !isdigit((unsigned char)buf[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(buf, &end, base);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	if (errno)
		return -EINVAL;
	*out = v;
	return 0;
}

int strnum_u64(const char *s, int base, uint64_t min, uint64_t max,
	       uint64_t *out)
{
	return strnum_u64n(s, strlen(s), base, min, max, out);
}

int strnum_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int r = strnum_u64(s, 10, 0, max, &v);

	if (r == 0)
		*out = (uint32_t)v;
	return r;
}

int strnum_seconds(const char *s, double max, double *out)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || isnan(v))
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}
