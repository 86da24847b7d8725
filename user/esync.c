// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync: verify how IOMMU drivers update the entries the hardware reads.
 * Dispatches to the subcommands of cmd.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "version.h"

/* In the order 'esync --help' lists them; missing ones are NULL. */
static const struct esync_cmd *const cmds[] = {
	&cmd_live,
	&cmd_record,
	&cmd_check,
	&cmd_show,
	&cmd_topology,
	&cmd_export,
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

void esync_err(const char *fmt, ...)
{
	va_list ap;

	fputs("esync: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: esync COMMAND [OPTIONS] [ARGS]\n\n"
		"Verify how IOMMU drivers update the entries the hardware reads\n"
		"(SMMUv3 STE/CD, VT-d PASID entries, AMD DTE/IRTE).\n\nCommands:\n");
	for (size_t i = 0; i < NR_CMDS; i++)
		if (cmds[i])
			fprintf(out, "  %-10s %s\n", cmds[i]->name, cmds[i]->summary);
	fprintf(out, "  %-10s %s\n", "version", "print the version (also --version)");
	fprintf(out, "\n'esync COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") ||
	    !strcmp(argv[1], "version")) {
		printf("esync %s\n", esync_version());
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < NR_CMDS; i++)
		if (cmds[i] && !strcmp(cmds[i]->name, argv[1]))
			return cmds[i]->run(argc - 1, argv + 1);
	esync_err("unknown command '%s'; see 'esync --help'", argv[1]);
	return ESYNC_EXIT_INCOMPLETE;
}
