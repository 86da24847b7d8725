/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace stand-in for the kernel header, for the entry_sync library. */
#ifndef _ESYNC_SHIM_LINUX_ERRNO_H
#define _ESYNC_SHIM_LINUX_ERRNO_H
#include <asm-generic/errno.h>
#endif
