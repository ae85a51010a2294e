#!/usr/bin/env bats
# The findings of the second adversarial review (issue 8), each a test
# that failed before its fix: an attacker that controls a typed process
# tries to get past the policy or to stop enforcement for other types.
# policies/adv.sp.

load helpers

ATTACK=$SPT_HELPERS/attack
SERVE_DGRAM="$SPTEST dgram-serve"

setup_file() {
	spt_setup_file adv || return 1
	mkdir -p "$SCRATCH"/{atk,victim}
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

done_monitor() {
	mon_fence m && mon_stop m
}

# attack OP ARGS... under TYPE: sets $status, $output.
attack() {
	local t=$1
	shift
	run --separate-stderr "$ON" -T "$t" "$ATTACK" "$@"
	no_sanitizer
}

@test "finding 1: a connect ticket never outlives its call (MSG_OOB, a hard link, a descriptor swap)" {
	serve_start victim victim_t dgram-serve "$SCRATCH/victim/v.sock"
	# Landlock refuses atk_t a link from another directory into its own
	# (no REFER): a hard link to the victim's socket made beforehand in
	# its own directory is the one way left to swap what its path names
	ln "$SCRATCH/victim/v.sock" "$SCRATCH/atk/vlink"
	sp_expect EXDEV atk_t link "$SCRATCH/victim/v.sock" "$SCRATCH/atk/x"
	attack atk_t ticket-race "$SCRATCH/atk/own.sock" "$SCRATCH/atk/vlink" 3000
	expect_status 0
	expect_match "the race ran" "$output" "^tries=3000 sent="
	# the victim's server counts what it received: nothing reached it
	expect_eq "messages that reached victim_t" "$(serve_stop victim)" 0
}

@test "finding 6: vsock ports are held to the net_bind_service subrange; families secpold cannot read are refused under one" {
	# atk_t may bind port 443 only: vsock port 80 is outside
	attack atk_t vsock-bind 80
	[ "$output" == EPERM ] || die "vsock port 80 under net_bind_service:443: $output"
	mon_start m -as
	attack port_t vsock-bind 81
	# allowed by the policy: the kernel then decides (it may lack vsock)
	[ "$output" != EPERM ] || die "vsock port 81 with net_bind_service: $output"
	done_monitor
	mon_has m "info: ${ATTACK#/} (pid:N) type port_t uses ability NET_BIND_SERVICE(81) as root"
}

@test "finding 7: a socket named by implicit autobind (SO_PASSCRED, sendto) is its type's channel" {
	serve_start open - dgram-serve "$SCRATCH/open.sock"
	rm -f "$SCRATCH/ab.name" "$SCRATCH/ab.stop"
	"$ON" -T victim_t "$ATTACK" passcred-sender "$SCRATCH/open.sock" \
		"$SCRATCH/ab.name" "$SCRATCH/ab.stop" >"$SCRATCH/ab.out" 2>&1 &
	local pid=$!
	wait_until 20 test -s "$SCRATCH/ab.name" || die "the sender did not start: $(cat "$SCRATCH/ab.out")"
	# atk_t may not connect to victim_t: its autobound socket included
	attack atk_t send-abstract "$(cat "$SCRATCH/ab.name")"
	[ "$output" == EPERM ] || die "a send to victim_t's autobound socket: $output"
	touch "$SCRATCH/ab.stop"
	wait "$pid"
	expect_eq "what reached victim_t" "$(cat "$SCRATCH/ab.out")" "got=0"
	serve_stop open >/dev/null
}

@test "finding 8: a typed root process cannot signal secpold (kill, SIGSTOP, an I/O signal owner)" {
	local spd
	spd=$(spd_pid)
	for sig in 19 9 15; do
		attack atk_t signal "$spd" $sig
		[ "$output" == EPERM ] || die "kill($spd, $sig) from atk_t: $output"
	done
	attack atk_t signal "-$spd" 9
	[ "$output" == EPERM ] || die "kill(-$spd, 9) from atk_t: $output"
	attack atk_t setown "$spd"
	[ "$output" == EPERM ] || die "F_SETOWN to secpold: $output"
	attack atk_t setown "-$spd"
	[ "$output" == EPERM ] || die "F_SETOWN to secpold's group: $output"
	attack atk_t setown-ex "$spd"
	[ "$output" == EPERM ] || die "F_SETOWN_EX without kill: $output"
	# an owner that is not secpold is the kernel's business
	attack atk_t setown "$$"
	[ "$output" == ok ] || die "F_SETOWN to another process: $output"
	# secpold is still there, and deciding
	pid_alive "$spd" || die "secpold is gone"
	sp_expect ok atk_t bind "$SCRATCH/atk/alive"
	grep -q "State:.*S\|State:.*R" "/proc/$spd/status" || die "secpold is stopped"
}

@test "finding 9: a caller that stalls secpold's read of its memory (userfaultfd) holds only itself" {
	"$ON" -T atk_t "$ATTACK" uffd-connect 8 >"$SCRATCH/uffd.out" 2>&1 &
	local pid=$!
	sleep 1
	# other process trees are decided while it is stalled (had they
	# waited for it, it would be gone by the time they are done)
	sp_expect ok victim_t bind "$SCRATCH/victim/during"
	sp_expect ok atk_t bind "$SCRATCH/atk/during"
	pid_alive "$pid" || die "the stalled caller ended first: $(cat "$SCRATCH/uffd.out")"
	grep -q "^served" "$SCRATCH/uffd.out" && die "served already"
	wait "$pid" || true
	# served: its own call went on (a zero address: the kernel's EINVAL)
	expect_eq "the stalled call" "$(cat "$SCRATCH/uffd.out")" "served
EINVAL"
}

@test "finding 5: SCM_CREDENTIALS are held to the setuid and setgid subranges" {
	local out=$SCRATCH/creds.out
	rm -f "$SCRATCH/creds.ready" "$SCRATCH/creds.sock"
	"$ATTACK" creds-serve "$SCRATCH/creds.sock" "$SCRATCH/creds.ready" 4 >"$out" 2>&1 &
	local srv=$!
	wait_until 20 test -e "$SCRATCH/creds.ready" || die "no server"
	echo secret >"$SCRATCH/passed.txt"
	# uid 1000 under creds_t (setuid:1000-1001 as non-root: CAP_SETUID)
	cr() { run --separate-stderr "$ON" -u 1000:1000 -T creds_t "$ATTACK" send-creds "$SCRATCH/creds.sock" "$@"; }
	cr 0 0
	[ "$output" == EPERM ] || die "claiming uid 0: $output"
	cr 1000 0
	[ "$output" == EPERM ] || die "claiming gid 0: $output"
	cr 4242 1000
	[ "$output" == EPERM ] || die "claiming uid 4242: $output"
	cr 1000 1000
	[ "$output" == ok ] || die "its own: $output"
	cr 1001 1001
	[ "$output" == ok ] || die "within the subranges: $output"
	cr - - "$SCRATCH/passed.txt"
	[ "$output" == ok ] || die "no credentials, a descriptor: $output"
	cr - -
	[ "$output" == ok ] || die "no credentials: $output"
	wait "$srv"
	# what the peer saw: exactly what was allowed, the sender's own
	# credentials when it named none, and the descriptor it passed
	local pidre='pid=[1-9][0-9]*'
	expect_match "the peer's view" "$(sed -n 1p "$out")" "^uid=1000 gid=1000 $pidre fd=-$"
	expect_match "the peer's view" "$(sed -n 2p "$out")" "^uid=1001 gid=1001 $pidre fd=-$"
	expect_match "the peer's view" "$(sed -n 3p "$out")" "^uid=1000 gid=1000 $pidre fd=$SCRATCH/passed.txt$"
	expect_match "the peer's view" "$(sed -n 4p "$out")" "^uid=1000 gid=1000 $pidre fd=-$"
	grep -q "pid=$(spd_pid) " "$out" && die "the peer saw secpold as the sender"
	true
}

@test "a type's process limit: a fork bomb stops at it (EAGAIN), threads count, other types go on" {
	attack fb_t fork-many 100
	expect_status 0
	# the first process and 19 children are the 20 tasks; then neither a
	# process nor a thread
	expect_eq "the bomb" "$output" "forked=19 error=EAGAIN thread=EAGAIN"
	grep -q "type fb_t has 20 tasks, its limit is 20" "$SECPOL_RUNDIR/secpold.log" ||
		die "the limit was not logged"
	# once they are gone, the type may start again
	attack fb_t fork-many 3
	expect_eq "after the bomb" "$output" "forked=3 error=none thread=ok"
	sp_expect ok atk_t bind "$SCRATCH/atk/during-bomb"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	monitors_stop_all
	spt_final_check
}
