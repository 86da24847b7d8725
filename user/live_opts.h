/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Options of 'esync live' and 'esync record' (one parser: record takes
 * live's options and its own), kept apart from libbpf so tests run it.
 */
#ifndef ESYNC_LIVE_OPTS_H
#define ESYNC_LIVE_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include "live/session.h"

struct esync_record_opts {
	const char *out;	/* -o FILE */
	size_t flight;		/* --flight N: 0 records everything */
};

#define ESYNC_OPTS_HELP 1

/* "8M", "64k", "4096": bytes; -1 if malformed. */
int64_t esync_parse_size(const char *s);

/*
 * Fills s (and rec, for record; NULL for live) from argv.  Returns 0,
 * ESYNC_OPTS_HELP for --help, or -1 after printing what is wrong.
 */
int esync_live_parse(int argc, char **argv, struct esync_session *s,
		     struct esync_record_opts *rec);

#endif /* ESYNC_LIVE_OPTS_H */
