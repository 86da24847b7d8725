/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small TAP 13 harness for esync's C tests.
 *
 * A test binary lists its cases with TAP_CASE() and ends with TAP_MAIN().
 * EXPECT_* records a failure and lets the case go on; ASSERT_* records it and
 * stops the case.  Every failure prints file, line, the expression, the
 * expected and the actual value as TAP diagnostics.  tap_skip() ends a case
 * as "# SKIP reason".  The process exits 1 if any case failed.
 */
#ifndef ESYNC_TAP_H
#define ESYNC_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct tap_case {
	const char *name;
	void (*fn)(void);
};

#define TAP_CASE(fn) { #fn, fn }

/* Runs the cases, prints TAP 13, returns the process exit status. */
int tap_run(const struct tap_case *cases, size_t n);

#define TAP_MAIN(...)							\
	int main(void)							\
	{								\
		static const struct tap_case tap_cases__[] = { __VA_ARGS__ }; \
		return tap_run(tap_cases__, sizeof(tap_cases__) /	\
			       sizeof(tap_cases__[0]));			\
	}

/* Diagnostic line ("# ...") attached to the current case. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends the current case as skipped. */
void tap_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Failure recording; 'fatal' stops the case.  Used through the macros. */
void tap_fail_u64(const char *file, int line, bool fatal, const char *expr,
		  uint64_t expected, uint64_t actual);
void tap_fail_str(const char *file, int line, bool fatal, const char *expr,
		  const char *expected, const char *actual);
void tap_fail_msg(const char *file, int line, bool fatal, const char *expr,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Number of failures recorded so far in the current case. */
unsigned int tap_case_failures(void);

#define TAP_CMP_U64__(fatal, exp, act, op, text)			\
	do {								\
		uint64_t e__ = (uint64_t)(exp), a__ = (uint64_t)(act);	\
		if (!(a__ op e__))					\
			tap_fail_u64(__FILE__, __LINE__, fatal, text, e__, a__); \
	} while (0)

#define EXPECT_EQ(exp, act) TAP_CMP_U64__(false, exp, act, ==, #act " == " #exp)
#define ASSERT_EQ(exp, act) TAP_CMP_U64__(true, exp, act, ==, #act " == " #exp)
#define EXPECT_NE(exp, act) TAP_CMP_U64__(false, exp, act, !=, #act " != " #exp)
#define ASSERT_NE(exp, act) TAP_CMP_U64__(true, exp, act, !=, #act " != " #exp)
#define EXPECT_LE(lim, act) TAP_CMP_U64__(false, lim, act, <=, #act " <= " #lim)
#define ASSERT_LE(lim, act) TAP_CMP_U64__(true, lim, act, <=, #act " <= " #lim)
#define EXPECT_GE(lim, act) TAP_CMP_U64__(false, lim, act, >=, #act " >= " #lim)
#define ASSERT_GE(lim, act) TAP_CMP_U64__(true, lim, act, >=, #act " >= " #lim)
#define EXPECT_TRUE(cond) TAP_CMP_U64__(false, 1, !!(cond), ==, #cond)
#define ASSERT_TRUE(cond) TAP_CMP_U64__(true, 1, !!(cond), ==, #cond)
#define EXPECT_FALSE(cond) TAP_CMP_U64__(false, 0, !!(cond), ==, "!(" #cond ")")
#define ASSERT_FALSE(cond) TAP_CMP_U64__(true, 0, !!(cond), ==, "!(" #cond ")")

#define TAP_CMP_STR__(fatal, exp, act, text)				\
	do {								\
		const char *e__ = (exp), *a__ = (act);			\
		if (!a__ || !e__ || strcmp(e__, a__) != 0)		\
			tap_fail_str(__FILE__, __LINE__, fatal, text, e__, a__); \
	} while (0)

#define EXPECT_STREQ(exp, act) TAP_CMP_STR__(false, exp, act, #act " == " #exp)
#define ASSERT_STREQ(exp, act) TAP_CMP_STR__(true, exp, act, #act " == " #exp)

/* Free-form failure with its own evidence. */
#define EXPECT_FAIL(...) tap_fail_msg(__FILE__, __LINE__, false, "EXPECT_FAIL", __VA_ARGS__)
#define ASSERT_FAIL(...) tap_fail_msg(__FILE__, __LINE__, true, "ASSERT_FAIL", __VA_ARGS__)

#endif /* ESYNC_TAP_H */
