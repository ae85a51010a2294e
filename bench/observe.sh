#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `make bench` part 8: what observing processes without a type costs them.
# An untyped loop of bind+close, symlink+unlink, connect and getppid, timed
# with no secpold, then with secpold and a monitor subscribed with -apsuq
# (so every observation program reports).  Then the event rate: an untyped
# process binds as fast as it can while a monitor with -p -s -r writes
# every event; prints events per second and how many were lost.
#
# Knobs: BENCH_ROUNDS (5), BENCH_N (2000), BENCH_WARMUP (200),
# BENCH_OBS_EVENTS (100000).
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_N:-2000}
W=${BENCH_WARMUP:-200}
EVENTS=${BENCH_OBS_EVENTS:-100000}
MON=""
SRV=""

inst_setup
inst_on_exit '[ -n "$MON" ] && kill -TERM "$MON" 2>/dev/null; [ -n "$SRV" ] && kill -TERM "$SRV" 2>/dev/null; wait 2>/dev/null'
mkdir -p "$S/w"
"$SPB" serve "$S/srv.sock" "$S/srv.ready" 2>/dev/null &
SRV=$!
wait_file "$S/srv.ready" || { log "observe: the server did not start"; exit 1; }

# ARRAY: every call's median (ns), untyped, into ARRAY[op]
time_ops() {
	local -n into=$1
	local op arg
	for op in bind symlink connect getppid; do
		case $op in
		bind | symlink) arg=("$S/w/x") ;;
		connect) arg=("$S/srv.sock") ;;
		*) arg=() ;;
		esac
		into[$op]=$(median_ns "$SPB" run "$op" "$N" "$W" "${arg[@]}")
	done
}

declare -A before after
time_ops before

printf '%s\n' "type default;" "allow_attach default $S/w/...;" \
	"allow_link default $S/w/...;" >"$S/obs.sp"
inst_start "$S/obs.sp"
"$BIN/secpolmonitor" -apsuq -o /dev/null &
MON=$!
sleep 1
time_ops after
kill -TERM "$MON"
wait "$MON" 2>/dev/null
MON=""

echo
echo "== part 8: an untyped process observed (median of $ROUNDS runs of $N calls; us per call)"
printf '%-10s %16s %26s %10s\n' "call" "no secpold" "secpold, monitor -apsuq" "added"
for op in bind symlink connect getppid; do
	printf '%-10s %16s %26s %10s\n' "$op" "$(us "${before[$op]}")" "$(us "${after[$op]}")" \
		"$(us $((after[$op] - before[$op])))"
done

# the event rate: every bind is an event for a -r monitor (the monitor's
# queue made deep enough for a burst)
"$BIN/secpolmonitor" -p -s -r --queue 65536 -o "$S/rate.out" &
MON=$!
wait_file "$S/rate.out" || { log "observe: the monitor did not subscribe"; exit 1; }
# two binders (one per CPU): one process alone makes about 55,000 a second
t0=$(date +%s%N)
"$SPB" run bind $((EVENTS / 2)) 0 "$S/w/r1" >/dev/null &
b1=$!
"$SPB" run bind $((EVENTS / 2)) 0 "$S/w/r2" >/dev/null
wait "$b1"
t1=$(date +%s%N)
sleep 2
kill -TERM "$MON"
wait "$MON" 2>/dev/null
MON=""
got=$(grep -c "attached channel to path $S/w/r[12]" "$S/rate.out")
lost=$(grep -o 'warning: [0-9]* events lost' "$S/rate.out" | awk '{ n += $2 } END { print n + 0 }')
awk -v n="$EVENTS" -v t="$((t1 - t0))" -v got="$got" -v lost="$lost" 'BEGIN {
	printf "   %d binds in %.2f s (%.0f events/s): the -r monitor wrote %d lines, %d events reported lost\n",
		n, t / 1e9, n / (t / 1e9), got, lost
}'
