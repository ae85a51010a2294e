# Helpers for the secpolmonitor suite (tests/monitor/*.bats): a private
# secpold per test file, monitors writing to files, typed probes, and a
# marker that tells when a monitor has everything that happened before it.
#
# The programs under test are in $SECPOL_BIN (the AddressSanitizer build by
# default); the probes are the optimised build/examples/* and sptest, as
# supervised processes are run elsewhere.
#
# secpold observes every process of the machine (the capability tracepoint
# is global), and other test suites may run at the same time: tests look
# only at lines of their own types (never type default) and processes.
bats_require_minimum_version 1.5.0

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BUILD_DIR=$BUILD ;;
*) BUILD_DIR=$REPO/$BUILD ;;
esac
SECPOL_BIN=${SECPOL_BIN:-$BUILD_DIR/asan/bin}
EXAMPLES=$BUILD_DIR/examples
SPTEST=$BUILD_DIR/tests/helpers/sptest
CTLTEST=$BUILD_DIR/tests/helpers/ctltest
PYTHON=/usr/bin/python3
MONITOR=$SECPOL_BIN/secpolmonitor
ON=$SECPOL_BIN/on
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# How long a test waits for an expected line before it fails.
WAIT_SECONDS=${WAIT_SECONDS:-15}

die() {
	printf '%s\n' "$@" >&2
	return 1
}

# expect_text GOT WANT: the two texts are equal (shows a diff if not).
expect_text() {
	[ "$1" == "$2" ] || die "text differs (- want, + got):" \
		"$(diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$1") | tail -n +3)"
}

# After `run --separate-stderr`: the exit status was $1 (shows stderr if
# not: a sanitizer report explains a 134).
expect_status() {
	[ "$status" -eq "$1" ] ||
		die "exit status $status, expected $1" "stdout: $output" "stderr: ${stderr-}"
}

# ---- the instance ---------------------------------------------------------

# The reasons this suite cannot run here, if any (it needs root, BPF and
# seccomp user notification, and the built programs).
why_skip() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root"; return; }
	local p
	for p in "$MONITOR" "$ON" "$SECPOL_BIN/secpold" "$SECPOL_BIN/secpol" \
		"$SECPOL_BIN/secpolcompile" "$SPTEST" "$CTLTEST" "$EXAMPLES/devf-server" \
		"$EXAMPLES/fs-client"; do
		[ -x "$p" ] || { echo "$p is not built (make build-check)"; return; }
	done
}

# instance_start POLICY_TEXT: a private secpold for this file, in a short
# directory (socket paths must fit in 108 bytes), with the policy pushed
# (@T@ in it stands for the directory) and the marker types added.  Sets
# and exports T (the directory), SECPOL_RUNDIR, SECPOL_POLICY.
instance_start() {
	T=$(mktemp -d /tmp/secpol-mon.XXXXXX) || return 1
	export T SECPOL_RUNDIR=$T/run SECPOL_POLICY=$T/policy.bin
	printf '%s\n%s\n' "${1//@T@/$T}" "$MARK_POLICY" >"$T/policy.sp"
	"$SECPOL_BIN/secpolcompile" -m -o "$T/policy.bin" "$T/policy.sp" 2>"$T/compile.err" ||
		die "the test policy does not compile:" "$(cat "$T/compile.err")" || return 1
	# the detached daemon's sanitizer reports would go to /dev/null:
	# they go to T/asan.PID, checked when the daemon stops
	ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/asan" \
		"$SECPOL_BIN/secpol" -p >"$T/push.out" 2>&1 ||
		die "secpol -p failed:" "$(cat "$T/push.out")" || return 1
	[ -r "$SECPOL_RUNDIR/secpold.pid" ] || die "secpold wrote no pid file" || return 1
	mkdir -p "$T/bin" "$T/mark" "$T/mon"
}

# wait_gone PID SECONDS
wait_gone() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# instance_stop: stops what the file started (monitors, background
# processes, secpold), checks nothing is left, removes the directory.
instance_stop() {
	local p pid bad=0
	[ -n "${T:-}" ] && [ -d "$T" ] || return 0
	for p in "$T"/mon/*.pid "$T"/bg.*.pid; do
		[ -e "$p" ] || continue
		pid=$(cat "$p")
		kill -TERM "$pid" 2>/dev/null && wait_gone "$pid" 5
		kill -KILL "$pid" 2>/dev/null
	done
	if [ -r "$SECPOL_RUNDIR/secpold.pid" ]; then
		pid=$(cat "$SECPOL_RUNDIR/secpold.pid")
		kill -TERM "$pid" 2>/dev/null
		wait_gone "$pid" 10 || { kill -KILL "$pid"; bad=1; echo "# secpold did not stop on SIGTERM" >&3; }
	fi
	if grep -qF " $T/" /proc/self/mountinfo; then
		echo "# left mounted under $T:" >&3
		grep -F " $T/" /proc/self/mountinfo | sed 's/^/#   /' >&3
		awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo |
			xargs -r -n1 umount -l
		bad=1
	fi
	if compgen -G "$T/asan*" >/dev/null; then
		echo "# sanitizer reports of secpold:" >&3
		cat "$T"/asan* | sed 's/^/#   /' >&3
		bad=1
	fi
	rm -rf "$T"
	return "$bad"
}

# daemon_stop: SIGTERM to this file's secpold; waits until it is gone.
daemon_stop() {
	local pid
	pid=$(cat "$SECPOL_RUNDIR/secpold.pid") || return 1
	kill -TERM "$pid"
	wait_gone "$pid" 20 || die "secpold ($pid) did not stop on SIGTERM"
}

# daemon_start: a secpold for this file again (after daemon_stop), with
# its policy pushed, as instance_start does.
daemon_start() {
	ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/asan" \
		"$SECPOL_BIN/secpol" -p >"$T/push.out" 2>&1 ||
		die "secpol -p failed:" "$(cat "$T/push.out")"
}

# subscribers: how many monitors this file's secpold serves now.
subscribers() {
	"$CTLTEST" hello | sed -nE 's/.* subscribers=([0-9]+)$/\1/p'
}

# wait_subscribers N: waits until secpold serves N monitors.
wait_subscribers() {
	local i
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		[ "$(subscribers)" == "$1" ] && return 0
		sleep 0.05
	done
	die "secpold serves $(subscribers) monitors, expected $1"
}

# ---- monitors -------------------------------------------------------------

# mon_start NAME ARGS...: starts `secpolmonitor ARGS -o T/mon/NAME.out`
# and waits until its file exists (the subscription is live).
mon_start() {
	local name=$1 i
	shift
	rm -f "$T/mon/$name.out"
	"$MONITOR" "$@" -o "$T/mon/$name.out" 2>"$T/mon/$name.err" &
	echo $! >"$T/mon/$name.pid"
	echo "$*" >"$T/mon/$name.args"
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		[ -e "$T/mon/$name.out" ] && return 0
		kill -0 "$(cat "$T/mon/$name.pid")" 2>/dev/null || break
		sleep 0.05
	done
	die "secpolmonitor $* did not start:" "$(cat "$T/mon/$name.err")"
}

# mon_stop NAME: SIGTERM; the monitor must exit 0, without a sanitizer
# report.
mon_stop() {
	local pid st
	pid=$(cat "$T/mon/$1.pid")
	kill -TERM "$pid"
	wait "$pid"
	st=$?
	rm -f "$T/mon/$1.pid"
	[ "$st" -eq 0 ] || die "secpolmonitor $(cat "$T/mon/$1.args") exited with status $st:" \
		"$(cat "$T/mon/$1.err")" || return 1
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/mon/$1.err"; then
		die "sanitizer report from secpolmonitor:" "$(cat "$T/mon/$1.err")"
	fi
}

# mon_raw NAME: every complete line the monitor wrote.
mon_raw() {
	local f=$T/mon/$1.out n
	n=$(wc -l <"$f")
	head -n "$n" "$f"
}

# mon_lines NAME [ERE]: the monitor's lines of this test's processes (not
# type default, no markers), pids replaced by N; only those matching ERE.
mon_lines() {
	mon_raw "$1" | grep -vE ' type (default|mark_t|markp_t) |/mark/[0-9-]+/marker |"(type|name)":"(default|[^"]*/mark/[0-9-]+/marker)"' |
		sed -E 's/ \(pid:[0-9]+\) / (pid:N) /' | grep -E -- "${2:-.}"
}

# wait_line NAME FIXED_STRING: waits until the monitor wrote a line
# containing the string.
wait_line() {
	local i
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		mon_raw "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	die "secpolmonitor $(cat "$T/mon/$1.args") did not report '$2' within ${WAIT_SECONDS}s; it wrote:" \
		"$(mon_raw "$1")" "stderr: $(cat "$T/mon/$1.err")"
}

# mark [-f] NAME...: once it returns, the named monitors have written every
# event that happened before it.  A marker process (a fresh copy of sptest,
# so that neither -c nor de-duplication hides it) is refused a bind twice:
# type mark_t lacks pathspace (an ability event), type markp_t has it but no
# rule (a path event, after the first).  secpold drains the kernel's events
# before it decides, and every monitor gets its events in order, so the
# marker's line comes after everything before it.  A monitor given -f
# must also be given -f marker.
mark() {
	local m dir args want id
	MARKS=$((${MARKS:-0} + 1))
	id=${BATS_TEST_NUMBER:-0}-$MARKS
	dir=$T/mark/$id
	mkdir -p "$dir"
	cp "$SPTEST" "$dir/marker"
	"$ON" -T mark_t "$dir/marker" bind "$dir/s" >/dev/null 2>&1 || true
	"$ON" -T markp_t "$dir/marker" bind "$dir/s" >/dev/null 2>&1 || true
	for m in "$@"; do
		args=$(cat "$T/mon/$m.args")
		# -p (or neither -a nor -p): the path event, which comes last
		if [[ " $args " =~ \ -[a-zA-Z]*p || ! " $args " =~ \ -[a-zA-Z]*a ]]; then
			want="$dir/s: no rule"
			[[ " $args " == *" --json "* ]] && want="\"path\":\"$dir/s\""
		else
			want="mark/$id/marker (pid:"
			[[ " $args " == *" --json "* ]] && want="mark/$id/marker\""
		fi
		wait_line "$m" "$want" || return 1
	done
}

# The marker types, to add to each test policy (markp_t gets pathspace from
# a link rule that matches nothing).
MARK_POLICY='type mark_t;
type markp_t;
allow_link markp_t /nonexistent-secpol-marker;'

# ---- probes ---------------------------------------------------------------

# probe NAME: a copy of sptest at T/bin/NAME (its own process name).
probe() {
	[ -x "$T/bin/$1" ] || cp "$SPTEST" "$T/bin/$1"
	echo "$T/bin/$1"
}

# bg_start NAME CMD...: runs CMD in the background; bg_stop NAME stops it.
bg_start() {
	local name=$1
	shift
	"$@" >"$T/bg.$name.out" 2>&1 &
	echo $! >"$T/bg.$name.pid"
}

bg_stop() {
	local pid
	pid=$(cat "$T/bg.$1.pid")
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	local st=$?
	rm -f "$T/bg.$1.pid"
	return "$st"
}

# The printed name of a path: without the leading '/', escaped.
printed() {
	local p=${1#/}
	escape_bytes "$p"
}

# escape_bytes STRING: the vis(3)-style escaping of src/common/escape.h
# (an independent implementation, to check the real one against).
escape_bytes() {
	"$PYTHON" -c '
import sys
b = sys.argv[1].encode("utf-8", "surrogateescape")
out, i = [], 0
def unsafe(cp):
    return (0x80 <= cp <= 0x9f or 0x200b <= cp <= 0x200f or
            0x2028 <= cp <= 0x202e or 0x2060 <= cp <= 0x2069 or cp == 0xfeff)
while i < len(b):
    c = b[i]
    if c == 0x5c: out.append("\\\\")
    elif c == 0x0a: out.append("\\n")
    elif c == 0x09: out.append("\\t")
    elif c == 0x0d: out.append("\\r")
    elif c == 0x20: out.append("\\040")
    elif 0x20 < c < 0x7f: out.append(chr(c))
    elif c < 0x80: out.append("\\%03o" % c)
    else:
        n = 2 if 0xc2 <= c <= 0xdf else 3 if 0xe0 <= c <= 0xef else 4 if 0xf0 <= c <= 0xf4 else 0
        seq = b[i:i + n]
        try:
            s = seq.decode("utf-8") if n and len(seq) == n else None
        except UnicodeDecodeError:
            s = None
        if s is None or len(s) != 1:
            out.append("\\%03o" % c); i += 1; continue
        if unsafe(ord(s)):
            out.extend("\\%03o" % x for x in seq)
        else:
            out.append(s)
        i += n; continue
    i += 1
sys.stdout.write("".join(out))
' "$1"
}

# ---- the setup most files share ---------------------------------------

# skip_unless_able: in setup(), skips with the reason when this machine
# cannot run secpold.
skip_unless_able() {
	local why
	why=$(why_skip)
	[ -z "$why" ] || skip "$why"
}

# std_setup_file [DIR...]: one instance with $POLICY for the file and the
# scratch directories ok/, no/ and DIR...
std_setup_file() {
	[ -z "$(why_skip)" ] || return 0
	instance_start "$POLICY"
	local d
	for d in ok no "$@"; do mkdir -p "$T/$d"; done
}

# std_setup: per test, the printed names of the scratch places, emptied.
std_setup() {
	skip_unless_able
	BIN=$(printed "$T/bin")
	OK=$(escape_bytes "$T/ok")
	NO=$(escape_bytes "$T/no")
	rm -f "$T"/ok/* "$T"/no/*
}
