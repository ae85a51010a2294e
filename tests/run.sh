#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs the test suites and prints one summary line: "N passed, N failed,
# N skipped".  Every suite speaks TAP; this script counts the results.
# With CI=true a skipped test counts as a failure (CI has root, BPF and
# seccomp, so nothing should need to skip there).
#
#   tests/run.sh            all suites
#   tests/run.sh unit cli   only these
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
export SECPOL_BIN=${SECPOL_BIN:-$PWD/$BUILD/asan/bin}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit lang cli integration adversarial monitor pkg fuzz)

passed=0 failed=0 skipped=0
failures=()

# count_tap NAME: reads TAP on stdin, echoes it, updates the counters.
count_tap() {
	local name=$1 line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case "$line" in
		"ok "*"# skip"* | "ok "*"# SKIP"* | "not ok "*"# SKIP"* | "not ok "*"# skip"*)
			skipped=$((skipped + 1))
			if [ "${CI:-}" = true ]; then
				failed=$((failed + 1))
				failures+=("$name: ${line} (skips fail under CI=true)")
			fi
			;;
		"ok "*) passed=$((passed + 1)) ;;
		"not ok "*)
			failed=$((failed + 1))
			failures+=("$name: $line")
			;;
		esac
	done
}

run_unit() {
	local t
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "# unit: ${t##*/}"
		# A crash (sanitizer abort) must count even if TAP was cut short.
		count_tap "unit/${t##*/}" < <(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1; rc=$?; \
			[ $rc -ne 0 ] && echo "not ok - ${t##*/} exited with status $rc")
	done
}

run_bats() {
	local dir=$1 f
	for f in tests/"$dir"/*.bats; do
		[ -e "$f" ] || continue
		echo "# $dir: ${f##*/}"
		count_tap "$dir/${f##*/}" < <(bats --tap "$f" 2>&1)
	done
}

run_fuzz() {
	local f name corpus
	for f in "$BUILD"/fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		name=${f##*/}
		corpus=$(mktemp -d)
		cp tests/fuzz/corpus/"${name#fuzz_}"/* "$corpus"/ 2>/dev/null
		echo "# fuzz: $name for ${FUZZ_SECONDS}s"
		if "$f" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=10 \
			-print_final_stats=1 "$corpus" >"$corpus.log" 2>&1; then
			grep -E '^stat::number_of_executed_units|^Done' "$corpus.log" | sed 's/^/# /'
			count_tap "fuzz/$name" < <(echo "ok - $name ran ${FUZZ_SECONDS}s without a finding")
		else
			tail -n 40 "$corpus.log" | sed 's/^/# /'
			count_tap "fuzz/$name" < <(echo "not ok - $name found a crash (see above)")
		fi
		rm -rf "$corpus" "$corpus.log"
	done
}

for s in "${suites[@]}"; do
	case "$s" in
	unit) run_unit ;;
	lang | cli | integration | adversarial | monitor | pkg) run_bats "$s" ;;
	fuzz) run_fuzz ;;
	*) echo "run.sh: unknown suite $s" >&2; exit 2 ;;
	esac
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "# failures:"
	printf '#   %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
