// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "test" format model against tf_used() of the entry_sync KUnit test,
 * cut out of kernel-patch/ at build time (extract-tf-used.sh): every
 * geometry a KUnit case uses must exist as a variant, and for each one the
 * used bits must agree on every mode, valid or not, with random payloads.
 */
#include <inttypes.h>
#include <string.h>

#include "format.h"
#include "kernel-tf.h"
#include "tap.h"

#define MAXQ 12

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* Entry words <-> the KUnit test's (lo, hi) quanta pairs. */
static void to_pairs(const struct kunit_tf_geometry *g, const uint64_t *w,
		     u64 (*v)[2])
{
	memset(v, 0, sizeof(u64) * 2 * MAXQ);
	for (unsigned int q = 0; q < g->num; q++) {
		v[q][0] = g->wide ? w[2 * q] : w[q];
		v[q][1] = g->wide ? w[2 * q + 1] : 0;
	}
}

static unsigned long compared;

static void compare_geometry(const struct kunit_tf_geometry *g)
{
	const struct esync_format *f =
		esync_format_test_variant(g->num, g->vbit, g->wide ? 128 : 64);
	uint64_t e[ESYNC_FMT_MAX_WORDS], used[ESYNC_FMT_MAX_WORDS];
	u64 v[MAXQ][2], ref[MAXQ][2], mine[MAXQ][2];
	unsigned int bad = 0;

	if (!f) {
		EXPECT_FAIL("no test-format variant for %u quanta, V in %u, %s",
			    g->num, g->vbit, g->wide ? "128-bit" : "64-bit");
		return;
	}
	EXPECT_EQ(g->num, f->num_quanta);
	EXPECT_EQ(g->vbit, f->vbit_quanta);
	EXPECT_EQ(g->wide ? 2 * g->num : g->num, f->words);

	for (unsigned int i = 0; i < 4096; i++) {
		for (unsigned int w = 0; w < f->words; w++)
			e[w] = rng();
		/* Every mode with V set and clear, then random. */
		if (i < 16) {
			unsigned int vw = g->wide ? 2 * g->vbit : g->vbit;

			e[vw] = (e[vw] & ~0xfULL) | (i & 1) | (uint64_t)(i >> 1) << 1;
		}
		memset(used, 0, sizeof(used));
		f->get_used(e, used);
		to_pairs(g, e, v);
		to_pairs(g, used, mine);
		memset(ref, 0, sizeof(ref));
		kunit_tf_used(g->num, g->vbit, g->wide, (const u64 (*)[2])v, ref);
		compared++;
		if (memcmp(ref, mine, sizeof(u64) * 2 * g->num) == 0) {
			EXPECT_EQ(!!(v[g->vbit][0] & 1), f->is_valid(e));
			continue;
		}
		if (bad++ < 3)
			EXPECT_FAIL("%u quanta, V in %u, %s: entry word %u = 0x%016"
				    PRIx64 ": model and KUnit used bits differ",
				    g->num, g->vbit, g->wide ? "128" : "64",
				    g->wide ? 2 * g->vbit : g->vbit,
				    e[g->wide ? 2 * g->vbit : g->vbit]);
	}
}

static void every_kunit_geometry_agrees(void)
{
	ASSERT_GE(1, kunit_tf_nr_geometries);
	for (unsigned int i = 0; i < kunit_tf_nr_geometries; i++)
		compare_geometry(&kunit_tf_geometries[i]);
	tap_diag("%u KUnit cases, %lu entries compared with tf_used()",
		 kunit_tf_nr_geometries, compared);
}

TAP_MAIN(TAP_CASE(every_kunit_geometry_agrees))
