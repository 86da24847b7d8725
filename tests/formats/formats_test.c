// SPDX-License-Identifier: GPL-2.0-only
/*
 * Table-driven tests of the entry-format models: registry and geometry,
 * the exact used bits of representative entries of every format, and the
 * field-level diff and decode.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "tap.h"

#define W ESYNC_FMT_MAX_WORDS

/* One entry and the used bits the model must give for it. */
struct used_case {
	const char *name;
	uint64_t e[8];
	uint64_t used[8];
	bool valid;
};

static void check_used(const struct esync_format *f, const struct used_case *c,
		       size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t used[W] = { 0 };

		f->get_used(c[i].e, used);
		for (unsigned int w = 0; w < f->words; w++)
			if (used[w] != c[i].used[w])
				EXPECT_FAIL("%s '%s' word %u: used 0x%016" PRIx64
					    ", expected 0x%016" PRIx64,
					    f->name, c[i].name, w, used[w],
					    c[i].used[w]);
		for (unsigned int w = f->words; w < W; w++)
			EXPECT_EQ(0, used[w]);
		if (f->is_valid(c[i].e) != c[i].valid)
			EXPECT_FAIL("%s '%s': is_valid %d, expected %d", f->name,
				    c[i].name, !c[i].valid, c[i].valid);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define B(n) ESYNC_BIT(n)
#define G(h, l) ESYNC_GENMASK(h, l)

/* ---- registry ---- */

static void registry_ids_names_geometry(void)
{
	static const struct {
		unsigned int id;
		const char *name;
		unsigned int qbits, nq, vq, words;
	} want[] = {
		{ ESYNC_FMT_SMMU_STE, "smmu-ste", 64, 8, 0, 8 },
		{ ESYNC_FMT_SMMU_CD, "smmu-cd", 64, 8, 0, 8 },
		{ ESYNC_FMT_VTD_PASID, "vtd-pasid", 128, 4, 0, 8 },
		{ ESYNC_FMT_AMD_DTE, "amd-dte", 128, 2, 0, 4 },
		{ ESYNC_FMT_AMD_IRTE, "amd-irte", 128, 1, 0, 2 },
		/* one 64-bit quantum holding it zero-extended, as the series says */
		{ ESYNC_FMT_AMD_IRTE32, "amd-irte32", 64, 1, 0, 1 },
		{ ESYNC_FMT_TEST, "test", 64, 4, 0, 4 },
	};
	const struct esync_format *const *all;

	EXPECT_EQ(N(want), esync_format_all(&all));
	for (size_t i = 0; i < N(want); i++) {
		const struct esync_format *f = esync_format_by_id(want[i].id);

		ASSERT_TRUE(f != NULL);
		EXPECT_TRUE(f == esync_format_by_name(want[i].name));
		EXPECT_TRUE(f == all[i]);
		EXPECT_STREQ(want[i].name, f->name);
		EXPECT_EQ(want[i].id, f->id);
		EXPECT_EQ(want[i].qbits, f->quanta_bits);
		EXPECT_EQ(want[i].nq, f->num_quanta);
		EXPECT_EQ(want[i].vq, f->vbit_quanta);
		EXPECT_EQ(want[i].words, f->words);
		EXPECT_TRUE(f->get_used && f->is_valid && f->fields && f->nr_fields);
	}
	EXPECT_TRUE(esync_format_by_id(0) == NULL);
	EXPECT_TRUE(esync_format_by_id(7) == NULL);
	EXPECT_TRUE(esync_format_by_name("smmu") == NULL);
	EXPECT_TRUE(esync_format_by_name(NULL) == NULL);
}

/* Fields lie inside their word and do not overlap one another. */
static void field_tables_are_sound(void)
{
	const struct esync_format *const *all;
	unsigned int n = esync_format_all(&all);

	for (unsigned int i = 0; i < n; i++) {
		const struct esync_format *f = all[i];
		uint64_t seen[W] = { 0 };

		for (unsigned int j = 0; j < f->nr_fields; j++) {
			const struct esync_field *fld = &f->fields[j];
			uint64_t m = esync_field_mask(fld);

			if (fld->word >= f->words || !fld->width ||
			    fld->lsb + fld->width > (f->quanta_bits == 32 ? 32u : 64u)) {
				EXPECT_FAIL("%s field %s out of its word", f->name,
					    fld->name);
				continue;
			}
			if (seen[fld->word] & m)
				EXPECT_FAIL("%s field %s overlaps another", f->name,
					    fld->name);
			seen[fld->word] |= m;
		}
	}
}

/* ---- SMMUv3 ---- */

#define STE_ABORT	(B(0))
#define STE_BYPASS	(B(0) | 4 << 1)
#define STE_S1		(B(0) | 5 << 1)
#define STE_S2		(B(0) | 6 << 1)
#define STE_NESTED	(B(0) | 7 << 1)
#define STE_S1_W0	(G(3, 0) | G(5, 4) | G(51, 6) | G(63, 59))
#define STE_S1_W1	(G(7, 0) | B(27) | G(29, 28) | G(31, 30))
#define STE_S2_W1	(G(29, 28) | G(45, 44))
#define STE_S2_W2	(G(15, 0) | G(50, 32) | B(51) | B(52) | B(54) | B(57) | B(58))

static void smmu_ste_used_bits(void)
{
	static const struct used_case c[] = {
		{ "zero", { 0 }, { B(0) }, false },
		{ "invalid with junk", { ~0ULL & ~B(0), ~0ULL, ~0ULL, ~0ULL },
		  { B(0) }, false },
		{ "abort", { STE_ABORT, ~0ULL }, { G(3, 0) }, true },
		{ "bypass", { STE_BYPASS }, { G(3, 0), G(45, 44) }, true },
		{ "s1 s1dss=terminate", { STE_S1, 0 },
		  { STE_S1_W0, STE_S1_W1, G(15, 0) }, true },
		{ "s1 s1dss=bypass adds SHCFG", { STE_S1, 1 },
		  { STE_S1_W0, STE_S1_W1 | G(45, 44), G(15, 0) }, true },
		{ "s1 s1dss=ssid0", { STE_S1, 2 },
		  { STE_S1_W0, STE_S1_W1, G(15, 0) }, true },
		{ "s2", { STE_S2 },
		  { G(3, 0), STE_S2_W1, STE_S2_W2, G(51, 4) }, true },
		{ "nested s1dss=terminate", { STE_NESTED },
		  { STE_S1_W0, STE_S1_W1 | STE_S2_W1, STE_S2_W2, G(51, 4) },
		  true },
		{ "reserved config 1 counts as stage 1", { B(0) | 1 << 1 },
		  { STE_S1_W0, STE_S1_W1, G(15, 0) }, true },
		{ "reserved config 2 counts as stage 2", { B(0) | 2 << 1 },
		  { G(3, 0), STE_S2_W1, STE_S2_W2, G(51, 4) }, true },
	};

	check_used(&esync_fmt_smmu_ste, c, N(c));
}

#define CD_V		B(31)
#define CD_EPD0		B(14)

static void smmu_cd_used_bits(void)
{
	static const struct used_case c[] = {
		{ "zero", { 0 }, { CD_V }, false },
		{ "invalid with junk", { ~CD_V, ~0ULL }, { CD_V }, false },
		{ "valid: every bit",
		  { CD_V }, { ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL },
		  true },
		{ "EPD0 frees the TTB0 walk",
		  { CD_V | CD_EPD0 },
		  { ~G(13, 0), ~G(51, 4), ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL },
		  true },
	};

	check_used(&esync_fmt_smmu_cd, c, N(c));
}

/* ---- VT-d PASID ---- */

#define PGTT(t)		((uint64_t)(t) << 6)
#define P0_COMMON	(B(0) | B(1) | G(4, 2) | G(8, 6))
#define P1_COMMON	(G(15, 0) | B(23) | B(24))
#define P2_FIRST	(B(0) | G(3, 2) | B(4) | B(7) | G(63, 12))
/* first-stage memory types: CD, EMTE, PAT */
#define P1_FIRST	(B(25) | B(26) | G(63, 32))
#define P0_SECOND	(B(9) | G(63, 12))

static void vtd_pasid_used_bits(void)
{
	static const struct used_case c[] = {
		{ "not present", { PGTT(2) | G(63, 12), ~0ULL, ~0ULL }, { B(0) | B(1) },
		  false },
		{ "first-stage only", { B(0) | PGTT(1) },
		  { P0_COMMON, P1_COMMON | P1_FIRST, P2_FIRST }, true },
		{ "second-stage only", { B(0) | PGTT(2) },
		  { P0_COMMON | P0_SECOND, P1_COMMON }, true },
		{ "nested", { B(0) | PGTT(3) },
		  { P0_COMMON | P0_SECOND, P1_COMMON | P1_FIRST, P2_FIRST }, true },
		{ "pass-through", { B(0) | PGTT(4) },
		  { P0_COMMON, P1_COMMON }, true },
		{ "reserved PGTT 0", { B(0) }, { B(0) | B(1) | G(8, 6) }, true },
		{ "reserved PGTT 5", { B(0) | PGTT(5), ~0ULL },
		  { B(0) | B(1) | G(8, 6) }, true },
	};

	check_used(&esync_fmt_vtd_pasid, c, N(c));
}

/* ---- AMD DTE ---- */

#define DTE_V		B(0)
#define DTE_TV		B(1)
#define DTE_GV		B(55)
#define DTE_IV		B(0)
#define DTE0_XLATE	(G(8, 7) | G(11, 9) | G(51, 12) | B(52) | B(53) | B(54) | \
			 B(55) | B(61) | B(62))
#define DTE1_V		(G(15, 0) | G(41, 32))
/* Every interrupt bit of d[2] (the driver's DTE_DATA2_INTR_MASK) */
#define DTE2_IR		(G(51, 0) | G(63, 56))
/* IV=0: the table fields are ignored, IG and the controls are not */
#define DTE2_NOTABLE	(DTE_IV | B(5) | G(63, 56))

static void amd_dte_used_bits(void)
{
	static const struct used_case c[] = {
		{ "zero", { 0 }, { DTE_V, 0, DTE2_NOTABLE }, false },
		{ "V=0, IV=1: interrupt part still used",
		  { 0, ~0ULL, DTE_IV }, { DTE_V, 0, DTE2_IR }, false },
		/* A TV=0 entry's fields are read again when TV is set */
		{ "V=1 TV=0", { DTE_V, ~0ULL },
		  { DTE_V | DTE_TV | DTE0_XLATE, DTE1_V, DTE2_NOTABLE, ~0ULL }, true },
		{ "V=1 TV=1", { DTE_V | DTE_TV },
		  { DTE_V | DTE_TV | DTE0_XLATE, DTE1_V, DTE2_NOTABLE, ~0ULL }, true },
		{ "V=1 TV=1 GV=1 IV=1", { DTE_V | DTE_TV | DTE_GV, 0, DTE_IV },
		  { DTE_V | DTE_TV | DTE0_XLATE | G(60, 56), ~G(42, 42),
		    DTE2_IR | G(55, 54), ~0ULL }, true },
		/* The blocking entry: valid, and stops DMA */
		{ "V=1 TV=1 IR=IW=0", { DTE_V | DTE_TV, 7 },
		  { DTE_V | DTE_TV | DTE0_XLATE, DTE1_V, DTE2_NOTABLE, ~0ULL }, true },
	};

	check_used(&esync_fmt_amd_dte, c, N(c));
}

/* ---- AMD IRTE ---- */

static void amd_irte_used_bits(void)
{
	static const struct used_case ga[] = {
		{ "invalid guest vAPIC: fields still compared", { ~1ULL, ~0ULL },
		  { G(2, 0) | G(63, 6), G(7, 0) | G(51, 12) | G(63, 56) }, false },
		{ "invalid remapped: fields still compared", { 0 },
		  { G(31, 0), G(7, 0) | G(63, 56) }, false },
		{ "remapped", { B(0) },
		  { G(31, 0), G(7, 0) | G(63, 56) }, true },
		{ "guest vAPIC", { B(0) | B(7) },
		  { G(2, 0) | G(63, 6), G(7, 0) | G(51, 12) | G(63, 56) }, true },
	};
	static const struct used_case legacy[] = {
		{ "invalid: fields still compared", { 0xfffffffe }, { G(6, 0) | G(23, 8) }, false },
		{ "valid", { 1 }, { G(6, 0) | G(23, 8) }, true },
	};

	check_used(&esync_fmt_amd_irte, ga, N(ga));
	check_used(&esync_fmt_amd_irte32, legacy, N(legacy));
}

/* ---- the synthetic format ---- */

#define TF(mode)	(B(0) | (uint64_t)(mode) << 1)
#define PL		G(31, 16)

static void test_format_used_bits(void)
{
	static const struct used_case c[] = {
		{ "invalid", { 0xe, ~0ULL, ~0ULL, ~0ULL }, { B(0) }, false },
		{ "mode 0", { TF(0) }, { G(3, 0) }, true },
		{ "mode 1", { TF(1) }, { G(3, 0), PL }, true },
		{ "mode 2", { TF(2) }, { G(3, 0), PL, PL }, true },
		{ "mode 3", { TF(3) }, { G(3, 0), 0, PL, PL }, true },
		{ "mode 4: quanta 9 is beyond 4", { TF(4) }, { G(3, 0) | PL }, true },
		{ "mode 5: nothing in 4 quanta", { TF(5) }, { G(3, 0) }, true },
		{ "mode 7", { TF(7) }, { G(3, 0) }, true },
	};

	check_used(&esync_fmt_test, c, N(c));
}

static void test_format_variants(void)
{
	const struct esync_format *f;
	uint64_t e[W] = { 0 }, used[W] = { 0 };

	EXPECT_TRUE(esync_format_test_variant(4, 0, 64) == &esync_fmt_test);
	EXPECT_TRUE(esync_format_test_variant(6, 0, 64) == NULL);
	EXPECT_TRUE(esync_format_test_variant(4, 0, 32) == NULL);

	/* Ten quanta, V in quanta 5, mode 4: payload in quanta 0 and 9. */
	f = esync_format_test_variant(10, 5, 64);
	ASSERT_TRUE(f != NULL);
	EXPECT_EQ(10, f->num_quanta);
	EXPECT_EQ(5, f->vbit_quanta);
	EXPECT_EQ(10, f->words);
	e[5] = TF(4);
	f->get_used(e, used);
	for (unsigned int w = 0; w < 10; w++)
		EXPECT_EQ(w == 5 ? G(3, 0) : (w == 0 || w == 9) ? PL : 0, used[w]);
	EXPECT_TRUE(f->is_valid(e));
	EXPECT_TRUE(f == esync_format_test_variant(10, 5, 64));

	/* 128-bit, V last (quanta 3 = words 6,7), mode 3: upper halves. */
	f = esync_format_test_variant(4, 3, 128);
	ASSERT_TRUE(f != NULL);
	EXPECT_EQ(128, f->quanta_bits);
	EXPECT_EQ(8, f->words);
	memset(e, 0, sizeof(e));
	memset(used, 0, sizeof(used));
	e[6] = TF(3);
	f->get_used(e, used);
	for (unsigned int w = 0; w < 8; w++)
		EXPECT_EQ(w == 6 ? G(3, 0) : (w == 5 || w == 7) ? PL : 0, used[w]);
	EXPECT_FALSE(esync_fmt_test.is_valid(e));
	EXPECT_TRUE(f->is_valid(e));
}

/* ---- diff and decode ---- */

static void diff_names_fields(void)
{
	const struct esync_format *f = &esync_fmt_smmu_ste;
	uint64_t a[8] = { STE_S1, 0 }, b[8] = { STE_S1, 1 };
	uint64_t used[8] = { 0 };
	char buf[256];
	size_t n;

	n = esync_format_diff(f, a, b, NULL, buf, sizeof(buf));
	EXPECT_STREQ("S1DSS", buf);
	EXPECT_EQ(5, n);

	b[0] = STE_S2;
	b[1] = 1 | 1ULL << 44 | 1ULL << 17;
	b[3] = 0x1230;
	n = esync_format_diff(f, a, b, NULL, buf, sizeof(buf));
	EXPECT_STREQ("CONFIG,S1DSS,SHCFG,S2TTB,w1[17]", buf);
	EXPECT_EQ(strlen(buf), n);

	/* Under a's used bits, SHCFG and S2TTB do not count. */
	f->get_used(a, used);
	esync_format_diff(f, a, b, used, buf, sizeof(buf));
	EXPECT_STREQ("CONFIG,S1DSS", buf);

	/* Unnamed runs: STE word 1 bits 26:8, word 5 all. */
	memset(b, 0, sizeof(b));
	memcpy(b, a, sizeof(b));
	b[1] |= G(26, 8);
	b[5] = ~0ULL;
	esync_format_diff(f, a, b, NULL, buf, sizeof(buf));
	EXPECT_STREQ("w1[26:8],w5[63:0]", buf);

	/* Identical entries: empty. */
	EXPECT_EQ(0, esync_format_diff(f, a, a, NULL, buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
}

static void diff_truncates_at_a_field(void)
{
	const struct esync_format *f = &esync_fmt_smmu_ste;
	uint64_t a[8] = { 0 }, b[8] = { STE_S2 | G(5, 4), 3 };
	char buf[12];
	size_t n;

	/* "V,CONFIG,S1FMT,S1DSS" does not fit in 11 characters. */
	n = esync_format_diff(f, a, b, NULL, buf, sizeof(buf));
	EXPECT_STREQ("V,CONFIG", buf);
	EXPECT_EQ(8, n);
	EXPECT_EQ(0, esync_format_diff(f, a, b, NULL, buf, 0));
}

static void diff_irte_uses_the_mode_layout(void)
{
	const struct esync_format *f = &esync_fmt_amd_irte;
	uint64_t remap[2] = { B(0) | B(6) }, remap2[2] = { B(0) };
	uint64_t vapic[2] = { B(0) | B(7) | B(6) }, vapic2[2] = { B(0) | B(7) };
	char buf[128];

	esync_format_diff(f, remap, remap2, NULL, buf, sizeof(buf));
	EXPECT_STREQ("DM", buf);
	esync_format_diff(f, vapic, vapic2, NULL, buf, sizeof(buf));
	EXPECT_STREQ("IS_RUN", buf);
	/* remapped -> vAPIC: the target's names first. */
	esync_format_diff(f, remap2, vapic, NULL, buf, sizeof(buf));
	EXPECT_STREQ("IS_RUN,GUEST_MODE", buf);
}

static void decode_shows_used_fields(void)
{
	char buf[512];
	uint64_t ste[8] = { STE_BYPASS, 1ULL << 44 | 0xff, 0x55 };
	uint64_t irte32[1] = { 0x00302101 | 0xff000000ULL };
	uint64_t pasid[8] = { B(0) | PGTT(4) | 2 << 2, 0x0007 | B(23) };
	uint64_t tf[4] = { TF(2), 0x00010000, 0x00020000, 0xffff0000 };
	uint64_t dte[4] = { 0, 0, DTE_IV | 9 << 1 | 0xabc0 };

	esync_format_decode(&esync_fmt_smmu_ste, ste, buf, sizeof(buf));
	EXPECT_STREQ("V=0x1 CONFIG=0x4 SHCFG=0x1", buf);

	esync_format_decode(&esync_fmt_amd_irte32, irte32, buf, sizeof(buf));
	EXPECT_STREQ("VALID=0x1 NO_FAULT=0x0 INT_TYPE=0x0 RQ_EOI=0x0 DM=0x0 "
		     "DEST=0x21 VECTOR=0x30", buf);

	esync_format_decode(&esync_fmt_vtd_pasid, pasid, buf, sizeof(buf));
	EXPECT_STREQ("P=0x1 FPD=0x0 AW=0x2 PGTT=0x4 DID=0x7 PWSNP=0x1 PGSNP=0x0",
		     buf);

	esync_format_decode(&esync_fmt_test, tf, buf, sizeof(buf));
	EXPECT_STREQ("V=0x1 MODE=0x2 PAYLOAD1=0x1 PAYLOAD2=0x2", buf);

	esync_format_decode(&esync_fmt_amd_dte, dte, buf, sizeof(buf));
	EXPECT_STREQ("V=0x0 IV=0x1 INT_TAB_LEN=0x9 IG=0x0 IRT_ROOT=0x2af "
		     "INIT_PASS=0x0 EINT_PASS=0x0 NMI_PASS=0x0 INT_CTL=0x0 "
		     "LINT0_PASS=0x0 LINT1_PASS=0x0", buf);
}

/* Random entries, every buffer size: NUL-terminated, return == strlen. */
static void diff_and_decode_stay_in_bounds(void)
{
	const struct esync_format *const *all;
	unsigned int n = esync_format_all(&all);
	uint64_t x = 0x853c49e6748fea9bULL;

	for (unsigned int i = 0; i < n; i++) {
		const struct esync_format *f = all[i];

		for (unsigned int round = 0; round < 200; round++) {
			uint64_t a[W], b[W], m[W];
			size_t len = round % 97, r;
			char buf[97];

			for (unsigned int w = 0; w < W; w++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				a[w] = x;
				b[w] = x * 0x9e3779b97f4a7c15ULL;
				m[w] = round & 1 ? ~0ULL : x >> 3;
			}
			memset(buf, '#', sizeof(buf));
			r = esync_format_diff(f, a, b, m, buf, len);
			if (len) {
				EXPECT_EQ(strlen(buf), r);
				EXPECT_LE(len - 1, r);
			} else {
				EXPECT_EQ(0, r);
				EXPECT_EQ('#', buf[0]);
			}
			memset(buf, '#', sizeof(buf));
			r = esync_format_decode(f, a, buf, len);
			if (len) {
				EXPECT_EQ(strlen(buf), r);
				EXPECT_LE(len - 1, r);
			}
		}
	}
}

TAP_MAIN(TAP_CASE(registry_ids_names_geometry),
	 TAP_CASE(field_tables_are_sound),
	 TAP_CASE(smmu_ste_used_bits),
	 TAP_CASE(smmu_cd_used_bits),
	 TAP_CASE(vtd_pasid_used_bits),
	 TAP_CASE(amd_dte_used_bits),
	 TAP_CASE(amd_irte_used_bits),
	 TAP_CASE(test_format_used_bits),
	 TAP_CASE(test_format_variants),
	 TAP_CASE(diff_names_fields),
	 TAP_CASE(diff_truncates_at_a_field),
	 TAP_CASE(diff_irte_uses_the_mode_layout),
	 TAP_CASE(decode_shows_used_fields),
	 TAP_CASE(diff_and_decode_stay_in_bounds))
