// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync check: verify the entry updates in dump files.  Text, JSON (one
 * object per finding) or TAP (one test point per write).
 */
#define _GNU_SOURCE	/* memfd_create */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sys/resource.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "engine.h"
#include "perf_import.h"
#include "probe.h"

enum out_mode { OUT_TEXT, OUT_JSON, OUT_TAP };

struct check_ctx {
	enum out_mode mode;
	const char *file;
	bool prefix;		/* several files: name each */
	bool stats;		/* --stats */
	unsigned long tap_n;
	/* TAP: findings of writes still open, printed with their test point */
	struct esync_finding *pending;
	size_t npending, cap;
};

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
		"  F1 missing sync        a step's stores began before the previous ones\n"
		"                         were invalidated and completed\n"
		"  F2 wrong target        the invalidation issued misses the entry\n"
		"  F3 order               device-TLB invalidation early, twice, or before\n"
		"                         the IOTLB one (VT-d)\n"
		"  A1 alias coverage      a DTE/IRTE change left a DMA alias uninvalidated\n"
		"  incomplete             events lost, or a write cut by the end of input\n\n"
		"Options:\n"
		"  --json          one JSON object per finding on stdout\n"
		"  --tap           TAP 13, one test point per write\n"
		"  --only CHECKS   run only these checks, comma separated (H1,F2,...)\n"
		"  -q, --quiet     no summary line\n"
		"  --stats         on stderr: events per second, ns per event, peak RSS\n"
		"  --perf FILE     read 'perf script' output of the tracepoints (- for stdin)\n"
		"  -h, --help      this text\n\n"
		"Exit status: 0 clean, 1 findings, 2 incomplete or unreadable input.\n\n"
		"EXAMPLES\n"
		"  esync check trace.dump\n"
		"  esync check --tap ci/*.dump > esync.tap\n"
		"  esync check --json --only A1 amd.dump | jq .evidence\n"
		"  perf script | esync check --perf -\n");
}

static void print_prefix(const struct check_ctx *c)
{
	if (c->prefix)
		printf("%s: ", c->file);
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct check_ctx *c = ctx;

	switch (c->mode) {
	case OUT_TEXT:
		print_prefix(c);
		esync_finding_print_text(stdout, f);
		break;
	case OUT_JSON:
		esync_finding_print_json(stdout, f);
		break;
	case OUT_TAP:
		if (c->npending == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 16;
			void *p = realloc(c->pending, cap * sizeof(*c->pending));

			if (!p) {
				esync_finding_print_text(stdout, f);
				return;
			}
			c->pending = p;
			c->cap = cap;
		}
		c->pending[c->npending++] = *f;
		break;
	}
}

static const char *how_name(unsigned int how)
{
	switch (how) {
	case ESYNC_HOW_NO_CHANGE: return "no change";
	case ESYNC_HOW_HITLESS: return "hitless";
	case ESYNC_HOW_DISRUPTIVE: return "disruptive";
	}
	return "?";
}

static void on_seq_done(void *ctx, const struct esync_seq *s)
{
	struct check_ctx *c = ctx;
	const struct esync_format *f = esync_format_by_id(s->format);
	char dev[64];
	size_t i, kept = 0;

	if (c->mode != OUT_TAP)
		return;
	esync_entry_dev_str(s->format, s->dev, s->sub, dev, sizeof(dev));
	printf("%s %lu - %s%sseq %" PRIu64 " %s entry 0x%" PRIx64 " (%s)",
	       s->reported ? "not ok" : "ok", ++c->tap_n, c->prefix ? c->file : "",
	       c->prefix ? " " : "", s->id, f ? f->name : "unknown-format",
	       s->entry, dev);
	if (s->ended)
		printf(": %s, %u store%s, %u sync%s\n", how_name(s->how),
		       s->nr_stores, s->nr_stores == 1 ? "" : "s",
		       s->nr_completed, s->nr_completed == 1 ? "" : "s");
	else
		printf("\n");
	for (i = 0; i < c->npending; i++) {
		struct esync_finding *p = &c->pending[i];

		if (p->seq == s->id && p->entry == s->entry) {
			printf("  # ");
			esync_finding_print_text(stdout, p);
		} else {
			c->pending[kept++] = *p;
		}
	}
	c->npending = kept;
}

/* Throughput of reading, rebuilding and checking, and peak memory. */
static void print_stats(const char *path, uint64_t events, const struct timespec *t0)
{
	struct timespec t1;
	struct rusage ru;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	s = (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
	fprintf(stderr, "# %s: %" PRIu64 " events in %.3f s: %.2f M events/s, %.1f ns/event, peak RSS %ld KiB\n",
		path, events, s, s > 0 ? (double)events / s / 1e6 : 0.0,
		events ? s * 1e9 / (double)events : 0.0, ru.ru_maxrss);
}

static int check_file(struct check_ctx *c, const char *path, uint32_t mask,
		      bool quiet)
{
	struct esync_engine_sink sink = {
		.finding = on_finding,
		.seq_done = on_seq_done,
		.ctx = c,
	};
	const struct esync_stats *st;
	struct esync_dump_reader r;
	struct esync_engine *e;
	union esync_event ev;
	uint64_t nfind = 0;
	struct timespec t0;
	int rc, status;

	c->file = path;
	if (esync_dump_open(&r, path) < 0) {
		esync_err("%s", r.err);
		if (c->mode == OUT_TAP)
			printf("not ok %lu - %s: unreadable\n  # %s\n", ++c->tap_n,
			       path, r.err);
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (r.info.mode == ESYNC_MODE_LEGACY && (mask & ~esync_mode_checks(r.info.mode))) {
		mask &= esync_mode_checks(r.info.mode);
		if (!quiet)
			esync_err("%s: recorded on a kernel without the entry_sync tracepoints: only A1 is checked",
				  path);
	}
	e = esync_engine_new(&sink, &r.info.topo, mask);
	if (!e) {
		esync_err("%s: out of memory", path);
		esync_dump_close(&r);
		return ESYNC_EXIT_INCOMPLETE;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((rc = esync_dump_next(&r, &ev)) > 0)
		esync_engine_event(e, &ev);
	if (rc < 0) {
		esync_err("warning: %s", r.err);
		if (c->mode == OUT_TAP)
			printf("not ok %lu - %s: damaged\n  # %s\n", ++c->tap_n,
			       path, r.err);
	}
	esync_engine_finish(e);
	st = esync_engine_stats(e);
	if (c->stats)
		print_stats(path, st->events, &t0);
	for (int k = 0; k < ESYNC_CHK_INCOMPLETE; k++)
		nfind += st->findings[k];
	if (nfind)
		status = ESYNC_EXIT_FINDINGS;
	else if (rc < 0 || st->findings[ESYNC_CHK_INCOMPLETE] || st->lost ||
		 st->orphans)
		status = ESYNC_EXIT_INCOMPLETE;
	else
		status = ESYNC_EXIT_CLEAN;

	if (!quiet) {
		FILE *out = c->mode == OUT_TEXT ? stdout : stderr;

		fprintf(out, "%s%s: %" PRIu64 " events, %" PRIu64 " writes: ",
			c->mode == OUT_TAP ? "# " : "", path, st->events, st->seqs);
		if (!nfind && status == ESYNC_EXIT_CLEAN)
			fprintf(out, "clean");
		else
			fprintf(out, "%" PRIu64 " finding%s", nfind, nfind == 1 ? "" : "s");
		for (int k = 0; k < ESYNC_CHK_NR; k++)
			if (st->findings[k])
				fprintf(out, ", %s %" PRIu64, esync_check_name(k),
					st->findings[k]);
		if (st->lost)
			fprintf(out, ", %" PRIu64 " events lost", st->lost);
		if (st->orphans)
			fprintf(out, ", %" PRIu64 " events of writes begun before the input",
				st->orphans);
		if (rc < 0)
			fprintf(out, ", damaged");
		fprintf(out, "\n");
	}
	esync_engine_free(e);
	esync_dump_close(&r);
	return status;
}

/* --perf: perf script output, through an anonymous dump */
static int check_perf(struct check_ctx *c, const char *perf, uint32_t mask, bool quiet)
{
	struct esync_perf_stats st;
	char path[64];
	int fd = memfd_create("esync-perf", 0), rc, status;

	if (fd < 0) {
		esync_err("check: %s", strerror(errno));
		return ESYNC_EXIT_INCOMPLETE;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = esync_perf_to_dump(perf, path, &st);
	if (rc < 0) {
		esync_err("check: %s: %s", perf, strerror(-rc));
		close(fd);
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (st.bad)
		esync_err("warning: %s: %" PRIu64 " lines of esync's events did not parse (first: line %" PRIu64 ")",
			  perf, st.bad, st.first_bad);
	if (c->mode == OUT_TAP)
		printf("TAP version 13\n");
	status = check_file(c, path, mask, quiet);
	if (c->mode == OUT_TAP)
		printf("1..%lu\n", c->tap_n);
	close(fd);
	free(c->pending);
	return st.bad && status == ESYNC_EXIT_CLEAN ? ESYNC_EXIT_INCOMPLETE : status;
}

static int parse_checks(const char *list, uint32_t *mask)
{
	char *copy = strdup(list), *tok, *save = NULL;

	if (!copy)
		return -1;
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int id = esync_check_parse(tok);

		if (id < 0) {
			esync_err("unknown check '%s' (H1 H2 H3 F1 F2 F3 A1)", tok);
			free(copy);
			return -1;
		}
		*mask |= 1u << id;
	}
	free(copy);
	return 0;
}

static int run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "tap", no_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "stats", no_argument, NULL, 's' },
		{ "perf", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct check_ctx c = { .mode = OUT_TEXT };
	uint32_t mask = ESYNC_ALL_CHECKS;
	bool quiet = false;
	const char *perf = NULL;
	int opt, status = ESYNC_EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
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
			break;
		case 'q':
			quiet = true;
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
	if (perf)
		return check_perf(&c, perf, mask, quiet);
	if (optind == argc) {
		esync_err("check: no dump file given; see 'esync check --help'");
		return ESYNC_EXIT_INCOMPLETE;
	}
	c.prefix = argc - optind > 1;
	if (c.mode == OUT_TAP)
		printf("TAP version 13\n");
	for (int i = optind; i < argc; i++) {
		int st = check_file(&c, argv[i], mask, quiet);

		/* Findings outrank incomplete data: they are bugs for sure */
		if (st == ESYNC_EXIT_FINDINGS || status == ESYNC_EXIT_CLEAN)
			status = st;
	}
	if (c.mode == OUT_TAP)
		printf("1..%lu\n", c.tap_n);
	free(c.pending);
	return status;
}

const struct esync_cmd cmd_check = {
	.name = "check",
	.summary = "verify the entry updates in dump files (text, --json, --tap)",
	.run = run,
	.usage = usage,
};
