# Shared helpers for the bats suites in tests/cli and tests/lang.
# The programs under test are the ones in $SECPOL_BIN (tests/run.sh sets it
# to the AddressSanitizer build); by default build/asan/bin.
bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
SECPOL_BIN=${SECPOL_BIN:-$REPO/build/asan/bin}
SECPOLCOMPILE=$SECPOL_BIN/secpolcompile
SECPOL=$SECPOL_BIN/secpol
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Fails the test with a message on stderr.
die() {
	printf '%s\n' "$@" >&2
	return 1
}

# After `run`: the exit status was $1.
expect_status() {
	[ "$status" -eq "$1" ] ||
		die "exit status $status, expected $1" "stdout: $output" "stderr: ${stderr-}"
}

# After `run`: no crash, no sanitizer report (a crash is never a clear error).
no_crash() {
	if [ "$status" -ge 126 ]; then
		die "exit status $status: crashed or killed" "stderr: ${stderr-}"
	fi
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
		<<<"${stderr-}$output"; then
		die "sanitizer report:" "${stderr-}$output"
	fi
}

# expect_text GOT WANT: the two texts are equal (shows a diff if not).
expect_text() {
	[ "$1" == "$2" ] || die "text differs (- want, + got):" \
		"$(diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$1") | tail -n +3)"
}
