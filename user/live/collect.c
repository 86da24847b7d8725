// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live collector (libbpf): preflight, feature probing, skeleton
 * lifecycle (open, set rodata and autoload, load, attach), ring-buffer
 * consumption and drop accounting.
 */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "dump.h"
#include "finding.h"
#include "ring.h"
#include "esync.skel.h"

#define TRACEFS "/sys/kernel/tracing"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

struct esync_collect {
	struct esync_bpf *skel;
	struct esync_ring rb;
	struct esync_collect_opts o;
	struct esync_probe_result probe;
	uint64_t drops_seen;
	uint64_t missed_seen;
	int ncpu;
	struct bpf_link *links[ESYNC_MAX_HOOKS];
};

static int verbosity;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && verbosity < 3)
		return 0;
	if (verbosity < 2)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static bool has_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { 0 };
	uint64_t eff;

	if (syscall(SYS_capget, &h, d) < 0)
		return geteuid() == 0;
	eff = d[0].effective | (uint64_t)d[1].effective << 32;
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return true;
	return (eff & (1ULL << CAP_BPF)) && (eff & (1ULL << CAP_PERFMON));
}

static bool dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			empty = false;
	closedir(d);
	return empty;
}

int esync_live_preflight(char *err, size_t len, bool *no_iommu)
{
	struct stat st;

	*no_iommu = false;
	if (!has_caps()) {
		snprintf(err, len, "live tracing needs root or CAP_BPF and CAP_PERFMON: run it with sudo, or record elsewhere and use 'esync check'");
		return -1;
	}
	if (stat("/sys/kernel/btf/vmlinux", &st) < 0) {
		snprintf(err, len, "the kernel has no BTF (/sys/kernel/btf/vmlinux): boot a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -1;
	}
	/* tracefs: for available_filter_functions; mount it if we may */
	if (stat(TRACEFS "/available_filter_functions", &st) < 0 &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL) < 0 &&
	    stat(TRACEFS "/available_filter_functions", &st) < 0) {
		snprintf(err, len, "tracefs is not mounted at " TRACEFS " and cannot be (%s): 'mount -t tracefs nodev " TRACEFS "', or boot with CONFIG_FTRACE=y",
			 strerror(errno));
		return -1;
	}
	*no_iommu = dir_empty("/sys/class/iommu");
	return 0;
}

static bool btf_lookup(void *ctx, unsigned int kind, const char *name)
{
	return btf__find_by_name_kind(ctx, name, kind) >= 0;
}

static void on_ring(void *ctx, const void *data, size_t size)
{
	struct esync_collect *c = ctx;
	const char *bad = esync_event_check(data, size);

	if (bad) {
		if (c->o.verbose)
			fprintf(stderr, "esync: dropped a malformed event: %s\n", bad);
		return;
	}
	c->o.on_event(c->o.ctx, data);
}

static struct bpf_program *prog_by_name(struct esync_bpf *s, const char *name)
{
	return bpf_object__find_program_by_name(s->obj, name);
}

struct esync_collect *esync_collect_open(const struct esync_collect_opts *o,
					 char *err, size_t len)
{
	struct esync_probe_env env = { .tracefs = TRACEFS, .btf_has = btf_lookup };
	struct esync_collect *c = calloc(1, sizeof(*c));
	struct btf *vmlinux;
	size_t rbsize;
	int rc;

	if (!c) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	c->o = *o;
	verbosity = o->verbose;
	libbpf_set_print(libbpf_print);

	vmlinux = btf__load_vmlinux_btf();
	env.have_btf = vmlinux != NULL;
	env.btf_ctx = vmlinux;
	rc = esync_probe(&env, o->forced_mode, &c->probe);
	btf__free(vmlinux);
	if (rc < 0) {
		snprintf(err, len, "%s: nothing to attach to", c->probe.why[0]);
		goto fail;
	}

	c->skel = esync_bpf__open();
	if (!c->skel) {
		snprintf(err, len, "cannot open the BPF object: %s", strerror(errno));
		goto fail;
	}
	c->ncpu = libbpf_num_possible_cpus();
	c->skel->rodata->esync_nr_cpus = (uint32_t)c->ncpu;
	c->skel->rodata->amd_synth_irt = c->probe.amd_synth_irt;
	rbsize = o->ringbuf_bytes ? o->ringbuf_bytes : ESYNC_RINGBUF_DEFAULT;
	bpf_map__set_max_entries(c->skel->maps.events, (uint32_t)rbsize);
	/* At most an eighth of the ring waits unannounced (esync_emit.h) */
	c->skel->rodata->wake_mask = esync_wake_mask(rbsize,
						     (unsigned int)sysconf(_SC_NPROCESSORS_ONLN));

	/* Every program of the object is in the hook table */
	for (unsigned int i = 0; i < esync_nr_hooks; i++) {
		struct bpf_program *p = prog_by_name(c->skel, esync_hooks[i].prog);

		if (p)
			bpf_program__set_autoload(p, c->probe.load[i]);
	}
	rc = esync_bpf__load(c->skel);
	if (rc) {
		snprintf(err, len, "loading the BPF programs failed (%s): run with -vv for the verifier's log",
			 strerror(-rc));
		goto fail;
	}
	for (unsigned int i = 0; i < esync_nr_hooks; i++) {
		struct bpf_program *p = prog_by_name(c->skel, esync_hooks[i].prog);
		struct bpf_link *l;

		if (!p || !c->probe.load[i])
			continue;
		l = bpf_program__attach(p);
		if (!l) {
			/* Probing said yes; tell and go on without it */
			snprintf(c->probe.why[i], sizeof(c->probe.why[i]),
				 "attaching to %s failed: %s", esync_hooks[i].target,
				 strerror(errno));
			c->probe.load[i] = false;
			continue;
		}
		c->links[i] = l;
	}
	/* What the hooks that did attach can feed (the dump header says it) */
	if (c->probe.mode == ESYNC_MODE_LEGACY)
		c->probe.checks = esync_probe_legacy_checks(&c->probe);
	else
		c->probe.checks = esync_probe_patched_checks(&c->probe);
	esync_seq_names_legacy(c->probe.mode == ESYNC_MODE_LEGACY);
	c->probe.input_flags = esync_probe_input_flags(&c->probe);
	rc = esync_ring_open(&c->rb, bpf_map__fd(c->skel->maps.events),
			     bpf_map__max_entries(c->skel->maps.events));
	if (rc) {
		snprintf(err, len, "cannot map the ring buffer: %s", strerror(-rc));
		goto fail;
	}
	return c;
fail:
	esync_collect_close(c);
	return NULL;
}

const struct esync_probe_result *esync_collect_probe(const struct esync_collect *c)
{
	return &c->probe;
}

void esync_collect_counters(struct esync_collect *c, uint64_t out[ESYNC_CNT_NR])
{
	uint64_t *v = calloc((size_t)c->ncpu, sizeof(*v));

	memset(out, 0, ESYNC_CNT_NR * sizeof(*out));
	if (!v)
		return;
	for (uint32_t k = 0; k < ESYNC_CNT_NR; k++) {
		if (bpf_map__lookup_elem(c->skel->maps.counters, &k, sizeof(k), v,
					 (size_t)c->ncpu * sizeof(*v), 0))
			continue;
		for (int i = 0; i < c->ncpu; i++)
			out[k] += v[i];
	}
	free(v);
}

/*
 * Runs of the attached programs the kernel skipped: a tracepoint, kprobe or
 * fentry hit while a BPF program was already running on that CPU (an
 * interrupt during one of ours, or any kprobe program for kprobes) does
 * not run its program, and counts it in the program's recursion_misses.
 * Each is an event lost without a trace in the ring buffer.
 */
uint64_t esync_collect_missed(const struct esync_collect *c)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < esync_nr_hooks; i++) {
		struct bpf_program *p = c->links[i] ? prog_by_name(c->skel, esync_hooks[i].prog) : NULL;
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (p && !bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			n += info.recursion_misses;
	}
	return n;
}

static void report_lost(struct esync_collect *c, uint64_t n, uint16_t flags)
{
	struct esync_ev_lost lost = { 0 };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	lost.hdr.ts_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	lost.hdr.kind = ESYNC_EV_LOST;
	lost.hdr.size = sizeof(lost);
	lost.hdr.flags = flags;
	lost.lost = n;
	c->o.on_event(c->o.ctx, (const union esync_event *)&lost);
}

/*
 * New drops and missed runs since the last look become ESYNC_EV_LOST
 * events in the stream.  The drops' places were marked as they happened
 * (ESYNC_EVF_LOST_BEFORE), their count only confirms them; a missed run
 * marks nothing, so its own event marks every write open now incomplete.
 */
static void report_drops(struct esync_collect *c)
{
	uint64_t cnt[ESYNC_CNT_NR], missed = esync_collect_missed(c);

	esync_collect_counters(c, cnt);
	if (cnt[ESYNC_CNT_DROPS] > c->drops_seen)
		report_lost(c, cnt[ESYNC_CNT_DROPS] - c->drops_seen, 0);
	c->drops_seen = cnt[ESYNC_CNT_DROPS];
	if (missed > c->missed_seen)
		report_lost(c, missed - c->missed_seen, ESYNC_EVF_LOST_UNPLACED);
	c->missed_seen = missed;
}

int esync_collect_poll(struct esync_collect *c, int timeout_ms)
{
	int n = esync_ring_wait(&c->rb, timeout_ms);

	/*
	 * The collectors wake the reader only every so many events
	 * (esync_emit.h): what is less is read when the wait times out.
	 */
	if (n >= 0)
		n = (int)esync_ring_consume(&c->rb, on_ring, c);
	report_drops(c);
	return n;
}

void esync_collect_close(struct esync_collect *c)
{
	if (!c)
		return;
	esync_ring_close(&c->rb);
	for (unsigned int i = 0; i < ESYNC_MAX_HOOKS; i++)
		bpf_link__destroy(c->links[i]);
	esync_bpf__destroy(c->skel);
	free(c);
}
