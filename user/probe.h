/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Feature probing: which of esync's hooks the running kernel offers, the
 * mode that follows (patched or legacy) and the checks that mode can run.
 * Decisions only, from a tracefs directory and a BTF lookup, so that tests
 * can hand it a fake tracefs and a list of names; the loader applies them.
 */
#ifndef ESYNC_PROBE_H
#define ESYNC_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum esync_hook_type {
	ESYNC_HOOK_TP_BTF,	/* raw tracepoint with BTF: btf_trace_<target> */
	ESYNC_HOOK_FEXIT,	/* BTF function */
	ESYNC_HOOK_KPROBE,	/* any traceable function */
	ESYNC_HOOK_KRETPROBE,	/* its return: the same condition */
};

enum esync_hook_set {
	ESYNC_SET_PATCHED = 1,	/* loaded in patched mode */
	ESYNC_SET_LEGACY = 2,	/* loaded in legacy mode */
	ESYNC_SET_BOTH = 3,
};

struct esync_hook {
	const char *prog;	/* BPF program name */
	const char *target;	/* tracepoint or function */
	unsigned int type;	/* enum esync_hook_type */
	unsigned int set;	/* enum esync_hook_set */
	const char *family;	/* "entry_sync", "smmu", "vtd", "amd", "iommu" */
};

extern const struct esync_hook esync_hooks[];
extern const unsigned int esync_nr_hooks;

/* Index in esync_hooks of prog; -1 if unknown. */
int esync_hook_find(const char *prog);

/* What the kernel offers, as the probe sees it. */
struct esync_probe_env {
	const char *tracefs;		/* "/sys/kernel/tracing" or a fake one */
	/* Does the kernel's BTF hold a type of this BTF kind and name? */
	bool (*btf_has)(void *ctx, unsigned int btf_kind, const char *name);
	void *btf_ctx;
	bool have_btf;
};

#define ESYNC_MAX_HOOKS 48

struct esync_probe_result {
	unsigned int mode;			/* enum esync_mode (dump.h) */
	bool load[ESYNC_MAX_HOOKS];		/* per esync_hooks[] */
	char why[ESYNC_MAX_HOOKS][96];		/* why not, or how */
	uint32_t checks;			/* ESYNC_CHK_* bits it can run */
	bool filter_functions;			/* available_filter_functions read */
	bool amd_synth_irt;			/* IRT flushes from their caller */
	uint32_t input_flags;			/* ESYNC_IN_* of what it records */
};

/*
 * Decides mode, hooks and checks.  forced_mode: 0 to choose, else
 * ESYNC_MODE_PATCHED or ESYNC_MODE_LEGACY.  Returns 0, or -1 when no hook
 * at all can be loaded (r->why[0] says why).
 */
int esync_probe(const struct esync_probe_env *env, unsigned int forced_mode,
		struct esync_probe_result *r);

/*
 * The checks a dump recorded in this mode supports, whatever hooks the
 * recording kernel had: all of them for patched (or unknown) dumps; A1
 * and incomplete for legacy ones that do not say which they support.
 */
uint32_t esync_mode_checks(unsigned int mode);

/*
 * The checks the patched mode's hooks (r->load) can feed: all with the
 * write events, U1 only with entry_sync_used.  Called again once the
 * hooks are attached, as attaching can fail.
 */
uint32_t esync_probe_patched_checks(const struct esync_probe_result *r);

/*
 * The checks legacy hooks support (r->load): A1 with an AMD IRTE writer
 * and its flushes; H1 and H4 with set_dte_entry() seen on both sides; with
 * arm_smmu_write_entry and both SMMUv3 sync callbacks, or the VT-d PASID
 * teardown and setup, the step checks, snapshots at each sync.
 * Called again once the hooks are attached, as attaching can fail.
 */
uint32_t esync_probe_legacy_checks(const struct esync_probe_result *r);

/*
 * ESYNC_IN_* of what the loaded hooks (r->load) record: above all whether
 * CMD_SYNC and COMPLETION_WAIT results come as events of their own (else
 * issuing them counts as completing them).  Called again once the hooks
 * are attached: a result hook that failed to attach must not leave every
 * wait unfinished.
 */
uint32_t esync_probe_input_flags(const struct esync_probe_result *r);

struct esync_dump_info;
/* What a dump recorded with these hooks says about itself: mode, checks, flags, hooks. */
void esync_probe_dump_info(const struct esync_probe_result *r,
			   struct esync_dump_info *info);

/*
 * The checks a dump supports: what its header records (dumps since format
 * version 2), else what its mode allows.
 */
uint32_t esync_dump_checks(const struct esync_dump_info *info);

/* The mode, hooks (with -v, all of them) and checks on and off, for people. */
void esync_probe_print(FILE *out, const struct esync_probe_result *r, bool verbose);

#endif /* ESYNC_PROBE_H */
