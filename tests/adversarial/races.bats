#!/usr/bin/env bats
# No check-then-use race (SPEC §7, issue 3 "Done when"): a second thread
# rewrites the path buffer while the first binds, links or connects, many
# thousands of times.  The forbidden name must never appear (checked while
# the race runs and after it) and the forbidden server must never accept a
# connection; the allowed operation must succeed often enough for the run
# to mean something.  policies/race.sp.

load helpers

RACE_N=${RACE_N:-20000}

setup_file() {
	spt_setup_file race || return 1
	mkdir -p "$SCRATCH"/{okb,nob,okl,nol,okc,noc}
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

# watch_start PATH: polls for PATH in the background; writes
# $SCRATCH/seen if it ever exists.
watch_start() {
	rm -f "$SCRATCH/seen" "$SCRATCH/watch.stop"
	(
		while [ ! -e "$SCRATCH/watch.stop" ]; do
			if [ -e "$1" ] || [ -L "$1" ]; then
				echo "$1" >>"$SCRATCH/seen"
			fi
		done
	) 3>&- &
	echo $! >"$SCRATCH/watch.pid"
}

watch_stop() {
	touch "$SCRATCH/watch.stop"
	wait "$(cat "$SCRATCH/watch.pid")" 2>/dev/null || true
	[ ! -e "$SCRATCH/seen" ] || die "the forbidden name appeared during the race:" \
		"$(sort -u "$SCRATCH/seen")"
}

# race OP GOOD BAD: runs sptest OP under racer_t; sets $ok
race() {
	run --separate-stderr timeout 300 "$ON" -T racer_t "$SPTEST" "$1" "$2" "$3" "$RACE_N"
	expect_status 0
	no_sanitizer
	ok=${output#ok=}
	[[ $ok =~ ^[0-9]+$ ]] || die "unexpected output: $output"
	echo "# $1: $ok of $RACE_N calls succeeded" >&3
	# a race that never lets the allowed call through proves nothing
	[ "$ok" -ge $((RACE_N / 20)) ] ||
		die "only $ok of $RACE_N allowed calls succeeded: the race did not exercise the allowed path"
}

@test "race-bind: a thread rewriting the path never gets an unauthorised bind" {
	local bad=$SCRATCH/nob/sock
	# the watch sees the forbidden name when it does appear (untyped bind)
	watch_start "$bad"
	"$SPTEST" bind "$bad" >/dev/null
	wait_until 20 test -e "$SCRATCH/seen" || die "the watch does not see $bad"
	rm -f "$bad"
	touch "$SCRATCH/watch.stop"
	wait "$(cat "$SCRATCH/watch.pid")" || true
	watch_start "$bad"
	race race-bind "$SCRATCH/okb/sock" "$bad"
	watch_stop
	[ ! -e "$bad" ] || die "$bad exists"
	expect_eq "names left in $SCRATCH/nob" "$(ls -A "$SCRATCH/nob")" ""
}

@test "race-symlink: a thread rewriting the path never gets an unauthorised link" {
	local bad=$SCRATCH/nol/lnk
	watch_start "$bad"
	race race-symlink "$SCRATCH/okl/lnk" "$bad"
	watch_stop
	[ ! -L "$bad" ] || die "$bad exists"
	expect_eq "names left in $SCRATCH/nol" "$(ls -A "$SCRATCH/nol")" ""
}

@test "race-connect: a thread rewriting the address never reaches the forbidden server" {
	serve_start good good_t serve "$SCRATCH/okc/srv"
	serve_start bad bad_t serve "$SCRATCH/noc/srv"
	# the forbidden server is reachable in principle: refused, not absent
	sp_expect EPERM racer_t connect "$SCRATCH/noc/srv"
	race race-connect "$SCRATCH/okc/srv" "$SCRATCH/noc/srv"
	local good bad
	bad=$(serve_stop bad)
	good=$(serve_stop good)
	expect_eq "connections the forbidden server accepted" "$bad" 0
	[ "$good" -gt 0 ] || die "the allowed server accepted nothing"
	echo "# the allowed server accepted $good connections" >&3
}

@test "race-bind-fd: a unix socket swapped under a checked TCP descriptor is never bound" {
	local bad=$SCRATCH/nob/fdsock
	watch_start "$bad"
	run --separate-stderr timeout 300 "$ON" -T racer_t "$SPTEST" race-bind-fd "$bad" "$RACE_N"
	expect_status 0
	no_sanitizer
	watch_stop
	expect_eq "binds that succeeded" "$output" ok=0
	[ ! -e "$bad" ] || die "$bad exists"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
