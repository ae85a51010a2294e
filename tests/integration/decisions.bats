#!/usr/bin/env bats
# Every decision of SPEC §2 (issue 3, "Decisions"), allowed and refused,
# with the errno the process sees (sptest prints it) and the event a
# monitor prints (SPEC §5; pids shown as N).  One secpold for the file,
# policy policies/decide.sp; each test has its own monitor with -s.

load helpers

setup_file() {
	spt_setup_file decide || return 1
	local d
	for d in srv other dgram self links quiet mnt mnt2 plain srv/rootonly; do
		mkdir -p "$SCRATCH/$d"
	done
	mkdir -p "$SCRATCH/srv/u1234"
	chown 1234:1234 "$SCRATCH/srv/u1234"
}

teardown_file() {
	spt_cleanup
}

# A monitor "m" with -s for each test; stopped by the test after a fence.
setup() {
	mon_start m -s
}

teardown() {
	spt_test_teardown
}

done_monitor() {
	mon_fence m && mon_stop m
}

@test "bind of a path: allowed with a rule, EACCES without one, EPERM without pathspace" {
	mon_start e # errors only
	sp_expect ok srv_t bind "$SCRATCH/srv/a"
	[ -S "$SCRATCH/srv/a" ] || die "the socket was not created"
	sp_expect EACCES srv_t bind "$SCRATCH/other/a"
	[ ! -e "$SCRATCH/other/a" ] || die "a refused bind created its path"
	sp_expect EPERM nopath_t bind "$SCRATCH/srv/b"
	[ ! -e "$SCRATCH/srv/b" ] || die "a refused bind created its path"
	mon_fence m e
	mon_stop m
	mon_stop e
	mon_has m \
		"info: $SPN (pid:N) type srv_t uses ability PATHSPACE as root" \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/a" \
		"error: $SPN (pid:N) of type srv_t failed to attach to path $SCRATCH/other/a: no rule" \
		"error: $SPN (pid:N) type nopath_t lacks ability PATHSPACE as root"
	mon_lacks m "path $SCRATCH/srv/b"
	# without -s: the same errors, no info lines
	mon_has e \
		"error: $SPN (pid:N) of type srv_t failed to attach to path $SCRATCH/other/a: no rule" \
		"error: $SPN (pid:N) type nopath_t lacks ability PATHSPACE as root"
	mon_lacks e '^info:'
}

@test "bind of an abstract name: allowed with a rule, EACCES without one, EPERM without pathspace" {
	local ok=@srv-$SPT_TAG-a no=@nope-$SPT_TAG
	sp_expect ok srv_t bind "$ok"
	sp_expect EACCES srv_t bind "$no"
	sp_expect EPERM nopath_t bind "@srv-$SPT_TAG-b"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) type srv_t uses ability PATHSPACE as root" \
		"info: $SPN (pid:N) of type srv_t attached channel to path $ok" \
		"error: $SPN (pid:N) of type srv_t failed to attach to path $no: no rule" \
		"error: $SPN (pid:N) type nopath_t lacks ability PATHSPACE as root"
	mon_lacks m "srv-$SPT_TAG-b"
}

@test "bind paths are canonicalised in the process's cwd and through symlinked directories" {
	ln -s "$SCRATCH/srv" "$SCRATCH/tosrv"
	ln -s "$SCRATCH/other" "$SCRATCH/srv/toother"
	ln -s "$SCRATCH/other/target" "$SCRATCH/srv/lastlink"
	run --separate-stderr bash -c 'cd "$1" && exec "$2" -T srv_t "$3" bind rel' _ \
		"$SCRATCH/srv" "$ON" "$SPTEST"
	expect_eq "relative bind" "$output" ok
	sp_expect ok srv_t bind "$SCRATCH/other/../srv/dots"
	sp_expect ok srv_t bind "$SCRATCH/tosrv/viasym"
	[ -S "$SCRATCH/srv/viasym" ] || die "no socket at the resolved path"
	# a symlinked directory leading out of the allowed tree
	sp_expect EACCES srv_t bind "$SCRATCH/srv/toother/escape"
	[ ! -e "$SCRATCH/other/escape" ] || die "bind escaped through a symlink"
	# bind never follows a final symlink: the name is taken
	sp_expect EADDRINUSE srv_t bind "$SCRATCH/srv/lastlink"
	[ ! -e "$SCRATCH/other/target" ] || die "bind followed the final symlink"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/rel" \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/dots" \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/viasym" \
		"error: $SPN (pid:N) of type srv_t failed to attach to path $SCRATCH/other/escape: no rule"
}

@test "secpold binds with the process's credentials, not its own" {
	# `on -u` leaks under LeakSanitizer (see on.bats); not what this tests
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
		run --separate-stderr "$ON" -T srv_t -u 1234:1234 "$SPTEST" bind "$SCRATCH/srv/u1234/s"
	expect_eq "bind as 1234 in its own directory" "$output" ok
	expect_eq "owner of the socket" "$(stat -c %u:%g "$SCRATCH/srv/u1234/s")" 1234:1234
	ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0 \
		run --separate-stderr "$ON" -T srv_t -u 1234:1234 "$SPTEST" bind "$SCRATCH/srv/rootonly/s"
	expect_eq "bind as 1234 in root's directory" "$output" EACCES
	[ ! -e "$SCRATCH/srv/rootonly/s" ] || die "secpold bound with its own (root) credentials"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/u1234/s" \
		"info: $SPN (pid:N) type srv_t uses ability PATHSPACE as non-root"
	mon_lacks m "attached channel to path $SCRATCH/srv/rootonly/s"
}

@test "capabilities a process holds in a user namespace of its own are not used for it" {
	# ns_t (root, sys_admin, no dac_override) cannot create in 1234's
	# directory; in a user namespace of its own it holds dac_override
	# there, which secpold must not carry over into acting for it
	sp_expect EACCES ns_t bind "$SCRATCH/srv/u1234/ns"
	sp_expect EACCES ns_t userns-bind "$SCRATCH/srv/u1234/ns"
	[ ! -e "$SCRATCH/srv/u1234/ns" ] || die "secpold bound with the namespace's capabilities"
	sp_expect ok ns_t userns-bind "$SCRATCH/srv/ns"
}

@test "a typed process's own renames and links put no socket or symlink outside its rules" {
	# (outside the scratch directory: srv_t's exact rule @S@/relabel
	# lets it make nodes anywhere in the directory that holds it)
	local out
	out=$(mktemp -d /tmp/spt-out.XXXXXX)
	mkdir -p "$SCRATCH/srv/mv"
	# bound where it may attach, then moved where it may not
	sp_expect EACCES srv_t bind-rename "$SCRATCH/srv/mv/s1" "$out/s1"
	[ -S "$SCRATCH/srv/mv/s1" ] || die "the socket moved"
	# within its directory (srv/... allows every name there); nothing
	# moves across directories below a rule directory (no REFER there)
	sp_expect ok srv_t bind-rename "$SCRATCH/srv/mv/s2" "$SCRATCH/srv/mv/s3"
	sp_expect EXDEV srv_t rename "$SCRATCH/srv/mv/s3" "$SCRATCH/srv/s3"
	sp_expect EACCES srv_t link "$SCRATCH/srv/mv/s3" "$out/s2"
	# symbolic links: only where allow_link covers
	ln -s /nonexistent "$SCRATCH/links/mv"
	sp_expect EACCES link_t rename "$SCRATCH/links/mv" "$out/mv"
	# regular files move freely across directories outside the rule
	# directories, but not into or out of one
	mkdir "$out/sub"
	echo x >"$out/f"
	sp_expect ok srv_t rename "$out/f" "$out/sub/f"
	sp_expect ok srv_t rename "$out/sub/f" "$out/f"
	sp_expect EXDEV srv_t rename "$out/f" "$SCRATCH/srv/mv/f"
	expect_eq "names left in $out" "$(ls -A "$out" | xargs)" "f sub"
	rm -rf "$out"
}

@test "a typed process cannot look into processes outside its domain, even with sys_ptrace" {
	sleep 60 3>&- &
	local outside=$!
	sp_expect EACCES ptrace_t peek "$outside"
	sp_expect EACCES ptrace_t peek "$(spd_pid)"
	# the same without a type (root): allowed
	run "$SPTEST" peek "$outside"
	expect_eq "untyped peek" "$output" ok
	kill "$outside"
	# its own children it may
	run --separate-stderr "$ON" -T ptrace_t sh -c "sleep 5 & $SPTEST peek \$!; kill \$!"
	expect_eq "peek at its own child" "$output" ok
}

@test "relabelled attach: the channel has the new type for connects" {
	serve_start rl srv_t serve "$SCRATCH/relabel"
	sp_expect EPERM cli_t connect "$SCRATCH/relabel"   # cli_t may reach srv_t, not chan_t
	sp_expect ok chancli_t connect "$SCRATCH/relabel"
	expect_eq "connections the server accepted" "$(serve_stop rl)" 1
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/relabel" \
		"error: $SPN (pid:N) type cli_t lacks ability CHANNEL_CONNECT(4) (chan_t) as root" \
		"info: $SPN (pid:N) type chancli_t uses ability CHANNEL_CONNECT(4) (chan_t) as root"
}

@test "connect to a typed channel needs channel_connect for its type" {
	serve_start cp srv_t serve "$SCRATCH/srv/conn"
	serve_start ca srv_t serve "@srv-$SPT_TAG-conn"
	sp_expect EPERM nocli_t connect "$SCRATCH/srv/conn"
	sp_expect ok cli_t connect "$SCRATCH/srv/conn"
	sp_expect EPERM nocli_t connect "@srv-$SPT_TAG-conn"
	sp_expect ok cli_t connect "@srv-$SPT_TAG-conn"
	expect_eq "connections the path server accepted" "$(serve_stop cp)" 1
	expect_eq "connections the abstract server accepted" "$(serve_stop ca)" 1
	done_monitor
	mon_has m \
		"error: $SPN (pid:N) type nocli_t lacks ability CHANNEL_CONNECT(1) (srv_t) as root" \
		"info: $SPN (pid:N) type cli_t uses ability CHANNEL_CONNECT(1) (srv_t) as root"
	expect_eq "refused connects reported" \
		"$(mon_count m "type nocli_t lacks ability CHANNEL_CONNECT\(1\) \(srv_t\) as root")" 2
	expect_eq "allowed connects reported" \
		"$(mon_count m "type cli_t uses ability CHANNEL_CONNECT\(1\) \(srv_t\) as root")" 2
}

@test "connect to an untyped channel needs no ability and reports none" {
	serve_start up - serve "$SCRATCH/plain/conn"
	sp_expect ok nocli_t connect "$SCRATCH/plain/conn"
	expect_eq "connections the server accepted" "$(serve_stop up)" 1
	# a path that is no socket: refused as the kernel would, not let
	# through to be looked at again
	: >"$SCRATCH/plain/file"
	sp_expect ECONNREFUSED nocli_t connect "$SCRATCH/plain/file"
	sp_expect ENOENT nocli_t connect "$SCRATCH/plain/none"
	done_monitor
	mon_lacks m "CHANNEL_CONNECT"
}

@test "a process connects to its own channel without channel_connect" {
	sp_expect ok selfc_t self-connect "$SCRATCH/self/s"
	done_monitor
	mon_has m "info: $SPN (pid:N) of type selfc_t attached channel to path $SCRATCH/self/s"
	mon_lacks m "CHANNEL_CONNECT"
}

@test "sendto and sendmsg to a datagram channel need channel_connect" {
	serve_start dg srv_t dgram-serve "$SCRATCH/dgram/d"
	sp_expect EPERM nocli_t sendto "$SCRATCH/dgram/d"
	sp_expect EPERM nocli_t sendmsg "$SCRATCH/dgram/d"
	sp_expect ok cli_t sendto "$SCRATCH/dgram/d"
	sp_expect ok cli_t sendmsg "$SCRATCH/dgram/d"
	expect_eq "datagrams the server received" "$(serve_stop dg)" 2
	done_monitor
	expect_eq "refused sends reported" \
		"$(mon_count m "^error: $SPN \(pid:N\) type nocli_t lacks ability CHANNEL_CONNECT\(1\) \(srv_t\) as root$")" 2
	expect_eq "allowed sends reported" \
		"$(mon_count m "^info: $SPN \(pid:N\) type cli_t uses ability CHANNEL_CONNECT\(1\) \(srv_t\) as root$")" 2
}

@test "mknod of a FIFO is an attach: rule, no rule, no pathspace, bad op" {
	sp_expect ok srv_t mkfifo "$SCRATCH/srv/fifo"
	[ -p "$SCRATCH/srv/fifo" ] || die "no FIFO"
	sp_expect EACCES srv_t mkfifo "$SCRATCH/other/fifo"
	sp_expect EPERM nopath_t mkfifo "$SCRATCH/srv/fifo2"
	sp_expect EACCES link_t mkfifo "$SCRATCH/links/fifo"
	[ ! -e "$SCRATCH/other/fifo" ] && [ ! -e "$SCRATCH/srv/fifo2" ] &&
		[ ! -e "$SCRATCH/links/fifo" ] || die "a refused mknod created its path"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) of type srv_t attached channel to path $SCRATCH/srv/fifo" \
		"error: $SPN (pid:N) of type srv_t failed to attach to path $SCRATCH/other/fifo: no rule" \
		"error: $SPN (pid:N) type nopath_t lacks ability PATHSPACE as root" \
		"error: $SPN (pid:N) of type link_t failed to attach to path $SCRATCH/links/fifo: bad op"
}

@test "symlink needs allow_link: created link, no rule, bad op, no pathspace" {
	sp_expect ok link_t symlink /target "$SCRATCH/links/l1"
	expect_eq "link target" "$(readlink "$SCRATCH/links/l1")" /target
	sp_expect ok link_t symlinkat /target "$SCRATCH/links" l2
	sp_expect EACCES link_t symlink /target "$SCRATCH/other/l3"
	sp_expect EACCES link_t symlink /target "$SCRATCH/attachonly"
	sp_expect EACCES link_t bind "$SCRATCH/links/sock"
	sp_expect EPERM nopath_t symlink /target "$SCRATCH/links/l4"
	[ ! -e "$SCRATCH/other/l3" ] && [ ! -L "$SCRATCH/attachonly" ] &&
		[ ! -e "$SCRATCH/links/sock" ] && [ ! -L "$SCRATCH/links/l4" ] ||
		die "a refused call created its path"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) of type link_t created link to path $SCRATCH/links/l1" \
		"info: $SPN (pid:N) of type link_t created link to path $SCRATCH/links/l2" \
		"error: $SPN (pid:N) of type link_t failed to attach to path $SCRATCH/other/l3: no rule" \
		"error: $SPN (pid:N) of type link_t failed to attach to path $SCRATCH/attachonly: bad op" \
		"error: $SPN (pid:N) of type link_t failed to attach to path $SCRATCH/links/sock: bad op" \
		"error: $SPN (pid:N) type nopath_t lacks ability PATHSPACE as root"
}

@test "listen needs public_channel (a type with -public_channel gets EPERM)" {
	sp_expect ok srv_t listen "$SCRATCH/srv/lst"
	sp_expect EPERM quiet_t listen "$SCRATCH/quiet/lst"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) type srv_t uses ability PUBLIC_CHANNEL as root" \
		"error: $SPN (pid:N) type quiet_t lacks ability PUBLIC_CHANNEL as root"
}

@test "setuid and setgid are decided against their subranges, one event per check" {
	sp_expect ok ids_t setuid 1500
	sp_expect EPERM ids_t setuid 3000
	sp_expect ok ids_t setgid 6
	sp_expect EPERM ids_t setgid 7
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) type ids_t uses ability SETUID(1500) as root" \
		"error: $SPN (pid:N) type ids_t lacks ability SETUID(3000) as root" \
		"info: $SPN (pid:N) type ids_t uses ability SETGID(6) as root" \
		"error: $SPN (pid:N) type ids_t lacks ability SETGID(7) as root"
	# the kernel's own check of CAP_SETUID/CAP_SETGID in the same calls is
	# the same check: no second (valueless) event
	expect_eq "SETUID/SETGID events" "$(mon_count m 'type ids_t .* SET[UG]ID')" 4
	mon_lacks m 'SET[UG]ID as '
}

@test "setgroups under a setgid subrange may only clear the list" {
	# the list is in memory another thread can rewrite after a check
	sp_expect EPERM ids_t setgroups 6
	sp_expect ok ids_t setgroups
	# without a subrange the kernel decides (admin_t lacks setgid)
	sp_expect EPERM admin_t setgroups 6
	done_monitor
	mon_has m "error: $SPN (pid:N) type ids_t lacks ability SETGID as root"
	grep -q "refused setgroups of [0-9]* with 1 groups: a setgid subrange allows only clearing the list" \
		"$SECPOL_RUNDIR/secpold.log" || die "no log line for the refusal"
}

@test "net_bind_service with a port subrange: 443 allowed, 80 refused (127.0.0.1)" {
	sp_expect ok web_t bind-port 443
	sp_expect EPERM web_t bind-port 80
	sp_expect ok web_t bind-port 8080 # unprivileged: no ability needed
	# the other spellings of a port the kernel accepts: AF_UNSPEC for
	# IPv4, the 24-byte RFC 2133 address for IPv6
	sp_expect EPERM web_t bind-port-unspec 80
	sp_expect EPERM web_t bind-port6-short 80
	sp_expect ok web_t bind-port-unspec 443
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) type web_t uses ability NET_BIND_SERVICE(443) as root" \
		"error: $SPN (pid:N) type web_t lacks ability NET_BIND_SERVICE(80) as root"
	expect_eq "NET_BIND_SERVICE events" "$(mon_count m 'type web_t .*NET_BIND_SERVICE')" 5
}

@test "io_uring is refused (EPERM) unless the type has io_uring: setup, and a ring passed in" {
	run "$SPTEST" io_uring
	[ "$output" == ok ] || skip "io_uring is not available on this kernel ($output)"
	sp_expect EPERM nopath_t io_uring
	sp_expect ok uring_t io_uring
	# a ring set up elsewhere and passed in is refused as well
	local t
	for t in nopath_t uring_t; do
		run --separate-stderr "$SPTEST" with-ring "$ON" -T $t "$SPTEST" io_uring-enter 3
		no_sanitizer
		echo "$t:$output" >>"$SCRATCH/ring.out"
	done
	expect_eq "io_uring_enter on an inherited ring" "$(cat "$SCRATCH/ring.out")" \
		"nopath_t:EPERM"$'\n'"uring_t:ok"
	done_monitor
	mon_has m \
		"error: $SPN (pid:N) type nopath_t lacks ability IO_URING as root" \
		"info: $SPN (pid:N) type uring_t uses ability IO_URING as root"
}

@test "the new mount API is refused (ENOSYS) unless the type has mount_api" {
	sp_expect ENOSYS nopath_t fsopen
	sp_expect ENOSYS admin_t fsopen # sys_admin alone does not open it
	sp_expect ok mnt_t fsopen
	done_monitor
	mon_has m \
		"error: $SPN (pid:N) type nopath_t lacks ability MOUNT_API as root" \
		"error: $SPN (pid:N) type admin_t lacks ability MOUNT_API as root" \
		"info: $SPN (pid:N) type mnt_t uses ability MOUNT_API as root"
}

@test "a user namespace takes sys_admin; userfaultfd is refused; clone3 falls back to clone" {
	sp_expect EPERM nopath_t unshare-user
	sp_expect ok admin_t unshare-user
	# joining one is the same (setns with nstype 0 takes any namespace)
	unshare -U sleep 60 3>&- &
	local ns=$!
	wait_until 20 test "$(readlink /proc/$ns/ns/user)" != "$(readlink /proc/self/ns/user)" ||
		die "unshare -U did not start"
	# (opened here: a typed process may not look into other processes)
	sp_expect EPERM nopath_t setns-fd 5 5<"/proc/$ns/ns/user"
	sp_expect ok admin_t setns-fd 5 5<"/proc/$ns/ns/user"
	kill "$ns"
	sp_expect EPERM admin_t userfaultfd
	# clone3 hides its flags from the filter: ENOSYS, and libc falls back
	sp_expect ENOSYS nopath_t clone3
	sp_expect ok nopath_t thread
	done_monitor
	mon_has m \
		"error: $SPN (pid:N) type nopath_t lacks ability SYS_ADMIN as root" \
		"info: $SPN (pid:N) type admin_t uses ability SYS_ADMIN as root"
}

@test "ia32 system calls are refused (ENOSYS) unless the type has compat_syscalls; a kernel without ia32 keeps the 32-bit entry closed" {
	run "$SPTEST" ia32-getpid
	if [ "$output" != ok ]; then
		# No ia32 emulation: int $0x80 kills the caller with SIGSEGV
		# before any system call runs.  It must do the same under a
		# type, whatever the type grants: no 32-bit call is ever made.
		[ "$status" -eq 139 ] ||
			die "untyped int \$0x80: status $status, output '$output' (expected death by SIGSEGV)"
		for t in nopath_t compat_t; do
			for op in ia32-getpid ia32-unshare-user "ia32-setuid 0"; do
				# shellcheck disable=SC2086
				sp $t $op
				[ "$status" -eq 139 ] && [ "$output" != ok ] ||
					die "on -T $t sptest $op: status $status, output '$output' (expected SIGSEGV)"
			done
		done
		done_monitor
		mon_lacks m "COMPAT_SYSCALLS"
		return 0
	fi
	sp_expect ENOSYS nopath_t ia32-getpid
	sp_expect ok compat_t ia32-getpid
	# compat_syscalls is no way around the calls decided natively
	sp_expect ENOSYS compat_t ia32-unshare-user
	sp_expect ENOSYS compat_t ia32-setuid 0
	done_monitor
	mon_has m \
		"error: $SPN (pid:N) type nopath_t lacks ability COMPAT_SYSCALLS as root" \
		"info: $SPN (pid:N) type compat_t uses ability COMPAT_SYSCALLS as root"
}

@test "paths through /proc/self/fd/N are the kernel's: bind and connect through a descriptor; errnos as the kernel's" {
	mkdir -p "$SCRATCH/srv/viafd"
	sp_expect ok srv_t bind-via-fd "$SCRATCH/srv/viafd" s1
	[ -S "$SCRATCH/srv/viafd/s1" ] || die "the socket was not created"
	mkdir -p "$SCRATCH/other"
	sp_expect EACCES srv_t bind-via-fd "$SCRATCH/other" s1
	serve_start via - serve "$SCRATCH/srv/viafd/listen"
	sp_expect ok cli_t connect-via-fd "$SCRATCH/srv/viafd/listen"
	serve_stop via >/dev/null
	# the kernel's errnos: an empty name, a directory by mknod
	sp_expect ENOENT link_t symlink t ""
	sp_expect EPERM link_t mknod-dir "$SCRATCH/links/d"
}

mounted() {
	awk -v p="$1" '$5 == p' /proc/self/mountinfo | grep -q .
}

@test "mount of a tmpfs: sys_admin and an attach rule for the mount point" {
	sp_expect ok admin_t mount-tmpfs "$SCRATCH/mnt"
	mounted "$SCRATCH/mnt" || die "the tmpfs is not mounted on $SCRATCH/mnt"
	umount "$SCRATCH/mnt"
	sp_expect EACCES admin2_t mount-tmpfs "$SCRATCH/mnt"
	! mounted "$SCRATCH/mnt" || die "mounted without a rule"
	sp_expect EPERM nopath_t mount-tmpfs "$SCRATCH/mnt"
	! mounted "$SCRATCH/mnt" || die "mounted without sys_admin"
	done_monitor
	mon_has m \
		"info: $SPN (pid:N) of type admin_t attached channel to path $SCRATCH/mnt" \
		"error: $SPN (pid:N) of type admin2_t failed to attach to path $SCRATCH/mnt: no rule" \
		"error: $SPN (pid:N) type nopath_t lacks ability SYS_ADMIN as root"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	mon_stop m
	spt_final_check
}
