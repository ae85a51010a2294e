#!/usr/bin/env bats
# Issue 12, defects 1 and 2: a push carries running processes over to the
# new policy by type name (not by type number), refuses everything to a
# process whose type the new policy lacks, and says what it did,
# including the processes that keep their old capability sets.
# policies/push_{a,b,c}.sp.

load helpers

ATTACK=$SPT_HELPERS/attack

setup_file() {
	spt_require || return 1
	spt_dirs
	mkdir -p "$SCRATCH/b"
	policy push_a -m || return 1
	policy push_b -m || return 1
	policy push_c -m || return 1
	spd_start "$SCRATCH/push_a.bin"
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

# next: let the binder make its next bind; waits for its line
next() {
	local want=$1
	touch "$SCRATCH/go"
	wait_until 20 eval "[ \$(wc -l <'$SCRATCH/bind.out') -ge $want ]" ||
		die "no bind $want: $(cat "$SCRATCH/bind.out")"
}

@test "a push keeps running processes' types by name; a type the policy lacks is refused everything" {
	rm -f "$SCRATCH/go"
	mon_start m -ap
	"$ON" -T svc_t "$ATTACK" bind-each "$SCRATCH/b" "$SCRATCH/go" 3 \
		>"$SCRATCH/bind.out" 2>&1 &
	next 1
	# type 1 of push_b is open_t, which may attach here: svc_t still may not
	"$SECPOL" -p -i "$SCRATCH/push_b.bin" >"$SCRATCH/pushb.out" 2>&1 ||
		die "push: $(cat "$SCRATCH/pushb.out")"
	next 2
	"$SECPOL" -p -i "$SCRATCH/push_c.bin" >"$SCRATCH/pushc.out" 2>&1 ||
		die "push: $(cat "$SCRATCH/pushc.out")"
	next 3
	wait_until 20 eval "! pgrep -f 'attack bind-each' >/dev/null" || true
	expect_eq "the binds" "$(cat "$SCRATCH/bind.out")" "1: EPERM
2: EPERM
3: EPERM"
	[ ! -e "$SCRATCH/b/s2" ] || die "svc_t bound under open_t's number"
	mon_fence m && mon_stop m
	mon_has m "error: ${ATTACK#/} (pid:N) type svc_t lacks ability PATHSPACE as root"
	mon_lacks m "type open_t .*${ATTACK#/}|${ATTACK#/}.* type open_t"
	# what the pushes did: secpol -p says it, and secpold's log
	grep -q "^secpol: pushed $SCRATCH/push_b.bin; [0-9]* running tasks keep their types by name ([0-9]* with a new type ID)" \
		"$SCRATCH/pushb.out" || die "secpol -p said: $(cat "$SCRATCH/pushb.out")"
	grep -q "running tasks keep their types by name (.* with a new type ID)" \
		"$SECPOL_RUNDIR/secpold.log" || die "no renumbering said"
	grep -q "capability sets are set when a process starts: 1 processes keep their old type's capabilities" \
		"$SECPOL_RUNDIR/secpold.log" || die "no capability note"
	grep -q "^  process [0-9]* (${ATTACK#/}) of type svc_t: -CHOWN$" \
		"$SECPOL_RUNDIR/secpold.log" || die "the process on old capabilities not named"
	grep -q "tasks are of types this policy no longer has" \
		"$SECPOL_RUNDIR/secpold.log" || die "the lost type not said"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	monitors_stop_all
	spt_final_check
}
