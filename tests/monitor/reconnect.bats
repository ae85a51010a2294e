#!/usr/bin/env bats
# secpold restarts under a running monitor (issue 8 "Also", brief item 5):
# the monitor says the connection dropped, subscribes again with the same
# options, says how long it was blind, and goes on; --once keeps the old
# exit for scripts; SIGTERM stops it at once while it waits.
load helpers

POLICY='type default;
allow_attach default /...;
allow_link default /...;
# lacks pathspace: any bind is refused with EPERM
type app_t;'

setup_file() {
	std_setup_file
}

teardown_file() {
	instance_stop
}

setup() {
	std_setup
	# a test that failed half-way leaves no daemon behind for the next
	[ -r "$SECPOL_RUNDIR/secpold.pid" ] && kill -0 "$(cat "$SECPOL_RUNDIR/secpold.pid")" 2>/dev/null ||
		daemon_start
}

deny_ability() { "$ON" -T app_t "$(probe "$1")" bind "$T/ok/$1.s" >/dev/null || true; }

STOPPED="warning: secpold stopped; reconnecting"
AGAIN_RE='^warning: monitoring again after [0-9]+(\.[0-9])? s; events in between were not seen$'

@test "secpold restarted: the gap is marked, then the events after it are printed" {
	mon_start t -a -f before -f after -f other -f marker
	mon_start j -a -f before -f after -f other -f marker --json
	deny_ability before
	wait_line t "$BIN/before "
	wait_line j "$BIN/before\""
	daemon_stop
	wait_line t "$STOPPED"
	wait_line j '"phase":"begin"'
	daemon_start
	wait_line t "warning: monitoring again after "
	wait_line j '"phase":"end"'
	deny_ability after
	# the same subscription: -f still applies
	deny_ability unlisted
	mark t j
	mon_stop t
	mon_stop j
	expect_text "$(mon_lines t | sed -E "s/after [0-9]+(\.[0-9])? s;/after N s;/")" "\
error: $BIN/before (pid:N) type app_t lacks ability PATHSPACE as root
$STOPPED
warning: monitoring again after N s; events in between were not seen
error: $BIN/after (pid:N) type app_t lacks ability PATHSPACE as root"
	mon_lines t | grep -qE "$AGAIN_RE"
	# JSON: two gap objects between the events, the second with the
	# length of the gap
	mon_raw j | grep -vF "/mark/" >"$T/j.ours"
	"$PYTHON" - "$T/j.ours" <<'EOF'
import json, sys
from datetime import datetime
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
kinds = [(o["kind"], o.get("phase"), o.get("name", "").rsplit("/", 1)[-1]) for o in objs]
want = [("ability", None, "before"), ("gap", "begin", ""), ("gap", "end", ""),
        ("ability", None, "after")]
if kinds != want:
    sys.exit("got %r, expected %r" % (kinds, want))
begin, end = objs[1], objs[2]
for o in (begin, end):
    if o["v"] != 1 or o["severity"] != "warning":
        sys.exit("bad gap object %r" % o)
def t(s):
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
if end["since"] != begin["time"]:
    sys.exit("the end's since %r is not the begin's time %r" % (end["since"], begin["time"]))
ms = (t(end["time"]) - t(end["since"])).total_seconds() * 1000
if abs(ms - end["gap_ms"]) > 1 or end["gap_ms"] <= 0:
    sys.exit("gap_ms %r, the times say %r" % (end["gap_ms"], ms))
if begin["message"] != "secpold stopped; reconnecting" or \
   not end["message"].startswith("monitoring again after "):
    sys.exit("messages %r %r" % (begin["message"], end["message"]))
EOF
}

@test "secpold killed (SIGKILL) and restarted: the same" {
	mon_start k -a -f killed -f marker
	local pid
	pid=$(cat "$SECPOL_RUNDIR/secpold.pid")
	kill -KILL "$pid"
	wait_gone "$pid" 20
	wait_line k "$STOPPED"
	daemon_start
	wait_line k "warning: monitoring again after "
	deny_ability killed
	mark k
	mon_stop k
	expect_text "$(mon_lines k | sed -E "s/after [0-9]+(\.[0-9])? s;/after N s;/")" "\
$STOPPED
warning: monitoring again after N s; events in between were not seen
error: $BIN/killed (pid:N) type app_t lacks ability PATHSPACE as root"
	expect_text "$(cat "$T/mon/k.err")" ""
}

@test "SIGTERM while waiting for secpold stops the monitor at once, status 0" {
	mon_start w -a -f nothing
	local pid
	pid=$(cat "$T/mon/w.pid")
	daemon_stop
	wait_line w "$STOPPED"
	sleep 0.6 # a few attempts
	kill -0 "$pid" || die "the monitor exited instead of reconnecting:" "$(cat "$T/mon/w.err")"
	kill -TERM "$pid"
	wait_gone "$pid" 2 || die "SIGTERM did not stop a reconnecting monitor within 2 s"
	wait "$pid" && st=0 || st=$?
	rm -f "$T/mon/w.pid"
	expect_text "$st" 0
	expect_text "$(cat "$T/mon/w.err")" ""
	expect_text "$(mon_raw w)" "$STOPPED"
}

@test "--once: the monitor exits with status 1 when secpold stops, as before" {
	mon_start o -a -f nothing --once
	local pid
	pid=$(cat "$T/mon/o.pid")
	daemon_stop
	wait_gone "$pid" "$WAIT_SECONDS" || die "--once: the monitor still runs"
	wait "$pid" && st=0 || st=$?
	rm -f "$T/mon/o.pid"
	expect_text "$st" 1
	expect_text "$(cat "$T/mon/o.err")" "secpolmonitor: error: secpold stopped"
	expect_text "$(mon_raw o)" ""
}

@test "a monitor whose output went away while secpold is away exits 0" {
	local before
	before=$(subscribers)
	("$MONITOR" -a -f nothing 2>"$T/gone.err"
		echo $? >"$T/gone.status") | (
		IFS= read -r l
		printf '%s\n' "$l" >"$T/gone.out"
	) &
	wait_subscribers $((before + 1))
	daemon_stop
	# the reader took the stopped line and left; the monitor notices
	# between its attempts
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		[ -e "$T/gone.status" ] && break
		sleep 0.05
	done
	[ -e "$T/gone.status" ] || die "the monitor still runs without a reader"
	expect_text "$(cat "$T/gone.status")" 0
	expect_text "$(cat "$T/gone.out")" "$STOPPED"
	expect_text "$(cat "$T/gone.err")" ""
}
