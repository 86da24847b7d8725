/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reading end of the BPF ring buffer.  libbpf's reader publishes its
 * position after every record; the producer reads that position on every
 * reserve, so each event cost the collector a cache line pulled back from
 * the reader's CPU.  This reader publishes once per pass over what is
 * waiting (and every quarter ring within a long pass, so that the
 * producer never sees a ring fuller than it is by more than that).
 *
 * A pass also ends at the producer position read when it started, and
 * the reader then sleeps until the next wake-up (edge-triggered): a reader
 * that goes on chasing the producer reads the line each event is being
 * written to, and its producer position, while they are written, and so
 * took back two cache lines per event (a kept store cost 150-200 ns
 * instead of 55 under a flood; make bench-bpf).
 */
#ifndef ESYNC_RING_H
#define ESYNC_RING_H

#include <stddef.h>
#include <stdint.h>

struct esync_ring {
	int map_fd;
	int epoll_fd;
	size_t size;			/* data bytes, a power of two */
	size_t page;
	unsigned long *consumer_pos;	/* the page the reader writes */
	const unsigned long *producer_pos;	/* the page and data it reads */
	const uint8_t *data;		/* mapped twice in a row: no record wraps */
};

/*
 * Returns 0 or -errno.  size is the map's max_entries.
 */
int esync_ring_open(struct esync_ring *r, int map_fd, size_t size);

/*
 * Hands every committed record up to the producer position of the
 * moment to fn, in order (discarded ones are passed over); stops at the
 * first record still being written.  Returns the number handed out.
 */
long esync_ring_consume(struct esync_ring *r,
			void (*fn)(void *ctx, const void *data, size_t len), void *ctx);

/*
 * Waits up to timeout_ms for a wake-up since the last wait: records that
 * wait without one (the collectors wake the reader only every so many
 * events) do not end it.  1, 0 on timeout, or -errno.
 */
int esync_ring_wait(struct esync_ring *r, int timeout_ms);

/* Also safe on a zeroed ring that was never opened. */
void esync_ring_close(struct esync_ring *r);

#endif /* ESYNC_RING_H */
