// SPDX-License-Identifier: GPL-2.0-only
/* Finding names and output: text, JSON. */
#include <inttypes.h>
#include <strings.h>

#include "esync_events.h"
#include "finding.h"
#include "format.h"
#include "topology.h"

static const struct {
	const char *name;
	const char *title;
} checks[ESYNC_CHK_NR] = {
	[ESYNC_CHK_H1] = { "H1", "torn view" },
	[ESYNC_CHK_H2] = { "H2", "needless disruption" },
	[ESYNC_CHK_H3] = { "H3", "wrong end state" },
	[ESYNC_CHK_F1] = { "F1", "missing sync" },
	[ESYNC_CHK_F2] = { "F2", "wrong target" },
	[ESYNC_CHK_F3] = { "F3", "order" },
	[ESYNC_CHK_A1] = { "A1", "alias coverage" },
	[ESYNC_CHK_H4] = { "H4", "unsafe disruption" },
	[ESYNC_CHK_H5] = { "H5", "foreign store" },
	[ESYNC_CHK_U1] = { "U1", "model disagreement" },
	[ESYNC_CHK_INCOMPLETE] = { "incomplete", "incomplete data" },
};

const char *esync_check_name(unsigned int check)
{
	return check < ESYNC_CHK_NR ? checks[check].name : "?";
}

const char *esync_check_title(unsigned int check)
{
	return check < ESYNC_CHK_NR ? checks[check].title : "?";
}

void esync_check_names(char *buf, size_t len)
{
	size_t pos = 0;

	if (len)
		buf[0] = 0;
	for (int i = 0; i < ESYNC_CHK_NR && pos < len; i++) {
		int n = snprintf(buf + pos, len - pos, "%s%s", i ? " " : "", checks[i].name);

		pos += n > 0 ? (size_t)n : 0;
	}
}

int esync_check_parse(const char *name)
{
	for (int i = 0; i < ESYNC_CHK_NR; i++)
		if (!strcasecmp(name, checks[i].name))
			return i;
	return -1;
}

void esync_entry_dev_str(unsigned int format, uint32_t dev, uint32_t sub,
			 char *buf, size_t len)
{
	char pci[16];

	switch (format) {
	case ESYNC_FMT_SMMU_STE:
	case ESYNC_FMT_TEST:
		snprintf(buf, len, "sid 0x%x", dev);
		break;
	case ESYNC_FMT_SMMU_CD:
		snprintf(buf, len, "sid 0x%x ssid 0x%x", dev, sub);
		break;
	case ESYNC_FMT_VTD_PASID:
		esync_devid_str(dev, pci, sizeof(pci));
		snprintf(buf, len, "%s pasid 0x%x", pci, sub);
		break;
	case ESYNC_FMT_AMD_IRTE:
	case ESYNC_FMT_AMD_IRTE32:
		esync_devid_str(dev, pci, sizeof(pci));
		snprintf(buf, len, "%s irte %u", pci, sub);
		break;
	default:
		esync_devid_str(dev, pci, sizeof(pci));
		snprintf(buf, len, "%s", pci);
		break;
	}
}

static const char *format_name(unsigned int id)
{
	const struct esync_format *f = esync_format_by_id(id);

	return f ? f->name : "unknown-format";
}

static bool legacy_names;

void esync_seq_names_legacy(bool legacy)
{
	legacy_names = legacy;
}

const char *esync_seq_str(uint64_t seq, char *buf)
{
	if (legacy_names && seq & ESYNC_LEGACY_SEQ)
		snprintf(buf, ESYNC_NAME_LEN, "L%" PRIu64, (uint64_t)(seq & ~ESYNC_LEGACY_SEQ));
	else
		snprintf(buf, ESYNC_NAME_LEN, "%" PRIu64, seq);
	return buf;
}

const char *esync_entry_str(uint64_t entry, char *buf)
{
	if ((entry & ESYNC_LEGACY_ENTRY_MASK) == ESYNC_LEGACY_ENTRY)
		buf[0] = 0;
	else
		snprintf(buf, ESYNC_NAME_LEN, " 0x%" PRIx64, entry);
	return buf;
}

void esync_finding_print_text(FILE *out, const struct esync_finding *f)
{
	char dev[64], seq[ESYNC_NAME_LEN], entry[ESYNC_NAME_LEN];

	esync_entry_dev_str(f->format, f->dev, f->sub, dev, sizeof(dev));
	fprintf(out, "%s %s: %s entry%s (%s) iommu %u seq %s",
		esync_check_name(f->check), esync_check_title(f->check),
		format_name(f->format), esync_entry_str(f->entry, entry), dev, f->iommu,
		esync_seq_str(f->seq, seq));
	if (f->step)
		fprintf(out, " step %u", f->step);
	fprintf(out, ": %s\n", f->evidence);
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 if none */
static size_t utf8_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, surrogates or code points past U+10FFFF */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

void esync_json_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, out);
		} else if ((n = utf8_len(p))) {
			fwrite(p, 1, n, out);
			p += n;
		} else {
			/* Not UTF-8: the byte, as the code point of its value */
			fprintf(out, "\\u%04x", *p++);
		}
	}
}

void esync_finding_print_json(FILE *out, const struct esync_finding *f,
			      const char *input)
{
	char dev[64];

	esync_entry_dev_str(f->format, f->dev, f->sub, dev, sizeof(dev));
	fputs("{\"type\":\"finding\",", out);
	if (input) {
		fputs("\"input\":\"", out);
		esync_json_escape(out, input);
		fputs("\",", out);
	}
	fprintf(out, "\"check\":\"%s\",\"title\":\"%s\",\"format\":\"%s\","
		"\"entry\":\"0x%" PRIx64 "\",\"iommu\":%u,\"dev\":%u,\"sub\":%u,"
		"\"device\":\"",
		esync_check_name(f->check), esync_check_title(f->check),
		format_name(f->format), f->entry, f->iommu, f->dev, f->sub);
	esync_json_escape(out, dev);
	/* 64-bit values as strings: JSON parsers keep 53 bits of a number */
	fprintf(out, "\",\"seq\":\"%" PRIu64 "\",\"step\":%u,\"ts_ns\":\"%" PRIu64
		"\",\"evidence\":\"", f->seq, f->step, f->ts_ns);
	esync_json_escape(out, f->evidence);
	fputs("\"}\n", out);
}
