# SPDX-License-Identifier: GPL-2.0-only
#
# esync: eBPF observability and regression toolkit for IOMMU entry updates.
#
#   make                  build what exists (the esync tool, test binaries)
#   make check            run every test; prints "N passed, N failed, N skipped"
#   make kernel-patch-check  apply the series on Debian's linux-source-6.12,
#                         build the library with W=1 (x86_64, arm64), checkpatch
#   make clean
#
# Each directory adds its own rules in a module.mk: it appends programs to
# BINS, test programs to TEST_BINS (each prints TAP 13) and test scripts to
# TEST_SCRIPTS (each prints TAP 13 too), and what the tests need built to
# CHECK_DEPS.  V=1 shows the commands.

.DELETE_ON_ERROR:
.SUFFIXES:

O       ?= build
CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
ESYNC_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS)

# The release; 'esync --version' adds 'git describe' when built in git.
# debian/rules passes the changelog's upstream version as ESYNC_BASE_VERSION.
ESYNC_BASE_VERSION ?= 0.1.0
ESYNC_GIT_DESCRIBE := $(if $(wildcard .git),$(shell git --no-optional-locks describe --always --dirty 2>/dev/null))
ESYNC_VERSION ?= $(ESYNC_BASE_VERSION)$(if $(ESYNC_GIT_DESCRIBE),+g$(ESYNC_GIT_DESCRIBE))

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

BINS :=
TEST_BINS :=
TEST_SCRIPTS :=
CHECK_DEPS :=

all:

# The engine without the command-line front end, which the tests link
# (plain and with ASan/UBSan), and the TAP output of 'make check'.
ENGINE_LIB_SRCS := $(filter-out user/esync.c user/cmd_%.c,$(sort $(wildcard user/*.c)))
ENGINE_LIB_OBJS := $(patsubst user/%.c,$(O)/user/%.o,$(ENGINE_LIB_SRCS))
ENGINE_SAN_OBJS := $(patsubst user/%.c,$(O)/user/san/%.o,$(ENGINE_LIB_SRCS))
TAP_DIR := $(O)/tap
TAP_SUMMARY := $(O)/tests/tap-summary

include $(sort $(wildcard tests/*/module.mk user/module.mk bpf/module.mk))

all: $(BINS) $(TEST_BINS)

# Run every test program and script even when one fails, then summarise.
check: $(BINS) $(TEST_BINS) $(CHECK_DEPS) $(TAP_SUMMARY)
	$(Q)rm -rf $(TAP_DIR) && mkdir -p $(TAP_DIR)
	$(Q)for t in $(TEST_BINS) $(TEST_SCRIPTS); do \
		n=$$(basename $$t); \
		echo "# $$n"; \
		O=$(O) $$t > $(TAP_DIR)/$$n.tap 2>$(TAP_DIR)/$$n.err; \
		echo $$? > $(TAP_DIR)/$$n.rc; \
		grep -E '^(not ok|ok .*# SKIP)|^#   ' $(TAP_DIR)/$$n.tap | head -n 40; \
	done
	$(Q)$(TAP_SUMMARY) $(TAP_DIR)/*.tap

kernel-patch-check:
	$(Q)O=$(O) scripts/kernel-patch-check.sh

# Small x86_64 and arm64 kernels with the series (cached by a hash of the
# series and config), and their KUnit suites booted in QEMU.
kernel:
	$(Q)O=$(O) scripts/build-kernel.sh x86_64
	$(Q)O=$(O) scripts/build-kernel.sh arm64

kernel-kunit: $(O)/tests/ktap-check $(TAP_SUMMARY)
	$(Q)O=$(O) scripts/kernel-kunit.sh; \
	$(TAP_SUMMARY) $(O)/kunit/*.tap

# The main job: trace the patched kernel live in a QEMU guest and print
# esync's report (SCENARIO=intel|amd|arm).
SCENARIO ?= intel
run: $(O)/esync
	$(Q)O=$(O) scripts/run.sh $(SCENARIO)

# Debian packages the build and the tests need (root; see scripts/install-deps.sh).
deps:
	$(Q)scripts/install-deps.sh

clean:
	rm -rf $(O)

.PHONY: all check clean deps run kernel kernel-kunit kernel-patch-check

# make install [PREFIX=/usr/local] [DESTDIR=]: the tool, its man pages,
# the bash completion and the flight recorder's systemd unit (esync.service,
# not enabled: 'systemctl enable --now esync').
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

install: $(O)/esync man
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(SYSTEMDUNITDIR)
	$(Q)$(INSTALL) -m 0755 $(O)/esync $(DESTDIR)$(BINDIR)/esync
	$(Q)$(INSTALL) -m 0644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	$(Q)$(INSTALL) -m 0644 user/dist/esync.bash $(DESTDIR)$(BASHCOMPDIR)/esync
	$(Q)sed 's|@BINDIR@|$(BINDIR)|g' user/dist/esync.service.in > $(O)/esync.service && \
		$(INSTALL) -m 0644 $(O)/esync.service $(DESTDIR)$(SYSTEMDUNITDIR)/esync.service
	$(Q)echo "  INSTALL  esync, $(words $(MAN_PAGES)) man pages, bash completion, esync.service in $(DESTDIR)$(PREFIX)"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/esync $(DESTDIR)$(BASHCOMPDIR)/esync \
		$(DESTDIR)$(SYSTEMDUNITDIR)/esync.service \
		$(patsubst $(O)/man/%,$(DESTDIR)$(MANDIR)/man1/%,$(MAN_PAGES))

.PHONY: install uninstall
