# The kernel series, checked on the Debian source it targets (a few minutes:
# set ESYNC_SKIP_KERNEL=1 to skip while iterating on userspace code).
TEST_SCRIPTS += scripts/kernel-patch-check.sh
