// SPDX-License-Identifier: BSD-2-Clause
#include "list.h"

#include <errno.h>
#include <string.h>

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

int ctl_list_append(struct strbuf *sb, const struct ctl_list_entry *e)
{
	static const char zeros[8];
	size_t n;

	if (e->rec.type_len && !e->type_name)
		return -EINVAL;
	if (e->rec.name_len && !e->name)
		return -EINVAL;
	n = sizeof(e->rec) + e->rec.type_len + e->rec.name_len;
	sb_append(sb, (const char *)&e->rec, sizeof(e->rec));
	if (e->rec.type_len)
		sb_append(sb, e->type_name, e->rec.type_len);
	if (e->rec.name_len)
		sb_append(sb, e->name, e->rec.name_len);
	if (ALIGN8(n) > n)
		sb_append(sb, zeros, ALIGN8(n) - n);
	return 0;
}

int ctl_list_next(const char *buf, size_t len, size_t *off,
		  struct ctl_list_entry *e)
{
	size_t left, need, i;
	const char *p;

	if (*off >= len)
		return 0;
	left = len - *off;
	if (left < sizeof(e->rec))
		return -EPROTO;
	p = buf + *off;
	memcpy(&e->rec, p, sizeof(e->rec));
	need = sizeof(e->rec) + (size_t)e->rec.type_len + e->rec.name_len;
	if (ALIGN8(need) > left)
		return -EPROTO;
	e->type_name = p + sizeof(e->rec);
	e->name = e->type_name + e->rec.type_len;
	if (memchr(e->type_name, '\0', e->rec.type_len) ||
	    memchr(e->name, '\0', e->rec.name_len))
		return -EPROTO;
	for (i = need; i < ALIGN8(need); i++)
		if (p[i])
			return -EPROTO;
	*off += ALIGN8(need);
	return 1;
}
