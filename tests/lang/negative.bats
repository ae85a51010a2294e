#!/usr/bin/env bats
# Negative tests: each tests/lang/negative/NAME.sp must fail to compile with
# exit status 1, its stderr must equal NAME.err exactly (diagnostics with
# file:line:col, source line and caret, then the summary), and no output
# file may appear; an existing output file must be left as it was.
load ../cli/helpers

N=$BATS_TEST_DIRNAME/negative

# check_negative NAME
check_negative() {
	local name=$1 out=$BATS_TEST_TMPDIR/out.bin rc=0
	[ -f "$N/$name.sp" ] && [ -f "$N/$name.err" ] || die "missing negative/$name.sp or .err"
	# with no output file yet
	(cd "$N" && exec "$SECPOLCOMPILE" -o "$out" "$name.sp") \
		>"$BATS_TEST_TMPDIR/stdout" 2>"$BATS_TEST_TMPDIR/stderr" || rc=$?
	[ "$rc" -eq 1 ] || die "exit status $rc, expected 1" "$(cat "$BATS_TEST_TMPDIR/stderr")"
	diff -u "$N/$name.err" "$BATS_TEST_TMPDIR/stderr"
	[ ! -s "$BATS_TEST_TMPDIR/stdout" ] || die "wrote to stdout"
	[ ! -e "$out" ] || die "created $out"
	# with an output file that must survive
	printf 'precious\n' >"$out"
	rc=0
	(cd "$N" && exec "$SECPOLCOMPILE" -p 7 -o "$out" "$name.sp") \
		>/dev/null 2>"$BATS_TEST_TMPDIR/stderr" || rc=$?
	[ "$rc" -eq 1 ] || die "exit status $rc with an existing output, expected 1"
	diff -u "$N/$name.err" "$BATS_TEST_TMPDIR/stderr"
	[ "$(cat "$out")" = precious ] || die "the existing output file was changed"
	# and nothing else left behind (no temporary file)
	[ "$(ls -A "$BATS_TEST_TMPDIR" | sort | tr '\n' ' ')" = "out.bin stderr stdout " ] ||
		die "files left behind: $(ls -A "$BATS_TEST_TMPDIR")"
	# only checking (no -o): the same diagnostics, without "nothing written"
	rc=0
	(cd "$N" && exec "$SECPOLCOMPILE" "$name.sp") \
		>/dev/null 2>"$BATS_TEST_TMPDIR/stderr" || rc=$?
	[ "$rc" -eq 1 ] || die "exit status $rc without -o, expected 1"
	diff -u <(sed 's/; nothing written$//' "$N/$name.err") "$BATS_TEST_TMPDIR/stderr"
}

@test "negative: misspelt ability (line, column, caret, suggestion)" { check_negative unknown_ability_misspelt; }
@test "negative: unknown ability" { check_negative unknown_ability; }
@test "negative: undeclared custom ability" { check_negative unknown_custom_ability; }
@test "negative: unknown type with a suggestion" { check_negative unknown_type; }
@test "negative: unknown type without a suggestion" { check_negative unknown_type_no_suggestion; }
@test "negative: unknown attribute" { check_negative unknown_attribute; }
@test "negative: unknown named range" { check_negative unknown_range; }
@test "negative: type name as a numeric value" { check_negative type_as_value; }
@test "negative: duplicate type" { check_negative duplicate_type; }
@test "negative: type named like an attribute" { check_negative duplicate_attribute; }
@test "negative: duplicate custom ability" { check_negative duplicate_custom_ability; }
@test "negative: duplicate range" { check_negative duplicate_range; }
@test "negative: duplicate derivation" { check_negative duplicate_derivation; }
@test "negative: hyphen in a type name" { check_negative hyphen_in_name; }
@test "negative: name starting with a digit" { check_negative digit_in_name; }
@test "negative: custom ability not written vendor/name" { check_negative bad_custom_ability_name; }
@test "negative: noinherit" { check_negative noinherit; }
@test "negative: subrange on an ability without subranges" { check_negative subrange_on_unranged; }
@test "negative: port out of range" { check_negative value_out_of_range; }
@test "negative: type ID past the last type" { check_negative type_id_out_of_range; }
@test "negative: settypeid privilege escalation" { check_negative settypeid_escalation; }
@test "negative: conflicting relabels" { check_negative conflicting_relabel; }
@test "negative: bad paths, every reason" { check_negative bad_paths; }
@test "negative: QNX file-type prefix" { check_negative file_type_prefix; }
@test "negative: attribute as a channel type" { check_negative attribute_as_channel_type; }
@test "negative: self as subject" { check_negative self_as_subject; }
@test "negative: ability target other than self" { check_negative ability_not_self; }
@test "negative: allow_link with a channel type" { check_negative link_with_type; }
@test "negative: unknown statement" { check_negative unknown_statement; }
@test "negative: unknown class" { check_negative unknown_class; }
@test "negative: channel permission other than connect" { check_negative bad_channel_permission; }
@test "negative: QNX statement without a Linux meaning" { check_negative qnx_statement; }
@test "negative: missing semicolons" { check_negative missing_semicolon; }
@test "negative: unclosed brace at end of input" { check_negative unclosed_brace; }
@test "negative: malformed number" { check_negative bad_number; }
@test "negative: range that ends before it starts" { check_negative reversed_range; }
@test "negative: number too large" { check_negative number_too_large; }
@test "negative: gain_priv without ':' and '-' alone" { check_negative bad_gain_priv; }
@test "negative: NUL, control and non-UTF-8 bytes" { check_negative bad_bytes; }
@test "negative: several errors in one run, warnings too" { check_negative several_errors; }
@test "negative: learn of unknown types, of self, of nothing" { check_negative learn_unknown; }
@test "negative: limit values: 0, too large, not decimal, missing" { check_negative limit_values; }
@test "negative: unknown kinds of limit, with the known ones" { check_negative limit_kind; }
@test "negative: a second limit of a type names the first one's line" { check_negative limit_twice; }
@test "negative: more than 50 errors" { check_negative too_many_errors; }

@test "negative: every fixture has a .err and a test here" {
	local f name
	for f in "$N"/*.sp; do
		name=${f##*/}
		name=${name%.sp}
		[ -f "$N/$name.err" ] || die "negative/$name.err is missing"
		grep -q "check_negative $name; }\$" "$BATS_TEST_FILENAME" ||
			die "no test runs negative/$name.sp"
	done
	for f in "$N"/*.err; do
		[ -f "${f%.err}.sp" ] || die "${f##*/} has no .sp"
	done
}
