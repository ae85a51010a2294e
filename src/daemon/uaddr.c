// SPDX-License-Identifier: BSD-2-Clause
#include "uaddr.h"

#include <errno.h>
#include <string.h>

#include "procmem.h"

static int parse(struct uaddr *u, uint64_t len)
{
	u->len = (socklen_t)len;
	if (u->sun.sun_family != AF_UNIX)
		return -EAFNOSUPPORT;
	if (len == sizeof(sa_family_t)) {
		u->autobind = true;
		return 0;
	}
	if (u->sun.sun_path[0] == '\0') {
		u->abstract = true;
		u->path_len = len - sizeof(sa_family_t) - 1;
		memcpy(u->path, u->sun.sun_path + 1, u->path_len);
		return 0;
	}
	u->path_len = strnlen(u->sun.sun_path, len - sizeof(sa_family_t));
	memcpy(u->path, u->sun.sun_path, u->path_len);
	u->path[u->path_len] = '\0';
	return 0;
}

int uaddr_parse(const void *buf, uint64_t len, struct uaddr *u)
{
	memset(u, 0, sizeof(*u));
	if (len < sizeof(sa_family_t) || len > sizeof(u->sun))
		return -EINVAL;
	memcpy(&u->sun, buf, len);
	return parse(u, len);
}

int uaddr_read(pid_t tid, uint64_t addr, uint64_t len, struct uaddr *u)
{
	int r;

	memset(u, 0, sizeof(*u));
	if (len < sizeof(sa_family_t) || len > sizeof(u->sun))
		return -EINVAL;
	r = procmem_read(tid, addr, &u->sun, len);
	if (r < 0)
		return r;
	return parse(u, len);
}

bool uaddr_policy_name(const struct uaddr *u, char *out, size_t len)
{
	size_t n = u->path_len;

	while (n && u->path[n - 1] == '\0')
		n--;
	if (memchr(u->path, '\0', n) || n + 2 > len)
		return false;
	out[0] = '@';
	memcpy(out + 1, u->path, n);
	out[n + 1] = '\0';
	return true;
}

size_t uaddr_event_path(const struct uaddr *u, char *out)
{
	out[0] = '@';
	memcpy(out + 1, u->path, u->path_len);
	return u->path_len + 1;
}
