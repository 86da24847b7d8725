# The entry_sync library, built in userspace from the series itself, and its
# torn-view model checker; mutants of the library that the checker must catch.

ES_SERIES := $(addprefix kernel-patch/,$(shell grep -v '^\#' kernel-patch/series))
ES_DIR := $(O)/entry_sync
ES_SRC := $(ES_DIR)/src/drivers/iommu
ES_CFLAGS = $(ESYNC_CFLAGS) -Wno-missing-field-initializers \
	-DCONFIG_ARCH_SUPPORTS_INT128 -Itests/shim -Itests/entry_sync/shim -Itests/harness
ES_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
ES_MUTANTS := $(basename $(notdir $(wildcard tests/entry_sync/mutants/*.patch)))

$(ES_SRC)/entry_sync.c: $(ES_SERIES) kernel-patch/series tests/entry_sync/extract.sh
	$(call msg,EXTRACT,$(ES_DIR)/src)
	$(Q)tests/entry_sync/extract.sh $(ES_DIR)/src $(ES_SERIES)

# model-<variant>: the checker linked to the library as shipped ("shipped")
# or with one planted bug (a file of tests/entry_sync/mutants).
$(ES_DIR)/model-shipped: tests/entry_sync/model.c $(ES_SRC)/entry_sync.c $(HARNESS_OBJ) $(wildcard tests/shim/*.h tests/shim/*/*.h)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ES_CFLAGS) $(ES_SANITIZE) -I$(ES_SRC) -o $@ tests/entry_sync/model.c $(ES_SRC)/entry_sync.c $(HARNESS_OBJ)

$(ES_DIR)/model-%: tests/entry_sync/mutants/%.patch tests/entry_sync/model.c $(ES_SRC)/entry_sync.c $(HARNESS_OBJ)
	$(call msg,MUTANT,$*)
	$(Q)rm -rf $(ES_DIR)/mutant-$* && mkdir -p $(ES_DIR)/mutant-$* && \
		cp -r $(ES_DIR)/src/drivers $(ES_DIR)/mutant-$*/ && \
		patch -s -d $(ES_DIR)/mutant-$* -p1 -F0 --batch < $< && \
		$(CC) $(ES_CFLAGS) -Wno-error -w -I$(ES_DIR)/mutant-$*/drivers/iommu -o $@ \
			tests/entry_sync/model.c \
			$(ES_DIR)/mutant-$*/drivers/iommu/entry_sync.c $(HARNESS_OBJ)

TEST_BINS += $(ES_DIR)/model-shipped
TEST_SCRIPTS += tests/entry_sync/mutants.sh tests/entry_sync/one-source.sh
CHECK_DEPS += $(ES_MUTANTS:%=$(ES_DIR)/model-%)

# The series' KUnit test, run in userspace against the same library.
$(ES_DIR)/kunit-entry-sync: tests/entry_sync/kunit-runner.c $(ES_SRC)/entry_sync.c $(HARNESS_OBJ) $(wildcard tests/shim/*.h tests/shim/*/*.h)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ES_CFLAGS) $(ES_SANITIZE) -I$(ES_SRC) -o $@ tests/entry_sync/kunit-runner.c \
		$(ES_SRC)/entry_sync.c $(ES_SRC)/entry_sync_test.c $(HARNESS_OBJ)

TEST_BINS += $(ES_DIR)/kunit-entry-sync

# The KUnit test against each mutant: it must catch them too.
$(ES_DIR)/kunit-%: tests/entry_sync/mutants/%.patch $(ES_DIR)/model-% tests/entry_sync/kunit-runner.c $(HARNESS_OBJ)
	$(call msg,CC,$@)
	$(Q)$(CC) $(ES_CFLAGS) -w -I$(ES_DIR)/mutant-$*/drivers/iommu -o $@ \
		tests/entry_sync/kunit-runner.c \
		$(ES_DIR)/mutant-$*/drivers/iommu/entry_sync.c \
		$(ES_DIR)/src/drivers/iommu/entry_sync_test.c $(HARNESS_OBJ)

CHECK_DEPS += $(ES_MUTANTS:%=$(ES_DIR)/kunit-%)
