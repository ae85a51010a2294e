#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `make bench` part 5: what learning costs.  The same binds and symlinks
# timed under an enforcing type and under a learning type with the same
# rules (calls the rules allow), and under the learning type outside its
# rules (calls it would be refused: secpold performs them and reports
# each), with a monitor subscribed as secpolgenerate's input would be
# (secpolmonitor --json -s).  Medians of BENCH_ROUNDS runs, microseconds
# per call (the call alone).
#
# Knobs: BENCH_ROUNDS (5), BENCH_N (2000), BENCH_WARMUP (200).
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${BENCH_ROUNDS:-5}
N=${BENCH_N:-2000}
W=${BENCH_WARMUP:-200}
MON=""

inst_setup
inst_on_exit '[ -n "$MON" ] && kill -TERM "$MON" 2>/dev/null; wait 2>/dev/null'
mkdir -p "$S/in" "$S/out"
printf '%s\n' "type default;" "type enf_t;" "type learn_t;" "learn learn_t;" \
	"allow_attach { enf_t learn_t } $S/in/...;" \
	"allow_link { enf_t learn_t } $S/in/...;" >"$S/learn.sp"
inst_start "$S/learn.sp"
"$BIN/secpolmonitor" --json -s -o "$S/mon.json" &
MON=$!
wait_file "$S/mon.json" || { log "learn: the monitor did not subscribe"; exit 1; }

# the median call (ns): TYPE OP PATH
timed() {
	median_ns "$BIN/on" -T "$1" "$SPB" run "$2" "$N" "$W" "$3"
}

echo
echo "== part 5: learning (median of $ROUNDS runs of $N calls; us per call, a monitor subscribed)"
printf '%-10s %14s %14s %22s\n' "call" "enforcing" "learning" "learning, outside"
for op in bind symlink; do
	e=$(timed enf_t $op "$S/in/x") || { log "learn: enf_t $op failed"; exit 1; }
	l=$(timed learn_t $op "$S/in/x") || { log "learn: learn_t $op failed"; exit 1; }
	o=$(timed learn_t $op "$S/out/x") || { log "learn: learn_t $op outside failed"; exit 1; }
	printf '%-10s %14s %14s %22s\n' "$op" "$(us "$e")" "$(us "$l")" "$(us "$o")"
done
echo "   ($(grep -c '"learning":true' "$S/mon.json") events marked learning reached the monitor)"
