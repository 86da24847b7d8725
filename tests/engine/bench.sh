#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: 'esync check' throughput on generated traffic of every format
# (IRTE affinity changes, PASID set-up/replace/tear-down, STE/CD churn, DTE
# and test-format writes, with their commands and completions), against the
# time 'cat' takes to read the same file.
#
#   tests/engine/bench.sh OUTDIR EVENTS

set -e
O=${1:-build}
N=${2:-10000000}
dir=$O/bench
f=$dir/traffic-$N.dump
mkdir -p "$dir"
if [ ! -s "$f" ]; then
	echo "generating $f"
	"$O/tests/engine/gen-dumps" --bench "$N" "$f"
fi
size=$(stat -c %s "$f")
echo "data: $f, $((size / 1048576)) MiB"

ns() { date +%s%N; }

# Both read the file from the page cache
cat "$f" > /dev/null
t0=$(ns)
cat "$f" > /dev/null
t1=$(ns)
cat_ns=$((t1 - t0))

stats=$("$O/esync" check -q --stats "$f" 2>&1 >/dev/null) || {
	echo "esync check did not pass on the benchmark traffic:" >&2
	echo "$stats" >&2
	exit 1
}
echo "$stats"
events=$(sed -nE 's/.*: ([0-9]+) events in.*/\1/p' <<< "$stats")
secs=$(sed -nE 's/.* events in ([0-9.]+) s.*/\1/p' <<< "$stats")
check_ns=$(awk -v s="$secs" 'BEGIN { printf "%d", s * 1e9 }')
awk -v c="$cat_ns" -v e="$check_ns" -v n="$events" -v sz="$size" 'BEGIN {
	printf "reference: cat > /dev/null %.3f s (%.0f MiB/s); esync check %.3f s: %.1fx the time of cat, %.1f ns/event\n",
		c / 1e9, sz / 1048576 / (c / 1e9), e / 1e9, e / c, e / n
}'

# Writes that never end must not make the cost grow with them: 10^5 of
# them before the same traffic (at most --max-open stay open; the rest are
# reported incomplete)
g=$dir/traffic-$N-open100k.dump
if [ ! -s "$g" ]; then
	echo "generating $g"
	"$O/tests/engine/gen-dumps" --bench "$N" --open 100000 "$g"
fi
rc2=0
stats2=$("$O/esync" check -q --stats "$g" 2>&1 >/dev/null) || rc2=$?
[ $rc2 = 2 ] || { echo "esync check of $g: exit $rc2, expected 2 (writes cut)" >&2; exit 1; }
echo "$stats2"
secs2=$(sed -nE 's/.* events in ([0-9.]+) s.*/\1/p' <<< "$stats2")
awk -v a="$secs" -v b="$secs2" 'BEGIN {
	printf "open writes: 10^5 never-ending writes + the traffic %.3f s, the traffic alone %.3f s: %.2fx (target <= 2)\n",
		b, a, b / a
}'
