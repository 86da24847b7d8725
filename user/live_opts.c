// SPDX-License-Identifier: GPL-2.0-only
/* Options of 'esync live' and 'esync record'. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "dump.h"
#include "live_opts.h"

/* As esync_err(), which lives in esync.c: the unit tests link this file alone */
__attribute__((format(printf, 1, 2)))
static void opt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("esync: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int64_t esync_parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || v > (1ULL << 40))
		return -1;
	return (int64_t)v;
}

size_t esync_ringbuf_size(uint64_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = page;

	if (bytes < ESYNC_RINGBUF_MIN || bytes > (1ULL << 31))
		return 0;
	while (n < bytes)
		n <<= 1;
	return n;
}

int esync_live_parse(int argc, char **argv, struct esync_session *s,
		     struct esync_record_opts *rec)
{
	enum { O_JSON = 256, O_DEVICE, O_IOMMU, O_MODE, O_BUF, O_FLIGHT };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "verbose", no_argument, NULL, 'v' },
		{ "duration", required_argument, NULL, 'd' },
		{ "device", required_argument, NULL, O_DEVICE },
		{ "iommu", required_argument, NULL, O_IOMMU },
		{ "mode", required_argument, NULL, O_MODE },
		{ "buffer-size", required_argument, NULL, O_BUF },
		{ "output", required_argument, NULL, 'o' },
		{ "flight", required_argument, NULL, O_FLIGHT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *cmd = rec ? "record" : "live";
	char *end;
	int opt;
	int64_t v;

	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, rec ? "vd:o:h" : "vd:h", opts, NULL)) != -1) {
		switch (opt) {
		case O_JSON:
			s->json = true;
			break;
		case 'v':
			s->verbose++;
			break;
		case 'd':
			s->duration = strtod(optarg, &end);
			if (*end || end == optarg || !(s->duration > 0) || s->duration > 1e7) {
				opt_err("%s: --duration wants seconds > 0, not '%s'", cmd, optarg);
				return -1;
			}
			break;
		case O_DEVICE:
			if (esync_devid_parse(optarg, &s->dev) < 0) {
				opt_err("%s: --device wants a PCI address like 0000:02:01.0, not '%s'",
					  cmd, optarg);
				return -1;
			}
			s->have_dev = true;
			break;
		case O_IOMMU:
			v = strtol(optarg, &end, 0);
			if (*end || end == optarg || v < 0 || v > 0xffff) {
				opt_err("%s: --iommu wants an instance number, not '%s'", cmd, optarg);
				return -1;
			}
			s->iommu = (int)v;
			break;
		case O_MODE:
			if (!strcmp(optarg, "patched"))
				s->forced_mode = ESYNC_MODE_PATCHED;
			else if (!strcmp(optarg, "legacy"))
				s->forced_mode = ESYNC_MODE_LEGACY;
			else {
				opt_err("%s: --mode is patched or legacy, not '%s'", cmd, optarg);
				return -1;
			}
			break;
		case O_BUF:
			v = esync_parse_size(optarg);
			if (v < 0) {
				opt_err("%s: --buffer-size wants bytes (64K, 8M), not '%s'", cmd, optarg);
				return -1;
			}
			s->ringbuf_bytes = esync_ringbuf_size((uint64_t)v);
			if (!s->ringbuf_bytes) {
				opt_err("%s: a ring buffer of %s is too small (or over 2G): give --buffer-size 4M or more",
					  cmd, optarg);
				return -1;
			}
			break;
		case 'o':
			if (!rec)
				return -1;
			rec->out = optarg;
			break;
		case O_FLIGHT:
			if (!rec)
				return -1;
			v = esync_parse_size(optarg);
			if (v <= 0 || v > (1 << 24)) {
				opt_err("%s: --flight wants a number of events (1 to 16M), not '%s'",
					  cmd, optarg);
				return -1;
			}
			rec->flight = (size_t)v;
			break;
		case 'h':
			return ESYNC_OPTS_HELP;
		default:
			return -1;
		}
	}
	if (optind < argc) {
		opt_err("%s: unexpected argument '%s'", cmd, argv[optind]);
		return -1;
	}
	if (rec && !rec->out) {
		opt_err("record: no output file: give -o FILE");
		return -1;
	}
	return 0;
}
