// SPDX-License-Identifier: GPL-2.0-only
/*
 * H1 torn view.  Between two completed syncs the IOMMU may cache any mix of
 * the values each quanta held in that window (the cartesian product of the
 * per-quanta value sets the engine keeps).  A mix that is valid (and not
 * the format's DMA-blocking state) must behave
 * like the old entry or like the target over its own used bits.  Checked
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
			unsigned long torn)
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
				     idx[q] ? "(new)" : "(old)");
			pos += n > 0 ? (size_t)n : 0;
		}
	}
	esync_format_diff(s->fmt, view, s->cur, used, d_old, sizeof(d_old));
	esync_format_diff(s->fmt, view, s->target, used, d_tgt, sizeof(d_tgt));
	esync_report(s, ESYNC_CHK_H1, s->step,
		     "reachable view %s is valid but behaves neither like the old entry (differs in %s) nor like the target (differs in %s); %lu torn view%s in the window of steps %u-%u",
		     hex, d_old[0] ? d_old : "-", d_tgt[0] ? d_tgt : "-", torn,
		     torn == 1 ? "" : "s", s->win_step, s->step);
}

static void h1_window(struct esync_seq *s)
{
	unsigned int idx[ESYNC_MAX_QUANTA] = { 0 };
	uint64_t view[ESYNC_EV_MAX_WORDS], used[ESYNC_EV_MAX_WORDS];
	uint64_t first_view[ESYNC_EV_MAX_WORDS], first_used[ESYNC_EV_MAX_WORDS];
	unsigned int first_idx[ESYNC_MAX_QUANTA];
	unsigned long total = 1, torn = 0;

	if (s->reported & (1u << ESYNC_CHK_H1))
		return;
	for (unsigned int q = 0; q < s->nq; q++)
		total *= s->nwin[q];
	if (s->win_overflow || total > H1_MAX_VIEWS) {
		esync_report(s, ESYNC_CHK_INCOMPLETE, s->step,
			     "too many values between two completed syncs to enumerate the torn views (window of steps %u-%u)",
			     s->win_step, s->step);
		return;
	}
	if (total == 1)
		return;

	memcpy(view, s->now, sizeof(view));
	for (;;) {
		unsigned int q;

		for (q = 0; q < s->nq; q++)
			esync_quanta_put(s, view, q, s->win[q][idx[q]]);
		if (!esync_format_disrupted(s->fmt, view)) {
			memset(used, 0, sizeof(used));
			s->fmt->get_used(view, used);
			if (!esync_same_under(s, view, s->cur, used) &&
			    !esync_same_under(s, view, s->target, used) && !torn++) {
				memcpy(first_view, view, sizeof(view));
				memcpy(first_used, used, sizeof(used));
				memcpy(first_idx, idx, sizeof(idx));
			}
		}
		/* Next view: an odometer over the per-quanta value sets */
		for (q = 0; q < s->nq; q++) {
			if (++idx[q] < s->nwin[q])
				break;
			idx[q] = 0;
		}
		if (q == s->nq)
			break;
	}
	if (torn)
		report_view(s, first_view, first_used, first_idx, torn);
}

const struct esync_checker esync_check_h1 = {
	.id = ESYNC_CHK_H1,
	.window = h1_window,
};
