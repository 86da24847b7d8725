// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmark programs (make bench-bpf), run with BPF_PROG_TEST_RUN: the cost
 * of the collectors' own store path (esync_emit.h: reserve, fill, submit)
 * and of the ring buffer's reserve and submit alone
 * and command filter (a command of no write dropped, with no write open
 * and with one open on another task; a command of a write kept and
 * submitted), each over a bpf_loop against an empty loop body; and the
 * producer of event batches for the ingestion benchmark.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "esync_events.h"
#include "esync_bpf.h"
#include "esync_emit.h"
#include "esync_task.h"

char LICENSE[] SEC("license") = "GPL";

__u32 loops = 1;
__u64 elapsed_ns;
__u64 drops;
__u64 produced;

/* A program that times loops runs of body */
#define TIMED_LOOP(name, body)						\
	SEC("raw_tp")							\
	int name(void *ctx)						\
	{								\
		__u64 t0 = bpf_ktime_get_ns();				\
									\
		bpf_loop(loops, body, NULL, 0);				\
		elapsed_ns = bpf_ktime_get_ns() - t0;			\
		return 0;						\
	}

static long body_empty(__u32 i, void *ctx)
{
	return 0;
}

/* es_store, with made-up arguments */
static long body_store(__u32 i, void *ctx)
{
	if (emit_store(i / 4 + 1, 0, 0x1000 + (i / 4) * 64, i & 1, i, 0, i + 1, 0))
		produced++;
	else
		drops++;
	return 0;
}

/*
 * The ring buffer's own part of a store: reserve and submit an event of
 * the same size, nothing filled in, no counter: what no collector can save
 */
static long body_ring(__u32 i, void *ctx)
{
	void *ev = bpf_ringbuf_reserve(&events, sizeof(struct esync_ev_store), 0);

	if (!ev) {
		drops++;
		return 0;
	}
	bpf_ringbuf_submit(ev, BPF_RB_NO_WAKEUP);
	produced++;
	return 0;
}

TIMED_LOOP(bench_ring, body_ring)

/* Who the collectors take the caller for (tests/live/issuer-check.c) */
__u32 issuer;

SEC("raw_tp")
int whoami(void *ctx)
{
	issuer = issuer_tid();
	return 0;
}

/* ... and, in a device interrupt's handler, for that CPU's interrupt context */
__u64 irq_hits, irq_named;

SEC("raw_tp/irq_handler_entry")
int irq_entry(void *ctx)
{
	__sync_fetch_and_add(&irq_hits, 1);
	if (issuer_tid() & ESYNC_TID_IRQ)
		__sync_fetch_and_add(&irq_named, 1);
	return 0;
}

TIMED_LOOP(bench_empty, body_empty)

TIMED_LOOP(bench_store, body_store)

/*
 * What emit_smmu does with a TLB invalidation: decide (and count a drop),
 * then reserve, fill, submit
 */
static long body_cmd(__u32 i, void *ctx)
{
	struct esync_ev_smmu_cmd *ev;
	bool keep;
	__u32 tid;
	__u64 seq = command_seq(ESYNC_CMD_TLB, &keep, &tid);

	if (!keep)
		return 0;
	ev = reserve_by(sizeof(*ev), ESYNC_EV_SMMU_CMD, seq, 0, tid);
	if (!ev) {
		drops++;
		return 0;
	}
	ev->cmd[0] = 0x12 | (__u64)i << 12;
	ev->cmd[1] = 0;
	ev->sid = 0;
	ev->ssid = 0;
	ev->asid = 1;
	ev->vmid = 0;
	ev->opcode = 0x12;
	ev->flags = 0;
	ev->pad = 0;
	submit(ev);
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
		__u32 tid = issuer_tid();

		if (!bpf_map_delete_elem(&task_writes, &tid))
			__sync_fetch_and_add(&tasks_in_write, -1);
	}
	return 0;
}
