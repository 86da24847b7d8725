/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include "../shim.h"

#define __force
#define data_race(expr) (expr)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
/* Every store of the library goes through here: report it. */
#define WRITE_ONCE(x, val)						\
	do {								\
		*(volatile __typeof__(x) *)&(x) = (val);		\
		shim_store(&(x), sizeof(x));				\
	} while (0)

#endif
