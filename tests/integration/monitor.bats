#!/usr/bin/env bats
# The event stream (SPEC §4, §5, §7; issue 3 "Deliver" 7 and "Done when"):
# a monitor that never reads does not slow supervised processes and is
# told how many events it lost; several monitors each get their own
# filtered stream.  policies/monitor.sp.

load helpers

setup_file() {
	spt_setup_file monitor || return 1
	mkdir -p "$SCRATCH/srv"
	cp "$SPTEST" "$SCRATCH/other-prog"
}

teardown() {
	spt_test_teardown
	if [ -e "$SCRATCH/stall.pid" ]; then
		kill -TERM "$(cat "$SCRATCH/stall.pid")" 2>/dev/null
		rm -f "$SCRATCH/stall.pid"
	fi
	return 0
}

teardown_file() {
	spt_cleanup
}

@test "a monitor that never reads: 50000 supervised calls run through, the monitor is told what it lost" {
	mon_start stuck -a -s -r
	kill -STOP "$(mon_pid stuck)"
	# a subscriber that never reads at all (not even later)
	rm -f "$SCRATCH/stall.ready"
	"$CTLTEST" stall "$SCRATCH/stall.ready" </dev/null >/dev/null 2>&1 3>&- &
	echo $! >"$SCRATCH/stall.pid"
	wait_until 20 test -e "$SCRATCH/stall.ready" || die "ctltest stall did not subscribe"
	# and one that keeps up, for comparison
	mon_start live -a -s -r
	local t0=$SECONDS
	run --separate-stderr timeout 120 "$ON" -T srv_t "$SPTEST" listen-loop "@mon-$SPT_TAG-flood" 50000
	expect_status 0
	expect_eq "listen-loop" "$output" "ok=50000 err=0 last=none"
	echo "# 50000 supervised calls took $((SECONDS - t0)) s with a stopped monitor" >&3
	pid_alive "$(spd_pid)" || die "secpold died"
	# the stopped monitor, resumed, reads what was queued and the loss
	kill -CONT "$(mon_pid stuck)"
	wait_until 60 grep -Eq '^warning: [0-9]+ events lost$' "$SCRATCH/stuck.mon" ||
		die "no loss warning for the stopped monitor:" "$(tail -n 5 "$SCRATCH/stuck.mon")"
	local lost
	lost=$(grep -Eo '^warning: [0-9]+ events lost$' "$SCRATCH/stuck.mon" | awk '{s += $2} END {print s}')
	[ "$lost" -gt 0 ] || die "lost $lost"
	local printed
	printed=$(grep -c "type srv_t uses ability PUBLIC_CHANNEL as root" "$SCRATCH/stuck.mon")
	echo "# the stopped monitor lost $lost events and printed $printed of the 50000" >&3
	# never silent: what it printed and what it was told it lost add up
	[ $((printed + lost)) -ge 50000 ] ||
		die "printed $printed + lost $lost < 50000: events went missing silently"
	mon_fence stuck live
	mon_stop stuck
	mon_stop live
	kill -TERM "$(cat "$SCRATCH/stall.pid")"
	wait_gone "$(cat "$SCRATCH/stall.pid")"
	rm -f "$SCRATCH/stall.pid"
	# every line of the stopped monitor is an event or the warning
	if mon_lines stuck | grep -Evq '^(info|error): .*|^warning: [0-9]+ events lost$'; then
		die "malformed lines:" "$(mon_lines stuck | grep -Ev '^(info|error): |^warning: ' | head)"
	fi
}

@test "several monitors at once each get their own filtered stream (-a, -p, -f, -r, -s)" {
	mon_start a -a -s
	mon_start p -p -s
	mon_start e -a
	mon_start f -s -f sptest
	mon_start r -a -s -r
	sp_expect ok srv_t bind "$SCRATCH/srv/x"
	sp_expect EPERM nopath_t bind "$SCRATCH/srv/y"
	run --separate-stderr "$ON" -T nopath_t "$SCRATCH/other-prog" bind "$SCRATCH/srv/z"
	expect_eq "other-prog" "$output" EPERM
	sp srv_t listen-loop "@mon-$SPT_TAG-r" 5
	expect_eq "listen-loop" "$output" "ok=5 err=0 last=none"
	mon_fence a p e f r
	local m
	for m in a p e f r; do mon_stop $m; done
	local uses="info: $SPN (pid:N) type srv_t uses ability PATHSPACE as root"
	local att="info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/x"
	local lacks="error: $SPN (pid:N) type nopath_t lacks ability PATHSPACE as root"
	local other="error: ${SCRATCH#/}/other-prog (pid:N) type nopath_t lacks ability PATHSPACE as root"
	local pc="info: $SPN (pid:N) type srv_t uses ability PUBLIC_CHANNEL as root"
	# -a: abilities only
	mon_has a "$uses" "$lacks" "$other" "$pc"
	mon_lacks a 'of type srv_t attached'
	# -p: paths only
	mon_has p "$att"
	mon_lacks p 'ability'
	# -a without -s: failures only
	mon_has e "$lacks" "$other"
	mon_lacks e '^info:'
	# -f sptest: that name only (last component)
	mon_has f "$uses" "$att" "$lacks"
	mon_lacks f 'other-prog'
	# without -r: the first use per process; with -r: every one
	expect_eq "PUBLIC_CHANNEL lines with -r" "$(mon_nlines r "$pc")" 5
	expect_eq "PUBLIC_CHANNEL lines without -r" "$(mon_nlines a "$pc")" 1
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
