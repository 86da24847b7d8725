// SPDX-License-Identifier: GPL-2.0-only
/*
 * F2 wrong target: while the entry had stores waiting for a sync, the
 * write invalidated the right kind of cache but not this entry (another
 * SID/SSID, DeviceID, DID or PASID), and completed without covering it.
 * Only commands that name this write count (another write's commands are
 * its own business), and an invalidation of one of the entry's DMA aliases
 * is never a wrong target: it is what A1 asks for.
 */
#include "checker.h"

static void f2_command(struct esync_seq *s, const struct esync_inv *inv,
		       bool covers, bool named)
{
	if (covers || !named || !s->win_stores || s->f2_wrong_seen ||
	    !esync_inv_same_cache(s, inv))
		return;
	if (inv->has_dev && esync_seq_is_alias(s, inv->dev))
		return;
	s->f2_wrong_seen = true;
	s->f2_wrong = *inv;
}

static void f2_report(struct esync_seq *s)
{
	char cmd[96], dev[64];

	esync_inv_describe(&s->f2_wrong, cmd, sizeof(cmd));
	esync_entry_dev_str(s->format, s->dev, s->sub, dev, sizeof(dev));
	esync_report(s, ESYNC_CHK_F2, s->step,
		     "the entry-cache invalidation issued for the stores of step %u, %s, does not cover this entry (%s); it was never invalidated",
		     s->win_step, cmd, dev);
}

static void f2_completion(struct esync_seq *s, const struct esync_inv *inv,
			  bool ok, bool completed, bool named)
{
	if (!ok)
		return;
	if (!completed && s->f2_wrong_seen && s->win_stores)
		f2_report(s);
	s->f2_wrong_seen = false;
}

static void f2_final(struct esync_seq *s)
{
	if (s->f2_wrong_seen && s->win_stores)
		f2_report(s);
}

const struct esync_checker esync_check_f2 = {
	.id = ESYNC_CHK_F2,
	.command = f2_command,
	.completion = f2_completion,
	.final = f2_final,
};
