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

. "$(dirname "$0")/../harness/tap.sh"

echo "TAP version 13"

# check --perf on perf script output
# (the sample has no entry_sync_used events and this machine's sysfs no
# alias topology for its device: U1 and A1 are skipped, so not clean: 3)
out=$("$ESYNC" check --perf tests/data/perf-clean-amd.txt 2>&1); rc=$?
if [ $rc = 3 ] && echo "$out" | grep -q "7 events, 1 writes: no finding, but not clean" &&
   echo "$out" | grep -q "skipped: A1: .*; U1: no entry_sync_used events"; then
	ok "check --perf reads perf script output, says what it could not check"
else
	not_ok "check --perf reads perf script output" "rc=$rc" "$out"
fi
out=$(cat tests/data/perf-clean-amd.txt | "$ESYNC" check --perf - 2>&1); rc=$?
[ $rc = 3 ] && grep -q '^<stdin>: 7 events' <<< "$out" && ok "check --perf - reads stdin" ||
	not_ok "check --perf - reads stdin" "rc=$rc" "$out"
# A 32-bit IRTE, as the series reports it: one 64-bit quantum, zero-extended
# (and as one of 32 bits); the checks run on it, nothing incomplete
cat > "$TMP/irte32.txt" <<'PERF'
  irqbalance   812 [001]   100.000001: entry_sync:entry_sync_write_begin: seq=9223372036854775809 entry=0xffff888004a01014 format=6 iommu=0 dev=0x209 sub=0x1 quanta=1x64 vbit=0 cur={0x100301} target={0x300301}
  irqbalance   812 [001]   100.000002: entry_sync:entry_sync_store: seq=9223372036854775809 entry=0xffff888004a01014 index=0 old=0x00000000000000000000000000100301 new=0x00000000000000000000000000300301
  irqbalance   812 [001]   100.000003: entry_sync:entry_sync_sync: seq=9223372036854775809 entry=0xffff888004a01014 step=1
  irqbalance   812 [001]   100.000004: amd_iommu:amd_iommu_cmd: iommu=0 type=INV_INTERRUPT_TABLE devid=0209 domid=0 ids=devid cmd=5000000000000209:0000000000000000 wait=0 sync=1
  irqbalance   812 [001]   100.000005: amd_iommu:amd_iommu_cmd: iommu=0 type=COMPLETION_WAIT devid=0000 domid=0 ids= cmd=1000000000000001:0000000000000000 wait=1 sync=0
  irqbalance   812 [001]   100.000006: entry_sync:entry_sync_write_end: seq=9223372036854775809 entry=0xffff888004a01014 how=hitless critical=1 syncs=1 final={0x300301}
PERF
sed 's/quanta=1x64/quanta=1x32/' "$TMP/irte32.txt" > "$TMP/irte32-q32.txt"
for f in irte32 irte32-q32; do
	out=$("$ESYNC" check --perf "$TMP/$f.txt" 2>&1); rc=$?
	[ $rc = 3 ] && grep -q '6 events, 1 writes: no finding' <<< "$out" &&
		! grep -q incomplete <<< "$out" &&
		ok "check --perf: a 32-bit IRTE write ($f) is checked" ||
		not_ok "check --perf: a 32-bit IRTE write ($f)" "rc=$rc" "$out"
done
# The series' v2 prints the format by name and a stopped write as "failed":
# the same verdict as with numbers
sed 's/format=5 /format=amd_irte /' tests/data/perf-clean-amd.txt > "$TMP/named.txt"
a=$("$ESYNC" check --perf tests/data/perf-clean-amd.txt 2>&1 | sed 's/^[^:]*: //')
b=$("$ESYNC" check --perf "$TMP/named.txt" 2>&1 | sed 's/^[^:]*: //')
[ -n "$a" ] && [ "$a" = "$b" ] && ! grep -q 'format=5' "$TMP/named.txt" &&
	ok "check --perf reads the format by name (format=amd_irte) as by number" ||
	not_ok "check --perf: format by name" "numbers: $a" "names: $b"
# Which write a command names: by the task, whatever slot of the import's
# table its tid falls in (100 and 1087 share one); the idle task's lines are
# each CPU's interrupts; a write begun inside a task's open one is an
# interrupt's, after whose end the task's commands name its own again
out=$("$ESYNC" check --perf tests/data/perf-vtd-tid-hash-collision.txt 2>&1); rc=$?
[ $rc = 1 ] && grep -q '^F1 .*seq 8 ' <<< "$out" && ! grep -q '^F1 .*seq 7 ' <<< "$out" &&
	ok "check --perf: two tasks of one table slot keep their writes apart" ||
	not_ok "check --perf: two tasks of one table slot" "rc=$rc" "$out"
out=$("$ESYNC" check --perf tests/data/perf-amd-idle-cpu-irqs.txt 2>&1); rc=$?
[ $rc = 1 ] && grep -q '^F1 .*seq 20 .*failed with status -110' <<< "$out" &&
	ok "check --perf: interrupts of two idle CPUs (pid 0) are two issuers" ||
	not_ok "check --perf: interrupts of two idle CPUs" "rc=$rc" "$out"
out=$("$ESYNC" check --perf tests/data/perf-amd-irq-inside-task-write.txt 2>&1); rc=$?
[ $rc = 3 ] && grep -q '2 writes: no finding' <<< "$out" &&
	ok "check --perf: an interrupt's write inside a task's takes none of the task's commands" ||
	not_ok "check --perf: an interrupt's write inside a task's" "rc=$rc" "$out"
# VT-d traced without qi_wait: each invalidation completes, and esync says so
out=$("$ESYNC" check --perf tests/data/perf-vtd-no-qi-wait.txt 2>&1); rc=$?
[ $rc = 3 ] && grep -q 'no intel_iommu:qi_wait events' <<< "$out" && ! grep -q '^F1 ' <<< "$out" &&
	ok "check --perf: VT-d without qi_wait, a warning and no F1" ||
	not_ok "check --perf: VT-d without qi_wait" "rc=$rc" "$out"
out=$("$ESYNC" check --perf "$TMP" 2>&1); rc=$?
[ $rc = 2 ] && grep -q 'cannot read: Is a directory' <<< "$out" &&
	ok "check --perf on a directory: cannot read, exit 2" ||
	not_ok "check --perf on a directory" "rc=$rc" "$out"
# A line longer than any read buffer is one line: the bad line's number holds
{ head -1 tests/data/perf-vtd-no-qi-wait.txt; printf 'x%.0s' $(seq 6000); echo;
  echo ' kworker/0:1   42 [000]   100.000002: entry_sync:entry_sync_store: seq=7 garbage';
  tail -n +2 tests/data/perf-vtd-no-qi-wait.txt; } > "$TMP/long.txt"
out=$("$ESYNC" check --perf "$TMP/long.txt" 2>&1); rc=$?
[ $rc = 2 ] && grep -q 'did not parse (the first: line 3)' <<< "$out" &&
	ok "check --perf: a long line counts as one (the bad line's number)" ||
	not_ok "check --perf: a long line counts as one" "rc=$rc" "$out"

# qi_wait and the wait results of the series: a timed-out wait is an F1
cat > "$TMP/qi.txt" <<'PERF'
 kworker/0:1   42 [000]   100.000001: entry_sync:entry_sync_write_begin: seq=7 entry=0xffff888010203000 format=3 iommu=0 dev=0x10 sub=0x3 quanta=4x128 vbit=0 cur={0x109,0x1,0x0,0x0,0x0,0x0,0x0,0x0} target={0x109,0x2,0x0,0x0,0x0,0x0,0x0,0x0}
 kworker/0:1   42 [000]   100.000002: entry_sync:entry_sync_store: seq=7 entry=0xffff888010203000 index=0 old=0x00000000000000010000000000000109 new=0x00000000000000020000000000000109
 kworker/0:1   42 [000]   100.000003: entry_sync:entry_sync_sync: seq=7 entry=0xffff888010203000 step=1
 kworker/0:1   42 [000]   100.000004: intel_iommu:qi_submit: dmar0 pc_inv: 0x300010017 0x0 0x0 0x0
 kworker/0:1   42 [000]   100.000005: intel_iommu:qi_wait: dmar0 inv_wait: 0x200000025 0x0 status -110
 kworker/0:1   42 [000]   100.000006: entry_sync:entry_sync_write_end: seq=7 entry=0xffff888010203000 how=hitless critical=1 syncs=1 final={0x109,0x2,0x0,0x0,0x0,0x0,0x0,0x0}
PERF
out=$("$ESYNC" check --perf "$TMP/qi.txt" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^F1 .*INV_WAIT .*failed with status -110 (ETIMEDOUT)' <<< "$out"; then
	ok "check --perf: a qi_wait that timed out is an F1"
else
	not_ok "check --perf: a qi_wait that timed out is an F1" "rc=$rc" "$out"
fi
sed -i 's/status -110/status 0/' "$TMP/qi.txt"
out=$("$ESYNC" check --perf "$TMP/qi.txt" 2>&1); rc=$?
if ! grep -q '^F1 ' <<< "$out" && grep -q '1 writes' <<< "$out"; then
	ok "check --perf: the same write with qi_wait status 0 has no F1"
else
	not_ok "check --perf: qi_wait status 0" "rc=$rc" "$out"
fi
# The series' queue slots: a wait covers the descriptors queued before its
# slot, not one another task (77) queued behind it while the writer waited
slots() {	# the other task's line, then the writer's, each with its slot
	cat <<PERF
 kworker/0:1   42 [000]   100.000001: entry_sync:entry_sync_write_begin: seq=7 entry=0xffff888010203000 format=3 iommu=0 dev=0x10 sub=0x3 quanta=4x128 vbit=0 cur={0x109,0x1,0x0,0x0,0x0,0x0,0x0,0x0} target={0x109,0x2,0x0,0x0,0x0,0x0,0x0,0x0}
 kworker/0:1   42 [000]   100.000002: entry_sync:entry_sync_store: seq=7 entry=0xffff888010203000 index=0 old=0x00000000000000010000000000000109 new=0x00000000000000020000000000000109
 kworker/0:1   42 [000]   100.000003: entry_sync:entry_sync_sync: seq=7 entry=0xffff888010203000 step=1
$1
$2
 kworker/0:1   42 [000]   100.000006: intel_iommu:qi_wait: dmar0 inv_wait: 0x200000025 0x0 status 0 index $3
 kworker/0:1   42 [000]   100.000007: entry_sync:entry_sync_write_end: seq=7 entry=0xffff888010203000 how=hitless critical=1 syncs=1 final={0x109,0x2,0x0,0x0,0x0,0x0,0x0,0x0}
PERF
}
own=" kworker/0:1   42 [000]   100.000004: intel_iommu:qi_submit: dmar0 p_iotlb_inv: 0x300010016 0x0 0x0 0x0 index"
other=" kworker/1:1   77 [001]   100.000005: intel_iommu:qi_submit: dmar0 pc_inv: 0x300010017 0x0 0x0 0x0 index"
slots "$own 254" "$other 0" 255 > "$TMP/slots.txt"
out=$("$ESYNC" check --perf "$TMP/slots.txt" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q '^F1 ' <<< "$out"; then
	ok "check --perf: an invalidation queued behind the wait's slot does not fence the write"
else
	not_ok "check --perf: invalidation queued behind the wait" "rc=$rc" "$out"
fi
slots "$other 253" "$own 254" 255 > "$TMP/slots.txt"
out=$("$ESYNC" check --perf "$TMP/slots.txt" 2>&1); rc=$?
if ! grep -q '^F1 ' <<< "$out" && grep -q '1 writes' <<< "$out"; then
	ok "check --perf: the same invalidation queued before the wait's slot fences it"
else
	not_ok "check --perf: invalidation queued before the wait" "rc=$rc" "$out"
fi

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
	# exit 4: nothing checked, when no entry write happened (a host without IOMMU)
	if { [ $rc = 0 ] || [ $rc = 4 ]; } && echo "$out" | grep -qE "^esync: (legacy|patched) mode" &&
	   { [ -n "$(ls /sys/class/iommu 2>/dev/null)" ] ||
	     echo "$out" | grep -q "no IOMMU events can occur"; }; then
		ok "live --duration 2 attaches and exits 0"
	else
		not_ok "live --duration 2 attaches and exits 0" "rc=$rc" "$out"
	fi
	"$ESYNC" record -o "$TMP/r.dump" --duration 1 > "$TMP/rec.out" 2>&1; rc=$?
	mode=$(stat -c %a "$TMP/r.dump" 2>/dev/null)
	"$ESYNC" check "$TMP/r.dump" > /dev/null 2>&1; crc=$?
	# readable: anything but 2 (this host may give no write: 4, nothing checked)
	if { [ $rc = 0 ] || [ $rc = 4 ]; } && [ "$mode" = 600 ] && [ $crc != 2 ]; then
		ok "record -o writes a 0600 dump that check reads"
	else
		not_ok "record -o writes a 0600 dump that check reads" "rc=$rc mode=$mode" "$(cat "$TMP/rec.out")"
	fi
	# SIGINT leaves a whole file; SIGUSR1 writes the flight window
	"$ESYNC" record -o "$TMP/f.dump" --flight 16 > "$TMP/f.out" 2>&1 &
	pid=$!
	sleep 1.5
	kill -USR1 $pid; sleep 0.2; kill -INT $pid; wait $pid; rc=$?
	"$ESYNC" check "$TMP/f.dump" > /dev/null 2>&1; crc=$?
	if { [ $rc = 0 ] || [ $rc = 4 ]; } && [ $crc != 2 ]; then
		ok "record --flight: SIGUSR1 then SIGINT leave a readable dump"
	else
		not_ok "record --flight: SIGUSR1 then SIGINT leave a readable dump" "rc=$rc" "$(cat "$TMP/f.out")"
	fi
fi
tap_done
