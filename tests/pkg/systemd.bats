#!/usr/bin/env bats
# secpold under systemd (issue 11, 1), tested the way the unit runs it: no
# systemd is PID 1 here, so each test plays the service manager.  It runs
# the unit's ExecStart= and ExecReload= command lines with the unit's
# Environment= (and a drop-in's override of SECPOL_POLICY), a private run
# directory, $NOTIFY_SOCKET naming a datagram socket it listens on
# (tests/helpers/notifyrecv), and stderr in a file named by
# $JOURNAL_STREAM, as journald's stream would be.

load ../integration/helpers

NOTIFYRECV=$SPT_HELPERS/notifyrecv

setup() {
	spt_require || return 1
	spt_dirs
	printf 'type a_t;\nallow_attach a_t %s/a/...;\n' "$SCRATCH" >"$SCRATCH/p.sp"
	"$SECPOLCOMPILE" -m -p 0x6161 -o "$SCRATCH/m.bin" "$SCRATCH/p.sp"
	"$SECPOLCOMPILE" -m -p 0x6162 -o "$SCRATCH/m2.bin" "$SCRATCH/p.sp"
	"$SECPOLCOMPILE" -p 0x6163 -o "$SCRATCH/i.bin" "$SCRATCH/p.sp"
	# the unit as `make install` writes it, with the programs under test
	sed -e "s|@SBINDIR@|$SECPOL_BIN|g" -e "s|@BINDIR@|$SECPOL_BIN|g" \
		"$REPO/dist/systemd/secpold.service.in" >"$SCRATCH/secpold.service"
	# the manager's end of $NOTIFY_SOCKET
	"$NOTIFYRECV" "$SCRATCH/notify" "$SCRATCH/notify.log" 120 3>&- &
	echo $! >"$SCRATCH/notifyrecv.pid"
	wait_until 10 test -e "$SCRATCH/notify.log" || die "notifyrecv did not start"
}

teardown() {
	local p rc=0
	p=$(cat "$SCRATCH/unit.pid" 2>/dev/null)
	if [ -n "$p" ] && pid_alive "$p"; then
		kill -TERM "$p"
		wait_gone "$p" 30 || rc=1
	fi
	kill -TERM "$(cat "$SCRATCH/notifyrecv.pid")" 2>/dev/null
	no_daemon_sanitizer_report || rc=1
	spt_cleanup
	return $rc
}

# unit_line KEY: the value of the unit's last KEY= line.
unit_line() {
	sed -n "s/^$1=//p" "$SCRATCH/secpold.service" | tail -n 1
}

# unit_env OUT: into UNIT_ENV, the environment systemd gives the unit's
# processes: a clean one, the unit's Environment=, then what a drop-in
# sets (SECPOL_POLICY) and the test's instance; $JOURNAL_STREAM names OUT,
# where their stderr goes.
unit_env() {
	local out=$1 envs=()
	: >>"$out"
	read -r -a envs <<<"$(unit_line Environment)"
	UNIT_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
		"${envs[@]}"
		SECPOL_POLICY="${DROPIN_POLICY:-$SCRATCH/m.bin}"
		SECPOL_RUNDIR="$SECPOL_RUNDIR" SPT_TAG="$SPT_TAG"
		NOTIFY_SOCKET="$SCRATCH/notify"
		JOURNAL_STREAM="$(stat -c '%d:%i' "$out")"
		ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$SCRATCH/sanitizer.secpold"
		UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$SCRATCH/sanitizer.secpold")
}

# as_unit OUT CMD...: CMD as the unit's process, from /, stdin /dev/null,
# stderr to OUT.
as_unit() {
	local out=$1
	shift
	unit_env "$out"
	(cd / && exec env -i "${UNIT_ENV[@]}" "$@" </dev/null 2>>"$out")
}

# start_unit: ExecStart= in the background, as the main process (the
# subshell execs env, which execs secpold: $! is secpold).
start_unit() {
	local cmd=()
	read -r -a cmd <<<"$(unit_line ExecStart)"
	unit_env "$SCRATCH/journal"
	(cd / && exec env -i "${UNIT_ENV[@]}" "${cmd[@]}" </dev/null >/dev/null \
		2>>"$SCRATCH/journal") &
	echo $! >"$SCRATCH/unit.pid"
}

unit_pid() { cat "$SCRATCH/unit.pid"; }

# reload_unit: ExecReload=, as systemctl reload runs it; status in $status.
reload_unit() {
	local cmd=()
	read -r -a cmd <<<"$(unit_line ExecReload)"
	: >"$SCRATCH/reload.journal"
	as_unit "$SCRATCH/reload.journal" "${cmd[@]}" >"$SCRATCH/reload.out" && status=0 || status=$?
	stderr=$(cat "$SCRATCH/reload.journal")
}

# The messages received so far, one per line ("pid=P STATE STATE ...").
messages() {
	awk '/^\.$/ {print m; m = ""; next} {m = m ? m " " $0 : $0}' "$SCRATCH/notify.log"
}

nmessages() { messages | wc -l; }

# wait_message N: until at least N messages have come.
wait_message() {
	wait_until 30 eval '[ "$(nmessages)" -ge '"$1"' ] || ! pid_alive "$(unit_pid)"'
	[ "$(nmessages)" -ge "$1" ] ||
		die "message $1 did not come:" "$(messages)" "journal:" "$(cat "$SCRATCH/journal")"
}

message() { messages | sed -n "${1}p"; }

@test "ExecStart=: READY=1 once the socket answers, the policy is loaded and BPF attached; journal priorities" {
	start_unit
	wait_message 1
	# ready means ready: no waiting of any kind
	run "$CTLTEST" hello
	expect_status 0
	expect_match "hello" "$output" "^pid=$(unit_pid) policy=0x00006161 "
	expect_eq "first message" "$(message 1)" \
		"pid=$(unit_pid) READY=1 STATUS=policy 0x00006161 (mutable), 0 typed processes"
	# it stays in the foreground: the manager's main process
	pid_alive "$(unit_pid)" || die "secpold exited"
	# its log lines carry their priority for the journal
	grep -qxE "<6>secpold: ready: $SECPOL_RUNDIR, policy loaded, capability events (on|off), unix race guard (on|off), learning: none" \
		"$SCRATCH/journal" || die "journal:" "$(cat "$SCRATCH/journal")"
	! grep -qv '^<[3467]>secpold: ' "$SCRATCH/journal" || die "a line without a priority:" "$(cat "$SCRATCH/journal")"
	expect_eq "messages" "$(nmessages)" 1
}

@test "reloads: SIGHUP and ExecReload= are told as RELOADING=1 then READY=1 with the new status" {
	start_unit
	wait_message 1
	# a typed process, counted in the status after the change
	"$ON" -T a_t sleep 60 3>&- &
	echo $! >"$SCRATCH/on.pid"
	wait_until 20 eval '"$CTLTEST" hello | grep -q " ntyped=[1-9]"' || die "no typed process"
	# SIGHUP reloads $SECPOL_POLICY (the drop-in's m.bin: the same policy)
	kill -HUP "$(unit_pid)"
	wait_message 3
	expect_match "reloading" "$(message 2)" "^pid=$(unit_pid) RELOADING=1 MONOTONIC_USEC=[0-9]+$"
	expect_eq "reloaded" "$(message 3)" \
		"pid=$(unit_pid) READY=1 STATUS=policy 0x00006161 (mutable), 1 typed process"
	# systemctl reload: secpol -p pushes $SECPOL_POLICY
	DROPIN_POLICY=$SCRATCH/m2.bin reload_unit
	expect_status 0
	wait_message 5
	expect_match "reloading" "$(message 4)" "^pid=$(unit_pid) RELOADING=1 MONOTONIC_USEC=[0-9]+$"
	expect_eq "reloaded" "$(message 5)" \
		"pid=$(unit_pid) READY=1 STATUS=policy 0x00006162 (mutable), 1 typed process"
	expect_match "hello" "$("$CTLTEST" hello)" " policy=0x00006162 "
	kill -TERM "$(cat "$SCRATCH/on.pid")"
	wait_gone "$(cat "$SCRATCH/on.pid")"
}

@test "ExecReload= over an immutable policy fails with secpol's message, at error priority" {
	start_unit
	wait_message 1
	DROPIN_POLICY=$SCRATCH/i.bin reload_unit
	expect_status 0
	wait_message 3
	expect_eq "now immutable" "$(message 3)" \
		"pid=$(unit_pid) READY=1 STATUS=policy 0x00006163 (immutable), 0 typed processes"
	DROPIN_POLICY=$SCRATCH/m2.bin reload_unit
	expect_status 1
	expect_eq "what the journal gets" "$stderr" \
		"<3>secpol: error: push refused: the running policy 0x00006163 is immutable and cannot be replaced until the system restarts"
	# nothing changed, nothing was announced
	sleep 0.2
	expect_eq "messages" "$(nmessages)" 3
	# a missing file fails too, and says which
	DROPIN_POLICY=$SCRATCH/gone.bin reload_unit
	expect_status 1
	expect_eq "missing" "$stderr" "<3>secpol: error: $SCRATCH/gone.bin: no such file"
}

@test "SIGTERM: STOPPING=1, then a clean exit 0" {
	start_unit
	wait_message 1
	kill -TERM "$(unit_pid)"
	local rc=0
	wait "$(unit_pid)" || rc=$?
	expect_eq "exit status" "$rc" 0
	expect_eq "last message" "$(message 2)" "pid=$(unit_pid) STOPPING=1 STATUS=stopping"
	cp "$SCRATCH/unit.pid" "$SCRATCH/spd.pid"
	kill -TERM "$(cat "$SCRATCH/notifyrecv.pid")"
	wait_gone "$(cat "$SCRATCH/notifyrecv.pid")"
	assert_clean
}

@test "a secpold that cannot start tells the manager why (STATUS=, ERRNO=) and logs it as an error" {
	start_unit
	wait_message 1
	local cmd=() rc=0
	read -r -a cmd <<<"$(unit_line ExecStart)"
	as_unit "$SCRATCH/journal2" "${cmd[@]}" || rc=$?
	expect_eq "exit status" "$rc" 1
	expect_eq "journal" "$(cat "$SCRATCH/journal2")" \
		"<3>secpold: error: secpold is already running for $SECPOL_RUNDIR (pid $(unit_pid))"
	wait_message 2
	expect_match "failure" "$(message 2)" \
		"^pid=[0-9]+ STATUS=failed: secpold is already running for $SECPOL_RUNDIR \\(pid $(unit_pid)\\) ERRNO=17$"
}

@test "without NOTIFY_SOCKET nothing is sent; with one that does not answer secpold still starts, and says so once" {
	# started as before the unit existed: nothing reaches the socket
	spd_start "$SCRATCH/m.bin"
	sleep 0.3
	expect_eq "messages" "$(nmessages)" 0
	spd_stop
	# a socket nobody listens on
	kill -TERM "$(cat "$SCRATCH/notifyrecv.pid")"
	wait_gone "$(cat "$SCRATCH/notifyrecv.pid")"
	start_unit
	wait_until 20 eval '"$CTLTEST" hello >/dev/null 2>&1' || die "secpold did not start:" "$(cat "$SCRATCH/journal")"
	kill -HUP "$(unit_pid)"
	wait_until 20 eval 'grep -q "reloaded policy" "$SCRATCH/journal"'
	expect_eq "warnings" "$(grep -c 'cannot notify the service manager' "$SCRATCH/journal")" 1
	grep -qx "<4>secpold: warning: cannot notify the service manager through \$NOTIFY_SOCKET: .*" \
		"$SCRATCH/journal" || die "journal:" "$(cat "$SCRATCH/journal")"
}

# dropin_value KEY FILE: the last non-empty KEY= value of a drop-in.
dropin_value() {
	sed -n "s/^$1=//p" "$2" | sed '/^$/d' | tail -n 1
}

@test "the drop-in example runs a service under its type, started and stopped as systemd would" {
	start_unit
	wait_message 1
	mkdir -p "$SCRATCH/a"
	# the example, with a type of this policy and a real command
	sed -e "s|@BINDIR@|$SECPOL_BIN|g" -e "s|-T example_t|-T a_t|" \
		-e "s|/usr/sbin/example-daemon --foreground|$SPTEST serve $SCRATCH/a/svc 1000000 $SCRATCH/svc.ready|" \
		"$REPO/dist/systemd/examples/secpol-type.conf" >"$SCRATCH/svc.conf"
	grep -qx "Requires=secpold.service" "$SCRATCH/svc.conf"
	grep -qx "After=secpold.service" "$SCRATCH/svc.conf"
	# the empty ExecStart= clears the unit's own, the next is ours
	expect_eq "cleared" "$(grep -c '^ExecStart=$' "$SCRATCH/svc.conf")" 1
	local cmd=() main
	read -r -a cmd <<<"$(dropin_value ExecStart "$SCRATCH/svc.conf")"
	expect_eq "the command" "${cmd[0]}" "$SECPOL_BIN/on"
	# started like a service: clean environment, from /, no terminal
	(cd / && exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		SECPOL_RUNDIR="$SECPOL_RUNDIR" SPT_TAG="$SPT_TAG" "${cmd[@]}" \
		</dev/null >"$SCRATCH/svc.out" 2>&1) &
	main=$!
	wait_until 20 test -e "$SCRATCH/svc.ready" || die "the service did not start:" "$(cat "$SCRATCH/svc.out")"
	# it runs under the type, a child of the main process (on)
	run --separate-stderr "$SECPOL" -l -t a_t
	expect_status 0
	expect_eq "processes" "$((${#lines[@]} - 1))" 1
	local child
	child=$(awk 'NR == 2 {print $1}' <<<"$output")
	expect_eq "its parent" "$(awk '/^PPid:/ {print $2}' "/proc/$child/status")" "$main"
	[[ ${lines[1]} == *" a_t "*" ${SPTEST#/}" ]] || die "line: ${lines[1]}"
	# the policy applies: its socket is a channel of a_t
	run "$SPTEST" connect "$SCRATCH/a/svc"
	expect_eq "connect" "$output" ok
	# KillMode=mixed: SIGTERM to the main process only
	kill -TERM "$main"
	local rc=0
	wait "$main" || rc=$?
	wait_gone "$child"
	# a clean stop for systemd: 0 or one of SuccessExitStatus=
	[[ " 0 $(dropin_value SuccessExitStatus "$SCRATCH/svc.conf") " == *" $rc "* ]] ||
		die "exit status $rc is a failure for systemd:" "$(cat "$SCRATCH/svc.out")"
}
