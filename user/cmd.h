/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The subcommand table.  Each subcommand lives in its own cmd_*.c and
 * defines one struct esync_cmd; esync.c lists them.  A subcommand whose file
 * is not built is a weak NULL and simply not offered.
 */
#ifndef ESYNC_CMD_H
#define ESYNC_CMD_H

#include <stdio.h>

struct esync_cmd {
	const char *name;
	const char *summary;	/* one line for 'esync --help' */
	/* argv[0] is the subcommand name; returns the exit status */
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
};

/* Exit statuses shared by the offline subcommands. */
enum {
	ESYNC_EXIT_CLEAN = 0,
	ESYNC_EXIT_FINDINGS = 1,
	ESYNC_EXIT_INCOMPLETE = 2,	/* incomplete or unreadable input, bad usage */
	ESYNC_EXIT_PARTIAL = 3,		/* no finding, but checks were skipped */
	ESYNC_EXIT_NOTHING = 4,		/* no check could run, or no event */
};

#define ESYNC_WEAK_CMD(sym) extern const struct esync_cmd sym __attribute__((weak))

extern const struct esync_cmd cmd_check;
extern const struct esync_cmd cmd_show;
extern const struct esync_cmd cmd_export;
ESYNC_WEAK_CMD(cmd_live);
ESYNC_WEAK_CMD(cmd_record);
ESYNC_WEAK_CMD(cmd_topology);

/* "esync: " + message on stderr. */
void esync_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* ESYNC_CMD_H */
