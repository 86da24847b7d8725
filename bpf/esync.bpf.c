// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync's collectors.  Every program copies what its hook gives into one
 * event of bpf/esync_events.h and submits it to the ring buffer; nothing is
 * formatted here.  Userspace switches off, before load, the programs whose
 * hook the running kernel lacks (bpf_program__set_autoload).
 *
 *   patched kernels  tp_btf on entry_sync_*, arm_smmu_cmdq_issue,
 *                    amd_iommu_cmd, intel_iommu:qi_submit and qi_wait
 *                    and the fault tracepoints of the three drivers
 *   legacy kernels   qi_submit, an fexit on qi_submit_sync(), kprobes on the
 *                    SMMUv3 command queue and sync callbacks, the AMD
 *                    command queue and IRTE/DTE writers, and on the
 *                    drivers' fault handlers
 *   both             iommu:io_page_fault, where no driver fault hook is on
 *
 * Driver types that one kernel may lack are declared here with
 * preserve_access_index, so that one object serves x86_64 and arm64.
 */
#include "vmlinux.h"

#if defined(__TARGET_ARCH_arm64) && !defined(ESYNC_VMLINUX_ARM64)
/* vmlinux.h is x86_64's: arm64 kprobes read their arguments from this */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
#endif
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "esync_events.h"
#include "esync_bpf.h"
#include "esync_emit.h"
#include "esync_task.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load */
const volatile __u32 esync_nr_cpus = 1;
/* Legacy AMD: __iommu_queue_command_sync cannot be probed, synthesize */
const volatile bool amd_synth_irt = false;

/* Local views of kernel types (CO-RE relocates their fields) */
struct entry_sync_id___esync {
	__u16 format;
	__u16 iommu;
	__u32 dev;
	__u32 sub;
} __attribute__((preserve_access_index));

struct irq_remap_table___esync {
	__u32 *table;
} __attribute__((preserve_access_index));

struct amd_iommu_pci_seg___esync {
	void *dev_table;
	struct irq_remap_table___esync **irq_lookup_table;
} __attribute__((preserve_access_index));

struct amd_irte_ops___esync {
	void *clear_allocated;
} __attribute__((preserve_access_index));

struct amd_iommu___esync {
	int index;
	struct amd_iommu_pci_seg___esync *pci_seg;
	const struct amd_irte_ops___esync *irte_ops;
} __attribute__((preserve_access_index));

struct intel_iommu___esync {
	int seq_id;
} __attribute__((preserve_access_index));

struct iommu_cmd___esync {
	__u32 data[4];
} __attribute__((preserve_access_index));

struct irte_ga___esync {
	__u64 lo;
	__u64 hi;
} __attribute__((preserve_access_index));

struct iommu_dev_data___esync {
	__u16 devid;
} __attribute__((preserve_access_index));

/*
 * The driver types are read only where the kernel has them, so that every
 * program loads on any kernel (and passes verifier-check on the build
 * host, which may have neither driver).
 */
static __always_inline __u16 amd_index(const void *iommu)
{
	const struct amd_iommu___esync *i = iommu;

	if (!bpf_core_type_exists(struct amd_iommu___esync))
		return 0;
	return (__u16)BPF_CORE_READ(i, index);
}

static __always_inline __u16 vtd_index(const void *iommu)
{
	const struct intel_iommu___esync *i = iommu;

	if (!bpf_core_type_exists(struct intel_iommu___esync))
		return 0;
	return (__u16)BPF_CORE_READ(i, seq_id);
}

static __always_inline __u32 words_of(__u32 n)
{
	return n > ESYNC_EV_MAX_WORDS ? ESYNC_EV_MAX_WORDS : n;
}

/*
 * Copies n u64 words (at most ESYNC_EV_MAX_WORDS). Entries are 1, 2, 4 or 8
 * words: those sizes are one read of a constant length, which keeps the
 * verifier's bounds exact; other counts go word by word.
 */
static __always_inline void copy_words(__u64 *dst, const void *src, __u32 n)
{
	switch (words_of(n)) {
	case 8:
		bpf_probe_read_kernel(dst, 8 * sizeof(__u64), src);
		break;
	case 4:
		bpf_probe_read_kernel(dst, 4 * sizeof(__u64), src);
		break;
	case 2:
		bpf_probe_read_kernel(dst, 2 * sizeof(__u64), src);
		break;
	case 1:
		bpf_probe_read_kernel(dst, sizeof(__u64), src);
		break;
	case 0:
		break;
	default:
#pragma unroll
		for (int i = 0; i < ESYNC_EV_MAX_WORDS; i++)
			if (i < n)
				bpf_probe_read_kernel(&dst[i], sizeof(__u64),
						      (const __u64 *)src + i);
	}
}

/* ---- patched kernels: the series' tracepoints ---- */

SEC("tp_btf/entry_sync_write_begin")
int BPF_PROG(es_write_begin, __u64 seq, const struct entry_sync_id___esync *id,
	     const void *addr, unsigned int quanta_bits, unsigned int num_quantas,
	     unsigned int vbit_quanta, const __u64 *cur, const __u64 *target)
{
	struct esync_ev_write_begin *ev;
	__u32 w = words_of(num_quantas * quanta_bits / 64);

	task_write_begin(seq);
	ev = reserve(sizeof(*ev), ESYNC_EV_WRITE_BEGIN, seq, BPF_CORE_READ(id, iommu));
	if (!ev)
		return 0;
	__builtin_memset(&ev->entry, 0, sizeof(*ev) - sizeof(ev->hdr));
	ev->entry = (__u64)addr;
	ev->format = BPF_CORE_READ(id, format);
	ev->quanta_bits = quanta_bits;
	ev->num_quanta = num_quantas;
	ev->vbit_quanta = vbit_quanta;
	ev->dev = BPF_CORE_READ(id, dev);
	ev->sub = BPF_CORE_READ(id, sub);
	ev->words = w;
	copy_words(ev->cur, cur, w);
	copy_words(ev->target, target, w);
	submit(ev);
	return 0;
}

SEC("tp_btf/entry_sync_store")
int BPF_PROG(es_store, __u64 seq, const void *addr, unsigned int index,
	     __u64 old_lo, __u64 old_hi, __u64 new_lo, __u64 new_hi)
{
	emit_store(seq, 0, (__u64)addr, index, old_lo, old_hi, new_lo, new_hi);
	return 0;
}

SEC("tp_btf/entry_sync_sync")
int BPF_PROG(es_sync, __u64 seq, const void *addr, unsigned int step)
{
	emit_sync(seq, 0, (__u64)addr, step);
	return 0;
}

SEC("tp_btf/entry_sync_used")
int BPF_PROG(es_used, __u64 seq, const void *addr, unsigned int words,
	     const __u64 *cur_used, const __u64 *target_used)
{
	struct esync_ev_used *ev;
	__u32 w = words_of(words);

	ev = reserve(sizeof(*ev), ESYNC_EV_USED, seq, 0);
	if (!ev)
		return 0;
	__builtin_memset(&ev->entry, 0, sizeof(*ev) - sizeof(ev->hdr));
	ev->entry = (__u64)addr;
	ev->words = w;
	copy_words(ev->cur_used, cur_used, w);
	copy_words(ev->target_used, target_used, w);
	submit(ev);
	return 0;
}

SEC("tp_btf/entry_sync_write_end")
int BPF_PROG(es_write_end, __u64 seq, const void *addr, unsigned int how,
	     unsigned int nr_critical, unsigned int nr_syncs, unsigned int words,
	     const __u64 *final)
{
	struct esync_ev_write_end *ev;
	__u32 w = words_of(words);

	task_write_end(seq);
	ev = reserve(sizeof(*ev), ESYNC_EV_WRITE_END, seq, 0);
	if (!ev)
		return 0;
	__builtin_memset(&ev->entry, 0, sizeof(*ev) - sizeof(ev->hdr));
	ev->entry = (__u64)addr;
	ev->how = how;
	ev->nr_syncs = nr_syncs;
	ev->nr_critical = nr_critical;
	ev->words = w;
	copy_words(ev->final, final, w);
	submit(ev);
	return 0;
}

static __always_inline enum esync_cmd_class smmu_class(__u8 op)
{
	if (op >= 0x03 && op <= 0x06)	/* CFGI_* */
		return ESYNC_CMD_ENTRY;
	if ((op >= 0x10 && op <= 0x30) || op == 0x40)	/* TLBI_*, ATC_INV */
		return ESYNC_CMD_TLB;
	return op == 0x46 ? ESYNC_CMD_WAIT : ESYNC_CMD_OTHER;
}

static __always_inline void emit_smmu(__u16 smmu, __u64 c0, __u64 c1, bool sync)
{
	struct esync_ev_smmu_cmd *ev;
	__u8 op = c0 & 0xff;
	bool keep;
	__u32 tid;
	__u64 seq = command_seq(smmu_class(op), &keep, &tid);

	if (!keep)
		return;
	ev = reserve_by(sizeof(*ev), ESYNC_EV_SMMU_CMD, seq, smmu, tid);
	if (!ev)
		return;
	ev->cmd[0] = c0;
	ev->cmd[1] = c1;
	/* CFGI_* and ATC_INV carry SID/SSID, TLBI_* ASID/VMID */
	ev->sid = (op >= 0x03 && op <= 0x06) || op == 0x40 ? c0 >> 32 : 0;
	ev->ssid = op == 0x05 || op == 0x40 ? (c0 >> 12) & 0xfffff : 0;
	ev->asid = op >= 0x10 && op <= 0x12 ? c0 >> 48 : 0;
	ev->vmid = (op >= 0x10 && op <= 0x12) || op == 0x28 || op == 0x2a ?
		(c0 >> 32) & 0xffff : 0;
	ev->opcode = op;
	ev->flags = sync ? ESYNC_SMMU_F_SYNC : 0;
	ev->pad = 0;
	submit(ev);
}

SEC("tp_btf/arm_smmu_cmdq_issue")
int BPF_PROG(smmu_cmdq_issue, __u16 smmu, const __u64 *cmd, bool sync)
{
	__u64 c[2] = {};

	bpf_probe_read_kernel(c, sizeof(c), cmd);
	emit_smmu(smmu, c[0], c[1], sync);
	return 0;
}

static __always_inline enum esync_cmd_class amd_class(__u8 type)
{
	switch (type) {
	case 0x02: case 0x05: case 0x08:	/* DTE, IRT, ALL */
		return ESYNC_CMD_ENTRY;
	case 0x03: case 0x04:			/* IOMMU pages, IOTLB pages */
		return ESYNC_CMD_TLB;
	case 0x01:
		return ESYNC_CMD_WAIT;
	}
	return ESYNC_CMD_OTHER;
}

static __always_inline void emit_amd(__u16 iommu, const __u32 *d)
{
	struct esync_ev_amd_cmd *ev;
	__u8 type = d[1] >> 28;
	bool keep;
	__u32 tid;
	__u64 seq = command_seq(amd_class(type), &keep, &tid);

	if (!keep)
		return;
	ev = reserve_by(sizeof(*ev), ESYNC_EV_AMD_CMD, seq, iommu, tid);
	if (!ev)
		return;
	ev->data[0] = d[0];
	ev->data[1] = d[1];
	ev->data[2] = d[2];
	ev->data[3] = d[3];
	/* DeviceID: DTE, IOTLB pages, IRT; DomainID: IOMMU pages */
	ev->devid = type == 0x02 || type == 0x04 || type == 0x05 ? d[0] & 0xffff : 0;
	ev->domain = type == 0x03 ? d[1] & 0xffff : 0;
	ev->pasid = type == 0x03 || type == 0x04 ? d[0] >> 12 & 0xfffff : 0;
	ev->type = type;
	ev->pad0 = 0;
	ev->pad1 = 0;
	submit(ev);
}

SEC("tp_btf/amd_iommu_cmd")
int BPF_PROG(amd_cmd, int iommu, const __u32 *data, bool sync)
{
	__u32 d[4] = {};

	bpf_probe_read_kernel(d, sizeof(d), data);
	emit_amd(iommu, d);
	return 0;
}

static __always_inline enum esync_cmd_class vtd_class(__u8 type)
{
	switch (type) {
	case 1: case 4: case 7:		/* context cache, IEC, PASID cache */
		return ESYNC_CMD_ENTRY;
	case 2: case 3: case 6: case 8:	/* IOTLB, device TLB, their PASID forms */
		return ESYNC_CMD_TLB;
	case 5:
		return ESYNC_CMD_WAIT;
	}
	return ESYNC_CMD_OTHER;
}

/*
 * The series adds the queue slot as the last argument of qi_submit and
 * qi_wait; their raw records then have an 'index' field.  On a kernel
 * without it the branch that reads the argument is dead code to the
 * verifier, which never checks it against the shorter prototype.
 */
struct trace_event_raw_qi_submit___esync {
	__u16 index;
} __attribute__((preserve_access_index));

struct trace_event_raw_qi_wait___esync {
	__u16 index;
} __attribute__((preserve_access_index));

SEC("tp_btf/qi_submit")
int BPF_PROG(vtd_qi_submit, void *iommu, __u64 qw0, __u64 qw1, __u64 qw2, __u64 qw3)
{
	struct esync_ev_vtd_desc *ev;
	__u8 type = (qw0 & 0xf) | ((qw0 >> 9) & 0x7) << 4;
	bool keep;
	__u32 tid;
	__u64 seq = command_seq(vtd_class(type), &keep, &tid);

	if (!keep)
		return 0;
	ev = reserve_by(sizeof(*ev), ESYNC_EV_VTD_DESC, seq, vtd_index(iommu), tid);
	if (!ev)
		return 0;
	ev->qw[0] = qw0;
	ev->qw[1] = qw1;
	ev->qw[2] = qw2;
	ev->qw[3] = qw3;
	ev->type = type;
	ev->pad0 = 0;
	ev->slot = 0;
	if (bpf_core_field_exists(struct trace_event_raw_qi_submit___esync, index))
		ev->slot = (__u16)ctx[5] + 1;
	ev->did = type == 8 ? 0 : (qw0 >> 16) & 0xffff;
	ev->pasid = type == 6 || type == 7 || type == 8 ? (qw0 >> 32) & 0xfffff : 0;
	ev->sid = type == 3 ? (qw0 >> 32) & 0xffff : type == 8 ? (qw0 >> 16) & 0xffff : 0;
	submit(ev);
	return 0;
}

static __always_inline void emit_completion(__u16 iommu, __u8 family, int status,
					    __u64 raw0, __u64 raw1, __u16 slot)
{
	struct esync_ev_completion *ev;
	bool keep;
	__u32 tid;
	__u64 seq = command_seq(ESYNC_CMD_RESULT, &keep, &tid);

	if (!keep)
		return;
	ev = reserve_by(sizeof(*ev), ESYNC_EV_COMPLETION, seq, iommu, tid);
	if (!ev)
		return;
	__builtin_memset(&ev->raw, 0, sizeof(*ev) - sizeof(ev->hdr));
	ev->raw[0] = raw0;
	ev->raw[1] = raw1;
	ev->family = family;
	ev->slot = slot;
	ev->status = status;
	submit(ev);
}

/* patched: the invalidation-wait descriptor closing a batch has ended */
SEC("tp_btf/qi_wait")
int BPF_PROG(vtd_qi_wait, void *iommu, __u64 qw0, __u64 qw1, int status)
{
	__u16 slot = 0;

	if (bpf_core_field_exists(struct trace_event_raw_qi_wait___esync, index))
		slot = (__u16)ctx[4] + 1;
	emit_completion(vtd_index(iommu), ESYNC_FAMILY_VTD, status, qw0, qw1, slot);
	return 0;
}

/* patched: the CMD_SYNC closing a batch completed, or its wait gave up */
SEC("tp_btf/arm_smmu_cmdq_sync_done")
int BPF_PROG(smmu_sync_done, __u16 smmu, __u32 prod, int ret)
{
	emit_completion(smmu, ESYNC_FAMILY_SMMU, ret, 0x46, prod, 0);
	return 0;
}

/* patched: iommu_completion_wait() saw its COMPLETION_WAIT done, or gave up */
SEC("tp_btf/amd_iommu_completion_wait_done")
int BPF_PROG(amd_wait_done, int iommu, __u64 data, int ret)
{
	emit_completion(iommu, ESYNC_FAMILY_AMD, ret, 1ULL << 60, data, 0);
	return 0;
}

/* legacy: a batch closed by CMD_SYNC returns the CMD_SYNC's wait result */
SEC("fexit/arm_smmu_cmdq_issue_cmdlist")
int BPF_PROG(smmu_cmdlist_done, void *smmu, void *cmdq, __u64 *cmds, int n,
	     bool sync, int ret)
{
	if (sync)
		emit_completion(0, ESYNC_FAMILY_SMMU, ret, 0x46, 0, 0);
	return 0;
}

/* legacy: iommu_completion_wait() returns its COMPLETION_WAIT's result */
SEC("fexit/iommu_completion_wait")
int BPF_PROG(amd_wait_ret, void *iommu, int ret)
{
	emit_completion(amd_index(iommu), ESYNC_FAMILY_AMD, ret, 1ULL << 60, 0, 0);
	return 0;
}

/* legacy: qi_submit_sync() appends and waits for an invalidation-wait descriptor */
SEC("fexit/qi_submit_sync")
int BPF_PROG(vtd_qi_done, void *iommu, void *desc, unsigned int count,
	     unsigned long options, int ret)
{
	emit_completion(vtd_index(iommu), ESYNC_FAMILY_VTD, ret, 0, 0, 0);
	return 0;
}

/* ---- faults: the record as the IOMMU wrote it, decoded in userspace ---- */

struct dev_iommu___esync {
	void *priv;
} __attribute__((preserve_access_index));

struct device___esync {
	struct {
		const char *name;
	} kobj;
	struct dev_iommu___esync *iommu;
} __attribute__((preserve_access_index));

static __always_inline struct esync_ev_fault *fault_reserve(__u16 iommu, __u8 source)
{
	struct esync_ev_fault *ev;

	count(ESYNC_CNT_FAULTS);
	ev = reserve(sizeof(*ev), ESYNC_EV_FAULT, 0, iommu);
	if (!ev)
		return NULL;
	__builtin_memset(&ev->raw, 0, sizeof(*ev) - sizeof(ev->hdr));
	ev->source = source;
	return ev;
}

/* patched: every record read from the SMMUv3 event queue */
SEC("tp_btf/arm_smmu_event")
int BPF_PROG(smmu_event, __u16 smmu, const __u64 *evt)
{
	struct esync_ev_fault *ev = fault_reserve(smmu, ESYNC_FAULT_SMMU_EVTQ);

	if (!ev)
		return 0;
	bpf_probe_read_kernel(ev->raw, sizeof(ev->raw), evt);
	submit(ev);
	return 0;
}

/* patched: every AMD event log entry */
SEC("tp_btf/amd_iommu_event")
int BPF_PROG(amd_event, int iommu, const __u32 *event)
{
	struct esync_ev_fault *ev = fault_reserve(iommu, ESYNC_FAULT_AMD_EVTLOG);

	if (!ev)
		return 0;
	bpf_probe_read_kernel(ev->raw, 4 * sizeof(__u32), event);
	submit(ev);
	return 0;
}

/* patched: every VT-d primary fault record */
SEC("tp_btf/dmar_fault_record")
int BPF_PROG(vtd_fault, void *iommu, __u64 lo, __u64 hi)
{
	struct esync_ev_fault *ev = fault_reserve(vtd_index(iommu), ESYNC_FAULT_VTD_FRCD);

	if (!ev)
		return 0;
	ev->raw[0] = lo;
	ev->raw[1] = hi;
	submit(ev);
	return 0;
}

/* legacy: arm_smmu_handle_evt(smmu, evt) sees every event queue record */
SEC("kprobe/arm_smmu_handle_evt")
int BPF_KPROBE(smmu_handle_evt, void *smmu, const __u64 *evt)
{
	struct esync_ev_fault *ev = fault_reserve(0, ESYNC_FAULT_SMMU_EVTQ);

	if (!ev)
		return 0;
	bpf_probe_read_kernel(ev->raw, sizeof(ev->raw), evt);
	submit(ev);
	return 0;
}

/* legacy: iommu_print_event(iommu, event) for every AMD event log entry */
SEC("kprobe/iommu_print_event")
int BPF_KPROBE(amd_print_event, void *iommu, const __u32 *event)
{
	struct esync_ev_fault *ev = fault_reserve(amd_index(iommu), ESYNC_FAULT_AMD_EVTLOG);

	if (!ev)
		return 0;
	bpf_probe_read_kernel(ev->raw, 4 * sizeof(__u32), event);
	submit(ev);
	return 0;
}

#if defined(__TARGET_ARCH_x86)
/*
 * legacy: dmar_fault_do_one(iommu, type, reason, pasid, source_id, addr),
 * for the records dmar_fault() does not ratelimit
 */
SEC("kprobe/dmar_fault_do_one")
int BPF_KPROBE(vtd_fault_do_one, void *iommu, int type, __u8 reason, __u32 pasid,
	       __u16 source_id)
{
	struct esync_ev_fault *ev = fault_reserve(vtd_index(iommu), ESYNC_FAULT_VTD_ARGS);

	if (!ev)
		return 0;
	ev->raw[0] = (__u32)type;
	ev->raw[1] = reason;
	ev->raw[2] = pasid;
	ev->raw[3] = source_id;
	ev->addr = ctx->r9;	/* the sixth argument */
	submit(ev);
	return 0;
}
#endif

/* iommu:io_page_fault, where no driver hook is on: the device by name */
SEC("tp_btf/io_page_fault")
int BPF_PROG(iommu_fault, struct device___esync *dev, unsigned long iova, int flags)
{
	struct esync_ev_fault *ev = fault_reserve(0, ESYNC_FAULT_IO_PAGE_FAULT);
	const char *name;

	if (!ev)
		return 0;
	ev->addr = iova;
	ev->flags = flags;
	name = BPF_CORE_READ(dev, kobj.name);
	if (name)
		bpf_probe_read_kernel_str(ev->name, sizeof(ev->name), name);
	submit(ev);
	return 0;
}

/* ---- legacy kernels: driver functions ---- */

/*
 * A legacy write's seq: the kernel gives none. A counter, not a random
 * number, so that two writes open at once never share one (commands are
 * charged to the write their seq names).
 */
__u64 legacy_seq_next;

static __always_inline __u64 legacy_seq(void)
{
	return ESYNC_LEGACY_SEQ | (__sync_fetch_and_add(&legacy_seq_next, 1) + 1);
}

/* arm_smmu_cmdq_issue_cmdlist(smmu, cmdq, cmds, n, sync) */
struct cmdlist {
	const __u64 *cmds;
	__u32 n;
	bool sync;
};

static long cmdlist_one(__u64 i, void *data)
{
	struct cmdlist *l = data;
	__u64 c[2];

	if (bpf_probe_read_kernel(c, sizeof(c), l->cmds + 2 * i))
		return 1;
	emit_smmu(0, c[0], c[1], l->sync && i == l->n - 1);
	return 0;
}

/*
 * One command per bpf_loop() round: the verifier checks the body once,
 * where an unrolled loop of 64 rounds exceeds its 10^6-instruction limit.
 */
SEC("kprobe/arm_smmu_cmdq_issue_cmdlist")
int BPF_KPROBE(smmu_cmdlist, void *smmu, void *cmdq, __u64 *cmds, int n, bool sync)
{
	struct cmdlist l = { .cmds = cmds, .sync = sync };

	if (n <= 0)
		return 0;
	l.n = n < 64 ? n : 64;	/* CMDQ_BATCH_ENTRIES */
	bpf_loop(l.n, cmdlist_one, &l, 0);
	return 0;
}

/*
 * Legacy SMMUv3: arm_smmu_write_entry(writer, entry, target) stores each
 * 64-bit quantum at most once per step and calls the writer's sync
 * callback after every step that changed something. A snapshot of the
 * entry at each sync therefore gives the step's stores exactly (each
 * quantum that differs from the last snapshot), and so the torn-view
 * window at sync granularity. The format is known at the first sync, by
 * which callback it is (STE or CD); a write is emitted from there.
 */
struct arm_smmu_stream___esync {
	__u32 id;
} __attribute__((preserve_access_index));

struct arm_smmu_master___esync {
	struct arm_smmu_stream___esync *streams;
} __attribute__((preserve_access_index));

struct arm_smmu_entry_writer___esync {
	void *ops;
	struct arm_smmu_master___esync *master;
} __attribute__((preserve_access_index));

struct arm_smmu_ste_writer___esync {
	struct arm_smmu_entry_writer___esync writer;
	__u32 sid;
} __attribute__((preserve_access_index));

struct arm_smmu_cd_writer___esync {
	struct arm_smmu_entry_writer___esync writer;
	int ssid;
} __attribute__((preserve_access_index));

#define SMMU_QWORDS 8

struct smmu_legacy_write {
	__u64 seq;
	__u64 entry;
	__u64 writer;
	__u64 cur[SMMU_QWORDS];
	__u64 target[SMMU_QWORDS];
	__u64 last[SMMU_QWORDS];	/* the entry at the last sync */
	__u32 format;			/* 0 until the first sync */
	__u32 syncs;
	__u32 critical;			/* syncs that left a valid entry non-valid */
	__u32 stores;
	__u32 dev;
	__u32 sub;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct smmu_legacy_write);
} smmu_writes SEC(".maps");

/* The sync callbacks' addresses, learnt when each first fires: 0 STE, 1 CD */
__u64 smmu_sync_fn[2];

static __always_inline bool smmu_valid(__u32 format, __u64 q0)
{
	return format == ESYNC_LEGACY_FMT_SMMU_CD ? q0 >> 31 & 1 : q0 & 1;
}

/*
 * The write-begin and write-end of a legacy write rebuilt from snapshots
 * (SMMUv3 STE/CD, VT-d PASID: 512-bit entries); the task is in the write
 * from its begin to its end.
 */
#define SNAPSHOT_WORDS 8

static __always_inline void emit_snapshot_begin(__u64 seq, __u16 iommu, __u64 entry,
						__u16 format, __u16 quanta_bits,
						__u32 dev, __u32 sub, __u16 flags,
						const __u64 *cur, const __u64 *target)
{
	struct esync_ev_write_begin *b;

	task_write_begin(seq);
	b = reserve(sizeof(*b), ESYNC_EV_WRITE_BEGIN, seq, iommu);
	if (!b)
		return;
	b->hdr.flags |= flags;
	__builtin_memset(&b->entry, 0, sizeof(*b) - sizeof(b->hdr));
	b->entry = entry;
	b->format = format;
	b->quanta_bits = quanta_bits;
	b->num_quanta = SNAPSHOT_WORDS * 64 / quanta_bits;
	b->dev = dev;
	b->sub = sub;
	b->words = SNAPSHOT_WORDS;
	__builtin_memcpy(b->cur, cur, SNAPSHOT_WORDS * sizeof(__u64));
	__builtin_memcpy(b->target, target, SNAPSHOT_WORDS * sizeof(__u64));
	submit(b);
}

static __always_inline void emit_snapshot_end(__u64 seq, __u16 iommu, __u64 entry,
					      __u32 stores, __u32 syncs, __u32 critical,
					      const __u64 *final)
{
	struct esync_ev_write_end *e;

	e = reserve(sizeof(*e), ESYNC_EV_WRITE_END, seq, iommu);
	if (e) {
		__builtin_memset(&e->entry, 0, sizeof(*e) - sizeof(e->hdr));
		e->entry = entry;
		e->how = !stores ? ESYNC_HOW_NO_CHANGE :
			 critical ? ESYNC_HOW_DISRUPTIVE : ESYNC_HOW_HITLESS;
		e->nr_syncs = syncs;
		e->nr_critical = critical;
		e->words = SNAPSHOT_WORDS;
		__builtin_memcpy(e->final, final, SNAPSHOT_WORDS * sizeof(__u64));
		submit(e);
	}
	task_write_end(seq);
}

_Static_assert(SMMU_QWORDS == SNAPSHOT_WORDS, "an STE and a CD are 512 bits");

static __always_inline void smmu_legacy_begin(struct smmu_legacy_write *w)
{
	emit_snapshot_begin(w->seq, 0, w->entry, w->format, 64, w->dev, w->sub, 0,
			    w->cur, w->target);
}

/* The quanta that changed since the last snapshot, as this step's stores */
static __always_inline void smmu_legacy_stores(struct smmu_legacy_write *w)
{
	__u64 now[SMMU_QWORDS];

	if (bpf_probe_read_kernel(now, sizeof(now), (const void *)w->entry))
		return;
#pragma unroll
	for (int i = 0; i < SMMU_QWORDS; i++) {
		if (now[i] == w->last[i])
			continue;
		w->stores++;
		emit_store(w->seq, 0, w->entry, i, w->last[i], 0, now[i], 0);
		w->last[i] = now[i];
	}
}

/* kprobe/arm_smmu_write_entry: remember the write until its first sync */
SEC("kprobe/arm_smmu_write_entry")
int BPF_KPROBE(smmu_write_entry, void *writer, __u64 *entry, const __u64 *target)
{
	__u32 tid = issuer_tid();
	struct smmu_legacy_write *w;
	static const struct smmu_legacy_write zero;

	if (bpf_map_update_elem(&smmu_writes, &tid, &zero, BPF_ANY))
		return 0;
	w = bpf_map_lookup_elem(&smmu_writes, &tid);
	if (!w)
		return 0;
	w->seq = legacy_seq();
	w->entry = (__u64)entry;
	w->writer = (__u64)writer;
	bpf_probe_read_kernel(w->cur, sizeof(w->cur), entry);
	bpf_probe_read_kernel(w->target, sizeof(w->target), target);
	__builtin_memcpy(w->last, w->cur, sizeof(w->cur));
	return 0;
}

static __always_inline void smmu_legacy_sync(struct pt_regs *ctx, void *writer,
					     __u32 format)
{
	__u32 tid = issuer_tid();
	struct smmu_legacy_write *w;

	count(ESYNC_CNT_SMMU_STEPS);
	smmu_sync_fn[format == ESYNC_LEGACY_FMT_SMMU_CD] = bpf_get_func_ip(ctx);
	w = bpf_map_lookup_elem(&smmu_writes, &tid);
	if (!w || w->writer != (__u64)writer)
		return;
	if (!w->format) {
		w->format = format;
		/* (a kernel without these types gets dev 0, and loads) */
		if (format == ESYNC_LEGACY_FMT_SMMU_CD &&
		    bpf_core_type_exists(struct arm_smmu_cd_writer___esync)) {
			struct arm_smmu_cd_writer___esync *cw = writer;

			w->sub = BPF_CORE_READ(cw, ssid);
			w->dev = BPF_CORE_READ(cw, writer.master, streams, id);
		} else if (bpf_core_type_exists(struct arm_smmu_ste_writer___esync)) {
			struct arm_smmu_ste_writer___esync *sw = writer;

			w->dev = BPF_CORE_READ(sw, sid);
		}
		smmu_legacy_begin(w);
	}
	smmu_legacy_stores(w);
	w->syncs++;
	if (!smmu_valid(format, w->last[0]) && smmu_valid(format, w->cur[0]) &&
	    smmu_valid(format, w->target[0]))
		w->critical++;
	emit_sync(w->seq, 0, w->entry, w->syncs);
}

/* One call of a sync callback is one step of arm_smmu_write_entry() */
SEC("kprobe/arm_smmu_ste_writer_sync_entry")
int BPF_KPROBE(smmu_ste_sync, void *writer)
{
	smmu_legacy_sync(ctx, writer, ESYNC_LEGACY_FMT_SMMU_STE);
	return 0;
}

SEC("kprobe/arm_smmu_cd_writer_sync_entry")
int BPF_KPROBE(smmu_cd_sync, void *writer)
{
	smmu_legacy_sync(ctx, writer, ESYNC_LEGACY_FMT_SMMU_CD);
	return 0;
}

/*
 * kretprobe/arm_smmu_write_entry: stores no sync followed (a bug: 6.12
 * syncs after every step that changed the entry), then the write-end.
 * A write that changed nothing had no sync and is not emitted.
 */
SEC("kretprobe/arm_smmu_write_entry")
int BPF_KRETPROBE(smmu_write_entry_ret)
{
	__u32 tid = issuer_tid();
	struct smmu_legacy_write *w;
	__u64 now0 = 0, ops = 0, fn = 0;

	w = bpf_map_lookup_elem(&smmu_writes, &tid);
	if (!w)
		return 0;
	if (!w->format) {
		/* no sync: which writer it is, from its sync callback's address */
		bpf_probe_read_kernel(&now0, sizeof(now0), (const void *)w->entry);
		bpf_probe_read_kernel(&ops, sizeof(ops), (const void *)w->writer);
		if (ops)
			bpf_probe_read_kernel(&fn, sizeof(fn), (const void *)(ops + 8));
		if (now0 == w->cur[0] || !fn ||
		    (fn != smmu_sync_fn[0] && fn != smmu_sync_fn[1]))
			goto out;
		w->format = fn == smmu_sync_fn[1] ? ESYNC_LEGACY_FMT_SMMU_CD :
			    ESYNC_LEGACY_FMT_SMMU_STE;
		if (w->format == ESYNC_LEGACY_FMT_SMMU_STE &&
		    bpf_core_type_exists(struct arm_smmu_ste_writer___esync)) {
			/* a local: CO-RE must not relocate w's own fields */
			struct arm_smmu_ste_writer___esync *sw = (void *)w->writer;

			w->dev = BPF_CORE_READ(sw, sid);
		}
		smmu_legacy_begin(w);
	}
	smmu_legacy_stores(w);
	emit_snapshot_end(w->seq, 0, w->entry, w->stores, w->syncs, w->critical, w->last);
out:
	bpf_map_delete_elem(&smmu_writes, &tid);
	return 0;
}

/* __iommu_queue_command_sync(iommu, cmd, sync) */
SEC("kprobe/__iommu_queue_command_sync")
int BPF_KPROBE(amd_queue_cmd, void *iommu, struct iommu_cmd___esync *cmd)
{
	__u32 d[4] = {};

	bpf_probe_read_kernel(d, sizeof(d), cmd);
	emit_amd(amd_index(iommu), d);
	return 0;
}

/*
 * Legacy AMD entry writes are seen whole: one write-begin, one store and a
 * write-end, keyed by a synthetic entry address (the table is not reachable
 * from the arguments); the invalidations follow, as on VT-d.
 */
static __always_inline __u64 legacy_key(__u8 fmt, __u16 devid, __u32 index)
{
	return ESYNC_LEGACY_ENTRY | (__u64)fmt << 48 | (__u64)devid << 32 | index;
}

static __always_inline void emit_legacy_write(__u16 iommu, __u16 format,
					      __u16 qbits, __u16 nq, __u32 dev,
					      __u32 sub, const __u64 *old,
					      const __u64 *val)
{
	__u64 seq = legacy_seq();
	__u64 key = legacy_key(format, dev, sub);
	__u32 w = nq * qbits / 64;
	struct esync_ev_write_begin *b;
	struct esync_ev_write_end *e;

	/* The flush that follows in the caller belongs to this write */
	task_write_begin(seq);
	task_write_end(seq);
	b = reserve(sizeof(*b), ESYNC_EV_WRITE_BEGIN, seq, iommu);
	if (!b)
		return;
	__builtin_memset(&b->entry, 0, sizeof(*b) - sizeof(b->hdr));
	b->entry = key;
	b->format = format;
	b->quanta_bits = qbits;
	b->num_quanta = nq;
	b->dev = dev;
	b->sub = sub;
	b->words = w;
	b->cur[0] = old[0];
	b->cur[1] = old[1];
	b->target[0] = val[0];
	b->target[1] = val[1];
	submit(b);

	if (!emit_store(seq, iommu, key, 0, old[0], old[1], val[0], val[1]))
		return;

	e = reserve(sizeof(*e), ESYNC_EV_WRITE_END, seq, iommu);
	if (!e)
		return;
	__builtin_memset(&e->entry, 0, sizeof(*e) - sizeof(e->hdr));
	e->entry = key;
	e->how = ESYNC_HOW_HITLESS;
	e->words = w;
	e->final[0] = val[0];
	e->final[1] = val[1];
	submit(e);
}

/*
 * The 128-bit GA IRTE (devid, index) as its table holds it now (0 where
 * the table cannot be read): iommu->pci_seg->irq_lookup_table[devid].
 */
static __always_inline void amd_irte_read(const void *iommu, __u16 devid,
					  int index, __u64 *v)
{
	const struct amd_iommu___esync *i = iommu;
	struct irq_remap_table___esync **lookup, *t = NULL;
	__u32 *table;

	if (!bpf_core_type_exists(struct amd_iommu___esync) ||
	    !bpf_core_field_exists(struct amd_iommu_pci_seg___esync, irq_lookup_table) ||
	    !bpf_core_type_exists(struct irq_remap_table___esync))
		return;
	lookup = BPF_CORE_READ(i, pci_seg, irq_lookup_table);
	if (!lookup || bpf_probe_read_kernel(&t, sizeof(t), lookup + devid) || !t)
		return;
	table = BPF_CORE_READ(t, table);
	if (table)
		bpf_probe_read_kernel(v, 2 * sizeof(__u64), table + 4 * (__u32)index);
}

/*
 * modify_irte_ga(iommu, devid, index, irte): the GA IRTE goes from what
 * the table holds to *irte in one 128-bit cmpxchg
 */
SEC("kprobe/modify_irte_ga")
int BPF_KPROBE(amd_modify_irte_ga, void *iommu, __u16 devid, int index,
	       struct irte_ga___esync *irte)
{
	__u64 old[2] = {}, v[2] = {};

	amd_irte_read(iommu, devid, index, old);
	bpf_probe_read_kernel(v, sizeof(v), irte);
	emit_legacy_write(amd_index(iommu), ESYNC_LEGACY_FMT_AMD_IRTE, 128, 1,
			  devid, index, old, v);
	return 0;
}

/* The GA mode's clear_allocated (kallsyms), to tell GA tables from 32-bit ones */
extern const void irte_ga_clear_allocated __ksym __weak;

/*
 * free_irte(iommu, devid, index): the IRTE is cleared. Only GA tables are
 * followed (as modify_irte_ga is); a 32-bit one is told by the IOMMU's
 * irte_ops, or, on a kernel whose symbol table lacks them, assumed GA.
 */
SEC("kprobe/free_irte")
int BPF_KPROBE(amd_free_irte, void *iommu, __u16 devid, int index)
{
	const struct amd_iommu___esync *i = iommu;
	__u64 old[2] = {}, v[2] = {};

	if (bpf_core_field_exists(struct amd_iommu___esync, irte_ops) &&
	    &irte_ga_clear_allocated &&
	    BPF_CORE_READ(i, irte_ops, clear_allocated) != &irte_ga_clear_allocated)
		return 0;
	amd_irte_read(iommu, devid, index, old);
	emit_legacy_write(amd_index(iommu), ESYNC_LEGACY_FMT_AMD_IRTE, 128, 1,
			  devid, index, old, v);
	return 0;
}

/*
 * Stock set_dte_entry(iommu, dev_data) rewrites the DTE of dev_data->devid
 * in place, 64 bits at a time: DTE[2] (the guest table level, when GV),
 * then DTE[1], then DTE[0]. The IOMMU reads a 128-bit quantum at once, so
 * quantum 0 passes through (old DTE[0], new DTE[1]) on its way: the entry
 * before and after the call give the values, 6.12's code their order. Its
 * flushes follow once it returns.
 */
struct amd_dte_write {
	__u64 entry;
	__u64 cur[4];
	__u32 dev;
	__u16 iommu;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct amd_dte_write);
} amd_dte_writes SEC(".maps");

SEC("kprobe/set_dte_entry")
int BPF_KPROBE(amd_set_dte, struct amd_iommu___esync *iommu,
	       struct iommu_dev_data___esync *dd)
{
	__u32 tid = issuer_tid();
	struct amd_dte_write w = {};
	void *table;

	count(ESYNC_CNT_AMD_DTE);
	if (!bpf_core_type_exists(struct iommu_dev_data___esync) ||
	    !bpf_core_field_exists(iommu->pci_seg) ||
	    !bpf_core_type_exists(struct amd_iommu_pci_seg___esync))
		return 0;
	table = BPF_CORE_READ(iommu, pci_seg, dev_table);
	if (!table)
		return 0;
	w.dev = BPF_CORE_READ(dd, devid);
	w.iommu = amd_index(iommu);
	w.entry = (__u64)table + (__u64)w.dev * 32;
	bpf_probe_read_kernel(w.cur, sizeof(w.cur), (const void *)w.entry);
	bpf_map_update_elem(&amd_dte_writes, &tid, &w, BPF_ANY);
	return 0;
}

/* One 64-bit store of the stock writer, as the 128-bit quantum it changes */
static __always_inline __u32 amd_dte_store(const struct amd_dte_write *w, __u64 seq,
					   __u32 q, __u64 old_lo, __u64 old_hi,
					   __u64 new_lo, __u64 new_hi)
{
	emit_store(seq, w->iommu, w->entry, q, old_lo, old_hi, new_lo, new_hi);
	return 1;
}

SEC("kretprobe/set_dte_entry")
int BPF_KRETPROBE(amd_set_dte_ret)
{
	__u32 tid = issuer_tid();
	struct esync_ev_write_begin *b;
	struct esync_ev_write_end *e;
	struct amd_dte_write *w;
	__u64 now[4], seq;
	__u32 stores = 0;

	w = bpf_map_lookup_elem(&amd_dte_writes, &tid);
	if (!w)
		return 0;
	if (bpf_probe_read_kernel(now, sizeof(now), (const void *)w->entry))
		goto out;
	seq = legacy_seq();
	/* The flushes that follow in the caller belong to this write */
	task_write_begin(seq);
	task_write_end(seq);
	b = reserve(sizeof(*b), ESYNC_EV_WRITE_BEGIN, seq, w->iommu);
	if (!b)
		goto out;
	__builtin_memset(&b->entry, 0, sizeof(*b) - sizeof(b->hdr));
	b->entry = w->entry;
	b->format = ESYNC_LEGACY_FMT_AMD_DTE;
	b->quanta_bits = 128;
	b->num_quanta = 2;
	b->dev = w->dev;
	b->words = 4;
	__builtin_memcpy(b->cur, w->cur, sizeof(w->cur));
	__builtin_memcpy(b->target, now, sizeof(now));
	submit(b);
	if (now[2] != w->cur[2] || now[3] != w->cur[3])
		stores += amd_dte_store(w, seq, 1, w->cur[2], w->cur[3], now[2], now[3]);
	if (now[1] != w->cur[1])
		stores += amd_dte_store(w, seq, 0, w->cur[0], w->cur[1], w->cur[0], now[1]);
	if (now[0] != w->cur[0])
		stores += amd_dte_store(w, seq, 0, w->cur[0], now[1], now[0], now[1]);
	e = reserve(sizeof(*e), ESYNC_EV_WRITE_END, seq, w->iommu);
	if (!e)
		goto out;
	__builtin_memset(&e->entry, 0, sizeof(*e) - sizeof(e->hdr));
	e->entry = w->entry;
	e->how = stores ? ESYNC_HOW_HITLESS : ESYNC_HOW_NO_CHANGE;
	e->words = 4;
	__builtin_memcpy(e->final, now, sizeof(now));
	submit(e);
out:
	bpf_map_delete_elem(&amd_dte_writes, &tid);
	return 0;
}

/*
 * iommu_flush_irt_and_complete(iommu, devid): when the command queue cannot
 * be probed, its INVALIDATE_INTERRUPT_TABLE for devid and COMPLETION_WAIT.
 */
SEC("kprobe/iommu_flush_irt_and_complete")
int BPF_KPROBE(amd_flush_irt, void *iommu, __u16 devid)
{
	__u32 inv[4] = { devid, 0x5u << 28, 0, 0 };
	__u32 wait[4] = { 0, 0x1u << 28, 0, 0 };
	__u16 idx;

	count(ESYNC_CNT_AMD_IRT_FLUSH);
	if (!amd_synth_irt)
		return 0;
	idx = amd_index(iommu);
	emit_amd(idx, inv);
	emit_amd(idx, wait);
	return 0;
}

/*
 * Legacy VT-d: 6.12 has no in-place PASID-entry replace. Attaching a
 * domain tears the entry down (intel_pasid_tear_down_entry(): P cleared,
 * PASID-cache, IOTLB and device-TLB flushes, then the entry zeroed) and
 * sets it up again (intel_pasid_setup_*(): fields, then P, then
 * pasid_flush_caches()), all inside one __iommu_attach_device() call. That
 * is one update of the entry, and one write here: it begins at the
 * teardown, takes a snapshot of the entry before each flush (the stores of
 * the step just ended), at the teardown's return and once the setup is
 * done, and ends after the setup's flush, or when the attach returns
 * without a setup. The stock writer never says its target, so the write
 * is flagged ESYNC_EVF_TARGET_AT_END. A setup outside such an attach is a
 * write of its own, from a non-present entry.
 *
 * intel_pasid_get_entry() is inlined; the teardown's entry is found as it
 * does: dev->iommu->priv (device_domain_info) -> pasid_table -> directory
 * entry pasid >> 6 -> the physical page of 64 entries, in the direct map.
 */
struct pasid_table___esync {
	void *table;
} __attribute__((preserve_access_index));

struct device_domain_info___esync {
	__u8 bus;
	__u8 devfn;
	struct pasid_table___esync *pasid_table;
} __attribute__((preserve_access_index));

/* x86_64's direct map (kallsyms; KASLR moves it), its default if absent */
extern const void page_offset_base __ksym __weak;
#define VTD_DIRECT_MAP_DEFAULT	0xffff888000000000ULL
#define VTD_PASID_WORDS		SNAPSHOT_WORDS

struct vtd_legacy_write {
	__u64 seq;
	__u64 entry;
	__u64 op;			/* the attach it belongs to, 0: none */
	__u64 last[VTD_PASID_WORDS];	/* the entry at the last snapshot */
	__u32 dev;
	__u32 sub;
	__u32 syncs;
	__u32 critical;
	__u32 stores;
	__u16 iommu;
	bool dirty;			/* stores since the last sync event */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct vtd_legacy_write);
} vtd_writes SEC(".maps");

/* Per task, the __iommu_attach_device() call it is in, and its device */
struct attach_op {
	__u64 op;
	__u32 dev;			/* requester ID, if an Intel IOMMU's */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct attach_op);
} attach_ops SEC(".maps");

__u64 attach_op_next;
/* Legacy VT-d writes open: while 0, qi_submit_sync() needs no lookup */
volatile __s64 vtd_writes_open;

/* The requester ID of an Intel IOMMU's device (bus, devfn) */
static __always_inline __u32 vtd_dev_rid(struct device___esync *dev)
{
	struct device_domain_info___esync *info;

	if (!bpf_core_type_exists(struct device_domain_info___esync) ||
	    !bpf_core_field_exists(struct device___esync, iommu))
		return 0;
	info = BPF_CORE_READ(dev, iommu, priv);
	if (!info)
		return 0;
	return (__u32)BPF_CORE_READ(info, bus) << 8 | BPF_CORE_READ(info, devfn);
}

static __always_inline __u64 vtd_pasid_entry(struct device___esync *dev, __u32 pasid)
{
	struct device_domain_info___esync *info;
	__u64 dir, pde = 0, base = VTD_DIRECT_MAP_DEFAULT;

	if (!bpf_core_type_exists(struct device_domain_info___esync) ||
	    !bpf_core_type_exists(struct pasid_table___esync) ||
	    !bpf_core_field_exists(struct device___esync, iommu))
		return 0;
	info = BPF_CORE_READ(dev, iommu, priv);
	if (!info)
		return 0;
	dir = (__u64)BPF_CORE_READ(info, pasid_table, table);
	if (!dir || bpf_probe_read_kernel(&pde, sizeof(pde),
					  (const void *)(dir + 8 * (__u64)(pasid >> 6))))
		return 0;
	if (!(pde & 1))
		return 0;
	if (&page_offset_base)
		bpf_probe_read_kernel(&base, sizeof(base), &page_offset_base);
	return (pde & ~0xfffULL) + base + 64 * (__u64)(pasid & 0x3f);
}

static __always_inline void vtd_legacy_begin(struct vtd_legacy_write *w)
{
	emit_snapshot_begin(w->seq, w->iommu, w->entry, ESYNC_LEGACY_FMT_VTD_PASID, 128,
			    w->dev, w->sub, ESYNC_EVF_TARGET_AT_END, w->last, w->last);
}

static __always_inline void vtd_legacy_store(struct vtd_legacy_write *w,
					     const __u64 *now, __u32 q)
{
	if (now[2 * q] == w->last[2 * q] && now[2 * q + 1] == w->last[2 * q + 1])
		return;
	if ((w->last[0] & 1) && q == 0 && !(now[0] & 1))
		w->critical++;
	w->stores++;
	w->dirty = true;
	emit_store(w->seq, w->iommu, w->entry, q, w->last[2 * q], w->last[2 * q + 1],
		   now[2 * q], now[2 * q + 1]);
	w->last[2 * q] = now[2 * q];
	w->last[2 * q + 1] = now[2 * q + 1];
}

/*
 * The quanta that changed since the last snapshot, as stores: quantum 0
 * (with P) first where the stock code clears the entry, last where it
 * sets one up (P is its last store).
 */
static __always_inline void vtd_legacy_stores(struct vtd_legacy_write *w, bool p_last)
{
	__u64 now[VTD_PASID_WORDS];

	if (bpf_probe_read_kernel(now, sizeof(now), (const void *)w->entry))
		return;
	if (!p_last)
		vtd_legacy_store(w, now, 0);
	vtd_legacy_store(w, now, 1);
	vtd_legacy_store(w, now, 2);
	vtd_legacy_store(w, now, 3);
	if (p_last)
		vtd_legacy_store(w, now, 0);
}

/* A flush follows: the stores so far are a step */
static __always_inline void vtd_legacy_sync(struct vtd_legacy_write *w)
{
	if (!w->dirty)
		return;
	w->dirty = false;
	emit_sync(w->seq, w->iommu, w->entry, ++w->syncs);
}

static __always_inline void vtd_legacy_end(struct vtd_legacy_write *w, __u32 tid)
{
	vtd_legacy_stores(w, false);
	emit_snapshot_end(w->seq, w->iommu, w->entry, w->stores, w->syncs, w->critical,
			  w->last);
	bpf_map_delete_elem(&vtd_writes, &tid);
	__sync_fetch_and_add(&vtd_writes_open, -1);
}

static __always_inline struct vtd_legacy_write *vtd_legacy_new(__u32 tid, __u64 entry)
{
	static const struct vtd_legacy_write zero;
	struct vtd_legacy_write *w;
	struct attach_op *op = bpf_map_lookup_elem(&attach_ops, &tid);

	if (bpf_map_update_elem(&vtd_writes, &tid, &zero, BPF_NOEXIST))
		return NULL;
	__sync_fetch_and_add(&vtd_writes_open, 1);
	w = bpf_map_lookup_elem(&vtd_writes, &tid);
	if (!w)
		return NULL;
	w->seq = legacy_seq();
	w->entry = entry;
	w->op = op ? op->op : 0;
	w->dev = op ? op->dev : 0;
	return w;
}

/* intel_pasid_tear_down_entry(iommu, dev, pasid, fault_ignore) */
SEC("kprobe/intel_pasid_tear_down_entry")
int BPF_KPROBE(vtd_teardown, void *iommu, struct device___esync *dev, __u32 pasid)
{
	__u32 tid = issuer_tid();
	struct vtd_legacy_write *w;
	__u64 entry, cur[VTD_PASID_WORDS];

	count(ESYNC_CNT_VTD_PASID);
	w = bpf_map_lookup_elem(&vtd_writes, &tid);
	if (w)
		vtd_legacy_end(w, tid);
	entry = vtd_pasid_entry(dev, pasid);
	/* A non-present entry is left alone (or only cleared, for SVA) */
	if (!entry || bpf_probe_read_kernel(cur, sizeof(cur), (const void *)entry) ||
	    !(cur[0] & 1))
		return 0;
	w = vtd_legacy_new(tid, entry);
	if (!w)
		return 0;
	w->dev = vtd_dev_rid(dev);
	w->sub = pasid;
	w->iommu = vtd_index(iommu);
	__builtin_memcpy(w->last, cur, sizeof(cur));
	vtd_legacy_begin(w);
	return 0;
}

/* The entry is zeroed after the flushes; inside an attach, a setup may follow */
SEC("kretprobe/intel_pasid_tear_down_entry")
int BPF_KRETPROBE(vtd_teardown_ret)
{
	__u32 tid = issuer_tid();
	struct vtd_legacy_write *w = bpf_map_lookup_elem(&vtd_writes, &tid);

	if (!w)
		return 0;
	if (!w->op)
		vtd_legacy_end(w, tid);
	else
		vtd_legacy_stores(w, false);
	return 0;
}

/* qi_submit_sync(iommu, desc, count, options): the task flushes its write */
SEC("kprobe/qi_submit_sync")
int BPF_KPROBE(vtd_qi_sync, void *iommu)
{
	__u32 tid;
	struct vtd_legacy_write *w;

	if (vtd_writes_open <= 0)
		return 0;
	tid = issuer_tid();
	w = bpf_map_lookup_elem(&vtd_writes, &tid);
	if (!w)
		return 0;
	vtd_legacy_stores(w, false);
	vtd_legacy_sync(w);
	return 0;
}

/* pasid_flush_caches(iommu, pte, pasid, did): a setup has written pte */
SEC("kprobe/pasid_flush_caches")
int BPF_KPROBE(vtd_setup_flush, void *iommu, void *pte, __u32 pasid)
{
	__u32 tid = issuer_tid();
	struct vtd_legacy_write *w = bpf_map_lookup_elem(&vtd_writes, &tid);

	count(ESYNC_CNT_VTD_PASID);
	if (w && w->entry != (__u64)pte) {
		vtd_legacy_end(w, tid);
		w = NULL;
	}
	if (!w) {
		/*
		 * A setup of its own (the entry was non-present, zeroed, before),
		 * of the device being attached if it is in an attach
		 */
		w = vtd_legacy_new(tid, (__u64)pte);
		if (!w)
			return 0;
		w->op = 0;
		w->sub = pasid;
		w->iommu = vtd_index(iommu);
		vtd_legacy_begin(w);
	}
	vtd_legacy_stores(w, true);
	vtd_legacy_sync(w);
	return 0;
}

SEC("kretprobe/pasid_flush_caches")
int BPF_KRETPROBE(vtd_setup_flush_ret)
{
	__u32 tid = issuer_tid();
	struct vtd_legacy_write *w = bpf_map_lookup_elem(&vtd_writes, &tid);

	if (w)
		vtd_legacy_end(w, tid);
	return 0;
}

/* __iommu_attach_device(domain, dev): the core's attach, one driver call */
SEC("kprobe/__iommu_attach_device")
int BPF_KPROBE(iommu_attach, void *domain, struct device___esync *dev)
{
	__u32 tid = issuer_tid();
	struct attach_op op = {
		.op = __sync_fetch_and_add(&attach_op_next, 1) + 1,
		.dev = vtd_dev_rid(dev),
	};

	bpf_map_update_elem(&attach_ops, &tid, &op, BPF_ANY);
	return 0;
}

/* A teardown that no setup followed (a blocking attach) ends here */
SEC("kretprobe/__iommu_attach_device")
int BPF_KRETPROBE(iommu_attach_ret)
{
	__u32 tid = issuer_tid();
	struct vtd_legacy_write *w = bpf_map_lookup_elem(&vtd_writes, &tid);

	bpf_map_delete_elem(&attach_ops, &tid);
	if (w)
		vtd_legacy_end(w, tid);
	return 0;
}
