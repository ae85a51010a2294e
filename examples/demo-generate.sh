#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make demo-generate: learn, then enforce.  A workload of several
# processes runs under types that have no rules yet (develop mode: every
# type learns, nothing is refused); secpolmonitor records what they do;
# secpolgenerate writes the policy (and a graph); the policy is compiled
# and pushed enforcing; the same workload runs again with no refusal; then
# steps outside what was learned are refused, and secpolmonitor shows them.
#
#   examples/demo-generate.sh   (BUILD=build by default; make demo-generate
#                                builds first)
#
# The workload (examples/*.c):
#   fs_t       devf-server: the secpolmonitor walkthrough's server (IO, its
#              channels under ROOT)
#   fs_user_t  fs-client: its client (connects to fs_t's channels)
#   web_t      port-server: binds TCP port 80 as root, drops to uid 65534,
#              binds a control socket as that user
#   link_t     ln -s: creates a symbolic link
# Everything lives in a scratch directory with a private secpold; it is all
# stopped and removed at the end, also on an error or ^C.
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$PWD/$BUILD ;;
esac
PORT=80
USER_ID=65534
SETTLE_MS=400

say() { printf '%s\n' "$@"; }
heading() { printf '\n=== %s ===\n' "$1"; }

if [ "$(id -u)" -ne 0 ]; then
	say "demo-generate: needs root (secpold loads BPF programs and supervises" \
		"demo-generate: processes with seccomp).  Run it as root." >&2
	exit 1
fi
for p in bin/secpolcompile bin/secpol bin/secpold bin/secpolmonitor bin/on \
	bin/secpolgenerate examples/devf-server examples/fs-client \
	examples/port-server; do
	if [ ! -x "$BUILD/$p" ]; then
		say "demo-generate: $BUILD/$p is missing: run 'make demo-generate'" >&2
		exit 1
	fi
done
export PATH=$BUILD/bin:$BUILD/examples:$PATH

S=$(mktemp -d /tmp/secpol-learn.XXXXXX) || exit 1
chmod 0755 "$S"
ROOT=$S/root
export SECPOL_RUNDIR=$S/run
BG_PIDS=()

stop_pid() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

cleanup() {
	local d
	for pid in "${BG_PIDS[@]}"; do
		stop_pid "$pid"
	done
	if [ -s "$SECPOL_RUNDIR/secpold.pid" ]; then
		d=$(cat "$SECPOL_RUNDIR/secpold.pid")
		stop_pid "$d"
	fi
	umount "$SECPOL_RUNDIR/bpf" 2>/dev/null
	rm -rf "$S"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# settle FILE: until FILE has not grown for SETTLE_MS
settle() {
	local last=-1 now
	for _ in $(seq 100); do
		now=$(stat -c %s "$1" 2>/dev/null || echo 0)
		[ "$now" = "$last" ] && return 0
		last=$now
		sleep "0.$SETTLE_MS"
	done
}

# wait_for FILE: until it exists (20 s)
wait_for() {
	for _ in $(seq 200); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	say "demo-generate: $1 did not appear" >&2
	return 1
}

monitor_start() { # NAME ARGS...
	local name=$1
	shift
	rm -f "$S/$name"
	secpolmonitor "$@" -o "$S/$name" 2>"$S/$name.err" &
	BG_PIDS+=($!)
	MON=$!
	wait_for "$S/$name"
}

monitor_stop() { # FILE
	settle "$1"
	stop_pid "$MON"
}

# The workload; with an argument, prints what each step answered.
workload() {
	mkdir -p "$ROOT/dev" "$ROOT/links" "$ROOT/web"
	chown "$USER_ID:$USER_ID" "$ROOT/web"
	on -T fs_t devf-server -r "$ROOT" >"$S/devf.out" 2>&1 &
	local devf=$!
	BG_PIDS+=($devf)
	wait_for "$ROOT/fsFp0" || { cat "$S/devf.out"; return 1; }
	on -T fs_user_t fs-client "$ROOT/fsFp0/readme" && say "  fs-client: touched $ROOT/fsFp0/readme"
	on -T web_t port-server "$PORT" "$USER_ID" "$ROOT/web/control.sock" >"$S/web.out" 2>&1 &
	local web=$!
	BG_PIDS+=($web)
	wait_for "$ROOT/web/control.sock" || { cat "$S/web.out"; return 1; }
	say "  port-server: bound port $PORT, now uid $USER_ID, control socket bound"
	rm -f "$ROOT/links/current"
	on -T link_t ln -s "$ROOT/fsFp0" "$ROOT/links/current" && say "  ln: linked $ROOT/links/current"
	stop_pid "$web"
	stop_pid "$devf"
}

heading "1. A policy with no rules, pushed in develop mode"
printf 'type default;\n' >"$S/empty.sp"
secpolcompile -m -o "$S/empty.bin" "$S/empty.sp" || exit 1
secpol -p -D -i "$S/empty.bin" || exit 1
say "every type learns: nothing is refused, every would-be refusal is reported"

heading "2. The workload runs under types the policy does not have"
monitor_start learn.log
LEARN_MON=$MON
monitor_start learn.json --json -s
workload || exit 1
monitor_stop "$S/learn.json"
MON=$LEARN_MON monitor_stop "$S/learn.log"
say "" "$(grep -c . "$S/learn.json") events recorded (secpolmonitor --json -s); what the policy would have refused:"
sed 's/^/  /' "$S/learn.log"

heading "3. secpolgenerate writes the policy"
secpolgenerate -o "$S/learned.sp" -g "$S/learned.dot" "$S/learn.json" || exit 1
sed 's/^/  /' "$S/learned.sp"
if command -v dot >/dev/null; then
	dot -Tsvg "$S/learned.dot" -o "$S/learned.svg" &&
		say "" "(the graph: learned.dot, rendered by dot to learned.svg)"
else
	say "" "(the graph: learned.dot; install graphviz to render it)"
fi

heading "4. Compiled and pushed, enforcing"
secpolcompile -m -o "$S/learned.bin" "$S/learned.sp" || exit 1
secpol -p -E -i "$S/learned.bin" || exit 1

heading "5. The same workload, enforced"
monitor_start enforce.log
workload || exit 1
monitor_stop "$S/enforce.log"
refusals=$(grep -c '^error:' "$S/enforce.log")
say "" "refusals: $refusals"
if [ "$refusals" -ne 0 ]; then
	sed 's/^/  /' "$S/enforce.log"
	exit 1
fi

heading "6. Steps outside what was learned are refused"
monitor_start outside.log
on -T web_t port-server 81 "$USER_ID" "$ROOT/web/control.sock" 2>&1 | sed 's/^/  another port: /'
on -T web_t port-server "$PORT" 1000 "$ROOT/web/control.sock" 2>&1 | sed 's/^/  another uid: /'
on -T link_t ln -s "$ROOT/fsFp0" "$ROOT/elsewhere" 2>&1 | sed 's/^/  another path: /'
on -T web_t port-server "$PORT" "$USER_ID" "$ROOT/web/control.sock" >"$S/web.out" 2>&1 &
BG_PIDS+=($!)
wait_for "$ROOT/web/control.sock" || exit 1
on -T fs_user_t fs-client "$ROOT/web/control.sock/x" 2>&1 | sed 's/^/  another type: /'
monitor_stop "$S/outside.log"
say "" "secpolmonitor:"
sed 's/^/  /' "$S/outside.log"
grep -q '^error:' "$S/outside.log" || { say "demo-generate: nothing was refused" >&2; exit 1; }
say "" "demo-generate: done; everything it started is stopped and removed"
