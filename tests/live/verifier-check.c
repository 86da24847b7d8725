// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every kprobe and kretprobe program of esync.bpf.c through the running kernel's
 * verifier, one program at a time.  The legacy programs attach only on
 * kernels without the series (a stock arm64 kernel for the SMMU ones), so
 * nothing else loads them here; a program the verifier refuses would make
 * 'esync live' fail on exactly those hosts.  The programs read driver
 * types only under bpf_core_type_exists(), so here, on a kernel without
 * the driver, the verifier sees the rest of each program (the boots of
 * Debian's kernels in 'make e2e' load them whole).  A program that still
 * reads a type this kernel lacks (libbpf poisons the CO-RE relocation) is
 * skipped, saying so.  TAP 13; needs root and BPF, skips otherwise.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "esync.skel.h"

/* The call libbpf leaves where a CO-RE relocation could not be resolved */
#define POISONED_CALL "unknown#195896080"

static char vlog[1 << 20];

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

/* The last line of the verifier's log that says something */
static const char *last_line(void)
{
	char *end = vlog + strlen(vlog), *p;

	while (end > vlog && end[-1] == '\n')
		*--end = '\0';
	p = strrchr(vlog, '\n');
	return p ? p + 1 : vlog;
}

/* load NAME alone; 0 loaded, 1 skipped, -1 refused */
static int load_one(const char *name, char *why, size_t len)
{
	struct esync_bpf *skel = esync_bpf__open();
	struct bpf_program *p;
	const char *stats;
	int err;

	if (!skel) {
		snprintf(why, len, "cannot open the BPF object: %s", strerror(errno));
		return -1;
	}
	bpf_object__for_each_program(p, skel->obj) {
		bool me = !strcmp(bpf_program__name(p), name);

		bpf_program__set_autoload(p, me);
		if (me) {
			vlog[0] = '\0';
			bpf_program__set_log_buf(p, vlog, sizeof(vlog));
			bpf_program__set_log_level(p, 4);	/* statistics */
		}
	}
	err = esync_bpf__load(skel);
	stats = strstr(vlog, "processed ");
	if (!err) {
		snprintf(why, len, "%.*s", (int)strcspn(stats ? stats : "", "\n"),
			 stats ? stats : "");
	} else if (strstr(vlog, POISONED_CALL)) {
		snprintf(why, len, "this kernel's BTF lacks a type it reads");
		err = 1;
	} else {
		snprintf(why, len, "%s (%s)", last_line(), strerror(-err));
		err = -1;
	}
	esync_bpf__destroy(skel);
	return err;
}

int main(void)
{
	struct esync_bpf *skel;
	struct bpf_program *p;
	const char *names[64];
	int n = 0, fails = 0;
	char why[256];

	libbpf_set_print(quiet);
	printf("TAP version 13\n");
	if (geteuid() != 0) {
		printf("1..0 # SKIP loading BPF programs needs root\n");
		return 0;
	}
	skel = esync_bpf__open();
	if (!skel) {
		printf("1..0 # SKIP cannot open the BPF object: %s\n", strerror(errno));
		return 0;
	}
	bpf_object__for_each_program(p, skel->obj)
		if ((!strncmp(bpf_program__section_name(p), "kprobe/", 7) ||
		     !strncmp(bpf_program__section_name(p), "kretprobe/", 10)) && n < 64)
			names[n++] = strdup(bpf_program__name(p));
	esync_bpf__destroy(skel);

	printf("1..%d\n", n);
	for (int i = 0; i < n; i++) {
		switch (load_one(names[i], why, sizeof(why))) {
		case 0:
			printf("ok %d - %s passes the verifier # %s\n", i + 1, names[i], why);
			break;
		case 1:
			printf("ok %d - %s # SKIP %s\n", i + 1, names[i], why);
			break;
		default:
			printf("not ok %d - %s refused by the verifier\n# %s\n",
			       i + 1, names[i], why);
			fails++;
		}
	}
	return fails ? 1 : 0;
}
