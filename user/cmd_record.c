// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync record: write what the live session sees to a dump file, with the
 * topology snapshot, for 'esync check' and 'esync show' elsewhere.  With
 * --flight N only the last N events are kept, and written out on a
 * finding, an IOMMU fault or SIGUSR1.  The file is always left whole.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "flight.h"
#include "live_opts.h"
#include "session.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync record -o FILE [--flight N] [OPTIONS]\n\n"
		"Record the IOMMU entry updates of this machine to a dump file (mode\n"
		"0600) that 'esync check FILE' verifies.  SIGINT and SIGTERM stop it\n"
		"and leave a complete file.\n\n"
		"  -o, --output FILE   the dump to write\n"
		"  --flight N          keep only the last N events; write them out on a\n"
		"                      finding, an IOMMU fault (iommu:io_page_fault) or\n"
		"                      SIGUSR1\n"
		"  -d, --duration SEC  stop after SEC seconds\n"
		"  --mode MODE         patched or legacy instead of probing\n"
		"  --buffer-size SIZE  ring buffer bytes (default 8M)\n"
		"  -v, --verbose       every hook and why it is on or off\n"
		"  -h, --help          this text\n\n"
		"EXAMPLES\n"
		"  esync record -o boot.dump --duration 30\n"
		"  esync record -o crash.dump --flight 100000 &  kill -USR1 $!\n");
}

struct rec {
	struct esync_dump_writer *w;
	const char *out;
	bool created;		/* the dump's header is written */
	struct esync_flight fl;
	bool flight;
	int err;
	uint64_t triggers;
};

static void write_ev(struct rec *r, const union esync_event *ev)
{
	int rc;

	if (r->err)
		return;
	rc = esync_dump_write(r->w, ev);
	if (rc < 0) {
		r->err = rc;
		esync_err("record: writing the dump: %s; stopping the recording", strerror(-rc));
	}
}

static void on_event(void *ctx, const union esync_event *ev)
{
	struct rec *r = ctx;

	if (r->flight)
		esync_flight_push(&r->fl, ev);
	else
		write_ev(r, ev);
}

static void flush_flight(struct rec *r)
{
	const union esync_event *ev;

	for (size_t i = 0; (ev = esync_flight_get(&r->fl, i)); i++)
		write_ev(r, ev);
	esync_flight_clear(&r->fl);
	r->triggers++;
}

static void on_finding(void *ctx, const struct esync_finding *f)
{
	struct rec *r = ctx;

	if (r->flight && f->check != ESYNC_CHK_INCOMPLETE)
		flush_flight(r);
}

static void on_trigger(void *ctx, int sig)
{
	struct rec *r = ctx;

	if (r->flight)
		flush_flight(r);
}

/*
 * The header names the mode the session probed (so that 'esync check'
 * runs on the dump the checks that mode supports) and the topology it
 * read: create the dump once both are known, before any event.
 */
static int on_ready(void *ctx, unsigned int mode, const struct esync_topology *topo)
{
	struct rec *r = ctx;
	struct esync_dump_info info = { .mode = mode, .topo = *topo };
	struct utsname u;
	struct timespec ts;
	int rc;

	uname(&u);
	snprintf(info.host, sizeof(info.host), "%s", u.nodename);
	snprintf(info.kernel, sizeof(info.kernel), "%s", u.release);
	clock_gettime(CLOCK_REALTIME, &ts);
	info.created_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	rc = esync_dump_create(r->w, r->out, &info);
	if (rc < 0) {
		esync_err("record: cannot create %s: %s", r->out, strerror(-rc));
		return rc;
	}
	r->created = true;
	return 0;
}

static int run(int argc, char **argv)
{
	struct esync_session s = { .iommu = -1, .out = stdout };
	struct esync_record_opts o = { 0 };
	struct esync_dump_writer *w;
	struct rec r = { 0 };
	int rc = esync_live_parse(argc, argv, &s, &o), status;

	if (rc == ESYNC_OPTS_HELP) {
		usage(stdout);
		return 0;
	}
	if (rc) {
		usage(stderr);
		return ESYNC_EXIT_INCOMPLETE;
	}
	w = malloc(sizeof(*w));
	if (!w || (o.flight && esync_flight_init(&r.fl, o.flight) < 0)) {
		esync_err("record: out of memory");
		free(w);
		return ESYNC_EXIT_INCOMPLETE;
	}
	r.w = w;
	r.out = o.out;
	r.flight = o.flight > 0;

	s.on_event = on_event;
	s.on_finding = on_finding;
	s.on_trigger = on_trigger;
	s.on_ready = on_ready;
	s.ctx = &r;
	status = esync_session_run(&s);
	if (r.created) {
		rc = esync_dump_finish(w);
		if (rc < 0 || r.err) {
			esync_err("record: %s is incomplete: %s", o.out,
				  strerror(-(rc < 0 ? rc : r.err)));
			status = ESYNC_EXIT_INCOMPLETE;
		} else {
			fprintf(stderr, "esync: %s: %llu events%s\n", o.out,
				(unsigned long long)w->records,
				r.flight ? " (flight recorder windows)" : "");
		}
	}
	esync_flight_free(&r.fl);
	free(w);
	return status;
}

const struct esync_cmd cmd_record = {
	.name = "record",
	.summary = "record this machine's entry updates to a dump file (--flight N)",
	.run = run,
	.usage = usage,
};
