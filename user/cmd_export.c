// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync export --chrome: a dump as Chrome/Perfetto trace-event JSON.  One
 * process per IOMMU; in it one track per entry and one track for the
 * commands the IOMMU received.  On an entry's track each write is a span
 * (also a write the dump cut), each of its steps a span inside it, each
 * store and finding an instant; the values and decoded fields are in the
 * events' args.
 *
 * A write's events are held until the write ends, then written out span
 * first, so that a viewer nests a step that starts with its write inside
 * it; timestamps are exact (integer microseconds and nanoseconds).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "engine.h"
#include "format.h"
#include "outfile.h"
#include "probe.h"
#include "topology.h"
#include "version.h"

struct track {
	uint64_t entry;
	uint16_t iommu;
	unsigned int tid;
};

struct open_write {
	uint64_t entry, id;
	uint64_t begin_ts, step_ts, last_ts;
	unsigned int step, stores, tid;	/* stores: in the current step */
	uint16_t iommu, format, quanta_bits, num_quanta, words;
	uint64_t cur[ESYNC_EV_MAX_WORDS];	/* the entry as its stores left it */
	char *head;		/* the write span's args, without braces */
	size_t head_len;
	FILE *head_f;
	char *body;		/* its steps, stores and findings */
	size_t body_len;
	FILE *body_f;
	struct open_write *next;
};

struct filter {
	bool by_entry, by_dev, by_time;
	uint64_t entry;
	uint32_t dev;
	uint32_t check_mask;	/* writes with a finding of one of these */
	double from_s, to_s;	/* seconds after the dump's first event */
	uint64_t *hits;		/* seqs with such a finding (pre-pass) */
	size_t nhits, hcap;
	bool oom;
};

struct export_ctx {
	FILE *out;
	bool first;
	struct track *tracks;
	size_t ntracks, cap;
	bool *iommu_named;	/* 65536 flags */
	struct open_write *open;
	struct filter *flt;
	bool have_t0;
	uint64_t t0;		/* the first event's timestamp */
	uint64_t writes, cut;
	bool oom;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync export --chrome [-o OUT [--force]] [FILTERS] FILE\n\n"
		"Convert a dump to the Chrome trace-event JSON format, which\n"
		"ui.perfetto.dev and chrome://tracing open: one track per entry with a\n"
		"span per write (also a write the dump cut) and per step, instants for\n"
		"stores and findings, and a track of commands per IOMMU.  Values and\n"
		"decoded fields are in each event's args.\n\n"
		"Options:\n"
		"  --chrome          the output format (the only one so far)\n"
		"  -o, --output OUT  write to OUT (mode 0600: it holds kernel addresses;\n"
		"                    never through a symbolic link) instead of stdout\n"
		"  --force           overwrite OUT if it exists\n"
		"  -h, --help        this text\n\n"
		"Filters (a write is kept if it passes all; commands are kept if they\n"
		"belong to a kept write):\n"
		"  --entry ADDR      the writes of the entry at this kernel address (hex)\n"
		"  --device DEV      of this device: 0000:02:01.0, or a StreamID/DeviceID\n"
		"  --check LIST      with a finding of one of these checks (H1,F2,...)\n"
		"  --from SEC        that begin SEC seconds or more after the first event\n"
		"  --to SEC          that begin SEC seconds or less after the first event\n\n"
		"EXAMPLES\n"
		"  esync export --chrome trace.dump > trace.json\n"
		"  esync export --chrome -o amd.json amd.dump\n"
		"  esync export --chrome --check A1 --from 2.5 --to 3 -o a1.json big.dump\n");
}

static void sep(struct export_ctx *c)
{
	fputs(c->first ? "\n" : ",\n", c->out);
	c->first = false;
}

/* Microseconds, exact: "1234.567". */
static void put_us(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%03u", ns / 1000, (unsigned int)(ns % 1000));
}

static void put_str(FILE *out, const char *s)
{
	fputc('"', out);
	esync_json_escape(out, s);
	fputc('"', out);
}

/* Quanta i of an entry as one hex string (128-bit quanta: high word first). */
static void put_quanta(FILE *out, const uint64_t *w, unsigned int bits, unsigned int i)
{
	if (bits == 128)
		fprintf(out, "\"0x%016" PRIx64 "%016" PRIx64 "\"", w[2 * i + 1], w[2 * i]);
	else if (bits == 32)
		fprintf(out, "\"0x%08" PRIx64 "\"", w[i] & 0xffffffffu);
	else
		fprintf(out, "\"0x%016" PRIx64 "\"", w[i]);
}

static unsigned int nr_quanta(const struct open_write *w)
{
	unsigned int per = w->quanta_bits == 128 ? 2 : 1;
	unsigned int n = w->num_quanta;

	if ((size_t)n * per > w->words)
		n = w->words / per;
	return n;
}

static void put_entry(FILE *out, const struct open_write *w, const uint64_t *v)
{
	fputc('[', out);
	for (unsigned int i = 0; i < nr_quanta(w); i++) {
		if (i)
			fputc(',', out);
		put_quanta(out, v, w->quanta_bits, i);
	}
	fputc(']', out);
}

/* "FIELD":"0x.." for each field whose value differs between a and b. */
static void put_changed_fields(FILE *out, const struct esync_format *f,
			       const uint64_t *a, const uint64_t *b)
{
	uint64_t wa[ESYNC_FMT_MAX_WORDS] = { 0 }, wb[ESYNC_FMT_MAX_WORDS] = { 0 };
	char names[1024];
	bool first = true;

	fputc('{', out);
	if (f && f->words <= ESYNC_EV_MAX_WORDS) {
		memcpy(wa, a, f->words * sizeof(*a));
		memcpy(wb, b, f->words * sizeof(*b));
		esync_format_diff(f, wa, wb, NULL, names, sizeof(names));
		for (char *save, *n = strtok_r(names, ",", &save); n;
		     n = strtok_r(NULL, ",", &save)) {
			const struct esync_field *fld;

			while (*n == ' ')
				n++;
			fld = esync_format_field(f, wb, n);
			fputs(first ? "" : ",", out);
			first = false;
			put_str(out, n);
			if (fld)
				fprintf(out, ":\"0x%" PRIx64 "\"", esync_field_get(fld, wb));
			else
				fputs(":\"changed\"", out);
		}
	}
	fputc('}', out);
}

static void name_iommu(struct export_ctx *c, uint16_t iommu)
{
	if (c->iommu_named[iommu])
		return;
	c->iommu_named[iommu] = true;
	sep(c);
	fprintf(c->out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{\"name\":\"iommu %u\"}}",
		iommu, iommu);
	sep(c);
	fprintf(c->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":0,\"args\":{\"name\":\"commands\"}}",
		iommu);
}

/* An instant event on the IOMMU's own track, up to its "args" (the caller's) */
static void put_iommu_instant(struct export_ctx *c, const union esync_event *ev,
			      const char *name, const char *cat, char scope)
{
	name_iommu(c, ev->hdr.iommu);
	sep(c);
	fputs("{\"name\":", c->out);
	put_str(c->out, name);
	fprintf(c->out, ",\"ph\":\"i\",\"cat\":\"%s\",\"s\":\"%c\",\"pid\":%u,\"tid\":0,\"ts\":",
		cat, scope, ev->hdr.iommu);
	put_us(c->out, ev->hdr.ts_ns);
}

static struct track *find_track(struct export_ctx *c, uint64_t entry, uint16_t iommu)
{
	for (size_t i = 0; i < c->ntracks; i++)
		if (c->tracks[i].entry == entry && c->tracks[i].iommu == iommu)
			return &c->tracks[i];
	return NULL;
}

/* The entry's track; 0 (the commands' track) if out of memory. */
static unsigned int track_of(struct export_ctx *c, const struct esync_ev_write_begin *b)
{
	const struct esync_format *f;
	struct track *t = find_track(c, b->entry, b->hdr.iommu);
	char dev[64], name[160];

	if (t)
		return t->tid;
	if (c->ntracks == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		void *p = realloc(c->tracks, cap * sizeof(*c->tracks));

		if (!p) {
			c->oom = true;
			return 0;
		}
		c->tracks = p;
		c->cap = cap;
	}
	c->tracks[c->ntracks] = (struct track){ b->entry, b->hdr.iommu,
						(unsigned int)c->ntracks + 1 };
	name_iommu(c, b->hdr.iommu);
	f = esync_format_by_id(b->format);
	esync_entry_dev_str(b->format, b->dev, b->sub, dev, sizeof(dev));
	snprintf(name, sizeof(name), "%s 0x%" PRIx64 " (%s)", f ? f->name : "unknown-format",
		 (uint64_t)b->entry, dev);
	sep(c);
	fprintf(c->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
		b->hdr.iommu, c->tracks[c->ntracks].tid);
	put_str(c->out, name);
	fputs("}}", c->out);
	return c->tracks[c->ntracks++].tid;
}

static struct open_write *find_open(struct export_ctx *c, uint64_t entry)
{
	for (struct open_write *w = c->open; w; w = w->next)
		if (w->entry == entry)
			return w;
	return NULL;
}

static struct open_write *find_open_id(struct export_ctx *c, uint64_t id)
{
	for (struct open_write *w = c->open; w; w = w->next)
		if (w->id == id)
			return w;
	return NULL;
}

/* A span on w's track, into w's body. */
static void step_span(struct open_write *w, const char *name, uint64_t from,
		      uint64_t to, bool synced)
{
	FILE *o = w->body_f;

	fprintf(o, ",\n{\"name\":\"%s\",\"ph\":\"X\",\"cat\":\"step\",\"pid\":%u,\"tid\":%u,\"ts\":",
		name, w->iommu, w->tid);
	put_us(o, from);
	fputs(",\"dur\":", o);
	put_us(o, to - from);
	fprintf(o, ",\"args\":{\"seq\":\"%" PRIu64 "\",\"step\":%u,\"stores\":%u,\"synced\":%s}}",
		w->id, w->step, w->stores, synced ? "true" : "false");
}

/*
 * Writes w out: its span, then what happened inside it.  end is NULL for a
 * write the dump cut (why says how), which ends at its last event.
 */
static void close_write(struct export_ctx *c, struct open_write *w,
			const struct esync_ev_write_end *end, const char *why)
{
	uint64_t to = end ? end->hdr.ts_ns : w->last_ts;
	const char *how = !end ? "cut" :
		end->how == ESYNC_HOW_HITLESS ? "hitless" :
		end->how == ESYNC_HOW_DISRUPTIVE ? "disruptive" :
		end->how == ESYNC_HOW_FAILED ? "failed" : "no change";
	char name[96], seq[ESYNC_NAME_LEN];

	if (w->stores) {	/* stores after the last sync */
		snprintf(name, sizeof(name), "step %u (no sync)", w->step);
		step_span(w, name, w->step_ts, to, false);
	}
	fclose(w->head_f);
	fclose(w->body_f);
	snprintf(name, sizeof(name), "write seq %s (%s)", esync_seq_str(w->id, seq), how);
	sep(c);
	fprintf(c->out, "{\"name\":\"%s\",\"ph\":\"X\",\"cat\":\"write\",\"pid\":%u,\"tid\":%u,\"ts\":",
		name, w->iommu, w->tid);
	put_us(c->out, w->begin_ts);
	fputs(",\"dur\":", c->out);
	put_us(c->out, to - w->begin_ts);
	fprintf(c->out, ",\"args\":{%s,\"how\":\"%s\",\"cut\":%s", w->head ? w->head : "",
		how, end ? "false" : "true");
	if (end) {
		struct open_write tmp = *w;

		tmp.words = end->words < w->words ? end->words : w->words;
		fprintf(c->out, ",\"syncs\":%u,\"critical\":%u,\"final\":", end->nr_syncs,
			end->nr_critical);
		put_entry(c->out, &tmp, end->final);
	} else {
		fputs(",\"cut_reason\":", c->out);
		put_str(c->out, why);
		fputs(",\"final\":", c->out);
		put_entry(c->out, w, w->cur);
		c->cut++;
	}
	fputs("}}", c->out);
	if (w->body_len)
		fwrite(w->body, 1, w->body_len, c->out);
	free(w->head);
	free(w->body);
	c->writes++;
}

static void remove_open(struct export_ctx *c, struct open_write *w)
{
	for (struct open_write **pp = &c->open; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			free(w);
			return;
		}
	}
}

static bool hit(const struct filter *f, uint64_t seq)
{
	size_t lo = 0, hi = f->nhits;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->hits[mid] == seq)
			return true;
		if (f->hits[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool in_time(const struct export_ctx *c, uint64_t ts)
{
	double s;

	if (!c->flt->by_time)
		return true;
	s = (double)(int64_t)(ts - c->t0) / 1e9;
	return s >= c->flt->from_s && s <= c->flt->to_s;
}

static bool keep_write(const struct export_ctx *c, const struct esync_ev_write_begin *b)
{
	const struct filter *f = c->flt;

	if (f->by_entry && b->entry != f->entry)
		return false;
	if (f->by_dev && b->dev != f->dev)
		return false;
	if (f->check_mask && !hit(f, b->hdr.seq))
		return false;
	return in_time(c, b->hdr.ts_ns);
}

/* Only the commands of kept writes once writes are picked by what they are */
static bool keep_cmd(struct export_ctx *c, const union esync_event *ev)
{
	const struct filter *f = c->flt;

	if (!in_time(c, ev->hdr.ts_ns))
		return false;
	if (!f->by_entry && !f->by_dev && !f->check_mask)
		return true;
	return ev->hdr.seq && find_open_id(c, ev->hdr.seq);
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct export_ctx *c = ctx;
	struct open_write *w = find_open_id(c, f->seq);
	struct track *t = find_track(c, f->entry, f->iommu);
	FILE *o;

	if (!t || (c->flt->check_mask && !(c->flt->check_mask & (1u << f->check))))
		return;
	if (w && w->entry == f->entry) {
		o = w->body_f;
		if (f->ts_ns > w->last_ts)
			w->last_ts = f->ts_ns;
		fputs(",\n", o);
	} else {
		if (c->flt->by_time && !in_time(c, f->ts_ns))
			return;
		o = c->out;
		sep(c);
	}
	fprintf(o, "{\"name\":\"%s %s\",\"ph\":\"i\",\"cat\":\"finding\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,\"ts\":",
		esync_check_name(f->check), esync_check_title(f->check), f->iommu, t->tid);
	put_us(o, f->ts_ns);
	fprintf(o, ",\"args\":{\"check\":\"%s\",\"seq\":\"%" PRIu64 "\",\"step\":%u,\"evidence\":",
		esync_check_name(f->check), f->seq, f->step);
	put_str(o, f->evidence);
	fputs("}}", o);
}

static void begin_write(struct export_ctx *c, const struct esync_ev_write_begin *b)
{
	const struct esync_format *f = esync_format_by_id(b->format);
	struct open_write *w = calloc(1, sizeof(*w));
	char dev[64], buf[2048];
	FILE *o;

	if (!w) {
		c->oom = true;
		return;
	}
	w->entry = b->entry;
	w->id = b->hdr.seq;
	w->iommu = b->hdr.iommu;
	w->format = b->format;
	w->quanta_bits = b->quanta_bits;
	w->num_quanta = b->num_quanta;
	w->words = b->words > ESYNC_EV_MAX_WORDS ? ESYNC_EV_MAX_WORDS : b->words;
	memcpy(w->cur, b->cur, w->words * sizeof(w->cur[0]));
	w->begin_ts = w->step_ts = w->last_ts = b->hdr.ts_ns;
	w->step = 1;
	w->head_f = open_memstream(&w->head, &w->head_len);
	w->body_f = open_memstream(&w->body, &w->body_len);
	if (!w->head_f || !w->body_f) {
		if (w->head_f)
			fclose(w->head_f);
		if (w->body_f)
			fclose(w->body_f);
		free(w->head);
		free(w->body);
		free(w);
		c->oom = true;
		return;
	}
	w->tid = track_of(c, b);
	esync_entry_dev_str(b->format, b->dev, b->sub, dev, sizeof(dev));
	o = w->head_f;
	fprintf(o, "\"seq\":\"%" PRIu64 "\",\"entry\":\"0x%" PRIx64 "\",\"format\":", w->id,
		(uint64_t)b->entry);
	put_str(o, f ? f->name : "unknown-format");
	fputs(",\"device\":", o);
	put_str(o, dev);
	fprintf(o, ",\"iommu\":%u,\"cpu\":%u,\"quanta_bits\":%u,\"old\":", w->iommu,
		(unsigned int)b->hdr.cpu, w->quanta_bits);
	put_entry(o, w, b->cur);
	fputs(",\"target\":", o);
	put_entry(o, w, b->target);
	if (f && f->words <= ESYNC_EV_MAX_WORDS) {
		uint64_t cur[ESYNC_FMT_MAX_WORDS] = { 0 }, tgt[ESYNC_FMT_MAX_WORDS] = { 0 };

		memcpy(cur, b->cur, f->words * sizeof(*cur));
		memcpy(tgt, b->target, f->words * sizeof(*tgt));
		esync_format_decode(f, cur, buf, sizeof(buf));
		fputs(",\"old_fields\":", o);
		put_str(o, buf);
		esync_format_decode(f, tgt, buf, sizeof(buf));
		fputs(",\"target_fields\":", o);
		put_str(o, buf);
		fputs(",\"changed\":", o);
		put_changed_fields(o, f, b->cur, b->target);
	}
	w->next = c->open;
	c->open = w;
}

static void store(struct export_ctx *c, struct open_write *w, const struct esync_ev_store *s)
{
	const struct esync_format *f = esync_format_by_id(w->format);
	uint64_t before[ESYNC_EV_MAX_WORDS];
	unsigned int i = s->index;
	FILE *o = w->body_f;

	memcpy(before, w->cur, sizeof(before));
	if (w->quanta_bits == 128 && 2 * i + 1 < w->words) {
		w->cur[2 * i] = s->new_lo;
		w->cur[2 * i + 1] = s->new_hi;
	} else if (w->quanta_bits != 128 && i < w->words) {
		w->cur[i] = w->quanta_bits == 32 ?
			(w->cur[i] & ~0xffffffffULL) | (s->new_lo & 0xffffffffu) : s->new_lo;
	}
	w->stores++;
	fprintf(o, ",\n{\"name\":\"store q%u\",\"ph\":\"i\",\"cat\":\"store\",\"s\":\"t\",\"pid\":%u,\"tid\":%u,\"ts\":",
		i, w->iommu, w->tid);
	put_us(o, s->hdr.ts_ns);
	fprintf(o, ",\"args\":{\"seq\":\"%" PRIu64 "\",\"step\":%u,\"quanta\":%u,\"old\":", w->id,
		w->step, i);
	if (w->quanta_bits == 128)
		fprintf(o, "\"0x%016" PRIx64 "%016" PRIx64 "\",\"new\":\"0x%016" PRIx64 "%016" PRIx64 "\"",
			(uint64_t)s->old_hi, (uint64_t)s->old_lo, (uint64_t)s->new_hi,
			(uint64_t)s->new_lo);
	else
		fprintf(o, "\"0x%016" PRIx64 "\",\"new\":\"0x%016" PRIx64 "\"",
			(uint64_t)s->old_lo, (uint64_t)s->new_lo);
	fputs(",\"fields\":", o);
	put_changed_fields(o, f, before, w->cur);
	fputs("}}", o);
}

static void on_event(struct export_ctx *c, const union esync_event *ev)
{
	struct open_write *w;
	struct esync_inv inv;
	char name[160];

	if (!c->have_t0) {
		c->have_t0 = true;
		c->t0 = ev->hdr.ts_ns;
	}
	switch (ev->hdr.kind) {
	case ESYNC_EV_WRITE_BEGIN:
		w = find_open(c, ev->begin.entry);
		if (w) {
			close_write(c, w, NULL, "a new write on the entry began before its end");
			remove_open(c, w);
		}
		if (keep_write(c, &ev->begin))
			begin_write(c, &ev->begin);
		break;
	case ESYNC_EV_STORE:
		w = find_open(c, ev->store.entry);
		if (w) {
			w->last_ts = ev->hdr.ts_ns;
			store(c, w, &ev->store);
		}
		break;
	case ESYNC_EV_SYNC:
		w = find_open(c, ev->sync.entry);
		if (w) {
			w->last_ts = ev->hdr.ts_ns;
			snprintf(name, sizeof(name), "step %u", w->step);
			step_span(w, name, w->step_ts, ev->hdr.ts_ns, true);
			w->step++;
			w->stores = 0;
			w->step_ts = ev->hdr.ts_ns;
		}
		break;
	case ESYNC_EV_WRITE_END:
		w = find_open(c, ev->end.entry);
		if (w) {
			close_write(c, w, &ev->end, NULL);
			remove_open(c, w);
		}
		break;
	case ESYNC_EV_SMMU_CMD:
	case ESYNC_EV_VTD_DESC:
	case ESYNC_EV_AMD_CMD:
	case ESYNC_EV_COMPLETION:
		if (!keep_cmd(c, ev))
			break;
		w = ev->hdr.seq ? find_open_id(c, ev->hdr.seq) : NULL;
		if (w)
			w->last_ts = ev->hdr.ts_ns;
		esync_inv_decode(ev, &inv);
		esync_inv_describe(&inv, name, sizeof(name));
		put_iommu_instant(c, ev, name, "command", 't');
		fprintf(c->out, ",\"args\":{\"seq\":\"%" PRIu64 "\",\"cpu\":%u}}",
			(uint64_t)ev->hdr.seq, (unsigned int)ev->hdr.cpu);
		break;
	case ESYNC_EV_FAULT: {
		struct esync_fault f;

		if (!in_time(c, ev->hdr.ts_ns))
			break;
		if (!esync_fault_decode(&ev->fault, &f))
			snprintf(name, sizeof(name), "fault (source %u)", ev->fault.source);
		else
			esync_fault_describe(&f, name, sizeof(name));
		/* the IOMMU's own report: an instant over its whole process */
		put_iommu_instant(c, ev, name, "fault", 'p');
		fprintf(c->out, ",\"args\":{\"raw\":[\"0x%" PRIx64 "\",\"0x%" PRIx64
			"\",\"0x%" PRIx64 "\",\"0x%" PRIx64 "\"]}}", ev->fault.raw[0],
			ev->fault.raw[1], ev->fault.raw[2], ev->fault.raw[3]);
		break;
	}
	case ESYNC_EV_LOST:
		if (!in_time(c, ev->hdr.ts_ns))
			break;
		/* 0: a damaged stretch of the dump, of records not known */
		if (ev->lost.lost)
			snprintf(name, sizeof(name), "%" PRIu64 " events lost",
				 (uint64_t)ev->lost.lost);
		else
			snprintf(name, sizeof(name), "damaged stretch skipped");
		put_iommu_instant(c, ev, name, "lost", 'p');
		fprintf(c->out, ",\"args\":{\"lost\":\"%" PRIu64 "\"}}", (uint64_t)ev->lost.lost);
		break;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void collect_hit(void *ctx, const struct esync_finding *fd)
{
	struct filter *f = ctx;

	if (!(f->check_mask & (1u << fd->check)))
		return;
	if (f->nhits == f->hcap) {
		size_t cap = f->hcap ? f->hcap * 2 : 256;
		void *p = realloc(f->hits, cap * sizeof(*f->hits));

		if (!p) {
			f->oom = true;
			return;
		}
		f->hits = p;
		f->hcap = cap;
	}
	f->hits[f->nhits++] = fd->seq;
}

static struct esync_engine *new_engine(const struct esync_dump_reader *r,
				       const struct esync_engine_sink *sink)
{
	uint32_t allowed = esync_dump_checks(&r->info);
	struct esync_engine *e = esync_engine_new(sink, &r->info.topo, allowed);

	if (e)
		esync_engine_set_input(e, r->info.flags);
	return e;
}

/* --check: the seqs of the writes with such a finding, sorted. */
static int prepass(const char *path, struct filter *f)
{
	struct esync_engine_sink sink = { .finding = collect_hit, .ctx = f };
	struct esync_dump_reader r;
	struct esync_engine *e;
	union esync_event ev;

	if (esync_dump_open(&r, path) < 0) {
		esync_err("%s", r.err);
		return -1;
	}
	e = new_engine(&r, &sink);
	if (!e) {
		esync_dump_close(&r);
		esync_err("export: out of memory");
		return -1;
	}
	while (esync_dump_next(&r, &ev) > 0)
		esync_engine_event(e, &ev);
	esync_engine_finish(e);
	esync_engine_free(e);
	esync_dump_close(&r);
	if (f->oom) {
		esync_err("export: out of memory");
		return -1;
	}
	qsort(f->hits, f->nhits, sizeof(*f->hits), cmp_u64);
	return 0;
}

static int parse_seconds(const char *opt, const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	if (end == s || *end || !isfinite(*v) || *v < 0) {
		esync_err("export: %s wants seconds after the first event (2.5), not '%s'", opt, s);
		return -1;
	}
	return 0;
}

static int run(int argc, char **argv)
{
	enum { O_CHROME = 256, O_FORCE, O_ENTRY, O_DEVICE, O_CHECK, O_FROM, O_TO };
	static const struct option opts[] = {
		{ "chrome", no_argument, NULL, O_CHROME },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, O_FORCE },
		{ "entry", required_argument, NULL, O_ENTRY },
		{ "device", required_argument, NULL, O_DEVICE },
		{ "check", required_argument, NULL, O_CHECK },
		{ "from", required_argument, NULL, O_FROM },
		{ "to", required_argument, NULL, O_TO },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct filter flt = { .to_s = INFINITY };
	struct export_ctx c = { .first = true, .flt = &flt };
	struct esync_engine_sink sink = { .finding = on_finding, .ctx = &c };
	const char *output = NULL;
	struct esync_dump_reader r;
	struct esync_engine *e;
	union esync_event ev;
	bool chrome = false, force = false;
	char msg[512], *end;
	int opt, rc, fd;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case O_CHROME:
			chrome = true;
			break;
		case 'o':
			output = optarg;
			break;
		case O_FORCE:
			force = true;
			break;
		case O_ENTRY:
			flt.by_entry = true;
			errno = 0;
			flt.entry = strtoull(optarg, &end, 16);
			if (errno || end == optarg || *end) {
				esync_err("export: --entry wants a hex address, not '%s'", optarg);
				return ESYNC_EXIT_INCOMPLETE;
			}
			break;
		case O_DEVICE:
			flt.by_dev = true;
			if (esync_devid_parse(optarg, &flt.dev) < 0) {
				errno = 0;
				flt.dev = (uint32_t)strtoul(optarg, &end, 0);
				if (errno || end == optarg || *end) {
					esync_err("export: --device wants 0000:02:01.0 or a number, not '%s'",
						  optarg);
					return ESYNC_EXIT_INCOMPLETE;
				}
			}
			break;
		case O_CHECK:
			for (char *save, *tok = strtok_r(optarg, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				int id = esync_check_parse(tok);

				if (id < 0) {
					esync_err("export: unknown check '%s'", tok);
					return ESYNC_EXIT_INCOMPLETE;
				}
				flt.check_mask |= 1u << id;
			}
			break;
		case O_FROM:
		case O_TO:
			if (parse_seconds(opt == O_FROM ? "--from" : "--to", optarg,
					  opt == O_FROM ? &flt.from_s : &flt.to_s) < 0)
				return ESYNC_EXIT_INCOMPLETE;
			flt.by_time = true;
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
	if (force && !output) {
		esync_err("export: --force goes with -o OUT");
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (flt.from_s > flt.to_s) {
		esync_err("export: --from is after --to");
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (flt.check_mask && prepass(argv[optind], &flt) < 0) {
		free(flt.hits);
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (esync_dump_open(&r, argv[optind]) < 0) {
		esync_err("%s", r.err);
		free(flt.hits);
		return ESYNC_EXIT_INCOMPLETE;
	}
	c.out = stdout;
	if (output) {
		fd = esync_open_output(output, force);
		if (fd < 0) {
			esync_output_explain(output, fd, msg, sizeof(msg));
			esync_err("export: %s", msg);
			esync_dump_close(&r);
			free(flt.hits);
			return ESYNC_EXIT_INCOMPLETE;
		}
		c.out = fdopen(fd, "w");
		if (!c.out)
			close(fd);
	}
	c.iommu_named = calloc(65536, sizeof(bool));
	e = new_engine(&r, &sink);
	if (!c.out || !c.iommu_named || !e) {
		esync_err("export: out of memory");
		if (output && c.out)
			fclose(c.out);
		esync_engine_free(e);
		free(c.iommu_named);
		free(flt.hits);
		esync_dump_close(&r);
		return ESYNC_EXIT_INCOMPLETE;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"esync_version\":", c.out);
	put_str(c.out, esync_version());
	fputs(",\"dump\":", c.out);
	put_str(c.out, argv[optind]);
	fputs(",\"kernel\":", c.out);
	put_str(c.out, r.info.kernel);
	if (r.info.header_damaged) {
		esync_err("warning: %s", r.header_warn);
		fputs(",\"header_damaged\":true", c.out);
	}
	fputs("},\"traceEvents\":[", c.out);
	while ((rc = esync_dump_next(&r, &ev)) > 0) {
		if (r.warn[0]) {
			esync_err("warning: %s", r.warn);
			r.warn[0] = 0;
		}
		/* The engine first: a write's findings go inside it */
		esync_engine_event(e, &ev);
		on_event(&c, &ev);
	}
	esync_engine_finish(e);
	while (c.open) {
		close_write(&c, c.open, NULL, rc < 0 ? "the dump is damaged after it" :
			    "the dump ends before its end");
		remove_open(&c, c.open);
	}
	fputs("\n]}\n", c.out);
	if (rc < 0)
		esync_err("warning: %s", r.err);
	if (c.oom)
		esync_err("export: out of memory: some events are missing");
	if (fflush(c.out) != 0 || ferror(c.out) || (output && fclose(c.out) != 0)) {
		esync_err("export: writing %s failed", output ? output : "stdout");
		rc = -1;
	}
	/* Damage skipped: the export is not whole */
	if (r.gaps || r.info.header_damaged)
		rc = -1;
	esync_engine_free(e);
	free(c.tracks);
	free(c.iommu_named);
	free(flt.hits);
	esync_dump_close(&r);
	return rc < 0 || c.oom ? ESYNC_EXIT_INCOMPLETE : 0;
}

const struct esync_cmd cmd_export = {
	.name = "export",
	.summary = "convert a dump to Chrome/Perfetto trace-event JSON",
	.run = run,
	.usage = usage,
};
