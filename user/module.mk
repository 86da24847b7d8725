# The esync tool: every user/*.c except the files other tools link alone.
# Objects are built twice: plain for the tool and the benchmark, with
# ASan/UBSan for the unit tests (tests/engine/module.mk links those).

ESYNC_SRCS := $(sort $(wildcard user/*.c))
# live and record need the BPF skeleton and libbpf (bpf/module.mk)
ifeq ($(ESYNC_BPF),1)
ESYNC_LIVE_SRCS := $(sort $(wildcard user/live/*.c))
else
ESYNC_SRCS := $(filter-out user/cmd_live.c user/cmd_record.c,$(ESYNC_SRCS))
endif
ESYNC_OBJS := $(patsubst user/%.c,$(O)/user/%.o,$(ESYNC_SRCS))
ESYNC_SAN_OBJS := $(patsubst user/%.c,$(O)/user/san/%.o,$(ESYNC_SRCS))
ESYNC_OBJS += $(patsubst user/%.c,$(O)/user/%.o,$(ESYNC_LIVE_SRCS))

$(O)/user/live/collect.o: $(BPF_OUT)/esync.skel.h
$(O)/user/live/%.o: ESYNC_INC += -Iuser/live -I$(BPF_OUT)
$(O)/user/cmd_live.o $(O)/user/cmd_record.o: ESYNC_INC += -Iuser/live

ESYNC_INC := -Iuser -Ibpf
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

$(O)/user/%.o: user/%.c $(wildcard user/*.h) bpf/esync_events.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(ESYNC_INC) -c -o $@ $<

$(O)/user/san/%.o: user/%.c $(wildcard user/*.h) bpf/esync_events.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(ESYNC_CFLAGS) $(SAN_FLAGS) $(ESYNC_INC) -c -o $@ $<

$(O)/esync: $(ESYNC_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(ESYNC_LDFLAGS) -o $@ $^ $(ESYNC_LIBS) -lpthread

BINS += $(O)/esync

# The version (Makefile: ESYNC_VERSION) as a header that is rewritten only
# when it changes, so that a new commit relinks esync and nothing else.
ESYNC_VERSION_H := $(O)/gen/esync-version.h
$(ESYNC_VERSION_H): FORCE
	$(Q)mkdir -p $(@D) && printf '#define ESYNC_VERSION "%s"\n' '$(ESYNC_VERSION)' > $@.tmp && \
		if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(O)/user/version.o $(O)/user/san/version.o: $(ESYNC_VERSION_H)
$(O)/user/version.o $(O)/user/san/version.o: ESYNC_INC += -I$(O)/gen
FORCE:
.PHONY: FORCE

# Man pages: user/man/*.scd rendered by scdoc (Debian package scdoc);
# 'make' builds them when scdoc is there, 'make man' and 'make install'
# always.
SCDOC ?= scdoc
MAN_SRCS := $(sort $(wildcard user/man/*.scd))
MAN_PAGES := $(patsubst user/man/%.scd,$(O)/man/%,$(MAN_SRCS))

$(O)/man/%: user/man/%.scd
	$(call msg,SCDOC,$@)
	$(Q)command -v $(SCDOC) >/dev/null || { echo "the man pages need scdoc: make deps (or apt install scdoc)" >&2; exit 1; }
	$(Q)mkdir -p $(@D) && $(SCDOC) < $< > $@.tmp && mv $@.tmp $@

man: $(MAN_PAGES)
ifneq ($(shell command -v $(SCDOC) 2>/dev/null),)
all: $(MAN_PAGES)
endif
.PHONY: man
