// SPDX-License-Identifier: GPL-2.0-only
/*
 * F3 order: rules on the order of invalidations that the trace can decide.
 * A device TLB (SMMU ATC, VT-d device-TLB, AMD IOTLB) is invalidated once,
 * after the new entry is in place (SMMU: after its invalidation completed);
 * on VT-d the PASID-cache invalidation
 * precedes the IOTLB invalidation of the entry's domain (and PASID), which
 * precedes the device-TLB one (spec 6.2.3.1, 6.5.2.5): an IOTLB flushed
 * first is refilled from the stale cached entry.
 * Only this write's own device-TLB invalidations are judged; an IOTLB
 * invalidation counts if it targets a DID (and PASID) the entry held.
 * One issued while the entry, fenced, blocks DMA (a teardown's, before
 * it clears the rest) is neither early nor the new entry's.
 */
#include "checker.h"

static bool for_device(const struct esync_seq *s, const struct esync_inv *inv)
{
	uint32_t mask = inv->family == ESYNC_FAMILY_SMMU ? ~0u : 0xffff;

	if (!inv->has_dev || (inv->dev & mask) != (s->dev & mask))
		return false;
	if (inv->has_sub && (s->format == ESYNC_FMT_SMMU_CD ||
			     s->format == ESYNC_FMT_VTD_PASID))
		return inv->sub == s->sub;
	return true;
}

/* A VT-d IOTLB invalidation that reaches what this entry translated. */
static bool tlb_for_entry(const struct esync_seq *s, const struct esync_inv *inv)
{
	if (inv->family != ESYNC_FAMILY_VTD || s->format != ESYNC_FMT_VTD_PASID)
		return true;
	if (!esync_seq_vtd_tlb_reaches(s, inv))
		return false;
	return !inv->has_sub || inv->sub == s->sub;
}

/*
 * The entry as it stands, fenced by a completed sync, lets no DMA through:
 * a device TLB invalidated now has nothing to refill from, whatever is
 * stored after (a teardown that clears the rest of the entry)
 */
static bool fenced_blocking(const struct esync_seq *s)
{
	const struct esync_format *f = s->fmt;

	if (s->win_stores || !esync_format_disrupted(f, s->now))
		return false;
	return f->is_valid(s->now) || !f->nonvalid_passes_dma ||
	       !f->nonvalid_passes_dma(s->now);
}

static void f3_after_store(struct esync_seq *s, unsigned int q)
{
	s->tlb_since_store = false;
	s->entry_inv_since_store = false;
	s->tlb_before_entry_inv = false;
	if (s->devtlb)
		esync_report(s, ESYNC_CHK_F3, s->step,
			     "the device TLB was invalidated at step %u, before the new entry was in place (a store to quantum %u followed at step %u)",
			     s->devtlb_step, q, s->step);
}

static void f3_command(struct esync_seq *s, const struct esync_inv *inv,
		       bool covers, bool named)
{
	char cmd[96];

	if (covers) {
		/* (With none of its own after it, F1 reports the missing one) */
		if (s->tlb_before_entry_inv && named) {
			esync_inv_describe(inv, cmd, sizeof(cmd));
			esync_report(s, ESYNC_CHK_F3, s->step,
				     "the IOTLB of the entry's domain was invalidated before %s since the last store: the IOTLB can be refilled from the stale cached entry in between; invalidate the PASID cache first",
				     cmd);
		}
		s->entry_inv_since_store = true;
		s->tlb_before_entry_inv = false;
		/*
		 * VT-d: an IOTLB invalidation before it, anyone's, can be
		 * refilled from the stale cached entry: only one after it
		 * counts.  (Once the stores were fenced, nothing stale is
		 * left to refill from: another invalidation then undoes
		 * nothing.)
		 */
		if (s->format == ESYNC_FMT_VTD_PASID && s->win_stores)
			s->tlb_since_store = false;
	}
	if (inv->kind == ESYNC_INV_TLB) {
		if (!tlb_for_entry(s, inv))
			return;
		if (inv->family == ESYNC_FAMILY_VTD && s->format == ESYNC_FMT_VTD_PASID &&
		    named && s->nr_stores && !s->entry_inv_since_store)
			s->tlb_before_entry_inv = true;
		s->tlb_since_store = true;
		return;
	}
	/* An interrupt remapping entry translates no DMA: no device TLB holds it */
	if (inv->kind != ESYNC_INV_DEVTLB || !named || !for_device(s, inv) ||
	    s->format == ESYNC_FMT_AMD_IRTE || s->format == ESYNC_FMT_AMD_IRTE32)
		return;
	/*
	 * SMMU: until the new STE/CD's invalidation has completed, the SMMU
	 * may still hand the device the old one, to refill its ATC from
	 */
	if (inv->family == ESYNC_FAMILY_SMMU && s->win_stores) {
		esync_inv_describe(inv, cmd, sizeof(cmd));
		esync_report(s, ESYNC_CHK_F3, s->step,
			     "%s was issued before the invalidation of the new entry completed (%u store%s since the last completed sync): the device can refill its ATC from the old entry",
			     cmd, s->win_stores, s->win_stores == 1 ? "" : "s");
	}
	/*
	 * (An entry that was not present cached nothing to refill from: its
	 * setup owes no IOTLB invalidation)
	 */
	if (inv->family == ESYNC_FAMILY_VTD && !s->tlb_since_store &&
	    (s->format != ESYNC_FMT_VTD_PASID || (s->cur[0] & 1))) {
		esync_inv_describe(inv, cmd, sizeof(cmd));
		esync_report(s, ESYNC_CHK_F3, s->step,
			     "%s was issued with no IOTLB invalidation of the entry's domain (DID/PASID) before it since the last store: the IOTLB must be invalidated first",
			     cmd);
	}
	if (fenced_blocking(s))
		return;
	if (!s->devtlb++)
		s->devtlb_step = s->step;
}

static void f3_final(struct esync_seq *s)
{
	if (s->devtlb > 1)
		esync_report(s, ESYNC_CHK_F3, 0,
			     "the device TLB was invalidated %u times for one update, expected once after the new entry",
			     s->devtlb);
}

const struct esync_checker esync_check_f3 = {
	.id = ESYNC_CHK_F3,
	.after_store = f3_after_store,
	.command = f3_command,
	.final = f3_final,
};
