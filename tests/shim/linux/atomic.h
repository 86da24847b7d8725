/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include "../shim.h"

typedef struct {
	s64 counter;
} atomic64_t;

#define ATOMIC64_INIT(i) { (i) }

static inline s64 atomic64_inc_return(atomic64_t *v)
{
	return ++v->counter;
}

/* Single-threaded: compare, store, report the store. */
static inline bool shim_try_cmpxchg128(u128 *ptr, u128 *oldp, u128 new)
{
	if (*ptr != *oldp) {
		*oldp = *ptr;
		return false;
	}
	*ptr = new;
	shim_store(ptr, sizeof(*ptr));
	return true;
}

#define try_cmpxchg128(ptr, oldp, new) shim_try_cmpxchg128((ptr), (oldp), (new))

#endif
