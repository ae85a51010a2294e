#!/usr/bin/env bats
# Nested on (SPEC §2 settypeid, §8; issue 3 "Deliver" 3): a typed process
# whose type has settypeid:X starts a command under X (secpold retypes it:
# its filter chain already has a listener); without settypeid it is
# refused.  policies/nested.sp.

load helpers

setup_file() {
	spt_setup_file nested || return 1
	mkdir -p "$SCRATCH/outer" "$SCRATCH/inner"
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

@test "settypeid:X lets a typed process run on -T X; the child's decisions follow X" {
	mon_start m -s
	# the outer type itself may not attach under inner/
	sp_expect EACCES outer_t bind "$SCRATCH/inner/a"
	run --separate-stderr "$ON" -T outer_t "$ON" -T inner_t "$SPTEST" bind "$SCRATCH/inner/b"
	expect_status 0
	no_sanitizer
	expect_eq "nested bind under inner/" "$output" ok
	run --separate-stderr "$ON" -T outer_t "$ON" -T inner_t "$SPTEST" bind "$SCRATCH/outer/c"
	expect_status 1
	expect_eq "nested bind under outer/" "$output" EACCES
	mon_fence m
	mon_stop m
	mon_has m \
		"info: $ONN (pid:N) type outer_t uses ability SETTYPEID(2) (inner_t) as root" \
		"info: $SPN (pid:N) of type inner_t attached channel to path $SCRATCH/inner/b" \
		"error: $SPN (pid:N) of type inner_t failed to attach to path $SCRATCH/outer/c: no rule"
	# starting the nested command asks for nothing the policy lacks: no
	# error event from on itself (it would tell users to grant it)
	mon_lacks m "^error: $ONN "
}

@test "the nested command gets the inner type's capabilities" {
	on_run outer_t "$SPTEST" caps
	expect_eq CapEff "$(sed -n 's/^CapEff:\t//p' <<<"$output")" 0000000000000401
	on_run outer_t "$ON" -T inner_t "$SPTEST" caps
	expect_status 0
	no_sanitizer
	local f
	for f in CapInh CapPrm CapEff CapAmb; do
		expect_eq "nested $f" "$(sed -n "s/^$f:\t//p" <<<"$output")" 0000000000000400
	done
}

@test "without settypeid: refused (exit 1, lacks SETTYPEID), the command does not run" {
	mon_start m
	run --separate-stderr "$ON" -T plain_t "$ON" -T inner_t "$SPTEST" bind "$SCRATCH/inner/d"
	expect_status 1
	no_sanitizer
	[[ $stderr == *"type plain_t may not start processes of type inner_t (it lacks settypeid:inner_t)"* ]] ||
		die "stderr: $stderr"
	[ -z "$output" ] || die "the command ran: $output"
	[ ! -e "$SCRATCH/inner/d" ] || die "the command ran"
	# settypeid covers only its own subrange
	run --separate-stderr "$ON" -T outer_t "$ON" -T plain_t true
	expect_status 1
	mon_fence m
	mon_stop m
	mon_has m \
		"error: $ONN (pid:N) type plain_t lacks ability SETTYPEID(2) (inner_t) as root" \
		"error: $ONN (pid:N) type outer_t lacks ability SETTYPEID(3) (plain_t) as root"
}

@test "the nested command's exit status is passed through both on" {
	on_run outer_t "$ON" -T inner_t sh -c 'exit 9'
	expect_status 9
	no_sanitizer
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
