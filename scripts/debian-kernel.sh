#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: debian-kernel.sh ARCH MODULE...
#
# The kernel hosts run: Debian's linux-image-<kernel>+deb12-ARCH-unsigned
# package of the version kernel-patch/BASE names, unpacked (never
# installed) under $O/debian-kernel/ARCH, and an initramfs fragment with
# the MODULEs the workload needs and their dependencies, decompressed, in
# load order, with the order in /lib/modules/esync/order (the recording
# guest's /init loads them). Appended to the guest's initramfs, the kernel
# unpacks both. Prints "IMAGE FRAGMENT" on the last line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
arch=${1:?usage: debian-kernel.sh x86_64|arm64 MODULE...}
shift
case $arch in
x86_64) darch=amd64 ;;
arm64) darch=arm64 ;;
*) echo "debian-kernel: unknown arch '$arch' (x86_64 or arm64)" >&2; exit 2 ;;
esac
kver=$(sed -n 's/^kernel: //p' "$top/kernel-patch/BASE")
pver=$(sed -n 's/^version: //p' "$top/kernel-patch/BASE")
release=$kver+deb12-$darch
pkg=linux-image-$release-unsigned
dir=$O/debian-kernel/$arch
frag=$dir/modules-$(printf '%s\n' "$@" | sort | paste -sd-).cpio.gz

if [ ! -f "$dir/$pkg.done" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	# apt's sandbox user must be able to write where it downloads
	tmp=$(mktemp -d) && chmod 755 "$tmp"
	if ! (cd "$tmp" && apt-get download -q "$pkg:$darch=$pver" >&2); then
		echo "debian-kernel: cannot download $pkg $pver (apt-get update? is it still in the archive?)" >&2
		rm -rf "$tmp"
		exit 1
	fi
	dpkg-deb -x "$tmp"/*.deb "$dir/root"
	rm -rf "$tmp"
	depmod -b "$dir/root" "$release"
	touch "$dir/$pkg.done"
fi
image=$(ls "$dir/root/boot/vmlinuz-$release")
mods=$dir/root/lib/modules/$release

if [ ! -f "$frag" ]; then
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	mkdir -p "$work/lib/modules/esync"
	: > "$work/lib/modules/esync/order"
	# Dependencies first (modules.dep lists them), each module once
	declare -A seen
	add() {
		local path=$1 dep
		[ -n "${seen[$path]:-}" ] && return
		seen[$path]=1
		for dep in $(sed -n "s|^$path: *||p" "$mods/modules.dep"); do
			add "$dep"
		done
		local base
		base=$(basename "$path" .xz)
		xz -dc "$mods/$path" > "$work/lib/modules/esync/$base"
		echo "$base" >> "$work/lib/modules/esync/order"
	}
	for m in "$@"; do
		path=$(grep -m1 -E "(^|/)$m\.ko(\.xz)?:" "$mods/modules.dep" | cut -d: -f1 || true)
		if [ -z "$path" ]; then
			# built in, or absent: the kernel's own list says which
			if grep -qE "(^|/)$m\.ko$" "$mods/modules.builtin"; then
				continue
			fi
			echo "debian-kernel: $release has no module $m" >&2
			exit 1
		fi
		add "$path"
	done
	(cd "$work" && find lib | cpio -o -H newc --quiet | gzip -9) > "$frag"
fi
echo "$image $frag"
