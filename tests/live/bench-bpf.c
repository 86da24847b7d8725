// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench-bpf (root): the BPF cost of one collector body per event,
 * against an empty reference loop, and the ingestion throughput of the real
 * ring buffer, consumer, validation and engine with a synthetic producer.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.skel.h"
#include "engine.h"
#include "esync_bpf.h"
#include "ring.h"

static atomic_ullong consumed;
static atomic_bool done;
static struct esync_engine *eng;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_ev(void *ctx, const void *data, size_t size)
{
	if (!esync_event_check(data, size) && eng)
		esync_engine_event(eng, data);
	atomic_fetch_add_explicit(&consumed, 1, memory_order_relaxed);
}

static void *consumer(void *arg)
{
	struct esync_ring *rb = arg;

	/* As esync live reads: when woken, or every 100 ms */
	while (!atomic_load(&done)) {
		esync_ring_wait(rb, 100);
		esync_ring_consume(rb, on_ev, NULL);
	}
	esync_ring_consume(rb, on_ev, NULL);
	return NULL;
}

static int run_prog(struct bpf_program *p)
{
	LIBBPF_OPTS(bpf_test_run_opts, o);

	return bpf_prog_test_run_opts(bpf_program__fd(p), &o);
}

static void sink_finding(void *ctx, const struct esync_finding *f) { }

int main(int argc, char **argv)
{
	struct esync_engine_sink sink = { .finding = sink_finding };
	const unsigned int n = 1u << 20, batch = 1u << 18;
	unsigned long long total = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000ULL;
	struct bench_bpf *s;
	struct esync_ring rb;
	pthread_t th;
	double empty_ns, store_ns, ring_ns, t0, t1;

	if (geteuid()) {
		printf("bench-bpf: SKIP: needs root (BPF_PROG_TEST_RUN)\n");
		return 0;
	}
	s = bench_bpf__open();
	if (s) {
		bpf_map__set_max_entries(s->maps.events, 1u << 26);
		/* as esync live sets it */
		s->rodata->wake_mask = esync_wake_mask(1u << 26,
						       (unsigned int)sysconf(_SC_NPROCESSORS_ONLN));
	}
	if (!s || bench_bpf__load(s)) {
		fprintf(stderr, "bench-bpf: cannot load the benchmark programs\n");
		return 1;
	}
	if (esync_ring_open(&rb, bpf_map__fd(s->maps.events), bpf_map__max_entries(s->maps.events)))
		return 1;
	pthread_create(&th, NULL, consumer, &rb);

	/* 1. BPF cost per event */
	s->data->loops = n;
	/*
	 * One pass round the whole ring first, untimed: the first write to
	 * each of its pages costs a fault of the host under a VM, which no
	 * later event pays.
	 */
	for (unsigned int i = 0; i < 2; i++) {
		run_prog(s->progs.bench_store);
		while (atomic_load(&consumed) < s->bss->produced)
			sched_yield();
	}
	run_prog(s->progs.bench_empty);
	empty_ns = (double)s->bss->elapsed_ns / n;
	run_prog(s->progs.bench_store);
	store_ns = (double)s->bss->elapsed_ns / n;
	printf("bench-bpf: empty bpf_loop body (reference)   %6.1f ns/event\n", empty_ns);
	printf("bench-bpf: store collector body (reserve+fill+submit) %6.1f ns/event, %.1f ns over the reference (target <= 100)\n",
	       store_ns, store_ns - empty_ns);
	while (atomic_load(&consumed) < s->bss->produced)
		sched_yield();
	/*
	 * The floor under it: the ring buffer's reserve and submit of an
	 * event of the same size, with nothing filled in (the consumer
	 * drains it as it does the stores)
	 */
	run_prog(s->progs.bench_ring);
	ring_ns = (double)s->bss->elapsed_ns / n;
	printf("bench-bpf: ring buffer reserve+submit alone   %6.1f ns/event, %.1f ns over the reference; the store body adds %.1f ns to it\n",
	       ring_ns, ring_ns - empty_ns, store_ns - ring_ns);
	while (atomic_load(&consumed) < s->bss->produced)
		sched_yield();

	/* 1b. the command filter: what a command of no write costs */
	{
		static const char *const what[] = {
			"command dropped, no task in a write    ",
			"command dropped, another task in a write",
			"command kept (its task in a write)     ",
		};

		for (unsigned int w = 0; w < 3; w++) {
			double ns;

			s->bss->which = w;
			run_prog(s->progs.bench_cmd);
			ns = (double)s->bss->elapsed_ns / n;
			printf("bench-bpf: %s %6.1f ns/event, %.1f ns over the reference (target <= %d)\n",
			       what[w], ns, ns - empty_ns, w < 2 ? 15 : 100);
			while (atomic_load(&consumed) < s->bss->produced)
				sched_yield();
		}
	}

	/* 2. ingestion: ring buffer -> consumer -> validation -> engine */
	eng = esync_engine_new(&sink, NULL, ESYNC_ALL_CHECKS);
	atomic_store(&consumed, 0);
	s->bss->produced = 0;
	s->bss->drops = 0;
	s->data->loops = batch;
	t0 = now();
	for (unsigned long long sent = 0; sent < total; sent += batch) {
		/* keep at most two batches in flight: the producer waits, it never drops */
		while (s->bss->produced - atomic_load(&consumed) > batch)
			sched_yield();
		run_prog(s->progs.bench_store);
	}
	while (atomic_load(&consumed) < s->bss->produced)
		sched_yield();
	t1 = now();
	atomic_store(&done, true);
	pthread_join(th, NULL);
	printf("bench-bpf: ingestion %llu events in %.2f s: %.2f M events/s (target >= 10), %llu drops\n",
	       (unsigned long long)s->bss->produced, t1 - t0,
	       (double)s->bss->produced / (t1 - t0) / 1e6, (unsigned long long)s->bss->drops);
	esync_engine_finish(eng);
	esync_engine_free(eng);
	esync_ring_close(&rb);
	bench_bpf__destroy(s);
	return 0;
}
