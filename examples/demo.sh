#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# make demo: the example of the QNX secpolmonitor man page, step by step, on
# this machine (SPEC §6).  It runs everything in a scratch directory with a
# private secpold (SECPOL_RUNDIR inside it), changes nothing outside it,
# and stops and removes everything it started, also on an error or ^C.
#
#   examples/demo.sh        (BUILD=build by default; make demo builds first)
#
# devf-server (examples/devf-server.c) plays devf-ram, fs-client
# (examples/fs-client.c) plays touch, and ln is ln.
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$PWD/$BUILD ;;
esac
POLICY_SRC=examples/policies/manpage.sp
# the demo's types: monitor lines of other processes of this machine (all
# of type default) are left out of what the demo shows
TYPES_RE=' type (fs_t|fs_user_t|fs_nonuser_t) '
SETTLE_MS=400 # a step's monitor lines are all in once quiet this long

say() { printf '%s\n' "$@"; }
heading() { printf '\n=== %s ===\n' "$1"; }

if [ "$(id -u)" -ne 0 ]; then
	say "demo: this walkthrough needs root: secpold loads BPF programs and" \
		"demo: supervises processes with seccomp, and 'on' sets their" \
		"demo: capabilities.  Run it as root (for example: sudo make demo)." >&2
	exit 1
fi
for p in bin/secpolcompile bin/secpol bin/secpold bin/secpolmonitor bin/on \
	examples/devf-server examples/fs-client; do
	if [ ! -x "$BUILD/$p" ]; then
		say "demo: $BUILD/$p is missing: run 'make demo' (it builds first)" >&2
		exit 1
	fi
done
# the man page's commands, as it writes them
export PATH=$BUILD/bin:$BUILD/examples:$PATH

S=$(mktemp -d /tmp/secpol-demo.XXXXXX) || exit 1
ROOT=$S/root
export SECPOL_RUNDIR=$S/run
export SECPOL_POLICY=$S/demo.bin
SERVER_PID= MON_PIDS=() DAEMON_PID=
declare -A SHOWN=()

# ---- cleanup: runs on every exit ---------------------------------------

# wait_gone PID SECONDS: true once PID has exited.
wait_gone() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# stop PID: SIGTERM, then SIGKILL if it does not go within 5 s.
stop() {
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	if ! wait_gone "$1" 5; then
		say "demo: process $1 did not stop on SIGTERM: killing it" >&2
		kill -KILL "$1" 2>/dev/null
		wait_gone "$1" 2
	fi
	wait "$1" 2>/dev/null
	return 0
}

cleanup() {
	local status=$? left=0 p
	trap - EXIT INT TERM
	set +e
	# the typed server first: secpold keeps its state while typed
	# processes run, and removes it once none is left
	[ -n "$SERVER_PID" ] && stop "$SERVER_PID"
	for p in "${MON_PIDS[@]}"; do
		stop "$p"
	done
	[ -z "$DAEMON_PID" ] && [ -r "$SECPOL_RUNDIR/secpold.pid" ] &&
		DAEMON_PID=$(cat "$SECPOL_RUNDIR/secpold.pid")
	if [ -n "$DAEMON_PID" ]; then
		stop "$DAEMON_PID"
	fi
	if [ "$status" -ne 0 ] && [ -s "$SECPOL_RUNDIR/secpold.log" ]; then
		say "demo: the end of secpold's log:" >&2
		tail -n 20 "$SECPOL_RUNDIR/secpold.log" | sed 's/^/  /' >&2
	fi
	# nothing may be left: no process naming the scratch directory, no
	# mount under it
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		if grep -qsF "$S" "$p/cmdline" 2>/dev/null; then
			say "demo: left running: pid ${p#/proc/}: $(tr '\0' ' ' <"$p/cmdline")" >&2
			kill -KILL "${p#/proc/}" 2>/dev/null
			left=1
		fi
	done
	while read -r p; do
		say "demo: left mounted: $p" >&2
		umount -l "$p" 2>/dev/null
		left=1
	done < <(awk -v s="$S" 'index($5, s) == 1 { print $5 }' /proc/self/mountinfo)
	rm -rf "$S"
	if [ "$left" -ne 0 ]; then
		say "demo: error: something was left behind (see above); removed it" >&2
		[ "$status" -eq 0 ] && status=1
	elif [ "$status" -eq 0 ]; then
		heading "Cleaned up"
		say "Stopped devf-server, both monitors and secpold; removed $S." \
			"Nothing is left running and nothing is mounted under it."
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'say "demo: interrupted" >&2; exit 130' INT
trap 'say "demo: terminated" >&2; exit 143' TERM

die() {
	say "demo: error: $*" >&2
	exit 1
}

# ---- helpers --------------------------------------------------------------

# show_cmd ARGS...: prints the command as a shell would read it.
show_cmd() {
	local a out='$'
	for a in "$@"; do
		case $a in
		'&') out+=" &" ;;
		*[!A-Za-z0-9_./:=@%+-]*) out+=" '${a//\'/\'\\\'\'}'" ;;
		*) out+=" $a" ;;
		esac
	done
	say "$out"
}

# run ARGS...: shows the command, runs it, shows a failure's exit status.
run() {
	local st
	show_cmd "$@"
	"$@" 2>&1
	st=$?
	say "[exit status $st]"
	return 0
}

# wait_for TEST PATH SECONDS: waits until [ TEST PATH ] holds.
wait_for() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		[ "$1" "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# complete lines of a monitor's file, of the demo's types, and warnings
demo_lines() {
	local f=$S/$1.log n
	n=$(wc -l <"$f")
	head -n "$n" "$f" | grep -E -e "$TYPES_RE" -e '^warning: '
}

# monitor_lines: the monitors' new lines since the last step.  Events are
# reported as they happen, capability checks within a few tens of
# milliseconds: the step's lines are in once nothing new came for a while.
monitor_lines() {
	local m prev=-1 cur quiet=0 i lines n
	for ((i = 0; i < 50 && quiet < SETTLE_MS; i++)); do
		sleep 0.1
		cur=0
		for m in ap aps; do
			n=$(demo_lines "$m" | wc -l)
			cur=$((cur + n))
		done
		if [ "$cur" -eq "$prev" ]; then
			quiet=$((quiet + 100))
		else
			quiet=0
		fi
		prev=$cur
	done
	for m in ap aps; do
		lines=$(demo_lines "$m" | tail -n +"$((${SHOWN[$m]:-0} + 1))")
		SHOWN[$m]=$(demo_lines "$m" | wc -l)
		say "secpolmonitor -$m:"
		if [ -n "$lines" ]; then
			say "$lines" | sed 's/^/    /'
		else
			say "    (nothing new)"
		fi
	done
}

# ---- the walkthrough ------------------------------------------------------

say "secpol for Linux: the secpolmonitor walkthrough" \
	"The example of the QNX secpolmonitor man page, step by step.  devf-server" \
	"plays devf-ram, fs-client plays touch, and ln is itself."

heading "Setting up"
mkdir -p "$ROOT/dev" "$ROOT/tmp" || die "cannot create $ROOT"
say "Everything happens in the scratch directory $S," \
	"with a private secpold instance:" \
	"  SECPOL_RUNDIR=$SECPOL_RUNDIR" \
	"The man page's file system root \"/\" is $ROOT."
say "" "The policy is the man page's, $POLICY_SRC, with its absolute paths" \
	"moved under that root.  A socket cannot be bound at a directory, so the" \
	"mounter's \"/\" becomes $ROOT/mnt.  The lines that change:"
# "/" alone is the mounter; every other absolute path moves as it is
sed -E -e "s#^([[:space:]]*)/([[:space:]]*;?)\$#\\1$ROOT/mnt\\2#" -e t \
	-e "s#(^|[[:space:]])/([^[:space:]]+)#\\1$ROOT/\\2#g" \
	"$POLICY_SRC" >"$S/demo.sp" || die "cannot write $S/demo.sp"
diff "$POLICY_SRC" "$S/demo.sp" | grep -E '^[<>]' |
	sed -e 's/^</  -/' -e 's/^>/  +/'
grep -qF "$ROOT/mnt" "$S/demo.sp" || die "the policy has no mounter rule"
say "" "Compile it (RSRCDBMGR has no Linux meaning: a warning, not an error):"
run secpolcompile -m -o "$S/demo.bin" "$S/demo.sp"
[ -s "$S/demo.bin" ] || die "the policy did not compile"
say "" "Push it (SECPOL_POLICY=$SECPOL_POLICY).  No secpold runs for this" \
	"instance yet, so secpol -p starts one."
run secpol -p
[ -r "$SECPOL_RUNDIR/secpold.pid" ] || die "secpold did not start"
DAEMON_PID=$(cat "$SECPOL_RUNDIR/secpold.pid")

heading "Two monitors"
say "As in the man page: -ap shows only failures, -aps successes too.  Each" \
	"writes to a file, created once it is subscribed.  secpold observes every" \
	"process of this machine; shown below are the lines of the demo's types" \
	"(the machine's other processes are of type default)."
for m in ap aps; do
	show_cmd secpolmonitor "-$m" -o "$S/$m.log" '&'
	secpolmonitor "-$m" -o "$S/$m.log" &
	MON_PIDS+=($!)
done
for m in ap aps; do
	wait_for -e "$S/$m.log" 10 || die "secpolmonitor -$m did not start"
done

heading "Step 1: devf-server under the wrong type, fs_user_t"
say "fs_user_t may use io, but it may not put names into the path space: it" \
	"lacks the pathspace ability (no allow_attach or allow_link rule for it)."
run on -T fs_user_t devf-server -r "$ROOT"
monitor_lines

heading "Step 2: devf-server under fs_nonuser_t"
say "fs_nonuser_t has io and pathspace (its allow_link rule gives it" \
	"pathspace), but no allow_attach rule for the mounter's path."
run on -T fs_nonuser_t devf-server -r "$ROOT"
monitor_lines

heading "Step 3: devf-server under fs_t"
say "fs_t may attach the mounter and the flash devices.  It runs in the" \
	"background and serves the next steps.  -s shows the abilities it uses" \
	"and its attachments.  (The man page then runs flashctl to format and" \
	"mount the flash file system: that has no Linux counterpart here.)"
show_cmd on -T fs_t devf-server -r "$ROOT" '&'
on -T fs_t devf-server -r "$ROOT" &
SERVER_PID=$!
wait_for -S "$ROOT/dev/fsFp0" 10 || die "devf-server did not attach its channels"
monitor_lines

heading "Step 4: the file system used as fs_nonuser_t"
say "The partition's channel belongs to fs_t (type 1); fs_nonuser_t may" \
	"connect only to its own channels."
run on -T fs_nonuser_t fs-client "$ROOT/fsFp0/file"
monitor_lines

heading "Step 5: the file system used as fs_user_t"
say "fs_user_t may connect to fs_t's channels: the request is served."
run on -T fs_user_t fs-client "$ROOT/fsFp0/file"
monitor_lines

heading "Step 6: a link where fs_nonuser_t may create one"
say "allow_link fs_nonuser_t .../tmp/libc* covers this link.  (QNX's ln -P" \
	"makes a link in the process manager's path space; on Linux a link is" \
	"a symbolic link in the file system.)"
run on -T fs_nonuser_t ln -sf /proc/boot/libc.so.5 "$ROOT/tmp/libc.so.5"
monitor_lines

heading "Step 7: a link where it may not"
say "No allow_link rule covers .../tmp/notlibc.so.5."
run on -T fs_nonuser_t ln -sf /proc/boot/libc.so.5 "$ROOT/tmp/notlibc.so.5"
monitor_lines
exit 0
