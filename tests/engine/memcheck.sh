#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'esync check' under valgrind's memcheck on every dump of tests/data, in
# text, JSON and TAP (one run each, every dump in it): a verdict must never
# rest on memory the tool did not set, which the sanitizer builds of the
# unit tests cannot see.  Prints TAP 13.

O=${O:-build}
ESYNC=$O/esync
DATA=tests/data

. "$(dirname "$0")/../harness/tap.sh"

echo "TAP version 13"
if ! command -v valgrind > /dev/null; then
	skip "memcheck on every dump" "valgrind is not installed (apt-get install valgrind)"
	tap_done
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mapfile -t dumps < <(ls "$DATA"/*.dump "$DATA"/*/*.dump)
for m in text --json --tap; do
	[ "$m" = text ] && opt=() || opt=("$m")
	valgrind -q --error-exitcode=99 "$ESYNC" check "${opt[@]}" "${dumps[@]}" \
		> /dev/null 2> "$TMP/$m.err" &
	pids+=("$!:$m")
done
for p in "${pids[@]}"; do
	m=${p#*:}
	wait "${p%%:*}"
	if [ $? != 99 ]; then
		ok "memcheck: esync check $m on the ${#dumps[@]} dumps sets all it reads"
	else
		mapfile -t diag < <(grep "^==" "$TMP/$m.err" | head -30)
		not_ok "memcheck: esync check $m read memory it did not set" "${diag[@]}"
	fi
done
tap_done
