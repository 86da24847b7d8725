// SPDX-License-Identifier: GPL-2.0-only
/*
 * e2e-assert: verify a dump recorded in a QEMU guest against the
 * expectations of its case file (tests/e2e/cases/NAME.case), with esync's
 * own engine, and print TAP 13.
 *
 *   e2e-assert [--guest-tap FILE] CASE DUMP
 *
 * Case file lines ('#' starts a comment):
 *   scenario intel|amd|arm        the machine (read by e2e.sh)
 *   kernel patched|unpatched|mutant NAME|debian MODULE...
 *                                 the kernel (read by e2e.sh)
 *   clean                         no finding, nothing incomplete or lost,
 *                                 no fault
 *   kind FORMAT                   writes, stores, syncs and completed
 *                                 invalidations of FORMAT entries all > 0
 *   hitless FORMAT FIELD OLD NEW  a clean hitless write of a FORMAT entry
 *                                 whose FIELD goes from OLD to NEW
 *   finding CHECK TEXT            a CHECK finding on a TEXT entry (a format
 *                                 name), or whose device or evidence
 *                                 contains TEXT
 *   entries FORMAT N              at least N distinct FORMAT entries written
 *   command NAME                  at least one command NAME (INV_IOTLB_PAGES,
 *                                 ATC_INV, ...) in the dump
 *   aliases N                     a device with at least N DMA aliases in
 *                                 the dump's topology
 *   queue-slots                   VT-d descriptors and waits were traced,
 *                                 every one with its queue slot
 *   fault EVENT FORMAT            a fault EVENT (C_BAD_STE, IO_PAGE_FAULT,
 *                                 DMA_REMAP, ...) linked to a write of a
 *                                 FORMAT entry ("none": to no write)
 *
 * With --guest-tap, the TAP report 'esync check --tap' printed in the guest
 * must agree with this verification: same writes, same failing ones.
 * Per entry kind, the counts and classifications are printed as TAP
 * diagnostics. Exit status: 0 all points pass, 1 a point failed, 2 bad
 * usage or an unreadable case file or dump.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "engine.h"
#include "probe.h"

#define MAX_EXPECT	64
#define MAX_FORMATS	16
#define MAX_ENTRIES	512	/* distinct entries counted per format */

enum expect_type { E_CLEAN, E_KIND, E_HITLESS, E_FINDING, E_FAULT, E_ENTRIES,
		   E_COMMAND, E_ALIASES, E_SLOTS };

struct expect {
	enum expect_type type;
	int line;
	const struct esync_format *fmt;
	char field[64];
	uint64_t from, to;
	int check;
	char text[96];
	char event[64];
	unsigned long long n;
	uint64_t matched;	/* hitless writes, findings or faults that match */
};

struct kind_count {
	uint64_t writes, stores, syncs, invalidations;
	uint64_t how[3], incomplete, failing;
	uint64_t entry[MAX_ENTRIES];
	unsigned int nentries;
};

struct ctx {
	struct expect ex[MAX_EXPECT];
	unsigned int nex;
	struct kind_count kind[MAX_FORMATS];
	struct esync_finding *found;
	size_t nfound, cap;
	unsigned int nfaults;
	uint64_t failing_writes;
	unsigned int tap_n, tap_failed;
};

static void die_usage(void)
{
	fprintf(stderr, "usage: e2e-assert [--guest-tap FILE] CASE DUMP\n");
	exit(2);
}

static void point(struct ctx *c, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %u - ", ok ? "ok" : "not ok", ++c->tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	c->tap_failed += !ok;
}

static int parse_case(struct ctx *c, const char *path)
{
	char line[256], a[64], b[64], d[64];
	unsigned long long from, to;
	FILE *in = fopen(path, "r");
	int n = 0;

	if (!in) {
		fprintf(stderr, "e2e-assert: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		struct expect *e = &c->ex[c->nex];
		char *hash = strchr(line, '#');

		n++;
		if (hash)
			*hash = '\0';
		if (sscanf(line, "%63s", a) != 1)
			continue;
		/* what e2e.sh reads: the machine, the kernel, the tier */
		if (!strcmp(a, "scenario") || !strcmp(a, "kernel") ||
		    !strcmp(a, "extended"))
			continue;
		if (c->nex == MAX_EXPECT) {
			fprintf(stderr, "e2e-assert: %s:%d: more than %d expectations\n",
				path, n, MAX_EXPECT);
			goto bad;
		}
		memset(e, 0, sizeof(*e));
		e->line = n;
		if (!strcmp(a, "clean")) {
			e->type = E_CLEAN;
		} else if (sscanf(line, " kind %63s", b) == 1) {
			e->type = E_KIND;
			e->fmt = esync_format_by_name(b);
		} else if (sscanf(line, " hitless %63s %63s %lli %lli", b, d, &from, &to) == 4) {
			e->type = E_HITLESS;
			e->fmt = esync_format_by_name(b);
			snprintf(e->field, sizeof(e->field), "%s", d);
			e->from = from;
			e->to = to;
		} else if (sscanf(line, " entries %63s %llu", b, &e->n) == 2) {
			e->type = E_ENTRIES;
			e->fmt = esync_format_by_name(b);
		} else if (sscanf(line, " command %63s", e->text) == 1) {
			e->type = E_COMMAND;
		} else if (sscanf(line, " aliases %llu", &e->n) == 1) {
			e->type = E_ALIASES;
		} else if (!strcmp(a, "queue-slots")) {
			e->type = E_SLOTS;
		} else if (sscanf(line, " fault %63s %95s", e->event, e->text) == 2) {
			e->type = E_FAULT;
		} else if (sscanf(line, " finding %63s %95s", b, e->text) == 2) {
			e->type = E_FINDING;
			e->check = esync_check_parse(b);
			if (e->check < 0) {
				fprintf(stderr, "e2e-assert: %s:%d: unknown check '%s'\n", path, n, b);
				goto bad;
			}
		} else {
			fprintf(stderr, "e2e-assert: %s:%d: cannot read '%s'\n", path, n, a);
			goto bad;
		}
		if ((e->type == E_KIND || e->type == E_HITLESS || e->type == E_ENTRIES) &&
		    !e->fmt) {
			fprintf(stderr, "e2e-assert: %s:%d: unknown entry format '%s'\n", path, n, b);
			goto bad;
		}
		c->nex++;
	}
	fclose(in);
	if (!c->nex) {
		fprintf(stderr, "e2e-assert: %s: no expectation: a case must assert something\n", path);
		return -1;
	}
	return 0;
bad:
	fclose(in);
	return -1;
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct ctx *c = ctx;

	if (c->nfound == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		void *p = realloc(c->found, cap * sizeof(*c->found));

		if (!p) {
			fprintf(stderr, "e2e-assert: out of memory\n");
			exit(2);
		}
		c->found = p;
		c->cap = cap;
	}
	c->found[c->nfound++] = *f;
}

static void on_seq_done(void *ctx, const struct esync_seq *s)
{
	struct ctx *c = ctx;
	struct kind_count *k = &c->kind[s->format % MAX_FORMATS];

	k->writes++;
	k->stores += s->nr_stores;
	k->syncs += s->nr_sync_events;
	k->invalidations += s->nr_completed;
	if (s->ended && s->how < 3)
		k->how[s->how]++;
	else
		k->incomplete++;
	k->failing += !!s->reported;
	c->failing_writes += !!s->reported;
	{
		unsigned int j = 0;

		while (j < k->nentries && k->entry[j] != s->entry)
			j++;
		if (j == k->nentries && j < MAX_ENTRIES)
			k->entry[k->nentries++] = s->entry;
	}

	for (unsigned int i = 0; i < c->nex; i++) {
		struct expect *e = &c->ex[i];
		const struct esync_field *fo, *ft;

		if (e->type != E_HITLESS || e->fmt->id != s->format || !s->ended ||
		    s->how != ESYNC_HOW_HITLESS || s->reported)
			continue;
		fo = esync_format_field(e->fmt, s->cur, e->field);
		ft = esync_format_field(e->fmt, s->target, e->field);
		if (fo && ft && esync_field_get(fo, s->cur) == e->from &&
		    esync_field_get(ft, s->target) == e->to)
			e->matched++;
	}
}

static bool finding_matches(const struct esync_finding *f, const struct expect *e)
{
	const struct esync_format *fmt = esync_format_by_id(f->format);
	char dev[64];

	if ((int)f->check != e->check)
		return false;
	esync_entry_dev_str(f->format, f->dev, f->sub, dev, sizeof(dev));
	return (fmt && !strcmp(fmt->name, e->text)) || strstr(dev, e->text) ||
	       strstr(f->evidence, e->text);
}

/*
 * The guest's 'esync check --tap': its test points for writes (a skipped
 * check is a point of its own), and how many failed.
 */
static int read_guest_tap(const char *path, uint64_t *points, uint64_t *failed)
{
	char line[1024];
	FILE *in = fopen(path, "r");
	bool plan = false;

	if (!in)
		return -1;
	*points = *failed = 0;
	while (fgets(line, sizeof(line), in)) {
		int desc = 0;

		sscanf(line, "ok %*u - %n", &desc);
		/*
		 * A skipped check is a point of its own, not a write; a write
		 * no check could run on is a skipped point of its own ("seq")
		 */
		if (desc && strstr(line, " # SKIP ") && strncmp(line + desc, "seq ", 4)) {
			continue;
		} else if (!strncmp(line, "ok ", 3)) {
			++*points;
		} else if (!strncmp(line, "not ok ", 7)) {
			++*points;
			++*failed;
		} else if (!strncmp(line, "1..", 3)) {
			plan = true;
		}
	}
	fclose(in);
	return plan ? 0 : -1;
}

static void print_kinds(const struct ctx *c, const struct esync_stats *st)
{
	printf("# %" PRIu64 " events:", st->events);
	for (unsigned int k = 0; k < ESYNC_EV_NR_KINDS; k++)
		if (st->by_kind[k])
			printf(" %s %" PRIu64, esync_event_kind_name(k), st->by_kind[k]);
	printf("\n");
	for (unsigned int i = 0; i < MAX_FORMATS; i++) {
		const struct kind_count *k = &c->kind[i];
		const struct esync_format *f = esync_format_by_id(i);

		if (!k->writes)
			continue;
		printf("# %-10s %" PRIu64 " writes, %" PRIu64 " stores, %" PRIu64
		       " syncs, %" PRIu64 " completed invalidations; %" PRIu64
		       " hitless, %" PRIu64 " disruptive, %" PRIu64 " no change, %"
		       PRIu64 " incomplete; %" PRIu64 " with findings\n",
		       f ? f->name : "unknown", k->writes, k->stores, k->syncs,
		       k->invalidations, k->how[ESYNC_HOW_HITLESS],
		       k->how[ESYNC_HOW_DISRUPTIVE], k->how[ESYNC_HOW_NO_CHANGE],
		       k->incomplete, k->failing);
	}
}

/* Each fault: a diagnostic, and the fault expectations it meets */
static void on_fault(void *ctx, const struct esync_fault_link *l)
{
	struct ctx *c = ctx;
	const struct esync_format *f = esync_format_by_id(l->format);
	const char *name = l->fault.name ? l->fault.name : "?";

	if (++c->nfaults <= 20)
		esync_fault_print_text(stdout, l, l->findings, "#   ");
	for (unsigned int i = 0; i < c->nex; i++) {
		struct expect *e = &c->ex[i];

		if (e->type != E_FAULT || strcmp(e->event, name))
			continue;
		if (l->seq ? f && !strcmp(e->text, f->name) : !strcmp(e->text, "none"))
			e->matched++;
	}
}

int main(int argc, char **argv)
{
	static struct ctx c;
	struct esync_engine_sink sink = {
		.finding = on_finding, .seq_done = on_seq_done, .fault = on_fault,
		.ctx = &c,
	};
	const char *guest_tap = NULL, *case_path, *dump_path;
	const struct esync_stats *st;
	struct esync_dump_reader r;
	struct esync_engine *eng;
	union esync_event ev;
	uint64_t nfind = 0;
	unsigned int max_aliases = 0;
	int rc, argi = 1;

	if (argc > 2 && !strcmp(argv[1], "--guest-tap")) {
		guest_tap = argv[2];
		argi = 3;
	}
	if (argc - argi != 2)
		die_usage();
	case_path = argv[argi];
	dump_path = argv[argi + 1];
	if (parse_case(&c, case_path) < 0)
		return 2;

	printf("TAP version 13\n");
	if (esync_dump_open(&r, dump_path) < 0) {
		printf("not ok 1 - %s is readable\n#   %s\n1..1\n", dump_path, r.err);
		return 1;
	}
	eng = esync_engine_new(&sink, &r.info.topo, esync_dump_checks(&r.info));
	if (eng)
		esync_engine_set_input(eng, r.info.flags);
	if (!eng) {
		fprintf(stderr, "e2e-assert: out of memory\n");
		return 2;
	}
	for (unsigned int i = 0; i < r.info.topo.nr; i++)
		if (r.info.topo.sets[i].nr > max_aliases)
			max_aliases = r.info.topo.sets[i].nr;
	while ((rc = esync_dump_next(&r, &ev)) > 0) {
		struct esync_inv inv;

		if (ev.hdr.kind == ESYNC_EV_TOPOLOGY && ev.topo.nr > max_aliases)
			max_aliases = ev.topo.nr;
		if (esync_inv_decode(&ev, &inv))
			for (unsigned int i = 0; i < c.nex; i++) {
				if (c.ex[i].type == E_COMMAND &&
				    !strcmp(c.ex[i].text, esync_inv_name(&inv)))
					c.ex[i].matched++;
				if (c.ex[i].type == E_SLOTS && inv.family == ESYNC_FAMILY_VTD) {
					c.ex[i].n++;
					c.ex[i].matched += inv.slot != 0;
				}
			}
		esync_engine_event(eng, &ev);
	}
	esync_engine_finish(eng);
	st = esync_engine_stats(eng);
	point(&c, rc == 0, "%s: %" PRIu64 " events, %" PRIu64 " writes, read whole",
	      dump_path, st->events, st->seqs);
	if (rc < 0)
		printf("#   %s\n", r.err);
	print_kinds(&c, st);
	for (size_t i = 0; i < c.nfound && i < 20; i++) {
		printf("#   ");
		esync_finding_print_text(stdout, &c.found[i]);
	}
	for (unsigned int k = 0; k < ESYNC_CHK_INCOMPLETE; k++)
		nfind += st->findings[k];

	for (unsigned int i = 0; i < c.nex; i++) {
		struct expect *e = &c.ex[i];
		const struct kind_count *k;

		switch (e->type) {
		case E_CLEAN:
			/* A damaged stretch is a gap, not a count of lost events */
			point(&c, !nfind && !st->findings[ESYNC_CHK_INCOMPLETE] &&
			      !st->lost && !r.gaps && !r.info.header_damaged && rc == 0 &&
			      !st->faults,
			      "clean: %" PRIu64 " findings, %" PRIu64 " incomplete writes, %"
			      PRIu64 " events lost, %" PRIu64 " damaged stretches%s, %" PRIu64
			      " faults", nfind, st->findings[ESYNC_CHK_INCOMPLETE], st->lost,
			      r.gaps, r.info.header_damaged ? ", damaged header" : "",
			      st->faults);
			break;
		case E_KIND:
			k = &c.kind[e->fmt->id % MAX_FORMATS];
			point(&c, k->writes && k->stores && k->syncs && k->invalidations,
			      "%s: %" PRIu64 " writes, %" PRIu64 " stores, %" PRIu64
			      " syncs, %" PRIu64 " completed invalidations, none zero",
			      e->fmt->name, k->writes, k->stores, k->syncs, k->invalidations);
			break;
		case E_HITLESS:
			point(&c, e->matched, "%s %s 0x%" PRIx64 " -> 0x%" PRIx64
			      ": %" PRIu64 " clean hitless writes", e->fmt->name, e->field,
			      e->from, e->to, e->matched);
			break;
		case E_FINDING:
			for (size_t j = 0; j < c.nfound; j++)
				e->matched += finding_matches(&c.found[j], e);
			point(&c, e->matched, "%s naming '%s': %" PRIu64 " findings",
			      esync_check_name(e->check), e->text, e->matched);
			break;
		case E_ENTRIES:
			k = &c.kind[e->fmt->id % MAX_FORMATS];
			point(&c, k->nentries >= e->n, "%s: %u distinct entries written, %llu wanted",
			      e->fmt->name, k->nentries, e->n);
			break;
		case E_COMMAND:
			point(&c, e->matched, "command %s: %" PRIu64 " in the dump", e->text,
			      e->matched);
			break;
		case E_ALIASES:
			point(&c, max_aliases >= e->n, "a device with %u DMA aliases, %llu wanted",
			      max_aliases, e->n);
			break;
		case E_SLOTS:
			point(&c, e->n && e->matched == e->n,
			      "VT-d queue slots: %" PRIu64 " of %llu descriptors and waits carry one",
			      e->matched, e->n);
			break;
		case E_FAULT:
			point(&c, e->matched, "fault %s linked to %s%s: %" PRIu64 " faults",
			      e->event, strcmp(e->text, "none") ? "a write of an " : "",
			      e->text, e->matched);
			break;
		}
	}

	if (guest_tap) {
		uint64_t points, failed;

		if (read_guest_tap(guest_tap, &points, &failed) < 0)
			point(&c, false, "the guest's TAP report %s is whole", guest_tap);
		else
			point(&c, points == st->seqs && failed == c.failing_writes,
			      "the guest's esync check agrees: %" PRIu64 "/%" PRIu64
			      " writes failing there, %" PRIu64 "/%" PRIu64 " here",
			      failed, points, c.failing_writes, st->seqs);
	}
	printf("1..%u\n", c.tap_n);
	esync_engine_free(eng);
	esync_dump_close(&r);
	free(c.found);
	return c.tap_failed ? 1 : 0;
}
