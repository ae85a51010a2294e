# SPDX-License-Identifier: BSD-2-Clause
#
# secpol for Linux.  Plain GNU make; everything is built under build/:
#   build/bin/         the programs (optimised build)
#   build/asan/bin/    the same under AddressSanitizer + UBSan (make check)
#   build/bpf/         vmlinux.h, BPF objects and skeletons
#   build/tests/       test programs, build/fuzz/ fuzzers
#
# `make V=1` shows the commands.

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR ?= $(PREFIX)/share/doc/secpol
BUILD ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
LLVM_STRIP ?= llvm-strip
# seconds each fuzzer runs in `make check`
FUZZ_SECONDS ?= 20

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

WARNINGS := -Wall -Wextra -Werror -Wformat=2 -Werror=format-security \
	-Werror=format-nonliteral -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wswitch-enum -Wundef -Wpointer-arith -Wvla \
	-Wno-missing-field-initializers -Wno-sign-compare
COMMON_CFLAGS := -std=gnu11 -g -D_GNU_SOURCE -fno-strict-aliasing \
	-fstack-protector-strong -Isrc -I$(BUILD)/bpf $(WARNINGS)
CFLAGS ?= -O2
OPT_CFLAGS := $(COMMON_CFLAGS) $(CFLAGS) -D_FORTIFY_SOURCE=2
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
ASAN_CFLAGS := $(COMMON_CFLAGS) -O1 $(SAN_FLAGS)

# libsystemd: secpold's readiness notification (sd_notify); yajl:
# secpolgenerate's JSON reader; --as-needed keeps them out of the programs
# that do not use them
LIBS := -Wl,--as-needed -lbpf -lelf -lz -lseccomp -lcap -lsystemd -lyajl
TEST_LIBS := -lcmocka

# --- sources ---------------------------------------------------------------
# The library every program links: common, policy language, binary policy,
# events, the control protocol, and the daemon's modules (so they can be unit
# tested).  Programs are one file each in src/tools or src/daemon/main.c.
LIB_DIRS := src/common src/policy src/lang src/event src/ctl src/launch src/daemon src/gen
LIB_SRCS := $(filter-out src/daemon/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
TOOLS := secpolcompile secpol on secpolmonitor secpolgenerate
PROGS := $(TOOLS) secpold
BPF_SRCS := $(wildcard src/bpf/*.bpf.c)
BPF_SKELS := $(patsubst src/bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPERS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/helpers/%,$(HELPER_SRCS))
EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(EXAMPLE_SRCS))
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZERS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
BENCH_SRCS := $(wildcard bench/*.c)
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))

OPT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
ASAN_OBJS := $(patsubst %.c,$(BUILD)/asan/obj/%.o,$(LIB_SRCS))
OPT_LIB := $(BUILD)/obj/libsecpol.a
ASAN_LIB := $(BUILD)/asan/obj/libsecpol.a

BINS := $(addprefix $(BUILD)/bin/,$(PROGS))
ASAN_BINS := $(addprefix $(BUILD)/asan/bin/,$(PROGS))

# --- top-level targets -----------------------------------------------------
.PHONY: all deps check check-unit check-fast demo demo-generate bench fuzz install clean format tidy

all: deps
	@$(MAKE) --no-print-directory build-all

.PHONY: build-all programs
build-all: $(BINS) $(EXAMPLES) $(HELPERS)
# the programs alone (what a package installs)
programs: $(BINS)

deps:
	@scripts/deps.sh

# Everything: unit tests (ASan), command-line and integration tests against
# the ASan programs, bounded fuzzing.  Ends with "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory build-check
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run.sh

.PHONY: build-check
build-check: $(BINS) $(ASAN_BINS) $(UNIT_TESTS) $(HELPERS) $(EXAMPLES) $(FUZZERS)

# Unit tests only (fast edit-compile-test loop).
check-unit: deps
	@$(MAKE) --no-print-directory $(UNIT_TESTS)
	@BUILD=$(BUILD) tests/run.sh unit

demo: deps
	@$(MAKE) --no-print-directory build-all
	@BUILD=$(BUILD) examples/demo.sh

# Learn, then enforce: secpolgenerate writes the policy of a workload.
demo-generate: deps
	@$(MAKE) --no-print-directory build-all
	@BUILD=$(BUILD) examples/demo-generate.sh

bench: deps
	@$(MAKE) --no-print-directory build-all $(BENCHES)
	@BUILD=$(BUILD) bench/run.sh

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZERS)

# Installs what `make` built under DESTDIR/PREFIX, as packagers expect:
# programs, man pages, the systemd unit, bash completion (one file, a link
# per program) and the examples.  `install-files` is the same without
# building first (debian/rules builds with build-all, then installs).
install: all
	@$(MAKE) --no-print-directory install-files

# the unit and the drop-in example name the installed programs
SUBST_DIRS = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SBINDIR@|$(SBINDIR)|g'

.PHONY: install-files
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(addprefix $(BUILD)/bin/,$(TOOLS)) $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BUILD)/bin/secpold $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(wildcard docs/man/*.1) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(wildcard docs/man/*.8) $(DESTDIR)$(MANDIR)/man8/
	$(SUBST_DIRS) dist/systemd/secpold.service.in >$(DESTDIR)$(SYSTEMDUNITDIR)/secpold.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/secpold.service
	install -m 0644 dist/completion/secpol.bash $(DESTDIR)$(BASHCOMPDIR)/secpol
	for p in $(filter-out secpol,$(PROGS)); do \
		ln -sf secpol $(DESTDIR)$(BASHCOMPDIR)/$$p || exit 1; \
	done
	install -m 0644 examples/policies/manpage.sp $(DESTDIR)$(DOCDIR)/examples/
	$(SUBST_DIRS) dist/systemd/examples/secpol-type.conf >$(DESTDIR)$(DOCDIR)/examples/secpol-type.conf
	chmod 0644 $(DESTDIR)$(DOCDIR)/examples/secpol-type.conf

# The Debian package, built from the tracked files as from a clean
# checkout, into $(BUILD)/deb (dist/build-deb.sh).
.PHONY: deb
deb: deps
	@dist/build-deb.sh $(BUILD)/deb

clean:
	rm -rf $(BUILD)

format:
	clang-format -i $(shell git ls-files '*.c' '*.h')

# `secpol -p` looks for secpold in the prefix it was built for, too
$(BUILD)/obj/src/tools/secpol.o: OPT_CFLAGS += -DSECPOL_SBINDIR='"$(SBINDIR)"'
$(BUILD)/asan/obj/src/tools/secpol.o: ASAN_CFLAGS += -DSECPOL_SBINDIR='"$(SBINDIR)"'

# --- BPF ---------------------------------------------------------------------
$(BUILD)/bpf/vmlinux.h:
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

$(BUILD)/bpf/%.bpf.o: src/bpf/%.bpf.c $(wildcard src/bpf/*.h) $(BUILD)/bpf/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_x86 \
		-I$(BUILD)/bpf -Isrc -c $< -o $@
	$(Q)$(LLVM_STRIP) -g $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# --- C -----------------------------------------------------------------------
$(BUILD)/obj/%.o: %.c | $(BPF_SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OPT_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/asan/obj/%.o: %.c | $(BPF_SKELS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ASAN_CFLAGS) -MMD -MP -c $< -o $@

$(OPT_LIB): $(OPT_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(ASAN_LIB): $(ASAN_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# LDFLAGS: a packager's (Debian's -z relro -z now) for the programs
$(BUILD)/bin/secpold: $(BUILD)/obj/src/daemon/main.o $(OPT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OPT_CFLAGS) $(LDFLAGS) $^ -o $@ $(LIBS)

$(BUILD)/asan/bin/secpold: $(BUILD)/asan/obj/src/daemon/main.o $(ASAN_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ASAN_CFLAGS) $^ -o $@ $(LIBS)

$(BUILD)/bin/%: $(BUILD)/obj/src/tools/%.o $(OPT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OPT_CFLAGS) $(LDFLAGS) $^ -o $@ $(LIBS)

$(BUILD)/asan/bin/%: $(BUILD)/asan/obj/src/tools/%.o $(ASAN_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ASAN_CFLAGS) $^ -o $@ $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/asan/obj/tests/unit/test_%.o $(ASAN_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ASAN_CFLAGS) $^ -o $@ $(TEST_LIBS) $(LIBS)

# Test helpers and examples run under supervision: optimised build, no
# sanitizer runtime in the supervised processes.
$(BUILD)/tests/helpers/%: tests/helpers/%.c $(OPT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OPT_CFLAGS) $^ -o $@ -lpthread $(LIBS)

$(BUILD)/examples/%: examples/%.c $(OPT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OPT_CFLAGS) $^ -o $@ $(LIBS)

$(BUILD)/bench/%: bench/%.c $(OPT_LIB)
	$(call msg,LD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OPT_CFLAGS) $^ -o $@ -lpthread $(LIBS)

# libFuzzer targets: clang, ASan + UBSan, built from the library sources.
FUZZ_LIB_SRCS := $(wildcard src/common/*.c src/policy/*.c src/lang/*.c)
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_LIB_SRCS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(filter-out -Wno-sign-compare,$(COMMON_CFLAGS)) -Wno-sign-compare -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$^ -o $@ -lz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
