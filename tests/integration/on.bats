#!/usr/bin/env bats
# on -T (SPEC §4, issue 3 "Deliver" 3): errors and exit codes, ids, the
# capability sets of SPEC §2, and that a typed root process cannot use a
# capability its type lacks.  One secpold for the file, policies/on.sp.

load helpers

setup_file() {
	spt_setup_file on
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

status_field() { # status_field TEXT NAME: the value of "NAME:\t..." lines
	sed -n "s/^$2:\t//p" <<<"$1"
}

@test "unknown type: exit 1 with a did-you-mean, the command does not run" {
	on_run nb_tt touch "$SCRATCH/ran-unknown"
	expect_status 1
	no_sanitizer
	[[ $stderr == *"unknown type 'nb_tt'"* ]] || die "stderr: $stderr"
	[[ $stderr == *"did you mean 'nb_t'"* ]] || die "no suggestion: $stderr"
	[ ! -e "$SCRATCH/ran-unknown" ] || die "the command ran"
}

@test "refused type: a typed caller without settypeid gets exit 1 and a clear error" {
	on_run run_t "$ON" -T nb_t touch "$SCRATCH/ran-refused"
	expect_status 1
	no_sanitizer
	[[ $stderr == *"type run_t may not start processes of type nb_t"* ]] || die "stderr: $stderr"
	[ ! -e "$SCRATCH/ran-refused" ] || die "the command ran"
}

@test "refused type: a non-root caller is told it may not, not that no secpold runs" {
	run --separate-stderr setpriv --reuid=4321 --regid=4321 --clear-groups \
		"$ON" -T nb_t touch "$SCRATCH/ran-nonroot"
	expect_status 1
	no_sanitizer
	[ ! -e "$SCRATCH/ran-nonroot" ] || die "the command ran"
	[[ $stderr != *"no secpold is running"* ]] ||
		die "a running secpold was reported as missing to a non-root caller:" "$stderr"
	[[ $stderr =~ [Pp]ermission\ denied|root ]] || die "unclear error: $stderr"
}

@test "no daemon: exit 1 and the message says how to start one" {
	mkdir -p "$SCRATCH/nodaemon"
	SECPOL_RUNDIR=$SCRATCH/nodaemon run --separate-stderr "$ON" -T nb_t touch "$SCRATCH/ran-nodaemon"
	expect_status 1
	no_sanitizer
	[[ $stderr == *"no secpold is running for $SCRATCH/nodaemon"* ]] || die "stderr: $stderr"
	[[ $stderr == *"start one with 'secpold'"* ]] || die "stderr: $stderr"
	[ ! -e "$SCRATCH/ran-nodaemon" ] || die "the command ran"
}

@test "missing command: exit 127" {
	run -127 --separate-stderr "$ON" -T run_t "no-such-command-$SPT_TAG"
	no_sanitizer
	[[ $stderr == *"no-such-command-$SPT_TAG: command not found"* ]] || die "stderr: $stderr"
	run -127 --separate-stderr "$ON" -T run_t "$SCRATCH/no/such/file"
}

@test "command not executable: exit 126" {
	printf '#!/bin/sh\ntouch %s\n' "$SCRATCH/ran-noexec" >"$SCRATCH/noexec"
	chmod 0644 "$SCRATCH/noexec"
	on_run run_t "$SCRATCH/noexec"
	expect_status 126
	no_sanitizer
	[[ $stderr == *"Permission denied"* ]] || die "stderr: $stderr"
	on_run run_t "$SCRATCH"
	expect_status 126
	[ ! -e "$SCRATCH/ran-noexec" ] || die "the command ran"
}

@test "the command's exit status and death by signal are passed through" {
	on_run run_t sh -c 'exit 0'
	expect_status 0
	on_run run_t sh -c 'exit 7'
	expect_status 7
	no_sanitizer
	on_run run_t sh -c 'kill -TERM $$'
	expect_status 143
	on_run run_t sh -c 'kill -KILL $$'
	expect_status 137
}

@test "a signal sent to on reaches the command" {
	"$ON" -T run_t sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
	local pid=$! rc child
	wait_until 20 eval "pgrep -P $pid sleep >/dev/null" || die "no child"
	child=$(pgrep -P "$pid" sleep)
	kill -TERM "$pid"
	wait "$pid" && rc=0 || rc=$?
	expect_eq "on's exit status" "$rc" 143
	wait_gone "$child" 10
}

@test "-u uid:gid runs the command with those ids (and no other groups)" {
	on_run run_t -u 1234:2345 cat /proc/self/status
	expect_status 0
	no_sanitizer
	expect_eq Uid "$(status_field "$output" Uid)" "1234	1234	1234	1234"
	expect_eq Gid "$(status_field "$output" Gid)" "2345	2345	2345	2345"
	expect_eq Groups "$(status_field "$output" Groups | tr -d " \t")" ""
	on_run run_t -u 1234 sh -c 'cat /proc/self/status; exit 3'
	expect_status 3
	no_sanitizer
	expect_eq "Gid without :gid" "$(status_field "$output" Gid)" "1234	1234	1234	1234"
	# a user name from the passwd file: its own group
	on_run run_t -u nobody sh -c 'cat /proc/self/status; exit 5'
	expect_status 5
	no_sanitizer
	expect_eq "Uid of nobody" "$(status_field "$output" Uid)" "65534	65534	65534	65534"
	expect_eq "Gid of nobody" "$(status_field "$output" Gid)" \
		"$(id -g nobody)	$(id -g nobody)	$(id -g nobody)	$(id -g nobody)"
}

@test "-u name: the user's supplementary groups, looked up before the process is typed" {
	# a user of our own, in a private mount namespace's passwd and group
	cp /etc/passwd "$SCRATCH/passwd"
	cp /etc/group "$SCRATCH/group"
	echo "sptu:x:4321:4321::/:/bin/sh" >>"$SCRATCH/passwd"
	printf 'sptu:x:4321:\nsptg1:x:4401:sptu\nsptg2:x:4402:other,sptu\n' >>"$SCRATCH/group"
	run --separate-stderr unshare -m sh -c '
		mount --bind "$1/passwd" /etc/passwd &&
		mount --bind "$1/group" /etc/group &&
		exec "$2" -T run_t -u sptu cat /proc/self/status' sh "$SCRATCH" "$ON"
	expect_status 0
	no_sanitizer
	expect_eq Uid "$(status_field "$output" Uid)" "4321	4321	4321	4321"
	expect_eq Groups "$(status_field "$output" Groups | xargs)" "4321 4401 4402"
}

caps_all() { # caps_all OUTPUT HEX: every Cap* line has HEX
	local f
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		expect_eq "$f" "$(status_field "$1" $f)" "$2" || return 1
	done
}

@test "a typed root process holds exactly its type's capabilities, across further execs" {
	on_run nb_t "$SPTEST" caps
	expect_status 0
	caps_all "$output" 0000000000000400 # CAP_NET_BIND_SERVICE only
	# a child of a child: root regains nothing from exec (securebits)
	on_run nb_t sh -c "sh -c '$SPTEST caps'"
	caps_all "$output" 0000000000000400
	on_run run_t sh -c "$SPTEST caps"
	caps_all "$output" 0000000000000000
}

@test "-u: root-domain grants are not kept; a nonroot block is (ambient)" {
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 on_run nb_t -u 1234 "$SPTEST" caps
	caps_all "$output" 0000000000000000
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 on_run nbnr_t -u 1234 sh -c "$SPTEST caps"
	caps_all "$output" 0000000000000400
	# and it works: a non-root process binds a privileged port
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 on_run nbnr_t -u 1234 "$SPTEST" bind-port 80
	expect_eq "bind port 80 as 1234 with nonroot net_bind_service" "$output" ok
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 on_run nb_t -u 1234 "$SPTEST" bind-port 80
	expect_eq "bind port 80 as 1234 with a root-only grant" "$output" EPERM
}

@test "a typed root process cannot use an ungranted capability (chown: EPERM, lacks CHOWN)" {
	local f
	for f in base typed granted; do
		touch "$SCRATCH/chown-$f"
		chown 4321:4321 "$SCRATCH/chown-$f"
	done
	# untyped root may (so the refusal below is the type's doing)
	run "$SPTEST" chown "$SCRATCH/chown-base" 0 0
	expect_eq "untyped root chown" "$output" ok
	mon_start m -a -s
	sp_expect EPERM run_t chown "$SCRATCH/chown-typed" 0 0
	expect_eq owner "$(stat -c %u "$SCRATCH/chown-typed")" 4321
	sp_expect ok ch_t chown "$SCRATCH/chown-granted" 0 0
	mon_fence m
	mon_stop m
	mon_has m \
		"error: $SPN (pid:N) type run_t lacks ability CHOWN as root" \
		"info: $SPN (pid:N) type ch_t uses ability CHOWN as root"
}

@test "the command runs with no_new_privs and the supervision filter" {
	on_run run_t cat /proc/self/status
	expect_status 0
	expect_eq NoNewPrivs "$(status_field "$output" NoNewPrivs)" 1
	expect_eq Seccomp "$(status_field "$output" Seccomp)" 2
}

@test "-C closes every inherited descriptor above 2; by default they are passed (socket activation)" {
	local probe='for n in 5 7; do [ -e /proc/$$/fd/$n ] && echo "$n open" || echo "$n closed"; done'
	run --separate-stderr "$ON" -T run_t sh -c "$probe" 5</dev/null 7>/dev/null
	expect_status 0
	expect_eq "without -C" "$(xargs <<<"$output")" "5 open 7 open"
	run --separate-stderr "$ON" -T run_t -C sh -c "$probe" 5</dev/null 7>/dev/null
	expect_status 0
	no_sanitizer
	expect_eq "with -C" "$(xargs <<<"$output")" "5 closed 7 closed"
	run --separate-stderr "$ON" --close-fds -T run_t sh -c "$probe" 5</dev/null 7>/dev/null
	expect_eq "with --close-fds" "$(xargs <<<"$output")" "5 closed 7 closed"
	# a failed exec is still reported (the status pipe survives -C)
	run -127 --separate-stderr "$ON" -C -T run_t "no-such-command-$SPT_TAG"
	[[ $stderr == *"command not found"* ]] || die "stderr: $stderr"
}

@test "--version, and a usage error is one line and a hint, not the whole help" {
	run --separate-stderr "$ON" --version
	expect_status 0
	expect_match "--version" "${lines[0]}" '^on \(secpol\) [0-9]+\.[0-9]+'
	run --separate-stderr "$ON" -T
	expect_status 2
	expect_eq "stdout" "$output" ""
	expect_eq "stderr" "$stderr" "on: option requires an argument -- 'T'
Try 'on --help' for more information."
	run --separate-stderr "$ON" -T run_t
	expect_status 2
	expect_eq "stderr" "$stderr" "on: error: no command
Try 'on --help' for more information."
	run --separate-stderr "$ON" --bogus -T run_t true
	expect_status 2
	expect_eq "lines of stderr" "$(wc -l <<<"$stderr")" 2
	[[ $stderr != *Usage:* ]] || die "the whole help was printed: $stderr"
	run --separate-stderr "$ON" --help
	expect_status 0
	[[ $output == *"-C, --close-fds"* ]] || die "--help lacks -C: $output"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
