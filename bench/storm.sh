#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# `make bench` part 4: a type that storms must not starve the others.
# N processes of storm_t make supervised calls without pause (a refused
# symlink and a fork that storm_t's process limit refuses); meanwhile
# calm_t times binds.  Prints calm_t's bind latency (median, p90, max)
# alone and during the storm, and how many storm processes ran.
#
# Bounded twice: storm_t has a process limit (N + 10) in the policy, and
# everything this script starts runs in a pids cgroup (pids.max N + 200),
# so a broken limit cannot take the machine down.
#
# Knobs: BENCH_STORM (10000 processes; 0 skips), BENCH_STORM_CALLS (2000).
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${BENCH_STORM:-10000}
CALLS=${BENCH_STORM_CALLS:-2000}

[ "$N" -gt 0 ] 2>/dev/null || exit 0
inst_setup
CG=""
SPID=""

storm_cleanup() {
	[ -n "$SPID" ] && kill -TERM -- "-$SPID" 2>/dev/null
	[ -n "$CG" ] || return 0
	# whatever is left in the cgroup goes too
	for _ in $(seq 50); do
		[ -s "$CG/cgroup.procs" ] || break
		xargs -r kill -KILL <"$CG/cgroup.procs" 2>/dev/null
		sleep 0.1
	done
	rmdir "$CG" 2>/dev/null
}
inst_on_exit storm_cleanup

# a pids cgroup: v1's controller where it is mounted, else v2's
make_cgroup() {
	local root
	if [ -d /sys/fs/cgroup/pids ] && [ -e /sys/fs/cgroup/pids/cgroup.procs ]; then
		root=/sys/fs/cgroup/pids
	elif grep -qw pids /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		root=/sys/fs/cgroup
		echo +pids >"$root/cgroup.subtree_control" 2>/dev/null
	else
		log "storm: no pids cgroup controller: not running $N processes unbounded"
		return 1
	fi
	CG=$root/secpol-storm-$$
	mkdir "$CG" && echo $((N + 200)) >"$CG/pids.max"
}

make_cgroup || exit 0
cat >"$S/storm.sp" <<EOF
type default;
type storm_t;
type calm_t;
limit storm_t processes $((N + 10));
allow_attach calm_t $S/calm/...;
EOF
mkdir -p "$S/calm" "$S/storm"
inst_start "$S/storm.sp"

calm() {
	"$BIN/on" -T calm_t "$SPB" run bind "$CALLS" 200 "$S/calm/b.sock"
}

alone=$(calm) || { log "storm: the calm run failed"; exit 1; }

# the storm runs in the cgroup
(echo "$BASHPID" >"$CG/cgroup.procs" &&
	exec setsid "$BIN/on" -T storm_t "$SPB" storm "$N" "$S/storm/l" "$S/ready") \
	>"$S/storm.out" 2>&1 &
SPID=$!
for _ in $(seq 1200); do
	[ -e "$S/ready" ] && break
	kill -0 "$SPID" 2>/dev/null || break
	sleep 0.1
done
if [ ! -e "$S/ready" ]; then
	log "storm: the $N processes did not all start:"
	cat "$S/storm.out" >&2
	exit 1
fi
running=$(wc -l <"$CG/cgroup.procs")
sleep 2
during=$(calm) || { log "storm: the calm run failed during the storm"; exit 1; }

# call_med call_p90 iter_med call_max errors allowed
read -r am ap _ ax _ <<<"$alone"
read -r dm dp _ dx _ <<<"$during"
echo
echo "== part 4: another type's binds during a storm of $N processes of one type"
echo "   ($running processes in the storm's cgroup; $CALLS timed binds of calm_t)"
printf '%-22s %10s %10s %12s\n' "" "median us" "p90 us" "max us"
printf '%-22s %10s %10s %12s\n' "calm_t alone" "$(us "$am")" "$(us "$ap")" "$(us "$ax")"
printf '%-22s %10s %10s %12s\n' "calm_t during storm" "$(us "$dm")" "$(us "$dp")" "$(us "$dx")"
grep -q "type storm_t has" "$SECPOL_RUNDIR/secpold.log" &&
	echo "   (storm_t met its process limit: $(grep -c 'type storm_t has' "$SECPOL_RUNDIR/secpold.log") log line(s))"
exit 0
