# The esync tool: every user/*.c except the files other tools link alone.
# Objects are built twice: plain for the tool and the benchmark, with
# ASan/UBSan for the unit tests (tests/engine/module.mk links those).

ESYNC_SRCS := $(sort $(wildcard user/*.c))
ESYNC_OBJS := $(patsubst user/%.c,$(O)/user/%.o,$(ESYNC_SRCS))
ESYNC_SAN_OBJS := $(patsubst user/%.c,$(O)/user/san/%.o,$(ESYNC_SRCS))

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
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lpthread

BINS += $(O)/esync
