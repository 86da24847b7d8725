// SPDX-License-Identifier: GPL-2.0-only
/*
 * What of 'esync live' and 'esync record' runs without root or an IOMMU:
 * option parsing, feature-probe decisions on fake tracefs trees and BTF
 * name lists, the flight recorder's ring and the perf script import.
 */
#include <linux/btf.h>
#include <stdio.h>
#include <string.h>

#include "dump.h"
#include "finding.h"
#include "flight.h"
#include "live_opts.h"
#include "perf_import.h"
#include "probe.h"
#include "tap.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(s, rec, ...) esync_live_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), s, rec)

static void test_opts_live(void)
{
	struct esync_session s = { .iommu = -1 };

	ASSERT_EQ(0, PARSE(&s, NULL, "live", "--duration", "2.5", "--json",
			   "--device", "0000:02:01.0", "--iommu", "1",
			   "--buffer-size", "100K", "--mode", "legacy", "-v"));
	EXPECT_TRUE(s.duration > 2.4 && s.duration < 2.6);
	EXPECT_TRUE(s.json);
	EXPECT_TRUE(s.have_dev);
	EXPECT_EQ(0x0208, s.dev);	/* bus 2, device 1, function 0 */
	EXPECT_EQ(1, s.iommu);
	EXPECT_EQ(128 * 1024, s.ringbuf_bytes);	/* rounded up to a power of 2 */
	EXPECT_EQ(ESYNC_MODE_LEGACY, s.forced_mode);
	EXPECT_EQ(1, s.verbose);
}

static void test_opts_errors(void)
{
	struct esync_session s = { .iommu = -1 };
	struct esync_record_opts r = { 0 };

	EXPECT_EQ(ESYNC_OPTS_HELP, PARSE(&s, NULL, "live", "--help"));
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "--duration", "0"));
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "--duration", "x"));
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "--device", "02:01"));
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "--iommu", "-1"));
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "--mode", "fast"));
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "--buffer-size", "4K"));	/* too small */
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "-o", "x.dump"));	/* record only */
	EXPECT_EQ(-1, PARSE(&s, NULL, "live", "extra"));
	EXPECT_EQ(-1, PARSE(&s, &r, "record"));			/* no -o */
	EXPECT_EQ(-1, PARSE(&s, &r, "record", "-o", "x", "--flight", "0"));
}

static void test_opts_record(void)
{
	struct esync_session s = { .iommu = -1 };
	struct esync_record_opts r = { 0 };

	ASSERT_EQ(0, PARSE(&s, &r, "record", "-o", "x.dump", "--flight", "64k",
			   "-d", "1"));
	EXPECT_STREQ("x.dump", r.out);
	EXPECT_EQ(65536, r.flight);
	EXPECT_EQ(-1, esync_parse_size("12Q"));
	EXPECT_EQ(8 << 20, esync_parse_size("8M"));
}

/* A fake BTF: the names in a NULL-terminated list */
struct fake_btf {
	const char *const *typedefs;
	const char *const *funcs;
};

static bool in_list(const char *const *l, const char *name)
{
	for (; l && *l; l++)
		if (!strcmp(*l, name))
			return true;
	return false;
}

static bool fake_has(void *ctx, unsigned int kind, const char *name)
{
	const struct fake_btf *b = ctx;

	return in_list(kind == BTF_KIND_TYPEDEF ? b->typedefs : b->funcs, name);
}

static bool loads(const struct esync_probe_result *r, const char *prog)
{
	int i = esync_hook_find(prog);

	return i >= 0 && r->load[i];
}

/* esync_probe on a tracefs tree and a fake BTF holding these names */
static int probe_fake(const char *tracefs, const char *const *typedefs,
		      const char *const *funcs, struct esync_probe_result *r)
{
	struct fake_btf b = { typedefs, funcs };
	struct esync_probe_env env = {
		.tracefs = tracefs, .btf_has = fake_has, .btf_ctx = &b,
		.have_btf = true,
	};

	return esync_probe(&env, 0, r);
}

static void test_probe_patched(void)
{
	static const char *const tds[] = {
		"btf_trace_entry_sync_write_begin", "btf_trace_entry_sync_store",
		"btf_trace_entry_sync_sync", "btf_trace_entry_sync_used",
		"btf_trace_entry_sync_write_end", "btf_trace_amd_iommu_cmd",
		"btf_trace_io_page_fault", NULL };
	static const char *const fns[] = { "modify_irte_ga", NULL };
	struct esync_probe_result r;

	ASSERT_EQ(0, probe_fake("tests/data/tracefs-amd-legacy", tds, fns, &r));
	EXPECT_EQ(ESYNC_MODE_PATCHED, r.mode);
	EXPECT_TRUE(loads(&r, "es_write_begin"));
	EXPECT_TRUE(loads(&r, "amd_cmd"));
	EXPECT_FALSE(loads(&r, "smmu_cmdq_issue"));	/* not in this kernel */
	EXPECT_FALSE(loads(&r, "amd_modify_irte_ga"));	/* legacy only */
	EXPECT_FALSE(loads(&r, "vtd_qi_submit"));
	EXPECT_EQ((1u << ESYNC_CHK_NR) - 1, r.checks);
}

static void test_probe_legacy_amd(void)
{
	static const char *const tds[] = { "btf_trace_io_page_fault", NULL };
	struct esync_probe_result r;

	ASSERT_EQ(0, probe_fake("tests/data/tracefs-amd-legacy", tds, NULL, &r));
	EXPECT_EQ(ESYNC_MODE_LEGACY, r.mode);
	EXPECT_TRUE(r.filter_functions);
	EXPECT_TRUE(loads(&r, "amd_modify_irte_ga"));
	EXPECT_TRUE(loads(&r, "amd_queue_cmd"));
	EXPECT_TRUE(loads(&r, "amd_flush_irt"));
	EXPECT_FALSE(r.amd_synth_irt);
	EXPECT_FALSE(loads(&r, "smmu_cmdlist"));
	EXPECT_FALSE(loads(&r, "es_write_begin"));
	EXPECT_TRUE(r.checks & (1u << ESYNC_CHK_A1));
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_F2));
	/* set_dte_entry() on both sides: the DTE's 64-bit stores are judged */
	EXPECT_TRUE(loads(&r, "amd_set_dte_ret"));
	EXPECT_TRUE(r.checks & (1u << ESYNC_CHK_H1));
	EXPECT_TRUE(r.checks & (1u << ESYNC_CHK_H4));
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_H2));
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_F1));
	r.load[esync_hook_find("amd_set_dte_ret")] = false;
	EXPECT_FALSE(esync_probe_legacy_checks(&r) & (1u << ESYNC_CHK_H1));
}

/*
 * Stock SMMUv3: arm_smmu_write_entry() and its sync callbacks give the
 * step checks; without the writer (inlined), none of them runs.
 */
static void test_probe_legacy_smmu(void)
{
	static const char *const tds[] = { "btf_trace_io_page_fault", NULL };
	static const char *const fns[] = { "arm_smmu_cmdq_issue_cmdlist", NULL };
	uint32_t step = 1u << ESYNC_CHK_H1 | 1u << ESYNC_CHK_H2 | 1u << ESYNC_CHK_H3 |
			1u << ESYNC_CHK_H4 | 1u << ESYNC_CHK_F1 | 1u << ESYNC_CHK_F2 |
			1u << ESYNC_CHK_F3;
	struct esync_probe_result r;

	ASSERT_EQ(0, probe_fake("tests/data/tracefs-smmu-legacy", tds, fns, &r));
	EXPECT_EQ(ESYNC_MODE_LEGACY, r.mode);
	EXPECT_TRUE(loads(&r, "smmu_write_entry"));
	EXPECT_TRUE(loads(&r, "smmu_write_entry_ret"));
	EXPECT_TRUE(loads(&r, "smmu_ste_sync"));
	EXPECT_EQ(step | 1u << ESYNC_CHK_INCOMPLETE, r.checks);
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_H5));
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_U1));
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_A1));
	/*
	 * The CMD_SYNC results come from the fexit on the command queue: if it
	 * fails to attach (a kernel without ftrace direct calls), issuing a
	 * CMD_SYNC counts as completing it again, not as a wait never done
	 */
	EXPECT_TRUE(loads(&r, "smmu_cmdlist_done"));
	EXPECT_TRUE(r.input_flags & ESYNC_IN_SMMU_DONE);
	EXPECT_TRUE(r.input_flags & ESYNC_IN_LEGACY);
	r.load[esync_hook_find("smmu_cmdlist_done")] = false;
	EXPECT_FALSE(esync_probe_input_flags(&r) & ESYNC_IN_SMMU_DONE);
	/* an attach that fails afterwards takes the step checks back */
	r.load[esync_hook_find("smmu_write_entry_ret")] = false;
	EXPECT_EQ(1u << ESYNC_CHK_INCOMPLETE, esync_probe_legacy_checks(&r));

	ASSERT_EQ(0, probe_fake("tests/data/tracefs-smmu-legacy-inlined", tds, fns, &r));
	EXPECT_EQ(ESYNC_MODE_LEGACY, r.mode);
	EXPECT_FALSE(loads(&r, "smmu_write_entry"));
	EXPECT_TRUE(loads(&r, "smmu_ste_sync"));
	EXPECT_EQ(1u << ESYNC_CHK_INCOMPLETE, r.checks);
}

/* VT-d completion: the qi_wait tracepoint when patched, fexit when not */
static void test_probe_vtd_completion(void)
{
	static const char *const patched[] = {
		"btf_trace_entry_sync_write_begin", "btf_trace_entry_sync_store",
		"btf_trace_entry_sync_sync", "btf_trace_entry_sync_used",
		"btf_trace_entry_sync_write_end", "btf_trace_qi_submit",
		"btf_trace_qi_wait", NULL };
	static const char *const legacy[] = { "btf_trace_qi_submit", NULL };
	static const char *const fns[] = { "qi_submit_sync", NULL };
	struct esync_probe_result r;

	ASSERT_EQ(0, probe_fake("tests/data/no-such-tracefs", patched, fns, &r));
	EXPECT_EQ(ESYNC_MODE_PATCHED, r.mode);
	EXPECT_TRUE(loads(&r, "vtd_qi_submit"));
	EXPECT_TRUE(loads(&r, "vtd_qi_wait"));
	EXPECT_FALSE(loads(&r, "vtd_qi_done"));

	ASSERT_EQ(0, probe_fake("tests/data/no-such-tracefs", legacy, fns, &r));
	EXPECT_EQ(ESYNC_MODE_LEGACY, r.mode);
	EXPECT_TRUE(loads(&r, "vtd_qi_submit"));
	EXPECT_TRUE(loads(&r, "vtd_qi_done"));
	EXPECT_FALSE(loads(&r, "vtd_qi_wait"));
}

/* One hook per fault record: tracepoint, else kprobe, else io_page_fault */
static void test_probe_faults(void)
{
	static const char *const patched[] = {
		"btf_trace_entry_sync_write_begin", "btf_trace_arm_smmu_event",
		"btf_trace_io_page_fault", NULL };
	static const char *const stock[] = { "btf_trace_io_page_fault", NULL };
	static const char *const fns[] = { "arm_smmu_handle_evt", "iommu_print_event", NULL };
	static const char *const none[] = { NULL };
	struct esync_probe_result r;

	ASSERT_EQ(0, probe_fake("tests/data/no-such-tracefs", patched, fns, &r));
	EXPECT_TRUE(loads(&r, "smmu_event"));
	EXPECT_FALSE(loads(&r, "smmu_handle_evt"));
	EXPECT_TRUE(strstr(r.why[esync_hook_find("smmu_handle_evt")], "arm_smmu_event") != NULL);
	EXPECT_TRUE(loads(&r, "amd_print_event"));	/* no AMD tracepoint */
	EXPECT_FALSE(loads(&r, "iommu_fault"));

	ASSERT_EQ(0, probe_fake("tests/data/no-such-tracefs", stock, fns, &r));
	EXPECT_TRUE(loads(&r, "smmu_handle_evt"));
	EXPECT_FALSE(loads(&r, "iommu_fault"));

	ASSERT_EQ(0, probe_fake("tests/data/no-such-tracefs", stock, none, &r));
	EXPECT_TRUE(loads(&r, "iommu_fault"));
}

static void test_probe_isra(void)
{
	struct esync_probe_result r;
	int i = esync_hook_find("amd_modify_irte_ga");

	ASSERT_EQ(0, probe_fake("tests/data/tracefs-isra", NULL, NULL, &r));
	EXPECT_FALSE(r.load[i]);
	EXPECT_TRUE(strstr(r.why[i], "modify_irte_ga.isra.0") != NULL);
	EXPECT_TRUE(loads(&r, "amd_free_irte"));
	/* no IRTE writer: no A1 */
	EXPECT_FALSE(r.checks & (1u << ESYNC_CHK_A1));
}

static void test_probe_no_tracefs(void)
{
	static const char *const fns[] = { "modify_irte_ga", "iommu_flush_irt_and_complete", NULL };
	struct fake_btf b = { NULL, fns };
	struct esync_probe_env env = {
		.tracefs = "tests/data/no-such-tracefs", .btf_has = fake_has,
		.btf_ctx = &b, .have_btf = true,
	};
	struct esync_probe_result r;

	ASSERT_EQ(0, esync_probe(&env, 0, &r));
	EXPECT_FALSE(r.filter_functions);
	EXPECT_TRUE(loads(&r, "amd_modify_irte_ga"));
	/* no command queue probe: flushes are taken from their caller */
	EXPECT_TRUE(r.amd_synth_irt);
	EXPECT_TRUE(r.checks & (1u << ESYNC_CHK_A1));

	env.have_btf = false;
	EXPECT_EQ(-1, esync_probe(&env, 0, &r));
	EXPECT_TRUE(strstr(r.why[0], "no BTF") != NULL);
}

static void mk_event(union esync_event *ev, uint64_t seq)
{
	memset(ev, 0, sizeof(*ev));
	ev->hdr.kind = ESYNC_EV_SYNC;
	ev->hdr.size = sizeof(struct esync_ev_sync);
	ev->hdr.seq = seq;
}

static void test_flight(void)
{
	struct esync_flight f;
	union esync_event ev;

	EXPECT_NE(0, esync_flight_init(&f, 0));
	ASSERT_EQ(0, esync_flight_init(&f, 3));
	EXPECT_TRUE(esync_flight_get(&f, 0) == NULL);
	for (uint64_t i = 1; i <= 2; i++) {
		mk_event(&ev, i);
		esync_flight_push(&f, &ev);
	}
	EXPECT_EQ(2, f.count);
	EXPECT_EQ(1, esync_flight_get(&f, 0)->hdr.seq);
	for (uint64_t i = 3; i <= 7; i++) {
		mk_event(&ev, i);
		esync_flight_push(&f, &ev);
	}
	/* the last three, oldest first */
	EXPECT_EQ(3, f.count);
	EXPECT_EQ(5, esync_flight_get(&f, 0)->hdr.seq);
	EXPECT_EQ(6, esync_flight_get(&f, 1)->hdr.seq);
	EXPECT_EQ(7, esync_flight_get(&f, 2)->hdr.seq);
	EXPECT_TRUE(esync_flight_get(&f, 3) == NULL);
	EXPECT_EQ(7, f.pushed);
	esync_flight_clear(&f);
	EXPECT_EQ(0, f.count);
	mk_event(&ev, 8);
	esync_flight_push(&f, &ev);
	EXPECT_EQ(8, esync_flight_get(&f, 0)->hdr.seq);
	esync_flight_free(&f);
}

struct collected {
	union esync_event ev[16];
	unsigned int n;
};

static void collect(void *ctx, const union esync_event *ev)
{
	struct collected *c = ctx;

	if (c->n < 16)
		memcpy(&c->ev[c->n++], ev, ev->hdr.size);
}

static void test_perf_import(void)
{
	struct esync_perf_stats st;
	struct collected c = { .n = 0 };
	FILE *in = fopen("tests/data/perf-clean-amd.txt", "r");

	ASSERT_TRUE(in != NULL);
	esync_perf_import(in, collect, &c, &st);
	fclose(in);
	EXPECT_EQ(7, st.events);
	EXPECT_EQ(0, st.bad);
	EXPECT_EQ(2, st.skipped);	/* the comment and sched_switch */
	ASSERT_EQ(7, c.n);
	EXPECT_EQ(ESYNC_EV_WRITE_BEGIN, c.ev[0].hdr.kind);
	EXPECT_EQ(100000001000ULL, c.ev[0].hdr.ts_ns);
	EXPECT_EQ(1, c.ev[0].hdr.cpu);
	EXPECT_EQ(7, c.ev[0].hdr.seq);
	EXPECT_EQ(5, c.ev[0].begin.format);
	EXPECT_EQ(0x209, c.ev[0].begin.dev);
	EXPECT_EQ(128, c.ev[0].begin.quanta_bits);
	EXPECT_EQ(2, c.ev[0].begin.words);
	EXPECT_EQ(0x21, c.ev[0].begin.target[1]);
	EXPECT_EQ(ESYNC_EV_STORE, c.ev[1].hdr.kind);
	EXPECT_EQ(0x21, c.ev[1].store.new_hi);
	EXPECT_EQ(1, c.ev[1].store.new_lo);
	EXPECT_EQ(ESYNC_HOW_HITLESS, c.ev[2].end.how);
	EXPECT_EQ(1, c.ev[2].end.nr_critical);
	EXPECT_EQ(ESYNC_EV_AMD_CMD, c.ev[3].hdr.kind);
	EXPECT_EQ(5, c.ev[3].amd.type);
	EXPECT_EQ(0x209, c.ev[3].amd.devid);
	EXPECT_EQ(ESYNC_EV_VTD_DESC, c.ev[5].hdr.kind);
	EXPECT_EQ(1, c.ev[5].hdr.iommu);
	EXPECT_EQ(2, c.ev[5].vtd.type);
	EXPECT_EQ(1, c.ev[5].vtd.did);
	EXPECT_EQ(ESYNC_EV_SMMU_CMD, c.ev[6].hdr.kind);
	EXPECT_EQ(0x10, c.ev[6].smmu.sid);
	EXPECT_EQ(ESYNC_SMMU_F_SYNC, c.ev[6].smmu.flags);
	for (unsigned int i = 0; i < c.n; i++)
		EXPECT_TRUE(esync_event_check(&c.ev[i], c.ev[i].hdr.size) == NULL);
}

static void test_perf_bad_lines(void)
{
	union esync_event ev;

	/* ours, damaged: -1; others: 0 */
	EXPECT_EQ(-1, esync_perf_parse_line(
		"x 1 [000] 1.000001: entry_sync:entry_sync_store: seq=1 entry=0x10 index=0 old=0x12 new=0x34",
		&ev));
	EXPECT_EQ(-1, esync_perf_parse_line(
		"x 1 [000] 1.000001: entry_sync:entry_sync_write_begin: seq=1 entry=0x10 format=5 iommu=0 dev=0x1 sub=0x0 quanta=1x128 vbit=0 cur={0x0} target={0x0,0x0}",
		&ev));
	EXPECT_EQ(0, esync_perf_parse_line("x 1 [000] 1.000001: sched:sched_switch: a=b", &ev));
	EXPECT_EQ(0, esync_perf_parse_line("garbage", &ev));
	/* nanoseconds (perf script --ns) */
	ASSERT_EQ(1, esync_perf_parse_line(
		"x 1 [002] 5.123456789: entry_sync:entry_sync_sync: seq=3 entry=0x10 step=2", &ev));
	EXPECT_EQ(5123456789ULL, ev.hdr.ts_ns);
	EXPECT_EQ(2, ev.sync.step);
}

/* Fault tracepoints: the raw record and the IOMMU, as the collector has them */
static void test_perf_faults(void)
{
	union esync_event ev;

	ASSERT_EQ(1, esync_perf_parse_line(
		"irq/25 42 [001] 2.000000100: arm_smmu_v3:arm_smmu_event: smmu=1 id=0x10 sid=0x10 ssid=0x2 ssv=1 evt=0000001000002810:0000000800000000:0000000080001000:0000000000000000",
		&ev));
	EXPECT_EQ(ESYNC_EV_FAULT, ev.hdr.kind);
	EXPECT_EQ(sizeof(ev.fault), ev.hdr.size);
	EXPECT_EQ(ESYNC_FAULT_SMMU_EVTQ, ev.fault.source);
	EXPECT_EQ(1, ev.hdr.iommu);
	EXPECT_EQ(42, ev.hdr.tid);
	EXPECT_EQ(0, ev.hdr.seq);
	EXPECT_EQ(0x0000001000002810ULL, ev.fault.raw[0]);
	EXPECT_EQ(0x80001000ULL, ev.fault.raw[2]);
	ASSERT_EQ(1, esync_perf_parse_line(
		"irq/24 43 [001] 2.000000200: amd_iommu:amd_iommu_event: iommu=2 type=2 devid=0200 pasid=0x00000 flags=0x020 address=0xfee00000 event=00000200:20200000:fee00000:00000001",
		&ev));
	EXPECT_EQ(ESYNC_FAULT_AMD_EVTLOG, ev.fault.source);
	EXPECT_EQ(2, ev.hdr.iommu);
	EXPECT_EQ(0x2020000000000200ULL, ev.fault.raw[0]);
	EXPECT_EQ(0x00000001fee00000ULL, ev.fault.raw[1]);
	ASSERT_EQ(1, esync_perf_parse_line(
		"irq/26 44 [000] 2.000000300: intel_iommu:dmar_fault_record: dmar3 source_id=0x0010 reason=0x06 type=read pasid_present=1 pasid=0x3 lo=0x0000000080002000 hi=0xc000030680000010",
		&ev));
	EXPECT_EQ(ESYNC_FAULT_VTD_FRCD, ev.fault.source);
	EXPECT_EQ(3, ev.hdr.iommu);
	EXPECT_EQ(0x80002000ULL, ev.fault.raw[0]);
	EXPECT_EQ(0xc000030680000010ULL, ev.fault.raw[1]);
	ASSERT_EQ(1, esync_perf_parse_line(
		"irq/26 44 [000] 2.000000400: iommu:io_page_fault: IOMMU:nvme 0000:01:00.0 iova=0x0000000080001000 flags=0x0001",
		&ev));
	EXPECT_EQ(ESYNC_FAULT_IO_PAGE_FAULT, ev.fault.source);
	EXPECT_EQ(0, ev.hdr.iommu);
	EXPECT_EQ(0x80001000ULL, ev.fault.addr);
	EXPECT_EQ(1, ev.fault.flags);
	EXPECT_STREQ("0000:01:00.0", ev.fault.name);
	/* no driver string; a name longer than the field is cut as the collector cuts it */
	ASSERT_EQ(1, esync_perf_parse_line(
		"x 1 [000] 2.000000500: iommu:io_page_fault: IOMMU: a-platform-device-name-of-40-characters iova=0x1000 flags=0x0000",
		&ev));
	EXPECT_STREQ("a-platform-device-name-of-40-ch", ev.fault.name);
	/* damaged */
	EXPECT_EQ(-1, esync_perf_parse_line(
		"x 1 [000] 2.000000600: arm_smmu_v3:arm_smmu_event: smmu=0 id=0x10 sid=0x10 ssid=0 ssv=0 evt=0000001000000010:0000000800000000:0000000080001000",
		&ev));
	EXPECT_EQ(-1, esync_perf_parse_line(
		"x 1 [000] 2.000000700: amd_iommu:amd_iommu_event: iommu=1 type=2 event=00000200:120000000:fee00000:00000000",
		&ev));
	EXPECT_EQ(-1, esync_perf_parse_line(
		"x 1 [000] 2.000000800: intel_iommu:dmar_fault_record: source_id=0x0010 lo=0x1000 hi=0x1", &ev));
	EXPECT_EQ(-1, esync_perf_parse_line(
		"x 1 [000] 2.000000900: iommu:io_page_fault: 0000:01:00.0 iova=0x1000 flags=0x0", &ev));
	/* iommu's other events are not esync's */
	EXPECT_EQ(0, esync_perf_parse_line(
		"x 1 [000] 2.000001000: iommu:unmap: IOMMU: iova=0x0000000080000000 size=4096 unmapped_size=4096",
		&ev));
}

TAP_MAIN(TAP_CASE(test_opts_live), TAP_CASE(test_opts_errors),
	 TAP_CASE(test_opts_record), TAP_CASE(test_probe_patched),
	 TAP_CASE(test_probe_legacy_amd), TAP_CASE(test_probe_legacy_smmu),
	 TAP_CASE(test_probe_vtd_completion),
	 TAP_CASE(test_probe_isra), TAP_CASE(test_probe_faults),
	 TAP_CASE(test_probe_no_tracefs), TAP_CASE(test_flight),
	 TAP_CASE(test_perf_import), TAP_CASE(test_perf_bad_lines),
	 TAP_CASE(test_perf_faults))
