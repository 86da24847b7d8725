#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: guest-image.sh ARCH
#
# The recording guest's initramfs for ARCH (x86_64 or arm64): Debian's
# static busybox, a static esync for ARCH and the workload, with
# tests/e2e/record-init.sh as /init. Shared by 'make run' and 'make e2e'.
# Prints the initramfs path on the last line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
arch=${1:?usage: guest-image.sh x86_64|arm64}
case $arch in
x86_64) make -s -C "$top" O="$O/static" STATIC=1 >&2; esync=$O/static/esync ;;
arm64) make -s -C "$top" O="$O/arm64" ARCH=arm64 \
	CROSS_COMPILE=aarch64-linux-gnu- >&2
	esync=$O/arm64/esync ;;
*) echo "guest-image: unknown arch '$arch' (x86_64 or arm64)" >&2; exit 2 ;;
esac
mkdir -p "$O/guest"
"$top/scripts/initramfs.sh" "$arch" "$top/tests/e2e/record-init.sh" \
	"$O/guest/$arch.cpio.gz" "$esync" "$top/tests/e2e/esync-workload"
