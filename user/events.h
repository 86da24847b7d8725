/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event decoding: validation of one raw event from a dump or the ring
 * buffer, and the decoding of SMMUv3 commands, VT-d descriptors and AMD
 * commands into one vendor-neutral description of what they invalidate.
 */
#ifndef ESYNC_EVENTS_DECODE_H
#define ESYNC_EVENTS_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esync_events.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "esync reads its little-endian event ABI in place; port the decoder first"
#endif

union esync_event {
	struct esync_ev_hdr hdr;
	struct esync_ev_write_begin begin;
	struct esync_ev_store store;
	struct esync_ev_sync sync;
	struct esync_ev_used used;
	struct esync_ev_write_end end;
	struct esync_ev_smmu_cmd smmu;
	struct esync_ev_vtd_desc vtd;
	struct esync_ev_amd_cmd amd;
	struct esync_ev_completion completion;
	struct esync_ev_topology topo;
	struct esync_ev_lost lost;
	struct esync_ev_fault fault;
	uint64_t raw[ESYNC_EV_MAX_SIZE / 8];
};

/* Size of an event of this kind, 0 if the kind is unknown. */
size_t esync_event_size(unsigned int kind);

/* "write-begin", "store", ...; "?" if unknown. */
const char *esync_event_kind_name(unsigned int kind);

/*
 * Checks that buf holds one whole event of a known kind and size.  Returns
 * NULL, or why it does not (a constant string).
 */
const char *esync_event_check(const void *buf, size_t len);

/* What an invalidation command does, vendor-neutral. */
enum esync_inv_kind {
	ESYNC_INV_OTHER = 0,	/* prefetch, page responses, ... */
	ESYNC_INV_ENTRY,	/* entry cache: STE/CD, PASID cache, DTE, IRT */
	ESYNC_INV_TLB,		/* IOMMU TLB: TLBI, IOTLB/PIOTLB, IOMMU pages */
	ESYNC_INV_DEVTLB,	/* device TLB: ATC_INV, device-TLB, IOTLB pages */
	ESYNC_INV_COMPLETION,	/* CMD_SYNC, wait descriptor, COMPLETION_WAIT */
};

/* Which entry cache an ESYNC_INV_ENTRY command invalidates. */
enum esync_inv_target {
	ESYNC_INVT_NONE = 0,
	ESYNC_INVT_STE,		/* SMMU CFGI_STE / CFGI_STE_RANGE / CFGI_ALL */
	ESYNC_INVT_CD,		/* SMMU CFGI_CD / CFGI_CD_ALL */
	ESYNC_INVT_PASID,	/* VT-d PASID-cache */
	ESYNC_INVT_CONTEXT,	/* VT-d context-cache */
	ESYNC_INVT_DTE,		/* AMD INVALIDATE_DEVTAB_ENTRY */
	ESYNC_INVT_IRT,		/* AMD INVALIDATE_INTERRUPT_TABLE */
	ESYNC_INVT_ALL,		/* AMD INVALIDATE_ALL: every cache */
};

struct esync_inv {
	uint8_t family;		/* enum esync_family */
	uint8_t kind;		/* enum esync_inv_kind */
	uint8_t target;		/* enum esync_inv_target */
	uint8_t opcode;		/* SMMU opcode, VT-d type, AMD type */
	bool has_dev;		/* dev is meaningful */
	bool has_sub;		/* sub is meaningful */
	bool has_did;		/* did is meaningful */
	bool sync_after;	/* an SMMU batch closed by CMD_SYNC */
	uint32_t dev;		/* SID, source id or DeviceID */
	uint32_t sub;		/* SSID or PASID */
	uint32_t did;		/* VT-d DID, AMD domain, SMMU ASID */
	uint32_t dev_span;	/* dev covers [dev, dev + dev_span) */
	uint32_t slot;		/* VT-d queue slot + 1; 0: not traced */
	uint64_t qpos;		/* the engine's: slot unwrapped, in queue order (0: unknown) */
	bool qpos_near;		/* ... of a wait: less than half a turn behind the newest descriptor */
};

/* Decodes a command event; false if ev is not one. */
bool esync_inv_decode(const union esync_event *ev, struct esync_inv *inv);

/* The command's name: "CFGI_STE", "PASID_CACHE", "INV_IRT", ... */
const char *esync_inv_name(const struct esync_inv *inv);

/* "CFGI_STE sid=0x10", for evidence and timelines. */
size_t esync_inv_describe(const struct esync_inv *inv, char *buf, size_t len);

#endif /* ESYNC_EVENTS_DECODE_H */
