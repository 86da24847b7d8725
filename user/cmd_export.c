// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync export --chrome: a dump as Chrome/Perfetto trace-event JSON.  One
 * process per IOMMU; in it one track per entry (spans for each write and
 * each of its steps, instants for stores and findings) and one track for the
 * commands the IOMMU received.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dump.h"
#include "engine.h"

struct track {
	uint64_t entry;
	uint16_t iommu;
	unsigned int tid;
};

struct open_write {
	uint64_t entry, id;
	uint64_t begin_ts, step_ts;
	unsigned int step, tid;
	uint16_t iommu;
	struct open_write *next;
};

struct export_ctx {
	FILE *out;
	bool first;
	struct track *tracks;
	size_t ntracks, cap;
	bool *iommu_named;	/* 65536 flags */
	struct open_write *open;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync export --chrome [-o OUT] FILE\n\n"
		"Convert a dump to the Chrome trace-event JSON format, which\n"
		"ui.perfetto.dev and chrome://tracing open: one track per entry with a\n"
		"span per write and per step, instants for stores, commands and findings.\n\n"
		"Options:\n"
		"  --chrome       the output format (the only one so far)\n"
		"  -o, --output OUT  write to OUT instead of stdout\n"
		"  -h, --help     this text\n\n"
		"EXAMPLES\n"
		"  esync export --chrome trace.dump > trace.json\n"
		"  esync export --chrome -o amd.json amd.dump\n");
}

static void sep(struct export_ctx *c)
{
	fputs(c->first ? "\n" : ",\n", c->out);
	c->first = false;
}

static double us(uint64_t ns)
{
	return (double)ns / 1000.0;
}

static void name_iommu(struct export_ctx *c, uint16_t iommu)
{
	if (c->iommu_named[iommu])
		return;
	c->iommu_named[iommu] = true;
	sep(c);
	fprintf(c->out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"args\":{\"name\":\"iommu %u\"}}",
		iommu, iommu);
	sep(c);
	fprintf(c->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{\"name\":\"commands\"}}",
		iommu);
}

static unsigned int track_of(struct export_ctx *c, const struct esync_ev_write_begin *b)
{
	const struct esync_format *f;
	char dev[64];

	for (size_t i = 0; i < c->ntracks; i++)
		if (c->tracks[i].entry == b->entry && c->tracks[i].iommu == b->hdr.iommu)
			return c->tracks[i].tid;
	if (c->ntracks == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		void *p = realloc(c->tracks, cap * sizeof(*c->tracks));

		if (!p)
			return 0;
		c->tracks = p;
		c->cap = cap;
	}
	c->tracks[c->ntracks] = (struct track){ b->entry, b->hdr.iommu,
						(unsigned int)c->ntracks + 1 };
	name_iommu(c, b->hdr.iommu);
	f = esync_format_by_id(b->format);
	esync_entry_dev_str(b->format, b->dev, b->sub, dev, sizeof(dev));
	sep(c);
	fprintf(c->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%zu,\"args\":{\"name\":\"%s 0x%" PRIx64 " (%s)\"}}",
		b->hdr.iommu, c->ntracks + 1, f ? f->name : "unknown-format",
		(uint64_t)b->entry, dev);
	return c->tracks[c->ntracks++].tid;
}

static struct open_write *find(struct export_ctx *c, uint64_t entry)
{
	for (struct open_write *w = c->open; w; w = w->next)
		if (w->entry == entry)
			return w;
	return NULL;
}

static void span(struct export_ctx *c, const struct open_write *w,
		 const char *name, uint64_t from, uint64_t to)
{
	sep(c);
	fprintf(c->out, "{\"name\":\"%s\",\"ph\":\"X\",\"pid\":%u,\"tid\":%u,\"ts\":%.3f,\"dur\":%.3f,\"args\":{\"seq\":%" PRIu64 "}}",
		name, w->iommu, w->tid, us(from), us(to - from), w->id);
}

static void instant(struct export_ctx *c, uint16_t pid, unsigned int tid,
		    uint64_t ts, const char *name, const char *detail)
{
	sep(c);
	fprintf(c->out, "{\"name\":\"");
	esync_json_escape(c->out, name);
	fprintf(c->out, "\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,\"ts\":%.3f",
		pid, tid, us(ts));
	if (detail) {
		fputs(",\"args\":{\"detail\":\"", c->out);
		esync_json_escape(c->out, detail);
		fputs("\"}", c->out);
	}
	fputc('}', c->out);
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct export_ctx *c = ctx;
	char name[64];

	for (size_t i = 0; i < c->ntracks; i++) {
		if (c->tracks[i].entry != f->entry || c->tracks[i].iommu != f->iommu)
			continue;
		snprintf(name, sizeof(name), "%s %s", esync_check_name(f->check),
			 esync_check_title(f->check));
		instant(c, f->iommu, c->tracks[i].tid, f->ts_ns, name, f->evidence);
		return;
	}
}

static void drop(struct export_ctx *c, uint64_t entry)
{
	for (struct open_write **pp = &c->open; *pp; pp = &(*pp)->next) {
		if ((*pp)->entry == entry) {
			struct open_write *w = *pp;

			*pp = w->next;
			free(w);
			return;
		}
	}
}

static void on_event(struct export_ctx *c, const union esync_event *ev)
{
	struct open_write *w;
	struct esync_inv inv;
	char name[96];

	switch (ev->hdr.kind) {
	case ESYNC_EV_WRITE_BEGIN:
		drop(c, ev->begin.entry);
		w = calloc(1, sizeof(*w));
		if (!w)
			return;
		w->entry = ev->begin.entry;
		w->id = ev->hdr.seq;
		w->iommu = ev->hdr.iommu;
		w->begin_ts = w->step_ts = ev->hdr.ts_ns;
		w->step = 1;
		w->tid = track_of(c, &ev->begin);
		w->next = c->open;
		c->open = w;
		break;
	case ESYNC_EV_STORE:
		w = find(c, ev->store.entry);
		if (w) {
			snprintf(name, sizeof(name), "store q%u", ev->store.index);
			instant(c, w->iommu, w->tid, ev->hdr.ts_ns, name, NULL);
		}
		break;
	case ESYNC_EV_SYNC:
		w = find(c, ev->sync.entry);
		if (w) {
			snprintf(name, sizeof(name), "step %u", w->step++);
			span(c, w, name, w->step_ts, ev->hdr.ts_ns);
			w->step_ts = ev->hdr.ts_ns;
		}
		break;
	case ESYNC_EV_WRITE_END:
		w = find(c, ev->end.entry);
		if (!w)
			break;
		snprintf(name, sizeof(name), "write seq %" PRIu64 " (%s)", w->id,
			 ev->end.how == ESYNC_HOW_HITLESS ? "hitless" :
			 ev->end.how == ESYNC_HOW_DISRUPTIVE ? "disruptive" : "no change");
		span(c, w, name, w->begin_ts, ev->hdr.ts_ns);
		drop(c, ev->end.entry);
		break;
	case ESYNC_EV_SMMU_CMD:
	case ESYNC_EV_VTD_DESC:
	case ESYNC_EV_AMD_CMD:
	case ESYNC_EV_COMPLETION:
		esync_inv_decode(ev, &inv);
		esync_inv_describe(&inv, name, sizeof(name));
		name_iommu(c, ev->hdr.iommu);
		instant(c, ev->hdr.iommu, 0, ev->hdr.ts_ns, name, NULL);
		break;
	case ESYNC_EV_LOST:
		snprintf(name, sizeof(name), "%" PRIu64 " events lost", (uint64_t)ev->lost.lost);
		name_iommu(c, ev->hdr.iommu);
		instant(c, ev->hdr.iommu, 0, ev->hdr.ts_ns, name, NULL);
		break;
	}
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "chrome", no_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct export_ctx c = { .first = true };
	struct esync_engine_sink sink = { .finding = on_finding, .ctx = &c };
	const char *output = NULL;
	struct esync_dump_reader r;
	struct esync_engine *e;
	union esync_event ev;
	bool chrome = false;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			chrome = true;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return ESYNC_EXIT_INCOMPLETE;
		}
	}
	if (!chrome || argc - optind != 1) {
		esync_err("export: give --chrome and one dump file; see 'esync export --help'");
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (esync_dump_open(&r, argv[optind]) < 0) {
		esync_err("%s", r.err);
		return ESYNC_EXIT_INCOMPLETE;
	}
	c.out = output ? fopen(output, "w") : stdout;
	c.iommu_named = calloc(65536, sizeof(bool));
	e = esync_engine_new(&sink, &r.info.topo, ESYNC_ALL_CHECKS);
	if (!c.out || !c.iommu_named || !e) {
		esync_err("export: %s", !c.out ? "cannot open the output" : "out of memory");
		esync_engine_free(e);
		free(c.iommu_named);
		esync_dump_close(&r);
		return ESYNC_EXIT_INCOMPLETE;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", c.out);
	while ((rc = esync_dump_next(&r, &ev)) > 0) {
		on_event(&c, &ev);
		esync_engine_event(e, &ev);
	}
	esync_engine_finish(e);
	fputs("\n]}\n", c.out);
	if (rc < 0)
		esync_err("warning: %s", r.err);
	while (c.open)
		drop(&c, c.open->entry);
	if (output && fclose(c.out) != 0) {
		esync_err("export: writing %s failed", output);
		rc = -1;
	}
	esync_engine_free(e);
	free(c.tracks);
	free(c.iommu_named);
	esync_dump_close(&r);
	return rc < 0 ? ESYNC_EXIT_INCOMPLETE : 0;
}

const struct esync_cmd cmd_export = {
	.name = "export",
	.summary = "convert a dump to Chrome/Perfetto trace-event JSON",
	.run = run,
	.usage = usage,
};
