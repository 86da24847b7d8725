/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The flight recorder: the last N events, oldest first, in fixed slots of
 * ESYNC_EV_MAX_SIZE bytes allocated once; pushing never allocates.
 */
#ifndef ESYNC_FLIGHT_H
#define ESYNC_FLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

struct esync_flight {
	size_t cap;		/* slots */
	size_t head;		/* next slot to write */
	size_t count;		/* events held, <= cap */
	uint64_t pushed;	/* events ever pushed */
	union esync_event *slot;
};

/* 0 or -ENOMEM / -EINVAL (cap 0). */
int esync_flight_init(struct esync_flight *f, size_t cap);
/* Keeps a copy of ev (ev->hdr.size bytes, at most ESYNC_EV_MAX_SIZE). */
void esync_flight_push(struct esync_flight *f, const union esync_event *ev);
/* The i-th event held, 0 the oldest; NULL if i >= count. */
const union esync_event *esync_flight_get(const struct esync_flight *f, size_t i);
/* Forgets what it holds (after writing it out). */
void esync_flight_clear(struct esync_flight *f);
void esync_flight_free(struct esync_flight *f);

#endif /* ESYNC_FLIGHT_H */
