#!/usr/bin/env bats
# The secpol command contract (SPEC §4), inspection only:
#   secpol [-cdv] [-i policy] [-f filter] [-t type] [-a ability]
# Exit status 0 success, 1 error, 2 bad usage.  (secpol -p needs secpold and
# is tested with it.)
load helpers

USAGE_LINE="Usage: secpol [-cdv] [-i policy] [-f filter] [-t type] [-a ability]"

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	# every kind of content, without value ranges
	cat >fx.sp <<'END'
attribute net;
ability vendor/reset;
type fs_t, net;
type fs_user_t;
type ln_t, net;
allow fs_t self:ability { io vendor/reset };
allow fs_user_t self:ability { nonroot io chown };
allow_attach fs_t { /dev/fsF* / };
allow_attach fs_t /srv ln_t;
allow_link ln_t /tmp/libc*;
derive_type fs_t run fs_user_t;
derive_type fs_t low ln_t;
END
	"$SECPOLCOMPILE" -p 0x42 -o fx.bin fx.sp
}

# manpage.bin: the man page policy, mutable, ID 1 (compiled by the tests
# that need it, so that a compiler failure fails only them).
need_manpage() {
	"$SECPOLCOMPILE" -m -p 1 -o manpage.bin "$REPO/examples/policies/manpage.sp" 2>/dev/null ||
		die "cannot compile the man page policy"
}

setup() {
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
	cp "$BATS_FILE_TMPDIR"/*.bin .
}

# secpol_ok ARGS...: runs secpol, expects exit 0 and an empty stderr.
secpol_ok() {
	run --separate-stderr "$SECPOL" "$@"
	no_crash
	expect_status 0
	expect_text "$stderr" ""
}

# secpol_err STATUS MESSAGE ARGS...: exit STATUS, stderr MESSAGE exactly,
# nothing on stdout.
secpol_err() {
	local st=$1 msg=$2
	shift 2
	run --separate-stderr "$SECPOL" "$@"
	no_crash
	expect_status "$st"
	expect_text "$stderr" "$msg"
	expect_text "$output" ""
}

FX_DUMP="policy 0x00000042, immutable, 4 types
ability vendor/reset

type default (0)
  root: PUBLIC_CHANNEL
  non-root: PUBLIC_CHANNEL

type fs_t (1), attributes net
  root: SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL, vendor/reset
  non-root: PATHSPACE, PUBLIC_CHANNEL
  attach /dev/fsF*
  attach /
  attach /srv -> ln_t
  derive low -> ln_t
  derive run -> fs_user_t

type fs_user_t (2)
  root: CHOWN, SYS_RAWIO (io), PUBLIC_CHANNEL
  non-root: CHOWN, SYS_RAWIO (io), PUBLIC_CHANNEL

type ln_t (3), attributes net
  root: PATHSPACE, PUBLIC_CHANNEL
  non-root: PATHSPACE, PUBLIC_CHANNEL
  link /tmp/libc*"

@test "secpol --help and -h: usage on stdout, exit 0" {
	local opt
	for opt in --help -h; do
		secpol_ok "$opt"
		expect_text "${lines[0]}" "$USAGE_LINE"
		expect_text "${lines[1]}" "       secpol -p [-D|-E] [-i policy]"
		grep -qF -- "-f filter      what to show, comma separated: abilities, attach, link," <<<"$output"
		grep -qF -- "default \$SECPOL_POLICY or /etc/secpol/secpol.bin" <<<"$output"
	done
}

HINT="Try 'secpol --help' for more information."

@test "secpol: bad usage exits 2 with one line and a hint, not the whole help" {
	run --separate-stderr "$SECPOL" -x -i fx.bin
	expect_status 2
	expect_text "$output" ""
	expect_text "$stderr" "secpol: invalid option -- 'x'
$HINT"
	run --separate-stderr "$SECPOL" --bogus
	expect_status 2
	expect_text "$stderr" "secpol: unrecognized option '--bogus'
$HINT"
	for opt in -i -f -t -a; do
		run --separate-stderr "$SECPOL" "$opt"
		expect_status 2
		expect_text "$stderr" "secpol: option requires an argument -- '${opt#-}'
$HINT"
	done
	secpol_err 2 "secpol: error: unexpected argument 'fx.bin' (the policy is given with -i)
$HINT" fx.bin
	secpol_err 2 "secpol: error: unknown filter 'bogus' (use abilities, attach, link, derive, attributes or all)
$HINT" -i fx.bin -f bogus
	secpol_err 2 "secpol: error: unknown filter 'Attach' (use abilities, attach, link, derive, attributes or all)
$HINT" -i fx.bin -f link,Attach
	# options that do not go together
	secpol_err 2 "secpol: error: -p takes only -i, -D and -E
$HINT" -p -c -i fx.bin
	secpol_err 2 "secpol: error: -D and -E go with -p
$HINT" -D -i fx.bin
	secpol_err 2 "secpol: error: -l takes only -t and --json
$HINT" -l -i fx.bin
	secpol_err 2 "secpol: error: --json goes with -l
$HINT" --json -i fx.bin
	secpol_err 2 "secpol: error: --list-types takes only -i
$HINT" --list-types -t fs_t
	secpol_err 2 "secpol: error: --list-abilities takes only -i
$HINT" --list-abilities -l
}

@test "secpol --version: the release, exit 0" {
	secpol_ok --version
	expect_text "${lines[0]}" "secpol (secpol) $(sed -n 's/^#define SECPOL_VERSION "\(.*\)"$/\1/p' "$REPO/src/common/version.h")"
	[ "${#lines[@]}" -eq 2 ] || die "expected two lines: $output"
}

@test "secpol -c: the whole policy; it is also the default" {
	secpol_ok -c -i fx.bin
	expect_text "$output" "$FX_DUMP"
	secpol_ok -i fx.bin
	expect_text "$output" "$FX_DUMP"
}

@test "secpol -c: the man page policy shows what the walkthrough needs" {
	need_manpage
	secpol_ok -i manpage.bin
	expect_text "${lines[0]}" "policy 0x00000001, mutable, 4 types"
	grep -qxF "  root: SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL, CHANNEL_CONNECT(1) (fs_t)" <<<"$output"
	grep -qxF "  root: SYS_RAWIO (io), PUBLIC_CHANNEL, CHANNEL_CONNECT(1) (fs_t)" <<<"$output"
	grep -qxF "  non-root: PATHSPACE, PUBLIC_CHANNEL, CHANNEL_CONNECT(3) (fs_nonuser_t)" <<<"$output"
}

@test "secpol -v: one line, nothing else" {
	need_manpage
	secpol_ok -v -i fx.bin
	expect_text "$output" "fx.bin: valid policy 0x00000042, immutable, 4 types"
	secpol_ok -v -i manpage.bin
	expect_text "$output" "manpage.bin: valid policy 0x00000001, mutable, 4 types"
	# -v with -c: the line, then the dump
	secpol_ok -v -c -i fx.bin
	expect_text "$output" "fx.bin: valid policy 0x00000042, immutable, 4 types
$FX_DUMP"
}

@test "secpol -d: the file structure" {
	local size
	need_manpage
	size=$(stat -c %s fx.bin)
	secpol_ok -d -i fx.bin
	expect_text "${lines[0]}" "magic SPOLBIN, version 2, header 40 bytes, file $size bytes"
	[[ ${lines[1]} =~ ^flags\ 0x0\ \(immutable\),\ policy\ id\ 0x00000042,\ checksum\ 0x[0-9a-f]{8}\ \(valid\)$ ]] ||
		die "${lines[1]}"
	# the sections this policy needs, in the file's order
	expect_text "$(cut -d' ' -f2 <<<"${output}" | tail -n +3 | sort | tr '\n' ' ')" "ABIL ATTR DRVT GRNT RULE STRS TATR TYPE "
	grep -qE '^section TYPE offset 0x[0-9a-f]+ size 64 count 4$' <<<"$output"
	grep -qE '^section RULE offset 0x[0-9a-f]+ size 64 count 4$' <<<"$output"
	grep -qE '^section DRVT offset 0x[0-9a-f]+ size 32 count 2$' <<<"$output"
	# -d alone does not dump the contents; -d -v shows both lines
	! grep -q '^type ' <<<"$output"
	secpol_ok -d -v -i fx.bin
	expect_text "${lines[0]}" "fx.bin: valid policy 0x00000042, immutable, 4 types"
	expect_text "${lines[1]}" "magic SPOLBIN, version 2, header 40 bytes, file $size bytes"
	secpol_ok -d -i manpage.bin
	grep -qE '^flags 0x1 \(mutable\), policy id 0x00000001, ' <<<"$output"
}

@test "secpol -t: one type" {
	secpol_ok -t fs_user_t -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type fs_user_t (2)
  root: CHOWN, SYS_RAWIO (io), PUBLIC_CHANNEL
  non-root: CHOWN, SYS_RAWIO (io), PUBLIC_CHANNEL"
	secpol_ok -t default -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type default (0)
  root: PUBLIC_CHANNEL
  non-root: PUBLIC_CHANNEL"
}

@test "secpol -t: unknown types, with a suggestion when one is close" {
	secpol_err 1 "secpol: error: unknown type 'fs_tt'; did you mean 'fs_t'?" -t fs_tt -i fx.bin
	secpol_err 1 "secpol: error: unknown type 'FS_USER_T'; did you mean 'fs_user_t'?" -t FS_USER_T -i fx.bin
	secpol_err 1 "secpol: error: unknown type 'webserver_t'" -t webserver_t -i fx.bin
	# an attribute is not a type
	secpol_err 1 "secpol: error: unknown type 'net'" -t net -i fx.bin
}

@test "secpol -a: only the types that have the ability, only it" {
	need_manpage
	secpol_ok -a io -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type fs_t (1), attributes net
  root: SYS_RAWIO (io)
  non-root: (none)

type fs_user_t (2)
  root: SYS_RAWIO (io)
  non-root: SYS_RAWIO (io)"
	# the Linux name and any case work the same
	secpol_ok -a SYS_RAWIO -i fx.bin
	local io=$output
	secpol_ok -a sys_rawio -i fx.bin
	expect_text "$output" "$io"
	secpol_ok -a vendor/reset -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type fs_t (1), attributes net
  root: vendor/reset
  non-root: (none)"
	# type-valued grants show the type names
	secpol_ok -a channel_connect -t fs_user_t -i manpage.bin
	expect_text "$output" "policy 0x00000001, mutable, 4 types

type fs_user_t (2)
  root: CHANNEL_CONNECT(1) (fs_t)
  non-root: CHANNEL_CONNECT(1) (fs_t)"
	# an ability nobody has: no types
	secpol_ok -a sys_admin -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types"
}

@test "secpol -a: unknown abilities" {
	secpol_err 1 "secpol: error: unknown ability 'pathspce'; did you mean 'pathspace'?" -a pathspce -i fx.bin
	secpol_err 1 "secpol: error: unknown ability 'vendor/other'" -a vendor/other -i fx.bin
	# a QNX ability without a Linux meaning is in no policy
	secpol_err 1 "secpol: error: unknown ability 'rsrcdbmgr'" -a rsrcdbmgr -i fx.bin
}

@test "secpol -f: each filter shows only its part" {
	secpol_ok -f abilities -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types
ability vendor/reset

type default (0)
  root: PUBLIC_CHANNEL
  non-root: PUBLIC_CHANNEL

type fs_t (1)
  root: SYS_RAWIO (io), PATHSPACE, PUBLIC_CHANNEL, vendor/reset
  non-root: PATHSPACE, PUBLIC_CHANNEL

type fs_user_t (2)
  root: CHOWN, SYS_RAWIO (io), PUBLIC_CHANNEL
  non-root: CHOWN, SYS_RAWIO (io), PUBLIC_CHANNEL

type ln_t (3)
  root: PATHSPACE, PUBLIC_CHANNEL
  non-root: PATHSPACE, PUBLIC_CHANNEL"
	secpol_ok -f attach -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type default (0)

type fs_t (1)
  attach /dev/fsF*
  attach /
  attach /srv -> ln_t

type fs_user_t (2)

type ln_t (3)"
	secpol_ok -f link -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type default (0)

type fs_t (1)

type fs_user_t (2)

type ln_t (3)
  link /tmp/libc*"
	secpol_ok -f derive -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type default (0)

type fs_t (1)
  derive low -> ln_t
  derive run -> fs_user_t

type fs_user_t (2)

type ln_t (3)"
	secpol_ok -f attributes -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type default (0)

type fs_t (1), attributes net

type fs_user_t (2)

type ln_t (3), attributes net"
	secpol_ok -f all -i fx.bin
	expect_text "$output" "$FX_DUMP"
	secpol_ok -f abilities,attach,link,derive,attributes -i fx.bin
	expect_text "$output" "$FX_DUMP"
}

@test "secpol -f: combined with each other and with -t" {
	secpol_ok -f attach,link -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type default (0)

type fs_t (1)
  attach /dev/fsF*
  attach /
  attach /srv -> ln_t

type fs_user_t (2)

type ln_t (3)
  link /tmp/libc*"
	# repeated -f: the last one counts
	secpol_ok -f attach -f link -t ln_t -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type ln_t (3)
  link /tmp/libc*"
	secpol_ok -t fs_t -f derive -i fx.bin
	expect_text "$output" "policy 0x00000042, immutable, 4 types

type fs_t (1)
  derive low -> ln_t
  derive run -> fs_user_t"
	# a filter asks for the contents even with -v
	secpol_ok -v -f link -t ln_t -i fx.bin
	expect_text "$output" "fx.bin: valid policy 0x00000042, immutable, 4 types
policy 0x00000042, immutable, 4 types

type ln_t (3)
  link /tmp/libc*"
}

@test "secpol: SECPOL_POLICY names the default policy" {
	need_manpage
	SECPOL_POLICY=fx.bin run --separate-stderr "$SECPOL" -v
	expect_status 0
	expect_text "$output" "fx.bin: valid policy 0x00000042, immutable, 4 types"
	# -i wins over it
	SECPOL_POLICY=fx.bin run --separate-stderr "$SECPOL" -v -i manpage.bin
	expect_text "$output" "manpage.bin: valid policy 0x00000001, mutable, 4 types"
	SECPOL_POLICY=$PWD/none.bin run --separate-stderr "$SECPOL" -v
	expect_status 1
	expect_text "$stderr" "secpol: error: $PWD/none.bin: no such file"
}

@test "secpol: missing policy file (exit 1)" {
	secpol_err 1 "secpol: error: none.bin: no such file" -i none.bin
	secpol_err 1 "secpol: error: none.bin: no such file" -v -i none.bin
	secpol_err 1 "secpol: error: none.bin: no such file" -d -i none.bin
}

@test "secpol: corrupted, truncated and foreign files are refused (exit 1)" {
	local size sum
	size=$(stat -c %s fx.bin)
	# one byte changed in the body
	cp fx.bin flip.bin
	printf '\xff' | dd of=flip.bin bs=1 seek=100 conv=notrunc status=none
	run --separate-stderr "$SECPOL" -i flip.bin
	expect_status 1
	expect_text "$output" ""
	[[ $stderr =~ ^secpol:\ error:\ flip\.bin:\ invalid\ policy:\ checksum\ mismatch:\ file\ says\ 0x[0-9a-f]{8},\ content\ is\ 0x[0-9a-f]{8}$ ]] ||
		die "$stderr"
	# -v and -d refuse it too
	run --separate-stderr "$SECPOL" -v -i flip.bin
	expect_status 1
	expect_text "$output" ""
	run --separate-stderr "$SECPOL" -d -i flip.bin
	expect_status 1
	expect_text "$output" ""
	# truncated
	head -c 200 fx.bin >trunc.bin
	secpol_err 1 "secpol: error: trunc.bin: invalid policy: header: file_size is $size but the file has 200 bytes (truncated or padded)" -i trunc.bin
	head -c 39 fx.bin >short.bin
	secpol_err 1 "secpol: error: short.bin: invalid policy: file is 39 bytes, shorter than the 40-byte header" -v -i short.bin
	: >empty.bin
	secpol_err 1 "secpol: error: empty.bin: invalid policy: file is 0 bytes, shorter than the 40-byte header" -i empty.bin
	# padded
	{ cat fx.bin; printf '\0'; } >padded.bin
	secpol_err 1 "secpol: error: padded.bin: invalid policy: header: file_size is $size but the file has $((size + 1)) bytes (truncated or padded)" -i padded.bin
	# not a policy at all: a policy text, another magic, another version
	cp "$BATS_FILE_TMPDIR/fx.sp" .
	secpol_err 1 "secpol: error: fx.sp: invalid policy: this is policy text, not a binary policy; compile it first: secpolcompile -o fx.bin fx.sp" -i fx.sp
	cp fx.bin magic.bin
	printf 'X' | dd of=magic.bin bs=1 seek=0 conv=notrunc status=none
	secpol_err 1 "secpol: error: magic.bin: invalid policy: not a secpol binary policy (bad magic)" -i magic.bin
	cp fx.bin version.bin
	printf '\x03' | dd of=version.bin bs=1 seek=8 conv=notrunc status=none
	secpol_err 1 "secpol: error: version.bin: invalid policy: version 3 is not supported (this build reads versions 1 to 2)" -i version.bin
}

@test "secpol -i FILE.sp: policy text is named as such, with the command that compiles it" {
	local msg="invalid policy: this is policy text, not a binary policy; compile it first: secpolcompile"
	# shorter than the header, and a whole policy; the suggestion works
	printf 'type a_t;\n' >short.sp
	secpol_err 1 "secpol: error: short.sp: $msg -o short.bin short.sp" -i short.sp
	secpol_err 1 "secpol: error: short.sp: $msg -o short.bin short.sp" -c -t a_t -i short.sp
	cp "$REPO/examples/policies/manpage.sp" .
	secpol_err 1 "secpol: error: manpage.sp: $msg -o manpage.bin manpage.sp" -v -i manpage.sp
	"$SECPOLCOMPILE" -o manpage.bin manpage.sp 2>/dev/null
	secpol_ok -v -i manpage.bin
	# UTF-8 in a comment is text too; a name without .sp gets .bin added
	printf '# caf\xc3\xa9\ntype a_t;\n' >policy.txt
	secpol_err 1 "secpol: error: policy.txt: $msg -o policy.txt.bin policy.txt" -i policy.txt
	# a path the shell would split is quoted
	cp short.sp "my policy.sp"
	secpol_err 1 "secpol: error: my policy.sp: $msg -o 'my policy.bin' 'my policy.sp'" -i "my policy.sp"
	# binary that is not a policy is not called text
	printf 'type a_t;\0\n' >nul.sp
	secpol_err 1 "secpol: error: nul.sp: invalid policy: file is 11 bytes, shorter than the 40-byte header" -i nul.sp
	head -c 64 /dev/zero >zero.bin
	secpol_err 1 "secpol: error: zero.bin: invalid policy: not a secpol binary policy (bad magic)" -i zero.bin
}

@test "secpol: random bytes in every position never crash it" {
	local i off size
	size=$(stat -c %s fx.bin)
	for i in $(seq 1 60); do
		off=$(( (i * 7919) % size ))
		cp fx.bin r.bin
		printf "\\x$(printf %02x $(( (i * 37) % 256 )))" | dd of=r.bin bs=1 seek="$off" conv=notrunc status=none
		run --separate-stderr "$SECPOL" -d -v -c -i r.bin
		no_crash
		[ "$status" -eq 0 ] || [ "$status" -eq 1 ] || die "offset $off: status $status"
		if [ "$status" -eq 1 ]; then
			[[ $stderr == "secpol: error: r.bin: invalid policy: "* ]] || die "offset $off: $stderr"
		fi
	done
}

# literal_block FILE N: the Nth .Bd -literal block of the whole page.
literal_block() {
	awk -v n="$2" '/^\.Bd -literal/{k++; on = (k == n); next} on && /^\.Ed/{on = 0} on' "$1"
}

# section_block FILE SECTION N: the Nth .Bd -literal block of a section.
section_block() {
	awk -v s="$2" -v n="$3" '/^\.Sh /{in_s = ($2 == s)} in_s && /^\.Bd -literal/{k++; on = (k == n); next}
		on && /^\.Ed/{on = 0} on' "$1"
}

@test "secpol(1): the examples are true" {
	local man=$REPO/docs/man/secpol.1
	need_manpage
	"$SECPOLCOMPILE" -p 1 -o secpol.bin "$REPO/examples/policies/manpage.sp" 2>/dev/null
	"$SECPOLCOMPILE" -p 0x2a -o 2a.bin "$REPO/examples/policies/manpage.sp" 2>/dev/null
	# the -d output shown under OUTPUT (its block 2)
	diff -u <(section_block "$man" OUTPUT 2) <("$SECPOL" -d -i 2a.bin)
	# the dump shown under EXAMPLES (its block 1)
	diff -u <(section_block "$man" EXAMPLES 1 | tail -n +3) <("$SECPOL" -i secpol.bin)
	# the -v line
	section_block "$man" EXAMPLES 4 | grep -qxF "$("$SECPOL" -v -i secpol.bin)"
	# the checksum message under DIAGNOSTICS
	mkdir c
	cp 2a.bin c/secpol.bin
	printf '\xff' | dd of=c/secpol.bin bs=1 seek=300 conv=notrunc status=none
	run --separate-stderr sh -c 'cd c && exec "$0" -i secpol.bin' "$SECPOL"
	expect_status 1
	expect_text "$(section_block "$man" DIAGNOSTICS 1 | head -n 2 | paste -sd ' ')" "$stderr"
}

# ---- names for shell completion, and finding secpold (issues 11 and 12) ----

@test "secpol --list-types: the policy's type names, one per line" {
	secpol_ok --list-types -i fx.bin
	expect_text "$output" "default
fs_t
fs_user_t
ln_t"
	# without -i: the running secpold's copy in the run directory first ...
	need_manpage
	mkdir run
	cp manpage.bin run/policy.bin
	SECPOL_RUNDIR=$PWD/run SECPOL_POLICY=$PWD/fx.bin run --separate-stderr "$SECPOL" --list-types
	expect_status 0
	expect_text "$output" "default
fs_t
fs_user_t
fs_nonuser_t"
	# ... else $SECPOL_POLICY
	SECPOL_RUNDIR=$PWD/none SECPOL_POLICY=$PWD/fx.bin run --separate-stderr "$SECPOL" --list-types
	expect_status 0
	expect_text "${lines[1]}" "fs_t"
	SECPOL_RUNDIR=$PWD/none SECPOL_POLICY=$PWD/none.bin run --separate-stderr "$SECPOL" --list-types
	expect_status 1
	expect_text "$stderr" "secpol: error: $PWD/none.bin: no such file"
	cp "$BATS_FILE_TMPDIR/fx.sp" .
	secpol_err 1 "secpol: error: fx.sp: invalid policy: this is policy text, not a binary policy; compile it first: secpolcompile -o fx.bin fx.sp" --list-types -i fx.sp
}

@test "secpol --list-abilities: every name -a takes, and the policy's custom abilities" {
	secpol_ok --list-abilities -i fx.bin
	local names=$output n
	# capabilities, secpol abilities, QNX aliases, the custom one
	for n in chown net_bind_service sys_admin pathspace public_channel \
		channel_connect settypeid io mac_policy vendor/reset; do
		grep -qxF "$n" <<<"$names" || die "'$n' is missing" "$names"
	done
	# each name is one -a takes
	while IFS= read -r n; do
		run --separate-stderr "$SECPOL" -a "$n" -i fx.bin
		[ "$status" -eq 0 ] || die "secpol -a $n: status $status: $stderr"
	done <<<"$names"
	# no policy to read: the built-in names, still status 0
	SECPOL_RUNDIR=$PWD/none SECPOL_POLICY=$PWD/none.bin run --separate-stderr "$SECPOL" --list-abilities
	expect_status 0
	grep -qxF chown <<<"$output"
	! grep -q / <<<"$output" || die "custom abilities without a policy: $output"
	# a named policy must be there
	secpol_err 1 "secpol: error: none.bin: no such file" --list-abilities -i none.bin
}

# fake_secpold DIR SCRIPT: an executable DIR/secpold running SCRIPT (sh)
fake_secpold() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$1/secpold"
	chmod +x "$1/secpold"
}

# An installed layout: PREFIX/bin/secpol (a copy: secpol finds itself
# through /proc/self/exe, which a symbolic link would resolve), and a
# PATH without any secpold.
install_layout() {
	mkdir -p inst/bin
	cp "$SECPOL" inst/bin/secpol
}

# push_alone: secpol -p as a user whose PATH has no sbin, with a run
# directory where nothing runs.
push_alone() {
	SECPOL_RUNDIR=$PWD/run PATH=/usr/bin:/bin run --separate-stderr inst/bin/secpol -p -i fx.bin
	no_crash
}

@test "secpol -p finds secpold in ../sbin when sbin is not on PATH, and passes its messages on" {
	install_layout
	fake_secpold inst/sbin 'echo "$0 $*" >"${0%/*}/ran"; echo "secpold: ready: fake" >&2'
	push_alone
	expect_status 0
	expect_text "$output" "secpol: started secpold for $PWD/run with fx.bin"
	expect_text "$stderr" "secpold: ready: fake"
	expect_text "$(cat inst/sbin/ran)" "$PWD/inst/bin/../sbin/secpold -i fx.bin"
	# one beside secpol (a build tree) comes first
	fake_secpold inst/bin 'echo beside >"${0%/*}/ran"'
	push_alone
	expect_status 0
	expect_text "$(cat inst/bin/ran)" "beside"
}

@test "secpol -p: a secpold that fails to start is reported with its own message" {
	install_layout
	fake_secpold inst/sbin 'echo "secpold: warning: something odd" >&2
echo "secpold: error: secpold is already running for /x (pid 7)" >&2; exit 1'
	push_alone
	expect_status 1
	expect_text "$output" ""
	expect_text "$stderr" "secpold: warning: something odd
secpol: error: cannot start secpold: secpold is already running for /x (pid 7)"
	# silent failures say how it ended, not "see its messages above"
	fake_secpold inst/sbin 'exit 3'
	push_alone
	expect_status 1
	expect_text "$stderr" "secpol: error: cannot start secpold ($PWD/inst/bin/../sbin/secpold): it exited with status 3 without saying why"
	fake_secpold inst/sbin 'kill -KILL $$'
	push_alone
	expect_status 1
	expect_text "$stderr" "secpol: error: cannot start secpold ($PWD/inst/bin/../sbin/secpold): it was killed by signal 9 (Killed)"
	# its message is escaped like every message from elsewhere
	fake_secpold inst/sbin 'printf "secpold: error: bad\033[31m\n" >&2; exit 1'
	push_alone
	expect_status 1
	expect_text "$stderr" 'secpol: error: cannot start secpold: bad\033[31m'
}

@test "secpol -p: no secpold anywhere is a clear error" {
	install_layout
	# (the prefix this secpol was built for must not have one either)
	[ ! -e /usr/local/sbin/secpold ] || skip "/usr/local/sbin/secpold exists on this machine"
	push_alone
	expect_status 1
	expect_text "$stderr" "secpol: error: cannot start secpold: not found beside secpol, in its ../sbin, in /usr/local/sbin or on \$PATH"
}
