// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync record: write what the live session sees to a dump file, with the
 * topology snapshot, for 'esync check' and 'esync show' elsewhere.  With
 * --flight N only the last N events are kept, and written out on a
 * finding, an IOMMU fault or SIGUSR1.  The file is always left whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "flight.h"
#include "live_opts.h"
#include "outfile.h"
#include "session.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: esync record -o FILE [--flight N] [--force] [OPTIONS]\n\n"
		"Record the IOMMU entry updates of this machine to a dump file (mode\n"
		"0600) that 'esync check FILE' verifies.  SIGINT and SIGTERM stop it\n"
		"and leave a complete file.\n\n"
		"  -o, --output FILE   the dump to write (mode 0600; never through a\n"
		"                      symbolic link); - writes it to stdout and the\n"
		"                      findings to stderr\n"
		"  --force             overwrite FILE if it exists\n"
		"  --json              findings as JSON lines on stdout (stderr with -o -)\n"
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
		"  esync record -o crash.dump --flight 100000 &  kill -USR1 $!\n"
		"  esync record -o - --duration 10 | ssh host 'cat > remote.dump'\n");
}

struct rec {
	struct esync_dump_writer *w;
	const char *out;
	int fd;			/* the output, opened before the session starts */
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

static const char *out_name(const char *out)
{
	return strcmp(out, "-") ? out : "stdout";
}

/* The dump goes to the output esync_open_output() opened before the session. */
static int create_dump(struct rec *r, const struct esync_dump_info *info)
{
	int rc = esync_dump_create_fd(r->w, r->fd, info);

	if (rc < 0) {
		r->w->fd = -1;
		return rc;
	}
	r->fd = -1;		/* the writer owns it */
	return 0;
}

/*
 * The header names the mode the session probed (so that 'esync check'
 * runs on the dump the checks that mode supports) and the topology it
 * read: create the dump once both are known, before any event.
 */
static int on_ready(void *ctx, const struct esync_probe_result *probe,
		    const struct esync_topology *topo)
{
	struct rec *r = ctx;
	struct esync_dump_info info = { .topo = *topo };
	struct utsname u;
	struct timespec ts;
	int rc;

	uname(&u);
	snprintf(info.host, sizeof(info.host), "%s", u.nodename);
	snprintf(info.kernel, sizeof(info.kernel), "%s", u.release);
	/* mode, the checks its hooks allow, what the events carry */
	esync_probe_dump_info(probe, &info);
	clock_gettime(CLOCK_REALTIME, &ts);
	info.created_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	rc = create_dump(r, &info);
	if (rc < 0) {
		esync_err("record: cannot write the dump to %s: %s", out_name(r->out), strerror(-rc));
		return rc;
	}
	r->created = true;
	return 0;
}

/*
 * Takes --force out of argv (the options parser is shared with 'esync
 * live', which has no output file); returns the new argc.
 */
static int take_force(int argc, char **argv, bool *force)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[n++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--force"))
			*force = true;
		else
			argv[n++] = argv[i];
	}
	argv[n] = NULL;
	return n;
}

/* The output the session never wrote to: remove it if this run created it. */
static void drop_output(const char *out, int fd, bool force)
{
	struct stat a, b;

	if (!strcmp(out, "-") || force)
		return;
	if (fstat(fd, &a) == 0 && lstat(out, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino && b.st_size == 0)
		unlink(out);
}

static int run(int argc, char **argv)
{
	struct esync_session s = { .iommu = -1, .out = stdout };
	struct esync_record_opts o = { 0 };
	struct esync_dump_writer *w;
	struct rec r = { .fd = -1 };
	bool force = false;
	char msg[512];
	int rc, status;

	argc = take_force(argc, argv, &force);
	rc = esync_live_parse(argc, argv, &s, &o);
	if (rc == ESYNC_OPTS_HELP) {
		usage(stdout);
		return 0;
	}
	if (rc) {
		usage(stderr);
		return ESYNC_EXIT_INCOMPLETE;
	}
	if (!strcmp(o.out, "-")) {
		if (isatty(STDOUT_FILENO)) {
			esync_err("record: -o - writes a binary dump to stdout, which is a terminal: redirect it");
			return ESYNC_EXIT_INCOMPLETE;
		}
		s.out = stderr;		/* stdout carries the dump */
	}
	w = malloc(sizeof(*w));
	if (!w || (o.flight && esync_flight_init(&r.fl, o.flight) < 0)) {
		esync_err("record: out of memory");
		free(w);
		return ESYNC_EXIT_INCOMPLETE;
	}
	/* Before the session attaches anything, so that a refusal costs nothing */
	r.fd = esync_open_output(o.out, force);
	if (r.fd < 0) {
		esync_output_explain(o.out, r.fd, msg, sizeof(msg));
		esync_err("record: %s", msg);
		esync_flight_free(&r.fl);
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
			esync_err("record: %s is incomplete: %s", out_name(o.out),
				  strerror(-(rc < 0 ? rc : r.err)));
			status = ESYNC_EXIT_INCOMPLETE;
		} else {
			fprintf(stderr, "esync: %s: %llu events%s\n", out_name(o.out),
				(unsigned long long)w->records,
				r.flight ? " (flight recorder windows)" : "");
		}
	} else if (r.fd >= 0) {
		drop_output(o.out, r.fd, force);
		close(r.fd);
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
