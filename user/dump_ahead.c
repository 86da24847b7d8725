// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dump read-ahead (see dump_ahead.h).  The reading thread (or, without
 * one, the caller's) fills batches: pointers to the events, checked where
 * they lie in the reader's window.  With a thread, the window moves from
 * buffer to buffer of a pool, and a buffer is given out again only once
 * every batch that points into it was taken back: no event is copied.
 * (Without one, or where the window cannot move so, the batches keep
 * copies.)  Batches are handed over whole by a count, so that the two
 * threads meet once per hundreds of events.  A batch ends after an event
 * that carries a warning, so each batch needs room for one warning only.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dump_ahead.h"

/* Small batches stay in the caches the two threads pass them through */
#define BATCH_EVENTS	1024
#define BATCH_BYTES	(64u << 10)
#define NR_BATCHES	16
/* Polls before a side waits asleep (a batch takes some 50 us to check) */
#define SPIN		4000
/*
 * Window buffers (of 256 KB at least): enough for the batches that may be
 * out, so that the reader seldom waits for one to come back.  It never
 * waits in vain: once all those filled are taken back, only the batch
 * being filled points into any (three at most: it holds 270 KB at most).
 */
#define NR_WINDOWS	(NR_BATCHES + 2)

struct batch {
	size_t n;		/* events */
	size_t used;		/* bytes of copies in buf */
	size_t end_off;		/* in the input, after the last event */
	int rc;			/* 1, or how reading ended after these events */
	bool warned;		/* the last event carries warn */
	char warn[sizeof(((struct esync_dump_reader *)0)->warn)];
	const union esync_event *ev[BATCH_EVENTS];
	uint64_t buf[BATCH_BYTES / 8];
};

struct esync_dump_ahead {
	struct esync_dump_reader *r;
	pthread_t thread;
	/*
	 * Batches filled and taken back, counted from the start: batch i
	 * lives in batches[i % NR_BATCHES].  Each side polls the other's
	 * count for a while before it sleeps (a thread that sleeps on every
	 * batch hands the scheduler reasons to run both on one CPU).
	 */
	_Atomic unsigned long filled, taken;
	_Atomic bool stop;	/* the consumer is going: reading stops */
	_Atomic int sleepers;
	bool threaded;		/* false: the caller's thread fills batches[0] */
	/*
	 * The reader's side: the window buffers, the one the window is in,
	 * and for each, 1 + the last batch an event in it went to (0: none)
	 */
	uint8_t *win[NR_WINDOWS];
	unsigned int cur_win;
	unsigned long win_use[NR_WINDOWS];
	bool windows;		/* the window moves through win[] */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* The consumer's side */
	struct batch *cur;
	struct batch batches[NR_BATCHES];
};

/*
 * Fills b, whose last contents were taken back: the input before them is
 * done with.
 */
static void fill(struct esync_dump_ahead *a, struct batch *b)
{
	struct esync_dump_reader *r = a->r;
	unsigned long use = atomic_load(&a->filled) + 1;

	b->n = 0;
	b->used = 0;
	b->rc = 1;
	b->warned = false;
	while (b->n < BATCH_EVENTS && b->used + ESYNC_EV_MAX_SIZE <= BATCH_BYTES) {
		union esync_event *scratch = (union esync_event *)((uint8_t *)b->buf + b->used);
		const union esync_event *ev;
		int rc = esync_dump_next_ref(r, &ev, scratch);

		if (rc <= 0) {
			b->rc = rc;
			break;
		}
		/* In a window that moves in place, or a mark made up: a copy, kept */
		if (ev == scratch || !(r->stable || a->windows)) {
			if (ev != scratch)
				memcpy(scratch, ev, ev->hdr.size);
			ev = scratch;
			b->used += ev->hdr.size;
		} else if (a->windows) {
			a->win_use[a->cur_win] = use;
		}
		b->ev[b->n++] = ev;
		if (r->warn[0]) {
			memcpy(b->warn, r->warn, sizeof(b->warn));
			r->warn[0] = 0;
			b->warned = true;
			break;
		}
	}
	b->end_off = r->off;
}

static bool can_fill(struct esync_dump_ahead *a)
{
	return atomic_load(&a->filled) - atomic_load(&a->taken) < NR_BATCHES ||
	       atomic_load(&a->stop);
}

static bool can_take(struct esync_dump_ahead *a)
{
	return atomic_load(&a->filled) != atomic_load(&a->taken);
}

/* A window buffer no batch still out points into, other than the window's own; -1: none */
static int free_window(struct esync_dump_ahead *a)
{
	unsigned long taken = atomic_load(&a->taken);

	for (unsigned int i = 0; i < NR_WINDOWS; i++)
		if (i != a->cur_win && a->win_use[i] <= taken)
			return (int)i;
	return -1;
}

static bool can_move(struct esync_dump_ahead *a)
{
	return free_window(a) >= 0 || atomic_load(&a->stop);
}

static void wait_for(struct esync_dump_ahead *a, bool (*ready)(struct esync_dump_ahead *))
{
	for (int i = 0; i < SPIN; i++) {
		if (ready(a))
			return;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	pthread_mutex_lock(&a->lock);
	atomic_fetch_add(&a->sleepers, 1);
	while (!ready(a))
		pthread_cond_wait(&a->cond, &a->lock);
	atomic_fetch_sub(&a->sleepers, 1);
	pthread_mutex_unlock(&a->lock);
}

/*
 * After a count moved: wakes a sleeper.  A side that goes to sleep counts
 * itself in sleepers before it looks at the counts, so one of the two
 * sees the other.
 */
static void wake(struct esync_dump_ahead *a)
{
	if (!atomic_load(&a->sleepers))
		return;
	pthread_mutex_lock(&a->lock);
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

/*
 * Where the window moves next (the reader's thread, every few thousand
 * events).  Waits, if it must, for the consumer to take back a batch:
 * it has them all, so it does.  When it is going, nothing is read any
 * more: any buffer will do.
 */
static uint8_t *next_window(void *ctx, uint8_t *old)
{
	struct esync_dump_ahead *a = ctx;
	int i;

	wait_for(a, can_move);
	i = free_window(a);
	if (i < 0)
		i = (int)(a->cur_win + 1) % NR_WINDOWS;
	a->cur_win = (unsigned int)i;
	a->win_use[i] = 0;
	return a->win[i];
}

static void *reader(void *arg)
{
	struct esync_dump_ahead *a = arg;

	for (;;) {
		struct batch *b;

		wait_for(a, can_fill);
		if (atomic_load(&a->stop))
			return NULL;
		b = &a->batches[atomic_load(&a->filled) % NR_BATCHES];
		fill(a, b);
		atomic_fetch_add(&a->filled, 1);
		wake(a);
		if (b->rc <= 0)
			return NULL;
	}
}

/* The reader has a window of its own again; the pool goes */
static void end_windows(struct esync_dump_ahead *a)
{
	if (a->windows)
		esync_dump_move_windows(a->r, NULL, NULL, NULL);
	a->windows = false;
	for (unsigned int i = 0; i < NR_WINDOWS; i++) {
		free(a->win[i]);
		a->win[i] = NULL;
	}
}

/* The window into the pool (or, short of memory, it stays where it is) */
static void start_windows(struct esync_dump_ahead *a)
{
	size_t size = esync_dump_window_size(a->r);
	unsigned int i;

	for (i = 0; i < NR_WINDOWS; i++) {
		a->win[i] = aligned_alloc(64, (size + 63) & ~(size_t)63);
		if (!a->win[i])
			break;
	}
	a->windows = i == NR_WINDOWS &&
		     esync_dump_move_windows(a->r, a->win[0], next_window, a);
	if (!a->windows)
		end_windows(a);
}

struct esync_dump_ahead *esync_dump_ahead_start(struct esync_dump_reader *r)
{
	struct esync_dump_ahead *a = calloc(1, sizeof(*a));
	cpu_set_t cpus;

	if (!a)
		return NULL;
	a->r = r;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	/* On one CPU the two sides would only take turns (and poll in vain) */
	if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) < 2)
		return a;
	start_windows(a);
	a->threaded = !pthread_create(&a->thread, NULL, reader, a);
	if (!a->threaded)
		end_windows(a);
	return a;
}

/* Gives the current batch back and takes the next, filled */
static void next_batch(struct esync_dump_ahead *a)
{
	if (!a->threaded) {
		a->cur = &a->batches[0];
		fill(a, a->cur);
		return;
	}
	if (a->cur) {
		atomic_fetch_add(&a->taken, 1);
		wake(a);
	}
	wait_for(a, can_take);
	a->cur = &a->batches[atomic_load(&a->taken) % NR_BATCHES];
}

int esync_dump_ahead_batch(struct esync_dump_ahead *a,
			   const union esync_event *const **evs, size_t *n,
			   const char **warn)
{
	*warn = NULL;
	/* Reading ended with the batch handed out last: the end stays */
	if (a->cur && a->cur->rc <= 0)
		return a->cur->rc;
	next_batch(a);
	/* A batch holds at least one event unless reading ended with it */
	if (!a->cur->n)
		return a->cur->rc;
	*evs = a->cur->ev;
	*n = a->cur->n;
	if (a->cur->warned)
		*warn = a->cur->warn;
	return 1;
}

void esync_dump_ahead_end(struct esync_dump_ahead *a)
{
	if (!a)
		return;
	if (a->threaded) {
		atomic_store(&a->stop, true);
		pthread_mutex_lock(&a->lock);
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
		pthread_join(a->thread, NULL);
		end_windows(a);
	}
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
}
