# SPDX-License-Identifier: GPL-2.0-only
#
# TAP 13 for the test scripts: source it, report with ok / not_ok / skip /
# check, end with tap_done (the plan, then exit 1 if anything failed).

n=0
fail=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {	# NAME DIAGNOSTICS...
	n=$((n + 1))
	fail=1
	echo "not ok $n - $1"
	shift
	for l in "$@"; do echo "#   $l"; done
}
skip() {	# NAME REASON
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
check() {	# NAME STATUS DIAGNOSTICS...
	local name=$1 st=$2
	shift 2
	if [ "$st" = 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}
tap_done() {
	echo "1..$n"
	exit $fail
}
