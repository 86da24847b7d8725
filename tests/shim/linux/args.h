/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_ARGS_H
#define _LINUX_ARGS_H

#define __CONCAT(a, b) a ## b
#define CONCATENATE(a, b) __CONCAT(a, b)

#endif
