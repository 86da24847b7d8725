/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Import of 'perf script' output of the series' tracepoints and of
 * iommu:io_page_fault into the event stream, entry updates, commands,
 * completions and fault records alike, so that 'esync check --perf'
 * verifies a trace taken with perf alone:
 *
 *   perf record ESYNC_PERF_EVENTS -a -- WORKLOAD
 *   perf script | esync check --perf -
 *
 * The results of waits come from the series' arm_smmu_cmdq_sync_done,
 * amd_iommu_completion_wait_done and intel_iommu:qi_wait events; a trace
 * without them has each wait count as completed when it is queued (VT-d:
 * each invalidation, whose wait qi_submit is not given), and a failed one
 * cannot be seen then.
 */
#ifndef ESYNC_PERF_IMPORT_H
#define ESYNC_PERF_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "events.h"

/*
 * Every tracepoint the import reads, as perf record's options: the
 * series' systems whole, intel_iommu's events one by one (its other
 * events are not esync's).
 */
#define ESYNC_PERF_EVENTS \
	"-e 'entry_sync:*' -e 'arm_smmu_v3:*' -e 'amd_iommu:*' " \
	"-e intel_iommu:qi_submit -e intel_iommu:qi_wait " \
	"-e intel_iommu:dmar_fault_record -e iommu:io_page_fault"

struct esync_perf_stats {
	uint64_t lines;
	uint64_t events;
	uint64_t skipped;	/* other events, comments */
	uint64_t bad;		/* our events whose fields did not parse */
	uint64_t first_bad;	/* line number of the first of them */
	bool smmu_done;		/* arm_smmu_cmdq_sync_done events came */
	bool amd_done;		/* amd_iommu_completion_wait_done events came */
	bool vtd_writes;	/* writes of VT-d PASID entries came */
	bool vtd_done;		/* intel_iommu:qi_wait events came */
	int read_err;		/* errno of a read that failed (the input is not whole) */
};

/*
 * Parses one line of perf script output.  Returns 1 with ev filled, 0 if
 * the line is not one of our events, -1 if it is but does not parse.
 */
int esync_perf_parse_line(const char *line, union esync_event *ev);

/*
 * Reads every line of in and passes each event to emit; commands and
 * completions name the write their task is in (tid from the PID column).
 * A line of our events that does not parse is passed as an ESYNC_EV_LOST
 * of one event (and counted in st->bad), so that the writes open across
 * it are reported incomplete.
 */
void esync_perf_import(FILE *in, void (*emit)(void *ctx, const union esync_event *ev),
		       void *ctx, struct esync_perf_stats *st);

/*
 * Converts perf script output (path, or "-" for stdin) to a dump written to
 * out_fd (seekable; closed when done), with the topology of this
 * machine's /sys.  0 or -errno.
 */
int esync_perf_to_dump(const char *path, int out_fd,
		       struct esync_perf_stats *st);

#endif /* ESYNC_PERF_IMPORT_H */
