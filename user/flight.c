// SPDX-License-Identifier: GPL-2.0-only
/* The flight recorder's ring. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flight.h"

int esync_flight_init(struct esync_flight *f, size_t cap)
{
	memset(f, 0, sizeof(*f));
	if (!cap || cap > SIZE_MAX / sizeof(*f->slot))
		return -EINVAL;
	f->slot = calloc(cap, sizeof(*f->slot));
	if (!f->slot)
		return -ENOMEM;
	f->cap = cap;
	return 0;
}

void esync_flight_push(struct esync_flight *f, const union esync_event *ev)
{
	size_t n = ev->hdr.size;

	if (n > sizeof(*f->slot))
		n = sizeof(*f->slot);
	memcpy(&f->slot[f->head], ev, n);
	f->head = f->head + 1 == f->cap ? 0 : f->head + 1;
	if (f->count < f->cap)
		f->count++;
	f->pushed++;
}

const union esync_event *esync_flight_get(const struct esync_flight *f, size_t i)
{
	size_t first;

	if (i >= f->count)
		return NULL;
	first = (f->head + f->cap - f->count) % f->cap;
	return &f->slot[(first + i) % f->cap];
}

void esync_flight_clear(struct esync_flight *f)
{
	f->count = 0;
}

void esync_flight_free(struct esync_flight *f)
{
	free(f->slot);
	memset(f, 0, sizeof(*f));
}
