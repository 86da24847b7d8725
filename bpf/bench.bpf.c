// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark programs (make bench-bpf): the cost of one collector body
 * (reserve, fill, submit a store event) measured inside BPF over a bpf_loop,
 * against an empty loop body; and a producer of synthetic event batches for
 * the ingestion benchmark.  Run with BPF_PROG_TEST_RUN.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "esync_events.h"

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
