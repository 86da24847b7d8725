#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs 'esync check' on every hand-made dump of tests/data and asserts the
# exact findings (check, entry, device) and the exit status; checks that the
# committed dumps are what the generator writes; feeds damaged dumps and
# checks the one-line diagnosis and that the records before the damage count.
# Prints TAP 13.

O=${O:-build}
ESYNC=$O/esync
GEN=$O/tests/engine/gen-dumps
DATA=tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

n=0
fail=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	fail=1
	echo "not ok $n - $1"
	shift
	for l in "$@"; do echo "#   $l"; done
}

echo "TAP version 13"

# name|exit status|findings as "CHECK ENTRY DEVICE", ';'-separated, in order
EXPECT=(
	"clean-smmu-ste|0|"
	"clean-smmu-cd|0|"
	"clean-vtd-pasid|0|"
	"clean-amd-dte|0|"
	"clean-amd-irte|0|"
	"clean-amd-irte32|0|"
	"clean-test|0|"
	"h1-torn-view|1|H1 0xffff000040001000 sid 0x10"
	"h1-v1-range|1|H1 0xffff000040001000 sid 0x10"
	"h2-needless-disruption|1|H2 0xffff000040001000 sid 0x10"
	"h3-wrong-end|1|H3 0xffff000040001000 sid 0x10"
	"h3-unused-bits|1|H3 0xffff000040001000 sid 0x10"
	"f1-missing-sync|1|F1 0xffff000040001000 sid 0x10"
	"f1-missing-step-sync|1|F1 0xffff000040001000 sid 0x10;H1 0xffff000040001000 sid 0x10"
	"f2-wrong-sid|1|F2 0xffff000040001000 sid 0x10"
	"f2-wrong-pasid|1|F2 0xffff888010203000 0000:00:02.0 pasid 0x3"
	"f3-devtlb-order|1|F3 0xffff888010203000 0000:00:02.0 pasid 0x3"
	"a1-alias-irte|1|A1 0xffff888020100050 0000:02:01.0 irte 5"
	"incomplete-cut|2|incomplete 0xffff000040001000 sid 0x10"
	"incomplete-lost|2|incomplete 0xffff000040001000 sid 0x10"
)

for e in "${EXPECT[@]}"; do
	IFS='|' read -r name want_rc want <<< "$e"
	f=$DATA/$name.dump
	out=$("$ESYNC" check --json "$f" 2>"$TMP/err")
	rc=$?
	got=$(printf '%s\n' "$out" | sed -nE \
		's/.*"check":"([^"]*)".*"entry":"([^"]*)".*"device":"([^"]*)".*/\1 \2 \3/p' |
		paste -sd ';')
	if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
		ok "$name: exit $rc${want:+, $want}"
	else
		not_ok "$name" "exit $rc, expected $want_rc" "findings: '$got'" \
			"expected: '$want'" "$(head -c 300 "$TMP/err")"
	fi
done

# A1's evidence names the alias that was never invalidated
if "$ESYNC" check "$DATA/a1-alias-irte.dump" | grep -q 'alias 0000:02:00.0 never invalidated'; then
	ok "A1 names the alias 0000:02:00.0"
else
	not_ok "A1 names the alias 0000:02:00.0"
fi
# H1's evidence shows the view and names the fields
if "$ESYNC" check "$DATA/h1-torn-view.dump" | grep -q 'q0=0x000000000000000d(new).*differs in CONFIG'; then
	ok "H1 shows the torn view and the fields"
else
	not_ok "H1 shows the torn view and the fields"
fi

# The committed dumps are the generator's output
mkdir -p "$TMP/gen"
if "$GEN" "$TMP/gen"; then
	bad=""
	for f in "$TMP"/gen/*.dump; do
		cmp -s "$f" "$DATA/$(basename "$f")" || bad="$bad $(basename "$f")"
	done
	[ -z "$bad" ] && ok "tests/data dumps match the generator" ||
		not_ok "tests/data dumps match the generator" "differ:$bad (make gen-dumps)"
else
	not_ok "the generator runs"
fi
m=$(stat -c %a "$TMP/gen/clean-test.dump")
[ "$m" = 600 ] && ok "dumps are written 0600" || not_ok "dumps are written 0600" "mode $m"

# --tap: one test point per write
t=$("$ESYNC" check --tap "$DATA/clean-smmu-ste.dump" "$DATA/h2-needless-disruption.dump")
rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^ok ' <<< "$t")" = 7 ] &&
   [ "$(grep -c '^not ok ' <<< "$t")" = 1 ] && grep -q '^1\.\.8$' <<< "$t"; then
	ok "--tap: 8 writes, one failing, exit 1"
else
	not_ok "--tap: 8 writes, one failing, exit 1" "exit $rc" "$(head -c 400 <<< "$t")"
fi

# Damaged input: one clear line, the records before the damage are kept
src=$DATA/clean-smmu-ste.dump
size=$(stat -c %s "$src")
head -c $((size - 20)) "$src" > "$TMP/cut.dump"
"$ESYNC" check "$TMP/cut.dump" > "$TMP/out" 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && grep -q 'file ends inside a record .* at byte offset .*the 59 records before it were read' "$TMP/err"; then
	ok "truncated dump: exit 2, says where it stopped"
else
	not_ok "truncated dump: exit 2, says where it stopped" "exit $rc" "$(cat "$TMP/err")"
fi
cp "$src" "$TMP/flip.dump"
printf '\xff' | dd of="$TMP/flip.dump" bs=1 seek=1012 conv=notrunc status=none
"$ESYNC" check "$TMP/flip.dump" > "$TMP/out" 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && grep -q 'bad checksum in record' "$TMP/err"; then
	ok "flipped byte: exit 2, bad checksum"
else
	not_ok "flipped byte: exit 2, bad checksum" "exit $rc" "$(cat "$TMP/err")"
fi
: > "$TMP/empty.dump"
"$ESYNC" check "$TMP/empty.dump" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && [ "$(wc -l < "$TMP/err")" = 1 ] && grep -q 'empty file' "$TMP/err"; then
	ok "empty file: exit 2, one line"
else
	not_ok "empty file: exit 2, one line" "exit $rc" "$(cat "$TMP/err")"
fi
cp "$src" "$TMP/ver.dump"
printf '\x07' | dd of="$TMP/ver.dump" bs=1 seek=8 conv=notrunc status=none
"$ESYNC" check "$TMP/ver.dump" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc = 2 ] && grep -q 'dump format version 7, this esync reads version 1' "$TMP/err"; then
	ok "unknown version: exit 2, says which"
else
	not_ok "unknown version: exit 2, says which" "exit $rc" "$(cat "$TMP/err")"
fi
echo "not a dump" > "$TMP/text.dump"
"$ESYNC" check "$TMP/text.dump" > /dev/null 2> "$TMP/err"
rc=$?
[ $rc = 2 ] && grep -q 'not an esync dump' "$TMP/err" && ok "not a dump: exit 2" ||
	not_ok "not a dump: exit 2" "exit $rc" "$(cat "$TMP/err")"

# show and export run on every dump and say something real
if "$ESYNC" show --device 02:01.0 "$DATA/a1-alias-irte.dump" | grep -q 'INV_IRT devid=0x208' &&
   "$ESYNC" show "$DATA/a1-alias-irte.dump" | grep -q '!! A1 alias coverage' &&
   "$ESYNC" show --check H1 "$DATA/clean-smmu-ste.dump" | grep -vq '^seq'; then
	ok "show: commands, findings and filters"
else
	not_ok "show: commands, findings and filters"
fi
j=$("$ESYNC" export --chrome "$DATA/h1-torn-view.dump")
if grep -q '"traceEvents"' <<< "$j" && grep -q '"name":"step 1","ph":"X"' <<< "$j" &&
   grep -q '"name":"H1 torn view","ph":"i"' <<< "$j" && grep -q '"name":"CFGI_STE sid=0x10"' <<< "$j"; then
	ok "export --chrome: spans, instants and findings"
else
	not_ok "export --chrome: spans, instants and findings" "$(head -c 300 <<< "$j")"
fi
for c in check show export; do
	if "$ESYNC" $c --help | grep -q '^EXAMPLES'; then
		ok "esync $c --help has EXAMPLES"
	else
		not_ok "esync $c --help has EXAMPLES"
	fi
done

echo "1..$n"
exit $fail
