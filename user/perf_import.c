// SPDX-License-Identifier: GPL-2.0-only
/*
 * 'perf script' import.  A line is
 *
 *   COMM PID [CPU] SECONDS.FRACTION: SYSTEM:EVENT: FIELDS
 *
 * and FIELDS is the tracepoint's TP_printk: key=value pairs for the
 * series' events, "IOMMU TYPE: 0xQW0 0xQW1 0xQW2 0xQW3" for qi_submit,
 * "IOMMU:DRIVER DEVICE iova=... flags=..." for iommu:io_page_fault.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "dump.h"
#include "engine.h"
#include "perf_import.h"

/* The value after "key=" (key preceded by a space or the start), or NULL */
static const char *field(const char *s, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = s; (p = strstr(p, key)); p += n)
		if ((p == s || p[-1] == ' ') && p[n] == '=')
			return p + n + 1;
	return NULL;
}

static int get_u64(const char *s, const char *key, int base, uint64_t *v)
{
	const char *p = field(s, key);
	char *end;

	if (!p)
		return -1;
	errno = 0;
	*v = strtoull(p, &end, base);
	return errno || end == p ? -1 : 0;
}

/*
 * The entry format: a number, or the name the kernel prints for it
 * (__print_symbolic of enum entry_sync_format since the series' v2).
 */
static int get_format(const char *s, uint64_t *v)
{
	static const char *const names[] = {
		[ESYNC_FMT_SMMU_STE] = "smmu_ste", [ESYNC_FMT_SMMU_CD] = "smmu_cd",
		[ESYNC_FMT_VTD_PASID] = "vtd_pasid", [ESYNC_FMT_AMD_DTE] = "amd_dte",
		[ESYNC_FMT_AMD_IRTE] = "amd_irte", [ESYNC_FMT_AMD_IRTE32] = "amd_irte32",
		[ESYNC_FMT_TEST] = "test",
	};
	const char *p = field(s, "format");

	if (!get_u64(s, "format", 10, v))
		return 0;
	for (uint64_t i = 0; p && i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = names[i] ? strlen(names[i]) : 0;

		if (n && !strncmp(p, names[i], n) && (p[n] == ' ' || !p[n])) {
			*v = i;
			return 0;
		}
	}
	return -1;
}

/* "{0x1,0x2}" into w[]; the number of words, -1 if malformed */
static int get_array(const char *s, const char *key, uint64_t *w, unsigned int max)
{
	const char *p = field(s, key);
	unsigned int n = 0;
	char *end;

	if (!p || *p++ != '{')
		return -1;
	while (*p != '}') {
		if (n == max)
			return -1;
		w[n++] = strtoull(p, &end, 16);
		if (end == p)
			return -1;
		p = end;
		if (*p == ',')
			p++;
		else if (*p != '}')
			return -1;
	}
	return (int)n;
}

/* "0x<32 hex digits>": hi then lo */
static int get_u128(const char *s, const char *key, uint64_t *lo, uint64_t *hi)
{
	const char *p = field(s, key);
	char buf[17];

	if (!p || strncmp(p, "0x", 2) || strspn(p + 2, "0123456789abcdefABCDEF") != 32)
		return -1;
	memcpy(buf, p + 2, 16);
	buf[16] = '\0';
	*hi = strtoull(buf, NULL, 16);
	memcpy(buf, p + 18, 16);
	*lo = strtoull(buf, NULL, 16);
	return 0;
}

static void hdr(union esync_event *ev, unsigned int kind, uint64_t ts,
		uint32_t cpu, uint64_t seq, uint16_t iommu)
{
	size_t size = esync_event_size(kind);

	memset(ev, 0, size);
	ev->hdr.ts_ns = ts;
	ev->hdr.cpu = cpu;
	ev->hdr.seq = seq;
	ev->hdr.iommu = iommu;
	ev->hdr.kind = (uint16_t)kind;
	ev->hdr.size = (uint16_t)size;
}

/* The names of enum entry_sync_update in the kernel's trace output */
static const char *const how_names[] = { "no_change", "hitless", "disruptive", "failed" };
#define NR_HOW (sizeof(how_names) / sizeof(how_names[0]))

static int parse_entry_sync(const char *name, const char *f, uint64_t ts,
			    uint32_t cpu, union esync_event *ev)
{
	uint64_t seq, entry, a, b, c, d, e;
	int n, m;

	if (get_u64(f, "seq", 10, &seq) || get_u64(f, "entry", 16, &entry))
		return -1;
	if (!strcmp(name, "entry_sync_write_begin")) {
		struct esync_ev_write_begin *w = &ev->begin;
		const char *q = field(f, "quanta");
		unsigned int nq, bits;

		if (get_format(f, &a) || get_u64(f, "iommu", 10, &b) ||
		    get_u64(f, "dev", 16, &c) || get_u64(f, "sub", 16, &d) ||
		    get_u64(f, "vbit", 10, &e) || !q || sscanf(q, "%ux%u", &nq, &bits) != 2)
			return -1;
		hdr(ev, ESYNC_EV_WRITE_BEGIN, ts, cpu, seq, (uint16_t)b);
		w->entry = entry;
		w->format = (uint16_t)a;
		w->dev = (uint32_t)c;
		w->sub = (uint32_t)d;
		w->vbit_quanta = (uint16_t)e;
		w->num_quanta = (uint16_t)nq;
		w->quanta_bits = (uint16_t)bits;
		n = get_array(f, "cur", w->cur, ESYNC_EV_MAX_WORDS);
		m = get_array(f, "target", w->target, ESYNC_EV_MAX_WORDS);
		/* (a 32-bit quanta takes a word of its own) */
		if (n < 0 || n != m || ((uint64_t)nq * bits + 63) / 64 != (uint64_t)n)
			return -1;
		w->words = (uint16_t)n;
		return 1;
	}
	if (!strcmp(name, "entry_sync_store")) {
		struct esync_ev_store *s = &ev->store;

		hdr(ev, ESYNC_EV_STORE, ts, cpu, seq, 0);
		s->entry = entry;
		if (get_u64(f, "index", 10, &a) || get_u128(f, "old", &s->old_lo, &s->old_hi) ||
		    get_u128(f, "new", &s->new_lo, &s->new_hi))
			return -1;
		s->index = (uint32_t)a;
		return 1;
	}
	if (!strcmp(name, "entry_sync_sync")) {
		if (get_u64(f, "step", 10, &a))
			return -1;
		hdr(ev, ESYNC_EV_SYNC, ts, cpu, seq, 0);
		ev->sync.entry = entry;
		ev->sync.step = (uint32_t)a;
		return 1;
	}
	if (!strcmp(name, "entry_sync_used")) {
		hdr(ev, ESYNC_EV_USED, ts, cpu, seq, 0);
		ev->used.entry = entry;
		n = get_array(f, "cur_used", ev->used.cur_used, ESYNC_EV_MAX_WORDS);
		m = get_array(f, "target_used", ev->used.target_used, ESYNC_EV_MAX_WORDS);
		if (n < 0 || n != m)
			return -1;
		ev->used.words = (uint16_t)n;
		return 1;
	}
	if (!strcmp(name, "entry_sync_write_end")) {
		const char *how = field(f, "how");
		unsigned int h;

		hdr(ev, ESYNC_EV_WRITE_END, ts, cpu, seq, 0);
		ev->end.entry = entry;
		if (!how || get_u64(f, "critical", 10, &a) || get_u64(f, "syncs", 10, &b))
			return -1;
		for (h = 0; h < NR_HOW; h++)
			if (!strncmp(how, how_names[h], strlen(how_names[h])) &&
			    how[strlen(how_names[h])] == ' ')
				break;
		if (h == NR_HOW)
			return -1;
		ev->end.how = (uint8_t)h;
		ev->end.nr_critical = (uint16_t)a;
		ev->end.nr_syncs = (uint16_t)b;
		n = get_array(f, "final", ev->end.final, ESYNC_EV_MAX_WORDS);
		if (n < 0)
			return -1;
		ev->end.words = (uint16_t)n;
		return 1;
	}
	return 0;
}

/* "cmd=%016llx:%016llx" */
static int get_cmd(const char *f, uint64_t *c0, uint64_t *c1)
{
	const char *p = field(f, "cmd");
	char *end;

	if (!p)
		return -1;
	*c0 = strtoull(p, &end, 16);
	if (end == p || *end != ':')
		return -1;
	p = end + 1;
	*c1 = strtoull(p, &end, 16);
	return end == p ? -1 : 0;
}

static int parse_smmu(const char *f, uint64_t ts, uint32_t cpu, union esync_event *ev)
{
	struct esync_ev_smmu_cmd *c = &ev->smmu;
	uint64_t smmu, sid, ssid, asid, vmid, sync;

	if (get_u64(f, "smmu", 10, &smmu) || get_cmd(f, &c->cmd[0], &c->cmd[1]) ||
	    get_u64(f, "sid", 0, &sid) || get_u64(f, "ssid", 0, &ssid) ||
	    get_u64(f, "asid", 10, &asid) || get_u64(f, "vmid", 10, &vmid) ||
	    get_u64(f, "sync", 10, &sync))
		return -1;
	{
		uint64_t c0 = c->cmd[0], c1 = c->cmd[1];

		hdr(ev, ESYNC_EV_SMMU_CMD, ts, cpu, 0, (uint16_t)smmu);
		c->cmd[0] = c0;
		c->cmd[1] = c1;
	}
	c->sid = (uint32_t)sid;
	c->ssid = (uint32_t)ssid;
	c->asid = (uint16_t)asid;
	c->vmid = (uint16_t)vmid;
	c->opcode = (uint8_t)(c->cmd[0] & 0xff);
	c->flags = sync ? ESYNC_SMMU_F_SYNC : 0;
	return 1;
}

static int parse_amd(const char *f, uint64_t ts, uint32_t cpu, union esync_event *ev)
{
	struct esync_ev_amd_cmd *a = &ev->amd;
	uint64_t iommu, c0, c1;

	if (get_u64(f, "iommu", 10, &iommu) || get_cmd(f, &c0, &c1))
		return -1;
	hdr(ev, ESYNC_EV_AMD_CMD, ts, cpu, 0, (uint16_t)iommu);
	a->data[0] = (uint32_t)c0;
	a->data[1] = (uint32_t)(c0 >> 32);
	a->data[2] = (uint32_t)c1;
	a->data[3] = (uint32_t)(c1 >> 32);
	a->type = (uint8_t)(a->data[1] >> 28);
	a->devid = a->type == 2 || a->type == 4 || a->type == 5 ? a->data[0] & 0xffff : 0;
	a->domain = a->type == 3 ? a->data[1] & 0xffff : 0;
	return 1;
}

/* The queue slot (+ 1) of a qi_submit or qi_wait line: "... index N"; 0 if none */
static uint16_t qi_slot(const char *f)
{
	const char *p = strstr(f, " index ");
	unsigned int slot;

	if (!p || sscanf(p + 7, "%u", &slot) != 1 || slot >= ESYNC_VTD_QI_SLOTS)
		return 0;
	return (uint16_t)(slot + 1);
}

/* "dmar0 iotlb_inv: 0x.. 0x.. 0x.. 0x.. index 7" (index: the series) */
static int parse_qi(const char *f, uint64_t ts, uint32_t cpu, union esync_event *ev)
{
	struct esync_ev_vtd_desc *d = &ev->vtd;
	const char *p = strchr(f, ':');
	unsigned int unit = 0;
	uint64_t q[4];

	if (!p || sscanf(p + 1, " %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
			 &q[0], &q[1], &q[2], &q[3]) != 4)
		return -1;
	sscanf(f, "dmar%u", &unit);
	hdr(ev, ESYNC_EV_VTD_DESC, ts, cpu, 0, (uint16_t)unit);
	memcpy(d->qw, q, sizeof(q));
	d->type = (uint8_t)((q[0] & 0xf) | ((q[0] >> 9) & 0x7) << 4);
	d->did = d->type == 8 ? 0 : (uint16_t)(q[0] >> 16);
	d->pasid = d->type >= 6 && d->type <= 8 ? (uint32_t)(q[0] >> 32) & 0xfffff : 0;
	d->sid = d->type == 3 ? (uint32_t)(q[0] >> 32) & 0xffff :
		 d->type == 8 ? (uint32_t)(q[0] >> 16) & 0xffff : 0;
	d->slot = qi_slot(p);
	return 1;
}

/* "dmar0 inv_wait: 0x.. 0x.. status -110 index 9" (intel_iommu:qi_wait) */
static int parse_qi_wait(const char *f, uint64_t ts, uint32_t cpu, union esync_event *ev)
{
	const char *p = strchr(f, ':');
	unsigned int unit = 0;
	uint64_t q0, q1;
	int status;

	if (!p || sscanf(p + 1, " %" SCNx64 " %" SCNx64 " status %d", &q0, &q1, &status) != 3)
		return -1;
	sscanf(f, "dmar%u", &unit);
	hdr(ev, ESYNC_EV_COMPLETION, ts, cpu, 0, (uint16_t)unit);
	ev->completion.raw[0] = q0;
	ev->completion.raw[1] = q1;
	ev->completion.family = ESYNC_FAMILY_VTD;
	ev->completion.status = status;
	ev->completion.slot = qi_slot(p);
	return 1;
}

/* "smmu=0 prod=0x.. ret=0", "iommu=0 data=5 ret=0": a wait's result */
static int parse_done(const char *f, const char *id, uint8_t family, uint64_t ts,
		      uint32_t cpu, union esync_event *ev)
{
	const char *r = field(f, "ret");
	uint64_t unit;
	long ret;
	char *end;

	if (get_u64(f, id, 10, &unit) || !r)
		return -1;
	ret = strtol(r, &end, 10);
	if (end == r)
		return -1;
	hdr(ev, ESYNC_EV_COMPLETION, ts, cpu, 0, (uint16_t)unit);
	ev->completion.family = family;
	ev->completion.status = (int32_t)ret;
	return 1;
}

/*
 * "KEY=W0:W1:...": n hex words of at most 'digits' digits each, as the
 * fault events print their raw record; -1 if malformed.
 */
static int get_words(const char *s, const char *key, uint64_t *w, unsigned int n,
		     size_t digits)
{
	const char *p = field(s, key);
	char buf[17];

	if (!p)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		size_t len = strspn(p, "0123456789abcdefABCDEF");

		if (!len || len > digits || len >= sizeof(buf))
			return -1;
		memcpy(buf, p, len);
		buf[len] = '\0';
		w[i] = strtoull(buf, NULL, 16);
		p += len;
		if (i + 1 < n && *p++ != ':')
			return -1;
	}
	return !*p || isspace((unsigned char)*p) ? 0 : -1;
}

/*
 * Fault records, carried as the collector carries them: the raw record and
 * the reporting IOMMU, decoded by the engine like any other.
 *
 *   arm_smmu_event     "smmu=0 id=0x10 sid=0x10 ... evt=W0:W1:W2:W3"
 *   amd_iommu_event    "iommu=1 type=2 devid=0200 ... event=D0:D1:D2:D3"
 *   dmar_fault_record  "dmar0 source_id=0x0318 ... lo=0x... hi=0x..."
 */
static int parse_fault(const char *name, const char *f, uint64_t ts, uint32_t cpu,
		       union esync_event *ev)
{
	struct esync_ev_fault *x = &ev->fault;
	uint64_t unit, w[4];
	unsigned int dmar;

	if (!strcmp(name, "arm_smmu_event")) {
		if (get_u64(f, "smmu", 10, &unit) || get_words(f, "evt", w, 4, 16))
			return -1;
		hdr(ev, ESYNC_EV_FAULT, ts, cpu, 0, (uint16_t)unit);
		x->source = ESYNC_FAULT_SMMU_EVTQ;
		memcpy(x->raw, w, sizeof(x->raw));
		return 1;
	}
	if (!strcmp(name, "amd_iommu_event")) {
		if (get_u64(f, "iommu", 10, &unit) || get_words(f, "event", w, 4, 8))
			return -1;
		hdr(ev, ESYNC_EV_FAULT, ts, cpu, 0, (uint16_t)unit);
		x->source = ESYNC_FAULT_AMD_EVTLOG;
		/* the entry's four 32-bit words, in memory order */
		x->raw[0] = w[0] | w[1] << 32;
		x->raw[1] = w[2] | w[3] << 32;
		return 1;
	}
	/* dmar_fault_record */
	if (sscanf(f, "dmar%u ", &dmar) != 1 || get_u64(f, "lo", 16, &w[0]) ||
	    get_u64(f, "hi", 16, &w[1]))
		return -1;
	hdr(ev, ESYNC_EV_FAULT, ts, cpu, 0, (uint16_t)dmar);
	x->source = ESYNC_FAULT_VTD_FRCD;
	x->raw[0] = w[0];
	x->raw[1] = w[1];
	return 1;
}

/*
 * iommu:io_page_fault, "IOMMU:DRIVER DEVICE iova=0x... flags=0x...": the
 * device by name (the engine parses a PCI one), no IOMMU.  The device
 * name is the last word before iova (the driver string may be empty).
 */
static int parse_io_page_fault(const char *f, uint64_t ts, uint32_t cpu,
			       union esync_event *ev)
{
	struct esync_ev_fault *x = &ev->fault;
	const char *end = strstr(f, " iova="), *dev;
	uint64_t iova, flags;
	size_t len;

	if (strncmp(f, "IOMMU:", 6) || !end || get_u64(f, "iova", 16, &iova) ||
	    get_u64(f, "flags", 16, &flags))
		return -1;
	for (dev = end; dev > f + 6 && dev[-1] != ' '; dev--)
		;
	len = (size_t)(end - dev);
	if (!len)
		return -1;
	hdr(ev, ESYNC_EV_FAULT, ts, cpu, 0, 0);
	x->source = ESYNC_FAULT_IO_PAGE_FAULT;
	x->addr = iova;
	x->flags = (uint32_t)flags;
	/* as the collector copies it: cut to the field, NUL-terminated */
	if (len >= sizeof(x->name))
		len = sizeof(x->name) - 1;
	memcpy(x->name, dev, len);
	return 1;
}

/* "COMM PID [CPU]": the PID (a thread id) right before the '[' */
static uint32_t task_id(const char *line, const char *bracket)
{
	const char *p = bracket;

	while (p > line && p[-1] == ' ')
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return (uint32_t)strtoul(p, NULL, 10);
}

int esync_perf_parse_line(const char *line, union esync_event *ev)
{
	const char *p = strchr(line, '['), *name, *f;
	char sys[64], ev_name[64];
	unsigned long cpu;
	uint32_t tid;
	unsigned long long sec;
	int rc = 0;
	char frac[16] = "";
	uint64_t ts;
	char *end;
	size_t n;

	if (!p)
		return 0;
	tid = task_id(line, p);
	cpu = strtoul(p + 1, &end, 10);
	if (end == p + 1 || *end != ']')
		return 0;
	if (sscanf(end + 1, " %llu.%15[0-9]:", &sec, frac) != 2)
		return 0;
	name = strchr(end + 1, ':');
	if (!name)
		return 0;
	name++;
	while (*name == ' ')
		name++;
	if (sscanf(name, "%63[a-z0-9_]:%63[a-z0-9_]:", sys, ev_name) != 2)
		return 0;
	f = strchr(strchr(name, ':') + 1, ':');
	if (!f)
		return 0;
	f++;
	while (*f == ' ')
		f++;
	/* microseconds by default, nanoseconds with --ns */
	n = strlen(frac);
	ts = sec * 1000000000ULL;
	{
		uint64_t v = strtoull(frac, NULL, 10);

		for (size_t i = n; i < 9; i++)
			v *= 10;
		for (size_t i = 9; i < n; i++)
			v /= 10;
		ts += v;
	}
	if (!strcmp(sys, "entry_sync"))
		rc = parse_entry_sync(ev_name, f, ts, (uint32_t)cpu, ev);
	else if (!strcmp(ev_name, "arm_smmu_cmdq_issue"))
		rc = parse_smmu(f, ts, (uint32_t)cpu, ev);
	else if (!strcmp(ev_name, "arm_smmu_cmdq_sync_done"))
		rc = parse_done(f, "smmu", ESYNC_FAMILY_SMMU, ts, (uint32_t)cpu, ev);
	else if (!strcmp(ev_name, "amd_iommu_cmd"))
		rc = parse_amd(f, ts, (uint32_t)cpu, ev);
	else if (!strcmp(ev_name, "amd_iommu_completion_wait_done"))
		rc = parse_done(f, "iommu", ESYNC_FAMILY_AMD, ts, (uint32_t)cpu, ev);
	else if (!strcmp(sys, "intel_iommu") && !strcmp(ev_name, "qi_submit"))
		rc = parse_qi(f, ts, (uint32_t)cpu, ev);
	else if (!strcmp(sys, "intel_iommu") && !strcmp(ev_name, "qi_wait"))
		rc = parse_qi_wait(f, ts, (uint32_t)cpu, ev);
	else if (!strcmp(ev_name, "arm_smmu_event") || !strcmp(ev_name, "amd_iommu_event") ||
		 (!strcmp(sys, "intel_iommu") && !strcmp(ev_name, "dmar_fault_record")))
		rc = parse_fault(ev_name, f, ts, (uint32_t)cpu, ev);
	else if (!strcmp(sys, "iommu") && !strcmp(ev_name, "io_page_fault"))
		rc = parse_io_page_fault(f, ts, (uint32_t)cpu, ev);
	/*
	 * The idle task (pid 0) issues nothing: its lines are interrupts on
	 * an idle CPU, an issuer of their own as the collectors name it
	 */
	if (rc > 0)
		ev->hdr.tid = tid ? tid : ESYNC_TID_IRQ | (uint32_t)cpu;
	return rc;
}

/*
 * The write each task is in, so that its commands name that write as the
 * BPF collectors make them do: from its write-begin until its next one, or
 * ESYNC_PERF_AFTER_CMDS commands or ESYNC_PERF_AFTER_NS after its write-end.  perf gives an
 * interrupt on a busy CPU the interrupted task's pid: a write begun while
 * the task's own is open is an interrupt's, and at its end the task's
 * write is the one its commands name again.
 */
#define ESYNC_PERF_TASKS	4096	/* a power of two */
#define ESYNC_PERF_PROBE	32
#define ESYNC_PERF_NEST		4
#define ESYNC_PERF_AFTER_CMDS	64
#define ESYNC_PERF_AFTER_NS	(100ull * 1000 * 1000)

static struct task_write {
	uint32_t tid;		/* 0: a free slot */
	bool ended;
	uint16_t after;
	uint8_t depth;		/* writes it interrupted, still open, in outer[] */
	uint64_t seq;
	uint64_t end_ns;	/* of its write-end */
	uint64_t outer[ESYNC_PERF_NEST];
} tasks[ESYNC_PERF_TASKS];

/*
 * tid's slot, by open addressing (slots are never freed, only taken over):
 * NULL if it has none and !take; with take, a free one, else one whose
 * write is over, else its first
 */
static struct task_write *task_slot(uint32_t tid, bool take)
{
	unsigned int home = (tid * 0x9e3779b1u) >> 20;
	struct task_write *spare = NULL;

	for (unsigned int i = 0; i < ESYNC_PERF_PROBE; i++) {
		struct task_write *t = &tasks[(home + i) & (ESYNC_PERF_TASKS - 1)];

		if (t->tid == tid)
			return t;
		if (!t->tid) {
			spare = spare ? spare : t;
			break;
		}
		if (!spare && t->ended && !t->depth)
			spare = t;
	}
	if (!take)
		return NULL;
	return spare ? spare : &tasks[home & (ESYNC_PERF_TASKS - 1)];
}

static void task_begin(uint32_t tid, uint64_t seq)
{
	struct task_write *t = task_slot(tid, true);

	if (t->tid != tid) {
		*t = (struct task_write){ .tid = tid };
	} else if (t->seq && !t->ended && t->depth < ESYNC_PERF_NEST) {
		/* The task's own write stays open under the interrupt's */
		t->outer[t->depth++] = t->seq;
	}
	t->seq = seq;
	t->ended = false;
	t->after = 0;
}

static void task_end(uint32_t tid, uint64_t seq, uint64_t ts)
{
	struct task_write *t = task_slot(tid, false);

	if (!t)
		return;
	if (t->seq == seq) {
		if (!t->depth) {
			t->ended = true;
			t->end_ns = ts;
			return;
		}
		/* An interrupt's write ended: the task's own is open again */
		t->seq = t->outer[--t->depth];
		t->ended = false;
		t->after = 0;
		return;
	}
	for (uint8_t i = 0; i < t->depth; i++)
		if (t->outer[i] == seq) {
			memmove(&t->outer[i], &t->outer[i + 1],
				(size_t)(t->depth - i - 1) * sizeof(t->outer[0]));
			t->depth--;
			return;
		}
}

static void attribute(union esync_event *ev, struct esync_perf_stats *st)
{
	struct task_write *t;

	switch (ev->hdr.kind) {
	case ESYNC_EV_WRITE_BEGIN:
		if (ev->begin.format == ESYNC_FMT_VTD_PASID)
			st->vtd_writes = true;
		task_begin(ev->hdr.tid, ev->hdr.seq);
		return;
	case ESYNC_EV_WRITE_END:
		task_end(ev->hdr.tid, ev->hdr.seq, ev->hdr.ts_ns);
		return;
	case ESYNC_EV_COMPLETION:
		if (ev->completion.family == ESYNC_FAMILY_SMMU)
			st->smmu_done = true;
		if (ev->completion.family == ESYNC_FAMILY_AMD)
			st->amd_done = true;
		if (ev->completion.family == ESYNC_FAMILY_VTD)
			st->vtd_done = true;
		break;
	case ESYNC_EV_VTD_DESC:
	case ESYNC_EV_SMMU_CMD:
	case ESYNC_EV_AMD_CMD:
		break;
	default:
		return;
	}
	t = task_slot(ev->hdr.tid, false);
	if (ev->hdr.seq || !t || !t->seq)
		return;
	if (t->ended && (t->after++ >= ESYNC_PERF_AFTER_CMDS ||
			 ev->hdr.ts_ns - t->end_ns >= ESYNC_PERF_AFTER_NS))
		return;
	ev->hdr.seq = t->seq;
}

void esync_perf_import(FILE *in, void (*emit)(void *ctx, const union esync_event *ev),
		       void *ctx, struct esync_perf_stats *st)
{
	char *line = NULL;
	size_t cap = 0;
	union esync_event ev;
	uint64_t last_ts = 0;

	memset(st, 0, sizeof(*st));
	memset(tasks, 0, sizeof(tasks));
	while (getline(&line, &cap, in) >= 0) {
		int rc;

		st->lines++;
		rc = esync_perf_parse_line(line, &ev);
		if (rc > 0) {
			st->events++;
			last_ts = ev.hdr.ts_ns;
			attribute(&ev, st);
			emit(ctx, &ev);
		} else if (rc < 0) {
			if (!st->bad++)
				st->first_bad = st->lines;
			/*
			 * One of our events, unreadable: as for a damaged record of
			 * a dump, the writes open across it must not be judged
			 * without it
			 */
			hdr(&ev, ESYNC_EV_LOST, last_ts, 0, 0, 0);
			ev.lost.lost = 1;
			emit(ctx, &ev);
		} else {
			st->skipped++;
		}
	}
	/* A read error, or a directory: not the whole input */
	if (ferror(in))
		st->read_err = errno ? errno : EIO;
	free(line);
}

struct to_dump {
	struct esync_dump_writer *w;
	int err;
};

static void emit_dump(void *ctx, const union esync_event *ev)
{
	struct to_dump *t = ctx;

	if (!t->err)
		t->err = esync_dump_write(t->w, ev);
}

int esync_perf_to_dump(const char *path, int out_fd,
		       struct esync_perf_stats *st)
{
	struct esync_dump_info info = { .mode = ESYNC_MODE_PATCHED };
	struct to_dump t = { 0 };
	FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
	int rc;

	if (!in)
		return -errno;
	t.w = malloc(sizeof(*t.w));
	if (!t.w) {
		if (in != stdin)
			fclose(in);
		return -ENOMEM;
	}
	snprintf(info.host, sizeof(info.host), "perf script");
	esync_topology_from_sysfs("/sys", &info.topo);
	rc = esync_dump_create_fd(t.w, out_fd, &info);
	esync_topology_free(&info.topo);
	if (!rc) {
		esync_perf_import(in, emit_dump, &t, st);
		/* Commands name their task's write; waits came with results? */
		rc = esync_dump_update_flags(t.w, ESYNC_IN_ATTRIBUTED |
					     (st->smmu_done ? ESYNC_IN_SMMU_DONE : 0) |
					     (st->amd_done ? ESYNC_IN_AMD_DONE : 0) |
					     (st->vtd_writes && !st->vtd_done ?
					      ESYNC_IN_VTD_NO_RESULTS : 0));
		if (!rc && st->read_err)
			rc = -st->read_err;
		if (!rc)
			rc = esync_dump_finish(t.w);
		if (t.err)
			rc = t.err;
	}
	if (in != stdin)
		fclose(in);
	free(t.w);
	return rc;
}
