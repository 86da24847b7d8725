/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry-format models: field layout and the "used bits" of every entry kind
 * esync verifies.  One file per format (fmt_*.c) fills a struct esync_format;
 * format.c holds the registry and the generic decode/diff helpers.
 *
 * Entries are handed around as arrays of u64 holding the host-order values of
 * the little-endian memory words, word 0 first.  A quanta of 128 bits is the
 * word pair (2i, 2i+1); a 32-bit format (amd-irte32) uses the low half of
 * word 0.
 */
#ifndef ESYNC_FORMAT_H
#define ESYNC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	ESYNC_FMT_SMMU_STE = 1,
	ESYNC_FMT_SMMU_CD = 2,
	ESYNC_FMT_VTD_PASID = 3,
	ESYNC_FMT_AMD_DTE = 4,
	ESYNC_FMT_AMD_IRTE = 5,
	ESYNC_FMT_AMD_IRTE32 = 6,
	ESYNC_FMT_TEST = 15,
};

/* The largest entry any format describes, in u64 words. */
#define ESYNC_FMT_MAX_WORDS 24

/* Bit helpers for the format files. */
#define ESYNC_BIT(n)		(1ULL << (n))
#define ESYNC_GENMASK(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define ESYNC_FIELD_PREP(m, v)	(((uint64_t)(v) << __builtin_ctzll(m)) & (m))
#define ESYNC_FIELD_GET(m, v)	(((v) & (m)) >> __builtin_ctzll(m))
/* A field table row for bits [h:l] of word w. */
#define ESYNC_FIELD(n, w, h, l)	{ (n), (w), (l), (h) - (l) + 1 }

/* A named bit field: bits [lsb + width - 1 : lsb] of entry word 'word'. */
struct esync_field {
	const char *name;
	unsigned int word;
	unsigned int lsb;
	unsigned int width;
};

struct esync_format {
	const char *name;		/* "smmu-ste", "vtd-pasid", ... */
	unsigned int id;		/* ESYNC_FMT_* */
	unsigned int quanta_bits;	/* 64 or 128 (32 for amd-irte32) */
	unsigned int num_quanta;
	unsigned int vbit_quanta;	/* the quanta holding the valid bit */
	unsigned int words;		/* u64 words of the entry (irte32: 1) */
	/*
	 * Sets in 'used' (zeroed by the caller, 'words' long) every bit the
	 * hardware interprets for this entry value.
	 */
	void (*get_used)(const uint64_t *entry, uint64_t *used);
	bool (*is_valid)(const uint64_t *entry);
	/*
	 * Optional: for a non-valid entry, why the hardware lets DMA through
	 * it (AMD DTE V=0: untranslated); NULL when it blocks DMA.  Formats
	 * without it always block (SMMU C_BAD_STE, CD and PASID faults).
	 */
	const char *(*nonvalid_passes_dma)(const uint64_t *entry);
	/*
	 * Optional: true for a valid entry that blocks all DMA, the format's
	 * disrupted state when its non-valid one does not block (AMD DTE:
	 * V=1, TV=1, IR=IW=0).  Such a view is a disruption, never a torn
	 * view.
	 */
	bool (*blocks_dma)(const uint64_t *entry);
	/*
	 * Optional: the bits the hardware still uses of a disrupted entry
	 * ('words' long; AMD DTE: the interrupt fields, which do not depend
	 * on V).  A torn view of them matters in that state too.
	 */
	const uint64_t *live_when_disrupted;
	const struct esync_field *fields;
	unsigned int nr_fields;
	/*
	 * Optional: formats whose field layout depends on a mode bit (AMD GA
	 * IRTE: remapped or guest vAPIC) return the table for this entry;
	 * NULL means 'fields'.
	 */
	const struct esync_field *(*fields_for)(const uint64_t *entry,
						unsigned int *nr);
};

/*
 * True if the entry is in a disrupted state: not valid, or valid but
 * blocking all DMA (blocks_dma).
 */
static inline bool esync_format_disrupted(const struct esync_format *f,
					  const uint64_t *entry)
{
	return !f->is_valid(entry) || (f->blocks_dma && f->blocks_dma(entry));
}

/* NULL if unknown. */
const struct esync_format *esync_format_by_id(unsigned int id);
const struct esync_format *esync_format_by_name(const char *name);

/* All registered formats, in id order; returns the count. */
unsigned int esync_format_all(const struct esync_format *const **list);

/*
 * Names of the fields whose bits under 'mask' differ between a and b, comma
 * separated, into buf (always NUL-terminated when len > 0).  Differing bits
 * no named field covers are reported as "w2[17:16]".  'mask' may be NULL
 * (all bits).  Returns the number of characters written
 * (excluding the NUL; output that does not fit is cut at a field boundary).
 */
size_t esync_format_diff(const struct esync_format *f, const uint64_t *a,
			 const uint64_t *b, const uint64_t *mask, char *buf,
			 size_t len);

/*
 * One-line "FIELD=0x.. FIELD=0x.." decode of the fields the entry uses (any
 * used bit inside the field).  Same return
 * convention as esync_format_diff.
 */
size_t esync_format_decode(const struct esync_format *f, const uint64_t *entry,
			   char *buf, size_t len);

/* The field called 'name' in the layout 'entry' has; NULL if none. */
const struct esync_field *esync_format_field(const struct esync_format *f,
					     const uint64_t *entry, const char *name);

/* Value of a field in an entry. */
uint64_t esync_field_get(const struct esync_field *fld, const uint64_t *entry);

/* Mask of a field inside its word. */
static inline uint64_t esync_field_mask(const struct esync_field *fld)
{
	uint64_t m = fld->width >= 64 ? ~0ULL : (1ULL << fld->width) - 1;

	return m << fld->lsb;
}

/* The format descriptors (defined in fmt_*.c). */
extern const struct esync_format esync_fmt_smmu_ste;
extern const struct esync_format esync_fmt_smmu_cd;
extern const struct esync_format esync_fmt_vtd_pasid;
extern const struct esync_format esync_fmt_amd_dte;
extern const struct esync_format esync_fmt_amd_irte;
extern const struct esync_format esync_fmt_amd_irte32;
extern const struct esync_format esync_fmt_test;

/*
 * The synthetic format in other geometries (the entry_sync KUnit cases):
 * NULL unless (num_quanta, vbit_quanta, quanta_bits) is one the KUnit test
 * uses or the default (4, 0, 64).
 */
const struct esync_format *esync_format_test_variant(unsigned int num_quanta,
						     unsigned int vbit_quanta,
						     unsigned int quanta_bits);

#endif /* ESYNC_FORMAT_H */
