# Entry-format models (user/format.c, user/fmt_*.c) and the DMA-alias model
# (user/topology.c): ESYNC_MODEL_SRCS is what the esync binary links.
# Tests: the table-driven format tests, and the SMMUv3 models checked against
# arm_smmu_get_ste_used()/arm_smmu_get_cd_used() cut out of Linux 6.12.

ESYNC_MODEL_SRCS := user/format.c user/fmt_smmu_ste.c user/fmt_smmu_cd.c \
	user/fmt_vtd_pasid.c user/fmt_amd_dte.c user/fmt_amd_irte.c \
	user/fmt_test.c user/topology.c
ESYNC_MODEL_HDRS := user/format.h user/topology.h

ESYNC_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
MODEL_TEST_CFLAGS = $(ESYNC_CFLAGS) $(ESYNC_SAN) -Iuser -Itests/harness

# The model sources built with sanitizers, for the tests.
MODEL_SAN_OBJS := $(patsubst user/%.c,$(O)/tests/model/%.o,$(ESYNC_MODEL_SRCS))

$(O)/tests/model/%.o: user/%.c $(ESYNC_MODEL_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(MODEL_TEST_CFLAGS) -c -o $@ $<

$(O)/tests/formats-test: tests/formats/formats_test.c $(MODEL_SAN_OBJS) $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(MODEL_TEST_CFLAGS) -o $@ $^

TEST_BINS += $(O)/tests/formats-test

# Debian's linux-source-6.12 tarball; only the SMMUv3 driver files are taken.
ESYNC_KSRC_TAR ?= /usr/src/linux-source-6.12.tar.xz
FMT_KSRC := $(O)/tests/formats/ksrc
FMT_SMMU_DIR := linux-source-6.12/drivers/iommu/arm/arm-smmu-v3

ifneq ($(wildcard $(ESYNC_KSRC_TAR)),)
$(FMT_KSRC)/.extracted: $(ESYNC_KSRC_TAR)
	$(call msg,TAR,$(FMT_SMMU_DIR))
	$(Q)rm -rf $(FMT_KSRC) && mkdir -p $(FMT_KSRC) && \
		tar -xJf $< -C $(FMT_KSRC) $(FMT_SMMU_DIR)/arm-smmu-v3.c \
			$(FMT_SMMU_DIR)/arm-smmu-v3.h && touch $@

$(O)/tests/formats/smmu-used-6.12.c: $(FMT_KSRC)/.extracted tests/formats/extract-smmu-used.sh
	$(call msg,GEN,$@)
	$(Q)tests/formats/extract-smmu-used.sh $(FMT_KSRC)/$(FMT_SMMU_DIR) $@

$(O)/tests/formats/smmu-used-6.12.o: $(O)/tests/formats/smmu-used-6.12.c tests/formats/shim/kernel-used.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ESYNC_CFLAGS) $(ESYNC_SAN) -Itests/formats/shim -c -o $@ $<

FMT_KERNEL_OBJ := $(O)/tests/formats/smmu-used-6.12.o
FMT_KERNEL_DEF := -DESYNC_HAVE_KERNEL_USED -Itests/formats/shim
else
FMT_KERNEL_OBJ :=
FMT_KERNEL_DEF := -DESYNC_KSRC_MISSING='"$(ESYNC_KSRC_TAR)"'
endif

$(O)/tests/formats-smmu-driver: tests/formats/smmu_driver_test.c $(FMT_KERNEL_OBJ) \
		$(MODEL_SAN_OBJS) $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(MODEL_TEST_CFLAGS) $(FMT_KERNEL_DEF) -o $@ $^

TEST_BINS += $(O)/tests/formats-smmu-driver

# The "test" format against the entry_sync KUnit test's own tf_used().
FMT_TF_PATCH := kernel-patch/0002-iommu-Add-a-KUnit-test-for-entry_sync.patch

$(O)/tests/formats/kunit-tf-used.c: $(FMT_TF_PATCH) tests/formats/extract-tf-used.sh
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D) && tests/formats/extract-tf-used.sh $< $@

$(O)/tests/formats-test-kunit: tests/formats/test_format_kunit_test.c \
		$(O)/tests/formats/kunit-tf-used.c tests/formats/shim/kernel-tf.h \
		$(MODEL_SAN_OBJS) $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)$(CC) $(MODEL_TEST_CFLAGS) -Itests/formats/shim -o $@ \
		$(filter %.c %.o,$^)

TEST_BINS += $(O)/tests/formats-test-kunit
