#!/usr/bin/env bats
# Types survive a restart of secpold (issue 3 "Deliver" 8): they are
# pinned, so a typed process keeps its type across SIGKILL (or SIGTERM)
# and restart, and its decisions after the restart still use it.
# policies/restart.sp.

load helpers

setup_file() {
	spt_setup_file restart || return 1
	mkdir -p "$SCRATCH/ok" "$SCRATCH/no"
}

teardown_file() {
	spt_cleanup
}

# A typed shell that waits for $1/go.N and then binds an allowed and a
# forbidden name, writing the results to $1/res.N; ends at $1/end.
WAITER='while [ ! -e "$1/end" ]; do
	for n in 1 2 3; do
		if [ -e "$1/go.$n" ] && [ ! -e "$1/res.$n" ]; then
			{ "$2" bind "$1/ok/s$n"; "$2" bind "$1/no/s$n"; } >"$1/res.$n.tmp"
			mv "$1/res.$n.tmp" "$1/res.$n"
		fi
	done
	sleep 0.05
done'

teardown() {
	spt_test_teardown
	touch "$SCRATCH/end"
	if [ -e "$SCRATCH/on.pid" ]; then
		wait_gone "$(cat "$SCRATCH/on.pid")" 10 || kill -KILL "$(cat "$SCRATCH/on.pid")"
	fi
	rm -f "$SCRATCH/on.pid"
}

waiter_start() {
	rm -f "$SCRATCH"/go.* "$SCRATCH"/res.* "$SCRATCH/end" "$SCRATCH"/ok/s* "$SCRATCH"/no/s*
	"$ON" -T srv_t sh -c "$WAITER" _ "$SCRATCH" "$SPTEST" \
		</dev/null >/dev/null 2>"$SCRATCH/on.err" 3>&- &
	echo $! >"$SCRATCH/on.pid"
}

# round N: lets the waiter bind, expects "ok EACCES"
round() {
	touch "$SCRATCH/go.$1"
	wait_until 30 test -e "$SCRATCH/res.$1" || die "round $1 did not finish"
	expect_eq "round $1 (allowed, forbidden)" "$(tr '\n' ' ' <"$SCRATCH/res.$1")" "ok EACCES "
}

waiter_end() {
	local rc
	touch "$SCRATCH/end"
	wait "$(cat "$SCRATCH/on.pid")" && rc=0 || rc=$?
	expect_eq "on's exit status" "$rc" 0
}

restart_case() { # restart_case SIGNAL
	waiter_start
	round 1
	if [ "$1" == KILL ]; then spd_kill; else spd_stop; fi
	[ -e "$SECPOL_RUNDIR/bpf/types" ] || die "the types are not pinned after SIG$1"
	spd_start "$SCRATCH/restart.bin"
	grep -q 'took over the types of [1-9]' "$SCRATCH/spd.out" ||
		die "the new secpold took no types over:" "$(cat "$SCRATCH/spd.out")"
	wait_until 30 grep -q "on: secpold is back" "$SCRATCH/on.err" ||
		die "on did not re-register: $(cat "$SCRATCH/on.err")"
	mon_start m -s
	round 2 # (a process forked after the restart: its type came by fork)
	mon_fence m
	mon_stop m
	mon_has m \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/ok/s2" \
		"error: $SPN (pid:N) of type srv_t failed to attach to path $SCRATCH/no/s2: no rule"
	waiter_end
}

@test "a typed process keeps its type across SIGKILL and restart of secpold" {
	restart_case KILL
}

@test "a typed process keeps its type across SIGTERM and restart of secpold" {
	restart_case TERM
}

@test "a typed server's channel keeps its type across a restart (no free connects)" {
	serve_start srv srv_t serve "$SCRATCH/ok/srv"
	sp_expect EPERM cli_t connect "$SCRATCH/ok/srv"
	spd_kill
	spd_start "$SCRATCH/restart.bin"
	wait_until 30 grep -q "on: secpold is back" "$SCRATCH/srv.err" ||
		die "the server's on did not re-register: $(cat "$SCRATCH/srv.err")"
	sp_expect EPERM cli_t connect "$SCRATCH/ok/srv"
	expect_eq "connections the server accepted" "$(serve_stop srv)" 0
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
