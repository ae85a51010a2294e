#!/usr/bin/env bats
# Every refusal reaches the system log (syslog datagrams, facility
# authpriv, priority warning), whether or not a monitor runs; a burst is
# rate-limited and what was left out is counted.  A private syslog socket
# (SECPOL_SYSLOG_SOCKET) stands in for /dev/log.  policies/refusals.sp.

load helpers

setup_file() {
	spt_require || return 1
	spt_dirs
	mkdir -p "$SCRATCH/ref" "$SCRATCH/elsewhere"
	export SECPOL_SYSLOG_SOCKET=$SCRATCH/syslog.sock
	# the sink: one datagram per line
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out = open(sys.argv[2], "ab", 0)
open(sys.argv[3], "w").close()
while True:
    out.write(s.recv(65536) + b"\n")
' "$SECPOL_SYSLOG_SOCKET" "$SCRATCH/syslog.out" "$SCRATCH/syslog.ready" \
		</dev/null >/dev/null 2>&1 3>&- &
	echo $! >"$SCRATCH/sink.pid"
	wait_until 20 test -e "$SCRATCH/syslog.ready" || die "the syslog sink did not start"
	policy refusals || return 1
	spd_start "$SCRATCH/refusals.bin"
}

teardown() {
	spt_test_teardown
}

teardown_file() {
	kill "$(cat "$SCRATCH/sink.pid")" 2>/dev/null
	spt_cleanup
}

# syslog_has REGEX: waits until a line of the sink matches.
syslog_has() {
	wait_until 20 grep -Eq "$1" "$SCRATCH/syslog.out" ||
		die "no system log line matches '$1'; got:" "$(cat "$SCRATCH/syslog.out" 2>/dev/null)"
}

HDR='^<84>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} secpold\[[0-9]+\]: '

@test "a refused bind reaches the system log with no monitor running" {
	sp_expect EACCES ref_t bind "$SCRATCH/elsewhere/a.sock"
	syslog_has "${HDR}error: [^ ]*sptest \\(pid:[0-9]+\\) of type ref_t failed to attach to path $SCRATCH/elsewhere/a.sock: no rule"
	# an allowed one does not
	sp_expect ok ref_t bind "$SCRATCH/ref/ok.sock"
	sleep 0.5
	! grep -q "ref/ok.sock" "$SCRATCH/syslog.out" || die "an allowed bind was logged as a refusal"
}

@test "a capability the kernel refuses a typed process is logged, an untyped one's is not" {
	touch "$SCRATCH/ref/owned"
	sp_expect EPERM ref_t chown "$SCRATCH/ref/owned" 1 1
	syslog_has "${HDR}error: [^ ]*sptest \\(pid:[0-9]+\\) type ref_t lacks ability CHOWN as root"
	# an untyped process's refusal is the kernel's business
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$SPTEST" chown "$SCRATCH/ref/owned" 2 2
	sleep 0.5
	[ "$(grep -c "lacks ability CHOWN" "$SCRATCH/syslog.out")" -eq 1 ] ||
		die "an untyped refusal was logged:" "$(cat "$SCRATCH/syslog.out")"
}

@test "a burst of refusals is rate-limited and the rest are counted" {
	: >"$SCRATCH/syslog.out"
	run "$ON" -T ref_t "$SPTEST" listen-loop "$SCRATCH/ref/l.sock" 300
	[[ "$output" == *"err=300"* ]] || die "listen was not refused 300 times: $output"
	syslog_has "${HDR}[0-9]+ refusals were not logged \\(more than 5 a second\\)"
	local n
	n=$(grep -c "lacks ability PUBLIC_CHANNEL" "$SCRATCH/syslog.out")
	[ "$n" -ge 1 ] && [ "$n" -le 25 ] || die "$n lines for 300 refusals (expected the burst, at most 25)"
}

@test "secpold stops cleanly on SIGTERM and leaves nothing behind" {
	kill "$(cat "$SCRATCH/sink.pid")"
	spt_final_check
}
