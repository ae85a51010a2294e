#!/usr/bin/env bats
# Golden tests: each tests/lang/golden/NAME.sp is compiled with a fixed
# policy ID and `secpol -c` of the result must equal NAME.dump byte for
# byte; the compiler's stderr must equal NAME.warn (empty if there is no
# such file).  The .dump files pin the language's behaviour: review any
# change to them by hand.  To see a new dump:
#   build/bin/secpolcompile -p 0x5ec9 -o /tmp/x.bin NAME.sp &&
#   build/bin/secpol -c -i /tmp/x.bin
load ../cli/helpers

G=$BATS_TEST_DIRNAME/golden
ID=0x5ec9

# compile_golden NAME [OUT]: compiles golden/NAME.sp (from inside golden/,
# so that diagnostics name NAME.sp) to OUT (default $BATS_TEST_TMPDIR/NAME.bin)
# and checks its stderr.
compile_golden() {
	local name=$1 out=${2:-$BATS_TEST_TMPDIR/$1.bin} rc=0
	(cd "$G" && "$SECPOLCOMPILE" -p "$ID" -o "$out" "$name.sp") \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || rc=$?
	[ "$rc" -eq 0 ] || die "secpolcompile $name.sp exited with $rc" "$(cat "$BATS_TEST_TMPDIR/err")"
	[ ! -s "$BATS_TEST_TMPDIR/out" ] || die "secpolcompile wrote to stdout"
	if [ -e "$G/$name.warn" ]; then
		diff -u "$G/$name.warn" "$BATS_TEST_TMPDIR/err"
	else
		diff -u /dev/null "$BATS_TEST_TMPDIR/err"
	fi
}

# check_golden NAME: compile, dump, compare.
check_golden() {
	local rc=0
	compile_golden "$1"
	"$SECPOL" -c -i "$BATS_TEST_TMPDIR/$1.bin" >"$BATS_TEST_TMPDIR/dump" \
		2>"$BATS_TEST_TMPDIR/err" || rc=$?
	[ "$rc" -eq 0 ] || die "secpol -c exited with $rc" "$(cat "$BATS_TEST_TMPDIR/err")"
	diff -u /dev/null "$BATS_TEST_TMPDIR/err"
	diff -u "$G/$1.dump" "$BATS_TEST_TMPDIR/dump"
}

goldens() {
	local f
	for f in "$G"/*.sp; do
		f=${f##*/}
		printf '%s\n' "${f%.sp}"
	done
}

@test "golden: the QNX man page example (manpage)" {
	check_golden manpage
	# what SPEC §2 promises for it, whatever the .dump file says
	grep -qxF '  root: SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL, CHANNEL_CONNECT(1) (fs_t)' "$BATS_TEST_TMPDIR/dump"
	grep -qxF '  root: SYS_RAWIO (io), PUBLIC_CHANNEL, CHANNEL_CONNECT(1) (fs_t)' "$BATS_TEST_TMPDIR/dump"
	diff -u - <(sed -n '/^type fs_t (1)$/,/^$/p' "$BATS_TEST_TMPDIR/dump" | grep '^  attach') <<'END'
  attach /dev/fsF*
  attach /
  attach /fsFp0
END
}

@test "golden: manpage.sp is examples/policies/manpage.sp, unchanged" {
	cmp "$REPO/examples/policies/manpage.sp" "$G/manpage.sp"
}

@test "golden: the QNX secpol page example, adapted (qnx_secpol_page)" {
	check_golden qnx_secpol_page
}

@test "golden: subranges, open ranges, merging, named ranges (ranges)" {
	check_golden ranges
}

@test "golden: QNX aliases and QNX-only abilities (aliases)" {
	check_golden aliases
}

@test "golden: attributes (attributes)" {
	check_golden attributes
}

@test "golden: custom abilities (custom)" {
	check_golden custom
}

@test "golden: derive_type (derive)" {
	check_golden derive
}

@test "golden: path rules (paths)" {
	check_golden paths
}

@test "golden: default_priv, removal, domains (privileges)" {
	check_golden privileges
}

@test "golden: learn and limit (learn_limit)" {
	check_golden learn_limit
	# what the brief promises, whatever the .dump file says
	grep -qxF 'type svc_t (1), learning' "$BATS_TEST_TMPDIR/dump"
	grep -qxF 'type db_t (3), learning, attributes server_attr' "$BATS_TEST_TMPDIR/dump"
	grep -qxF 'type batch_t (4)' "$BATS_TEST_TMPDIR/dump"
	[ "$(grep -c '^  limit: 50 processes$' "$BATS_TEST_TMPDIR/dump")" -eq 2 ]
	grep -qxF '  limit: 1 process' "$BATS_TEST_TMPDIR/dump"
	# the default type neither learns nor is limited
	diff -u - <(sed -n '/^type default (0)$/,/^$/p' "$BATS_TEST_TMPDIR/dump") <<'END'
type default (0)
  root: PUBLIC_CHANNEL
  non-root: PUBLIC_CHANNEL

END
	# a version 2 file with a TLIM section
	run "$SECPOL" -d -i "$BATS_TEST_TMPDIR/learn_limit.bin"
	expect_status 0
	expect_text "${lines[0]}" "magic SPOLBIN, version 2, header 40 bytes, file $(stat -c %s "$BATS_TEST_TMPDIR/learn_limit.bin") bytes"
	grep -qE '^section TLIM offset 0x[0-9a-f]+ size 80 count 5$' <<<"$output"
}

@test "golden: the empty policy (empty)" {
	check_golden empty
}

@test "golden: every NAME.sp has a NAME.dump and a test here" {
	local name
	for name in $(goldens); do
		[ -f "$G/$name.dump" ] || die "golden/$name.dump is missing"
		grep -q "check_golden $name\$" "$BATS_TEST_FILENAME" ||
			die "no test runs golden/$name.sp"
	done
	for name in "$G"/*.dump "$G"/*.warn; do
		[ -f "${name%.*}.sp" ] || die "${name##*/} has no .sp"
	done
}

@test "round trip: compiling the same text twice gives identical files" {
	local name
	for name in $(goldens); do
		compile_golden "$name" "$BATS_TEST_TMPDIR/a.bin"
		compile_golden "$name" "$BATS_TEST_TMPDIR/b.bin"
		cmp "$BATS_TEST_TMPDIR/a.bin" "$BATS_TEST_TMPDIR/b.bin"
		# and with the automatic policy ID
		(cd "$G" && "$SECPOLCOMPILE" -o "$BATS_TEST_TMPDIR/c.bin" "$name.sp" 2>/dev/null)
		(cd "$G" && "$SECPOLCOMPILE" -o "$BATS_TEST_TMPDIR/d.bin" "$name.sp" 2>/dev/null)
		cmp "$BATS_TEST_TMPDIR/c.bin" "$BATS_TEST_TMPDIR/d.bin"
	done
}

@test "round trip: secpol -v validates every golden policy" {
	local name bin ntypes
	for name in $(goldens); do
		bin=$BATS_TEST_TMPDIR/$name.bin
		compile_golden "$name"
		ntypes=$(grep -c '^type ' "$G/$name.dump")
		[ "$ntypes" -eq 1 ] && ntypes="1 type" || ntypes="$ntypes types"
		run --separate-stderr "$SECPOL" -v -i "$bin"
		no_crash
		expect_status 0
		# as the dump's first line says it: "1 type", "4 types"
		expect_text "$output" "$bin: valid policy 0x00005ec9, immutable, $ntypes"
		expect_text "$stderr" ""
	done
}

@test "round trip: secpol -d shows a sane structure for every golden policy" {
	local name bin size line kind off sz count types=0 end
	for name in $(goldens); do
		bin=$BATS_TEST_TMPDIR/$name.bin
		compile_golden "$name"
		size=$(stat -c %s "$bin")
		run --separate-stderr "$SECPOL" -d -i "$bin"
		no_crash
		expect_status 0
		expect_text "$stderr" ""
		expect_text "${lines[0]}" "magic SPOLBIN, version 2, header 40 bytes, file $size bytes"
		[[ ${lines[1]} =~ ^flags\ 0x0\ \(immutable\),\ policy\ id\ 0x00005ec9,\ checksum\ 0x[0-9a-f]{8}\ \(valid\)$ ]] ||
			die "$name: bad line: ${lines[1]}"
		[ "${#lines[@]}" -ge 4 ] || die "$name: no sections"
		end=$((40 + 24 * (${#lines[@]} - 2)))
		types=0
		for line in "${lines[@]:2}"; do
			[[ $line =~ ^section\ ([A-Z]{4})\ offset\ 0x([0-9a-f]+)\ size\ ([0-9]+)\ count\ ([0-9]+)$ ]] ||
				die "$name: bad line: $line"
			kind=${BASH_REMATCH[1]} off=$((16#${BASH_REMATCH[2]}))
			sz=${BASH_REMATCH[3]} count=${BASH_REMATCH[4]}
			# aligned, after the header and table, inside the file
			[ $((off % 8)) -eq 0 ] || die "$name: $kind not aligned"
			[ "$off" -ge "$end" ] || die "$name: $kind overlaps the table"
			[ $((off + sz)) -le "$size" ] || die "$name: $kind past the end"
			[ "$kind" != TYPE ] || types=$count
		done
		grep -q '^section STRS ' <<<"$output" || die "$name: no STRS"
		[ "$types" -eq "$(grep -c '^type ' "$G/$name.dump")" ] ||
			die "$name: TYPE count $types does not match the dump"
	done
}

@test "version 1 files written before version 2 still load and dump" {
	local f
	# the loader corpus seeds were written by the version 1 builder
	for f in "$REPO"/tests/fuzz/corpus/loader/v1_*.bin; do
		run --separate-stderr "$SECPOL" -d -i "$f"
		no_crash
		expect_status 0
		expect_text "${lines[0]}" "magic SPOLBIN, version 1, header 40 bytes, file $(stat -c %s "$f") bytes"
		run --separate-stderr "$SECPOL" -c -i "$f"
		no_crash
		expect_status 0
		expect_text "$stderr" ""
		grep -q '^type default (0)$' <<<"$output"
		! grep -qE 'learning|limit:' <<<"$output"
	done
	run "$SECPOL" -c -i "$REPO/tests/fuzz/corpus/loader/v1_walkthrough.bin"
	grep -qxF '  root: SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL, CHANNEL_CONNECT(1) (fs_t)' <<<"$output"
}
