#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The command line's promises on bad input: every damaged or odd input is
# reported as such in text, JSON and TAP, loses nothing already read, and
# never passes as clean; a write no check could run on is a TAP SKIP; bad
# options are one-line usage errors.  The damaged inputs are made here from
# the dumps of tests/data.  Prints TAP 13.

O=${O:-build}
ESYNC=$O/esync
DATA=tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "$(dirname "$0")/../harness/tap.sh"

echo "TAP version 13"

# not_ok, each line of the diagnostics a comment of its own
fail() {	# NAME DIAGNOSTICS...
	local name=$1 l
	local -a d=()
	shift
	while IFS= read -r l; do
		d+=("$l")
	done < <(printf '%s\n' "$@")
	not_ok "$name" "${d[@]}"
}

# CRC-32C (Castagnoli, reflected), as the dump header carries it
CRC_TABLE=()
for ((i = 0; i < 256; i++)); do
	c=$i
	for ((k = 0; k < 8; k++)); do
		if ((c & 1)); then c=$(((c >> 1) ^ 0x82F63B78)); else c=$((c >> 1)); fi
	done
	CRC_TABLE[i]=$c
done
crc32c() {	# FILE OFFSET LENGTH
	local crc=0xFFFFFFFF b
	for b in $(od -An -v -tu1 -j "$2" -N "$3" "$1"); do
		crc=$((CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >> 8)))
	done
	echo $((crc ^ 0xFFFFFFFF))
}
u32() {		# FILE OFFSET
	od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}
put_u32() {	# FILE OFFSET VALUE (little-endian)
	local v=$3
	printf "\\$(printf '%03o' $((v & 255)))\\$(printf '%03o' $(((v >> 8) & 255)))\\$(printf '%03o' $(((v >> 16) & 255)))\\$(printf '%03o' $(((v >> 24) & 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
flip_bit() {	# FILE OFFSET BIT
	local byte
	byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf '%03o' $((byte ^ (1 << $3))))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# Recomputes a version 2 header's checksum (over header and topology)
fix_crc() {	# FILE
	put_u32 "$1" 252 0
	put_u32 "$1" 252 "$(crc32c "$1" 0 "$(u32 "$1" 12)")"
}
# A copy of SRC with a header field set (byte offset, u32), checksum kept valid
with_field() {	# SRC DST OFFSET VALUE
	cp "$1" "$2"
	put_u32 "$2" "$3" "$4"
	fix_crc "$2"
}
lines() {
	wc -l < "$1" | tr -d ' '
}
# Frames whole before byte offset OFF in FILE (frames start after the header)
frames_before() {	# FILE OFF
	local off n=0
	off=$(u32 "$1" 12)
	while [ "$off" -lt "$2" ]; do
		off=$((off + 8 + $(u32 "$1" "$off")))
		n=$((n + 1))
	done
	echo $n
}
# Byte offset of record N (from 0) of a dump
record_at() {	# FILE N
	local off n
	off=$(u32 "$1" 12)
	for ((n = 0; n < $2; n++)); do
		off=$((off + 8 + $(u32 "$1" "$off")))
	done
	echo $off
}
# The kind of record N's event (ESYNC_EV_*: 9 completion, 12 fault)
event_kind() {	# FILE N
	od -An -tu2 -j $(($(record_at "$1" "$2") + 8 + 22)) -N2 "$1" | tr -d ' '
}
# Sets the u32 at byte FIELD of record N's event, its frame checksum kept valid
set_event_u32() {	# FILE N FIELD VALUE
	local off len
	off=$(record_at "$1" "$2")
	len=$(u32 "$1" "$off")
	put_u32 "$1" $((off + 8 + $3)) "$4"
	# the frame's CRC-32C covers its length and its event
	{ head -c $((off + 4)) "$1" | tail -c 4; head -c $((off + 8 + len)) "$1" | tail -c "$len"; } \
		> "$TMP/frame"
	put_u32 "$1" $((off + 4)) "$(crc32c "$TMP/frame" 0 $((len + 4)))"
}
# DST: SRC with record M of FROM (its frame as it is) put before record N
insert_record() {	# SRC N FROM M DST
	local at from len
	at=$(record_at "$1" "$2")
	from=$(record_at "$3" "$4")
	len=$(u32 "$3" "$from")
	{ head -c "$at" "$1"; head -c $((from + 8 + len)) "$3" | tail -c $((len + 8)); tail -c +$((at + 1)) "$1"; } \
		> "$5"
}

STE=$DATA/clean-smmu-ste.dump
H1=$DATA/h1-torn-view.dump
LEG=$DATA/legacy-amd-irte.dump
PERF=$DATA/perf-clean-amd.txt

# The header checksum helpers agree with the writer
cp "$STE" "$TMP/same.dump"
fix_crc "$TMP/same.dump"
if ! cmp -s "$STE" "$TMP/same.dump"; then
	fail "the script's CRC-32C matches the dump writer's"
	tap_done
fi

# A damaged record: one byte of the eighth record (write-begin of seq 2)
cp "$STE" "$TMP/flip.dump"
printf '\xff' | dd of="$TMP/flip.dump" bs=1 seek=1012 conv=notrunc status=none

## D2: a write on which no check could run is a TAP SKIP, never a pass

t=$("$ESYNC" check --tap --only A1 "$STE" 2>/dev/null)
a=$("$ESYNC" check --tap "$STE" 2>/dev/null)
if [ "$(grep -c '^ok [0-9]* - seq .* # SKIP no check could run on this write: none of the checks asked for (--only) applies to it$' <<< "$t")" = 7 ] &&
   ! grep -q '^ok [0-9]* - seq [^#]*$' <<< "$t" &&
   [ "$(grep -c '^ok [0-9]* - seq [^#]*$' <<< "$a")" = 7 ]; then
	ok "--tap --only A1 on SMMUv3 writes: each write a # SKIP, all checks: each ok"
else
	fail "--tap --only A1 on SMMUv3 writes: each write a # SKIP" "$t"
fi
# A legacy dump whose header supports 'incomplete' only (offset 172: checks)
with_field "$LEG" "$TMP/legacy-none.dump" 172 $((1 << 10))
t=$("$ESYNC" check --tap "$TMP/legacy-none.dump" 2>/dev/null)
if grep -q '^ok 1 - seq 1 amd-irte .* # SKIP no check could run on this write: the input lacks the data' <<< "$t" &&
   ! grep -q '^ok [0-9]* - seq [^#]*$' <<< "$t"; then
	ok "--tap on a legacy dump supporting no check: its write is a # SKIP"
else
	fail "--tap on a legacy dump supporting no check: its write is a # SKIP" "$t"
fi

## D3: events lost where no write was open to be cut: a failing TAP point

t=$("$ESYNC" check --tap "$DATA/incomplete-lost-before-writes.dump" 2>/dev/null)
if grep -q '^ok 1 - seq 1 amd-irte ' <<< "$t" &&
   grep -q '^not ok 2 - .*incomplete-lost-before-writes.dump: input not whole$' <<< "$t" &&
   grep -q '^  # events lost: 3 (at 1 place)' <<< "$t"; then
	ok "--tap: events lost with no write open fail a point of their own"
else
	fail "--tap: events lost with no write open" "$t"
fi

## D3: a damaged stretch skipped is a failing TAP point

t=$("$ESYNC" check --tap "$TMP/flip.dump" 2>/dev/null)
np=$(grep -c '^\(not \)\?ok ' <<< "$t")
if grep -A1 '^not ok [0-9]* - .*flip.dump: damaged stretch skipped$' <<< "$t" |
	grep -q '^  # .*bad checksum after record 7 at byte offset 1008' &&
   [ "$(sed -n 2p <<< "$t")" = "1..$np" ]; then
	ok "--tap: a damaged stretch skipped is a not ok point with the reader's warning"
else
	fail "--tap: a damaged stretch skipped is a not ok point" "$t"
fi

## D4: a perf line that does not parse is a lost event, not a missing store

sed 's/old=0x00000000000000000000000000000000/old=0xZZ000000000000000000000000000000/' \
	"$PERF" > "$TMP/badstore.txt"
out=$("$ESYNC" check --perf "$TMP/badstore.txt" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && grep -q '^incomplete .*seq 7 .*events were lost while this write was open' <<< "$out" &&
   ! grep -q '^H[0-9]' <<< "$out" && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q '1 line of esync.s events did not parse (the first: line 3)' "$TMP/err" &&
   grep -q ': .*incomplete 1, 1 event lost' <<< "$out"; then
	ok "--perf, a malformed store line: the write is incomplete (exit 2), no false H3/H5"
else
	fail "--perf, a malformed store line: the write is incomplete" "exit $rc" "$out" "$(cat "$TMP/err")"
fi
j=$("$ESYNC" check --json --perf "$TMP/badstore.txt" 2>/dev/null)
if grep -q '^{"type":"error","input":"[^"]*badstore.txt","message":"[^"]*did not parse' <<< "$j" &&
   grep -q '"type":"summary".*"status":"incomplete","exit":2,.*"lost":"1"' <<< "$j" &&
   ! grep -q '^{"type":"finding",.*"check":"H[35]"' <<< "$j"; then
	ok "--json --perf: the malformed line is an error record, the summary incomplete"
else
	fail "--json --perf: the malformed line is an error record" "$j"
fi
t=$("$ESYNC" check --tap --perf "$TMP/badstore.txt" 2>/dev/null)
if grep -q '^not ok [0-9]* - .*badstore.txt: damaged input$' <<< "$t" &&
   grep -q '^not ok [0-9]* - seq 7 amd-irte' <<< "$t"; then
	ok "--tap --perf: the malformed line and the write open across it fail"
else
	fail "--tap --perf: the malformed line and the write open across it fail" "$t"
fi

## D5: --json --perf on an input that cannot be read says so on stdout

j=$("$ESYNC" check --json --perf "$TMP/missing.txt" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q '^{"type":"error","input":"[^"]*missing.txt","message":"[^"]*cannot read' <<< "$j" &&
   grep -q '^{"type":"summary","schema":1,"input":"[^"]*missing.txt","status":"unreadable","exit":2}$' <<< "$j"; then
	ok "--json --perf on a missing file: error and summary records, exit 2"
else
	fail "--json --perf on a missing file: error and summary records" "exit $rc" "$j" "$(cat "$TMP/err")"
fi
: > "$TMP/empty.txt"
j=$("$ESYNC" check --json --perf "$TMP/empty.txt" 2> "$TMP/err")
rc=$?
if [ $rc = 4 ] && [ "$(lines "$TMP/err")" = 1 ] && grep -q "perf script" "$TMP/err" &&
   grep -q '^{"type":"error","input":"[^"]*empty.txt","message":"[^"]*no esync trace event' <<< "$j" &&
   grep -q '^{"type":"summary","schema":1,"input":"[^"]*empty.txt","status":"nothing-checked","exit":4}$' <<< "$j"; then
	ok "--json --perf on an empty file: error and summary records, exit 4"
else
	fail "--json --perf on an empty file: error and summary records" "exit $rc" "$j" "$(cat "$TMP/err")"
fi

## D6: --perf with dump files is a usage error

out=$("$ESYNC" check --perf "$PERF" "$STE" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && [ -z "$out" ] && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q -- '--perf' "$TMP/err"; then
	ok "--perf FILE DUMP: usage error, exit 2, one line"
else
	fail "--perf FILE DUMP: usage error" "exit $rc" "$out" "$(cat "$TMP/err")"
fi

## D7: header fields this esync does not know are refused

# offset 20: mode; 168: flags; 8: version
with_field "$STE" "$TMP/mode7.dump" 20 7
out=$("$ESYNC" check "$TMP/mode7.dump" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && [ -z "$out" ] && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q 'recording mode 7, .*read it with a newer esync' "$TMP/err"; then
	ok "unknown recording mode (valid checksum): exit 2, one line, newer esync"
else
	fail "unknown recording mode: refused" "exit $rc" "$out" "$(cat "$TMP/err")"
fi
with_field "$STE" "$TMP/mode0.dump" 20 0
"$ESYNC" check "$TMP/mode0.dump" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && [ "$(lines "$TMP/err")" = 1 ] && grep -q 'mode 0, which no esync writes' "$TMP/err"; then
	ok "recording mode 0: exit 2, one line, not an esync header"
else
	fail "recording mode 0: refused" "exit $rc" "$(cat "$TMP/err")"
fi
with_field "$STE" "$TMP/flags.dump" 168 $((0x107))
out=$("$ESYNC" check "$TMP/flags.dump" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && [ -z "$out" ] && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q 'header flags 0x100, .*read it with a newer esync' "$TMP/err"; then
	ok "unknown header flag bits (valid checksum): exit 2, one line, names them"
else
	fail "unknown header flag bits: refused" "exit $rc" "$out" "$(cat "$TMP/err")"
fi
with_field "$STE" "$TMP/ver0.dump" 8 0
"$ESYNC" check "$TMP/ver0.dump" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && [ "$(lines "$TMP/err")" = 1 ] && grep -q 'not an esync dump' "$TMP/err" &&
   ! grep -q 'newer esync' "$TMP/err"; then
	ok "format version 0: damaged or not a dump, not 'newer esync'"
else
	fail "format version 0: damaged or not a dump" "exit $rc" "$(cat "$TMP/err")"
fi

## D8: a damaged header whose framing is valid: the records are still read

# offset 32: host name
cp "$H1" "$TMP/host-h1.dump"
flip_bit "$TMP/host-h1.dump" 32 0
out=$("$ESYNC" check "$TMP/host-h1.dump" 2> "$TMP/err")
rc=$?
j=$("$ESYNC" check --json "$TMP/host-h1.dump" 2>/dev/null)
if [ $rc = 1 ] && grep -q '^H1 torn view' <<< "$out" && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q 'header checksum mismatch: the header is damaged.*(host, kernel, topology' "$TMP/err" &&
   grep -q '"type":"summary".*"status":"findings".*"header_damaged":true' <<< "$j" &&
   grep -q '^{"type":"error",.*header checksum mismatch' <<< "$j"; then
	ok "host name bit flipped: warned, records read, the H1 still found (exit 1)"
else
	fail "host name bit flipped: records read" "exit $rc" "$out" "$(cat "$TMP/err")" "$j"
fi
cp "$STE" "$TMP/host.dump"
flip_bit "$TMP/host.dump" 32 0
out=$("$ESYNC" check "$TMP/host.dump" 2>/dev/null)
rc=$?
t=$("$ESYNC" check --tap "$TMP/host.dump" 2>/dev/null)
if [ $rc = 2 ] && grep -q ': 78 events, 7 writes: .*damaged header' <<< "$out" &&
   grep -q '^not ok 1 - .*host.dump: damaged header$' <<< "$t"; then
	ok "host name bit flipped on a clean dump: incomplete (exit 2), not clean, TAP fails"
else
	fail "host name bit flipped on a clean dump: incomplete" "exit $rc" "$out" "$t"
fi
# ... but a damaged header with a field out of range is not read
cp "$STE" "$TMP/hdrmode.dump"
put_u32 "$TMP/hdrmode.dump" 20 7
"$ESYNC" check "$TMP/hdrmode.dump" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q 'header checksum mismatch and impossible fields (mode 7,.*cannot be read' "$TMP/err"; then
	ok "damaged header with an impossible mode: refused, one line"
else
	fail "damaged header with an impossible mode: refused" "exit $rc" "$(cat "$TMP/err")"
fi

## D9: show, show --summary and export say what they skipped, exit 2

bad=""
for cmd in "show" "show --summary" "export --chrome"; do
	for f in flip host; do
		"$ESYNC" $cmd "$TMP/$f.dump" > "$TMP/out" 2> "$TMP/err"
		rc=$?
		want='bad checksum after record 7'
		[ $f = host ] && want='header checksum mismatch'
		if [ $rc != 2 ] || [ "$(grep -c "warning: .*$want" "$TMP/err")" != 1 ] ||
		   [ ! -s "$TMP/out" ]; then
			bad="$bad; $cmd $f.dump: exit $rc, $(head -c 200 "$TMP/err")"
		fi
	done
done
[ -z "$bad" ] && ok "show, show --summary, export: a damaged record or header warned once, exit 2" ||
	fail "show, show --summary, export on damaged dumps" "${bad#; }"

## D10: show --summary says which checks were skipped instead of clean

s=$("$ESYNC" show --summary "$LEG" 2>/dev/null)
c=$("$ESYNC" show --summary "$STE" 2>/dev/null)
if grep -q '^amd-irte .*; no finding, but not clean: skipped H1 H2 H3 F1 F2 F3 H4 H5 U1 ' <<< "$s" &&
   ! grep -q 'clean$' <<< "$s" && grep -q '^smmu-ste .*; clean$' <<< "$c"; then
	ok "show --summary: a legacy entry lists its skipped checks, a patched one is clean"
else
	fail "show --summary: skipped checks instead of clean" "$s" "$c"
fi

## D11: gaps are counted as gaps, positions as records read and byte offsets

out=$("$ESYNC" check "$TMP/flip.dump" 2> "$TMP/err")
j=$("$ESYNC" check --json "$TMP/flip.dump" 2>/dev/null)
if grep -q 'bad checksum after record 7 at byte offset 1008: skipped 120 bytes (at least one record) up to the next valid record at offset 1128' "$TMP/err" &&
   grep -q ', 1 damaged stretch skipped (120 bytes, at least one record)' <<< "$out" &&
   ! grep -q 'lost' <<< "$out" &&
   grep -q '"type":"summary".*"lost":"0","loss_places":"1","gaps":"1","gap_bytes":"120"' <<< "$j"; then
	ok "a gap: 'after record 7 at byte offset 1008', at least one record, lost 0, gaps 1"
else
	fail "a gap reported as a gap" "$(cat "$TMP/err")" "$out" "$j"
fi
# Two gaps: the second is placed after the records actually read
cp "$TMP/flip.dump" "$TMP/two.dump"
off2=$(u32 "$STE" 12)
for ((i = 0; i < 40; i++)); do off2=$((off2 + 8 + $(u32 "$STE" "$off2"))); done
flip_bit "$TMP/two.dump" $((off2 + 16)) 3
read_before=$(($(frames_before "$STE" "$off2") - 1))
"$ESYNC" check "$TMP/two.dump" > "$TMP/out" 2> "$TMP/err"
if [ "$(grep -c 'warning: .*bad checksum after record' "$TMP/err")" = 2 ] &&
   grep -q "bad checksum after record $read_before at byte offset $off2:" "$TMP/err" &&
   grep -q ', 2 damaged stretches skipped (2[0-9]* bytes, at least one record each)' "$TMP/out"; then
	ok "two gaps: the second after record $read_before (records read) at byte offset $off2"
else
	fail "two gaps: positions" "expected after record $read_before at $off2" "$(cat "$TMP/err")" "$(cat "$TMP/out")"
fi
# A dump cut inside a record: where, by records read and byte offset
size=$(stat -c %s "$STE")
head -c $((size - 20)) "$STE" > "$TMP/cut.dump"
"$ESYNC" check "$TMP/cut.dump" > /dev/null 2> "$TMP/err"
if grep -q 'file ends inside a record .* after record 77 at byte offset [0-9]*; stopped there, the 77 records before it were read' "$TMP/err"; then
	ok "a cut dump: 'after record 77 at byte offset'"
else
	fail "a cut dump: 'after record 77 at byte offset'" "$(cat "$TMP/err")"
fi

## D12: names with '#' in TAP descriptions, bytes that are not UTF-8 in JSON

cp "$H1" "$TMP/h1 # TODO later.dump"
t=$("$ESYNC" check --tap "$TMP/h1 # TODO later.dump" "$DATA/clean-test.dump" 2>/dev/null)
if grep -q '^not ok 1 - .*/h1 \\# TODO later.dump seq 1 smmu-ste' <<< "$t" &&
   ! grep -q '^not ok .*[^\\]# TODO' <<< "$t"; then
	ok "--tap: '#' in a file name is escaped in the description"
else
	fail "--tap: '#' in a file name is escaped" "$t"
fi
if command -v prove > /dev/null; then
	printf '%s\n' "$t" > "$TMP/todo.tap"
	if prove -e cat "$TMP/todo.tap" > "$TMP/prove.out" 2>&1; then
		fail "prove fails the TAP of a finding in a file named '... # TODO ...'" "$(cat "$TMP/prove.out")"
	else
		ok "prove fails the TAP of a finding in a file named '... # TODO ...'"
	fi
else
	skip "prove fails the TAP of a finding in a file named '... # TODO ...'" "prove is not installed"
fi
cp "$STE" "$TMP/$(printf 'bad\377name\300\257-\303\251.dump')"
j=$("$ESYNC" check --json "$TMP/bad"*.dump 2>/dev/null | grep '"type":"summary"')
if grep -q '"input":"[^"]*/bad\\u00ffname\\u00c0\\u00af-'"$(printf '\303\251')"'.dump"' <<< "$j" &&
   ! LC_ALL=C grep -q "$(printf '[\200-\377]')" <<< "${j//$(printf '\303\251')/}"; then
	ok "--json: invalid UTF-8 bytes as \\u00XX, valid UTF-8 kept"
else
	fail "--json: invalid UTF-8 bytes escaped" "$j"
fi

## D13: numbers and check lists that mean nothing are usage errors

bad=""
for v in -1 99999999999999999999999 0 '' 12x; do
	out=$("$ESYNC" check --max-open "$v" "$STE" 2> "$TMP/err")
	rc=$?
	if [ $rc != 2 ] || [ -n "$out" ] || [ "$(lines "$TMP/err")" != 1 ] ||
	   ! grep -q -- "--max-open wants a positive number" "$TMP/err"; then
		bad="$bad; '$v': exit $rc $(cat "$TMP/err")"
	fi
done
"$ESYNC" check --max-open 0x10 "$STE" > /dev/null 2>&1 || bad="$bad; 0x10 refused"
[ -z "$bad" ] && ok "--max-open: negative, overflowing, zero and empty refused (exit 2, one line)" ||
	fail "--max-open: bad numbers refused" "${bad#; }"
bad=""
for v in '' ',' ',,'; do
	out=$("$ESYNC" check --only "$v" "$STE" 2> "$TMP/err")
	rc=$?
	if [ $rc != 2 ] || [ -n "$out" ] || [ "$(lines "$TMP/err")" != 1 ] ||
	   ! grep -q -- "--only wants at least one check" "$TMP/err"; then
		bad="$bad; '$v': exit $rc $(cat "$TMP/err")"
	fi
done
[ -z "$bad" ] && ok "--only with no check name: exit 2, one line" ||
	fail "--only with no check name refused" "${bad#; }"
"$ESYNC" check -q --only h4,u1,incomplete,H5 "$STE" > /dev/null 2>&1
rc_names=$?
out=$("$ESYNC" check --only H1,X9 "$STE" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && [ -z "$out" ] && [ "$(lines "$TMP/err")" = 1 ] &&
   grep -q "unknown check 'X9'.*: H1 H2 H3 F1 F2 F3 A1 H4 H5 U1 incomplete$" "$TMP/err" &&
   [ $rc_names = 0 ]; then
	ok "--only with an unknown check lists every name it takes"
else
	fail "--only with an unknown check lists every name" "exit $rc" "$(cat "$TMP/err")"
fi

## Faults in show: the verdict check gives, the timeline of the linked write

# A fault during a write whose last CMD_SYNC then fails (record 18, status
# at byte 68): the F1 comes after the fault
cp "$DATA/fault-smmu-during-write.dump" "$TMP/fault-f1.dump"
set_event_u32 "$TMP/fault-f1.dump" 18 68 -110
c=$("$ESYNC" check "$TMP/fault-f1.dump" 2>/dev/null | grep -A1 '^fault 1 ' | sed -n 2p)
s=$("$ESYNC" show --fault 1 "$TMP/fault-f1.dump" 2>/dev/null | grep -A1 '^fault 1 ' | sed -n 2p)
a=$("$ESYNC" show "$TMP/fault-f1.dump" 2>/dev/null | grep -A1 '^fault 1 ' | sed -n 2p)
if [ "$(event_kind "$TMP/fault-f1.dump" 18)" = 9 ] &&
   grep -q '^  during write seq 1 of smmu-ste .*: findings F1$' <<< "$c" &&
   [ "$s" = "$c" ] && [ "$a" = "$c" ]; then
	ok "show, show --fault 1: a write's finding made after the fault is in its verdict, as in check"
else
	fail "show --fault 1: the write's final verdict" "check: $c" "show --fault 1: $s" "show: $a"
fi

# A VT-d fault on PASID 4 of the device whose PASID 3 entry is being
# written (record 3, hi bits 59:40 at byte 44): it names no entry written
cp "$DATA/fault-vtd-during-write.dump" "$TMP/fault-pasid.dump"
set_event_u32 "$TMP/fault-pasid.dump" 3 44 $((0xc0000406))
c=$("$ESYNC" check "$TMP/fault-pasid.dump" 2>/dev/null)
s=$("$ESYNC" show "$TMP/fault-pasid.dump" 2>/dev/null)
if [ "$(event_kind "$TMP/fault-pasid.dump" 3)" = 12 ] &&
   grep -A1 '^fault 1 .*DMA_REMAP .* pasid 0x4 ' <<< "$c" | grep -q 'no write of an entry it names' &&
   grep -q '^seq 1 vtd-pasid .*pasid 0x3)' <<< "$s" && ! grep -q ' FAULT ' <<< "$s"; then
	ok "show: a VT-d fault on another PASID of the device is in no PASID entry's timeline"
else
	fail "show: a fault on another PASID in no timeline" "$c" "$s"
fi
# An SMMUv3 C_BAD_SUBSTREAMID while the CD of SSID 1 is written: with
# SSID 2 it names no CD written, with SSID 1 that write (word 0 of the
# record: id 0x08, SSV, SSID at 31:12; timestamp in the write's first step)
bad=""
for ssid in 2 1; do
	insert_record "$DATA/clean-smmu-cd.dump" 3 "$DATA/fault-smmu-during-write.dump" 3 \
		"$TMP/fault-ssid$ssid.dump"
	set_event_u32 "$TMP/fault-ssid$ssid.dump" 3 0 1000800
	set_event_u32 "$TMP/fault-ssid$ssid.dump" 3 32 $((ssid << 12 | 1 << 11 | 0x08))
	c=$("$ESYNC" check "$TMP/fault-ssid$ssid.dump" 2>/dev/null | grep -A1 '^fault 1 ')
	s=$("$ESYNC" show "$TMP/fault-ssid$ssid.dump" 2>/dev/null |
		awk '/^seq /{seq = $2} / FAULT /{print "seq " seq ":" $0}')
	want="seq 1:      0.000001 FAULT   1: C_BAD_SUBSTREAMID sid 0x10 ssid 0x1"
	if [ "$(event_kind "$TMP/fault-ssid$ssid.dump" 3)" != 12 ]; then
		bad="$bad; SSID $ssid: record 3 is no fault"
	elif [ $ssid = 2 ]; then
		grep -q 'no write of an entry it names' <<< "$c" && [ -z "$s" ] ||
			bad="$bad; SSID 2: $c / $s"
	else
		grep -q 'during write seq 1 of smmu-cd ' <<< "$c" && [ "$s" = "$want" ] ||
			bad="$bad; SSID 1: $c / $s"
	fi
done
[ -z "$bad" ] && ok "show: an SMMUv3 fault is in the timeline of the CD write it is linked to, by SSID" ||
	fail "show: an SMMUv3 fault in the linked CD write's timeline only" "${bad#; }"

## perf script: the fault tracepoints are carried as the collector carries them

# fault-vtd-during-write.dump as perf prints the series' events
cat > "$TMP/fault-vtd.txt" <<'EOF'
        modprobe     100 [000]     0.001000250: entry_sync:entry_sync_write_begin: seq=1 entry=0xffff888010203000 format=vtd_pasid iommu=0 dev=0x10 sub=0x3 quanta=4x128 vbit=0 cur={0x109,0x1,0x0,0x0,0x0,0x0,0x0,0x0} target={0x7089,0x1,0x0,0x0,0x0,0x0,0x0,0x0}
        modprobe     100 [000]     0.001000500: entry_sync:entry_sync_used: seq=1 entry=0xffff888010203000 cur_used={0x1df,0x180ffff,0x0,0x0,0x0,0x0,0x0,0x0} target_used={0xfffffffffffff3df,0x180ffff,0x0,0x0,0x0,0x0,0x0,0x0}
        modprobe     100 [000]     0.001000750: entry_sync:entry_sync_store: seq=1 entry=0xffff888010203000 index=0 old=0x00000000000000010000000000000109 new=0x00000000000000010000000000007089
        modprobe     100 [000]     0.001001000: intel_iommu:dmar_fault_record: dmar0 source_id=0x0010 reason=0x06 type=read pasid_present=1 pasid=0x3 lo=0x0000000080002000 hi=0xc000030680000010
        modprobe     100 [000]     0.001001250: entry_sync:entry_sync_sync: seq=1 entry=0xffff888010203000 step=1
        modprobe     100 [000]     0.001001500: intel_iommu:qi_submit: dmar0 pc_inv: 0x300010017 0x0 0x0 0x0
        modprobe     100 [000]     0.001001750: intel_iommu:qi_wait: dmar0 inv_wait: 0x25 0x0 status 0
        modprobe     100 [000]     0.001002000: entry_sync:entry_sync_write_end: seq=1 entry=0xffff888010203000 how=hitless critical=1 syncs=1 final={0x7089,0x1,0x0,0x0,0x0,0x0,0x0,0x0}
        modprobe     100 [000]     0.001002250: intel_iommu:qi_submit: dmar0 p_iotlb_inv: 0x300010036 0x0 0x0 0x0
        modprobe     100 [000]     0.001002500: intel_iommu:qi_submit: dmar0 p_dev_tlb_inv: 0x300100008 0x0 0x0 0x0
        modprobe     100 [000]     0.001002750: intel_iommu:qi_wait: dmar0 inv_wait: 0x25 0x0 status 0
EOF
d=$("$ESYNC" check "$DATA/fault-vtd-during-write.dump" 2>/dev/null)
p=$("$ESYNC" check --perf "$TMP/fault-vtd.txt" 2>/dev/null)
dj=$("$ESYNC" check --json "$DATA/fault-vtd-during-write.dump" 2>/dev/null | grep '"type":"fault"' |
	sed 's/"input":"[^"]*",//')
pj=$("$ESYNC" check --json --perf "$TMP/fault-vtd.txt" 2>/dev/null | grep '"type":"fault"' |
	sed 's/"input":"[^"]*",//')
if [ "${p//$TMP\/fault-vtd.txt/X}" = "${d//$DATA\/fault-vtd-during-write.dump/X}" ] &&
   grep -q '^fault 1 .*: DMA_REMAP reason 0x6 0000:00:02.0 pasid 0x3 .*(vtd iommu 0)$' <<< "$p" &&
   [ -n "$pj" ] && [ "$pj" = "$dj" ]; then
	ok "--perf: intel_iommu:dmar_fault_record gives the fault report of the same trace's dump (text, JSON)"
else
	fail "--perf: dmar_fault_record as in the dump" "dump:" "$d" "$dj" "perf:" "$p" "$pj"
fi
# The SMMUv3 event queue, the AMD event log and iommu:io_page_fault (driver,
# device; without a PASID it names PASID 0), after the same write
{
	cat "$TMP/fault-vtd.txt"
	cat <<'EOF'
     irq/25-arm-      42 [001]     0.001003000: arm_smmu_v3:arm_smmu_event: smmu=0 id=0x04 sid=0x10 ssid=0 ssv=0 evt=0000001000000004:0000000800000000:0000000000000000:0000000000000000
     irq/24-AMD-V      43 [001]     0.001003250: amd_iommu:amd_iommu_event: iommu=1 type=2 devid=0200 pasid=0x00000 flags=0x020 address=0xfee00000 event=00000200:20200000:fee00000:00000000
     irq/26-dmar      44 [001]     0.001003500: iommu:io_page_fault: IOMMU:e1000e 0000:00:02.0 iova=0x0000000080001000 flags=0x0001
     irq/26-dmar      44 [001]     0.001003750: iommu:map: IOMMU: iova=0x0000000080000000 - 0x0000000080001000 paddr=0x0000000100000000 size=4096
EOF
} > "$TMP/fault-all.txt"
p=$("$ESYNC" check --perf "$TMP/fault-all.txt" 2> "$TMP/err")
rc=$?
if [ $rc = 0 ] && [ ! -s "$TMP/err" ] &&
   grep -q '^fault 2 .*: C_BAD_STE sid 0x10 (smmu iommu 0)$' <<< "$p" &&
   grep -A1 '^fault 2 ' <<< "$p" | grep -q 'no write of an entry it names' &&
   grep -q '^fault 3 .*: IO_PAGE_FAULT 0000:02:00.0 addr 0xfee00000 write (amd iommu 1)$' <<< "$p" &&
   grep -q '^fault 4 .*: io_page_fault 0000:00:02.0 addr 0x80001000 write$' <<< "$p" &&
   grep -q ': 14 events, 1 writes: clean, 4 faults (1 linked to a write)$' <<< "$p"; then
	ok "--perf: arm_smmu_event, amd_iommu_event, io_page_fault decoded and linked; iommu:map skipped"
else
	fail "--perf: the fault tracepoints of the three drivers and iommu" "exit $rc" "$p" "$(cat "$TMP/err")"
fi
# A fault line that does not parse is damaged input: a lost mark
sed 's/evt=0000001000000004:/evt=00000010000000zz:/' "$TMP/fault-all.txt" > "$TMP/fault-bad.txt"
p=$("$ESYNC" check --perf "$TMP/fault-bad.txt" 2> "$TMP/err")
rc=$?
if [ $rc = 2 ] && grep -q '1 line of esync.s events did not parse (the first: line 12)' "$TMP/err" &&
   grep -q ': .*1 event lost, 3 faults' <<< "$p"; then
	ok "--perf: a malformed arm_smmu_event line is a lost event (exit 2)"
else
	fail "--perf: a malformed fault line is a lost event" "exit $rc" "$p" "$(cat "$TMP/err")"
fi

## perf script: the hint names exactly the tracepoints the import reads

: > "$TMP/none.txt"
"$ESYNC" check --perf "$TMP/none.txt" > /dev/null 2> "$TMP/err"
got=$(grep -o -- "-e '\?[a-z0-9_]*:[a-z0-9_*]*'\?" "$TMP/err" | tr -d "'" | sort | tr '\n' ' ')
want="-e amd_iommu:* -e arm_smmu_v3:* -e entry_sync:* -e intel_iommu:dmar_fault_record -e intel_iommu:qi_submit -e intel_iommu:qi_wait -e iommu:io_page_fault "
if [ "$got" = "$want" ]; then
	ok "--perf with no event: the perf record hint names the series' systems and iommu:io_page_fault"
else
	fail "--perf hint: the tracepoints the import reads" "got:  $got" "want: $want" "$(cat "$TMP/err")"
fi

## A version 1 dump: its checksum's weakness is said, its verdict unchanged

"$ESYNC" check "$DATA/v1/clean-smmu-ste.dump" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 3 ] && grep -q "version 1 dump, whose frame checksum .* misses some 4-bit errors" "$TMP/err"; then
	ok "a version 1 dump: check says its frame checksum misses some 4-bit errors"
else
	fail "a version 1 dump: the checksum note" "exit $rc" "$(cat "$TMP/err")"
fi

## --max-open: a write cut while it waits for the commands after its end is incomplete

"$ESYNC" check --max-open 1 "$DATA/clean-amd-other-writer-before-alias-flush.dump" > "$TMP/out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "cut before the commands after its write-end were all seen" "$TMP/out" &&
   ! grep -q "^A1" "$TMP/out"; then
	ok "--max-open cuts a write lingering for its alias flush: incomplete, not a false A1"
else
	fail "--max-open and a write after its end" "exit $rc" "$(cat "$TMP/out")"
fi

## H3 stray bits: the fields named are those of every word the target strays in

"$ESYNC" check "$DATA/e2e/mutant-smmu-ste-left-invalid.dump" > "$TMP/out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "outside its own used bits: word 0 mask 0x00000000411ae00a (CONFIG,S1CTXPTR,S1DSS,S1CIR,S1COR,S1CSH)" "$TMP/out"; then
	ok "H3 stray bits name the fields of words 0 and 1 (not of a word left unset)"
else
	fail "H3 stray bits: field names" "exit $rc" "$(head -3 "$TMP/out")"
fi

## A legacy input of two kinds of entry: a check that judged one kind only is skipped

"$ESYNC" check "$DATA/legacy-mixed-smmu-amd.dump" > "$TMP/out" 2>&1
rc=$?
if [ $rc = 3 ] && grep -q "skipped: H2 H3 F1 F2 F3: ran on some writes only" "$TMP/out"; then
	ok "a legacy STE+DTE input: the step checks are skipped for the DTEs they could not judge"
else
	fail "a legacy STE+DTE input: the step checks" "exit $rc" "$(cat "$TMP/out")"
fi

tap_done
