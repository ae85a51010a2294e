#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `make bench`: what secpol costs, in numbers (no pass/fail).  See
# bench/README.md for the method and how to read the output.
#
#   1. supervised connect, bind, symlink (and an unsupervised call) under
#      `on -T`, against the same binary unsupervised, a trivial seccomp
#      supervisor, and strace; pinned and not pinned
#   2. the capability tracepoint on a loop of capability checks: no
#      secpold, secpold without monitors, with a monitor (-a, -a -r), for
#      an untyped and a typed process
#   3. the daemon's side: CPU per decision, each step timed on its own,
#      and a perf profile of secpold
#   4. another type's binds while 10,000 processes of one type storm
#      (bench/storm.sh)
#   5. learning: a learning type's calls against an enforcing one's
#      (bench/learn.sh)
#   6. throughput with 1, 2 and 20 callers at once (bench/throughput.sh)
#   7. secpolgenerate replaying a 1M-event log (bench/genbench.sh)
#   8. what observing untyped processes costs them (bench/observe.sh)
#
# Everything runs in a private instance (SECPOL_RUNDIR in a scratch
# directory on tmpfs, /dev/shm) that is removed at the end, with every
# process this script started.
#
# Knobs (environment): BENCH_ROUNDS (5), BENCH_N (2000 timed calls per
# run), BENCH_WARMUP (200), BENCH_CAP_N (20000), BENCH_CAP_WARMUP (2000),
# BENCH_PROFILE (1; 0 skips perf), BENCH_PROFILE_N (10000).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=$PWD/$BUILD/bin
SPB=$PWD/$BUILD/bench/spbench
DECOMP=$PWD/$BUILD/bench/decomp
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_N:-2000}
W=${BENCH_WARMUP:-200}
CAPN=${BENCH_CAP_N:-20000}
CAPW=${BENCH_CAP_WARMUP:-2000}
PROFILE=${BENCH_PROFILE:-1}
PROF_N=${BENCH_PROFILE_N:-10000}

if [ "$(id -u)" != 0 ]; then
	echo "bench: needs root (seccomp supervision, BPF, capabilities)" >&2
	exit 1
fi
for f in "$BIN/secpold" "$BIN/on" "$BIN/secpolcompile" "$BIN/secpolmonitor" "$SPB" "$DECOMP"; do
	[ -x "$f" ] || { echo "bench: $f is missing (make build-all)" >&2; exit 1; }
done
HAVE_STRACE=1
command -v strace >/dev/null || HAVE_STRACE=0
HAVE_PERF=0
if [ "$PROFILE" = 1 ] && command -v perf >/dev/null &&
	perf stat -e cpu-clock -- true >/dev/null 2>&1; then
	HAVE_PERF=1
fi

S=""
DPID=""
SRV=""
MON=""
PERF=""
HOLD=""
T0=$(date +%s)

log() { printf '%s\n' "$*" >&2; }

gone() { # pid: exited (or a zombie about to be reaped)
	[ ! -e "/proc/$1" ] || [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" = Z ]
}

stop_monitor() {
	if [ -n "$MON" ]; then
		kill -TERM "$MON" 2>/dev/null
		wait "$MON" 2>/dev/null
		MON=""
	fi
}

stop_daemon() {
	local i
	if [ -n "$DPID" ]; then
		kill -TERM "$DPID" 2>/dev/null
		for i in $(seq 100); do gone "$DPID" && break; sleep 0.05; done
		gone "$DPID" || { log "bench: secpold $DPID did not stop, killing it"; kill -KILL "$DPID" 2>/dev/null; }
		DPID=""
	fi
}

cleanup() {
	local m
	if [ -n "$PERF" ]; then kill -INT "$PERF" 2>/dev/null; wait "$PERF" 2>/dev/null; fi
	if [ -n "$HOLD" ]; then kill -TERM "$HOLD" 2>/dev/null; wait "$HOLD" 2>/dev/null; fi
	stop_monitor
	stop_daemon
	if [ -n "$SRV" ]; then kill -TERM "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null; fi
	if [ -n "$S" ] && [ -d "$S" ]; then
		# a daemon killed hard leaves its bpffs mounted in the run dir
		for m in $(findmnt -rn -o TARGET | grep "^$S" | sort -r); do
			umount -l "$m"
		done
		rm -rf "$S"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

S=$(mktemp -d /dev/shm/secpol-bench.XXXXXX) || exit 1
WD=$S/w          # where the benchmark binds and links (tmpfs)
RUNDIR=$S/run    # the private secpold instance
RES=$S/results   # the lines spbench report turns into tables
mkdir -p "$WD" "$RUNDIR"
export SECPOL_RUNDIR=$RUNDIR

sed "s|@DIR@|$WD|g" bench/policies/bench.sp.in >"$S/bench.sp"
"$BIN/secpolcompile" -o "$S/policy.bin" "$S/bench.sp" || exit 1

start_daemon() {
	"$BIN/secpold" -i "$S/policy.bin" >>"$S/secpold.out" 2>&1 || {
		log "bench: secpold did not start:"; cat "$S/secpold.out" "$RUNDIR/secpold.log" >&2 2>/dev/null; exit 1; }
	DPID=$(cat "$RUNDIR/secpold.pid")
}

start_monitor() { # options...
	local i
	rm -f "$S/mon.out"
	"$BIN/secpolmonitor" "$@" -o "$S/mon.out" 2>>"$S/monitor.err" &
	MON=$!
	for i in $(seq 200); do [ -e "$S/mon.out" ] && return 0; sleep 0.01; done
	log "bench: secpolmonitor did not subscribe"; cat "$S/monitor.err" >&2
	exit 1
}

# pinned: the client (and its tracer or supervisor) and secpold on CPU 1,
# the connect server on CPU 0; unpinned: no affinity anywhere
PFX=()
set_pin() {
	if [ "$1" = pinned ]; then
		PFX=(taskset -c 1)
		taskset -a -pc 1 "$DPID" >/dev/null
		taskset -a -pc 0 "$SRV" >/dev/null
	else
		PFX=()
		taskset -a -pc 0-1 "$DPID" >/dev/null
		taskset -a -pc 0-1 "$SRV" >/dev/null
	fi
}

# events and lost events the monitor has written so far: "N L"
mon_counts() {
	awk '/^warning: [0-9]+ events lost/ {l += $2; next} {n++} END {print n + 0, l + 0}' "$S/mon.out"
}

# other secpold instances (other sessions' tests): their BPF programs see
# every capability check on the machine too
others() {
	pgrep -x secpold | grep -vx "${DPID:-0}" | wc -l
}

# one GROUP MODE CALLS "CPU_PIDS" command...: one run, one result line.
# CPU_PIDS: processes whose CPU time per call goes in the d-cpu column.
one() {
	local group=$1 mode=$2 calls=$3 pids=$4 out c0 c1 cpu=-1 ev=-1 lost=-1 m0 m1 f
	shift 4
	f=$(others)
	[ -n "$pids" ] && c0=$("$SPB" cpu $pids)
	[ -n "$MON" ] && m0=$(mon_counts)
	out=$("$@" 2>>"$S/errors.log")
	if [ -n "$pids" ]; then
		c1=$("$SPB" cpu $pids)
		cpu=$(((c1 - c0) / calls))
	fi
	if [ -n "$MON" ]; then
		sleep 0.05 # let the daemon's timer drain the last events
		m1=$(mon_counts)
		set -- $m0 $m1
		ev=$(($3 - $1)) lost=$(($4 - $2))
	fi
	set -- $out
	if [ $# -ne 6 ]; then
		log "bench: $group $mode: no result (${out:-nothing}); see errors below"
		FAILED=1
		return
	fi
	echo "R $group $mode $out $cpu $ev $lost $f" >>"$RES"
}
FAILED=0

# --- what is on this machine -----------------------------------------
others_now=$(others)
captp=$(bpftool prog show 2>/dev/null | grep -c 'name cap_capable')
cat <<EOF
secpol benchmark  ($(date -u '+%Y-%m-%d %H:%M UTC'))
  tree: $(git describe --always --dirty 2>/dev/null) ($(git status --porcelain -- src 2>/dev/null | wc -l) files under src/ differ from the commit)
  kernel $(uname -r), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')), clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
  other secpold instances running: $others_now; cap_capable BPF programs attached before ours: $captp
  rounds $ROUNDS; part 1: $N timed calls per run after $W untimed; part 2: $CAPN after $CAPW
  scratch (tmpfs): $S
EOF
[ "$HAVE_STRACE" = 1 ] || echo "  strace not installed: its rows are left out"

# --- the connect server (untyped) ------------------------------------
"$SPB" serve "$WD/srv.sock" "$S/srv.ready" 2>>"$S/server.log" &
SRV=$!
for i in $(seq 200); do [ -e "$S/srv.ready" ] && break; sleep 0.01; done

cat >"$RES" <<EOF
T
T === 1. Supervised system calls: typed (on -T bench_t) vs the same binary unsupervised ===
T call ns: the system call alone (median over runs of the per-run median; p90 the same);
T max us: the slowest single call of all runs; run medians: range of the per-run medians;
T added us and ratio: vs the first row; iter ns: the whole iteration (socket/close and
T unlink included, in every mode) and its ratio; d-cpu ns: secpold's CPU time per call
T (with a monitor: secpold + monitor); events/lost: what the monitor got, per run.
T notify-floor: a trivial seccomp supervisor that continues every call at once;
T secpol+mon-s-r: with secpolmonitor -s -r subscribed (every event delivered);
T [others k/n]: k of the n runs had other secpold instances running (other sessions).
EOF
for pin in unpinned pinned; do
	for op in connect bind symlink getppid; do
		case $op in
		connect) what="connect() to an untyped AF_UNIX stream listener (accept loop), fresh socket each time" ;;
		bind) what="bind() of an AF_UNIX socket on tmpfs (+unlink, +socket/close in iter)" ;;
		symlink) what="symlinkat() on tmpfs (+unlink in iter)" ;;
		getppid) what="getppid(): a call secpol does not supervise (strace traces connect)" ;;
		esac
		echo "H $op/$pin $op, $pin: $what" >>"$RES"
	done
done
cat >>"$RES" <<EOF
T
T === 2. Capability tracepoint: prlimit64(RLIMIT_CORE) raising the hard limit, one capable(CAP_SYS_RESOURCE) per call (denied: root lacks it here) ===
T typed = the same binary under on -T bench_t (its seccomp filter runs on every call: see getppid above);
T monitor-a = secpolmonitor -a (first check per process, de-duplicated in the kernel); -a-r = every check;
T d-cpu ns: secpold (+ monitor) CPU per check; events/lost: lines the monitor wrote / events it was told were lost, per run
T (a monitor sees the whole machine: with other sessions running, their events count too).
H cap/unpinned capability checks, not pinned
EOF

# --- the rounds ---------------------------------------------------------
log "bench: $ROUNDS rounds..."
for r in $(seq "$ROUNDS"); do
	# part 2's baseline needs no secpold at all
	stop_daemon
	# give other sessions' secpold instances a few seconds to go away
	for i in $(seq 30); do [ "$(others)" = 0 ] && break; sleep 0.2; done
	one cap/unpinned no-secpold "$((CAPN + CAPW))" "" "$SPB" run prlimit "$CAPN" "$CAPW"
	start_daemon

	for pin in unpinned pinned; do
		set_pin $pin
		for op in connect bind symlink getppid; do
			case $op in
			connect) arg=$WD/srv.sock call=connect ;;
			bind) arg=$WD/b.sock call=bind ;;
			symlink) arg=$WD/l call=symlinkat ;;
			getppid) arg="" call=connect ;;
			esac
			g=$op/$pin
			c=$((N + W))
			one "$g" unsupervised $c "" "${PFX[@]}" "$SPB" run $op "$N" "$W" $arg
			one "$g" notify-floor $c "" "${PFX[@]}" "$SPB" floor $op "$N" "$W" $arg
			one "$g" secpol $c "$DPID" "${PFX[@]}" "$BIN/on" -T bench_t "$SPB" run $op "$N" "$W" $arg
			if [ $pin = unpinned ]; then
				start_monitor -s -r
				one "$g" secpol+mon-s-r $c "$DPID $MON" "$BIN/on" -T bench_t "$SPB" run $op "$N" "$W" $arg
				stop_monitor
			fi
			if [ "$HAVE_STRACE" = 1 ]; then
				one "$g" strace $c "" "${PFX[@]}" strace -f -qq -o /dev/null -e trace=$call "$SPB" run $op "$N" "$W" $arg
				one "$g" strace--seccomp-bpf $c "" "${PFX[@]}" strace -f -qq -o /dev/null --seccomp-bpf -e trace=$call "$SPB" run $op "$N" "$W" $arg
			fi
		done
	done

	set_pin unpinned
	c=$((CAPN + CAPW))
	one cap/unpinned secpold $c "$DPID" "$SPB" run prlimit "$CAPN" "$CAPW"
	one cap/unpinned secpold/typed $c "$DPID" "$BIN/on" -T bench_t "$SPB" run prlimit "$CAPN" "$CAPW"
	start_monitor -a
	one cap/unpinned monitor-a $c "$DPID $MON" "$SPB" run prlimit "$CAPN" "$CAPW"
	one cap/unpinned monitor-a/typed $c "$DPID $MON" "$BIN/on" -T bench_t "$SPB" run prlimit "$CAPN" "$CAPW"
	stop_monitor
	start_monitor -a -r
	one cap/unpinned monitor-a-r $c "$DPID $MON" "$SPB" run prlimit "$CAPN" "$CAPW"
	one cap/unpinned monitor-a-r/typed $c "$DPID $MON" "$BIN/on" -T bench_t "$SPB" run prlimit "$CAPN" "$CAPW"
	stop_monitor
	log "bench: round $r done ($(($(date +%s) - T0)) s)"
done

# --- 2b. the BPF program's own time per check ---------------------------
# BPF run-time statistics are on only while `spbench holdstats` runs (no
# sysctl is touched); one run per mode, after the timed rounds.
bpfstat() { # label command...
	local label=$1 p0 p1
	shift
	p0=$("$SPB" progstat "$DPID")
	"$@" >/dev/null 2>>"$S/errors.log"
	p1=$("$SPB" progstat "$DPID")
	echo "$label $p0 $p1" | awk -v calls=$((CAPN + CAPW)) '{
		n = $7 - $2; ns = $8 - $3; on = $9 - $4; ons = $10 - $5
		printf "  %-22s %12.0f %12.2f %14d %14.0f\n", $1, n ? ns / n : 0,
			n / calls, $11, (on && $11) ? ons / on : 0 }'
}
BPFSTAT=$S/bpfstat
"$SPB" holdstats 2>>"$S/errors.log" &
HOLD=$!
sleep 0.1
if kill -0 "$HOLD" 2>/dev/null; then
	{
		printf '  %-22s %12s %12s %14s %14s\n' mode "ours ns/run" "runs/call" "other progs" "ns/run each"
		bpfstat secpold "$SPB" run prlimit "$CAPN" "$CAPW"
		bpfstat secpold/typed "$BIN/on" -T bench_t "$SPB" run prlimit "$CAPN" "$CAPW"
		start_monitor -a
		bpfstat monitor-a "$SPB" run prlimit "$CAPN" "$CAPW"
		bpfstat monitor-a/typed "$BIN/on" -T bench_t "$SPB" run prlimit "$CAPN" "$CAPW"
		stop_monitor
		start_monitor -a -r
		bpfstat monitor-a-r "$SPB" run prlimit "$CAPN" "$CAPW"
		bpfstat monitor-a-r/typed "$BIN/on" -T bench_t "$SPB" run prlimit "$CAPN" "$CAPW"
		stop_monitor
	} >"$BPFSTAT"
	kill -TERM "$HOLD"
	wait "$HOLD" 2>/dev/null
else
	echo "  BPF statistics not available" >"$BPFSTAT"
fi
HOLD=""

"$SPB" report "$RES"
echo
echo "Our cap_capable program's own run time per capability check (kernel BPF statistics, one"
echo "run per mode; runs/call above 1: other processes' checks in the same window), and the"
echo "cap_capable programs of other secpold instances, which ran on the same checks:"
cat "$BPFSTAT"

# --- 3. the daemon's side -------------------------------------------
cat <<EOF

=== 3. secpold's side of a decision ===
d-cpu above is secpold's CPU per supervised call.  Below: each step of a decision
timed on its own with the daemon's own library code (decomp), then where secpold's
CPU went during $PROF_N supervised calls of each kind (perf, cpu-clock samples
with DWARF call graphs; each sample goes to the first matching category).

EOF
"$DECOMP" "$WD" 2000 2>>"$S/errors.log" || FAILED=1

if [ "$HAVE_PERF" = 1 ]; then
	set_pin unpinned
	profs=()
	for op in connect bind symlink; do
		case $op in
		connect) arg=$WD/srv.sock ;;
		bind) arg=$WD/b.sock ;;
		symlink) arg=$WD/l ;;
		esac
		for mon in none mon-s-r; do
			[ $mon = mon-s-r ] && start_monitor -s -r
			perf record -q -e cpu-clock -c 100000 -m 8M --call-graph dwarf,16384 \
				-p "$DPID" -o "$S/perf.data" 2>>"$S/perf.err" &
			PERF=$!
			sleep 0.3
			c0=$("$SPB" cpu "$DPID")
			"$BIN/on" -T bench_t "$SPB" run $op "$PROF_N" 100 $arg >/dev/null 2>>"$S/errors.log"
			c1=$("$SPB" cpu "$DPID")
			kill -INT "$PERF"
			wait "$PERF" 2>/dev/null
			PERF=""
			[ $mon = mon-s-r ] && stop_monitor
			perf script -i "$S/perf.data" -F comm,tid,ip,sym 2>/dev/null >"$S/prof.$op.$mon"
			rm -f "$S/perf.data"
			profs+=("$op/$mon:$(((c1 - c0) / (PROF_N + 100))):$S/prof.$op.$mon")
		done
	done
	"$SPB" profile "${profs[@]}"
	grep -i 'lost' "$S/perf.err" | sort | uniq -c | sed 's/^/  perf: /'
else
	echo "  perf profile skipped (BENCH_PROFILE=0, or perf missing or not permitted)"
fi

if [ -s "$S/errors.log" ] || [ "$FAILED" = 1 ]; then
	echo
	echo "errors during the run:"
	sed 's/^/  /' "$S/errors.log" | head -40
fi
# parts 4 and 5 run their own instances
BUILD=$BUILD bench/storm.sh
BUILD=$BUILD BENCH_ROUNDS=$ROUNDS BENCH_N=$N BENCH_WARMUP=$W bench/learn.sh
BUILD=$BUILD bench/throughput.sh
BUILD=$BUILD bench/genbench.sh
BUILD=$BUILD BENCH_ROUNDS=$ROUNDS BENCH_N=$N BENCH_WARMUP=$W bench/observe.sh
echo
echo "bench: done in $(($(date +%s) - T0)) s"
