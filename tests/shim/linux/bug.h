/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include "../shim.h"

/* Reports every hit (not only the first) so tests can count them. */
#define WARN_ON_ONCE(cond)						\
	({								\
		int warn__ = !!(cond);					\
		if (warn__)						\
			shim_warn(__FILE__, __LINE__, #cond);		\
		warn__;							\
	})
#define WARN_ON(cond) WARN_ON_ONCE(cond)

#endif
