/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fault records: decoding of what the SMMUv3 event queue, the AMD event
 * log, the VT-d fault recording registers and iommu:io_page_fault report,
 * into the device, substream and address a fault names, and into the
 * entries that device's DMA went through.
 */
#ifndef ESYNC_FAULT_H
#define ESYNC_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "events.h"

struct esync_fault {
	uint8_t family;		/* enum esync_family; 0: io_page_fault */
	uint8_t source;		/* enum esync_fault_source */
	uint16_t iommu;
	bool any_iommu;		/* the record does not say which IOMMU */
	uint32_t code;		/* SMMU event id, AMD event type, VT-d reason */
	const char *name;	/* "C_BAD_STE", "IO_PAGE_FAULT", "reason 0x6" */
	bool has_dev;
	uint32_t dev;		/* StreamID, DeviceID, source id (bus << 8 | devfn) */
	bool has_sub;
	uint32_t sub;		/* SubstreamID or PASID, when the record has one */
	bool has_addr;
	uint64_t addr;
	const char *access;	/* "read", "write" or NULL */
	/*
	 * Which entries the fault is about: ESYNC_FMT_* bits.  A translation
	 * fault names every entry the walk went through.
	 */
	uint32_t formats;
};

/*
 * A fault and the write it is linked to: of the entries the fault names,
 * the write open on one when the fault came, else the last one that ended
 * before it.
 */
struct esync_fault_link {
	const struct esync_ev_fault *ev;
	struct esync_fault fault;
	uint64_t nr;		/* the input's nth fault, from 1 */
	uint64_t seq;		/* 0: esync saw no write of an entry it names */
	uint64_t entry;
	uint64_t ts_begin;
	uint64_t ts_end;	/* 0: the write was open at the fault */
	uint16_t format;
	uint16_t iommu;
	uint32_t dev;
	uint32_t sub;
	uint32_t findings;	/* bit per check reported on it so far */
	unsigned int words;	/* of value: the entry as that write left it */
	uint64_t value[ESYNC_EV_MAX_WORDS];
};

/* Decodes a fault event; false if its source is unknown. */
bool esync_fault_decode(const struct esync_ev_fault *ev, struct esync_fault *f);

/* "C_BAD_STE sid 0x8 ssid 0x1 addr 0x1000 read" (what the record says). */
size_t esync_fault_describe(const struct esync_fault *f, char *buf, size_t len);

/*
 * A linked fault as text (two or three lines: the fault, the write and its
 * verdict, the entry as that write left it) and as one JSON object
 * ("type":"fault").  findings: bit per check reported on the write.
 */
void esync_fault_print_text(FILE *out, const struct esync_fault_link *l,
			    uint32_t findings, const char *indent);
void esync_fault_print_json(FILE *out, const struct esync_fault_link *l,
			    uint32_t findings, const char *input);

#endif /* ESYNC_FAULT_H */
