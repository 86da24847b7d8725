// SPDX-License-Identifier: GPL-2.0-only
/*
 * F1 missing sync: the stores of a later step began while those of an
 * earlier step had no completed sync (an invalidation covering the entry and
 * then a successful completion), a write's last stores never got one, or a
 * completion this write waited on failed or timed out: then nothing is
 * known to have left the IOMMU's caches and the window stays open.
 *
 * A write's last stores need no sync when every view the IOMMU could hold
 * is non-valid and behaves like the entry the write leaves (a teardown
 * that zeroes the fields of a non-present entry after its flushes): no
 * view it could use differs from it, and the write that makes the entry
 * valid again has a window of its own to fence.
 */
#include <stdio.h>

#include "checker.h"

static const char *expected_sync(const struct esync_seq *s)
{
	static char did[120];
	int d;

	switch (s->format) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_TEST:
		return "CFGI_STE then CMD_SYNC";
	case ESYNC_FMT_SMMU_CD:
		return "CFGI_CD then CMD_SYNC";
	case ESYNC_FMT_VTD_PASID:
		if (s->covered && s->cover_behind_wait)
			return "a PASID-cache invalidation queued before the wait descriptor: the one that came was queued behind it, which the wait does not cover";
		d = esync_seq_unflushed_did(s);
		if (d < 0)
			return "a PASID-cache invalidation then a wait descriptor";
		snprintf(did, sizeof(did),
			 "a PASID-cache invalidation under DID 0x%x too, the tag of a stale copy of the entry, then a wait descriptor",
			 (unsigned int)d);
		return did;
	case ESYNC_FMT_AMD_DTE:
		return "INVALIDATE_DEVTAB_ENTRY then COMPLETION_WAIT";
	}
	return "INVALIDATE_INTERRUPT_TABLE then COMPLETION_WAIT";
}

/* A wrong target (F2) explains the missing sync already. */
static bool explained(const struct esync_seq *s)
{
	return s->reported & (1u << ESYNC_CHK_F2);
}

static void f1_before_store(struct esync_seq *s, unsigned int q)
{
	if (!s->win_stores || s->win_step >= s->step || explained(s))
		return;
	esync_report(s, ESYNC_CHK_F1, s->step,
		     "a store to quantum %u in step %u began while %u store%s since step %u had no completed sync (expected %s)",
		     q, s->step, s->win_stores, s->win_stores == 1 ? "" : "s",
		     s->win_step, expected_sync(s));
}

static const char *errno_name(int status)
{
	switch (status) {
	case -110: return "ETIMEDOUT";
	case -11: return "EAGAIN";
	case -5: return "EIO";
	case -16: return "EBUSY";
	case -22: return "EINVAL";
	case -14: return "EFAULT";
	case -19: return "ENODEV";
	}
	return "error";
}

static void f1_completion(struct esync_seq *s, const struct esync_inv *inv,
			  bool ok, bool completed, bool named)
{
	if (ok || !named || !s->completion_status)
		return;
	if (!s->win_stores) {
		/* Its window is closed, but what it waited for (an alias flush) is not known done */
		esync_report(s, ESYNC_CHK_F1, s->step,
			     "%s of this write failed with status %d (%s): the invalidations queued before it are not known to have completed",
			     esync_inv_name(inv), s->completion_status,
			     errno_name(s->completion_status));
		return;
	}
	esync_report(s, ESYNC_CHK_F1, s->step,
		     "%s for the %u store%s since step %u failed with status %d (%s): the invalidation is not known to have completed, the torn-view window stays open",
		     esync_inv_name(inv), s->win_stores, s->win_stores == 1 ? "" : "s",
		     s->win_step, s->completion_status,
		     errno_name(s->completion_status));
}

/* More views than this are taken as unsettled. */
#define F1_MAX_VIEWS 65536

static bool settled_view(struct esync_seq *s, const uint64_t *view,
			 const unsigned int *idx, void *ctx)
{
	uint64_t used[ESYNC_EV_MAX_WORDS] = { 0 };
	bool *settled = ctx;

	if (s->fmt->is_valid(view)) {
		*settled = false;
		return false;
	}
	s->fmt->get_used(view, used);
	*settled = esync_same_under(s, view, s->now, used);
	return *settled;
}

static bool window_settled(struct esync_seq *s)
{
	bool settled = true;

	return esync_for_each_view(s, F1_MAX_VIEWS, settled_view, &settled) && settled;
}

static void f1_final(struct esync_seq *s)
{
	if (!s->win_stores || explained(s) || window_settled(s))
		return;
	esync_report(s, ESYNC_CHK_F1, s->store_step,
		     "the last %u store%s (from step %u) were never followed by a completed sync (expected %s)",
		     s->win_stores, s->win_stores == 1 ? "" : "s", s->win_step,
		     expected_sync(s));
}

const struct esync_checker esync_check_f1 = {
	.id = ESYNC_CHK_F1,
	.before_store = f1_before_store,
	.completion = f1_completion,
	.final = f1_final,
};
