// SPDX-License-Identifier: GPL-2.0-only
/*
 * A1 alias coverage: after an AMD DTE or IRTE change for device D, every DMA
 * alias of D (from the topology: what pci_for_each_dma_alias() visits, plus
 * IVRS aliases) needs its own invalidation, since the IOMMU caches the entry
 * under the requester ID the DMA or MSI actually carries.
 */
#include <stdio.h>

#include "checker.h"

static bool applies(const struct esync_seq *s)
{
	return s->format == ESYNC_FMT_AMD_DTE || s->format == ESYNC_FMT_AMD_IRTE ||
	       s->format == ESYNC_FMT_AMD_IRTE32;
}

static void a1_after_store(struct esync_seq *s, unsigned int q)
{
	s->a1_nr = 0;
	s->a1_all = false;
}

static bool seen(const struct esync_seq *s, uint32_t dev)
{
	for (unsigned int i = 0; i < s->a1_nr; i++)
		if (s->a1_dev[i] == (dev & 0xffff))
			return true;
	return false;
}

static void a1_command(struct esync_seq *s, const struct esync_inv *inv,
		       bool covers)
{
	if (!applies(s) || !s->nr_stores || !esync_inv_same_cache(s, inv))
		return;
	if (inv->target == ESYNC_INVT_ALL)
		s->a1_all = true;
	else if (!seen(s, inv->dev) && s->a1_nr < ESYNC_A1_MAX)
		s->a1_dev[s->a1_nr++] = inv->dev & 0xffff;
}

static void a1_final(struct esync_seq *s)
{
	const struct esync_alias_set *set;
	char missing[200] = "", done[200] = "", id[16];
	size_t mpos = 0, dpos = 0;
	unsigned int nmissing = 0;
	int n;

	if (!applies(s) || !s->nr_stores || s->a1_all)
		return;
	set = esync_seq_aliases(s);
	if (!set)
		return;
	for (unsigned int i = 0; i < set->nr; i++) {
		if (seen(s, set->alias[i]) || mpos >= sizeof(missing))
			continue;
		esync_devid_str(set->alias[i], id, sizeof(id));
		n = snprintf(missing + mpos, sizeof(missing) - mpos, "%s%s",
			     nmissing++ ? ", " : "", id);
		mpos += n > 0 ? (size_t)n : 0;
	}
	if (!nmissing)
		return;
	for (unsigned int i = 0; i < s->a1_nr && dpos < sizeof(done); i++) {
		esync_devid_str(ESYNC_DEVID(ESYNC_DEVID_SEG(s->dev), 0, 0) | s->a1_dev[i],
				id, sizeof(id));
		n = snprintf(done + dpos, sizeof(done) - dpos, "%s%s", i ? ", " : "", id);
		dpos += n > 0 ? (size_t)n : 0;
	}
	esync_report(s, ESYNC_CHK_A1, s->store_step,
		     "DMA alias%s %s never invalidated after the %s change (invalidated: %s)",
		     nmissing > 1 ? "es" : "", missing,
		     s->format == ESYNC_FMT_AMD_DTE ? "DTE" : "IRTE",
		     s->a1_nr ? done : "none");
}

const struct esync_checker esync_check_a1 = {
	.id = ESYNC_CHK_A1,
	.after_store = a1_after_store,
	.command = a1_command,
	.final = a1_final,
};
