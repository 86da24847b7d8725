// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VT-d scalable-mode PASID table entry: 512 bits, read by the hardware
 * as aligned 128-bit pieces, so 4 x 128-bit quanta with P in quanta 0.
 *
 * Used bits by PGTT, for a present entry (P=0: P and FPD, which decides
 * whether a request that hits the non-present entry is reported):
 *  - every PGTT: P, FPD, AW, PGTT, DID, PWSNP, PGSNP;
 *  - first-stage only (1) and nested (3) add the first-stage controls SRE,
 *    FSPM, WPE, EAFE and FSPTPTR, and the memory-type controls of
 *    first-stage accesses, CD, EMTE and PAT;
 *  - second-stage only (2) and nested (3) add SSADE and SSPTPTR;
 *  - pass-through (4) adds nothing more;
 *  - a reserved PGTT (0, 5-7) makes the entry fault: P, FPD and PGTT only.
 * (an IOMMU without memory-type support ignores CD, EMTE and PAT, one with
 * it reads them: counting them is what both can do).  FPD is counted
 * in every mode because the hardware applies it to every fault the entry
 * produces, even though Linux only writes it on the second-stage and
 * pass-through paths.
 */
#include "format.h"

/* 9.6 Scalable-Mode PASID Table Entry */
#define SM_PASID0_P		ESYNC_BIT(0)
#define SM_PASID0_FPD		ESYNC_BIT(1)
#define SM_PASID0_AW		ESYNC_GENMASK(4, 2)
#define SM_PASID0_SSEE		ESYNC_BIT(5)
#define SM_PASID0_PGTT		ESYNC_GENMASK(8, 6)
#define SM_PASID0_SSADE		ESYNC_BIT(9)
#define SM_PASID0_SSPTPTR	ESYNC_GENMASK(63, 12)

#define SM_PASID1_DID		ESYNC_GENMASK(15, 0)
#define SM_PASID1_PWSNP		ESYNC_BIT(23)
#define SM_PASID1_PGSNP		ESYNC_BIT(24)
#define SM_PASID1_CD		ESYNC_BIT(25)
#define SM_PASID1_EMTE		ESYNC_BIT(26)
#define SM_PASID1_PAT		ESYNC_GENMASK(63, 32)

#define SM_PASID2_SRE		ESYNC_BIT(0)
#define SM_PASID2_FSPM		ESYNC_GENMASK(3, 2)
#define SM_PASID2_WPE		ESYNC_BIT(4)
#define SM_PASID2_EAFE		ESYNC_BIT(7)
#define SM_PASID2_FSPTPTR	ESYNC_GENMASK(63, 12)

#define SM_PASID_PGTT_FL_ONLY	1
#define SM_PASID_PGTT_SL_ONLY	2
#define SM_PASID_PGTT_NESTED	3
#define SM_PASID_PGTT_PT	4

static void pasid_get_used(const uint64_t *ent, uint64_t *used)
{
	unsigned int pgtt = (unsigned int)ESYNC_FIELD_GET(SM_PASID0_PGTT, ent[0]);
	bool first = false, second = false;

	/* FPD is used with P=0 too: it decides whether a request that hits the
	 * non-present entry is reported as a fault */
	used[0] = SM_PASID0_P | SM_PASID0_FPD;
	if (!(ent[0] & SM_PASID0_P))
		return;
	used[0] |= SM_PASID0_PGTT;

	switch (pgtt) {
	case SM_PASID_PGTT_FL_ONLY:
		first = true;
		break;
	case SM_PASID_PGTT_SL_ONLY:
		second = true;
		break;
	case SM_PASID_PGTT_NESTED:
		first = second = true;
		break;
	case SM_PASID_PGTT_PT:
		break;
	default:
		return;
	}

	used[0] |= SM_PASID0_AW;
	used[1] |= SM_PASID1_DID | SM_PASID1_PWSNP | SM_PASID1_PGSNP;
	if (first) {
		used[1] |= SM_PASID1_CD | SM_PASID1_EMTE | SM_PASID1_PAT;
		used[2] |= SM_PASID2_SRE | SM_PASID2_FSPM | SM_PASID2_WPE |
			   SM_PASID2_EAFE | SM_PASID2_FSPTPTR;
	}
	if (second)
		used[0] |= SM_PASID0_SSADE | SM_PASID0_SSPTPTR;
}

static bool pasid_is_valid(const uint64_t *ent)
{
	return ent[0] & SM_PASID0_P;
}

static const struct esync_field pasid_fields[] = {
	ESYNC_FIELD("P", 0, 0, 0),
	ESYNC_FIELD("FPD", 0, 1, 1),
	ESYNC_FIELD("AW", 0, 4, 2),
	ESYNC_FIELD("SSEE", 0, 5, 5),
	ESYNC_FIELD("PGTT", 0, 8, 6),
	ESYNC_FIELD("SSADE", 0, 9, 9),
	ESYNC_FIELD("SSPTPTR", 0, 63, 12),
	ESYNC_FIELD("DID", 1, 15, 0),
	ESYNC_FIELD("PWSNP", 1, 23, 23),
	ESYNC_FIELD("PGSNP", 1, 24, 24),
	ESYNC_FIELD("CD", 1, 25, 25),
	ESYNC_FIELD("EMTE", 1, 26, 26),
	ESYNC_FIELD("PAT", 1, 63, 32),
	ESYNC_FIELD("SRE", 2, 0, 0),
	ESYNC_FIELD("FSPM", 2, 3, 2),
	ESYNC_FIELD("WPE", 2, 4, 4),
	ESYNC_FIELD("EAFE", 2, 7, 7),
	ESYNC_FIELD("FSPTPTR", 2, 63, 12),
};

const struct esync_format esync_fmt_vtd_pasid = {
	.name = "vtd-pasid",
	.id = ESYNC_FMT_VTD_PASID,
	.quanta_bits = 128,
	.num_quanta = 4,
	.vbit_quanta = 0,
	.words = 8,
	.get_used = pasid_get_used,
	.is_valid = pasid_is_valid,
	.fields = pasid_fields,
	.nr_fields = sizeof(pasid_fields) / sizeof(pasid_fields[0]),
};
