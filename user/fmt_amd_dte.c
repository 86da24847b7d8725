// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD IOMMU device table entry: 256 bits, 2 x 128-bit quanta, V in quanta 0.
 *
 * The entry has two independent halves as the hardware sees them: the DMA
 * part (V and what follows it, d[0], d[1], the guest table level in d[2])
 * and the interrupt-remapping part (IV and the rest of d[2]), which the IRQ
 * code owns.  esync's model:
 *  - V and IV are always used (each switches its half on);
 *  - V=1: TV, DomainID, the d[1] control flags (I, SE, SA, IoCtl, Cache,
 *    SD, EX, SysMgt), HAD, Mode, the page table root, PPR, GPRP, GIOV, GV,
 *    IR, IW (whatever TV says: a TV=0 entry's fields are read again when
 *    TV is set), and all of d[3] (the vIOMMU fields, which Linux never
 *    sets, so they must not change under a live entry); with GV=1 also
 *    GLX, the three GCR3 table root pieces and the guest table level
 *    (d[2] bits 55:54);
 *  - IV=1, whatever V says: every interrupt field of d[2] (IntTabLen, IG,
 *    the interrupt table root, the pass bits, IntCtl, Lint0/1Pass and the
 *    reserved bit 59 the driver preserves with them);
 *  - IV=0: IG, the pass bits and IntCtl still control what the device's
 *    interrupts do; the table fields are ignored.
 * So an entry with V=0 and IV=1 still uses the interrupt fields of d[2]: a
 * torn view of them matters even though is_valid() (V) is false.  This is
 * the driver's amd_iommu_get_dte_used() (U1 compares the two).
 */
#include "format.h"

#define DTE0_V		ESYNC_BIT(0)
#define DTE0_TV		ESYNC_BIT(1)
#define DTE0_HAD	ESYNC_GENMASK(8, 7)
#define DTE0_MODE	ESYNC_GENMASK(11, 9)
#define DTE0_PTROOT	ESYNC_GENMASK(51, 12)
#define DTE0_PPR	ESYNC_BIT(52)
#define DTE0_GPRP	ESYNC_BIT(53)
#define DTE0_GIOV	ESYNC_BIT(54)
#define DTE0_GV		ESYNC_BIT(55)
#define DTE0_GLX	ESYNC_GENMASK(57, 56)
#define DTE0_GCR3_A	ESYNC_GENMASK(60, 58)
#define DTE0_IR		ESYNC_BIT(61)
#define DTE0_IW		ESYNC_BIT(62)

#define DTE1_DOMID	ESYNC_GENMASK(15, 0)
#define DTE1_GCR3_B	ESYNC_GENMASK(31, 16)
#define DTE1_FLAGS	ESYNC_GENMASK(41, 32)
#define DTE1_GCR3_C	ESYNC_GENMASK(63, 43)

#define DTE2_IV		ESYNC_BIT(0)
#define DTE2_INTTABLEN	ESYNC_GENMASK(4, 1)
#define DTE2_IG		ESYNC_BIT(5)
#define DTE2_IRTROOT	ESYNC_GENMASK(51, 6)
#define DTE2_GPT_LEVEL	ESYNC_GENMASK(55, 54)
#define DTE2_PASS	ESYNC_GENMASK(58, 56)	/* InitPass, EIntPass, NMIPass */
#define DTE2_INTCTL	ESYNC_GENMASK(61, 60)
#define DTE2_LINTPASS	ESYNC_GENMASK(63, 62)	/* Lint0Pass, Lint1Pass */
/* The interrupt half of d[2]: everything but the guest table level and 53:52 */
#define DTE2_INTR	(~ESYNC_GENMASK(55, 52))

static void dte_get_used(const uint64_t *ent, uint64_t *used)
{
	used[0] = DTE0_V;
	used[2] = DTE2_IV;

	if (ent[2] & DTE2_IV)
		used[2] |= DTE2_INTR;
	else
		used[2] |= DTE2_INTR & ~(DTE2_INTTABLEN | DTE2_IRTROOT);

	if (!(ent[0] & DTE0_V))
		return;
	used[0] |= DTE0_TV | DTE0_HAD | DTE0_MODE | DTE0_PTROOT | DTE0_PPR |
		   DTE0_GPRP | DTE0_GIOV | DTE0_GV | DTE0_IR | DTE0_IW;
	used[1] |= DTE1_DOMID | DTE1_FLAGS;
	used[3] = ~0ULL;
	if (ent[0] & DTE0_GV) {
		used[0] |= DTE0_GLX | DTE0_GCR3_A;
		used[1] |= DTE1_GCR3_B | DTE1_GCR3_C;
		used[2] |= DTE2_GPT_LEVEL;
	}
}

static bool dte_is_valid(const uint64_t *ent)
{
	return ent[0] & DTE0_V;
}

/*
 * A DTE with V=0 does not block: the IOMMU passes the device's DMA through
 * untranslated (which is why Linux initialises every DTE to V=1, TV=1 and
 * blocks with IR=IW=0 instead).
 */
static bool dte_blocks_dma(const uint64_t *ent)
{
	return (ent[0] & (DTE0_V | DTE0_TV)) == (DTE0_V | DTE0_TV) &&
	       !(ent[0] & (DTE0_IR | DTE0_IW));
}

static const char *dte_nonvalid_passes_dma(const uint64_t *ent)
{
	return ent[0] & DTE0_V ? NULL : "V=0 lets the device's DMA through untranslated";
}

/* Blocking DMA (V=0 or the blocking entry) leaves interrupt remapping on */
static const uint64_t dte_live_when_disrupted[4] = { 0, 0, DTE2_IV | DTE2_INTR, 0 };

static const struct esync_field dte_fields[] = {
	ESYNC_FIELD("V", 0, 0, 0),
	ESYNC_FIELD("TV", 0, 1, 1),
	ESYNC_FIELD("HAD", 0, 8, 7),
	ESYNC_FIELD("MODE", 0, 11, 9),
	ESYNC_FIELD("PT_ROOT", 0, 51, 12),
	ESYNC_FIELD("PPR", 0, 52, 52),
	ESYNC_FIELD("GPRP", 0, 53, 53),
	ESYNC_FIELD("GIOV", 0, 54, 54),
	ESYNC_FIELD("GV", 0, 55, 55),
	ESYNC_FIELD("GLX", 0, 57, 56),
	ESYNC_FIELD("GCR3_14_12", 0, 60, 58),
	ESYNC_FIELD("IR", 0, 61, 61),
	ESYNC_FIELD("IW", 0, 62, 62),
	ESYNC_FIELD("DOMAIN_ID", 1, 15, 0),
	ESYNC_FIELD("GCR3_30_15", 1, 31, 16),
	ESYNC_FIELD("I", 1, 32, 32),
	ESYNC_FIELD("SE", 1, 33, 33),
	ESYNC_FIELD("SA", 1, 34, 34),
	ESYNC_FIELD("IOCTL", 1, 36, 35),
	ESYNC_FIELD("CACHE", 1, 37, 37),
	ESYNC_FIELD("SD", 1, 38, 38),
	ESYNC_FIELD("EX", 1, 39, 39),
	ESYNC_FIELD("SYSMGT", 1, 41, 40),
	ESYNC_FIELD("GCR3_51_31", 1, 63, 43),
	ESYNC_FIELD("IV", 2, 0, 0),
	ESYNC_FIELD("INT_TAB_LEN", 2, 4, 1),
	ESYNC_FIELD("IG", 2, 5, 5),
	ESYNC_FIELD("IRT_ROOT", 2, 51, 6),
	ESYNC_FIELD("GPT_LEVEL", 2, 55, 54),
	ESYNC_FIELD("INIT_PASS", 2, 56, 56),
	ESYNC_FIELD("EINT_PASS", 2, 57, 57),
	ESYNC_FIELD("NMI_PASS", 2, 58, 58),
	ESYNC_FIELD("INT_CTL", 2, 61, 60),
	ESYNC_FIELD("LINT0_PASS", 2, 62, 62),
	ESYNC_FIELD("LINT1_PASS", 2, 63, 63),
};

const struct esync_format esync_fmt_amd_dte = {
	.name = "amd-dte",
	.id = ESYNC_FMT_AMD_DTE,
	.quanta_bits = 128,
	.num_quanta = 2,
	.vbit_quanta = 0,
	.words = 4,
	.get_used = dte_get_used,
	.is_valid = dte_is_valid,
	.nonvalid_passes_dma = dte_nonvalid_passes_dma,
	.blocks_dma = dte_blocks_dma,
	.live_when_disrupted = dte_live_when_disrupted,
	.fields = dte_fields,
	.nr_fields = sizeof(dte_fields) / sizeof(dte_fields[0]),
};
