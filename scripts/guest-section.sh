#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Usage: guest-section.sh LOG NAME
#
# Print what the recording guest wrote on its console between the lines
# ESYNC-NAME-BEGIN and ESYNC-NAME-END (REPORT, TAP, WORKLOAD, DUMP), without
# the serial line's carriage returns. Fails if the section is not whole.
set -euo pipefail
log=$1 name=$2
tr -d '\r' < "$log" | awk -v b="ESYNC-$name-BEGIN" -v e="ESYNC-$name-END" '
	$0 == e && on { done = 1; on = 0; next }
	on { print }
	$0 == b && !done { on = 1 }
	END { exit done ? 0 : 1 }'
