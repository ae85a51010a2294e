# SPDX-License-Identifier: BSD-2-Clause
# Shared by bench/storm.sh and bench/learn.sh (sourced): a private secpold
# in a scratch directory on tmpfs, removed at exit with what it started.
#
#   inst_setup             makes $S, sets SECPOL_RUNDIR, installs the trap
#   inst_start FILE.sp     compiles the policy and starts secpold on it
#   inst_on_exit CMD       a command for the exit trap (before secpold stops)
#   us NS                  nanoseconds as microseconds, one decimal
#   median_ns CMD...       the median of CMD's first field over $ROUNDS runs
#   wait_file FILE         until FILE exists (10 s); 1 if it did not appear

BUILD=${BUILD:-build}
BIN=$PWD/$BUILD/bin
SPB=$PWD/$BUILD/bench/spbench
INST_EXIT=()

log() { printf '%s\n' "$*" >&2; }
us() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1000 }'; }

inst_on_exit() { INST_EXIT+=("$1"); }

# CMD is an `spbench run`, whose line starts with the run's call median
median_ns() {
	local out
	for _ in $(seq "$ROUNDS"); do
		out=$("$@") || return 1
		echo "${out%% *}"
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

wait_file() {
	for _ in $(seq 100); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

inst_cleanup() {
	local d c
	for c in "${INST_EXIT[@]}"; do
		eval "$c"
	done
	if [ -s "$SECPOL_RUNDIR/secpold.pid" ]; then
		d=$(cat "$SECPOL_RUNDIR/secpold.pid")
		kill -TERM "$d" 2>/dev/null
		for _ in $(seq 100); do
			kill -0 "$d" 2>/dev/null || break
			sleep 0.1
		done
	fi
	umount "$SECPOL_RUNDIR/bpf" 2>/dev/null
	rm -rf "$S"
}

inst_setup() {
	if [ "$(id -u)" != 0 ]; then
		log "$(basename "$0"): needs root"
		exit 1
	fi
	S=$(mktemp -d /dev/shm/secpol-bench.XXXXXX) || exit 1
	export SECPOL_RUNDIR=$S/run
	trap inst_cleanup EXIT
}

inst_start() {
	"$BIN/secpolcompile" -o "$S/policy.bin" "$1" || exit 1
	"$BIN/secpold" -i "$S/policy.bin" >"$S/secpold.out" 2>&1 || {
		log "secpold did not start:"
		cat "$S/secpold.out" >&2
		exit 1
	}
}
