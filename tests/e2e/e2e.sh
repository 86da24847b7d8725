#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: e2e.sh [CASE...]     (default: every tests/e2e/cases/*.case)
#
# 'make e2e': for each case, build its kernel (patched, unpatched, or the
# patched one plus a planted bug of tests/e2e/mutants; or unpack Debian's
# own kernel package, 'kernel debian MODULE...'), boot it in QEMU
# (TCG) on the case's scenario with the recording guest, take the dump and
# the guest's TAP report off the console and verify them on the host with
# e2e-assert against the case's expectations. Results: $O/e2e/CASE.{log,
# dump,guest.tap,tap}; each stage prints its duration; the last line is the
# TAP summary. Exit status 0 only if every case passed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
export O
out=$O/e2e
assert=$O/tests/e2e/e2e-assert
mkdir -p "$out"

if [ $# -eq 0 ]; then
	set -- "$top"/tests/e2e/cases/*.case
fi

say() { echo "e2e: $*" >&2; }
timed() {	# timed WHAT COMMAND...: run, then print how long it took
	local what=$1 t0=$SECONDS rc
	shift
	"$@"
	rc=$?
	say "$what: $((SECONDS - t0)) s"
	return $rc
}
# A case that could not get as far as the assertions still counts, failed
fail_case() {
	printf 'TAP version 13\nnot ok 1 - %s: %s\n1..1\n' "$1" "$2" > "$out/$1.tap"
	say "$1: FAILED: $2"
}

declare -A initrd
taps=()
t_all=$SECONDS
for c in "$@"; do
	[ -f "$c" ] || c=$top/tests/e2e/cases/$c.case
	name=$(basename "$c" .case)
	taps+=("$out/$name.tap")
	rm -f "$out/$name".{tap,dump,guest.tap,log}
	scenario=$(sed -n 's/^scenario[[:space:]]\+\([a-z]*\).*/\1/p' "$c")
	read -r -a kernel < <(sed -n 's/^kernel[[:space:]]\+//p' "$c" | sed 's/#.*//')
	case $scenario in
	intel|amd) arch=x86_64 ;;
	arm) arch=arm64 ;;
	*) fail_case "$name" "$c names no scenario (intel, amd or arm)"; continue ;;
	esac
	say "== $name: $scenario scenario, ${kernel[*]:-patched} kernel"

	frag=
	if [ "${kernel[0]:-}" = debian ]; then
		# Debian's own kernel package, and the modules the workload needs
		if ! read -r image frag < <(timed "$name: kernel" "$top/scripts/debian-kernel.sh" \
				"$arch" "${kernel[@]:1}" | tail -n 1) || [ ! -f "$image" ]; then
			fail_case "$name" "Debian's $arch kernel package could not be unpacked"
			continue
		fi
	elif ! image=$(timed "$name: kernel" "$top/scripts/build-kernel.sh" "$arch" \
			"${kernel[@]}" | awk '{ print > "/dev/stderr" } END { print }') || [ ! -f "$image" ]; then
		fail_case "$name" "the ${kernel[*]} $arch kernel did not build"
		continue
	fi
	if [ -z "${initrd[$arch]:-}" ]; then
		if ! initrd[$arch]=$(timed "guest image ($arch)" \
				"$top/scripts/guest-image.sh" "$arch" | tail -n 1); then
			fail_case "$name" "the $arch guest image did not build"
			continue
		fi
	fi
	guest=${initrd[$arch]}
	if [ -n "$frag" ]; then
		# the kernel unpacks concatenated archives one after the other
		guest=$out/$name.initrd
		cat "${initrd[$arch]}" "$frag" > "$guest"
	fi
	log=$out/$name.log
	timed "$name: boot, workload, record" "$top/scripts/qemu-scenario.sh" \
		"$scenario" "$image" "$guest" "$log"
	if ! "$top/scripts/guest-section.sh" "$log" DUMP | base64 -d > "$out/$name.dump" 2>/dev/null ||
	   [ ! -s "$out/$name.dump" ]; then
		fail_case "$name" "the guest printed no whole dump; see $log"
		continue
	fi
	"$top/scripts/guest-section.sh" "$log" TAP > "$out/$name.guest.tap"
	"$assert" --guest-tap "$out/$name.guest.tap" "$c" "$out/$name.dump" > "$out/$name.tap"
	case $? in
	0) say "$name: passed" ;;
	1) say "$name: FAILED"; grep -E '^not ok' "$out/$name.tap" >&2 ;;
	*) fail_case "$name" "e2e-assert could not run on $c" ;;
	esac
	grep -E '^# ' "$out/$name.tap" | head -n 12 >&2
done
say "all cases: $((SECONDS - t_all)) s"
"$O/tests/tap-summary" "${taps[@]}"
