#!/usr/bin/env bats
# Issue 12.4: a process that execs is a new program; its first use of each
# ability is reported under its new name, not hidden behind the wrapper's.
load helpers

POLICY='type default;
allow_attach default /...;
allow_link default /...;'

setup_file() {
	std_setup_file
}

teardown_file() {
	instance_stop
}

setup() {
	std_setup
}

@test "runuser -u nobody -- cat /etc/shadow: cat's refused read is its own line, after runuser's uses" {
	command -v runuser >/dev/null || die "runuser (util-linux) is missing"
	mon_start m -as -f runuser -f cat -f marker
	run runuser -u nobody -- cat /etc/shadow
	[ "$status" -ne 0 ] || die "nobody read /etc/shadow"
	mark m
	mon_stop m
	mon_raw m | grep -Eq "^info: usr/s?bin/runuser \(pid:[0-9]+\) type default uses ability SET(UID|GID)" ||
		die "no use by runuser:" "$(mon_raw m)"
	mon_raw m | grep -Eq "^error: usr/bin/cat \(pid:[0-9]+\) type default lacks ability DAC_(READ_SEARCH|OVERRIDE) as non-root" ||
		die "cat's refusal is hidden:" "$(mon_raw m)"
}
