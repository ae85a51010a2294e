#!/usr/bin/env bats
# -t type (issue 12, "Missing"): only events of processes of these types,
# by the names the running policy gives them, whatever numbers a later
# policy gives them; an unknown name is a usage error with a suggestion.
load helpers

POLICY='type default;
allow_attach default /...;
allow_link default /...;
# lack pathspace: any bind is refused with EPERM
type app_t;
type web_t;
# may link under @T@/ok
type ln_t;
allow_link ln_t @T@/ok/...;'

setup_file() {
	std_setup_file
}

teardown_file() {
	instance_stop
}

setup() {
	std_setup
}

deny_as() { "$ON" -T "$1" "$(probe "$2")" bind "$T/ok/$2.s" >/dev/null || true; }
make_link() { "$ON" -T ln_t "$(probe "$1")" symlink /x "$T/ok/$1.l" >/dev/null; }

MARKS_T=(-t mark_t -t markp_t)

@test "-t type: only processes of that type; repeated, of any of them" {
	mon_start one -as -t app_t "${MARKS_T[@]}"
	mon_start two -s -t app_t -t ln_t "${MARKS_T[@]}"
	mon_start all -s
	deny_as app_t ta
	deny_as web_t tw
	make_link tl
	mark one two all
	mon_stop one
	mon_stop two
	mon_stop all
	expect_text "$(mon_lines one)" "\
error: $BIN/ta (pid:N) type app_t lacks ability PATHSPACE as root"
	expect_text "$(mon_lines two)" "\
error: $BIN/ta (pid:N) type app_t lacks ability PATHSPACE as root
info: $BIN/tl (pid:N) type ln_t uses ability PATHSPACE as root
info: $BIN/tl (pid:N) of type ln_t created link to path $OK/tl.l"
	expect_text "$(mon_lines all)" "\
error: $BIN/ta (pid:N) type app_t lacks ability PATHSPACE as root
error: $BIN/tw (pid:N) type web_t lacks ability PATHSPACE as root
info: $BIN/tl (pid:N) type ln_t uses ability PATHSPACE as root
info: $BIN/tl (pid:N) of type ln_t created link to path $OK/tl.l"
}

@test "-t default: untyped processes only" {
	mon_start d -s -t default "${MARKS_T[@]}" -f untyped -f dl -f marker
	# an untyped root process makes a device node: the kernel checks
	# CAP_MKNOD (type default); a typed one makes a link (type ln_t)
	"$(probe untyped)" mknod-chr "$T/ok/null-untyped" >/dev/null
	make_link dl
	mark d
	mon_stop d
	expect_text "$(mon_raw d | grep -vF '/mark/' | sed -E 's/\(pid:[0-9]+\)/(pid:N)/')" \
		"info: $BIN/untyped (pid:N) type default uses ability MKNOD as root"
	expect_text "$(cat "$T/mon/d.err")" ""
}

@test "-t: an unknown type is a usage error with a suggestion; no file is made" {
	run --separate-stderr "$MONITOR" -a -t ap_t -o "$T/never.out"
	expect_status 2
	expect_text "$output" ""
	expect_text "$stderr" "secpolmonitor: error: -t: unknown type 'ap_t' in the running policy; did you mean 'app_t'?
Try 'secpolmonitor --help' for more information."
	[ ! -e "$T/never.out" ] || die "-o made the file for a bad -t"
	run --separate-stderr "$MONITOR" -a -t app_t -t nothing_like_it
	expect_status 2
	expect_text "$stderr" "secpolmonitor: error: -t: unknown type 'nothing_like_it' in the running policy
Try 'secpolmonitor --help' for more information."
}

@test "-t: JSON lines are filtered the same way" {
	mon_start j -a --json -t web_t "${MARKS_T[@]}"
	deny_as app_t ja
	deny_as web_t jw
	mark j
	mon_stop j
	expect_text "$(mon_lines j | "$PYTHON" -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["type"], o["name"].rsplit("/", 1)[-1])')" "web_t jw"
}

# last: it changes the policy of this file's instance
@test "-t follows the names across a push that numbers the types anew" {
	mon_start n -s -t ln_t "${MARKS_T[@]}"
	make_link before
	wait_line n "$OK/before.l"
	# every type moves: web_t gets the number ln_t had, ln_t one the
	# monitor never saw
	printf '%s\n' "type default;
allow_attach default /...;
allow_link default /...;
type new_t;
type app_t;
type web_t;
$MARK_POLICY
type ln_t;
allow_link ln_t $T/ok/...;" >"$T/renumbered.sp"
	"$SECPOL_BIN/secpolcompile" -m -o "$T/renumbered.bin" "$T/renumbered.sp"
	"$SECPOL_BIN/secpol" -p -i "$T/renumbered.bin" >/dev/null
	deny_as web_t after_web
	deny_as app_t after_app
	make_link after
	mark n
	mon_stop n
	expect_text "$(mon_lines n)" "\
info: $BIN/before (pid:N) type ln_t uses ability PATHSPACE as root
info: $BIN/before (pid:N) of type ln_t created link to path $OK/before.l
info: $BIN/after (pid:N) type ln_t uses ability PATHSPACE as root
info: $BIN/after (pid:N) of type ln_t created link to path $OK/after.l"
	expect_text "$(cat "$T/mon/n.err")" ""
}
