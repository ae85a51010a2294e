#!/usr/bin/env bats
# What a typed process can still move itself: its Landlock domain (issue 8,
# holes 3, 4 and 10; docs/design.md "What the process itself can still
# move").  secpold makes sockets and links at allowed names; the process
# must not rename or link them, or a directory holding them, anywhere
# else, nor rename a socket over another service's name.  policies/
# landlock.sp, plus generated types with many long and very many rules.
#
# Each sequence runs in one typed process (`typed TYPE SCRIPT`: sh -c
# SCRIPT with $1 = sptest and $2 = the scratch directory), so a directory
# it makes itself is made after its domain.

load helpers

setup_file() {
	spt_require || return 1
	spt_dirs
	local long i
	# 90 rule directories of 200 bytes: more than a 16 KiB control
	# message holds (hole 4)
	long=$(printf 'm%.0s' $(seq 1 $((192 - ${#SCRATCH}))))
	{
		sed "s|@S@|$SCRATCH|g" "$POLICIES/landlock.sp"
		for i in $(seq -w 1 90); do
			echo "allow_attach many_t $SCRATCH/many/$long$i/...;"
			mkdir -p "$SCRATCH/many/$long$i"
		done
		# one rule more than on builds a domain from
		echo "allow_attach big_t {"
		seq -f "$SCRATCH/big/r%g" 0 65535
		echo "};"
		echo "allow_attach big_t $SCRATCH/big/last;"
		cat "$POLICIES/fence.inc"
	} >"$SCRATCH/landlock.sp"
	"$SECPOLCOMPILE" -o "$SCRATCH/landlock.bin" "$SCRATCH/landlock.sp" \
		>"$SCRATCH/landlock.compile" 2>&1 ||
		die "cannot compile the policy:" "$(head "$SCRATCH/landlock.compile")" || return 1
	echo "$SCRATCH/many/${long}01" >"$SCRATCH/many.first"
	echo "$SCRATCH/many/${long}90" >"$SCRATCH/many.last"
	mkdir -p "$SCRATCH"/{free/a,free/b,late/other,h10/sub,pref/d,nest,big,real/app,sv}
	ln -s ../real "$SCRATCH/sv/lnk"
	spd_start "$SCRATCH/landlock.bin"
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	spt_cleanup
}

# typed TYPE SCRIPT [ARG0 [ARG3]]: runs SCRIPT under TYPE with $1 =
# sptest, $2 = the scratch directory; $output has its lines.
typed() {
	run --separate-stderr "$ON" -T "$1" sh -c "$2" "${3:-sh}" "$SPTEST" "$SCRATCH" "${4:-}"
	no_sanitizer
}

# python3 -c "$EXCHANGE" A B: renameat2(A, B, RENAME_EXCHANGE); prints ok
# or the errno name
EXCHANGE='import ctypes, errno, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.renameat2(-100, sys.argv[1].encode(), -100, sys.argv[2].encode(), 2)
print("ok" if r == 0 else errno.errorcode[ctypes.get_errno()])
sys.exit(r != 0)'

# lines OUTPUT: the lines joined by spaces
lines() { xargs <<<"$1"; }

@test "hole 3: a rule directory made after the start gets no rights; nothing bound there moves" {
	# late_t may attach below late/new, which does not exist yet; it
	# makes it, secpold binds there, then it tries to move the socket
	# (and a directory holding one) to the ancestor and beside it
	rm -rf "$SCRATCH/late/new"
	typed late_t '
		mkdir "$2/late/new" "$2/late/new/sub" || exit 9
		"$1" bind "$2/late/new/s"
		"$1" rename "$2/late/new/s" "$2/late/s"
		"$1" rename "$2/late/new/s" "$2/late/other/s"
		"$1" rename "$2/late/new/s" "$2/free/s"
		"$1" link "$2/late/new/s" "$2/late/other/s"
		"$1" bind "$2/late/new/sub/s"
		"$1" rename "$2/late/new/sub" "$2/free/sub"
		"$1" rename "$2/late/new/sub" "$2/late/sub"'
	expect_status 1
	expect_eq "results" "$(lines "$output")" "ok EACCES EACCES EACCES EACCES ok EACCES EACCES"
	[ -S "$SCRATCH/late/new/s" ] || die "the socket moved"
	[ -S "$SCRATCH/late/new/sub/s" ] || die "the directory moved"
	expect_eq "names beside the rule directory" "$(ls -A "$SCRATCH/late" | xargs)" "new other"
	expect_eq "names in late/other" "$(ls -A "$SCRATCH/late/other")" ""
	expect_eq "names in free" "$(ls -A "$SCRATCH/free" | xargs)" "a b"
	rm -rf "$SCRATCH/late/new"
}

@test "hole 3: a neighbour cannot be renamed into a rule directory's name (nor the rule directory away)" {
	# late/other exists at the start, so it may take part in moves
	# across directories: renamed to late/new it would carry that right
	# into the rule directory
	rm -rf "$SCRATCH/late/new"
	typed late_t '
		"$1" rename "$2/late/other" "$2/late/new"
		mkdir "$2/late/new" 2>/dev/null
		"$1" rename "$2/late/new" "$2/late/gone"'
	expect_status 1
	expect_eq "results" "$(lines "$output")" "EACCES EACCES"
	[ -d "$SCRATCH/late/other" ] || die "late/other was renamed"
	rm -rf "$SCRATCH/late/new"
	# a rule directory that exists at the start keeps its name too
	sp_expect EACCES pref_t rename "$SCRATCH/pref/d" "$SCRATCH/pref/e"
	[ -d "$SCRATCH/pref/d" ] || die "the rule directory was renamed"
}

@test "a rule written through a symbolic link: the link replaced by a directory gives no way out" {
	# sv/lnk -> real: a new sv/lnk made by the process must not carry
	# the rights of sv, which would let it move what secpold binds there
	typed symw_t '
		rm "$2/sv/lnk" && mkdir -p "$2/sv/lnk/app/sub" || exit 9
		"$1" bind "$2/sv/lnk/app/sub/s"
		"$1" rename "$2/sv/lnk/app/sub" "$2/free/sub"
		"$1" rename "$2/sv/lnk" "$2/free/lnk"'
	expect_status 1
	expect_eq "results" "$(lines "$output")" "ok EACCES EACCES"
	[ -S "$SCRATCH/sv/lnk/app/sub/s" ] || die "the socket moved"
	expect_eq "names in free" "$(ls -A "$SCRATCH/free" | xargs)" "a b"
	rm -rf "$SCRATCH/sv/lnk"
	ln -s ../real "$SCRATCH/sv/lnk"
}

@test "hole 4: 90 rule directories of 200 bytes are all enforced" {
	local first last
	first=$(cat "$SCRATCH/many.first")
	last=$(cat "$SCRATCH/many.last")
	# (a socket address holds 108 bytes: bound by a name relative to
	# the working directory, which secpold resolves as the kernel would)
	typed many_t '
		cd "$0" || exit 9
		"$1" bind s1 && "$1" rename s1 s2
		"$1" bind s3 && "$1" rename s3 "$2/free/s3"
		cd "$3" || exit 9
		"$1" bind s3 && "$1" rename s3 "$2/free/s3"
		"$1" bind s4 && "$1" rename s4 "$0/s4"
		mkdir sub && "$1" bind sub/s && "$1" rename sub "$2/free/sub"' \
		"$first" "$last"
	expect_status 1
	expect_eq "results" "$(lines "$output")" \
		"ok ok ok EACCES ok EACCES ok EXDEV ok EXDEV"
	[ -S "$first/s2" ] || die "a rename within a rule directory failed"
	[ -S "$first/s3" ] && [ -S "$last/s3" ] && [ -S "$last/s4" ] &&
		[ -S "$last/sub/s" ] || die "a socket moved"
	expect_eq "names in free" "$(ls -A "$SCRATCH/free" | xargs)" "a b"
}

@test "hole 4: a type with more rules than on can confine is refused (126), never run unconfined" {
	on_run big_t touch "$SCRATCH/ran-big"
	expect_status 126
	no_sanitizer
	[[ $stderr == *"too many file-system rules"* ]] || die "unclear error: $stderr"
	[ ! -e "$SCRATCH/ran-big" ] || die "the command ran"
}

@test "hole 10: an exact rule does not let the socket replace an untyped neighbour's" {
	serve_start svc - serve "$SCRATCH/h10/svc.sock"
	local ino
	ino=$(stat -c %i "$SCRATCH/h10/svc.sock")
	typed exact_t '
		"$1" bind "$2/h10/mine.sock"
		"$1" rename "$2/h10/mine.sock" "$2/h10/svc.sock"
		"$1" link "$2/h10/mine.sock" "$2/h10/svc2.sock"
		"$1" rename "$2/h10/mine.sock" "$2/h10/other.sock"
		python3 -c "$3" "$2/h10/mine.sock" "$2/h10/svc.sock"' \
		sh "$EXCHANGE"
	expect_status 1
	expect_eq "results" "$(lines "$output")" "ok EACCES EACCES EACCES EACCES"
	expect_eq "svc.sock's inode" "$(stat -c %i "$SCRATCH/h10/svc.sock")" "$ino"
	expect_eq "names in h10" "$(ls -A "$SCRATCH/h10" | xargs)" "mine.sock sub svc.sock"
	# its clients still reach the untyped server
	run "$SPTEST" connect "$SCRATCH/h10/svc.sock"
	expect_eq "connect to svc.sock" "$output" ok
	expect_eq "connections svc accepted" "$(serve_stop svc)" 1
}

@test "hole 10: a directory holding the type's sockets does not move, within its parent or out" {
	typed exact_t '
		"$1" bind "$2/h10/sub/s"
		"$1" rename "$2/h10/sub" "$2/h10/moved"
		"$1" rename "$2/h10/sub" "$2/free/sub"
		mkdir "$2/h10/sub/in" && "$1" bind "$2/h10/sub/in/s"
		"$1" rename "$2/h10/sub/in" "$2/free/in"'
	expect_status 1
	expect_eq "results" "$(lines "$output")" "ok EACCES EACCES ok EXDEV"
	[ -S "$SCRATCH/h10/sub/s" ] && [ -S "$SCRATCH/h10/sub/in/s" ] || die "a socket moved"
	expect_eq "names in free" "$(ls -A "$SCRATCH/free" | xargs)" "a b"
}

@test "a nested type stacks its domain: the inner exact rule holds inside the outer directory" {
	# outer_t may rename in nest/ (nest/... is its own)
	sp_expect ok outer_t bind-rename "$SCRATCH/nest/o1" "$SCRATCH/nest/o2"
	# inner_t, started by outer_t, has only nest/in.sock
	run --separate-stderr "$ON" -T outer_t "$ON" -T inner_t \
		"$SPTEST" bind-rename "$SCRATCH/nest/in.sock" "$SCRATCH/nest/o3"
	no_sanitizer
	expect_eq "inner rename" "$output" EACCES
	[ -S "$SCRATCH/nest/in.sock" ] && [ ! -e "$SCRATCH/nest/o3" ] || die "the socket moved"
}

@test "a domain that cannot be built stops on with 126 (Landlock stacks at most 16)" {
	# nest_t starts itself again and again: the 17th domain is refused
	cat >"$SCRATCH/nest.sh" <<EOF
#!/bin/sh
echo "\$1" >>"$SCRATCH/nest.depth"
exec "$ON" -T nest_t "\$0" \$((\$1 + 1))
EOF
	chmod 0755 "$SCRATCH/nest.sh"
	run --separate-stderr timeout 120 "$ON" -T nest_t "$SCRATCH/nest.sh" 1
	no_sanitizer
	expect_status 126
	expect_eq "deepest level that ran" "$(tail -n 1 "$SCRATCH/nest.depth")" 16
	[[ $stderr == *"cannot confine $SCRATCH/nest.sh under type nest_t (Landlock)"* ]] ||
		die "unclear error: $stderr"
}

@test "REFER is kept where nothing is protected: regular files move between free directories" {
	local out
	out=$(mktemp -d /tmp/spt-ll.XXXXXX)
	mkdir "$out/a" "$out/b"
	echo x >"$SCRATCH/free/a/f"
	echo y >"$out/a/g"
	typed exact_t '
		"$1" rename "$2/free/a/f" "$2/free/b/f"
		"$1" rename "$2/free/b/f" "'"$out"'/b/f"
		"$1" rename "'"$out"'/a/g" "'"$out"'/b/g"
		mkdir "$2/free/a/d" && "$1" rename "$2/free/a/d" "$2/free/b/d"
		"$1" rename "'"$out"'/b/g" "$2/h10/g"'
	expect_eq "results" "$(lines "$output")" "ok ok ok ok EXDEV"
	expect_eq "names in $out/b" "$(ls -A "$out/b" | xargs)" "f g"
	expect_eq "names in free/b" "$(ls -A "$SCRATCH/free/b" | xargs)" "d"
	rm -rf "$out" "$SCRATCH/free/b/d"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	spt_final_check
}
