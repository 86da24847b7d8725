// SPDX-License-Identifier: GPL-2.0-only
/*
 * A suite that fails on purpose. harness-selftest runs it and checks that
 * each failure is reported the way tap.h promises.
 */
#include "tap.h"

static void passes(void)
{
	EXPECT_EQ(4, 2 + 2);
	ASSERT_TRUE(1);
}

static void expect_fails(void)
{
	EXPECT_EQ(3, 2 + 2);
	tap_diag("after expect");
	EXPECT_TRUE(0 > 1);
}

static void assert_stops(void)
{
	ASSERT_EQ(0x10, 0x11);
	tap_diag("after assert");
}

static void skipped(void)
{
	tap_skip("no device");
	EXPECT_TRUE(0);
}

static void streq_fails(void)
{
	EXPECT_STREQ("abc", "abd");
}

TAP_MAIN(TAP_CASE(passes), TAP_CASE(expect_fails), TAP_CASE(assert_stops),
	 TAP_CASE(skipped), TAP_CASE(streq_fails))
