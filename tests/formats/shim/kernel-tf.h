/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What tf_used() of the entry_sync KUnit test needs to build in userspace:
 * the kernel's bit helpers and the geometry fields of its test state.
 */
#ifndef ESYNC_SHIM_KERNEL_TF_H
#define ESYNC_SHIM_KERNEL_TF_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef uint16_t u16;
typedef uint64_t u64;

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define FIELD_GET(mask, reg)	(((reg) & (mask)) >> __builtin_ctzll(mask))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* The geometry part of the test's struct tf_state. */
static __attribute__((unused)) struct {
	unsigned int num;
	unsigned int vbit;
	bool wide;
} tf;

struct kunit_tf_geometry {
	unsigned int num;
	unsigned int vbit;
	bool wide;
};

/* The (num_quanta, vbit_quanta, 128-bit) of every KUnit case. */
extern const struct kunit_tf_geometry kunit_tf_geometries[];
extern const unsigned int kunit_tf_nr_geometries;

void kunit_tf_used(unsigned int num, unsigned int vbit, bool wide,
		   const u64 (*v)[2], u64 (*used)[2]);

#endif /* ESYNC_SHIM_KERNEL_TF_H */
