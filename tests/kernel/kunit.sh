#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check's view of make kernel-kunit: builds the kernels if needed (the
# first run takes a while), boots them, and prints their KUnit suites as one
# TAP stream. ESYNC_SKIP_KERNEL=1 skips it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
echo "TAP version 13"
if [ -n "${ESYNC_SKIP_KERNEL:-}" ]; then
	echo "1..1"
	echo "ok 1 - kernels in QEMU # SKIP ESYNC_SKIP_KERNEL is set"
	exit 0
fi
rm -f "$O"/kunit/*.tap
O=$O "$top/scripts/kernel-kunit.sh" > "$O/kunit-run.log" 2>&1
rc=$?
n=0
points=$(for arch in x86_64 arm64; do
	f=$O/kunit/$arch.tap
	[ -f "$f" ] || { echo "not ok - $arch: no KUnit result (see $O/kunit-run.log)"; continue; }
	grep -E '^(not )?ok' "$f" | sed -E "s/^((not )?ok) [0-9]+ - /\1 - $arch: /"
done)
echo "1..$(echo "$points" | grep -c .)"
while IFS= read -r l; do
	n=$((n + 1))
	echo "$l" | sed -E "s/^((not )?ok) - /\1 $n - /"
done <<< "$points"
[ $rc -eq 0 ] || tail -n 20 "$O/kunit-run.log" | sed 's/^/#   /'
exit $rc
