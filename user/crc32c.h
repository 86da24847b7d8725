/* SPDX-License-Identifier: GPL-2.0-only */
/* CRC-32C (Castagnoli), as the dump file frames its records. */
#ifndef ESYNC_CRC32C_H
#define ESYNC_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over buf; start with 0.  Same value as iSCSI's CRC-32C. */
uint32_t esync_crc32c(uint32_t crc, const void *buf, size_t len);

#endif /* ESYNC_CRC32C_H */
