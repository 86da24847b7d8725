#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The userspace build must use the entry_sync library exactly as the series
# ships it: prove the extracted files match the series, and that no other
# copy of the library lives in the tree.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
case $O in /*) ;; *) O=$top/$O ;; esac
cd "$top" || exit 1
echo "TAP version 13"
echo "1..2"
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mapfile -t series < <(grep -v '^#' kernel-patch/series | sed 's|^|kernel-patch/|')
if tests/entry_sync/extract.sh "$tmp/src" "${series[@]}" &&
   diff -r "$tmp/src" "$O/entry_sync/src" > "$tmp/diff" 2>&1; then
	echo "ok 1 - the library under test is the series' own ($(ls "$tmp/src/drivers/iommu" | tr '\n' ' '))"
else
	echo "not ok 1 - the library under test differs from the series"
	sed 's/^/#   /' "$tmp/diff" | head -n 20
	fails=1
fi
# Only the patches (and the planted bugs' diffs) may hold library code.
copies=$(git ls-files | grep -v -e '^kernel-patch/.*\.patch$' -e '^tests/entry_sync/mutants/' -e '^tests/e2e/mutants/' -e '^tests/entry_sync/one-source.sh$' |
	xargs grep -l -e 'ES_NS(entry_sync_write)' -e 'entry_sync_store128(quantum_t' 2>/dev/null)
if [ -z "$copies" ]; then
	echo "ok 2 - no copy of the library elsewhere in the tree"
else
	echo "not ok 2 - library code found outside kernel-patch/: $copies"
	fails=1
fi
[ $fails -eq 0 ]
