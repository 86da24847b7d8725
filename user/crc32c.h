/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC-32C (Castagnoli), as the dump file frames its records. */
#ifndef ESYNC_CRC32C_H
#define ESYNC_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over buf; start with 0.  Same value as iSCSI's CRC-32C. */
uint32_t esync_crc32c(uint32_t crc, const void *buf, size_t len);

/* CRC-32C of len as 4 little-endian bytes, then of payload's len bytes. */
uint32_t esync_crc32c_frame(uint32_t len, const void *payload);

/*
 * The dump's record checksum: three CRC-32C lanes over the 8-byte words of
 * buf (len a multiple of 8), word i in lane i % 3, each lane started from
 * seed, folded into one value.  Independent lanes let the CPU overlap the
 * crc32 instructions, which a single CRC chain cannot.
 */
uint32_t esync_crc32c_lanes(uint32_t seed, const void *buf, size_t len);

#endif /* ESYNC_CRC32C_H */
