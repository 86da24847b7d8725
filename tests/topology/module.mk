# The DMA-alias model (user/topology.c) on the fake sysfs trees of
# tests/data/sysfs-*/ (regenerate them with tests/topology/make-fake-sysfs.sh),
# and 'esync topology' run on them.  ESYNC_MODEL_SRCS and the sanitizer
# build of the model come from tests/formats/module.mk.

$(O)/tests/topology-test: tests/topology/topology_test.c $(MODEL_SAN_OBJS) $(O)/tests/harness/tap.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(MODEL_TEST_CFLAGS) -o $@ $^

TEST_BINS += $(O)/tests/topology-test
TEST_SCRIPTS += tests/topology/cmd-topology.sh
