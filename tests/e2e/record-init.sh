#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the recording guest: esync records while the workload drives
# entry updates (unbind/bind, IRQ affinity); then esync checks the dump and
# its report is printed between ESYNC-REPORT markers; then power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

/bin/esync record -o /dump --duration 12 > /record.log 2>&1 &
sleep 2
esync-workload
wait
echo ESYNC-REPORT-BEGIN
cat /record.log
/bin/esync check /dump
echo "esync check exit status: $?"
/bin/esync show /dump | head -n 60
echo ESYNC-REPORT-END
poweroff -f
