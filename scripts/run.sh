#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: run.sh [intel|amd|arm]   (default intel)
#
# esync's main job: build what is missing (the patched kernel of the
# scenario's architecture, a static esync for it, a busybox initramfs),
# boot the kernel in QEMU (TCG) with the scenario's emulated IOMMU, record
# every IOMMU entry update with esync while a workload switches domain
# types, rebinds devices and moves IRQs, then print esync's verification
# report and a per-entry timeline. Exit status: esync check's (0 clean,
# 1 findings, 2 incomplete), or 3 if the guest printed no report.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
scenario=${1:-intel}
case $scenario in
intel|amd) arch=x86_64 ;;
arm) arch=arm64 ;;
*) echo "run: unknown scenario '$scenario' (intel, amd or arm)" >&2; exit 2 ;;
esac

step() { echo "==> $*" >&2; }

step "kernel ($arch, patched)"
image=$("$top/scripts/build-kernel.sh" "$arch" | tee /dev/stderr | tail -n 1)

step "esync for the guest ($arch, static)"
case $arch in
x86_64) make -s -C "$top" O="$O/static" STATIC=1 >&2; esync=$O/static/esync ;;
arm64) make -s -C "$top" O="$O/arm64" ARCH=arm64 \
	CROSS_COMPILE=aarch64-linux-gnu- >&2
	esync=$O/arm64/esync ;;
esac

step "initramfs"
mkdir -p "$O/run"
initrd=$O/run/$arch.cpio.gz
"$top/scripts/initramfs.sh" "$arch" "$top/tests/e2e/record-init.sh" "$initrd" \
	"$esync" "$top/tests/e2e/esync-workload" >/dev/null

log=$O/run/$scenario.log
step "booting the $scenario guest (QEMU, TCG; about a minute); console in $log"
"$top/scripts/qemu-scenario.sh" "$scenario" "$image" "$initrd" "$log"

if ! grep -q ESYNC-REPORT-END "$log"; then
	echo "run: the guest printed no report; see $log" >&2
	exit 3
fi
step "esync's report"
sed -n '/ESYNC-REPORT-BEGIN/,/ESYNC-REPORT-END/p' "$log" | sed '1d;$d' | tr -d '\r'
status=$(sed -n 's/^esync check exit status: //p' "$log" | tr -d '\r')
exit "${status:-3}"
