/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The records of a CTL_LIST reply (proto.h): written by secpold
 * (src/daemon/ctl_list.c), read by secpol -l.  The reader checks every
 * length before use: a record never reaches past the buffer.
 */
#ifndef SECPOL_CTL_LIST_H
#define SECPOL_CTL_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"
#include "proto.h"

struct ctl_list_entry {
	struct ctl_list_rec rec;
	const char *type_name; /* type_len bytes, not NUL-terminated */
	const char *name;      /* name_len bytes, not NUL-terminated */
};

/* Appends e as one record (the name lengths are e->rec's); 0, or
 * -EINVAL for a length without a name.  sb_error() tells of a failed
 * allocation. */
int ctl_list_append(struct strbuf *sb, const struct ctl_list_entry *e);
/*
 * The record at *off of buf (len bytes) into e, whose names point into
 * buf; *off moves past it.  Returns 1, 0 at the end of buf, or -EPROTO
 * for a record that does not fit or is malformed (a NUL in a name,
 * nonzero padding).
 */
int ctl_list_next(const char *buf, size_t len, size_t *off,
		  struct ctl_list_entry *e);

#endif
