// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark programs (make bench-bpf): the cost of one collector body
 * (reserve, fill, submit a store event) measured inside BPF over a bpf_loop,
 * against an empty loop body, and of the command filter (a command of no
 * write dropped, with no write open and with one open on another task; a
 * command of a write kept and submitted); and a producer of synthetic event
 * batches for
 * the ingestion benchmark.  Run with BPF_PROG_TEST_RUN.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "esync_events.h"
#include "esync_task.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 26);
} events SEC(".maps");

__u32 loops = 1;
__u64 elapsed_ns;
__u64 drops;
__u64 produced;

static long body_empty(__u32 i, void *ctx)
{
	return 0;
}

/* What es_store does with its tracepoint arguments */
static long body_store(__u32 i, void *ctx)
{
	struct esync_ev_store *ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);

	if (!ev) {
		drops++;
		return 0;
	}
	ev->hdr.ts_ns = bpf_ktime_get_ns();
	ev->hdr.seq = i / 4 + 1;
	ev->hdr.cpu = bpf_get_smp_processor_id();
	ev->hdr.iommu = 0;
	ev->hdr.kind = ESYNC_EV_STORE;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.flags = 0;
	ev->hdr.tid = 0;
	ev->entry = 0x1000 + (i / 4) * 64;
	ev->index = i & 1;
	ev->pad = 0;
	ev->old_lo = i;
	ev->old_hi = 0;
	ev->new_lo = i + 1;
	ev->new_hi = 0;
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	produced++;
	return 0;
}

SEC("raw_tp")
int bench_empty(void *ctx)
{
	__u64 t0 = bpf_ktime_get_ns();

	bpf_loop(loops, body_empty, NULL, 0);
	elapsed_ns = bpf_ktime_get_ns() - t0;
	return 0;
}

SEC("raw_tp")
int bench_store(void *ctx)
{
	__u64 t0 = bpf_ktime_get_ns();

	bpf_loop(loops, body_store, NULL, 0);
	elapsed_ns = bpf_ktime_get_ns() - t0;
	return 0;
}

/* What emit_smmu does with a CFGI_STE: decide, then reserve, fill, submit */
static long body_cmd(__u32 i, void *ctx)
{
	struct esync_ev_smmu_cmd *ev;
	bool keep;
	__u64 seq = task_command_seq(ESYNC_CMD_TLB, &keep);

	if (!keep)
		return 0;
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		drops++;
		return 0;
	}
	ev->hdr.ts_ns = bpf_ktime_get_ns();
	ev->hdr.seq = seq;
	ev->hdr.cpu = bpf_get_smp_processor_id();
	ev->hdr.iommu = 0;
	ev->hdr.kind = ESYNC_EV_SMMU_CMD;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.flags = 0;
	ev->hdr.tid = (__u32)bpf_get_current_pid_tgid();
	ev->cmd[0] = 0x12 | (__u64)i << 12;
	ev->cmd[1] = 0;
	ev->sid = 0;
	ev->ssid = 0;
	ev->asid = 1;
	ev->vmid = 0;
	ev->opcode = 0x12;
	ev->flags = 0;
	ev->pad = 0;
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	produced++;
	return 0;
}

/*
 * which: 0 no task in a write (dropped without a lookup), 1 another task
 * in a write (dropped after a lookup), 2 this task in a write (kept).
 */
__u32 which;

SEC("raw_tp")
int bench_cmd(void *ctx)
{
	__u32 other = 0x7ffffff0;
	struct esync_task_write w = { .seq = 1 };
	__u64 t0;

	if (which == 1 && !bpf_map_update_elem(&task_writes, &other, &w, BPF_ANY))
		__sync_fetch_and_add(&tasks_in_write, 1);
	if (which == 2)
		task_write_begin(1);
	t0 = bpf_ktime_get_ns();
	bpf_loop(loops, body_cmd, NULL, 0);
	elapsed_ns = bpf_ktime_get_ns() - t0;
	if (which == 1 && !bpf_map_delete_elem(&task_writes, &other))
		__sync_fetch_and_add(&tasks_in_write, -1);
	if (which == 2) {
		__u32 tid = (__u32)bpf_get_current_pid_tgid();

		if (!bpf_map_delete_elem(&task_writes, &tid))
			__sync_fetch_and_add(&tasks_in_write, -1);
	}
	return 0;
}
