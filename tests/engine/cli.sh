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
   grep -q '"type":"summary".*"lost":"0","gaps":"1","gap_bytes":"120"' <<< "$j"; then
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

tap_done
