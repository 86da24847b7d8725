#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the recording guest: esync records while the workload drives
# entry updates (its progress goes to the console); then esync checks the
# dump in the guest. Between markers on the console: the recorder's log
# and the check's report, its TAP report, and the dump itself in base64,
# which the host decodes and verifies again. Power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# A kernel that does not mount devtmpfs itself (Debian's) started /init
# without a console: take it now
[ -t 1 ] || exec < /dev/console > /dev/console 2>&1
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mkdir -p /tmp
# A distribution kernel: the modules the workload needs, in load order
if [ -f /lib/modules/esync/order ]; then
	while read -r m; do
		insmod "/lib/modules/esync/$m" || echo "esync-init: insmod $m failed"
	done < /lib/modules/esync/order
fi

# The kernel may still hold the unpacked binary open for a moment
# (ETXTBSY); wait until it runs
i=0
while [ $i -lt 100 ] && ! /bin/esync --version > /dev/null 2>&1; do
	sleep 0.1
	i=$((i + 1))
done
/bin/esync record -o /dump > /record.log 2>&1 &
rec=$!
# esync says "tracing" once its programs are attached
i=0
while [ $i -lt 60 ] && ! grep -q tracing /record.log 2>/dev/null; do
	sleep 1
	i=$((i + 1))
done
esync-workload 2>&1
sleep 1
kill -INT $rec
wait $rec
# kernel messages must not cut into the report
echo 1 > /proc/sys/kernel/printk
echo ESYNC-REPORT-BEGIN
cat /record.log
/bin/esync check /dump
echo "esync check exit status: $?"
/bin/esync show --summary /dump
echo ESYNC-REPORT-END
echo ESYNC-TAP-BEGIN
/bin/esync check --tap /dump 2>&1
echo ESYNC-TAP-END
echo ESYNC-DUMP-BEGIN
base64 /dump
echo ESYNC-DUMP-END
poweroff -f
