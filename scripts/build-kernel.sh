#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: build-kernel.sh ARCH [patched | unpatched | mutant NAME | unpatched-mutant NAME]
#
# Build a small kernel for ARCH (x86_64 or arm64) from Debian's
# linux-source-6.12 with kernel-patch/ applied (or not, with "unpatched"),
# configured as tinyconfig + kernel-patch/configs/ARCH.config. The result is
# cached under $O/kernel/ARCH-VARIANT-<key>, the key a hash of BASE, the
# series and the config, so an unchanged tree is not rebuilt; older builds
# of the same variant are removed. ESYNC_KERNEL_CACHE names another place
# for them, outside the tree (CI uses /var/cache/esync/kernel, so that a
# new clone on a machine that built the same kernels before reuses them). The build tree stays for incremental
# rebuilds. Prints the image path on the last line.
#
# "mutant NAME": the patched kernel plus tests/e2e/mutants/NAME.patch, a
# planted bug, built incrementally in the patched tree (a minute or two);
# only the image is kept. "unpatched-mutant NAME": the same on the
# unpatched kernel (a planted bug in a stock driver).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
usage="usage: build-kernel.sh x86_64|arm64 [patched | unpatched | mutant NAME | unpatched-mutant NAME]"
arch=${1:?$usage}
variant=${2:-patched}
mutant=
case $variant in
patched|unpatched) ;;
mutant|unpatched-mutant)
	mutant=$top/tests/e2e/mutants/${3:?$usage}.patch
	[ -f "$mutant" ] || { echo "build-kernel: no planted bug $mutant" >&2; exit 2; } ;;
*) echo "$usage" >&2; exit 2 ;;
esac
kp=$top/kernel-patch
jobs=${JOBS:-$(($(nproc) + 1))}

case $arch in
x86_64) make_arch=(ARCH=x86_64); image=arch/x86/boot/bzImage ;;
arm64) make_arch=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-); image=arch/arm64/boot/Image ;;
*) echo "build-kernel: unknown arch '$arch' (x86_64 or arm64)" >&2; exit 2 ;;
esac
want=$(sed -n 's/^version: //p' "$kp/BASE")
have=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null || true)
if [ "$have" != "$want" ]; then
	echo "build-kernel: linux-source-6.12 $want is needed (installed: ${have:-none}): run make deps" >&2
	exit 2
fi

mapfile -t patches < <(grep -v '^#' "$kp/series" | sed '/^$/d')
key=$( {
	cat "$kp/BASE" "$kp/configs/$arch.config"
	echo "$variant"
	if [ "${variant%mutant}" != unpatched- ] && [ "$variant" != unpatched ]; then
		for p in "${patches[@]}"; do cat "$kp/$p"; done
	fi
	[ -z "$mutant" ] || cat "$mutant"
} | sha256sum | cut -c1-16)
name=$arch-$variant${mutant:+-${3}}
kdir=${ESYNC_KERNEL_CACHE:-$O/kernel}
mkdir -p "$kdir"
dir=$kdir/$name-$key
if [ -f "$dir/done" ]; then
	echo "build-kernel: $name kernel is up to date"
	echo "$dir/$image"
	exit 0
fi
# build TREE LOG: make the image in TREE, its output in LOG; on failure
# show the errors and stop.
build() {
	if ! make -s -C "$1" "${make_arch[@]}" -j"$jobs" > "$2" 2>&1; then
		grep -E 'error|Error' "$2" | sed -n 1,20p >&2
		echo "build-kernel: the $name build failed; see $2" >&2
		exit 1
	fi
}
prune() {
	for d in "$kdir/$name"-*; do
		[ "$d" = "$dir" ] || [ ! -e "$d/done" ] || rm -rf "$d"
	done
}

if [ -n "$mutant" ]; then
	based_on=patched
	[ "$variant" = mutant ] || based_on=unpatched
	base=$("$0" "$arch" "$based_on" | awk '{ print > "/dev/stderr" } END { print }')
	tree=${base%/"$image"}
	# In the base tree itself: a copy would rebuild everything, as the
	# host tools' dependencies name the tree's absolute path. The tree's
	# image and vmlinux are put back afterwards, the bug patched out again.
	exec 9> "$tree/.mutant-lock"
	flock 9
	saved=$(mktemp -d "$kdir/saved.XXXXXX")
	cp -p "$tree/$image" "$tree/vmlinux" "$saved/"
	restore() {
		patch -s -R -d "$tree" -p1 -F0 --batch < "$mutant" || true
		cp -p "$saved/${image##*/}" "$tree/$image"
		cp -p "$saved/vmlinux" "$tree/vmlinux"
		rm -rf "$saved"
	}
	trap restore EXIT
	echo "build-kernel: $name: the $based_on tree plus ${mutant##*/}, incrementally"
	rm -rf "$dir"
	patch -s -d "$tree" -p1 -F0 --batch --forward < "$mutant"
	t0=$SECONDS
	mkdir -p "$dir/${image%/*}"
	build "$tree" "$dir/build.log"
	cp "$tree/$image" "$dir/$image"
	touch "$dir/done"
	prune
	echo "build-kernel: $name kernel built in $((SECONDS - t0)) s"
	echo "$dir/$image"
	exit 0
fi

echo "build-kernel: building the $name kernel in $dir (takes several minutes)"
rm -rf "$dir" && mkdir -p "$dir"
tar -xf /usr/src/linux-source-6.12.tar.xz -C "$dir" --strip-components=1
if [ "$variant" = patched ]; then
	for p in "${patches[@]}"; do
		patch -s -d "$dir" -p1 -F0 --batch --forward < "$kp/$p"
	done
fi
make -s -C "$dir" "${make_arch[@]}" tinyconfig
cat "$kp/configs/$arch.config" >> "$dir/.config"
make -s -C "$dir" "${make_arch[@]}" olddefconfig > /dev/null 2>&1
missing=$(grep "^CONFIG_.*=y" "$kp/configs/$arch.config" | while read -r l; do
	grep -qx "$l" "$dir/.config" || echo "$l"; done)
if [ -n "$missing" ] && [ "$variant" = patched ]; then
	echo "build-kernel: configs/$arch.config asks for options that did not stick: "$missing >&2
	exit 1
fi
t0=$SECONDS
# Progress: one line a minute with the number of objects built so far.
# The ticker's sleep is killed with it, and does not hold our stdout
# even if a signal comes before its pid is known: a sleep left behind
# with it would keep a reader of our output waiting up to a minute.
( trap 'kill $nap 2>/dev/null; exit 0' TERM
nap=
while :; do
	sleep 60 < /dev/null > /dev/null 2>&1 & nap=$!
	wait $nap
	echo "build-kernel: $arch: $((SECONDS - t0)) s, $(find "$dir" -name '*.o' | wc -l) objects"
done ) &
ticker=$!
stop_ticker() { kill $ticker 2>/dev/null || true; wait $ticker 2>/dev/null || true; }
trap stop_ticker EXIT
build "$dir" "$dir/build.log"
stop_ticker
touch "$dir/done"
prune
echo "build-kernel: $name kernel built in $((SECONDS - t0)) s"
echo "$dir/$image"
