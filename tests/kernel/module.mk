# The kernel series, checked on the Debian source it targets (a few minutes:
# set ESYNC_SKIP_KERNEL=1 to skip while iterating on userspace code).
TEST_SCRIPTS += scripts/kernel-patch-check.sh

# The patched kernels booted in QEMU: their KUnit suites (make kernel-kunit).
TEST_SCRIPTS += tests/kernel/kunit.sh
CHECK_DEPS += $(O)/tests/ktap-check
