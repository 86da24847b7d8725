#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A short libFuzzer run of the dump reader and engine (make check), seeded
# with the hand-made dumps.  The long run is 'make fuzz'.  Prints TAP 13.

O=${O:-build}
FUZZ=$O/tests/engine/fuzz-dump
SECONDS_TO_RUN=${FUZZ_SHORT_SECONDS:-15}

echo "TAP version 13"
echo "1..2"
if [ ! -x "$FUZZ" ]; then
	echo "ok 1 # SKIP no libFuzzer build (clang with libclang-rt needed)"
	echo "ok 2 # SKIP no libFuzzer build"
	exit 0
fi
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Seeds in both modes: as they are, and with checksums fixed up
for f in tests/data/*.dump; do
	b=$(basename "$f" .dump)
	{ printf '\x00'; cat "$f"; } > "$corpus/$b.raw"
	{ printf '\x01'; cat "$f"; } > "$corpus/$b.fix"
done
n=$(ls "$corpus" | wc -l)
if "$FUZZ" -runs=0 "$corpus" > "$corpus.log" 2>&1; then
	echo "ok 1 - the $n seeds run clean"
else
	echo "not ok 1 - the $n seeds run clean"
	sed 's/^/#   /' "$corpus.log" | tail -n 20
fi
if "$FUZZ" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 \
	"$corpus" > "$corpus.log" 2>&1; then
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$corpus.log")
	echo "ok 2 - ${SECONDS_TO_RUN}s of fuzzing, $runs executions, no crash"
else
	echo "not ok 2 - ${SECONDS_TO_RUN}s of fuzzing found a crash"
	grep -E 'ERROR|SUMMARY|#0|#1|#2|#3' "$corpus.log" | head -n 20 | sed 's/^/#   /'
fi
rm -f "$corpus.log"
