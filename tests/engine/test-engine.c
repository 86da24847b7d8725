// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the engine's parts: checksum, event validation, command
 * decoding, the dump reader and writer, and the sequence engine fed event
 * by event (paths the hand-made dumps do not take: topology records, write
 * ids on commands, 128-bit quanta, lost events, bounded memory).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crc32c.h"
#include "dump.h"
#include "dump_ahead.h"
#include "engine.h"
#include "tap.h"

static void test_crc32c(void)
{
	/* The CRC-32C check value, and continuation over two pieces */
	EXPECT_EQ(0xe3069283, esync_crc32c(0, "123456789", 9));
	EXPECT_EQ(0xe3069283, esync_crc32c(esync_crc32c(0, "1234", 4), "56789", 5));
	EXPECT_EQ(0, esync_crc32c(0, "", 0));
}

/* CRC-32C one bit at a time: the definition, nothing shared with crc32c.c */
static uint32_t crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

/*
 * The fast path splits a buffer into blocks and joins their CRCs: every
 * length (one block of each size, several, and what is left over) at every
 * alignment must give what the definition gives.
 */
static void test_crc32c_lengths(void)
{
	static uint8_t buf[1300];
	uint32_t x = 0x12345678, bad = 0;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t len = 0; len <= 1200; len++)
		for (size_t at = 0; at < 8; at++) {
			uint8_t le[4] = { (uint8_t)len, (uint8_t)(len >> 8) };

			if (esync_crc32c(len, buf + at, len) !=
			    crc32c_bitwise(len, buf + at, len))
				bad++;
			/* a frame's: its length, 4 bytes little-endian, first */
			if (esync_crc32c_frame(len, buf + at) !=
			    crc32c_bitwise(crc32c_bitwise(0, le, 4), buf + at, len))
				bad++;
		}
	EXPECT_EQ(0, bad);
}

static void test_event_check(void)
{
	struct esync_ev_store st = { .hdr = { .kind = ESYNC_EV_STORE, .size = sizeof(st) } };

	EXPECT_TRUE(esync_event_check(&st, sizeof(st)) == NULL);
	EXPECT_EQ(sizeof(struct esync_ev_write_begin), esync_event_size(ESYNC_EV_WRITE_BEGIN));
	EXPECT_EQ(0, esync_event_size(0));
	EXPECT_EQ(0, esync_event_size(ESYNC_EV_NR_KINDS));
	st.hdr.size = 72;
	EXPECT_STREQ("event size does not match its record", esync_event_check(&st, sizeof(st)));
	EXPECT_STREQ("wrong size for its kind", esync_event_check(&st, 72));
	st.hdr.size = sizeof(st);
	st.hdr.kind = 99;
	EXPECT_STREQ("unknown event kind", esync_event_check(&st, sizeof(st)));
	EXPECT_STREQ("shorter than an event header", esync_event_check(&st, 8));
}

static void decode(union esync_event *ev, struct esync_inv *inv)
{
	ASSERT_TRUE(esync_inv_decode(ev, inv));
}

static void test_decode(void)
{
	union esync_event ev = { 0 };
	struct esync_inv inv;
	char buf[96];

	ev.hdr.kind = ESYNC_EV_SMMU_CMD;
	ev.smmu.cmd[0] = 0x03 | 0x42ull << 32;
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_ENTRY, inv.kind);
	EXPECT_EQ(ESYNC_INVT_STE, inv.target);
	EXPECT_EQ(0x42, inv.dev);
	esync_inv_describe(&inv, buf, sizeof(buf));
	EXPECT_STREQ("CFGI_STE sid=0x42", buf);

	ev.smmu.cmd[0] = 0x04 | 0x45ull << 32;	/* CFGI_STE_RANGE, 4 SIDs */
	ev.smmu.cmd[1] = 1;
	decode(&ev, &inv);
	EXPECT_EQ(0x44, inv.dev);
	EXPECT_EQ(4, inv.dev_span);
	ev.smmu.cmd[1] = 31;			/* CFGI_ALL */
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INVT_ALL, inv.target);

	ev.smmu.cmd[0] = 0x46;
	ev.smmu.flags = 0;
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_COMPLETION, inv.kind);

	memset(&ev, 0, sizeof(ev));
	ev.hdr.kind = ESYNC_EV_VTD_DESC;
	ev.vtd.qw[0] = 7 | 1u << 4 | 0x12ull << 16 | 0x5ull << 32;	/* PASID-selective */
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INVT_PASID, inv.target);
	EXPECT_TRUE(inv.has_did && inv.has_sub);
	EXPECT_EQ(0x12, inv.did);
	EXPECT_EQ(5, inv.sub);
	ev.vtd.qw[0] = 7 | 3u << 4;					/* global */
	decode(&ev, &inv);
	EXPECT_FALSE(inv.has_did || inv.has_sub);
	ev.vtd.qw[0] = 7 | 2u << 4 | 0x12ull << 16 | 0x5ull << 32;	/* reserved */
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_OTHER, inv.kind);
	/* IOTLB: domain-selective; granularity 0 is reserved */
	ev.vtd.qw[0] = 2 | 2u << 4 | 0x12ull << 16;
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_TLB, inv.kind);
	EXPECT_TRUE(inv.has_did);
	ev.vtd.qw[0] = 2 | 0x12ull << 16;
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_OTHER, inv.kind);
	/* PASID-based IOTLB: a PASID's, its pages; 0 and 1 reserved since VT-d 3.0 */
	for (unsigned int g = 0; g < 4; g++) {
		ev.vtd.qw[0] = 6 | g << 4 | 0x12ull << 16 | 0x5ull << 32;
		decode(&ev, &inv);
		EXPECT_EQ(g >= 2 ? ESYNC_INV_TLB : ESYNC_INV_OTHER, inv.kind);
		EXPECT_EQ(5, inv.sub);
	}
	ev.vtd.qw[0] = 3 | 0x0208ull << 32;				/* device-TLB */
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_DEVTLB, inv.kind);
	EXPECT_EQ(0x208, inv.dev);

	memset(&ev, 0, sizeof(ev));
	ev.hdr.kind = ESYNC_EV_AMD_CMD;
	ev.amd.data[0] = 0x0200;
	ev.amd.data[1] = 5u << 28;
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INVT_IRT, inv.target);
	EXPECT_EQ(0x200, inv.dev);
	ev.amd.data[1] = 1u << 28;
	decode(&ev, &inv);
	EXPECT_EQ(ESYNC_INV_COMPLETION, inv.kind);

	ev.hdr.kind = ESYNC_EV_STORE;
	EXPECT_FALSE(esync_inv_decode(&ev, &inv));
}

static char tmpdir[] = "/tmp/esync-test-XXXXXX";

static void test_dump_roundtrip(void)
{
	struct esync_alias_set set = { .dev = 0x0208, .nr = 2, .alias = { 0x0200, 0x0100 } };
	struct esync_dump_info info = { .mode = ESYNC_MODE_LEGACY, .created_ns = 77,
					.topo = { 1, &set } };
	static struct esync_dump_writer w;
	struct esync_dump_reader r;
	union esync_event ev;
	struct stat st;
	char path[256];
	int i;

	strcpy(info.host, "host-a");
	strcpy(info.kernel, "6.12.1");
	snprintf(path, sizeof(path), "%s/rt.dump", tmpdir);
	ASSERT_EQ(0, esync_dump_create(&w, path, &info));
	for (i = 0; i < 1000; i++) {
		struct esync_ev_sync s = { .hdr = { .kind = ESYNC_EV_SYNC, .size = sizeof(s),
						    .ts_ns = (uint64_t)i },
					   .step = (uint32_t)i };

		ASSERT_EQ(0, esync_dump_write(&w, &s));
	}
	/* An event whose size field lies is refused, not written */
	ev.hdr.kind = ESYNC_EV_SYNC;
	ev.hdr.size = 40;
	EXPECT_NE(0, esync_dump_write(&w, &ev));
	ASSERT_EQ(0, esync_dump_finish(&w));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);

	ASSERT_EQ(0, esync_dump_open(&r, path));
	EXPECT_EQ(ESYNC_MODE_LEGACY, r.info.mode);
	EXPECT_STREQ("host-a", r.info.host);
	EXPECT_STREQ("6.12.1", r.info.kernel);
	ASSERT_EQ(1, r.info.topo.nr);
	EXPECT_EQ(0x0208, r.info.topo.sets[0].dev);
	EXPECT_EQ(2, r.info.topo.sets[0].nr);
	EXPECT_EQ(0x0100, r.info.topo.sets[0].alias[1]);
	for (i = 0; esync_dump_next(&r, &ev) > 0; i++)
		EXPECT_EQ((uint64_t)i, ev.sync.step);
	EXPECT_EQ(1000, i);
	EXPECT_EQ(0, r.err[0]);
	esync_dump_close(&r);

	/* Cut inside the last record: the 999 before it are read */
	ASSERT_EQ(0, truncate(path, st.st_size - 3));
	ASSERT_EQ(0, esync_dump_open(&r, path));
	for (i = 0; esync_dump_next(&r, &ev) > 0; i++)
		;
	EXPECT_EQ(999, i);
	EXPECT_TRUE(strstr(r.err, "after record 999 at byte offset") != NULL);
	esync_dump_close(&r);
	unlink(path);
}

/* What a reader hands out, in order: a running digest and its counts. */
struct read_trace {
	uint64_t events, digest, warns, warn_digest;
	int rc;
	uint64_t records, gaps, gap_bytes;
	char err[320];
	bool windows;	/* read ahead: the window moved through the pool */
};

/* The read-ahead runs on a thread of its own */
static bool two_cpus(void)
{
	cpu_set_t cpus;

	return sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) >= 2;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

/* One event handed out, with the reader's warning for it (or NULL) */
static void trace_event(struct read_trace *t, const union esync_event *ev,
			const char *warn)
{
	t->events++;
	t->digest = mix(t->digest, ev, ev->hdr.size);
	if (warn) {
		/* what it says, after the input's name */
		const char *w = strchr(warn, ':') ? strchr(warn, ':') : warn;

		t->warns++;
		t->warn_digest = mix(t->warn_digest ^ t->events, w, strlen(w));
	}
}

static void read_all(struct esync_dump_reader *r, struct read_trace *t)
{
	union esync_event ev;

	memset(t, 0, sizeof(*t));
	while ((t->rc = esync_dump_next(r, &ev)) > 0) {
		trace_event(t, &ev, r->warn[0] ? r->warn : NULL);
		r->warn[0] = 0;
	}
	t->records = r->records;
	t->gaps = r->gaps;
	t->gap_bytes = r->gap_bytes;
	memcpy(t->err, r->err, sizeof(t->err));
	/* The end stays the end */
	EXPECT_EQ(t->rc, esync_dump_next(r, &ev));
}

/* As read_all, through the read-ahead batches */
static void read_all_ahead(struct esync_dump_reader *r, struct read_trace *t)
{
	struct esync_dump_ahead *a = esync_dump_ahead_start(r);
	const union esync_event *const *evs;
	const char *warn;
	size_t n;

	memset(t, 0, sizeof(*t));
	ASSERT_TRUE(a != NULL);
	t->windows = r->next_window != NULL;
	for (unsigned int b = 0; (t->rc = esync_dump_ahead_batch(a, &evs, &n, &warn)) > 0; b++) {
		EXPECT_TRUE(n > 0);
		/*
		 * Now and then the reader gets all the way ahead while this
		 * batch waits: its events must still be where they were
		 */
		if (b % 16 == 0)
			usleep(20000);
		/* a batch's warning is its last event's */
		for (size_t i = 0; i < n; i++)
			trace_event(t, evs[i], i + 1 == n ? warn : NULL);
	}
	/* The end stays the end */
	EXPECT_EQ(t->rc, esync_dump_ahead_batch(a, &evs, &n, &warn));
	esync_dump_ahead_end(a);
	t->records = r->records;
	t->gaps = r->gaps;
	t->gap_bytes = r->gap_bytes;
	memcpy(t->err, r->err, sizeof(t->err));
}

/* Two readings of one dump handed out the same */
static void expect_same_reading(const struct read_trace *a, const struct read_trace *b)
{
	EXPECT_EQ(a->events, b->events);
	EXPECT_EQ(a->digest, b->digest);
	EXPECT_EQ(a->warns, b->warns);
	EXPECT_EQ(a->warn_digest, b->warn_digest);
	EXPECT_EQ(a->rc, b->rc);
	EXPECT_EQ(a->records, b->records);
	EXPECT_EQ(a->gaps, b->gaps);
	EXPECT_EQ(a->gap_bytes, b->gap_bytes);
	/* the same error, but for the input's name */
	ASSERT_TRUE(strchr(a->err, ':') && strchr(b->err, ':'));
	EXPECT_STREQ(strchr(a->err, ':'), strchr(b->err, ':'));
}

/*
 * A dump many times the reader's window, with damaged stretches at a
 * window edge, in the middle and, longer than all the window buffers of
 * the read-ahead together, after it, and cut inside its last record: read
 * from the file, from a pipe (which reads in other pieces) and ahead on a
 * thread of its own (handed over in batches, the events left where they
 * were read, from the file and from a pipe), it gives the same events,
 * warnings at the same events, the same counts and the same error, as many
 * as the damage allows.
 */
static void test_dump_window(void)
{
	static struct esync_dump_writer w;
	struct esync_dump_info info = { .mode = ESYNC_MODE_PATCHED };
	struct esync_dump_reader r;
	struct read_trace plain, piped, ahead;
	char path[256], cmd[600];
	const uint64_t n = 200000;
	static char junk[5 << 20];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ra.dump", tmpdir);
	ASSERT_EQ(0, esync_dump_create(&w, path, &info));
	for (uint64_t i = 0; i < n; i++) {
		union esync_event ev;

		memset(&ev, 0, sizeof(ev));
		if (i % 3) {
			ev.store.hdr.kind = ESYNC_EV_STORE;
			ev.store.hdr.size = sizeof(ev.store);
			ev.store.new_lo = i;
		} else {
			ev.sync.hdr.kind = ESYNC_EV_SYNC;
			ev.sync.hdr.size = sizeof(ev.sync);
			ev.sync.step = (uint32_t)i;
		}
		ev.hdr.ts_ns = i;
		ASSERT_EQ(0, esync_dump_write(&w, &ev));
	}
	ASSERT_EQ(0, esync_dump_finish(&w));
	ASSERT_EQ(0, stat(path, &st));
	f = fopen(path, "r+");
	ASSERT_TRUE(f != NULL);
	/* One bit at the first window's edge, a run of bytes in the middle */
	for (long at = (1 << 20) - 3; at <= (1 << 20) - 3; at++) {
		fseek(f, at, SEEK_SET);
		fputc(fgetc(f) ^ 0x10, f);
	}
	fseek(f, st.st_size / 2, SEEK_SET);
	fwrite("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 1, 12, f);
	memset(junk, 0xff, sizeof(junk));
	fseek(f, st.st_size / 2 + (1 << 20), SEEK_SET);
	fwrite(junk, 1, sizeof(junk), f);
	fclose(f);
	ASSERT_EQ(0, truncate(path, st.st_size - 5));

	ASSERT_EQ(0, esync_dump_open(&r, path));
	read_all(&r, &plain);
	esync_dump_close(&r);

	EXPECT_EQ(-1, plain.rc);
	EXPECT_TRUE(strstr(plain.err, "inside a record") != NULL);
	EXPECT_EQ(3, plain.gaps);
	EXPECT_EQ(3, plain.warns);
	EXPECT_TRUE(plain.gap_bytes >= sizeof(junk) && plain.events > n / 2 && plain.events < n);

	/* From a pipe, read as it comes */
	snprintf(cmd, sizeof(cmd), "cat %s", path);
	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(0, dup2(fileno(f), STDIN_FILENO) < 0);
	ASSERT_EQ(0, esync_dump_open(&r, "-"));
	read_all(&r, &piped);
	esync_dump_close(&r);
	pclose(f);
	expect_same_reading(&plain, &piped);

	/*
	 * Read ahead, in batches far smaller than the dump (on a thread of
	 * its own where two CPUs may run this process, else on this one)
	 */
	ASSERT_EQ(0, esync_dump_open(&r, path));
	read_all_ahead(&r, &ahead);
	esync_dump_close(&r);
	expect_same_reading(&plain, &ahead);
	if (two_cpus())
		EXPECT_TRUE(ahead.windows);

	/* ... and from a pipe */
	f = popen(cmd, "r");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(0, dup2(fileno(f), STDIN_FILENO) < 0);
	ASSERT_EQ(0, esync_dump_open(&r, "-"));
	read_all_ahead(&r, &ahead);
	esync_dump_close(&r);
	pclose(f);
	expect_same_reading(&plain, &ahead);
	if (two_cpus())
		EXPECT_TRUE(ahead.windows);
	unlink(path);
}

/* An engine fed by hand, findings collected. */
struct collect {
	struct esync_finding f[16];
	unsigned int n;
	unsigned int done;
};

static void collect_finding(void *ctx, const struct esync_finding *f)
{
	struct collect *c = ctx;

	if (c->n < 16)
		c->f[c->n++] = *f;
}

static void collect_done(void *ctx, const struct esync_seq *s)
{
	((struct collect *)ctx)->done++;
}

static uint64_t now_ts;

/* The task the events hdr() makes say they come from (0: inputs without tasks) */
static uint32_t now_tid;

static void hdr(union esync_event *ev, unsigned int kind, uint64_t seq, uint16_t iommu)
{
	ev->hdr.kind = (uint16_t)kind;
	ev->hdr.size = (uint16_t)esync_event_size(kind);
	ev->hdr.seq = seq;
	ev->hdr.iommu = iommu;
	ev->hdr.tid = now_tid;
	ev->hdr.ts_ns = ++now_ts;
}

/*
 * What each entry holds, so that a store event carries the value it
 * replaces, as the kernel's does (the engine checks it: H5).
 */
static struct shadow {
	uint64_t entry;
	unsigned int qwords;
	uint64_t val[ESYNC_EV_MAX_WORDS];
} shadows[8];

static struct shadow *shadow_of(uint64_t entry)
{
	for (unsigned int i = 0; i < 8; i++)
		if (shadows[i].entry == entry || !shadows[i].entry) {
			shadows[i].entry = entry;
			return &shadows[i];
		}
	return &shadows[0];
}

static void begin(struct esync_engine *e, uint64_t seq, uint64_t entry,
		  const struct esync_format *f, uint32_t dev, const uint64_t *cur,
		  const uint64_t *target, uint16_t iommu)
{
	union esync_event ev = { 0 };

	hdr(&ev, ESYNC_EV_WRITE_BEGIN, seq, iommu);
	ev.begin.entry = entry;
	ev.begin.format = (uint16_t)f->id;
	ev.begin.quanta_bits = (uint16_t)f->quanta_bits;
	ev.begin.num_quanta = (uint16_t)f->num_quanta;
	ev.begin.vbit_quanta = (uint16_t)f->vbit_quanta;
	ev.begin.words = (uint16_t)f->words;
	ev.begin.dev = dev;
	memcpy(ev.begin.cur, cur, f->words * 8);
	memcpy(ev.begin.target, target, f->words * 8);
	shadow_of(entry)->qwords = f->quanta_bits == 128 ? 2 : 1;
	memcpy(shadow_of(entry)->val, cur, f->words * 8);
	esync_engine_event(e, &ev);
}

static void store(struct esync_engine *e, uint64_t seq, uint64_t entry,
		  unsigned int q, uint64_t lo, uint64_t hi, uint16_t iommu)
{
	union esync_event ev = { 0 };

	hdr(&ev, ESYNC_EV_STORE, seq, iommu);
	ev.store.entry = entry;
	ev.store.index = q;
	ev.store.new_lo = lo;
	ev.store.new_hi = hi;
	{
		struct shadow *sh = shadow_of(entry);
		unsigned int w = q * sh->qwords;

		ev.store.old_lo = sh->val[w];
		sh->val[w] = lo;
		if (sh->qwords > 1) {
			ev.store.old_hi = sh->val[w + 1];
			sh->val[w + 1] = hi;
		}
	}
	esync_engine_event(e, &ev);
}

static void sync_ev(struct esync_engine *e, uint64_t seq, uint64_t entry, unsigned int step)
{
	union esync_event ev = { 0 };

	hdr(&ev, ESYNC_EV_SYNC, seq, 0);
	ev.sync.entry = entry;
	ev.sync.step = step;
	esync_engine_event(e, &ev);
}

static void end(struct esync_engine *e, uint64_t seq, uint64_t entry,
		const uint64_t *final, unsigned int words, uint16_t iommu)
{
	union esync_event ev = { 0 };

	hdr(&ev, ESYNC_EV_WRITE_END, seq, iommu);
	ev.end.entry = entry;
	ev.end.words = (uint16_t)words;
	memcpy(ev.end.final, final, words * 8);
	esync_engine_event(e, &ev);
}

static void amd(struct esync_engine *e, uint64_t seq, uint8_t type, uint32_t devid)
{
	union esync_event ev = { 0 };

	hdr(&ev, ESYNC_EV_AMD_CMD, seq, 1);
	ev.amd.data[0] = devid;
	ev.amd.data[1] = (uint32_t)type << 28;
	esync_engine_event(e, &ev);
}

static void smmu(struct esync_engine *e, uint64_t seq, uint8_t op, uint32_t sid)
{
	union esync_event ev = { 0 };

	hdr(&ev, ESYNC_EV_SMMU_CMD, seq, 0);
	ev.smmu.cmd[0] = op | (uint64_t)sid << 32;
	esync_engine_event(e, &ev);
}

static struct esync_engine *engine(struct collect *c)
{
	struct esync_engine_sink sink = { .finding = collect_finding, .seq_done = collect_done, .ctx = c };
	struct esync_engine *e;

	memset(c, 0, sizeof(*c));
	memset(shadows, 0, sizeof(shadows));
	e = esync_engine_new(&sink, NULL, ESYNC_ALL_CHECKS);
	if (!e)
		ASSERT_FAIL("esync_engine_new failed");
	return e;
}

/* A DTE change whose alias comes from a topology record, not the header */
static void test_alias_from_record(void)
{
	const struct esync_format *f = &esync_fmt_amd_dte;
	uint64_t cur[4] = { 1 | 1u << 1, 7 }, tgt[4] = { 1 | 1u << 1, 9 };
	union esync_event ev = { 0 };
	struct collect c;
	struct esync_engine *e = engine(&c);

	hdr(&ev, ESYNC_EV_TOPOLOGY, 0, 1);
	ev.topo.dev = 0x0208;
	ev.topo.nr = 2;
	ev.topo.alias[0] = 0x0200;
	ev.topo.alias[1] = 0x0300;
	esync_engine_event(e, &ev);

	begin(e, 1, 0x1000, f, 0x0208, cur, tgt, 1);
	store(e, 1, 0x1000, 0, tgt[0], tgt[1], 1);
	sync_ev(e, 1, 0x1000, 1);
	amd(e, 0, 2, 0x0208);
	amd(e, 0, 2, 0x0300);
	amd(e, 0, 1, 0);
	end(e, 1, 0x1000, tgt, 4, 1);
	/* The trace goes on for two seconds: no clone of the aliases came */
	now_ts += 2000000000ull;
	hdr(&ev, ESYNC_EV_TOPOLOGY, 0, 1);
	esync_engine_event(e, &ev);
	esync_engine_finish(e);
	ASSERT_EQ(1, c.n);
	EXPECT_STREQ("A1", esync_check_name(c.f[0].check));
	EXPECT_TRUE(strstr(c.f[0].evidence, "0000:02:00.0 never invalidated") != NULL);
	EXPECT_TRUE(strstr(c.f[0].evidence, "alias 0000:02:00.0 never") != NULL);
	EXPECT_TRUE(strstr(c.f[0].evidence, "(invalidated: 0000:02:01.0, 0000:03:00.0)") != NULL);
	EXPECT_EQ(1, c.done);
	esync_engine_free(e);
}

/* A command tagged with another write's id does not sync this one */
static void test_command_write_id(void)
{
	const struct esync_format *f = &esync_fmt_test;
	uint64_t cur[4] = { 1 | 1u << 1, 0x11 << 16 }, tgt[4] = { 1 | 1u << 1, 0x22 << 16 };
	struct collect c;
	struct esync_engine *e;
	int round;

	for (round = 0; round < 2; round++) {
		e = engine(&c);
		begin(e, 5, 0x2000, f, 0x20, cur, tgt, 0);
		begin(e, 6, 0x3000, f, 0x20, cur, tgt, 0);
		store(e, 5, 0x2000, 1, tgt[1], 0, 0);
		sync_ev(e, 5, 0x2000, 1);
		/* round 0: tagged with write 6; round 1: untagged, so it counts */
		smmu(e, round ? 0 : 6, 0x03, 0x20);
		smmu(e, 0, 0x46, 0);
		end(e, 5, 0x2000, tgt, 4, 0);
		end(e, 6, 0x3000, cur, 4, 0);
		esync_engine_finish(e);
		if (round == 0) {
			ASSERT_LE(2, c.n);
			EXPECT_STREQ("F1", esync_check_name(c.f[0].check));
			EXPECT_EQ(5, c.f[0].seq);
		} else {
			/* write 6 ends at cur though its target differs: H3 */
			ASSERT_EQ(1, c.n);
			EXPECT_STREQ("H3", esync_check_name(c.f[0].check));
			EXPECT_EQ(6, c.f[0].seq);
		}
		esync_engine_free(e);
	}
}

/* 128-bit quanta: a torn view across the high halves */
static void test_torn_128(void)
{
	const struct esync_format *f = esync_format_test_variant(4, 0, 128);
	/* mode 2 uses the payload of quanta 1 and 2 (upper halves) */
	uint64_t cur[8] = { 1 | 2u << 1, 0, 0, 0x11ull << 16, 0, 0x22ull << 16 };
	uint64_t tgt[8] = { 1 | 2u << 1, 0, 0, 0x33ull << 16, 0, 0x44ull << 16 };
	struct collect c;
	struct esync_engine *e;

	ASSERT_TRUE(f != NULL);
	e = engine(&c);
	begin(e, 9, 0x4000, f, 0x30, cur, tgt, 0);
	store(e, 9, 0x4000, 1, 0, tgt[3], 0);
	store(e, 9, 0x4000, 2, 0, tgt[5], 0);
	sync_ev(e, 9, 0x4000, 1);
	smmu(e, 0, 0x03, 0x30);
	smmu(e, 0, 0x46, 0);
	end(e, 9, 0x4000, tgt, 8, 0);
	esync_engine_finish(e);
	ASSERT_EQ(1, c.n);
	EXPECT_STREQ("H1", esync_check_name(c.f[0].check));
	EXPECT_TRUE(strstr(c.f[0].evidence, "q1=0x00000000003300000000000000000000(new)") != NULL);
	EXPECT_TRUE(strstr(c.f[0].evidence, "2 torn views") != NULL);
	esync_engine_free(e);
}

/* Sequential writes reuse one slot; stores of unknown writes are orphans */
static void test_bounded(void)
{
	const struct esync_format *f = &esync_fmt_test;
	uint64_t v[4] = { 1 | 1u << 1, 0x11 << 16 };
	struct collect c;
	struct esync_engine *e = engine(&c);

	for (int i = 0; i < 5000; i++) {
		begin(e, (uint64_t)i + 1, 0x5000 + (uint64_t)(i % 7) * 64, f, 0x20, v, v, 0);
		end(e, (uint64_t)i + 1, 0x5000 + (uint64_t)(i % 7) * 64, v, 4, 0);
	}
	store(e, 99999, 0x9000, 0, 1, 0, 0);
	esync_engine_finish(e);
	EXPECT_EQ(0, c.n);
	EXPECT_EQ(5000, c.done);
	EXPECT_EQ(5000, esync_engine_stats(e)->seqs);
	EXPECT_LE(2, esync_engine_stats(e)->max_open);
	EXPECT_EQ(1, esync_engine_stats(e)->orphans);
	esync_engine_free(e);
}

/*
 * Thousands of writes open at once, some of no task, and writes leaving
 * the indexes from the middle of their runs: every write-end and command
 * still reaches its own write, and a task's next write closes its ended one.
 */
static void test_index_churn(void)
{
	enum { N = 3000 };
	const struct esync_format *f = &esync_fmt_test;
	uint64_t v[4] = { 1 | 1u << 1, 0x11 << 16 };
	static unsigned int order[N];
	uint32_t r = 12345;
	struct collect c;
	struct esync_engine *e = engine(&c);
	const struct esync_stats *st = esync_engine_stats(e);

	for (unsigned int i = 0; i < N; i++)
		order[i] = i;
	for (unsigned int i = N - 1; i > 0; i--) {
		unsigned int j, t;

		r = r * 1103515245 + 12345;
		j = (r >> 8) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
#define CHURN_TID(i) ((i) % 5 ? 1000 + (uint32_t)(i) : 0)
#define CHURN_ENTRY(i) (0x100000 + (uint64_t)(i) * 64)
	for (unsigned int i = 0; i < N; i++) {
		now_tid = CHURN_TID(i);
		begin(e, i + 1, CHURN_ENTRY(i), f, 0x20, v, v, 0);
	}
	/* Half of them end, and their tasks write again elsewhere */
	for (unsigned int k = 0; k < N / 2; k++) {
		unsigned int i = order[k];

		now_tid = CHURN_TID(i);
		smmu(e, i + 1, 0x46, 0);
		end(e, i + 1, CHURN_ENTRY(i), v, 4, 0);
	}
	for (unsigned int k = 0; k < N / 2; k++) {
		unsigned int i = order[k];

		now_tid = CHURN_TID(i);
		begin(e, N + i + 1, CHURN_ENTRY(N + i), f, 0x20, v, v, 0);
	}
	/* Every write still open is found by its seq and by its entry */
	for (unsigned int k = 0; k < N; k++) {
		unsigned int i = order[k];
		uint64_t seq = k < N / 2 ? N + i + 1 : i + 1;
		uint64_t entry = CHURN_ENTRY(k < N / 2 ? N + i : i);

		now_tid = CHURN_TID(i);
		smmu(e, seq, 0x46, 0);
		end(e, seq, entry, v, 4, 0);
	}
	now_tid = 0;
#undef CHURN_TID
#undef CHURN_ENTRY
	esync_engine_finish(e);
	EXPECT_EQ(0, c.n);
	EXPECT_EQ(N + N / 2, c.done);
	EXPECT_EQ(0, st->orphans);
	EXPECT_EQ(0, st->late_cmds);
	/* Each task's next write closed its ended one: never more than N open */
	EXPECT_EQ(N, st->max_open);
	esync_engine_free(e);
}

/*
 * An event flagged ESYNC_EVF_LOST_BEFORE marks the loss where it was: the
 * write open there is incomplete even though it ends before the count of
 * the loss comes; a write begun after it is whole.
 */
static void test_lost_mark(void)
{
	const struct esync_format *f = &esync_fmt_test;
	uint64_t v[4] = { 1 | 1u << 1, 0x11 << 16 };
	union esync_event ev = { 0 };
	struct collect c;
	struct esync_engine *e = engine(&c);

	begin(e, 1, 0x6000, f, 0x20, v, v, 0);
	hdr(&ev, ESYNC_EV_SMMU_CMD, 0, 0);
	ev.hdr.flags = ESYNC_EVF_LOST_BEFORE;
	ev.smmu.cmd[0] = 0x46;
	esync_engine_event(e, &ev);
	end(e, 1, 0x6000, v, 4, 0);
	begin(e, 2, 0x7000, f, 0x20, v, v, 0);
	end(e, 2, 0x7000, v, 4, 0);
	esync_engine_finish(e);
	ASSERT_EQ(1, c.n);
	EXPECT_EQ(ESYNC_CHK_INCOMPLETE, c.f[0].check);
	EXPECT_EQ(1, c.f[0].seq);
	EXPECT_STREQ("events were lost while this write was open", c.f[0].evidence);
	EXPECT_EQ(2, c.done);
	esync_engine_free(e);
}

/*
 * A drop marked at its place, then runs the kernel skipped (nothing marks
 * them): the drop's count confirms its mark, the skipped runs cut every
 * write open when they are counted, even while a mark is pending
 */
static void test_lost_unplaced(void)
{
	const struct esync_format *f = &esync_fmt_test;
	uint64_t v[4] = { 1 | 1u << 1, 0x11 << 16 };
	union esync_event ev = { 0 };
	struct collect c;
	struct esync_engine *e = engine(&c);

	begin(e, 1, 0x6000, f, 0x20, v, v, 0);
	end(e, 1, 0x6000, v, 4, 0);
	hdr(&ev, ESYNC_EV_SMMU_CMD, 0, 0);
	ev.hdr.flags = ESYNC_EVF_LOST_BEFORE;
	ev.smmu.cmd[0] = 0x46;
	esync_engine_event(e, &ev);
	begin(e, 2, 0x7000, f, 0x20, v, v, 0);
	memset(&ev, 0, sizeof(ev));
	hdr(&ev, ESYNC_EV_LOST, 0, 0);
	ev.hdr.flags = ESYNC_EVF_LOST_UNPLACED;
	ev.lost.lost = 3;
	esync_engine_event(e, &ev);
	end(e, 2, 0x7000, v, 4, 0);
	esync_engine_finish(e);
	ASSERT_EQ(2, c.n);
	EXPECT_EQ(1, c.f[0].seq);
	EXPECT_EQ(ESYNC_CHK_INCOMPLETE, c.f[1].check);
	EXPECT_EQ(2, c.f[1].seq);
	EXPECT_STREQ("events were lost while this write was open", c.f[1].evidence);
	EXPECT_EQ(3, esync_engine_stats(e)->lost);
	esync_engine_free(e);
}

static void test_lost_and_unknown(void)
{
	const struct esync_format *f = &esync_fmt_test;
	uint64_t v[4] = { 1 | 1u << 1, 0x11 << 16 };
	union esync_event ev = { 0 };
	struct collect c;
	struct esync_engine *e = engine(&c);

	begin(e, 1, 0x6000, f, 0x20, v, v, 0);
	hdr(&ev, ESYNC_EV_LOST, 0, 0);
	ev.lost.lost = 12;
	esync_engine_event(e, &ev);
	end(e, 1, 0x6000, v, 4, 0);
	/* A format esync has no model for is reported, never passed */
	memset(&ev, 0, sizeof(ev));
	hdr(&ev, ESYNC_EV_WRITE_BEGIN, 2, 0);
	ev.begin.entry = 0x7000;
	ev.begin.format = 11;
	esync_engine_event(e, &ev);
	end(e, 2, 0x7000, v, 0, 0);
	esync_engine_finish(e);
	ASSERT_EQ(2, c.n);
	EXPECT_EQ(ESYNC_CHK_INCOMPLETE, c.f[0].check);
	EXPECT_STREQ("events were lost while this write was open", c.f[0].evidence);
	EXPECT_EQ(ESYNC_CHK_INCOMPLETE, c.f[1].check);
	EXPECT_STREQ("no model for this entry format", c.f[1].evidence);
	EXPECT_EQ(12, esync_engine_stats(e)->lost);
	esync_engine_free(e);
}

/* Fault records decoded from their raw words, per source */
static void test_fault_decode(void)
{
	struct esync_ev_fault ev = { 0 };
	struct esync_fault f;
	char buf[160];

	/* SMMUv3 C_BAD_STE, no SSV: the STE of sid 0x10 */
	ev.source = ESYNC_FAULT_SMMU_EVTQ;
	ev.raw[0] = 0x04 | 0x10ull << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_STREQ("C_BAD_STE", f.name);
	EXPECT_EQ(0x10, f.dev);
	EXPECT_FALSE(f.has_sub);
	EXPECT_FALSE(f.has_addr);
	EXPECT_EQ(1u << ESYNC_FMT_SMMU_STE, f.formats);
	/* F_TRANSLATION with SSV, a write: STE and the CD of ssid 3 */
	ev.raw[0] = 0x10 | 1u << 11 | 3u << 12 | 0x8ull << 32;
	ev.raw[1] = 0;
	ev.raw[2] = 0xdead000;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_TRUE(f.has_sub);
	EXPECT_EQ(3, f.sub);
	EXPECT_EQ(0xdead000, f.addr);
	EXPECT_STREQ("write", f.access);
	EXPECT_EQ(1u << ESYNC_FMT_SMMU_STE | 1u << ESYNC_FMT_SMMU_CD, f.formats);
	esync_fault_describe(&f, buf, sizeof(buf));
	EXPECT_STREQ("F_TRANSLATION sid 0x8 ssid 0x3 addr 0xdead000 write", buf);

	/* AMD IO_PAGE_FAULT: GN with PASID 0x12345, RW set */
	memset(&ev, 0, sizeof(ev));
	ev.source = ESYNC_FAULT_AMD_EVTLOG;
	ev.raw[0] = 0x10208 | (uint64_t)(2u << 28 | (0x21u << 16) | 0x2345) << 32;
	ev.raw[1] = 0x1000 | 0x2ull << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_STREQ("IO_PAGE_FAULT", f.name);
	EXPECT_EQ(0x208, f.dev);
	EXPECT_TRUE(f.has_sub);
	EXPECT_EQ(0x12345, f.sub);
	EXPECT_EQ(0x200001000ull, f.addr);
	EXPECT_STREQ("write", f.access);
	EXPECT_EQ(1u << ESYNC_FMT_AMD_DTE, f.formats);
	/* ... an interrupt request: the IRTEs too */
	ev.raw[0] = 0x208 | (uint64_t)(2u << 28 | 0x8u << 16) << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_TRUE(f.formats & (1u << ESYNC_FMT_AMD_IRTE));
	EXPECT_STREQ("read", f.access);
	/* ILLEGAL_COMMAND_ERROR names no device */
	ev.raw[0] = (uint64_t)(5u << 28) << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_FALSE(f.has_dev);
	EXPECT_EQ(0, f.formats);
	/* a code no name is known for, the highest one too (found by make fuzz) */
	ev.raw[0] = (uint64_t)(0xfu << 28) << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_TRUE(f.name == NULL);
	EXPECT_EQ(0xf, f.code);

	/* VT-d fault record: 00:03.0 PASID 5, reason 0x6, read */
	memset(&ev, 0, sizeof(ev));
	ev.source = ESYNC_FAULT_VTD_FRCD;
	ev.raw[0] = 0x12345678;
	ev.raw[1] = 0x18 | 1ull << 31 | 0x6ull << 32 | 5ull << 40 | 1ull << 62 | 1ull << 63;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_EQ(0x18, f.dev);
	EXPECT_TRUE(f.has_sub);
	EXPECT_EQ(5, f.sub);
	EXPECT_EQ(6, f.code);
	EXPECT_EQ(0x12345000, f.addr);
	EXPECT_STREQ("read", f.access);
	EXPECT_EQ(1u << ESYNC_FMT_VTD_PASID, f.formats);
	/* no PASID: the RID's entry; an interrupt-remapping fault names none */
	ev.raw[1] = 0x18 | 0x6ull << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_FALSE(f.has_sub);
	EXPECT_STREQ("write", f.access);
	ev.raw[1] = 0x18 | 0x22ull << 32;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_EQ(0, f.formats);
	EXPECT_STREQ("INTR_REMAP", f.name);
	/* dmar_fault_do_one()'s arguments: pasid ~0 is none */
	memset(&ev, 0, sizeof(ev));
	ev.source = ESYNC_FAULT_VTD_ARGS;
	ev.raw[0] = 1;
	ev.raw[1] = 0x6;
	ev.raw[2] = 0xffffffff;
	ev.raw[3] = 0x18;
	ev.addr = 0x5000;
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_EQ(0x18, f.dev);
	EXPECT_FALSE(f.has_sub);
	EXPECT_EQ(0x5000, f.addr);

	/* io_page_fault: the device by name, on any IOMMU */
	memset(&ev, 0, sizeof(ev));
	ev.source = ESYNC_FAULT_IO_PAGE_FAULT;
	strcpy(ev.name, "0000:02:01.0");
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_TRUE(f.any_iommu);
	EXPECT_TRUE(f.has_dev);
	EXPECT_EQ(0x0208, f.dev);
	strcpy(ev.name, "platform-dev");
	ASSERT_TRUE(esync_fault_decode(&ev, &f));
	EXPECT_FALSE(f.has_dev);
	ev.source = 77;
	EXPECT_FALSE(esync_fault_decode(&ev, &f));
}

static void setup(void)
{
	if (!mkdtemp(tmpdir))
		ASSERT_FAIL("mkdtemp failed");
}

static void cleanup(void)
{
	rmdir(tmpdir);
}

TAP_MAIN(TAP_CASE(setup), TAP_CASE(test_crc32c), TAP_CASE(test_crc32c_lengths),
	 TAP_CASE(test_event_check),
	 TAP_CASE(test_decode), TAP_CASE(test_dump_roundtrip),
	 TAP_CASE(test_dump_window),
	 TAP_CASE(test_alias_from_record), TAP_CASE(test_command_write_id),
	 TAP_CASE(test_torn_128), TAP_CASE(test_bounded),
	 TAP_CASE(test_index_churn), TAP_CASE(test_lost_mark), TAP_CASE(test_lost_unplaced),
	 TAP_CASE(test_lost_and_unknown), TAP_CASE(test_fault_decode),
	 TAP_CASE(cleanup))
