#!/usr/bin/env bats
# The secpolmonitor man page's walkthrough (SPEC §6, issue 4): the same
# steps as `make demo`, against build/examples/devf-server (devf-ram) and
# build/examples/fs-client (touch), with the man page's policy, its paths
# moved under the test's directory.  The monitors' lines must be exactly
# the man page's kinds of lines, pids aside.
load helpers

setup_file() {
	local why
	why=$(why_skip)
	[ -z "$why" ] || return 0
	# the man page's policy with its absolute paths under @T@/root, "/"
	# (the mounter) as @T@/root/mnt: the demo's derivation
	instance_start "$(sed -E -e 's#^([[:space:]]*)/([[:space:]]*;?)$#\1@T@/root/mnt\2#' -e t \
		-e 's#(^|[[:space:]])/([^[:space:]]+)#\1@T@/root/\2#g' \
		"$REPO/examples/policies/manpage.sp")"
}

teardown_file() {
	instance_stop
}

setup() {
	skip_unless_able
	R=$T/root
	rm -rf "$R"
	mkdir -p "$R/dev" "$R/tmp"
	EX=$(printed "$EXAMPLES")
	LN=$(command -v ln)
	LN_NAME=$(printed "$LN")
	RP=$(escape_bytes "$R")
}

teardown() {
	[ -e "$T/bg.server.pid" ] && bg_stop server
	return 0
}

# step N CMD...: runs one step; its output and status go to T/step.N
step() {
	local n=$1 st=0
	shift
	"$@" >"$T/step.$n" 2>&1 || st=$?
	echo "[exit status $st]" >>"$T/step.$n"
}

# The seven steps of the man page (flashctl has no counterpart).
walkthrough() {
	step 1 "$ON" -T fs_user_t "$EXAMPLES/devf-server" -r "$R"
	step 2 "$ON" -T fs_nonuser_t "$EXAMPLES/devf-server" -r "$R"
	bg_start server "$ON" -T fs_t "$EXAMPLES/devf-server" -r "$R"
	local i
	for ((i = 0; i < WAIT_SECONDS * 20; i++)); do
		[ -S "$R/dev/fsFp0" ] && break
		sleep 0.05
	done
	[ -S "$R/dev/fsFp0" ] || die "devf-server under fs_t did not attach its channels:" \
		"$(cat "$T/bg.server.out")" || return 1
	step 4 "$ON" -T fs_nonuser_t "$EXAMPLES/fs-client" "$R/fsFp0/file"
	step 5 "$ON" -T fs_user_t "$EXAMPLES/fs-client" "$R/fsFp0/file"
	step 6 "$ON" -T fs_nonuser_t ln -sf /proc/boot/libc.so.5 "$R/tmp/libc.so.5"
	step 7 "$ON" -T fs_nonuser_t ln -sf /proc/boot/libc.so.5 "$R/tmp/notlibc.so.5"
}

@test "walkthrough: secpolmonitor -ap shows the man page's errors, exactly" {
	mon_start ap -ap
	walkthrough
	mark ap
	mon_stop ap
	expect_text "$(mon_lines ap)" "\
error: $EX/devf-server (pid:N) type fs_user_t lacks ability PATHSPACE as root
error: $EX/devf-server (pid:N) of type fs_nonuser_t failed to attach to path $RP/mnt: no rule
error: $EX/fs-client (pid:N) type fs_nonuser_t lacks ability CHANNEL_CONNECT(1) (fs_t) as root
error: $LN_NAME (pid:N) of type fs_nonuser_t failed to attach to path $RP/tmp/notlibc.so.5: no rule"
}

@test "walkthrough: secpolmonitor -aps also shows the uses and attachments, exactly" {
	mon_start aps -aps
	walkthrough
	mark aps
	mon_stop aps
	expect_text "$(mon_lines aps)" "\
info: $EX/devf-server (pid:N) type fs_user_t uses ability SYS_RAWIO as root
error: $EX/devf-server (pid:N) type fs_user_t lacks ability PATHSPACE as root
info: $EX/devf-server (pid:N) type fs_nonuser_t uses ability SYS_RAWIO as root
info: $EX/devf-server (pid:N) type fs_nonuser_t uses ability PATHSPACE as root
error: $EX/devf-server (pid:N) of type fs_nonuser_t failed to attach to path $RP/mnt: no rule
info: $EX/devf-server (pid:N) type fs_t uses ability SYS_RAWIO as root
info: $EX/devf-server (pid:N) type fs_t uses ability PATHSPACE as root
info: $EX/devf-server (pid:N) of type fs_t attached channel to path $RP/mnt
info: $EX/devf-server (pid:N) type fs_t uses ability PUBLIC_CHANNEL as root
info: $EX/devf-server (pid:N) of type fs_t attached channel to path $RP/dev/fsF
info: $EX/devf-server (pid:N) of type fs_t attached channel to path $RP/fsFp0
info: $EX/devf-server (pid:N) of type fs_t attached channel to path $RP/dev/fsFp0
error: $EX/fs-client (pid:N) type fs_nonuser_t lacks ability CHANNEL_CONNECT(1) (fs_t) as root
info: $EX/fs-client (pid:N) type fs_user_t uses ability CHANNEL_CONNECT(1) (fs_t) as root
info: $LN_NAME (pid:N) type fs_nonuser_t uses ability PATHSPACE as root
info: $LN_NAME (pid:N) of type fs_nonuser_t created link to path $RP/tmp/libc.so.5
info: $LN_NAME (pid:N) type fs_nonuser_t uses ability PATHSPACE as root
error: $LN_NAME (pid:N) of type fs_nonuser_t failed to attach to path $RP/tmp/notlibc.so.5: no rule"
}

@test "walkthrough: the commands fail and succeed as the man page's do" {
	walkthrough
	expect_text "$(cat "$T/step.1")" "unable to attach mounter: Operation not permitted
[exit status 1]"
	expect_text "$(cat "$T/step.2")" "unable to attach mounter: Permission denied
[exit status 1]"
	expect_text "$(cat "$T/step.4")" "$R/fsFp0/file: Operation not permitted
[exit status 1]"
	expect_text "$(cat "$T/step.5")" "[exit status 0]"
	expect_text "$(cat "$T/step.6")" "[exit status 0]"
	[ "$(readlink "$R/tmp/libc.so.5")" = /proc/boot/libc.so.5 ] ||
		die "ln under fs_nonuser_t did not create $R/tmp/libc.so.5"
	expect_text "$(cat "$T/step.7")" "ln: failed to create symbolic link '$R/tmp/notlibc.so.5': Permission denied
[exit status 1]"
	[ ! -e "$R/tmp/notlibc.so.5" ] && [ ! -L "$R/tmp/notlibc.so.5" ] ||
		die "the refused link exists"
	# the server stops on SIGTERM and removes its channels
	bg_stop server || die "devf-server exited with an error:" "$(cat "$T/bg.server.out")"
	[ -z "$(cat "$T/bg.server.out")" ] || die "devf-server printed:" "$(cat "$T/bg.server.out")"
	[ ! -e "$R/mnt" ] && [ ! -e "$R/fsFp0" ] && [ ! -e "$R/dev/fsF" ] &&
		[ ! -e "$R/dev/fsFp0" ] || die "devf-server left its sockets: $(ls -R "$R")"
}

@test "make demo: the walkthrough runs, shows the man page's kinds of lines and leaves nothing behind" {
	[ -x "$BUILD_DIR/bin/secpold" ] || skip "the optimised programs are not built (make)"
	run --separate-stderr env -u SECPOL_RUNDIR -u SECPOL_POLICY BUILD="$BUILD_DIR" \
		timeout 60 "$REPO/examples/demo.sh"
	[ "$status" -eq 0 ] || die "demo.sh exited with status $status" "stdout: $output" "stderr: $stderr"
	[ -z "$stderr" ] || die "demo.sh wrote to stderr: $stderr"
	local want
	for want in "lacks ability PATHSPACE as root" \
		"failed to attach to path /tmp/secpol-demo.*/root/mnt: no rule" \
		"type fs_t uses ability SYS_RAWIO as root" \
		"type fs_t uses ability PUBLIC_CHANNEL as root" \
		"type fs_t uses ability PATHSPACE as root" \
		"attached channel to path /tmp/secpol-demo.*/root/dev/fsFp0" \
		"lacks ability CHANNEL_CONNECT\(1\) \(fs_t\) as root" \
		"type fs_user_t uses ability CHANNEL_CONNECT\(1\) \(fs_t\) as root" \
		"created link to path /tmp/secpol-demo.*/root/tmp/libc.so.5" \
		"failed to attach to path /tmp/secpol-demo.*/root/tmp/notlibc.so.5: no rule" \
		"unable to attach mounter: Operation not permitted" \
		"unable to attach mounter: Permission denied" \
		"flashctl" "Nothing is left running"; do
		grep -qE -- "$want" <<<"$output" || die "the demo's output lacks '$want':" "$output"
	done
	# no line of another process of this machine
	! grep -E '^    (info|error): .* type default ' <<<"$output" ||
		die "the demo shows lines of type default"
	local dir
	dir=$(grep -oE '/tmp/secpol-demo\.[A-Za-z0-9]+' <<<"$output" | head -n1)
	[ -n "$dir" ] && [ ! -e "$dir" ] || die "the demo left $dir"
	! grep -qF "$dir" /proc/self/mountinfo || die "the demo left a mount under $dir"
}
