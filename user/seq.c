// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sequence reconstruction.  Open writes are indexed three ways: by entry
 * address (stores, syncs, write-end), by sequence id (commands and
 * completions that name their write) and, once ended, by task (a task's
 * next write closes its ended ones); each is also on a list of the writes
 * open on its IOMMU (commands that name no write) and on one list in begin order
 * (eviction, end of input).  Finished writes go back to a free list, so
 * memory follows the number of writes open at once, which max_open bounds.
 *
 * A write is "open" from its write-begin until its write-end and then the
 * commands its task issues right after it (VT-d's IOTLB and device-TLB
 * flushes, AMD's alias flushes come after the writer).  An ended write is
 * finished by the next write-begin of its task, by ESYNC_AFTER_CMDS
 * commands after its end, by a second of trace time, or by the end of the
 * input.  Inputs that do not say which task wrote (tid 0) keep the older
 * rule: the next write-begin on the IOMMU or the first completion after
 * commands that followed the end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static const struct esync_checker *const all_checkers[] = {
	&esync_check_h1, &esync_check_h2, &esync_check_h3, &esync_check_h4,
	&esync_check_h5, &esync_check_f1, &esync_check_f2, &esync_check_f3,
	&esync_check_a1, &esync_check_u1,
};

#define NR_CHECKERS (sizeof(all_checkers) / sizeof(all_checkers[0]))

/* Commands a task issues after its write-end that still belong to it. */
#define ESYNC_AFTER_CMDS	64
/* How long (trace time) an ended write waits for its task's commands. */
#define ESYNC_LINGER_NS		1000000000ull

struct index {
	struct esync_seq **b;
	size_t n;		/* power of two */
};

/*
 * The last write of each entry key, so that a fault can be linked to the
 * write behind it in O(1): (format, IOMMU, device, substream) for CDs and
 * PASID entries, which a fault names by substream; (format, IOMMU, device)
 * for the others (an IRTE fault does not say which IRTE).  Records are
 * never freed: there is one per key the input wrote.
 */
struct last_write {
	uint64_t seq, entry, ts_begin, ts_end;
	uint64_t value[ESYNC_EV_MAX_WORDS];
	uint32_t dev, sub, findings;
	uint32_t entry_sub;	/* the written entry's substream */
	uint16_t format, iommu;
	uint8_t words;
	struct carry *carry;	/* the window it left open, if any */
};

/*
 * The torn-view window a write left open: its last stores were never
 * fenced by a completed sync (F1 lets that pass while every view is
 * non-valid).  The hardware may still fetch those values, so the next
 * write of the entry starts its window from them, not from its
 * write-begin's value alone.
 */
struct carry {
	uint64_t entry;
	uint8_t words;
	bool overflow;
	uint8_t nwin[ESYNC_MAX_QUANTA];
	uint64_t win[ESYNC_WIN_MAX][ESYNC_EV_MAX_WORDS];
};

#define SUB_ANY	(~0u)

/* The substream part of a format's key */
static uint32_t key_sub(unsigned int format, uint32_t sub)
{
	return format == ESYNC_FMT_SMMU_CD || format == ESYNC_FMT_VTD_PASID ? sub : SUB_ANY;
}

struct esync_engine {
	struct esync_engine_sink sink;
	/* Per hook, the checkers that have it (the event path walks no others) */
	struct hook_list {
		const struct esync_checker *c[NR_CHECKERS];
		unsigned int n;
	} begin, before_store, after_store, used, command, completion, window,
	  end, final;
	uint32_t mask;
	uint32_t input;		/* ESYNC_IN_* */
	bool loss_marked;	/* a loss marked where it happened, not counted yet */
	size_t max_open;
	struct index by_entry, by_seq, by_tid;
	size_t nopen;
	struct esync_seq *open;		/* oldest first */
	struct esync_seq *open_tail;
	struct esync_seq *ended_head, *ended_tail;
	/* per IOMMU id */
	struct iommu_state {
		struct esync_seq *open;	/* the writes open on it */
		/* VT-d: the newest traced queue slot (+ 1), unwrapped (0: none) */
		uint64_t qpos;
		uint32_t slot;
	} *iommu;
	size_t niommu;
	uint64_t order;			/* command and completion events so far */
	/*
	 * Waits queued by tasks in no write whose result comes as an event
	 * of its own (AMD COMPLETION_WAIT, SMMU CMD_SYNC): their result
	 * completes only what was queued before them, and only if it
	 * succeeded.  One whose task goes on without a result is settled as
	 * done then.
	 */
	struct unnamed_wait {
		uint64_t order;
		uint64_t owner;		/* wait_owner() */
		uint16_t iommu;
		uint8_t family;
	} *uw;			/* oldest first */
	size_t nuw, uw_cap;
	struct esync_seq *free;
	void **chunks;
	size_t nchunks;
	struct esync_topology topo;
	size_t topo_cap;
	struct last_write *lw;		/* records, lw_nr used */
	size_t lw_nr, lw_cap;
	uint32_t *lw_ix;		/* open addressing: record + 1, 0 free */
	size_t lw_ix_n;			/* power of two, 0 before the first write */
	struct esync_stats st;
};

#define CHUNK_SEQS 64

static size_t hash64(uint64_t k, size_t n)
{
	return (size_t)((k ^ k >> 29) * 0x9e3779b97f4a7c15ull >> 20) & (n - 1);
}

/*
 * Write seqs count up: consecutive ones go to consecutive buckets, so
 * that a table grown large by writes that never end still costs the
 * writes of the moment no cache miss (the high bits are folded in).
 */
static size_t hash_seq(uint64_t k, size_t n)
{
	return (size_t)(k ^ (k >> 32) * 0x9e3779b9u) & (n - 1);
}

/* The three indexes differ only in key, link and hash */
#define INDEX_OPS(name, key, link, hash)					\
static void name##_add(struct index *ix, struct esync_seq *s)			\
{										\
	size_t h = hash(key(s), ix->n);						\
										\
	s->link = ix->b[h];							\
	ix->b[h] = s;								\
}										\
static void name##_del(struct index *ix, struct esync_seq *s)			\
{										\
	struct esync_seq **pp = &ix->b[hash(key(s), ix->n)];			\
										\
	while (*pp && *pp != s)							\
		pp = &(*pp)->link;						\
	if (*pp)								\
		*pp = s->link;							\
}										\
static int name##_grow(struct index *ix)					\
{										\
	size_t n = ix->n * 2;							\
	struct esync_seq **b = calloc(n, sizeof(*b));				\
										\
	if (!b)									\
		return -1;							\
	for (size_t i = 0; i < ix->n; i++) {					\
		struct esync_seq *s = ix->b[i], *next;				\
										\
		for (; s; s = next) {						\
			size_t h = hash(key(s), n);				\
										\
			next = s->link;						\
			s->link = b[h];						\
			b[h] = s;						\
		}								\
	}									\
	free(ix->b);								\
	ix->b = b;								\
	ix->n = n;								\
	return 0;								\
}

/*
 * The key ended writes are indexed under by task: the task, or for inputs
 * that do not say which task wrote, the IOMMU (its writes stand for one).
 */
static uint64_t task_key(uint32_t tid, uint16_t iommu)
{
	return tid ? tid : 1ull << 32 | iommu;
}

#define ENTRY_KEY(s) ((s)->entry)
#define SEQ_KEY(s) ((s)->id)
#define TASK_KEY(s) task_key((s)->tid, (s)->iommu)

INDEX_OPS(ientry, ENTRY_KEY, hnext, hash64)
INDEX_OPS(iseq, SEQ_KEY, snext, hash_seq)
INDEX_OPS(itid, TASK_KEY, tnext, hash64)

static struct esync_seq *lookup_entry(const struct esync_engine *e, uint64_t entry)
{
	struct esync_seq *s = e->by_entry.b[hash64(entry, e->by_entry.n)];

	while (s && s->entry != entry)
		s = s->hnext;
	return s;
}

static struct esync_seq *lookup_seq(const struct esync_engine *e, uint64_t id,
				    uint16_t iommu)
{
	struct esync_seq *s = e->by_seq.b[hash_seq(id, e->by_seq.n)];

	while (s && (s->id != id || s->iommu != iommu))
		s = s->snext;
	return s;
}

static struct esync_seq *seq_alloc(struct esync_engine *e)
{
	struct esync_seq *s;

	if (!e->free) {
		struct esync_seq *c = calloc(CHUNK_SEQS, sizeof(*c));
		void **chunks = realloc(e->chunks, (e->nchunks + 1) * sizeof(*chunks));

		if (!c || !chunks) {
			free(c);
			if (chunks)
				e->chunks = chunks;
			return NULL;
		}
		e->chunks = chunks;
		e->chunks[e->nchunks++] = c;
		for (int i = 0; i < CHUNK_SEQS; i++) {
			c[i].hnext = e->free;
			e->free = &c[i];
		}
	}
	s = e->free;
	e->free = s->hnext;
	return s;
}

/* What the engine keeps of an IOMMU; NULL on ENOMEM. */
static struct iommu_state *iommu_state(struct esync_engine *e, uint16_t iommu)
{
	if (iommu >= e->niommu) {
		size_t n = e->niommu ? e->niommu : 4;
		struct iommu_state *p;

		while (n <= iommu)
			n *= 2;
		p = realloc(e->iommu, n * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + e->niommu, 0, (n - e->niommu) * sizeof(*p));
		e->iommu = p;
		e->niommu = n;
	}
	return &e->iommu[iommu];
}

/*
 * Queue order of a VT-d descriptor or wait (inv->slot: slot + 1; 0: not
 * traced), once per event.  Descriptors are traced in the order their
 * slots were taken, and the slots in use at once span less than a turn, so
 * a descriptor is the newest plus how far its slot is ahead; a turn missed
 * between two traced ones (descriptors the collector did not keep) shifts
 * every later position by whole turns, which keeps their order.  A wait
 * was taken right after its batch, less than a turn before the newest
 * descriptor: exact when its batch was traced (wait_orders() says when).
 */
static uint64_t vtd_qpos(struct esync_engine *e, const union esync_event *ev,
			 struct esync_inv *inv)
{
	struct iommu_state *st;
	uint32_t ahead, behind;

	if (!inv->slot || !(st = iommu_state(e, ev->hdr.iommu)))
		return 0;
	if (ev->hdr.kind == ESYNC_EV_COMPLETION) {
		behind = (st->slot + 1 - inv->slot) % ESYNC_VTD_QI_SLOTS;
		inv->qpos_near = behind < ESYNC_VTD_QI_SLOTS / 2;
		return st->qpos ? st->qpos + 1 - behind : 0;
	}
	ahead = (inv->slot - st->slot) % ESYNC_VTD_QI_SLOTS;
	st->qpos = st->qpos ? st->qpos + (ahead ? ahead : ESYNC_VTD_QI_SLOTS) :
			      ESYNC_VTD_QI_SLOTS + inv->slot;
	st->slot = inv->slot;
	return st->qpos;
}

/*
 * Whether the queue order of wait inv is exact for write s: for the wait
 * of a write whose own descriptors came with slots, and for every wait of
 * an input that traced every descriptor (one that does not attribute
 * commands).  The live collectors, which do, drop the TLB invalidations
 * of tasks in no write, so a wait of no write whose batch went untraced
 * may sit ahead of the newest traced descriptor, where its slot reads as
 * almost a turn behind: only a wait less than half a turn behind is
 * placed.
 */
static bool wait_orders(const struct esync_engine *e, const struct esync_seq *s,
			const struct esync_inv *inv, bool named)
{
	if (!inv->qpos)
		return false;
	if (named)
		return s->own_qpos && inv->qpos > s->own_qpos;
	return !(e->input & ESYNC_IN_ATTRIBUTED) || inv->qpos_near;
}

static struct esync_seq *iommu_first(const struct esync_engine *e, uint16_t iommu)
{
	return iommu < e->niommu ? e->iommu[iommu].open : NULL;
}


static void seq_unlink(struct esync_engine *e, struct esync_seq *s)
{
	ientry_del(&e->by_entry, s);
	if (s->id)
		iseq_del(&e->by_seq, s);
	if (s->ended)
		itid_del(&e->by_tid, s);
	if (s->oprev)
		s->oprev->onext = s->onext;
	else
		e->open = s->onext;
	if (s->onext)
		s->onext->oprev = s->oprev;
	else
		e->open_tail = s->oprev;
	if (s->iprev)
		s->iprev->inext = s->inext;
	else
		e->iommu[s->iommu].open = s->inext;
	if (s->inext)
		s->inext->iprev = s->iprev;
	if (s->ended) {
		if (s->eprev)
			s->eprev->enext = s->enext;
		else
			e->ended_head = s->enext;
		if (s->enext)
			s->enext->eprev = s->eprev;
		else
			e->ended_tail = s->eprev;
	}
	e->nopen--;
}

static size_t lw_hash(uint16_t format, uint16_t iommu, uint32_t dev, uint32_t sub)
{
	uint64_t k = (uint64_t)dev << 32 ^ sub ^ (uint64_t)format << 56 ^
		     (uint64_t)iommu << 40;

	return (size_t)((k ^ k >> 29) * 0x9e3779b97f4a7c15ull >> 16);
}

/* The record of a key, +1; 0 if none. */
static uint32_t lw_find(const struct esync_engine *e, uint16_t format,
			uint16_t iommu, uint32_t dev, uint32_t sub)
{
	size_t mask = e->lw_ix_n - 1;

	if (!e->lw_ix_n)
		return 0;
	for (size_t h = lw_hash(format, iommu, dev, sub) & mask;; h = (h + 1) & mask) {
		uint32_t i = e->lw_ix[h];
		const struct last_write *r;

		if (!i)
			return 0;
		r = &e->lw[i - 1];
		if (r->format == format && r->iommu == iommu && r->dev == dev &&
		    r->sub == sub)
			return i;
	}
}

static void lw_insert_ix(uint32_t *ix, size_t n, const struct last_write *r,
			 uint32_t i)
{
	size_t h = lw_hash(r->format, r->iommu, r->dev, r->sub) & (n - 1);

	while (ix[h])
		h = (h + 1) & (n - 1);
	ix[h] = i;
}

/* The record of a key, made if new (+1); 0 on ENOMEM. */
static uint32_t lw_get(struct esync_engine *e, uint16_t format, uint16_t iommu,
		       uint32_t dev, uint32_t sub)
{
	uint32_t i = lw_find(e, format, iommu, dev, sub);
	struct last_write *r;

	if (i)
		return i;
	if ((e->lw_nr + 1) * 2 > e->lw_ix_n) {
		size_t n = e->lw_ix_n ? e->lw_ix_n * 2 : 256;
		uint32_t *ix = calloc(n, sizeof(*ix));

		if (!ix)
			return 0;
		for (size_t k = 0; k < e->lw_nr; k++)
			lw_insert_ix(ix, n, &e->lw[k], (uint32_t)k + 1);
		free(e->lw_ix);
		e->lw_ix = ix;
		e->lw_ix_n = n;
	}
	if (e->lw_nr == e->lw_cap) {
		size_t cap = e->lw_cap ? e->lw_cap * 2 : 128;
		void *p = realloc(e->lw, cap * sizeof(*e->lw));

		if (!p)
			return 0;
		e->lw = p;
		e->lw_cap = cap;
	}
	r = &e->lw[e->lw_nr++];
	memset(r, 0, sizeof(*r));
	r->format = format;
	r->iommu = iommu;
	r->dev = dev;
	r->sub = sub;
	lw_insert_ix(e->lw_ix, e->lw_ix_n, r, (uint32_t)e->lw_nr);
	return (uint32_t)e->lw_nr;
}

/* s is now the last write of its key. */
static void lw_begin(struct esync_engine *e, struct esync_seq *s)
{
	struct last_write *r;

	s->last = lw_get(e, s->format, s->iommu, s->dev, key_sub(s->format, s->sub));
	if (!s->last)
		return;
	r = &e->lw[s->last - 1];
	r->seq = s->id;
	r->entry = s->entry;
	r->entry_sub = s->sub;
	r->ts_begin = s->ts_begin;
	r->ts_end = 0;
	r->findings = 0;
	r->words = 0;
}

/* s's record, unless a later write of its key has taken it over */
static struct last_write *lw_of(struct esync_engine *e, const struct esync_seq *s)
{
	struct last_write *r = s->last ? &e->lw[s->last - 1] : NULL;

	return r && r->ts_begin == s->ts_begin && r->seq == s->id ? r : NULL;
}

/* s ended (or is done without an end): what it left in the entry. */
static void lw_end(struct esync_engine *e, struct esync_seq *s, uint64_t ts)
{
	struct last_write *r = lw_of(e, s);

	if (!r || r->ts_end)
		return;
	r->ts_end = ts ? ts : 1;
	r->words = (uint8_t)s->words;
	memcpy(r->value, s->now, s->words * sizeof(uint64_t));
}

const uint64_t *esync_seq_last_value(const struct esync_seq *s, unsigned int format,
				     uint32_t dev)
{
	const struct esync_engine *e = s->eng;
	uint32_t i = lw_find(e, (uint16_t)format, s->iommu, dev, key_sub(format, 0));
	const struct last_write *r = i ? &e->lw[i - 1] : NULL;

	return r && r->ts_end && r->words ? r->value : NULL;
}

bool esync_seq_runs(const struct esync_seq *s, unsigned int check)
{
	return !(s->off & (1u << check)) && (s->eng->mask & (1u << check));
}

void esync_report(struct esync_seq *s, unsigned int check, unsigned int step,
		  const char *fmt, ...)
{
	struct esync_engine *e = s->eng;
	struct esync_finding f;
	va_list ap;

	if ((s->reported | s->off) & (1u << check))
		return;
	s->reported |= 1u << check;
	f.check = check;
	f.step = step;
	f.seq = s->id;
	f.entry = s->entry;
	f.ts_ns = s->ts_last;
	f.dev = s->dev;
	f.sub = s->sub;
	f.iommu = s->iommu;
	f.format = s->format;
	va_start(ap, fmt);
	vsnprintf(f.evidence, sizeof(f.evidence), fmt, ap);
	va_end(ap);
	e->st.findings[check]++;
	if (lw_of(e, s))
		lw_of(e, s)->findings |= 1u << check;
	if (e->sink.finding)
		e->sink.finding(e->sink.ctx, &f);
}

static bool amd_format(unsigned int format)
{
	return format == ESYNC_FMT_AMD_DTE || format == ESYNC_FMT_AMD_IRTE ||
	       format == ESYNC_FMT_AMD_IRTE32;
}

/*
 * An AMD write names its device by the 16-bit DeviceID the IOMMU knows it
 * by, with no PCI segment: it is looked up on every segment, and a
 * DeviceID that several segments have gives no set (*ambiguous).
 */
static const struct esync_alias_set *aliases_of(const struct esync_seq *s, bool *ambiguous)
{
	*ambiguous = false;
	if (amd_format(s->format) && s->dev <= 0xffff)
		return esync_topology_find_devid(&s->eng->topo, (uint16_t)s->dev, ambiguous);
	return esync_topology_find(&s->eng->topo, s->dev);
}

const struct esync_alias_set *esync_seq_aliases(const struct esync_seq *s)
{
	bool ambiguous;

	return aliases_of(s, &ambiguous);
}

/*
 * A whole AMD write A1 would judge, whose DeviceID several PCI segments
 * of the topology have: A1 did not judge it.  (A DeviceID the topology
 * does not have is no PCI function, an IOAPIC's or an HPET's: its DMA
 * aliases are the IVRS aliases, which a set of another device lists.)
 */
static void count_ambiguous_aliases(struct esync_engine *e, const struct esync_seq *s)
{
	bool ambiguous;

	if (!amd_format(s->format) || !(e->mask & ~s->off & (1u << ESYNC_CHK_A1)) ||
	    aliases_of(s, &ambiguous) || !ambiguous)
		return;
	if (!e->st.a1_ambiguous++) {
		e->st.a1_ambiguous_dev = s->dev;
		e->st.a1_ambiguous_iommu = s->iommu;
	}
}

bool esync_seq_is_alias(const struct esync_seq *s, uint32_t dev)
{
	const struct esync_alias_set *set = esync_seq_aliases(s);

	if (!set)
		return false;
	for (unsigned int i = 0; i < set->nr; i++)
		if ((set->alias[i] & 0xffff) == (dev & 0xffff))
			return true;
	return false;
}

void esync_seq_each_on_iommu(struct esync_seq *s,
			     void (*fn)(struct esync_seq *other, struct esync_seq *s))
{
	struct esync_seq *o, *n;

	for (o = iommu_first(s->eng, s->iommu); o; o = n) {
		n = o->inext;
		if (o != s)
			fn(o, s);
	}
}

bool esync_inv_same_cache(const struct esync_seq *s, const struct esync_inv *inv)
{
	if (inv->kind != ESYNC_INV_ENTRY)
		return false;
	switch (s->format) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_TEST:
		return inv->target == ESYNC_INVT_STE || inv->target == ESYNC_INVT_ALL;
	case ESYNC_FMT_SMMU_CD:
		return inv->target == ESYNC_INVT_CD || inv->target == ESYNC_INVT_ALL;
	case ESYNC_FMT_VTD_PASID:
		return inv->target == ESYNC_INVT_PASID;
	case ESYNC_FMT_AMD_DTE:
		return inv->target == ESYNC_INVT_DTE || inv->target == ESYNC_INVT_ALL;
	case ESYNC_FMT_AMD_IRTE:
	case ESYNC_FMT_AMD_IRTE32:
		return inv->target == ESYNC_INVT_IRT || inv->target == ESYNC_INVT_ALL;
	}
	return false;
}

/* The PASID cache is tagged by DID: any DID the entry held may be cached. */
bool esync_seq_has_did(const struct esync_seq *s, uint32_t did)
{
	const struct esync_field *f = s->did_field;

	if (!f)
		return true;
	return esync_field_get(f, s->cur) == did ||
	       esync_field_get(f, s->target) == did ||
	       esync_field_get(f, s->now) == did;
}

bool esync_seq_vtd_tlb_reaches(const struct esync_seq *s, const struct esync_inv *inv)
{
	const uint64_t *vals[3] = { s->cur, s->target, s->now };

	if (!s->did_field || !inv->has_did)
		return true;
	for (unsigned int i = 0; i < 3; i++) {
		unsigned int pgtt = (unsigned int)(vals[i][0] >> 6) & 7;
		/* Second-stage and nested: the domain's IOTLB (2); else the PASID IOTLB (6) */
		bool domain = pgtt == 2 || pgtt == 3;

		if (!(vals[i][0] & 1) || !pgtt || pgtt > 4 ||
		    esync_field_get(s->did_field, vals[i]) != inv->did)
			continue;
		if ((inv->opcode == 2) == domain)
			return true;
	}
	return false;
}

bool esync_inv_covers(const struct esync_seq *s, const struct esync_inv *inv)
{
	if (!esync_inv_same_cache(s, inv))
		return false;
	if (inv->target == ESYNC_INVT_ALL)
		return true;
	switch (s->format) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_TEST:
		return s->dev - inv->dev < inv->dev_span;
	case ESYNC_FMT_SMMU_CD:
		return inv->dev == s->dev && (!inv->has_sub || inv->sub == s->sub);
	case ESYNC_FMT_VTD_PASID:
		return (!inv->has_did || esync_seq_has_did(s, inv->did)) &&
		       (!inv->has_sub || inv->sub == s->sub);
	default:	/* AMD: DeviceID in the command, no segment */
		return inv->dev == (s->dev & 0xffff);
	}
}

static bool checking(const struct esync_seq *s)
{
	return s->fmt && !s->incomplete;
}

#define FOR_CHECKERS(e, c, hook)					\
	for (unsigned int i__ = 0; i__ < (e)->hook.n &&			\
	     ((c) = (e)->hook.c[i__]); i__++)

/* VT-d: no DID invalidated yet for the values the window holds now */
static void dids_unflushed(struct esync_seq *s)
{
	s->ndid_flushed = 0;
	s->did_all_flushed = false;
}

static void window_reset(struct esync_seq *s)
{
	memcpy(s->win[0], s->now, sizeof(s->win[0]));
	memset(s->nwin, 1, sizeof(s->nwin));
	s->win_views = 1;
	s->win_nvary = 0;
	s->win_stores = 0;
	s->win_overflow = false;
	s->win_carried = false;
	dids_unflushed(s);
}

/* Adds v to the values quanta q held in the window. */
static void window_add(struct esync_seq *s, unsigned int q, const uint64_t v[2])
{
	unsigned int k;

	for (k = 0; k < s->nwin[q]; k++) {
		const uint64_t *w = esync_win_val(s, k, q);

		if (w[0] == v[0] && (s->qwords == 1 || w[1] == v[1]))
			return;
	}
	if (k < ESYNC_WIN_MAX) {
		esync_quanta_put(s, s->win[k], q, v);
		s->win_views = s->win_views / k * (k + 1);
		s->nwin[q]++;
		if (k == 1) {
			/* q varies from now on: into win_vary, kept in quanta order */
			unsigned int j = s->win_nvary++;

			for (; j && s->win_vary[j - 1] > q; j--)
				s->win_vary[j] = s->win_vary[j - 1];
			s->win_vary[j] = (uint8_t)q;
		}
	} else {
		s->win_overflow = true;
	}
}

uint32_t esync_legacy_checks(unsigned int format)
{
	uint32_t all = (1u << ESYNC_CHK_NR) - 1;
	uint32_t snapshots = all & ~(1u << ESYNC_CHK_H5 | 1u << ESYNC_CHK_U1 |
				     1u << ESYNC_CHK_A1);

	switch (format) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_SMMU_CD:
	case ESYNC_FMT_VTD_PASID:
		return snapshots;
	case ESYNC_FMT_AMD_DTE:
	case ESYNC_FMT_AMD_IRTE:
	case ESYNC_FMT_AMD_IRTE32:
		return 1u << ESYNC_CHK_H1 | 1u << ESYNC_CHK_H4 | 1u << ESYNC_CHK_A1 |
		       1u << ESYNC_CHK_INCOMPLETE;
	}
	return all;
}

static void settle_wait(struct esync_engine *e, struct esync_seq *s);

/*
 * A write whose writer did not say its target is judged against the entry
 * as the stores so far left it (and, once it ended, as it left it).
 */
static void target_now(struct esync_seq *s)
{
	if (!s->target_at_end)
		return;
	memcpy(s->target, s->now, s->words * sizeof(uint64_t));
	memset(s->target_used, 0, sizeof(s->target_used));
	s->fmt->get_used(s->target, s->target_used);
}

/* s is done: the window it leaves open goes to its key's record */
static void carry_out(struct esync_engine *e, struct esync_seq *s)
{
	struct last_write *r = lw_of(e, s);
	struct carry *k;

	if (!r)
		return;
	/* (a write that stored nothing keeps the window it took over open) */
	if (!checking(s) || (!s->win_stores && !s->win_carried) || s->legacy) {
		free(r->carry);
		r->carry = NULL;
		return;
	}
	k = r->carry ? r->carry : malloc(sizeof(*k));
	r->carry = k;
	if (!k)
		return;
	k->entry = s->entry;
	k->words = (uint8_t)s->words;
	k->overflow = s->win_overflow;
	memcpy(k->nwin, s->nwin, sizeof(k->nwin));
	memcpy(k->win, s->win, sizeof(k->win));
}

/* A write begins where an earlier one left its window open: take it over */
static void carry_in(struct esync_engine *e, struct esync_seq *s)
{
	struct last_write *r = s->last ? &e->lw[s->last - 1] : NULL;
	struct carry *k = r ? r->carry : NULL;
	uint64_t v[2];

	if (!k)
		return;
	r->carry = NULL;
	if (checking(s) && k->entry == s->entry && k->words == s->words && !s->legacy) {
		memcpy(s->win, k->win, sizeof(s->win));
		memcpy(s->nwin, k->nwin, sizeof(s->nwin));
		s->win_overflow = k->overflow;
		s->win_views = 1;
		s->win_nvary = 0;
		for (unsigned int q = 0; q < s->nq; q++) {
			s->win_views *= s->nwin[q];
			if (s->nwin[q] > 1)
				s->win_vary[s->win_nvary++] = (uint8_t)q;
		}
		/* ... and what the entry holds now, if something else wrote it since */
		for (unsigned int q = 0; q < s->nq; q++) {
			esync_quanta_get(s, s->cur, q, v);
			window_add(s, q, v);
		}
		s->win_carried = true;
	}
	free(k);
}

static void seq_finalize(struct esync_engine *e, struct esync_seq *s)
{
	const struct esync_checker *c;

	settle_wait(e, s);
	seq_unlink(e, s);
	lw_end(e, s, s->ended ? s->ts_end : s->ts_last);
	carry_out(e, s);
	if (checking(s)) {
		target_now(s);
		if (s->win_stores)
			FOR_CHECKERS(e, c, window)
				c->window(s);
		FOR_CHECKERS(e, c, final)
			c->final(s);
		if (!s->incomplete) {
			e->st.ran |= esync_seq_checks(s, e->mask);
			count_ambiguous_aliases(e, s);
		}
	}
	if (s->incomplete)
		esync_report(s, ESYNC_CHK_INCOMPLETE, s->step, "%s", s->incomplete);
	if (e->sink.seq_done)
		e->sink.seq_done(e->sink.ctx, s);
	s->hnext = e->free;
	e->free = s;
}

/* Ended writes whose task has had a second to follow up are done. */
static void expire(struct esync_engine *e, uint64_t now)
{
	while (e->ended_head && now - e->ended_head->ts_end > ESYNC_LINGER_NS &&
	       now > e->ended_head->ts_end)
		seq_finalize(e, e->ended_head);
}

/* The field a VT-d PASID entry's cache tag (DID) lives in; looked up once. */
static const struct esync_field *did_field(const struct esync_format *f)
{
	static const struct esync_format *cached_fmt;
	static const struct esync_field *cached;

	if (f != cached_fmt) {
		cached = NULL;
		for (unsigned int i = 0; i < f->nr_fields; i++)
			if (!strcmp(f->fields[i].name, "DID"))
				cached = &f->fields[i];
		cached_fmt = f;
	}
	return cached;
}

static const struct esync_format *model_for(const struct esync_ev_write_begin *b)
{
	const struct esync_format *f = esync_format_by_id(b->format);

	if (f && b->format == ESYNC_FMT_TEST &&
	    (f->num_quanta != b->num_quanta || f->vbit_quanta != b->vbit_quanta ||
	     f->quanta_bits != b->quanta_bits))
		f = esync_format_test_variant(b->num_quanta, b->vbit_quanta,
					      b->quanta_bits);
	return f;
}

/*
 * A 32-bit IRTE travels as one 64-bit quantum holding it zero-extended;
 * dumps of the generator of esync 1.x said 32 bits for the same word.
 */
static bool quanta_bits_fit(const struct esync_format *f, unsigned int bits)
{
	return bits == f->quanta_bits || (f->id == ESYNC_FMT_AMD_IRTE32 && bits == 32);
}

static int make_room(struct esync_engine *e)
{
	while (e->nopen >= e->max_open && e->open) {
		struct esync_seq *s = e->open;

		/* Also one that ended: commands of its may still come after its end */
		if (!s->incomplete) {
			s->incomplete = s->ended ?
				"more writes open at once than --max-open allows: this one was cut before the commands after its write-end were all seen" :
				"more writes open at once than --max-open allows: this one was cut";
			e->st.evicted++;
		}
		seq_finalize(e, s);
	}
	if (e->nopen >= e->by_entry.n &&
	    (ientry_grow(&e->by_entry) < 0 || iseq_grow(&e->by_seq) < 0 ||
	     itid_grow(&e->by_tid) < 0))
		return -1;
	return 0;
}

/* Writes that ended and get no more commands before this write-begin. */
static void close_previous(struct esync_engine *e, const struct esync_ev_hdr *h)
{
	uint64_t key = task_key(h->tid, h->iommu);
	struct esync_seq *s, *n;

	for (s = e->by_tid.b[hash64(key, e->by_tid.n)]; s; s = n) {
		n = s->tnext;
		if (TASK_KEY(s) == key && !s->hold)
			seq_finalize(e, s);
	}
}

/*
 * A write-begin of another task than s's, both named: where the input says
 * who writes, a second writer of the entry, not the end of s.
 */
static bool other_writer(const struct esync_engine *e, const struct esync_seq *s,
			 const struct esync_ev_hdr *h)
{
	return (e->input & ESYNC_IN_ATTRIBUTED) && s->tid && h->tid && s->tid != h->tid &&
	       s->id && h->seq && s->id != h->seq;
}

static void on_begin(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_write_begin *b = &ev->begin;
	const struct esync_checker *c;
	struct esync_seq *s;
	struct iommu_state *st;

	s = lookup_entry(e, b->entry);
	if (s && other_writer(e, s, &b->hdr)) {
		/*
		 * Another task writes the entry while s is open, or lingers
		 * for the commands after its end: both go on, each named by
		 * its seq, and each sees the other's stores as foreign (H5).
		 * Events of the entry that name no write go to the newest.
		 * One that ended and only lingers left its window open to
		 * the new write, as it would at its finish.
		 */
		if (s->ended)
			carry_out(e, s);
		ientry_del(&e->by_entry, s);
	} else if (s) {
		if (!s->ended)
			s->incomplete = "no write-end before the next write to this entry";
		seq_finalize(e, s);
	}
	close_previous(e, &b->hdr);
	st = iommu_state(e, b->hdr.iommu);
	if (!st || make_room(e) < 0)
		return;
	s = seq_alloc(e);
	if (!s)
		return;
	memset(s, 0, offsetof(struct esync_seq, hnext));
	s->eng = e;
	s->id = b->hdr.seq;
	s->tid = b->hdr.tid;
	s->target_at_end = b->hdr.flags & ESYNC_EVF_TARGET_AT_END;
	s->legacy = e->input & ESYNC_IN_LEGACY;
	s->off = s->legacy ? ~esync_legacy_checks(b->format) : 0;
	s->entry = b->entry;
	s->ts_begin = s->ts_last = b->hdr.ts_ns;
	s->format = b->format;
	s->iommu = b->hdr.iommu;
	s->dev = b->dev;
	s->sub = b->sub;
	s->step = 1;
	s->nq = b->num_quanta;
	s->vbit = b->vbit_quanta;
	s->qwords = b->quanta_bits == 128 ? 2 : 1;
	s->words = b->words;
	s->fmt = model_for(b);
	if (!s->fmt)
		s->incomplete = "no model for this entry format";
	else if (b->words > ESYNC_EV_MAX_WORDS || b->num_quanta > ESYNC_MAX_QUANTA)
		s->incomplete = "entry larger than the event ABI carries (512 bits)";
	else if (s->fmt->num_quanta != b->num_quanta ||
		 !quanta_bits_fit(s->fmt, b->quanta_bits) ||
		 s->fmt->vbit_quanta != b->vbit_quanta ||
		 s->fmt->words != b->words)
		s->incomplete = "quanta geometry differs from the format model";
	if (s->incomplete) {
		s->nq = 0;
		s->words = 0;
	} else {
		memcpy(s->cur, b->cur, s->words * sizeof(uint64_t));
		memcpy(s->target, b->target, s->words * sizeof(uint64_t));
		memcpy(s->now, b->cur, s->words * sizeof(uint64_t));
		memset(s->target_used, 0, sizeof(s->target_used));
		s->fmt->get_used(s->target, s->target_used);
		if (s->format == ESYNC_FMT_VTD_PASID)
			s->did_field = did_field(s->fmt);
		window_reset(s);
	}

	ientry_add(&e->by_entry, s);
	if (s->id)
		iseq_add(&e->by_seq, s);
	s->onext = NULL;
	s->oprev = e->open_tail;
	if (e->open_tail)
		e->open_tail->onext = s;
	else
		e->open = s;
	e->open_tail = s;
	s->iprev = NULL;
	s->inext = st->open;
	if (st->open)
		st->open->iprev = s;
	st->open = s;
	e->nopen++;
	if (e->nopen > e->st.max_open)
		e->st.max_open = e->nopen;
	e->st.seqs++;
	e->st.by_format[s->format & 15]++;
	lw_begin(e, s);
	carry_in(e, s);
	if (checking(s))
		FOR_CHECKERS(e, c, begin)
			c->begin(s);
}

/* The open write an entry event belongs to, or NULL (an orphan). */
static struct esync_seq *owner(struct esync_engine *e, const struct esync_ev_hdr *h,
			       uint64_t entry)
{
	/*
	 * By its seq: two writers of one entry may be open at once.  (The
	 * series' entry events carry no IOMMU: the seq and entry say which.)
	 */
	struct esync_seq *s = NULL;

	if (h->seq)
		for (s = e->by_seq.b[hash_seq(h->seq, e->by_seq.n)]; s; s = s->snext)
			if (s->id == h->seq && s->entry == entry)
				break;
	if (!s)
		s = lookup_entry(e, entry);

	if (!s || s->ended || (h->seq && s->id && h->seq != s->id)) {
		e->st.orphans++;
		return NULL;
	}
	s->ts_last = h->ts_ns;
	settle_wait(e, s);
	return s;
}

static void on_store(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_store *st = &ev->store;
	const struct esync_checker *c;
	struct esync_seq *s = owner(e, &st->hdr, st->entry);
	uint64_t v[2] = { st->new_lo, st->new_hi }, held[2];
	unsigned int q = st->index;

	if (!s || !checking(s))
		return;
	if (q >= s->nq) {
		s->incomplete = "a store to a quantum beyond the entry";
		return;
	}
	s->store_old[0] = st->old_lo;
	s->store_old[1] = s->qwords > 1 ? st->old_hi : 0;
	if (s->qwords == 1)
		v[1] = 0;
	esync_quanta_get(s, s->now, q, held);
	/*
	 * The entry held something else than esync rebuilt: someone wrote it
	 * outside the traced writer.  The hardware saw that value too.
	 */
	s->store_foreign = held[0] != s->store_old[0] || held[1] != s->store_old[1];
	if (s->store_foreign) {
		esync_quanta_put(s, s->now, q, s->store_old);
		window_add(s, q, s->store_old);
	} else if (held[0] == v[0] && held[1] == v[1] && !s->legacy) {
		/*
		 * The value it had: the hardware can see nothing new, no sync
		 * is owed.  (A legacy store may stand for a write whose values
		 * the collector could not read.)
		 */
		return;
	}
	FOR_CHECKERS(e, c, before_store)
		c->before_store(s, q);
	esync_quanta_put(s, s->now, q, v);
	window_add(s, q, v);
	if (!s->win_stores)
		s->win_step = s->step;
	s->win_stores++;
	s->nr_stores++;
	s->store_step = s->step;
	s->covered = false;
	dids_unflushed(s);
	FOR_CHECKERS(e, c, after_store)
		c->after_store(s, q);
}

static void on_sync(struct esync_engine *e, const union esync_event *ev)
{
	struct esync_seq *s = owner(e, &ev->hdr, ev->sync.entry);

	if (!s)
		return;
	s->nr_sync_events++;
	s->step++;
}

static void on_used(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_used *u = &ev->used;
	const struct esync_checker *c;
	struct esync_seq *s = owner(e, &u->hdr, u->entry);

	if (!s || !checking(s) || u->words != s->words)
		return;
	s->used_seen = true;
	FOR_CHECKERS(e, c, used)
		c->used(s, u->cur_used, u->target_used);
}

static void on_end(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_write_end *end = &ev->end;
	const struct esync_checker *c;
	struct esync_seq *s = owner(e, &end->hdr, end->entry);

	if (!s)
		return;
	s->ended = true;
	itid_add(&e->by_tid, s);
	s->ts_end = end->hdr.ts_ns;
	s->how = end->how;
	s->enext = NULL;
	s->eprev = e->ended_tail;
	if (e->ended_tail)
		e->ended_tail->enext = s;
	else
		e->ended_head = s;
	e->ended_tail = s;
	if (s->words && end->words != s->words && !s->incomplete)
		s->incomplete = "write-end reports another entry size than write-begin";
	memcpy(s->final, end->final, sizeof(s->final));
	lw_end(e, s, s->ts_end);
	if (!checking(s))
		return;
	s->end_foreign = memcmp(s->final, s->now, s->words * sizeof(uint64_t)) != 0;
	target_now(s);
	FOR_CHECKERS(e, c, end)
		c->end(s);
}

int esync_seq_unflushed_did(const struct esync_seq *s)
{
	const struct esync_field *f = s->did_field;
	unsigned int q, w, k, j;
	uint64_t view[ESYNC_EV_MAX_WORDS];

	if (!f || s->did_all_flushed || s->win_overflow)
		return -1;
	q = f->word / s->qwords;
	w = f->word % s->qwords;
	memcpy(view, s->now, sizeof(view));
	for (k = 0; k < s->nwin[q]; k++) {
		uint32_t did = (uint32_t)((esync_win_val(s, k, q)[w] >> f->lsb) &
					  (~0ull >> (64 - f->width)));

		/*
		 * Only a copy that is not the entry as it is now is stale: a
		 * present value other than now's (P and DID share quanta 0).
		 */
		esync_quanta_put(s, view, q, esync_win_val(s, k, q));
		/*
		 * now's value of the DID quanta is stale-capable too when
		 * another quanta held other values in the window: the cache
		 * may hold that torn copy under now's DID
		 */
		if ((!memcmp(view, s->now, s->words * sizeof(uint64_t)) &&
		     s->win_nvary <= (s->nwin[q] > 1)) ||
		    (q == s->fmt->vbit_quanta && !s->fmt->is_valid(view)))
			continue;
		for (j = 0; j < s->ndid_flushed && s->did_flushed[j] != did; j++)
			;
		if (j == s->ndid_flushed)
			return (int)did;
	}
	return -1;
}

/*
 * VT-d: inv covers s; is every DID under which the PASID cache may hold a
 * stale copy now invalidated (the DID of each present value the entry had
 * since the last completed sync, other than the entry as it is now; a
 * non-present entry is not cached)?
 */
static bool dids_flushed(struct esync_seq *s, const struct esync_inv *inv)
{
	unsigned int j;

	if (!inv->has_did)
		s->did_all_flushed = true;
	for (j = 0; j < s->ndid_flushed && s->did_flushed[j] != inv->did; j++)
		;
	if (!s->did_all_flushed && j == s->ndid_flushed && j < ESYNC_WIN_MAX)
		s->did_flushed[s->ndid_flushed++] = inv->did;
	return esync_seq_unflushed_did(s) < 0;
}

/* An invalidation command reaches write s. */
static void deliver(struct esync_engine *e, struct esync_seq *s,
		    const struct esync_inv *inv, bool named)
{
	const struct esync_checker *c;
	bool covers;

	s->nr_cmds++;
	s->cmd_order = e->order;
	if (s->ended) {
		s->cmds_after_end++;
		s->own_after_end += named;
	}
	if (named && inv->qpos)
		s->own_qpos = inv->qpos;
	if (!checking(s))
		return;
	covers = esync_inv_covers(s, inv);
	if (covers) {
		bool was = s->covered;

		s->covered = !s->did_field || dids_flushed(s, inv);
		if (s->covered && !was) {
			s->cover_order = e->order;
			s->cover_qpos = inv->qpos;
			s->cover_behind_wait = false;
		}
	}
	FOR_CHECKERS(e, c, command)
		c->command(s, inv, covers, named);
}

/* A completion reaches write s; ok: status 0. */
static void complete_only(struct esync_engine *e, struct esync_seq *s,
			  const struct esync_inv *inv, int status, bool named,
			  uint64_t wait_order)
{
	const struct esync_checker *c;
	bool done = false, ok = !status;
	uint64_t wait_qpos = wait_orders(e, s, inv, named) ? inv->qpos : 0;

	s->completion_status = status;
	s->wait_order = wait_order;
	if (!ok && named)
		s->sync_failed = true;

	if (checking(s)) {
		/* A command queued behind the wait is not covered by it */
		s->cover_behind_wait = ok && s->covered &&
				       ((wait_qpos && s->cover_qpos > wait_qpos) ||
					(wait_order && s->cover_order > wait_order));
		done = ok && s->covered && !s->cover_behind_wait;
		/*
		 * A failed wait leaves the invalidation queued: the next wait
		 * that succeeds completes it (the queue runs in order)
		 */
		if (done) {
			s->covered = false;
			s->nr_completed++;
			target_now(s);
			if (s->win_stores)
				FOR_CHECKERS(e, c, window)
					c->window(s);
			window_reset(s);
		}
		FOR_CHECKERS(e, c, completion)
			c->completion(s, inv, ok, done, named);
	}
}

/* ... and an input without tasks finishes s at its first completion after its end */
static void complete(struct esync_engine *e, struct esync_seq *s,
		     const struct esync_inv *inv, int status, bool named,
		     uint64_t wait_order)
{
	complete_only(e, s, inv, status, named, wait_order);
	if (s->ended && s->cmds_after_end && !s->tid && !s->hold)
		seq_finalize(e, s);
}

/*
 * An AMD COMPLETION_WAIT of s whose result came as no event: the driver
 * reports the waits of iommu_completion_wait() only, not those it does
 * itself (the IRT flush).  The task went on, so the wait returned: done,
 * status unknown.
 */
static void settle_wait(struct esync_engine *e, struct esync_seq *s)
{
	static const struct esync_inv wait = {
		.family = ESYNC_FAMILY_AMD, .kind = ESYNC_INV_COMPLETION, .opcode = 1,
	};

	if (!s->amd_wait_pending)
		return;
	s->amd_wait_pending = false;
	complete_only(e, s, &wait, 0, true, s->wait_queued);
	s->wait_queued = 0;
}

/* Completes, with the result of unnamed wait w, the writes open on its IOMMU */
static void unnamed_done(struct esync_engine *e, const struct unnamed_wait *w,
			 const struct esync_inv *inv, int status)
{
	struct esync_seq *s, *n;

	for (s = iommu_first(e, w->iommu); s; s = n) {
		n = s->inext;
		complete(e, s, inv, status, false, w->order);
	}
}

/* Removes unnamed wait i, settling it as done when it had no result event */
static void unnamed_settle(struct esync_engine *e, size_t i, bool done)
{
	struct unnamed_wait w = e->uw[i];
	struct esync_inv inv = { .family = w.family, .kind = ESYNC_INV_COMPLETION };

	memmove(&e->uw[i], &e->uw[i + 1], (--e->nuw - i) * sizeof(*e->uw));
	if (done)
		unnamed_done(e, &w, &inv, 0);
}

/*
 * Who waits for a wait of no write, 0 if the input does not say: its
 * task; or, where the input names tasks, for tid 0 (an interrupt on an
 * idle CPU, whose handler waits where it runs) the CPU.
 */
static uint64_t wait_owner(const struct esync_engine *e, const struct esync_ev_hdr *h)
{
	if (h->tid)
		return h->tid;
	return e->input & ESYNC_IN_ATTRIBUTED ? 1ull << 32 | h->cpu : 0;
}

/*
 * Waits of no write whose result is to come; beyond this many, the oldest
 * is forgotten (its result, if it comes, then completes what came before
 * the result).
 */
#define MAX_UNNAMED_WAITS 4096

static void unnamed_add(struct esync_engine *e, const union esync_event *ev,
			const struct esync_inv *inv)
{
	/* A later command of the batch whose wait is queued: the wait is behind it */
	uint64_t owner = wait_owner(e, &ev->hdr);

	for (size_t i = 0; i < e->nuw; i++) {
		if (e->uw[i].owner == owner && e->uw[i].iommu == ev->hdr.iommu &&
		    e->uw[i].family == inv->family) {
			e->uw[i].order = e->order;
			return;
		}
	}
	if (e->nuw == e->uw_cap) {
		size_t cap = e->uw_cap ? e->uw_cap * 2 : 16;
		void *p = cap <= MAX_UNNAMED_WAITS ? realloc(e->uw, cap * sizeof(*e->uw)) : NULL;

		if (p) {
			e->uw = p;
			e->uw_cap = cap;
		} else if (e->nuw) {
			unnamed_settle(e, 0, false);
		} else {
			return;
		}
	}
	e->uw[e->nuw++] = (struct unnamed_wait){
		.order = e->order, .owner = owner, .iommu = ev->hdr.iommu,
		.family = inv->family,
	};
}

/*
 * A task with an unnamed wait went on without its result: the wait
 * returned.  Not an interrupt context (a CPU's, or an idle CPU's): an
 * event of it may be an interrupt nested in the one that waits, which
 * only the wait's own result settles.
 */
static void unnamed_went_on(struct esync_engine *e, const union esync_event *ev,
			    uint64_t owner)
{
	if ((owner & ESYNC_TID_IRQ) || owner >> 32)
		return;
	for (size_t i = 0; i < e->nuw; i++) {
		if (e->uw[i].owner != owner)
			continue;
		/* Its result: on_command takes it */
		if (ev->hdr.kind == ESYNC_EV_COMPLETION && !ev->hdr.seq &&
		    ev->hdr.iommu == e->uw[i].iommu && ev->completion.family == e->uw[i].family)
			continue;
		/*
		 * More of the same SMMU batch, which the one CMD_SYNC at its end
		 * closes: every command of the batch carries the sync flag
		 */
		if (ev->hdr.kind == ESYNC_EV_SMMU_CMD && !ev->hdr.seq &&
		    (ev->smmu.flags & ESYNC_SMMU_F_SYNC) &&
		    ev->hdr.iommu == e->uw[i].iommu && e->uw[i].family == ESYNC_FAMILY_SMMU)
			continue;
		unnamed_settle(e, i--, true);
	}
}

/* A wait of inv's family has its result as an event of its own */
static bool wait_result_follows(const struct esync_engine *e, const struct esync_inv *inv)
{
	if (inv->family == ESYNC_FAMILY_SMMU)
		return e->input & ESYNC_IN_SMMU_DONE;
	if (inv->family == ESYNC_FAMILY_AMD)
		return e->input & ESYNC_IN_AMD_DONE;
	return false;
}

static void on_command(struct esync_engine *e, const union esync_event *ev)
{
	struct esync_seq *s, *n, *sole = NULL;
	struct esync_inv inv;
	bool completion, command, amd_wait, queued_wait, result_follows;
	uint64_t wait_order = 0;
	int status = 0;
	unsigned int nopen = 0;

	e->order++;
	esync_inv_decode(ev, &inv);
	/*
	 * VT-d: qi_submit_sync() aborted the batch (an invalidation time-out
	 * elsewhere on the queue) and submits it again: no result yet, the
	 * wait of the batch submitted again gives it
	 */
	if (ev->hdr.kind == ESYNC_EV_COMPLETION && inv.family == ESYNC_FAMILY_VTD &&
	    ev->completion.status == -EAGAIN)
		return;
	inv.qpos = vtd_qpos(e, ev, &inv);
	/*
	 * A wait queued: a completion command, or a command with the sync
	 * flag.  Not a VT-d wait descriptor traced inside a batch: the result
	 * of the batch's own wait (qi_wait, qi_submit_sync's return), which
	 * inputs that attribute commands carry, says whether it and all
	 * before it completed.
	 */
	queued_wait = ev->hdr.kind != ESYNC_EV_COMPLETION &&
		      (inv.kind == ESYNC_INV_COMPLETION || inv.sync_after) &&
		      !(inv.family == ESYNC_FAMILY_VTD && (e->input & ESYNC_IN_ATTRIBUTED));
	result_follows = queued_wait && wait_result_follows(e, &inv);
	/* Where the wait's result comes as its own event, queueing is not completing */
	completion = ev->hdr.kind == ESYNC_EV_COMPLETION || (queued_wait && !result_follows);
	/*
	 * VT-d without the results of its waits (perf without qi_wait, which
	 * traces no wait descriptor either): qi_submit_sync() waits before
	 * it returns, so an invalidation is taken as completed (a failed
	 * wait cannot be seen then)
	 */
	if (inv.family == ESYNC_FAMILY_VTD && (e->input & ESYNC_IN_VTD_NO_RESULTS) &&
	    ev->hdr.kind == ESYNC_EV_VTD_DESC)
		completion = true;
	amd_wait = ev->hdr.kind == ESYNC_EV_AMD_CMD && inv.kind == ESYNC_INV_COMPLETION;
	command = inv.kind != ESYNC_INV_COMPLETION && ev->hdr.kind != ESYNC_EV_COMPLETION;
	if (ev->hdr.kind == ESYNC_EV_COMPLETION && ev->completion.status) {
		status = ev->completion.status;
		e->st.failed_completions++;
	}

	if (ev->hdr.seq) {
		/* It names its write: that write only */
		s = lookup_seq(e, ev->hdr.seq, ev->hdr.iommu);
		if (!s || (s->ended && s->tid && !s->hold &&
			   s->own_after_end >= ESYNC_AFTER_CMDS)) {
			if (s)
				seq_finalize(e, s);
			e->st.late_cmds++;
			return;
		}
		s->ts_last = ev->hdr.ts_ns;
		if (amd_wait && result_follows) {
			/* Its result may follow as an event of its own */
			settle_wait(e, s);
			s->amd_wait_pending = true;
			s->wait_queued = e->order;
			return;
		}
		if (ev->hdr.kind == ESYNC_EV_COMPLETION && inv.family == ESYNC_FAMILY_AMD &&
		    s->amd_wait_pending) {
			/* The result of the wait it queued last */
			s->amd_wait_pending = false;
		} else if (ev->hdr.kind == ESYNC_EV_COMPLETION || !command) {
			/*
			 * (An AMD result with no COMPLETION_WAIT of this write
			 * queued: iommu_completion_wait() found need_sync clear,
			 * so some task queued a COMPLETION_WAIT after this
			 * write's invalidations, and it waited for that one's
			 * semaphore: it completes them, whatever its order.)
			 */
			settle_wait(e, s);
		}
		/*
		 * (A command of the write after a wait it queued does not
		 * settle that wait: a driver may queue its wait first and wait
		 * after its invalidations, which that wait does not complete.)
		 * Its result completes what was queued before the wait, no more.
		 */
		if (result_follows)
			s->wait_queued = e->order;
		if (ev->hdr.kind == ESYNC_EV_COMPLETION) {
			wait_order = s->wait_queued;
			s->wait_queued = 0;
		}
		if (command)
			deliver(e, s, &inv, true);
		if (completion)
			complete(e, s, &inv, status, true, wait_order);
		return;
	}
	if (result_follows && wait_owner(e, &ev->hdr)) {
		/* Completes what came before it when its result does */
		unnamed_add(e, ev, &inv);
	} else if (amd_wait) {
		/* Its result could not be told from another's: helps as soon as queued */
		completion = true;
	}
	if (ev->hdr.kind == ESYNC_EV_COMPLETION && e->nuw) {
		uint64_t owner = wait_owner(e, &ev->hdr);

		for (size_t i = 0; i < e->nuw; i++) {
			if (e->uw[i].owner == owner && owner && e->uw[i].iommu == ev->hdr.iommu &&
			    e->uw[i].family == inv.family) {
				wait_order = e->uw[i].order;
				unnamed_settle(e, i, false);
				break;
			}
		}
	}
	/*
	 * It names no write.  An input that does not attribute commands
	 * (older dumps) still names one when only one write is open on the
	 * IOMMU: no other write can have issued it.
	 */
	if (!(e->input & ESYNC_IN_ATTRIBUTED)) {
		for (s = iommu_first(e, ev->hdr.iommu); s && nopen < 2; s = s->inext)
			if (!(nopen++))
				sole = s;
		if (nopen != 1)
			sole = NULL;
	}
	for (s = iommu_first(e, ev->hdr.iommu); s; s = n) {
		n = s->inext;
		if (command)
			deliver(e, s, &inv, s == sole);
		if (completion)
			complete(e, s, &inv, status, s == sole, wait_order);
	}
}

static void topo_add(struct esync_engine *e, const struct esync_ev_topology *t)
{
	struct esync_alias_set *set;
	unsigned int i;

	for (i = 0; i < e->topo.nr && e->topo.sets[i].dev < t->dev; i++)
		;
	if (i == e->topo.nr || e->topo.sets[i].dev != t->dev) {
		if (e->topo.nr == e->topo_cap) {
			size_t cap = e->topo_cap ? e->topo_cap * 2 : 16;
			void *p = realloc(e->topo.sets, cap * sizeof(*set));

			if (!p)
				return;
			e->topo.sets = p;
			e->topo_cap = cap;
		}
		memmove(&e->topo.sets[i + 1], &e->topo.sets[i],
			(e->topo.nr - i) * sizeof(*set));
		e->topo.nr++;
	}
	set = &e->topo.sets[i];
	set->dev = t->dev;
	set->nr = t->nr > ESYNC_MAX_ALIASES ? ESYNC_MAX_ALIASES : t->nr;
	memcpy(set->alias, t->alias, set->nr * sizeof(set->alias[0]));
}

/*
 * Of the records of the entries a fault names, the best witness: a write
 * open at the fault, else the one that ended last.
 */
static void link_consider(const struct esync_engine *e, uint32_t i,
			  const struct last_write **best)
{
	const struct last_write *r, *b = *best;

	if (!i)
		return;
	r = &e->lw[i - 1];
	if (!b || (!r->ts_end && b->ts_end) ||
	    (!r->ts_end == !b->ts_end &&
	     (r->ts_end ? r->ts_end > b->ts_end : r->ts_begin > b->ts_begin)))
		*best = r;
}

static void link_dev(const struct esync_engine *e, const struct esync_fault *f,
		     uint16_t iommu, uint32_t dev, const struct last_write **best)
{
	for (unsigned int fmt = 1; fmt < 15; fmt++) {
		if (!(f->formats & (1u << fmt)))
			continue;
		/* A record without a substream means substream 0 */
		link_consider(e, lw_find(e, (uint16_t)fmt, iommu, dev,
					 key_sub(fmt, f->has_sub ? f->sub : 0)), best);
	}
}

static void on_fault(struct esync_engine *e, const union esync_event *ev)
{
	struct esync_fault_link l;
	const struct last_write *best = NULL;

	memset(&l, 0, sizeof(l));
	l.ev = &ev->fault;
	l.nr = ++e->st.faults;
	if (esync_fault_decode(&ev->fault, &l.fault) && l.fault.has_dev &&
	    l.fault.formats) {
		const struct esync_fault *f = &l.fault;
		size_t lo = f->any_iommu ? 0 : f->iommu;
		size_t hi = f->any_iommu ? e->niommu : (size_t)f->iommu + 1;

		for (size_t io = lo; io < hi; io++) {
			link_dev(e, f, (uint16_t)io, f->dev, &best);
			/* The requester ID may be an alias of the device written */
			for (size_t k = 0; k < e->topo.nr; k++) {
				const struct esync_alias_set *set = &e->topo.sets[k];

				for (unsigned int a = 0; a < set->nr; a++)
					if (set->alias[a] == f->dev && set->dev != f->dev)
						link_dev(e, f, (uint16_t)io, set->dev, &best);
			}
		}
	}
	if (best) {
		e->st.faults_linked++;
		l.seq = best->seq;
		l.entry = best->entry;
		l.ts_begin = best->ts_begin;
		l.ts_end = best->ts_end;
		l.format = best->format;
		l.iommu = best->iommu;
		l.dev = best->dev;
		l.sub = best->entry_sub;
		l.findings = best->findings;
		l.words = best->words;
		memcpy(l.value, best->value, sizeof(l.value));
		if (!best->ts_end) {
			/* open: the entry as its stores have left it so far */
			const struct esync_seq *s = lookup_entry(e, best->entry);

			if (s) {
				l.words = s->words;
				memcpy(l.value, s->now, s->words * sizeof(uint64_t));
			}
		}
	}
	if (e->sink.fault)
		e->sink.fault(e->sink.ctx, &l);
}

/* Events were lost here: no write open now is whole */
static void lost_here(struct esync_engine *e)
{
	for (struct esync_seq *s = e->open; s; s = s->onext)
		if (!s->incomplete)
			s->incomplete = "events were lost while this write was open";
}

void esync_engine_event(struct esync_engine *e, const union esync_event *ev)
{
	e->st.events++;
	if (ev->hdr.kind < ESYNC_EV_NR_KINDS)
		e->st.by_kind[ev->hdr.kind]++;
	/*
	 * The collector lost events just before this one: among them could
	 * be commands of the writes lingering after their end, so they are
	 * marked before the time of this event expires them
	 */
	if (ev->hdr.flags & ESYNC_EVF_LOST_BEFORE) {
		e->st.loss_places++;
		e->loss_marked = true;
		lost_here(e);
	}
	if (e->ended_head)
		expire(e, ev->hdr.ts_ns);
	if (e->nuw && wait_owner(e, &ev->hdr))
		unnamed_went_on(e, ev, wait_owner(e, &ev->hdr));
	switch (ev->hdr.kind) {
	case ESYNC_EV_WRITE_BEGIN:
		on_begin(e, ev);
		break;
	case ESYNC_EV_STORE:
		on_store(e, ev);
		break;
	case ESYNC_EV_SYNC:
		on_sync(e, ev);
		break;
	case ESYNC_EV_USED:
		on_used(e, ev);
		break;
	case ESYNC_EV_WRITE_END:
		on_end(e, ev);
		break;
	case ESYNC_EV_SMMU_CMD:
	case ESYNC_EV_VTD_DESC:
	case ESYNC_EV_AMD_CMD:
	case ESYNC_EV_COMPLETION:
		on_command(e, ev);
		break;
	case ESYNC_EV_FAULT:
		on_fault(e, ev);
		break;
	case ESYNC_EV_TOPOLOGY:
		topo_add(e, &ev->topo);
		break;
	case ESYNC_EV_LOST:
		e->st.lost += ev->lost.lost;
		/*
		 * The collector's count, after the loss it counts was marked
		 * where it happened: writes begun since were seen whole.  A
		 * count without a mark (an older collector, perf), of runs
		 * the kernel skipped (nothing marked them) or of no known
		 * size (a damaged stretch of a dump) marks its own place.
		 */
		if (ev->lost.lost && e->loss_marked &&
		    !(ev->hdr.flags & ESYNC_EVF_LOST_UNPLACED)) {
			e->loss_marked = false;
			break;
		}
		e->st.loss_places++;
		lost_here(e);
		break;
	}
}

void esync_engine_finish(struct esync_engine *e)
{
	/* Waits whose result the input cut off completed nothing known */
	e->nuw = 0;
	while (e->open) {
		struct esync_seq *s = e->open;

		if (!s->ended && !s->incomplete)
			s->incomplete = "cut by the end of the input before its write-end";
		/* Whether that wait returned, and how, the input does not say */
		if (s->amd_wait_pending && !s->incomplete)
			s->incomplete = "cut by the end of the input before its last COMPLETION_WAIT was seen to return";
		s->amd_wait_pending = false;
		/* What it waited for may have come after the input's end */
		s->hold_cut = s->hold;
		seq_finalize(e, s);
	}
}

static int index_init(struct index *ix)
{
	ix->n = 64;
	ix->b = calloc(ix->n, sizeof(*ix->b));
	return ix->b ? 0 : -1;
}

struct esync_engine *esync_engine_new(const struct esync_engine_sink *sink,
				      const struct esync_topology *topo,
				      uint32_t check_mask)
{
	struct esync_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->sink = *sink;
	e->mask = check_mask;
	e->max_open = ESYNC_DEFAULT_MAX_OPEN;
	for (unsigned int i = 0; i < NR_CHECKERS; i++) {
		const struct esync_checker *c = all_checkers[i];

		if (!(check_mask & (1u << c->id)))
			continue;
#define ADD_HOOK(h) do { if (c->h) e->h.c[e->h.n++] = c; } while (0)
		ADD_HOOK(begin);
		ADD_HOOK(before_store);
		ADD_HOOK(after_store);
		ADD_HOOK(used);
		ADD_HOOK(command);
		ADD_HOOK(completion);
		ADD_HOOK(window);
		ADD_HOOK(end);
		ADD_HOOK(final);
#undef ADD_HOOK
	}
	if (index_init(&e->by_entry) < 0 || index_init(&e->by_seq) < 0 ||
	    index_init(&e->by_tid) < 0)
		goto fail;
	if (topo && topo->nr) {
		e->topo.sets = malloc(topo->nr * sizeof(*topo->sets));
		if (!e->topo.sets)
			goto fail;
		memcpy(e->topo.sets, topo->sets, topo->nr * sizeof(*topo->sets));
		e->topo.nr = e->topo_cap = topo->nr;
	}
	return e;
fail:
	free(e->by_entry.b);
	free(e->by_seq.b);
	free(e->by_tid.b);
	free(e);
	return NULL;
}

void esync_engine_set_input(struct esync_engine *e, uint32_t flags)
{
	e->input = flags;
}

void esync_engine_set_max_open(struct esync_engine *e, size_t max_open)
{
	e->max_open = max_open ? max_open : ESYNC_DEFAULT_MAX_OPEN;
}

const struct esync_stats *esync_engine_stats(const struct esync_engine *e)
{
	return &e->st;
}

void esync_engine_free(struct esync_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nchunks; i++)
		free(e->chunks[i]);
	free(e->chunks);
	free(e->by_entry.b);
	free(e->by_seq.b);
	free(e->by_tid.b);
	free(e->iommu);
	free(e->topo.sets);
	for (size_t i = 0; i < e->lw_nr; i++)
		free(e->lw[i].carry);
	free(e->lw);
	free(e->lw_ix);
	free(e->uw);
	free(e);
}
