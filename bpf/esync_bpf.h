/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What esync's BPF programs share with their loader (user/live/) besides
 * the event ABI: the per-CPU counters and the
 * synthetic ids of legacy-mode writes.
 */
#ifndef ESYNC_BPF_H
#define ESYNC_BPF_H

#include "esync_events.h"

enum esync_counter {
	ESYNC_CNT_EVENTS = 0,	/* events submitted */
	ESYNC_CNT_DROPS,	/* events the ring buffer had no room for */
	ESYNC_CNT_FAULTS,	/* fault records */
	ESYNC_CNT_SMMU_STEPS,	/* legacy SMMUv3 sync callbacks */
	ESYNC_CNT_AMD_DTE,	/* legacy set_dte_entry calls */
	ESYNC_CNT_AMD_IRT_FLUSH,	/* legacy iommu_flush_irt_and_complete calls */
	ESYNC_CNT_CMD_DROPPED,	/* commands of no write that no check uses */
	ESYNC_CNT_VTD_PASID,	/* legacy PASID-entry teardowns and setups */
	ESYNC_CNT_NR
};

/*
 * The collectors' wake_mask (esync_emit.h) for a ring of rb_bytes on ncpu
 * online CPUs: each CPU wakes the reader every wake_mask + 1 of its
 * events, so that together they hold back at most an eighth of the ring
 * even when every event is of the largest size.
 */
static inline unsigned long long esync_wake_mask(unsigned long long rb_bytes,
						 unsigned int ncpu)
{
	unsigned long long per_cpu = rb_bytes / 8 / (ncpu ? ncpu : 1) /
				     (ESYNC_EV_MAX_SIZE + 8);
	unsigned long long n = 1;

	while (n * 2 <= per_cpu)
		n *= 2;
	return n - 1;
}

/* ESYNC_LEGACY_ENTRY and ESYNC_LEGACY_SEQ: see esync_events.h */
#define ESYNC_LEGACY_FMT_SMMU_STE	1	/* = ESYNC_FMT_SMMU_STE */
#define ESYNC_LEGACY_FMT_SMMU_CD	2	/* = ESYNC_FMT_SMMU_CD */
#define ESYNC_LEGACY_FMT_VTD_PASID	3	/* = ESYNC_FMT_VTD_PASID */
#define ESYNC_LEGACY_FMT_AMD_DTE	4	/* = ESYNC_FMT_AMD_DTE */
#define ESYNC_LEGACY_FMT_AMD_IRTE	5	/* = ESYNC_FMT_AMD_IRTE */

#endif /* ESYNC_BPF_H */
