#!/usr/bin/env bats
# Issue 7's round trip, as `make demo-generate` runs it: a workload learns
# under types the policy lacks (develop mode), secpolgenerate writes the
# policy, it is compiled and pushed enforcing, the same workload runs with
# no refusal, and steps outside what was learned are refused.

load helpers

setup_file() {
	spt_require || return 1
}

@test "learn, generate, enforce: zero refusals, then every step outside is refused" {
	run env BUILD="$REPO/$BUILD" "$REPO/examples/demo-generate.sh"
	[ "$status" -eq 0 ] || die "demo-generate failed ($status):" "$output"
	# the learned policy has what each part of the workload needed
	for want in "sys_rawio" "allow fs_user_t fs_t:channel connect;" \
		"setuid:65534" "setgid:65534" "net_bind_service:80" \
		"allow_attach web_t .*/root/web/control.sock;" \
		"allow_link link_t .*/root/links/current;"; do
		grep -Eq "$want" <<<"$output" || die "the policy lacks '$want':" "$output"
	done
	grep -qx "refusals: 0" <<<"$output" || die "the enforced run had refusals:" "$output"
	# the four steps outside, each refused and shown
	for want in "type web_t lacks ability NET_BIND_SERVICE\(81\) as root" \
		"type web_t lacks ability SETGID\(1000\) as root" \
		"of type link_t failed to attach to path .*/root/elsewhere: no rule" \
		"type fs_user_t lacks ability CHANNEL_CONNECT\([0-9]+\) \(web_t\) as root"; do
		grep -Eq "^  error: .*$want" <<<"$output" || die "not refused: '$want'" "$output"
	done
	# a proxied bind is not credited with checks the process never made
	! grep -q "DAC_" <<<"$output" || die "DAC checks credited to the workload:" "$output"
	# nothing left behind
	! mount | grep -q secpol-learn || die "a mount is left"
}
