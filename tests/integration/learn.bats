#!/usr/bin/env bats
# Issue 7, learning in secpold: a learning type is decided and reported as
# any other, but nothing it does is refused (the events say what would
# have been), and its processes keep their user's capabilities.  Develop
# mode makes every type learn and a type the policy lacks is made for the
# run.  policies/learn.sp.

load helpers

setup_file() {
	spt_setup_file learn -m || return 1
	mkdir -p "$SCRATCH/w"
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

# how many monitors (and generators) secpold serves
subscribers() {
	"$CTLTEST" hello | sed -nE 's/.* subscribers=([0-9]+)$/\1/p'
}

@test "a learning type is refused nothing, and every would-be refusal is reported as such" {
	mon_start m -aps
	mon_start j -aps --json
	sp_expect ok l_t bind "$SCRATCH/w/learned"
	[ -S "$SCRATCH/w/learned" ] || die "the learning bind made nothing"
	sp_expect EPERM e_t bind "$SCRATCH/w/enforced"
	touch "$SCRATCH/w/f"
	sp_expect ok l_t chown "$SCRATCH/w/f" 1234 1234
	expect_eq "owner" "$(stat -c %u "$SCRATCH/w/f")" 1234
	sp_expect EPERM e_t chown "$SCRATCH/w/f" 0 0
	mon_fence m && mon_stop m
	mon_fence j && mon_stop j
	mon_has m \
		"error: $SPN (pid:N) type l_t lacks ability PATHSPACE as root" \
		"error: $SPN (pid:N) of type l_t failed to attach to path $SCRATCH/w/learned: no rule" \
		"error: $SPN (pid:N) type l_t lacks ability CHOWN as root" \
		"error: $SPN (pid:N) type e_t lacks ability PATHSPACE as root" \
		"error: $SPN (pid:N) type e_t lacks ability CHOWN as root"
	# JSON marks what was allowed only because the type learns
	python3 - "$SCRATCH/j.mon" <<'PY' || die "JSON: $(cat "$SCRATCH/j.mon")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def find(t, what):
    return [e for e in ev if e.get("type") == t and what(e)]
l = find("l_t", lambda e: e.get("ability") == "PATHSPACE")
e = find("e_t", lambda e: e.get("ability") == "PATHSPACE")
assert l and all(x["learning"] is True and x["result"] == "denied" and "errno" not in x for x in l), l
assert e and all("learning" not in x and x["errno"] == "EPERM" for x in e), e
c = find("l_t", lambda e: e.get("ability") == "CHOWN")
assert c and all(x.get("learning") is True for x in c), c
PY
	grep -q "types that learn .*: l_t$" "$SECPOL_RUNDIR/secpold.log" || die "the start-up line does not say which types learn"
}

@test "develop mode: every type learns, and a type the policy lacks is made for the run" {
	spd_stop
	rm -f "$SECPOL_RUNDIR/policy.bin"
	spd_start "$SCRATCH/learn.bin" -D
	mon_start m -aps
	sp_expect ok e_t bind "$SCRATCH/w/dev1"
	on_run brand_new_t "$SPTEST" bind "$SCRATCH/w/dev2"
	expect_status 0
	expect_eq "the bind" "$output" ok
	[ -S "$SCRATCH/w/dev2" ] || die "nothing made under the new type"
	mon_fence m && mon_stop m
	mon_has m \
		"error: $SPN (pid:N) type e_t lacks ability PATHSPACE as root" \
		"error: $SPN (pid:N) type brand_new_t lacks ability PATHSPACE as root"
	mon_has_q m "warning: new type brand_new_t (5) for this run, started by $ONN (pid:N): develop mode, it learns and nothing it does is refused" ||
	mon_lines m | grep -q "^warning: new type brand_new_t " || die "no new-type line: $(mon_lines m)"
	grep -q "develop mode: new type brand_new_t" "$SECPOL_RUNDIR/secpold.log" ||
		die "the new type is not in the log"
	grep -q "types that learn .*: all (develop mode)$" "$SECPOL_RUNDIR/secpold.log" ||
		die "the start-up line does not say develop mode"
	# a bad name is refused, not made
	on_run "bad-name" "$SPTEST" bind "$SCRATCH/w/dev3"
	expect_status 1
	[[ $stderr == *"cannot be a type name"* ]] || die "unclear: $stderr"
}

@test "secpol -p -D turns develop mode on in a running secpold, -E turns it off" {
	"$SECPOL" -p -E -i "$SCRATCH/learn.bin" >"$SCRATCH/e0.out" 2>&1 ||
		die "push -E: $(cat "$SCRATCH/e0.out")"
	on_run other_new_t "$SPTEST" bind "$SCRATCH/w/dev4"
	expect_status 1
	"$SECPOL" -p -D -i "$SCRATCH/learn.bin" >"$SCRATCH/d.out" 2>&1 ||
		die "push -D: $(cat "$SCRATCH/d.out")"
	grep -q "^secpol: pushed $SCRATCH/learn.bin in develop mode; [0-9]* running tasks keep their types by name" "$SCRATCH/d.out" ||
		die "push -D said: $(cat "$SCRATCH/d.out")"
	on_run other_new_t "$SPTEST" bind "$SCRATCH/w/dev4"
	expect_status 0
	"$SECPOL" -p -E -i "$SCRATCH/learn.bin" >"$SCRATCH/e.out" 2>&1 ||
		die "push -E: $(cat "$SCRATCH/e.out")"
	grep -q "^secpol: pushed $SCRATCH/learn.bin, enforcing; " "$SCRATCH/e.out" ||
		die "push -E said: $(cat "$SCRATCH/e.out")"
	sp_expect EPERM e_t bind "$SCRATCH/w/dev5"
	on_run third_new_t "$SPTEST" bind "$SCRATCH/w/dev6"
	expect_status 1
	[ ! -e "$SCRATCH/w/dev6" ] || die "a type the policy lacks ran after -E"
	run "$SECPOL" -D -i "$SCRATCH/learn.bin"
	expect_status 2
}

@test "secpolgenerate -l learns from the running secpold; its policy compiles and then enforces what was learned" {
	local gen n0
	"$SECPOL" -p -E -i "$SCRATCH/learn.bin" >/dev/null 2>&1 || die "push -E failed"
	n0=$(subscribers)
	"$SECPOL_BIN/secpolgenerate" -l -s "$SCRATCH/live.state" -o "$SCRATCH/live.sp" \
		2>"$SCRATCH/live.err" &
	gen=$!
	wait_until 20 eval '[ "$(subscribers)" -gt "$n0" ]' ||
		die "secpolgenerate did not subscribe:" "$(cat "$SCRATCH/live.err")"
	mkdir -p "$SCRATCH/live"
	touch "$SCRATCH/live/f"
	sp_expect ok l_t bind "$SCRATCH/live/s"
	sp_expect ok l_t chown "$SCRATCH/live/f" 1234 1234
	# the events reach it through the bus, in order: a marker last
	sp_expect EPERM e_t bind "$SCRATCH/live/marker"
	sleep 1
	kill -INT "$gen"
	wait "$gen" || die "secpolgenerate -l exited with $?:" "$(cat "$SCRATCH/live.err")"
	grep -q "^allow_attach l_t $SCRATCH/live/s;" "$SCRATCH/live.sp" ||
		die "no attach rule learned:" "$(cat "$SCRATCH/live.sp")"
	grep -Eq "^[[:space:]]+chown" "$SCRATCH/live.sp" || die "chown not learned:" "$(cat "$SCRATCH/live.sp")"
	[ -s "$SCRATCH/live.state" ] || die "no state file"
	# the learned policy compiles; pushed, l_t may do what it did and no more
	"$SECPOLCOMPILE" -m -o "$SCRATCH/live.bin" "$SCRATCH/live.sp" 2>"$SCRATCH/live.cerr" ||
		die "the learned policy does not compile:" "$(cat "$SCRATCH/live.cerr")" "$(cat "$SCRATCH/live.sp")"
	"$SECPOL" -p -i "$SCRATCH/live.bin" >/dev/null 2>&1 || die "push failed"
	rm -f "$SCRATCH/live/s"
	sp_expect ok l_t bind "$SCRATCH/live/s"
	sp_expect EACCES l_t bind "$SCRATCH/live/other"
	"$SECPOL" -p -i "$SCRATCH/learn.bin" >/dev/null 2>&1 || die "push back failed"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	monitors_stop_all
	spt_final_check
}
