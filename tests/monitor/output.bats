#!/usr/bin/env bats
# Where secpolmonitor's output goes (issue 12 item 5): a monitor whose
# output is gone exits at once and drops its subscription (with it the
# machine-wide capability tracing), quietly when a pipe's reader left,
# with a message naming the output on any other write error; SIGHUP
# reopens the -o file for log rotation without losing the subscription;
# SIGTERM stops a monitor stuck writing to a full pipe.
load helpers

POLICY='type default;
allow_attach default /...;
allow_link default /...;
# lacks pathspace: any bind is refused with EPERM
type app_t;
type ln_t;
allow_link ln_t @T@/ok/...;'

setup_file() {
	std_setup_file
}

teardown_file() {
	instance_stop
}

setup() {
	std_setup
}

teardown() {
	local f
	for f in "$T"/bg.*.pid; do
		[ -e "$f" ] && bg_stop "$(basename "${f%.pid}" | cut -d. -f2)"
	done
	return 0
}

deny_ability() { "$ON" -T app_t "$(probe "$1")" bind "$T/ok/$1.s" >/dev/null || true; }

# wait_file FILE: waits until FILE exists.
wait_file() {
	local i
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	die "$1 did not appear within ${WAIT_SECONDS}s"
}

@test "| head -n1: once head has its line the monitor exits 0 with no event flowing, and its subscription is gone" {
	local before
	before=$(subscribers)
	# -f: nothing but the one event reaches this monitor, so it never
	# writes again after head has gone
	("$MONITOR" -a -f headgone 2>"$T/head.err"
		echo $? >"$T/head.status") | head -n1 >"$T/head.out" &
	wait_subscribers $((before + 1))
	deny_ability headgone
	# head exits after the line; the monitor must notice without a write
	wait_file "$T/head.status"
	expect_text "$(sed -E 's/\(pid:[0-9]+\)/(pid:N)/' "$T/head.out")" \
		"error: $BIN/headgone (pid:N) type app_t lacks ability PATHSPACE as root"
	expect_text "$(cat "$T/head.status")" 0
	expect_text "$(cat "$T/head.err")" ""
	wait_subscribers "$before"
}

@test "a pipe whose reader is gone before anything was written: exit 0, quietly" {
	local before
	before=$(subscribers)
	run --separate-stderr timeout "$WAIT_SECONDS" bash -c \
		'sleep 0.2 | true; "$1" -a -f nothing-ever | true; echo "${PIPESTATUS[0]}"' _ "$MONITOR"
	expect_status 0
	expect_text "$output" 0
	expect_text "$stderr" ""
	wait_subscribers "$before"
}

@test "another write error: status 1 and a message naming the output" {
	local before st
	before=$(subscribers)
	"$MONITOR" -a -f fullout >/dev/full 2>"$T/full.err" &
	local pid=$!
	wait_subscribers $((before + 1))
	deny_ability fullout
	wait_gone "$pid" "$WAIT_SECONDS" || die "the monitor still runs after a failed write"
	wait "$pid" && st=0 || st=$?
	expect_text "$st" 1
	expect_text "$(cat "$T/full.err")" "secpolmonitor: error: cannot write to standard output: No space left on device"
	# -o names the file
	"$MONITOR" -a -f fullout2 -o /dev/full 2>"$T/full2.err" &
	pid=$!
	wait_subscribers $((before + 1))
	deny_ability fullout2
	wait_gone "$pid" "$WAIT_SECONDS" || die "the monitor still runs after a failed write"
	wait "$pid" && st=0 || st=$?
	expect_text "$st" 1
	expect_text "$(cat "$T/full2.err")" "secpolmonitor: error: cannot write to /dev/full: No space left on device"
	wait_subscribers "$before"
}

@test "SIGHUP reopens the -o file: the moved file keeps what was, the new one gets what comes" {
	mon_start h -a -f rot1 -f rot2 -f rot3
	local pid
	pid=$(cat "$T/mon/h.pid")
	deny_ability rot1
	wait_line h "$BIN/rot1 "
	# logrotate: move the file away, then SIGHUP
	mv "$T/mon/h.out" "$T/mon/h.out.1"
	kill -HUP "$pid"
	wait_file "$T/mon/h.out"
	deny_ability rot2
	wait_line h "$BIN/rot2 "
	expect_text "$(sed -E 's/\(pid:[0-9]+\)/(pid:N)/' "$T/mon/h.out.1")" \
		"error: $BIN/rot1 (pid:N) type app_t lacks ability PATHSPACE as root"
	expect_text "$(mon_lines h)" \
		"error: $BIN/rot2 (pid:N) type app_t lacks ability PATHSPACE as root"
	# a file that exists under the name is appended to, not truncated
	mv "$T/mon/h.out" "$T/mon/h.out.2"
	echo "written by someone else" >"$T/mon/h.out"
	kill -HUP "$pid"
	# (nothing shows when the reopen happened: wait until the monitor
	# has the new file open)
	local i
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		[ "$(stat -L -c %i "/proc/$pid/fd/"* 2>/dev/null | grep -cx "$(stat -c %i "$T/mon/h.out")")" -gt 0 ] && break
		sleep 0.05
	done
	deny_ability rot3
	wait_line h "$BIN/rot3 "
	expect_text "$(mon_raw h | sed -E 's/\(pid:[0-9]+\)/(pid:N)/')" "\
written by someone else
error: $BIN/rot3 (pid:N) type app_t lacks ability PATHSPACE as root"
	# one subscription all along, and a clean stop
	kill -0 "$pid"
	mon_stop h
	expect_text "$(cat "$T/mon/h.err")" ""
}

@test "SIGHUP: a file that cannot be reopened is said, and the monitor keeps writing the old one" {
	mkdir -p "$T/rotdir"
	rm -f "$T/mon/k.out"
	"$MONITOR" -a -f keep1 -f keep2 -o "$T/rotdir/k.out" 2>"$T/mon/k.err" &
	local pid=$!
	echo $pid >"$T/mon/k.pid"
	echo "-a -f keep1 -f keep2" >"$T/mon/k.args"
	wait_file "$T/rotdir/k.out"
	deny_ability keep1
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		grep -qF "$BIN/keep1 " "$T/rotdir/k.out" && break
		sleep 0.1
	done
	# the directory is gone: the name cannot be opened
	mv "$T/rotdir" "$T/rotdir.old"
	kill -HUP "$pid"
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		[ -s "$T/mon/k.err" ] && break
		sleep 0.1
	done
	expect_text "$(cat "$T/mon/k.err")" \
		"secpolmonitor: error: cannot reopen $T/rotdir/k.out: No such file or directory; still writing to the file it named before"
	deny_ability keep2
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		grep -qF "$BIN/keep2 " "$T/rotdir.old/k.out" && break
		sleep 0.1
	done
	expect_text "$(sed -E 's/\(pid:[0-9]+\)/(pid:N)/' "$T/rotdir.old/k.out")" "\
error: $BIN/keep1 (pid:N) type app_t lacks ability PATHSPACE as root
error: $BIN/keep2 (pid:N) type app_t lacks ability PATHSPACE as root"
	kill -TERM "$pid"
	wait "$pid"
	rm -f "$T/mon/k.pid"
}

@test "SIGTERM stops a monitor blocked writing to a pipe nobody reads, status 0" {
	# a reader that never reads: the pipe fills (64 KiB) and the monitor
	# blocks in write
	mkfifo "$T/stuck.fifo"
	bg_start stuckreader bash -c "exec 3<'$T/stuck.fifo'; sleep 600"
	local before st
	before=$(subscribers)
	# -p: only this instance's typed processes make path events
	"$MONITOR" -ps -r >"$T/stuck.fifo" 2>"$T/stuck.err" &
	local pid=$!
	wait_subscribers $((before + 1))
	# 2000 links by one process: 2000 lines of about 100 bytes
	"$ON" -T ln_t "$PYTHON" -c "import os
for i in range(2000):
    os.symlink('/x', '$T/ok/many'); os.unlink('$T/ok/many')"
	# blocked in write(2) (system call 1): the pipe is full
	local i sc=
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		sc=$(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null)
		[ "$sc" == 1 ] && break
		sleep 0.05
	done
	[ "$sc" == 1 ] || die "the monitor is not blocked writing (system call $sc)"
	kill -TERM "$pid"
	wait_gone "$pid" 5 || die "SIGTERM did not stop a monitor blocked in write"
	wait "$pid" && st=0 || st=$?
	expect_text "$st" 0
	expect_text "$(cat "$T/stuck.err")" ""
	bg_stop stuckreader || true
	wait_subscribers "$before"
}
