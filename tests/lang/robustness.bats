#!/usr/bin/env bats
# Robustness: huge and hostile inputs must end, within `timeout 20`, with
# success or a clear error (exit status 0 or 1 and a summary line) - never a
# crash (exit status 124 and up), a hang or a sanitizer report.  The inputs
# are generated (deterministically) in setup_file.
load ../cli/helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	export LC_ALL=C
	# 100k statements of every kind that compiles
	awk 'BEGIN {
		print "type a_t;"; print "type b_t;"; print "attribute at;"
		for (i = 0; i < 100000; i++) {
			k = i % 6
			if (k == 0) printf "allow_attach a_t /srv/p%d;\n", i
			else if (k == 1) printf "allow a_t self:ability { io chown };\n"
			else if (k == 2) printf "allow_link b_t /tmp/l%d;\n", i
			else if (k == 3) printf "type t%d, at;\n", i
			else if (k == 4) printf "allow b_t self:ability -sys_admin;\n"
			else printf "derive_type a_t d%d b_t;\n", i
		}
	}' >"$d/stmts100k.sp"
	# 100k types: more than a policy may hold
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "type t%d;\n", i }' >"$d/types100k.sp"
	# a 4 MiB word
	awk 'BEGIN { printf "type "; for (i = 0; i < 65536; i++) printf "%s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; print ";" }' >"$d/word4m.sp"
	# 70000 items in one brace list, of each list kind
	awk 'BEGIN { print "type a;"; printf "allow a self:ability {"; for (i = 0; i < 70000; i++) printf " io"; print " };" }' >"$d/abilities70k.sp"
	awk 'BEGIN { print "type a;"; printf "allow_attach a {"; for (i = 0; i < 70000; i++) printf " /p%d", i; print " };" }' >"$d/paths70k.sp"
	awk 'BEGIN { printf "allow {"; for (i = 0; i < 70000; i++) printf " t%d", i; print " } self:ability io;" }' >"$d/names70k.sp"
	awk 'BEGIN { print "ability v/x;"; print "type a;"; printf "allow a self:ability v/x:0"; for (i = 1; i < 70000; i++) printf ",%d", i * 2; print ";" }' >"$d/values70k.sp"
	# the limits themselves: 65536 items compile
	awk 'BEGIN { print "type a;"; printf "allow_attach a {"; for (i = 0; i < 65536; i++) printf " /p%d", i; print " };" }' >"$d/paths64k.sp"
	# deep brace nesting
	awk 'BEGIN { print "type a;"; printf "allow a self:ability "; for (i = 0; i < 200000; i++) printf "{"; for (i = 0; i < 200000; i++) printf "}"; print ";" }' >"$d/nest.sp"
	awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{"; print "" }' >"$d/open.sp"
	# 1 MiB of NUL bytes, 1 MiB of random bytes, 200k random tokens
	head -c 1048576 /dev/zero >"$d/nul.sp"
	awk 'BEGIN { x = 42; for (i = 0; i < 1048576; i++) {
		x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 65536) % 256 } }' >"$d/random.sp"
	awk 'BEGIN { n = split("type allow allow_attach allow_link derive_type attribute ability range self : ; , { } ability channel connect nonroot noinherit unlock default_priv gain_priv -io io setuid:1-5 setuid:4- 0x10 a_t b_t at /x /... @s * v/x", w, " ")
		x = 7; for (i = 0; i < 200000; i++) { x = (x * 1103515245 + 12345) % 2147483648
		printf "%s%s", w[int(x / 65536) % n + 1], (i % 16 == 15) ? "\n" : " " } }' >"$d/tokens.sp"
}

# compile NAME: runs secpolcompile -o on NAME.sp under timeout 20, with
# stderr in $BATS_TEST_TMPDIR/err (it may be large), and checks that it
# neither crashed nor hung nor wrote to stdout.  Sets status.
compile() {
	local t=$BATS_TEST_TMPDIR
	status=0
	(cd "$BATS_FILE_TMPDIR" && exec timeout 20 "$SECPOLCOMPILE" -o "$t/out.bin" "$1.sp") \
		>"$t/stdout" 2>"$t/err" || status=$?
	[ "$status" -ne 124 ] || die "$1: still running after 20 s"
	[ "$status" -lt 126 ] || die "$1: exit status $status (crash)" "$(tail -c 3000 "$t/err")"
	! grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$t/err" ||
		die "$1: sanitizer report" "$(grep -m1 -A20 -E 'Sanitizer|runtime error:' "$t/err")"
	[ ! -s "$t/stdout" ] || die "$1: wrote to stdout"
}

# fails NAME MESSAGE: exit 1, the message among the diagnostics, the
# summary last, and no output file.
fails() {
	local last
	compile "$1"
	expect_status 1
	grep -qF -- "$2" "$BATS_TEST_TMPDIR/err" ||
		die "$1: no '$2' in:" "$(grep -m3 -E '(error|warning|note):' "$BATS_TEST_TMPDIR/err" | cut -c1-300)"
	last=$(tail -n 1 "$BATS_TEST_TMPDIR/err")
	[[ $last =~ ^secpolcompile:\ error:\ [0-9]+\ errors?\;\ nothing\ written$ ]] ||
		die "$1: last line: $(cut -c1-300 <<<"$last")"
	[ ! -e "$BATS_TEST_TMPDIR/out.bin" ] || die "$1: output written"
}

@test "robustness: 100k statements compile" {
	compile stmts100k
	expect_status 0
	[ ! -s "$BATS_TEST_TMPDIR/err" ] || die "$(head -c 2000 "$BATS_TEST_TMPDIR/err")"
	run --separate-stderr "$SECPOL" -v -i "$BATS_TEST_TMPDIR/out.bin"
	expect_status 0
	expect_text "$output" "$BATS_TEST_TMPDIR/out.bin: valid policy 0x$(od -An -tx4 -j16 -N4 "$BATS_TEST_TMPDIR/out.bin" | tr -d ' '), immutable, 16670 types"
}

@test "robustness: 100k types are refused past the limit" {
	fails types100k "error: more than 65535 types"
}

@test "robustness: a 4 MiB word" {
	fails word4m "word4m.sp:1:6: error: word longer than 4096 bytes"
}

@test "robustness: 70000 abilities in one list" {
	fails abilities70k "abilities70k.sp:2:196632: error: more than 65536 abilities in one list"
}

@test "robustness: 70000 paths in one list" {
	fails paths70k "error: more than 65536 paths in one list"
}

@test "robustness: 70000 names in one list" {
	fails names70k "error: more than 65536 names in one list"
}

@test "robustness: 70000 values for one ability" {
	fails values70k "error: more than 65536 values for one ability"
}

@test "robustness: 65536 paths in one list compile" {
	compile paths64k
	expect_status 0
	[ ! -s "$BATS_TEST_TMPDIR/err" ] || die "$(head -c 2000 "$BATS_TEST_TMPDIR/err")"
}

@test "robustness: 200000 nested braces" {
	fails nest "nest.sp:2:23: error: expected an ability or '}', found '{'"
	fails open "open.sp:1:1: error: expected a statement, found '{'"
}

@test "robustness: 1 MiB of NUL bytes" {
	fails nul "nul.sp:1:1: error: NUL byte in policy text"
	grep -qxF "note: too many errors (1048576); only the first 50 are shown" "$BATS_TEST_TMPDIR/err"
}

@test "robustness: 1 MiB of random bytes" {
	fails random "random.sp:1:"
}

@test "robustness: 200k random tokens" {
	fails tokens "tokens.sp:1:"
}

# The excerpt under each diagnostic repeats the source line: it must not
# repeat a megabyte-long line fifty times.
@test "robustness: diagnostics stay short whatever the input" {
	local name size bad=()
	for name in word4m abilities70k paths70k names70k values70k nest nul random tokens; do
		fails "$name" "$name.sp:"
		size=$(stat -c %s "$BATS_TEST_TMPDIR/err")
		[ "$size" -le 262144 ] || bad+=("$name.sp: $size bytes of diagnostics")
	done
	[ ${#bad[@]} -eq 0 ] || die "${bad[@]}"
}
