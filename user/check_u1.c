// SPDX-License-Identifier: GPL-2.0-only
/*
 * U1 model disagreement: the driver's used bits (entry_sync_used) of the
 * write's current or target entry differ from esync's model of the same
 * value.  Either the driver's get_used or esync's format model is wrong;
 * every hitless verdict rests on them, so a person must look.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checker.h"

/* Names the fields whose used bits differ; false if none differ. */
static bool differs(const struct esync_seq *s, const uint64_t *model,
		    const uint64_t *driver, char *buf, size_t len, unsigned int *word,
		    uint64_t *bits)
{
	uint64_t diff = 0;
	bool any = false;

	/* The common case, agreement: one pass without branches */
	for (unsigned int w = 0; w < s->words; w++)
		diff |= model[w] ^ driver[w];
	if (!diff)
		return false;
	for (unsigned int w = 0; w < s->words; w++) {
		if ((model[w] ^ driver[w]) && !any) {
			*word = w;
			*bits = model[w] ^ driver[w];
			any = true;
		}
	}
	if (any) {
		uint64_t zero[ESYNC_EV_MAX_WORDS] = { 0 }, x[ESYNC_EV_MAX_WORDS] = { 0 };

		for (unsigned int w = 0; w < s->words; w++)
			x[w] = model[w] ^ driver[w];
		esync_format_diff(s->fmt, x, zero, x, buf, len);
	}
	return any;
}

static void report(struct esync_seq *s, const char *which, const char *names,
		   unsigned int w, uint64_t bits)
{
	esync_report(s, ESYNC_CHK_U1, 0,
		     "the driver's used bits of the %s entry differ from esync's %s model in %s (word %u, bits 0x%016" PRIx64 "): one of them is wrong",
		     which, s->fmt->name, names[0] ? names : "-", w, bits);
}

static void u1_used(struct esync_seq *s, const uint64_t *cur_used,
		    const uint64_t *target_used)
{
	char names[200];
	unsigned int w = 0;
	uint64_t bits = 0;
	uint64_t model[ESYNC_EV_MAX_WORDS] = { 0 };

	s->fmt->get_used(s->cur, model);
	if (differs(s, model, cur_used, names, sizeof(names), &w, &bits)) {
		report(s, "current", names, w, bits);
		return;
	}
	/* A target that follows at the end is known only then */
	if (s->target_at_end) {
		memcpy(s->u1_driver_target, target_used, sizeof(s->u1_driver_target));
		s->u1_target_later = true;
		return;
	}
	if (differs(s, s->target_used, target_used, names, sizeof(names), &w, &bits))
		report(s, "target", names, w, bits);
}

/* ... the engine's model of it is kept with the target */
static void u1_final(struct esync_seq *s)
{
	char names[200];
	unsigned int w = 0;
	uint64_t bits = 0;

	if (s->u1_target_later && !(s->reported & (1u << ESYNC_CHK_U1)) &&
	    differs(s, s->target_used, s->u1_driver_target, names, sizeof(names), &w, &bits))
		report(s, "target", names, w, bits);
}

const struct esync_checker esync_check_u1 = {
	.id = ESYNC_CHK_U1,
	.used = u1_used,
	.final = u1_final,
};
