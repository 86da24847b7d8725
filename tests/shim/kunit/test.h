/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Enough of KUnit to run a suite in userspace under the TAP harness:
 * KUNIT_EXPECT_* become EXPECT_* of tap.h; tests/entry_sync/kunit-runner.c
 * walks the suite that kunit_test_suite() registers.
 */
#ifndef _KUNIT_TEST_H
#define _KUNIT_TEST_H

#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include "tap.h"

#define KUNIT_PARAM_DESC_SIZE 128

struct kunit {
	const void *param_value;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn) { .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen) { .run_case = fn, .name = #fn, .generate_params = gen }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		__typeof__((array)[0]) *next__ = prev ?				\
			((__typeof__(next__))prev) + 1 : (array);		\
		if (next__ - (array) < (long)ARRAY_SIZE(array)) {		\
			get_desc(next__, desc);					\
			return next__;						\
		}								\
		return NULL;							\
	}

extern const struct kunit_suite *shim_kunit_suite;
#define kunit_test_suite(suite) const struct kunit_suite *shim_kunit_suite = &(suite)

#define MODULE_DESCRIPTION(s) extern int shim_module_unused__
#define MODULE_LICENSE(s) extern int shim_module_unused__

#define KUNIT_EXPECT_EQ(test, a, b) EXPECT_EQ((b), (a))
#define KUNIT_EXPECT_TRUE(test, c) EXPECT_TRUE(c)
#define KUNIT_EXPECT_MEMEQ(test, a, b, n) EXPECT_TRUE(memcmp((a), (b), (n)) == 0)
#define KUNIT_EXPECT_TRUE_MSG(test, c, fmt, ...)				\
	do {									\
		if (!(c))							\
			EXPECT_FAIL(fmt, ##__VA_ARGS__);			\
	} while (0)
#define KUNIT_EXPECT_EQ_MSG(test, a, b, fmt, ...)				\
	do {									\
		if ((a) != (b))							\
			EXPECT_FAIL("%llu != %llu: " fmt,			\
				    (unsigned long long)(a),			\
				    (unsigned long long)(b), ##__VA_ARGS__);	\
	} while (0)

#endif
