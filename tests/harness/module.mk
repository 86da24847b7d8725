# The TAP harness, its summary tool and the harness's own tests.

HARNESS_OBJ := $(O)/tests/harness/tap.o

$(HARNESS_OBJ): tests/harness/tap.c tests/harness/tap.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) -c -o $@ $<

$(O)/tests/tap-summary: tests/harness/tap-summary.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) -o $@ $<

# The inner suite fails on purpose; harness-selftest runs it and checks that.
$(O)/tests/harness-failing-suite: tests/harness/failing-suite.c $(HARNESS_OBJ)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) -Itests/harness -o $@ $^

$(O)/tests/harness-selftest: tests/harness/selftest.c $(HARNESS_OBJ) | $(O)/tests/harness-failing-suite $(O)/tests/tap-summary
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) -Itests/harness -o $@ $^

TEST_BINS += $(O)/tests/harness-selftest

# Reads KUnit's KTAP from a kernel console log (make kernel-kunit).
$(O)/tests/ktap-check: tests/harness/ktap-check.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) -o $@ $<

TEST_SCRIPTS += tests/harness/ktap-selftest.sh
CHECK_DEPS += $(O)/tests/ktap-check
