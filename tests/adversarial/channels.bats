#!/usr/bin/env bats
# Issue 8, finding 2: a full channel table failed open.  Four typed
# processes filled it with autobound sockets; a server bound afterwards
# was not recorded, and after a restart of secpold a type that had been
# refused could connect to it.  Now a channel that cannot be recorded is
# not bound, and no type (nor process) may take more than its share of
# the table.  This file runs its own secpold with a small table (-C 128:
# 32 channels per type, 8 per process).  policies/adv.sp.

load helpers

ATTACK=$SPT_HELPERS/attack

setup_file() {
	spt_require || return 1
	spt_dirs
	policy adv || return 1
	mkdir -p "$SCRATCH"/{atk,victim}
	spd_start "$SCRATCH/adv.bin" -C 128
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	rm -f "$SCRATCH/hold"
	spt_cleanup
}

# hold NAME TYPE N: a process of TYPE binds N autobound sockets and holds
# them; its report line goes to $SCRATCH/NAME.out.
hold() {
	"$ON" -T "$2" "$ATTACK" autobind-many "$3" "$SCRATCH/hold" \
		>"$SCRATCH/$1.out" 2>&1 &
	echo $! >>"$SCRATCH/holders"
	wait_until 20 test -s "$SCRATCH/$1.out" || die "$1 did not report"
}

@test "finding 2: a process and a type get their share of the channel table, and a channel that cannot be recorded is not bound" {
	rm -f "$SCRATCH/hold"
	mon_start m -p
	hold p1 atk_t 20
	expect_eq "one process" "$(cat "$SCRATCH/p1.out")" "bound=8 error=ENOBUFS"
	hold p2 atk_t 8
	hold p3 atk_t 8
	hold p4 atk_t 8
	expect_eq "the type's share" "$(cat "$SCRATCH/p4.out")" "bound=8 error=none"
	hold p5 atk_t 8
	expect_eq "beyond the type's share" "$(cat "$SCRATCH/p5.out")" "bound=0 error=ENOBUFS"
	# another type still binds, and its channel has its type
	sp_expect ok victim_t bind "$SCRATCH/victim/s"
	touch "$SCRATCH/hold"
	for p in $(cat "$SCRATCH/holders"); do wait_gone "$p" 20; done
	mon_fence m && mon_stop m
	mon_has m "error: ${ATTACK#/} (pid:N) of type atk_t failed to attach to path @: the channel table is full"
	grep -q "holds its share of the channel table" "$SECPOL_RUNDIR/secpold.log" ||
		die "the refusal was not logged"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	monitors_stop_all
	spt_final_check
}
