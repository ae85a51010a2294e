#!/usr/bin/env bats
# The secpolcompile command contract (SPEC §4):
#   secpolcompile [-m] [-o out] [-p id] file...   without -o, only checks.
# Exit status 0 compiled, 1 policy errors or I/O failure, 2 bad usage.
load helpers

USAGE_LINE="Usage: secpolcompile [-m] [-o output] [-p policy-id] file..."
HINT_LINE="Try 'secpolcompile --help' for more information."

setup() {
	# a directory of its own: bats keeps files in BATS_TEST_TMPDIR
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
	printf 'type fs_t;\nallow fs_t self:ability io;\n' >good.sp
	printf 'type fs_t;\nallow fs_t self:ability pathspce;\n' >bad.sp
}

# The policy ID of a compiled file, as `secpol -v` prints it.
policy_line() {
	"$SECPOL" -v -i "$1"
}

@test "secpolcompile --help and -h: usage on stdout, exit 0" {
	local opt
	for opt in --help -h; do
		run --separate-stderr "$SECPOLCOMPILE" "$opt"
		expect_status 0
		expect_text "$stderr" ""
		expect_text "${lines[0]}" "$USAGE_LINE"
		# every option is documented
		grep -qF -- "-m, --mutable" <<<"$output"
		grep -qF -- "-o, --output FILE" <<<"$output"
		grep -qF -- "-p, --policy-id ID" <<<"$output"
		grep -qF -- '"-" reads standard input' <<<"$output"
	done
}

@test "secpolcompile: no input files is a usage error (exit 2)" {
	run --separate-stderr "$SECPOLCOMPILE"
	expect_status 2
	expect_text "$output" ""
	expect_text "$stderr" "secpolcompile: error: no input files
$HINT_LINE"
	run --separate-stderr "$SECPOLCOMPILE" -m -o out.bin
	expect_status 2
	[ ! -e out.bin ]
}

@test "secpolcompile: unknown options and missing arguments exit 2 with a hint" {
	local args
	for args in "-x good.sp" "--bogus good.sp" "-o" "-p" "good.sp -p"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$SECPOLCOMPILE" $args
		no_crash
		expect_status 2
		expect_text "$output" ""
		expect_text "$(tail -n1 <<<"$stderr")" "$HINT_LINE"
	done
	run --separate-stderr "$SECPOLCOMPILE" -x good.sp
	grep -qF "invalid option -- 'x'" <<<"$stderr"
	run --separate-stderr "$SECPOLCOMPILE" -p
	grep -qF "option requires an argument -- 'p'" <<<"$stderr"
}

@test "secpolcompile: -o or -p twice is a usage error" {
	run --separate-stderr "$SECPOLCOMPILE" -o a.bin -o b.bin good.sp
	expect_status 2
	expect_text "$stderr" "secpolcompile: error: -o given twice
$HINT_LINE"
	run --separate-stderr "$SECPOLCOMPILE" -p 1 --policy-id 2 good.sp
	expect_status 2
	expect_text "$stderr" "secpolcompile: error: -p given twice
$HINT_LINE"
	[ ! -e a.bin ] && [ ! -e b.bin ]
}

@test "secpolcompile: without -o it only checks" {
	run --separate-stderr "$SECPOLCOMPILE" good.sp
	expect_status 0
	expect_text "$output" ""
	expect_text "$stderr" ""
	expect_text "$(ls -A)" "$(printf 'bad.sp\ngood.sp')"
	run --separate-stderr "$SECPOLCOMPILE" bad.sp
	expect_status 1
	expect_text "$output" ""
	expect_text "$stderr" "bad.sp:2:25: error: unknown ability 'pathspce'; did you mean 'pathspace'?
    2 | allow fs_t self:ability pathspce;
      |                         ^~~~~~~~
secpolcompile: error: 1 error"
}

@test "secpolcompile -o: written on success, atomically, mode 0644" {
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin good.sp
	no_crash
	expect_status 0
	expect_text "$output" ""
	expect_text "$stderr" ""
	[ -s out.bin ]
	expect_text "$(stat -c %a out.bin)" 644
	expect_text "$(head -c 7 out.bin)" SPOLBIN
	# no temporary file left beside it
	expect_text "$(ls -A)" "$(printf 'bad.sp\ngood.sp\nout.bin')"
	# an existing file is replaced
	printf 'old\n' >old.bin
	run --separate-stderr "$SECPOLCOMPILE" --output old.bin good.sp
	expect_status 0
	cmp out.bin old.bin
	expect_text "$(ls -A)" "$(printf 'bad.sp\ngood.sp\nold.bin\nout.bin')"
}

@test "secpolcompile -o: nothing written when the policy has errors" {
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin bad.sp
	expect_status 1
	expect_text "${stderr##*$'\n'}" "secpolcompile: error: 1 error; nothing written"
	[ ! -e out.bin ]
	printf 'keep\n' >out.bin
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin good.sp bad.sp
	expect_status 1
	expect_text "$(cat out.bin)" keep
	expect_text "$(ls -A)" "$(printf 'bad.sp\ngood.sp\nout.bin')"
	# warnings alone do not stop the output
	printf 'type a;\nallow a self:ability { rsrcdbmgr unlock };\n' >warn.sp
	run --separate-stderr "$SECPOLCOMPILE" -o warn.bin warn.sp
	expect_status 0
	[ -s warn.bin ]
	expect_text "$(grep -c ': warning: ' <<<"$stderr")" 2
}

@test "secpolcompile -o: an output that cannot be written is an error (exit 1)" {
	run --separate-stderr "$SECPOLCOMPILE" -o nodir/out.bin good.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: cannot write nodir/out.bin: No such file or directory"
	mkdir dir.bin
	run --separate-stderr "$SECPOLCOMPILE" -o dir.bin good.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: cannot write dir.bin: Is a directory"
	expect_text "$(ls -A)" "$(printf 'bad.sp\ndir.bin\ngood.sp')"
	expect_text "$(ls -A dir.bin)" ""
}

@test "secpolcompile -p: decimal, hex and octal IDs" {
	local id
	for id in 4660 0x1234 0X1234 011064; do
		run "$SECPOLCOMPILE" -p "$id" -o "out.bin" good.sp
		expect_status 0
		expect_text "$(policy_line out.bin)" "out.bin: valid policy 0x00001234, immutable, 2 types"
	done
	"$SECPOLCOMPILE" --policy-id 0 -o out.bin good.sp
	expect_text "$(policy_line out.bin)" "out.bin: valid policy 0x00000000, immutable, 2 types"
	"$SECPOLCOMPILE" -p 0xffffffff -o out.bin good.sp
	expect_text "$(policy_line out.bin)" "out.bin: valid policy 0xffffffff, immutable, 2 types"
}

@test "secpolcompile -p: bad IDs are usage errors" {
	local id
	for id in 0x100000000 4294967296 -1 abc 12x "" " 5" +5 08 1.5; do
		rm -f out.bin
		run --separate-stderr "$SECPOLCOMPILE" -p "$id" -o out.bin good.sp
		expect_status 2
		expect_text "$stderr" "secpolcompile: error: bad policy ID '$id': expected a number from 0 to 0xffffffff
$HINT_LINE"
		[ ! -e out.bin ] || die "written with -p '$id'"
	done
}

@test "secpolcompile: without -p the ID follows the content" {
	"$SECPOLCOMPILE" -o a.bin good.sp
	"$SECPOLCOMPILE" -o b.bin good.sp
	cmp a.bin b.bin
	"$SECPOLCOMPILE" -m -o m.bin good.sp
	printf 'type fs_t;\nallow fs_t self:ability chown;\n' >other.sp
	"$SECPOLCOMPILE" -o c.bin other.sp
	local a m c
	a=$(policy_line a.bin) m=$(policy_line m.bin) c=$(policy_line c.bin)
	# -m does not change the ID; other content does
	a=${a#a.bin: }
	expect_text "${m%%, *}" "m.bin: ${a%%, *}"
	expect_text "${m#*, }" "mutable, 2 types"
	[ "$a" != "${c#c.bin: }" ] || die "same ID for different policies: $a"
	[[ $a =~ ^valid\ policy\ 0x[0-9a-f]{8},\ immutable,\ 2\ types$ ]] || die "$a"
}

@test "secpolcompile -m: the policy is mutable (secpol -v and -c show it)" {
	"$SECPOLCOMPILE" -m -p 7 -o m.bin good.sp
	"$SECPOLCOMPILE" --mutable -p 7 -o m2.bin good.sp
	"$SECPOLCOMPILE" -p 7 -o i.bin good.sp
	cmp m.bin m2.bin
	expect_text "$(policy_line m.bin)" "m.bin: valid policy 0x00000007, mutable, 2 types"
	expect_text "$(policy_line i.bin)" "i.bin: valid policy 0x00000007, immutable, 2 types"
	expect_text "$("$SECPOL" -c -i m.bin | head -n 1)" "policy 0x00000007, mutable, 2 types"
	expect_text "$("$SECPOL" -c -i i.bin | head -n 1)" "policy 0x00000007, immutable, 2 types"
	expect_text "$("$SECPOL" -d -i m.bin | sed -n 2p | cut -d, -f1)" "flags 0x1 (mutable)"
}

@test "secpolcompile: several files are read as one text" {
	printf 'type a_t;\nallow a_t self:ability {\n' >1.sp
	printf '  io\n' >2.sp
	printf '  chown };\nallow_attach a_t /x;\n' >3.sp
	run --separate-stderr "$SECPOLCOMPILE" -p 1 -o out.bin 1.sp 2.sp 3.sp
	expect_status 0
	expect_text "$stderr" ""
	expect_text "$("$SECPOL" -c -t a_t -i out.bin)" "policy 0x00000001, immutable, 2 types

type a_t (1)
  root: CHOWN, SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL
  non-root: PATHSPACE, PUBLIC_CHANNEL
  attach /x"
	# diagnostics name the file and its own line numbers
	run --separate-stderr "$SECPOLCOMPILE" good.sp 2.sp bad.sp
	expect_status 1
	expect_text "${stderr%%$'\n'*}" "2.sp:1:3: error: expected a statement (type, attribute, ability, range, allow, allow_attach, allow_link, derive_type, learn or limit), found 'io'"
	grep -qxF "bad.sp:1:6: error: type 'fs_t' is already declared as a type" <<<"$stderr"
	grep -qxF "good.sp:1:6: note: 'fs_t' was first declared here" <<<"$stderr"
	grep -qxF "bad.sp:2:25: error: unknown ability 'pathspce'; did you mean 'pathspace'?" <<<"$stderr"
}

@test "secpolcompile: - reads standard input" {
	run --separate-stderr "$SECPOLCOMPILE" -p 1 -o in.bin - <good.sp
	expect_status 0
	"$SECPOLCOMPILE" -p 1 -o file.bin good.sp
	cmp in.bin file.bin
	# with files, in order
	printf 'allow fs_t self:ability chown;\n' | "$SECPOLCOMPILE" -p 1 -o mix.bin good.sp -
	expect_text "$("$SECPOL" -t fs_t -a chown -i mix.bin | tail -n 2)" "  root: CHOWN
  non-root: (none)"
	# stdin is named <stdin> in diagnostics
	run --separate-stderr "$SECPOLCOMPILE" - <bad.sp
	expect_status 1
	expect_text "${stderr%%$'\n'*}" "<stdin>:2:25: error: unknown ability 'pathspce'; did you mean 'pathspace'?"
}

@test "secpolcompile: missing or unreadable input files (exit 1, nothing written)" {
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin nope.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: cannot read nope.sp: No such file or directory"
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin good.sp nope.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: cannot read nope.sp: No such file or directory"
	mkdir d.sp
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin d.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: cannot read d.sp: Is a directory"
	[ ! -e out.bin ]
}

@test "secpolcompile: 16 MiB per input file" {
	# exactly 16 MiB compiles (a comment line and spaces)
	{ printf 'type a;\n#'; head -c $((16 * 1024 * 1024 - 9)) /dev/zero | tr '\0' ' '; } >max.sp
	expect_text "$(stat -c %s max.sp)" 16777216
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin max.sp
	no_crash
	expect_status 0
	expect_text "$stderr" ""
	# one byte more is refused, from a file or from standard input
	printf ' ' >>max.sp
	rm out.bin
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin max.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: max.sp: larger than 16777216 bytes"
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin - <max.sp
	expect_status 1
	expect_text "$stderr" "secpolcompile: error: <stdin>: larger than 16777216 bytes"
	[ ! -e out.bin ]
}

@test "secpolcompile: at most 1024 input files" {
	local files=() i
	printf '# nothing\n' >c.sp
	for i in $(seq 1 1024); do files+=(c.sp); done
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin "${files[@]}"
	expect_status 0
	rm out.bin
	run --separate-stderr "$SECPOLCOMPILE" -o out.bin "${files[@]}" c.sp
	expect_status 2
	expect_text "$stderr" "secpolcompile: error: too many input files (at most 1024)
$HINT_LINE"
	[ ! -e out.bin ]
}

@test "secpolcompile: options may follow the files; -- ends them" {
	run --separate-stderr "$SECPOLCOMPILE" good.sp -p 3 -o out.bin
	expect_status 0
	expect_text "$(policy_line out.bin)" "out.bin: valid policy 0x00000003, immutable, 2 types"
	cp good.sp ./-m.sp
	run --separate-stderr "$SECPOLCOMPILE" -p 3 -o dash.bin -- -m.sp
	expect_status 0
	expect_text "$(policy_line dash.bin)" "dash.bin: valid policy 0x00000003, immutable, 2 types"
}

# literal_block FILE N: the Nth .Bd -literal block of the EXAMPLES section.
literal_block() {
	awk -v n="$2" '/^\.Sh /{ex = ($0 == ".Sh EXAMPLES")} ex && /^\.Bd -literal/{k++; on = (k == n); next}
		on && /^\.Ed/{on = 0} on' "$1"
}

@test "secpolcompile(1): the examples are true" {
	local man=$REPO/docs/man/secpolcompile.1
	# the man page policy, verbatim
	diff -u "$REPO/examples/policies/manpage.sp" <(literal_block "$man" 1)
	# the transcript: the warning and the type shown
	literal_block "$man" 2 >transcript
	(cd "$REPO/examples/policies" && "$SECPOLCOMPILE" -o "$BATS_TEST_TMPDIR/w/m.bin" manpage.sp) 2>warning ||
		die "cannot compile the man page policy" "$(head -n 5 warning)"
	grep -qF "manpage.sp:13:7: warning: 'RSRCDBMGR' is a QNX ability with no" transcript
	grep -qF "manpage.sp:13:7: warning: 'RSRCDBMGR' is a QNX ability with no meaning on Linux; ignored" warning
	"$SECPOL" -i m.bin -t fs_t | tail -n +2 >shown
	diff -u <(sed -n '/^\$ secpol -i secpol.bin -t fs_t$/,$p' transcript | tail -n +3) shown
	# the subranges example compiles without a word
	literal_block "$man" 3 >ranges.sp
	run --separate-stderr "$SECPOLCOMPILE" ranges.sp
	expect_status 0
	expect_text "$stderr" ""
	# the learn and limit example compiles without a word and shows what
	# the text after it says
	literal_block "$man" 4 >learn.sp
	grep -q '^learn web_t;$' learn.sp
	run --separate-stderr "$SECPOLCOMPILE" -o learn.bin learn.sp
	expect_status 0
	expect_text "$stderr" ""
	run --separate-stderr "$SECPOL" -t web_t -i learn.bin
	expect_status 0
	expect_text "${lines[1]}" "type web_t (1), learning"
	grep -qxF '  limit: 200 processes' <<<"$output"
}
