#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install the Debian packages needed to build and test secpol.
# Idempotent and silent when everything is already installed, so that
# `make`, `make check` and `make demo` can run it every time.
set -eu

# package:probe pairs; the probe is a file or command the package provides.
# Probing files is much faster than asking dpkg about each package.
needs="
libbpf-dev:/usr/include/bpf/libbpf.h
bpftool:bpftool
libseccomp-dev:/usr/include/seccomp.h
libcap-dev:/usr/include/sys/capability.h
libsystemd-dev:/usr/include/systemd/sd-daemon.h
libcmocka-dev:/usr/include/cmocka.h
zlib1g-dev:/usr/include/zlib.h
libyajl-dev:/usr/include/yajl/yajl_parse.h
graphviz:dot
clang:clang
llvm:llvm-strip
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
pkg-config:pkg-config
bats:bats
bash-completion:/usr/share/bash-completion/bash_completion
jq:jq
make:make
gcc:gcc
debhelper:dh
dpkg-dev:dpkg-buildpackage
lintian:lintian
systemd:systemd-analyze
man-db:man
"

missing=""
for pair in $needs; do
	pkg=${pair%%:*}
	probe=${pair#*:}
	case "$probe" in
	/*) [ -e "$probe" ] && continue ;;
	*) PATH="$PATH:/usr/sbin:/sbin" command -v "$probe" >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing" >&2
	echo "deps.sh: run as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi

echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet: update once, then retry.
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/secpol-deps.log 2>&1; then
	apt-get update -q >>/tmp/secpol-deps.log 2>&1 || true
	if ! apt-get install -y -q --no-install-recommends $missing >>/tmp/secpol-deps.log 2>&1; then
		echo "deps.sh: apt-get install failed; see /tmp/secpol-deps.log" >&2
		tail -n 20 /tmp/secpol-deps.log >&2
		exit 1
	fi
fi
