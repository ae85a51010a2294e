#!/usr/bin/env bats
# bash completion (dist/completion/secpol.bash): each test drives the
# completion function of a program as bash would (COMP_WORDS, COMP_CWORD)
# in a fresh bash, without the bash-completion package, and checks the
# words offered.  The programs are those under test ($SECPOL_BIN), named
# by path on the line, so the completion asks them.
load ../cli/helpers

COMPLETION=$REPO/dist/completion/secpol.bash

setup_file() {
	cd "$BATS_FILE_TMPDIR"
	cat >c.sp <<'END'
ability acme/reset;
ability acme/probe;
type web_t;
type worker_t;
type db_t;
END
	"$SECPOLCOMPILE" -p 0x77 -o c.bin c.sp
	printf 'type other_t;\n' >o.sp
	"$SECPOLCOMPILE" -p 0x78 -o o.bin o.sp
	# a run directory holding the running policy's copy, as secpold
	# keeps it (no secpold is needed to read it)
	mkdir run
	cp c.bin run/policy.bin
}

setup() {
	cd "$BATS_FILE_TMPDIR"
}

# complete PROGRAM WORD...: completes the last WORD of `PROGRAM WORD...`
# (PROGRAM from $SECPOL_BIN); the offered words, one per line, sorted.
complete_words() {
	local prog=$1
	shift
	run --separate-stderr env SECPOL_RUNDIR="$BATS_FILE_TMPDIR/run" \
		SECPOL_POLICY="$BATS_FILE_TMPDIR/none.bin" \
		bash --norc --noprofile -c '
			source "$1" || exit 9
			prog=$2
			shift 2
			COMP_WORDS=("$prog" "$@")
			COMP_CWORD=$(($# ))
			COMP_LINE="${COMP_WORDS[*]}"
			COMP_POINT=${#COMP_LINE}
			"_secpol_${prog##*/}" || exit 8
			printf "%s\n" "${COMPREPLY[@]}"
		' completion "$COMPLETION" "$SECPOL_BIN/$prog" "$@"
	[ "$status" -eq 0 ] || die "completion failed (status $status): $stderr"
	[ -z "$stderr" ] || die "completion wrote to stderr: $stderr"
	output=$(sort <<<"$output" | sed '/^$/d')
}

# expect_words WORD...: exactly these were offered.
expect_words() {
	expect_text "$output" "$(printf '%s\n' "$@" | sort)"
}

# has_words WORD...: at least these were offered.
has_words() {
	local w
	for w in "$@"; do
		grep -qxF -- "$w" <<<"$output" || die "'$w' was not offered:" "$output"
	done
}

@test "completion: the script registers a function for every program" {
	run bash --norc --noprofile -c 'source "$1" && complete -p' x "$COMPLETION"
	expect_status 0
	local p
	for p in secpolcompile secpol secpold on secpolmonitor secpolgenerate; do
		grep -qxF "complete -F _secpol_$p $p" <<<"$output" || die "no completion for $p:" "$output"
	done
}

@test "completion: options of every program, as their --help describes them" {
	complete_words secpol -
	has_words -c -d -v -p -l -i -f -t -a -h --help --json --list-types \
		--list-abilities --version
	complete_words secpol --list-
	expect_words --list-types --list-abilities
	complete_words secpolcompile -
	has_words -m --mutable -o --output -p --policy-id -h --help
	complete_words secpold -
	has_words -f -i -v -h --help --version
	complete_words on -
	has_words -T -u -h --help --
	complete_words secpolmonitor -
	has_words -a -c -n -p -q -r -s -u -v -f -i -o -S --json --queue -h --help
	complete_words secpolmonitor --q
	expect_words --queue
	# every word offered is an option the program's help names
	local p w
	for p in secpol secpolcompile secpold on secpolmonitor; do
		complete_words "$p" -
		for w in $output; do
			[ "$w" = -- ] && continue
			"$SECPOL_BIN/$p" --help | grep -qE -- "(^|[ ,])$w([ ,=]|$)" ||
				die "$p: '$w' is not in its --help"
		done
	done
}

@test "completion: type names for secpol -t and on -T, from the running or the given policy" {
	complete_words secpol -t ''
	expect_words default web_t worker_t db_t
	complete_words secpol -t w
	expect_words web_t worker_t
	# -i on the line names the policy
	complete_words secpol -i o.bin -t ''
	expect_words default other_t
	complete_words on -T ''
	expect_words default web_t worker_t db_t
	complete_words on -T d
	expect_words default db_t
	complete_words on -u 0 -T wo
	expect_words worker_t
}

@test "completion: ability names for secpol -a, custom abilities for secpolmonitor -S" {
	complete_words secpol -a net_b
	expect_words net_bind_service net_broadcast
	complete_words secpol -a ''
	has_words chown sys_admin pathspace channel_connect io acme/reset acme/probe
	complete_words secpol -i o.bin -a acme
	expect_words
	complete_words secpolmonitor -S ''
	expect_words acme/reset acme/probe
	complete_words secpolmonitor -a -S acme/r
	expect_words acme/reset
}

@test "completion: option arguments: files, filters, users, and nothing where a value is free" {
	mkdir -p files && touch files/pol.bin files/pol.sp
	complete_words secpol -i files/p
	expect_words files/pol.bin files/pol.sp
	complete_words secpold -i files/pol.b
	expect_words files/pol.bin
	complete_words secpolcompile -o files/pol.s
	expect_words files/pol.sp
	complete_words secpolcompile -m files/
	expect_words files/pol.bin files/pol.sp
	complete_words secpolmonitor -o files/pol.b
	expect_words files/pol.bin
	# -f of secpol: a comma-separated list
	complete_words secpol -f at
	expect_words attach attributes
	complete_words secpol -f abilities,li
	expect_words abilities,link
	# free values: no words
	complete_words secpolcompile -p ''
	expect_words
	complete_words secpolmonitor -i ''
	expect_words
	complete_words secpolmonitor -f ''
	expect_words
	complete_words on -u roo
	expect_words root
	complete_words on -u root:roo
	expect_words root:root
	# secpold takes no operands
	complete_words secpold files/
	expect_words
}

@test "completion: on hands the command's words to the command" {
	mkdir -p cmdfiles && touch cmdfiles/pol.bin
	# the command position: commands
	PATH=$SECPOL_BIN:$PATH complete_words on -T web_t secpolcomp
	expect_words secpolcompile
	PATH=$SECPOL_BIN:$PATH complete_words on -T web_t -- secpolmon
	expect_words secpolmonitor
	# after it: its arguments (files, without the bash-completion package)
	complete_words on -T web_t cat cmdfiles/pol.
	expect_words cmdfiles/pol.bin
	# an option of the command is not one of on's
	complete_words on -T web_t ls -
	! grep -qxF -- -T <<<"$output" || die "on's -T offered for ls: $output"
}

@test "completion: with the bash-completion package, on passes the command's own completion on" {
	local bc=/usr/share/bash-completion/bash_completion
	[ -r "$bc" ] || die "$bc is missing (scripts/deps.sh installs bash-completion)"
	mkdir -p bcfiles && touch bcfiles/pol.bin
	run --separate-stderr env PATH="$SECPOL_BIN:$PATH" SECPOL_RUNDIR="$BATS_FILE_TMPDIR/run" \
		bash --norc --noprofile -c '
			source "$1" && source "$2" || exit 9
			words() {
				COMP_WORDS=("$@")
				COMP_CWORD=$(($# - 1))
				COMP_LINE="${COMP_WORDS[*]}"
				COMP_POINT=${#COMP_LINE}
				COMPREPLY=()
				_secpol_on
				printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd " "
			}
			words on -T web_t secpolcompile --mu
			words on -T web_t secpol -t wor
			words on -T web_t secpolcompile bcfiles/p
			words on -T db
		' x "$bc" "$COMPLETION"
	expect_status 0
	expect_text "$output" "--mutable
worker_t
bcfiles/pol.bin
db_t"
}
