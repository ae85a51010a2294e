#!/usr/bin/env bats
# Issue 10: the whole machine.  Processes without a type are observed in
# the path space (judged against the default type's rules, never
# enforced), signals across types (-u) and inet binds and connects (-q)
# are reported.
load helpers

POLICY='type default;
allow_attach default @T@/ok/...;
allow_link default @T@/ok/...;
type srv_t;
allow_attach srv_t @T@/srv/...;
type sig_t;'

setup_file() {
	std_setup_file srv
}

teardown_file() {
	instance_stop
}

setup() {
	std_setup
}

# obs_lines NAME ERE: the monitor's lines that match, pids as N (the
# other helpers leave type default out: here it is the point)
obs_lines() {
	mon_raw "$1" | sed -E 's/ \(pid:[0-9]+\) / (pid:N) /' | grep -E -- "$2"
}

@test "untyped bind, mknod, symlink and mount are judged against the default type's rules, and happen anyway" {
	local p
	p=$(probe obsprobe)
	mon_start m -ps -f obsprobe -f marker
	"$p" bind "$T/ok/a.sock" >/dev/null
	"$p" bind "$T/no/b.sock" >/dev/null
	"$p" symlink /x "$T/ok/l" >/dev/null
	"$p" mkfifo "$T/no/f" >/dev/null
	# relative: resolved in the process's working directory (while it
	# runs: a process gone before secpold reads the event keeps the
	# path as written)
	(cd "$T/ok" && "$p" listen-for rel.sock 1 >/dev/null)
	"$p" bind "@secpol-obs-$$" >/dev/null
	mkdir -p "$T/srv/mnt"
	"$p" mount-tmpfs "$T/srv/mnt" >/dev/null
	umount "$T/srv/mnt"
	mark m
	mon_stop m
	[ -S "$T/no/b.sock" ] && [ -p "$T/no/f" ] || die "an observed call was refused"
	expect_text "$(obs_lines m obsprobe)" "\
info: $BIN/obsprobe (pid:N) of type default attached channel to path $OK/a.sock
error: $BIN/obsprobe (pid:N) of type default failed to attach to path $NO/b.sock: no rule
info: $BIN/obsprobe (pid:N) of type default created link to path $OK/l
error: $BIN/obsprobe (pid:N) of type default failed to attach to path $NO/f: no rule
info: $BIN/obsprobe (pid:N) of type default attached channel to path $OK/rel.sock
error: $BIN/obsprobe (pid:N) of type default failed to attach to path @secpol-obs-$$: no rule
error: $BIN/obsprobe (pid:N) of type default failed to attach to path $(escape_bytes "$T/srv")/mnt: no rule"
}

@test "an untyped connect or addressed send to a typed channel is judged as CHANNEL_CONNECT of its type" {
	local p
	p=$(probe obsconn)
	"$ON" -T srv_t "$SPTEST" serve "$T/srv/s.sock" 100 "$T/srv/ready" >/dev/null 2>&1 &
	local srv=$!
	for _ in $(seq 100); do [ -e "$T/srv/ready" ] && break; sleep 0.1; done
	mon_start m -a -f obsconn -f marker
	"$p" connect "$T/srv/s.sock" >/dev/null
	mark m
	mon_stop m
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	expect_text "$(obs_lines m obsconn)" \
		"error: $BIN/obsconn (pid:N) type default lacks ability CHANNEL_CONNECT(1) (srv_t) as root"
	# JSON: observed, not decided
	mon_start j -a --json -f obsconn -f marker
	"$ON" -T srv_t "$SPTEST" serve "$T/srv/s2.sock" 100 "$T/srv/ready2" >/dev/null 2>&1 &
	srv=$!
	for _ in $(seq 100); do [ -e "$T/srv/ready2" ] && break; sleep 0.1; done
	"$p" connect "$T/srv/s2.sock" >/dev/null
	mark j
	mon_stop j
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	mon_raw j | grep '"ability":"CHANNEL_CONNECT"' | grep -q '"observed":true,' ||
		die "not marked observed:" "$(mon_raw j)"
	# an addressed send to a typed datagram channel is judged the same way
	"$ON" -T srv_t "$SPTEST" dgram-serve "$T/srv/d.sock" 100 "$T/srv/ready3" >/dev/null 2>&1 &
	srv=$!
	for _ in $(seq 100); do [ -e "$T/srv/ready3" ] && break; sleep 0.1; done
	mon_start s -a -f obssend -f obssendmsg -f marker
	"$(probe obssend)" sendto "$T/srv/d.sock" >/dev/null
	"$(probe obssendmsg)" sendmsg "$T/srv/d.sock" >/dev/null
	mark s
	mon_stop s
	kill "$srv"
	wait "$srv" 2>/dev/null || true
	expect_text "$(obs_lines s obssend)" \
		"error: $BIN/obssend (pid:N) type default lacks ability CHANNEL_CONNECT(1) (srv_t) as root
error: $BIN/obssendmsg (pid:N) type default lacks ability CHANNEL_CONNECT(1) (srv_t) as root"
}

@test "-u: a signal across types, once per (sender type, receiver type, signal); -r: each" {
	"$ON" -T sig_t sleep 60 &
	local on_pid=$! target
	for _ in $(seq 100); do
		target=$(pgrep -P "$on_pid" -x sleep) && break
		sleep 0.1
	done
	[ -n "$target" ] || die "no typed sleep"
	mon_start u -u -f kill -f marker
	mon_start r -u -r -f kill -f marker
	/usr/bin/kill -CONT "$target"
	/usr/bin/kill -CONT "$target"
	mark u r
	mon_stop u
	mon_stop r
	kill "$on_pid"
	wait "$on_pid" 2>/dev/null || true
	local want="info: usr/bin/kill (pid:N) of type default sent signal SIGCONT(18) to usr/bin/sleep (pid:$target) of type sig_t"
	expect_text "$(obs_lines u 'sent signal')" "$want"
	expect_text "$(obs_lines r 'sent signal')" "$want
$want"
}

@test "-q: inet binds and connects of typed and untyped processes, with address, port and errno" {
	local p port=$((20000 + RANDOM % 20000))
	p=$(probe obsnet)
	mon_start q -q -f obsnet -f bash -f marker
	"$p" bind-port "$port" >/dev/null
	"$ON" -T srv_t "$p" bind-port "$((port + 1))" >/dev/null
	bash -c 'exec 3<>/dev/tcp/127.0.0.1/1' 2>/dev/null || true
	mark q
	mon_stop q
	obs_lines q obsnet | grep -qxF "info: $BIN/obsnet (pid:N) of type default bound port $port on 127.0.0.1" ||
		die "no untyped bind:" "$(mon_raw q)"
	obs_lines q obsnet | grep -qxF "info: $BIN/obsnet (pid:N) of type srv_t bound port $((port + 1)) on 127.0.0.1" ||
		die "no typed bind:" "$(mon_raw q)"
	obs_lines q bash | grep -qE "^error: usr/bin/bash \(pid:N\) of type default failed to connect to 127.0.0.1 port 1: ECONNREFUSED$" ||
		die "no refused connect:" "$(mon_raw q)"
}
