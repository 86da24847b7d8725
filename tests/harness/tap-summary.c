// SPDX-License-Identifier: GPL-2.0-only
/*
 * tap-summary: read the TAP logs of a test run and print one line,
 * "N passed, N failed, N skipped".
 *
 * Usage: tap-summary LOG...  where each LOG.tap may have a LOG.rc beside it
 * holding the producer's exit status.  A log whose plan promises more points
 * than it printed, or whose producer exited non-zero without a "not ok", adds
 * a failure of its own, so a crashed binary never reads as a pass.
 * Exit status: 0 if nothing failed, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
	unsigned int pass, fail, skip;
};

static int read_rc(const char *log)
{
	char path[4096];
	FILE *f;
	int rc = 0;
	size_t len = strlen(log);

	if (len > 4 && !strcmp(log + len - 4, ".tap"))
		len -= 4;
	snprintf(path, sizeof(path), "%.*s.rc", (int)len, log);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &rc) != 1)
		rc = 255;
	fclose(f);
	return rc;
}

static void count_log(const char *log, struct counts *total)
{
	struct counts c = { 0, 0, 0 };
	unsigned long plan = 0, points = 0;
	char line[8192];
	int rc;
	FILE *f = fopen(log, "r");

	if (!f) {
		printf("# %s: cannot open: counted as a failure\n", log);
		total->fail++;
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;

		/* Only top-level points count; nested TAP is indented. */
		if (sscanf(line, "%lu..%lu", &a, &b) == 2 && a == 1) {
			plan = b;
		} else if (!strncmp(line, "ok ", 3)) {
			points++;
			if (strstr(line, "# SKIP"))
				c.skip++;
			else
				c.pass++;
		} else if (!strncmp(line, "not ok ", 7)) {
			points++;
			c.fail++;
		}
	}
	fclose(f);

	rc = read_rc(log);
	if (points < plan) {
		printf("# %s: %lu of %lu test points printed: counted as a failure\n",
		       log, points, plan);
		c.fail++;
	} else if (!points) {
		printf("# %s: no test points: counted as a failure\n", log);
		c.fail++;
	} else if (rc && !c.fail) {
		printf("# %s: exit status %d with no failing point: counted as a failure\n",
		       log, rc);
		c.fail++;
	}
	if (c.fail)
		printf("# %s: %u failed\n", log, c.fail);
	total->pass += c.pass;
	total->fail += c.fail;
	total->skip += c.skip;
}

int main(int argc, char **argv)
{
	struct counts total = { 0, 0, 0 };
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: tap-summary LOG.tap...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		count_log(argv[i], &total);
	printf("%u passed, %u failed, %u skipped\n", total.pass, total.fail,
	       total.skip);
	return total.fail ? 1 : 0;
}
