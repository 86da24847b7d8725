// SPDX-License-Identifier: GPL-2.0-only
/* A tracing session: see session.h. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "dump.h"
#include "session.h"

static volatile sig_atomic_t stop_sig, usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1 = 1;
	else
		stop_sig = sig;
}

struct run {
	struct esync_session *s;
	struct esync_engine *eng;
};

static bool wanted(const struct esync_session *s, const struct esync_finding *f)
{
	if (s->have_dev && (f->dev & 0xffff) != (s->dev & 0xffff))
		return false;
	if (s->iommu >= 0 && f->iommu != (unsigned int)s->iommu)
		return false;
	return true;
}

static void sink_finding(void *ctx, const struct esync_finding *f)
{
	struct esync_session *s = ctx;

	if (!wanted(s, f))
		return;
	if (s->print_findings) {
		if (s->json)
			esync_finding_print_json(s->out, f, NULL);
		else
			esync_finding_print_text(s->out, f);
		fflush(s->out);
	}
	if (f->check != ESYNC_CHK_INCOMPLETE)
		s->shown++;
	else
		s->seq_incomplete_findings++;
	if (s->on_finding)
		s->on_finding(s->ctx, f);
}

static void sink_seq(void *ctx, const struct esync_seq *q)
{
	struct esync_session *s = ctx;

	if (q->incomplete)
		s->seq_incomplete++;
	else if (q->how < 3)
		s->seq_how[q->how]++;
}

static void coll_event(void *ctx, const union esync_event *ev)
{
	struct run *r = ctx;

	if (r->s->on_event)
		r->s->on_event(r->s->ctx, ev);
	esync_engine_event(r->eng, ev);
}

/* A fault, with the write it names as far as the session has seen it */
static void sink_fault(void *ctx, const struct esync_fault_link *l)
{
	struct esync_session *s = ctx;
	const struct esync_fault *f = &l->fault;

	if (s->have_dev && (!f->has_dev || (f->dev & 0xffff) != (s->dev & 0xffff)) &&
	    (!l->seq || (l->dev & 0xffff) != (s->dev & 0xffff)))
		return;
	if (s->iommu >= 0 && !f->any_iommu && f->iommu != (unsigned int)s->iommu)
		return;
	s->faults++;
	if (s->print_findings) {
		if (s->json)
			esync_fault_print_json(s->out, l, l->findings, NULL);
		else
			esync_fault_print_text(s->out, l, l->findings, "");
		fflush(s->out);
	}
	if (s->on_trigger)
		s->on_trigger(s->ctx, 0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summary(struct esync_session *s, const struct esync_stats *st,
		    const uint64_t *cnt, uint64_t missed)
{
	FILE *o = s->json ? stderr : s->out;
	uint64_t nfind = 0;

	fprintf(o, "esync: %" PRIu64 " events:", st->events);
	for (unsigned int k = 1; k < ESYNC_EV_NR_KINDS; k++)
		if (st->by_kind[k])
			fprintf(o, " %s %" PRIu64, esync_event_kind_name(k), st->by_kind[k]);
	fprintf(o, "\nesync: %" PRIu64 " writes: %" PRIu64 " no change, %" PRIu64
		" hitless, %" PRIu64 " disruptive, %" PRIu64 " incomplete\n",
		st->seqs, s->seq_how[0], s->seq_how[1], s->seq_how[2], s->seq_incomplete);
	for (int k = 0; k < ESYNC_CHK_INCOMPLETE; k++)
		nfind += st->findings[k];
	fprintf(o, "esync: %" PRIu64 " finding%s", nfind, nfind == 1 ? "" : "s");
	for (int k = 0; k < ESYNC_CHK_NR; k++)
		if (st->findings[k])
			fprintf(o, ", %s %" PRIu64, esync_check_name(k), st->findings[k]);
	fprintf(o, "; %" PRIu64 " dropped by the ring buffer", cnt[ESYNC_CNT_DROPS]);
	if (cnt[ESYNC_CNT_DROPS])
		fprintf(o, " (writes they cut are incomplete: raise --buffer-size)");
	if (missed)
		fprintf(o, "; %" PRIu64 " collector runs skipped by the kernel (nested in another BPF program on their CPU; the writes open then are incomplete)",
			missed);
	if (cnt[ESYNC_CNT_CMD_DROPPED])
		fprintf(o, "; %" PRIu64 " commands of no entry write not recorded (map/unmap TLB flushes)",
			cnt[ESYNC_CNT_CMD_DROPPED]);
	if (st->faults)
		fprintf(o, "; %" PRIu64 " IOMMU fault%s (%" PRIu64 " linked to a write)",
			st->faults, st->faults == 1 ? "" : "s", st->faults_linked);
	if (cnt[ESYNC_CNT_SMMU_STEPS])
		fprintf(o, "; %" PRIu64 " SMMUv3 sync steps", cnt[ESYNC_CNT_SMMU_STEPS]);
	fprintf(o, "\n");
}

int esync_session_run(struct esync_session *s)
{
	struct esync_engine_sink sink = {
		.finding = sink_finding, .seq_done = sink_seq, .fault = sink_fault,
		.ctx = s,
	};
	struct esync_collect_opts co = {
		.forced_mode = s->forced_mode,
		.ringbuf_bytes = s->ringbuf_bytes,
		.verbose = s->verbose,
		.on_event = coll_event,
	};
	struct run r = { .s = s };
	struct esync_collect *c;
	struct sigaction sa = { .sa_handler = on_signal };
	const struct esync_stats *st;
	uint64_t cnt[ESYNC_CNT_NR], missed;
	char err[512];
	bool no_iommu;
	double end;
	int status, rc;

	if (esync_live_preflight(err, sizeof(err), &no_iommu) < 0) {
		esync_err("%s", err);
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (esync_topology_from_sysfs("/sys", &s->topo) < 0 && s->verbose)
		esync_err("warning: no PCI topology from /sys: A1 cannot know aliases");
	co.ctx = &r;
	c = esync_collect_open(&co, err, sizeof(err));
	if (!c) {
		esync_err("%s", err);
		return ESYNC_EXIT_INCOMPLETE;
	}
	s->mode = esync_collect_probe(c)->mode;
	esync_probe_print(stderr, esync_collect_probe(c), s->verbose > 0);
	if (no_iommu)
		fprintf(stderr, "esync: this machine has no IOMMU (/sys/class/iommu is empty): no IOMMU events can occur\n");
	r.eng = esync_engine_new(&sink, &s->topo, esync_collect_probe(c)->checks);
	if (r.eng)
		esync_engine_set_input(r.eng, esync_collect_probe(c)->input_flags);
	if (!r.eng) {
		esync_err("out of memory");
		esync_collect_close(c);
		return ESYNC_EXIT_INCOMPLETE;
	}

	if (s->on_ready && s->on_ready(s->ctx, esync_collect_probe(c), &s->topo)) {
		esync_engine_free(r.eng);
		esync_collect_close(c);
		return ESYNC_EXIT_INCOMPLETE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	fprintf(stderr, "esync: tracing%s; Ctrl-C to stop\n",
		s->duration > 0 ? " for the given duration" : "");
	end = s->duration > 0 ? now_s() + s->duration : 0;
	while (!stop_sig) {
		rc = esync_collect_poll(c, 100);
		if (rc < 0 && rc != -EINTR) {
			esync_err("reading the ring buffer: %s", strerror(-rc));
			break;
		}
		if (usr1) {
			usr1 = 0;
			if (s->on_trigger)
				s->on_trigger(s->ctx, SIGUSR1);
		}
		if (end && now_s() >= end)
			break;
	}
	/* What is still in the ring buffer belongs to the session */
	while (esync_collect_poll(c, 0) > 0)
		;
	esync_engine_finish(r.eng);
	esync_collect_counters(c, cnt);
	missed = esync_collect_missed(c);
	st = esync_engine_stats(r.eng);
	summary(s, st, cnt, missed);
	/* As esync check: clean only when every check ran on some write */
	if (s->shown)
		status = ESYNC_EXIT_FINDINGS;
	else if (cnt[ESYNC_CNT_DROPS] || missed || s->seq_incomplete_findings)
		status = ESYNC_EXIT_INCOMPLETE;
	else if (!st->seqs || !(esync_collect_probe(c)->checks & ~(1u << ESYNC_CHK_INCOMPLETE)))
		status = ESYNC_EXIT_NOTHING;
	else if ((esync_collect_probe(c)->checks | 1u << ESYNC_CHK_INCOMPLETE) != ESYNC_ALL_CHECKS)
		status = ESYNC_EXIT_PARTIAL;
	else
		status = ESYNC_EXIT_CLEAN;
	if (status == ESYNC_EXIT_NOTHING)
		fprintf(stderr, "esync: nothing checked: %s\n", st->seqs ?
			"no check can run with the hooks this kernel offers" :
			"no entry write happened while tracing");
	esync_engine_free(r.eng);
	esync_collect_close(c);
	return status;
}
