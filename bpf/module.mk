# The BPF programs and their skeletons (libbpf-bootstrap's chain: clang
# -target bpf, bpftool gen object, bpftool gen skeleton), and the build
# variants of the esync tool:
#
#   make                                          host, dynamic libbpf
#   make STATIC=1                                 host, static (build/static)
#   make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-   static arm64 (build/arm64)
#
# read before user/module.mk, which links what is set here.

BPF_CLANG ?= clang
BPFTOOL ?= bpftool
HOST_ARCH := $(shell uname -m)
ARCH ?= $(HOST_ARCH)
BPF_ARCH := $(if $(filter arm64 aarch64,$(ARCH)),arm64,$(if $(filter x86 x86_64 amd64,$(ARCH)),x86,$(ARCH)))

ifneq ($(CROSS_COMPILE),)
CC := $(CROSS_COMPILE)gcc
STATIC := 1
endif
# Variants get their own output directory unless O is given
ifeq ($(origin O),file)
ifneq ($(CROSS_COMPILE),)
O := $(O)/$(BPF_ARCH)
else ifeq ($(STATIC),1)
O := $(O)/static
endif
endif

# Without clang and bpftool, esync is built without live and record
# and without vmlinux.h (scripts/gen-vmlinux-h.sh)
ESYNC_BPF := $(if $(wildcard vmlinux.h),$(if $(shell command -v $(BPF_CLANG) 2>/dev/null),$(if $(shell command -v $(BPFTOOL) 2>/dev/null),1)))
BPF_OUT := $(O)/bpf/$(BPF_ARCH)
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Werror -I. -Ibpf
ESYNC_LIBS := $(if $(ESYNC_BPF),-lbpf -lelf -lz)
ESYNC_LDFLAGS := $(if $(filter 1,$(STATIC)),-static)

$(BPF_OUT)/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D) && $(BPF_CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp && \
		$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(BPF_OUT)/%.skel.h: $(BPF_OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@
.SECONDARY: $(BPF_OUT)/esync.bpf.o $(BPF_OUT)/bench.bpf.o
