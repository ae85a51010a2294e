#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `make bench` part 6: decisions per second with 1, 2 and 20 typed
# processes binding at once (each its own `on -T` tree, so its own
# listener), and secpold's CPU use meanwhile (200% is both CPUs).
#
# Knobs: BENCH_TP_CALLS (2000 binds per caller), BENCH_TP_CALLERS ("1 2 20").
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
CALLS=${BENCH_TP_CALLS:-2000}
CALLERS=${BENCH_TP_CALLERS:-1 2 20}

inst_setup
mkdir -p "$S/b"
printf '%s\n' "type default;" "type tp_t;" "allow_attach tp_t $S/b/...;" >"$S/tp.sp"
inst_start "$S/tp.sp"
D=$(cat "$SECPOL_RUNDIR/secpold.pid")

now_ns() { date +%s%N; }

echo
echo "== part 6: throughput ($CALLS binds per caller, all callers at once)"
printf '%-8s %14s %16s %14s\n' "callers" "decisions/s" "per caller/s" "secpold CPU"
for c in $CALLERS; do
	pids=()
	c0=$("$SPB" cpu "$D")
	t0=$(now_ns)
	for i in $(seq "$c"); do
		"$BIN/on" -T tp_t "$SPB" run bind "$CALLS" 0 "$S/b/s$i" >/dev/null &
		pids+=($!)
	done
	fail=0
	for p in "${pids[@]}"; do
		wait "$p" || fail=1
	done
	t1=$(now_ns)
	c1=$("$SPB" cpu "$D")
	[ "$fail" = 0 ] || { log "throughput: a caller failed"; exit 1; }
	awk -v c="$c" -v n="$CALLS" -v t="$((t1 - t0))" -v cpu="$((c1 - c0))" 'BEGIN {
		total = c * n / (t / 1e9)
		printf "%-8d %14.0f %16.0f %13.0f%%\n", c, total, total / c, 100 * cpu / t
	}'
done
