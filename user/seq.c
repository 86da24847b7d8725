// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sequence reconstruction.  Open writes live in a hash table keyed by entry
 * address and on one list in begin order; finished ones go back to a free
 * list, so memory follows the number of writes open at once.
 *
 * A write is "open" from its write-begin until its write-end and then the
 * commands the driver issues right after it (VT-d's IOTLB and device-TLB
 * flushes come after the writer): it is finished by the first completion
 * after such commands, by the next write-begin on the same IOMMU, or by the
 * end of the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static const struct esync_checker *const all_checkers[] = {
	&esync_check_h1, &esync_check_h2, &esync_check_h3, &esync_check_f1,
	&esync_check_f2, &esync_check_f3, &esync_check_a1,
};

#define NR_CHECKERS (sizeof(all_checkers) / sizeof(all_checkers[0]))

struct esync_engine {
	struct esync_engine_sink sink;
	const struct esync_checker *chk[NR_CHECKERS];
	unsigned int nchk;
	uint32_t mask;
	struct esync_seq **bucket;
	size_t nbucket;			/* power of two */
	size_t nopen;
	struct esync_seq *open;		/* oldest first */
	struct esync_seq *open_tail;
	struct esync_seq *free;
	void **chunks;
	size_t nchunks;
	struct esync_topology topo;
	size_t topo_cap;
	struct esync_stats st;
};

#define CHUNK_SEQS 64

static size_t hash_entry(const struct esync_engine *e, uint64_t entry)
{
	return (size_t)((entry >> 3) * 0x9e3779b97f4a7c15ull >> 20) & (e->nbucket - 1);
}

static struct esync_seq *lookup(const struct esync_engine *e, uint64_t entry)
{
	struct esync_seq *s = e->bucket[hash_entry(e, entry)];

	while (s && s->entry != entry)
		s = s->hnext;
	return s;
}

static int grow(struct esync_engine *e)
{
	size_t n = e->nbucket * 2;
	struct esync_seq **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (size_t i = 0; i < e->nbucket; i++) {
		struct esync_seq *s = e->bucket[i], *next;

		for (; s; s = next) {
			size_t h = (size_t)((s->entry >> 3) * 0x9e3779b97f4a7c15ull >> 20) & (n - 1);

			next = s->hnext;
			s->hnext = b[h];
			b[h] = s;
		}
	}
	free(e->bucket);
	e->bucket = b;
	e->nbucket = n;
	return 0;
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

static void seq_unlink(struct esync_engine *e, struct esync_seq *s)
{
	struct esync_seq **pp = &e->bucket[hash_entry(e, s->entry)];

	while (*pp != s)
		pp = &(*pp)->hnext;
	*pp = s->hnext;
	if (s->oprev)
		s->oprev->onext = s->onext;
	else
		e->open = s->onext;
	if (s->onext)
		s->onext->oprev = s->oprev;
	else
		e->open_tail = s->oprev;
	e->nopen--;
}

void esync_report(struct esync_seq *s, unsigned int check, unsigned int step,
		  const char *fmt, ...)
{
	struct esync_engine *e = s->eng;
	struct esync_finding f;
	va_list ap;

	if (s->reported & (1u << check))
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
	if (e->sink.finding)
		e->sink.finding(e->sink.ctx, &f);
}

const struct esync_alias_set *esync_seq_aliases(const struct esync_seq *s)
{
	return esync_topology_find(&s->eng->topo, s->dev);
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
static bool did_matches(const struct esync_seq *s, uint32_t did)
{
	const struct esync_field *f = s->did_field;

	if (!f)
		return true;
	return esync_field_get(f, s->cur) == did ||
	       esync_field_get(f, s->target) == did ||
	       esync_field_get(f, s->now) == did;
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
		return (!inv->has_did || did_matches(s, inv->did)) &&
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
	for (unsigned int i__ = 0; i__ < (e)->nchk; i__++)		\
		if (((c) = (e)->chk[i__])->hook)

static void window_reset(struct esync_seq *s)
{
	for (unsigned int q = 0; q < s->nq; q++) {
		esync_quanta_get(s, s->now, q, s->win[q][0]);
		s->nwin[q] = 1;
	}
	s->win_stores = 0;
	s->win_overflow = false;
}

static void seq_finalize(struct esync_engine *e, struct esync_seq *s)
{
	const struct esync_checker *c;

	seq_unlink(e, s);
	if (checking(s)) {
		if (s->win_stores)
			FOR_CHECKERS(e, c, window)
				c->window(s);
		FOR_CHECKERS(e, c, final)
			c->final(s);
	}
	if (s->incomplete)
		esync_report(s, ESYNC_CHK_INCOMPLETE, s->step, "%s", s->incomplete);
	if (e->sink.seq_done)
		e->sink.seq_done(e->sink.ctx, s);
	s->hnext = e->free;
	e->free = s;
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

static void on_begin(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_write_begin *b = &ev->begin;
	const struct esync_checker *c;
	struct esync_seq *s, *n;

	s = lookup(e, b->entry);
	if (s) {
		if (!s->ended)
			s->incomplete = "no write-end before the next write to this entry";
		seq_finalize(e, s);
	}
	/* Writes on this IOMMU that ended get no more commands */
	for (s = e->open; s; s = n) {
		n = s->onext;
		if (s->ended && s->iommu == b->hdr.iommu)
			seq_finalize(e, s);
	}

	if (e->nopen >= e->nbucket && grow(e) < 0)
		return;
	s = seq_alloc(e);
	if (!s)
		return;
	memset(s, 0, offsetof(struct esync_seq, hnext));
	s->eng = e;
	s->id = b->hdr.seq;
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
		 s->fmt->quanta_bits != b->quanta_bits ||
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
		if (s->format == ESYNC_FMT_VTD_PASID)
			s->did_field = did_field(s->fmt);
		window_reset(s);
	}

	s->hnext = e->bucket[hash_entry(e, s->entry)];
	e->bucket[hash_entry(e, s->entry)] = s;
	s->onext = NULL;
	s->oprev = e->open_tail;
	if (e->open_tail)
		e->open_tail->onext = s;
	else
		e->open = s;
	e->open_tail = s;
	e->nopen++;
	if (e->nopen > e->st.max_open)
		e->st.max_open = e->nopen;
	e->st.seqs++;
	if (checking(s))
		FOR_CHECKERS(e, c, begin)
			c->begin(s);
}

/* The open write an entry event belongs to, or NULL (an orphan). */
static struct esync_seq *owner(struct esync_engine *e, const struct esync_ev_hdr *h,
			       uint64_t entry)
{
	struct esync_seq *s = lookup(e, entry);

	if (!s || s->ended || (h->seq && s->id && h->seq != s->id)) {
		e->st.orphans++;
		return NULL;
	}
	s->ts_last = h->ts_ns;
	return s;
}

static void on_store(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_store *st = &ev->store;
	const struct esync_checker *c;
	struct esync_seq *s = owner(e, &st->hdr, st->entry);
	uint64_t v[2] = { st->new_lo, st->new_hi };
	unsigned int q = st->index, k;

	if (!s || !checking(s))
		return;
	if (q >= s->nq) {
		s->incomplete = "a store to a quanta beyond the entry";
		return;
	}
	if (s->qwords == 1)
		v[1] = 0;
	FOR_CHECKERS(e, c, before_store)
		c->before_store(s, q);
	esync_quanta_put(s, s->now, q, v);
	for (k = 0; k < s->nwin[q]; k++)
		if (s->win[q][k][0] == v[0] && s->win[q][k][1] == v[1])
			break;
	if (k == s->nwin[q]) {
		if (k < ESYNC_WIN_MAX) {
			s->win[q][k][0] = v[0];
			s->win[q][k][1] = v[1];
			s->nwin[q]++;
		} else {
			s->win_overflow = true;
		}
	}
	if (!s->win_stores)
		s->win_step = s->step;
	s->win_stores++;
	s->nr_stores++;
	s->store_step = s->step;
	s->covered = false;
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

static void on_end(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_ev_write_end *end = &ev->end;
	struct esync_seq *s = owner(e, &end->hdr, end->entry);

	if (!s)
		return;
	s->ended = true;
	s->how = end->how;
	if (s->words && end->words != s->words && !s->incomplete)
		s->incomplete = "write-end reports another entry size than write-begin";
	memcpy(s->final, end->final, sizeof(s->final));
}

static void completion(struct esync_engine *e, uint16_t iommu)
{
	const struct esync_checker *c;
	struct esync_seq *s, *n;

	for (s = e->open; s; s = n) {
		bool done;

		n = s->onext;
		if (s->iommu != iommu)
			continue;
		if (checking(s)) {
			done = s->covered;
			s->covered = false;
			if (done) {
				s->nr_completed++;
				if (s->win_stores)
					FOR_CHECKERS(e, c, window)
						c->window(s);
				window_reset(s);
			}
			FOR_CHECKERS(e, c, completion)
				c->completion(s, done);
		}
		if (s->ended && s->cmds_after_end)
			seq_finalize(e, s);
	}
}

static void on_command(struct esync_engine *e, const union esync_event *ev)
{
	const struct esync_checker *c;
	struct esync_inv inv;
	struct esync_seq *s;
	bool mine = false;

	esync_inv_decode(ev, &inv);
	if (inv.kind != ESYNC_INV_COMPLETION) {
		/* A command tagged with a write's sequence id is that write's */
		if (ev->hdr.seq)
			for (s = e->open; s; s = s->onext)
				if (s->id == ev->hdr.seq && s->iommu == ev->hdr.iommu)
					mine = true;
		for (s = e->open; s; s = s->onext) {
			bool covers;

			if (s->iommu != ev->hdr.iommu || (mine && s->id != ev->hdr.seq))
				continue;
			s->nr_cmds++;
			if (s->ended)
				s->cmds_after_end++;
			if (!checking(s))
				continue;
			covers = esync_inv_covers(s, &inv);
			if (covers)
				s->covered = true;
			FOR_CHECKERS(e, c, command)
				c->command(s, &inv, covers);
		}
	}
	if (inv.kind == ESYNC_INV_COMPLETION || inv.sync_after)
		completion(e, ev->hdr.iommu);
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

void esync_engine_event(struct esync_engine *e, const union esync_event *ev)
{
	struct esync_seq *s;

	e->st.events++;
	if (ev->hdr.kind < ESYNC_EV_NR_KINDS)
		e->st.by_kind[ev->hdr.kind]++;
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
		owner(e, &ev->hdr, ev->used.entry);
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
	case ESYNC_EV_TOPOLOGY:
		topo_add(e, &ev->topo);
		break;
	case ESYNC_EV_LOST:
		e->st.lost += ev->lost.lost;
		for (s = e->open; s; s = s->onext)
			if (!s->incomplete)
				s->incomplete = "events were lost while this write was open";
		break;
	}
}

void esync_engine_finish(struct esync_engine *e)
{
	while (e->open) {
		struct esync_seq *s = e->open;

		if (!s->ended && !s->incomplete)
			s->incomplete = "cut by the end of the input before its write-end";
		seq_finalize(e, s);
	}
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
	for (unsigned int i = 0; i < NR_CHECKERS; i++)
		if (check_mask & (1u << all_checkers[i]->id))
			e->chk[e->nchk++] = all_checkers[i];
	e->nbucket = 64;
	e->bucket = calloc(e->nbucket, sizeof(*e->bucket));
	if (!e->bucket)
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
	free(e->bucket);
	free(e);
	return NULL;
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
	free(e->bucket);
	free(e->topo.sets);
	free(e);
}
