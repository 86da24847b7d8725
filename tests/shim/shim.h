/* SPDX-License-Identifier: GPL-2.0-only */
/* Hooks the shim headers call; the test program defines them. */
#ifndef ESYNC_SHIM_H
#define ESYNC_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* Called after every store the library makes to memory. */
void shim_store(void *addr, size_t size);
/* Called by dma_wmb(). */
void shim_dma_wmb(void);
/* Called when a WARN_ON_ONCE() condition is true. */
void shim_warn(const char *file, int line, const char *cond);
/* Called by every enabled trace event, with the event's name. */
void shim_trace(const char *event);
/* Whether trace_*_enabled() returns true. */
extern bool shim_trace_enabled;

#endif
