#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: 'esync check' throughput on generated traffic of every format
# (IRTE affinity changes, PASID set-up/replace/tear-down, STE/CD churn, DTE
# and test-format writes, with their commands and completions), against the
# time 'cat' takes to read the same file; cat and check take turns, and
# each figure is the median of BENCH_RUNS (3) runs, so that one slow run
# on a shared host does not make the figure.
#
#   tests/engine/bench.sh OUTDIR EVENTS

set -e
O=${1:-build}
N=${2:-10000000}
dir=$O/bench
f=$dir/traffic-$N.dump
g=$dir/traffic-$N-open100k.dump
RUNS=${BENCH_RUNS:-3}
mkdir -p "$dir"
# (again when the generator changed: its traffic must stay clean)
if [ ! -s "$f" ] || [ "$O/tests/engine/gen-dumps" -nt "$f" ]; then
	echo "generating $f"
	"$O/tests/engine/gen-dumps" --bench "$N" "$f"
fi
size=$(stat -c %s "$f")
echo "data: $f, $((size / 1048576)) MiB; each figure is the median of $RUNS runs"

ns() { date +%s%N; }
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Seconds esync check took on $1, as it says (--stats); $2: the exit expected
check_secs() {
	local out rc=0

	out=$("$O/esync" check -q --stats "$1" 2>&1 >/dev/null) || rc=$?
	if [ "$rc" != "$2" ]; then
		echo "esync check of $1: exit $rc, expected $2:" >&2
		echo "$out" >&2
		exit 1
	fi
	echo "$out" >&2
	sed -nE 's/.*: ([0-9]+) events in ([0-9.]+) s.*/\2 \1/p' <<< "$out"
}

# cat and check take turns, both reading the file from the page cache
cat "$f" > /dev/null
cats="" checks=""
for i in $(seq "$RUNS"); do
	t0=$(ns)
	cat "$f" > /dev/null
	t1=$(ns)
	cats="$cats $(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.4f", d / 1e9 }')"
	read -r secs events < <(check_secs "$f" 0)
	checks="$checks $secs"
done
cat_s=$(median <<< "$cats")
check_s=$(median <<< "$checks")
echo "cat runs (s):$cats; esync check runs (s):$checks"
awk -v c="$cat_s" -v e="$check_s" -v n="$events" -v sz="$size" 'BEGIN {
	printf "reference: cat > /dev/null %.3f s (%.0f MiB/s); esync check %.3f s: %.1fx the time of cat, %.1f ns/event\n",
		c, sz / 1048576 / c, e, e / c, e * 1e9 / n
}'

# Writes that never end must not make the cost grow with them: 10^5 of
# them before the same traffic (at most --max-open stay open; the rest are
# reported incomplete: exit 2)
if [ ! -s "$g" ] || [ "$O/tests/engine/gen-dumps" -nt "$g" ]; then
	echo "generating $g"
	"$O/tests/engine/gen-dumps" --bench "$N" --open 100000 "$g"
fi
opens=""
for i in $(seq "$RUNS"); do
	read -r secs _ < <(check_secs "$g" 2)
	opens="$opens $secs"
done
open_s=$(median <<< "$opens")
echo "open-writes runs (s):$opens"
awk -v a="$check_s" -v b="$open_s" 'BEGIN {
	printf "open writes: 10^5 never-ending writes + the traffic %.3f s, the traffic alone %.3f s: %.2fx (target <= 2)\n",
		b, a, b / a
}'
