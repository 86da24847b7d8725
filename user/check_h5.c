// SPDX-License-Identifier: GPL-2.0-only
/*
 * H5 foreign store: the entry changed outside the traced writer during the
 * update.  A store's old value is not the value esync rebuilt from the
 * write-begin and the stores before it, or write-end reports a final entry
 * that differs from it.  The engine takes the foreign value into the torn
 * view window (the hardware may have fetched it); H3 judges the rebuilt
 * entry, not what write-end says.
 */
#include <inttypes.h>
#include <stdio.h>

#include "checker.h"

static void h5_before_store(struct esync_seq *s, unsigned int q)
{
	if (!s->store_foreign)
		return;
	esync_report(s, ESYNC_CHK_H5, s->step,
		     "the store to quantum %u at step %u replaced 0x%016" PRIx64 "%016" PRIx64 ", not the value the writer left there: something wrote the entry outside the writer during the update",
		     q, s->step, s->store_old[1], s->store_old[0]);
}

static void h5_end(struct esync_seq *s)
{
	char names[200];

	if (!s->end_foreign)
		return;
	esync_format_diff(s->fmt, s->final, s->now, NULL, names, sizeof(names));
	esync_report(s, ESYNC_CHK_H5, 0,
		     "write-end reports an entry that differs from the one rebuilt from the stores in %s: it was changed outside the writer (or a store was not traced)",
		     names[0] ? names : "-");
}

const struct esync_checker esync_check_h5 = {
	.id = ESYNC_CHK_H5,
	.before_store = h5_before_store,
	.end = h5_end,
};
