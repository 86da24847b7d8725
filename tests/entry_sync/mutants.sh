#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Each file in tests/entry_sync/mutants/ plants one bug in the entry_sync
# library; $O/entry_sync/model-<name> is the model checker linked to that
# mutant. Every mutant must be caught: the checker must fail on it, and the
# test point names the evidence it gave. A fixed seed keeps this repeatable.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
mapfile -t mutants < <(cd "$top/tests/entry_sync/mutants" && ls -- *.patch | sed 's/\.patch$//')
echo "TAP version 13"
echo "1..$((2 * ${#mutants[@]}))"
n=0
fails=0
for m in "${mutants[@]}"; do
	n=$((n + 1))
	bin=$O/entry_sync/model-$m
	if [ ! -x "$bin" ]; then
		echo "not ok $n - mutant $m: $bin was not built"
		fails=$((fails + 1))
		continue
	fi
	out=$(ESYNC_SEED=1 ESYNC_MAX_FAILURES=1 ESYNC_TRANSITIONS=300000 \
		timeout 120 "$bin" 2>&1)
	rc=$?
	# The evidence: the first failure the checker printed.
	why=$(echo "$out" | sed -n 's/^#   .*EXPECT_FAIL: //p' | head -n 1)
	where=$(echo "$out" | sed -n 's/^not ok [0-9]* - //p' | head -n 1)
	if [ $rc -ne 0 ] && [ -n "$why" ]; then
		echo "ok $n - mutant $m caught by $where: $why"
	elif [ $rc -ne 0 ]; then
		echo "ok $n - mutant $m caught: checker exited with status $rc"
		echo "$out" | tail -n 5 | sed 's/^/#   /'
	else
		echo "not ok $n - mutant $m survived: the checker passed it"
		fails=$((fails + 1))
	fi
	# The series' KUnit test, run in userspace, must catch it as well.
	n=$((n + 1))
	kout=$(timeout 60 "$O/entry_sync/kunit-$m" 2>&1)
	if [ $? -ne 0 ]; then
		echo "ok $n - mutant $m caught by the KUnit test: $(echo "$kout" | sed -n "s/^not ok [0-9]* - //p" | head -n 1)"
	else
		echo "not ok $n - mutant $m survived the KUnit test"
		fails=$((fails + 1))
	fi
done
[ $fails -eq 0 ]
