#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian 12 packages esync builds and tests with. Needs root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$(sed -n 's/^version: //p' "$top/kernel-patch/BASE")
packages=(
	build-essential make gcc clang llvm libclang-rt-14-dev	# tool, tests, fuzzing
	valgrind						# memcheck of every dump
	libbpf-dev bpftool libelf-dev zlib1g-dev		# BPF side
	libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64	# static arm64 esync
	"linux-source-6.12=$kver"				# kernel-patch/BASE
	gcc-aarch64-linux-gnu flex bison bc libssl-dev dwarves	# kernel builds
	xz-utils patch perl git cpio kmod
	qemu-system-x86 qemu-system-arm busybox-static	# kernels in QEMU (10, backports)
	scdoc debhelper dpkg-dev man-db bash-completion	# man pages, the .deb
)
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (try: sudo $0)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# arm64 libraries for the static arm64 esync; the arm64 busybox of the
# guest is unpacked by scripts/initramfs.sh, never installed.
dpkg --add-architecture arm64
# QEMU 10 (first-stage VT-d translation, multi-device SMMUv3) comes from
# bookworm-backports; the pin takes QEMU and its firmware from there and
# leaves every other package on bookworm. The amd scenario runs bookworm's
# own QEMU 7.2, unpacked by scripts/qemu-7.2.sh.
cat > /etc/apt/sources.list.d/esync-backports.sources <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cat > /etc/apt/preferences.d/esync-qemu <<'EOF'
Package: qemu-* seabios ipxe-qemu
Pin: release n=bookworm-backports
Pin-Priority: 990
EOF
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
qemu=$(qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
if [ "${qemu:-0}" -lt 10 ]; then
	echo "install-deps: QEMU ${qemu:-?} is installed; the scenarios need QEMU 10 from bookworm-backports" >&2
	exit 1
fi
