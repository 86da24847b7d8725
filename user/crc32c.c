// SPDX-License-Identifier: GPL-2.0-only
/*
 * CRC-32C with the SSE4.2 instruction where the CPU has it, and a
 * slice-by-8 table walk elsewhere.  Both give the same value; the table is
 * built on first use.
 */
#include <pthread.h>
#include <stdbool.h>
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
#include <immintrin.h>

/*
 * crc32 has a latency of three cycles and a throughput of one, so a single
 * chain runs at a third of the speed the CPU can give.  Three chains over
 * three equal blocks run side by side, and are then joined exactly: the
 * raw CRC is linear, so crc(c, A B C) = crc(c, A) x^2n + crc(0, B) x^n +
 * crc(0, C) mod P, n the bits in a block.  Multiplying by x^n mod P is a
 * carry-less product by a constant followed by one crc32 of it, which
 * reduces it mod P (and contributes x^33, taken out of the constant).
 */
#define LANE_WORDS 16			/* longest block, in 8-byte words */

static uint32_t shift_k[2][LANE_WORDS + 1];	/* x^(64m - 33), x^(128m - 33) */

static uint32_t xpow(unsigned int n)	/* x^n mod P, bit-reflected */
{
	uint32_t r = 0x80000000u;	/* x^0 */

	while (n--)
		r = r & 1 ? (r >> 1) ^ CRC32C_POLY : r >> 1;
	return r;
}

static void shift_init(void)
{
	for (unsigned int m = 1; m <= LANE_WORDS; m++) {
		shift_k[0][m] = xpow(64 * m - 33);
		shift_k[1][m] = xpow(128 * m - 33);
	}
}

__attribute__((target("sse4.2,pclmul")))
static inline uint32_t shift(uint32_t crc, uint32_t k)
{
	__m128i p = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)crc),
					 _mm_cvtsi32_si128((int)k), 0);

	return (uint32_t)__builtin_ia32_crc32di(0, (uint64_t)_mm_cvtsi128_si64(p));
}

__attribute__((target("sse4.2,pclmul")))
static uint32_t crc32c_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc;

	/* Below 12 words, joining costs more than the chains save */
	while (len >= 96) {
		size_t m = len / 24 < LANE_WORDS ? len / 24 : LANE_WORDS;
		uint64_t a = c, b = 0, d = 0;

		for (size_t i = 0; i < m; i++) {
			uint64_t u, v, w;

			memcpy(&u, p + 8 * i, 8);
			memcpy(&v, p + 8 * (m + i), 8);
			memcpy(&w, p + 8 * (2 * m + i), 8);
			a = __builtin_ia32_crc32di(a, u);
			b = __builtin_ia32_crc32di(b, v);
			d = __builtin_ia32_crc32di(d, w);
		}
		c = shift((uint32_t)a, shift_k[1][m]) ^
		    shift((uint32_t)b, shift_k[0][m]) ^ (uint32_t)d;
		p += 24 * m;
		len -= 24 * m;
	}
	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	if (len >= 4) {
		uint32_t v;

		memcpy(&v, p, 4);
		crc = __builtin_ia32_crc32si(crc, v);
		p += 4;
		len -= 4;
	}
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}

/* x86 is little-endian: crc32 of the u32 is that of its 4 bytes in order */
__attribute__((target("sse4.2,pclmul")))
static uint32_t frame_hw(uint32_t len, const unsigned char *p)
{
	return crc32c_hw(__builtin_ia32_crc32si(~0u, len), p, len);
}

/* 0: not known yet, 1: crc32 and pclmul, -1: tables */
static volatile int hw_state;
static pthread_once_t hw_once = PTHREAD_ONCE_INIT;

static void hw_init(void)
{
	bool hw;

	__builtin_cpu_init();
	hw = __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul");
	if (hw)
		shift_init();
	__atomic_store_n(&hw_state, hw ? 1 : -1, __ATOMIC_RELEASE);
}

static inline bool use_hw(void)
{
	int st = __atomic_load_n(&hw_state, __ATOMIC_ACQUIRE);

	if (__builtin_expect(!st, 0)) {
		pthread_once(&hw_once, hw_init);
		st = hw_state;
	}
	return st > 0;
}
#endif

uint32_t esync_crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc = ~crc;
#if defined(__x86_64__)
	if (use_hw())
		return ~crc32c_hw(crc, buf, len);
#endif
	return ~crc32c_soft(crc, buf, len);
}

uint32_t esync_crc32c_frame(uint32_t len, const void *payload)
{
	uint8_t le[4] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16),
			  (uint8_t)(len >> 24) };

#if defined(__x86_64__)
	if (use_hw())
		return ~frame_hw(len, payload);
#endif
	return esync_crc32c(esync_crc32c(0, le, sizeof(le)), payload, len);
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
	if (use_hw())
		return lanes_hw(seed, buf, len / 8);
#endif
	return lanes_soft(seed, buf, len / 8);
}
