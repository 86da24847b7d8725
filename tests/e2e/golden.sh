#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The golden dumps: what the QEMU guests of 'make e2e' recorded, kept in
# tests/data/e2e/CASE.dump, verified offline against tests/e2e/cases/CASE.case
# on every 'make check' (no QEMU needed). One test point per dump; the
# failing expectations come as diagnostics. Then each planted bug's dump
# must fail its scenario's clean case. Prints TAP 13.
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
# The assertions can fail: a planted bug's dump must fail the clean
# expectations of its scenario's patched case.
for d in tests/data/e2e/mutant-*.dump; do
	name=$(basename "$d" .dump)
	scenario=$(sed -n 's/^scenario[[:space:]]\+\([a-z]*\).*/\1/p' "tests/e2e/cases/$name.case")
	n=$((n + 1))
	"$assert" "tests/e2e/cases/$scenario.case" "$d" > /dev/null 2>&1
	rc=$?
	if [ $rc -eq 1 ]; then
		echo "ok $n - $name fails the clean $scenario case"
	else
		echo "not ok $n - $name against the clean $scenario case: exit $rc, expected 1"
	fi
done
# The per-entry summary of 'esync show' on them: every arm entry clean,
# the planted bug's STE with its H1.
n=$((n + 1))
sum=$("$O/esync" show --summary tests/data/e2e/arm.dump)
if [ -f tests/data/e2e/arm.dump ] && [ "$(grep -c '^smmu-ste .*; clean$' <<< "$sum")" -eq 3 ] &&
   [ "$(grep -c '^smmu-cd .*; clean$' <<< "$sum")" -eq 3 ]; then
	echo "ok $n - esync show --summary: the arm guest's three STEs and their CDs are clean"
else
	echo "not ok $n - esync show --summary on arm.dump"
	sed 's/^/#   /' <<< "$sum"
fi
n=$((n + 1))
sum=$("$O/esync" show --summary tests/data/e2e/mutant-lib-no-step-sync.dump)
if grep -qE '^smmu-ste .*; 2 with findings: H1$' <<< "$sum"; then
	echo "ok $n - esync show --summary: the planted bug's STE has 2 writes with H1"
else
	echo "not ok $n - esync show --summary on mutant-lib-no-step-sync.dump"
	sed 's/^/#   /' <<< "$sum"
fi
# The fault expectations hold on a hand-made dump with faults, and a fault
# makes the clean expectation fail
tmpc=$(mktemp)
printf 'fault F_TRANSLATION smmu-ste\nfault F_TRANSLATION none\nfault io_page_fault smmu-ste\n' > "$tmpc"
n=$((n + 1))
if "$assert" "$tmpc" tests/data/fault-after-clean.dump > /dev/null 2>&1; then
	echo "ok $n - e2e-assert: faults linked as the case says"
else
	echo "not ok $n - e2e-assert: faults linked as the case says"
fi
printf 'fault C_BAD_STE smmu-ste\n' > "$tmpc"
n=$((n + 1))
"$assert" "$tmpc" tests/data/fault-after-clean.dump > /dev/null 2>&1
rc=$?
printf 'clean\n' > "$tmpc"
"$assert" "$tmpc" tests/data/fault-after-clean.dump > /dev/null 2>&1
rc2=$?
if [ $rc -eq 1 ] && [ $rc2 -eq 1 ]; then
	echo "ok $n - e2e-assert: a missing fault and a fault in a clean case fail"
else
	echo "not ok $n - e2e-assert: a missing fault ($rc) and a fault in a clean case ($rc2) fail"
fi
rm -f "$tmpc"
if [ $n -eq 0 ]; then
	echo "not ok 1 - no golden dump in tests/data/e2e"
	n=1
fi
echo "1..$n"
