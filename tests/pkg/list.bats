#!/usr/bin/env bats
# Which process runs under which type (issue 11, 4): secpol -l from
# secpold's CTL_LIST, and the counts secpol -c adds for the running
# policy.  One private secpold for the file (tests/integration/helpers).

load ../integration/helpers

THREADS=$SPT_HELPERS/threads

setup_file() {
	spt_require || return 1
	spt_dirs
	cat >"$SCRATCH/list.sp" <<'END'
type a_t;
type b_t;
type admin_t;
allow admin_t self:ability mac_admin;
type a_rather_long_type_name_t;
END
	"$SECPOLCOMPILE" -m -p 0x5151 -o "$SCRATCH/list.bin" "$SCRATCH/list.sp" ||
		die "cannot compile the policy"
	# the same types, another ID; and fewer types
	"$SECPOLCOMPILE" -m -p 0x5152 -o "$SCRATCH/other.bin" "$SCRATCH/list.sp"
	printf 'type a_t;\n' >"$SCRATCH/short.sp"
	"$SECPOLCOMPILE" -m -p 0x5153 -o "$SCRATCH/short.bin" "$SCRATCH/short.sp"
	spd_start "$SCRATCH/list.bin"
}

teardown() {
	local f p
	for f in "$SCRATCH"/*.bgpid; do
		[ -e "$f" ] || continue
		p=$(cat "$f")
		rm -f "$f"
		kill -TERM "$p" 2>/dev/null
		wait_gone "$p" 20 || kill -KILL "$p" 2>/dev/null
	done
	return 0
}

teardown_file() {
	spt_cleanup
}

# bg NAME TYPE [-u UID] CMD...: runs `on -T TYPE CMD` in the background;
# waits until on's child (the typed process) exists and is named as CMD
# (it has exec'd); its pid is in $SCRATCH/NAME.child.
bg() {
	local name=$1 t=$2
	shift 2
	"$ON" -T "$t" "$@" </dev/null >"$SCRATCH/$name.out" 2>&1 3>&- &
	echo $! >"$SCRATCH/$name.bgpid"
	wait_until 20 child_exec "$!" "$name" ||
		die "$name did not start:" "$(cat "$SCRATCH/$name.out")"
}

child_exec() {
	local kids
	kids=$(cat "/proc/$1/task/$1/children" 2>/dev/null) || return 1
	[ -n "$kids" ] || return 1
	kids=${kids%% *}
	# exec'd: no longer a copy of on
	[ "$(readlink "/proc/$kids/exe")" != "$(readlink -f "$ON")" ] || return 1
	echo "$kids" >"$SCRATCH/$2.child"
}

child() { cat "$SCRATCH/$1.child"; }

list_ok() {
	run --separate-stderr "$SECPOL" "$@"
	no_sanitizer
	expect_status 0
	[ -z "$stderr" ] || die "stderr: $stderr"
}

@test "secpol -l: a header, then pid, type, effective uid, threads and name of each typed process, by pid" {
	local sleep_bin
	sleep_bin=$(readlink -f "$(command -v sleep)")
	bg one a_t "$THREADS" 3 60
	bg two b_t -u 65534 "$sleep_bin" 60
	bg three a_rather_long_type_name_t "$sleep_bin" 61
	list_ok -l
	local w=25 # the longest type name
	expect_eq "header" "${lines[0]}" "$(printf '%7s %-*s %5s %7s %s' PID $w TYPE EUID THREADS NAME)"
	expect_eq "lines" "${#lines[@]}" 4
	local want
	want=$(
		printf '%7s %-*s %5s %7s %s\n' "$(child one)" $w a_t 0 3 "${THREADS#/}"
		printf '%7s %-*s %5s %7s %s\n' "$(child two)" $w b_t 65534 1 "${sleep_bin#/}"
		printf '%7s %-*s %5s %7s %s\n' "$(child three)" $w a_rather_long_type_name_t 0 1 "${sleep_bin#/}" |
			sort -n
	)
	expect_eq "processes" "$(tail -n +2 <<<"$output")" "$(sort -n <<<"$want")"
	# -t: only that type's
	list_ok -l -t a_t
	expect_eq "-t a_t" "$(tail -n +2 <<<"$output")" \
		"$(printf '%7s %-*s %5s %7s %s' "$(child one)" 4 a_t 0 3 "${THREADS#/}")"
	list_ok -l -t admin_t
	expect_eq "-t admin_t" "$output" "$(printf '%7s %-4s %5s %7s %s' PID TYPE EUID THREADS NAME)"
}

@test "secpol -l --json: one object per process, every field" {
	bg one b_t "$THREADS" 2 60
	list_ok -l --json
	expect_eq "lines" "${#lines[@]}" 1
	local pid start
	pid=$(child one)
	# the start time is the one the events carry (CLOCK_BOOTTIME, ns)
	start=$(jq -r .start_time_ns <<<"${lines[0]}")
	expect_eq "start (clock ticks)" "$((start / 10000000))" "$(cut -d' ' -f22 <"/proc/$pid/stat" | sed 's/.*) //')"
	expect_eq "object" "$(jq -c 'del(.start_time_ns)' <<<"${lines[0]}")" \
		"{\"pid\":$pid,\"name\":\"${THREADS#/}\",\"type\":\"b_t\",\"type_id\":2,\"euid\":0,\"threads\":2}"
}

@test "secpol -l: names are escaped, one process per line" {
	local odd=$SCRATCH/$'we ird\nname'
	cp "$(readlink -f "$(command -v sleep)")" "$odd"
	bg one a_t "$odd" 60
	list_ok -l
	expect_eq "lines" "${#lines[@]}" 2
	[[ ${lines[1]} == *" ${SCRATCH#/}/we\\040ird\\nname" ]] || die "line: ${lines[1]}"
	list_ok -l --json
	# (JSON escapes as the monitor does: vis(3) style, spaces kept)
	expect_eq "json name" "$(jq -r .name <<<"$output")" "${SCRATCH#/}/we ird\\nname"
}

@test "secpol -l: more processes than one control message holds" {
	# 400 records of 56 bytes: more than the 16 KiB of a message
	bg many a_t sh -c 'i=0; while [ $i -lt 400 ]; do sleep 60 & i=$((i + 1)); done; exec sleep 60'
	wait_until 30 eval '[ "$("$SECPOL" -l -t a_t | wc -l)" -eq 402 ]' ||
		die "not all 401 processes listed: $("$SECPOL" -l -t a_t | wc -l) lines"
	list_ok -l -t a_t --json
	expect_eq "objects" "$(jq -s length <<<"$output")" 401
	# sorted by pid
	expect_eq "order" "$(jq -r .pid <<<"$output" | sort -n -c && echo sorted)" sorted
	# the sleeps were forked from sh, then the shell became sleep: 401 sleeps
	local p
	for p in $(jq -r .pid <<<"$output"); do
		echo "$p" >>"$SCRATCH/many.pids"
	done
	kill -TERM $(cat "$SCRATCH/many.pids") 2>/dev/null
	wait_until 20 eval '[ "$("$SECPOL" -l -t a_t | wc -l)" -eq 1 ]' ||
		die "typed processes left: $("$SECPOL" -l -t a_t)"
}

@test "secpol -l: unknown types, no daemon, and callers that may not list" {
	run --separate-stderr "$SECPOL" -l -t a_tt
	expect_status 1
	expect_eq "stderr" "$stderr" "secpol: error: unknown type 'a_tt' in policy 0x00005151; did you mean 'a_t'?"
	SECPOL_RUNDIR=$SCRATCH/nothing run --separate-stderr "$SECPOL" -l
	expect_status 1
	[[ $stderr == "secpol: error: no secpold is running for $SCRATCH/nothing "* ]] || die "stderr: $stderr"
	# a typed process needs mac_admin, as for monitoring
	on_run a_t "$SECPOL" -l
	expect_status 1
	expect_eq "stderr" "$stderr" "secpol: error: only root without a type, or a type with mac_admin, may list typed processes"
	on_run admin_t "$SECPOL" -l -t admin_t
	expect_status 0
	# it lists itself
	expect_eq "lines" "$(wc -l <<<"$output")" 2
	[[ ${lines[1]} == *" admin_t "*" ${SECPOL#/}" ]] || die "line: ${lines[1]}"
}

@test "secpol -c of the running policy: how many processes run under each type" {
	bg one a_t "$(command -v sleep)" 60
	bg two a_t "$(command -v sleep)" 60
	bg three b_t "$(command -v sleep)" 60
	list_ok -c -i "$SCRATCH/list.bin"
	expect_eq "counts" "$(sed -n '/^typed processes in /,$p' <<<"$output")" \
		"typed processes in $SECPOL_RUNDIR:
  default                   0
  a_t                       2
  b_t                       1
  admin_t                   0
  a_rather_long_type_name_t 0"
	# the default policy is the running one too; -t: that type only
	SECPOL_POLICY=$SCRATCH/list.bin list_ok -t a_t
	expect_eq "-t" "$(tail -n 2 <<<"$output")" "typed processes in $SECPOL_RUNDIR:
  a_t 2"
	# another policy (another ID): no counts
	list_ok -c -i "$SCRATCH/other.bin"
	! grep -q '^typed processes' <<<"$output" || die "counts for another policy: $output"
	# -v and -d alone show no contents, so no counts
	list_ok -v -i "$SCRATCH/list.bin"
	expect_eq "lines of -v" "${#lines[@]}" 1
}

@test "secpol -l: a process whose type a push removed shows as (gone)" {
	bg one b_t "$(command -v sleep)" 60
	run --separate-stderr "$SECPOL" -p -i "$SCRATCH/short.bin"
	expect_status 0
	list_ok -l
	[[ ${lines[1]} =~ ^\ *$(child one)\ \(gone\)\ +0\ +1\  ]] || die "line: ${lines[1]}"
	list_ok -l --json
	expect_eq "type" "$(jq -c '[.type, .type_id]' <<<"$output")" '[null,null]'
	run --separate-stderr "$SECPOL" -p -i "$SCRATCH/list.bin"
	expect_status 0
}

@test "list: secpold stops cleanly" {
	spt_final_check
}
