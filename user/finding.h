/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Findings: what a checker reports, and the three ways esync prints them
 * (a text line, a JSON object, TAP diagnostics).
 */
#ifndef ESYNC_FINDING_H
#define ESYNC_FINDING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum esync_check_id {
	ESYNC_CHK_H1,		/* torn view */
	ESYNC_CHK_H2,		/* needless disruption */
	ESYNC_CHK_H3,		/* wrong end state */
	ESYNC_CHK_F1,		/* missing sync */
	ESYNC_CHK_F2,		/* wrong target */
	ESYNC_CHK_F3,		/* order */
	ESYNC_CHK_A1,		/* alias coverage */
	ESYNC_CHK_H4,		/* unsafe disruption */
	ESYNC_CHK_H5,		/* foreign store */
	ESYNC_CHK_U1,		/* model disagreement */
	ESYNC_CHK_INCOMPLETE,	/* the data for the write is not whole */
	ESYNC_CHK_NR
};

#define ESYNC_FINDING_EVIDENCE 640

struct esync_finding {
	unsigned int check;	/* enum esync_check_id */
	unsigned int step;	/* 0 when the finding is about the whole write */
	uint64_t seq;
	uint64_t entry;
	uint64_t ts_ns;
	uint32_t dev;
	uint32_t sub;
	uint16_t iommu;
	uint16_t format;
	char evidence[ESYNC_FINDING_EVIDENCE];
};

/* "H1"; "incomplete". */
const char *esync_check_name(unsigned int check);
/* "torn view"; "incomplete data". */
const char *esync_check_title(unsigned int check);
/* ESYNC_CHK_* for "H1" or "h1" or "incomplete"; -1 if unknown. */
int esync_check_parse(const char *name);
/* Every name esync_check_parse() takes, space separated, for messages. */
void esync_check_names(char *buf, size_t len);

/* The device an entry belongs to: "sid 0x10 ssid 0x1", "0000:02:01.0 pasid 0x3". */
void esync_entry_dev_str(unsigned int format, uint32_t dev, uint32_t sub,
			 char *buf, size_t len);

/*
 * Names for text: a write's seq ("42", or "L42" for a legacy write, whose
 * seq is esync's own counter) and an entry's address (" 0xffff8880...",
 * or "" for a legacy entry without one: the device names it). buf holds
 * at least ESYNC_NAME_LEN bytes. Seqs are named the legacy way only while
 * the input is legacy (the dump reader and live mode say so): a patched
 * kernel's 32-bit IRTE writer counts with bit 63 set too.
 */
#define ESYNC_NAME_LEN 24
void esync_seq_names_legacy(bool legacy);
const char *esync_seq_str(uint64_t seq, char *buf);
const char *esync_entry_str(uint64_t entry, char *buf);

/* One line, newline included. */
void esync_finding_print_text(FILE *out, const struct esync_finding *f);
/*
 * One JSON object on one line, newline included ("type":"finding"; the
 * input's name when input is not NULL; 64-bit values as strings).
 */
void esync_finding_print_json(FILE *out, const struct esync_finding *f,
			      const char *input);
/*
 * JSON string body for s (no quotes).  Valid UTF-8 goes through; each byte
 * of an invalid sequence (a file name is bytes) is written as \u00XX.
 */
void esync_json_escape(FILE *out, const char *s);

#endif /* ESYNC_FINDING_H */
