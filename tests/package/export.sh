#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'esync export --chrome' read back by trace-check, a strict trace-event
# reader (tests/package/trace-check.c): every dump of tests/data exports to
# valid, correctly nested JSON; stores carry their values and decoded
# fields; a cut write has its span; the filters by entry, device, check and
# time keep what they say.  Prints TAP 13.

O=${O:-build}
ESYNC=$O/esync
CHECK=$O/tests/package/trace-check
DATA=tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "$(dirname "$0")/../harness/tap.sh"
# count FILE CAT: events of that category
count() { grep -c "\"cat\":\"$2\"" "$1"; }
# field FILE KEY: the counts line of trace-check, one value
field() { "$CHECK" "$1" | tr ' ' '\n' | sed -n "/^$2\$/{n;p}"; }

echo "TAP version 13"

# The reader itself: it refuses a step emitted before its write at the
# same timestamp (what a viewer mis-nests), and accepts the right order.
hdr='{"name":"process_name","ph":"M","pid":0,"args":{"name":"iommu 0"}},
{"name":"thread_name","ph":"M","pid":0,"tid":1,"args":{"name":"entry"}},'
step='{"name":"step 1","cat":"step","ph":"X","pid":0,"tid":1,"ts":1000.250,"dur":1.250,"args":{"seq":"1"}}'
write='{"name":"write seq 1","cat":"write","ph":"X","pid":0,"tid":1,"ts":1000.250,"dur":2.250,"args":{"seq":"1","cut":false}}'
printf '{"traceEvents":[%s\n%s,\n%s]}\n' "$hdr" "$step" "$write" > "$TMP/bad.json"
printf '{"traceEvents":[%s\n%s,\n%s]}\n' "$hdr" "$write" "$step" > "$TMP/good.json"
err=$("$CHECK" "$TMP/bad.json" 2>&1); rc1=$?
"$CHECK" "$TMP/good.json" >/dev/null 2>&1; rc2=$?
[ $rc1 = 1 ] && [ $rc2 = 0 ] && [[ $err == *"without nesting"* ]]
check "trace-check refuses a step before its write, accepts it after" $? "$rc1 $rc2 $err"
printf '{"traceEvents":[%s\n{"name":"x","ph":"i","pid":0,"tid":1,"ts":1,"args":{"seq":9223372037157447143}}]}\n' \
	"$hdr" > "$TMP/big.json"
! "$CHECK" "$TMP/big.json" 2>/dev/null
check "trace-check refuses a 64-bit number in args" $?
printf '{"traceEvents":[%s\n{"name":"x","ph":"i","pid":0,"tid":1,"ts":1,"bogus":1}]}\n' \
	"$hdr" > "$TMP/key.json"
! "$CHECK" "$TMP/key.json" 2>/dev/null
check "trace-check refuses an unknown key" $?

# Every dump exports to JSON the reader accepts
bad=""
for f in "$DATA"/*.dump "$DATA"/e2e/*.dump; do
	[ -e "$f" ] || continue
	b=$(basename "$f" .dump)
	"$ESYNC" export --chrome "$f" > "$TMP/$b.json" 2>"$TMP/$b.err"
	rc=$?
	if ! out=$("$CHECK" "$TMP/$b.json" 2>&1) || { [ $rc != 0 ] && [ "$b" != incomplete-cut ]; }; then
		bad="$bad $b(exit $rc: $out $(head -c 200 "$TMP/$b.err"))"
	fi
done
[ -z "$bad" ]
check "every dump of tests/data exports to valid, nested trace JSON" $? "$bad"

# Stores carry the values and the fields they changed; writes their entries
j=$TMP/h1-torn-view.json
grep -q '"name":"store q0".*"quanta":0,"old":"0x000000000004000b","new":"0x000000000000000d","fields":{"CONFIG":"0x6","S1CTXPTR":"0x0"}' "$j"
check "a store's args: quanta, old and new values, changed fields" $? \
	"$(grep -m1 '"store q0"' "$j")"
grep -q '"cat":"write".*"old":\["0x000000000004000b",.*"target":\["0x000000000000000d",.*"target_fields":"V=0x1 CONFIG=0x6 .*"how":"hitless","cut":false' "$j"
check "a write's args: old and target entries, decoded fields, how it ended" $?
grep -q '"name":"H1 torn view","ph":"i","cat":"finding".*"evidence":"reachable view' "$j"
check "a finding's instant carries its evidence" $?
grep -q '"quanta_bits":128' "$TMP/clean-vtd-pasid.json" &&
	grep -Eq '"new":"0x[0-9a-f]{32}"' "$TMP/clean-vtd-pasid.json"
check "128-bit quanta are one 32-digit value" $?

# The 2^53 problem: sequence numbers are strings
grep -q '"seq":"9223372037' "$TMP/amd-unpatched.json"
check "64-bit sequence numbers are strings" $?

# A write the dump cut has its span
j=$TMP/incomplete-cut.json
[ "$(field "$j" cut)" = 1 ] &&
	grep -q '"name":"write seq [0-9]* (cut)".*"cut":true,"cut_reason":"the dump ends before its end"' "$j"
check "a cut write has a span (cut: true, and why)" $? "$(grep -m1 '"cat":"write"' "$j")"

# Filters.  --entry: one entry's track and writes
all=$TMP/amd.json
total=$(field "$all" writes)
entry=$(sed -n 's/.*"thread_name".*"name":"amd-irte \(0x[0-9a-f]*\) .*/\1/p' "$all" | head -n 1)
"$ESYNC" export --chrome --entry "$entry" "$DATA/e2e/amd.dump" > "$TMP/entry.json"
w=$(field "$TMP/entry.json" writes)
others=$(grep '"cat":"write"' "$TMP/entry.json" | grep -vc "\"entry\":\"$entry\"")
tracks=$(grep -c '"thread_name"' "$TMP/entry.json")
[ -n "$entry" ] && [ "$w" -gt 0 ] && [ "$w" -lt "$total" ] && [ "$others" = 0 ] && [ "$tracks" = 2 ]
check "--entry $entry: only its writes ($w of $total) and its track" $? \
	"writes $w, others $others, tracks $tracks"
cmds=$(grep '"cat":"command"' "$TMP/entry.json" | sed 's/.*"seq":"\([0-9]*\)".*/\1/' | sort -u)
seqs=$(grep '"cat":"write"' "$TMP/entry.json" | sed 's/.*"args":{"seq":"\([0-9]*\)".*/\1/' | sort -u)
[ -z "$(comm -23 <(echo "$cmds") <(echo "$seqs"))" ]
check "--entry: only the commands of the writes kept" $?

# --device: the writes of one device, all its entries
"$ESYNC" export --chrome --device 0000:00:04.0 "$DATA/e2e/amd.dump" > "$TMP/dev.json"
w=$(field "$TMP/dev.json" writes)
others=$(grep '"cat":"write"' "$TMP/dev.json" | grep -vc '"device":"0000:00:04.0')
[ "$w" -gt 0 ] && [ "$others" = 0 ] && "$CHECK" "$TMP/dev.json" >/dev/null
check "--device 0000:00:04.0: its $w writes only" $? "writes $w, others $others"

# --check: the writes with such a finding, and those findings only
j=$TMP/a1.json
"$ESYNC" export --chrome --check A1 "$DATA/e2e/amd-unpatched.dump" > "$j"
want=$("$ESYNC" check --json "$DATA/e2e/amd-unpatched.dump" 2>/dev/null |
	grep '"check":"A1"' | sed 's/.*"seq":"\([0-9]*\)".*/\1/' | sort -u | wc -l)
w=$(field "$j" writes)
nonA1=$(grep '"cat":"finding"' "$j" | grep -vc '"check":"A1"')
[ "$w" = "$want" ] && [ "$w" -gt 0 ] && [ "$nonA1" = 0 ] && "$CHECK" "$j" >/dev/null
check "--check A1: the $want writes with an A1 finding" $? "writes $w, want $want, other findings $nonA1"
s1=$(stat -c %s "$TMP/amd-unpatched.json")
s2=$(stat -c %s "$j")
[ "$s2" -lt "$s1" ]
check "--check A1 makes the export smaller ($s2 < $s1 bytes)" $?

# --from/--to: seconds after the first event; the halves add up
total=$(field "$TMP/intel.json" writes)
"$ESYNC" export --chrome --to 10 "$DATA/e2e/intel.dump" > "$TMP/early.json"
"$ESYNC" export --chrome --from 10 "$DATA/e2e/intel.dump" > "$TMP/late.json"
"$ESYNC" export --chrome --from 10 --to 10.000001 "$DATA/e2e/intel.dump" > "$TMP/none.json"
a=$(field "$TMP/early.json" writes)
b=$(field "$TMP/late.json" writes)
c=$(field "$TMP/none.json" writes)
t0=$(grep -o '"ts":[0-9.]*' "$TMP/intel.json" | cut -d: -f2 | sort -n | head -n 1)
late_ok=$(grep '"cat":"write"' "$TMP/late.json" | grep -o '"ts":[0-9.]*' | cut -d: -f2 |
	awk -v t0="$t0" '$1 < t0 + 10e6 { bad++ } END { print bad + 0 }')
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ $((a + b)) = "$total" ] && [ "$c" = 0 ] && [ "$late_ok" = 0 ]
check "--to 10 / --from 10: $a + $b of $total writes, none begins too early" $? \
	"early $a, late $b, total $total, empty window $c, too early $late_ok"

# Bad filters are one-line errors
"$ESYNC" export --chrome --check Z9 "$DATA/h1-torn-view.dump" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 2 ] && [ "$(cat "$TMP/err")" = "esync: export: unknown check 'Z9'" ]
check "--check Z9: unknown check" $? "exit $rc: $(cat "$TMP/err")"
"$ESYNC" export --chrome --from 3 --to 1 "$DATA/h1-torn-view.dump" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 2 ] && grep -q 'is after' "$TMP/err"
check "--from after --to is refused" $? "exit $rc"

tap_done
