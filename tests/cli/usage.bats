#!/usr/bin/env bats
# What every program says about itself (issue 12): --version names the
# program and the release of src/common/version.h, and a usage error is
# one line saying what is wrong and a hint, not the whole help, with exit
# status 2.  Programs add themselves to PROGRAMS as they learn it.
load helpers

PROGRAMS=(secpolcompile secpolmonitor)

# The release, as src/common/version.h has it.
release() {
	sed -nE 's/^#define SECPOL_VERSION "([^"]+)"$/\1/p' "$REPO/src/common/version.h"
}

# usage_error PROG ARGS...: status 2, nothing on stdout, stderr exactly
# one line (matched by the caller) and the hint.
usage_error() {
	local prog=$1
	shift
	run --separate-stderr "$SECPOL_BIN/$prog" "$@"
	no_crash
	expect_status 2
	expect_text "$output" ""
	[ "$(wc -l <<<"$stderr")" -eq 2 ] ||
		die "$prog $*: not one line and a hint:" "$stderr"
	expect_text "$(tail -n1 <<<"$stderr")" "Try '$prog --help' for more information."
	first=$(head -n1 <<<"$stderr")
}

@test "--version: the program, (secpol) and the release on stdout, status 0" {
	local p v
	v=$(release)
	[ -n "$v" ] || die "no SECPOL_VERSION in src/common/version.h"
	for p in "${PROGRAMS[@]}"; do
		run --separate-stderr "$SECPOL_BIN/$p" --version
		no_crash
		expect_status 0
		expect_text "$stderr" ""
		expect_text "${lines[0]}" "$p (secpol) $v"
	done
}

@test "--version wins over what follows it, as --help does" {
	local p
	for p in "${PROGRAMS[@]}"; do
		run --separate-stderr "$SECPOL_BIN/$p" --version -o /nonexistent/x
		expect_status 0
		expect_text "${lines[0]%% *}" "$p"
		[ ! -e /nonexistent/x ]
	done
}

@test "an unknown option: getopt's line and the hint" {
	local p
	for p in "${PROGRAMS[@]}"; do
		usage_error "$p" -Z
		expect_text "$first" "$p: invalid option -- 'Z'"
		usage_error "$p" --no-such-option
		expect_text "$first" "$p: unrecognized option '--no-such-option'"
	done
}

@test "a missing option argument: getopt's line and the hint" {
	usage_error secpolcompile -o
	expect_text "$first" "secpolcompile: option requires an argument -- 'o'"
	local o
	for o in f i o S t; do
		usage_error secpolmonitor "-$o"
		expect_text "$first" "secpolmonitor: option requires an argument -- '$o'"
	done
	usage_error secpolmonitor --queue
	expect_text "$first" "secpolmonitor: option '--queue' requires an argument"
}

@test "the programs' own usage errors: their line and the hint" {
	usage_error secpolcompile
	expect_text "$first" "secpolcompile: error: no input files"
	usage_error secpolcompile -p 1 -p 2 x.sp
	expect_text "$first" "secpolcompile: error: -p given twice"
	usage_error secpolmonitor extra
	expect_text "$first" "secpolmonitor: error: unexpected argument 'extra'"
	usage_error secpolmonitor -i soon
	expect_text "$first" "secpolmonitor: error: -i: 'soon' is not a number of seconds"
	usage_error secpolmonitor --queue 0
	expect_text "$first" "secpolmonitor: error: --queue: expected 1 to 65536"
	usage_error secpolmonitor -t ''
	expect_text "$first" "secpolmonitor: error: -t: empty type name"
}

@test "--help still prints the whole usage, on stdout" {
	local p
	for p in "${PROGRAMS[@]}"; do
		run --separate-stderr "$SECPOL_BIN/$p" --help
		expect_status 0
		expect_text "$stderr" ""
		[[ ${lines[0]} == "Usage: $p "* ]] || die "$p --help: ${lines[0]}"
		grep -qE '^ +--version ' <<<"$output" || die "$p --help does not list --version"
		[ "${#lines[@]}" -gt 5 ]
	done
}
