#!/usr/bin/env bats
# secpold's life (SPEC §4, issue 3 "Deliver" 1 and 2): detaching once
# ready, pid file, control socket, one instance per run directory, SIGTERM,
# SIGHUP, `secpol -p`.  Each test has its own secpold; its teardown stops
# it and checks that nothing is left behind.
#
# Policies: a_m/a_i are policies/life_a.sp (type a_t) mutable/immutable with
# ID 0x1111; ab_m/ab_i are policies/life_ab.sp (a_t and b_t) with ID 0x2222.

load helpers

setup() {
	spt_require || return 1
	spt_dirs
	mkdir -p "$SCRATCH/a" "$SCRATCH/b"
	policy_as a_m life_a -m -p 0x1111
	policy_as a_i life_a -p 0x1111
	policy_as ab_m life_ab -m -p 0x2222
	policy_as ab_i life_ab -p 0x2222
}

teardown() {
	local rc=0 pid
	if [ -s "$SCRATCH/spd.pid" ]; then
		pid=$(spd_pid)
		if pid_alive "$pid"; then
			spd_stop || rc=1
		fi
		assert_clean || rc=1
	fi
	spt_cleanup
	return $rc
}

# the running daemon's policy ID (ctltest hello)
running_policy() {
	"$CTLTEST" hello | sed -n 's/.* policy=\(0x[0-9a-f]*\) .*/\1/p'
}

@test "secpold returns once ready: socket answers at once, pid file, mode 0600, detached" {
	spd_start "$SCRATCH/a_m.bin"
	# no wait of any kind: usable as soon as the command returned
	run "$CTLTEST" hello
	expect_status 0
	local pid
	pid=$(cat "$SECPOL_RUNDIR/secpold.pid")
	expect_match "hello" "$output" "^pid=$pid policy=0x00001111 "
	sp_expect ok a_t bind "$SCRATCH/a/s"
	expect_eq "control socket" "$(stat -c '%a %F' "$SECPOL_RUNDIR/control")" "600 socket"
	expect_eq "pid file" "$(readlink -f "/proc/$pid/exe")" "$(readlink -f "$SECPOLD")"
	# detached: its own session, not our child
	expect_eq "session of secpold" "$(cut -d' ' -f6 "/proc/$pid/stat")" "$pid"
	[ "$(cut -d' ' -f4 "/proc/$pid/stat")" != "$$" ] || die "secpold is still our child"
}

@test "a second secpold for the same run directory is refused with a clear error" {
	spd_start "$SCRATCH/a_m.bin"
	local pid
	pid=$(spd_pid)
	run --separate-stderr "$SECPOLD" -i "$SCRATCH/ab_m.bin"
	expect_status 1
	no_sanitizer
	expect_eq "stderr" "$stderr" \
		"secpold: error: secpold is already running for $SECPOL_RUNDIR (pid $pid)"
	# the first one is unharmed and still has its policy
	expect_eq "pid file" "$(cat "$SECPOL_RUNDIR/secpold.pid")" "$pid"
	expect_eq "running policy" "$(running_policy)" 0x00001111
	pid_alive "$pid"
}

@test "a refused secpold always says why (60 tries)" {
	spd_start "$SCRATCH/a_m.bin"
	local i
	for i in $(seq 60); do
		run --separate-stderr "$SECPOLD" -i "$SCRATCH/a_m.bin"
		expect_status 1
		# (the pid it names is checked in the test above: here, that the
		# reason comes through at all)
		expect_match "try $i" "$stderr" \
			"^secpold: error: secpold is already running for $SECPOL_RUNDIR \(pid [0-9]+\)\$"
	done
}

@test "a refused second secpold leaves the running instance's files alone" {
	spd_start "$SCRATCH/a_i.bin"
	run --separate-stderr "$SECPOLD" -i "$SCRATCH/ab_m.bin"
	expect_status 1
	[ -e "$SECPOL_RUNDIR/policy.bin" ] ||
		die "the refused secpold removed the running instance's policy copy"
	# so the immutable policy still binds the next secpold
	spd_stop
	run --separate-stderr "$SECPOLD" -i "$SCRATCH/ab_m.bin"
	if [ "$status" -eq 0 ]; then
		cat "$SECPOL_RUNDIR/secpold.pid" >"$SCRATCH/spd.pid"
		die "an immutable policy was replaced by restarting secpold with another one"
	fi
}

@test "SIGTERM stops secpold cleanly, its monitors end, nothing is left behind" {
	spd_start "$SCRATCH/a_m.bin"
	mon_start m -s --once
	sp_expect ok a_t bind "$SCRATCH/a/s"
	spd_stop
	# the monitor notices and ends by itself (--once: it would reconnect)
	wait_gone "$(mon_pid m)" 20
	assert_clean
	expect_eq "left in the run directory" "$(ls -A "$SECPOL_RUNDIR")" secpold.log
}

@test "SIGHUP reloads a mutable policy file: an added type becomes usable" {
	cp "$SCRATCH/a_m.bin" "$SCRATCH/live.bin"
	spd_start "$SCRATCH/live.bin"
	on_run b_t true
	expect_status 1
	cp "$SCRATCH/ab_m.bin" "$SCRATCH/live.tmp" && mv "$SCRATCH/live.tmp" "$SCRATCH/live.bin"
	kill -HUP "$(spd_pid)"
	wait_until 20 eval '[ "$(running_policy)" == 0x00002222 ]' ||
		die "the policy was not reloaded: $(running_policy)"
	sp_expect ok b_t bind "$SCRATCH/b/s"
	sp_expect ok a_t bind "$SCRATCH/a/s"
}

@test "SIGHUP does not replace an immutable policy" {
	cp "$SCRATCH/a_i.bin" "$SCRATCH/live.bin"
	spd_start "$SCRATCH/live.bin"
	cp "$SCRATCH/ab_m.bin" "$SCRATCH/live.tmp" && mv "$SCRATCH/live.tmp" "$SCRATCH/live.bin"
	kill -HUP "$(spd_pid)"
	wait_until 20 grep -q 'immutable; not reloading' "$SECPOL_RUNDIR/secpold.log" ||
		die "no word of the refused reload in the log"
	expect_eq "running policy" "$(running_policy)" 0x00001111
	on_run b_t true
	expect_status 1
	[[ $stderr == *"unknown type 'b_t'"* ]] || die "stderr: $stderr"
	sp_expect ok a_t bind "$SCRATCH/a/s"
}

@test "secpol -p pushes into a running secpold whose policy is mutable" {
	spd_start "$SCRATCH/a_m.bin"
	run --separate-stderr "$SECPOL" -p -i "$SCRATCH/ab_m.bin"
	expect_status 0
	no_sanitizer
	expect_eq "running policy" "$(running_policy)" 0x00002222
	expect_eq "secpold" "$(cat "$SECPOL_RUNDIR/secpold.pid")" "$(spd_pid)"
	sp_expect ok b_t bind "$SCRATCH/b/s"
}

@test "secpol -p is refused over a running immutable policy, with a clear error" {
	spd_start "$SCRATCH/a_i.bin"
	run --separate-stderr "$SECPOL" -p -i "$SCRATCH/ab_m.bin"
	expect_status 1
	no_sanitizer
	[[ $stderr == *immutable*"cannot be replaced"* ]] || die "unclear error: $stderr"
	expect_eq "running policy" "$(running_policy)" 0x00001111
	on_run b_t true
	expect_status 1
	# and it binds the next secpold of this run directory too
	spd_stop
	run --separate-stderr "$SECPOLD" -i "$SCRATCH/ab_m.bin"
	expect_status 1
	[[ $stderr == *"immutable policy 0x00001111"* ]] || die "unclear error: $stderr"
	spd_start "$SCRATCH/a_i.bin"
	expect_eq "running policy" "$(running_policy)" 0x00001111
}

@test "secpol -p starts secpold when none runs" {
	ASAN_OPTIONS=$ASAN_OPTIONS:log_path=$SCRATCH/sanitizer.secpold \
		UBSAN_OPTIONS=$UBSAN_OPTIONS:log_path=$SCRATCH/sanitizer.secpold \
		run --separate-stderr "$SECPOL" -p -i "$SCRATCH/a_m.bin"
	expect_status 0
	no_sanitizer
	expect_eq "stdout" "$output" "secpol: started secpold for $SECPOL_RUNDIR with $SCRATCH/a_m.bin"
	[ -s "$SECPOL_RUNDIR/secpold.pid" ] || die "no pid file"
	cat "$SECPOL_RUNDIR/secpold.pid" >"$SCRATCH/spd.pid"
	expect_eq "running policy" "$(running_policy)" 0x00001111
	sp_expect ok a_t bind "$SCRATCH/a/s"
}

@test "a malformed push is refused and the running policy stays in force" {
	spd_start "$SCRATCH/a_m.bin"
	head -c 2000 /dev/urandom >"$SCRATCH/garbage.bin"
	head -c 100 "$SCRATCH/ab_m.bin" >"$SCRATCH/short.bin"
	# one flipped byte in the body: the checksum must catch it
	cp "$SCRATCH/ab_m.bin" "$SCRATCH/flipped.bin"
	printf '\xff' | dd of="$SCRATCH/flipped.bin" bs=1 seek=200 conv=notrunc status=none
	local f
	for f in garbage short flipped; do
		run --separate-stderr "$SECPOL" -p -i "$SCRATCH/$f.bin"
		expect_status 1
		no_sanitizer
		[[ $stderr == "secpol: error: $SCRATCH/$f.bin: "* ]] || die "unclear error: $stderr"
		# the daemon's own check, without the tool's
		run "$CTLTEST" push "$SCRATCH/$f.bin"
		expect_status 1
		expect_match "raw push of $f" "$output" "^refused status=-22: invalid policy: "
	done
	run "$CTLTEST" garbage
	expect_status 0
	expect_eq "after malformed requests" "${lines[-1]}" alive
	expect_eq "running policy" "$(running_policy)" 0x00001111
	expect_eq "secpold" "$(cat "$SECPOL_RUNDIR/secpold.pid")" "$(spd_pid)"
	sp_expect ok a_t bind "$SCRATCH/a/s"
}

@test "a connection outliving the process that opened it is refused (its pid may be someone else's)" {
	spd_start "$SCRATCH/a_m.bin"
	# (the status is the parent's, which exits at once: the child's
	# verdict is what it prints)
	run "$CTLTEST" orphan-push "$SCRATCH/ab_m.bin"
	expect_match "push from an orphaned connection" "$output" \
		"^refused status=-1: the process that opened this connection \\([0-9]+\\) has exited$"
	expect_eq "running policy" "$(running_policy)" 0x00001111
	# the same push from a live process goes through
	run "$CTLTEST" push "$SCRATCH/ab_m.bin"
	expect_status 0
}

@test "a push while a monitor is subscribed: secpold and the monitor go on, with the new policy" {
	spd_start "$SCRATCH/a_m.bin"
	mon_start m -s
	run --separate-stderr "$SECPOL" -p -i "$SCRATCH/ab_m.bin"
	expect_status 0
	pid_alive "$(spd_pid)" || die "secpold died on the push"
	sp_expect ok b_t bind "$SCRATCH/b/s"
	# the monitor names the new type: it got the new policy
	mon_wait m "info: $SPN (pid:N) of type b_t attached channel to path $SCRATCH/b/s"
	mon_stop m
}

@test "SIGHUP while a monitor is subscribed: secpold and the monitor go on" {
	cp "$SCRATCH/a_m.bin" "$SCRATCH/live.bin"
	spd_start "$SCRATCH/live.bin"
	mon_start m -s
	cp "$SCRATCH/ab_m.bin" "$SCRATCH/live.tmp" && mv "$SCRATCH/live.tmp" "$SCRATCH/live.bin"
	kill -HUP "$(spd_pid)"
	wait_until 20 eval '[ "$(running_policy)" == 0x00002222 ] || ! pid_alive $(spd_pid)'
	pid_alive "$(spd_pid)" || die "secpold died on SIGHUP"
	sp_expect ok b_t bind "$SCRATCH/b/s"
	mon_wait m "info: $SPN (pid:N) of type b_t attached channel to path $SCRATCH/b/s"
	mon_stop m
}

@test "a typed process keeps its type after its main thread exits: its other threads are not untyped root" {
	spd_start "$SCRATCH/a_m.bin"
	on_run a_t "$CTLTEST" leaderless-push "$SCRATCH/ab_m.bin"
	no_sanitizer
	expect_status 1
	expect_eq "push from a leaderless typed process" "$output" \
		"refused status=-1: only root without a type, or a type with mac_admin, may push a policy"
	expect_eq "running policy" "$(running_policy)" 0x00001111
	# the same helper without a type: root, allowed
	run "$CTLTEST" leaderless-push "$SCRATCH/ab_m.bin"
	expect_status 0
	expect_eq "running policy" "$(running_policy)" 0x00002222
}

@test "one process cannot hold more than 16 control connections; the daemon goes on serving" {
	spd_start "$SCRATCH/a_m.bin"
	run "$CTLTEST" flood 40
	expect_status 0
	expect_eq "connections answered" "$output" answered=16
	grep -q "refused a control connection of process [0-9]*: it holds 16 already" \
		"$SECPOL_RUNDIR/secpold.log" || die "no log line for the refusal"
	# once they are closed, the next process is served
	run "$CTLTEST" hello
	expect_status 0
}
