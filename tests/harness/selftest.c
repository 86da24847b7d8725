// SPDX-License-Identifier: GPL-2.0-only
/*
 * The harness tests itself: run the deliberately failing suite and the
 * summary tool, and check every line that tap.h and tap-summary promise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "tap.h"

static char out[16384];
static int status;

static const char *build_dir(void)
{
	const char *o = getenv("O");

	return o ? o : "build";
}

/* Run a shell command, keep its stdout in out[] and its exit status. */
static void run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	ASSERT_TRUE(p != NULL);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	status = pclose(p);
	ASSERT_TRUE(WIFEXITED(status));
	status = WEXITSTATUS(status);
}

#define EXPECT_HAS(needle)						\
	do {								\
		if (!strstr(out, needle))				\
			EXPECT_FAIL("output lacks \"%s\"", needle);	\
	} while (0)
#define EXPECT_HASNT(needle)						\
	do {								\
		if (strstr(out, needle))				\
			EXPECT_FAIL("output has \"%s\"", needle);	\
	} while (0)

static void run_suite(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s/tests/harness-failing-suite", build_dir());
	run(cmd);
}

static void failing_suite_exits_nonzero(void)
{
	run_suite();
	EXPECT_EQ(1, status);
}

static void header_and_plan(void)
{
	run_suite();
	ASSERT_TRUE(!strncmp(out, "TAP version 13\n1..5\n", 20));
}

static void passing_case_is_ok(void)
{
	run_suite();
	EXPECT_HAS("\nok 1 - passes\n");
}

static void expect_records_and_continues(void)
{
	run_suite();
	EXPECT_HAS("\nnot ok 2 - expect_fails\n");
	EXPECT_HAS("failing-suite.c:16: EXPECT failed: 2 + 2 == 3\n");
	EXPECT_HAS("#     expected: 3 (0x3)\n#       actual: 4 (0x4)\n");
	EXPECT_HAS("# after expect\n");
	EXPECT_HAS("failing-suite.c:18: EXPECT failed: 0 > 1\n");
}

static void assert_stops_the_case(void)
{
	run_suite();
	EXPECT_HAS("\nnot ok 3 - assert_stops\n");
	EXPECT_HAS("failing-suite.c:23: ASSERT failed: 0x11 == 0x10\n");
	EXPECT_HAS("#     expected: 16 (0x10)\n#       actual: 17 (0x11)\n");
	EXPECT_HASNT("after assert");
}

static void skip_has_reason(void)
{
	run_suite();
	EXPECT_HAS("\nok 4 - skipped # SKIP no device\n");
}

static void string_mismatch_shows_both(void)
{
	run_suite();
	EXPECT_HAS("\nnot ok 5 - streq_fails\n");
	EXPECT_HAS("#     expected: \"abc\"\n#       actual: \"abd\"\n");
}

static void summary_counts_the_suite(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "d=$(mktemp -d) && %1$s/tests/harness-failing-suite > $d/s.tap;"
		 " echo $? > $d/s.rc; %1$s/tests/tap-summary $d/s.tap; r=$?;"
		 " rm -rf $d; exit $r", build_dir());
	run(cmd);
	EXPECT_EQ(1, status);
	EXPECT_HAS("1 passed, 3 failed, 1 skipped\n");
}

static void summary_counts_a_crash(void)
{
	char cmd[1024];

	/* A producer that died after its first point, with status 139. */
	snprintf(cmd, sizeof(cmd),
		 "d=$(mktemp -d) && printf 'TAP version 13\\n1..3\\nok 1 - a\\n' > $d/c.tap;"
		 " echo 139 > $d/c.rc; %s/tests/tap-summary $d/c.tap; r=$?;"
		 " rm -rf $d; exit $r", build_dir());
	run(cmd);
	EXPECT_EQ(1, status);
	EXPECT_HAS("1 of 3 test points printed");
	EXPECT_HAS("1 passed, 1 failed, 0 skipped\n");
}

static void summary_counts_a_bad_exit(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "d=$(mktemp -d) && printf 'TAP version 13\\n1..1\\nok 1 - a\\n' > $d/e.tap;"
		 " echo 2 > $d/e.rc; %s/tests/tap-summary $d/e.tap; r=$?;"
		 " rm -rf $d; exit $r", build_dir());
	run(cmd);
	EXPECT_EQ(1, status);
	EXPECT_HAS("exit status 2 with no failing point");
}

static void summary_passes_a_clean_log(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "d=$(mktemp -d) && printf 'TAP version 13\\n1..2\\nok 1 - a\\nok 2 - b # SKIP x\\n' > $d/g.tap;"
		 " echo 0 > $d/g.rc; %s/tests/tap-summary $d/g.tap; r=$?;"
		 " rm -rf $d; exit $r", build_dir());
	run(cmd);
	EXPECT_EQ(0, status);
	EXPECT_HAS("1 passed, 0 failed, 1 skipped\n");
}

TAP_MAIN(TAP_CASE(failing_suite_exits_nonzero), TAP_CASE(header_and_plan),
	 TAP_CASE(passing_case_is_ok), TAP_CASE(expect_records_and_continues),
	 TAP_CASE(assert_stops_the_case), TAP_CASE(skip_has_reason),
	 TAP_CASE(string_mismatch_shows_both),
	 TAP_CASE(summary_counts_the_suite), TAP_CASE(summary_counts_a_crash),
	 TAP_CASE(summary_counts_a_bad_exit),
	 TAP_CASE(summary_passes_a_clean_log))
