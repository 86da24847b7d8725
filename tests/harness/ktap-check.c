// SPDX-License-Identifier: GPL-2.0-only
/*
 * ktap-check: read a kernel console log, find the KTAP output of the KUnit
 * suites in it and report each suite as one TAP test point.
 *
 * Usage: ktap-check LOG SUITE...
 *
 * Every SUITE named must appear and pass with at least one case run; a case
 * that fails (at any nesting level) fails its suite; suites that are not
 * named are reported too. Exit status 1 if anything failed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUITES 64

struct suite {
	char name[128];
	unsigned int pass, fail, skip;
	int result;		/* 1 ok, 0 not ok, -1 no result line */
};

static struct suite suites[MAX_SUITES];
static unsigned int nr_suites;

/* "ok 3 name # SKIP x" -> result, name; NULL if not a result line */
static const char *parse_result(const char *s, int *ok, int *skip)
{
	const char *p = s;

	if (!strncmp(p, "not ok ", 7)) {
		*ok = 0;
		p += 7;
	} else if (!strncmp(p, "ok ", 3)) {
		*ok = 1;
		p += 3;
	} else {
		return NULL;
	}
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	while (*p == ' ' || *p == '-')
		p++;
	*skip = strstr(p, "# SKIP") != NULL;
	return p;
}

static struct suite *current_suite(void)
{
	if (!nr_suites || suites[nr_suites - 1].result != -1) {
		if (nr_suites == MAX_SUITES)
			return NULL;
		memset(&suites[nr_suites], 0, sizeof(suites[0]));
		suites[nr_suites].result = -1;
		nr_suites++;
	}
	return &suites[nr_suites - 1];
}

int main(int argc, char **argv)
{
	char line[4096];
	unsigned int i, n = 0, failed = 0;
	int params_seen = 0, param_failed = 0;
	int a;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: ktap-check LOG [SUITE...]\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "ktap-check: cannot open %s\n", argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *nl;
		const char *name;
		unsigned int indent = 0;
		int ok, skip;
		struct suite *st;

		nl = strpbrk(s, "\r\n");
		if (nl)
			*nl = '\0';
		/* Drop a printk timestamp, then measure the KTAP indentation. */
		if (*s == '[' && strchr(s, ']'))
			s = strchr(s, ']') + 2;
		while (s[indent] == ' ')
			indent++;
		if (strncmp(s + indent, "# Subtest: ", 11) == 0 && indent == 4) {
			st = current_suite();
			if (st)
				snprintf(st->name, sizeof(st->name), "%s", s + indent + 11);
			continue;
		}
		name = parse_result(s + indent, &ok, &skip);
		if (!name)
			continue;
		if (indent == 0) {
			/* A suite's own result line closes it. */
			st = current_suite();
			if (!st)
				continue;
			if (!st->name[0])
				snprintf(st->name, sizeof(st->name), "%s", name);
			st->result = ok;
		} else if (indent == 4 || indent == 8) {
			/*
			 * Leaves count: a case, or each parameter of a
			 * parameterised case, whose own line then follows.
			 */
			st = current_suite();
			if (!st)
				continue;
			if (indent == 4 && params_seen) {
				params_seen = 0;
				if (!ok && !param_failed)
					st->fail++;
				param_failed = 0;
				continue;
			}
			if (indent == 8) {
				params_seen = 1;
				param_failed |= !ok;
			}
			if (!ok)
				st->fail++;
			else if (skip)
				st->skip++;
			else
				st->pass++;
		}
	}
	fclose(f);

	printf("TAP version 13\n1..%u\n", nr_suites + (argc - 2));
	for (i = 0; i < nr_suites; i++) {
		struct suite *st = &suites[i];
		int good = st->result == 1 && !st->fail && st->pass + st->skip > 0;

		printf("%s %u - kunit %s: %u passed, %u failed, %u skipped%s\n",
		       good ? "ok" : "not ok", ++n, st->name, st->pass, st->fail,
		       st->skip, st->result == -1 ? " (no result line: cut short?)" : "");
		failed += !good;
	}
	for (a = 2; a < argc; a++) {
		int found = 0;

		for (i = 0; i < nr_suites; i++)
			found |= !strcmp(suites[i].name, argv[a]);
		printf("%s %u - suite %s ran\n", found ? "ok" : "not ok", ++n, argv[a]);
		failed += !found;
	}
	return failed ? 1 : 0;
}
