// SPDX-License-Identifier: GPL-2.0-only
/*
 * TAP 13 runner for esync's C tests: see tap.h.
 *
 * A case runs under setjmp so that ASSERT_* and tap_skip() can leave it at
 * once.  Output is flushed after every line so a crash still leaves the
 * test points printed so far; the summary tool counts a missing point as a
 * failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tap.h"

enum { CASE_RUNNING, CASE_STOPPED, CASE_SKIPPED };

static jmp_buf case_jmp;
static unsigned int case_failures;
static char skip_reason[256];

unsigned int tap_case_failures(void)
{
	return case_failures;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

void tap_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
	longjmp(case_jmp, CASE_SKIPPED);
}

static void fail_end(bool fatal)
{
	case_failures++;
	fflush(stdout);
	if (fatal)
		longjmp(case_jmp, CASE_STOPPED);
}

void tap_fail_u64(const char *file, int line, bool fatal, const char *expr,
		  uint64_t expected, uint64_t actual)
{
	printf("#   %s:%d: %s: %s\n", file, line,
	       fatal ? "ASSERT failed" : "EXPECT failed", expr);
	printf("#     expected: %llu (0x%llx)\n", (unsigned long long)expected,
	       (unsigned long long)expected);
	printf("#       actual: %llu (0x%llx)\n", (unsigned long long)actual,
	       (unsigned long long)actual);
	fail_end(fatal);
}

void tap_fail_str(const char *file, int line, bool fatal, const char *expr,
		  const char *expected, const char *actual)
{
	printf("#   %s:%d: %s: %s\n", file, line,
	       fatal ? "ASSERT failed" : "EXPECT failed", expr);
	printf("#     expected: \"%s\"\n", expected ? expected : "(null)");
	printf("#       actual: \"%s\"\n", actual ? actual : "(null)");
	fail_end(fatal);
}

void tap_fail_msg(const char *file, int line, bool fatal, const char *expr,
		  const char *fmt, ...)
{
	va_list ap;

	printf("#   %s:%d: %s: %s: ", file, line,
	       fatal ? "ASSERT failed" : "EXPECT failed", expr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fail_end(fatal);
}

int tap_run(const struct tap_case *cases, size_t n)
{
	volatile unsigned int failed = 0;
	volatile size_t i;

	printf("TAP version 13\n1..%zu\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		volatile int how;

		case_failures = 0;
		skip_reason[0] = '\0';
		how = setjmp(case_jmp);
		if (how == CASE_RUNNING)
			cases[i].fn();
		if (how == CASE_SKIPPED && !case_failures) {
			printf("ok %zu - %s # SKIP %s\n", i + 1, cases[i].name,
			       skip_reason);
		} else if (case_failures) {
			printf("not ok %zu - %s\n", i + 1, cases[i].name);
			failed++;
		} else {
			printf("ok %zu - %s\n", i + 1, cases[i].name);
		}
		fflush(stdout);
	}
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
