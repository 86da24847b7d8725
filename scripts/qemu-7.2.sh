#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: qemu-7.2.sh
#
# Bookworm's own qemu-system-x86 (QEMU 7.2), unpacked (never installed)
# under $O/qemu-7.2, for the amd scenario: QEMU 10's amd-iommu does not
# deliver the IO-APIC's interrupts through its interrupt remapping (Linux
# panics in its timer check), while 7.2's does. Its binary, modules and
# data go under $O/qemu-7.2/root, behind a wrapper that points QEMU at
# them. Prints the wrapper's path on the last line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
dir=$O/qemu-7.2
bin=$dir/qemu-system-x86_64
if [ ! -x "$bin" ]; then
	rm -rf "$dir" && mkdir -p "$dir"
	tmp=$(mktemp -d) && chmod 755 "$tmp"
	# awk reads all of apt-cache's output: quitting at the first match
	# could kill apt-cache with SIGPIPE, and pipefail would end the script
	ver=$(apt-cache madison qemu-system-x86 | awk '$3 ~ /^1:7\.2/ && !v { v = $3 } END { print v }')
	if [ -z "$ver" ] || ! (cd "$tmp" && apt-get download -q "qemu-system-x86=$ver" \
			"qemu-system-common=$ver" "qemu-system-data=${ver%+b*}" >&2); then
		echo "qemu-7.2: bookworm's qemu-system-x86 7.2 cannot be downloaded (apt-get update?)" >&2
		rm -rf "$tmp"
		exit 1
	fi
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	rm -rf "$tmp"
	cat > "$bin" <<WRAP
#!/bin/sh
QEMU_MODULE_DIR=$dir/root/usr/lib/x86_64-linux-gnu/qemu exec $dir/root/usr/bin/qemu-system-x86_64 -L $dir/root/usr/share/qemu -L /usr/share/qemu -L /usr/share/seabios -L /usr/lib/ipxe/qemu "\$@"
WRAP
	chmod +x "$bin"
fi
# sed, not head: head would quit after one line and QEMU, writing its
# second, would die of SIGPIPE, failing the pipeline (pipefail)
"$bin" --version | sed -n 1p >&2
echo "$bin"
