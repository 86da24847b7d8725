// SPDX-License-Identifier: GPL-2.0-only
/*
 * Feature probing.  A tp_btf hook needs btf_trace_<event> in the kernel's
 * BTF; a fexit hook the function in BTF; a kprobe the function under its
 * own name in available_filter_functions (a '.isra' or '.constprop' copy
 * has other arguments, and an inlined function is not there at all), or,
 * when that file cannot be read, the function in BTF.
 */
#include <errno.h>
#include <linux/btf.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "engine.h"
#include "finding.h"
#include "probe.h"

#define P ESYNC_SET_PATCHED
#define L ESYNC_SET_LEGACY
#define B ESYNC_SET_BOTH

const struct esync_hook esync_hooks[] = {
	{ "es_write_begin", "entry_sync_write_begin", ESYNC_HOOK_TP_BTF, P, "entry_sync" },
	{ "es_store", "entry_sync_store", ESYNC_HOOK_TP_BTF, P, "entry_sync" },
	{ "es_sync", "entry_sync_sync", ESYNC_HOOK_TP_BTF, P, "entry_sync" },
	{ "es_used", "entry_sync_used", ESYNC_HOOK_TP_BTF, P, "entry_sync" },
	{ "es_write_end", "entry_sync_write_end", ESYNC_HOOK_TP_BTF, P, "entry_sync" },
	{ "smmu_cmdq_issue", "arm_smmu_cmdq_issue", ESYNC_HOOK_TP_BTF, P, "smmu" },
	{ "amd_cmd", "amd_iommu_cmd", ESYNC_HOOK_TP_BTF, P, "amd" },
	{ "vtd_qi_submit", "qi_submit", ESYNC_HOOK_TP_BTF, B, "vtd" },
	{ "vtd_qi_wait", "qi_wait", ESYNC_HOOK_TP_BTF, P, "vtd" },
	{ "vtd_qi_done", "qi_submit_sync", ESYNC_HOOK_FEXIT, L, "vtd" },
	{ "smmu_sync_done", "arm_smmu_cmdq_sync_done", ESYNC_HOOK_TP_BTF, P, "smmu" },
	{ "amd_wait_done", "amd_iommu_completion_wait_done", ESYNC_HOOK_TP_BTF, P, "amd" },
	{ "smmu_cmdlist_done", "arm_smmu_cmdq_issue_cmdlist", ESYNC_HOOK_FEXIT, L, "smmu" },
	{ "amd_wait_ret", "iommu_completion_wait", ESYNC_HOOK_FEXIT, L, "amd" },
	{ "smmu_event", "arm_smmu_event", ESYNC_HOOK_TP_BTF, B, "smmu" },
	{ "amd_event", "amd_iommu_event", ESYNC_HOOK_TP_BTF, B, "amd" },
	{ "vtd_fault", "dmar_fault_record", ESYNC_HOOK_TP_BTF, B, "vtd" },
	{ "smmu_handle_evt", "arm_smmu_handle_evt", ESYNC_HOOK_KPROBE, B, "smmu" },
	{ "amd_print_event", "iommu_print_event", ESYNC_HOOK_KPROBE, B, "amd" },
	{ "vtd_fault_do_one", "dmar_fault_do_one", ESYNC_HOOK_KPROBE, B, "vtd" },
	{ "iommu_fault", "io_page_fault", ESYNC_HOOK_TP_BTF, B, "iommu" },
	{ "smmu_cmdlist", "arm_smmu_cmdq_issue_cmdlist", ESYNC_HOOK_KPROBE, L, "smmu" },
	{ "smmu_ste_sync", "arm_smmu_ste_writer_sync_entry", ESYNC_HOOK_KPROBE, L, "smmu" },
	{ "smmu_cd_sync", "arm_smmu_cd_writer_sync_entry", ESYNC_HOOK_KPROBE, L, "smmu" },
	{ "smmu_write_entry", "arm_smmu_write_entry", ESYNC_HOOK_KPROBE, L, "smmu" },
	{ "smmu_write_entry_ret", "arm_smmu_write_entry", ESYNC_HOOK_KRETPROBE, L, "smmu" },
	{ "amd_queue_cmd", "__iommu_queue_command_sync", ESYNC_HOOK_KPROBE, L, "amd" },
	{ "amd_modify_irte_ga", "modify_irte_ga", ESYNC_HOOK_KPROBE, L, "amd" },
	{ "amd_free_irte", "free_irte", ESYNC_HOOK_KPROBE, L, "amd" },
	{ "amd_set_dte", "set_dte_entry", ESYNC_HOOK_KPROBE, L, "amd" },
	{ "amd_set_dte_ret", "set_dte_entry", ESYNC_HOOK_KRETPROBE, L, "amd" },
	{ "amd_flush_irt", "iommu_flush_irt_and_complete", ESYNC_HOOK_KPROBE, L, "amd" },
	{ "vtd_teardown", "intel_pasid_tear_down_entry", ESYNC_HOOK_KPROBE, L, "vtd" },
	{ "vtd_teardown_ret", "intel_pasid_tear_down_entry", ESYNC_HOOK_KRETPROBE, L, "vtd" },
	{ "vtd_qi_sync", "qi_submit_sync", ESYNC_HOOK_KPROBE, L, "vtd" },
	{ "vtd_setup_flush", "pasid_flush_caches", ESYNC_HOOK_KPROBE, L, "vtd" },
	{ "vtd_setup_flush_ret", "pasid_flush_caches", ESYNC_HOOK_KRETPROBE, L, "vtd" },
	{ "iommu_attach", "__iommu_attach_device", ESYNC_HOOK_KPROBE, L, "iommu" },
	{ "iommu_attach_ret", "__iommu_attach_device", ESYNC_HOOK_KRETPROBE, L, "iommu" },
};

const unsigned int esync_nr_hooks = sizeof(esync_hooks) / sizeof(esync_hooks[0]);

_Static_assert(sizeof(esync_hooks) / sizeof(esync_hooks[0]) <= ESYNC_MAX_HOOKS,
	       "ESYNC_MAX_HOOKS");

uint32_t esync_mode_checks(unsigned int mode)
{
	if (mode == ESYNC_MODE_LEGACY)
		return 1u << ESYNC_CHK_A1 | 1u << ESYNC_CHK_INCOMPLETE;
	return (1u << ESYNC_CHK_NR) - 1;
}

int esync_hook_find(const char *prog)
{
	for (unsigned int i = 0; i < esync_nr_hooks; i++)
		if (!strcmp(esync_hooks[i].prog, prog))
			return (int)i;
	return -1;
}

/* available_filter_functions, as one sorted array of names */
struct ffuncs {
	char **name;
	size_t nr, cap;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ffuncs_read(const char *tracefs, struct ffuncs *f)
{
	char path[4096], line[512];
	FILE *in;

	snprintf(path, sizeof(path), "%s/available_filter_functions", tracefs);
	in = fopen(path, "r");
	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in)) {
		size_t n = strcspn(line, " \t\n");

		if (!n)
			continue;
		line[n] = '\0';
		if (f->nr == f->cap) {
			size_t cap = f->cap ? f->cap * 2 : 4096;
			char **p = realloc(f->name, cap * sizeof(*p));

			if (!p)
				break;
			f->name = p;
			f->cap = cap;
		}
		f->name[f->nr] = strdup(line);
		if (f->name[f->nr])
			f->nr++;
	}
	fclose(in);
	qsort(f->name, f->nr, sizeof(*f->name), cmp_str);
	return 0;
}

static bool ffuncs_has(const struct ffuncs *f, const char *name)
{
	const char *key = name;

	return bsearch(&key, f->name, f->nr, sizeof(*f->name), cmp_str) != NULL;
}

/* A compiler-made copy: name.isra.0, name.constprop.0, name.part.0 */
static const char *ffuncs_variant(const struct ffuncs *f, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < f->nr; i++)
		if (!strncmp(f->name[i], name, n) && f->name[i][n] == '.')
			return f->name[i];
	return NULL;
}

static void ffuncs_free(struct ffuncs *f)
{
	for (size_t i = 0; i < f->nr; i++)
		free(f->name[i]);
	free(f->name);
}

static bool btf_has(const struct esync_probe_env *env, unsigned int kind,
		    const char *name)
{
	return env->have_btf && env->btf_has && env->btf_has(env->btf_ctx, kind, name);
}

static void probe_hook(const struct esync_probe_env *env, const struct ffuncs *ff,
		       bool have_ff, const struct esync_hook *h, bool *ok,
		       char *why, size_t len)
{
	char tname[128];
	const char *v;

	*ok = false;
	switch (h->type) {
	case ESYNC_HOOK_TP_BTF:
		snprintf(tname, sizeof(tname), "btf_trace_%s", h->target);
		*ok = btf_has(env, BTF_KIND_TYPEDEF, tname);
		snprintf(why, len, *ok ? "tracepoint %s" : "no tracepoint %s in the kernel's BTF",
			 h->target);
		return;
	case ESYNC_HOOK_FEXIT:
		*ok = btf_has(env, BTF_KIND_FUNC, h->target);
		snprintf(why, len, *ok ? "fexit %s" : "no function %s in the kernel's BTF",
			 h->target);
		return;
	case ESYNC_HOOK_KPROBE:
	case ESYNC_HOOK_KRETPROBE:
		if (have_ff) {
			*ok = ffuncs_has(ff, h->target);
			v = *ok ? NULL : ffuncs_variant(ff, h->target);
			if (*ok)
				snprintf(why, len, "%s %s", h->type == ESYNC_HOOK_KPROBE ?
					 "kprobe" : "kretprobe", h->target);
			else if (v)
				snprintf(why, len, "%s exists only as %s (other arguments)",
					 h->target, v);
			else
				snprintf(why, len, "%s is not traceable (inlined or not built)",
					 h->target);
		} else {
			*ok = btf_has(env, BTF_KIND_FUNC, h->target);
			snprintf(why, len, *ok ? "kprobe %s (found in BTF)" :
				 "%s is not in the kernel's BTF", h->target);
		}
		return;
	}
}

int esync_probe(const struct esync_probe_env *env, unsigned int forced_mode,
		struct esync_probe_result *r)
{
	bool ok[ESYNC_MAX_HOOKS];
	struct ffuncs ff = { 0 };
	unsigned int set, nload = 0;
	bool have_ff;
	int begin = esync_hook_find("es_write_begin");

	memset(r, 0, sizeof(*r));
	have_ff = env->tracefs && !ffuncs_read(env->tracefs, &ff);
	r->filter_functions = have_ff;
	for (unsigned int i = 0; i < esync_nr_hooks; i++)
		probe_hook(env, &ff, have_ff, &esync_hooks[i], &ok[i], r->why[i],
			   sizeof(r->why[i]));
	ffuncs_free(&ff);

	r->mode = forced_mode ? forced_mode :
		ok[begin] ? ESYNC_MODE_PATCHED : ESYNC_MODE_LEGACY;
	set = r->mode == ESYNC_MODE_PATCHED ? ESYNC_SET_PATCHED : ESYNC_SET_LEGACY;
	for (unsigned int i = 0; i < esync_nr_hooks; i++) {
		if (!(esync_hooks[i].set & set)) {
			snprintf(r->why[i], sizeof(r->why[i]), "not used in %s mode",
				 r->mode == ESYNC_MODE_PATCHED ? "patched" : "legacy");
			continue;
		}
		r->load[i] = ok[i];
		nload += ok[i];
	}
	/*
	 * Faults: a driver's tracepoint, else a kprobe on its handler (which
	 * a ratelimit may skip), else iommu:io_page_fault, which only some
	 * faults reach; never two hooks for one record.
	 */
	{
		static const char *const fault_hooks[][2] = {
			{ "smmu_event", "smmu_handle_evt" },
			{ "amd_event", "amd_print_event" },
			{ "vtd_fault", "vtd_fault_do_one" },
		};
		int gen = esync_hook_find("iommu_fault");
		bool any = false;

		for (unsigned int i = 0; i < 3; i++) {
			int tp = esync_hook_find(fault_hooks[i][0]);
			int kp = esync_hook_find(fault_hooks[i][1]);

			if (r->load[tp] && r->load[kp]) {
				r->load[kp] = false;
				nload--;
				snprintf(r->why[kp], sizeof(r->why[kp]),
					 "not needed: tracepoint %s is on",
					 esync_hooks[tp].target);
			}
			any |= r->load[tp] || r->load[kp];
		}
		if (any && r->load[gen]) {
			r->load[gen] = false;
			nload--;
			snprintf(r->why[gen], sizeof(r->why[gen]),
				 "not needed: the drivers' fault hooks are on");
		}
	}
	r->input_flags = esync_probe_input_flags(r);
	if (r->mode == ESYNC_MODE_PATCHED) {
		r->checks = esync_probe_patched_checks(r);
	} else {
		int irte = esync_hook_find("amd_modify_irte_ga");
		int q = esync_hook_find("amd_queue_cmd");
		int flush = esync_hook_find("amd_flush_irt");

		/* AMD writes seen whole, commands from the queue or the flush */
		r->amd_synth_irt = r->load[irte] && !r->load[q] && r->load[flush];
		r->checks = esync_probe_legacy_checks(r);
	}
	if (!nload) {
		snprintf(r->why[0], sizeof(r->why[0]), "%s",
			 env->have_btf ? "the kernel offers none of esync's hooks" :
			 "the kernel has no BTF");
		return -1;
	}
	return 0;
}

uint32_t esync_probe_input_flags(const struct esync_probe_result *r)
{
	/* Every collector names the write of its task; which waits report results */
	uint32_t flags = ESYNC_IN_ATTRIBUTED;

	if (r->load[esync_hook_find("smmu_sync_done")] ||
	    r->load[esync_hook_find("smmu_cmdlist_done")])
		flags |= ESYNC_IN_SMMU_DONE;
	if (r->load[esync_hook_find("amd_wait_done")] ||
	    r->load[esync_hook_find("amd_wait_ret")])
		flags |= ESYNC_IN_AMD_DONE;
	if (r->mode == ESYNC_MODE_LEGACY)
		flags |= ESYNC_IN_LEGACY;
	return flags;
}

uint32_t esync_probe_patched_checks(const struct esync_probe_result *r)
{
	static const char *const needed[] = {
		"es_write_begin", "es_store", "es_sync", "es_write_end",
	};
	uint32_t checks = esync_mode_checks(ESYNC_MODE_PATCHED);

	/* Without the write events nothing can be judged (forced mode) */
	for (unsigned int i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!r->load[esync_hook_find(needed[i])])
			return 1u << ESYNC_CHK_INCOMPLETE;
	if (!r->load[esync_hook_find("es_used")])
		checks &= ~(1u << ESYNC_CHK_U1);
	return checks;
}

uint32_t esync_probe_legacy_checks(const struct esync_probe_result *r)
{
	static const char *const smmu[] = {
		"smmu_write_entry", "smmu_write_entry_ret", "smmu_ste_sync",
		"smmu_cd_sync", "smmu_cmdlist",
	};
	static const char *const vtd[] = {
		"vtd_teardown", "vtd_teardown_ret", "vtd_qi_sync", "vtd_setup_flush",
		"vtd_setup_flush_ret", "iommu_attach", "iommu_attach_ret",
		"vtd_qi_submit", "vtd_qi_done",
	};
	uint32_t checks = 1u << ESYNC_CHK_INCOMPLETE;
	bool snapshots = true, vtd_snapshots = true;

	/*
	 * AMD writes are seen whole. Without the sync events a write's step
	 * has no end: F2 would judge a batch that the driver follows with
	 * another flush (6.12 flushes a cloned alias DTE before the device's
	 * own), so only A1, which looks at every flush, is run.
	 */
	if (r->load[esync_hook_find("amd_modify_irte_ga")] &&
	    (r->load[esync_hook_find("amd_queue_cmd")] ||
	     r->load[esync_hook_find("amd_flush_irt")]))
		checks |= 1u << ESYNC_CHK_A1;
	/*
	 * Stock AMD DTE writes seen before and after set_dte_entry(), which
	 * stores DTE[1] and then DTE[0] with no sync in between: the view
	 * between the two stores is judged (H1), and so are non-valid ones
	 * (H4). Its flushes come after it returns, from other functions, so
	 * the fencing checks stay off.
	 */
	if (r->load[esync_hook_find("amd_set_dte")] &&
	    r->load[esync_hook_find("amd_set_dte_ret")])
		checks |= 1u << ESYNC_CHK_H1 | 1u << ESYNC_CHK_H4;
	/*
	 * SMMUv3 writes rebuilt from a snapshot at each sync: the stores of
	 * each step are exact, so the torn views, the fencing and the states
	 * are judged. A store from outside the writer between two syncs looks
	 * like one of the writer's (no H5), and there is no used-bits event
	 * (no U1).
	 */
	for (unsigned int i = 0; i < sizeof(smmu) / sizeof(smmu[0]); i++)
		snapshots &= r->load[esync_hook_find(smmu[i])];
	/*
	 * VT-d PASID entries rebuilt the same way, from a snapshot before each
	 * flush of intel_pasid_tear_down_entry() and once a setup is written,
	 * one write per __iommu_attach_device(): a teardown and set-up in one
	 * attach is one disruptive update (H2 asks whether it had to be).
	 */
	for (unsigned int i = 0; i < sizeof(vtd) / sizeof(vtd[0]); i++)
		vtd_snapshots &= r->load[esync_hook_find(vtd[i])];
	if (snapshots || vtd_snapshots)
		checks |= 1u << ESYNC_CHK_H1 | 1u << ESYNC_CHK_H2 | 1u << ESYNC_CHK_H3 |
			  1u << ESYNC_CHK_H4 | 1u << ESYNC_CHK_F1 | 1u << ESYNC_CHK_F2 |
			  1u << ESYNC_CHK_F3;
	return checks;
}

static const char *check_off_why(unsigned int mode, unsigned int chk)
{
	if (mode == ESYNC_MODE_PATCHED && chk == ESYNC_CHK_U1)
		return "needs the entry_sync_used tracepoint";
	if (mode == ESYNC_MODE_PATCHED)
		return "needs the entry_sync write, store, sync and write-end tracepoints, which this kernel lacks (is the series applied?)";
	if (chk == ESYNC_CHK_A1)
		return "needs modify_irte_ga and the AMD command queue (AMD only)";
	if (chk == ESYNC_CHK_H5)
		return "needs the stores themselves: legacy writes are seen at their syncs or whole";
	if (chk == ESYNC_CHK_U1)
		return "needs the entry_sync_used tracepoint of a patched kernel";
	if (chk == ESYNC_CHK_F2)
		return "needs the step boundaries: the entry_sync tracepoints of a patched kernel, or on SMMUv3 arm_smmu_write_entry() and its sync callbacks, on VT-d the PASID-entry teardown and setup";
	return "needs the entry at every step: the entry_sync tracepoints of a patched kernel, or on SMMUv3 arm_smmu_write_entry() and its sync callbacks, on VT-d the PASID-entry teardown and setup";
}

void esync_probe_print(FILE *out, const struct esync_probe_result *r, bool verbose)
{
	unsigned int nload = 0;

	for (unsigned int i = 0; i < esync_nr_hooks; i++)
		nload += r->load[i];
	fprintf(out, "esync: %s mode, %u of %zu hooks%s\n",
		r->mode == ESYNC_MODE_PATCHED ? "patched" : "legacy", nload,
		(size_t)esync_nr_hooks,
		r->filter_functions ? "" : " (available_filter_functions unreadable: functions looked up in BTF)");
	for (unsigned int i = 0; i < esync_nr_hooks; i++)
		if (verbose || r->load[i])
			fprintf(out, "esync:   %-3s %-20s %s\n", r->load[i] ? "on" : "off",
				esync_hooks[i].prog, r->why[i]);
	fprintf(out, "esync: checks on:");
	for (unsigned int c = 0; c < ESYNC_CHK_NR; c++)
		if (r->checks & (1u << c))
			fprintf(out, " %s", esync_check_name(c));
	fprintf(out, "\n");
	for (unsigned int c = 0; c < ESYNC_CHK_NR; c++)
		if (!(r->checks & (1u << c)))
			fprintf(out, "esync: check %s off: %s\n", esync_check_name(c),
				check_off_why(r->mode, c));
}

void esync_probe_dump_info(const struct esync_probe_result *r,
			   struct esync_dump_info *info)
{
	info->mode = r->mode;
	info->checks = r->checks;
	info->flags = r->input_flags;
	info->hooks_on = 0;
	for (unsigned int i = 0; i < esync_nr_hooks; i++)
		info->hooks_on += r->load[i];
	info->hooks_total = esync_nr_hooks;
}

uint32_t esync_dump_checks(const struct esync_dump_info *info)
{
	return info->checks ? info->checks : esync_mode_checks(info->mode);
}
