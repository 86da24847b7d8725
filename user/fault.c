// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault record decoding.  The ids are taken from the raw record the IOMMU
 * wrote (SMMUv3 spec "Event records", AMD IOMMU spec "Event Log", VT-d
 * spec "Fault Recording Registers"), not from a driver's decoding of it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "finding.h"
#include "format.h"
#include "topology.h"

#define BITS(v, h, l) (((v) >> (l)) & (~0ULL >> (63 - (h) + (l))))
#define FMT(x) (1u << ESYNC_FMT_##x)

static const char *const smmu_names[] = {
	[0x01] = "F_UUT", [0x02] = "C_BAD_STREAMID", [0x03] = "F_STE_FETCH",
	[0x04] = "C_BAD_STE", [0x05] = "F_BAD_ATS_TREQ",
	[0x06] = "F_STREAM_DISABLED", [0x07] = "F_TRANSL_FORBIDDEN",
	[0x08] = "C_BAD_SUBSTREAMID", [0x09] = "F_CD_FETCH",
	[0x0a] = "C_BAD_CD", [0x0b] = "F_WALK_EABT", [0x10] = "F_TRANSLATION",
	[0x11] = "F_ADDR_SIZE", [0x12] = "F_ACCESS", [0x13] = "F_PERMISSION",
	[0x20] = "F_TLB_CONFLICT", [0x21] = "F_CFG_CONFLICT",
	[0x24] = "E_PAGE_REQUEST", [0x25] = "F_VMS_FETCH",
};

static void decode_smmu(const struct esync_ev_fault *ev, struct esync_fault *f)
{
	uint64_t w0 = ev->raw[0], w1 = ev->raw[1];
	unsigned int id = (unsigned int)BITS(w0, 7, 0);

	f->family = ESYNC_FAMILY_SMMU;
	f->code = id;
	f->name = id < sizeof(smmu_names) / sizeof(smmu_names[0]) ? smmu_names[id] : NULL;
	f->has_dev = true;
	f->dev = (uint32_t)BITS(w0, 63, 32);
	/* Without SSV the transaction used substream 0 (has_sub false) */
	f->has_sub = BITS(w0, 11, 11);
	f->sub = f->has_sub ? (uint32_t)BITS(w0, 31, 12) : 0;
	switch (id) {
	case 0x02: case 0x03: case 0x04: case 0x06:
		f->formats = FMT(SMMU_STE);
		break;
	case 0x08: case 0x09: case 0x0a:
		f->formats = FMT(SMMU_STE) | FMT(SMMU_CD);
		break;
	case 0x05: case 0x07: case 0x0b: case 0x10: case 0x11: case 0x12: case 0x13:
		/* A stage-2 fault (S2) comes of the STE's own tables, not a CD */
		f->formats = BITS(w1, 39, 39) ? FMT(SMMU_STE) : FMT(SMMU_STE) | FMT(SMMU_CD);
		f->has_addr = true;
		f->addr = ev->raw[2];
		f->access = BITS(w1, 35, 35) ? "read" : "write";
		break;
	default:
		f->formats = FMT(SMMU_STE) | FMT(SMMU_CD);
		break;
	}
}

/* Indexed by the 4-bit event code: every code has a slot (NULL: unnamed) */
static const char *const amd_names[16] = {
	[0x1] = "ILLEGAL_DEV_TABLE_ENTRY", [0x2] = "IO_PAGE_FAULT",
	[0x3] = "DEV_TAB_HARDWARE_ERROR", [0x4] = "PAGE_TAB_HARDWARE_ERROR",
	[0x5] = "ILLEGAL_COMMAND_ERROR", [0x6] = "COMMAND_HARDWARE_ERROR",
	[0x7] = "IOTLB_INV_TIMEOUT", [0x8] = "INVALID_DEVICE_REQUEST",
	[0x9] = "INVALID_PPR_REQUEST", [0xa] = "EVENT_COUNTER_ZERO",
	[0xd] = "RMP_PAGE_FAULT", [0xe] = "RMP_HW_ERROR",
};

static void decode_amd(const struct esync_ev_fault *ev, struct esync_fault *f)
{
	uint32_t d[4] = {
		(uint32_t)ev->raw[0], (uint32_t)(ev->raw[0] >> 32),
		(uint32_t)ev->raw[1], (uint32_t)(ev->raw[1] >> 32),
	};
	unsigned int type = d[1] >> 28;
	unsigned int flags = (d[1] >> 16) & 0xfff;

	f->family = ESYNC_FAMILY_AMD;
	f->code = type;
	f->name = amd_names[type & 0xf];
	f->addr = (uint64_t)d[3] << 32 | d[2];
	switch (type) {
	case 0x5: case 0x6: case 0xa:
		/* about the command buffer or a counter, no device */
		return;
	case 0x2:	/* IO_PAGE_FAULT: I = interrupt request, GN = PASID valid */
		f->has_dev = true;
		f->dev = d[0] & 0xffff;
		f->has_addr = true;
		f->access = flags & 0x20 ? "write" : "read";
		if (flags & 0x8) {
			f->formats = FMT(AMD_IRTE) | FMT(AMD_IRTE32) | FMT(AMD_DTE);
		} else {
			f->formats = FMT(AMD_DTE);
			if (flags & 0x1) {
				f->has_sub = true;
				f->sub = (d[0] & 0xf0000) | (d[1] & 0xffff);
			}
		}
		return;
	default:
		f->has_dev = true;
		f->dev = d[0] & 0xffff;
		f->has_addr = type == 0x1 || type == 0x3 || type == 0x4 || type == 0x7;
		f->formats = FMT(AMD_DTE);
		return;
	}
}

/* VT-d fault reasons 0x20..0x26 are interrupt-remapping faults. */
static bool vtd_is_intr(unsigned int reason)
{
	return reason >= 0x20 && reason <= 0x26;
}

static void vtd_common(struct esync_fault *f, unsigned int reason, bool read,
		       uint32_t sid, bool pasid_ok, uint32_t pasid, uint64_t addr)
{
	f->family = ESYNC_FAMILY_VTD;
	f->code = reason;
	f->has_dev = true;
	f->dev = sid;
	if (vtd_is_intr(reason)) {
		/* the IRTE index is in the address field; no PASID entry */
		f->name = "INTR_REMAP";
		return;
	}
	f->name = "DMA_REMAP";
	f->has_addr = true;
	f->addr = addr;
	f->access = read ? "read" : "write";
	/* Requests without PASID use the RID's PASID entry, PASID 0 */
	f->has_sub = pasid_ok;
	f->sub = pasid_ok ? pasid : 0;
	f->formats = FMT(VTD_PASID);
}

static void decode_vtd_frcd(const struct esync_ev_fault *ev, struct esync_fault *f)
{
	uint64_t hi = ev->raw[1];

	vtd_common(f, (unsigned int)BITS(hi, 39, 32), BITS(hi, 62, 62),
		   (uint32_t)BITS(hi, 15, 0), BITS(hi, 31, 31),
		   (uint32_t)BITS(hi, 59, 40), ev->raw[0] & ~0xfffULL);
}

static void decode_vtd_args(const struct esync_ev_fault *ev, struct esync_fault *f)
{
	uint32_t pasid = (uint32_t)ev->raw[2];

	vtd_common(f, (unsigned int)ev->raw[1] & 0xff, ev->raw[0] != 0,
		   (uint32_t)ev->raw[3] & 0xffff, pasid != ~0u, pasid, ev->addr);
}

static void decode_generic(const struct esync_ev_fault *ev, struct esync_fault *f)
{
	char name[ESYNC_FAULT_NAME_LEN + 1];
	uint32_t id;

	f->name = "io_page_fault";
	f->any_iommu = true;
	f->has_addr = true;
	f->addr = ev->addr;
	f->access = ev->flags & 1 ? "write" : "read";	/* IOMMU_FAULT_WRITE */
	memcpy(name, ev->name, ESYNC_FAULT_NAME_LEN);
	name[ESYNC_FAULT_NAME_LEN] = '\0';
	if (esync_devid_parse(name, &id) == 0) {
		f->has_dev = true;
		f->dev = id;
		/* report_iommu_fault() is for DMA: never an interrupt entry */
		f->formats = ~(FMT(AMD_IRTE) | FMT(AMD_IRTE32));
	}
}

bool esync_fault_decode(const struct esync_ev_fault *ev, struct esync_fault *f)
{
	memset(f, 0, sizeof(*f));
	f->source = ev->source;
	f->iommu = ev->hdr.iommu;
	switch (ev->source) {
	case ESYNC_FAULT_SMMU_EVTQ:
		decode_smmu(ev, f);
		break;
	case ESYNC_FAULT_AMD_EVTLOG:
		decode_amd(ev, f);
		break;
	case ESYNC_FAULT_VTD_FRCD:
		decode_vtd_frcd(ev, f);
		break;
	case ESYNC_FAULT_VTD_ARGS:
		decode_vtd_args(ev, f);
		break;
	case ESYNC_FAULT_IO_PAGE_FAULT:
		decode_generic(ev, f);
		break;
	default:
		return false;
	}
	return true;
}

size_t esync_fault_describe(const struct esync_fault *f, char *buf, size_t len)
{
	char pci[16];
	int n;

	if (f->name)
		n = snprintf(buf, len, "%s", f->name);
	else
		n = snprintf(buf, len, "event 0x%x", f->code);
	if (f->family == ESYNC_FAMILY_VTD)
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0,
			      " reason 0x%x", f->code);
	if (f->has_dev) {
		if (f->family == ESYNC_FAMILY_SMMU)
			n += snprintf(buf + n, len > (size_t)n ? len - n : 0,
				      " sid 0x%x", f->dev);
		else {
			esync_devid_str(f->dev, pci, sizeof(pci));
			n += snprintf(buf + n, len > (size_t)n ? len - n : 0,
				      " %s", pci);
		}
	}
	if (f->has_sub)
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0, " %s 0x%x",
			      f->family == ESYNC_FAMILY_SMMU ? "ssid" : "pasid", f->sub);
	if (f->has_addr)
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0,
			      " addr 0x%" PRIx64, f->addr);
	if (f->access)
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0, " %s", f->access);
	return (size_t)n;
}

static const char *family_name(unsigned int family)
{
	switch (family) {
	case ESYNC_FAMILY_SMMU: return "smmu";
	case ESYNC_FAMILY_VTD: return "vtd";
	case ESYNC_FAMILY_AMD: return "amd";
	}
	return "generic";
}

static void print_checks(FILE *out, uint32_t findings, const char *sep)
{
	for (unsigned int k = 0, first = 1; k < ESYNC_CHK_NR; k++)
		if (findings & (1u << k)) {
			fprintf(out, "%s%s%s%s", first ? "" : sep, *sep == ',' ? "\"" : "",
				esync_check_name(k), *sep == ',' ? "\"" : "");
			first = 0;
		}
}

static void print_ts(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%09" PRIu64 " s", ns / 1000000000, ns % 1000000000);
}

static void print_gap(FILE *out, uint64_t ns)
{
	if (ns < 1000)
		fprintf(out, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		fprintf(out, "%.1f us", (double)ns / 1e3);
	else if (ns < 1000000000)
		fprintf(out, "%.3f ms", (double)ns / 1e6);
	else
		fprintf(out, "%.3f s", (double)ns / 1e9);
}

void esync_fault_print_text(FILE *out, const struct esync_fault_link *l,
			    uint32_t findings, const char *indent)
{
	const struct esync_format *fmt = esync_format_by_id(l->format);
	uint64_t ts = l->ev->hdr.ts_ns;
	char what[160], dev[64], dec[512], seq[ESYNC_NAME_LEN], entry[ESYNC_NAME_LEN];

	esync_fault_describe(&l->fault, what, sizeof(what));
	fprintf(out, "%sfault %" PRIu64 " at ", indent, l->nr);
	print_ts(out, ts);
	fprintf(out, ": %s", what);
	if (!l->fault.any_iommu)
		fprintf(out, " (%s iommu %u)", family_name(l->fault.family), l->fault.iommu);
	fputc('\n', out);
	if (!l->seq) {
		fprintf(out, "%s  no write of an entry it names in this input: esync saw no update behind it\n",
			indent);
		return;
	}
	esync_entry_dev_str(l->format, l->dev, l->sub, dev, sizeof(dev));
	fprintf(out, "%s  %s write seq %s of %s entry%s (%s)",
		indent, l->ts_end ? "after" : "during", esync_seq_str(l->seq, seq),
		fmt ? fmt->name : "unknown-format", esync_entry_str(l->entry, entry), dev);
	if (l->ts_end) {
		fputs(", which ended ", out);
		print_gap(out, ts > l->ts_end ? ts - l->ts_end : 0);
		fputs(" before", out);
	} else {
		fputs(", begun ", out);
		print_gap(out, ts > l->ts_begin ? ts - l->ts_begin : 0);
		fputs(" before", out);
	}
	if (findings) {
		fputs(": findings ", out);
		print_checks(out, findings, " ");
	} else {
		fputs(": no finding", out);
	}
	fputc('\n', out);
	if (fmt && l->words == fmt->words) {
		esync_format_decode(fmt, l->value, dec, sizeof(dec));
		fprintf(out, "%s  entry %s: %s", indent,
			l->ts_end ? "as that write left it" : "at the fault", dec);
		/* a non-valid entry decodes to its valid bit: the words say more */
		if (fmt->is_valid && !fmt->is_valid(l->value)) {
			fputs(" (non-valid; words", out);
			for (unsigned int w = 0; w < l->words; w++)
				fprintf(out, " 0x%" PRIx64, l->value[w]);
			fputc(')', out);
		}
		fputc('\n', out);
	}
}

void esync_fault_print_json(FILE *out, const struct esync_fault_link *l,
			    uint32_t findings, const char *input)
{
	const struct esync_fault *f = &l->fault;
	const struct esync_format *fmt = esync_format_by_id(l->format);
	char what[160];

	esync_fault_describe(f, what, sizeof(what));
	fputs("{\"type\":\"fault\",", out);
	if (input) {
		fputs("\"input\":\"", out);
		esync_json_escape(out, input);
		fputs("\",", out);
	}
	fprintf(out, "\"nr\":\"%" PRIu64 "\",\"ts_ns\":\"%" PRIu64 "\",\"family\":\"%s\","
		"\"event\":\"", l->nr, l->ev->hdr.ts_ns, family_name(f->family));
	esync_json_escape(out, f->name ? f->name : "unknown");
	fprintf(out, "\",\"code\":%u,\"description\":\"", f->code);
	esync_json_escape(out, what);
	fputc('"', out);
	if (!f->any_iommu)
		fprintf(out, ",\"iommu\":%u", f->iommu);
	if (f->has_dev)
		fprintf(out, ",\"dev\":%u", f->dev);
	if (f->has_sub)
		fprintf(out, ",\"sub\":%u", f->sub);
	if (f->has_addr)
		fprintf(out, ",\"addr\":\"0x%" PRIx64 "\"", f->addr);
	if (f->access)
		fprintf(out, ",\"access\":\"%s\"", f->access);
	fprintf(out, ",\"raw\":[\"0x%" PRIx64 "\",\"0x%" PRIx64 "\",\"0x%" PRIx64
		"\",\"0x%" PRIx64 "\"]", l->ev->raw[0], l->ev->raw[1], l->ev->raw[2],
		l->ev->raw[3]);
	if (!l->seq) {
		fputs(",\"write\":null}\n", out);
		return;
	}
	fprintf(out, ",\"write\":{\"seq\":\"%" PRIu64 "\",\"format\":\"%s\",\"entry\":\"0x%"
		PRIx64 "\",\"iommu\":%u,\"dev\":%u,\"sub\":%u,\"relation\":\"%s\","
		"\"gap_ns\":\"%" PRIu64 "\",\"findings\":[",
		l->seq, fmt ? fmt->name : "unknown-format", l->entry, l->iommu, l->dev,
		l->sub, l->ts_end ? "after" : "during",
		l->ts_end && l->ev->hdr.ts_ns > l->ts_end ? l->ev->hdr.ts_ns - l->ts_end : 0);
	print_checks(out, findings, ",");
	fputs("]}}\n", out);
}
