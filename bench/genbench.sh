#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# How fast secpolgenerate turns a secpolmonitor --json log into a policy,
# and how much memory it needs: numbers, no pass/fail.
#
#   bench/genbench.sh [EVENTS]      (default 1000000; GENBENCH_EVENTS too)
#
# It writes a log shaped like a busy host's (most lines are untyped
# processes or routine probes that say nothing about a need; the rest are
# a few dozen service types binding ports, changing ids, connecting to
# each other, attaching sockets and making links, with now and then a
# lost-events line and a reconnect gap), then times
# `secpolgenerate -s state -o policy -g graph LOG` on it, on its first
# tenth, and on that tenth given ten times: the same needs in ten times
# the events, to show that memory follows the needs, not the events.
# The log is made before the clock starts; the run reads it from the page
# cache.  Needs no root and no secpold.
#
# Knobs: BUILD (build), GENBENCH_EVENTS, GENBENCH_DIR (where the scratch
# directory goes: ${TMPDIR:-/tmp}).
set -u
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
GEN=$PWD/$BUILD/bin/secpolgenerate
COMPILE=$PWD/$BUILD/bin/secpolcompile
N=${1:-${GENBENCH_EVENTS:-1000000}}

die() {
	printf 'genbench: %s\n' "$*" >&2
	exit 1
}
[[ $N =~ ^[1-9][0-9]{0,8}$ ]] || die "'$N' is not a number of events from 1 to 999999999"
for f in "$GEN" "$COMPILE"; do
	[ -x "$f" ] || die "$f is missing (make)"
done

# peak RSS: /usr/bin/time -v when it is there, else getrusage through
# python3 (RUSAGE_CHILDREN of a process that ran only the one command)
if [ -x /usr/bin/time ]; then
	MEASURE="time"
elif command -v python3 >/dev/null; then
	MEASURE=python
else
	die "needs /usr/bin/time (Debian package time) or python3 to measure peak RSS"
fi

S=$(mktemp -d "${GENBENCH_DIR:-${TMPDIR:-/tmp}}/genbench.XXXXXX") || die "cannot make a scratch directory"
trap 'rm -rf "$S"' EXIT
trap 'exit 130' INT TERM

# gen_log N FILE: N event lines, the same for the same N.
gen_log() {
	awk -v n="$1" 'BEGIN {
	srand(7)
	NT = 40 # service types
	for (i = 0; i < NT; i++) {
		ty[i] = sprintf("svc%d_t", i)
		prog[i, 0] = sprintf("usr/sbin/svc%dd", i)
		prog[i, 1] = sprintf("usr/lib/svc%d/worker", i)
		prog[i, 2] = sprintf("usr/bin/svc%d-helper", i)
	}
	split("80 443 22 25 53 8080 8443 631 389 993", port, " ")
	split("SYS_NICE:23 SYS_RAWIO:17 SYS_CHROOT:18 IPC_LOCK:14 SYS_RESOURCE:24 NET_RAW:13 KILL:5 CHOWN:0", plain, " ")
	split("SETPCAP:8 DAC_OVERRIDE:1 SYS_ADMIN:21 DAC_READ_SEARCH:2 FOWNER:3", untyped, " ")
	split("usr/bin/bash usr/bin/ls usr/lib/systemd/systemd usr/bin/cron usr/bin/python3.11", uprog, " ")
	for (e = 0; e < n; e++) {
		ns = e * 1000 # one event per microsecond of the log
		sec = int(ns / 1000000000) # from 2026-12-05T13:00:00Z
		ts = sprintf("2026-12-05T%02d:%02d:%02d.%06dZ", 13 + int(sec / 3600), int(sec / 60) % 60, sec % 60, int(ns / 1000) % 1000000)
		if (e % 100000 == 99999) {
			printf "{\"v\":1,\"time\":\"%s\",\"kind\":\"lost\",\"severity\":\"warning\",\"lost\":%d}\n", ts, 1 + int(rand() * 50)
			continue
		}
		if (e % 250000 == 124999) {
			printf "{\"v\":1,\"time\":\"%s\",\"kind\":\"gap\",\"severity\":\"warning\",\"phase\":\"begin\",\"message\":\"secpold stopped; reconnecting\"}\n", ts
			continue
		}
		if (e % 250000 == 125000) {
			printf "{\"v\":1,\"time\":\"%s\",\"kind\":\"gap\",\"severity\":\"warning\",\"phase\":\"end\",\"since\":\"%s\",\"gap_ms\":800,\"message\":\"monitoring again after 0.8s; events in between were not seen\"}\n", ts, ts
			continue
		}
		r = rand()
		pid = 1000 + int(rand() * 30000)
		if (r < 0.30) { # untyped processes: ignored
			split(untyped[1 + int(rand() * 5)], a, ":")
			hdr(ts, "ability", "allowed", pid, uprog[1 + int(rand() * 5)], "default", 0, 1, 0)
			printf ",\"ability\":\"%s\",\"ability_id\":%d,\"noaudit\":false,\"own_credentials\":true,\"decided_by\":\"kernel\",\"age_ms\":%d,\"syscall\":\"openat\",\"syscall_nr\":257}\n", a[1], a[2], int(rand() * 90000)
			continue
		}
		t = int(rand() * rand() * NT) # a few busy types, a long tail
		p = prog[t, int(rand() * 3)]
		root = rand() < 0.7
		uid = root ? 0 : 100 + t
		age = rand() < 0.8 ? int(rand() * 900) : 1000 + int(rand() * 3600000)
		res = rand() < 0.9 ? "allowed" : "denied"
		tail = sprintf(",\"decided_by\":\"%s\"%s,\"age_ms\":%d", "kernel", res == "denied" ? ",\"learning\":true" : "", age)
		err = res == "denied" ? ",\"errno\":\"EPERM\"" : ""
		if (r < 0.35) { # routine probes, borrowed credentials
			hdr(ts, "ability", "denied", pid, p, ty[t], t + 1, root, uid)
			printf ",\"ability\":\"SYS_ADMIN\",\"ability_id\":21,\"noaudit\":true,\"own_credentials\":true%s,\"errno\":\"EPERM\"}\n", tail
		} else if (r < 0.50) { # ports, uids, gids
			hdr(ts, "ability", res, pid, p, ty[t], t + 1, 1, 0)
			k = rand()
			if (k < 0.4) {
				v = port[1 + (t + int(rand() * 2)) % 10]
				printf ",\"ability\":\"NET_BIND_SERVICE\",\"ability_id\":10,\"value\":[%d,%d]", v, v
			} else {
				v = (k < 0.7 ? 33 : 1000) + t % 7 + int(rand() * 2)
				printf ",\"ability\":\"%s\",\"ability_id\":%d,\"value\":[%d,%d]", k < 0.7 ? "SETUID" : "SETGID", k < 0.7 ? 7 : 6, v, v
			}
			printf ",\"noaudit\":false,\"own_credentials\":true%s,\"syscall\":\"bind\",\"syscall_nr\":49%s}\n", tail, err
		} else if (r < 0.60) { # capabilities without a value
			split(plain[1 + (t + int(rand() * 3)) % 8], a, ":")
			hdr(ts, "ability", res, pid, p, ty[t], t + 1, root, uid)
			printf ",\"ability\":\"%s\",\"ability_id\":%d,\"noaudit\":false,\"own_credentials\":true%s%s}\n", a[1], a[2], tail, err
		} else if (r < 0.75) { # connects to a neighbour type
			u = (t + 1 + int(rand() * 3)) % NT
			hdr(ts, "ability", res, pid, p, ty[t], t + 1, root, uid)
			printf ",\"ability\":\"CHANNEL_CONNECT\",\"ability_id\":66,\"value\":[%d,%d],\"value_type\":\"%s\",\"value_type_id\":%d,\"noaudit\":false,\"own_credentials\":true%s,\"syscall\":\"connect\",\"syscall_nr\":42%s}\n", u + 1, u + 1, ty[u], u + 1, tail, err
		} else if (r < 0.76 && t % 10 == 0) { # a login-like service changes type
			u = t + 5
			hdr(ts, "ability", "allowed", pid, p, ty[t], t + 1, 1, 0)
			printf ",\"ability\":\"SETTYPEID\",\"ability_id\":67,\"value\":[%d,%d],\"value_type\":\"%s\",\"value_type_id\":%d,\"noaudit\":false,\"own_credentials\":true%s}\n", u + 1, u + 1, ty[u], u + 1, tail
		} else if (r < 0.85 && e + 1 < n) { # PATHSPACE, then the attach it was for
			d = rand() < 0.5 ? sprintf("/run/svc%d/ctl", t) : sprintf("/tmp/svc%d/sess-%d", t, int(rand() * 300))
			hdr(ts, "ability", "allowed", pid, p, ty[t], t + 1, root, uid)
			printf ",\"ability\":\"PATHSPACE\",\"ability_id\":64,\"noaudit\":false,\"own_credentials\":true,\"path\":\"%s\"%s,\"syscall\":\"bind\",\"syscall_nr\":49}\n", d, tail
			hdr(ts, "attach", res, pid, p, ty[t], t + 1, root, uid)
			printf ",\"path\":\"%s\",\"channel_type\":\"%s\",\"channel_type_id\":%d%s%s,\"syscall\":\"bind\",\"syscall_nr\":49%s}\n", d, ty[t], t + 1, res == "denied" ? ",\"reason\":\"no rule\"" : "", tail, err
			e++
		} else { # links
			hdr(ts, "link", res, pid, p, ty[t], t + 1, root, uid)
			printf ",\"path\":\"/var/lib/svc%d/current-%d\"%s%s,\"syscall\":\"symlinkat\",\"syscall_nr\":266%s}\n", t, int(rand() * 20), res == "denied" ? ",\"reason\":\"no rule\"" : "", tail, err
		}
	}
}
# the fields every ability, attach and link line starts with
function hdr(ts, kind, res, pid, name, type, id, root, uid,    comm) {
	comm = name
	sub(/.*\//, "", comm)
	printf "{\"v\":1,\"time\":\"%s\",\"kind\":\"%s\",\"severity\":\"%s\",\"result\":\"%s\",\"pid\":%d,\"tid\":%d,\"start_time_ns\":%d,\"name\":\"%s\",\"comm\":\"%s\",\"uid\":%d,\"euid\":%d,\"gid\":%d,\"egid\":%d,\"type\":\"%s\",\"type_id\":%d,\"domain\":\"%s\"", \
		ts, kind, res == "allowed" ? "info" : "error", res, pid, pid, pid * 1000003, name, comm, uid, uid, uid, uid, type, id, root ? "root" : "non-root"
}' >"$2"
}

# run LOG...: times secpolgenerate on the logs; sets SECS and RSS_KB
run() {
	local out=$S/run.$$ rc
	rm -f "$S/state.json"
	if [ "$MEASURE" = time ]; then
		/usr/bin/time -f '%e %M' -o "$out" "$GEN" -s "$S/state.json" -o "$S/policy.sp" -g "$S/graph.dot" "$@" 2>"$S/stderr"
		rc=$?
		read -r SECS RSS_KB <"$out"
	else
		python3 - "$out" "$GEN" -s "$S/state.json" -o "$S/policy.sp" -g "$S/graph.dot" "$@" 2>"$S/stderr" <<'EOF'
import resource, subprocess, sys, time
t = time.monotonic()
rc = subprocess.call(sys.argv[2:])
secs = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write("%.2f %d\n" % (secs, rss))
sys.exit(rc)
EOF
		rc=$?
		read -r SECS RSS_KB <"$out"
	fi
	[ "$rc" -eq 0 ] || die "secpolgenerate failed (status $rc): $(head -n 5 "$S/stderr")"
}

report() { # LABEL EVENTS
	awk -v l="$1" -v n="$2" -v s="$SECS" -v m="$RSS_KB" 'BEGIN {
		printf "%-22s %10d events  %7.2f s  %12.0f events/s  peak RSS %7.1f MiB\n",
			l, n, s, (s > 0 ? n / s : 0), m / 1024 }'
}

SMALL=$((N / 10))
[ "$SMALL" -ge 1 ] || SMALL=1
printf 'genbench: making a log of %d events in %s ...\n' "$N" "$S" >&2
gen_log "$N" "$S/big.json" || die "cannot write the log"
head -n "$SMALL" "$S/big.json" >"$S/small.json"
LINES=$(wc -l <"$S/big.json")
printf 'genbench: %d lines, %d MiB; measuring with %s\n' "$LINES" \
	$(($(stat -c %s "$S/big.json") / 1048576)) \
	"$([ "$MEASURE" = time ] && echo /usr/bin/time || echo getrusage)" >&2

echo "secpolgenerate: replaying a secpolmonitor --json log (-s, -o, -g)"
cat "$S/small.json" "$S/big.json" >/dev/null # into the page cache
run "$S/small.json"
report "a tenth of the log" "$SMALL"
# the same needs ten times over: memory follows the needs, not the events
# shellcheck disable=SC2046
run $(for _ in 1 2 3 4 5 6 7 8 9 10; do echo "$S/small.json"; done)
report "the tenth, 10 times" $((SMALL * 10))
run "$S/big.json"
report "the whole log" "$LINES"
printf '%-22s %d types, %d statements; secpolcompile: %s\n' "the policy" \
	"$(grep -c '^type ' "$S/policy.sp")" \
	"$(grep -cv '^[[:space:]]*\(#\|$\)' "$S/policy.sp")" \
	"$("$COMPILE" -o "$S/policy.bin" "$S/policy.sp" 2>&1 >/dev/null | head -n 1 | grep . || echo "accepted")"
