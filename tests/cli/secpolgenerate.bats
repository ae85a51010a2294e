#!/usr/bin/env bats
# The secpolgenerate command contract (secpolgenerate(1)):
#   secpolgenerate [-l] [-s state] [-p base.sp] [-o policy] [-u unused]
#                  [-g graph.dot] [-G N] [-i time] [file.json ...]
# Exit status 0 done, 1 a bad input line or an I/O error (outputs still
# written), 2 bad usage.  The fixtures in data/ are secpolmonitor --json
# logs of the walkthrough's server, client and ln, a web server that binds
# ports as root and drops to uid 33, and a second host's run.
load helpers

SECPOLGENERATE=$SECPOL_BIN/secpolgenerate
DATA=$BATS_TEST_DIRNAME/data
USAGE_LINE="Usage: secpolgenerate [-l] [-s state] [-p base.sp] [-o policy] [-u unused]"

setup() {
	mkdir "$BATS_TEST_TMPDIR/w"
	cd "$BATS_TEST_TMPDIR/w"
}

# gen ARGS...: runs secpolgenerate, stderr apart; no crash.
gen() {
	run --separate-stderr "$SECPOLGENERATE" "$@"
	no_crash
}

# compiles FILE: secpolcompile accepts it with no error and no warning.
compiles() {
	run --separate-stderr "$SECPOLCOMPILE" "$1"
	no_crash
	[ "$status" -eq 0 ] || die "secpolcompile refused $1:" "$stderr" "--- $1:" "$(cat "$1")"
	[ -z "$stderr" ] || die "secpolcompile warned about $1:" "$stderr"
}

# The statements of a policy: comments and blank lines dropped, items of a
# block kept one per line, the header line left out of what is compared.
statements() {
	sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1"
}

@test "secpolgenerate --help, -h and --version" {
	local opt
	for opt in --help -h; do
		gen "$opt"
		expect_status 0
		expect_text "$stderr" ""
		expect_text "${lines[0]}" "$USAGE_LINE"
		for o in "-l, --live" "-s, --state FILE" "-p, --base FILE" "-o, --output FILE" \
			"-u, --unused FILE" "-g, --graph FILE" "-G, --generalize N" \
			"-i, --interval TIME" "--include-default" "--version"; do
			grep -qF -- "$o" <<<"$output" || die "help lacks $o"
		done
	done
	gen --version
	expect_status 0
	[[ ${lines[0]} =~ ^secpolgenerate\ \(secpol\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version: ${lines[0]}"
}

@test "secpolgenerate: usage errors print one line and a hint, exit 2" {
	local args
	while IFS='|' read -r args msg; do
		# shellcheck disable=SC2086
		gen $args
		expect_status 2
		expect_text "$output" ""
		expect_text "$stderr" "$msg
Try 'secpolgenerate --help' for more information."
	done <<EOF
|secpolgenerate: error: no input: give secpolmonitor --json files, -l or -s
-G 1 $DATA/walkthrough.json|secpolgenerate: error: -G: '1' is not a number from 2 to 1000000
-G x $DATA/walkthrough.json|secpolgenerate: error: -G: 'x' is not a number from 2 to 1000000
-i soon $DATA/walkthrough.json|secpolgenerate: error: -i: 'soon' is not a number of seconds
-u u.txt $DATA/walkthrough.json|secpolgenerate: error: -u lists the unused rules of a base policy: it needs -p
-o a -o b $DATA/walkthrough.json|secpolgenerate: error: -o given twice
-x $DATA/walkthrough.json|secpolgenerate: invalid option -- 'x'
--bogus $DATA/walkthrough.json|secpolgenerate: unrecognized option '--bogus'
EOF
	[ ! -e a ] && [ ! -e b ]
}

@test "secpolgenerate: the walkthrough's log gives a policy that compiles, with what was seen" {
	gen -o out.sp "$DATA/walkthrough.json"
	expect_status 0
	expect_text "$output" ""
	expect_text "$stderr" ""
	compiles out.sp
	grep -qxF 'type fs_t;' out.sp
	grep -qxF $'\tsys_rawio  # opt/secpol/examples/devf-server (start-up)' out.sp
	grep -qxF 'allow_attach fs_t /run/secpol-demo/root/fsF0;  # opt/secpol/examples/devf-server (start-up)' out.sp
	grep -qxF 'allow_attach fs_t /run/secpol-demo/root/mnt;  # opt/secpol/examples/devf-server (start-up)' out.sp
	grep -qxF 'allow fs_user_t fs_t:channel connect;  # opt/secpol/examples/fs-client (start-up)' out.sp
	grep -qxF 'allow_link fs_nonuser_t /tmp/libc.so.5;  # usr/bin/ln (start-up)' out.sp
	# a link refused with "no rule" is a need; "bad op" is the policy's own
	grep -qxF 'allow_link fs_nonuser_t /tmp/notlibc.so.5;  # usr/bin/ln (start-up)' out.sp
	! grep -q badop out.sp || die "line 94: found what must not be there"
	# the web server: ports and ids as root, sys_nice later as non-root
	grep -qxF $'\tnet_bind_service:80  # usr/sbin/nginx (start-up)' out.sp
	grep -qxF $'\tsetuid:33  # usr/sbin/nginx (start-up)' out.sp
	grep -qxF $'\tsetgid:33  # usr/sbin/nginx (start-up)' out.sp
	grep -qxF $'\tsys_nice  # usr/sbin/nginx (later)' out.sp
	grep -qxF 'allow_attach web_t @nginx-ctl;  # usr/sbin/nginx (start-up)' out.sp
	# what says nothing about a need is left out: untyped processes,
	# noaudit probes, borrowed credentials, public_channel, pathspace (the
	# rules imply it)
	! grep -qiE 'setpcap|sys_admin|dac_override|public_channel|pathspace|default' \
		<(statements out.sp) || die "$(statements out.sp)"
	# secpol shows the ranges the kernel and secpold will enforce
	"$SECPOLCOMPILE" -o out.bin out.sp
	run "$SECPOL" -i out.bin -t web_t
	grep -qF 'root: SETGID(33), SETUID(33), NET_BIND_SERVICE(80)' <<<"$output" || die "$output"
}

@test "secpolgenerate: two logs merged are the union of both, in any order" {
	gen -o a.sp "$DATA/walkthrough.json"
	expect_status 0
	gen -o b.sp "$DATA/web2.json"
	expect_status 0
	gen -o ab.sp "$DATA/walkthrough.json" "$DATA/web2.json"
	expect_status 0
	gen -o ba.sp "$DATA/web2.json" "$DATA/walkthrough.json"
	expect_status 0
	compiles ab.sp
	cmp ab.sp ba.sp || die "the order of the inputs changed the policy:" "$(diff ab.sp ba.sp)"
	# every rule of either run is in the merge; ranges are joined
	local l
	while IFS= read -r l; do
		case $l in
		*setuid:* | *net_bind_service:*) continue ;;
		esac
		grep -qxF -- "$l" <(statements ab.sp) || die "merge lacks: $l"
	done < <(statements a.sp; statements b.sp)
	grep -qxF $'\tsetuid:33-34  # usr/sbin/nginx (start-up)' ab.sp
	grep -qxF $'\tnet_bind_service:80,443  # usr/sbin/nginx (start-up)' ab.sp
	# and nothing else: each statement of the merge comes from one run
	while IFS= read -r l; do
		case $l in
		*setuid:33-34 | *net_bind_service:80,443 | "};" | $'\tnonroot') continue ;;
		esac
		grep -qxF -- "$l" <(statements a.sp; statements b.sp) || die "merge adds: $l"
	done < <(statements ab.sp)
}

@test "secpolgenerate: settypeid comes with the gain_priv items the compiler asks for" {
	gen -o b.sp "$DATA/web2.json"
	expect_status 0
	compiles b.sp
	grep -qxF $'\tsettypeid:user_t  # usr/sbin/sshd (later)' b.sp
	grep -qxF $'\tgain_priv:sys_chroot  # settypeid: user_t has it' b.sp
	grep -qxF $'\tgain_priv:pathspace  # settypeid: user_t has it' b.sp
	# without them the compiler refuses the policy
	grep -v gain_priv b.sp >nogain.sp
	run --separate-stderr "$SECPOLCOMPILE" nogain.sp
	expect_status 1
	grep -qF "cannot be granted 'settypeid:user_t'" <<<"$stderr"
}

@test "secpolgenerate: lost events, gaps, new types and unknown kinds are noted" {
	gen "$DATA/web2.json"
	expect_status 0
	grep -qxF '# WARNING: 3 events were lost: what they showed is missing.' <<<"$output"
	grep -qxF '# WARNING: a monitor lost secpold and reconnected (1 time): events of the gaps are missing.' <<<"$output"
	grep -qxF 'type scratch_t;  # made for a run in develop mode' <<<"$output"
	# one warning for two lines of the same unknown kind
	expect_text "$stderr" "$DATA/web2.json:13: warning: unknown event kind 'signal': skipped (said once per kind)
secpolgenerate: warning: 3 events were lost before they reached a monitor: the policy may lack what they showed
secpolgenerate: warning: 1 gap in the events (a monitor lost secpold and reconnected): the policy may lack what happened then"
}

@test "secpolgenerate: bad lines are file:line errors, skipped; status 1, outputs written" {
	gen -o out.sp -g out.dot "$DATA/bad.json"
	expect_status 1
	expect_text "$stderr" "$DATA/bad.json:2: error: invalid JSON: the object is not complete
$DATA/bad.json:3: error: unknown event version 2
$DATA/bad.json:4: error: invalid JSON: lexical error: invalid string in json text.
$DATA/bad.json:5: error: type name 'fs-t' cannot be written in a policy
$DATA/bad.json:6: error: unknown ability 'PATHSPCE'
$DATA/bad.json:7: warning: unknown event kind 'signal': skipped (said once per kind)
$DATA/bad.json:8: error: value 70000 of NET_BIND_SERVICE is out of its range (0 to 65535)"
	compiles out.sp
	[ -s out.dot ]
	# the good lines around them were taken, the bad ones left no trace
	grep -qxF $'\tsys_rawio  # opt/secpol/examples/devf-server (start-up)' out.sp
	grep -qxF 'allow_link fs_nonuser_t /tmp/libc.so.5;  # usr/bin/ln (start-up)' out.sp
	! grep -qE 'web_t|sys_admin' out.sp || die "line 183: found what must not be there"

	# standard input is "<stdin>"; a line over 1 MiB is an error too
	{
		cat "$DATA/walkthrough.json"
		printf '{"v":1,"kind":"gap","pad":"%s"}\n' "$(head -c 1100000 /dev/zero | tr '\0' x)"
		echo '{"v":3}'
	} >in.json
	gen - <in.json
	expect_status 1
	expect_text "$stderr" "<stdin>:20: error: line longer than 1 MiB: skipped
<stdin>:21: error: unknown event version 3"
	grep -qF 'allow fs_user_t fs_t:channel connect;' <<<"$output"
	# a missing input file is an error too; the others are read
	gen -o out2.sp "$DATA/walkthrough.json" nonexistent.json
	expect_status 1
	expect_text "$stderr" "secpolgenerate: error: cannot open nonexistent.json: No such file or directory"
	grep -qF 'allow fs_user_t fs_t:channel connect;' out2.sp
}

@test "secpolgenerate -p keeps the base, adds what it lacks, lists what was unused" {
	gen -o out.sp -p "$DATA/base.sp" "$DATA/walkthrough.json" "$DATA/web2.json"
	expect_status 0
	compiles out.sp
	# the base, byte for byte, first
	cmp <(head -c "$(wc -c <"$DATA/base.sp")" out.sp) "$DATA/base.sp"
	local added
	added=$(tail -c +"$(($(wc -c <"$DATA/base.sp") + 1))" out.sp)
	# only what the base does not allow
	! grep -qE '^type (fs_t|fs_user_t|fs_nonuser_t|web_t);' <<<"$added" || die "line 212: found what must not be there"
	! grep -v '^#' <<<"$added" | grep -qE 'sys_rawio|fs_t /run/secpol-demo|fs_user_t fs_t:channel|net_bind_service:80|setgid' ||
		die "added what the base allows:" "$added"
	grep -qxF $'\tnet_bind_service:443  # usr/sbin/nginx (start-up)' <<<"$added"
	grep -qxF $'\tsetuid:33-34  # usr/sbin/nginx (start-up)' <<<"$added"
	grep -qxF 'allow_link fs_nonuser_t /tmp/libc.so.5;  # usr/bin/ln (start-up)' <<<"$added"
	grep -qxF 'type sshd_t;' <<<"$added"
	# and the unused statements of the base, as comments at the end
	expect_text "$(sed -n '/^# ---- unused/,$p' out.sp)" "# ---- unused: 4 statements of $DATA/base.sp that nothing exercised ----
# allow fs_t self:ability sys_admin;
# allow_link fs_t /var/tmp/fs-*;
# allow fs_user_t web_t:channel connect;
# allow web_t self:ability { nonroot setgid:33 };  # used as root only"

	# -u: the same list in a file of its own, as policy statements
	gen -o out2.sp -u unused.sp -p "$DATA/base.sp" "$DATA/walkthrough.json" "$DATA/web2.json"
	expect_status 0
	! grep -q '^# ---- unused' out2.sp || die "line 228: found what must not be there"
	expect_text "$(cat unused.sp)" "allow fs_t self:ability sys_admin;
allow_link fs_t /var/tmp/fs-*;
allow fs_user_t web_t:channel connect;
allow web_t self:ability { nonroot setgid:33 };  # used as root only"
	compiles out2.sp

	# a base with errors is refused with the compiler's diagnostics
	printf 'type a_t;\nallow a_t self:ability pathspce;\n' >bad.sp
	gen -o out3.sp -p bad.sp "$DATA/walkthrough.json"
	expect_status 1
	grep -qF "bad.sp:2:24: error: unknown ability 'pathspce'; did you mean 'pathspace'?" <<<"$stderr"
	grep -qxF 'secpolgenerate: error: the base policy bad.sp has errors' <<<"$stderr"
	[ ! -e out3.sp ]
}

@test "secpolgenerate -G generalises names in one directory, never to /..." {
	gen -o g3.sp -G 3 "$DATA/web2.json"
	expect_status 0
	compiles g3.sp
	grep -qxF 'allow_attach user_t /tmp/tmux-1000/*;  # 3 names: usr/bin/tmux (start-up)' g3.sp
	! grep -q 'tmux-1000/default' g3.sp || die "line 249: found what must not be there"
	gen -o g4.sp -G 4 "$DATA/web2.json"
	grep -qxF 'allow_attach user_t /tmp/tmux-1000/default;  # usr/bin/tmux (start-up)' g4.sp
	! grep -qF '/*' g4.sp || die "line 252: found what must not be there"
	# names directly in / stay exact, whatever -G says
	for i in 1 2 3; do
		printf '{"v":1,"kind":"attach","result":"allowed","name":"a","type":"a_t","domain":"root","path":"/s%d"}\n' "$i"
	done >root.json
	gen -G 2 root.json
	expect_status 0
	grep -qxF 'allow_attach a_t /s3;  # a' <<<"$output"
	! grep -qF '/*' <<<"$output" || die "line 260: found what must not be there"
	! grep -qF '/...' <<<"$output" || die "line 261: found what must not be there"
}

@test "secpolgenerate: paths the language cannot hold are refused, not widened" {
	{
		printf '{"v":1,"kind":"attach","result":"allowed","name":"a","type":"a_t","domain":"root","path":"/run/my\\\\040app.sock"}\n'
		printf '{"v":1,"kind":"attach","result":"allowed","name":"a","type":"a_t","domain":"root","path":"/run/a:b"}\n'
		printf '{"v":1,"kind":"link","result":"allowed","name":"a","type":"a_t","domain":"root","path":"/run/star*"}\n'
	} >odd.json
	gen -o odd.sp odd.json
	expect_status 0
	expect_text "$stderr" 'secpolgenerate: warning: type a_t: attach path /run/a:b cannot be written in a policy: it contains a byte the policy language reserves ({ } ; : , #); left out
secpolgenerate: warning: type a_t: attach path /run/my\040app.sock cannot be written in a policy: it contains white space; left out'
	compiles odd.sp
	grep -qxF '# allow_attach a_t /run/my\040app.sock: not written: the path contains white space' odd.sp
	# a literal '*' is escaped: the rule matches that name only
	grep -qxF 'allow_link a_t /run/star[*];  # a' odd.sp
}

@test "secpolgenerate -g writes a graph dot renders" {
	command -v dot >/dev/null || die "dot (graphviz) is missing: scripts/deps.sh installs it"
	gen -o out.sp -g types.dot "$DATA/walkthrough.json" "$DATA/web2.json"
	expect_status 0
	grep -qxF $'\t"fs_user_t" -> "fs_t" [label="connect"];' types.dot
	grep -qxF $'\t"sshd_t" -> "user_t" [label="settypeid", style=dashed];' types.dot
	grep -qF '"web_t" [label="web_t\l\lSETGID(33) as root\lSETUID(33-34) as root\lNET_BIND_SERVICE(80,443) as root\lSYS_NICE as non-root\lattach @nginx-ctl\l"];' types.dot
	run --separate-stderr dot -Tsvg types.dot -o types.svg
	expect_status 0
	expect_text "$stderr" ""
	grep -q '<svg' types.svg
	grep -qF 'fs_user_t' types.svg
}

@test "secpolgenerate -s: learning accumulates across runs; the state file is written safely" {
	gen -o 1.sp -s state.json "$DATA/walkthrough.json"
	expect_status 0
	[ -s state.json ]
	[ "$(stat -c %a state.json)" = 600 ]
	gen -o 2.sp -s state.json "$DATA/web2.json"
	expect_status 0
	gen -o both.sp "$DATA/walkthrough.json" "$DATA/web2.json"
	# the same policy as from both logs at once (but for the header's
	# first line, which names the inputs)
	cmp <(tail -n +2 2.sp) <(tail -n +2 both.sp) || die "$(diff 2.sp both.sp)"
	# the state alone is enough
	gen -s state.json
	expect_status 0
	cmp <(tail -n +2 <<<"$output") <(tail -n +2 both.sp)
	# no temporary file is left in the directory
	expect_text "$(ls)" "1.sp
2.sp
both.sp
state.json"
}

@test "secpolgenerate -s: a damaged state file is refused, named, and left untouched" {
	gen -s state.json "$DATA/walkthrough.json"
	expect_status 0
	# cut the end off: a crash while writing it by hand, say
	head -n 5 state.json >cut.json
	cp cut.json cut.orig
	gen -o out.sp -s cut.json "$DATA/web2.json"
	expect_status 1
	expect_text "$stderr" "secpolgenerate: error: cut.json:5: the state file is incomplete (no end record): the state file is refused and left as it is"
	cmp cut.json cut.orig
	[ ! -e out.sp ]
	expect_text "$output" ""
	# an unknown version
	sed '1s/"secpolgenerate_state":1/"secpolgenerate_state":9/' state.json >v9.json
	cp v9.json v9.orig
	gen -s v9.json "$DATA/web2.json"
	expect_status 1
	expect_text "$stderr" "secpolgenerate: error: v9.json:1: unknown state version 9: the state file is refused and left as it is"
	cmp v9.json v9.orig
	# a damaged record in the middle
	sed '3s/"type":"[a-z_]*"/"type":"bad-name"/' state.json >mid.json
	gen -s mid.json
	expect_status 1
	expect_text "$stderr" "secpolgenerate: error: mid.json:3: \"type\" is not a type name a policy can hold: the state file is refused and left as it is"
}

@test "secpolgenerate -i decides what is start-up and what is later" {
	gen -i 0.001 "$DATA/walkthrough.json"
	expect_status 0
	grep -qxF $'\tsys_rawio  # opt/secpol/examples/devf-server (later)' <<<"$output"
	gen -i 100 "$DATA/walkthrough.json"
	grep -qxF $'\tsys_nice  # usr/sbin/nginx (start-up)' <<<"$output"
}

# literal_block MAN N: the text of the Nth literal display of the page.
literal_block() {
	awk -v n="$2" '/^\.Bd -literal/{k++; on = (k == n); next} on && /^\.Ed/{on = 0} on' "$1" |
		sed -e 's/\\e/\\/g' -e 's/\\&//g'
}

@test "secpolgenerate(1): every option is documented, the examples are true" {
	local man=$REPO/docs/man/secpolgenerate.1 o l
	[ -f "$man" ]
	gen --help
	# the options of the help's option lines ("  -l, --live ...")
	for o in $(grep -oE -- '^ +(-[a-zA-Z], )?--?[a-z][a-z-]*' <<<"$output" | tr -d ' ,' | sed 's/^\(-[a-zA-Z]\)--/\1 --/' | tr ' ' '\n'); do
		case $o in
		--*) grep -qE -- "^\.It Fl -${o#--}( |$)|^\.It Fl [a-zA-Z] , Fl -${o#--}( |$)" "$man" ;;
		*) grep -qE -- "^\.It Fl ${o#-}( |$)" "$man" ;;
		esac || die "$man lacks an .It for $o"
	done
	# the policy excerpt under OUTPUT (block 1), line by line
	gen "$DATA/walkthrough.json" "$DATA/web2.json"
	expect_status 0
	while IFS= read -r l; do
		[ -z "$l" ] || grep -qxF -- "$l" <<<"$output" || die "the generated policy lacks: $l"
	done < <(literal_block "$man" 1)
	# the -G example (block 8)
	gen -G 3 "$DATA/web2.json"
	grep -qxF -- "$(literal_block "$man" 8 | tail -n 1)" <<<"$output"
	# a cut state file (block 2, on two lines there)
	gen -s state.json "$DATA/walkthrough.json"
	head -n 5 state.json >cut && mv cut state.json
	gen -s state.json
	expect_status 1
	expect_text "$stderr" "$(literal_block "$man" 2 | paste -sd ' ')"
	# the usage error (block 10)
	gen
	expect_status 2
	expect_text "$stderr" "$(literal_block "$man" 10)"
}
