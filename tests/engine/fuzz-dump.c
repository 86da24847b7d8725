// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the dump reader and the engine behind it.  The first
 * input byte picks a mode: bit 0 clear, the bytes are read as they are (the
 * reader must reject damage); set, the checksums are fixed up first, so
 * that the fuzzer reaches the event decoding, the sequence engine and the
 * checkers with arbitrary field values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "dump.h"
#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink_out;

static void on_finding(void *ctx, const struct esync_finding *f)
{
	esync_finding_print_text(sink_out, f);
	esync_finding_print_json(sink_out, f, "fuzz");
}

static void fix_checksums(uint8_t *buf, size_t size)
{
	struct esync_dump_hdr h;
	size_t off;

	if (size < sizeof(h))
		return;
	memcpy(&h, buf, sizeof(h));
	if (h.topo_size != sizeof(struct esync_dump_topo) ||
	    h.nr_topo > ESYNC_DUMP_MAX_TOPO ||
	    h.hdr_size != sizeof(h) + (size_t)h.nr_topo * h.topo_size ||
	    h.hdr_size > size)
		return;
	h.crc = 0;
	h.crc = esync_crc32c(esync_crc32c(0, &h, sizeof(h)), buf + sizeof(h),
			     h.hdr_size - sizeof(h));
	memcpy(buf, &h, sizeof(h));
	for (off = h.hdr_size; off + sizeof(struct esync_frame) <= size;) {
		struct esync_frame fr;

		memcpy(&fr, buf + off, sizeof(fr));
		if (fr.len > size - off - sizeof(fr))
			break;
		if (fr.len % 8)
			break;
		fr.crc = esync_frame_sum(ESYNC_DUMP_VERSION, fr.len, buf + off + sizeof(fr));
		memcpy(buf + off, &fr, sizeof(fr));
		off += sizeof(fr) + fr.len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct esync_engine_sink sink = { .finding = on_finding };
	struct esync_dump_reader r;
	struct esync_engine *e;
	union esync_event ev;
	uint8_t *buf;

	if (!sink_out)
		sink_out = fopen("/dev/null", "w");
	if (!size)
		return 0;
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (data[0] & 1)
		fix_checksums(buf, size - 1);
	if (esync_dump_open_mem(&r, buf, size - 1, "fuzz") == 0) {
		e = esync_engine_new(&sink, &r.info.topo, ESYNC_ALL_CHECKS);
		if (e) {
			esync_engine_set_input(e, r.info.flags);
			while (esync_dump_next(&r, &ev) > 0)
				esync_engine_event(e, &ev);
			esync_engine_finish(e);
			esync_engine_free(e);
		}
		esync_dump_close(&r);
	}
	free(buf);
	return 0;
}
