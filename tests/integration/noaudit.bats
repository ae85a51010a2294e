#!/usr/bin/env bats
# Routine noaudit capability probes (SPEC §8, issue 3 "Done when"): a typed
# root process without sys_admin that only allocates memory and execs
# reports no SYS_ADMIN need; with -v the same probes are shown, marked
# noaudit (so the first check is not vacuous).  policies/noaudit.sp.

load helpers

setup_file() {
	spt_setup_file noaudit
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

@test "a typed root process that allocates and execs reports no SYS_ADMIN need (-a), -v shows the noaudit probes" {
	mon_start a -a
	mon_start s -a -s
	mon_start v -a -v
	# alloc-exec allocates, then execs /bin/true (which prints nothing)
	sp plain_t alloc-exec
	expect_status 0
	expect_eq "alloc-exec output" "$output" ""
	mon_fence a s v
	mon_stop a
	mon_stop s
	mon_stop v
	echo "# with -v: $(mon_count v 'type plain_t .*SYS_ADMIN') SYS_ADMIN lines" >&3
	mon_lacks a 'type plain_t .*SYS_ADMIN'
	mon_lacks s 'type plain_t .*SYS_ADMIN'
	# not vacuous: the probes happened, and they are the noaudit kind
	[ "$(mon_count v 'type plain_t lacks ability SYS_ADMIN as root \[.* noaudit[] ]')" -ge 1 ] ||
		die "no noaudit SYS_ADMIN probe with -v:" "$(mon_lines v)"
	local l
	while IFS= read -r l; do
		[[ $l == *" noaudit"* ]] || die "a SYS_ADMIN check not marked noaudit: $l"
	done < <(mon_lines v | grep 'type plain_t .*SYS_ADMIN')
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
