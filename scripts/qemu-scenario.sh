#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: qemu-scenario.sh intel|amd|arm IMAGE INITRD LOG
#
# Boot IMAGE with INITRD in QEMU 10 (TCG) on the scenario's machine and
# emulated IOMMU; the console goes to LOG. The guest powers off by itself.
#   intel: q35, intel-iommu in scalable mode with first-stage translation
#          (x-flts: DMA domains use first-stage PASID entries, so identity
#          <-> DMA switches change two quanta) and device-TLB, e1000e, and
#          a virtio-net with ATS on a PCIe root port
#   amd:   (QEMU 7.2) q35, amd-iommu with device-TLB, a virtio-net behind a
#          pcie-pci-bridge (one DMA alias) and one behind a pci-bridge
#          under it (two), a virtio-net with ATS on a root port, e1000e
#   arm:   virt,iommu=smmuv3, three virtio-nets: two functions of one
#          multi-function slot and one of their own
# One NIC of each is wired to QEMU's user network, for the traffic.
set -euo pipefail
scenario=$1 image=$2 initrd=$3 log=$4
extra=
case $scenario in
intel)
	qemu=(qemu-system-x86_64 -cpu max -M q35,kernel-irqchip=split
	      -device intel-iommu,intremap=on,x-scalable-mode=on,x-flts=on,device-iotlb=on
	      -device e1000e -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1
	      -netdev user,id=n0 -device virtio-net-pci,bus=rp1,netdev=n0,ats=on)
	console=ttyS0 ;;
amd)
	# QEMU 10 does not remap the IO-APIC's interrupts for an AMD IOMMU
	# (Linux panics in its timer check): bookworm's 7.2 runs this machine
	qemu=("$("$(dirname "$0")/qemu-7.2.sh" | tail -n 1)" -cpu max -M q35,kernel-irqchip=split
	      -device amd-iommu,intremap=on,device-iotlb=on
	      -device pcie-root-port,id=rp1,bus=pcie.0,chassis=1
	      -device pcie-pci-bridge,id=br1,bus=rp1
	      -device virtio-net-pci,bus=br1,addr=1,netdev=n1 -netdev user,id=n1
	      -device pci-bridge,id=br2,bus=br1,addr=2,chassis_nr=2
	      -device virtio-net-pci,bus=br2,addr=1,netdev=n2 -netdev user,id=n2
	      -device pcie-root-port,id=rp2,bus=pcie.0,chassis=3
	      -device virtio-net-pci,bus=rp2,ats=on,netdev=n3 -netdev user,id=n3
	      -netdev user,id=n0 -device e1000e,netdev=n0)
	console=ttyS0 ;;
arm)
	qemu=(qemu-system-aarch64 -M virt,iommu=smmuv3 -cpu cortex-a57
	      -netdev user,id=n0 -device virtio-net-pci,netdev=n0,addr=2.0,multifunction=on
	      -netdev user,id=n1 -device virtio-net-pci,netdev=n1,addr=2.1
	      -netdev user,id=n2 -device virtio-net-pci,netdev=n2,addr=3.0)
	console=ttyAMA0 ;;
*) echo "qemu-scenario: unknown scenario '$scenario' (intel, amd or arm)" >&2; exit 2 ;;
esac
timeout 900 "${qemu[@]}" -accel tcg -smp 2 -m 512 -nographic -no-reboot \
	-kernel "$image" -initrd "$initrd" \
	-append "console=$console panic=-1${extra:+ $extra}" > "$log" 2>&1 < /dev/null
