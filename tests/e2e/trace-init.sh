#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the tracing guest: enable esync's trace events through tracefs,
# run esync-workload to drive entry updates, then print per-kind event
# counts between ESYNC-COUNTS markers and the raw trace between ESYNC-TRACE
# markers on the console, and power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing
T=/sys/kernel/tracing
echo 8192 > $T/buffer_size_kb
for sys in entry_sync arm_smmu_v3 amd_iommu intel_iommu; do
	[ -d $T/events/$sys ] && echo 1 > $T/events/$sys/enable
done

esync-workload
echo 0 > $T/tracing_on

echo ESYNC-COUNTS-BEGIN
awk '
/entry_sync_write_begin:/ { match($0, /seq=[0-9]+/); s = substr($0, RSTART + 4, RLENGTH - 4)
	match($0, /format=[0-9]+/); f = substr($0, RSTART + 7, RLENGTH - 7); fmt[s] = f; n[f, "begin"]++ }
/entry_sync_store:/ { match($0, /seq=[0-9]+/); n[fmt[substr($0, RSTART + 4, RLENGTH - 4)], "store"]++ }
/entry_sync_sync:/ { match($0, /seq=[0-9]+/); n[fmt[substr($0, RSTART + 4, RLENGTH - 4)], "sync"]++ }
/entry_sync_write_end:/ { match($0, /seq=[0-9]+/); s = substr($0, RSTART + 4, RLENGTH - 4)
	n[fmt[s], "end"]++; match($0, /how=[a-z_]+/); n[fmt[s], substr($0, RSTART + 4, RLENGTH - 4)]++ }
/arm_smmu_cmdq_issue:/ { smmu++ }
/amd_iommu_cmd:/ { amd++ }
/qi_submit:/ { vtd++ }
END {
	split("1 2 3 4 5 6", ids, " ")
	split("smmu-ste smmu-cd vtd-pasid amd-dte amd-irte amd-irte32", names, " ")
	for (i = 1; i <= 6; i++) {
		f = ids[i]
		if (n[f, "begin"])
			printf "%s begin=%d store=%d sync=%d end=%d no_change=%d hitless=%d disruptive=%d\n",
			       names[i], n[f, "begin"], n[f, "store"], n[f, "sync"], n[f, "end"],
			       n[f, "no_change"], n[f, "hitless"], n[f, "disruptive"]
	}
	printf "commands: smmu=%d amd=%d vtd=%d\n", smmu, amd, vtd
}' $T/trace
echo ESYNC-COUNTS-END
echo ESYNC-TRACE-BEGIN
grep -v '^#' $T/trace | head -n 400
echo ESYNC-TRACE-END
poweroff -f
