#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: initramfs.sh ARCH INIT OUT [PROGRAM...]
# A minimal initramfs: Debian's static busybox for ARCH, INIT as /init and
# each PROGRAM (static binaries) in /bin.
set -euo pipefail
arch=$1 init=$2 out=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys}
case $arch in
x86_64) cp /bin/busybox "$work/bin/busybox" ;;
arm64)
	# Installing busybox-static:arm64 would replace the host's busybox:
	# unpack the package instead.
	( cd "$work" && apt-get download -q busybox-static:arm64 >/dev/null 2>&1 &&
	  dpkg -x busybox-static_*_arm64.deb pkg && rm -f ./*.deb )
	cp "$work/pkg/bin/busybox" "$work/bin/busybox"
	rm -rf "$work/pkg"
	;;
*) echo "initramfs: unknown arch $arch" >&2; exit 2 ;;
esac
cp "$init" "$work/init"
for p in "$@"; do
	cp "$p" "$work/bin/"
done
chmod +x "$work/init"
( cd "$work" && find . | cpio -o -H newc --quiet | gzip -9 ) > "$out"
echo "$out"
