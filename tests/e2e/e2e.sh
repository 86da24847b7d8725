#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: e2e.sh [CASE...]
#
# 'make e2e': for each case, build its kernel (patched, unpatched, or the
# patched one plus a planted bug of tests/e2e/mutants; or unpack Debian's
# own kernel package, 'kernel debian MODULE...'), boot it in QEMU
# (TCG) on the case's scenario with the recording guest, take the dump and
# the guest's TAP report off the console and verify them on the host with
# e2e-assert against the case's expectations. Results: $O/e2e/CASE.{log,
# dump,guest.tap,tap}; each stage prints its duration; the last line is the
# TAP summary. Exit status 0 only if every case passed.
#
# Without arguments: every tests/e2e/cases/*.case but those marked
# 'extended' (they cost a kernel build of their own; name them to run them).
# Kernels and guest images are made one at a time (builds use every core);
# each case's guest boots as soon as its kernel is there, E2E_JOBS guests at
# a time (default: the number of cores), as a TCG guest mostly keeps one
# host thread busy.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
export O
out=$O/e2e
assert=$O/tests/e2e/e2e-assert
jobs=${E2E_JOBS:-$(nproc)}
mkdir -p "$out"

if [ $# -eq 0 ]; then
	for c in "$top"/tests/e2e/cases/*.case; do
		grep -q '^extended' "$c" || set -- "$@" "$c"
	done
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

declare -A initrd image guest
taps=()
t_all=$SECONDS
# A case's guest: boot, take the dump and the guest's report, assert. Its
# messages go to CASE.out, shown whole when the case is done.
run_case() {
	local name=$1 scenario=$2 c=$3 log=$out/$1.log tries=1
	# A planted bug can let a device DMA through a stale translation and
	# wreck the guest before it records anything: such a guest gets one
	# more boot (its first log is kept as CASE.log.1). A guest of a kernel
	# without a planted bug gets one boot.
	grep -qE '^kernel[[:space:]]+(unpatched-)?mutant' "$c" && tries=2
	while :; do
		timed "$name: boot, workload, record" "$top/scripts/qemu-scenario.sh" \
			"$scenario" "${image[$name]}" "${guest[$name]}" "$log"
		if "$top/scripts/guest-section.sh" "$log" DUMP | base64 -d > "$out/$name.dump" 2>/dev/null &&
		   [ -s "$out/$name.dump" ]; then
			break
		fi
		tries=$((tries - 1))
		if [ $tries = 0 ]; then
			fail_case "$name" "the guest printed no whole dump; see $log"
			return
		fi
		say "$name: the guest printed no whole dump (planted bug); booting it again"
		mv "$log" "$log.1"
	done
	"$top/scripts/guest-section.sh" "$log" TAP > "$out/$name.guest.tap"
	"$assert" --guest-tap "$out/$name.guest.tap" "$c" "$out/$name.dump" > "$out/$name.tap"
	case $? in
	0) say "$name: passed" ;;
	1) say "$name: FAILED"; grep -E '^not ok' "$out/$name.tap" >&2 ;;
	*) fail_case "$name" "e2e-assert could not run on $c" ;;
	esac
	grep -E "^# " "$out/$name.tap" | sed -n 1,12p >&2
}
declare -A running=()
reap() {	# wait for one guest, then show what its case printed
	local pid n
	wait -n -p pid "${!running[@]}"
	n=${running[$pid]}
	unset "running[$pid]"
	cat "$out/$n.out" >&2
}
# One case at a time: its kernel and its guest image; then its guest is
# started, at most $jobs at once, while the next kernel builds.
for c in "$@"; do
	[ -f "$c" ] || c=$top/tests/e2e/cases/$c.case
	name=$(basename "$c" .case)
	taps+=("$out/$name.tap")
	rm -f "$out/$name".{tap,dump,guest.tap,log,log.1,out,kernel,initrd}
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
		if ! read -r img frag < <(timed "$name: kernel" "$top/scripts/debian-kernel.sh" \
				"$arch" "${kernel[@]:1}" | tail -n 1) || [ ! -f "$img" ]; then
			fail_case "$name" "Debian's $arch kernel package could not be unpacked"
			continue
		fi
	elif ! img=$(timed "$name: kernel" "$top/scripts/build-kernel.sh" "$arch" \
			"${kernel[@]}" | awk '{ print > "/dev/stderr" } END { print }') || [ ! -f "$img" ]; then
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
	# the amd machine's QEMU is unpacked here, not by two guests at once
	if [ "$scenario" = amd ] && ! "$top/scripts/qemu-7.2.sh" > /dev/null; then
		fail_case "$name" "no QEMU for the amd machine"
		continue
	fi
	guest[$name]=${initrd[$arch]}
	if [ -n "$frag" ]; then
		# the kernel unpacks concatenated archives one after the other
		guest[$name]=$out/$name.initrd
		cat "${initrd[$arch]}" "$frag" > "${guest[$name]}"
	fi
	# a copy: the next planted bug is built in the patched kernel's tree
	image[$name]=$out/$name.kernel
	cp "$img" "${image[$name]}"
	while [ ${#running[@]} -ge "$jobs" ]; do reap; done
	run_case "$name" "$scenario" "$c" 2> "$out/$name.out" &
	running[$!]=$name
done
while [ ${#running[@]} -gt 0 ]; do reap; done

say "all cases: $((SECONDS - t_all)) s"
"$O/tests/tap-summary" "${taps[@]}"
