// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync show: the timeline of each write in a dump, grouped by write: every
 * store with the fields it changed, every sync and command, how the write
 * went and what the checks found.  Lines of a write are kept until the
 * engine says the write is done, then printed together.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dump.h"
#include "engine.h"
#include "probe.h"

struct shown {
	uint64_t entry, id;
	uint16_t iommu;
	const struct esync_format *f;
	uint64_t now[ESYNC_EV_MAX_WORDS];
	unsigned int qwords, step;
	char *text;
	size_t len;
	FILE *out;
	bool keep;		/* passes the filters */
	struct shown *next;
};

struct show_ctx {
	struct shown *open;
	uint64_t t0;
	bool have_t0;
	/* filters */
	bool by_entry, by_dev;
	uint64_t entry;
	uint32_t dev;
	uint32_t check_mask;	/* 0: any write; else writes with these findings */
	/* --check: the writes that have a matching finding (first pass) */
	uint64_t *hits;
	size_t nhits, caphits;
	bool pass_one;
	/* --fault N: that fault and the write it is linked to (first pass) */
	uint64_t fault_nr;
	bool fault_found;
	uint64_t fault_seq, fault_entry;
	uint64_t nfaults;
	/*
	 * Faults in input order, each printed once the write it is linked to
	 * is done, with the findings that write got after the fault too (as
	 * 'esync check' reports them).
	 */
	struct held_fault {
		struct esync_fault_link l;
		struct esync_ev_fault ev;
		bool done;	/* its write is done, or it has none */
	} *held;
	size_t nheld, capheld;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync show [--entry ADDR] [--device DEV] [--check CHECKS] FILE\n"
		"       esync show --fault N FILE\n"
		"       esync show --summary FILE\n\n"
		"Print the timeline of every entry update in a dump: the stores with\n"
		"the fields each changed, the syncs and invalidation commands, how the\n"
		"write went and the findings of the checks; each fault the IOMMU reported,\n"
		"with the write it is linked to.  --summary: one line per entry instead,\n"
		"its writes by kind and the checks that found something.\n\n"
		"Options:\n"
		"  --summary        one line per entry\n"
		"  --entry ADDR     only the entry at this kernel address (hex)\n"
		"  --device DEV     only this device: 0000:02:01.0, 02:01.0 or a number\n"
		"                   (StreamID, requester ID, DeviceID)\n"
		"  --check CHECKS   only writes with findings of these checks (H1,A1,...)\n"
		"  --fault N        the Nth fault of the dump and the timeline of the write\n"
		"                   it is linked to (the one open on the entry it names, or\n"
		"                   the last before it)\n"
		"  -h, --help       this text\n\n"
		"EXAMPLES\n"
		"  esync show trace.dump\n"
		"  esync show --summary trace.dump\n"
		"  esync show --device 02:01.0 --check A1 amd.dump\n"
		"  esync show --fault 1 arm.dump\n"
		"  esync show --entry 0xffff000040001000 arm.dump | less\n");
}

static struct shown *find(struct show_ctx *c, uint64_t entry)
{
	for (struct shown *s = c->open; s; s = s->next)
		if (s->entry == entry)
			return s;
	return NULL;
}

static double rel(struct show_ctx *c, uint64_t ts)
{
	if (!c->have_t0) {
		c->t0 = ts;
		c->have_t0 = true;
	}
	return (double)(ts - c->t0) / 1e9;
}

static bool is_hit(const struct show_ctx *c, uint64_t id, uint64_t entry)
{
	for (size_t i = 0; i + 1 < c->nhits; i += 2)
		if (c->hits[i] == id && c->hits[i + 1] == entry)
			return true;
	return false;
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct show_ctx *c = ctx;
	struct shown *s;

	if (c->pass_one) {
		if (!(c->check_mask & (1u << f->check)))
			return;
		if (c->nhits + 2 > c->caphits) {
			size_t cap = c->caphits ? c->caphits * 2 : 64;
			void *p = realloc(c->hits, cap * sizeof(*c->hits));

			if (!p)
				return;
			c->hits = p;
			c->caphits = cap;
		}
		c->hits[c->nhits++] = f->seq;
		c->hits[c->nhits++] = f->entry;
		return;
	}
	for (size_t i = 0; i < c->nheld; i++)
		if (c->held[i].l.seq == f->seq && c->held[i].l.entry == f->entry)
			c->held[i].l.findings |= 1u << f->check;
	s = find(c, f->entry);
	if (s && s->out) {
		fprintf(s->out, "  !! ");
		esync_finding_print_text(s->out, f);
	}
}

static void print_fault(const struct esync_fault_link *l)
{
	esync_fault_print_text(stdout, l, l->findings, "");
	fputc('\n', stdout);
}

/* Prints held faults in order up to the first whose write is not done (all: each) */
static void release_faults(struct show_ctx *c, bool all)
{
	size_t n;

	for (n = 0; n < c->nheld && (all || c->held[n].done); n++) {
		c->held[n].l.ev = &c->held[n].ev;
		print_fault(&c->held[n].l);
	}
	if (!n)
		return;
	memmove(c->held, c->held + n, (c->nheld - n) * sizeof(*c->held));
	c->nheld -= n;
}

static void on_fault(void *ctx, const struct esync_fault_link *l)
{
	struct show_ctx *c = ctx;
	struct shown *s = NULL;
	char what[160];

	c->nfaults = l->nr;
	if (c->pass_one) {
		if (l->nr == c->fault_nr) {
			c->fault_found = true;
			c->fault_seq = l->seq;
			c->fault_entry = l->entry;
		}
		return;
	}
	/* The write the engine linked it to, if its timeline is still open */
	for (s = l->seq ? c->open : NULL; s; s = s->next)
		if (s->id == l->seq && s->entry == l->entry)
			break;
	if (s && s->out) {
		esync_fault_describe(&l->fault, what, sizeof(what));
		fprintf(s->out, "  %12.6f FAULT   %" PRIu64 ": %s\n",
			rel(c, l->ev->hdr.ts_ns), l->nr, what);
	}
	if (c->fault_nr && l->nr != c->fault_nr)
		return;
	if (c->nheld == c->capheld) {
		size_t cap = c->capheld ? c->capheld * 2 : 16;
		void *p = realloc(c->held, cap * sizeof(*c->held));

		if (!p) {
			print_fault(l);
			return;
		}
		c->held = p;
		c->capheld = cap;
	}
	/* No write, or one already done: its verdict is final */
	c->held[c->nheld].l = *l;
	c->held[c->nheld].ev = *l->ev;
	c->held[c->nheld].done = !s;
	c->nheld++;
	release_faults(c, false);
}

static void on_done(void *ctx, const struct esync_seq *seq)
{
	struct show_ctx *c = ctx;
	struct shown **pp, *s;

	/* The faults linked to this write: now with its final verdict */
	for (size_t i = 0; i < c->nheld; i++)
		if (seq->id && c->held[i].l.seq == seq->id && c->held[i].l.entry == seq->entry)
			c->held[i].done = true;
	release_faults(c, false);
	for (pp = &c->open; *pp; pp = &(*pp)->next)
		if ((*pp)->entry == seq->entry)
			break;
	s = *pp;
	if (!s)
		return;
	*pp = s->next;
	if (s->out) {
		fclose(s->out);
		if (s->keep)
			fwrite(s->text, 1, s->len, stdout), fputc('\n', stdout);
		free(s->text);
	}
	free(s);
}

static void show_begin(struct show_ctx *c, const struct esync_ev_write_begin *b)
{
	struct shown *s = calloc(1, sizeof(*s));
	char dev[64], dec[400], seq[ESYNC_NAME_LEN], entry[ESYNC_NAME_LEN];

	if (!s)
		return;
	s->entry = b->entry;
	s->id = b->hdr.seq;
	s->iommu = b->hdr.iommu;
	s->f = esync_format_by_id(b->format);
	s->qwords = b->quanta_bits == 128 ? 2 : 1;
	s->step = 1;
	memcpy(s->now, b->cur, sizeof(s->now));
	s->keep = (!c->by_entry || c->entry == b->entry) &&
		  (!c->by_dev || c->dev == b->dev) &&
		  (!c->check_mask || is_hit(c, b->hdr.seq, b->entry)) &&
		  (!c->fault_nr || (c->fault_seq == b->hdr.seq && c->fault_entry == b->entry));
	s->next = c->open;
	c->open = s;
	if (c->pass_one || !s->keep)
		return;
	s->out = open_memstream(&s->text, &s->len);
	if (!s->out)
		return;
	esync_entry_dev_str(b->format, b->dev, b->sub, dev, sizeof(dev));
	fprintf(s->out, "seq %s %s entry%s (%s) iommu %u, %ux%u-bit quanta, V in %u\n",
		esync_seq_str(b->hdr.seq, seq), s->f ? s->f->name : "unknown-format",
		esync_entry_str(b->entry, entry), dev,
		b->hdr.iommu, b->num_quanta, b->quanta_bits, b->vbit_quanta);
	if (s->f && b->words <= ESYNC_EV_MAX_WORDS) {
		esync_format_decode(s->f, b->cur, dec, sizeof(dec));
		fprintf(s->out, "  %12.6f begin   old:    %s\n", rel(c, b->hdr.ts_ns), dec);
		if (b->hdr.flags & ESYNC_EVF_TARGET_AT_END) {
			fprintf(s->out, "  %12s         target: not given by the stock writer (judged against the entry it leaves)\n",
				"");
			return;
		}
		esync_format_decode(s->f, b->target, dec, sizeof(dec));
		fprintf(s->out, "  %12s         target: %s\n", "", dec);
	}
}

static void show_store(struct show_ctx *c, const struct esync_ev_store *st)
{
	struct shown *s = find(c, st->entry);
	uint64_t before[ESYNC_EV_MAX_WORDS];
	char diff[300] = "";
	unsigned int w;

	if (!s)
		return;
	w = st->index * s->qwords;
	if (w + s->qwords > ESYNC_EV_MAX_WORDS)
		return;
	memcpy(before, s->now, sizeof(before));
	s->now[w] = st->new_lo;
	if (s->qwords > 1)
		s->now[w + 1] = st->new_hi;
	if (!s->out)
		return;
	if (s->f)
		esync_format_diff(s->f, before, s->now, NULL, diff, sizeof(diff));
	if (s->qwords > 1)
		fprintf(s->out, "  %12.6f store   step %u q%u 0x%016" PRIx64 "%016" PRIx64 " -> 0x%016" PRIx64 "%016" PRIx64 "  [%s]\n",
			rel(c, st->hdr.ts_ns), s->step, st->index, st->old_hi,
			st->old_lo, st->new_hi, st->new_lo, diff);
	else
		fprintf(s->out, "  %12.6f store   step %u q%u 0x%016" PRIx64 " -> 0x%016" PRIx64 "  [%s]\n",
			rel(c, st->hdr.ts_ns), s->step, st->index, st->old_lo,
			st->new_lo, diff);
}

static const char *how_name(unsigned int how)
{
	return how == ESYNC_HOW_NO_CHANGE ? "no change" :
	       how == ESYNC_HOW_HITLESS ? "hitless" :
	       how == ESYNC_HOW_DISRUPTIVE ? "disruptive" :
	       how == ESYNC_HOW_FAILED ? "stopped at a failed sync" : "?";
}

static void show_event(struct show_ctx *c, const union esync_event *ev)
{
	struct shown *s;
	struct esync_inv inv;
	char cmd[96];

	switch (ev->hdr.kind) {
	case ESYNC_EV_STORE:
		show_store(c, &ev->store);
		break;
	case ESYNC_EV_SYNC:
		s = find(c, ev->sync.entry);
		if (s) {
			s->step = ev->sync.step + 1;
			if (s->out)
				fprintf(s->out, "  %12.6f sync    end of step %u\n",
					rel(c, ev->hdr.ts_ns), ev->sync.step);
		}
		break;
	case ESYNC_EV_WRITE_END:
		s = find(c, ev->end.entry);
		if (s && s->out)
			fprintf(s->out, "  %12.6f end     %s, %u critical %s, %u syncs, final %s the entry the stores rebuilt\n",
				rel(c, ev->hdr.ts_ns), how_name(ev->end.how),
				ev->end.nr_critical, ev->end.nr_critical == 1 ? "quantum" : "quanta",
				ev->end.nr_syncs,
				memcmp(ev->end.final, s->now, sizeof(s->now)) ? "!=" : "==");
		break;
	case ESYNC_EV_SMMU_CMD:
	case ESYNC_EV_VTD_DESC:
	case ESYNC_EV_AMD_CMD:
	case ESYNC_EV_COMPLETION:
		esync_inv_decode(ev, &inv);
		esync_inv_describe(&inv, cmd, sizeof(cmd));
		for (s = c->open; s; s = s->next)
			if (s->out && s->iommu == ev->hdr.iommu)
				fprintf(s->out, "  %12.6f cmd     %s\n",
					rel(c, ev->hdr.ts_ns), cmd);
		break;
	case ESYNC_EV_LOST:
		for (s = c->open; s; s = s->next) {
			if (!s->out)
				continue;
			/* 0: a damaged stretch of the dump, of records not known */
			if (ev->lost.lost)
				fprintf(s->out, "  %12.6f LOST    %" PRIu64 " event%s dropped\n",
					rel(c, ev->hdr.ts_ns), ev->lost.lost,
					ev->lost.lost == 1 ? "" : "s");
			else
				fprintf(s->out, "  %12.6f LOST    a damaged stretch of the dump skipped (at least one record)\n",
					rel(c, ev->hdr.ts_ns));
		}
		break;
	}
}

static int pass(struct show_ctx *c, const char *path, bool one)
{
	struct esync_engine_sink sink = { .finding = on_finding, .seq_done = on_done,
					  .fault = on_fault, .ctx = c };
	struct esync_dump_reader r;
	struct esync_engine *e;
	union esync_event ev;
	int rc;

	c->pass_one = one;
	c->have_t0 = false;
	c->nfaults = 0;
	if (esync_dump_open(&r, path) < 0) {
		esync_err("%s", r.err);
		return -1;
	}
	e = esync_engine_new(&sink, &r.info.topo, esync_dump_checks(&r.info));
	if (e)
		esync_engine_set_input(e, r.info.flags);
	if (!e) {
		esync_dump_close(&r);
		return -1;
	}
	if (!one) {
		if (r.info.header_damaged)
			esync_err("warning: %s", r.header_warn);
		printf("# %s: recorded on %s, kernel %s, %s mode%s\n", path,
		       r.info.host[0] ? r.info.host : "?",
		       r.info.kernel[0] ? r.info.kernel : "?",
		       r.info.mode == ESYNC_MODE_PATCHED ? "patched" :
		       r.info.mode == ESYNC_MODE_LEGACY ? "legacy" : "unknown",
		       r.info.header_damaged ? " (header damaged: these may be wrong)" : "");
	}
	while ((rc = esync_dump_next(&r, &ev)) > 0) {
		/* A damaged stretch skipped: said once, in the pass that prints */
		if (r.warn[0]) {
			if (!one)
				esync_err("warning: %s", r.warn);
			r.warn[0] = 0;
		}
		/* The begin finishes older writes first, so it goes after */
		if (ev.hdr.kind != ESYNC_EV_WRITE_BEGIN)
			show_event(c, &ev);
		esync_engine_event(e, &ev);
		if (ev.hdr.kind == ESYNC_EV_WRITE_BEGIN)
			show_begin(c, &ev.begin);
	}
	if (rc < 0 && !one)
		esync_err("warning: %s", r.err);
	/* Something is missing: the timeline is not whole */
	if (r.gaps || r.info.header_damaged)
		rc = -1;
	esync_engine_finish(e);
	/* Anything the engine never opened (orphans) */
	while (c->open) {
		struct esync_seq fake = { .entry = c->open->entry };

		on_done(c, &fake);
	}
	release_faults(c, true);
	esync_engine_free(e);
	esync_dump_close(&r);
	return rc < 0 ? 1 : 0;
}

static bool amd_format(unsigned int f)
{
	return f == ESYNC_FMT_AMD_DTE || f == ESYNC_FMT_AMD_IRTE ||
	       f == ESYNC_FMT_AMD_IRTE32;
}

/* --summary: one line per entry, in order of first write */
struct entry_sum {
	uint64_t entry;
	uint16_t format, iommu;
	uint32_t dev, sub;
	uint64_t writes, how[ESYNC_HOW_FAILED + 1], incomplete, stores, syncs, failing;
	uint64_t whole;		/* writes whose data was whole */
	uint32_t checks;	/* bit per check that found something */
	uint32_t judged;	/* bit per check that judged one of its writes */
	uint32_t hnext;		/* next index + 1 in the bucket, 0 ends */
};

#define SUM_BUCKETS 4096

struct sum_ctx {
	uint32_t head[SUM_BUCKETS];	/* first index + 1, 0: empty */
	struct entry_sum *all;		/* by first write */
	size_t nr, cap;
	uint32_t mask;			/* the checks the engine runs */
	uint32_t judged;		/* bit per check that judged some write */
	bool oom;
};

static struct entry_sum *sum_get(struct sum_ctx *c, uint64_t entry)
{
	size_t b = (size_t)((entry >> 4) * 0x9e3779b97f4a7c15ULL >> 52) % SUM_BUCKETS;
	struct entry_sum *e;

	for (uint32_t i = c->head[b]; i; i = c->all[i - 1].hnext)
		if (c->all[i - 1].entry == entry)
			return &c->all[i - 1];
	if (c->nr == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct entry_sum *p = realloc(c->all, cap * sizeof(*p));

		if (!p) {
			c->oom = true;
			return NULL;
		}
		c->all = p;
		c->cap = cap;
	}
	e = &c->all[c->nr++];
	memset(e, 0, sizeof(*e));
	e->entry = entry;
	e->hnext = c->head[b];
	c->head[b] = (uint32_t)c->nr;
	return e;
}

static void sum_finding(void *ctx, const struct esync_finding *f)
{
	struct entry_sum *e = sum_get(ctx, f->entry);

	if (e)
		e->checks |= 1u << f->check;
}

static void sum_done(void *ctx, const struct esync_seq *s)
{
	struct sum_ctx *c = ctx;
	struct entry_sum *e = sum_get(c, s->entry);

	if (!e)
		return;
	if (!s->incomplete) {
		e->whole++;
		e->judged |= esync_seq_checks(s, c->mask);
		c->judged |= e->judged;
	}
	e->format = s->format;
	e->iommu = s->iommu;
	e->dev = s->dev;
	e->sub = s->sub;
	e->writes++;
	if (s->ended && s->how <= ESYNC_HOW_FAILED)
		e->how[s->how]++;
	else
		e->incomplete++;
	e->stores += s->nr_stores;
	e->syncs += s->nr_completed;
	e->failing += !!s->reported;
}

static int summary(const char *path)
{
	struct sum_ctx *c = calloc(1, sizeof(*c));
	struct esync_engine_sink sink = { .finding = sum_finding, .seq_done = sum_done, .ctx = c };
	struct esync_dump_reader r;
	struct esync_engine *eng;
	union esync_event ev;
	int rc;

	if (!c || esync_dump_open(&r, path) < 0) {
		esync_err("%s", c ? r.err : "show: out of memory");
		free(c);
		return -1;
	}
	c->mask = esync_dump_checks(&r.info);
	eng = esync_engine_new(&sink, &r.info.topo, c->mask);
	if (eng)
		esync_engine_set_input(eng, r.info.flags);
	if (!eng) {
		esync_dump_close(&r);
		free(c);
		return -1;
	}
	if (r.info.header_damaged)
		esync_err("warning: %s", r.header_warn);
	while ((rc = esync_dump_next(&r, &ev)) > 0) {
		if (r.warn[0]) {
			esync_err("warning: %s", r.warn);
			r.warn[0] = 0;
		}
		esync_engine_event(eng, &ev);
	}
	if (rc < 0)
		esync_err("warning: %s", r.err);
	esync_engine_finish(eng);
	printf("# %s: %zu entries\n", path, c->nr);
	for (size_t i = 0; i < c->nr; i++) {
		const struct entry_sum *e = &c->all[i];
		const struct esync_format *f = esync_format_by_id(e->format);
		char dev[64];

		esync_entry_dev_str(e->format, e->dev, e->sub, dev, sizeof(dev));
		printf("%-10s %-26s iommu %u  %3" PRIu64 " write%s: %" PRIu64 " hitless, %"
		       PRIu64 " disruptive, %" PRIu64 " no change%s%s; %" PRIu64
		       " stores, %" PRIu64 " syncs; ",
		       f ? f->name : "?", dev, e->iommu, e->writes, e->writes == 1 ? " " : "s",
		       e->how[ESYNC_HOW_HITLESS], e->how[ESYNC_HOW_DISRUPTIVE],
		       e->how[ESYNC_HOW_NO_CHANGE],
		       e->how[ESYNC_HOW_FAILED] ? ", some stopped at a failed sync" : "",
		       e->incomplete ? ", some incomplete" : "", e->stores, e->syncs);
		if (!e->checks) {
			/*
			 * Clean only if every check that applies to it ran.  A1
			 * and U1 are judged over the input, as 'esync check'
			 * does: a device without DMA aliases has no alias set,
			 * and the used bits come with the kernel's events
			 */
			uint32_t input = 1u << ESYNC_CHK_A1 | 1u << ESYNC_CHK_U1;
			uint32_t skipped = ESYNC_ALL_CHECKS & ~(1u << ESYNC_CHK_INCOMPLETE) &
					   ~(e->judged | (c->judged & input));

			if (!amd_format(e->format))
				skipped &= ~(1u << ESYNC_CHK_A1);
			if (!e->whole) {
				printf("not checked: no write was whole\n");
			} else if (skipped) {
				printf("no finding, but not clean: skipped");
				for (unsigned int k = 0; k < ESYNC_CHK_NR; k++)
					if (skipped & (1u << k))
						printf(" %s", esync_check_name(k));
				printf(" ('esync check' says why)\n");
			} else {
				printf("%s\n", e->incomplete ? "no finding in the whole writes" : "clean");
			}
			continue;
		}
		printf("%" PRIu64 " with findings:", e->failing);
		for (unsigned int k = 0; k < ESYNC_CHK_NR; k++)
			if (e->checks & (1u << k))
				printf(" %s", esync_check_name(k));
		printf("\n");
	}
	esync_engine_free(eng);
	rc = rc < 0 || r.gaps || r.info.header_damaged || c->oom ? 1 : 0;
	esync_dump_close(&r);
	free(c->all);
	free(c);
	return rc;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "entry", required_argument, NULL, 'e' },
		{ "device", required_argument, NULL, 'd' },
		{ "check", required_argument, NULL, 'c' },
		{ "summary", no_argument, NULL, 's' },
		{ "fault", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct show_ctx c = { 0 };
	bool sum = false;
	char *end;
	int opt, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			c.by_entry = true;
			c.entry = strtoull(optarg, &end, 16);
			if (*end) {
				esync_err("show: --entry wants a hex address, not '%s'", optarg);
				return ESYNC_EXIT_INCOMPLETE;
			}
			break;
		case 'd':
			c.by_dev = true;
			if (esync_devid_parse(optarg, &c.dev) < 0) {
				c.dev = (uint32_t)strtoul(optarg, &end, 0);
				if (*end) {
					esync_err("show: --device wants 0000:02:01.0 or a number, not '%s'",
						  optarg);
					return ESYNC_EXIT_INCOMPLETE;
				}
			}
			break;
		case 'c':
			for (char *tok = strtok(optarg, ","); tok; tok = strtok(NULL, ",")) {
				int id = esync_check_parse(tok);

				if (id < 0) {
					esync_err("show: unknown check '%s'", tok);
					return ESYNC_EXIT_INCOMPLETE;
				}
				c.check_mask |= 1u << id;
			}
			break;
		case 's':
			sum = true;
			break;
		case 'f':
			c.fault_nr = strtoull(optarg, &end, 0);
			if (*end || !c.fault_nr) {
				esync_err("show: --fault wants a fault number from 1, not '%s'",
					  optarg);
				return ESYNC_EXIT_INCOMPLETE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return ESYNC_EXIT_INCOMPLETE;
		}
	}
	if (argc - optind != 1) {
		esync_err("show: give one dump file; see 'esync show --help'");
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (sum) {
		rc = summary(argv[optind]);
		return rc ? ESYNC_EXIT_INCOMPLETE : 0;
	}
	if ((c.check_mask || c.fault_nr) && pass(&c, argv[optind], true) < 0)
		return ESYNC_EXIT_INCOMPLETE;
	if (c.fault_nr && !c.fault_found) {
		esync_err("show: %s has %" PRIu64 " fault%s, no fault %" PRIu64
			  " ('esync check' lists them)", argv[optind], c.nfaults,
			  c.nfaults == 1 ? "" : "s", c.fault_nr);
		return ESYNC_EXIT_INCOMPLETE;
	}
	rc = pass(&c, argv[optind], false);
	free(c.hits);
	free(c.held);
	return rc ? ESYNC_EXIT_INCOMPLETE : 0;
}

const struct esync_cmd cmd_show = {
	.name = "show",
	.summary = "per-entry timeline of stores, syncs and commands in a dump",
	.run = run,
	.usage = usage,
};
