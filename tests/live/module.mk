# esync live and record: unit tests that need neither root nor an IOMMU
# (options, probe decisions on fake tracefs trees, flight ring, perf import),
# the live smoke test (root; skips otherwise) and the BPF benchmark.

LIVE_T := $(O)/tests/live

$(LIVE_T)/test-live: tests/live/test-live.c $(ENGINE_SAN_OBJS) $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(SAN_FLAGS) $(ESYNC_INC) \
		-Itests/harness -o $@ $^ -lpthread

TEST_BINS += $(LIVE_T)/test-live
TEST_SCRIPTS += tests/live/live.sh

ifeq ($(ESYNC_BPF),1)
# Every kprobe program through the running kernel's verifier (root)
$(LIVE_T)/verifier-check: tests/live/verifier-check.c $(BPF_OUT)/esync.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(ESYNC_LDFLAGS) $(ESYNC_INC) -I$(BPF_OUT) \
		-o $@ tests/live/verifier-check.c $(ESYNC_LIBS)

TEST_BINS += $(LIVE_T)/verifier-check

# The collectors take a task for a task, not an interrupt (root)
$(LIVE_T)/issuer-check: tests/live/issuer-check.c $(BPF_OUT)/bench.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(ESYNC_LDFLAGS) $(ESYNC_INC) -I$(BPF_OUT) \
		-o $@ tests/live/issuer-check.c $(ESYNC_LIBS)

TEST_BINS += $(LIVE_T)/issuer-check

# BPF cost per event and ring-buffer ingestion (root)
$(LIVE_T)/bench-bpf: tests/live/bench-bpf.c $(BPF_OUT)/bench.skel.h $(ENGINE_LIB_OBJS) $(O)/user/live/ring.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(ESYNC_LDFLAGS) $(ESYNC_INC) -Iuser/live -I$(BPF_OUT) \
		-o $@ tests/live/bench-bpf.c $(ENGINE_LIB_OBJS) $(O)/user/live/ring.o $(ESYNC_LIBS) -lpthread

bench-bpf: $(LIVE_T)/bench-bpf
	$(Q)$<
else
bench-bpf:
	@echo "bench-bpf: needs clang and bpftool"
endif

bench: bench-bpf

.PHONY: bench-bpf
