// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync check: verify the entry updates in dump files.  Text, JSON Lines
 * (one record per finding, skipped check and input) or TAP (one test point
 * per write).  Every check ends as "ran", "skipped" (with the reason) or
 * "not applicable"; an input is clean only when every applicable check ran
 * and found nothing.
 */
#define _GNU_SOURCE	/* memfd_create, open_memstream */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "dump_ahead.h"
#include "engine.h"
#include "perf_import.h"
#include "probe.h"

enum out_mode { OUT_TEXT, OUT_JSON, OUT_TAP };

struct group;

struct check_ctx {
	enum out_mode mode;
	const char *file;	/* the input's name, as the user gave it */
	FILE *out;		/* where findings and test points go */
	size_t max_open;
	uint32_t mask;		/* the checks asked for (--only) */
	uint32_t engine_mask;	/* ... that the input supports: the engine's */
	bool prefix;		/* several files: name each */
	bool stats;		/* --stats */
	bool verbose;		/* -v: every finding, not grouped */
	struct group **gtab, **order;	/* text: repeated findings */
	size_t gcap, ngroups, ocap;
	unsigned long tap_n;
	/* TAP: findings of writes still open, printed with their test point */
	struct esync_finding *pending;
	size_t npending, cap;
	/*
	 * Faults of the input, printed after its findings, with the verdict
	 * of the write each is linked to (findings may come after the fault:
	 * linked writes are in a small hash by seq).
	 */
	struct fault_rec {
		struct esync_fault_link l;
		struct esync_ev_fault ev;
	} *faults;
	size_t nfaults, fcap;
	struct linked {
		uint64_t seq;
		uint16_t iommu;
		uint32_t findings;
	} *ltab;
	size_t lcap, nlinked;
	bool unreadable;	/* an input could not be read at all */
};

/* What became of each check on one input. */
enum check_state { CHK_RAN, CHK_SKIPPED, CHK_NA };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync check [--json | --tap] [--only CHECKS] [-q] FILE... | --perf FILE\n\n"
		"Rebuild every entry update recorded in the dump files and verify it:\n"
		"  H1 torn view           a reachable mix of old and new quanta is valid\n"
		"                         but behaves like neither entry\n"
		"  H2 needless disruption the entry went non-valid though a hitless\n"
		"                         update existed\n"
		"  H3 wrong end state     final entry != target, or target sets unused bits\n"
		"  H4 unsafe disruption   a reachable non-valid entry lets DMA through\n"
		"                         (AMD DTE V=0) where old and target do not\n"
		"  H5 foreign store       the entry changed outside the traced writer\n"
		"  F1 missing sync        a step's stores began before the previous ones\n"
		"                         were invalidated and completed, or a completion\n"
		"                         failed\n"
		"  F2 wrong target        the invalidation issued misses the entry\n"
		"  F3 order               device-TLB invalidation early, twice, or before\n"
		"                         the IOTLB one of the entry's domain; VT-d IOTLB\n"
		"                         invalidated before the PASID cache\n"
		"  A1 alias coverage      an IRTE change left a DMA alias without a\n"
		"                         completed invalidation, a DTE change an alias's\n"
		"                         DTE without a clone of the new translation\n"
		"  U1 model disagreement  the driver's used bits differ from esync's model\n"
		"  incomplete             events lost, a damaged record or header skipped,\n"
		"                         a perf line that did not parse, or a write cut\n"
		"                         by the end of input\n\n"
		"The faults the IOMMU reported follow the findings, each with the write of\n"
		"the entry it names (open at the fault, or the last before it) and that\n"
		"write's verdict; they do not change the exit status.\n\n"
		"Options:\n"
		"  --json          JSON Lines: a record per finding, fault, skipped check and\n"
		"                  input (\"type\": finding, fault, skipped, summary, error)\n"
		"  --tap           TAP 13, one test point per write (# SKIP if no check\n"
		"                  could run on it) and per damage skipped (not ok)\n"
		"  --only CHECKS   run only these checks, comma separated (H1,F2,...)\n"
		"  --max-open N    writes open at once before the oldest is cut (default %d)\n"
		"  -q, --quiet     no summary line\n"
		"  -v, --verbose   every finding on its own line (text groups repeats)\n"
		"  --stats         on stderr: events per second, ns per event, peak RSS\n"
		"  --perf FILE     read 'perf script' output of the tracepoints (- for stdin)\n"
		"                  instead of dump files\n"
		"  -h, --help      this text\n\n"
		"FILE may be - (standard input) or a pipe.\n\n"
		"Exit status (the worst over all inputs):\n"
		"  0 clean: every applicable check ran and found nothing\n"
		"  1 findings\n"
		"  2 incomplete or unreadable input, bad usage (an input that could not\n"
		"    be read at all outranks findings in the others)\n"
		"  3 no finding, but some checks could not run (reported as skipped)\n"
		"  4 nothing was checked (no entry write, or no check could run)\n\n"
		"EXAMPLES\n"
		"  esync check trace.dump\n"
		"  esync check --tap ci/*.dump > esync.tap\n"
		"  esync check --json --only A1 amd.dump | jq .evidence\n"
		"  zcat trace.dump.gz | esync check -\n"
		"  perf script | esync check --perf -\n", ESYNC_DEFAULT_MAX_OPEN);
}

/*
 * Text: findings that repeat (the same check, entry and evidence, as a
 * stock kernel's alias bug gives at every IRQ move) are printed once per
 * input, with how often and over which writes; -v prints each.  Past
 * GROUPS_MAX distinct ones, a new one is printed as it comes, so that
 * memory does not grow with the findings.
 */
#define GROUPS_MAX 4096

struct group {
	struct esync_finding f;		/* the first one */
	uint64_t count;
	uint64_t last_seq, last_ts;
};

static bool same_group(const struct esync_finding *a, const struct esync_finding *b)
{
	return a->check == b->check && a->entry == b->entry && a->dev == b->dev &&
	       a->sub == b->sub && a->iommu == b->iommu && a->format == b->format &&
	       !strcmp(a->evidence, b->evidence);
}

static uint64_t group_hash(const struct esync_finding *f)
{
	uint64_t h = f->entry * 0x9e3779b97f4a7c15ull ^ f->check;

	for (const char *p = f->evidence; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ull;
	return h;
}

static int group_add(struct check_ctx *c, const struct esync_finding *f)
{
	uint64_t h = group_hash(f);
	size_t i;

	if (c->ngroups * 2 >= c->gcap) {
		size_t cap = c->gcap ? c->gcap * 2 : 64;
		struct group **t = calloc(cap, sizeof(*t));

		if (!t)
			return -1;
		for (i = 0; i < c->gcap; i++) {
			size_t j;

			if (!c->gtab[i])
				continue;
			for (j = group_hash(&c->gtab[i]->f) & (cap - 1); t[j]; j = (j + 1) & (cap - 1))
				;
			t[j] = c->gtab[i];
		}
		free(c->gtab);
		c->gtab = t;
		c->gcap = cap;
	}
	for (i = h & (c->gcap - 1); c->gtab[i]; i = (i + 1) & (c->gcap - 1))
		if (same_group(&c->gtab[i]->f, f)) {
			c->gtab[i]->count++;
			c->gtab[i]->last_seq = f->seq;
			c->gtab[i]->last_ts = f->ts_ns;
			return 0;
		}
	if (c->ngroups >= GROUPS_MAX)
		return -1;
	c->gtab[i] = malloc(sizeof(**c->gtab));
	if (!c->gtab[i])
		return -1;
	c->gtab[i]->f = *f;
	c->gtab[i]->count = 1;
	c->gtab[i]->last_seq = f->seq;
	c->gtab[i]->last_ts = f->ts_ns;
	/* The order of first appearance, for printing */
	if (c->ngroups == c->ocap) {
		size_t cap = c->ocap ? c->ocap * 2 : 64;
		void *p = realloc(c->order, cap * sizeof(*c->order));

		if (!p) {
			free(c->gtab[i]);
			c->gtab[i] = NULL;
			return -1;
		}
		c->order = p;
		c->ocap = cap;
	}
	c->order[c->ngroups++] = c->gtab[i];
	return 0;
}

static void print_prefix(const struct check_ctx *c);

/* Prints and forgets the groups of the input just checked. */
static void group_flush(struct check_ctx *c)
{
	for (size_t i = 0; i < c->ngroups; i++) {
		struct group *g = c->order[i];

		char seq[ESYNC_NAME_LEN];

		print_prefix(c);
		esync_finding_print_text(c->out, &g->f);
		if (g->count > 1)
			fprintf(c->out, "  ... and %" PRIu64 " more times, the last in seq %s"
				" at %" PRIu64 ".%09" PRIu64 " s (-v lists each)\n",
				g->count - 1, esync_seq_str(g->last_seq, seq),
				g->last_ts / 1000000000, g->last_ts % 1000000000);
		free(g);
	}
	c->ngroups = 0;
	if (c->gtab)
		memset(c->gtab, 0, c->gcap * sizeof(*c->gtab));
}

static void print_prefix(const struct check_ctx *c)
{
	if (c->prefix)
		fprintf(c->out, "%s: ", c->file);
}

static struct linked *linked_slot(struct check_ctx *c, uint64_t seq, uint16_t iommu,
				   bool add)
{
	size_t i;

	if (add && (c->nlinked + 1) * 2 > c->lcap) {
		size_t cap = c->lcap ? c->lcap * 2 : 64;
		struct linked *t = calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (size_t k = 0; k < c->lcap; k++) {
			if (!c->ltab[k].seq)
				continue;
			for (i = (c->ltab[k].seq * 0x9e3779b97f4a7c15ull >> 32) & (cap - 1);
			     t[i].seq; i = (i + 1) & (cap - 1))
				;
			t[i] = c->ltab[k];
		}
		free(c->ltab);
		c->ltab = t;
		c->lcap = cap;
	}
	if (!c->lcap)
		return NULL;
	for (i = (seq * 0x9e3779b97f4a7c15ull >> 32) & (c->lcap - 1); c->ltab[i].seq;
	     i = (i + 1) & (c->lcap - 1))
		if (c->ltab[i].seq == seq && c->ltab[i].iommu == iommu)
			return &c->ltab[i];
	if (!add)
		return NULL;
	c->ltab[i].seq = seq;
	c->ltab[i].iommu = iommu;
	c->nlinked++;
	return &c->ltab[i];
}

static void on_fault(void *ctx, const struct esync_fault_link *l)
{
	struct check_ctx *c = ctx;
	struct fault_rec *r;
	struct linked *k;

	if (c->nfaults == c->fcap) {
		size_t cap = c->fcap ? c->fcap * 2 : 16;
		void *p = realloc(c->faults, cap * sizeof(*c->faults));

		if (!p)
			return;
		c->faults = p;
		c->fcap = cap;
	}
	r = &c->faults[c->nfaults++];
	r->l = *l;
	r->ev = *l->ev;
	r->l.ev = NULL;
	if (l->seq && (k = linked_slot(c, l->seq, l->iommu, true)))
		k->findings |= l->findings;
}

/* Prints and forgets the faults of the input just checked. */
static void fault_flush(struct check_ctx *c)
{
	for (size_t i = 0; i < c->nfaults; i++) {
		struct fault_rec *r = &c->faults[i];
		struct linked *k = r->l.seq ? linked_slot(c, r->l.seq, r->l.iommu, false) : NULL;
		uint32_t findings = r->l.findings | (k ? k->findings : 0);

		r->l.ev = &r->ev;
		switch (c->mode) {
		case OUT_TEXT:
			print_prefix(c);
			esync_fault_print_text(c->out, &r->l, findings, "");
			break;
		case OUT_JSON:
			esync_fault_print_json(c->out, &r->l, findings, c->file);
			break;
		case OUT_TAP:
			esync_fault_print_text(c->out, &r->l, findings, "# ");
			break;
		}
	}
	c->nfaults = 0;
	c->nlinked = 0;
	if (c->ltab)
		memset(c->ltab, 0, c->lcap * sizeof(*c->ltab));
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct check_ctx *c = ctx;
	struct linked *k;

	if (c->nlinked && (k = linked_slot(c, f->seq, f->iommu, false)))
		k->findings |= 1u << f->check;

	switch (c->mode) {
	case OUT_TEXT:
		if (c->verbose || group_add(c, f) < 0) {
			print_prefix(c);
			esync_finding_print_text(c->out, f);
		}
		break;
	case OUT_JSON:
		esync_finding_print_json(c->out, f, c->file);
		break;
	case OUT_TAP:
		if (c->npending == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			void *p = realloc(c->pending, cap * sizeof(*c->pending));

			if (!p) {
				esync_finding_print_text(c->out, f);
				return;
			}
			c->pending = p;
			c->cap = cap;
		}
		c->pending[c->npending++] = *f;
		break;
	}
}

/*
 * Text in a TAP description: '#' starts a directive there ("# TODO"
 * would turn a failure into a pass), so it is escaped, and a line break
 * would end the test point.
 */
static void tap_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '#')
			fputs("\\#", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

/* A diagnostic line under a test point (a file name may hold a line break) */
static void tap_diag(struct check_ctx *c, const char *msg)
{
	fputs("  # ", c->out);
	for (; *msg; msg++)
		fputc(*msg == '\n' || *msg == '\r' ? ' ' : *msg, c->out);
	fputc('\n', c->out);
}

/* "ok 3 - " / "not ok 3 - ", and the input's name when several are checked */
static void tap_point(struct check_ctx *c, bool ok, bool name)
{
	fprintf(c->out, "%s %lu - ", ok ? "ok" : "not ok", ++c->tap_n);
	if (name) {
		tap_str(c->out, c->file);
		fputc(' ', c->out);
	}
}

static const char *how_name(unsigned int how)
{
	switch (how) {
	case ESYNC_HOW_NO_CHANGE: return "no change";
	case ESYNC_HOW_HITLESS: return "hitless";
	case ESYNC_HOW_DISRUPTIVE: return "disruptive";
	case ESYNC_HOW_FAILED: return "stopped at a failed sync";
	}
	return "?";
}

static bool amd_format(unsigned int f)
{
	return f == ESYNC_FMT_AMD_DTE || f == ESYNC_FMT_AMD_IRTE ||
	       f == ESYNC_FMT_AMD_IRTE32;
}

/* TAP: why no check could judge write s, as a SKIP directive */
static void tap_skip_write(struct check_ctx *c, const struct esync_seq *s)
{
	uint32_t apply = c->mask & ESYNC_ALL_CHECKS & ~(1u << ESYNC_CHK_INCOMPLETE);

	if (!amd_format(s->format))
		apply &= ~(1u << ESYNC_CHK_A1);
	fputs(" # SKIP no check could run on this write: ", c->out);
	if (!apply) {
		fputs("none of the checks asked for (--only) applies to it", c->out);
		return;
	}
	fputs("the input lacks the data for the checks that apply to it (", c->out);
	for (unsigned int k = 0, n = 0; k < ESYNC_CHK_INCOMPLETE; k++)
		if (apply & (1u << k))
			fprintf(c->out, "%s%s", n++ ? " " : "", esync_check_name(k));
	fputs(")", c->out);
}

static void on_seq_done(void *ctx, const struct esync_seq *s)
{
	struct check_ctx *c = ctx;
	const struct esync_format *f;
	char dev[64], seq[ESYNC_NAME_LEN], entry[ESYNC_NAME_LEN];
	size_t i, kept = 0;
	bool skipped;

	if (c->mode != OUT_TAP)
		return;
	f = esync_format_by_id(s->format);
	/* A write no check judged passed nothing: it is skipped, not ok */
	skipped = !s->reported && !esync_seq_checks(s, c->engine_mask);
	esync_entry_dev_str(s->format, s->dev, s->sub, dev, sizeof(dev));
	tap_point(c, !s->reported, c->prefix);
	fprintf(c->out, "seq %s %s entry%s (%s)", esync_seq_str(s->id, seq),
		f ? f->name : "unknown-format", esync_entry_str(s->entry, entry), dev);
	if (s->ended)
		fprintf(c->out, ": %s, %u store%s, %u sync%s", how_name(s->how),
			s->nr_stores, s->nr_stores == 1 ? "" : "s",
			s->nr_completed, s->nr_completed == 1 ? "" : "s");
	if (skipped)
		tap_skip_write(c, s);
	fprintf(c->out, "\n");
	for (i = 0; i < c->npending; i++) {
		struct esync_finding *p = &c->pending[i];

		if (p->seq == s->id && p->entry == s->entry) {
			fprintf(c->out, "  # ");
			esync_finding_print_text(c->out, p);
		} else {
			c->pending[kept++] = *p;
		}
	}
	c->npending = kept;
}

/* Throughput of reading, rebuilding and checking, and peak memory. */
static void print_stats(const char *path, const struct esync_stats *st,
			const struct timespec *t0)
{
	struct timespec t1;
	struct rusage ru;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	s = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	fprintf(stderr, "# %s: %" PRIu64 " events in %.3f s: %.2f M events/s, %.1f ns/event, peak RSS %ld KiB, at most %" PRIu64 " writes open\n",
		path, st->events, s, s > 0 ? (double)st->events / s / 1e6 : 0.0,
		st->events ? s * 1e9 / (double)st->events : 0.0, ru.ru_maxrss,
		st->max_open);
}

/* Does some entry format written in a legacy input have data for check k? */
static bool legacy_gives(const struct esync_stats *st, unsigned int k)
{
	for (unsigned int f = 0; f < 16; f++)
		if (st->by_format[f] && (esync_legacy_checks(f) & (1u << k)))
			return true;
	return false;
}

/* ... on every kind of entry written that it applies to (A1: AMD entries only) */
static bool legacy_gives_all(const struct esync_stats *st, unsigned int k)
{
	for (unsigned int f = 0; f < 16; f++)
		if (st->by_format[f] && (k != ESYNC_CHK_A1 || amd_format(f)) &&
		    !(esync_legacy_checks(f) & (1u << k)))
			return false;
	return true;
}

/*
 * The state of check k after the input, and why when it did not run.
 * 'allowed' are the checks the recording supports.
 */

static enum check_state check_state(unsigned int k, uint32_t mask, uint32_t allowed,
				    const struct esync_dump_info *info,
				    const struct esync_stats *st, const char **why)
{
	uint64_t amd = 0;

	for (unsigned int f = 0; f < 16; f++)
		if (amd_format(f))
			amd += st->by_format[f];
	*why = NULL;
	if (!(mask & (1u << k))) {
		*why = "not asked for (--only)";
		return CHK_NA;
	}
	if (!(allowed & (1u << k))) {
		if (info->mode == ESYNC_MODE_LEGACY && k == ESYNC_CHK_A1 && !amd &&
		    st->seqs) {
			*why = "no AMD DTE or IRTE write in the input";
			return CHK_NA;
		}
		if (info->mode == ESYNC_MODE_LEGACY && k == ESYNC_CHK_A1) {
			*why = "the recording kernel had no AMD IRTE writer to probe (modify_irte_ga inlined, or not an AMD host)";
			return CHK_SKIPPED;
		}
		if (info->mode == ESYNC_MODE_LEGACY && k == ESYNC_CHK_H5) {
			*why = "legacy writes are seen at their syncs (SMMUv3, VT-d) or whole (AMD): a store from outside the writer cannot be told apart";
			return CHK_SKIPPED;
		}
		if (info->mode == ESYNC_MODE_LEGACY && k == ESYNC_CHK_U1) {
			*why = "needs the entry_sync_used tracepoint of a patched kernel";
			return CHK_SKIPPED;
		}
		*why = info->mode == ESYNC_MODE_LEGACY ?
		       "recorded on a kernel without the entry_sync tracepoints (legacy mode): the events it needs were not collected" :
		       "the hooks it needs were not attached when this input was recorded";
		return CHK_SKIPPED;
	}
	/*
	 * A legacy input that mixes kinds of entry: a check that judged the
	 * writes of one kind did not judge those of another it cannot see
	 */
	if ((st->ran & (1u << k)) && info->mode == ESYNC_MODE_LEGACY &&
	    !legacy_gives_all(st, k)) {
		*why = "ran on some writes only: the stock-kernel collectors of AMD DTE and IRTE writes cannot give it (they are seen whole, their flushes come later from other functions)";
		return CHK_SKIPPED;
	}
	/* A1 judged the writes of some AMD devices only */
	if (k == ESYNC_CHK_A1 && st->a1_ambiguous) {
		static char buf[320];
		unsigned int d = st->a1_ambiguous_dev & 0xffff;

		snprintf(buf, sizeof(buf),
			 "%" PRIu64 " AMD write%s of devices whose DMA aliases are not known (the first: DeviceID %02x:%02x.%u on IOMMU %u, which several PCI segments have; the input does not say which one that IOMMU serves)",
			 st->a1_ambiguous, st->a1_ambiguous == 1 ? "" : "s", d >> 8,
			 (d >> 3) & 0x1f, d & 7, st->a1_ambiguous_iommu);
		*why = buf;
		return CHK_SKIPPED;
	}
	if (st->ran & (1u << k))
		return CHK_RAN;
	if (!st->seqs) {
		*why = "no entry write in the input";
		return CHK_SKIPPED;
	}
	if (info->mode == ESYNC_MODE_LEGACY && k != ESYNC_CHK_A1 &&
	    !legacy_gives(st, k)) {
		*why = "the stock-kernel collectors of the entries written cannot give it (AMD DTE and IRTE writes are seen whole, their flushes come later from other functions)";
		return CHK_SKIPPED;
	}
	if (k == ESYNC_CHK_A1) {
		if (!amd) {
			*why = "no AMD DTE or IRTE write in the input";
			return CHK_NA;
		}
		if (st->findings[ESYNC_CHK_INCOMPLETE]) {
			*why = "no write in the input was whole (see incomplete)";
			return CHK_SKIPPED;
		}
		*why = "no DMA alias topology for the devices written (record on the host, or add topology records)";
		return CHK_SKIPPED;
	}
	if (k == ESYNC_CHK_U1) {
		*why = "no entry_sync_used events in the input";
		return CHK_SKIPPED;
	}
	*why = "no write in the input was whole (see incomplete)";
	return CHK_SKIPPED;
}

static const char *status_name(int status)
{
	switch (status) {
	case ESYNC_EXIT_CLEAN: return "clean";
	case ESYNC_EXIT_FINDINGS: return "findings";
	case ESYNC_EXIT_INCOMPLETE: return "incomplete";
	case ESYNC_EXIT_PARTIAL: return "partial";
	case ESYNC_EXIT_NOTHING: return "nothing-checked";
	}
	return "?";
}

static void json_error(const struct check_ctx *c, const char *path, const char *msg)
{
	if (c->mode != OUT_JSON)
		return;
	fputs("{\"type\":\"error\",\"input\":\"", c->out);
	esync_json_escape(c->out, path);
	fputs("\",\"message\":\"", c->out);
	esync_json_escape(c->out, msg);
	fputs("\"}\n", c->out);
}

/* JSON: an input with no verdict, as an error record and its summary */
static void json_no_verdict(const struct check_ctx *c, const char *label,
			    const char *msg, const char *status, int exit)
{
	if (c->mode != OUT_JSON)
		return;
	json_error(c, label, msg);
	fputs("{\"type\":\"summary\",\"schema\":1,\"input\":\"", c->out);
	esync_json_escape(c->out, label);
	fprintf(c->out, "\",\"status\":\"%s\",\"exit\":%d}\n", status, exit);
}

/* An input that could not be read: an error record, then its summary */
static int unreadable(struct check_ctx *c, const char *label, const char *msg)
{
	c->unreadable = true;
	esync_err("%s", msg);
	json_no_verdict(c, label, msg, "unreadable", ESYNC_EXIT_INCOMPLETE);
	if (c->mode == OUT_TAP) {
		tap_point(c, false, false);
		tap_str(c->out, label);
		fputs(": unreadable\n", c->out);
		tap_diag(c, msg);
	}
	return ESYNC_EXIT_INCOMPLETE;
}

/*
 * Damage in an input that is still read (a damaged stretch or header
 * skipped, perf lines that did not parse): a warning, an error record,
 * a failing test point; its result is incomplete.
 */
static void damaged_input(struct check_ctx *c, const char *label, const char *what,
			  const char *msg)
{
	esync_err("warning: %s", msg);
	json_error(c, label, msg);
	if (c->mode == OUT_TAP) {
		tap_point(c, false, false);
		tap_str(c->out, label);
		fprintf(c->out, ": %s\n", what);
		tap_diag(c, msg);
	}
}

/*
 * Checks one input.  damage: what is known to be missing from it before
 * reading (perf lines that did not parse), or NULL.
 */
static int check_file(struct check_ctx *c, const char *path, const char *label,
		      uint32_t mask, bool quiet, const char *damage)
{
	struct esync_engine_sink sink = {
		.finding = on_finding,
		.seq_done = on_seq_done,
		.fault = on_fault,
		.ctx = c,
	};
	const struct esync_stats *st;
	struct esync_dump_reader r;
	struct esync_engine *e;
	struct esync_dump_ahead *ahead;
	const union esync_event *const *evs;
	size_t nev;
	const char *warn;
	uint64_t nfind = 0;
	struct timespec t0;
	uint32_t allowed;
	unsigned int nran = 0, nskipped = 0;
	const char *skip_why[ESYNC_CHK_NR] = { 0 };
	char skipped[600] = "";
	size_t spos = 0;
	int rc, status;
	FILE *out = c->mode == OUT_TEXT ? stdout : stderr;

	c->file = label;
	if (esync_dump_open(&r, path) < 0)
		return unreadable(c, label, r.err);
	if (label != path)
		r.name = label;
	if (r.info.header_damaged)
		damaged_input(c, label, "damaged header", r.header_warn);
	if (damage)
		damaged_input(c, label, "damaged input", damage);
	/* Its verdicts stand, but a reader of them should know */
	if (r.info.version == 1)
		esync_err("note: %s is a version 1 dump, whose frame checksum (three CRC lanes folded into one) misses some 4-bit errors: a finding there could come of a damaged record that passed",
			  label);
	/* What the recording could see: from the dump, else from its mode */
	allowed = esync_dump_checks(&r.info);
	c->mask = mask;
	c->engine_mask = mask & allowed;
	e = esync_engine_new(&sink, &r.info.topo, mask & allowed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Frames are read and checked on a second thread, where one can run */
	ahead = e ? esync_dump_ahead_start(&r) : NULL;
	if (!ahead) {
		esync_engine_free(e);
		esync_err("%s: out of memory", label);
		esync_dump_close(&r);
		return ESYNC_EXIT_INCOMPLETE;
	}
	esync_engine_set_input(e, r.info.flags);
	esync_engine_set_max_open(e, c->max_open);
	while ((rc = esync_dump_ahead_batch(ahead, &evs, &nev, &warn)) > 0) {
		/* The reader skipped a damaged stretch before the last event */
		for (size_t i = 0; i + 1 < nev; i++)
			esync_engine_event(e, evs[i]);
		if (warn)
			damaged_input(c, label, "damaged stretch skipped", warn);
		esync_engine_event(e, evs[nev - 1]);
	}
	esync_dump_ahead_end(ahead);
	if (rc < 0)
		damaged_input(c, label, "damaged", r.err);
	esync_engine_finish(e);
	group_flush(c);
	fault_flush(c);
	st = esync_engine_stats(e);
	if (c->stats)
		print_stats(label, st, &t0);
	for (int k = 0; k < ESYNC_CHK_INCOMPLETE; k++)
		nfind += st->findings[k];

	/*
	 * Events lost, of writes begun before the input, or naming a write
	 * already judged: incomplete even where no write was open to be
	 * reported so
	 */
	if (c->mode == OUT_TAP && (st->lost || st->loss_places > r.gaps || st->orphans ||
				   st->late_cmds)) {
		uint64_t places = st->loss_places > r.gaps ? st->loss_places - r.gaps : 0;

		tap_point(c, false, false);
		tap_str(c->out, label);
		fprintf(c->out, ": input not whole\n");
		fprintf(c->out, "  # events lost: %" PRIu64 " (at %" PRIu64 " place%s); events of writes begun before the input: %" PRIu64 "; commands of writes already judged: %" PRIu64 "\n",
			st->lost, places, places == 1 ? "" : "s", st->orphans, st->late_cmds);
	}

	/* Each check: ran, skipped (why) or not applicable */
	for (unsigned int k = 0; k < ESYNC_CHK_INCOMPLETE; k++) {
		const char *why;
		enum check_state cs = check_state(k, mask, allowed, &r.info, st, &why);

		if (cs == CHK_RAN) {
			nran++;
			continue;
		}
		if (cs == CHK_NA && (mask & (1u << k)) == 0)
			continue;
		if (cs == CHK_SKIPPED)
			nskipped++;
		if (c->mode == OUT_JSON) {
			fprintf(c->out, "{\"type\":\"%s\",\"input\":\"",
				cs == CHK_SKIPPED ? "skipped" : "not-applicable");
			esync_json_escape(c->out, label);
			fprintf(c->out, "\",\"check\":\"%s\",\"reason\":\"", esync_check_name(k));
			esync_json_escape(c->out, why);
			fputs("\"}\n", c->out);
		}
		if (cs == CHK_SKIPPED)
			skip_why[k] = why;
		/* TAP: a skipped check is a test point of its own (not for empty input) */
		if (c->mode == OUT_TAP && cs == CHK_SKIPPED && st->seqs) {
			tap_point(c, true, c->prefix);
			fprintf(c->out, "%s # SKIP %s\n", esync_check_name(k), why);
		}
	}

	/* Text: the checks skipped for the same reason on one line */
	for (unsigned int k = 0; k < ESYNC_CHK_INCOMPLETE; k++) {
		const char *why = skip_why[k];
		int n;

		if (!why)
			continue;
		n = snprintf(skipped + spos, sizeof(skipped) - spos, "%s%s", spos ? "; " : "",
			     esync_check_name(k));
		spos += n > 0 ? (size_t)n : 0;
		for (unsigned int j = k + 1; j < ESYNC_CHK_INCOMPLETE && spos < sizeof(skipped); j++)
			if (skip_why[j] == why) {
				n = snprintf(skipped + spos, sizeof(skipped) - spos, " %s",
					     esync_check_name(j));
				spos += n > 0 ? (size_t)n : 0;
				skip_why[j] = NULL;
			}
		if (spos < sizeof(skipped)) {
			n = snprintf(skipped + spos, sizeof(skipped) - spos, ": %s", why);
			spos += n > 0 ? (size_t)n : 0;
		}
		if (spos >= sizeof(skipped))
			spos = sizeof(skipped) - 1;
	}

	if (nfind)
		status = ESYNC_EXIT_FINDINGS;
	else if (rc < 0 || r.gaps || r.info.header_damaged || damage ||
		 st->findings[ESYNC_CHK_INCOMPLETE] || st->lost || st->loss_places ||
		 st->orphans || st->late_cmds)
		status = ESYNC_EXIT_INCOMPLETE;
	else if (!nran || !st->events)
		status = ESYNC_EXIT_NOTHING;
	else if (nskipped)
		status = ESYNC_EXIT_PARTIAL;
	else
		status = ESYNC_EXIT_CLEAN;

	if (c->mode == OUT_JSON) {
		fputs("{\"type\":\"summary\",\"schema\":1,\"input\":\"", c->out);
		esync_json_escape(c->out, label);
		fprintf(c->out, "\",\"status\":\"%s\",\"exit\":%d,\"events\":\"%" PRIu64
			"\",\"writes\":\"%" PRIu64 "\",\"faults\":\"%" PRIu64
			"\",\"faults_linked\":\"%" PRIu64 "\",\"findings\":{",
			status_name(status), status, st->events, st->seqs, st->faults,
			st->faults_linked);
		for (int k = 0, first = 1; k < ESYNC_CHK_NR; k++)
			if (st->findings[k]) {
				fprintf(c->out, "%s\"%s\":\"%" PRIu64 "\"", first ? "" : ",",
					esync_check_name(k), st->findings[k]);
				first = 0;
			}
		fprintf(c->out, "},\"lost\":\"%" PRIu64 "\",\"loss_places\":\"%" PRIu64
			"\",\"gaps\":\"%" PRIu64
			"\",\"gap_bytes\":\"%" PRIu64 "\",\"header_damaged\":%s"
			",\"mode\":\"%s\",\"kernel\":\"",
			st->lost, st->loss_places, r.gaps, r.gap_bytes,
			r.info.header_damaged ? "true" : "false",
			r.info.mode == ESYNC_MODE_PATCHED ? "patched" :
			r.info.mode == ESYNC_MODE_LEGACY ? "legacy" : "unknown");
		esync_json_escape(c->out, r.info.kernel);
		fputs("\",\"recorded_by\":\"", c->out);
		esync_json_escape(c->out, r.info.tool);
		fputs("\"}\n", c->out);
	}
	if (!quiet) {
		fprintf(out, "%s%s: %" PRIu64 " events, %" PRIu64 " writes: ",
			c->mode == OUT_TAP ? "# " : "", label, st->events, st->seqs);
		if (status == ESYNC_EXIT_CLEAN)
			fprintf(out, "clean");
		else if (status == ESYNC_EXIT_NOTHING)
			fprintf(out, "nothing checked");
		else if (!nfind && status == ESYNC_EXIT_INCOMPLETE)
			fprintf(out, "no finding, but incomplete");
		else if (!nfind && nskipped)
			fprintf(out, "no finding, but not clean: %u check%s skipped", nskipped,
				nskipped == 1 ? "" : "s");
		else
			fprintf(out, "%" PRIu64 " finding%s", nfind, nfind == 1 ? "" : "s");
		for (int k = 0; k < ESYNC_CHK_NR; k++)
			if (st->findings[k])
				fprintf(out, ", %s %" PRIu64, esync_check_name(k),
					st->findings[k]);
		if (st->lost)
			fprintf(out, ", %" PRIu64 " event%s lost", st->lost,
				st->lost == 1 ? "" : "s");
		else if (st->loss_places > r.gaps)
			fprintf(out, ", events lost (how many, the input does not say)");
		/* How many records a gap held is not known */
		if (r.gaps)
			fprintf(out, ", %" PRIu64 " damaged stretch%s skipped (%" PRIu64
				" bytes, at least one record%s)", r.gaps,
				r.gaps == 1 ? "" : "es", r.gap_bytes, r.gaps == 1 ? "" : " each");
		if (r.info.header_damaged)
			fprintf(out, ", damaged header");
		if (st->orphans)
			fprintf(out, ", %" PRIu64 " events of writes begun before the input",
				st->orphans);
		if (st->late_cmds)
			fprintf(out, ", %" PRIu64 " command%s naming a write already judged (more than a second, or 64 commands, after its end)",
				st->late_cmds, st->late_cmds == 1 ? "" : "s");
		if (st->evicted)
			fprintf(out, ", %" PRIu64 " writes cut by --max-open", st->evicted);
		if (st->failed_completions)
			fprintf(out, ", %" PRIu64 " failed completion%s",
				st->failed_completions,
				st->failed_completions == 1 ? "" : "s");
		if (st->faults)
			fprintf(out, ", %" PRIu64 " fault%s (%" PRIu64 " linked to a write)",
				st->faults, st->faults == 1 ? "" : "s", st->faults_linked);
		if (rc < 0)
			fprintf(out, ", damaged");
		fprintf(out, "\n");
		if (nskipped)
			fprintf(out, "%s%s: skipped: %s\n", c->mode == OUT_TAP ? "# " : "",
				label, skipped);
	}
	esync_engine_free(e);
	esync_dump_close(&r);
	return status;
}

/* --perf: perf script output, through an anonymous dump */
static int check_perf(struct check_ctx *c, const char *perf, uint32_t mask, bool quiet)
{
	const char *label = strcmp(perf, "-") ? perf : "<stdin>";
	struct esync_perf_stats st;
	char path[64], msg[512];
	int fd = memfd_create("esync-perf", 0), rc, status;

	c->file = label;
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "%s: cannot convert to a dump: %s", label,
			 strerror(errno));
		return unreadable(c, label, msg);
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = esync_perf_to_dump(perf, dup(fd), &st);
	if (rc < 0) {
		snprintf(msg, sizeof(msg), "%s: cannot read: %s; give the output of 'perf script' (- for standard input)",
			 label, strerror(-rc));
		close(fd);
		return unreadable(c, label, msg);
	}
	if (!st.events && !st.bad) {
		snprintf(msg, sizeof(msg), "%s: no esync trace event in this input; record one with: perf record " ESYNC_PERF_EVENTS " -a, then give esync the output of perf script",
			 label);
		esync_err("%s", msg);
		json_no_verdict(c, label, msg, status_name(ESYNC_EXIT_NOTHING), ESYNC_EXIT_NOTHING);
		close(fd);
		return ESYNC_EXIT_NOTHING;
	}
	if (st.vtd_writes && !st.vtd_done)
		esync_err("warning: %s: no intel_iommu:qi_wait events: VT-d waits are taken as completed when queued, and a failed one cannot be seen; record with -e intel_iommu:qi_wait",
			  label);
	/* Each line that did not parse is a lost event in the stream */
	if (st.bad)
		snprintf(msg, sizeof(msg), "%s: %" PRIu64 " line%s of esync's events did not parse (the first: line %" PRIu64 "); the writes open across %s are reported incomplete",
			 label, st.bad, st.bad == 1 ? "" : "s", st.first_bad,
			 st.bad == 1 ? "it" : "them");
	status = check_file(c, path, label, mask, quiet, st.bad ? msg : NULL);
	close(fd);
	return status;
}

static int parse_checks(const char *list, uint32_t *mask)
{
	char *copy = strdup(list), *tok, *save = NULL, names[128];

	if (!copy)
		return -1;
	*mask = 0;
	esync_check_names(names, sizeof(names));
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = esync_check_parse(tok);

		if (id < 0) {
			esync_err("check: unknown check '%s' in --only; the checks are: %s",
				  tok, names);
			free(copy);
			return -1;
		}
		*mask |= 1u << id;
	}
	free(copy);
	if (!*mask) {
		esync_err("check: --only wants at least one check, comma separated (%s)",
			  names);
		return -1;
	}
	return 0;
}

/* Exit statuses in the order they outrank each other. */
static int worse(int a, int b)
{
	static const int rank[] = {
		[ESYNC_EXIT_CLEAN] = 0, [ESYNC_EXIT_PARTIAL] = 1,
		[ESYNC_EXIT_NOTHING] = 2, [ESYNC_EXIT_INCOMPLETE] = 3,
		[ESYNC_EXIT_FINDINGS] = 4,
	};

	return rank[b] > rank[a] ? b : a;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "tap", no_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'o' },
		{ "max-open", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "stats", no_argument, NULL, 's' },
		{ "perf", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct check_ctx c = { .mode = OUT_TEXT, .out = stdout };
	uint32_t mask = ESYNC_ALL_CHECKS;
	bool quiet = false;
	const char *perf = NULL;
	char *tap = NULL, *end;
	unsigned long long max_open;
	size_t taplen = 0;
	int opt, status = ESYNC_EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.mode = OUT_JSON;
			break;
		case 't':
			c.mode = OUT_TAP;
			break;
		case 'o':
			if (parse_checks(optarg, &mask) < 0)
				return ESYNC_EXIT_INCOMPLETE;
			mask |= 1u << ESYNC_CHK_INCOMPLETE;
			break;
		case 'm':
			/* strtoull takes "-1" as its largest value: digits only */
			errno = 0;
			max_open = strtoull(optarg, &end, 0);
			if (!isdigit((unsigned char)optarg[0]) || *end || errno ||
			    !max_open || max_open > SIZE_MAX) {
				esync_err("check: --max-open wants a positive number of writes (default %d), not '%s'",
					  ESYNC_DEFAULT_MAX_OPEN, optarg);
				return ESYNC_EXIT_INCOMPLETE;
			}
			c.max_open = (size_t)max_open;
			break;
		case 'q':
			quiet = true;
			break;
		case 'v':
			c.verbose = true;
			break;
		case 's':
			c.stats = true;
			break;
		case 'p':
			perf = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return ESYNC_EXIT_INCOMPLETE;
		}
	}
	if (!perf && optind == argc) {
		esync_err("check: no dump file given; see 'esync check --help'");
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (perf && optind < argc) {
		esync_err("check: --perf reads one perf script output and no dump ('%s'); check the dumps in a run of their own",
			  argv[optind]);
		return ESYNC_EXIT_INCOMPLETE;
	}
	/* TAP: the plan comes right after the version line, so buffer the points */
	if (c.mode == OUT_TAP) {
		c.out = open_memstream(&tap, &taplen);
		if (!c.out) {
			esync_err("check: %s", strerror(errno));
			return ESYNC_EXIT_INCOMPLETE;
		}
	}
	if (perf) {
		status = check_perf(&c, perf, mask, quiet);
	} else {
		c.prefix = argc - optind > 1;
		for (int i = optind; i < argc; i++)
			status = worse(status, check_file(&c, argv[i], argv[i], mask, quiet,
							  NULL));
	}
	/* A verdict over inputs one of which was never read is no verdict */
	if (c.unreadable)
		status = ESYNC_EXIT_INCOMPLETE;
	if (c.mode == OUT_TAP) {
		fclose(c.out);
		printf("TAP version 13\n");
		if (c.tap_n)
			printf("1..%lu\n", c.tap_n);
		else
			printf("1..0 # SKIP %s\n", status == ESYNC_EXIT_NOTHING ?
			       "no entry write in the input" : "nothing to test");
		fwrite(tap, 1, taplen, stdout);
		free(tap);
	}
	free(c.pending);
	free(c.faults);
	free(c.ltab);
	free(c.gtab);
	free(c.order);
	return status;
}

const struct esync_cmd cmd_check = {
	.name = "check",
	.summary = "verify the entry updates in dump files (text, --json, --tap)",
	.run = run,
	.usage = usage,
};
