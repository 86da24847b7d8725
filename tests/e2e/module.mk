# End to end: the guests of tests/e2e/cases booted in QEMU ('make e2e'),
# and, in 'make check', the golden dumps they recorded (tests/data/e2e)
# verified offline against the same case files.

E2E_T := $(O)/tests/e2e

$(E2E_T)/e2e-assert: tests/e2e/e2e-assert.c $(ENGINE_LIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(ESYNC_INC) -o $@ $^ -lpthread

TEST_SCRIPTS += tests/e2e/golden.sh
CHECK_DEPS += $(E2E_T)/e2e-assert

e2e: $(E2E_T)/e2e-assert $(TAP_SUMMARY)
	$(Q)O=$(O) tests/e2e/e2e.sh $(CASES)

.PHONY: e2e
