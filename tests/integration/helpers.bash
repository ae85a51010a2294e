# Shared helpers for the integration suites (tests/integration/*.bats).
#
# Every test file runs its own private secpold: a run directory made with
# mktemp under /tmp (SECPOL_RUNDIR, at most 80 bytes), a scratch directory
# for the paths the policy names, a policy generated from a template in
# tests/integration/policies/ with the scratch path substituted for @S@,
# and real processes under `on -T`.  Nothing touches the system instance.
#
# The programs under test are the ones in $SECPOL_BIN (tests/run.sh points
# it at the AddressSanitizer build); the probes sptest and ctltest are in
# $SPT_HELPERS (build/tests/helpers).  secpold detaches and loses its
# stderr, so its sanitizer reports go to files in the scratch directory,
# and every stop checks there are none.
bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD=${BUILD:-build}
SECPOL_BIN=${SECPOL_BIN:-$REPO/$BUILD/asan/bin}
SPT_HELPERS=${SPT_HELPERS:-$REPO/$BUILD/tests/helpers}
SPTEST=$SPT_HELPERS/sptest
CTLTEST=$SPT_HELPERS/ctltest
ON=$SECPOL_BIN/on
SECPOLD=$SECPOL_BIN/secpold
SECPOLMONITOR=$SECPOL_BIN/secpolmonitor
SECPOLCOMPILE=$SECPOL_BIN/secpolcompile
SECPOL=$SECPOL_BIN/secpol
POLICIES=$BATS_TEST_DIRNAME/policies
# process names as secpolmonitor prints them: the executable's path
# without the leading '/'
SPN=${SPTEST#/}
ONN=${ON#/}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---- failing with context --------------------------------------------

die() {
	printf '%s\n' "$@" >&2
	if [ -n "${SECPOL_RUNDIR:-}" ] && [ -f "$SECPOL_RUNDIR/secpold.log" ]; then
		printf '%s\n' "--- last lines of $SECPOL_RUNDIR/secpold.log:" >&2
		tail -n 15 "$SECPOL_RUNDIR/secpold.log" >&2
	fi
	return 1
}

# After `run`: the exit status was $1.
expect_status() {
	[ "$status" -eq "$1" ] ||
		die "exit status $status, expected $1" "stdout: $(head -n 20 <<<"$output")" \
			"stderr: $(head -n 20 <<<"${stderr-}")"
}

# After `run`: no sanitizer report in the output.
no_sanitizer() {
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' \
		<<<"${stderr-}$output"; then
		die "sanitizer report:" "${stderr-}$output"
	fi
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" == "$3" ] || die "$1: got '$2', expected '$3'"
}

# expect_match WHAT TEXT ERE
expect_match() {
	[[ $2 =~ $3 ]] || die "$1: '$2' does not match /$3/"
}

# ---- waiting ------------------------------------------------------------

# wait_until SECONDS CMD...: polls CMD every 20 ms until it succeeds.
wait_until() {
	local limit=$1 start=$SECONDS
	shift
	until "$@"; do
		[ $((SECONDS - start)) -ge "$limit" ] && return 1
		sleep 0.02
	done
}

# Is the process alive (a zombie counts as gone)?
pid_alive() {
	local st
	[ -r "/proc/$1/stat" ] || return 1
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

pid_gone() { ! pid_alive "$1"; }

# wait_gone PID [SECONDS]
wait_gone() {
	wait_until "${2:-20}" pid_gone "$1" || die "process $1 did not exit"
}

# ---- environment --------------------------------------------------------

# Skips (with the reason) where the suite cannot run: it needs root, BPF
# with BTF, and seccomp user notification.  A missing build is a failure.
spt_require() {
	local f
	for f in "$SECPOLD" "$ON" "$SECPOLMONITOR" "$SECPOLCOMPILE" "$SECPOL" \
		"$SPTEST" "$CTLTEST"; do
		[ -x "$f" ] || die "$f is missing: run 'make build-check' first" || return 1
	done
	[ "$(id -u)" -eq 0 ] || skip "needs root (secpold loads BPF and supervises processes)"
	[ -r /sys/kernel/btf/vmlinux ] || skip "needs BPF with kernel BTF (/sys/kernel/btf/vmlinux)"
	grep -qw user_notif /proc/sys/kernel/seccomp/actions_avail 2>/dev/null ||
		skip "needs seccomp user notification"
}

# Creates the scratch directory (0755: processes run with -u must reach
# it) and the run directory (0700), and exports them.  TAG marks every
# process we start (through the environment), so leftovers can be found.
spt_dirs() {
	SCRATCH=$(mktemp -d /tmp/spt.XXXXXX)
	chmod 0755 "$SCRATCH"
	SECPOL_RUNDIR=$(mktemp -d /tmp/spd.XXXXXX)
	chmod 0700 "$SECPOL_RUNDIR"
	[ ${#SECPOL_RUNDIR} -le 80 ] || die "run directory name too long"
	SPT_TAG=spt-$$-$RANDOM-${SCRATCH##*.}
	export SCRATCH SECPOL_RUNDIR SPT_TAG
	# the default policy path must not leak in from the host
	export SECPOL_POLICY=$SCRATCH/no-default-policy.bin
}

# policy NAME [secpolcompile options...]: compiles policies/NAME.sp (and
# fence.inc) with @S@ replaced by $SCRATCH into $SCRATCH/NAME.bin.
policy() {
	policy_as "$1" "$@"
}

# policy_as OUT NAME [options...]: the same into $SCRATCH/OUT.bin.
policy_as() {
	local out=$1 name=$2
	shift 2
	# the fence types go last: they do not shift the IDs of the others
	cat "$POLICIES/$name.sp" "$POLICIES/fence.inc" |
		sed "s|@S@|$SCRATCH|g" >"$SCRATCH/$out.sp" || return 1
	"$SECPOLCOMPILE" "$@" -o "$SCRATCH/$out.bin" "$SCRATCH/$out.sp" \
		>"$SCRATCH/$out.compile" 2>&1 ||
		die "cannot compile policy $name:" "$(cat "$SCRATCH/$out.compile")"
}

# ---- the daemon ---------------------------------------------------------

# spd_start POLICY.bin [secpold options]: starts a private secpold on
# $SECPOL_RUNDIR; it returns once ready.  Its pid is in $SCRATCH/spd.pid.
spd_start() {
	local pol=$1 out rc
	shift
	out=$(ASAN_OPTIONS=$ASAN_OPTIONS:log_path=$SCRATCH/sanitizer.secpold \
		UBSAN_OPTIONS=$UBSAN_OPTIONS:log_path=$SCRATCH/sanitizer.secpold \
		"$SECPOLD" -i "$pol" "$@" 2>&1) && rc=0 || rc=$?
	# (what it says before it is ready goes to our stderr, not its log)
	printf '%s\n' "$out" >>"$SCRATCH/spd.out"
	[ "$rc" -eq 0 ] || die "secpold did not start (status $rc): $out" || return 1
	[ -s "$SECPOL_RUNDIR/secpold.pid" ] || die "secpold returned without a pid file" || return 1
	cat "$SECPOL_RUNDIR/secpold.pid" >"$SCRATCH/spd.pid"
}

spd_pid() { cat "$SCRATCH/spd.pid"; }

# Stops secpold with SIGTERM and waits until it is gone.
spd_stop() {
	local pid
	pid=$(spd_pid) || return 1
	kill -TERM "$pid" 2>/dev/null
	wait_gone "$pid" 30
}

# Kills secpold with SIGKILL (it leaves its pinned state behind).
spd_kill() {
	local pid
	pid=$(spd_pid) || return 1
	kill -KILL "$pid"
	wait_gone "$pid" 30
}

# No sanitizer report from any secpold of this test file.
no_daemon_sanitizer_report() {
	local f
	for f in "$SCRATCH"/sanitizer.*; do
		[ -e "$f" ] || continue
		die "sanitizer report from secpold ($f):" "$(head -n 40 "$f")"
		return 1
	done
}

# Processes that carry our tag in their environment (everything we started:
# secpold, on, monitors, typed processes), minus the shells running this
# test and their ancestors.
tagged_pids() {
	local p ours=" " cur=$BASHPID
	while [ -n "$cur" ] && [ "$cur" -gt 1 ]; do
		ours+="$cur "
		cur=$(awk '/^PPid:/ {print $2}' "/proc/$cur/status" 2>/dev/null)
	done
	for p in $(env -u SPT_TAG grep -lzsx "SPT_TAG=$SPT_TAG" /proc/[0-9]*/environ 2>/dev/null |
		cut -d/ -f3); do
		[[ $ours == *" $p "* ]] && continue
		if pid_alive "$p"; then echo "$p"; fi
	done
	return 0
}

no_tagged_pids() { [ -z "$(tagged_pids)" ]; }

# Asserts that the instance left nothing behind after it stopped: its pid
# is gone, no mount under the run or scratch directory, no control socket,
# pid file or pinned BPF objects, no process of the test, no sanitizer
# report.
assert_clean() {
	local pid left m
	pid=$(spd_pid)
	pid_gone "$pid" || die "secpold ($pid) still runs" || return 1
	m=$(awk -v r="$SECPOL_RUNDIR" -v s="$SCRATCH" \
		'index($5, r) == 1 || index($5, s) == 1 {print $5}' /proc/self/mountinfo)
	[ -z "$m" ] || die "mounts left behind: $m" || return 1
	[ ! -e "$SECPOL_RUNDIR/control" ] || die "control socket left behind" || return 1
	[ ! -e "$SECPOL_RUNDIR/secpold.pid" ] || die "pid file left behind" || return 1
	[ ! -e "$SECPOL_RUNDIR/bpf" ] || die "pinned BPF state left behind:" \
		"$(ls -la "$SECPOL_RUNDIR/bpf")" || return 1
	wait_until 10 no_tagged_pids || true
	left=$(tagged_pids)
	if [ -n "$left" ]; then
		die "processes left behind:" "$(for m in $left; do
			printf '%s: %s\n' "$m" "$(tr '\0' ' ' <"/proc/$m/cmdline" 2>/dev/null)"
		done)"
		return 1
	fi
	no_daemon_sanitizer_report
}

# Best-effort cleanup for teardown: kills whatever is left (by pid, only
# ours), unmounts what is ours, removes the directories.
spt_cleanup() {
	local p m
	[ -n "${SCRATCH:-}" ] || return 0
	for p in $(tagged_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	for p in $(tagged_pids); do
		wait_gone "$p" 5 2>/dev/null || true
	done
	# a secpold started by secpol -p is not tagged by spd_start
	if [ -s "$SECPOL_RUNDIR/secpold.pid" ]; then
		p=$(cat "$SECPOL_RUNDIR/secpold.pid")
		if pid_alive "$p" && grep -qx "SPT_TAG=$SPT_TAG" <(tr '\0' '\n' <"/proc/$p/environ"); then
			kill -KILL "$p"
			wait_gone "$p" 5 2>/dev/null || true
		fi
	fi
	for m in $(awk -v r="$SECPOL_RUNDIR" -v s="$SCRATCH" \
		'index($5, r) == 1 || index($5, s) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$SECPOL_RUNDIR" "$SCRATCH"
}

# ---- typed processes ----------------------------------------------------

# on_run TYPE CMD...: `run` of on -T TYPE CMD..., stderr apart.
on_run() {
	local t=$1
	shift
	run --separate-stderr "$ON" -T "$t" "$@"
}

# sp TYPE OP ARGS...: sptest OP ARGS under TYPE; expects no sanitizer
# report from on.  Sets $status/$output/$stderr.
sp() {
	local t=$1
	shift
	run --separate-stderr "$ON" -T "$t" "$SPTEST" "$@"
	no_sanitizer
}

# sp_expect RESULT TYPE OP ARGS...: sptest under TYPE printed RESULT ("ok"
# or an errno name) and exited accordingly.
sp_expect() {
	local want=$1
	shift
	sp "$@" || return 1
	[ "$output" == "$want" ] ||
		die "on -T $1 sptest ${*:2}: got '$output' (status $status), expected '$want'" \
			"stderr: $stderr" || return 1
	if [ "$want" == ok ]; then expect_status 0; else expect_status 1; fi
}

# ---- monitors -----------------------------------------------------------

# mon_start NAME ARGS...: starts secpolmonitor ARGS -o $SCRATCH/NAME.mon in
# the background and waits until it has subscribed (the file exists).
mon_start() {
	local name=$1 f=$SCRATCH/$1.mon
	shift
	rm -f "$f"
	"$SECPOLMONITOR" "$@" -o "$f" 2>"$SCRATCH/$name.monerr" </dev/null 3>&- &
	echo $! >"$SCRATCH/$name.monpid"
	wait_until 20 test -e "$f" ||
		die "monitor $name did not subscribe:" "$(cat "$SCRATCH/$name.monerr")"
}

mon_pid() { cat "$SCRATCH/$1.monpid"; }

# mon_stop NAME: SIGTERM, wait; the monitor must exit 0 without a report.
mon_stop() {
	local pid rc
	pid=$(mon_pid "$1")
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null && rc=0 || rc=$?
	wait_gone "$pid" 20 || return 1
	rm -f "$SCRATCH/$1.monpid"
	if grep -qE 'Sanitizer|runtime error:' "$SCRATCH/$1.monerr"; then
		die "monitor $1: sanitizer report:" "$(cat "$SCRATCH/$1.monerr")"
		return 1
	fi
	[ "$rc" -eq 0 ] || [ "$rc" -eq 127 ] ||
		die "monitor $1 exited with status $rc:" "$(cat "$SCRATCH/$1.monerr")"
}

# mon_lines NAME: the monitor's output with pids replaced by N.
mon_lines() {
	sed -E 's/\(pid:[0-9]+\)/(pid:N)/' "$SCRATCH/$1.mon"
}

# mon_has NAME LINE...: each LINE (pid written as N) is in the output.
mon_has() {
	local name=$1 l
	shift
	for l in "$@"; do
		mon_lines "$name" | grep -Fxq -- "$l" ||
			die "monitor $name lacks the line:" "  $l" "it has:" "$(mon_lines "$name")" ||
			return 1
	done
}

# mon_lacks NAME ERE: no line of the output matches ERE.
mon_lacks() {
	if mon_lines "$1" | grep -Eq -- "$2"; then
		die "monitor $1 has lines matching /$2/:" "$(mon_lines "$1" | grep -E -- "$2")"
		return 1
	fi
}

# mon_count NAME ERE: how many lines match.
mon_count() {
	mon_lines "$1" | grep -Ec -- "$2" || true
}

# mon_nlines NAME LINE: how many lines are exactly LINE (pid written as N).
mon_nlines() {
	mon_lines "$1" | grep -Fxc -- "$2" || true
}

mon_has_q() { mon_lines "$1" | grep -Fxq -- "$2"; }

# mon_wait NAME LINE: waits until LINE (pid written as N) is there.
mon_wait() {
	wait_until 20 mon_has_q "$1" "$2" ||
		die "monitor $1: no line" "  $2" "it has:" "$(mon_lines "$1")"
}

# mon_fence NAME...: makes two marker events after everything so far (a
# missing ability of type fencea_t, then a path without a rule for
# fencep_t) and waits until each monitor has shown one of them.  Events
# reach a monitor in order, so everything before the fence is in the file
# then (a negative check is only meaningful after a fence).  The policy
# must declare fencea_t and fencep_t (policies/fence.inc).
fence_count() { grep -Ec 'type fence[ap]_t' "$SCRATCH/$1.mon" || true; }

fence_seen() { [ "$(fence_count "$1")" -gt "$2" ]; }

mon_fence() {
	local n before=()
	for n in "$@"; do
		before+=("$(fence_count "$n")")
	done
	# (both calls are refused: their status is not the point)
	"$ON" -T fencea_t "$SPTEST" bind "@fence-$RANDOM" >/dev/null 2>&1 || true
	"$ON" -T fencep_t "$SPTEST" bind "@fence-$RANDOM" >/dev/null 2>&1 || true
	for n in "$@"; do
		wait_until 20 fence_seen "$n" "${before[0]}" ||
			die "monitor $n never saw the fence:" "$(tail -n 20 "$SCRATCH/$n.mon")" ||
			return 1
		before=("${before[@]:1}")
	done
}

# ---- per-file and per-test instances -------------------------------------

# For files with one secpold for all their tests: in setup_file.
spt_setup_file() {
	local pol=$1
	shift
	spt_require || return 1
	spt_dirs
	policy "$pol" "$@" || return 1
	spd_start "$SCRATCH/$pol.bin"
}

# The last test of such a file: SIGTERM stops it and nothing is left.
spt_final_check() {
	spd_stop || return 1
	assert_clean
}

# ---- servers ------------------------------------------------------------

# serve_start NAME TYPE OP ADDR: runs `sptest OP ADDR` (OP serve or
# dgram-serve) under TYPE ("-": untyped) in the background and waits until
# it is bound.  Its count goes to $SCRATCH/NAME.out when it stops.
serve_start() {
	local name=$1 type=$2 op=$3 addr=$4
	local ready=$SCRATCH/$name.ready
	rm -f "$ready"
	if [ "$type" == - ]; then
		"$SPTEST" "$op" "$addr" 100000000 "$ready" \
			>"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" </dev/null 3>&- &
	else
		"$ON" -T "$type" "$SPTEST" "$op" "$addr" 100000000 "$ready" \
			>"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err" </dev/null 3>&- &
	fi
	echo $! >"$SCRATCH/$name.srvpid"
	wait_until 20 eval "test -e '$ready' || ! pid_alive $!" || true
	[ -e "$ready" ] || die "server $name did not start:" \
		"$(cat "$SCRATCH/$name.out" "$SCRATCH/$name.err")"
}

# serve_stop NAME: stops the server (on forwards SIGTERM) and prints how
# many connections or datagrams it received.
serve_stop() {
	local pid
	pid=$(cat "$SCRATCH/$1.srvpid")
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	wait_gone "$pid" 20 || return 1
	rm -f "$SCRATCH/$1.srvpid"
	tail -n 1 "$SCRATCH/$1.out"
}

# For teardown: stops the servers a test left running (after a failure),
# so that one failure does not cascade into the next tests.
servers_stop_all() {
	local f pid
	for f in "$SCRATCH"/*.srvpid; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		rm -f "$f"
		if pid_alive "$pid"; then
			kill -TERM "$pid" 2>/dev/null
			wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null
		fi
	done
	return 0
}

# ... and the monitors.
monitors_stop_all() {
	local f pid
	for f in "$SCRATCH"/*.monpid; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		rm -f "$f"
		kill -TERM "$pid" 2>/dev/null
		kill -CONT "$pid" 2>/dev/null
		wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null
	done
	return 0
}

# The teardown of every test: what a failed test left running goes, so
# that one failure does not cascade into the next tests.
spt_test_teardown() {
	servers_stop_all
	monitors_stop_all
}
