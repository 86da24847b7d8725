/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#define BITS_PER_BYTE 8
#define BIT(n) (1UL << (n))
#define hweight8(w) __builtin_popcount((unsigned char)(w))
#define hweight16(w) __builtin_popcount((unsigned short)(w))
#define hweight32(w) __builtin_popcount((unsigned int)(w))
#define hweight64(w) __builtin_popcountll(w)
#define ffs(x) __builtin_ffs(x)

#endif
