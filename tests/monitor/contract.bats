#!/usr/bin/env bats
# secpolmonitor's command contract beyond single options (SPEC §4-§5,
# issue 4): --help, usage errors, no daemon, -u and -q, --json, several
# monitors at once, a monitor restarted while typed processes run, lost
# events.
load helpers

USAGE_LINE="Usage: secpolmonitor [-acnpqrsuv] [-f name] [-i time] [-o file] [-S ability-name]"
HINT_LINE="Try 'secpolmonitor --help' for more information."

POLICY='type default;
allow_attach default /...;
allow_link default /...;
type app_t;
type ln_t;
allow_link ln_t @T@/ok/...;
allow_attach ln_t @T@/ok/...;
# device nodes under @T@/ok: with and without the capability
type dev_t;
allow dev_t self:ability mknod;
allow_attach dev_t @T@/ok/...;
type nodev_t;
allow_attach nodev_t @T@/ok/...;'

setup_file() {
	std_setup_file
}

teardown_file() {
	instance_stop
}

setup() {
	std_setup
}

teardown() {
	[ -e "$T/bg.shell.pid" ] && bg_stop shell
	return 0
}

deny_ability() { "$ON" -T app_t "$(probe "$1")" bind "$T/ok/$1.s" >/dev/null || true; }
make_link() { "$ON" -T ln_t "$(probe "$1")" symlink /x "$T/ok/$1.l" >/dev/null; }
deny_path() { "$ON" -T ln_t "$(probe "$1")" bind "$T/no/$1.s" >/dev/null || true; }

@test "--help: the usage with every option on stdout, status 0" {
	run --separate-stderr "$MONITOR" --help
	expect_status 0
	expect_text "$stderr" ""
	expect_text "$(head -n1 <<<"$output")" "$USAGE_LINE"
	local o
	for o in -a -p -s -r -c "-f name" "-t type" -n "-i time" "-o file" "-S ability-name" \
		-v -u -q --json "--queue N" --once "-h, --help" --version; do
		grep -qE "^ +${o} " <<<"$output" || die "--help does not describe $o:" "$output"
	done
	run --separate-stderr "$MONITOR" -h
	expect_status 0
	expect_text "$(head -n1 <<<"$output")" "$USAGE_LINE"
}

@test "bad usage: status 2, one line and a hint on stderr, not the whole usage" {
	run --separate-stderr "$MONITOR" -x
	expect_status 2
	expect_text "$output" ""
	expect_text "$stderr" "secpolmonitor: invalid option -- 'x'
$HINT_LINE"
	run --separate-stderr "$MONITOR" extra
	expect_status 2
	expect_text "$stderr" "secpolmonitor: error: unexpected argument 'extra'
$HINT_LINE"
}

@test "no daemon: a clear error that says how to start one, status 1" {
	SECPOL_RUNDIR=$T/nothing run --separate-stderr "$MONITOR" -ap
	expect_status 1
	expect_text "$output" ""
	expect_text "$stderr" "secpolmonitor: error: no secpold is running for $T/nothing (start one with 'secpold' or push a policy with 'secpol -p'; SECPOL_RUNDIR selects the instance)"
}

@test "-u and -q add their lines to -a's: no note, the ability lines unchanged" {
	mon_start u -a -u
	mon_start q -a -q
	deny_ability uq
	mark u q
	mon_stop u
	mon_stop q
	expect_text "$(cat "$T/mon/u.err")" ""
	expect_text "$(cat "$T/mon/q.err")" ""
	expect_text "$(mon_lines u)" "error: $BIN/uq (pid:N) type app_t lacks ability PATHSPACE as root"
	expect_text "$(mon_lines q)" "$(mon_lines u)"
}

@test "--json: one valid JSON object per line, with every field" {
	mon_start j -aps --json
	mon_start t -aps
	make_link ja
	deny_ability jb
	deny_path jc
	mark j t
	mon_stop j
	mon_stop t
	# every line, markers and other processes included, is one object
	mon_raw j >"$T/j.all"
	"$PYTHON" -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        json.loads(line)
    except ValueError as e:
        sys.exit("line %d is not JSON (%s): %r" % (n, e, line))
' "$T/j.all"
	# our events: every field, and the same facts as the text lines
	mon_raw j | grep -F "\"name\":\"$BIN/j" >"$T/j.ours" || true
	mon_lines t >"$T/t.ours"
	"$PYTHON" - "$T/j.ours" "$T/t.ours" <<'EOF'
import json, re, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
texts = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8")]
common = {"time", "kind", "severity", "result", "pid", "tid", "start_time_ns",
          "name", "comm", "uid", "euid", "gid", "egid", "type", "type_id",
          "domain", "decided_by", "age_ms", "syscall", "syscall_nr"}
ability = common | {"ability", "ability_id", "noaudit", "own_credentials"}
path = common | {"path"}
if len(objs) != len(texts):
    sys.exit("%d JSON objects, %d text lines:\n%s\n%s" % (len(objs), len(texts),
             "\n".join(map(str, objs)), "\n".join(texts)))
for o, t in zip(objs, texts):
    want = set(ability if o["kind"] == "ability" else path)
    if o["result"] == "denied":
        want |= {"errno"} | ({"reason"} if o["kind"] != "ability" else set())
    if o["kind"] == "attach" and o["result"] == "allowed":
        want |= {"channel_type", "channel_type_id"}
    missing = want - set(o)
    if missing:
        sys.exit("missing %s in %r" % (sorted(missing), o))
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", o["time"]):
        sys.exit("bad time %r" % o["time"])
    # the text line, rebuilt from the object
    sev = "info" if o["result"] == "allowed" else "error"
    if o["kind"] == "ability":
        line = "%s: %s (pid:N) type %s %s ability %s as %s" % (
            sev, o["name"], o["type"], "uses" if sev == "info" else "lacks",
            o["ability"], o["domain"])
    elif o["result"] == "allowed":
        line = "%s: %s (pid:N) of type %s %s to path %s" % (
            sev, o["name"], o["type"],
            "attached channel" if o["kind"] == "attach" else "created link", o["path"])
    else:
        line = "%s: %s (pid:N) of type %s failed to attach to path %s: %s" % (
            sev, o["name"], o["type"], o["path"], o["reason"])
    if line != t:
        sys.exit("JSON %r\n  says  %s\n  text  %s" % (o, line, t))
    if o["decided_by"] not in ("secpold", "kernel"):
        sys.exit("decided_by %r" % o["decided_by"])
print("ok")
EOF
}

@test "several monitors at once: each gets its own filtered stream" {
	mon_start errors -ap
	mon_start abil -as
	mon_start paths -ps
	mon_start alpha -aps -f alpha -f marker
	mon_start json -p --json
	make_link alpha
	deny_ability beta
	deny_path gamma
	mark errors abil paths alpha json
	mon_stop errors
	mon_stop abil
	mon_stop paths
	mon_stop alpha
	mon_stop json
	expect_text "$(mon_lines errors)" "\
error: $BIN/beta (pid:N) type app_t lacks ability PATHSPACE as root
error: $BIN/gamma (pid:N) of type ln_t failed to attach to path $NO/gamma.s: no rule"
	expect_text "$(mon_lines abil)" "\
info: $BIN/alpha (pid:N) type ln_t uses ability PATHSPACE as root
error: $BIN/beta (pid:N) type app_t lacks ability PATHSPACE as root
info: $BIN/gamma (pid:N) type ln_t uses ability PATHSPACE as root"
	expect_text "$(mon_lines paths)" "\
info: $BIN/alpha (pid:N) of type ln_t created link to path $OK/alpha.l
error: $BIN/gamma (pid:N) of type ln_t failed to attach to path $NO/gamma.s: no rule"
	expect_text "$(mon_lines alpha)" "\
info: $BIN/alpha (pid:N) type ln_t uses ability PATHSPACE as root
info: $BIN/alpha (pid:N) of type ln_t created link to path $OK/alpha.l"
	# -p --json: the one path failure (errors only), as an object
	expect_text "$(mon_lines json | "$PYTHON" -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(" ".join(str(o.get(k)) for k in
          ("kind", "result", "name", "type", "type_id", "path", "reason", "errno")))')" \
		"attach denied $BIN/gamma ln_t 2 $NO/gamma.s no rule EACCES"
}

@test "a monitor stopped and restarted while typed processes keep running sees the new events" {
	# a typed shell that runs what it reads from a FIFO: its tree keeps
	# running (and supervised) across the monitors
	mkfifo "$T/cmd"
	bg_start shell "$ON" -T ln_t /bin/bash -c "exec 3<>'$T/cmd'; while read -r -u3 c; do eval \"\$c\"; done"
	local shell_pid
	shell_pid=$(cat "$T/bg.shell.pid")
	mon_start first -ps
	echo "'$(probe before)' symlink /x '$T/ok/before.l'" >"$T/cmd"
	wait_line first "$T/ok/before.l"
	mon_stop first
	echo "'$(probe between)' symlink /x '$T/ok/between.l'" >"$T/cmd"
	for ((i = 0; i < 100; i++)); do [ -L "$T/ok/between.l" ] && break; sleep 0.05; done
	[ -L "$T/ok/between.l" ] || die "the typed shell stopped working"
	mon_start second -ps
	echo "'$(probe after)' symlink /x '$T/ok/after.l'" >"$T/cmd"
	wait_line second "$T/ok/after.l"
	kill -0 "$shell_pid" || die "the typed shell is gone"
	# and the shell's own children are still typed: refused outside ok/
	echo "'$(probe denied)' symlink /x '$T/no/after.l'" >"$T/cmd"
	mark second
	mon_stop second
	expect_text "$(mon_lines first)" "\
info: $BIN/before (pid:N) of type ln_t created link to path $OK/before.l"
	expect_text "$(mon_lines second)" "\
info: $BIN/after (pid:N) of type ln_t created link to path $OK/after.l
error: $BIN/denied (pid:N) of type ln_t failed to attach to path $NO/after.l: no rule"
}

@test "lost events: a monitor that stops reading is told 'warning: N events lost', and nobody waits for it" {
	mon_start slow -aprs --queue 64
	mon_start fast -ps -f marker
	kill -STOP "$(cat "$T/mon/slow.pid")"
	# 4000 links by one process: 8000 events for -aprs
	local t0 t1
	t0=$(date +%s%N)
	"$ON" -T ln_t "$PYTHON" -c "import os
for i in range(4000):
    os.symlink('/x', '$T/ok/many'); os.unlink('$T/ok/many')"
	t1=$(date +%s%N)
	kill -CONT "$(cat "$T/mon/slow.pid")"
	mark slow fast
	mon_stop slow
	mon_stop fast
	mon_raw slow | grep -qE '^warning: [1-9][0-9]* events lost$' ||
		die "no 'events lost' warning; the monitor wrote $(mon_raw slow | wc -l) lines"
	# the supervised process did not wait for the stopped monitor: 4000
	# supervised calls take well under 20 s even under sanitizers
	[ $(((t1 - t0) / 1000000)) -lt 20000 ] || die "took $(((t1 - t0) / 1000000)) ms"
}

@test "--json: a lost-events object carries the time of the loss" {
	mon_start slow -aprs --json --queue 64
	kill -STOP "$(cat "$T/mon/slow.pid")"
	local before
	before=$(date -u +%Y-%m-%dT%H:%M)
	"$ON" -T ln_t "$PYTHON" -c "import os
for i in range(4000):
    os.symlink('/x', '$T/ok/many'); os.unlink('$T/ok/many')"
	kill -CONT "$(cat "$T/mon/slow.pid")"
	mark slow
	mon_stop slow
	local lost
	lost=$(mon_raw slow | grep -F '"kind":"lost"' | head -n1)
	[ -n "$lost" ] || die "no lost-events object"
	# the time of the loss (this minute or the next), not the epoch
	grep -qE "\"time\":\"(${before}|$(date -u +%Y-%m-%dT%H:%M))" <<<"$lost" ||
		die "the lost-events object has the wrong time: $lost"
}

@test "capability checks the kernel makes while secpold acts for a process are the process's" {
	# secpold creates device nodes itself, with the process's effective
	# capabilities: the kernel's CAP_MKNOD check happens in secpold's
	# thread, but it is the process's need (or lack)
	mon_start m -as
	"$ON" -T dev_t "$(probe withcap)" mknod-chr "$T/ok/null1" >/dev/null
	run "$ON" -T nodev_t "$(probe nocap)" mknod-chr "$T/ok/null2"
	expect_text "$output" EPERM
	mark m
	mon_stop m
	[ -c "$T/ok/null1" ] || die "the device node was not created"
	expect_text "$(mon_lines m)" "\
info: $BIN/withcap (pid:N) type dev_t uses ability PATHSPACE as root
info: $BIN/withcap (pid:N) type dev_t uses ability MKNOD as root
info: $BIN/nocap (pid:N) type nodev_t uses ability PATHSPACE as root
error: $BIN/nocap (pid:N) type nodev_t lacks ability MKNOD as root"
}
