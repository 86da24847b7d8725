/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sequence reconstruction: feeds events in stream order, rebuilds every
 * entry update (write-begin to write-end plus the commands issued
 * meanwhile and right after), runs the checkers on it and hands findings and
 * finished sequences to a sink.  Memory is bounded by the writes open at
 * the same time (at most max_open); the per-event path neither allocates
 * (beyond growing its tables) nor formats, and costs O(1) for events that
 * name their write.
 */
#ifndef ESYNC_ENGINE_H
#define ESYNC_ENGINE_H

#include <stdint.h>

#include "checker.h"
#include "fault.h"

struct esync_engine_sink {
	void (*finding)(void *ctx, const struct esync_finding *f);
	/* Optional: a fault event, linked */
	void (*fault)(void *ctx, const struct esync_fault_link *l);
	/* Optional: a sequence is done (findings for it were all reported). */
	void (*seq_done)(void *ctx, const struct esync_seq *s);
	void *ctx;
};

struct esync_stats {
	uint64_t events;
	uint64_t by_kind[ESYNC_EV_NR_KINDS];
	uint64_t seqs;
	uint64_t by_format[16];	/* writes per ESYNC_FMT_* (15: test) */
	uint64_t orphans;	/* events of writes whose begin was not seen */
	uint64_t lost;		/* events the ring buffer dropped */
	uint64_t loss_places;	/* places events were lost at (marks and counts) */
	uint64_t evicted;	/* writes cut because max_open were open */
	uint64_t failed_completions;	/* completions with a non-zero status */
	uint64_t late_cmds;	/* commands naming a write already finished */
	uint64_t findings[ESYNC_CHK_NR];
	uint64_t faults;	/* fault records */
	uint64_t faults_linked;	/* ... linked to a write */
	uint64_t max_open;	/* most writes open at once */
	uint32_t ran;		/* bit per check that judged at least one write */
	/*
	 * Whole AMD writes A1 did not judge: several PCI segments have their
	 * DeviceID (the first: its DeviceID and IOMMU)
	 */
	uint64_t a1_ambiguous;
	uint32_t a1_ambiguous_dev;
	uint16_t a1_ambiguous_iommu;
};

/*
 * What the input says about itself (dump header flags, or the live
 * collector's hooks).
 */
enum esync_input_flags {
	/* Commands and completions carry the seq of the write of their task */
	ESYNC_IN_ATTRIBUTED = 1u << 0,
	/* SMMUv3: CMD_SYNC results come as completion events with a status */
	ESYNC_IN_SMMU_DONE = 1u << 1,
	/* AMD: COMPLETION_WAIT results come as completion events with a status */
	ESYNC_IN_AMD_DONE = 1u << 2,
	/*
	 * Recorded by the stock-kernel collectors (legacy mode): each write is
	 * judged only by the checks its format's collector gives the data for
	 * (esync_legacy_checks); the reader sets it from a dump's mode.
	 */
	ESYNC_IN_LEGACY = 1u << 3,
	/*
	 * VT-d: the results of the waits were not recorded (perf without
	 * intel_iommu:qi_wait): each invalidation counts as completed
	 */
	ESYNC_IN_VTD_NO_RESULTS = 1u << 4,
};

/* Every ESYNC_IN_* this esync knows: a dump with others means something new */
#define ESYNC_IN_KNOWN (ESYNC_IN_ATTRIBUTED | ESYNC_IN_SMMU_DONE | \
			ESYNC_IN_AMD_DONE | ESYNC_IN_LEGACY | ESYNC_IN_VTD_NO_RESULTS)

/*
 * The checks a stock kernel's collector of entry format 'format' gives the
 * data for: SMMUv3 and VT-d entries are snapshotted at each sync of the
 * stock writer (stores per step, exact fencing), AMD entries are seen
 * whole, with their flushes issued later from other functions.
 */
uint32_t esync_legacy_checks(unsigned int format);

/*
 * Writes open at once before the oldest is cut (reported incomplete).  A
 * write is open while its task is inside it, or while it waits for its
 * commands or its aliases' clones: a few per CPU on a busy host.  More
 * are writes whose end never came (a writer path without its write-end,
 * events lost); this many keep 7 MB, and each new write's state stays in
 * memory already touched.
 */
#define ESYNC_DEFAULT_MAX_OPEN 4096

/* check_mask: bit per ESYNC_CHK_* to run; topo is copied.  NULL on ENOMEM. */
struct esync_engine *esync_engine_new(const struct esync_engine_sink *sink,
				      const struct esync_topology *topo,
				      uint32_t check_mask);
/* Before the first event: ESYNC_IN_* flags of the input. */
void esync_engine_set_input(struct esync_engine *e, uint32_t flags);
/* Before the first event: at most this many writes open (0: default). */
void esync_engine_set_max_open(struct esync_engine *e, size_t max_open);
void esync_engine_event(struct esync_engine *e, const union esync_event *ev);
/* End of input: writes still open are reported incomplete. */
void esync_engine_finish(struct esync_engine *e);
const struct esync_stats *esync_engine_stats(const struct esync_engine *e);
void esync_engine_free(struct esync_engine *e);

#define ESYNC_ALL_CHECKS ((1u << ESYNC_CHK_NR) - 1)

/*
 * The checks of 'mask' (the engine's check_mask) that can judge write s,
 * for a sink's seq_done: A1 only on an AMD entry with a DMA alias set, U1
 * only with the driver's used bits, and none the write's data cannot
 * support (legacy).  0: no check could run on it.
 */
static inline uint32_t esync_seq_checks(const struct esync_seq *s, uint32_t mask)
{
	uint32_t m = mask & ~(1u << ESYNC_CHK_INCOMPLETE);
	bool amd = s->format == ESYNC_FMT_AMD_DTE || s->format == ESYNC_FMT_AMD_IRTE ||
		   s->format == ESYNC_FMT_AMD_IRTE32;

	if (!amd || !esync_seq_aliases(s))
		m &= ~(1u << ESYNC_CHK_A1);
	if (!s->used_seen)
		m &= ~(1u << ESYNC_CHK_U1);
	return m & ~s->off;
}

#endif /* ESYNC_ENGINE_H */
