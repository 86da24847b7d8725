/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The checker interface.  The sequence engine (seq.c) rebuilds each entry
 * update from the event stream and keeps the state every checker shares in
 * struct esync_seq: the entry values, the step, the torn-view window (the
 * values each quanta held since the last completed sync) and whether the
 * entry's cache was invalidated.  Each checker (check_*.c) hooks the points
 * it needs and reports through esync_report().  Checkers never see BPF,
 * dump frames or output formats.
 *
 * Commands and completions come with 'named': true when the event names
 * this write (its seq, or it is the only write it can belong to).  An
 * unnamed command may help a write (cover it, complete it) but a checker
 * never blames a write for one.
 */
#ifndef ESYNC_CHECKER_H
#define ESYNC_CHECKER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "events.h"
#include "finding.h"
#include "format.h"
#include "topology.h"

#define ESYNC_MAX_QUANTA	8
/* Distinct values one quanta may hold between two completed syncs. */
#define ESYNC_WIN_MAX		8
/* Devices an A1 check remembers as invalidated after the last store. */
#define ESYNC_A1_MAX		(ESYNC_MAX_ALIASES + 1)

struct esync_engine;

struct esync_seq {
	/* What the write-begin said */
	uint64_t id;
	uint64_t entry;
	uint64_t ts_begin;
	uint64_t ts_last;
	uint64_t ts_end;
	const struct esync_format *fmt;
	uint16_t format;
	uint16_t iommu;
	uint32_t dev;
	uint32_t sub;
	uint32_t tid;		/* writing task, 0 if the input does not say */
	bool legacy;		/* seen by the legacy collectors (stock kernel) */
	unsigned int nq;	/* quanta */
	unsigned int qwords;	/* u64 words per quanta (1 for 32 and 64 bits) */
	unsigned int words;
	unsigned int vbit;
	const struct esync_field *did_field;	/* VT-d: the DID the cache is tagged with */

	/* Progress */
	unsigned int step;		/* 1 + entry_sync_sync events so far */
	unsigned int nr_stores;
	unsigned int nr_sync_events;
	unsigned int nr_completed;	/* completed syncs for this entry */
	unsigned int nr_cmds;
	unsigned int how;		/* from write-end */
	unsigned int store_step;	/* step of the last store */
	bool ended;			/* write-end seen */
	unsigned int cmds_after_end;	/* commands that reached it after write-end */
	unsigned int own_after_end;	/* ... of them, those that named it */
	const char *incomplete;		/* why this write's data is not whole */
	bool used_seen;			/* an entry_sync_used event came */
	bool target_at_end;		/* ESYNC_EVF_TARGET_AT_END: target follows now */
	/* The store being applied: the value the event says it replaced */
	uint64_t store_old[2];
	bool store_foreign;		/* ... differs from the rebuilt value */
	bool end_foreign;		/* write-end's final differs from it */
	int completion_status;		/* of the completion being delivered */
	bool sync_failed;		/* a completion of this write failed */
	/*
	 * AMD: a COMPLETION_WAIT this write queued, whose wait result may follow
	 * as its own event (iommu_completion_wait() reports it; other waits of
	 * the driver do not): settled by that event, or as done when the
	 * write's task goes on without one.
	 */
	bool amd_wait_pending;

	/* Torn-view window: how many values each quanta took (in win[]) */
	uint8_t nwin[ESYNC_MAX_QUANTA];
	unsigned long win_views;	/* their product: the views it holds */
	uint8_t win_vary[ESYNC_MAX_QUANTA];	/* the quanta with nwin > 1, in order */
	unsigned int win_nvary;
	unsigned int win_stores;	/* stores since the last completed sync */
	unsigned int win_step;		/* step of the first of them */
	bool win_overflow;
	bool win_carried;	/* it holds values an earlier write left unfenced */
	bool covered;			/* entry invalidated since the last store */
	/*
	 * VT-d, slots traced: where in the queue the command that covered it
	 * sits, and this write's newest descriptor (0: unknown).  A wait
	 * completes only what was queued before its own slot.
	 */
	uint64_t cover_qpos, own_qpos;
	/*
	 * Queue order by event (the collectors trace AMD and SMMU commands
	 * as they are queued): of the command that covered it, of the
	 * command being delivered, and of the wait being delivered (0: not
	 * known, the wait then completes all that came before its result).
	 */
	uint64_t cover_order, cmd_order, wait_order;
	uint64_t wait_queued;	/* its own wait whose result is to come (0: none) */
	bool cover_behind_wait;		/* ... and the last wait came before it */
	/*
	 * VT-d: the PASID cache is tagged by DID, so the IOMMU may hold a copy
	 * under each DID the entry had in the window; the DIDs invalidated
	 * since the last store (all of them after a global invalidation).
	 */
	uint8_t ndid_flushed;			/* in did_flushed[] */
	bool did_all_flushed;

	/* Checker state (each block belongs to one checker) */
	bool f2_wrong_seen;			/* F2: f2_wrong holds one */
	bool h4_each_store;			/* H4: judge the entry each store leaves */
	unsigned int model_critical;		/* H2 */
	unsigned int model_crit_q;
	bool was_valid, went_invalid;
	unsigned int invalid_step;
	bool tlb_since_store;			/* F3 */
	bool entry_inv_since_store;
	bool tlb_before_entry_inv;
	unsigned int devtlb;
	unsigned int devtlb_step;
	unsigned int a1_nr;			/* A1: in a1_dev[] */
	unsigned int a1_done_nr;		/* the first a1_done_nr of a1_dev completed */
	bool a1_all, a1_all_done;
	uint64_t a1_all_order;			/* ... the first invalidate-all's queue order */
	bool a1_failed;
	uint64_t a1_clone_wait;			/* A1: aliases whose DTE is still to be cloned */
	bool u1_target_later;			/* U1: u1_driver_target waits for the target */

	uint32_t reported;		/* bit per check already reported */
	uint32_t off;			/* bit per check the data of this write cannot support */
	/* Where the engine keeps its key's last write for faults (+1; 0: none) */
	uint32_t last;
	/*
	 * A checker waits for later writes before it can judge this one (A1:
	 * the DTEs of its aliases): the write stays open after its end, until
	 * the wait is over or a second of trace time has passed.
	 */
	bool hold;
	/* ... and the input ended while it still waited */
	bool hold_cut;

	/* Engine links */
	struct esync_seq *hnext;		/* by entry */
	struct esync_seq *snext;		/* by seq id */
	struct esync_seq *tnext;		/* by task */
	struct esync_seq *enext, *eprev;	/* ended, in end order */
	struct esync_seq *onext, *oprev;	/* all open, in begin order */
	struct esync_seq *inext, *iprev;	/* open on the same IOMMU */
	struct esync_engine *eng;

	/*
	 * Arrays a count above says how much of is set (the engine does not
	 * clear them for a new write)
	 */
	uint32_t did_flushed[ESYNC_WIN_MAX];	/* VT-d: see ndid_flushed */
	struct esync_inv f2_wrong;		/* F2 */
	uint32_t a1_dev[ESYNC_A1_MAX];		/* A1: invalidated since the last store */
	uint64_t a1_order[ESYNC_A1_MAX];	/* ... the queue order (cmd_order) of each */
	uint64_t u1_driver_target[ESYNC_EV_MAX_WORDS];	/* U1: the driver's used bits of the target */

	/*
	 * Values, set word by word as the write goes (the engine does not
	 * clear them for a new write: only the first 'words' count)
	 */
	uint64_t cur[ESYNC_EV_MAX_WORDS];	/* entry before the write */
	uint64_t target[ESYNC_EV_MAX_WORDS];
	uint64_t now[ESYNC_EV_MAX_WORDS];	/* rebuilt from the stores */
	uint64_t final[ESYNC_EV_MAX_WORDS];	/* what write-end reported */
	uint64_t target_used[ESYNC_EV_MAX_WORDS];	/* the model's used bits of target (kept with it) */
	/*
	 * The torn-view window: win[k] holds, for each quanta q, the k-th
	 * value it took since the last completed sync (k < nwin[q]), at the
	 * quanta's place in the entry: win[0] is the entry the window began
	 * with.
	 */
	uint64_t win[ESYNC_WIN_MAX][ESYNC_EV_MAX_WORDS];
};

struct esync_checker {
	unsigned int id;		/* enum esync_check_id */
	/* After the engine set up the sequence from write-begin. */
	void (*begin)(struct esync_seq *s);
	/* A store to quanta q: before and after s->now and the window take it. */
	void (*before_store)(struct esync_seq *s, unsigned int q);
	void (*after_store)(struct esync_seq *s, unsigned int q);
	/* The driver's used bits of the write's current and target entry. */
	void (*used)(struct esync_seq *s, const uint64_t *cur_used,
		     const uint64_t *target_used);
	/* An invalidation command on the entry's IOMMU; covers: of this entry. */
	void (*command)(struct esync_seq *s, const struct esync_inv *inv,
			bool covers, bool named);
	/*
	 * A completion on the entry's IOMMU.  ok: it succeeded (status 0);
	 * completed: it completed an invalidation of this entry.
	 */
	void (*completion)(struct esync_seq *s, const struct esync_inv *inv,
			   bool ok, bool completed, bool named);
	/* The torn-view window closes (completed sync, or the write is done). */
	void (*window)(struct esync_seq *s);
	/* write-end: s->final holds what the driver reported. */
	void (*end)(struct esync_seq *s);
	/* The write and the commands after it are done, the data is whole. */
	void (*final)(struct esync_seq *s);
};

extern const struct esync_checker esync_check_h1, esync_check_h2,
	esync_check_h3, esync_check_h4, esync_check_h5, esync_check_f1,
	esync_check_f2, esync_check_f3, esync_check_a1, esync_check_u1;

/* Reports a finding for s (once per check and sequence). */
void esync_report(struct esync_seq *s, unsigned int check, unsigned int step,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* True if check runs on s (the input supports it for s, and it was asked for). */
bool esync_seq_runs(const struct esync_seq *s, unsigned int check);

/* The topology the engine knows (dump header and topology records). */
const struct esync_alias_set *esync_seq_aliases(const struct esync_seq *s);

/* True if dev (AMD DeviceID, low 16 bits compared) is one of s's DMA aliases. */
bool esync_seq_is_alias(const struct esync_seq *s, uint32_t dev);

/*
 * The entry the last traced write of dev (format's, on s's IOMMU) left, once
 * that write ended; NULL if there is none or it is still open.
 */
const uint64_t *esync_seq_last_value(const struct esync_seq *s, unsigned int format,
				     uint32_t dev);

/* Calls fn(other, s) for every other write open on s's IOMMU. */
void esync_seq_each_on_iommu(struct esync_seq *s,
			     void (*fn)(struct esync_seq *other, struct esync_seq *s));

/* True if inv invalidates the entry cache s lives in (any id). */
bool esync_inv_same_cache(const struct esync_seq *s, const struct esync_inv *inv);
/* True if inv invalidates s's entry. */
bool esync_inv_covers(const struct esync_seq *s, const struct esync_inv *inv);
/*
 * VT-d: true if IOTLB invalidation inv reaches what the entry translated
 * while present during this write (cur, target, now): under a DID it had
 * then, by the kind its page-table type needs (spec Table 28: the domain
 * IOTLB for second-stage and nested, the PASID IOTLB for first-stage and
 * pass-through); a global invalidation reaches everything.
 */
bool esync_seq_vtd_tlb_reaches(const struct esync_seq *s, const struct esync_inv *inv);
/* VT-d: true if did is a DID the entry held during this write. */
bool esync_seq_has_did(const struct esync_seq *s, uint32_t did);
/*
 * VT-d: the DID of a stale present value of the entry since the last
 * completed sync that no PASID-cache invalidation since the last store
 * named; -1 if none.
 */
int esync_seq_unflushed_did(const struct esync_seq *s);

/* Value k of quanta q in the window (its words, lo first) */
static inline const uint64_t *esync_win_val(const struct esync_seq *s, unsigned int k,
					    unsigned int q)
{
	return &s->win[k][q * s->qwords];
}

/* Quanta q of an entry, as lo/hi. */
static inline void esync_quanta_get(const struct esync_seq *s, const uint64_t *e,
				    unsigned int q, uint64_t v[2])
{
	v[0] = e[q * s->qwords];
	v[1] = s->qwords > 1 ? e[q * s->qwords + 1] : 0;
}

static inline void esync_quanta_put(const struct esync_seq *s, uint64_t *e,
				    unsigned int q, const uint64_t v[2])
{
	e[q * s->qwords] = v[0];
	if (s->qwords > 1)
		e[q * s->qwords + 1] = v[1];
}

/* a == b over the entry's words. */
static inline bool esync_same(const struct esync_seq *s, const uint64_t *a,
			      const uint64_t *b)
{
	for (unsigned int w = 0; w < s->words; w++)
		if (a[w] != b[w])
			return false;
	return true;
}

/* (a & m) == (b & m) over the entry's words. */
static inline bool esync_same_under(const struct esync_seq *s, const uint64_t *a,
				    const uint64_t *b, const uint64_t *m)
{
	for (unsigned int w = 0; w < s->words; w++)
		if ((a[w] ^ b[w]) & m[w])
			return false;
	return true;
}

/* How many torn views the current window holds (the product of nwin). */
static inline unsigned long esync_window_views(const struct esync_seq *s)
{
	return s->win_views;
}

/*
 * Calls fn on every reachable torn view of the current window (the
 * cartesian product of each quanta's values); idx[q] is the index of the
 * value quanta q has in the view (0: the value at the window's start).
 * Stops when fn returns false.  Returns the number of views, or 0 if the
 * window holds more than 'limit' views (nothing was enumerated).  Inline,
 * so that each check's fn is inlined into its loop.
 */
static inline unsigned long
esync_for_each_view(struct esync_seq *s, unsigned long limit,
		    bool (*fn)(struct esync_seq *s, const uint64_t *view,
			       const unsigned int *idx, void *ctx),
		    void *ctx)
{
	unsigned int idx[ESYNC_MAX_QUANTA] = { 0 };
	const uint8_t *vary = s->win_vary;
	unsigned int nvary = s->win_nvary;
	uint64_t view[ESYNC_EV_MAX_WORDS];
	unsigned long total = esync_window_views(s);

	if (s->win_overflow || total > limit)
		return 0;
	memcpy(view, s->win[0], sizeof(view));
	for (;;) {
		unsigned int k;

		if (!fn(s, view, idx, ctx))
			break;
		/*
		 * Next view: an odometer over the quanta that took more than
		 * one value; only the quanta it turns are rewritten.
		 */
		for (k = 0; k < nvary; k++) {
			unsigned int q = vary[k];

			if (++idx[q] == s->nwin[q])
				idx[q] = 0;
			esync_quanta_put(s, view, q, esync_win_val(s, idx[q], q));
			if (idx[q])
				break;
		}
		if (k == nvary)
			break;
	}
	return total;
}

#endif /* ESYNC_CHECKER_H */
