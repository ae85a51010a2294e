// SPDX-License-Identifier: BSD-2-Clause
/*
 * Path rules: the written forms of SPEC §2 (exact, "dir/...", fnmatch
 * patterns, "@abstract"), their stored form in the binary policy, and
 * matching.  Everything here works on NUL-terminated strings and reads at
 * most SPB_MAX_PATH + 1 bytes of any of them.
 */
#include "policy_internal.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#define PATH_FLAGS (SPB_R_PREFIX | SPB_R_PATTERN | SPB_R_ABSTRACT)

static bool has_glob(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

/* Bytes a rule path may never hold: they would break one-line output and
 * no canonical name the kernel hands us for a policy decision needs them. */
static const char *bad_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return "contains a control character";
		if (c == ' ')
			return "contains a space";
	}
	return NULL;
}

/*
 * Checks the absolute path s[0..n) component by component.  allow_dots:
 * the last component may be "..." (the prefix marker).
 */
static const char *check_components(const char *s, size_t n, bool allow_dots)
{
	size_t i = 1, start, clen;

	if (n == 1)
		return NULL; /* "/" */
	while (i <= n) {
		start = i;
		while (i < n && s[i] != '/')
			i++;
		clen = i - start;
		if (clen == 0)
			return i == n ? "ends in \"/\" (only \"/\" itself may)"
				      : "contains \"//\"";
		if (clen == 1 && s[start] == '.')
			return "contains a \".\" component (paths must be canonical)";
		if (clen == 2 && s[start] == '.' && s[start + 1] == '.')
			return "contains a \"..\" component (paths must be canonical)";
		if (memmem(s + start, clen, "...", 3) &&
		    !(allow_dots && clen == 3 && i == n))
			return "\"...\" is only allowed as the whole last "
			       "component (\"/dir/...\")";
		i++; /* skip the '/' (or step past the end) */
	}
	return NULL;
}

int sp_path_rule_parse(const char *written, char *stored, size_t storedlen,
		       uint32_t *flags, const char **why)
{
	const char *w = NULL;
	uint32_t f = 0;
	size_t n, slen;

	if (!written || !written[0]) {
		w = "empty";
		goto bad;
	}
	n = strnlen(written, SPB_MAX_PATH + 1);
	if (n > SPB_MAX_PATH) {
		w = "longer than 4095 bytes";
		goto bad;
	}
	w = bad_bytes(written, n);
	if (w)
		goto bad;
	slen = n;
	if (written[0] == '@') {
		f = SPB_R_ABSTRACT;
		if (n == 1) {
			w = "\"@\" needs a name after it";
			goto bad;
		}
		/* Abstract socket names are flat strings, not directories. */
		if (n >= 4 && memcmp(written + n - 4, "/...", 4) == 0) {
			w = "\"/...\" applies to file system paths, not to "
			    "abstract names (use a pattern such as @name*)";
			goto bad;
		}
		if (has_glob(written, n))
			f |= SPB_R_PATTERN;
	} else if (written[0] == '/') {
		w = check_components(written, n, true);
		if (w)
			goto bad;
		if (n >= 4 && memcmp(written + n - 4, "/...", 4) == 0) {
			f = SPB_R_PREFIX;
			slen = n == 4 ? 1 : n - 4; /* "/..." is stored as "/" */
			/* fnmatch has no "and everything below": a glob with
			 * "/..." would need a matching mode of its own. */
			if (has_glob(written, n)) {
				w = "a pattern cannot end in \"/...\" (write the "
				    "directory without wildcards, or a pattern "
				    "for each level)";
				goto bad;
			}
		} else if (has_glob(written, n)) {
			f = SPB_R_PATTERN;
		}
	} else {
		w = "not absolute (a path starts with \"/\", an abstract "
		    "name with \"@\")";
		goto bad;
	}
	if (!stored || storedlen <= slen) {
		w = "too long for the output buffer";
		goto bad;
	}
	memcpy(stored, written, slen);
	stored[slen] = '\0';
	if (flags)
		*flags = f;
	if (why)
		*why = NULL;
	return 0;
bad:
	if (why)
		*why = w;
	return -EINVAL;
}

bool sp_path_stored_valid(const char *stored, uint32_t flags,
			  const char **why)
{
	char written[SPB_MAX_PATH + 8];
	char again[SPB_MAX_PATH + 1];
	size_t n = strnlen(stored, SPB_MAX_PATH + 1);
	uint32_t f;

	if (flags & ~PATH_FLAGS) {
		*why = "flags that are not path flags";
		return false;
	}
	if (n > SPB_MAX_PATH) {
		*why = "longer than 4095 bytes";
		return false;
	}
	/* Valid iff the written form parses back to exactly this. */
	sp_path_rule_written(stored, flags, written, sizeof(written));
	if (sp_path_rule_parse(written, again, sizeof(again), &f, why) < 0)
		return false;
	if (f != flags || strcmp(again, stored) != 0) {
		*why = "not in stored form (its flags or text disagree "
		       "with the path)";
		return false;
	}
	return true;
}

bool sp_path_rule_match(const char *stored, uint32_t flags, const char *path)
{
	size_t n;

	if (!stored || !path)
		return false;
	/* Abstract rules cover only abstract names, path rules only paths. */
	if (flags & SPB_R_ABSTRACT) {
		if (path[0] != '@')
			return false;
	} else if (path[0] != '/') {
		return false;
	}
	if (flags & SPB_R_PATTERN)
		return fnmatch(stored, path, FNM_PATHNAME) == 0;
	if (flags & SPB_R_PREFIX) {
		if (stored[0] == '/' && stored[1] == '\0')
			return true;
		n = strlen(stored);
		return strncmp(path, stored, n) == 0 &&
		       (path[n] == '\0' || path[n] == '/');
	}
	return strcmp(stored, path) == 0;
}

const char *sp_path_rule_written(const char *stored, uint32_t flags,
				 char *buf, size_t buflen)
{
	if (!buf || buflen == 0)
		return buf;
	if (!(flags & SPB_R_PREFIX))
		snprintf(buf, buflen, "%s", stored);
	else if (strcmp(stored, "/") == 0)
		snprintf(buf, buflen, "/...");
	else
		snprintf(buf, buflen, "%s/...", stored);
	return buf;
}

int sp_path_rule_dir(const char *written, uint32_t flags, char *out,
		     size_t outlen)
{
	size_t n, end, i;

	if (!written || written[0] != '/' || (flags & SPB_R_ABSTRACT))
		return -ENOENT;
	n = strlen(written);
	if (flags & SPB_R_PREFIX) {
		/* "/a/b/..." -> "/a/b"; "/..." -> "/" */
		end = n >= 4 ? n - 4 : 0;
	} else {
		/* the component before the first one with a pattern in it
		 * (or the last one): its parent holds everything it names */
		end = n;
		for (i = 0; i < n; i++)
			if (strchr("*?[\\", written[i]))
				break;
		if (i < n)
			end = i;
		while (end > 0 && written[end - 1] != '/')
			end--;
		if (end > 0)
			end--; /* the '/' before it */
	}
	if (end == 0)
		end = 1; /* "/" */
	if (end >= outlen)
		return -ENAMETOOLONG;
	memcpy(out, written, end);
	out[end] = '\0';
	return 0;
}
