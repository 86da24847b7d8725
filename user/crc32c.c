// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRC-32C with the SSE4.2 instruction where the CPU has it, and a
 * slice-by-8 table walk elsewhere.  Both give the same value; the table is
 * built on first use.
 */
#include <pthread.h>
#include <string.h>

#include "crc32c.h"

#define CRC32C_POLY 0x82f63b78u	/* reflected 0x1edc6f41 */

static uint32_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			table[t][i] = (table[t - 1][i] >> 8) ^
				      table[0][table[t - 1][i] & 0xff];
}

static uint32_t crc32c_soft(uint32_t crc, const unsigned char *p, size_t len)
{
	pthread_once(&table_once, table_init);
	while (len && ((uintptr_t)p & 7)) {
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
		len--;
	}
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		v ^= crc;
		crc = table[7][v & 0xff] ^ table[6][(v >> 8) & 0xff] ^
		      table[5][(v >> 16) & 0xff] ^ table[4][(v >> 24) & 0xff] ^
		      table[3][(v >> 32) & 0xff] ^ table[2][(v >> 40) & 0xff] ^
		      table[1][(v >> 48) & 0xff] ^ table[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc;

	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}

static int have_hw = -1;
#endif

uint32_t esync_crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc = ~crc;
#if defined(__x86_64__)
	if (have_hw < 0)
		have_hw = __builtin_cpu_supports("sse4.2");
	if (have_hw)
		return ~crc32c_hw(crc, buf, len);
#endif
	return ~crc32c_soft(crc, buf, len);
}

static uint32_t fold(uint32_t a, uint32_t b, uint32_t c)
{
	return ~(a ^ (b << 10 | b >> 22) ^ (c << 21 | c >> 11));
}

static uint32_t soft_word(uint32_t crc, uint64_t v)
{
	v ^= crc;
	return table[7][v & 0xff] ^ table[6][(v >> 8) & 0xff] ^
	       table[5][(v >> 16) & 0xff] ^ table[4][(v >> 24) & 0xff] ^
	       table[3][(v >> 32) & 0xff] ^ table[2][(v >> 40) & 0xff] ^
	       table[1][(v >> 48) & 0xff] ^ table[0][v >> 56];
}

static uint32_t lanes_soft(uint32_t seed, const unsigned char *p, size_t n)
{
	uint32_t l[3] = { ~seed, ~seed, ~seed };

	pthread_once(&table_once, table_init);
	for (size_t i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, p + 8 * i, 8);
		l[i % 3] = soft_word(l[i % 3], v);
	}
	return fold(l[0], l[1], l[2]);
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t lanes_hw(uint32_t seed, const unsigned char *p, size_t n)
{
	uint64_t a = (uint32_t)~seed, b = a, c = a, v;
	size_t i = 0;

	for (; i + 3 <= n; i += 3, p += 24) {
		uint64_t x, y;

		memcpy(&v, p, 8);
		memcpy(&x, p + 8, 8);
		memcpy(&y, p + 16, 8);
		a = __builtin_ia32_crc32di(a, v);
		b = __builtin_ia32_crc32di(b, x);
		c = __builtin_ia32_crc32di(c, y);
	}
	if (i < n) {
		memcpy(&v, p, 8);
		a = __builtin_ia32_crc32di(a, v);
	}
	if (i + 1 < n) {
		memcpy(&v, p + 8, 8);
		b = __builtin_ia32_crc32di(b, v);
	}
	return fold((uint32_t)a, (uint32_t)b, (uint32_t)c);
}
#endif

uint32_t esync_crc32c_lanes(uint32_t seed, const void *buf, size_t len)
{
#if defined(__x86_64__)
	if (have_hw < 0)
		have_hw = __builtin_cpu_supports("sse4.2");
	if (have_hw)
		return lanes_hw(seed, buf, len / 8);
#endif
	return lanes_soft(seed, buf, len / 8);
}
