#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Builds the Debian package as from a clean checkout: copies the source
# files (git's tracked and new ones; without git, everything but build/)
# to OUTDIR/secpol-VERSION, runs `dpkg-buildpackage -us -uc -b` there, and
# leaves the .deb (and .buildinfo, .changes) in OUTDIR.
#
#   dist/build-deb.sh [OUTDIR]      (default build/deb; `make deb`)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$out/secpol-$version

rm -rf "$src"
mkdir -p "$src"
cd "$top"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# (files deleted in the work tree but still tracked are left out)
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' x |
		grep -zv '^build/' |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build -cf - . | tar -xf - -C "$src"
fi
rm -f "$out"/secpol_"$version"_*.deb "$out"/secpol-dbgsym_"$version"_*.deb
cd "$src"
echo "build-deb.sh: dpkg-buildpackage in $src (log: $out/build.log)" >&2
if ! dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	echo "build-deb.sh: dpkg-buildpackage failed; see $out/build.log" >&2
	exit 1
fi
ls "$out"/secpol_"$version"_*.deb
