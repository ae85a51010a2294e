/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Observed paths as policy words.  The policy language has no quoting:
 * a path is one word, and some bytes cannot be part of one.  A path is
 * written so that secpolcompile reads back a rule matching exactly that
 * path, or it is refused with the reason.
 */
#ifndef SECPOL_GEN_PATHTEXT_H
#define SECPOL_GEN_PATHTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strbuf.h"

/*
 * Appends the word for the exact path raw[0..len) (absolute, or "@name")
 * to out.  Wildcard bytes are escaped ("[*]"), which makes the rule a
 * pattern that matches only the path itself.  Returns 0, or -EINVAL with
 * *why set when the language cannot hold it (white space, control bytes,
 * punctuation, invalid UTF-8, a path secpolcompile would read as "dir/...").
 */
int gen_path_word(const char *raw, size_t len, struct strbuf *out,
		  const char **why);
/*
 * Appends the pattern for every name in the directory that holds raw
 * (the directory, then a slash and a star; raw absolute, not
 * abstract), with the same escaping.  -EINVAL with *why for the root
 * directory (never generalised), an abstract name or what
 * gen_path_word refuses.
 */
int gen_path_dir_word(const char *raw, size_t len, struct strbuf *out,
		      const char **why);
/* The length of the directory part of an absolute path ("/a/b" -> 2,
 * "/a" -> 1 for "/"), or 0 for an abstract name. */
size_t gen_path_dirlen(const char *raw, size_t len);

#endif
