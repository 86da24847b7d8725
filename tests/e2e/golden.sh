#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The golden dumps: what the QEMU guests of 'make e2e' recorded, kept in
# tests/data/e2e/CASE.dump, verified offline against tests/e2e/cases/CASE.case
# on every 'make check' (no QEMU needed). One test point per dump; the
# failing expectations come as diagnostics. Prints TAP 13.
O=${O:-build}
assert=$O/tests/e2e/e2e-assert
shopt -s nullglob
n=0
echo "TAP version 13"
for d in tests/data/e2e/*.dump; do
	name=$(basename "$d" .dump)
	c=tests/e2e/cases/$name.case
	n=$((n + 1))
	if [ ! -f "$c" ]; then
		echo "not ok $n - $name: no case file $c"
		continue
	fi
	res=$("$assert" "$c" "$d" 2>&1)
	rc=$?
	points=$(grep -cE '^ok ' <<< "$res")
	if [ $rc -eq 0 ]; then
		echo "ok $n - $name: $points expectations hold"
	else
		echo "not ok $n - $name: e2e-assert exit $rc"
		grep -E '^not ok|^#   |e2e-assert:' <<< "$res" | sed 's/^/#   /'
	fi
done
if [ $n -eq 0 ]; then
	echo "not ok 1 - no golden dump in tests/data/e2e"
	n=1
fi
echo "1..$n"
