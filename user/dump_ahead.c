// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dump read-ahead (see dump_ahead.h).  The reading thread fills batches:
 * events packed one after the other (each an 8-byte multiple, its size in
 * its header), handed over whole under a lock, so that the lock is taken
 * once per thousands of events.  A batch ends after an event that carries
 * a warning, so each batch needs room for one warning only.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dump_ahead.h"

#define BATCH_BYTES	(256u << 10)
#define NR_BATCHES	4

struct batch {
	size_t used;		/* bytes of events */
	int rc;			/* 1, or how reading ended after these events */
	bool warned;		/* the last event carries warn */
	char warn[sizeof(((struct esync_dump_reader *)0)->warn)];
	uint64_t buf[BATCH_BYTES / 8];
};

struct esync_dump_ahead {
	struct esync_dump_reader *r;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int head;	/* next batch the reader fills */
	unsigned int tail;	/* next batch the consumer takes */
	unsigned int full;	/* batches filled, not yet taken back */
	bool stop;		/* the consumer is going: reading stops */
	/* The consumer's side */
	struct batch *cur;
	size_t pos;
	bool ended;
	int end_rc;
	struct batch batches[NR_BATCHES];
};

static void fill(struct esync_dump_ahead *a, struct batch *b)
{
	struct esync_dump_reader *r = a->r;

	b->used = 0;
	b->rc = 1;
	b->warned = false;
	while (b->used + ESYNC_EV_MAX_SIZE <= BATCH_BYTES) {
		union esync_event *ev = (union esync_event *)((uint8_t *)b->buf + b->used);
		int rc = esync_dump_next(r, ev);

		if (rc <= 0) {
			b->rc = rc;
			return;
		}
		b->used += ev->hdr.size;
		if (r->warn[0]) {
			memcpy(b->warn, r->warn, sizeof(b->warn));
			r->warn[0] = 0;
			b->warned = true;
			return;
		}
	}
}

static void *reader(void *arg)
{
	struct esync_dump_ahead *a = arg;

	for (;;) {
		struct batch *b;
		bool last;

		pthread_mutex_lock(&a->lock);
		while (a->full == NR_BATCHES && !a->stop)
			pthread_cond_wait(&a->cond, &a->lock);
		if (a->stop) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		b = &a->batches[a->head];
		pthread_mutex_unlock(&a->lock);

		fill(a, b);
		last = b->rc <= 0;

		pthread_mutex_lock(&a->lock);
		a->head = (a->head + 1) % NR_BATCHES;
		a->full++;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
		if (last)
			return NULL;
	}
}

struct esync_dump_ahead *esync_dump_ahead_start(struct esync_dump_reader *r)
{
	struct esync_dump_ahead *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->r = r;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	if (pthread_create(&a->thread, NULL, reader, a)) {
		pthread_cond_destroy(&a->cond);
		pthread_mutex_destroy(&a->lock);
		free(a);
		return NULL;
	}
	return a;
}

/* Gives the current batch back and waits for the next */
static void next_batch(struct esync_dump_ahead *a)
{
	pthread_mutex_lock(&a->lock);
	if (a->cur) {
		a->tail = (a->tail + 1) % NR_BATCHES;
		a->full--;
		pthread_cond_broadcast(&a->cond);
	}
	while (!a->full)
		pthread_cond_wait(&a->cond, &a->lock);
	a->cur = &a->batches[a->tail];
	pthread_mutex_unlock(&a->lock);
	a->pos = 0;
}

int esync_dump_ahead_next(struct esync_dump_ahead *a, const union esync_event **ev,
			  const char **warn)
{
	const union esync_event *e;

	*warn = NULL;
	while (!a->cur || a->pos == a->cur->used) {
		if (a->ended)
			return a->end_rc;
		if (a->cur && a->cur->rc <= 0) {
			a->ended = true;
			a->end_rc = a->cur->rc;
			return a->end_rc;
		}
		next_batch(a);
	}
	e = (const union esync_event *)((const uint8_t *)a->cur->buf + a->pos);
	a->pos += e->hdr.size;
	if (a->pos == a->cur->used && a->cur->warned)
		*warn = a->cur->warn;
	*ev = e;
	return 1;
}

void esync_dump_ahead_end(struct esync_dump_ahead *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
}
