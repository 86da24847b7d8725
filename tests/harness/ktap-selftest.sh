#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ktap-check must pass a clean KUnit log from QEMU and fail one with a
# failing case, a failing parameter, or a missing suite.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
k=$O/tests/ktap-check
log=$top/tests/data/ktap/arm64-kunit.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"
echo "1..4"
n=0
expect() {	# expect STATUS NAME FILE SUITE...
	local want=$1 name=$2 file=$3 got
	shift 3
	n=$((n + 1))
	"$k" "$file" "$@" > "$tmp/out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then
		echo "ok $n - $name: $(grep -c '^not ok' "$tmp/out") failing point(s)"
	else
		echo "not ok $n - $name: exit $got, wanted $want"
		sed 's/^/#   /' "$tmp/out"
	fi
}
expect 0 "clean log passes" "$log" arm-smmu-v3-kunit-test iommu-entry-sync
sed '0,/^    ok 3 /s//    not ok 3 /' "$log" > "$tmp/case.log"
expect 1 "a failing case fails its suite" "$tmp/case.log"
sed '0,/^        ok 3 /s//        not ok 3 /' "$log" > "$tmp/param.log"
expect 1 "a failing parameter fails its suite" "$tmp/param.log"
expect 1 "a suite that never ran fails" "$log" iommu-entry-sync no-such-suite
