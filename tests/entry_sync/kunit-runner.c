// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs the series' KUnit test of entry_sync (entry_sync_test.c, compiled
 * unmodified through tests/shim) in userspace: one TAP test point per case
 * and parameter, so its expectations are checked on every make check and
 * not only when a kernel boots.
 */
#include <stdlib.h>

#include <kunit/test.h>
#include "shim.h"

bool shim_trace_enabled;

void shim_store(void *addr, size_t size)
{
}

void shim_dma_wmb(void)
{
}

void shim_warn(const char *file, int line, const char *cond)
{
	EXPECT_FAIL("WARN_ON_ONCE(%s) at %s:%d", cond, file, line);
}

void shim_trace(const char *event)
{
}

struct param_run {
	const struct kunit_case *kcase;
	const void *param;
};

static struct param_run runs[256];
static size_t nr_runs, next_run;

static void run_one(void)
{
	struct kunit test = { .param_value = runs[next_run].param };

	runs[next_run++].kcase->run_case(&test);
}

int main(void)
{
	static struct tap_case cases[256];
	static char names[256][KUNIT_PARAM_DESC_SIZE + 64];
	const struct kunit_case *c;

	for (c = shim_kunit_suite->test_cases; c->run_case; c++) {
		const void *p = NULL;
		char desc[KUNIT_PARAM_DESC_SIZE];

		if (!c->generate_params) {
			runs[nr_runs] = (struct param_run){ c, NULL };
			snprintf(names[nr_runs], sizeof(names[0]), "%s: %s",
				 shim_kunit_suite->name, c->name);
			nr_runs++;
			continue;
		}
		while (nr_runs < 256 && (p = c->generate_params(p, desc))) {
			runs[nr_runs] = (struct param_run){ c, p };
			snprintf(names[nr_runs], sizeof(names[0]), "%s: %s: %s",
				 shim_kunit_suite->name, c->name, desc);
			nr_runs++;
		}
	}
	for (size_t i = 0; i < nr_runs; i++)
		cases[i] = (struct tap_case){ names[i], run_one };
	return tap_run(cases, nr_runs);
}
