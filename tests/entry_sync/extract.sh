#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage: extract.sh DEST PATCH...
# Apply, in order, only the hunks of the series that touch the entry_sync
# library files (drivers/iommu/entry_sync*), into an empty DEST. The result
# is the library exactly as the series ships it: no copy of it is kept in
# the tree.
set -euo pipefail
dest=$1
shift
rm -rf "$dest"
mkdir -p "$dest"
for p in "$@"; do
	awk '/^diff --git /{ keep = ($3 ~ /^a\/drivers\/iommu\/entry_sync/) }
	     /^-- ?$/ && !keep { next }
	     keep' "$p" > "$dest/.part"
	if [ -s "$dest/.part" ]; then
		patch -s -d "$dest" -p1 -F0 --batch < "$dest/.part"
	fi
done
rm -f "$dest/.part"
ls "$dest"/drivers/iommu/entry_sync.c >/dev/null
