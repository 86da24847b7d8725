#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the patched kernels of `make kernel` in QEMU (TCG) with their
# emulated IOMMU and check the KUnit suites they run at boot:
#   x86_64: q35 + intel-iommu (scalable mode): iommu-entry-sync,
#           intel-iommu-pasid-entry, amd-iommu-dte
#   arm64:  virt,iommu=smmuv3: iommu-entry-sync, arm-smmu-v3-kunit-test
# The kernels have no init: once the tests are done they panic and QEMU
# exits (panic=-1, -no-reboot). Console logs go to $O/kunit/ARCH.log.
# Prints TAP 13 (from ktap-check, one point per suite).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
mkdir -p "$O/kunit"
status=0
for arch in x86_64 arm64; do
	image=$("$top/scripts/build-kernel.sh" "$arch" | tail -n 1)
	if [ ! -f "$image" ]; then
		echo "kernel-kunit: no $arch kernel (make kernel failed)" >&2
		printf 'TAP version 13\n1..1\nnot ok 1 - %s kernel built\n' "$arch" > "$O/kunit/$arch.tap"
		status=1
		continue
	fi
	log=$O/kunit/$arch.log
	echo "kernel-kunit: booting the $arch kernel" >&2
	case $arch in
	x86_64)
		timeout 600 qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 512 \
			-M q35,kernel-irqchip=split \
			-device intel-iommu,intremap=on,x-scalable-mode=on \
			-nographic -no-reboot -kernel "$image" \
			-append "console=ttyS0 panic=-1" > "$log" 2>&1 < /dev/null
		suites=(iommu-entry-sync intel-iommu-pasid-entry amd-iommu-dte)
		;;
	arm64)
		timeout 600 qemu-system-aarch64 -accel tcg -M virt,iommu=smmuv3 \
			-cpu cortex-a57 -smp 2 -m 512 \
			-nographic -no-reboot -kernel "$image" \
			-append "console=ttyAMA0 panic=-1" > "$log" 2>&1 < /dev/null
		suites=(iommu-entry-sync arm-smmu-v3-kunit-test)
		;;
	esac
	"$O/tests/ktap-check" "$log" "${suites[@]}" > "$O/kunit/$arch.tap"
	rc=$?
	echo 0 > "$O/kunit/$arch.rc"
	[ $rc -eq 0 ] || { echo $rc > "$O/kunit/$arch.rc"; status=1; }
	sed "s/^\(not \)\{0,1\}ok [0-9]* - /&$arch: /" "$O/kunit/$arch.tap" | grep -E '^(not )?ok' >&2
done
exit $status
