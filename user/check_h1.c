// SPDX-License-Identifier: GPL-2.0-only
/*
 * H1 torn view.  Between two completed syncs the IOMMU may cache any mix of
 * the values each quanta held in that window (the cartesian product of the
 * per-quanta value sets the engine keeps).  A mix that is valid (and not
 * the format's DMA-blocking state) must behave
 * like the old entry or like the target over its own used bits; a
 * disrupted mix, over the bits its format still uses in that state (AMD
 * DTE: the interrupt fields).  Checked
 * when a window closes: a window's set of views contains every view of its
 * earlier moments.
 */
#include <inttypes.h>
#include <string.h>

#include "checker.h"

/* Enumerating more views than this is reported as undecided. */
#define H1_MAX_VIEWS 65536

static int put_quanta(char *buf, size_t len, const struct esync_seq *s,
		      const uint64_t *v)
{
	if (s->qwords > 1)
		return snprintf(buf, len, "0x%016" PRIx64 "%016" PRIx64, v[1], v[0]);
	return snprintf(buf, len, "0x%016" PRIx64, v[0]);
}

static void report_view(struct esync_seq *s, const uint64_t *view,
			const uint64_t *used, const unsigned int *idx,
			bool disrupted, unsigned long torn)
{
	char hex[ESYNC_MAX_QUANTA * 40], d_old[160], d_tgt[160];
	size_t pos = 0;

	hex[0] = 0;
	for (unsigned int q = 0; q < s->nq && pos < sizeof(hex); q++) {
		uint64_t v[2];
		int n;

		esync_quanta_get(s, view, q, v);
		n = snprintf(hex + pos, sizeof(hex) - pos, "%sq%u=", q ? " " : "", q);
		pos += n > 0 ? (size_t)n : 0;
		if (pos >= sizeof(hex))
			break;
		n = put_quanta(hex + pos, sizeof(hex) - pos, s, v);
		pos += n > 0 ? (size_t)n : 0;
		if (pos < sizeof(hex) && s->nwin[q] > 1) {
			n = snprintf(hex + pos, sizeof(hex) - pos, "%s",
				     !idx[q] ? "(old)" : idx[q] + 1 == s->nwin[q] ?
				     "(new)" : "(between)");
			pos += n > 0 ? (size_t)n : 0;
		}
	}
	esync_format_diff(s->fmt, view, s->cur, used, d_old, sizeof(d_old));
	esync_format_diff(s->fmt, view, s->target, used, d_tgt, sizeof(d_tgt));
	esync_report(s, ESYNC_CHK_H1, s->step,
		     "reachable view %s %s neither like the old entry (differs in %s) nor like the target (differs in %s); %lu torn view%s in the window of steps %u-%u%s",
		     hex, disrupted ? "blocks DMA, but the fields the hardware still uses of it behave" :
		     "is valid but behaves", d_old[0] ? d_old : "-", d_tgt[0] ? d_tgt : "-", torn,
		     torn == 1 ? "" : "s", s->win_step, s->step,
		     s->win_carried ? ", which still holds the values an earlier write of this entry stored and never fenced with a completed sync" : "");
}

/* The first torn view of a window (set when torn becomes 1), and how many */
struct h1_ctx {
	unsigned long torn;
	uint64_t view[ESYNC_EV_MAX_WORDS], used[ESYNC_EV_MAX_WORDS];
	unsigned int idx[ESYNC_MAX_QUANTA];
	bool disrupted;		/* ... blocks DMA: only its live bits compared */
};

static bool h1_view(struct esync_seq *s, const uint64_t *view,
		    const unsigned int *idx, void *ctx)
{
	struct h1_ctx *c = ctx;
	uint64_t used[ESYNC_EV_MAX_WORDS] = { 0 };
	const uint64_t *live = s->fmt->live_when_disrupted;
	bool disrupted;

	/* The old entry and the target, whole, are no tear (most views) */
	if (esync_same(s, view, s->cur) || esync_same(s, view, s->target))
		return true;
	disrupted = esync_format_disrupted(s->fmt, view);
	if (disrupted && !live)
		return true;
	s->fmt->get_used(view, used);
	/* A disrupted view only tears what the hardware still uses of it */
	if (disrupted)
		for (unsigned int w = 0; w < s->words; w++)
			used[w] &= live[w];
	if (esync_same_under(s, view, s->cur, used) ||
	    esync_same_under(s, view, s->target, used) || c->torn++)
		return true;
	memcpy(c->view, view, sizeof(c->view));
	memcpy(c->used, used, sizeof(c->used));
	memcpy(c->idx, idx, sizeof(c->idx));
	c->disrupted = disrupted;
	return true;
}

static void h1_window(struct esync_seq *s)
{
	struct h1_ctx c;
	unsigned long total;

	if (s->reported & (1u << ESYNC_CHK_H1))
		return;
	/* A window of one view is the entry as it stands, not a tear */
	if (esync_window_views(s) == 1)
		return;
	c.torn = 0;
	total = esync_for_each_view(s, H1_MAX_VIEWS, h1_view, &c);
	if (!total) {
		esync_report(s, ESYNC_CHK_INCOMPLETE, s->step,
			     "too many values between two completed syncs to enumerate the torn views (window of steps %u-%u)",
			     s->win_step, s->step);
		return;
	}
	if (c.torn)
		report_view(s, c.view, c.used, c.idx, c.disrupted, c.torn);
}

const struct esync_checker esync_check_h1 = {
	.id = ESYNC_CHK_H1,
	.window = h1_window,
};
