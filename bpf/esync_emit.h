/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer and how an event gets into it, for the collectors
 * (esync.bpf.c) and their benchmark (bench.bpf.c), which so measures the
 * collectors' own code.
 *
 * The reader is woken when the data waiting grows past wake_bytes, once
 * per crossing; it also polls every 100 ms, so that a quiet stretch (or a
 * crossing two CPUs made at once, which neither sees) is not held back
 * for longer.  A wake-up per event (the ring buffer's default when the
 * reader has caught up, or every event past a threshold) costs an
 * irq_work per store.
 */
#ifndef ESYNC_EMIT_H
#define ESYNC_EMIT_H

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);	/* resized by userspace */
} events SEC(".maps");

/* Per-CPU counters: ESYNC_CNT_* */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ESYNC_CNT_NR);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Set by userspace before load: a fraction of the ring's size */
const volatile __u64 wake_bytes = 1 << 18;

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		(*c)++;
}

static __always_inline void *reserve(__u32 size, __u16 kind, __u64 seq,
				     __u16 iommu)
{
	struct esync_ev_hdr *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count(ESYNC_CNT_DROPS);
		return NULL;
	}
	h->ts_ns = bpf_ktime_get_ns();
	h->seq = seq;
	h->cpu = bpf_get_smp_processor_id();
	h->iommu = iommu;
	h->kind = kind;
	h->size = size;
	h->flags = 0;
	h->tid = (__u32)bpf_get_current_pid_tgid();
	return h;
}

static __always_inline void submit(void *ev)
{
	__u64 size = ((struct esync_ev_hdr *)ev)->size;
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	/* (avail counts this record, and its 8-byte header) */
	bpf_ringbuf_submit(ev, avail >= wake_bytes && avail < wake_bytes + size + 8 ?
			   BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	count(ESYNC_CNT_EVENTS);
}

/* One quantum of an entry stored (entry_sync_store, or a legacy snapshot) */
static __always_inline bool emit_store(__u64 seq, __u16 iommu, __u64 addr,
				       __u32 index, __u64 old_lo, __u64 old_hi,
				       __u64 new_lo, __u64 new_hi)
{
	struct esync_ev_store *ev = reserve(sizeof(*ev), ESYNC_EV_STORE, seq, iommu);

	if (!ev)
		return false;
	ev->entry = addr;
	ev->index = index;
	ev->pad = 0;
	ev->old_lo = old_lo;
	ev->old_hi = old_hi;
	ev->new_lo = new_lo;
	ev->new_hi = new_hi;
	submit(ev);
	return true;
}

/* The end of a step, its sync about to run (entry_sync_sync, or legacy) */
static __always_inline void emit_sync(__u64 seq, __u16 iommu, __u64 addr, __u32 step)
{
	struct esync_ev_sync *ev = reserve(sizeof(*ev), ESYNC_EV_SYNC, seq, iommu);

	if (!ev)
		return;
	ev->entry = addr;
	ev->step = step;
	ev->pad = 0;
	submit(ev);
}

#endif /* ESYNC_EMIT_H */
