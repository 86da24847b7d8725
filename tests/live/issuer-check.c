// SPDX-License-Identifier: GPL-2.0-only
/*
 * The collectors tell a task from an interrupt by the stack their program
 * runs on (esync_emit.h: issuer_tid()).  A program run by BPF_PROG_TEST_RUN
 * runs in the calling task: it must name this thread, not an interrupt
 * context, or every command would lose its write; a device interrupt's
 * handler that interrupted the kernel (where a write can be in progress)
 * must name the interrupt context, not the task.  One that interrupted
 * user space runs on the task's stack on x86 and is taken as the task's:
 * no write of that task is in progress then.  TAP 13; needs root.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.skel.h"
#include "esync_events.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

int main(void)
{
	LIBBPF_OPTS(bpf_test_run_opts, o);
	struct bench_bpf *s;
	struct bpf_link *l;
	unsigned int tid = (unsigned int)syscall(SYS_gettid);
	int err;

	libbpf_set_print(quiet);
	printf("TAP version 13\n");
	if (geteuid() != 0) {
		printf("1..0 # SKIP running a BPF program needs root\n");
		return 0;
	}
	s = bench_bpf__open_and_load();
	if (!s) {
		printf("1..0 # SKIP cannot load the benchmark programs\n");
		return 0;
	}
	printf("1..2\n");
	err = bpf_prog_test_run_opts(bpf_program__fd(s->progs.whoami), &o);
	if (!err && s->bss->issuer == tid)
		printf("ok 1 - a program run by this thread names it (tid %u), not an interrupt\n", tid);
	else
		printf("not ok 1 - a program run by thread %u names 0x%x%s (err %d)\n", tid,
		       s->bss->issuer, s->bss->issuer & ESYNC_TID_IRQ ? ", an interrupt context" : "",
		       err);

	/*
	 * Device interrupts, for up to four seconds of disk writes; this
	 * thread sleeps, so most of them come to an idle CPU or the kernel
	 */
	l = bpf_program__attach_raw_tracepoint(s->progs.irq_entry, "irq_handler_entry");
	for (int i = 0; l && i < 40 && s->bss->irq_hits < 50; i++) {
		FILE *f = tmpfile();

		if (f) {
			fputs("esync\n", f);
			fflush(f);
			fsync(fileno(f));
			fclose(f);
		}
		usleep(100000);
	}
	bpf_link__destroy(l);
	if (!l || s->bss->irq_hits < 20)
		printf("ok 2 # SKIP %llu device interrupts seen here, too few to judge\n",
		       l ? (unsigned long long)s->bss->irq_hits : 0ull);
	else if (s->bss->irq_named)
		printf("ok 2 - %llu of %llu device interrupt handlers named the interrupt context%s\n",
		       (unsigned long long)s->bss->irq_named, (unsigned long long)s->bss->irq_hits,
		       s->bss->irq_named < s->bss->irq_hits ?
		       " (the others interrupted user space, where x86 stays on the task's stack)" : "");
	else
		printf("not ok 2 - none of %llu device interrupt handlers was taken for an interrupt context\n",
		       (unsigned long long)s->bss->irq_hits);
	bench_bpf__destroy(s);
	return 0;
}
