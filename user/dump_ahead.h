/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading a dump ahead, on a thread of its own: the frames are read,
 * checksummed and validated while the caller checks the events before
 * them.  The events come out in file order, in batches, with the warning
 * the reader gave for each (a gap skipped), exactly as esync_dump_next()
 * would hand them out.
 */
#ifndef ESYNC_DUMP_AHEAD_H
#define ESYNC_DUMP_AHEAD_H

#include "dump.h"

struct esync_dump_ahead;

/*
 * Starts reading r (opened, header read) ahead.  r belongs to the reader
 * until esync_dump_ahead_end().  Where this process may run on one CPU
 * only, or no thread can start, the batches are read on the caller's
 * thread as it asks for them: the same events in the same batches.  NULL
 * only when out of memory.
 */
struct esync_dump_ahead *esync_dump_ahead_start(struct esync_dump_reader *r);

/*
 * The next batch of events: *n pointers at *evs, valid (as the events)
 * until the next call.  Returns 1, 0 at the end or -1 where reading
 * stopped, as esync_dump_next().  *warn: the reader's warning (a gap it
 * skipped) for the batch's last event, or NULL.
 */
int esync_dump_ahead_batch(struct esync_dump_ahead *a,
			   const union esync_event *const **evs, size_t *n,
			   const char **warn);

/* Stops the reader and waits for it: r's counters and err are final. */
void esync_dump_ahead_end(struct esync_dump_ahead *a);

#endif /* ESYNC_DUMP_AHEAD_H */
