#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: trace-boot.sh intel|amd|arm
#
# Boot the patched kernel of the scenario's architecture in QEMU with its
# emulated IOMMU and a busybox initramfs (tests/e2e/trace-init.sh) that
# enables esync's trace events through tracefs, rebinds the PCI devices and
# moves their IRQs, then prints the events counted per entry kind. The
# console log goes to $O/trace/SCENARIO.log.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
scenario=${1:?usage: trace-boot.sh intel|amd|arm}
case $scenario in
intel|amd) arch=x86_64 ;;
arm) arch=arm64 ;;
*) echo "trace-boot: unknown scenario '$scenario' (intel, amd or arm)" >&2; exit 2 ;;
esac
image=$("$top/scripts/build-kernel.sh" "$arch" | tail -n 1)
mkdir -p "$O/trace"
initrd=$O/trace/trace-$arch.cpio.gz
"$top/scripts/initramfs.sh" "$arch" "$top/tests/e2e/trace-init.sh" "$initrd" \
	"$top/tests/e2e/esync-workload" >/dev/null
log=$O/trace/$scenario.log
"$top/scripts/qemu-scenario.sh" "$scenario" "$image" "$initrd" "$log"
if ! grep -q ESYNC-COUNTS-END "$log"; then
	echo "trace-boot: $scenario: the guest printed no counts; see $log" >&2
	exit 1
fi
echo "$scenario:"
sed -n '/ESYNC-COUNTS-BEGIN/,/ESYNC-COUNTS-END/p' "$log" | grep -v ESYNC-COUNTS | sed 's/^/  /'
