# The verification engine's tests: unit tests (ASan/UBSan), the hand-made
# dumps of tests/data and their expected findings, a short fuzz run; and the
# 'fuzz' and 'bench' targets.

ENGINE_T := $(O)/tests/engine
FUZZ_CC ?= clang

$(ENGINE_T)/gen-dumps: tests/engine/gen-dumps.c $(ENGINE_LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(ESYNC_INC) -o $@ $^ -lpthread

$(ENGINE_T)/test-%: tests/engine/test-%.c $(ENGINE_SAN_OBJS) $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(SAN_FLAGS) $(ESYNC_INC) \
		-Itests/harness -o $@ $^ -lpthread

ENGINE_UNIT := $(patsubst tests/engine/%.c,$(ENGINE_T)/%,$(wildcard tests/engine/test-*.c))
TEST_BINS += $(ENGINE_UNIT)

# The dump tests run the tool on tests/data and need the generator
TEST_SCRIPTS += tests/engine/dumps.sh tests/engine/fuzz-short.sh
TEST_SCRIPTS += tests/engine/cli.sh tests/engine/memcheck.sh
check: $(O)/esync $(ENGINE_T)/gen-dumps $(if $(shell command -v $(FUZZ_CC)),$(ENGINE_T)/fuzz-dump)

# Regenerates the committed dumps (after a deliberate change)
gen-dumps: $(ENGINE_T)/gen-dumps
	$(Q)$< tests/data

# libFuzzer target for the dump reader and the engine behind it
FUZZ_SRCS := $(ENGINE_LIB_SRCS)
$(ENGINE_T)/fuzz-dump: tests/engine/fuzz-dump.c $(FUZZ_SRCS) $(wildcard user/*.h)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D) && $(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(ESYNC_INC) -o $@ tests/engine/fuzz-dump.c $(FUZZ_SRCS) -lpthread

FUZZ_SECONDS ?= 600
fuzz: $(ENGINE_T)/fuzz-dump $(ENGINE_T)/gen-dumps
	$(Q)mkdir -p $(ENGINE_T)/corpus && for f in tests/data/*.dump; do \
		b=$$(basename $$f .dump); \
		{ printf '\000'; cat $$f; } > $(ENGINE_T)/corpus/$$b.raw; \
		{ printf '\001'; cat $$f; } > $(ENGINE_T)/corpus/$$b.fix; \
	done
	$(Q)$(ENGINE_T)/fuzz-dump -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-print_final_stats=1 $(ENGINE_T)/corpus

BENCH_EVENTS ?= 10000000
bench: $(O)/esync $(ENGINE_T)/gen-dumps
	$(Q)tests/engine/bench.sh $(O) $(BENCH_EVENTS)

.PHONY: fuzz bench gen-dumps

# The objects are kept between runs
.SECONDARY: $(ENGINE_LIB_OBJS) $(ENGINE_SAN_OBJS)
