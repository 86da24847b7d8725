// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes the hand-made dumps of tests/data: for each entry format a clean
 * series of updates, and for each check a dump where it must fire.  The
 * updates come from a small model of the entry_sync writer (used bits ->
 * no change / hitless / disruptive) and of each driver's sync, into which a
 * "bug" can be planted.
 *
 *   gen-dumps DIR              all the dumps, DIR/NAME.dump
 *   gen-dumps --bench N FILE   at least N events of mixed, clean traffic
 *   gen-dumps --bench N --open K FILE   the same after K writes that never end
 *
 * Output is deterministic: fixed timestamps, host and kernel strings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"
#include "engine.h"
#include "format.h"

enum bug {
	BUG_NONE = 0,
	BUG_NO_SYNC_LAST = 1 << 0,	/* the last step's sync never completes */
	BUG_NO_SYNC_FIRST = 1 << 1,	/* the first step's sync never completes */
	BUG_WRONG_DEV = 1 << 2,		/* invalidates dev + 1 */
	BUG_V1_RANGE = 1 << 3,		/* disruptive: [0, num-1) then V quanta */
	BUG_ALWAYS_DISRUPTIVE = 1 << 4,	/* disruptive even when hitless works */
	BUG_NEVER_DISRUPTIVE = 1 << 5,	/* all quanta in one step, V stays set */
	BUG_DROP_LAST_STORE = 1 << 6,	/* forgets the last store */
	BUG_DEVTLB_FIRST = 1 << 7,	/* VT-d: device-TLB before IOTLB */
	BUG_NO_ALIAS = 1 << 8,		/* AMD: invalidates the device only */
	BUG_CUT = 1 << 9,		/* the dump ends after the first store */
	BUG_LOST = 1 << 10,		/* a lost record after the first store */
	BUG_FAIL_SYNC = 1 << 11,	/* the first sync's completion times out */
	BUG_FOREIGN_STORE = 1 << 12,	/* the entry changes outside the writer */
	BUG_WRONG_FINAL = 1 << 13,	/* write-end reports another entry */
	BUG_USED_MISMATCH = 1 << 14,	/* the driver's used bits differ */
	BUG_DTE_V0 = 1 << 15,		/* AMD DTE disrupted through V=0 */
	BUG_IOTLB_OTHER_DID = 1 << 16,	/* VT-d: IOTLB flush of another DID */
	BUG_ALIAS_UNWAITED = 1 << 17,	/* AMD: alias flushed after the wait */
	ALIAS_FIRST = 1 << 18,		/* AMD: aliases flushed and waited first */
	DTE_CLONES = 1 << 19,		/* AMD: a DTE flush covers its own ID; the
					   aliases' DTEs are cloned by writes of their own */
	BUG_NO_CLONE = 1 << 20,		/* ... and the clone is forgotten */
	BUG_STALE_CLONE = 1 << 21,	/* ... or gets another translation */
	UNTRACED_WAIT = 1 << 22,	/* AMD: the IRT flush's own wait, no result event */
	FAULT_MID = 1 << 23,		/* the IOMMU reports a fault on the entry
					   after the write's first store */
	BUG_STOCK_DTE_SWITCH = 1 << 24,	/* stock DTE: a domain switch with no
					   detach in between */
	STOCK_VTD_SWITCH = 1 << 25,	/* stock VT-d: a setup follows the teardown */
	FAIL_STOPS = 1 << 26,		/* with BUG_FAIL_SYNC: the writer stops at the
					   failed sync and says so at write-end */
	BUG_FAKE_STOP = 1 << 27,	/* stops after its first step and says a sync
					   failed, though none did */
	BUG_NEW_DID_ONLY = 1 << 28,	/* VT-d: a DID change invalidates the PASID
					   cache under the new DID only */
	/*
	 * VT-d, queue slots traced: at each sync another task (no write)
	 * queues a PASID-cache invalidation of the entry, before the
	 * writer's batch or right behind its wait descriptor (traced before
	 * the wait ends, which covers only what was queued before it).
	 */
	OTHER_PC_BEFORE = 1 << 29,
	OTHER_PC_AFTER = 1 << 30,
	BUG_PIOTLB_ONLY = 1u << 31,	/* VT-d: the sync invalidates the IOTLB,
					   not the PASID cache */
};

/* Beyond the 32 bits of the enum */
#define BUSY_OTHERS	(1ull << 32)	/* AMD: after the write-end, another task
					   (no write) invalidates 64 other devices */
#define ALIAS_AFTER_END	(1ull << 33)	/* AMD: the writer flushes and waits for the
					   aliases after its write-end */
#define RETRY_WAIT	(1ull << 34)	/* with BUG_FAIL_SYNC: the driver waits again,
					   and that wait succeeds */
#define LATE_WAIT_FAILS	(1ull << 35)	/* with ALIAS_AFTER_END: the alias flush's
					   wait times out */
#define BUG_DETOUR	(1ull << 36)	/* hitless: the critical quantum goes
					   through a value of neither entry first */
#define OLD_ALIAS_FLUSH	(1ull << 38)	/* AMD DTE: the aliases' IDs invalidated
					   with D's, their DTEs never cloned */
#define BUG_IOTLB_FIRST	(1ull << 39)	/* VT-d: each sync invalidates the IOTLB
					   of the entry's domain before the PASID cache */
/*
 * SMMU and AMD: the writer issues its invalidations but does not wait;
 * another task (no write) waits, after them (OTHER_WAIT) or queued before
 * them with its result after them (BUG_OTHER_WAIT_BEFORE); with
 * BUG_OTHER_WAIT_FAILS that wait times out.
 */
#define OTHER_WAIT		(1ull << 40)
#define BUG_OTHER_WAIT_BEFORE	(1ull << 41)
#define BUG_OTHER_WAIT_FAILS	(1ull << 42)
/* VT-d, with OTHER_WAIT: the descriptors of that task's batch are not traced */
#define OTHER_BATCH_UNTRACED	(1ull << 43)
/* With BUG_OTHER_WAIT_BEFORE: nine tasks queue waits there, not one */
#define NINE_OTHER_WAITS	(1ull << 44)
/* With OTHER_WAIT or ALIAS_AFTER_END: the input ends before that wait's result */
#define OTHER_WAIT_CUT		(1ull << 45)
/*
 * AMD and SMMU: the writer queues its own wait first, another task (no
 * write) invalidates the entry behind it, then the writer's wait returns
 */
#define BUG_OWN_WAIT_FIRST	(1ull << 46)
/*
 * Stock VT-d: the setup leaves a bit its pass-through entry does not use
 * (EAFE), or the attach begins at a non-present entry whose other fields
 * are left from before
 */
#define BUG_STOCK_VTD_STRAY	(1ull << 47)
#define STOCK_VTD_FROM_STALE	(1ull << 48)
/*
 * With OTHER_WAIT, that task's batch: SMMU, two TLB invalidations the one
 * CMD_SYNC at the batch's end closes (each traced with the sync flag);
 * VT-d, a batch that begins with a wait descriptor of its own (as
 * intel_drain_pasid_prq() submits), then a PASID IOTLB invalidation of
 * another PASID, then the batch's wait
 */
#define OTHER_BATCH2		(1ull << 49)
/*
 * AMD: the writer invalidates D only and queues its wait; another task
 * then invalidates the whole IOMMU and queues a wait; the writer's wait
 * succeeds (it completes what was queued before it), then the other's
 */
#define OTHER_INV_ALL		(1ull << 50)
/* AMD: the writer invalidates D's aliases, not D itself */
#define BUG_ALIASES_ONLY	(1ull << 51)
/*
 * Each quantum the writer keeps is stored again with the value it has,
 * and that store is not synced (nothing the hardware can see changed)
 */
#define SAME_VALUE_STORES	(1ull << 52)
/* With OTHER_WAIT: the waiter is an interrupt on an idle CPU (tid 0) */
#define OTHER_IDLE		(1ull << 53)
/*
 * Events were lost just before the write-begin, which carries the mark
 * (ESYNC_EVF_LOST_BEFORE); with LOSS_COUNT_AFTER the collector's count
 * of them comes after the write-end
 */
#define LOSS_MARK		(1ull << 54)
#define LOSS_COUNT_AFTER	(1ull << 55)
/*
 * AMD IRTE: between the write-end and the writer's alias flushes, another
 * task writes the same IRTE, whole
 */
#define OTHER_WRITER_BETWEEN	(1ull << 56)
/* AMD: the sync also invalidates the whole IOMMU before its wait */
#define INV_ALL_TOO		(1ull << 57)
/*
 * Two tasks write one STE: the second writes it whole while the first is
 * between its write-begin and its store (a lock the driver forgot)
 */
#define BUG_RACE		(1ull << 58)
/*
 * VT-d, with the IOTLB flush after the writer: under the DID the entry has
 * at its end (a teardown: the cleared one), or by the other kind than its
 * page-table type needs
 */
#define BUG_IOTLB_NEW_DID	(1ull << 59)
#define BUG_IOTLB_WRONG_KIND	(1ull << 60)
/*
 * VT-d: another task (no write) flushes the entry's IOTLB before the
 * writer's PASID-cache invalidation; the writer flushes no IOTLB itself
 */
#define BUG_OTHER_IOTLB_FIRST	(1ull << 61)
/* SMMU: the writer invalidates the device's ATC after its last sync (ATS) */
#define SMMU_ATC		(1ull << 62)
/* ... or after its last store, before that store's sync */
#define BUG_ATC_EARLY		(1ull << 63)
/* The task of no write that waits: an interrupt on an idle CPU has tid 0 */
#define OTHER_TID(bugs)		(g->other_tid ? g->other_tid : (bugs) & OTHER_IDLE ? 0u : 4444u)
#define BUG_V0_AMONG_MANY (1ull << 37)	/* AMD DTE, disruptive: V=0 for a moment,
					   among more values than a window keeps */

/* Events of one write kept aside, to interleave them with another's */
struct capture {
	union esync_event *ev;
	size_t n, cap;
};

struct gen {
	struct esync_dump_writer w;
	uint64_t ts;
	uint64_t seq;
	uint64_t events;
	uint32_t tid;		/* the writing task */
	int failed;
	bool stop;		/* BUG_CUT: emit nothing more */
	bool fail_done;		/* BUG_FAIL_SYNC happened */
	int fail_status;	/* ... with this status (0: -ETIMEDOUT) */
	int retry_status;	/* RETRY_WAIT: the status of the wait again */
	bool fail_now;		/* ... in the write being generated */
	bool slots;		/* VT-d descriptors and waits carry queue slots */
	uint32_t qslot;		/* the next free slot */
	struct capture *cap;	/* non-NULL: keep events here */
	/*
	 * With BUG_OWN_WAIT_FIRST: the writer itself invalidates the entry
	 * behind the wait it queued, then waits for that wait
	 */
	bool own_inv_behind_wait;
	/*
	 * VT-d, after the writer: another task (no write) invalidates the
	 * entry's PASID cache between the writer's IOTLB and device-TLB
	 * invalidations, and waits for it
	 */
	bool other_pc_between;
	/* With OTHER_WAIT: the waiter's tid (0: OTHER_TID's) */
	uint32_t other_tid;
	/*
	 * ... and, between its wait and the wait's result, an interrupt
	 * nested in it (the same tid) writes an IRTE on IOMMU 2, whole
	 */
	bool nested_irq_write;
	/* Stock VT-d: the device has ATS (the teardown invalidates its TLB) */
	bool stock_ats;
	/* VT-d: the first sync flushes the PASID cache under this DID only (0: as the driver does) */
	uint32_t pc_did_first;
	/*
	 * AMD: iommu_completion_wait() finds need_sync clear (another task
	 * queued a COMPLETION_WAIT after the write's invalidations; the
	 * collector keeps no wait of a task in no write) and waits for that
	 * one: its result comes, no COMPLETION_WAIT of the write is queued
	 */
	bool waitless;
};

struct entry {
	const struct esync_format *f;
	uint64_t addr;
	uint16_t iommu;
	uint32_t dev;
	uint32_t sub;
	uint64_t val[ESYNC_EV_MAX_WORDS];
	unsigned int nr_alias;		/* aliases a correct AMD driver flushes */
	uint32_t alias[4];
	bool ats;			/* VT-d: device-TLB after the write */
	/* VT-d: present, and its DID, at the last sync (the cache's tag) */
	bool win_present;
	uint32_t win_did;
};

static void emit(struct gen *g, void *ev, unsigned int kind, size_t size,
		 uint64_t seq, uint16_t iommu)
{
	struct esync_ev_hdr *h = ev;
	int err;

	if (g->stop)
		return;
	h->seq = seq;
	h->cpu = g->tid & 1;
	h->tid = g->tid;
	h->iommu = iommu;
	h->kind = (uint16_t)kind;
	h->size = (uint16_t)size;
	if (g->cap) {
		if (g->cap->n == g->cap->cap) {
			size_t cap = g->cap->cap ? g->cap->cap * 2 : 64;
			void *p = realloc(g->cap->ev, cap * sizeof(*g->cap->ev));

			if (!p) {
				g->failed = -ENOMEM;
				return;
			}
			g->cap->ev = p;
			g->cap->cap = cap;
		}
		memcpy(&g->cap->ev[g->cap->n++], ev, size);
		return;
	}
	h->ts_ns = g->ts += 250;
	err = esync_dump_write(&g->w, ev);
	if (err && !g->failed)
		g->failed = err;
	g->events++;
}

/*
 * A fault record naming entry e's device, as its IOMMU writes it:
 * SMMUv3 C_BAD_STE / F_TRANSLATION, a VT-d fault record, an AMD
 * IO_PAGE_FAULT; dev overrides the device when not 0.
 */
static void fault(struct gen *g, const struct entry *e, uint32_t dev, bool translation)
{
	struct esync_ev_fault f = { 0 };

	dev = dev ? dev : e->dev;
	switch (e->f->id) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_SMMU_CD:
		f.source = ESYNC_FAULT_SMMU_EVTQ;
		f.raw[0] = (translation ? 0x10 : 0x04) | (uint64_t)dev << 32;
		if (e->f->id == ESYNC_FMT_SMMU_CD)
			f.raw[0] |= 1u << 11 | (uint64_t)e->sub << 12;	/* SSV, SSID */
		f.raw[1] = 1ull << 35;					/* read */
		f.raw[2] = translation ? 0x80001000 : 0;
		break;
	case ESYNC_FMT_VTD_PASID:
		f.source = ESYNC_FAULT_VTD_FRCD;
		f.raw[0] = 0x80002000;
		/* SID, PP, reason 0x6 (not present), PASID, read */
		f.raw[1] = dev | 1ull << 31 | 0x6ull << 32 | (uint64_t)e->sub << 40 |
			   1ull << 62 | 1ull << 63;
		break;
	default:
		f.source = ESYNC_FAULT_AMD_EVTLOG;
		/* IO_PAGE_FAULT, DeviceID, flags: interrupt request for an IRTE */
		f.raw[0] = dev | (uint64_t)(2u << 28 |
			   (e->f->id == ESYNC_FMT_AMD_DTE ? 0 : 0x8u << 16)) << 32;
		f.raw[1] = 0xfee00000;
		break;
	}
	emit(g, &f, ESYNC_EV_FAULT, sizeof(f), 0, e->iommu);
}

/* iommu:io_page_fault, which names the device but not the IOMMU */
static void io_page_fault(struct gen *g, const char *name, uint64_t iova)
{
	struct esync_ev_fault f = { 0 };

	f.source = ESYNC_FAULT_IO_PAGE_FAULT;
	f.addr = iova;
	f.flags = 1;
	snprintf(f.name, sizeof(f.name), "%s", name);
	emit(g, &f, ESYNC_EV_FAULT, sizeof(f), 0, 0);
}

static unsigned int qwords(const struct esync_format *f)
{
	return f->quanta_bits == 128 ? 2 : 1;
}

/* Clears what a value does not use, until its used bits stop changing. */
static void sanitize(const struct esync_format *f, uint64_t *v)
{
	for (int round = 0; round < 4; round++) {
		uint64_t used[ESYNC_FMT_MAX_WORDS] = { 0 };

		f->get_used(v, used);
		for (unsigned int w = 0; w < f->words; w++)
			v[w] &= used[w];
	}
}

static void smmu_cmd(struct gen *g, const struct entry *e, uint64_t seq,
		     uint8_t op, uint32_t sid, uint32_t ssid, uint8_t flags)
{
	struct esync_ev_smmu_cmd c = { 0 };

	c.cmd[0] = op | (uint64_t)sid << 32 | (uint64_t)(ssid & 0xfffff) << 12;
	c.cmd[1] = 1;	/* leaf */
	c.sid = sid;
	c.ssid = ssid;
	c.opcode = op;
	c.flags = flags;
	emit(g, &c, ESYNC_EV_SMMU_CMD, sizeof(c), seq, e->iommu);
}

static void vtd_desc(struct gen *g, const struct entry *e, uint64_t seq,
		     uint64_t qw0)
{
	struct esync_ev_vtd_desc d = { 0 };

	d.qw[0] = qw0;
	d.type = qw0 & 0xf;
	d.did = (uint16_t)(qw0 >> 16);
	d.pasid = (uint32_t)(qw0 >> 32) & 0xfffff;
	if (g->slots)
		d.slot = g->qslot++ % ESYNC_VTD_QI_SLOTS + 1;
	emit(g, &d, ESYNC_EV_VTD_DESC, sizeof(d), seq, e->iommu);
}

static void amd_cmd(struct gen *g, const struct entry *e, uint64_t seq,
		    uint8_t type, uint32_t devid)
{
	struct esync_ev_amd_cmd c = { 0 };

	c.data[0] = devid & 0xffff;
	c.data[1] = (uint32_t)type << 28;
	c.devid = devid & 0xffff;
	c.type = type;
	emit(g, &c, ESYNC_EV_AMD_CMD, sizeof(c), seq, e->iommu);
}

static void completion_slot(struct gen *g, const struct entry *e, uint64_t seq,
			    uint8_t family, uint64_t raw0, int status, uint16_t slot)
{
	struct esync_ev_completion c = { 0 };

	c.slot = slot;
	c.raw[0] = raw0;
	c.family = family;
	c.status = status;
	emit(g, &c, ESYNC_EV_COMPLETION, sizeof(c), seq, e->iommu);
}

static void completion(struct gen *g, const struct entry *e, uint64_t seq,
		       uint8_t family, uint64_t raw0, int status)
{
	uint16_t slot = 0;

	if (family == ESYNC_FAMILY_VTD && g->slots)
		slot = g->qslot++ % ESYNC_VTD_QI_SLOTS + 1;
	completion_slot(g, e, seq, family, raw0, status, slot);
}

/*
 * Another task, in no write, invalidates the entry's PASID cache under
 * the DID of its last synced value and under its current one.
 */
static void vtd_other_pc_inval(struct gen *g, const struct entry *e, uint32_t stale_did)
{
	uint32_t tid = g->tid, did = (uint32_t)(e->val[1] & 0xffff);

	g->tid = 4242;
	vtd_desc(g, e, 0, 7 | 1u << 4 | (uint64_t)stale_did << 16 | (uint64_t)e->sub << 32);
	if (did != stale_did)
		vtd_desc(g, e, 0, 7 | 1u << 4 | (uint64_t)did << 16 | (uint64_t)e->sub << 32);
	g->tid = tid;
}

static uint32_t vtd_did(const struct entry *e)
{
	return (uint32_t)(e->val[1] & 0xffff);
}

/* The status of the wait the driver is about to report. */
static int wait_status(struct gen *g, uint64_t bugs)
{
	if (!(bugs & BUG_FAIL_SYNC) || g->fail_done)
		return 0;
	g->fail_done = g->fail_now = true;
	return g->fail_status ? g->fail_status : -110;	/* -ETIMEDOUT */
}

static void amd_flush(struct gen *g, const struct entry *e, uint64_t seq,
		      uint8_t type, uint32_t dev, bool aliases, uint64_t bugs)
{
	amd_cmd(g, e, seq, type, dev);
	if (aliases)
		for (unsigned int i = 0; i < e->nr_alias; i++)
			amd_cmd(g, e, seq, type, e->alias[i]);
	if (bugs & INV_ALL_TOO)
		amd_cmd(g, e, seq, 0x08, 0);	/* INVALIDATE_IOMMU_ALL */
	if (!g->waitless)
		amd_cmd(g, e, seq, 0x01, 0);
	if (!(bugs & UNTRACED_WAIT))
		completion(g, e, seq, ESYNC_FAMILY_AMD, 1ull << 60, wait_status(g, bugs));
}

/*
 * The driver's sync op: invalidate the entry's cache, then wait; the
 * wait's result comes as a completion event (the series' *_done and
 * qi_wait events).  Every command names the write (its task's seq).
 */
/*
 * VT-d: the PASID cache holds a present entry under its DID, so a sync
 * invalidates under each DID the entry had while present since the last
 * one (both when the DID changed), as the series' writer does; under the
 * DID field alone when it was present at no time (caching mode).
 */
static void vtd_pc_inval(struct gen *g, struct entry *e, uint64_t seq, uint64_t bugs)
{
	uint32_t dids[2], pasid = e->sub + (bugs & BUG_WRONG_DEV ? 1 : 0);
	unsigned int n = 0;

	if (e->win_present)
		dids[n++] = e->win_did;
	if (e->val[0] & 1 && !(n && dids[0] == vtd_did(e)))
		dids[n++] = vtd_did(e);
	if (bugs & BUG_NEW_DID_ONLY && n == 2)
		dids[0] = dids[--n];
	if (!n)
		dids[n++] = vtd_did(e);
	if (g->pc_did_first) {
		dids[0] = g->pc_did_first;
		n = 1;
		g->pc_did_first = 0;
	}
	for (unsigned int i = 0; i < n; i++)
		vtd_desc(g, e, seq, (bugs & BUG_PIOTLB_ONLY ? 6 : 7 | 1u << 4) |
			 (uint64_t)dids[i] << 16 | (uint64_t)pasid << 32);
	e->win_present = e->val[0] & 1;
	e->win_did = vtd_did(e);
}

/* Another task, in no write, queues a wait ... */
static void other_wait_issue(struct gen *g, const struct entry *e, uint64_t bugs,
			     uint32_t other)
{
	uint32_t tid = g->tid;

	g->tid = other;
	if ((e->f->id == ESYNC_FMT_SMMU_STE || e->f->id == ESYNC_FMT_SMMU_CD) &&
	    bugs & OTHER_BATCH2) {
		smmu_cmd(g, e, 0, 0x11, 0, 0, ESYNC_SMMU_F_SYNC);	/* TLBI_NH_ASID */
		smmu_cmd(g, e, 0, 0x11, 0, 0, ESYNC_SMMU_F_SYNC);
	} else if (e->f->id == ESYNC_FMT_SMMU_STE || e->f->id == ESYNC_FMT_SMMU_CD) {
		smmu_cmd(g, e, 0, 0x46, 0, 0, 0);
	} else {
		if (bugs & OTHER_INV_ALL)
			amd_cmd(g, e, 0, 0x08, 0);	/* INVALIDATE_IOMMU_ALL */
		amd_cmd(g, e, 0, 0x01, 0);
	}
	g->tid = tid;
}

/* ... and gets its result */
static void other_wait_result(struct gen *g, const struct entry *e, uint64_t bugs,
			      uint32_t other)
{
	uint32_t tid = g->tid;
	int status = bugs & BUG_OTHER_WAIT_FAILS ? -110 : 0;

	g->tid = other;
	if (e->f->id == ESYNC_FMT_SMMU_STE || e->f->id == ESYNC_FMT_SMMU_CD)
		completion(g, e, 0, ESYNC_FAMILY_SMMU, 0x46, status);
	else
		completion(g, e, 0, ESYNC_FAMILY_AMD, 1ull << 60, status);
	g->tid = tid;
}

static void write_words(struct gen *g, struct entry *e, uint64_t bugs,
			uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);
static struct entry amd(const struct esync_format *f, uint64_t addr);

/* The writer's invalidations, waited for by another task */
static void sync_by_other(struct gen *g, struct entry *e, uint64_t seq, uint64_t bugs)
{
	if (e->f->id == ESYNC_FMT_VTD_PASID) {
		/* Only the wait's result is traced, with its slot */
		uint32_t tid = g->tid;
		uint16_t slot = 0;

		if (bugs & BUG_OTHER_WAIT_BEFORE)
			slot = g->qslot++ % ESYNC_VTD_QI_SLOTS + 1;
		vtd_pc_inval(g, e, seq, bugs);
		if (bugs & OTHER_BATCH2) {
			g->tid = OTHER_TID(bugs);
			vtd_desc(g, e, 0, 5 | 1u << 5);
			vtd_desc(g, e, 0, 6 | 1u << 4 | (uint64_t)vtd_did(e) << 16 |
				 (uint64_t)(e->sub + 1) << 32);
		}
		if (bugs & OTHER_BATCH_UNTRACED)
			g->qslot += 4;
		if (!(bugs & BUG_OTHER_WAIT_BEFORE))
			slot = g->qslot++ % ESYNC_VTD_QI_SLOTS + 1;
		g->tid = OTHER_TID(bugs);
		completion_slot(g, e, 0, ESYNC_FAMILY_VTD, 5 | 1u << 5,
				bugs & BUG_OTHER_WAIT_FAILS ? -110 : 0, slot);
		g->tid = tid;
		return;
	}
	uint32_t others = bugs & NINE_OTHER_WAITS ? 9 : 1, tid = g->tid;
	bool smmu = e->f->id == ESYNC_FMT_SMMU_STE;
	uint64_t by = bugs & BUG_OWN_WAIT_FIRST && !g->own_inv_behind_wait ? 0 : seq;

	if (bugs & OTHER_INV_ALL) {
		amd_cmd(g, e, seq, 0x05, e->dev);
		amd_cmd(g, e, seq, 0x01, 0);
		other_wait_issue(g, e, bugs, OTHER_TID(bugs));
		completion(g, e, seq, ESYNC_FAMILY_AMD, 1ull << 60, 0);
		other_wait_result(g, e, bugs, OTHER_TID(bugs));
		return;
	}
	if (bugs & BUG_OWN_WAIT_FIRST) {
		if (smmu)
			smmu_cmd(g, e, seq, 0x46, 0, 0, 0);
		else
			amd_cmd(g, e, seq, 0x01, 0);
		if (!g->own_inv_behind_wait)
			g->tid = OTHER_TID(bugs);
	}
	if (bugs & BUG_OTHER_WAIT_BEFORE)
		for (uint32_t i = 0; i < others; i++)
			other_wait_issue(g, e, bugs, OTHER_TID(bugs) + i);
	if (smmu) {
		smmu_cmd(g, e, by, 0x03, e->dev, 0, 0);
	} else {
		uint8_t type = e->f->id == ESYNC_FMT_AMD_DTE ? 0x02 : 0x05;

		amd_cmd(g, e, by, type, e->dev);
		for (unsigned int i = 0; i < e->nr_alias; i++)
			amd_cmd(g, e, by, type, e->alias[i]);
	}
	if (bugs & BUG_OWN_WAIT_FIRST) {
		g->tid = tid;
		completion(g, e, seq, smmu ? ESYNC_FAMILY_SMMU : ESYNC_FAMILY_AMD,
			   smmu ? 0x46 : 1ull << 60, 0);
		return;
	}
	if (!(bugs & BUG_OTHER_WAIT_BEFORE))
		other_wait_issue(g, e, bugs, OTHER_TID(bugs));
	if (g->nested_irq_write) {
		struct entry n = amd(&esync_fmt_amd_irte, 0xffff888020200050);

		n.iommu = 2;
		n.dev = 0x0300;
		n.nr_alias = 0;
		n.val[0] = 1 | 0x1u << 8;
		n.val[1] = 0x41;
		g->nested_irq_write = false;
		g->tid = OTHER_TID(bugs);
		write_words(g, &n, 0, 1 | 0x5u << 8, 0x41, 0, 0);
		g->tid = tid;
		g->nested_irq_write = true;
	}
	if (bugs & OTHER_WAIT_CUT)
		return;
	for (uint32_t i = 0; i < others; i++)
		other_wait_result(g, e, bugs, OTHER_TID(bugs) + i);
}

/*
 * After a wait that failed, another wait with no new invalidation: the
 * invalidations stay queued, and this one completes them.
 */
static void retry_wait(struct gen *g, struct entry *e, uint64_t seq)
{
	switch (e->f->id) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_SMMU_CD:
	case ESYNC_FMT_TEST:
		smmu_cmd(g, e, seq, 0x46, 0, 0, 0);
		completion(g, e, seq, ESYNC_FAMILY_SMMU, 0x46, 0);
		break;
	case ESYNC_FMT_VTD_PASID:
		/* -EAGAIN: qi_submit_sync() submits the aborted batch again */
		if (g->fail_status == -11)
			vtd_pc_inval(g, e, seq, 0);
		completion(g, e, seq, ESYNC_FAMILY_VTD, 5 | 1u << 5, g->retry_status);
		break;
	default:
		amd_cmd(g, e, seq, 0x01, 0);
		completion(g, e, seq, ESYNC_FAMILY_AMD, 1ull << 60, 0);
	}
}

static void driver_sync(struct gen *g, struct entry *e, uint64_t seq,
			uint64_t bugs, bool skip)
{
	uint32_t dev = e->dev + (bugs & BUG_WRONG_DEV ? 1 : 0);
	bool failed_before = g->fail_done;

	if (skip)
		return;
	if (bugs & (OTHER_WAIT | BUG_OTHER_WAIT_BEFORE | BUG_OWN_WAIT_FIRST)) {
		sync_by_other(g, e, seq, bugs);
		return;
	}
	switch (e->f->id) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_TEST:
		smmu_cmd(g, e, seq, 0x03, dev, 0, 0);
		smmu_cmd(g, e, seq, 0x46, 0, 0, 0);
		completion(g, e, seq, ESYNC_FAMILY_SMMU, 0x46, wait_status(g, bugs));
		break;
	case ESYNC_FMT_SMMU_CD:
		/* CFGI_CD in a batch the driver closes with CMD_SYNC */
		smmu_cmd(g, e, seq, 0x05, dev, e->sub, ESYNC_SMMU_F_SYNC);
		completion(g, e, seq, ESYNC_FAMILY_SMMU, 0x46, wait_status(g, bugs));
		break;
	case ESYNC_FMT_VTD_PASID: {
		uint16_t wait_slot = 0;
		uint32_t stale_did = e->win_present ? e->win_did : vtd_did(e);

		/* PASID-selective PASID-cache invalidations, then the wait */
		if (bugs & OTHER_PC_BEFORE)
			vtd_other_pc_inval(g, e, stale_did);
		if (bugs & BUG_IOTLB_FIRST)
			vtd_desc(g, e, seq, 6 | 3u << 4 | (uint64_t)stale_did << 16 |
				 (uint64_t)e->sub << 32);
		if (bugs & BUG_OTHER_IOTLB_FIRST) {
			uint32_t tid = g->tid;

			g->tid = 4444;
			vtd_desc(g, e, 0, 2 | 2u << 4 | (uint64_t)stale_did << 16);
			g->tid = tid;
		}
		vtd_pc_inval(g, e, seq, bugs);
		if (g->slots)
			wait_slot = g->qslot++ % ESYNC_VTD_QI_SLOTS + 1;
		if (bugs & OTHER_PC_AFTER)
			vtd_other_pc_inval(g, e, stale_did);
		completion_slot(g, e, seq, ESYNC_FAMILY_VTD, 5 | 1u << 5, wait_status(g, bugs),
				wait_slot);
		break;
	}
	case ESYNC_FMT_AMD_DTE:
	case ESYNC_FMT_AMD_IRTE:
	case ESYNC_FMT_AMD_IRTE32: {
		uint8_t type = e->f->id == ESYNC_FMT_AMD_DTE ? 0x02 : 0x05;

		if (bugs & ALIAS_FIRST) {
			for (unsigned int i = 0; i < e->nr_alias; i++)
				amd_flush(g, e, seq, type, e->alias[i], false, bugs);
			amd_flush(g, e, seq, type, dev, false, bugs);
		} else if (bugs & BUG_ALIASES_ONLY) {
			for (unsigned int i = 0; i < e->nr_alias; i++)
				amd_cmd(g, e, seq, type, e->alias[i]);
			amd_flush(g, e, seq, type, e->alias[0], false, bugs);
		} else if (bugs & BUG_ALIAS_UNWAITED) {
			amd_flush(g, e, seq, type, dev, false, bugs);
			for (unsigned int i = 0; i < e->nr_alias; i++)
				amd_cmd(g, e, seq, type, e->alias[i]);
		} else {
			amd_flush(g, e, seq, type, dev,
				  !(bugs & (BUG_NO_ALIAS | DTE_CLONES)), bugs);
		}
		break;
	}
	}
	if (bugs & RETRY_WAIT && !failed_before && g->fail_done)
		retry_wait(g, e, seq);
}

struct writer {
	struct gen *g;
	struct entry *e;
	uint64_t seq;
	uint64_t bugs;
	unsigned int nr_syncs;
	unsigned int nq;
	unsigned int qw;
	bool sync_pending;	/* the driver has yet to sync the last step */
	bool stopped;		/* FAIL_STOPS: a sync failed, no more stores */
};

static bool quanta_eq(const struct writer *w, const uint64_t *a, const uint64_t *b,
		      unsigned int q)
{
	return !memcmp(a + q * w->qw, b + q * w->qw, w->qw * sizeof(uint64_t));
}

/* Stores quanta [start, start + len) of vals that differ; no sync. */
static void flush_sync(struct writer *w, bool last);

static bool copy(struct writer *w, const uint64_t *vals, unsigned int start,
		 unsigned int len)
{
	struct esync_ev_store st;
	bool changed = false;

	for (unsigned int q = start; q < start + len && !w->stopped; q++) {
		if (quanta_eq(w, w->e->val, vals, q)) {
			if (w->bugs & SAME_VALUE_STORES) {
				memset(&st, 0, sizeof(st));
				st.entry = w->e->addr;
				st.index = q;
				st.old_lo = st.new_lo = vals[q * w->qw];
				if (w->qw > 1)
					st.old_hi = st.new_hi = vals[q * w->qw + 1];
				emit(w->g, &st, ESYNC_EV_STORE, sizeof(st), w->seq, w->e->iommu);
			}
			continue;
		}
		flush_sync(w, false);
		if (w->stopped)
			break;
		memset(&st, 0, sizeof(st));
		st.entry = w->e->addr;
		st.index = q;
		st.old_lo = w->e->val[q * w->qw];
		if (w->bugs & BUG_FOREIGN_STORE && q > 0) {
			/* Written behind the writer's back (an AMD DTE's IRT root) */
			st.old_lo ^= 1ull << 40;
			w->bugs &= ~BUG_FOREIGN_STORE;
		}
		st.new_lo = vals[q * w->qw];
		if (w->qw > 1) {
			st.old_hi = w->e->val[q * w->qw + 1];
			st.new_hi = vals[q * w->qw + 1];
		}
		emit(w->g, &st, ESYNC_EV_STORE, sizeof(st), w->seq, w->e->iommu);
		memcpy(w->e->val + q * w->qw, vals + q * w->qw, w->qw * sizeof(uint64_t));
		changed = true;
		if (w->bugs & FAULT_MID) {
			fault(w->g, w->e, 0, false);
			w->bugs &= ~FAULT_MID;
		}

		if (w->bugs & BUG_CUT)
			w->g->stop = true;
		if (w->bugs & BUG_LOST) {
			struct esync_ev_lost l = { .lost = 3 };

			emit(w->g, &l, ESYNC_EV_LOST, sizeof(l), 0, w->e->iommu);
			w->bugs &= ~BUG_LOST;
		}
	}
	return changed;
}

static void sync_step(struct writer *w)
{
	struct esync_ev_sync s = { 0 };

	s.entry = w->e->addr;
	s.step = ++w->nr_syncs;
	emit(w->g, &s, ESYNC_EV_SYNC, sizeof(s), w->seq, w->e->iommu);
	w->sync_pending = true;
}

/*
 * The driver's commands for the pending sync.  They are issued right after
 * the sync event either way; deferring them to the next store or the end
 * only lets a planted bug know whether this sync is the last one.
 */
static void flush_sync(struct writer *w, bool last)
{
	bool skip = (w->bugs & BUG_NO_SYNC_FIRST && w->nr_syncs == 1) ||
		    (w->bugs & BUG_NO_SYNC_LAST && last);

	if (!w->sync_pending)
		return;
	w->sync_pending = false;
	driver_sync(w->g, w->e, w->seq, w->bugs, skip);
	if ((w->bugs & FAIL_STOPS && w->g->fail_now) || w->bugs & BUG_FAKE_STOP)
		w->stopped = true;
}

static void set(struct writer *w, const uint64_t *vals, unsigned int start,
		unsigned int len)
{
	if (copy(w, vals, start, len))
		sync_step(w);
}

/* One update of e to target, as the entry_sync writer does it. */
static void write_entry(struct gen *g, struct entry *e, const uint64_t *target_in,
			uint64_t bugs)
{
	const struct esync_format *f = e->f;
	struct writer w = { .g = g, .e = e, .bugs = bugs, .nq = f->num_quanta,
			    .qw = qwords(f) };
	uint64_t target[ESYNC_EV_MAX_WORDS] = { 0 }, uu[ESYNC_EV_MAX_WORDS] = { 0 };
	uint64_t cu[ESYNC_FMT_MAX_WORDS] = { 0 }, tu[ESYNC_FMT_MAX_WORDS] = { 0 };
	struct esync_ev_write_begin b = { 0 };
	struct esync_ev_write_end end = { 0 };
	unsigned int nr_crit = 0, crit = 0, how, v = f->vbit_quanta;

	memcpy(target, target_in, f->words * sizeof(uint64_t));
	g->fail_now = false;
	e->win_present = e->val[0] & 1;
	e->win_did = vtd_did(e);
	w.seq = ++g->seq;
	b.entry = e->addr;
	b.format = (uint16_t)f->id;
	b.quanta_bits = (uint16_t)f->quanta_bits;
	b.num_quanta = (uint16_t)f->num_quanta;
	b.vbit_quanta = (uint16_t)v;
	b.dev = e->dev;
	b.sub = e->sub;
	b.words = (uint16_t)f->words;
	memcpy(b.cur, e->val, f->words * sizeof(uint64_t));
	memcpy(b.target, target, f->words * sizeof(uint64_t));
	if (bugs & LOSS_MARK)
		b.hdr.flags = ESYNC_EVF_LOST_BEFORE;
	emit(g, &b, ESYNC_EV_WRITE_BEGIN, sizeof(b), w.seq, e->iommu);

	f->get_used(e->val, cu);
	f->get_used(target, tu);
	{
		struct esync_ev_used u = { 0 };

		u.entry = e->addr;
		u.words = (uint16_t)f->words;
		memcpy(u.cur_used, cu, f->words * sizeof(uint64_t));
		memcpy(u.target_used, tu, f->words * sizeof(uint64_t));
		/* A driver whose get_used forgets a field the hardware reads */
		if (bugs & BUG_USED_MISMATCH)
			u.target_used[0] &= ~(uint64_t)0x0e;
		emit(g, &u, ESYNC_EV_USED, sizeof(u), w.seq, e->iommu);
	}
	for (unsigned int q = 0; q < w.nq; q++) {
		bool critical = false;

		for (unsigned int k = 0; k < w.qw; k++) {
			unsigned int i = q * w.qw + k;

			uu[i] = (e->val[i] & cu[i]) | (target[i] & ~cu[i]);
			if ((uu[i] & tu[i]) != target[i])
				critical = true;
		}
		if (critical) {
			nr_crit++;
			crit = q;
		}
	}
	if (bugs & BUG_ALWAYS_DISRUPTIVE && nr_crit == 1)
		nr_crit = 2;

	if (bugs & BUG_NEVER_DISRUPTIVE && nr_crit > 1) {
		set(&w, target, 0, w.nq);
		how = ESYNC_HOW_HITLESS;
	} else if (nr_crit == 1) {
		memcpy(uu + crit * w.qw, e->val + crit * w.qw, w.qw * sizeof(uint64_t));
		set(&w, uu, 0, w.nq);
		if (bugs & BUG_DETOUR) {
			uint64_t d[ESYNC_EV_MAX_WORDS];

			memcpy(d, target, sizeof(d));
			d[crit * w.qw] ^= 1ull << 40;
			set(&w, d, crit, 1);
		}
		set(&w, target, crit, 1);
		/* BUG_DROP_LAST_STORE: the step clearing what the target ignores */
		if (!(bugs & BUG_DROP_LAST_STORE))
			set(&w, target, 0, w.nq);
		how = ESYNC_HOW_HITLESS;
	} else if (nr_crit) {
		bool changed;

		memset(uu + v * w.qw, 0, w.qw * sizeof(uint64_t));
		/* AMD: V=0 lets DMA through; the blocking entry is V=1, TV=1, IR=IW=0 */
		if (f->id == ESYNC_FMT_AMD_DTE && !(bugs & BUG_DTE_V0)) {
			uu[0] = 0x3;
			uu[1] = e->val[1];
		}
		set(&w, uu, v, 1);
		if (bugs & BUG_V0_AMONG_MANY) {
			uint64_t d[ESYNC_EV_MAX_WORDS];

			memcpy(d, uu, sizeof(d));
			d[0] = 0;
			copy(&w, d, v, 1);
			for (uint64_t i = 1; i <= 9; i++) {
				d[0] = uu[0] | i << 12;
				copy(&w, d, v, 1);
			}
			copy(&w, uu, v, 1);
		}
		if (bugs & BUG_V1_RANGE) {
			/* The v1 bug: [0, vbit - 1] and [vbit, num - 1] as lengths */
			changed = copy(&w, target, 0, w.nq - 1);
		} else {
			changed = copy(&w, target, 0, v);
			changed |= copy(&w, target, v + 1, w.nq - v - 1);
		}
		if (changed)
			sync_step(&w);
		set(&w, target, v, 1);
		how = ESYNC_HOW_DISRUPTIVE;
	} else {
		set(&w, target, 0, w.nq);
		how = ESYNC_HOW_NO_CHANGE;
	}

	/* After the last store, before its sync */
	if (bugs & BUG_ATC_EARLY)
		smmu_cmd(g, e, w.seq, 0x40, e->dev, 0, 0);
	flush_sync(&w, true);
	if (w.stopped)
		how = ESYNC_HOW_FAILED;
	end.entry = e->addr;
	end.how = (uint8_t)how;
	end.nr_critical = (uint16_t)nr_crit;
	end.nr_syncs = (uint16_t)w.nr_syncs;
	end.words = (uint16_t)f->words;
	memcpy(end.final, e->val, f->words * sizeof(uint64_t));
	if (bugs & BUG_WRONG_FINAL)
		end.final[0] ^= 1ull << 40;
	emit(g, &end, ESYNC_EV_WRITE_END, sizeof(end), w.seq, e->iommu);
	if (bugs & LOSS_COUNT_AFTER) {
		struct esync_ev_lost l = { .lost = 3 };

		emit(g, &l, ESYNC_EV_LOST, sizeof(l), 0, e->iommu);
	}

	/*
	 * VT-d flushes the IOTLB, then the device TLB, once, after the writer:
	 * the IOTLB under the DID the entry had while present, by the kind
	 * its page-table type needs (the domain's for second-stage and
	 * nested, the PASID's for first-stage and pass-through)
	 */
	if (f->id == ESYNC_FMT_VTD_PASID && e->ats) {
		const uint64_t *was = b.cur[0] & 1 && !(bugs & BUG_IOTLB_NEW_DID) ? b.cur : e->val;
		unsigned int pgtt = (unsigned int)(was[0] >> 6) & 7;
		uint32_t did = (uint32_t)(was[1] & 0xffff) + (bugs & BUG_IOTLB_OTHER_DID ? 1 : 0);
		bool domain = (pgtt == 2 || pgtt == 3) != !!(bugs & BUG_IOTLB_WRONG_KIND);
		uint64_t iotlb = (domain ? 2 | 2u << 4 : 6 | 3u << 4 | (uint64_t)e->sub << 32) |
				 (uint64_t)did << 16;
		uint64_t devtlb = 8 | (uint64_t)(e->dev & 0xffff) << 16 |
				  (uint64_t)e->sub << 32;

		if (bugs & BUG_OTHER_IOTLB_FIRST) {
			vtd_desc(g, e, w.seq, devtlb);
		} else if (bugs & BUG_DEVTLB_FIRST) {
			vtd_desc(g, e, w.seq, devtlb);
			vtd_desc(g, e, w.seq, iotlb);
		} else {
			vtd_desc(g, e, w.seq, iotlb);
			if (g->other_pc_between) {
				uint32_t tid = g->tid;

				vtd_other_pc_inval(g, e, vtd_did(e));
				g->tid = 4242;
				completion(g, e, 0, ESYNC_FAMILY_VTD, 5 | 1u << 5, 0);
				g->tid = tid;
			}
			vtd_desc(g, e, w.seq, devtlb);
		}
		completion(g, e, w.seq, ESYNC_FAMILY_VTD, 5 | 1u << 5, 0);
	}
	/* SMMU with ATS: the ATC, once the new entry is in place */
	if (bugs & SMMU_ATC && (f->id == ESYNC_FMT_SMMU_STE || f->id == ESYNC_FMT_SMMU_CD)) {
		smmu_cmd(g, e, w.seq, 0x40, e->dev, 0, ESYNC_SMMU_F_SYNC);
		completion(g, e, w.seq, ESYNC_FAMILY_SMMU, 0x46, 0);
	}
}

static void write_words(struct gen *g, struct entry *e, uint64_t bugs,
			uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	uint64_t t[ESYNC_EV_MAX_WORDS] = { w0, w1, w2, w3 };

	sanitize(e->f, t);
	write_entry(g, e, t, bugs);
}

/* With ESYNC_MODE_LEGACY: recorded by the SMMUv3 snapshot collector */
#define GEN_SMMU_SNAPSHOTS 0x100
/* With ESYNC_MODE_LEGACY: stock set_dte_entry() seen on both sides */
#define GEN_AMD_DTE_SNAPSHOTS 0x200
/* With ESYNC_MODE_LEGACY: stock VT-d PASID teardown and setup snapshots */
#define GEN_VTD_SNAPSHOTS 0x400

static int gen_open_mode(struct gen *g, const char *path,
			 const struct esync_alias_set *topo, unsigned int nr_topo,
			 uint32_t mode)
{
	struct esync_dump_info info = {
		.mode = mode & ~(GEN_SMMU_SNAPSHOTS | GEN_AMD_DTE_SNAPSHOTS | GEN_VTD_SNAPSHOTS),
	};
	int err;

	memset(g, 0, sizeof(*g));
	g->ts = 1000000;
	g->tid = 100;
	strcpy(info.host, "esync-gen");
	strcpy(info.kernel, "6.12.0-esync-test");
	strcpy(info.tool, "esync-gen");
	if (mode == ESYNC_MODE_PATCHED) {
		/* What the series' events give: attribution and wait results */
		info.flags = ESYNC_IN_ATTRIBUTED | ESYNC_IN_SMMU_DONE | ESYNC_IN_AMD_DONE;
		info.checks = ESYNC_ALL_CHECKS;
	} else if (mode & (GEN_SMMU_SNAPSHOTS | GEN_VTD_SNAPSHOTS)) {
		/* A stock SMMUv3 or VT-d writer seen at each sync: the step checks */
		info.flags = ESYNC_IN_ATTRIBUTED | ESYNC_IN_SMMU_DONE;
		info.checks = 1u << ESYNC_CHK_H1 | 1u << ESYNC_CHK_H2 | 1u << ESYNC_CHK_H3 |
			      1u << ESYNC_CHK_H4 | 1u << ESYNC_CHK_F1 | 1u << ESYNC_CHK_F2 |
			      1u << ESYNC_CHK_F3 | 1u << ESYNC_CHK_INCOMPLETE;
	} else if (mode & GEN_AMD_DTE_SNAPSHOTS) {
		/* (modify_irte_ga inlined, as in Debian's build: no A1) */
		info.checks = 1u << ESYNC_CHK_H1 | 1u << ESYNC_CHK_H4 |
			      1u << ESYNC_CHK_INCOMPLETE;
	} else {
		info.checks = 1u << ESYNC_CHK_A1 | 1u << ESYNC_CHK_INCOMPLETE;
	}
	info.topo.nr = nr_topo;
	info.topo.sets = (struct esync_alias_set *)topo;
	err = esync_dump_create(&g->w, path, &info);
	if (err)
		fprintf(stderr, "gen-dumps: %s: %s\n", path, strerror(-err));
	return err;
}

static int gen_open(struct gen *g, const char *path,
		    const struct esync_alias_set *topo, unsigned int nr_topo)
{
	return gen_open_mode(g, path, topo, nr_topo, ESYNC_MODE_PATCHED);
}

static int gen_close(struct gen *g, const char *path)
{
	int err = esync_dump_finish(&g->w);

	if (!err)
		err = g->failed;
	if (err)
		fprintf(stderr, "gen-dumps: %s: %s\n", path, strerror(-err));
	return err;
}

/* Entries of each format, set up the way their drivers would. */
#define STE_S1(ctx)	(1 | 5u << 1 | (uint64_t)(ctx) << 6)
#define STE_S2		(1 | 6u << 1)
#define STE_BYPASS	(1 | 4u << 1)
#define STE_ABORT	(1)

static struct entry ste(void)
{
	return (struct entry){ .f = &esync_fmt_smmu_ste, .addr = 0xffff000040001000,
			       .dev = 0x10 };
}

static void clean_ste(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();

	write_words(g, &e, bugs, STE_ABORT, 0, 0, 0);		/* V=0 -> abort */
	write_words(g, &e, bugs, STE_BYPASS, 1ull << 44, 0, 0);	/* hitless */
	write_words(g, &e, bugs, STE_S1(0x1000), 0, 0, 0);	/* hitless */
	write_words(g, &e, bugs, STE_S1(0x2000), 0, 0, 0);	/* hitless */
	write_words(g, &e, bugs, STE_S2, 0, 0x5 | 0x80ull << 32,
		    0x40000000);				/* disruptive */
	write_words(g, &e, bugs, STE_S2, 0, 0x5 | 0x80ull << 32,
		    0x40000000);				/* no change */
	write_words(g, &e, bugs, 0, 0, 0, 0);			/* hitless */
}

static void clean_cd(struct gen *g, uint64_t bugs)
{
	struct entry e = { .f = &esync_fmt_smmu_cd, .addr = 0xffff000040102000,
			   .dev = 0x10, .sub = 1 };
	uint64_t cd0 = 16 | 1ull << 31 | 1ull << 41;	/* T0SZ, V, AA64 */

	write_words(g, &e, bugs, cd0 | 1ull << 48, 0x80000000, 0, 0xff);
	write_words(g, &e, bugs, cd0 | 2ull << 48, 0x80000000, 0, 0xff);
	write_words(g, &e, bugs, 0, 0, 0, 0);
}

static struct entry vtd(void)
{
	return (struct entry){ .f = &esync_fmt_vtd_pasid, .addr = 0xffff888010203000,
			       .dev = 0x0010, .sub = 3, .ats = true };
}

static void clean_vtd(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();
	uint64_t pt = 1 | 2u << 2 | 4u << 6, sl = 1 | 2u << 2 | 2u << 6 | 0x7000;

	write_words(g, &e, bugs, pt, 1, 0, 0);		/* set up pass-through */
	write_words(g, &e, bugs, sl, 1, 0, 0);		/* PT -> SL, hitless */
	write_words(g, &e, bugs, 0, 0, 0, 0);		/* tear down */
}

/* An SL entry's page-table pointer changes, hitless (DID 1, ATS) */
static void vtd_sl_change(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();

	e.val[0] = 1 | 2u << 2 | 2u << 6 | 0x7000;
	e.val[1] = 1;
	write_words(g, &e, bugs, 1 | 2u << 2 | 2u << 6 | 0x8000, 1, 0, 0);
}

static const struct esync_alias_set amd_topo[] = {
	{ .dev = 0x0208, .nr = 1, .alias = { 0x0200 } },
};

static struct entry amd(const struct esync_format *f, uint64_t addr)
{
	return (struct entry){ .f = f, .addr = addr, .iommu = 1, .dev = 0x0208,
			       .sub = 5, .nr_alias = 1, .alias = { 0x0200 } };
}

/*
 * A DTE write of device D as the series does it: D's own DTE, invalidated
 * under its own ID, then each alias's DTE (which held what D held) cloned
 * to D's by a write of its own.
 */
static void dte_write(struct gen *g, struct entry *e, uint64_t bugs,
		      uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	uint64_t old[ESYNC_EV_MAX_WORDS];

	if (bugs & OLD_ALIAS_FLUSH || !e->nr_alias) {
		write_words(g, e, bugs, w0, w1, w2, w3);
		return;
	}
	memcpy(old, e->val, sizeof(old));
	write_words(g, e, bugs | DTE_CLONES, w0, w1, w2, w3);
	for (unsigned int i = 0; i < e->nr_alias; i++) {
		struct entry a = *e;

		a.addr = e->addr - (uint64_t)(e->dev - e->alias[i]) * 32;
		a.dev = e->alias[i];
		a.nr_alias = 0;
		memcpy(a.val, old, sizeof(a.val));
		write_words(g, &a, DTE_CLONES, e->val[0], e->val[1], e->val[2], e->val[3]);
	}
}

static void trace_goes_on(struct gen *g);

static void clean_dte(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	uint64_t d0 = 1 | 1u << 1 | 4u << 9 | 0x123000ull | 1ull << 61 | 1ull << 62;

	dte_write(g, &e, bugs, d0, 7, 0, 0);
	dte_write(g, &e, bugs, d0, 9, 0, 0);	/* domain change, hitless */
	dte_write(g, &e, bugs, d0 & ~0x123000ull, 9, 0, 0);
	if (bugs & OLD_ALIAS_FLUSH)
		trace_goes_on(g);
}

static void clean_irte(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_irte, 0xffff888020100050);

	write_words(g, &e, bugs, 1 | 0x1u << 8, 0x41, 0, 0);
	write_words(g, &e, bugs, 1 | 0x2u << 8, 0x41, 0, 0);	/* affinity */
	write_words(g, &e, bugs, 1 | 0x2u << 8, 0x42, 0, 0);	/* vector */
}

static void clean_irte32(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_irte32, 0xffff888020200014);

	write_words(g, &e, bugs, 1 | 0x1u << 8 | 0x30u << 16, 0, 0, 0);
	write_words(g, &e, bugs, 1 | 0x3u << 8 | 0x30u << 16, 0, 0, 0);
	write_words(g, &e, bugs, 0, 0, 0, 0);
}

#define TEST_W(mode, p0, p1, p2, p3) \
	(1 | (uint64_t)(mode) << 1 | (uint64_t)(p0) << 16), (uint64_t)(p1) << 16, \
	(uint64_t)(p2) << 16, (uint64_t)(p3) << 16

static void clean_test(struct gen *g, uint64_t bugs)
{
	struct entry e = { .f = &esync_fmt_test, .addr = 0xffffc90000001000,
			   .dev = 0x20 };

	write_words(g, &e, bugs, TEST_W(1, 0, 0x11, 0, 0));
	write_words(g, &e, bugs, TEST_W(2, 0, 0x11, 0x22, 0));	/* hitless */
	write_words(g, &e, bugs, TEST_W(3, 0, 0, 0x33, 0x44));	/* disruptive */
}

typedef void (*scenario_fn)(struct gen *g, uint64_t bugs);

/*
 * The trace goes on for two seconds more (writes of another entry): what a
 * write still waits for then (A1: its aliases' DTE clones) is known not to
 * come, where an input that ends at once leaves it unknown.
 */
static void trace_goes_on(struct gen *g)
{
	g->ts += 2000000000ull;
	clean_test(g, 0);
}

/*
 * Faults after correct writes: a translation fault after the STE's last
 * write, the same through iommu:io_page_fault (device name, no IOMMU), and
 * a VT-d fault of a device esync saw no write for.
 */
static void faults_after_clean(struct gen *g, uint64_t bugs)
{
	struct entry e = ste(), v = vtd();

	clean_ste(g, bugs);
	fault(g, &e, 0, true);
	io_page_fault(g, "0000:00:02.0", 0x80001000);
	fault(g, &e, 0x11, true);	/* another stream: no write behind it */
	v.dev = 0x0318;
	fault(g, &v, 0, true);
}

/*
 * An STE moved from stage 1 to stage 2, its CD (substream 0) cleared
 * after: a stage-2 translation fault comes of the STE, not of the CD
 */
static void fault_smmu_s2(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();
	struct entry cd = { .f = &esync_fmt_smmu_cd, .addr = 0xffff000040102000,
			    .dev = 0x10, .sub = 0 };
	struct esync_ev_fault f = { 0 };

	e.val[0] = STE_S1(0x1000);
	write_words(g, &e, bugs, STE_S2, 0, 0x5 | 0x80ull << 32, 0x40000000);
	cd.val[0] = 16 | 1ull << 31 | 1ull << 41 | 1ull << 48;
	cd.val[1] = 0x80000000;
	write_words(g, &cd, bugs, 0, 0, 0, 0);
	f.source = ESYNC_FAULT_SMMU_EVTQ;
	f.raw[0] = 0x10 | (uint64_t)e.dev << 32;	/* F_TRANSLATION, no SSV */
	f.raw[1] = 1ull << 35 | 1ull << 39;		/* read, S2 */
	f.raw[2] = 0x80001000;
	emit(g, &f, ESYNC_EV_FAULT, sizeof(f), 0, e.iommu);
}

/*
 * A device's DTE, then one of its IRTEs, then a DMA fault through the
 * generic event: DMA faults name the DTE, never an interrupt entry
 */
static void fault_amd_dma(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	struct entry r = amd(&esync_fmt_amd_irte, 0xffff888020100050);
	uint64_t d0 = 1 | 1u << 1 | 4u << 9 | 0x123000ull | 1ull << 61 | 1ull << 62;
	uint64_t t[ESYNC_EV_MAX_WORDS] = { 1 | 0x2u << 8, 0x41 };

	dte_write(g, &e, bugs, d0, 7, 0, 0);
	r.val[0] = 1 | 0x1u << 8;
	r.val[1] = 0x41;
	write_entry(g, &r, t, bugs);
	io_page_fault(g, "0000:02:01.0", 0x80001000);
}

/* An AMD DTE write, then a fault that names the device's DMA alias */
static void fault_amd_alias(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	uint64_t d0 = 1 | 1u << 1 | 4u << 9 | 0x123000ull | 1ull << 61 | 1ull << 62;

	dte_write(g, &e, bugs, d0, 7, 0, 0);
	fault(g, &e, 0x0200, false);
}

static void ste_hitless(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();

	e.val[0] = STE_S1(0x1000);
	write_words(g, &e, bugs, STE_S1(0x2000), 0, 0, 0);
}

static void ste_to_s2(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();

	e.val[0] = STE_S1(0x1000);
	write_words(g, &e, bugs, STE_S2, 0, 0x5 | 0x80ull << 32, 0x40000000);
}

/* A torn STE update, then the translation fault it causes */
static void ste_to_s2_fault(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();

	ste_to_s2(g, bugs);
	fault(g, &e, 0, true);
}

/* An S2 STE with SHCFG and EATS set */
static struct entry ste_s2_shcfg(void)
{
	struct entry e = ste();

	e.val[0] = STE_S2;
	e.val[1] = 1ull << 44 | 1ull << 28;	/* SHCFG=1, EATS=1 */
	e.val[2] = 0x5 | 0x80ull << 32;
	e.val[3] = 0x40000000;
	return e;
}

/*
 * An S2 STE torn down to zeros (V=0 first, then the other quanta), then
 * made a bypass STE by one store of its first quantum.  BUG_NO_SYNC_LAST:
 * the teardown's last step is never synced; no view of the teardown is
 * valid, but the hardware may still fetch its old SHCFG with the new V=1
 * word, a view the bypass write's own window must hold.
 */
static void ste_teardown_then_bypass(struct gen *g, uint64_t bugs)
{
	struct entry e = ste_s2_shcfg();

	write_words(g, &e, bugs, 0, 0, 0, 0);
	write_words(g, &e, 0, STE_BYPASS, 0, 0, 0);
}

/* ... with, in between, a write of the entry that changes nothing */
static void ste_teardown_noop_then_bypass(struct gen *g, uint64_t bugs)
{
	struct entry e = ste_s2_shcfg();

	write_words(g, &e, bugs, 0, 0, 0, 0);
	write_words(g, &e, 0, 0, 0, 0, 0);
	write_words(g, &e, 0, STE_BYPASS, 0, 0, 0);
}

/*
 * ... the bypass written by another task while the teardown's write still
 * lingers for the commands after its end (the window is the entry's,
 * whichever task stored its values)
 */
static void ste_teardown_then_bypass_other_task(struct gen *g, uint64_t bugs)
{
	struct entry e = ste_s2_shcfg();
	uint32_t tid = g->tid;

	write_words(g, &e, bugs, 0, 0, 0, 0);
	g->tid = 4444;
	write_words(g, &e, 0, STE_BYPASS, 0, 0, 0);
	g->tid = tid;
}

static void ste_bypass(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();

	e.val[0] = STE_ABORT;
	write_words(g, &e, bugs, STE_BYPASS, 1ull << 44, 0, 0);
}

static void ste_bypass_to_s1(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();

	e.val[0] = STE_BYPASS;
	e.val[1] = 1ull << 44;
	write_words(g, &e, bugs, STE_S1(0x1000), 0, 0, 0);
}

static void ste_stray_bits(struct gen *g, uint64_t bugs)
{
	struct entry e = ste();
	uint64_t t[ESYNC_EV_MAX_WORDS] = { STE_BYPASS, 1ull << 44, 0x77, 0 };

	/* S2VMID is not used by a bypass STE: the target breaks the contract */
	e.val[0] = STE_ABORT;
	write_entry(g, &e, t, bugs);
}

static void vtd_pt_to_sl(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();

	e.val[0] = 1 | 2u << 2 | 4u << 6;
	e.val[1] = 1;
	write_words(g, &e, bugs, 1 | 2u << 2 | 2u << 6 | 0x7000, 1, 0, 0);
}

/*
 * VT-d: the sync's batch is aborted (qi_wait -EAGAIN: a device-TLB time-out
 * elsewhere on the queue) and submitted again, and that wait succeeds (or,
 * vtd_eagain_timeout, times out): no result until the retry's
 */
static void vtd_eagain_ok(struct gen *g, uint64_t bugs)
{
	g->fail_status = -11;
	vtd_pt_to_sl(g, bugs | BUG_FAIL_SYNC | RETRY_WAIT);
}

static void vtd_eagain_timeout(struct gen *g, uint64_t bugs)
{
	g->retry_status = -110;
	vtd_eagain_ok(g, bugs);
}

/* A second-stage entry moves to another domain: only its DID changes */
static void vtd_did_change(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();

	e.val[0] = 1 | 2u << 2 | 2u << 6 | 0x7000;
	e.val[1] = 1;
	write_words(g, &e, bugs, e.val[0], 2, 0, 0);
}

/*
 * A PASID entry set up by a driver that invalidates only the IOTLB at each
 * sync, while another task invalidates the PASID cache: in time, before
 * the wait's slot, or behind it.  The queue slots say which.
 */
static void vtd_queue_order(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();

	g->slots = true;
	g->qslot = 250;		/* the slots wrap around during the write */
	/* First-stage, set up in two steps: FSPTPTR, then P */
	write_words(g, &e, bugs | BUG_PIOTLB_ONLY, 1 | 2u << 2 | 1u << 6, 1, 0x5000, 0);
	g->slots = false;
}

/* The same set-up, its queue slots traced, as the writer flushes */
static void vtd_slots(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();

	g->slots = true;
	g->qslot = 250;
	write_words(g, &e, bugs, 1 | 2u << 2 | 1u << 6, 1, 0x5000, 0);
	g->slots = false;
}

static void irte_affinity(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_irte, 0xffff888020100050);
	uint64_t t[ESYNC_EV_MAX_WORDS] = { 1 | 0x2u << 8, 0x41 };
	uint32_t tid = g->tid;
	uint64_t seq;

	e.val[0] = 1 | 0x1u << 8;
	e.val[1] = 0x41;
	write_entry(g, &e, t, bugs);
	seq = g->seq;
	/* A busy IOMMU: invalidations of other devices by a task in no write */
	if (bugs & BUSY_OTHERS) {
		g->tid = 4343;
		for (uint32_t i = 0; i < 32; i++) {
			amd_cmd(g, &e, 0, 0x05, 0x0400 + i);
			amd_cmd(g, &e, 0, 0x02, 0x0500 + i);
		}
		g->tid = tid;
	}
	/* Another task writes the same IRTE (and flushes it all) meanwhile */
	if (bugs & OTHER_WRITER_BETWEEN) {
		uint64_t t2[ESYNC_EV_MAX_WORDS] = { 1 | 0x3u << 8, 0x41 };

		g->tid = 200;
		write_entry(g, &e, t2, 0);
		g->tid = tid;
	}
	/* ... then the writer's own alias flushes, after its write-end */
	if (bugs & ALIAS_AFTER_END) {
		for (unsigned int i = 0; i < e.nr_alias; i++)
			amd_cmd(g, &e, seq, 0x05, e.alias[i]);
		amd_cmd(g, &e, seq, 0x01, 0);
		if (!(bugs & OTHER_WAIT_CUT))
			completion(g, &e, seq, ESYNC_FAMILY_AMD, 1ull << 60,
				   bugs & LATE_WAIT_FAILS ? -110 : 0);
	}
}

/* Writes events kept aside, with timestamps in the order written. */
static void replay(struct gen *g, union esync_event *ev)
{
	int err;

	if (g->stop)
		return;
	ev->hdr.ts_ns = g->ts += 250;
	err = esync_dump_write(&g->w, ev);
	if (err && !g->failed)
		g->failed = err;
	g->events++;
}

/*
 * Two tasks on two CPUs update two entries of one IOMMU at the same time:
 * the events of their writes (and of the invalidations each issues)
 * interleave one by one.  bugs apply to the first write only.
 */
static void interleaved(struct gen *g, struct entry *a, const uint64_t *ta,
			uint64_t bugs, struct entry *b, const uint64_t *tb)
{
	struct capture ca = { 0 }, cb = { 0 };
	size_t i = 0, j = 0;

	g->cap = &ca;
	g->tid = 101;
	write_entry(g, a, ta, bugs);
	g->cap = &cb;
	g->tid = 102;
	write_entry(g, b, tb, 0);
	g->cap = NULL;
	while (i < ca.n || j < cb.n) {
		if (i < ca.n)
			replay(g, &ca.ev[i++]);
		if (j < cb.n)
			replay(g, &cb.ev[j++]);
	}
	free(ca.ev);
	free(cb.ev);
}

/*
 * Task 101 gives the STE a SHCFG (quantum 1), task 102 makes it abort
 * (quantum 0): one after the other, or (BUG_RACE) 102's write inside
 * 101's, so that 101's write-end reads an entry it did not build.
 */
static void ste_two_writers(struct gen *g, uint64_t bugs)
{
	struct entry a = ste(), b;
	uint64_t ta[ESYNC_EV_MAX_WORDS] = { STE_BYPASS, 1ull << 44 };
	uint64_t tb[ESYNC_EV_MAX_WORDS] = { STE_ABORT };
	struct capture ca = { 0 }, cb = { 0 };

	a.val[0] = STE_BYPASS;
	b = a;
	if (!(bugs & BUG_RACE)) {
		g->tid = 101;
		write_entry(g, &a, ta, 0);
		g->tid = 102;
		write_entry(g, &a, tb, 0);
		return;
	}
	g->cap = &ca;
	g->tid = 101;
	write_entry(g, &a, ta, 0);
	g->cap = &cb;
	g->tid = 102;
	write_entry(g, &b, tb, 0);
	g->cap = NULL;
	/* The entry 101's write leaves: 102's quantum 0, its own quantum 1 */
	for (size_t i = 0; i < ca.n; i++)
		if (ca.ev[i].hdr.kind == ESYNC_EV_WRITE_END)
			ca.ev[i].end.final[0] = STE_ABORT;
	/* As the series traces them: on the second SMMU, entry events without it */
	for (size_t i = 0; i < ca.n + cb.n; i++) {
		union esync_event *x = i < ca.n ? &ca.ev[i] : &cb.ev[i - ca.n];

		x->hdr.iommu = x->hdr.kind == ESYNC_EV_WRITE_BEGIN || x->hdr.kind == ESYNC_EV_SMMU_CMD ||
			       x->hdr.kind == ESYNC_EV_COMPLETION;
	}
	replay(g, &ca.ev[0]);
	for (size_t j = 0; j < cb.n; j++)
		replay(g, &cb.ev[j]);
	for (size_t i = 1; i < ca.n; i++)
		replay(g, &ca.ev[i]);
	free(ca.ev);
	free(cb.ev);
}

static void smmu_two_tasks(struct gen *g, uint64_t bugs)
{
	struct entry a = ste(), b = ste();
	uint64_t ta[ESYNC_EV_MAX_WORDS] = { STE_S1(0x2000) };
	uint64_t tb[ESYNC_EV_MAX_WORDS] = { STE_BYPASS, 1ull << 44 };

	a.val[0] = STE_S1(0x1000);
	b.addr += 64;
	b.dev = 0x11;
	b.val[0] = STE_ABORT;
	interleaved(g, &a, ta, bugs, &b, tb);
}

static void amd_two_tasks(struct gen *g, uint64_t bugs)
{
	struct entry a = amd(&esync_fmt_amd_irte, 0xffff888020100050);
	struct entry b = amd(&esync_fmt_amd_irte, 0xffff888020300070);
	uint64_t ta[ESYNC_EV_MAX_WORDS] = { 1 | 0x2u << 8, 0x41 };
	uint64_t tb[ESYNC_EV_MAX_WORDS] = { 1 | 0x3u << 8, 0x52 };

	a.val[0] = 1 | 0x1u << 8;
	a.val[1] = 0x41;
	b.dev = 0x0300;
	b.sub = 7;
	b.nr_alias = 0;
	b.val[0] = 1 | 0x1u << 8;
	b.val[1] = 0x52;
	interleaved(g, &a, ta, bugs, &b, tb);
}

/*
 * A DTE whose translation (quanta 0) and interrupt table (quanta 1)
 * change together: two critical quanta, a disruptive update.
 */
static void dte_disruptive(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	uint64_t d0 = 1 | 1u << 1 | 4u << 9 | 1ull << 61 | 1ull << 62;
	uint64_t irt = 1 | 0xbu << 1 | 1ull << 62;	/* IV, IntTabLen, IntCtl */

	e.val[0] = d0 | 0x123000ull;
	e.val[1] = 7;
	e.val[2] = irt | 0x44000ull << 6;
	dte_write(g, &e, bugs, d0 | 0x456000ull, 7, irt | 0x88000ull << 6, 0);
}

/*
 * A device whose DMA is blocked (V=1, TV=1, IR=IW=0) gets a new interrupt
 * table: the IOMMU still remaps its interrupts through DTE[2].
 */
static void dte_blocked_irq(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	uint64_t irt = 1 | 0xbu << 1 | 1ull << 62;	/* IV, IntTabLen, IntCtl */

	e.val[0] = 0x3;
	e.val[2] = irt | 0x44000ull << 6;
	dte_write(g, &e, bugs, 0x3, 0, irt | 0x88000ull << 6, 0);
}

/*
 * D (02:01.0) behind a PCIe-to-PCI bridge and its alias 02:00.0, each DTE
 * on the same translation (root 0x123000, domain 7); the DTE's first word
 * without its root
 */
static uint64_t dte_pair(struct entry *e, struct entry *a)
{
	uint64_t d0 = 1 | 1u << 1 | 4u << 9 | 1ull << 61 | 1ull << 62;

	*e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	*a = amd(&esync_fmt_amd_dte, 0xffff888020004000);
	a->dev = 0x0200;
	a->nr_alias = 0;
	e->val[0] = a->val[0] = d0 | 0x123000ull;
	e->val[1] = a->val[1] = 7;
	return d0;
}

/*
 * A DTE change of a device behind a PCIe-to-PCI bridge, as the series
 * writes it: the device's own DTE, flushed under its own ID, then the
 * alias's DTE cloned to the same translation by a write of its own.
 */
static void dte_clone(struct gen *g, uint64_t bugs)
{
	struct entry e, a;
	uint64_t d0 = dte_pair(&e, &a);

	write_words(g, &e, bugs | DTE_CLONES, d0 | 0x123000ull, 9, 0, 0);
	if (bugs & BUG_STALE_CLONE)
		write_words(g, &a, DTE_CLONES, d0 | 0x456000ull, 7, 0, 0);
	else if (!(bugs & BUG_NO_CLONE))
		write_words(g, &a, DTE_CLONES, d0 | 0x123000ull, 9, 0, 0);
	trace_goes_on(g);
}

/*
 * The alias's DTE cloned to the new translation (its own write, invalidated
 * and waited for) before D's DTE is written: the order does not matter,
 * both hold the translation once D's write ends (BUG_STALE_CLONE: the
 * alias got another one)
 */
static void dte_clone_first(struct gen *g, uint64_t bugs)
{
	struct entry e, a;
	uint64_t d0 = dte_pair(&e, &a);

	write_words(g, &a, DTE_CLONES, d0 | (bugs & BUG_STALE_CLONE ? 0x456000ull : 0x123000ull),
		    9, 0, 0);
	write_words(g, &e, DTE_CLONES, d0 | 0x123000ull, 9, 0, 0);
	trace_goes_on(g);
}

/*
 * The input ends after D's DTE write, before the clone of its alias
 * (BUG_CUT: inside the clone, after its first store): the clone is cut
 * off, not known to be missing
 */
static void dte_clone_cut(struct gen *g, uint64_t bugs)
{
	struct entry e, a;
	uint64_t d0 = dte_pair(&e, &a);

	write_words(g, &e, DTE_CLONES, d0 | 0x123000ull, 9, 0, 0);
	if (bugs & BUG_CUT)
		write_words(g, &a, DTE_CLONES | BUG_CUT, d0 | 0x123000ull, 9, 0, 0);
}

/*
 * A DTE write whose wait returns without a COMPLETION_WAIT of its own
 * queued: iommu_completion_wait() found need_sync clear (another task's
 * wait was queued after the write's invalidation) and waited for that one
 */
static void dte_waitless(struct gen *g, uint64_t bugs)
{
	g->waitless = true;
	dte_clone(g, bugs);
}

/*
 * Stock set_dte_entry(), as the legacy collector gives it: the DTE before
 * and after, then DTE[1] and DTE[0] stored one after the other into the
 * 128-bit quantum 0, no sync in between (the flushes follow the call).
 */
static void stock_set_dte(struct gen *g, struct entry *e, uint64_t d0, uint64_t d1)
{
	struct esync_ev_write_begin b = { 0 };
	struct esync_ev_write_end end = { 0 };
	struct esync_ev_store st = { 0 };
	uint64_t seq = ++g->seq | 1ull << 63;

	b.entry = e->addr;
	b.format = ESYNC_FMT_AMD_DTE;
	b.quanta_bits = 128;
	b.num_quanta = 2;
	b.words = 4;
	b.dev = e->dev;
	memcpy(b.cur, e->val, 4 * sizeof(uint64_t));
	memcpy(b.target, e->val, 4 * sizeof(uint64_t));
	b.target[0] = d0;
	b.target[1] = d1;
	emit(g, &b, ESYNC_EV_WRITE_BEGIN, sizeof(b), seq, e->iommu);
	st.entry = e->addr;
	st.old_lo = e->val[0];
	st.old_hi = e->val[1];
	st.new_lo = e->val[0];
	st.new_hi = d1;
	emit(g, &st, ESYNC_EV_STORE, sizeof(st), seq, e->iommu);
	st.old_hi = d1;
	st.new_lo = d0;
	emit(g, &st, ESYNC_EV_STORE, sizeof(st), seq, e->iommu);
	e->val[0] = d0;
	e->val[1] = d1;
	end.entry = e->addr;
	end.how = ESYNC_HOW_HITLESS;
	end.words = 4;
	memcpy(end.final, e->val, 4 * sizeof(uint64_t));
	emit(g, &end, ESYNC_EV_WRITE_END, sizeof(end), seq, e->iommu);
}

/*
 * 6.12 detaches before it attaches: from the blocking entry (V, TV, no
 * IR/IW) the view between the two stores still blocks DMA. Switching a
 * translated DTE straight to another domain does not: (old table, new
 * DomainID) is reachable and is neither entry.
 */
static void stock_dte(struct gen *g, uint64_t bugs);

/* A legacy recording of two kinds of entry: STEs seen at their syncs, DTEs whole */
static void legacy_mixed(struct gen *g, uint64_t bugs)
{
	clean_ste(g, bugs);
	stock_dte(g, bugs);
}

static void stock_dte(struct gen *g, uint64_t bugs)
{
	struct entry e = amd(&esync_fmt_amd_dte, 0xffff888020004100);
	uint64_t blocked = 1 | 1u << 1;
	uint64_t dom_a = blocked | 4u << 9 | 0x123000ull | 1ull << 61 | 1ull << 62;
	uint64_t dom_b = blocked | 4u << 9 | 0x456000ull | 1ull << 61 | 1ull << 62;

	e.val[0] = blocked;
	stock_set_dte(g, &e, dom_a, 7);
	if (bugs & BUG_STOCK_DTE_SWITCH) {
		stock_set_dte(g, &e, dom_b, 9);
		return;
	}
	e.val[0] = blocked;	/* clear_dte_entry(), not traced */
	e.val[1] = 0;
	stock_set_dte(g, &e, dom_b, 9);
}

/*
 * Stock VT-d, as the legacy collector gives it: one write per attach,
 * flagged ESYNC_EVF_TARGET_AT_END, rebuilt from snapshots. The teardown
 * clears P and flushes (PASID cache, PASID IOTLB, each with its wait),
 * then zeroes the entry; a setup in the same attach stores the other
 * quanta, then quantum 0 with P, and without caching mode flushes
 * nothing.
 */
static void stock_vtd_store(struct gen *g, struct entry *e, uint64_t seq,
			    unsigned int q, const uint64_t *now)
{
	struct esync_ev_store st = { 0 };

	if (e->val[2 * q] == now[2 * q] && e->val[2 * q + 1] == now[2 * q + 1])
		return;
	st.entry = e->addr;
	st.index = q;
	st.old_lo = e->val[2 * q];
	st.old_hi = e->val[2 * q + 1];
	st.new_lo = now[2 * q];
	st.new_hi = now[2 * q + 1];
	emit(g, &st, ESYNC_EV_STORE, sizeof(st), seq, e->iommu);
	e->val[2 * q] = now[2 * q];
	e->val[2 * q + 1] = now[2 * q + 1];
}

static void stock_vtd_sync(struct gen *g, struct entry *e, uint64_t seq,
			   unsigned int step)
{
	struct esync_ev_sync sy = { .entry = e->addr, .step = step };

	emit(g, &sy, ESYNC_EV_SYNC, sizeof(sy), seq, e->iommu);
}

/* qi_submit_sync() of one descriptor: it, the wait, the wait's result */
static void stock_vtd_flush(struct gen *g, struct entry *e, uint64_t seq,
			    uint64_t qw0)
{
	vtd_desc(g, e, seq, qw0);
	vtd_desc(g, e, seq, 5 | 1u << 5);
	completion(g, e, seq, ESYNC_FAMILY_VTD, 0, 0);
}

static void stock_vtd_attach(struct gen *g, struct entry *e, const uint64_t *setup)
{
	struct esync_ev_write_begin b = { 0 };
	struct esync_ev_write_end end = { 0 };
	uint64_t seq = ++g->seq | 1ull << 63, now[ESYNC_EV_MAX_WORDS];
	uint64_t did = e->val[1] & 0xffff;

	b.hdr.flags = ESYNC_EVF_TARGET_AT_END;
	b.entry = e->addr;
	b.format = ESYNC_FMT_VTD_PASID;
	b.quanta_bits = 128;
	b.num_quanta = 4;
	b.words = 8;
	b.dev = e->dev;
	b.sub = e->sub;
	memcpy(b.cur, e->val, sizeof(b.cur));
	memcpy(b.target, e->val, sizeof(b.target));
	emit(g, &b, ESYNC_EV_WRITE_BEGIN, sizeof(b), seq, e->iommu);
	/* intel_pasid_tear_down_entry(): P, flushes, then the rest */
	memcpy(now, e->val, sizeof(now));
	now[0] &= ~1ull;
	stock_vtd_store(g, e, seq, 0, now);
	stock_vtd_sync(g, e, seq, 1);
	stock_vtd_flush(g, e, seq, 7 | 1u << 4 | did << 16 | (uint64_t)e->sub << 32);
	stock_vtd_flush(g, e, seq, 6 | 2u << 4 | did << 16 | (uint64_t)e->sub << 32);
	/* ... the device TLB, with ATS (devtlb_invalidation_with_pasid()) */
	if (e->ats)
		stock_vtd_flush(g, e, seq, e->sub ?
				8 | (uint64_t)(e->dev & 0xffff) << 16 | (uint64_t)e->sub << 32 :
				3 | (uint64_t)(e->dev & 0xffff) << 32);
	memset(now, 0, sizeof(now));
	for (unsigned int q = 0; q < 4; q++)
		stock_vtd_store(g, e, seq, q, now);
	/* intel_pasid_setup_*() of the new domain: P last, no flush */
	if (setup) {
		for (unsigned int q = 1; q <= 4; q++)
			stock_vtd_store(g, e, seq, q % 4, setup);
		stock_vtd_sync(g, e, seq, 2);
	}
	end.entry = e->addr;
	end.how = ESYNC_HOW_DISRUPTIVE;
	end.nr_critical = 1;
	end.nr_syncs = setup ? 2 : 1;
	end.words = 8;
	memcpy(end.final, e->val, sizeof(end.final));
	emit(g, &end, ESYNC_EV_WRITE_END, sizeof(end), seq, e->iommu);
}

/*
 * An identity -> DMA switch (pass-through to first stage, DID 1 -> 2, the
 * page-table pointer in quantum 1) and, as its correct counterpart, a
 * blocking attach, which tears the entry down for good.
 */
static void stock_vtd(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();
	const uint64_t first[ESYNC_EV_MAX_WORDS] = { 1 | 2u << 2 | 1u << 6, 2, 0x1b7f000 };
	const uint64_t pt_stray[ESYNC_EV_MAX_WORDS] = { 1 | 2u << 2 | 4u << 6, 2, 1u << 7 };

	e.ats = g->stock_ats;
	e.sub = 0;
	e.val[0] = 1 | 2u << 2 | 4u << 6;
	e.val[1] = 1;
	if (bugs & STOCK_VTD_FROM_STALE)
		e.val[0] &= ~1ull;
	stock_vtd_attach(g, &e, bugs & BUG_STOCK_VTD_STRAY ? pt_stray :
			 bugs & STOCK_VTD_SWITCH ? first : NULL);
}

static void stock_vtd_ats(struct gen *g, uint64_t bugs)
{
	g->stock_ats = true;
	stock_vtd(g, bugs);
	g->stock_ats = false;
}

/* Many clean updates, then a torn view: damage in the middle must not hide it. */
static void long_smmu(struct gen *g, uint64_t bugs)
{
	for (int i = 0; i < 200; i++)
		clean_ste(g, 0);
	ste_to_s2(g, BUG_NEVER_DISRUPTIVE);
}

/* The writer queues its wait, then its invalidations behind it, then waits */
static void irte_own_wait_then_inv(struct gen *g, uint64_t bugs)
{
	g->own_inv_behind_wait = true;
	irte_affinity(g, bugs | BUG_OWN_WAIT_FIRST);
	g->own_inv_behind_wait = false;
}

static void ste_own_wait_then_inv(struct gen *g, uint64_t bugs)
{
	g->own_inv_behind_wait = true;
	ste_bypass(g, bugs | BUG_OWN_WAIT_FIRST);
	g->own_inv_behind_wait = false;
}

/* A PASID-cache invalidation of another task between a fenced write's IOTLB and device-TLB flushes */
static void vtd_other_pc_between(struct gen *g, uint64_t bugs)
{
	g->other_pc_between = true;
	clean_vtd(g, bugs);
	g->other_pc_between = false;
}

/*
 * VT-d: second-stage with DID 1 to first-stage with DID 2, hitless in two
 * steps: the first-stage pointer (unused before), then the quanta of P,
 * PGTT and DID.  BUG_NEW_DID_ONLY: the first step's sync flushes under
 * the target's DID, which no copy of the entry had yet: the copy torn
 * between the new pointer and the old quanta 0 stays cached under DID 1.
 */
static void vtd_sl_to_fl_new_did(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();

	e.val[0] = 1 | 2u << 2 | 2u << 6 | 0x7000;
	e.val[1] = 1;
	if (bugs & BUG_NEW_DID_ONLY)
		g->pc_did_first = 2;
	write_words(g, &e, bugs & ~BUG_NEW_DID_ONLY, 1 | 2u << 2 | 1u << 6, 2, 0x6000, 0);
	g->pc_did_first = 0;
}

/*
 * AMD IRTE whose invalidations a softirq of CPU 1 (no write) waits for;
 * between its wait and the wait's result a hardirq nested in it, the same
 * interrupt context, writes another IRTE whole: that is no sign the wait
 * returned (only its result says how)
 */
static void irte_irq_wait_nested(struct gen *g, uint64_t bugs)
{
	g->other_tid = ESYNC_TID_IRQ | 1;
	g->nested_irq_write = true;
	irte_affinity(g, bugs);
	g->nested_irq_write = false;
	g->other_tid = 0;
}

/*
 * A VT-d write, then, more than a second of trace time after its end,
 * device-TLB and IOTLB invalidations naming it (in the wrong order): esync
 * judged the write before they came, so the input is not whole for it
 */
static void vtd_commands_after_judged(struct gen *g, uint64_t bugs)
{
	struct entry e = vtd();
	uint64_t seq;

	e.val[0] = 1 | 2u << 2 | 2u << 6 | 0x7000;
	e.val[1] = 1;
	write_words(g, &e, bugs, 1 | 2u << 2 | 2u << 6 | 0x8000, 1, 0, 0);
	seq = g->seq;
	g->ts += 1200000000ull;
	vtd_desc(g, &e, seq, 8 | (uint64_t)(e.dev & 0xffff) << 16 | (uint64_t)e.sub << 32);
	vtd_desc(g, &e, seq, 2 | 2u << 4 | 1ull << 16);
	completion(g, &e, seq, ESYNC_FAMILY_VTD, 5 | 1u << 5, 0);
}

struct dump {
	const char *name;
	scenario_fn fn;
	uint64_t bugs;
	unsigned int topology;	/* enum topology (true: amd_topo) */
	uint32_t mode;		/* enum esync_mode */
};

/*
 * Two PCI segments: the same DeviceID on each, with an alias on segment 0
 * only; an AMD write names no segment, so its aliases are not known
 */
static const struct esync_alias_set two_segments[] = {
	{ .dev = 0x00208, .nr = 1, .alias = { 0x00200 } },
	{ .dev = 0x10208, .nr = 0 },
};

/* The device and its alias on segment 1 only */
static const struct esync_alias_set segment1[] = {
	{ .dev = 0x10208, .nr = 1, .alias = { 0x10200 } },
};

enum topology { TOPO_NONE, TOPO_AMD, TOPO_TWO_SEGMENTS, TOPO_SEGMENT1 };

static const struct {
	const struct esync_alias_set *sets;
	unsigned int nr;
} topologies[] = {
	[TOPO_AMD] = { amd_topo, 1 },
	[TOPO_TWO_SEGMENTS] = { two_segments, 2 },
	[TOPO_SEGMENT1] = { segment1, 1 },
};

/* Events lost before any write (none open), then an IRTE write */
static void irte_lost_before(struct gen *g, uint64_t bugs)
{
	struct esync_ev_lost l = { .lost = 3 };
	struct entry e = amd(&esync_fmt_amd_irte, 0xffff888020100050);

	e.val[0] = 1 | 0x1u << 8;
	e.val[1] = 0x41;
	emit(g, &l, ESYNC_EV_LOST, sizeof(l), 0, e.iommu);
	write_words(g, &e, bugs, 1 | 0x2u << 8, 0x41, 0, 0);
}

static const struct dump dumps[] = {
	{ "clean-smmu-ste", clean_ste, 0, false, ESYNC_MODE_PATCHED },
	{ "clean-smmu-cd", clean_cd, 0, false, ESYNC_MODE_PATCHED },
	{ "clean-vtd-pasid", clean_vtd, 0, false, ESYNC_MODE_PATCHED },
	{ "clean-amd-dte", clean_dte, 0, true, ESYNC_MODE_PATCHED },
	{ "a1-amd-dte-alias-flushed-not-cloned", clean_dte, OLD_ALIAS_FLUSH, true,
	  ESYNC_MODE_PATCHED },
	{ "clean-amd-irte", clean_irte, 0, true, ESYNC_MODE_PATCHED },
	{ "clean-amd-irte32", clean_irte32, 0, true, ESYNC_MODE_PATCHED },
	{ "clean-test", clean_test, 0, false, ESYNC_MODE_PATCHED },
	{ "h1-torn-view", ste_to_s2, BUG_NEVER_DISRUPTIVE, false, ESYNC_MODE_PATCHED },
	{ "h1-v1-range", ste_to_s2, BUG_V1_RANGE, false, ESYNC_MODE_PATCHED },
	{ "h2-needless-disruption", ste_hitless, BUG_ALWAYS_DISRUPTIVE, false, ESYNC_MODE_PATCHED },
	{ "h3-wrong-end", ste_bypass_to_s1, BUG_DROP_LAST_STORE, false, ESYNC_MODE_PATCHED },
	{ "h3-unused-bits", ste_stray_bits, 0, false, ESYNC_MODE_PATCHED },
	{ "f1-missing-sync", ste_bypass, BUG_NO_SYNC_LAST, false, ESYNC_MODE_PATCHED },
	{ "f1-missing-step-sync", ste_bypass, BUG_NO_SYNC_FIRST, false, ESYNC_MODE_PATCHED },
	{ "f2-wrong-sid", ste_hitless, BUG_WRONG_DEV, false, ESYNC_MODE_PATCHED },
	{ "f2-wrong-pasid", vtd_pt_to_sl, BUG_WRONG_DEV, false, ESYNC_MODE_PATCHED },
	{ "f3-devtlb-order", vtd_pt_to_sl, BUG_DEVTLB_FIRST, false, ESYNC_MODE_PATCHED },
	{ "a1-alias-irte", irte_affinity, BUG_NO_ALIAS, true, ESYNC_MODE_PATCHED },
	{ "incomplete-cut", ste_to_s2, BUG_CUT, false, ESYNC_MODE_PATCHED },
	{ "incomplete-lost", ste_to_s2, BUG_LOST, false, ESYNC_MODE_PATCHED },
	/* Two writes open at once on one IOMMU */
	{ "clean-smmu-two-tasks", smmu_two_tasks, 0, false, ESYNC_MODE_PATCHED },
	{ "f1-smmu-two-tasks", smmu_two_tasks, BUG_NO_SYNC_LAST, false, ESYNC_MODE_PATCHED },
	{ "clean-amd-two-tasks", amd_two_tasks, 0, true, ESYNC_MODE_PATCHED },
	{ "a1-amd-two-tasks", amd_two_tasks, BUG_NO_ALIAS, true, ESYNC_MODE_PATCHED },
	/* A wait that timed out fences nothing */
	{ "f1-smmu-sync-timeout", ste_bypass, BUG_FAIL_SYNC, false, ESYNC_MODE_PATCHED },
	{ "f1-vtd-wait-timeout", vtd_pt_to_sl, BUG_FAIL_SYNC, false, ESYNC_MODE_PATCHED },
	{ "f1-amd-wait-timeout", irte_affinity, BUG_FAIL_SYNC, true, ESYNC_MODE_PATCHED },
	/* ... but the next wait that succeeds completes what was queued before it */
	{ "f1-smmu-fail-then-ok", ste_bypass, BUG_FAIL_SYNC | RETRY_WAIT, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-vtd-fail-then-ok", vtd_pt_to_sl, BUG_FAIL_SYNC | RETRY_WAIT, false,
	  ESYNC_MODE_PATCHED },
	{ "clean-vtd-wait-eagain-then-ok", vtd_eagain_ok, 0, false, ESYNC_MODE_PATCHED },
	{ "f1-vtd-wait-eagain-then-timeout", vtd_eagain_timeout, 0, false, ESYNC_MODE_PATCHED },
	{ "f1-amd-fail-then-ok", irte_affinity, BUG_FAIL_SYNC | RETRY_WAIT, true,
	  ESYNC_MODE_PATCHED },
	/* A write's invalidations waited for by another task (no write) */
	{ "clean-smmu-other-task-waits", ste_bypass, OTHER_WAIT, false, ESYNC_MODE_PATCHED },
	/* ... at the end of a batch of two commands, each traced with the sync flag */
	{ "clean-smmu-other-task-batch-synced", ste_bypass, OTHER_WAIT | OTHER_BATCH2, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-smmu-other-task-batch-sync-fails", ste_bypass,
	  OTHER_WAIT | OTHER_BATCH2 | BUG_OTHER_WAIT_FAILS, false, ESYNC_MODE_PATCHED },
	/* AMD: an invalidate-all queued behind the writer's wait needs a wait of its own */
	{ "clean-amd-other-task-inv-all", irte_affinity, OTHER_WAIT | OTHER_INV_ALL, true,
	  ESYNC_MODE_PATCHED },
	{ "a1-amd-other-task-inv-all-wait-fails", irte_affinity,
	  OTHER_WAIT | OTHER_INV_ALL | BUG_OTHER_WAIT_FAILS, true, ESYNC_MODE_PATCHED },
	{ "f1-smmu-other-task-sync-queued-before", ste_bypass, BUG_OTHER_WAIT_BEFORE, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-smmu-other-task-sync-fails", ste_bypass, OTHER_WAIT | BUG_OTHER_WAIT_FAILS, false,
	  ESYNC_MODE_PATCHED },
	{ "clean-amd-other-task-waits", irte_affinity, OTHER_WAIT, true, ESYNC_MODE_PATCHED },
	{ "f1-amd-other-task-wait-queued-before", irte_affinity, BUG_OTHER_WAIT_BEFORE, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-amd-other-task-wait-fails", irte_affinity, OTHER_WAIT | BUG_OTHER_WAIT_FAILS, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-amd-nine-other-waits-before", irte_affinity,
	  BUG_OTHER_WAIT_BEFORE | NINE_OTHER_WAITS, true, ESYNC_MODE_PATCHED },
	{ "f1-amd-other-task-wait-cut", irte_affinity, OTHER_WAIT | OTHER_WAIT_CUT, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-smmu-other-task-sync-cut", ste_bypass, OTHER_WAIT | OTHER_WAIT_CUT, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-amd-own-wait-before-other-flush", irte_affinity, BUG_OWN_WAIT_FIRST, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-smmu-own-sync-before-other-cfgi", ste_bypass, BUG_OWN_WAIT_FIRST, false,
	  ESYNC_MODE_PATCHED },
	{ "clean-vtd-other-task-waits", vtd_slots, OTHER_WAIT, false, ESYNC_MODE_PATCHED },
	/* ... its batch begins with a wait descriptor of its own: that completes nothing alone */
	{ "clean-vtd-other-task-batch-with-wait", vtd_slots, OTHER_WAIT | OTHER_BATCH2, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-vtd-other-task-batch-with-wait-fails", vtd_slots,
	  OTHER_WAIT | OTHER_BATCH2 | BUG_OTHER_WAIT_FAILS, false, ESYNC_MODE_PATCHED },
	{ "clean-vtd-other-task-waits-batch-untraced", vtd_slots, OTHER_WAIT | OTHER_BATCH_UNTRACED,
	  false, ESYNC_MODE_PATCHED },
	{ "f1-vtd-other-task-wait-queued-before", vtd_slots, BUG_OTHER_WAIT_BEFORE, false,
	  ESYNC_MODE_PATCHED },
	/* The series' writers stop at a failed sync and return its error */
	{ "f1-smmu-sync-fails-stop", ste_bypass, BUG_FAIL_SYNC | FAIL_STOPS, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-vtd-wait-fails-stop", vtd_pt_to_sl, BUG_FAIL_SYNC | FAIL_STOPS, false,
	  ESYNC_MODE_PATCHED },
	{ "h3-fake-stop", ste_bypass, BUG_FAKE_STOP, false, ESYNC_MODE_PATCHED },
	/* Cross-checks of the rebuilt entry */
	{ "h5-foreign-store", dte_disruptive, BUG_FOREIGN_STORE, true, ESYNC_MODE_PATCHED },
	{ "h5-wrong-final", ste_hitless, BUG_WRONG_FINAL, false, ESYNC_MODE_PATCHED },
	{ "u1-used-mismatch", ste_hitless, BUG_USED_MISMATCH, false, ESYNC_MODE_PATCHED },
	/* AMD DTE: disrupted through a blocking entry, or through V=0 */
	{ "clean-amd-dte-disruptive", dte_disruptive, 0, true, ESYNC_MODE_PATCHED },
	{ "h4-amd-dte-v0", dte_disruptive, BUG_DTE_V0, true, ESYNC_MODE_PATCHED },
	{ "h4-amd-dte-v0-among-many", dte_disruptive, BUG_V0_AMONG_MANY, true,
	  ESYNC_MODE_PATCHED },
	/* ... whose interrupt fields stay in use */
	{ "clean-amd-dte-blocked-irq", dte_blocked_irq, 0, true, ESYNC_MODE_PATCHED },
	{ "h1-amd-dte-blocked-irq-detour", dte_blocked_irq, BUG_DETOUR, true,
	  ESYNC_MODE_PATCHED },
	/* F3 and A1 ask for the right domain and for completed flushes */
	{ "f3-iotlb-other-did", vtd_pt_to_sl, BUG_IOTLB_OTHER_DID, false, ESYNC_MODE_PATCHED },
	{ "f3-vtd-iotlb-before-pasid-cache", vtd_pt_to_sl, BUG_IOTLB_FIRST, false,
	  ESYNC_MODE_PATCHED },
	{ "clean-vtd-did-change", vtd_did_change, 0, false, ESYNC_MODE_PATCHED },
	{ "f1-vtd-new-did-only", vtd_did_change, BUG_NEW_DID_ONLY, false, ESYNC_MODE_PATCHED },
	/* VT-d: a wait covers what was queued before its slot, not behind it */
	{ "clean-vtd-flush-queued-before-wait", vtd_queue_order, OTHER_PC_BEFORE, false,
	  ESYNC_MODE_PATCHED },
	{ "f1-vtd-flush-queued-after-wait", vtd_queue_order, OTHER_PC_AFTER, false,
	  ESYNC_MODE_PATCHED },
	{ "a1-alias-unwaited", irte_affinity, BUG_ALIAS_UNWAITED, true, ESYNC_MODE_PATCHED },
	/* The aliases flushed after the write-end, behind other tasks' commands */
	{ "clean-amd-alias-after-busy-end", irte_affinity,
	  BUG_NO_ALIAS | BUSY_OTHERS | ALIAS_AFTER_END, true, ESYNC_MODE_PATCHED },
	{ "a1-alias-busy-never-flushed", irte_affinity, BUG_NO_ALIAS | BUSY_OTHERS, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-amd-alias-wait-fails-after-end", irte_affinity,
	  BUG_NO_ALIAS | ALIAS_AFTER_END | LATE_WAIT_FAILS, true, ESYNC_MODE_PATCHED },
	/* ... and the input ends before that wait is seen to return: not known */
	{ "incomplete-amd-alias-wait-cut-after-end", irte_affinity,
	  BUG_NO_ALIAS | ALIAS_AFTER_END | OTHER_WAIT_CUT, true, ESYNC_MODE_PATCHED },
	{ "clean-amd-alias-first", irte_affinity, ALIAS_FIRST, true, ESYNC_MODE_PATCHED },
	/* The IRT flush waits by itself: its COMPLETION_WAIT has no result event */
	{ "clean-amd-irte-untraced-wait", irte_affinity, UNTRACED_WAIT, true, ESYNC_MODE_PATCHED },
	{ "a1-amd-untraced-wait-no-alias", irte_affinity, UNTRACED_WAIT | BUG_NO_ALIAS, true,
	  ESYNC_MODE_PATCHED },
	/* A DTE alias: cloned by a write of its own, or forgotten */
	{ "clean-amd-dte-clone", dte_clone, 0, true, ESYNC_MODE_PATCHED },
	{ "a1-amd-dte-no-clone", dte_clone, BUG_NO_CLONE, true, ESYNC_MODE_PATCHED },
	/*
	 * A wait's result with no COMPLETION_WAIT of the write queued: the
	 * driver waited for the last one queued, after the write's
	 * invalidation (need_sync was clear); failed, it fences nothing
	 */
	{ "clean-amd-dte-early-wait-result", dte_waitless, 0, true, ESYNC_MODE_PATCHED },
	{ "f1-amd-dte-early-wait-result-fails", dte_waitless, BUG_FAIL_SYNC, true,
	  ESYNC_MODE_PATCHED },
	{ "a1-amd-dte-stale-clone", dte_clone, BUG_STALE_CLONE, true, ESYNC_MODE_PATCHED },
	{ "clean-amd-dte-clone-first", dte_clone_first, 0, true, ESYNC_MODE_PATCHED },
	{ "a1-amd-dte-stale-clone-first", dte_clone_first, BUG_STALE_CLONE, true,
	  ESYNC_MODE_PATCHED },
	{ "incomplete-amd-dte-cut-before-clone", dte_clone_cut, 0, true, ESYNC_MODE_PATCHED },
	{ "incomplete-amd-dte-cut-in-clone", dte_clone_cut, BUG_CUT, true, ESYNC_MODE_PATCHED },
	{ "clean-smmu-teardown-then-bypass", ste_teardown_then_bypass, 0, false,
	  ESYNC_MODE_PATCHED },
	{ "h1-smmu-teardown-unfenced-then-bypass", ste_teardown_then_bypass, BUG_NO_SYNC_LAST,
	  false, ESYNC_MODE_PATCHED },
	/* The writer's own wait, queued before its invalidations, completes none */
	{ "f1-amd-own-wait-before-own-flush", irte_own_wait_then_inv, 0, true, ESYNC_MODE_PATCHED },
	{ "f1-smmu-own-sync-before-own-cfgi", ste_own_wait_then_inv, 0, false, ESYNC_MODE_PATCHED },
	{ "clean-vtd-other-pasid-cache-before-devtlb", vtd_other_pc_between, 0, false,
	  ESYNC_MODE_PATCHED },
	{ "clean-vtd-sl-to-fl-new-did", vtd_sl_to_fl_new_did, 0, false, ESYNC_MODE_PATCHED },
	{ "f1-vtd-sl-to-fl-first-step-new-did", vtd_sl_to_fl_new_did, BUG_NEW_DID_ONLY, false,
	  ESYNC_MODE_PATCHED },
	{ "clean-amd-irq-wait-nested-irq-write", irte_irq_wait_nested, OTHER_WAIT, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-amd-irq-wait-fails-nested-irq-write", irte_irq_wait_nested,
	  OTHER_WAIT | BUG_OTHER_WAIT_FAILS, true, ESYNC_MODE_PATCHED },
	{ "incomplete-vtd-commands-after-write-judged", vtd_commands_after_judged, 0, false,
	  ESYNC_MODE_PATCHED },
	/* AMD DeviceIDs name no PCI segment */
	{ "partial-amd-irte-two-segments", irte_affinity, 0, TOPO_TWO_SEGMENTS,
	  ESYNC_MODE_PATCHED },
	{ "clean-amd-irte-segment1", irte_affinity, 0, TOPO_SEGMENT1, ESYNC_MODE_PATCHED },
	{ "a1-amd-irte-segment1", irte_affinity, BUG_NO_ALIAS, TOPO_SEGMENT1, ESYNC_MODE_PATCHED },
	/* Events lost while no write was open: incomplete all the same */
	{ "incomplete-lost-before-writes", irte_lost_before, 0, true, ESYNC_MODE_PATCHED },
	{ "clean-smmu-teardown-noop-then-bypass", ste_teardown_noop_then_bypass, 0, false,
	  ESYNC_MODE_PATCHED },
	{ "h1-smmu-teardown-unfenced-noop-then-bypass", ste_teardown_noop_then_bypass,
	  BUG_NO_SYNC_LAST, false, ESYNC_MODE_PATCHED },
	{ "clean-smmu-teardown-then-bypass-other-task", ste_teardown_then_bypass_other_task, 0,
	  false, ESYNC_MODE_PATCHED },
	{ "h1-smmu-teardown-unfenced-then-bypass-other-task",
	  ste_teardown_then_bypass_other_task, BUG_NO_SYNC_LAST, false, ESYNC_MODE_PATCHED },
	/* Faults, linked to the write of the entry they name */
	{ "fault-smmu-during-write", ste_to_s2, FAULT_MID, false, ESYNC_MODE_PATCHED },
	{ "fault-smmu-after-torn", ste_to_s2_fault, BUG_NEVER_DISRUPTIVE, false,
	  ESYNC_MODE_PATCHED },
	{ "fault-after-clean", faults_after_clean, 0, false, ESYNC_MODE_PATCHED },
	{ "fault-vtd-during-write", vtd_pt_to_sl, FAULT_MID, false, ESYNC_MODE_PATCHED },
	{ "fault-amd-alias", fault_amd_alias, 0, true, ESYNC_MODE_PATCHED },
	{ "fault-smmu-s2", fault_smmu_s2, 0, false, ESYNC_MODE_PATCHED },
	{ "fault-amd-dma", fault_amd_dma, 0, true, ESYNC_MODE_PATCHED },
	/* What a kernel without the series lets esync check */
	{ "legacy-amd-irte", irte_affinity, 0, true, ESYNC_MODE_LEGACY },
	/* F1 does not run there: A1 asks for D's own invalidation too */
	{ "a1-legacy-amd-aliases-only", irte_affinity, BUG_ALIASES_ONLY, true, ESYNC_MODE_LEGACY },
	/* stock set_dte_entry(): the view between its two 64-bit stores */
	{ "legacy-amd-dte", stock_dte, 0, true, ESYNC_MODE_LEGACY | GEN_AMD_DTE_SNAPSHOTS },
	{ "legacy-amd-dte-direct-switch", stock_dte, BUG_STOCK_DTE_SWITCH, true,
	  ESYNC_MODE_LEGACY | GEN_AMD_DTE_SNAPSHOTS },
	/* a stock SMMUv3 writer seen at its syncs: the step checks run */
	{ "legacy-smmu-ste", clean_ste, 0, false, ESYNC_MODE_LEGACY | GEN_SMMU_SNAPSHOTS },
	{ "legacy-smmu-torn-view", ste_to_s2, BUG_NEVER_DISRUPTIVE, false,
	  ESYNC_MODE_LEGACY | GEN_SMMU_SNAPSHOTS },
	{ "legacy-smmu-missing-step-sync", ste_bypass, BUG_NO_SYNC_FIRST, false,
	  ESYNC_MODE_LEGACY | GEN_SMMU_SNAPSHOTS },
	/* stock VT-d: an attach's teardown and setup are one disruptive update */
	{ "legacy-vtd-switch", stock_vtd, STOCK_VTD_SWITCH, false,
	  ESYNC_MODE_LEGACY | GEN_VTD_SNAPSHOTS },
	{ "legacy-vtd-block", stock_vtd, 0, false, ESYNC_MODE_LEGACY | GEN_VTD_SNAPSHOTS },
	/* ... of a device with ATS: its TLB invalidated while the entry is non-present */
	{ "legacy-vtd-block-ats", stock_vtd_ats, 0, false, ESYNC_MODE_LEGACY | GEN_VTD_SNAPSHOTS },
	/* The entry such a write leaves is its target: H3 judges that one */
	{ "h3-legacy-vtd-stray-bits", stock_vtd, BUG_STOCK_VTD_STRAY, false,
	  ESYNC_MODE_LEGACY | GEN_VTD_SNAPSHOTS },
	{ "legacy-vtd-block-from-stale", stock_vtd, STOCK_VTD_FROM_STALE, false,
	  ESYNC_MODE_LEGACY | GEN_VTD_SNAPSHOTS },
	/* The step checks judged the STEs only: skipped for the DTEs, not "ran" */
	{ "legacy-mixed-smmu-amd", legacy_mixed, 0, true,
	  ESYNC_MODE_LEGACY | GEN_SMMU_SNAPSHOTS | GEN_AMD_DTE_SNAPSHOTS },
	/* A long dump for damage in the middle */
	{ "long-smmu", long_smmu, 0, false, ESYNC_MODE_PATCHED },
	/* A store of the value a quantum has owes no sync */
	{ "clean-smmu-same-value-stores", clean_ste, SAME_VALUE_STORES, false, ESYNC_MODE_PATCHED },
	/* VT-d: the IOTLB flush before the device TLB reaches the entry's translations or not */
	{ "f3-vtd-iotlb-under-cleared-did", clean_vtd, BUG_IOTLB_NEW_DID, false, ESYNC_MODE_PATCHED },
	{ "f3-vtd-iotlb-wrong-kind", clean_vtd, BUG_IOTLB_WRONG_KIND, false, ESYNC_MODE_PATCHED },
	{ "f3-vtd-other-iotlb-before-pasid-cache", vtd_sl_change, BUG_OTHER_IOTLB_FIRST, false,
	  ESYNC_MODE_PATCHED },
	/* SMMU ATS: the ATC invalidated once the new entry is in place, or before */
	{ "clean-smmu-atc-after-sync", ste_bypass, SMMU_ATC, false, ESYNC_MODE_PATCHED },
	{ "f3-smmu-atc-before-sync", ste_bypass, BUG_ATC_EARLY, false, ESYNC_MODE_PATCHED },
	/* Two tasks write one entry: one after the other, or one inside the other */
	{ "clean-smmu-two-writers-in-turn", ste_two_writers, 0, false, ESYNC_MODE_PATCHED },
	{ "h5-smmu-two-writers-at-once", ste_two_writers, BUG_RACE, false, ESYNC_MODE_PATCHED },
	/* Another task writes the IRTE while the first writer's alias flush is to come */
	{ "clean-amd-other-writer-before-alias-flush", irte_affinity,
	  BUG_NO_ALIAS | OTHER_WRITER_BETWEEN | ALIAS_AFTER_END, true, ESYNC_MODE_PATCHED },
	/* Waits of an interrupt on an idle CPU (tid 0): ordered and judged as any task's */
	{ "clean-amd-idle-irq-waits", irte_affinity, OTHER_WAIT | OTHER_IDLE, true,
	  ESYNC_MODE_PATCHED },
	{ "f1-amd-idle-irq-wait-fails", irte_affinity,
	  OTHER_WAIT | OTHER_IDLE | BUG_OTHER_WAIT_FAILS, true, ESYNC_MODE_PATCHED },
	{ "f1-smmu-idle-irq-sync-before", ste_bypass, BUG_OTHER_WAIT_BEFORE | OTHER_IDLE, false,
	  ESYNC_MODE_PATCHED },
	/* Events lost before a write-begin, which is marked: counted or not */
	{ "incomplete-loss-marked-not-counted", ste_bypass, LOSS_MARK, false, ESYNC_MODE_PATCHED },
	{ "f1-after-loss-counted-later", ste_bypass, LOSS_MARK | LOSS_COUNT_AFTER | BUG_NO_SYNC_LAST,
	  false, ESYNC_MODE_PATCHED },
	/* An invalidate-all clones no alias's DTE */
	{ "a1-amd-dte-no-clone-inv-all", dte_clone, BUG_NO_CLONE | INV_ALL_TOO, true,
	  ESYNC_MODE_PATCHED },
};

static int gen_all(const char *dir)
{
	char path[4096];
	int rc = 0;

	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		const struct dump *d = &dumps[i];
		struct gen g;

		snprintf(path, sizeof(path), "%s/%s.dump", dir, d->name);
		if (gen_open_mode(&g, path, topologies[d->topology].sets,
				  topologies[d->topology].nr, d->mode))
			return 1;
		d->fn(&g, d->bugs);
		if (gen_close(&g, path))
			rc = 1;
	}
	return rc;
}

/*
 * Benchmark traffic: many entries of every format updated in turn, with the
 * share of each format roughly what a busy host shows (IRTE affinity
 * changes dominate, then PASID and STE/CD churn).
 */
static int gen_bench(uint64_t n, uint64_t open_writes, const char *path)
{
	static const struct esync_alias_set topo[] = {
		{ .dev = 0x0208, .nr = 1, .alias = { 0x0200 } },
	};
	struct gen g;
	uint64_t round = 0;

	if (gen_open(&g, path, topo, 1))
		return 1;
	/*
	 * Writes that never end (a writer path without its write-end, or
	 * drops), each begun by a task of its own, then the traffic.
	 */
	for (uint64_t i = 0; i < open_writes && !g.failed; i++) {
		struct esync_ev_write_begin b = { 0 };
		struct esync_ev_store st = { 0 };

		b.entry = 0xffffc90100000000ull + i * 64;
		b.format = ESYNC_FMT_SMMU_STE;
		b.quanta_bits = 64;
		b.num_quanta = 8;
		b.words = 8;
		b.dev = 0x10000 + (uint32_t)i;
		b.target[0] = STE_BYPASS;
		g.tid = 1000 + (uint32_t)i;
		emit(&g, &b, ESYNC_EV_WRITE_BEGIN, sizeof(b), ++g.seq, 0);
		st.entry = b.entry;
		st.new_lo = STE_BYPASS;
		emit(&g, &st, ESYNC_EV_STORE, sizeof(st), g.seq, 0);
	}
	g.tid = 100;
	while (g.events < n + 2 * open_writes && !g.failed) {
		struct entry e;
		unsigned int k = (unsigned int)(round % 16);
		uint64_t r = round++;

		if (k < 6) {
			e = amd(&esync_fmt_amd_irte, 0xffff888020100000 + (r % 512) * 16);
			e.val[0] = 1 | 0x1u << 8;
			e.val[1] = 0x41;
			write_words(&g, &e, 0, 1 | ((r % 7) + 2) << 8, 0x41 + r % 8, 0, 0);
		} else if (k < 9) {
			e = vtd();
			e.addr += (r % 256) * 64;
			e.sub = (uint32_t)(r % 256);
			write_words(&g, &e, 0, 1 | 2u << 2 | 4u << 6, 1, 0, 0);
			write_words(&g, &e, 0, 1 | 2u << 2 | 2u << 6 | 0x7000, 1, 0, 0);
			write_words(&g, &e, 0, 0, 0, 0, 0);
		} else if (k < 12) {
			clean_ste(&g, 0);
		} else if (k < 14) {
			clean_cd(&g, 0);
		} else if (k < 15) {
			clean_dte(&g, 0);
		} else {
			clean_test(&g, 0);
		}
	}
	if (gen_close(&g, path))
		return 1;
	printf("%llu events\n", (unsigned long long)g.events);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--bench"))
		return gen_bench(strtoull(argv[2], NULL, 0), 0, argv[3]);
	if (argc == 6 && !strcmp(argv[1], "--bench") && !strcmp(argv[3], "--open"))
		return gen_bench(strtoull(argv[2], NULL, 0), strtoull(argv[4], NULL, 0),
				 argv[5]);
	if (argc == 2)
		return gen_all(argv[1]);
	fprintf(stderr, "usage: gen-dumps DIR | gen-dumps --bench N [--open K] FILE\n");
	return 2;
}
