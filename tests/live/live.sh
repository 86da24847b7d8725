#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# esync live and record on this machine, and check --perf on a sample.
# The live part needs root and BPF support; without them it is skipped.
# Prints TAP 13.

O=${O:-build}
ESYNC=$O/esync
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); fail=1; echo "not ok $n - $1"; shift
	for l in "$@"; do echo "#   $l"; done
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

echo "TAP version 13"

# check --perf on perf script output
out=$("$ESYNC" check --perf tests/data/perf-clean-amd.txt 2>&1); rc=$?
if [ $rc = 0 ] && echo "$out" | grep -q "7 events, 1 writes: clean"; then
	ok "check --perf reads perf script output"
else
	not_ok "check --perf reads perf script output" "rc=$rc" "$out"
fi
out=$(cat tests/data/perf-clean-amd.txt | "$ESYNC" check --perf - 2>&1); rc=$?
[ $rc = 0 ] && ok "check --perf - reads stdin" || not_ok "check --perf - reads stdin" "rc=$rc" "$out"

if ! "$ESYNC" --help 2>&1 | grep -q "^  live"; then
	skip "esync live" "built without the BPF toolchain"
	skip "esync record" "built without the BPF toolchain"
elif [ "$(id -u)" != 0 ]; then
	out=$("$ESYNC" live --duration 1 2>&1); rc=$?
	if [ $rc = 2 ] && echo "$out" | grep -q "needs root or CAP_BPF"; then
		ok "live without privileges: one clear line"
	else
		not_ok "live without privileges: one clear line" "rc=$rc" "$out"
	fi
	skip "esync live --duration 2" "not root"
else
	out=$("$ESYNC" live --duration 2 2>&1); rc=$?
	if [ $rc = 0 ] && echo "$out" | grep -qE "^esync: (legacy|patched) mode" &&
	   { [ -n "$(ls /sys/class/iommu 2>/dev/null)" ] ||
	     echo "$out" | grep -q "no IOMMU events can occur"; }; then
		ok "live --duration 2 attaches and exits 0"
	else
		not_ok "live --duration 2 attaches and exits 0" "rc=$rc" "$out"
	fi
	"$ESYNC" record -o "$TMP/r.dump" --duration 1 > "$TMP/rec.out" 2>&1; rc=$?
	mode=$(stat -c %a "$TMP/r.dump" 2>/dev/null)
	if [ $rc = 0 ] && [ "$mode" = 600 ] && "$ESYNC" check "$TMP/r.dump" > /dev/null 2>&1; then
		ok "record -o writes a 0600 dump that check reads"
	else
		not_ok "record -o writes a 0600 dump that check reads" "rc=$rc mode=$mode" "$(cat "$TMP/rec.out")"
	fi
	# SIGINT leaves a whole file; SIGUSR1 writes the flight window
	"$ESYNC" record -o "$TMP/f.dump" --flight 16 > "$TMP/f.out" 2>&1 &
	pid=$!
	sleep 1.5
	kill -USR1 $pid; sleep 0.2; kill -INT $pid; wait $pid; rc=$?
	if [ $rc = 0 ] && "$ESYNC" check "$TMP/f.dump" > /dev/null 2>&1; then
		ok "record --flight: SIGUSR1 then SIGINT leave a readable dump"
	else
		not_ok "record --flight: SIGUSR1 then SIGINT leave a readable dump" "rc=$rc" "$(cat "$TMP/f.out")"
	fi
fi
echo "1..$n"
exit $fail
