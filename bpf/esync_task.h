/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which entry write each task is in, for the collectors (esync.bpf.c) and
 * their benchmark (bench.bpf.c).  Drivers issue a write's invalidations
 * and wait for them from the writing task, inside its sync callback or
 * right after its write-end (VT-d's IOTLB and device-TLB flushes, AMD's
 * alias flushes); so a command names the write of its task, which keeps
 * commands of writes that run at the same time on other CPUs apart.  The
 * task is the issuer (issuer_tid()): a thread, or the interrupt context of
 * a CPU, whose flushes (a flush-queue timer's) are no part of the write of
 * the thread it interrupted.
 *
 * A task is "in" a write from its write-begin until its next one, or until
 * ESYNC_AFTER_CMDS commands or ESYNC_AFTER_NS after its write-end (an
 * interrupt context, until its write-end).
 * Commands of tasks in no write are the TLB invalidations and waits of
 * ordinary map/unmap: no check uses them, so they are dropped before any
 * ring space is reserved, except entry-cache invalidations (which may still
 * cover an entry) and, on the same CPU, the waits that follow one up to and
 * with the first wait's result (its status says whether it completed).
 */
#ifndef ESYNC_TASK_H
#define ESYNC_TASK_H

#define ESYNC_AFTER_CMDS	64
#define ESYNC_AFTER_NS		(100ULL * 1000 * 1000)
#define ESYNC_MAX_TASKS		8192

/* What a command does, as far as keeping it goes */
enum esync_cmd_class {
	ESYNC_CMD_OTHER = 0,	/* prefetch, page responses: never used */
	ESYNC_CMD_ENTRY,	/* entry-cache invalidation: always kept */
	ESYNC_CMD_TLB,		/* IOTLB / device TLB: only within a write */
	ESYNC_CMD_WAIT,		/* a wait queued: within a write, or after an entry one */
	ESYNC_CMD_RESULT,	/* its result: the same (and it ends "after") */
};

struct esync_task_write {
	__u64 seq;
	__u64 end_ns;		/* 0 while the write is open */
	__u32 after;		/* commands since its write-end */
	__u32 pad;
};

/*
 * LRU: a task whose write issues all its commands before its write-end
 * (an IRTE write) never comes back to forget it, nor does one that exits;
 * the least recently begun make room, instead of new writes going untracked.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, ESYNC_MAX_TASKS);
	__type(key, __u32);
	__type(value, struct esync_task_write);
} task_writes SEC(".maps");

/* Tasks put in task_writes, less those taken out (an LRU eviction is not): while 0, no command needs a map lookup */
volatile __s64 tasks_in_write;
/* Bumped by every write-begin and write-end: per-CPU answers older are stale */
volatile __u64 write_gen;

/*
 * Per CPU, the answer for the task that issued the last command there:
 * valid while write_gen has not moved, so that a burst of commands (the
 * TLB invalidations of an unmap) costs one map lookup, not one each.
 */
struct esync_cpu_task {
	__u32 tid;
	__u32 entry_inv_pending;	/* an entry-cache invalidation waits for a result */
	__u64 gen;
	struct esync_task_write w;	/* seq 0: the task is in no write */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct esync_cpu_task);
} cpu_task SEC(".maps");

static __always_inline struct esync_cpu_task *this_cpu_task(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_task, &zero);
}

static __always_inline void cache_task(__u32 tid, const struct esync_task_write *w)
{
	struct esync_cpu_task *c;

	/* An interrupt leaves the answer of the task it interrupted alone */
	if (tid & ESYNC_TID_IRQ)
		return;
	c = this_cpu_task();
	if (!c)
		return;
	c->tid = tid;
	c->gen = write_gen;
	c->w = *w;
}

static __always_inline void task_write_begin(__u64 seq)
{
	__u32 tid = issuer_tid();
	struct esync_task_write w = { .seq = seq };
	struct esync_task_write *old = bpf_map_lookup_elem(&task_writes, &tid);

	if (old)
		*old = w;
	else if (!bpf_map_update_elem(&task_writes, &tid, &w, BPF_NOEXIST))
		__sync_fetch_and_add(&tasks_in_write, 1);
	__sync_fetch_and_add(&write_gen, 1);
	cache_task(tid, &w);
}

static __always_inline void task_write_end(__u64 seq)
{
	__u32 tid = issuer_tid();
	struct esync_task_write *w = bpf_map_lookup_elem(&task_writes, &tid);

	if (!w || w->seq != seq)
		return;
	/*
	 * An interrupt context's write issued all its commands inside it
	 * (an IRTE's flushes run in its sync): what the CPU's next
	 * interrupts issue, a flush-queue timer's flushes, is theirs
	 */
	if (tid & ESYNC_TID_IRQ) {
		if (!bpf_map_delete_elem(&task_writes, &tid))
			__sync_fetch_and_add(&tasks_in_write, -1);
		__sync_fetch_and_add(&write_gen, 1);
		return;
	}
	w->end_ns = bpf_ktime_get_ns();
	__sync_fetch_and_add(&write_gen, 1);
	cache_task(tid, w);
}

/*
 * task_command_seq() for an interrupt context: looked up each time, never
 * through the per-CPU answer, which the interrupted task may be reading;
 * its waits are all kept (they are few)
 */
static __always_inline __u64 irq_command_seq(enum esync_cmd_class cls, bool *keep, __u32 tid)
{
	struct esync_task_write *w = NULL;

	if (tasks_in_write > 0)
		w = bpf_map_lookup_elem(&task_writes, &tid);
	if (w && w->seq && (!w->end_ns || (w->after < ESYNC_AFTER_CMDS &&
					   bpf_ktime_get_ns() - w->end_ns < ESYNC_AFTER_NS))) {
		if (w->end_ns)
			w->after++;
		*keep = cls != ESYNC_CMD_OTHER;
		return w->seq;
	}
	if (w && !bpf_map_delete_elem(&task_writes, &tid))
		__sync_fetch_and_add(&tasks_in_write, -1);
	*keep = cls == ESYNC_CMD_ENTRY || cls == ESYNC_CMD_WAIT || cls == ESYNC_CMD_RESULT;
	return 0;
}

/*
 * The seq of the write the current task is in (0: none); *keep says
 * whether the command is worth an event, *tid_out which task issued it
 * (0 when it was not looked up).
 */
static __always_inline __u64 task_command_seq(enum esync_cmd_class cls, bool *keep,
						__u32 *tid_out)
{
	struct esync_cpu_task *c;
	struct esync_task_write *w;
	__u64 seq = 0;
	__u32 tid;

	*keep = false;
	*tid_out = 0;
	/* The common case, an unmap's flush with no write anywhere: no lookup */
	if (tasks_in_write <= 0 && (cls == ESYNC_CMD_TLB || cls == ESYNC_CMD_OTHER))
		return 0;
	tid = issuer_tid();
	*tid_out = tid;
	if (tid & ESYNC_TID_IRQ)
		return irq_command_seq(cls, keep, tid);
	c = this_cpu_task();
	if (!c)
		return 0;
	if (c->tid != tid || c->gen != write_gen) {
		/* Not the answer of the last command on this CPU: look it up */
		c->tid = tid;
		c->gen = write_gen;
		c->w.seq = 0;
		if (tasks_in_write > 0) {
			w = bpf_map_lookup_elem(&task_writes, &tid);
			if (w)
				c->w = *w;
		}
	}
	if (c->w.seq && !c->w.end_ns) {
		seq = c->w.seq;
	} else if (c->w.seq && c->w.after < ESYNC_AFTER_CMDS &&
		   bpf_ktime_get_ns() - c->w.end_ns < ESYNC_AFTER_NS) {
		c->w.after++;
		/* ... and in the map, which a reload of this cache reads */
		w = bpf_map_lookup_elem(&task_writes, &tid);
		if (w && w->seq == c->w.seq)
			w->after = c->w.after;
		seq = c->w.seq;
	} else if (c->w.seq) {
		/* Its write is over: forget it */
		c->w.seq = 0;
		if (!bpf_map_delete_elem(&task_writes, &tid))
			__sync_fetch_and_add(&tasks_in_write, -1);
	}
	/*
	 * An entry-cache invalidation, of a write or not, keeps the waits
	 * on this CPU until a wait's result (its status) is kept too
	 */
	if (cls == ESYNC_CMD_ENTRY)
		c->entry_inv_pending = 1;
	if (seq) {
		if (cls == ESYNC_CMD_RESULT)
			c->entry_inv_pending = 0;
		*keep = cls != ESYNC_CMD_OTHER;
		return seq;
	}
	if (cls == ESYNC_CMD_ENTRY) {
		*keep = true;
	} else if ((cls == ESYNC_CMD_WAIT || cls == ESYNC_CMD_RESULT) && c->entry_inv_pending) {
		if (cls == ESYNC_CMD_RESULT)
			c->entry_inv_pending = 0;
		*keep = true;
	}
	return 0;
}

/*
 * As task_command_seq(), counting what it drops (ESYNC_CNT_CMD_DROPPED):
 * what every command collector runs first.  *tid: the issuing task, when
 * it was looked up (0: reserve() looks).
 */
static __always_inline __u64 command_seq(enum esync_cmd_class cls, bool *keep, __u32 *tid)
{
	__u64 seq = task_command_seq(cls, keep, tid);

	if (!*keep)
		count(ESYNC_CNT_CMD_DROPPED);
	return seq;
}

#endif /* ESYNC_TASK_H */
