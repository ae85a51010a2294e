#!/usr/bin/env bats
# make install (issue 11, 5): everything under DESTDIR/PREFIX as packagers
# expect, the directories overridable, and the installed unit accepted by
# systemd-analyze verify inside the install root.
load ../cli/helpers

BUILD=${BUILD:-build}

# The programs the build makes: build/bin, as make install takes them.
programs() {
	(cd "$REPO/$BUILD/bin" && ls)
}

setup_file() {
	# (make install builds first: nothing to do after make build-check)
	make -s -C "$REPO" install DESTDIR="$BATS_FILE_TMPDIR/local" \
		>"$BATS_FILE_TMPDIR/local.log" 2>&1 ||
		die "make install failed:" "$(cat "$BATS_FILE_TMPDIR/local.log")"
	make -s -C "$REPO" install DESTDIR="$BATS_FILE_TMPDIR/usr" PREFIX=/usr \
		SYSTEMDUNITDIR=/lib/systemd/system >"$BATS_FILE_TMPDIR/usr.log" 2>&1 ||
		die "make install PREFIX=/usr failed:" "$(cat "$BATS_FILE_TMPDIR/usr.log")"
}

@test "make install: programs, man pages, unit, completion and examples under PREFIX (default /usr/local)" {
	local d=$BATS_FILE_TMPDIR/local/usr/local p
	for p in $(programs); do
		if [ "$p" = secpold ]; then
			[ -x "$d/sbin/$p" ] || die "$d/sbin/$p is missing"
			[ -f "$d/share/man/man8/$p.8" ] || die "no man page for $p"
		else
			[ -x "$d/bin/$p" ] || die "$d/bin/$p is missing"
			[ -f "$d/share/man/man1/$p.1" ] || die "no man page for $p"
		fi
		cmp -s "$REPO/$BUILD/bin/$p" "$d/$([ "$p" = secpold ] && echo sbin || echo bin)/$p" ||
			die "$p differs from the build's"
		# a completion for each: the file, or a link to it
		[ -e "$d/share/bash-completion/completions/$p" ] || die "no completion for $p"
	done
	expect_text "$(readlink "$d/share/bash-completion/completions/on")" secpol
	cmp -s "$REPO/dist/completion/secpol.bash" "$d/share/bash-completion/completions/secpol"
	# the unit names the installed programs
	local unit=$d/lib/systemd/system/secpold.service
	grep -qx "ExecStart=/usr/local/sbin/secpold -f" "$unit" || die "unit: $(grep Exec "$unit")"
	grep -qx "ExecReload=/usr/local/bin/secpol -p" "$unit" || die "unit: $(grep Exec "$unit")"
	! grep -q @ "$unit" || die "a placeholder is left: $(grep @ "$unit")"
	# examples: the man page policy (it compiles) and the drop-in
	"$SECPOLCOMPILE" -o "$BATS_TEST_TMPDIR/x.bin" "$d/share/doc/secpol/examples/manpage.sp" 2>/dev/null
	grep -qx "ExecStart=/usr/local/bin/on -T example_t /usr/sbin/example-daemon --foreground" \
		"$d/share/doc/secpol/examples/secpol-type.conf"
	# modes
	expect_text "$(stat -c %a "$d/sbin/secpold" "$unit" "$d/share/man/man1/secpol.1")" "755
644
644"
	# nothing is installed as a policy in force
	[ ! -e "$BATS_FILE_TMPDIR/local/etc" ] || die "make install wrote to etc: $(find "$BATS_FILE_TMPDIR/local/etc")"
}

@test "make install: PREFIX and SYSTEMDUNITDIR are honoured" {
	local r=$BATS_FILE_TMPDIR/usr
	[ -x "$r/usr/sbin/secpold" ] && [ -x "$r/usr/bin/secpol" ]
	grep -qx "ExecStart=/usr/sbin/secpold -f" "$r/lib/systemd/system/secpold.service"
	[ ! -e "$r/usr/lib/systemd" ] || die "the unit went to the default directory too"
	[ -e "$r/usr/share/bash-completion/completions/secpold" ]
	[ ! -e "$r/usr/local" ] || die "something went to /usr/local"
}

# verify_root ROOT UNIT...: systemd-analyze verify with ROOT as the file
# system (the host's own units beside ours, for the targets they name)
# and ROOT's man pages.  Sets $status, $output (both streams).
verify_root() {
	local root=$1
	shift
	mkdir -p "$root/usr/lib/systemd/system"
	cp -rn /lib/systemd/system/. "$root/usr/lib/systemd/system/" 2>/dev/null || true
	run env MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" "$@"
}

@test "systemd-analyze verify: the installed unit and the drop-in example, without a complaint" {
	command -v systemd-analyze >/dev/null || die "systemd-analyze is missing (scripts/deps.sh installs systemd)"
	local r=$BATS_TEST_TMPDIR/root
	cp -a "$BATS_FILE_TMPDIR/usr" "$r"
	verify_root "$r" secpold.service
	expect_status 0
	expect_text "$output" ""
	# a service with the drop-in
	mkdir -p "$r/etc/systemd/system/example.service.d"
	printf '[Unit]\nDescription=an example\n[Service]\nExecStart=/usr/bin/secpol -h\n' \
		>"$r/etc/systemd/system/example.service"
	cp "$r/usr/share/doc/secpol/examples/secpol-type.conf" "$r/etc/systemd/system/example.service.d/"
	verify_root "$r" example.service
	expect_status 0
	expect_text "$output" ""
	# the check can fail: a key systemd does not know, a program that is not there
	echo "Bogus=1" >>"$r/etc/systemd/system/example.service.d/secpol-type.conf"
	verify_root "$r" example.service
	grep -q "Unknown key 'Bogus'" <<<"$output" || die "verify did not notice:" "$output"
	rm "$r/usr/sbin/secpold"
	verify_root "$r" secpold.service
	[ "$status" -ne 0 ] || die "verify passed without secpold"
}
