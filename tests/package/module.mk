# Packaging and the command-line front end: --version, safe output files
# (esync_open_output), the Chrome export checked by a strict trace-event
# reader (trace-check), 'make install DESTDIR=' and the man pages.

PACKAGE_T := $(O)/tests/package

$(PACKAGE_T)/trace-check: tests/package/trace-check.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) -o $@ $< -lm

$(PACKAGE_T)/test-outfile: tests/package/test-outfile.c $(O)/user/san/outfile.o $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(SAN_FLAGS) $(ESYNC_INC) \
		-Itests/harness -o $@ $^

TEST_BINS += $(PACKAGE_T)/test-outfile
TEST_SCRIPTS += tests/package/cli.sh tests/package/export.sh tests/package/install.sh
CHECK_DEPS += $(PACKAGE_T)/trace-check
