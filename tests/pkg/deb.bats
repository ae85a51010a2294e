#!/usr/bin/env bats
# The Debian package (issue 11, 2): dpkg-buildpackage builds it from the
# tracked files (dist/build-deb.sh, as `make deb`), lintian finds no error
# or warning, and it installs into a scratch root, runs from there, and
# is removed and purged without a trace.  The root is a dpkg database of
# its own (dpkg --root); maintainer scripts run outside a chroot with
# $DPKG_ROOT set, as Debian's helpers support, so nothing touches the
# machine's own systemd or dpkg state.
load ../cli/helpers

BUILD=${BUILD:-build}
DEB_OUT=$BATS_FILE_TMPDIR/deb

setup_file() {
	"$REPO/dist/build-deb.sh" "$DEB_OUT" >"$BATS_FILE_TMPDIR/build-deb.out" 2>&1 ||
		die "the package did not build:" "$(tail -n 40 "$BATS_FILE_TMPDIR/build-deb.out")"
}

version() {
	sed -n 's/^#define SECPOL_VERSION "\(.*\)"$/\1/p' "$REPO/src/common/version.h"
}

deb() {
	printf '%s\n' "$DEB_OUT/secpol_$(version)_amd64.deb"
}

# The programs the build makes (build/bin): every one must be packaged.
programs() {
	(cd "$REPO/$BUILD/bin" && ls)
}

# dpkg in the scratch root R.
rdpkg() {
	dpkg --root="$R" --force-script-chrootless --force-depends \
		--log="$R/var/log/dpkg.log" "$@"
}

new_root() {
	R=$BATS_TEST_TMPDIR/root
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/log"
	: >"$R/var/lib/dpkg/status"
}

# Files (not directories) in R outside dpkg's own state.
root_files() {
	(cd "$R" && find . ! -type d ! -path './var/lib/dpkg/*' ! -path ./var/log/dpkg.log | sort)
}

@test "deb: built from a clean checkout, with the project's version" {
	[ -f "$(deb)" ] || die "no $(deb):" "$(ls "$DEB_OUT")"
	expect_text "$(dpkg-deb -f "$(deb)" Package Version Architecture)" "Package: secpol
Version: $(version)
Architecture: amd64"
	expect_text "$(dpkg-parsechangelog -l "$REPO/debian/changelog" -S Version)" "$(version)"
	# shared libraries found by dpkg-shlibdeps
	local dep
	dep=$(dpkg-deb -f "$(deb)" Depends)
	for lib in libbpf1 libseccomp2 libcap2 libsystemd0; do
		[[ $dep == *"$lib"* ]] || die "Depends lacks $lib: $dep"
	done
	# the build used only tracked (or new) files: no build tree was
	# copied in (the package builds no sanitizer build of its own)
	[ -d "$DEB_OUT/secpol-$(version)/build/bin" ] || die "no build in the copy"
	[ ! -e "$DEB_OUT/secpol-$(version)/build/asan" ] || die "the build tree was copied in"
}

@test "deb: lintian reports no error and no warning" {
	run --separate-stderr lintian --fail-on error,warning "$(deb)"
	[ "$status" -eq 0 ] || die "lintian (status $status):" "$output" "$stderr"
	! grep -E '^[EW]: ' <<<"$output" || die "lintian:" "$output"
}

@test "deb: the programs, a man page and a completion for each, the unit, the examples; no policy in force" {
	local list p
	list=$(dpkg-deb -c "$(deb)" | awk '{print $6}' | sed 's|^\./|/|')
	has() { grep -qxF -- "$1" <<<"$list" || die "the package lacks $1" "$list"; }
	for p in $(programs); do
		if [ "$p" = secpold ]; then
			has /usr/sbin/secpold
			has /usr/share/man/man8/secpold.8.gz
		else
			has "/usr/bin/$p"
			has "/usr/share/man/man1/$p.1.gz"
		fi
		has "/usr/share/bash-completion/completions/$p"
	done
	has /lib/systemd/system/secpold.service
	has /usr/share/doc/secpol/examples/manpage.sp
	has /usr/share/doc/secpol/examples/secpol-type.conf
	has /usr/share/doc/secpol/copyright
	has /etc/secpol/
	# nothing under /etc but the empty directory: no policy is enabled
	expect_text "$(grep '^/etc/' <<<"$list")" "/etc/
/etc/secpol/"
	# (the -dbgsym package is built beside it)
	ls "$DEB_OUT"/secpol-dbgsym_*.deb >/dev/null
}

@test "deb: installs into a scratch root, its programs run, the unit is enabled and valid; removed and purged cleanly" {
	new_root
	run rdpkg -i "$(deb)"
	[ "$status" -eq 0 ] || die "dpkg -i (status $status):" "$output"
	# the programs run from the root
	run "$R/usr/bin/secpol" --version
	expect_status 0
	expect_text "${lines[0]}" "secpol (secpol) $(version)"
	run "$R/usr/sbin/secpold" --version
	expect_status 0
	run "$R/usr/bin/secpolcompile" -o "$BATS_TEST_TMPDIR/m.bin" "$R/usr/share/doc/secpol/examples/manpage.sp"
	expect_status 0
	run "$R/usr/bin/secpol" -v -i "$BATS_TEST_TMPDIR/m.bin"
	expect_status 0
	# the unit: enabled in the root (not on this machine), verified there
	expect_text "$(readlink "$R/etc/systemd/system/multi-user.target.wants/secpold.service")" \
		/lib/systemd/system/secpold.service
	[ ! -e /etc/systemd/system/multi-user.target.wants/secpold.service ] ||
		die "the machine's own systemd was changed"
	local v=$BATS_TEST_TMPDIR/verify
	cp -a "$R" "$v"
	cp -rn /lib/systemd/system/. "$v/lib/systemd/system/" 2>/dev/null || true
	run env MANPATH="$v/usr/share/man" systemd-analyze verify --root="$v" secpold.service
	expect_status 0
	expect_text "$output" ""
	# again over itself: the upgrade path of the maintainer scripts
	run rdpkg -i "$(deb)"
	[ "$status" -eq 0 ] || die "reinstall (status $status):" "$output"
	# remove: the package's files go; the service stays enabled until purge
	run rdpkg -r secpol
	[ "$status" -eq 0 ] || die "dpkg -r (status $status):" "$output"
	expect_text "$(root_files | grep -v '/systemd/')" ""
	[ ! -e "$R/usr/sbin/secpold" ] && [ ! -e "$R/etc/secpol" ]
	run rdpkg -P secpol
	[ "$status" -eq 0 ] || die "dpkg -P (status $status):" "$output"
	expect_text "$(root_files)" ""
	expect_text "$(rdpkg -l secpol 2>&1 | tail -n 1)" "dpkg-query: no packages found matching secpol"
}
