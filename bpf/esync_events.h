/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * esync event ABI: the records the BPF programs put in the ring buffer, that
 * a dump file stores and that the userspace engine reads.  Shared by
 * the BPF programs (clang -target bpf) and user/ (gcc, clang).
 *
 * Rules: every field has a fixed width and is little-endian; every structure
 * is a multiple of 8 bytes with explicit padding (which writers zero); the
 * offsets are checked below, so a change that moves a field fails to build.
 * Any change to a layout bumps ESYNC_EVENTS_VERSION.
 *
 * Entry values are the raw memory of the entry as u64 words in memory order,
 * as the entry_sync tracepoints give them.  Invalidation commands keep their
 * raw words; the decoded ids next to them are what the driver's tracepoint
 * reports, so that a BPF program copies and never translates.
 */
#ifndef ESYNC_EVENTS_H
#define ESYNC_EVENTS_H

/*
 * Fixed-width types under names of their own: the BPF side takes them from
 * its compiler, userspace from <stdint.h>, so that both see the same widths
 * and userspace code can pass these fields where uint64_t is expected.
 */
#ifdef __bpf__
typedef unsigned char esync_u8;
typedef unsigned short esync_u16;
typedef unsigned int esync_u32;
typedef int esync_s32;
typedef unsigned long long esync_u64;
#else
#include <stdint.h>
typedef uint8_t esync_u8;
typedef uint16_t esync_u16;
typedef uint32_t esync_u32;
typedef int32_t esync_s32;
typedef uint64_t esync_u64;
#endif

#define ESYNC_EVENTS_VERSION	1

/* Largest entry: 512 bits. */
#define ESYNC_EV_MAX_WORDS	8
/* Aliases in one topology record (the device itself not counted). */
#define ESYNC_EV_MAX_ALIASES	32
/* No event is larger than this; readers reject bigger frames. */
#define ESYNC_EV_MAX_SIZE	256

enum esync_ev_kind {
	ESYNC_EV_WRITE_BEGIN = 1,
	ESYNC_EV_STORE = 2,
	ESYNC_EV_SYNC = 3,
	ESYNC_EV_USED = 4,
	ESYNC_EV_WRITE_END = 5,
	ESYNC_EV_SMMU_CMD = 6,
	ESYNC_EV_VTD_DESC = 7,
	ESYNC_EV_AMD_CMD = 8,
	ESYNC_EV_COMPLETION = 9,
	ESYNC_EV_TOPOLOGY = 10,
	ESYNC_EV_LOST = 11,
	ESYNC_EV_FAULT = 12,
	ESYNC_EV_NR_KINDS
};

/*
 * Legacy AMD writes have no entry address, and legacy writes no sequence
 * number from the kernel: entry = ESYNC_LEGACY_ENTRY | format << 48 |
 * devid << 32 | index, seq = ESYNC_LEGACY_SEQ | a counter (esync prints
 * them as the device and as "L" and the counter).
 */
#define ESYNC_LEGACY_ENTRY	0xe500000000000000ULL
#define ESYNC_LEGACY_ENTRY_MASK	0xff00000000000000ULL
#define ESYNC_LEGACY_SEQ	0x8000000000000000ULL

/* Common header of every event. */
struct esync_ev_hdr {
	esync_u64 ts_ns;		/* CLOCK_MONOTONIC */
	esync_u64 seq;		/* the write this event belongs to; 0 if none */
	esync_u32 cpu;
	esync_u16 iommu;		/* IOMMU instance */
	esync_u16 kind;		/* enum esync_ev_kind */
	esync_u16 size;		/* of the whole event, header included */
	esync_u16 flags;		/* ESYNC_EVF_* of its kind, else 0 */
	esync_u32 tid;		/* kernel task that emitted it (ESYNC_TID_*); 0 if unknown */
};

/*
 * hdr.tid of an event emitted in interrupt context: the interrupt context
 * of that CPU (the low bits), not the task it interrupted.  It runs to its
 * end before the interrupted task goes on, so it is a writer of its own:
 * the IRTE an affinity change writes in an interrupt, a flush-queue
 * timer's TLB and ATC flushes.  Task ids stay below 2^22.
 */
#define ESYNC_TID_IRQ		0x80000000u

/*
 * write-begin: the writer does not say its target (a stock driver's, seen
 * by snapshots); target[] is cur[] and the entry the write leaves is its
 * target, as far as the writes so far tell at each judgement.
 */
#define ESYNC_EVF_TARGET_AT_END	0x0001
/*
 * Any kind: the collector dropped events (the ring buffer was full) since
 * the event before this one, so the writes open here lack some of theirs.
 * It marks the place of the loss; the count comes as an ESYNC_EV_LOST.
 */
#define ESYNC_EVF_LOST_BEFORE	0x8000
/*
 * lost: events no event marks the place of (the kernel skipped a collector
 * nested on its CPU, which then emits nothing): the writes open here are cut
 */
#define ESYNC_EVF_LOST_UNPLACED	0x0001

/* entry_sync_write_begin */
struct esync_ev_write_begin {
	struct esync_ev_hdr hdr;
	esync_u64 entry;		/* kernel address of the entry */
	esync_u16 format;		/* enum entry_sync_format */
	esync_u16 quanta_bits;	/* 32, 64 or 128 */
	esync_u16 num_quanta;
	esync_u16 vbit_quanta;
	esync_u32 dev;		/* StreamID, requester ID or AMD DeviceID */
	esync_u32 sub;		/* SubstreamID, PASID or IRTE index */
	esync_u16 words;		/* u64 words used in cur[] and target[] */
	esync_u16 pad[3];
	esync_u64 cur[ESYNC_EV_MAX_WORDS];
	esync_u64 target[ESYNC_EV_MAX_WORDS];
};

/* entry_sync_store: one single-copy atomic store of one quanta. */
struct esync_ev_store {
	struct esync_ev_hdr hdr;
	esync_u64 entry;
	esync_u32 index;		/* quanta index */
	esync_u32 pad;
	esync_u64 old_lo, old_hi;	/* old_hi/new_hi are 0 for 64-bit quanta */
	esync_u64 new_lo, new_hi;
};

/* entry_sync_sync: the library is about to call the driver's sync. */
struct esync_ev_sync {
	struct esync_ev_hdr hdr;
	esync_u64 entry;
	esync_u32 step;		/* 1 for the first sync of the write */
	esync_u32 pad;
};

/* entry_sync_used: the driver's used bits of current and target entry. */
struct esync_ev_used {
	struct esync_ev_hdr hdr;
	esync_u64 entry;
	esync_u16 words;
	esync_u16 pad[3];
	esync_u64 cur_used[ESYNC_EV_MAX_WORDS];
	esync_u64 target_used[ESYNC_EV_MAX_WORDS];
};

enum esync_how {
	ESYNC_HOW_NO_CHANGE = 0,
	ESYNC_HOW_HITLESS = 1,
	ESYNC_HOW_DISRUPTIVE = 2,
	ESYNC_HOW_FAILED = 3,	/* the writer stopped at a sync that failed */
};

/* entry_sync_write_end */
struct esync_ev_write_end {
	struct esync_ev_hdr hdr;
	esync_u64 entry;
	esync_u8 how;		/* enum esync_how */
	esync_u8 pad0;
	esync_u16 nr_syncs;
	esync_u16 nr_critical;
	esync_u16 words;
	esync_u64 final[ESYNC_EV_MAX_WORDS];
};

/* SMMUv3 command flags */
#define ESYNC_SMMU_F_SYNC	0x01	/* the batch is closed by a CMD_SYNC */

/* One SMMUv3 command queue entry. */
struct esync_ev_smmu_cmd {
	struct esync_ev_hdr hdr;
	esync_u64 cmd[2];		/* raw; opcode = cmd[0][7:0] */
	esync_u32 sid;
	esync_u32 ssid;
	esync_u16 asid;
	esync_u16 vmid;
	esync_u8 opcode;
	esync_u8 flags;		/* ESYNC_SMMU_F_* */
	esync_u16 pad;
};

/* One VT-d queued-invalidation descriptor (intel_iommu:qi_submit). */
struct esync_ev_vtd_desc {
	struct esync_ev_hdr hdr;
	esync_u64 qw[4];		/* raw; type = qw0[3:0] */
	esync_u16 did;
	esync_u8 type;
	esync_u8 pad0;
	esync_u32 pasid;
	esync_u32 sid;		/* source id of device-TLB descriptors */
	esync_u32 slot;		/* queue slot + 1 (qi_submit's index); 0: not traced */
};

/*
 * Slots of the VT-d invalidation queue (QI_LENGTH): the hardware fetches
 * it in slot order, and a submitter waits for its batch before its slots
 * are reused, so the slots in use at once span less than one turn.
 */
#define ESYNC_VTD_QI_SLOTS	256

/* One AMD IOMMU command. */
struct esync_ev_amd_cmd {
	struct esync_ev_hdr hdr;
	esync_u32 data[4];		/* raw; type = data[1][31:28] */
	esync_u32 devid;		/* data[0][15:0] where the command has one */
	esync_u32 domain;
	esync_u32 pasid;
	esync_u8 type;
	esync_u8 pad0;
	esync_u16 pad1;
};

enum esync_family {
	ESYNC_FAMILY_SMMU = 1,
	ESYNC_FAMILY_VTD = 2,
	ESYNC_FAMILY_AMD = 3,
};

/*
 * The driver waited for every command it queued before this one to
 * complete: CMD_SYNC, the invalidation-wait descriptor qi_submit_sync()
 * appends, COMPLETION_WAIT.  status is what the wait returned: only 0 means
 * the commands before it took effect.
 */
struct esync_ev_completion {
	struct esync_ev_hdr hdr;
	esync_u64 raw[4];		/* the command or descriptor, as the queue holds it */
	esync_u8 family;		/* enum esync_family */
	esync_u8 pad0;
	esync_u16 slot;		/* VT-d: the wait descriptor's queue slot + 1; 0: not traced */
	esync_s32 status;		/* 0, or the driver's error (timeout) */
};

/* A device and its DMA aliases (segment << 16 | bus << 8 | devfn). */
struct esync_ev_topology {
	struct esync_ev_hdr hdr;
	esync_u32 dev;
	esync_u32 nr;
	esync_u32 alias[ESYNC_EV_MAX_ALIASES];
};

/*
 * The ring buffer dropped events; also the mark a reader puts where it
 * skipped damaged input (lost 0 for a damaged stretch of a dump, whose
 * number of records is not known).
 */
struct esync_ev_lost {
	struct esync_ev_hdr hdr;
	esync_u64 lost;		/* number of events dropped, 0 if not known */
};

/* Where a fault came from: how esync_ev_fault.raw is laid out. */
enum esync_fault_source {
	/* SMMUv3 event queue record: raw[0..3] */
	ESYNC_FAULT_SMMU_EVTQ = 1,
	/* AMD event log entry: its four u32 words in raw[0..1] */
	ESYNC_FAULT_AMD_EVTLOG = 2,
	/* VT-d fault recording register: raw[0] bits 63:0, raw[1] bits 127:64 */
	ESYNC_FAULT_VTD_FRCD = 3,
	/*
	 * VT-d, unpatched kernels: dmar_fault_do_one()'s arguments,
	 * raw = { type, reason, pasid (~0u: none), source id }, addr
	 */
	ESYNC_FAULT_VTD_ARGS = 4,
	/* iommu:io_page_fault: addr, flags and the device's name */
	ESYNC_FAULT_IO_PAGE_FAULT = 5,
};

#define ESYNC_FAULT_NAME_LEN	32

/*
 * A fault the IOMMU reported, as the driver read it (hdr.iommu is the
 * reporting IOMMU; unknown, 0, for ESYNC_FAULT_IO_PAGE_FAULT).
 */
struct esync_ev_fault {
	struct esync_ev_hdr hdr;
	esync_u64 raw[4];
	esync_u64 addr;
	esync_u32 flags;
	esync_u8 source;		/* enum esync_fault_source */
	esync_u8 pad[3];
	char name[ESYNC_FAULT_NAME_LEN];	/* NUL-terminated */
};

#define ESYNC_EV_CHECK_SIZE(type, sz) \
	_Static_assert(sizeof(struct type) == (sz), #type " size")
#define ESYNC_EV_CHECK_OFF(type, field, off) \
	_Static_assert(__builtin_offsetof(struct type, field) == (off), \
		       #type "." #field " offset")

ESYNC_EV_CHECK_SIZE(esync_ev_hdr, 32);
ESYNC_EV_CHECK_OFF(esync_ev_hdr, seq, 8);
ESYNC_EV_CHECK_OFF(esync_ev_hdr, cpu, 16);
ESYNC_EV_CHECK_OFF(esync_ev_hdr, iommu, 20);
ESYNC_EV_CHECK_OFF(esync_ev_hdr, kind, 22);
ESYNC_EV_CHECK_OFF(esync_ev_hdr, size, 24);
ESYNC_EV_CHECK_SIZE(esync_ev_write_begin, 192);
ESYNC_EV_CHECK_OFF(esync_ev_write_begin, entry, 32);
ESYNC_EV_CHECK_OFF(esync_ev_write_begin, dev, 48);
ESYNC_EV_CHECK_OFF(esync_ev_write_begin, words, 56);
ESYNC_EV_CHECK_OFF(esync_ev_write_begin, cur, 64);
ESYNC_EV_CHECK_OFF(esync_ev_write_begin, target, 128);
ESYNC_EV_CHECK_SIZE(esync_ev_store, 80);
ESYNC_EV_CHECK_OFF(esync_ev_store, index, 40);
ESYNC_EV_CHECK_OFF(esync_ev_store, old_lo, 48);
ESYNC_EV_CHECK_OFF(esync_ev_store, new_hi, 72);
ESYNC_EV_CHECK_SIZE(esync_ev_sync, 48);
ESYNC_EV_CHECK_OFF(esync_ev_sync, step, 40);
ESYNC_EV_CHECK_SIZE(esync_ev_used, 176);
ESYNC_EV_CHECK_OFF(esync_ev_used, cur_used, 48);
ESYNC_EV_CHECK_OFF(esync_ev_used, target_used, 112);
ESYNC_EV_CHECK_SIZE(esync_ev_write_end, 112);
ESYNC_EV_CHECK_OFF(esync_ev_write_end, how, 40);
ESYNC_EV_CHECK_OFF(esync_ev_write_end, nr_syncs, 42);
ESYNC_EV_CHECK_OFF(esync_ev_write_end, nr_critical, 44);
ESYNC_EV_CHECK_OFF(esync_ev_write_end, final, 48);
ESYNC_EV_CHECK_SIZE(esync_ev_smmu_cmd, 64);
ESYNC_EV_CHECK_OFF(esync_ev_smmu_cmd, sid, 48);
ESYNC_EV_CHECK_OFF(esync_ev_smmu_cmd, opcode, 60);
ESYNC_EV_CHECK_SIZE(esync_ev_vtd_desc, 80);
ESYNC_EV_CHECK_OFF(esync_ev_vtd_desc, did, 64);
ESYNC_EV_CHECK_OFF(esync_ev_vtd_desc, pasid, 68);
ESYNC_EV_CHECK_SIZE(esync_ev_amd_cmd, 64);
ESYNC_EV_CHECK_OFF(esync_ev_amd_cmd, devid, 48);
ESYNC_EV_CHECK_OFF(esync_ev_amd_cmd, type, 60);
ESYNC_EV_CHECK_SIZE(esync_ev_completion, 72);
ESYNC_EV_CHECK_OFF(esync_ev_completion, family, 64);
ESYNC_EV_CHECK_OFF(esync_ev_completion, status, 68);
ESYNC_EV_CHECK_SIZE(esync_ev_topology, 168);
ESYNC_EV_CHECK_OFF(esync_ev_topology, alias, 40);
ESYNC_EV_CHECK_SIZE(esync_ev_lost, 40);
ESYNC_EV_CHECK_SIZE(esync_ev_fault, 112);
ESYNC_EV_CHECK_OFF(esync_ev_fault, addr, 64);
ESYNC_EV_CHECK_OFF(esync_ev_fault, source, 76);
ESYNC_EV_CHECK_OFF(esync_ev_fault, name, 80);

#endif /* ESYNC_EVENTS_H */
