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
# report and a line per entry. Exit status: esync check's (0 clean,
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
image=$("$top/scripts/build-kernel.sh" "$arch" | awk '{ print > "/dev/stderr" } END { print }')

step "guest image: busybox, a static esync for $arch, the workload"
initrd=$("$top/scripts/guest-image.sh" "$arch" | tail -n 1)

mkdir -p "$O/run"
log=$O/run/$scenario.log
step "booting the $scenario guest (QEMU, TCG; about a minute); console in $log"
"$top/scripts/qemu-scenario.sh" "$scenario" "$image" "$initrd" "$log"

if ! "$top/scripts/guest-section.sh" "$log" REPORT > "$O/run/$scenario.report"; then
	echo "run: the guest printed no report; see $log" >&2
	exit 3
fi
step "esync's report"
cat "$O/run/$scenario.report"
if "$top/scripts/guest-section.sh" "$log" DUMP | base64 -d > "$O/run/$scenario.dump" 2>/dev/null; then
	step "the whole timeline: $O/esync show $O/run/$scenario.dump"
fi
status=$(sed -n 's/^esync check exit status: //p' "$O/run/$scenario.report")
exit "${status:-3}"
