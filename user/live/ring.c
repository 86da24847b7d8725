// SPDX-License-Identifier: GPL-2.0-only
/*
 * BPF ring-buffer reader (see ring.h).  The layout is the kernel's
 * (kernel/bpf/ringbuf.c): a page holding the consumer position, which
 * the reader maps writable; then a page holding the producer position and
 * the data pages mapped twice, read-only.  Each record starts with an
 * 8-byte header whose first word is its length with two flags: busy
 * (reserved, not yet committed) and discarded.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"

#define RB_BUSY		(1u << 31)
#define RB_DISCARD	(1u << 30)
#define RB_HDR		8u

int esync_ring_open(struct esync_ring *r, int map_fd, size_t size)
{
	/* Edge-triggered: a wait ends at a wake-up, not because data waits */
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	void *p;
	int err;

	memset(r, 0, sizeof(*r));
	r->map_fd = map_fd;
	r->epoll_fd = -1;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	r->size = size;
	if (!size || (size & (size - 1)))
		return -EINVAL;
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->consumer_pos = p;
	p = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, map_fd, (off_t)r->page);
	if (p == MAP_FAILED) {
		err = -errno;
		goto fail;
	}
	r->producer_pos = p;
	r->data = (const uint8_t *)p + r->page;
	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epoll_fd < 0 || epoll_ctl(r->epoll_fd, EPOLL_CTL_ADD, map_fd, &ev) < 0) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	esync_ring_close(r);
	return err;
}

long esync_ring_consume(struct esync_ring *r,
			void (*fn)(void *ctx, const void *data, size_t len), void *ctx)
{
	unsigned long cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
	unsigned long published = cons;
	long n = 0;

	while (cons < prod) {
		const uint32_t *hdr = (const uint32_t *)(r->data + (cons & (r->size - 1)));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

		if (len & RB_BUSY)
			break;
		cons += ((len & ~(RB_BUSY | RB_DISCARD)) + RB_HDR + 7) & ~7ul;
		if (!(len & RB_DISCARD)) {
			fn(ctx, hdr + RB_HDR / 4, len & ~(RB_BUSY | RB_DISCARD));
			n++;
		}
		if (cons - published >= r->size / 4) {
			__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
			published = cons;
		}
	}
	if (cons != published)
		__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
	return n;
}

int esync_ring_wait(struct esync_ring *r, int timeout_ms)
{
	struct epoll_event ev;
	int n = epoll_wait(r->epoll_fd, &ev, 1, timeout_ms);

	return n < 0 ? -errno : n;
}

void esync_ring_close(struct esync_ring *r)
{
	/* (a zeroed ring was never opened: its fd 0 is not ours) */
	if (r->consumer_pos && r->epoll_fd >= 0)
		close(r->epoll_fd);
	if (r->producer_pos)
		munmap((void *)r->producer_pos, r->page + 2 * r->size);
	if (r->consumer_pos)
		munmap(r->consumer_pos, r->page);
	memset(r, 0, sizeof(*r));
	r->map_fd = -1;
	r->epoll_fd = -1;
}
