// SPDX-License-Identifier: GPL-2.0-only
/*
 * H4 unsafe disruption (critical): a reachable view of the entry is not
 * valid and the hardware lets DMA through such an entry, although neither
 * the old entry nor the target does.  SMMUv3 (STE V=0 aborts, CD V=0
 * faults) and VT-d (P=0 faults) block DMA in their non-valid state; AMD's
 * DTE with V=0 passes it untranslated, so a disruptive DTE update must go
 * through a blocking valid entry (V=1, TV=1, IR=IW=0) instead.
 */
#include <inttypes.h>
#include <stdio.h>

#include "checker.h"

/* More views than this are left to H1's incomplete report. */
#define H4_MAX_VIEWS 65536

struct h4_ctx {
	const char *why;
	uint64_t view[ESYNC_EV_MAX_WORDS];
};

static bool passes(const struct esync_seq *s, const uint64_t *v)
{
	return !s->fmt->is_valid(v) && s->fmt->nonvalid_passes_dma(v);
}

static bool h4_view(struct esync_seq *s, const uint64_t *view,
		    const unsigned int *idx, void *ctx)
{
	struct h4_ctx *c = ctx;

	if (!passes(s, view))
		return true;
	c->why = s->fmt->nonvalid_passes_dma(view);
	for (unsigned int w = 0; w < s->words; w++)
		c->view[w] = view[w];
	return false;
}

static bool h4_applies(const struct esync_seq *s)
{
	return s->fmt->nonvalid_passes_dma && !(s->reported & (1u << ESYNC_CHK_H4)) &&
	       !passes(s, s->cur) && !passes(s, s->target);
}

static void h4_report(struct esync_seq *s, const uint64_t *view, const char *why,
		      const char *when)
{
	char dev[64];

	esync_entry_dev_str(s->format, s->dev, s->sub, dev, sizeof(dev));
	esync_report(s, ESYNC_CHK_H4, s->step,
		     "%s the IOMMU could fetch a non-valid entry for %s (word 0 0x%016" PRIx64 "): %s, although neither the old entry nor the target lets DMA through; a disruptive update must pass through an entry that blocks DMA",
		     when, dev, view[0], why);
}

/*
 * The entry as a store leaves it can be fetched at once, whatever the
 * window holds later (a window with more values than it keeps included).
 * A write whose target is only known at its end is judged at its windows.
 */
static void h4_begin(struct esync_seq *s)
{
	s->h4_each_store = !s->target_at_end && h4_applies(s);
}

static void h4_after_store(struct esync_seq *s, unsigned int q)
{
	char when[64];

	if (!s->h4_each_store || (s->reported & (1u << ESYNC_CHK_H4)) ||
	    !passes(s, s->now))
		return;
	snprintf(when, sizeof(when), "after the store to quantum %u in step %u", q, s->step);
	h4_report(s, s->now, s->fmt->nonvalid_passes_dma(s->now), when);
}

/* ... and each torn view of a window */
static void h4_window(struct esync_seq *s)
{
	struct h4_ctx c = { 0 };
	char when[64];

	if (!h4_applies(s))
		return;
	esync_for_each_view(s, H4_MAX_VIEWS, h4_view, &c);
	if (!c.why)
		return;
	snprintf(when, sizeof(when), "between steps %u and %u", s->win_step, s->step);
	h4_report(s, c.view, c.why, when);
}

const struct esync_checker esync_check_h4 = {
	.id = ESYNC_CHK_H4,
	.begin = h4_begin,
	.after_store = h4_after_store,
	.window = h4_window,
};
