/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel definitions arm_smmu_get_ste_used() and
 * arm_smmu_get_cd_used() need, so that the two functions, cut unmodified
 * out of Linux 6.12's arm-smmu-v3.c, build in userspace.
 */
#ifndef ESYNC_SHIM_KERNEL_USED_H
#define ESYNC_SHIM_KERNEL_USED_H

#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the shim maps __le64 to host order; add byte swaps for big-endian"
#endif

typedef uint64_t u64;
typedef uint64_t __le64;

#define cpu_to_le64(x)	((__le64)(x))
#define le64_to_cpu(x)	((u64)(x))

#define BIT(n)			(1UL << (n))
#define GENMASK_ULL(h, l)	((~0ULL >> (63 - (h))) & (~0ULL << (l)))
#define FIELD_GET(mask, reg)	(((reg) & (mask)) >> __builtin_ctzll(mask))

#define STRTAB_STE_DWORDS	8
#define CTXDESC_CD_DWORDS	8

struct arm_smmu_ste {
	__le64 data[STRTAB_STE_DWORDS];
};

struct arm_smmu_cd {
	__le64 data[CTXDESC_CD_DWORDS];
};

/* The two functions as the kernel declares them (arm-smmu-v3.h). */
void arm_smmu_get_ste_used(const __le64 *ent, __le64 *used_bits);
void arm_smmu_get_cd_used(const __le64 *ent, __le64 *used_bits);

#endif /* ESYNC_SHIM_KERNEL_USED_H */
