#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check the kernel series the way a maintainer would before taking it:
#  - it applies without fuzz on the Debian source named in kernel-patch/BASE;
#  - after each patch, drivers/iommu/ builds with W=1 and no new warning in the
#    series' files, for x86_64 and arm64;
#  - every patch is clean under checkpatch.pl --strict.
# Prints TAP 13. Work goes to $O/kernel-check (O defaults to build).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-$top/build}
case $O in /*) ;; *) O=$top/$O ;; esac
work=$O/kernel-check
jobs=${JOBS:-$(($(nproc) + 1))}
kp=${KERNEL_PATCH_DIR:-$top/kernel-patch}

want=$(sed -n 's/^version: //p' "$kp/BASE")
have=$(dpkg-query -W -f '${Version}' linux-source-6.12 2>/dev/null)
if [ "$have" != "$want" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 - kernel series # SKIP linux-source-6.12 $want is not installed (${have:-none}): run make deps"
	exit 0
fi
if [ -n "${ESYNC_SKIP_KERNEL:-}" ]; then
	echo "TAP version 13"
	echo "1..1"
	echo "ok 1 - kernel series # SKIP ESYNC_SKIP_KERNEL is set"
	exit 0
fi
mapfile -t patches < <(grep -v '^#' "$kp/series" | sed '/^$/d')
archs=(x86_64 arm64)
echo "TAP version 13"
echo "1..$((2 + ${#archs[@]} + ${#patches[@]} * (${#archs[@]} + 1)))"
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/#   /'; }

# Two runs at once would share the work directory: take turns.
mkdir -p "$O"
exec 9>"$O/kernel-check.lock"
flock 9
# Start clean: a stale object would hide a build failure. Each arch has a
# source tree of its own, so that the two arches walk the series side by
# side: after most patches only a file or two is rebuilt, which keeps one
# core busy, so one walk per core halves the time.
rm -rf "$work" && mkdir -p "$work"
for arch in "${archs[@]}"; do
	mkdir -p "$work/src-$arch"
	tar -xf /usr/src/linux-source-6.12.tar.xz -C "$work/src-$arch" --strip-components=1
done
ok "unpacked linux-source-6.12 $want"
[ "$jobs" -gt 1 ] && jobs=$(( (jobs + 1) / 2 ))

cross() {
	case $1 in
	x86_64) echo "ARCH=x86_64" ;;
	arm64) echo "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-" ;;
	esac
}

configure() {
	local arch=$1 b=$work/build-$1
	mkdir -p "$b"
	# shellcheck disable=SC2046
	make -s -C "$work/src-$arch" O="$b" $(cross "$arch") tinyconfig >/dev/null
}

# Re-apply the fragment: symbols the series adds exist only after their patch.
refresh_config() {
	local arch=$1 b=$work/build-$1
	cat "$kp/configs/$arch.config" >> "$b/.config"
	# shellcheck disable=SC2046
	make -s -C "$work/src-$arch" O="$b" $(cross "$arch") olddefconfig >/dev/null 2>&1
}

# Files the series touches: warnings in them fail the build check.
series_files=$(cat "${patches[@]/#/$kp/}" | sed -n 's|^+++ b/||p' | sort -u)
series_c=$(echo "$series_files" | grep "^drivers/.*\.c$")
# The generic library is built as single targets too, so that it is
# compiled even at a point in the series where no driver selects it yet;
# the drivers are arch-specific and come from the per-arch configs.
lib_c=$(echo "$series_c" | grep "^drivers/iommu/[^/]*\.c$")

# A warning is a finding of file and message, its line number aside.
warning_key() { sed -E "s|^$work/src-[a-z0-9_]*/||; s|^([^:]+):[0-9]+:[0-9]+:|\1:|"; }

# walk ARCH: apply the series to ARCH's tree one patch at a time and build
# drivers/iommu after each. One result per patch in $work/ARCH.N (first
# line "ok" or "not ok - WHAT", then the diagnostics); "stop" in it when
# the patch did not apply.
walk() {
	local arch=$1 src=$work/src-$1 b=$work/build-$1 i=0 p out log objs warns o
	# Warnings the unpatched tree already has are not the series': build
	# drivers/iommu once before the first patch and remember them.
	configure "$arch" && refresh_config "$arch"
	# shellcheck disable=SC2046
	make -C "$src" O="$b" $(cross "$arch") -j"$jobs" W=1 drivers/iommu/ \
		> "$b/base.log" 2>&1 || true
	grep -E '(warning|error):' "$b/base.log" | warning_key | sort -u > "$work/base-warnings-$arch"
	for p in "${patches[@]}"; do
		i=$((i + 1))
		exec > "$work/$arch.$i"
		if ! out=$(patch -d "$src" -p1 -F0 --batch --forward < "$kp/$p" 2>&1); then
			echo stop
			echo "$out"
			return
		fi
		# the config can change only where Kconfig does
		! grep -q '^+++ b/.*Kconfig' "$kp/$p" || refresh_config "$arch"
		log=$b/build.log
		# Objects of the series are built as single targets too, so that a
		# file no config of this point in the series selects is still compiled.
		objs=$(for f in $lib_c; do [ -f "$src/$f" ] && echo "${f%.c}.o"; done)
		# shellcheck disable=SC2046,SC2086
		if make -C "$src" O="$b" $(cross "$arch") -j"$jobs" W=1 drivers/iommu/ $objs > "$log" 2>&1; then
			warns=$(grep -E '(warning|error):' "$log" | grep -F -f <(echo "$series_files") |
				while IFS= read -r l; do
					grep -qxF "$(warning_key <<< "$l")" "$work/base-warnings-$arch" || echo "$l"
				done)
			for o in $objs; do
				[ -f "$b/$o" ] || warns="$warns${warns:+
}$o was not built"
			done
			if [ -z "$warns" ]; then
				echo "ok - $p: drivers/iommu builds on $arch with W=1, no warning in the series' files"
			else
				echo "not ok - $p: W=1 warnings on $arch"
				echo "$warns"
			fi
		else
			echo "not ok - $p: drivers/iommu fails to build on $arch"
			grep -E 'error|Error' "$log" | head -n 30
		fi
	done
}
# result FILE: its point, numbered, and its diagnostics
result() {
	local first
	first=$(head -n 1 "$1")
	case $first in
	ok*) ok "${first#ok - }" ;;
	*) notok "${first#not ok - }" ;;
	esac
	tail -n +2 "$1" | diag
}

pids=()
for arch in "${archs[@]}"; do
	walk "$arch" &
	pids+=($!)
done
# checkpatch meanwhile, on the patch files themselves
i=0
for p in "${patches[@]}"; do
	i=$((i + 1))
	# The Debian source has no upstream history, so cited upstream commits
	# (commit <sha> ("title")) cannot be looked up: that one check is off.
	(cd "$work/src-${archs[0]}" && perl scripts/checkpatch.pl --strict --quiet \
		--ignore UNKNOWN_COMMIT_ID "$kp/$p" 2>/dev/null |
		grep -E '^(ERROR|WARNING|CHECK):' -A3) > "$work/checkpatch.$i"
done
wait "${pids[@]}"

i=0
for p in "${patches[@]}"; do
	i=$((i + 1))
	for arch in "${archs[@]}"; do
		if [ "$(head -n 1 "$work/$arch.$i" 2>/dev/null)" = stop ]; then
			notok "$p applies without fuzz"
			tail -n +2 "$work/$arch.$i" | diag
			# Later checks cannot mean anything on a half-applied tree.
			exit 1
		fi
		if [ -s "$work/$arch.$i" ]; then
			result "$work/$arch.$i"
		else
			notok "$p: no build result on $arch"
		fi
	done
	if [ ! -s "$work/checkpatch.$i" ]; then
		ok "$p: checkpatch --strict clean"
	else
		notok "$p: checkpatch --strict"
		diag < "$work/checkpatch.$i"
	fi
done

# Every option of the check fragment must be on in the final config, or
# the builds above proved less than they claim.
# Every C file the series touches must have been compiled for some arch.
unbuilt=$(for f in $series_c; do
	ls "$work"/build-*/"${f%.c}.o" >/dev/null 2>&1 || echo "$f"; done)
if [ -z "$unbuilt" ]; then
	ok "every C file of the series was compiled ($(echo $series_c | wc -w) files)"
else
	notok "never compiled: "$unbuilt
fi
for arch in "${archs[@]}"; do
	missing=$(grep "^CONFIG_.*=y" "$kp/configs/$arch.config" | while read -r l; do
		grep -qx "$l" "$work/build-$arch/.config" || echo "$l"; done)
	if [ -z "$missing" ]; then
		ok "the final $arch config has every option of configs/$arch.config"
	else
		notok "the final $arch config lacks: "$missing
	fi
done
[ "$fails" -eq 0 ]
