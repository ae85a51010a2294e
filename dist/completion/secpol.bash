# SPDX-License-Identifier: BSD-2-Clause
# bash completion for secpol for Linux: secpolcompile, secpol, secpold, on,
# secpolmonitor and secpolgenerate.  Installed once as "secpol" with a link
# for every other program (bash-completion loads a file by the command's
# name).
#
# Options come from each program's --help, so they stay true to it.  Type
# names come from `secpol --list-types` (the policy the running secpold
# holds, or the policy named by -i on the line), ability names from
# `secpol --list-abilities`.  The secpol asked is the one beside the program
# being completed when that was given with a path, else the one on $PATH.
# Works with or without the bash-completion package (which adds nicer file
# name completion).

# _secpol_tool WORD0 NAME: the program NAME beside WORD0 if WORD0 has a
# directory part and NAME is there, else NAME.
_secpol_tool()
{
	local dir
	if [[ $1 == */* ]]; then
		dir=${1%/*}
		if [[ -x $dir/$2 ]]; then
			printf '%s\n' "$dir/$2"
			return
		fi
	fi
	printf '%s\n' "$2"
}

# _secpol_help_opts PROGRAM: fills _secpol_opts (every option the program's
# --help describes) and _secpol_argopts (" -i -f ... ": those that take an
# argument), cached per program; _secpol_argname["PROGRAM OPTION"] is the
# placeholder its help gives the argument ("FILE", "policy", "name").
declare -gA _secpol_opts_cache _secpol_argopts_cache _secpol_argname
_secpol_help_opts()
{
	local prog=$1 line rest w opts=() args=" " i words
	if [[ -n ${_secpol_opts_cache[$prog]+set} ]]; then
		read -r -a _secpol_opts <<<"${_secpol_opts_cache[$prog]}"
		_secpol_argopts=${_secpol_argopts_cache[$prog]}
		return
	fi
	while IFS= read -r line; do
		# "  -o, --output FILE      what it does": the part before
		# the two spaces that start the description
		[[ $line =~ ^[[:space:]]+(-[^[:space:]].*)$ ]] || continue
		rest=${BASH_REMATCH[1]}
		rest=${rest%%  *}
		read -r -a words <<<"${rest//,/ }"
		for ((i = 0; i < ${#words[@]}; i++)); do
			w=${words[i]}
			[[ $w == -* ]] || continue
			w=${w%%=*}
			opts+=("$w")
			# an argument follows (a word without a dash, or =ARG)
			if [[ ${words[i]} == *=* ]]; then
				args+="$w "
				_secpol_argname["$prog $w"]=${words[i]#*=}
			elif ((i + 1 < ${#words[@]})) && [[ ${words[i + 1]} != -* ]]; then
				args+="$w "
				_secpol_argname["$prog $w"]=${words[i + 1]}
			fi
		done
	done < <(LC_ALL=C "$prog" --help 2>/dev/null)
	# "-o, --output FILE": the short form takes it too
	for ((i = 0; i + 1 < ${#opts[@]}; i++)); do
		if [[ ${opts[i]} == -? && ${opts[i + 1]} == --* && $args == *" ${opts[i + 1]} "* ]]; then
			args+="${opts[i]} "
			_secpol_argname["$prog ${opts[i]}"]=${_secpol_argname["$prog ${opts[i + 1]}"]}
		fi
	done
	_secpol_opts=("${opts[@]}")
	_secpol_argopts=$args
	_secpol_opts_cache[$prog]="${opts[*]}"
	_secpol_argopts_cache[$prog]=$args
}

# _secpol_reply WORD...: the words that start with $cur.
_secpol_reply()
{
	local w
	COMPREPLY=()
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
	return 0
}

# _secpol_lines CMD...: _secpol_reply with the output lines of CMD.
_secpol_lines()
{
	local words=()
	mapfile -t words < <("$@" 2>/dev/null)
	_secpol_reply "${words[@]}"
}

_secpol_files()
{
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	fi
}

# _secpol_option_value WORD: the value of option WORD (-i) earlier on the
# line, if any.
_secpol_option_value()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == "$1" ]]; then
			printf '%s\n' "${COMP_WORDS[i + 1]}"
			return
		fi
	done
}

# _secpol_generic PROGRAM: options from --help; an option's argument is a
# file when its placeholder says so (file, policy, output), else nothing.
_secpol_generic()
{
	local prog=$1 arg
	_secpol_help_opts "$prog"
	if [[ $prev == -* && $_secpol_argopts == *" $prev "* ]]; then
		arg=${_secpol_argname["$prog $prev"],,}
		if [[ $arg =~ (file|policy|output|dir) ]]; then
			_secpol_files
		else
			COMPREPLY=()
		fi
		return 0
	fi
	if [[ $cur == -* ]]; then
		_secpol_reply "${_secpol_opts[@]}"
	else
		_secpol_files
	fi
}

_secpol_secpolcompile()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-p | --policy-id)
		COMPREPLY=()
		return 0
		;;
	esac
	_secpol_generic "${COMP_WORDS[0]}"
}

_secpol_secpol()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local secpol policy
	secpol=$(_secpol_tool "${COMP_WORDS[0]}" secpol)
	policy=$(_secpol_option_value -i)
	case $prev in
	-i)
		_secpol_files
		return 0
		;;
	-t)
		_secpol_lines "$secpol" --list-types ${policy:+-i "$policy"}
		return 0
		;;
	-a)
		_secpol_lines "$secpol" --list-abilities ${policy:+-i "$policy"}
		return 0
		;;
	-f)
		# a comma-separated list: complete the last item
		local done=${cur%"${cur##*,}"} f words=()
		for f in abilities attach link derive attributes all; do
			words+=("$done$f")
		done
		_secpol_reply "${words[@]}"
		compopt -o nospace 2>/dev/null
		return 0
		;;
	esac
	_secpol_help_opts "${COMP_WORDS[0]}"
	_secpol_reply "${_secpol_opts[@]}"
}

_secpol_secpold()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	_secpol_generic "${COMP_WORDS[0]}"
	# secpold takes no operands
	[[ $cur == -* || $prev == -i ]] || COMPREPLY=()
	return 0
}

_secpol_on()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local i w
	# on's options end at the command: complete that as its own line
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--)
			((i++))
			break
			;;
		-T | -u) ((i++)) ;;
		-*) ;;
		*) break ;;
		esac
	done
	# the command is at i: its arguments are its own business
	if ((i < COMP_CWORD)); then
		if declare -F _command_offset >/dev/null; then
			_command_offset "$i"
		else
			_secpol_files
		fi
		return 0
	fi
	case $prev in
	-T)
		_secpol_lines "$(_secpol_tool "${COMP_WORDS[0]}" secpol)" --list-types
		return 0
		;;
	-u)
		if [[ $cur == *:* ]]; then
			mapfile -t COMPREPLY < <(compgen -g -P "${cur%%:*}:" -- "${cur#*:}")
		else
			mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		fi
		return 0
		;;
	esac
	if [[ $cur == -* ]]; then
		_secpol_help_opts "${COMP_WORDS[0]}"
		_secpol_reply "${_secpol_opts[@]}" --
	else
		mapfile -t COMPREPLY < <(compgen -c -- "$cur")
	fi
}

_secpol_secpolmonitor()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-S)
		# custom abilities (vendor/name) of the running policy
		local all=() a customs=()
		mapfile -t all < <("$(_secpol_tool "${COMP_WORDS[0]}" secpol)" --list-abilities 2>/dev/null)
		for a in "${all[@]}"; do
			[[ $a == */* ]] && customs+=("$a")
		done
		_secpol_reply "${customs[@]}"
		return 0
		;;
	-o)
		_secpol_files
		return 0
		;;
	esac
	_secpol_help_opts "${COMP_WORDS[0]}"
	if [[ $_secpol_argopts == *" $prev "* ]]; then
		COMPREPLY=() # a name, a time, a number
		return 0
	fi
	_secpol_reply "${_secpol_opts[@]}"
}

# secpolgenerate: options and their file arguments from its --help.
# TODO(lead): type names or other special arguments, once its options are
# settled.
_secpol_secpolgenerate()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	_secpol_generic "${COMP_WORDS[0]}"
}

complete -F _secpol_secpolcompile secpolcompile
complete -F _secpol_secpol secpol
complete -F _secpol_secpold secpold
complete -F _secpol_on on
complete -F _secpol_secpolmonitor secpolmonitor
complete -F _secpol_secpolgenerate secpolgenerate
