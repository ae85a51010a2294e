// SPDX-License-Identifier: BSD-2-Clause
/* Capability sets of a typed process, with libcap. */
#include <errno.h>
#include <linux/securebits.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "launch.h"

int launch_cap_count(void)
{
	int n = (int)cap_max_bits();

	return n > 0 && n <= 64 ? n : CAP_LAST_CAP + 1;
}

static int set_sets(uint64_t perm, uint64_t eff, uint64_t inh)
{
	cap_t c = cap_init();
	int n = launch_cap_count(), i, r = 0;

	if (!c)
		return -ENOMEM;
	for (i = 0; i < n && r == 0; i++) {
		cap_value_t v = i;

		if (perm & (1ull << i))
			r = cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_SET);
		if (r == 0 && (eff & (1ull << i)))
			r = cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_SET);
		if (r == 0 && (inh & (1ull << i)))
			r = cap_set_flag(c, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	if (r == 0 && cap_set_proc(c) < 0)
		r = -errno;
	cap_free(c);
	return r < 0 ? (r == -1 ? -EINVAL : r) : 0;
}

static uint64_t current(cap_flag_t which)
{
	cap_t c = cap_get_proc();
	int n = launch_cap_count(), i;
	uint64_t m = 0;

	if (!c)
		return 0;
	for (i = 0; i < n; i++) {
		cap_flag_value_t v;

		if (cap_get_flag(c, i, which, &v) == 0 && v == CAP_SET)
			m |= 1ull << i;
	}
	cap_free(c);
	return m;
}

int launch_set_caps(const struct launch_caps *lc)
{
	uint64_t want = lc->caps, have = current(CAP_PERMITTED);
	uint64_t setpcap = 1ull << CAP_SETPCAP;
	unsigned bits;
	int n = launch_cap_count(), i, r;

	/* can only give what we hold */
	want &= have;
	/* keep CAP_SETPCAP effective until the securebits are locked */
	r = set_sets(have, have, want | setpcap);
	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (!(want & (1ull << i)) && cap_drop_bound(i) < 0 &&
		    errno != EINVAL)
			return -errno;
	/* ambient: the capabilities survive exec without file capabilities,
	 * for root (with NOROOT) and for other users alike */
	r = set_sets(want | setpcap, want | setpcap, want | setpcap);
	if (r < 0)
		return r;
	if (cap_reset_ambient() < 0)
		return -errno;
	for (i = 0; i < n; i++)
		if ((want & (1ull << i)) &&
		    cap_set_ambient(i, CAP_SET) < 0)
			return -errno;
	/* root gets nothing more from exec, the fixups on uid changes stay
	 * on, nobody raises ambient capabilities again, and all of it is
	 * locked.  Keeping capabilities across a setuid from root is
	 * forbidden when the root domain holds more than the non-root one. */
	bits = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
	       SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
	       SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
	if (lc->lock_keepcaps)
		bits |= SECBIT_KEEP_CAPS_LOCKED;
	if (cap_set_secbits(bits) < 0)
		return -errno;
	return set_sets(want, want, want);
}

int launch_reduce_caps(uint64_t caps, uint64_t *missing)
{
	uint64_t prm = current(CAP_PERMITTED), eff = current(CAP_EFFECTIVE);
	uint64_t inh = current(CAP_INHERITABLE);
	int n = launch_cap_count(), i, r;

	*missing = caps & ~prm;
	for (i = 0; i < n; i++) {
		if (caps & (1ull << i))
			continue;
		/* the bounding set shrinks only with CAP_SETPCAP; without it,
		 * trying would be a denied capability check that a monitor
		 * reports as a need.  The permitted set is what counts, and
		 * it shrinks below. */
		if (eff & (1ull << CAP_SETPCAP))
			cap_drop_bound(i);
		cap_set_ambient(i, CAP_CLEAR);
	}
	/* capset itself is a (denied) CAP_SETPCAP check when we lack it:
	 * do not make one for nothing */
	if ((prm & caps) != prm || (eff & caps) != eff || (inh & caps) != inh) {
		r = set_sets(prm & caps, eff & caps, inh & caps);
		if (r < 0)
			return r;
	}
	return *missing ? -EPERM : 0;
}
