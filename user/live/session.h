/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tracing session, shared by 'esync live' and 'esync record': preflight,
 * the collector, the engine on the live stream, signals, the duration and
 * the closing summary.  The subcommand sees events, findings and triggers
 * through hooks.
 */
#ifndef ESYNC_SESSION_H
#define ESYNC_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collect.h"
#include "engine.h"
#include "topology.h"

struct esync_session {
	/* Set by the subcommand */
	unsigned int forced_mode;
	size_t ringbuf_bytes;
	int verbose;
	double duration;		/* seconds; 0: until SIGINT/SIGTERM */
	bool json;
	bool print_findings;		/* live: stream them */
	bool have_dev;
	uint32_t dev;			/* --device */
	int iommu;			/* --iommu, -1 for all */
	FILE *out;			/* findings and summary */
	void (*on_event)(void *ctx, const union esync_event *ev);
	void (*on_finding)(void *ctx, const struct esync_finding *f);
	/* A fault event, or SIGUSR1 (sig = SIGUSR1; 0 for a fault) */
	void (*on_trigger)(void *ctx, int sig);
	/*
	 * Optional: the hooks are attached (mode and topology known), no
	 * event has been handed over yet; non-zero ends the session.
	 */
	int (*on_ready)(void *ctx, const struct esync_probe_result *probe,
			const struct esync_topology *topo);
	void *ctx;

	/* Filled by the session */
	struct esync_topology topo;
	unsigned int mode;
	uint64_t seq_how[3];		/* finished writes by classification */
	uint64_t seq_incomplete;
	uint64_t shown;			/* findings shown, incomplete data aside */
	uint64_t seq_incomplete_findings;
	uint64_t faults;
};

/* Runs until the duration ends or a signal; returns the exit status. */
int esync_session_run(struct esync_session *s);

#endif /* ESYNC_SESSION_H */
