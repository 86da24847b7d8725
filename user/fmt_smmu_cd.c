// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM SMMUv3 context descriptor: 8 x 64-bit quanta, V (bit 31) in quanta 0.
 *
 * Used bits as Linux 6.12's arm_smmu_get_cd_used(): V alone when V=0;
 * otherwise every bit of the descriptor, except that EPD0=1 makes the
 * TTB0 walk fields (T0SZ, TG0, IRGN0, ORGN0, SH0) and TTB0 itself ignored.
 */
#include "format.h"

#define CD0_T0SZ	ESYNC_GENMASK(5, 0)
#define CD0_TG0		ESYNC_GENMASK(7, 6)
#define CD0_IRGN0	ESYNC_GENMASK(9, 8)
#define CD0_ORGN0	ESYNC_GENMASK(11, 10)
#define CD0_SH0		ESYNC_GENMASK(13, 12)
#define CD0_EPD0	ESYNC_BIT(14)
#define CD0_V		ESYNC_BIT(31)
#define CD1_TTB0	ESYNC_GENMASK(51, 4)

#define CD_WORDS 8

static void cd_get_used(const uint64_t *ent, uint64_t *used)
{
	used[0] = CD0_V;
	if (!(ent[0] & CD0_V))
		return;
	for (unsigned int i = 0; i < CD_WORDS; i++)
		used[i] = ~0ULL;
	if (ent[0] & CD0_EPD0) {
		used[0] &= ~(CD0_T0SZ | CD0_TG0 | CD0_IRGN0 | CD0_ORGN0 |
			     CD0_SH0);
		used[1] &= ~CD1_TTB0;
	}
}

static bool cd_is_valid(const uint64_t *ent)
{
	return ent[0] & CD0_V;
}

static const struct esync_field cd_fields[] = {
	ESYNC_FIELD("T0SZ", 0, 5, 0),
	ESYNC_FIELD("TG0", 0, 7, 6),
	ESYNC_FIELD("IRGN0", 0, 9, 8),
	ESYNC_FIELD("ORGN0", 0, 11, 10),
	ESYNC_FIELD("SH0", 0, 13, 12),
	ESYNC_FIELD("EPD0", 0, 14, 14),
	ESYNC_FIELD("ENDI", 0, 15, 15),
	ESYNC_FIELD("T1SZ", 0, 21, 16),
	ESYNC_FIELD("TG1", 0, 23, 22),
	ESYNC_FIELD("IRGN1", 0, 25, 24),
	ESYNC_FIELD("ORGN1", 0, 27, 26),
	ESYNC_FIELD("SH1", 0, 29, 28),
	ESYNC_FIELD("EPD1", 0, 30, 30),
	ESYNC_FIELD("V", 0, 31, 31),
	ESYNC_FIELD("IPS", 0, 34, 32),
	ESYNC_FIELD("AFFD", 0, 35, 35),
	ESYNC_FIELD("WXN", 0, 36, 36),
	ESYNC_FIELD("UWXN", 0, 37, 37),
	ESYNC_FIELD("TBI0", 0, 38, 38),
	ESYNC_FIELD("TBI1", 0, 39, 39),
	ESYNC_FIELD("PAN", 0, 40, 40),
	ESYNC_FIELD("AA64", 0, 41, 41),
	ESYNC_FIELD("HD", 0, 42, 42),
	ESYNC_FIELD("HA", 0, 43, 43),
	ESYNC_FIELD("S", 0, 44, 44),
	ESYNC_FIELD("R", 0, 45, 45),
	ESYNC_FIELD("A", 0, 46, 46),
	ESYNC_FIELD("ASET", 0, 47, 47),
	ESYNC_FIELD("ASID", 0, 63, 48),
	ESYNC_FIELD("TTB0", 1, 51, 4),
	ESYNC_FIELD("TTB1", 2, 51, 4),
	ESYNC_FIELD("MAIR", 3, 63, 0),
};

const struct esync_format esync_fmt_smmu_cd = {
	.name = "smmu-cd",
	.id = ESYNC_FMT_SMMU_CD,
	.quanta_bits = 64,
	.num_quanta = 8,
	.vbit_quanta = 0,
	.words = CD_WORDS,
	.get_used = cd_get_used,
	.is_valid = cd_is_valid,
	.fields = cd_fields,
	.nr_fields = sizeof(cd_fields) / sizeof(cd_fields[0]),
};
