// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM SMMUv3 stream table entry: 8 x 64-bit quanta, V in quanta 0.
 *
 * The used-bits model is the one of Linux 6.12's arm_smmu_get_ste_used():
 * V always; nothing else when V=0; otherwise CONFIG, plus per stage:
 *  - CONFIG bit 0 (stage 1 translates: S1_TRANS, NESTED): S1FMT,
 *    S1ContextPtr, S1CDMAX, S1DSS, S1CIR/COR/CSH, S1STALLD, STRW, EATS and
 *    S2VMID; SHCFG too when S1DSS selects bypass (SMMUv3 13.5: SHCFG then
 *    applies to the substream-less traffic that bypasses);
 *  - CONFIG bit 1 (stage 2 translates: S2_TRANS, NESTED): EATS, SHCFG, S2VMID,
 *    VTCR, S2AA64, S2ENDI, S2PTW, S2S, S2R, S2TTB;
 *  - CONFIG == BYPASS: SHCFG.
 * The bit tests are on the raw CONFIG value, as the driver does, so the
 * reserved encodings 1-3 behave as the driver computes them.
 */
#include "format.h"

#define STE0_V		ESYNC_BIT(0)
#define STE0_CFG	ESYNC_GENMASK(3, 1)
#define STE0_S1FMT	ESYNC_GENMASK(5, 4)
#define STE0_S1CTXPTR	ESYNC_GENMASK(51, 6)
#define STE0_S1CDMAX	ESYNC_GENMASK(63, 59)

#define STE0_CFG_BYPASS	4
/* CONFIG bits: stage 1 translates, stage 2 translates */
#define STE0_CFG_S1_BIT 1u
#define STE0_CFG_S2_BIT 2u

#define STE1_S1DSS	ESYNC_GENMASK(1, 0)
#define STE1_S1CIR	ESYNC_GENMASK(3, 2)
#define STE1_S1COR	ESYNC_GENMASK(5, 4)
#define STE1_S1CSH	ESYNC_GENMASK(7, 6)
#define STE1_S1STALLD	ESYNC_BIT(27)
#define STE1_EATS	ESYNC_GENMASK(29, 28)
#define STE1_STRW	ESYNC_GENMASK(31, 30)
#define STE1_SHCFG	ESYNC_GENMASK(45, 44)

#define STE1_S1DSS_BYPASS 1

#define STE2_S2VMID	ESYNC_GENMASK(15, 0)
#define STE2_VTCR	ESYNC_GENMASK(50, 32)
#define STE2_S2AA64	ESYNC_BIT(51)
#define STE2_S2ENDI	ESYNC_BIT(52)
#define STE2_S2PTW	ESYNC_BIT(54)
#define STE2_S2S	ESYNC_BIT(57)
#define STE2_S2R	ESYNC_BIT(58)

#define STE3_S2TTB	ESYNC_GENMASK(51, 4)

static void ste_get_used(const uint64_t *ent, uint64_t *used)
{
	unsigned int cfg = (unsigned int)ESYNC_FIELD_GET(STE0_CFG, ent[0]);

	used[0] = STE0_V;
	if (!(ent[0] & STE0_V))
		return;
	used[0] |= STE0_CFG;

	if (cfg & STE0_CFG_S1_BIT) {
		used[0] |= STE0_S1FMT | STE0_S1CTXPTR | STE0_S1CDMAX;
		used[1] |= STE1_S1DSS | STE1_S1CIR | STE1_S1COR | STE1_S1CSH |
			   STE1_S1STALLD | STE1_STRW | STE1_EATS;
		used[2] |= STE2_S2VMID;
		if (ESYNC_FIELD_GET(STE1_S1DSS, ent[1]) == STE1_S1DSS_BYPASS)
			used[1] |= STE1_SHCFG;
	}
	if (cfg & STE0_CFG_S2_BIT) {
		used[1] |= STE1_EATS | STE1_SHCFG;
		used[2] |= STE2_S2VMID | STE2_VTCR | STE2_S2AA64 | STE2_S2ENDI |
			   STE2_S2PTW | STE2_S2S | STE2_S2R;
		used[3] |= STE3_S2TTB;
	}
	if (cfg == STE0_CFG_BYPASS)
		used[1] |= STE1_SHCFG;
}

static bool ste_is_valid(const uint64_t *ent)
{
	return ent[0] & STE0_V;
}


static const struct esync_field ste_fields[] = {
	ESYNC_FIELD("V", 0, 0, 0),
	ESYNC_FIELD("CONFIG", 0, 3, 1),
	ESYNC_FIELD("S1FMT", 0, 5, 4),
	ESYNC_FIELD("S1CTXPTR", 0, 51, 6),
	ESYNC_FIELD("S1CDMAX", 0, 63, 59),
	ESYNC_FIELD("S1DSS", 1, 1, 0),
	ESYNC_FIELD("S1CIR", 1, 3, 2),
	ESYNC_FIELD("S1COR", 1, 5, 4),
	ESYNC_FIELD("S1CSH", 1, 7, 6),
	ESYNC_FIELD("S1STALLD", 1, 27, 27),
	ESYNC_FIELD("EATS", 1, 29, 28),
	ESYNC_FIELD("STRW", 1, 31, 30),
	ESYNC_FIELD("SHCFG", 1, 45, 44),
	ESYNC_FIELD("S2VMID", 2, 15, 0),
	ESYNC_FIELD("VTCR", 2, 50, 32),
	ESYNC_FIELD("S2AA64", 2, 51, 51),
	ESYNC_FIELD("S2ENDI", 2, 52, 52),
	ESYNC_FIELD("S2PTW", 2, 54, 54),
	ESYNC_FIELD("S2S", 2, 57, 57),
	ESYNC_FIELD("S2R", 2, 58, 58),
	ESYNC_FIELD("S2TTB", 3, 51, 4),
};

const struct esync_format esync_fmt_smmu_ste = {
	.name = "smmu-ste",
	.id = ESYNC_FMT_SMMU_STE,
	.quanta_bits = 64,
	.num_quanta = 8,
	.vbit_quanta = 0,
	.words = 8,
	.get_used = ste_get_used,
	.is_valid = ste_is_valid,
	.fields = ste_fields,
	.nr_fields = sizeof(ste_fields) / sizeof(ste_fields[0]),
};
