// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync's SMMUv3 STE and CD used-bits models against the driver's own
 * arm_smmu_get_ste_used() / arm_smmu_get_cd_used(), cut out of Linux 6.12
 * at build time (extract-smmu-used.sh) and compiled through shim headers.
 *
 * Vectors: the entries arm-smmu-v3-test.c builds (abort, bypass, CD-table
 * STEs with every S1DSS, S2 STEs, with and without ATS and stall; S1, SVA
 * and released-SVA CDs), every per-qword mix of each pair of them (every
 * torn view a transition between the two can show), and seeded random
 * entries biased towards the mode fields.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "tap.h"

#ifdef ESYNC_HAVE_KERNEL_USED
#include "kernel-used.h"
#endif

#define QW 8

struct vec {
	const char *name;
	uint64_t e[QW];
};

/* ---- the KUnit test's entries, built as the 6.12 make functions do ---- */

#define STE_V		ESYNC_BIT(0)
#define STE_CFG		ESYNC_GENMASK(3, 1)
#define STE_S1FMT	ESYNC_GENMASK(5, 4)
#define STE_S1CTXPTR	ESYNC_GENMASK(51, 6)
#define STE_S1CDMAX	ESYNC_GENMASK(63, 59)
#define STE_S1DSS	ESYNC_GENMASK(1, 0)
#define STE_S1CIR	ESYNC_GENMASK(3, 2)
#define STE_S1COR	ESYNC_GENMASK(5, 4)
#define STE_S1CSH	ESYNC_GENMASK(7, 6)
#define STE_S1STALLD	ESYNC_BIT(27)
#define STE_EATS	ESYNC_GENMASK(29, 28)
#define STE_SHCFG	ESYNC_GENMASK(45, 44)
#define STE_VTCR	ESYNC_GENMASK(50, 32)
#define STE_S2AA64	ESYNC_BIT(51)
#define STE_S2PTW	ESYNC_BIT(54)
#define STE_S2S		ESYNC_BIT(57)
#define STE_S2R		ESYNC_BIT(58)
#define STE_S2TTB	ESYNC_GENMASK(51, 4)

#define CD_V		ESYNC_BIT(31)
#define CD_EPD0		ESYNC_BIT(14)
#define CD_EPD1		ESYNC_BIT(30)
#define CD_AA64		ESYNC_BIT(41)
#define CD_S		ESYNC_BIT(44)
#define CD_R		ESYNC_BIT(45)
#define CD_A		ESYNC_BIT(46)
#define CD_ASET		ESYNC_BIT(47)
#define CD_ASID		ESYNC_GENMASK(63, 48)
#define CD_TTB0		ESYNC_GENMASK(51, 4)

#define P(m, v) ESYNC_FIELD_PREP(m, v)

enum { F_ATS = 1, F_STALL = 2 };

static void mk_abort(uint64_t *e)
{
	memset(e, 0, QW * 8);
	e[0] = STE_V | P(STE_CFG, 0);
}

/* The KUnit SMMU has STALLS and ATTR_TYPES_OVR, not E2H. */
static void mk_bypass(uint64_t *e)
{
	memset(e, 0, QW * 8);
	e[0] = STE_V | P(STE_CFG, 4);
	e[1] = P(STE_SHCFG, 1);
}

static void mk_cdtable(uint64_t *e, unsigned int s1dss, uint64_t dma, int feat)
{
	memset(e, 0, QW * 8);
	e[0] = STE_V | P(STE_CFG, 5) | P(STE_S1FMT, 2) | (dma & STE_S1CTXPTR) |
	       P(STE_S1CDMAX, 0xff);
	e[1] = P(STE_S1DSS, s1dss) | P(STE_S1CIR, 1) | P(STE_S1COR, 1) |
	       P(STE_S1CSH, 3) | (feat & F_STALL ? 0 : STE_S1STALLD) |
	       P(STE_EATS, feat & F_ATS ? 1 : 0);
	if (s1dss == 1)
		e[1] |= P(STE_SHCFG, 1);
}

static void mk_s2(uint64_t *e, int feat)
{
	uint64_t vtcr = 4 | 3 << 6 | 2 << 8 | 1 << 10 | 3 << 12 | 2 << 14 |
			1 << 16;

	memset(e, 0, QW * 8);
	e[0] = STE_V | P(STE_CFG, 6);
	e[1] = P(STE_EATS, feat & F_ATS ? 1 : 0) | P(STE_SHCFG, 1);
	e[2] = P(STE_VTCR, vtcr) | STE_S2AA64 | STE_S2PTW |
	       (feat & F_STALL ? STE_S2S : 0) | STE_S2R;
	e[3] = 0xdaedbeefdeadbeefULL & STE_S2TTB;
}

static void mk_s1_cd(uint64_t *e, unsigned int asid)
{
	memset(e, 0, QW * 8);
	e[0] = 4 | 2 << 6 | 2 << 8 | 1 << 10 | 3 << 12 | CD_EPD1 | CD_V |
	       1ULL << 32 | CD_AA64 | CD_R | CD_A | CD_ASET | P(CD_ASID, asid);
	e[1] = 0xdaedbeefdeadbeefULL & CD_TTB0;
	e[3] = 0xabcdef012345678ULL;
}

/* SVA CD with an mm (48-bit VA, 4K pages) or, released, with EPD0. */
static void mk_sva_cd(uint64_t *e, unsigned int asid, bool release)
{
	memset(e, 0, QW * 8);
	e[0] = CD_EPD1 | CD_V | 5ULL << 32 | CD_AA64 | CD_R | CD_A | CD_ASET |
	       P(CD_ASID, asid);
	if (!release) {
		e[0] |= 16 | 0 << 6 | 1 << 8 | 1 << 10 | 3 << 12;
		e[1] = 0xdaedbeefdeadb000ULL & CD_TTB0;
	} else {
		e[0] |= CD_EPD0;
		e[0] &= ~(CD_S | CD_R);
	}
	e[3] = 0x000004ff00440cffULL;
}

#define MAX_VECS 32

static unsigned int ste_vectors(struct vec *v)
{
	static const unsigned int s1dss[] = { 0, 1, 2 };
	static const char *const s1dss_name[] = { "terminate", "bypass", "ssid0" };
	static const int feats[] = { 0, F_ATS, F_STALL, F_ATS | F_STALL };
	static const char *const feat_name[] = { "", "+ats", "+stall", "+ats+stall" };
	static char names[MAX_VECS][48];
	unsigned int n = 0;

	v[n].name = "abort";
	mk_abort(v[n++].e);
	v[n].name = "bypass";
	mk_bypass(v[n++].e);
	for (unsigned int i = 0; i < 3; i++)
		for (unsigned int f = 0; f < 4; f++) {
			snprintf(names[n], sizeof(names[n]), "cdtable-s1dss-%s%s",
				 s1dss_name[i], feat_name[f]);
			v[n].name = names[n];
			mk_cdtable(v[n++].e, s1dss[i], 0xF0F0F0F0F0F0ULL, feats[f]);
		}
	v[n].name = "cdtable-other-ptr-s1dss-bypass+ats";
	mk_cdtable(v[n++].e, 1, 0x4B4B4b4B4BULL, F_ATS);
	for (unsigned int f = 0; f < 4; f++) {
		snprintf(names[n], sizeof(names[n]), "s2%s", feat_name[f]);
		v[n].name = names[n];
		mk_s2(v[n++].e, feats[f]);
	}
	v[n].name = "zero";
	memset(v[n++].e, 0, QW * 8);
	return n;
}

static unsigned int cd_vectors(struct vec *v)
{
	unsigned int n = 0;

	v[n].name = "zero";
	memset(v[n++].e, 0, QW * 8);
	v[n].name = "s1-asid-778";
	mk_s1_cd(v[n++].e, 778);
	v[n].name = "s1-asid-1997";
	mk_s1_cd(v[n++].e, 1997);
	v[n].name = "sva-1997";
	mk_sva_cd(v[n++].e, 1997, false);
	v[n].name = "sva-release-1997";
	mk_sva_cd(v[n++].e, 1997, true);
	return n;
}

/* ---- comparison ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

typedef void (*used_fn)(const uint64_t *e, uint64_t *u);

struct cmp {
	const struct esync_format *f;
	used_fn driver;
	unsigned long compared;
	unsigned int mismatches;
	bool quiet;		/* count mismatches without reporting them */
};

static void compare_one(struct cmp *c, const char *what, const uint64_t *e)
{
	uint64_t mine[QW] = { 0 }, theirs[QW] = { 0 };

	c->f->get_used(e, mine);
	c->driver(e, theirs);
	c->compared++;
	if (memcmp(mine, theirs, sizeof(mine)) == 0)
		return;
	if (!c->quiet && c->mismatches < 5) {
		for (unsigned int i = 0; i < QW; i++)
			if (mine[i] != theirs[i])
				EXPECT_FAIL("%s %s qword %u: entry 0x%016" PRIx64
					    " model used 0x%016" PRIx64
					    " driver used 0x%016" PRIx64,
					    c->f->name, what, i, e[i], mine[i],
					    theirs[i]);
	}
	c->mismatches++;
}

/* Each vector, then every qword-wise mix of every ordered pair. */
static void compare_set(struct cmp *c, const struct vec *v, unsigned int n)
{
	uint64_t mix[QW];

	for (unsigned int i = 0; i < n; i++)
		compare_one(c, v[i].name, v[i].e);
	for (unsigned int a = 0; a < n; a++)
		for (unsigned int b = 0; b < n; b++) {
			if (a == b)
				continue;
			for (unsigned int m = 1; m < (1u << QW) - 1; m++) {
				for (unsigned int q = 0; q < QW; q++)
					mix[q] = m & (1u << q) ? v[b].e[q] : v[a].e[q];
				compare_one(c, v[a].name, mix);
			}
		}
}

static void compare_set_quiet(struct cmp *c, const struct vec *v, unsigned int n)
{
	c->quiet = true;
	compare_set(c, v, n);
}

#define RANDOM_ENTRIES 1000000

static void compare_random(struct cmp *c, bool ste)
{
	uint64_t e[QW];

	for (unsigned int i = 0; i < RANDOM_ENTRIES; i++) {
		for (unsigned int q = 0; q < QW; q++)
			e[q] = rng();
		/* Half the entries valid, every CONFIG/S1DSS/EPD0 value. */
		if (i & 1) {
			if (ste)
				e[0] |= STE_V;
			else
				e[0] |= CD_V;
		}
		if (ste && (i & 6) == 6)
			e[1] = (e[1] & ~STE_S1DSS) | P(STE_S1DSS, 1);
		compare_one(c, "random", e);
	}
}

#ifdef ESYNC_HAVE_KERNEL_USED
static void driver_ste(const uint64_t *e, uint64_t *u)
{
	arm_smmu_get_ste_used(e, u);
}

static void driver_cd(const uint64_t *e, uint64_t *u)
{
	arm_smmu_get_cd_used(e, u);
}
#define SKIP_IF_NO_KERNEL() do { } while (0)
#else
/* Never called: every case skips first. */
static void driver_ste(const uint64_t *e, uint64_t *u)
{
}

static void driver_cd(const uint64_t *e, uint64_t *u)
{
}

#define SKIP_IF_NO_KERNEL() \
	tap_skip("Linux 6.12 source not found (%s); install linux-source-6.12", \
		 ESYNC_KSRC_MISSING)
#endif

static void ste_kunit_entries_match_driver(void)
{
	struct cmp c = { .f = &esync_fmt_smmu_ste, .driver = driver_ste };
	struct vec v[MAX_VECS];
	unsigned int n;

	SKIP_IF_NO_KERNEL();
	n = ste_vectors(v);
	ASSERT_EQ(20, n);
	compare_set(&c, v, n);
	EXPECT_EQ(0, c.mismatches);
	EXPECT_EQ(20 + 20 * 19 * 254, c.compared);
	tap_diag("smmu-ste: %lu vectors from %u KUnit entries agree with "
		 "arm_smmu_get_ste_used()", c.compared, n);
}

static void cd_kunit_entries_match_driver(void)
{
	struct cmp c = { .f = &esync_fmt_smmu_cd, .driver = driver_cd };
	struct vec v[MAX_VECS];
	unsigned int n;

	SKIP_IF_NO_KERNEL();
	n = cd_vectors(v);
	ASSERT_EQ(5, n);
	compare_set(&c, v, n);
	EXPECT_EQ(0, c.mismatches);
	EXPECT_EQ(5 + 5 * 4 * 254, c.compared);
	tap_diag("smmu-cd: %lu vectors from %u KUnit entries agree with "
		 "arm_smmu_get_cd_used()", c.compared, n);
}

static void ste_random_entries_match_driver(void)
{
	struct cmp c = { .f = &esync_fmt_smmu_ste, .driver = driver_ste };

	SKIP_IF_NO_KERNEL();
	compare_random(&c, true);
	EXPECT_EQ(0, c.mismatches);
	EXPECT_EQ(RANDOM_ENTRIES, c.compared);
	tap_diag("smmu-ste: %lu random entries agree", c.compared);
}

static void cd_random_entries_match_driver(void)
{
	struct cmp c = { .f = &esync_fmt_smmu_cd, .driver = driver_cd };

	SKIP_IF_NO_KERNEL();
	compare_random(&c, false);
	EXPECT_EQ(0, c.mismatches);
	EXPECT_EQ(RANDOM_ENTRIES, c.compared);
	tap_diag("smmu-cd: %lu random entries agree", c.compared);
}

/* The driver's function must itself see what the KUnit test relies on. */
static void driver_sees_s1dss_bypass_shcfg(void)
{
	uint64_t a[QW], b[QW], ua[QW] = { 0 }, ub[QW] = { 0 };

	SKIP_IF_NO_KERNEL();
	mk_cdtable(a, 2, 0xF0F0F0F0F0F0ULL, 0);
	mk_cdtable(b, 1, 0xF0F0F0F0F0F0ULL, 0);
	driver_ste(a, ua);
	driver_ste(b, ub);
	EXPECT_EQ(0, ua[1] & STE_SHCFG);
	EXPECT_EQ(STE_SHCFG, ub[1] & STE_SHCFG);
}

/*
 * The comparison has teeth: a model that forgets the S1DSS=bypass SHCFG
 * rule, or the EPD0 rule of the CD, disagrees on the KUnit vectors.
 */
static void ste_model_without_s1dss_rule(const uint64_t *e, uint64_t *u)
{
	esync_fmt_smmu_ste.get_used(e, u);
	if ((e[0] & STE_V) && (ESYNC_FIELD_GET(STE_CFG, e[0]) & 1) &&
	    ESYNC_FIELD_GET(STE_CFG, e[0]) != 7)
		u[1] &= ~STE_SHCFG;
}

static void cd_model_without_epd0_rule(const uint64_t *e, uint64_t *u)
{
	esync_fmt_smmu_cd.get_used(e, u);
	if (e[0] & CD_V)
		for (unsigned int i = 0; i < QW; i++)
			u[i] = ~0ULL;
}

static void comparison_catches_planted_model_bugs(void)
{
	struct esync_format ste_f = esync_fmt_smmu_ste;
	struct esync_format cd_f = esync_fmt_smmu_cd;
	struct cmp c;
	struct vec v[MAX_VECS];
	unsigned int n;

	SKIP_IF_NO_KERNEL();
	ste_f.get_used = ste_model_without_s1dss_rule;
	c = (struct cmp){ .f = &ste_f, .driver = driver_ste };
	n = ste_vectors(v);
	compare_set_quiet(&c, v, n);
	EXPECT_NE(0, c.mismatches);
	tap_diag("planted STE bug: %u of %lu vectors disagree", c.mismatches,
		 c.compared);

	cd_f.get_used = cd_model_without_epd0_rule;
	c = (struct cmp){ .f = &cd_f, .driver = driver_cd };
	n = cd_vectors(v);
	compare_set_quiet(&c, v, n);
	EXPECT_NE(0, c.mismatches);
	tap_diag("planted CD bug: %u of %lu vectors disagree", c.mismatches,
		 c.compared);
}

TAP_MAIN(TAP_CASE(ste_kunit_entries_match_driver),
	 TAP_CASE(cd_kunit_entries_match_driver),
	 TAP_CASE(ste_random_entries_match_driver),
	 TAP_CASE(cd_random_entries_match_driver),
	 TAP_CASE(driver_sees_s1dss_bypass_shcfg),
	 TAP_CASE(comparison_catches_planted_model_bugs))
