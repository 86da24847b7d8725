/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring buffer and how an event gets into it, for the collectors
 * (esync.bpf.c) and their benchmark (bench.bpf.c), which so measures the
 * collectors' own code.
 *
 * Each CPU wakes the reader once every wake_mask + 1 of its events
 * (userspace sets it so that all CPUs together hold back at most an eighth
 * of the ring: esync_wake_mask()); the reader also polls every 100 ms, so
 * that a quiet stretch is not held back for longer.  A wake-up per event
 * (the ring buffer's default when the reader has caught up) costs an
 * irq_work per store, and asking the ring how much waits costs a read of
 * the reader's position, a cache line another CPU writes: counting in
 * the per-CPU counter that is looked up anyway costs neither.
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

/*
 * Interrupt context, told by the stack: a hardirq, and the softirqs run on
 * its way out, run on the CPU's interrupt stack, not the task's.  (The
 * preempt count would say it too, but x86 keeps it in a per-CPU variable
 * whose address the verifier takes from kallsyms, which lists no data
 * without KALLSYMS_ALL.)  An interrupt of user space (x86 stays on the
 * task's stack: no write of the task is in progress then), or a softirq
 * run when a task enables bottom halves, is taken as the task's.  The
 * frame address is read back through a map as a number; the bound is a
 * generous stack size, so that a task's frame is never taken for an
 * interrupt's.
 */
#define ESYNC_STACK_SPAN	(64u << 10)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} frame_addr SEC(".maps");

static __always_inline bool in_interrupt_stack(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	volatile __u64 *slot;
	__u32 zero = 0;
	__u64 here, depth;
	char mark = 0;

	slot = bpf_map_lookup_elem(&frame_addr, &zero);
	if (!slot)
		return false;
	*slot = (__u64)(unsigned long)&mark;
	here = *slot;
	/* From the number read back, not from the pointer */
	depth = here - (__u64)(unsigned long)t->stack;
	barrier_var(depth);
	/* An interrupt ran in between and left its frame: ours is a task's */
	if (here != (__u64)(unsigned long)&mark)
		return false;
	return depth >= ESYNC_STACK_SPAN;
}

/* hdr.tid of what the current context emits (ESYNC_TID_*) */
static __always_inline __u32 issuer_tid(void)
{
	if (in_interrupt_stack())
		return ESYNC_TID_IRQ | bpf_get_smp_processor_id();
	return (__u32)bpf_get_current_pid_tgid();
}

/* Set by userspace before load (esync_wake_mask()) */
const volatile __u64 wake_mask = 1023;

/*
 * An event was dropped and no event since says so: the next one reserved,
 * on any CPU, carries ESYNC_EVF_LOST_BEFORE, so that the reader marks the
 * writes open at the place of the loss, not where it learns the count.
 */
volatile __u32 drops_unmarked;

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		(*c)++;
}

/* tid: the current task's, if the caller has it (0: looked up here) */
static __always_inline void *reserve_by(__u32 size, __u16 kind, __u64 seq,
					__u16 iommu, __u32 tid)
{
	struct esync_ev_hdr *h = bpf_ringbuf_reserve(&events, size, 0);

	if (!h) {
		count(ESYNC_CNT_DROPS);
		drops_unmarked = 1;
		return NULL;
	}
	h->ts_ns = bpf_ktime_get_ns();
	h->seq = seq;
	h->cpu = bpf_get_smp_processor_id();
	h->iommu = iommu;
	h->kind = kind;
	h->size = size;
	h->flags = 0;
	if (drops_unmarked) {
		drops_unmarked = 0;
		h->flags = ESYNC_EVF_LOST_BEFORE;
	}
	h->tid = tid ? tid : issuer_tid();
	return h;
}

static __always_inline void *reserve(__u32 size, __u16 kind, __u64 seq,
				     __u16 iommu)
{
	return reserve_by(size, kind, seq, iommu, 0);
}

static __always_inline void submit(void *ev)
{
	__u32 k = ESYNC_CNT_EVENTS;
	__u64 *n = bpf_map_lookup_elem(&counters, &k);
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (n && (++*n & wake_mask) == 0)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(ev, flags);
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
