// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD IOMMU interrupt remapping table entries.
 *
 * 128-bit GA format ("amd-irte"): one 128-bit quantum (lo = word 0, hi =
 * word 1), written by the driver with one cmpxchg128.  lo: RemapEn (valid)
 * b0, SupIOPF (no_fault) b1, then either the remapped layout (GuestMode=0:
 * IntType[4:2], RqEoi b5, DM b6, Destination[31:8]) or the guest vAPIC
 * layout (GuestMode=1: GALogIntr b2, IsRun b6, Destination[31:8] = the
 * doorbell APIC id), GuestMode b7, GATag[63:32].  hi: Vector[7:0],
 * GA root pointer[51:12], Destination[63:56] (APIC id bits 31:24).
 *
 * Used bits, whatever RemapEn says (as the kernel's writer counts them: the
 * driver keeps the fields of a deactivated entry and tells an allocated
 * index from a free one by them, so they are compared in every state):
 *  - remapped: SupIOPF, IntType, RqEoi, DM, GuestMode, both destination
 *    pieces and the vector (GATag and the GA root are ignored);
 *  - guest vAPIC: SupIOPF, GALogIntr, IsRun, GuestMode, both destination
 *    pieces, GATag, the vector and the GA root pointer.
 *
 * 32-bit legacy format ("amd-irte32"): one 32-bit quantum in the low half of
 * word 0: RemapEn b0, SupIOPF b1, IntType[4:2], RqEoi b5, DM b6,
 * Destination[15:8], Vector[23:16]; all of these are used whatever RemapEn
 * says, for the reason given above.
 */
#include "format.h"

#define IRTE_LO_VALID		ESYNC_BIT(0)
#define IRTE_LO_NO_FAULT	ESYNC_BIT(1)
#define IRTE_LO_INT_TYPE	ESYNC_GENMASK(4, 2)
#define IRTE_LO_RQ_EOI		ESYNC_BIT(5)
#define IRTE_LO_DM		ESYNC_BIT(6)
#define IRTE_LO_GA_LOG_INTR	ESYNC_BIT(2)
#define IRTE_LO_IS_RUN		ESYNC_BIT(6)
#define IRTE_LO_GUEST_MODE	ESYNC_BIT(7)
#define IRTE_LO_DEST		ESYNC_GENMASK(31, 8)
#define IRTE_LO_GA_TAG		ESYNC_GENMASK(63, 32)

#define IRTE_HI_VECTOR		ESYNC_GENMASK(7, 0)
#define IRTE_HI_GA_ROOT		ESYNC_GENMASK(51, 12)
#define IRTE_HI_DEST		ESYNC_GENMASK(63, 56)

static void irte_ga_get_used(const uint64_t *ent, uint64_t *used)
{
	used[0] = IRTE_LO_VALID | IRTE_LO_NO_FAULT | IRTE_LO_GUEST_MODE |
		  IRTE_LO_DEST;
	used[1] |= IRTE_HI_VECTOR | IRTE_HI_DEST;
	if (ent[0] & IRTE_LO_GUEST_MODE) {
		used[0] |= IRTE_LO_GA_LOG_INTR | IRTE_LO_IS_RUN |
			   IRTE_LO_GA_TAG;
		used[1] |= IRTE_HI_GA_ROOT;
	} else {
		used[0] |= IRTE_LO_INT_TYPE | IRTE_LO_RQ_EOI | IRTE_LO_DM;
	}
}

static bool irte_ga_is_valid(const uint64_t *ent)
{
	return ent[0] & IRTE_LO_VALID;
}

static const struct esync_field irte_remap_fields[] = {
	ESYNC_FIELD("VALID", 0, 0, 0),
	ESYNC_FIELD("NO_FAULT", 0, 1, 1),
	ESYNC_FIELD("INT_TYPE", 0, 4, 2),
	ESYNC_FIELD("RQ_EOI", 0, 5, 5),
	ESYNC_FIELD("DM", 0, 6, 6),
	ESYNC_FIELD("GUEST_MODE", 0, 7, 7),
	ESYNC_FIELD("DEST_LO", 0, 31, 8),
	ESYNC_FIELD("GA_TAG", 0, 63, 32),
	ESYNC_FIELD("VECTOR", 1, 7, 0),
	ESYNC_FIELD("GA_ROOT", 1, 51, 12),
	ESYNC_FIELD("DEST_HI", 1, 63, 56),
};

static const struct esync_field irte_vapic_fields[] = {
	ESYNC_FIELD("VALID", 0, 0, 0),
	ESYNC_FIELD("NO_FAULT", 0, 1, 1),
	ESYNC_FIELD("GA_LOG_INTR", 0, 2, 2),
	ESYNC_FIELD("IS_RUN", 0, 6, 6),
	ESYNC_FIELD("GUEST_MODE", 0, 7, 7),
	ESYNC_FIELD("DEST_LO", 0, 31, 8),
	ESYNC_FIELD("GA_TAG", 0, 63, 32),
	ESYNC_FIELD("VECTOR", 1, 7, 0),
	ESYNC_FIELD("GA_ROOT", 1, 51, 12),
	ESYNC_FIELD("DEST_HI", 1, 63, 56),
};

#define NR(a) (sizeof(a) / sizeof((a)[0]))

static const struct esync_field *irte_ga_fields_for(const uint64_t *ent,
						    unsigned int *nr)
{
	if (ent[0] & IRTE_LO_GUEST_MODE) {
		*nr = NR(irte_vapic_fields);
		return irte_vapic_fields;
	}
	*nr = NR(irte_remap_fields);
	return irte_remap_fields;
}

const struct esync_format esync_fmt_amd_irte = {
	.name = "amd-irte",
	.id = ESYNC_FMT_AMD_IRTE,
	.quanta_bits = 128,
	.num_quanta = 1,
	.vbit_quanta = 0,
	.words = 2,
	.get_used = irte_ga_get_used,
	.is_valid = irte_ga_is_valid,
	.fields = irte_remap_fields,
	.nr_fields = NR(irte_remap_fields),
	.fields_for = irte_ga_fields_for,
};

#define IRTE32_VALID		ESYNC_BIT(0)
#define IRTE32_NO_FAULT		ESYNC_BIT(1)
#define IRTE32_USED		(ESYNC_GENMASK(6, 0) | ESYNC_GENMASK(23, 8))

static void irte32_get_used(const uint64_t *ent, uint64_t *used)
{
	used[0] = IRTE32_USED;
}

static bool irte32_is_valid(const uint64_t *ent)
{
	return ent[0] & IRTE32_VALID;
}

static const struct esync_field irte32_fields[] = {
	ESYNC_FIELD("VALID", 0, 0, 0),
	ESYNC_FIELD("NO_FAULT", 0, 1, 1),
	ESYNC_FIELD("INT_TYPE", 0, 4, 2),
	ESYNC_FIELD("RQ_EOI", 0, 5, 5),
	ESYNC_FIELD("DM", 0, 6, 6),
	ESYNC_FIELD("DEST", 0, 15, 8),
	ESYNC_FIELD("VECTOR", 0, 23, 16),
};

const struct esync_format esync_fmt_amd_irte32 = {
	.name = "amd-irte32",
	.id = ESYNC_FMT_AMD_IRTE32,
	/* The series reports it as one 64-bit quantum, zero-extended */
	.quanta_bits = 64,
	.num_quanta = 1,
	.vbit_quanta = 0,
	.words = 1,
	.get_used = irte32_get_used,
	.is_valid = irte32_is_valid,
	.fields = irte32_fields,
	.nr_fields = NR(irte32_fields),
};
