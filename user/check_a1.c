// SPDX-License-Identifier: GPL-2.0-only
/*
 * A1 alias coverage: after an AMD DTE or IRTE change for device D, every DMA
 * alias of D (from the topology: what pci_for_each_dma_alias() visits, plus
 * IVRS aliases; D itself too where F1 does not judge it) needs its own
 * invalidation, completed by a successful
 * completion, since the IOMMU caches the entry under the requester ID the
 * DMA or MSI actually carries.  An alias flush that was issued but never
 * waited for (or whose wait failed) does not count.
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
	s->a1_done_nr = 0;
	s->a1_all = s->a1_all_done = false;
}

/* Index of dev among the invalidated ones, or -1. */
static int find(const struct esync_seq *s, uint32_t dev)
{
	for (unsigned int i = 0; i < s->a1_nr; i++)
		if (s->a1_dev[i] == (dev & 0xffff))
			return (int)i;
	return -1;
}

static bool completed(const struct esync_seq *s, uint32_t dev)
{
	int i = find(s, dev);

	return s->a1_all_done || (i >= 0 && (unsigned int)i < s->a1_done_nr);
}

static void a1_command(struct esync_seq *s, const struct esync_inv *inv,
		       bool covers, bool named)
{
	if (!applies(s) || !s->nr_stores || !esync_inv_same_cache(s, inv))
		return;
	if (inv->target == ESYNC_INVT_ALL) {
		/* The first since the last store: a wait behind it completes it */
		if (!s->a1_all)
			s->a1_all_order = s->cmd_order;
		s->a1_all = true;
		return;
	}
	/* Only D and its aliases matter (the table holds them all) */
	if ((inv->dev & 0xffff) != (s->dev & 0xffff) && !esync_seq_is_alias(s, inv->dev))
		return;
	/* Once completed after the last store, an alias stays covered */
	if (find(s, inv->dev) < 0 && s->a1_nr < ESYNC_A1_MAX) {
		s->a1_order[s->a1_nr] = s->cmd_order;
		s->a1_dev[s->a1_nr++] = inv->dev & 0xffff;
	}
}

static void a1_completion(struct esync_seq *s, const struct esync_inv *inv,
			  bool ok, bool done, bool named)
{
	if (!applies(s))
		return;
	/*
	 * A failed wait completes nothing, but the flushes stay queued: the
	 * next wait that succeeds completes them
	 */
	if (ok) {
		/* A wait whose queue order is known completes what came before it */
		while (s->a1_done_nr < s->a1_nr &&
		       (!s->wait_order || s->a1_order[s->a1_done_nr] < s->wait_order))
			s->a1_done_nr++;
		if (s->a1_all && (!s->wait_order || s->a1_all_order < s->wait_order))
			s->a1_all_done = true;
	} else if (named) {
		s->a1_failed = true;
	}
}

/*
 * A DTE is cached under its own DeviceID only, and each alias has a DTE of
 * its own: after D's DTE changes, each alias's DTE must be cloned to the
 * same translation (a write of its own, which F1 judges); invalidating
 * the alias's ID alone leaves its old translation in force.  The clones
 * come after D's write, so D's write is held open until they are all seen
 * (or a second has passed).
 */
static bool same_translation(const struct esync_seq *a, const struct esync_seq *b)
{
	return a->now[0] == b->now[0] && a->now[1] == b->now[1];
}

/* 'clone', a DTE write that just ended, may be one that 'held' waits for */
static void a1_clone_seen(struct esync_seq *held, struct esync_seq *clone)
{
	const struct esync_alias_set *set;

	if (!held->hold || !held->a1_clone_wait || held->format != ESYNC_FMT_AMD_DTE ||
	    !same_translation(held, clone))
		return;
	set = esync_seq_aliases(held);
	for (unsigned int i = 0; set && i < set->nr && i < 64; i++)
		if ((set->alias[i] & 0xffff) == (clone->dev & 0xffff))
			held->a1_clone_wait &= ~(1ull << i);
	if (!held->a1_clone_wait)
		held->hold = false;
}

/*
 * The alias's DTE already holds the new translation: cloned before D's
 * write (its own write, which F1 judges), or left so by an earlier one
 */
static bool holds_translation(const struct esync_seq *s, uint32_t alias)
{
	const uint64_t *v = esync_seq_last_value(s, ESYNC_FMT_AMD_DTE,
						 (s->dev & ~0xffffu) | (alias & 0xffff));

	return v && v[0] == s->now[0] && v[1] == s->now[1];
}

static void a1_end(struct esync_seq *s)
{
	const struct esync_alias_set *set;

	if (s->format != ESYNC_FMT_AMD_DTE)
		return;
	esync_seq_each_on_iommu(s, a1_clone_seen);
	set = esync_seq_aliases(s);
	if (!set || !s->nr_stores)
		return;
	s->a1_clone_wait = 0;
	for (unsigned int i = 0; i < set->nr && i < 64; i++)
		if ((set->alias[i] & 0xffff) != (s->dev & 0xffff) &&
		    !holds_translation(s, set->alias[i]))
			s->a1_clone_wait |= 1ull << i;
	s->hold = s->a1_clone_wait != 0;
}

/*
 * An alias's own DTE keeps the old translation until it is cloned:
 * invalidating it alone changes nothing.  The stock kernel clones by a
 * copy the legacy collectors do not see, so there its invalidation is the
 * evidence there is.
 */
static bool needs_clone(const struct esync_seq *s)
{
	return s->format == ESYNC_FMT_AMD_DTE && !s->legacy;
}

/* The alias's DTE was cloned to the new translation after the change */
static bool cloned(const struct esync_seq *s, unsigned int i)
{
	return s->format == ESYNC_FMT_AMD_DTE && i < 64 && s->ended &&
	       !(s->a1_clone_wait & (1ull << i));
}

/* Appends id to a comma-separated list of n ids */
static void list_add(char *buf, size_t len, size_t *pos, unsigned int *n, const char *id)
{
	int w;

	if (*pos >= len)
		return;
	w = snprintf(buf + *pos, len - *pos, "%s%s", (*n)++ ? ", " : "", id);
	*pos += w > 0 ? (size_t)w : 0;
}

static void a1_final(struct esync_seq *s)
{
	const struct esync_alias_set *set;
	char missing[200], pending[200], uncloned[200], done[200], cut[200], id[16];
	size_t mpos = 0, ppos = 0, upos = 0, dpos = 0, cpos = 0;
	unsigned int nmissing = 0, npending = 0, nuncloned = 0, ndone = 0, ncut = 0, nr;
	bool self = false, f1;
	const char *what = s->format == ESYNC_FMT_AMD_DTE ? "DTE" : "IRTE";

	missing[0] = pending[0] = uncloned[0] = done[0] = cut[0] = 0;
	/* An invalidate-all clones no alias's DTE */
	if (!applies(s) || !s->nr_stores || (s->a1_all_done && !needs_clone(s)))
		return;
	set = esync_seq_aliases(s);
	nr = set ? set->nr : 0;
	/*
	 * pci_for_each_dma_alias() visits D itself first.  F1 judges D's own
	 * invalidation; where F1 does not run (legacy AMD, --only), A1 does.
	 */
	f1 = esync_seq_runs(s, ESYNC_CHK_F1);
	if (!f1) {
		self = true;
		for (unsigned int i = 0; i < nr; i++)
			self &= (set->alias[i] & 0xffff) != (s->dev & 0xffff);
	}
	for (unsigned int i = 0; i < nr + self; i++) {
		uint32_t dev = i < nr ? set->alias[i] : s->dev;
		bool is_d = (dev & 0xffff) == (s->dev & 0xffff);
		bool issued = find(s, dev) >= 0 || s->a1_all;

		if (is_d && f1)
			continue;
		/* D's own entry is the one written: nothing of it to clone */
		if (!is_d && cloned(s, i))
			continue;
		if (completed(s, dev) && (is_d || !needs_clone(s)))
			continue;
		esync_devid_str(dev, id, sizeof(id));
		/* The input ended while the write waited for this clone */
		if (!is_d && needs_clone(s) && s->hold_cut && i < 64 &&
		    (s->a1_clone_wait & 1ull << i)) {
			list_add(cut, sizeof(cut), &cpos, &ncut, id);
			continue;
		}
		if (completed(s, dev))
			list_add(uncloned, sizeof(uncloned), &upos, &nuncloned, id);
		else if (issued)
			list_add(pending, sizeof(pending), &ppos, &npending, id);
		else
			list_add(missing, sizeof(missing), &mpos, &nmissing, id);
	}
	if (ncut)
		esync_report(s, ESYNC_CHK_INCOMPLETE, s->store_step,
			     "the input ends while the DTE change waits for the clone%s of DMA alias%s %s: A1 cannot judge %s",
			     ncut > 1 ? "s" : "", ncut > 1 ? "es" : "", cut, ncut > 1 ? "them" : "it");
	if (!nmissing && !npending && !nuncloned)
		return;
	for (unsigned int i = 0; i < s->a1_done_nr; i++) {
		esync_devid_str(ESYNC_DEVID(ESYNC_DEVID_SEG(s->dev), 0, 0) | s->a1_dev[i],
				id, sizeof(id));
		list_add(done, sizeof(done), &dpos, &ndone, id);
	}
	if (s->a1_all_done)
		list_add(done, sizeof(done), &dpos, &ndone, "all (INVALIDATE_IOMMU_ALL)");
	if (nmissing)
		esync_report(s, ESYNC_CHK_A1, s->store_step,
			     "DMA alias%s %s %s after the %s change%s%s (invalidated: %s)",
			     nmissing > 1 ? "es" : "", missing,
			     s->a1_failed ? "without a successfully completed invalidation (a completion wait failed)" :
			     s->format == ESYNC_FMT_AMD_DTE ? "never invalidated nor its DTE cloned to the new translation" :
			     "never invalidated", what,
			     npending ? "; invalidated but never completed: " : "", pending,
			     ndone ? done : "none");
	else if (npending)
		esync_report(s, ESYNC_CHK_A1, s->store_step,
			     "the invalidation%s of DMA alias%s %s after the %s change %s never completed by a successful COMPLETION_WAIT%s (completed: %s)",
			     npending > 1 ? "s" : "", npending > 1 ? "es" : "", pending, what,
			     npending > 1 ? "were" : "was",
			     s->a1_failed ? " (a completion wait failed)" : "",
			     ndone ? done : "none");
	else
		esync_report(s, ESYNC_CHK_A1, s->store_step,
			     "the DTE%s of DMA alias%s %s never cloned to the new translation after the DTE change: invalidated, %s the old one (completed: %s)",
			     nuncloned > 1 ? "s" : "", nuncloned > 1 ? "es" : "", uncloned,
			     nuncloned > 1 ? "they keep" : "it keeps", ndone ? done : "none");
}

const struct esync_checker esync_check_a1 = {
	.id = ESYNC_CHK_A1,
	.after_store = a1_after_store,
	.command = a1_command,
	.completion = a1_completion,
	.end = a1_end,
	.final = a1_final,
};
