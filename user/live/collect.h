/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The live collector: checks that tracing can work here, probes the
 * kernel, loads and attaches the BPF programs that fit, and hands every
 * event from the ring buffer to a callback.  Ring-buffer drops, and runs
 * of the programs that the kernel skipped, come out as ESYNC_EV_LOST events
 * in the stream, so the engine marks the writes they cut as incomplete.
 */
#ifndef ESYNC_COLLECT_H
#define ESYNC_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esync_bpf.h"
#include "events.h"
#include "probe.h"

#define ESYNC_RINGBUF_DEFAULT	(8u << 20)
#define ESYNC_RINGBUF_MIN	(64u << 10)

struct esync_collect_opts {
	unsigned int forced_mode;	/* 0, ESYNC_MODE_PATCHED or _LEGACY */
	size_t ringbuf_bytes;		/* 0: ESYNC_RINGBUF_DEFAULT */
	int verbose;			/* 1: hooks; 2: libbpf's messages */
	void (*on_event)(void *ctx, const union esync_event *ev);
	void *ctx;
};

struct esync_collect;

/*
 * What stands in the way of live tracing: one line each, with what to do.
 * Returns 0, or -1 with err set.  *no_iommu tells that this machine has no
 * IOMMU (not an error: esync runs and reports that nothing can happen).
 */
int esync_live_preflight(char *err, size_t len, bool *no_iommu);

/* Rounds a --buffer-size to what the ring buffer takes; 0 if too small. */
size_t esync_ringbuf_size(uint64_t bytes);

/* Probes, loads, attaches.  NULL with err set (one line) on failure. */
struct esync_collect *esync_collect_open(const struct esync_collect_opts *o,
					 char *err, size_t len);
const struct esync_probe_result *esync_collect_probe(const struct esync_collect *c);
/* Waits up to timeout_ms for events; their count, or -errno (-EINTR). */
int esync_collect_poll(struct esync_collect *c, int timeout_ms);
/* Sums of the per-CPU counters (ESYNC_CNT_*). */
void esync_collect_counters(struct esync_collect *c, uint64_t out[ESYNC_CNT_NR]);
/* Runs of the programs the kernel skipped because they would have nested */
uint64_t esync_collect_missed(const struct esync_collect *c);
void esync_collect_close(struct esync_collect *c);

#endif /* ESYNC_COLLECT_H */
