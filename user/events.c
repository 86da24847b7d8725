// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event validation and command decoding.  The ids a command targets are
 * taken from its raw words, as the hardware would read them, so that a
 * driver that fills its tracepoint's decoded fields wrongly cannot hide a
 * wrong command.
 */
#include <stdio.h>

#include "events.h"

static const struct {
	const char *name;
	size_t size;
} kinds[ESYNC_EV_NR_KINDS] = {
	[ESYNC_EV_WRITE_BEGIN] = { "write-begin", sizeof(struct esync_ev_write_begin) },
	[ESYNC_EV_STORE] = { "store", sizeof(struct esync_ev_store) },
	[ESYNC_EV_SYNC] = { "sync", sizeof(struct esync_ev_sync) },
	[ESYNC_EV_USED] = { "used", sizeof(struct esync_ev_used) },
	[ESYNC_EV_WRITE_END] = { "write-end", sizeof(struct esync_ev_write_end) },
	[ESYNC_EV_SMMU_CMD] = { "smmu-cmd", sizeof(struct esync_ev_smmu_cmd) },
	[ESYNC_EV_VTD_DESC] = { "vtd-desc", sizeof(struct esync_ev_vtd_desc) },
	[ESYNC_EV_AMD_CMD] = { "amd-cmd", sizeof(struct esync_ev_amd_cmd) },
	[ESYNC_EV_COMPLETION] = { "completion", sizeof(struct esync_ev_completion) },
	[ESYNC_EV_TOPOLOGY] = { "topology", sizeof(struct esync_ev_topology) },
	[ESYNC_EV_LOST] = { "lost", sizeof(struct esync_ev_lost) },
	[ESYNC_EV_FAULT] = { "fault", sizeof(struct esync_ev_fault) },
};

size_t esync_event_size(unsigned int kind)
{
	return kind < ESYNC_EV_NR_KINDS ? kinds[kind].size : 0;
}

const char *esync_event_kind_name(unsigned int kind)
{
	return kind < ESYNC_EV_NR_KINDS && kinds[kind].name ? kinds[kind].name : "?";
}

const char *esync_event_check(const void *buf, size_t len)
{
	const struct esync_ev_hdr *h = buf;
	size_t want;

	if (len < sizeof(*h))
		return "shorter than an event header";
	want = esync_event_size(h->kind);
	if (!want)
		return "unknown event kind";
	if (h->size != len)
		return "event size does not match its record";
	if (len != want)
		return "wrong size for its kind";
	return NULL;
}

#define BITS(v, h, l) (((v) >> (l)) & (~0ULL >> (63 - (h) + (l))))

static void decode_smmu(const struct esync_ev_smmu_cmd *c, struct esync_inv *inv)
{
	uint64_t w0 = c->cmd[0], w1 = c->cmd[1];
	unsigned int range;

	inv->family = ESYNC_FAMILY_SMMU;
	inv->opcode = (uint8_t)BITS(w0, 7, 0);
	inv->sync_after = c->flags & ESYNC_SMMU_F_SYNC;
	inv->dev = (uint32_t)BITS(w0, 63, 32);
	inv->dev_span = 1;
	switch (inv->opcode) {
	case 0x03:	/* CFGI_STE */
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_STE;
		inv->has_dev = true;
		break;
	case 0x04:	/* CFGI_STE_RANGE; range 31 is CFGI_ALL */
		inv->kind = ESYNC_INV_ENTRY;
		range = (unsigned int)BITS(w1, 4, 0);
		if (range >= 31) {
			inv->target = ESYNC_INVT_ALL;
			break;
		}
		inv->target = ESYNC_INVT_STE;
		inv->has_dev = true;
		inv->dev_span = 1u << (range + 1);
		inv->dev &= ~(inv->dev_span - 1);
		break;
	case 0x05:	/* CFGI_CD */
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_CD;
		inv->has_dev = inv->has_sub = true;
		inv->sub = (uint32_t)BITS(w0, 31, 12);
		break;
	case 0x06:	/* CFGI_CD_ALL */
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_CD;
		inv->has_dev = true;
		break;
	case 0x10: case 0x11: case 0x12:	/* TLBI_NH_* */
	case 0x20: case 0x21: case 0x22:	/* TLBI_EL2_* */
	case 0x28: case 0x2a: case 0x30:	/* stage 2 and NSNH */
		inv->kind = ESYNC_INV_TLB;
		inv->did = (uint32_t)BITS(w0, 63, 48);
		inv->has_did = inv->opcode == 0x11 || inv->opcode == 0x12;
		break;
	case 0x40:	/* ATC_INV */
		inv->kind = ESYNC_INV_DEVTLB;
		inv->has_dev = true;
		inv->has_sub = BITS(w0, 11, 11);
		inv->sub = (uint32_t)BITS(w0, 31, 12);
		break;
	case 0x46:	/* CMD_SYNC */
		inv->kind = ESYNC_INV_COMPLETION;
		break;
	default:
		inv->kind = ESYNC_INV_OTHER;
		break;
	}
}

static void decode_vtd(const struct esync_ev_vtd_desc *d, struct esync_inv *inv)
{
	uint64_t q0 = d->qw[0];
	unsigned int gran = (unsigned int)BITS(q0, 5, 4);

	inv->family = ESYNC_FAMILY_VTD;
	inv->opcode = (uint8_t)(BITS(q0, 3, 0) | BITS(q0, 11, 9) << 4);
	inv->did = (uint32_t)BITS(q0, 31, 16);
	inv->dev_span = 1;
	switch (inv->opcode) {
	case 1:		/* context-cache: 1 global, 2 domain, 3 device */
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_CONTEXT;
		inv->has_did = gran >= 2;
		inv->has_dev = gran == 3;
		inv->dev = (uint32_t)BITS(q0, 47, 32);
		break;
	case 2:		/* IOTLB: 1 global, 2 domain, 3 pages; 0 reserved */
		inv->kind = gran ? ESYNC_INV_TLB : ESYNC_INV_OTHER;
		inv->has_did = gran != 1;
		break;
	case 3:		/* device-TLB */
		inv->kind = ESYNC_INV_DEVTLB;
		inv->has_dev = true;
		inv->dev = (uint32_t)BITS(q0, 47, 32);
		break;
	case 5:		/* invalidation wait */
		inv->kind = ESYNC_INV_COMPLETION;
		break;
	case 6:		/* PASID-based IOTLB: 2 a PASID's, 3 its pages */
		/*
		 * 0 and 1 (every PASID of the domain, before VT-d 3.0) are
		 * reserved: the IOMMU invalidates nothing (a queue error)
		 */
		inv->kind = gran >= 2 ? ESYNC_INV_TLB : ESYNC_INV_OTHER;
		inv->has_did = true;
		inv->has_sub = true;
		inv->sub = (uint32_t)BITS(q0, 51, 32);
		break;
	case 7:		/* PASID-cache: 0 domain, 1 PASID, 3 global */
		/* 2 is reserved: the IOMMU invalidates nothing (a queue error) */
		if (gran == 2) {
			inv->kind = ESYNC_INV_OTHER;
			break;
		}
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_PASID;
		inv->has_did = gran != 3;
		inv->has_sub = gran == 1;
		inv->sub = (uint32_t)BITS(q0, 51, 32);
		break;
	case 8:		/* PASID-based device-TLB */
		inv->kind = ESYNC_INV_DEVTLB;
		inv->has_dev = inv->has_sub = true;
		inv->dev = (uint32_t)BITS(q0, 31, 16);
		inv->sub = (uint32_t)BITS(q0, 51, 32);
		break;
	default:	/* IEC, page responses */
		inv->kind = ESYNC_INV_OTHER;
		break;
	}
}

static void decode_amd(const struct esync_ev_amd_cmd *c, struct esync_inv *inv)
{
	inv->family = ESYNC_FAMILY_AMD;
	inv->opcode = (uint8_t)(c->data[1] >> 28);
	inv->dev = c->data[0] & 0xffff;
	inv->dev_span = 1;
	switch (inv->opcode) {
	case 0x01:
		inv->kind = ESYNC_INV_COMPLETION;
		break;
	case 0x02:
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_DTE;
		inv->has_dev = true;
		break;
	case 0x03:
		inv->kind = ESYNC_INV_TLB;
		inv->has_did = true;
		inv->did = c->data[1] & 0xffff;
		break;
	case 0x04:
		inv->kind = ESYNC_INV_DEVTLB;
		inv->has_dev = true;
		break;
	case 0x05:
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_IRT;
		inv->has_dev = true;
		break;
	case 0x08:
		inv->kind = ESYNC_INV_ENTRY;
		inv->target = ESYNC_INVT_ALL;
		break;
	default:
		inv->kind = ESYNC_INV_OTHER;
		break;
	}
}

bool esync_inv_decode(const union esync_event *ev, struct esync_inv *inv)
{
	*inv = (struct esync_inv){ 0 };
	switch (ev->hdr.kind) {
	case ESYNC_EV_SMMU_CMD:
		decode_smmu(&ev->smmu, inv);
		return true;
	case ESYNC_EV_VTD_DESC:
		decode_vtd(&ev->vtd, inv);
		inv->slot = ev->vtd.slot <= ESYNC_VTD_QI_SLOTS ? ev->vtd.slot : 0;
		return true;
	case ESYNC_EV_AMD_CMD:
		decode_amd(&ev->amd, inv);
		return true;
	case ESYNC_EV_COMPLETION:
		inv->family = ev->completion.family;
		inv->kind = ESYNC_INV_COMPLETION;
		/* named after what the driver waited on */
		inv->opcode = inv->family == ESYNC_FAMILY_SMMU ? 0x46 :	/* CMD_SYNC */
			      inv->family == ESYNC_FAMILY_VTD ? 5 :	/* INV_WAIT */
			      inv->family == ESYNC_FAMILY_AMD ? 1 : 0;	/* COMPLETION_WAIT */
		if (inv->family == ESYNC_FAMILY_VTD && ev->completion.slot <= ESYNC_VTD_QI_SLOTS)
			inv->slot = ev->completion.slot;
		return true;
	}
	return false;
}

static const char *smmu_name(unsigned int op)
{
	switch (op) {
	case 0x01: return "PREFETCH_CFG";
	case 0x03: return "CFGI_STE";
	case 0x04: return "CFGI_STE_RANGE";
	case 0x05: return "CFGI_CD";
	case 0x06: return "CFGI_CD_ALL";
	case 0x10: return "TLBI_NH_ALL";
	case 0x11: return "TLBI_NH_ASID";
	case 0x12: return "TLBI_NH_VA";
	case 0x20: return "TLBI_EL2_ALL";
	case 0x21: return "TLBI_EL2_ASID";
	case 0x22: return "TLBI_EL2_VA";
	case 0x28: return "TLBI_S12_VMALL";
	case 0x2a: return "TLBI_S2_IPA";
	case 0x30: return "TLBI_NSNH_ALL";
	case 0x40: return "ATC_INV";
	case 0x46: return "CMD_SYNC";
	}
	return "SMMU_CMD";
}

static const char *vtd_name(unsigned int type)
{
	switch (type) {
	case 1: return "CONTEXT_CACHE";
	case 2: return "IOTLB";
	case 3: return "DEV_TLB";
	case 4: return "IEC";
	case 5: return "INV_WAIT";
	case 6: return "PASID_IOTLB";
	case 7: return "PASID_CACHE";
	case 8: return "PASID_DEV_TLB";
	}
	return "VTD_DESC";
}

static const char *amd_name(unsigned int type)
{
	switch (type) {
	case 1: return "COMPLETION_WAIT";
	case 2: return "INV_DEVTAB_ENTRY";
	case 3: return "INV_IOMMU_PAGES";
	case 4: return "INV_IOTLB_PAGES";
	case 5: return "INV_IRT";
	case 7: return "COMPLETE_PPR";
	case 8: return "INV_ALL";
	}
	return "AMD_CMD";
}

const char *esync_inv_name(const struct esync_inv *inv)
{
	switch (inv->family) {
	case ESYNC_FAMILY_SMMU:
		return smmu_name(inv->opcode);
	case ESYNC_FAMILY_VTD:
		return vtd_name(inv->opcode);
	case ESYNC_FAMILY_AMD:
		return amd_name(inv->opcode);
	}
	return "COMPLETION";
}

size_t esync_inv_describe(const struct esync_inv *inv, char *buf, size_t len)
{
	const char *dev_label = inv->family == ESYNC_FAMILY_SMMU ? "sid" :
				inv->family == ESYNC_FAMILY_VTD ? "sid" : "devid";
	const char *sub_label = inv->family == ESYNC_FAMILY_SMMU ? "ssid" : "pasid";
	const char *did_label = inv->family == ESYNC_FAMILY_SMMU ? "asid" :
				inv->family == ESYNC_FAMILY_VTD ? "did" : "domain";
	int n = snprintf(buf, len, "%s", esync_inv_name(inv));
	size_t pos = n < 0 ? 0 : (size_t)n;

#define ADD(...) do {							\
		if (pos < len) {					\
			n = snprintf(buf + pos, len - pos, __VA_ARGS__); \
			pos += n < 0 ? 0 : (size_t)n;			\
		}							\
	} while (0)
	if (inv->has_dev) {
		if (inv->dev_span > 1)
			ADD(" %s=0x%x..0x%x", dev_label, inv->dev,
			    inv->dev + inv->dev_span - 1);
		else
			ADD(" %s=0x%x", dev_label, inv->dev);
	}
	if (inv->has_sub)
		ADD(" %s=0x%x", sub_label, inv->sub);
	if (inv->has_did)
		ADD(" %s=0x%x", did_label, inv->did);
	if (inv->sync_after)
		ADD(" +CMD_SYNC");
	if (inv->slot)
		ADD(" slot=%u", inv->slot - 1);
#undef ADD
	return pos < len ? pos : (len ? len - 1 : 0);
}
