#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'esync topology' on the fake sysfs trees: the table, --json, one device,
# --aliased, and the errors.  Prints TAP 13.  O is the build directory.
set -u

esync=${O:-build}/esync
data=tests/data
n=0
fails=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
	fi
}

# expect NAME WANT_STATUS WANT_STDOUT ARGS...
expect() {
	local name=$1 want_rc=$2 want=$3 got rc
	shift 3
	got=$("$esync" topology "$@" 2>/dev/null)
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		ok 0 "$name"
	else
		ok 1 "$name"
		echo "#   exit $rc (want $want_rc); got:"
		printf '%s\n' "$got" | sed 's/^/#     /'
		echo "#   want:"
		printf '%s\n' "$want" | sed 's/^/#     /'
	fi
}

echo "TAP version 13"
if [ ! -x "$esync" ]; then
	echo "1..0 # SKIP $esync not built"
	exit 0
fi
if ! "$esync" topology --help >/dev/null 2>&1; then
	echo "1..0 # SKIP this esync has no topology subcommand"
	exit 0
fi
echo "1..8"

expect "table of the QEMU AMD machine" 0 "$(cat <<'T'
DEVICE        DMA ALIASES
0000:00:00.0  -
0000:00:01.0  -
0000:00:02.0  -
0000:00:03.0  -
0000:00:1f.0  -
0000:00:1f.2  -
0000:00:1f.3  -
0000:01:00.0  -
0000:02:01.0  0000:02:00.0
T
)" --sysfs "$data/sysfs-qemu-amd"

expect "--aliased keeps devices with aliases" 0 "$(cat <<'T'
DEVICE        DMA ALIASES
0000:02:03.0  0000:02:00.0
0000:03:04.0  0000:02:03.0 0000:02:00.0
0000:03:04.1  0000:02:03.0 0000:02:00.0
T
)" --sysfs "$data/sysfs-nested-bridges" --aliased

expect "one device, short form" 0 "$(cat <<'T'
DEVICE        DMA ALIASES
0000:02:01.0  0000:02:00.0
T
)" --sysfs "$data/sysfs-qemu-amd" 02:01.0

expect "--json" 0 "$(cat <<'T'
{"sysfs": "tests/data/sysfs-pcie-to-pci", "devices": [
    {"device": "0000:02:01.0", "aliases": ["0000:02:00.0"], "dropped": 0},
    {"device": "0000:00:1c.0", "aliases": [], "dropped": 0}
  ]}
T
)" --sysfs "$data/sysfs-pcie-to-pci" --json 02:01.0 0000:00:1c.0

expect "truncated alias set is said" 0 "$(cat <<'T'
DEVICE        DMA ALIASES
0000:08:00.0  0000:08:00.1 0000:08:00.2 0000:08:00.3 0000:08:00.4 0000:08:00.5 0000:08:00.6 0000:08:00.7 0000:08:01.0 0000:08:01.1 0000:08:01.2 0000:08:01.3 0000:08:01.4 0000:08:01.5 0000:08:01.6 0000:08:01.7 0000:08:02.0 0000:08:02.1 0000:08:02.2 0000:08:02.3 0000:08:02.4 0000:08:02.5 0000:08:02.6 0000:08:02.7 0000:08:03.0 0000:08:03.1 0000:08:03.2 0000:08:03.3 0000:08:03.4 0000:08:03.5 0000:08:03.6 0000:08:03.7 0000:08:04.0 (+223 not kept)
T
)" --sysfs "$data/sysfs-quirks" 08:00.0

expect "unknown device" 2 "DEVICE        DMA ALIASES" --sysfs "$data/sysfs-qemu-amd" 07:00.0
expect "bad device id" 2 "" --sysfs "$data/sysfs-qemu-amd" 02:01
expect "missing sysfs tree" 2 "" --sysfs "$data/no-such-tree"

exit $((fails > 0))
