/* SPDX-License-Identifier: BSD-2-Clause */
/* A unix socket address read from a supervised process, validated as the
 * kernel would, and its names for the policy and for events. */
#ifndef SECPOL_UADDR_H
#define SECPOL_UADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

struct uaddr {
	struct sockaddr_un sun;
	socklen_t len;
	bool abstract;
	bool autobind; /* only the family: the kernel picks a name */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
	size_t path_len; /* pathname: strlen; abstract: name bytes */
};

/* The same from bytes already read (len of them). */
int uaddr_parse(const void *buf, uint64_t len, struct uaddr *u);
/* Reads len bytes at addr of thread tid.  0, -EINVAL for lengths the
 * kernel refuses, -EAFNOSUPPORT for another family, -EFAULT, -ESRCH. */
int uaddr_read(pid_t tid, uint64_t addr, uint64_t len, struct uaddr *u);
/*
 * The policy's name for an abstract address: "@" + name.  Trailing NUL
 * padding (bind with sizeof(struct sockaddr_un)) is not significant for
 * the policy; a NUL inside the name cannot be written in a policy, so no
 * rule matches it: false for such a name.
 */
bool uaddr_policy_name(const struct uaddr *u, char *out, size_t len);
/* The event's path for an abstract address: "@" + every byte (out holds
 * at least sizeof(struct sockaddr_un) + 2). */
size_t uaddr_event_path(const struct uaddr *u, char *out);

#endif
