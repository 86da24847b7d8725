// SPDX-License-Identifier: GPL-2.0-only
/*
 * H2 needless disruption.  By the used-bits rule an update is hitless when,
 * after the bits the current entry ignores take their new value, at most
 * one quanta still has used bits to change.  Such an update must never
 * leave the entry non-valid (or blocking DMA) on its way from a valid
 * entry to a valid target.
 */
#include <string.h>

#include "checker.h"

static void h2_begin(struct esync_seq *s)
{
	s->was_valid = !esync_format_disrupted(s->fmt, s->cur);
}

/*
 * The quanta with used bits to change from cur to target (at the end: a
 * writer that did not say its target has one only then); 0 if none.
 */
static unsigned int h2_model(struct esync_seq *s)
{
	uint64_t cu[ESYNC_EV_MAX_WORDS] = { 0 }, tu[ESYNC_EV_MAX_WORDS] = { 0 };
	unsigned int critical = 0;

	s->fmt->get_used(s->cur, cu);
	s->fmt->get_used(s->target, tu);
	for (unsigned int q = 0; q < s->nq; q++) {
		for (unsigned int k = 0; k < s->qwords; k++) {
			unsigned int w = q * s->qwords + k;
			uint64_t unused_update = (s->cur[w] & cu[w]) |
						 (s->target[w] & ~cu[w]);

			if ((unused_update & tu[w]) != s->target[w]) {
				if (!critical++)
					s->model_crit_q = q;
				break;
			}
		}
	}
	return critical;
}

static void h2_after_store(struct esync_seq *s, unsigned int q)
{
	if (s->was_valid && !s->went_invalid && esync_format_disrupted(s->fmt, s->now)) {
		s->went_invalid = true;
		s->invalid_step = s->step;
	}
}

static void h2_final(struct esync_seq *s)
{
	char changed[160];

	if (!s->went_invalid || esync_format_disrupted(s->fmt, s->target))
		return;
	s->model_critical = h2_model(s);
	if (s->model_critical > 1)
		return;
	esync_format_diff(s->fmt, s->cur, s->target, NULL, changed, sizeof(changed));
	if (s->model_critical)
		esync_report(s, ESYNC_CHK_H2, s->invalid_step,
			     "the entry went non-valid or blocking at step %u although only quantum %u had used bits to change (%s): a hitless update was possible",
			     s->invalid_step, s->model_crit_q, changed);
	else
		esync_report(s, ESYNC_CHK_H2, s->invalid_step,
			     "the entry went non-valid or blocking at step %u although no used bit changed",
			     s->invalid_step);
}

const struct esync_checker esync_check_h2 = {
	.id = ESYNC_CHK_H2,
	.begin = h2_begin,
	.after_store = h2_after_store,
	.final = h2_final,
};
