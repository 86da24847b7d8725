// SPDX-License-Identifier: GPL-2.0-only
/*
 * Torn-view model checker for the entry_sync library.
 *
 * The library is the one kernel-patch/ ships, compiled through the shim
 * headers in tests/shim. Every store it makes reaches shim_store(); its sync
 * callback is ours. The hardware model is esync's: between two completed
 * syncs the IOMMU may hold any "torn view", each quantum holding any value it
 * had since the last sync. After every store the checker enumerates all of
 * them and requires each to behave like the old or the target entry over the
 * bits it uses itself; a non-valid view is allowed only when the used-bits
 * rule says the update must be disruptive. It also checks the form of the
 * update and its number of syncs against the rule, the final value, the
 * dma_wmb() before the first store, and that no store is left unsynced.
 *
 * Formats are synthetic: the valid quantum holds V and MODE; a SUB bit in
 * another quantum is a second mode field; each mode uses a payload field in
 * a set of quanta that depends on MODE and SUB. An optional HINT field may
 * change in place (get_update_safe).
 *
 * Cases: exhaustive over every pair of entries of small formats (2-4
 * quanta, every valid-quantum position, 64 and 128 bit), and a random walk
 * of at least 10^6 transitions over formats of 2-12 quanta. ESYNC_SEED sets
 * the seed, ESYNC_TRANSITIONS the walk's length, ESYNC_MAX_FAILURES stops
 * early (for the mutation tests).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "entry_sync.h"
#include "shim.h"
#include "tap.h"

#define MAX_Q 12
#define MAX_SET 8

#define F_V ((u128)1)
#define F_MODE ((u128)3 << 1)
#define F_SUB ((u128)1 << 8)
#define F_HINT ((u128)7 << 10)

struct fmt {
	unsigned int num, vbit, qbits;
	unsigned int qa, qb, qc;	/* payload quanta of the modes */
	unsigned int pay_bits;		/* payload width */
	bool safe_hint;			/* HINT in qb, changes in place */
};

static u128 pay_mask(const struct fmt *f)
{
	u128 m = (((u128)1 << f->pay_bits) - 1) << 16;

	return f->qbits == 128 ? m << 64 : m;
}

/* The used-bits model: what the hardware looks at in @e. */
static void model_used(const struct fmt *f, const u128 *e, u128 *u)
{
	unsigned int mode;

	memset(u, 0, sizeof(*u) * f->num);
	u[f->vbit] = F_V;
	if (!(e[f->vbit] & F_V))
		return;
	u[f->vbit] |= F_MODE;
	mode = (e[f->vbit] & F_MODE) >> 1;
	switch (mode) {
	case 1:
		u[f->qa] |= pay_mask(f);
		break;
	case 2:
		u[f->qa] |= pay_mask(f);
		u[f->qb] |= pay_mask(f) | F_HINT;
		break;
	case 3:
		u[f->qa] |= F_SUB;
		u[f->qb] |= pay_mask(f) | F_HINT;
		if (e[f->qa] & F_SUB)
			u[f->qc] |= pay_mask(f);
		break;
	}
}

/* Everything a transition run records; the shim hooks fill it in. */
static struct {
	const struct fmt *f;
	void *live;
	u128 old[MAX_Q], target[MAX_Q];
	u128 set[MAX_Q][MAX_SET];
	unsigned int nset[MAX_Q];
	bool may_disrupt;
	unsigned int syncs, stores, unsynced, wmbs, warns, overflow;
	unsigned int trace_begin, trace_store, trace_sync, trace_used, trace_end;
	unsigned long long views;	/* torn views enumerated, all runs */
	unsigned int fails;		/* failures reported, all runs */
	unsigned int max_fails;
	bool quiet;			/* failures are expected: do not report */
	char what[512];			/* first failure of this run */
} R;

bool shim_trace_enabled;

static u128 live_get(unsigned int i)
{
	if (R.f->qbits == 64)
		return ((uint64_t *)R.live)[i];
	return ((u128 *)R.live)[i];
}

static void hex_entry(char *buf, size_t len, const u128 *e, unsigned int num)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < num && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%016" PRIx64 "%016" PRIx64,
				i ? " " : "", (uint64_t)(e[i] >> 64), (uint64_t)e[i]);
}

static void fail_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail_run(const char *fmt, ...)
{
	va_list ap;

	if (R.what[0])
		return;		/* one failure per run is enough evidence */
	va_start(ap, fmt);
	vsnprintf(R.what, sizeof(R.what), fmt, ap);
	va_end(ap);
}

static bool behaves_like(const struct fmt *f, const u128 *v, const u128 *u,
			 const u128 *x)
{
	unsigned int i;

	for (i = 0; i < f->num; i++) {
		u128 m = u[i];

		if (f->safe_hint)
			m &= ~F_HINT;
		if ((v[i] ^ x[i]) & m)
			return false;
	}
	return true;
}

/* Enumerate every view reachable since the last sync. */
static void check_torn_views(void)
{
	const struct fmt *f = R.f;
	unsigned int idx[MAX_Q] = { 0 }, i;
	u128 v[MAX_Q] = { 0 }, u[MAX_Q];

	for (;;) {
		for (i = 0; i < f->num; i++)
			v[i] = R.set[i][idx[i]];
		R.views++;
		model_used(f, v, u);
		if (!behaves_like(f, v, u, R.old) &&
		    !behaves_like(f, v, u, R.target) &&
		    ((v[f->vbit] & F_V) || !R.may_disrupt)) {
			char hex[MAX_Q * 34];

			hex_entry(hex, sizeof(hex), v, f->num);
			fail_run("%s torn view after store %u (sync %u): %s",
				 (v[f->vbit] & F_V) ? "valid" : "non-valid (hitless update)",
				 R.stores, R.syncs, hex);
			return;
		}
		/* next combination, mixed radix */
		for (i = 0; i < f->num; i++) {
			if (++idx[i] < R.nset[i])
				break;
			idx[i] = 0;
		}
		if (i == f->num)
			return;
	}
}

void shim_store(void *addr, size_t size)
{
	const struct fmt *f = R.f;
	size_t qsize = f->qbits / 8;
	unsigned int i, k;
	u128 now;

	if ((char *)addr < (char *)R.live ||
	    (char *)addr >= (char *)R.live + qsize * f->num)
		return;
	i = ((char *)addr - (char *)R.live) / qsize;
	if (size != qsize)
		fail_run("store of %zu bytes to a %zu-byte quantum", size, qsize);
	if (!R.wmbs)
		fail_run("store to quantum %u before dma_wmb()", i);
	R.stores++;
	R.unsynced++;
	now = live_get(i);
	for (k = 0; k < R.nset[i]; k++)
		if (R.set[i][k] == now)
			break;
	if (k == R.nset[i]) {
		if (R.nset[i] == MAX_SET) {
			R.overflow++;
			fail_run("quantum %u stored more than %d values between syncs", i, MAX_SET);
			return;
		}
		R.set[i][R.nset[i]++] = now;
	}
	check_torn_views();
}

void shim_dma_wmb(void)
{
	R.wmbs++;
}

void shim_warn(const char *file, int line, const char *cond)
{
	R.warns++;
	fail_run("WARN_ON_ONCE(%s) at %s:%d", cond, file, line);
}

void shim_trace(const char *event)
{
	if (!strcmp(event, "entry_sync_write_begin"))
		R.trace_begin++;
	else if (!strcmp(event, "entry_sync_store"))
		R.trace_store++;
	else if (!strcmp(event, "entry_sync_sync"))
		R.trace_sync++;
	else if (!strcmp(event, "entry_sync_used"))
		R.trace_used++;
	else if (!strcmp(event, "entry_sync_write_end"))
		R.trace_end++;
}

/* A completed sync: the hardware's view collapses to the current entry. */
static void on_sync(void)
{
	unsigned int i;

	if (!R.unsynced)
		fail_run("sync %u with no store before it", R.syncs + 1);
	R.syncs++;
	R.unsynced = 0;
	for (i = 0; i < R.f->num; i++) {
		R.set[i][0] = live_get(i);
		R.nset[i] = 1;
	}
}

static int sync64(struct entry_sync_writer64 *w)
{
	on_sync();
	return 0;
}

static int sync128(struct entry_sync_writer128 *w)
{
	on_sync();
	return 0;
}

static void get_used64(const __le64 *e, __le64 *used)
{
	u128 v[MAX_Q] = { 0 }, u[MAX_Q];
	unsigned int i;

	for (i = 0; i < R.f->num; i++)
		v[i] = e[i];
	model_used(R.f, v, u);
	for (i = 0; i < R.f->num; i++)
		used[i] = (uint64_t)u[i];
}

static void get_used128(const u128 *e, u128 *used)
{
	model_used(R.f, e, used);
}

static void get_safe64(const __le64 *cur, const __le64 *target, __le64 *safe)
{
	safe[R.f->qb] |= (uint64_t)F_HINT;
}

static void get_safe128(const u128 *cur, const u128 *target, u128 *safe)
{
	safe[R.f->qb] |= F_HINT;
}

static const struct entry_sync_writer_ops64 ops64 = {
	.get_used = get_used64, .sync = sync64,
};
static const struct entry_sync_writer_ops64 ops64_safe = {
	.get_used = get_used64, .get_update_safe = get_safe64, .sync = sync64,
};
static const struct entry_sync_writer_ops128 ops128 = {
	.get_used = get_used128, .sync = sync128,
};
static const struct entry_sync_writer_ops128 ops128_safe = {
	.get_used = get_used128, .get_update_safe = get_safe128, .sync = sync128,
};

/*
 * The used-bits rule, written from its definition: the expected form of
 * the update and how many of its three steps store something.
 */
static enum entry_sync_update expected_update(const struct fmt *f,
					      const u128 *cur,
					      const u128 *target,
					      unsigned int *syncs)
{
	u128 cu[MAX_Q], tu[MAX_Q], mid[MAX_Q], e[MAX_Q];
	unsigned int i, nr = 0, crit = 0, s = 0;
	bool changed;

	model_used(f, cur, cu);
	model_used(f, target, tu);
	for (i = 0; i < f->num; i++) {
		if (f->safe_hint)
			cu[i] &= ~(F_HINT & tu[i]);
		mid[i] = (cur[i] & cu[i]) | (target[i] & ~cu[i]);
		if ((mid[i] & tu[i]) != target[i]) {
			nr++;
			crit = i;
		}
	}
	memcpy(e, cur, sizeof(*e) * f->num);
	if (nr == 0) {
		*syncs = memcmp(cur, target, sizeof(*e) * f->num) != 0;
		return ENTRY_SYNC_NO_CHANGE;
	}
	if (nr == 1) {
		mid[crit] = cur[crit];
		changed = false;
		for (i = 0; i < f->num; i++) {
			changed |= e[i] != mid[i];
			e[i] = mid[i];
		}
		s += changed;
		s += e[crit] != target[crit];
		e[crit] = target[crit];
		changed = false;
		for (i = 0; i < f->num; i++)
			changed |= e[i] != target[i];
		*syncs = s + changed;
		return ENTRY_SYNC_HITLESS;
	}
	s += e[f->vbit] != 0;
	changed = false;
	for (i = 0; i < f->num; i++)
		if (i != f->vbit)
			changed |= e[i] != target[i];
	s += changed;
	s += target[f->vbit] != 0;
	*syncs = s;
	return ENTRY_SYNC_DISRUPTIVE;
}

static const char *update_name(unsigned int how)
{
	static const char *const names[] = { "no change", "hitless", "disruptive" };

	return how < 3 ? names[how] : "?";
}

/* Run one transition cur -> target; returns false (and reports) on failure. */
static bool run_transition(const struct fmt *f, const u128 *cur,
			   const u128 *target)
{
	uint64_t live64[MAX_Q], tgt64[MAX_Q], mem64[3 * MAX_Q];
	u128 live128[MAX_Q], mem128[3 * MAX_Q];
	unsigned int i, want_syncs;
	enum entry_sync_update want, got;

	memset(&R.set, 0, sizeof(R.set));
	R.f = f;
	memcpy(R.old, cur, sizeof(*cur) * f->num);
	memcpy(R.target, target, sizeof(*target) * f->num);
	R.syncs = R.stores = R.unsynced = R.wmbs = R.warns = R.overflow = 0;
	R.trace_begin = R.trace_store = R.trace_sync = R.trace_used = R.trace_end = 0;
	R.what[0] = '\0';
	for (i = 0; i < f->num; i++) {
		R.set[i][0] = cur[i];
		R.nset[i] = 1;
	}
	want = expected_update(f, cur, target, &want_syncs);
	R.may_disrupt = want == ENTRY_SYNC_DISRUPTIVE;

	if (f->qbits == 64) {
		struct entry_sync_writer64 w = {
			.ops = f->safe_hint ? &ops64_safe : &ops64,
			.num_quanta = f->num,
			.vbit_quantum = f->vbit,
			.id = { .format = ENTRY_SYNC_FMT_TEST },
		};

		for (i = 0; i < f->num; i++) {
			live64[i] = (uint64_t)cur[i];
			tgt64[i] = (uint64_t)target[i];
		}
		R.live = live64;
		got = entry_sync_write64(&w, live64, tgt64, mem64, 3 * f->num);
	} else {
		struct entry_sync_writer128 w = {
			.ops = f->safe_hint ? &ops128_safe : &ops128,
			.num_quanta = f->num,
			.vbit_quantum = f->vbit,
			.id = { .format = ENTRY_SYNC_FMT_TEST },
		};

		memcpy(live128, cur, sizeof(*cur) * f->num);
		R.live = live128;
		got = entry_sync_write128(&w, live128, target, mem128, 3 * f->num);
	}

	for (i = 0; i < f->num; i++)
		if (live_get(i) != target[i])
			fail_run("quantum %u ends differing from the target", i);
	if (R.unsynced)
		fail_run("%u store(s) not followed by a sync", R.unsynced);
	if (got != want)
		fail_run("update was %s, the used-bits rule says %s",
			 update_name(got), update_name(want));
	else if (R.syncs != want_syncs)
		fail_run("%u syncs, the used-bits rule says %u", R.syncs, want_syncs);
	if (R.syncs > 3)
		fail_run("%u syncs, more than 3", R.syncs);
	if (shim_trace_enabled &&
	    (R.trace_begin != 1 || R.trace_end != 1 || R.trace_used != 1 ||
	     R.trace_store != R.stores || R.trace_sync != R.syncs))
		fail_run("trace events: begin %u end %u used %u store %u/%u sync %u/%u",
			 R.trace_begin, R.trace_end, R.trace_used, R.trace_store,
			 R.stores, R.trace_sync, R.syncs);

	if (!R.what[0])
		return true;
	R.fails++;
	if (!R.quiet && R.fails <= 5) {
		char a[MAX_Q * 34], b[MAX_Q * 34];

		hex_entry(a, sizeof(a), cur, f->num);
		hex_entry(b, sizeof(b), target, f->num);
		EXPECT_FAIL("%s", R.what);
		tap_diag("  format: %u x %u-bit quanta, V in %u, payload in %u/%u/%u%s",
			 f->num, f->qbits, f->vbit, f->qa, f->qb, f->qc,
			 f->safe_hint ? ", safe hint" : "");
		tap_diag("  old:    %s", a);
		tap_diag("  target: %s", b);
	}
	return false;
}

/* All entries of @f whose set bits are all used; returns how many. */
static unsigned int enumerate_entries(const struct fmt *f, u128 (*out)[MAX_Q],
				      unsigned int max)
{
	unsigned int n = 0, mode, sub, combo, i, k;

	memset(out[n], 0, sizeof(out[n]));
	n++;				/* the non-valid entry */
	for (mode = 0; mode < 4; mode++) {
		for (sub = 0; sub < (mode == 3 ? 2u : 1u); sub++) {
			u128 base[MAX_Q] = { 0 }, u[MAX_Q];
			unsigned int pq[MAX_Q], npq = 0;

			base[f->vbit] = F_V | ((u128)mode << 1);
			if (sub)
				base[f->qa] |= F_SUB;
			model_used(f, base, u);
			for (i = 0; i < f->num; i++)
				if (u[i] & pay_mask(f))
					pq[npq++] = i;
			for (combo = 0; combo < 1u << (f->pay_bits * npq); combo++) {
				if (n == max)
					return n;
				memcpy(out[n], base, sizeof(base));
				for (k = 0; k < npq; k++) {
					u128 val = (combo >> (k * f->pay_bits)) &
						   ((1u << f->pay_bits) - 1);

					out[n][pq[k]] |= (val << 16) << (f->qbits == 128 ? 64 : 0);
				}
				n++;
			}
		}
	}
	return n;
}

static unsigned long long transitions;

static unsigned int max_failures(void)
{
	const char *s = getenv("ESYNC_MAX_FAILURES");

	return s ? strtoul(s, NULL, 0) : 1000;
}

static void exhaustive(unsigned int qbits)
{
	static u128 entries[512][MAX_Q];
	unsigned long long before = transitions, views = R.views;
	unsigned int num, vbit, variant, a, b, n, configs = 0;

	for (num = 2; num <= 4; num++) {
		for (vbit = 0; vbit < num; vbit++) {
			for (variant = 0; variant < 2; variant++) {
				struct fmt f = {
					.num = num, .vbit = vbit, .qbits = qbits,
					.pay_bits = 2,
				};

				if (!variant) {
					f.qa = (vbit + 1) % num;
					f.qb = (vbit + 2) % num;
					f.qc = vbit;
				} else {
					f.qa = (vbit + num - 1) % num;
					f.qb = vbit;
					f.qc = (vbit + 1) % num;
				}
				configs++;
				n = enumerate_entries(&f, entries, 512);
				for (a = 0; a < n; a++) {
					for (b = 0; b < n; b++) {
						transitions++;
						run_transition(&f, entries[a], entries[b]);
						if (R.fails >= R.max_fails)
							goto out;
					}
				}
			}
		}
	}
out:
	tap_diag("%u formats, %llu transitions, %llu torn views", configs,
		 transitions - before, R.views - views);
	EXPECT_EQ(0, R.fails);
}

static void exhaustive_64(void)
{
	R.fails = 0;
	exhaustive(64);
}

static void exhaustive_128(void)
{
	R.fails = 0;
	exhaustive(128);
}

/* xorshift64*: small, fast and reproducible from the printed seed */
static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static void random_format(struct fmt *f)
{
	f->num = 2 + rnd() % (MAX_Q - 1);
	f->vbit = rnd() % f->num;
	f->qbits = rnd() & 1 ? 128 : 64;
	f->qa = rnd() % f->num;
	f->qb = rnd() % f->num;
	f->qc = rnd() % f->num;
	f->pay_bits = 8;
	f->safe_hint = rnd() % 4 == 0;
}

/* A random entry of @f with only used bits set, often close to @near. */
static void random_entry(const struct fmt *f, const u128 *near, u128 *e)
{
	u128 u[MAX_Q];
	unsigned int i, pick = rnd() % 8;

	if (pick == 0) {
		memset(e, 0, sizeof(*e) * f->num);
		return;
	}
	memcpy(e, near, sizeof(*e) * f->num);
	e[f->vbit] |= F_V;
	if (pick <= 3 || !(near[f->vbit] & F_V)) {
		e[f->vbit] = (e[f->vbit] & ~F_MODE) | ((u128)(rnd() % 4) << 1);
		e[f->qa] ^= rnd() & 1 ? F_SUB : 0;
	}
	model_used(f, e, u);
	for (i = 0; i < f->num; i++) {
		if (pick >= 5 || rnd() % 3 == 0)
			e[i] ^= ((u128)rnd() << 64 | rnd()) & u[i] &
				(pay_mask(f) | (f->safe_hint ? F_HINT : 0));
		e[i] &= u[i];
	}
}

static unsigned long long walk_length(void)
{
	const char *s = getenv("ESYNC_TRANSITIONS");

	return s ? strtoull(s, NULL, 0) : 1000000ULL;
}

static void random_walk(void)
{
	const char *s = getenv("ESYNC_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) :
			(uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
	unsigned long long n, len = walk_length(), before = transitions;
	unsigned long long views = R.views;
	u128 cur[MAX_Q] = { 0 }, next[MAX_Q];
	struct fmt f;

	R.fails = 0;
	rng = seed ? seed : 1;
	tap_diag("seed %" PRIu64 " (reproduce with ESYNC_SEED=%" PRIu64 ")", seed, seed);
	for (n = 0; n < len && R.fails < R.max_fails; n++) {
		if (n % 1000 == 0) {
			random_format(&f);
			memset(cur, 0, sizeof(cur));
			shim_trace_enabled = rnd() & 1;
		}
		random_entry(&f, cur, next);
		transitions++;
		run_transition(&f, cur, next);
		memcpy(cur, next, sizeof(cur));
	}
	shim_trace_enabled = false;
	tap_diag("%llu transitions, %llu torn views", transitions - before,
		 R.views - views);
	if (R.fails)
		tap_diag("reproduce with ESYNC_SEED=%" PRIu64, seed);
	EXPECT_EQ(0, R.fails);
	EXPECT_GE(len, transitions - before);
}

/* A target that sets a bit its own used bits do not cover must warn. */
static void unused_target_bit_warns(void)
{
	struct fmt f = { .num = 4, .vbit = 0, .qbits = 64, .qa = 1, .qb = 2,
			 .qc = 3, .pay_bits = 8 };
	u128 cur[MAX_Q] = { F_V | (1 << 1) }, target[MAX_Q] = { F_V | (1 << 1) };
	unsigned int fails = R.fails;

	target[3] = (u128)1 << 40;	/* mode 1 does not use quantum 3 */
	R.f = &f;
	R.max_fails = ~0u;
	R.quiet = true;
	EXPECT_FALSE(run_transition(&f, cur, target));
	R.quiet = false;
	EXPECT_GE(1, R.warns);
	R.fails = fails;
	R.max_fails = max_failures();
	if (tap_case_failures() == 0)
		tap_diag("reported as expected: %s", R.what);
}

/*
 * A writer given too little scratch memory, or a valid quantum outside the
 * entry, must fail with -EINVAL and leave the entry alone: "no change"
 * would make callers skip the flushes of a write that never happened.
 */
static void misuse_returns_error(void)
{
	struct entry_sync_writer64 w = { .ops = &ops64, .num_quanta = 4 };
	__le64 entry[4] = { F_V | (1 << 1), 5 << 16 }, target[4] = { 0 };
	__le64 memory[12];
	unsigned int warns;
	int ret;

	R.syncs = 0;
	R.warns = 0;
	R.quiet = true;
	ret = entry_sync_write64(&w, entry, target, memory, 11);
	EXPECT_EQ(-EINVAL, ret);
	w.vbit_quantum = 4;
	ret = entry_sync_write64(&w, entry, target, memory, 12);
	EXPECT_EQ(-EINVAL, ret);
	warns = R.warns;
	R.quiet = false;
	R.what[0] = 0;
	EXPECT_GE(1, warns);
	EXPECT_EQ(0, R.syncs);
	EXPECT_EQ(F_V | (1 << 1), entry[0]);
	EXPECT_EQ(5 << 16, entry[1]);
}

/*
 * A store to the entry behind the writer's back (here from inside its own
 * sync, as an unlocked writer of another part of the entry could) must not
 * be hidden by a retry: the 128-bit store warns, and the target still ends
 * up in place.
 */
static u128 *poke_at;

static int poke_sync128(struct entry_sync_writer128 *w)
{
	if (poke_at)
		*poke_at ^= (u128)1 << 120;
	poke_at = NULL;
	return 0;
}

static void foreign_store_warns(void)
{
	static const struct entry_sync_writer_ops128 ops = {
		.get_used = get_used128,
		.sync = poke_sync128,
	};
	struct fmt f = { .num = 4, .vbit = 0, .qbits = 128, .qa = 1, .qb = 2,
			 .qc = 3, .pay_bits = 8 };
	struct entry_sync_writer128 w = { .ops = &ops, .num_quanta = 4 };
	/* Payloads sit in the upper half of 128-bit quanta */
	u128 entry[4] = { F_V | (1 << 1), (u128)5 << 80 };
	u128 target[4] = { F_V | (2 << 1), (u128)7 << 80, (u128)6 << 80 };
	u128 memory[12];
	unsigned int warns, i;

	R.f = &f;
	R.live = NULL;
	R.warns = 0;
	R.quiet = true;
	poke_at = &entry[1];
	EXPECT_EQ(ENTRY_SYNC_DISRUPTIVE,
		  entry_sync_write128(&w, entry, target, memory, 12));
	warns = R.warns;
	R.quiet = false;
	if (warns)
		tap_diag("reported as expected: %s", R.what);
	R.what[0] = 0;
	EXPECT_GE(1, warns);
	for (i = 0; i < 4; i++)
		EXPECT_TRUE(entry[i] == target[i]);
}

/*
 * A sync that fails stops the write: the error is returned, and nothing is
 * stored after it (the entry is what the failed sync was asked to cover).
 */
static struct {
	unsigned int fail_at, syncs;
	__le64 *entry, at_fail[4];
} FS;

static int failing_sync64(struct entry_sync_writer64 *w)
{
	if (++FS.syncs != FS.fail_at)
		return 0;
	memcpy(FS.at_fail, FS.entry, sizeof(FS.at_fail));
	return -ETIMEDOUT;
}

static void failed_sync_stops(void)
{
	static const struct entry_sync_writer_ops64 ops = {
		.get_used = get_used64,
		.sync = failing_sync64,
	};
	struct fmt f = { .num = 4, .vbit = 0, .qbits = 64, .qa = 1, .qb = 2,
			 .qc = 3, .pay_bits = 8 };
	/* A disruptive change: three syncs, each made to fail in turn */
	static const __le64 from[4] = { F_V | (1 << 1), 5 << 16 };
	static const __le64 to[4] = { F_V | (2 << 1), 7 << 16, 6 << 16 };
	__le64 entry[4], memory[12];

	R.f = &f;
	R.live = NULL;
	for (FS.fail_at = 1; FS.fail_at <= 3; FS.fail_at++) {
		struct entry_sync_writer64 w = { .ops = &ops, .num_quanta = 4 };

		memcpy(entry, from, sizeof(entry));
		FS.syncs = 0;
		FS.entry = entry;
		EXPECT_EQ(-ETIMEDOUT, entry_sync_write64(&w, entry, to, memory, 12));
		EXPECT_EQ(FS.fail_at, FS.syncs);
		EXPECT_TRUE(!memcmp(entry, FS.at_fail, sizeof(entry)));
	}
}

/* A few hand-computed transitions, as documentation of the rule. */
static void known_transitions(void)
{
	struct fmt f = { .num = 4, .vbit = 0, .qbits = 64, .qa = 1, .qb = 2,
			 .qc = 3, .pay_bits = 8 };
	u128 inv[MAX_Q] = { 0 };
	u128 m1[MAX_Q] = { F_V | (1 << 1), (u128)5 << 16 };
	u128 m2[MAX_Q] = { F_V | (2 << 1), (u128)5 << 16, (u128)6 << 16 };
	u128 m2b[MAX_Q] = { F_V | (2 << 1), (u128)7 << 16, (u128)6 << 16 };

	R.max_fails = ~0u;
	EXPECT_TRUE(run_transition(&f, inv, m1));
	EXPECT_EQ(2, R.syncs);
	EXPECT_TRUE(run_transition(&f, m1, m2));	/* qb is free: hitless */
	EXPECT_EQ(2, R.syncs);
	EXPECT_TRUE(run_transition(&f, m1, m2b));	/* qa and mode: disruptive */
	EXPECT_EQ(3, R.syncs);
	EXPECT_TRUE(run_transition(&f, m2, m1));
	EXPECT_EQ(2, R.syncs);
	EXPECT_TRUE(run_transition(&f, m2, m2));
	EXPECT_EQ(0, R.syncs);
	R.max_fails = max_failures();
}

static void totals(void)
{
	tap_diag("total: %llu transitions checked, %llu torn views enumerated",
		 transitions, R.views);
	EXPECT_GE(walk_length(), transitions);
}

int main(void)
{
	static const struct tap_case cases[] = {
		TAP_CASE(known_transitions),
		TAP_CASE(unused_target_bit_warns),
		TAP_CASE(misuse_returns_error),
		TAP_CASE(foreign_store_warns),
		TAP_CASE(failed_sync_stops),
		TAP_CASE(exhaustive_64),
		TAP_CASE(exhaustive_128),
		TAP_CASE(random_walk),
		TAP_CASE(totals),
	};

	R.max_fails = max_failures();
	return tap_run(cases, sizeof(cases) / sizeof(cases[0]));
}
