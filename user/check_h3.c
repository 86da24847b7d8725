// SPDX-License-Identifier: GPL-2.0-only
/*
 * H3 wrong end state: the entry at write-end (rebuilt from the stores, not
 * what write-end reports, which H5 compares) is not the target, unless the
 * writer says it stopped at a failed sync, or the target sets bits outside
 * its own used bits (the writer's contract).  A target that follows at the
 * end (a legacy write: the entry it leaves) is judged there.
 */
#include <inttypes.h>
#include <string.h>

#include "checker.h"

/* The target sets bits outside its own used bits */
static void stray_bits(struct esync_seq *s)
{
	uint64_t stray[ESYNC_EV_MAX_WORDS], zero[ESYNC_EV_MAX_WORDS], any = 0;
	char names[200];

	/* Every word's first: the names cover all of them */
	for (unsigned int w = 0; w < s->words; w++) {
		stray[w] = s->target[w] & ~s->target_used[w];
		any |= stray[w];
	}
	/* (the common case: no work for a clean target) */
	if (!any)
		return;
	for (unsigned int w = s->words; w < ESYNC_EV_MAX_WORDS; w++)
		stray[w] = 0;
	memset(zero, 0, sizeof(zero));
	for (unsigned int w = 0; w < s->words; w++) {
		if (!stray[w])
			continue;
		esync_format_diff(s->fmt, s->target, zero, stray, names, sizeof(names));
		esync_report(s, ESYNC_CHK_H3, 0,
			     "the target sets bits outside its own used bits: word %u mask 0x%016" PRIx64 " (%s)",
			     w, stray[w], names);
		return;
	}
}

static void h3_begin(struct esync_seq *s)
{
	/* A target that follows at the end is judged there */
	if (!s->target_at_end)
		stray_bits(s);
}

static void h3_final(struct esync_seq *s)
{
	char names[200];

	if (s->target_at_end)
		stray_bits(s);

	/*
	 * A writer that stopped at a failed sync left the entry short of its
	 * target and returned the error: F1 reports the failure. Only if one
	 * of its syncs did fail.
	 */
	if ((s->how == ESYNC_HOW_FAILED && s->sync_failed) ||
	    !memcmp(s->now, s->target, s->words * sizeof(uint64_t)))
		return;
	esync_format_diff(s->fmt, s->now, s->target, NULL, names, sizeof(names));
	for (unsigned int w = 0; w < s->words; w++) {
		if (s->now[w] == s->target[w])
			continue;
		esync_report(s, ESYNC_CHK_H3, 0,
			     "the entry rebuilt from the stores differs at write-end from the target in %s: word %u is 0x%016" PRIx64 ", target 0x%016" PRIx64 "%s",
			     names, w, s->now[w], s->target[w],
			     s->how == ESYNC_HOW_FAILED ?
			     " (the writer says it stopped at a failed sync, but no sync of this write failed)" : "");
		return;
	}
}

const struct esync_checker esync_check_h3 = {
	.id = ESYNC_CHK_H3,
	.begin = h3_begin,
	.final = h3_final,
};
