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
case $scenario in
intel)
	timeout 600 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 512 \
		-M q35,kernel-irqchip=split \
		-device intel-iommu,intremap=on,x-scalable-mode=on,device-iotlb=on \
		-device e1000e -device virtio-net-pci \
		-nographic -no-reboot -kernel "$image" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1" > "$log" 2>&1 < /dev/null ;;
amd)
	timeout 600 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 512 \
		-M q35,kernel-irqchip=split -device amd-iommu,intremap=on \
		-device pcie-root-port,id=rp1,bus=pcie.0,chassis=1 \
		-device pcie-pci-bridge,id=br1,bus=rp1 \
		-device virtio-net-pci,bus=br1,addr=1 -device e1000e \
		-nographic -no-reboot -kernel "$image" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1" > "$log" 2>&1 < /dev/null ;;
arm)
	timeout 600 qemu-system-aarch64 -accel tcg -M virt,iommu=smmuv3 \
		-cpu cortex-a57 -smp 2 -m 512 -device virtio-net-pci \
		-nographic -no-reboot -kernel "$image" -initrd "$initrd" \
		-append "console=ttyAMA0 panic=-1" > "$log" 2>&1 < /dev/null ;;
esac
if ! grep -q ESYNC-COUNTS-END "$log"; then
	echo "trace-boot: $scenario: the guest printed no counts; see $log" >&2
	exit 1
fi
echo "$scenario:"
sed -n '/ESYNC-COUNTS-BEGIN/,/ESYNC-COUNTS-END/p' "$log" | grep -v ESYNC-COUNTS | sed 's/^/  /'
