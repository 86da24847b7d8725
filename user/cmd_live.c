// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync live: attach to the running kernel and report findings as they
 * happen; Ctrl-C (or the end of --duration) prints a summary.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dump.h"
#include "live_opts.h"
#include "session.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync live [OPTIONS]\n\n"
		"Trace IOMMU entry updates on this machine and report findings as they\n"
		"happen.  Needs root (or CAP_BPF and CAP_PERFMON) and a kernel with BTF.\n"
		"On a kernel with the entry_sync series every check runs (patched mode);\n"
		"elsewhere esync uses what existing tracepoints and kprobes see (legacy\n"
		"mode) and says which checks it can run.\n\n"
		"Output:\n"
		"  --json              one JSON object per finding on stdout\n"
		"  -v, --verbose       every hook and why it is on or off; -vv libbpf too\n"
		"Selection:\n"
		"  -d, --duration SEC  stop after SEC seconds (default: at Ctrl-C)\n"
		"  --device BDF        findings for this device only (0000:02:01.0)\n"
		"  --iommu N           findings for IOMMU instance N only\n"
		"Tracing:\n"
		"  --mode MODE         patched or legacy instead of probing\n"
		"  --buffer-size SIZE  ring buffer bytes (K/M suffix; default 8M)\n"
		"  -h, --help          this text\n\n"
		"Exit status: 0 clean, 1 findings, 2 incomplete data or an error.\n\n"
		"EXAMPLES\n"
		"  esync live\n"
		"  esync live --duration 60 --json > findings.json\n"
		"  esync live --device 0000:02:01.0\n");
}

static int run(int argc, char **argv)
{
	struct esync_session s = { .iommu = -1, .out = stdout, .print_findings = true };
	int rc = esync_live_parse(argc, argv, &s, NULL);

	if (rc == ESYNC_OPTS_HELP) {
		usage(stdout);
		return 0;
	}
	if (rc) {
		usage(stderr);
		return ESYNC_EXIT_INCOMPLETE;
	}
	return esync_session_run(&s);
}

const struct esync_cmd cmd_live = {
	.name = "live",
	.summary = "trace this machine and report findings as they happen",
	.run = run,
	.usage = usage,
};
