#!/usr/bin/env bats
# Safe output (SPEC §5, issue 4 item 2): names and paths come from
# untrusted processes.  Whatever bytes they hold (newlines, terminal escape
# sequences, bytes that are not UTF-8, bidi controls, 4 KiB of them), each
# event is exactly one line, escaped as src/common/escape.h says:
#   \\ \n \t \r, space as \040, other controls, DEL, bad UTF-8, C1 and
#   bidi/format controls as \ooo per byte; printable UTF-8 as is.
# The expected text comes from an independent implementation of those
# rules (escape_bytes in helpers.bash).
load helpers

POLICY='type default;
allow_attach default /...;
allow_link default /...;
type app_t;
type ln_t;
allow_link ln_t @T@/ok/...;
allow_attach ln_t @T@/ok/...;'

setup_file() {
	std_setup_file w
}

teardown_file() {
	instance_stop
}

setup() {
	skip_unless_able
}

# hostile DIR: a copy of sptest at DIR/prog, run under app_t; it is
# refused a bind (lacks pathspace): one ability event naming it.
hostile() {
	mkdir -p "$1"
	cp "$SPTEST" "$1/prog"
	"$ON" -T app_t "$1/prog" bind "$T/ok/x.s" >/dev/null || true
}

# long_dir BASE LEN [COMPONENT]: BASE, COMPONENT, then directories of 200
# bytes until the path is at least LEN bytes long; created.
long_dir() {
	local d=$1 len=$2 c
	[ -n "${3:-}" ] && d=$d/$3
	c=$(printf 'd%.0s' {1..200})
	while [ "${#d}" -lt "$len" ]; do
		d=$d/$c
	done
	mkdir -p "$d"
	echo "$d"
}

# check_one MON WANT: the monitor wrote exactly the line WANT (pid as N)
# once, among lines that are all safe text.
check_one() {
	local n
	n=$(mon_lines "$1" | grep -cxF -- "$2") || true
	[ "$n" -eq 1 ] || die "want exactly once ($n times):" "$2" "got:" "$(mon_lines "$1")"
	no_raw_bytes "$1"
}

# no_raw_bytes MON: no control byte but the newline, no DEL, only UTF-8.
no_raw_bytes() {
	"$PYTHON" - "$T/mon/$1.out" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
bad = [b for b in data if (b < 0x20 and b != 0x0a) or b == 0x7f]
if bad:
    sys.exit("raw control bytes in the output: %r" % sorted(set(bad)))
try:
    data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("the output is not UTF-8: %s" % e)
EOF
}

@test "an executable path with a newline: one line, the newline as \\n" {
	local d="$T/w/new"$'\n'"line"$'\n'"error: forged (pid:1) type fs_t lacks ability IO as root"
	mon_start m -ap
	hostile "$d"
	mark m
	mon_stop m
	check_one m "error: $(printed "$d/prog") (pid:N) type app_t lacks ability PATHSPACE as root"
	! mon_raw m | grep -q '^error: forged' || die "a forged line got through"
}

@test "an executable path with terminal escape sequences: ESC as \\033" {
	local d="$T/w/esc"$'\e[31m'"red"$'\e[0m\e]0;title\a'"x"
	mon_start m -ap
	hostile "$d"
	mark m
	mon_stop m
	check_one m "error: $(printed "$d/prog") (pid:N) type app_t lacks ability PATHSPACE as root"
	mon_raw m | grep -qF 'esc\033[31mred\033[0m\033]0;title\007x/prog' ||
		die "not escaped as expected:" "$(mon_raw m | grep -F esc)"
}

@test "bytes that are not UTF-8, a bidi control, a tab, a space and a backslash" {
	local d="$T/w/bad"$'\xff\xc3'"utf8"$'\u202e'"bidi"$'\t'"tab x\\y"$'\u00e9'
	mon_start m -ap
	hostile "$d"
	mark m
	mon_stop m
	check_one m "error: $(printed "$d/prog") (pid:N) type app_t lacks ability PATHSPACE as root"
	mon_raw m | grep -qF 'bad\377\303utf8\342\200\256bidi\ttab\040x\\y'$'\u00e9''/prog' ||
		die "not escaped as expected:" "$(mon_raw m | grep -F utf8)"
}

@test "a 4 KiB executable path: the whole name, escaped, on one line" {
	local d
	d=$(long_dir "$T/w" 4000 "long"$'\n'"name")
	[ "$((${#d} + 5))" -le 4095 ] || die "test setup: path too long (${#d})"
	mon_start m -ap
	hostile "$d"
	mark m
	mon_stop m
	check_one m "error: $(printed "$d/prog") (pid:N) type app_t lacks ability PATHSPACE as root"
}

@test "4 KiB paths in attach and link events: the whole path, escaped, on one line" {
	local ok no name
	ok=$(long_dir "$T/ok" 4000 "a"$'\n'"b"$'\e'"[1m c")
	no=$(long_dir "$T/no" 4000 "a"$'\n'"b"$'\e'"[1m c")
	name=$(printed "$T/bin/longpaths")
	mon_start m -aps
	"$ON" -T ln_t "$(probe longpaths)" symlink /x "$ok/link" >/dev/null
	"$ON" -T ln_t "$(probe longpaths)" mkfifo "$ok/fifo" >/dev/null
	"$ON" -T ln_t "$(probe longpaths)" symlink /x "$no/link" >/dev/null || true
	"$ON" -T ln_t "$(probe longpaths)" mkfifo "$no/fifo" >/dev/null || true
	mark m
	mon_stop m
	[ -L "$ok/link" ] && [ -p "$ok/fifo" ] || die "the probes failed"
	check_one m "info: $name (pid:N) of type ln_t created link to path $(escape_bytes "$ok/link")"
	check_one m "info: $name (pid:N) of type ln_t attached channel to path $(escape_bytes "$ok/fifo")"
	check_one m "error: $name (pid:N) of type ln_t failed to attach to path $(escape_bytes "$no/link"): no rule"
	check_one m "error: $name (pid:N) of type ln_t failed to attach to path $(escape_bytes "$no/fifo"): no rule"
}

@test "--json with hostile names and paths: valid JSON, the escaped text in the strings" {
	local d="$T/w/json"$'\n\e[2J"\\'$'\xfe'
	local ok="$T/ok/j"$'\n"\e'
	mkdir -p "$ok"
	mon_start m -aps --json
	hostile "$d"
	mkdir -p "$d"
	"$ON" -T ln_t "$d/prog" symlink /x "$ok/l" >/dev/null
	mark m
	mon_stop m
	no_raw_bytes m
	mon_raw m >"$T/m.json"
	"$PYTHON" - "$T/m.json" "$(printed "$d/prog")" "$(escape_bytes "$ok/l")" <<'EOF'
import json, sys
name, path = sys.argv[2], sys.argv[3]
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
mine = [o for o in objs if o.get("name") == name]
kinds = sorted((o["kind"], o["result"]) for o in mine)
want = [("ability", "allowed"), ("ability", "denied"), ("link", "allowed")]
if kinds != want:
    sys.exit("events of %r: %r, want %r\n%s" % (name, kinds, want, "\n".join(map(str, objs))))
if [o["path"] for o in mine if o["kind"] == "link"] != [path]:
    sys.exit("link path %r, want %r" % ([o.get("path") for o in mine], path))
EOF
}
