#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make-fake-sysfs.sh DATADIR
#
# (Re)creates the fake sysfs PCI trees tests/data/sysfs-*/ that the
# topology tests read.  The trees are committed; run this after changing a
# description below.  Each line of a description is
#
#   PATH  VENDOR:DEVICE  CLASS  KIND  [SECONDARY_BUS]  [SUBVENDOR:SUBDEVICE]
#
# PATH is the device's directory under devices/ (pci0000:00/0000:00:1c.0/...),
# KIND the PCI Express port type it advertises in config space:
#   pci   conventional PCI function (no PCIe capability)
#   pcibr conventional PCI-to-PCI bridge
#   ep    PCIe endpoint (type 0)      rcie  root-complex integrated (9)
#   rp    root port (4)               up    switch upstream port (5)
#   dn    switch downstream port (6)  p2p   PCIe-to-PCI/PCI-X bridge (7)
#   r2p   PCI/PCI-X-to-PCIe bridge (8)
# A tree whose name ends in -short gets 64-byte config files, as an
# unprivileged reader sees them.
set -euo pipefail

data=${1:?usage: $0 DATADIR}

hex2() { printf '%02x' "$(( $1 & 0xff ))"; }

# write_config FILE VENDOR DEVICE CLASS KIND SECONDARY SUBV SUBD SIZE
write_config() {
	local file=$1 ven=$(( $2 )) dev=$(( $3 )) class=$(( $4 )) kind=$5
	local sec=$6 subv=$(( $7 )) subd=$(( $8 )) size=$9 bus=${10}
	local -a b
	local i type bridge=0 pcie=1 out=

	for (( i = 0; i < 256; i++ )); do b[i]=0; done
	case $kind in
	pci) pcie=0 ;;
	pcibr) pcie=0; bridge=1 ;;
	ep) type=0 ;;
	rcie) type=9 ;;
	rp) type=4; bridge=1 ;;
	up) type=5; bridge=1 ;;
	dn) type=6; bridge=1 ;;
	p2p) type=7; bridge=1 ;;
	r2p) type=8; bridge=1 ;;
	*) echo "$0: unknown kind $kind" >&2; exit 1 ;;
	esac
	b[0]=$(( ven & 0xff )); b[1]=$(( ven >> 8 ))
	b[2]=$(( dev & 0xff )); b[3]=$(( dev >> 8 ))
	b[9]=$(( class & 0xff )); b[10]=$(( (class >> 8) & 0xff ))
	b[11]=$(( class >> 16 ))
	if (( bridge )); then
		b[14]=1
		b[24]=$bus; b[25]=$sec; b[26]=$sec
	else
		b[44]=$(( subv & 0xff )); b[45]=$(( subv >> 8 ))
		b[46]=$(( subd & 0xff )); b[47]=$(( subd >> 8 ))
	fi
	if (( pcie )); then
		b[6]=0x10		# capability list
		b[52]=0x40
		b[64]=0x10		# PCI Express capability, last in the list
		b[65]=0
		b[66]=$(( 0x02 | type << 4 ))
	fi
	for (( i = 0; i < size; i++ )); do out+="\\x$(hex2 "${b[i]}")"; done
	printf "$out" >"$file"
}

# make_tree NAME < description
make_tree() {
	local name=$1 root=$data/$1 size=256
	local path vd class kind sec sub dir bdf bus

	[[ $name == *-short ]] && size=64
	rm -rf "$root"
	mkdir -p "$root/bus/pci/devices" "$root/devices"
	while read -r path vd class kind sec sub; do
		[[ -z $path || $path == \#* ]] && continue
		[[ $sec == - ]] && sec=
		dir=$root/devices/$path
		bdf=${path##*/}
		bus=$(( 16#${bdf:5:2} ))
		mkdir -p "$dir"
		printf '0x%s\n' "${vd%%:*}" >"$dir/vendor"
		printf '0x%s\n' "${vd##*:}" >"$dir/device"
		printf '0x%s\n' "$class" >"$dir/class"
		if [[ -n ${sub:-} ]]; then
			printf '0x%s\n' "${sub%%:*}" >"$dir/subsystem_vendor"
			printf '0x%s\n' "${sub##*:}" >"$dir/subsystem_device"
		else
			printf '0x0000\n' >"$dir/subsystem_vendor"
			printf '0x0000\n' >"$dir/subsystem_device"
		fi
		[[ -n $sec ]] && printf '%d\n' "$(( 16#$sec ))" >"$dir/secondary_bus_number"
		[[ $kind != pci && $kind != pcibr ]] &&
			printf '2.5 GT/s PCIe\n' >"$dir/current_link_speed"
		write_config "$dir/config" "0x${vd%%:*}" "0x${vd##*:}" "0x$class" \
			"$kind" "$(( 16#${sec:-0} ))" "0x${sub%%:*}" "0x${sub##*:}" \
			"$size" "$bus"
		ln -s "../../../devices/$path" "$root/bus/pci/devices/$bdf"
	done
}

# QEMU q35 + amd-iommu: virtio-net behind a pcie-pci-bridge (FACTS.md 6)
qemu_amd() {
	cat <<-'T'
	pci0000:00/0000:00:00.0                                 8086:29c0 060000 pci
	pci0000:00/0000:00:01.0                                 1234:1111 030000 pci
	pci0000:00/0000:00:02.0                                 1022:0000 080600 pci
	pci0000:00/0000:00:03.0                                 1b36:000c 060400 rp  01
	pci0000:00/0000:00:03.0/0000:01:00.0                    1b36:000e 060400 p2p 02
	pci0000:00/0000:00:03.0/0000:01:00.0/0000:02:01.0       1af4:1000 020000 pci -  1af4:0001
	pci0000:00/0000:00:1f.0                                 8086:2918 060100 pci
	pci0000:00/0000:00:1f.2                                 8086:2922 010601 pci
	pci0000:00/0000:00:1f.3                                 8086:2930 0c0500 pci
	T
}

make_tree sysfs-qemu-amd < <(qemu_amd)
# The same machine as an unprivileged user sees it
make_tree sysfs-qemu-amd-short < <(qemu_amd)

# A device behind a PCIe-to-PCI bridge, with a second one beside it
make_tree sysfs-pcie-to-pci <<'T'
pci0000:00/0000:00:00.0                                 8086:1237 060000 pci
pci0000:00/0000:00:1c.0                                 8086:a110 060400 rp  01
pci0000:00/0000:00:1c.0/0000:01:00.0                    104c:8240 060400 p2p 02
pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:01.0       10ec:8139 020000 pci
pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:02.0       1102:0002 040100 pci
T

# Two nested bridges (PCIe-to-PCI, then conventional), and a PCIe switch
make_tree sysfs-nested-bridges <<'T'
pci0000:00/0000:00:1c.0                                                   8086:a110 060400 rp    01
pci0000:00/0000:00:1c.0/0000:01:00.0                                      104c:8240 060400 p2p   02
pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:03.0                         3388:0021 060400 pcibr 03
pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:03.0/0000:03:04.0            10ec:8139 020000 pci
pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:03.0/0000:03:04.1            10ec:8139 020000 pci
pci0000:00/0000:00:1d.0                                                   8086:a118 060400 rp    04
pci0000:00/0000:00:1d.0/0000:04:00.0                                      10b5:8747 060400 up    05
pci0000:00/0000:00:1d.0/0000:04:00.0/0000:05:01.0                         10b5:8747 060400 dn    06
pci0000:00/0000:00:1d.0/0000:04:00.0/0000:05:01.0/0000:06:00.0            8086:10d3 020000 ep
pci0000:00/0000:00:1d.0/0000:04:00.0/0000:05:01.0/0000:06:00.1            8086:10d3 020000 ep
T

# Conventional PCI bridges: one plain, one flagged PCIE_BRIDGE_ALIAS
# (ASMedia ASM1083 without a PCIe capability under a root port), and a
# PCI/PCI-X-to-PCIe bridge
make_tree sysfs-pci-bridge <<'T'
pci0000:00/0000:00:1e.0                                 8086:2448 060401 pcibr 05
pci0000:00/0000:00:1e.0/0000:05:02.0                    1102:0002 040100 pci
pci0000:00/0000:00:1c.0                                 8086:a110 060400 rp    01
pci0000:00/0000:00:1c.0/0000:01:00.0                    1b21:1080 060400 pcibr 02
pci0000:00/0000:00:1c.0/0000:01:00.0/0000:02:05.0       1102:0002 040100 pci
pci0000:00/0000:00:1e.0/0000:05:03.0                    12d8:e130 060400 r2p   07
pci0000:00/0000:00:1e.0/0000:05:03.0/0000:07:00.0       8086:10d3 020000 ep
T

# Devices with DMA-alias quirks
make_tree sysfs-quirks <<'T'
pci0000:00/0000:00:1c.0                                 8086:a110 060400 rp    03
pci0000:00/0000:00:1c.0/0000:03:00.0                    1b4b:9123 010601 ep
pci0000:00/0000:00:1c.1                                 8086:a111 060400 rp    04
pci0000:00/0000:00:1c.1/0000:04:00.3                    1180:e832 0c0010 ep
pci0000:00/0000:00:1c.2                                 8086:a112 060400 rp    05
pci0000:00/0000:00:1c.2/0000:05:0e.0                    9005:0285 010400 pci - 9005:02bb
pci0000:00/0000:00:1c.2/0000:05:0f.0                    9005:0285 010400 pci - 9005:0286
pci0000:00/0000:00:1c.3                                 8086:a113 060400 rp    06
pci0000:00/0000:00:1c.3/0000:06:00.0                    8086:2260 0b4000 ep
pci0000:00/0000:00:1c.4                                 8086:a114 060400 rp    08
pci0000:00/0000:00:1c.4/0000:08:00.0                    10b5:87b0 068000 ep
pci0000:00/0000:00:1b.0                                 8086:244e 060401 pcibr 0b
pci0000:00/0000:00:1b.0/0000:0b:00.0                    14e4:9000 060400 pcibr 0c
pci0000:00/0000:00:1b.0/0000:0b:00.0/0000:0c:00.0       10ec:8139 020000 pci
T

# A plain root-complex device, and functions of a multi-function device
make_tree sysfs-rc-device <<'T'
pci0000:00/0000:00:00.0                                 8086:3e30 060000 pci
pci0000:00/0000:00:02.0                                 8086:3e92 030000 rcie
pci0000:00/0000:00:1f.0                                 8086:a306 060100 rcie
pci0000:00/0000:00:1f.3                                 8086:a348 040300 rcie
T

# AMD IVRS aliases: one IVHD_DEV_ALIAS, one alias range; the same entries
# in a type 0x10 and a type 0x40 IVHD block, with an IVMD block between.
make_tree sysfs-ivrs <<'T'
pci0000:00/0000:00:00.2                                 1022:1481 080600 rcie
pci0000:00/0000:00:14.0                                 1022:790b 0c0500 rcie
pci0000:00/0000:00:14.3                                 1022:790e 060100 rcie
pci0000:00/0000:00:1c.0                                 1022:1483 060400 rp  03
pci0000:00/0000:00:1c.0/0000:03:00.0                    10ec:8168 020000 ep
pci0000:00/0000:00:1c.1                                 1022:1483 060400 rp  04
pci0000:00/0000:00:1c.1/0000:04:00.0                    10ec:8168 020000 ep
T

le16() { printf '\\x%02x\\x%02x' $(( $1 & 0xff )) $(( $1 >> 8 )); }
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(( $1 & 0xff )) \
	$(( ($1 >> 8) & 0xff )) $(( ($1 >> 16) & 0xff )) $(( $1 >> 24 )); }
zeros() { local i; for (( i = 0; i < $1; i++ )); do printf '\\x00'; done; }

ivhd_entries() {
	printf '\\x02%s\\x00' "$(le16 0x0002)"		# select 00:00.2
	printf '\\x42%s\\x00\\x00%s\\x00' "$(le16 0x00a0)" "$(le16 0x00a3)"
	printf '\\x43%s\\x00\\x00%s\\x00' "$(le16 0x0300)" "$(le16 0x0200)"
	printf '\\x04%s\\x00' "$(le16 0x03ff)"		# range end 03:1f.7
	printf '\\x48\\x00\\x00\\xd7\\x00%s\\x01' "$(le16 0x00a0)"	# IOAPIC
}

ivrs=$data/sysfs-ivrs/firmware/acpi/tables/IVRS
mkdir -p "${ivrs%/*}"
ent=$(ivhd_entries)
entlen=$(( 4 + 8 + 8 + 4 + 8 ))
len10=$(( 24 + entlen ))
len40=$(( 40 + entlen ))
total=$(( 48 + len10 + 32 + len40 ))
{
	printf 'IVRS%s\\x02\\x00AMD   ESYNC   ' "$(le32 $total)"
	printf '%s%s%s' "$(le32 1)" "$(le32 0)" "$(le32 0)"	# OEM rev, creator
	printf '%s' "$(le32 0x00203041)"			# IVinfo
	zeros 8
	# IVHD type 0x10: devid 00:00.2, segment 0
	printf '\\x10\\xb0%s%s%s' "$(le16 $len10)" "$(le16 0x0002)" "$(le16 0x40)"
	printf '%s%s' "$(le32 0xfeb80000)" "$(le32 0)"
	printf '%s%s%s' "$(le16 0)" "$(le16 0)" "$(le32 0)"
	printf '%s' "$ent"
	# IVMD type 0x20, 32 bytes
	printf '\\x20\\x00%s' "$(le16 32)"
	zeros 28
	# IVHD type 0x40
	printf '\\x40\\xb0%s%s%s' "$(le16 $len40)" "$(le16 0x0002)" "$(le16 0x40)"
	printf '%s%s' "$(le32 0xfeb80000)" "$(le32 0)"
	printf '%s%s%s' "$(le16 0)" "$(le16 0)" "$(le32 0)"
	zeros 16
	printf '%s' "$ent"
} | { IFS= read -r -d '' s || true; printf "$s"; } >"$ivrs"
