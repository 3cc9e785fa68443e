# rawsock: a multi-call binary for raw Ethernet. Plain make, no generators.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
# Where each shell looks for completions: bash-completion's directory,
# zsh's site-functions, fish's vendor directory.
COMPDIR	?= $(PREFIX)/share/bash-completion/completions
ZSHDIR	?= $(PREFIX)/share/zsh/site-functions
FISHDIR	?= $(PREFIX)/share/fish/vendor_completions.d
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -Wall -Wextra -Werror -ffunction-sections -fdata-sections
# clang writes DWARF 5 by default, which Debian 12's valgrind 3.19 cannot
# read: the valgrind tests then see nothing but warnings.
ifneq ($(findstring clang,$(CC)),)
CFLAGS	+= -gdwarf-4
endif
# A small binary: drop unused functions and the page padding between code
# and data.
LDFLAGS	+= -Wl,--gc-sections -Wl,-z,noseparate-code
CPPFLAGS += -D_GNU_SOURCE -Isrc
# Recursive '=' so pkg-config runs only once the dependencies exist.
BSD_CFLAGS = $(shell pkg-config --cflags libbsd-overlay)
BSD_LIBS   = $(shell pkg-config --libs libbsd-overlay)
# libseccomp, the field's standard way to write a seccomp filter.
SECCOMP_CFLAGS = $(shell pkg-config --cflags libseccomp)
SECCOMP_LIBS   = $(shell pkg-config --libs libseccomp)
# glibc's libm, for sqrt() in the ping statistics.
LIBS	= $(BSD_LIBS) $(SECCOMP_LIBS) -lm

# SANITIZE=1 builds everything with ASan and UBSan into its own directory,
# without the syscall sandbox (the sanitizers make calls of their own).
ifeq ($(SANITIZE),1)
BUILD	?= build/sanitize
CPPFLAGS += -DRAWSOCK_SANITIZE
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
else
BUILD	?= build
# C needs no unwind tables outside the sanitizers' stack traces (debuggers
# use the -g frame info): 7 KB off the stripped binary.
CFLAGS	+= -fno-asynchronous-unwind-tables
endif

# The applet names come from the one list of applets.
APPLETS	:= $(shell sed -n 's/^APPLET.[a-z_]*, *"\([^"]*\)".*/\1/p' src/applets.h)
# Every src/*.c that is neither main.c nor an applet is part of the core.
CORE	= $(filter-out main $(APPSRC),$(basename $(notdir $(wildcard src/*.c))))
APPSRC	:= $(shell sed -n 's/^APPLET.\([a-z_]*\),.*/\1/p' src/applets.h)
OBJS	= $(patsubst %,$(BUILD)/%.o,main $(CORE) $(APPSRC))
CORE_OBJS = $(patsubst %,$(BUILD)/%.o,$(CORE))
UNITS	:= $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
MANS	:= man/rawsock.1 $(patsubst %,man/%.1,$(APPLETS))

all: $(BUILD)/rawsock $(addprefix $(BUILD)/,$(APPLETS))

# Linked aside and renamed, so tests running meanwhile never see half a file.
$(BUILD)/rawsock: $(OBJS)
	$(CC) $(LDFLAGS) -o $@.tmp $(OBJS) $(LIBS)
	mv -f $@.tmp $@

$(addprefix $(BUILD)/,$(APPLETS)): $(BUILD)/rawsock
	ln -sf rawsock $@

$(BUILD)/%.o: src/%.c src/*.h | $(BUILD)
	$(CC) $(CPPFLAGS) $(BSD_CFLAGS) $(SECCOMP_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD) $(BUILD)/unit $(BUILD)/bench:
	mkdir -p $@

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(CORE_OBJS) | $(BUILD)/unit
	$(CC) $(CPPFLAGS) $(BSD_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(CORE_OBJS) $(LIBS)

units: $(UNITS)

# Installs what is missing (Debian packages), builds, runs the C unit tests
# and the bats suite, and ends with "N passed, N failed".
check:
	@sh tests/deps.sh check
	@$(MAKE) --no-print-directory all units
	@BUILD=$(BUILD) bash tests/run.sh

demo:
	@sh tests/deps.sh demo
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bash tests/demo.sh

# A benchmark, never a timed test: a veth lab of its own (root), rawsock
# against trafgen, mausezahn, tcpdump and Python, one table written to
# $(BUILD)/bench-results.txt. BENCH_FRAMES=100000 is the quick mode; see
# tests/bench/README.md.
bench:
	@sh tests/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/bench/jsonbench \
	    $(BUILD)/bench/rttref
	@BUILD=$(BUILD) bash tests/bench/bench.sh

# The JSON microbenchmark, built against the core like a unit test.
$(BUILD)/bench/%: tests/bench/%.c $(CORE_OBJS) | $(BUILD)/bench
	$(CC) $(CPPFLAGS) $(BSD_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(CORE_OBJS) $(LIBS)

.PHONY: bench

# SETCAP=1 gives the installed binary the file capability cap_net_raw, so
# it runs without root; it drops the capability once its socket is open.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(COMPDIR) $(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	install -m 755 $(BUILD)/rawsock $(DESTDIR)$(BINDIR)/rawsock
ifeq ($(SETCAP),1)
	setcap cap_net_raw+ep $(DESTDIR)$(BINDIR)/rawsock
endif
	for a in $(APPLETS); do ln -sf rawsock $(DESTDIR)$(BINDIR)/$$a; done
	install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/rawsock.bash $(DESTDIR)$(COMPDIR)/rawsock
	install -m 644 completions/_rawsock $(DESTDIR)$(ZSHDIR)/_rawsock
	install -m 644 completions/rawsock.fish $(DESTDIR)$(FISHDIR)/rawsock.fish
	# bash and fish load a completion by the command's name.
	for a in $(APPLETS); do \
		ln -sf rawsock $(DESTDIR)$(COMPDIR)/$$a; \
		ln -sf rawsock.fish $(DESTDIR)$(FISHDIR)/$$a.fish; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rawsock $(DESTDIR)$(COMPDIR)/rawsock \
	    $(DESTDIR)$(ZSHDIR)/_rawsock $(DESTDIR)$(FISHDIR)/rawsock.fish
	for a in $(APPLETS); do rm -f $(DESTDIR)$(BINDIR)/$$a \
		$(DESTDIR)$(COMPDIR)/$$a $(DESTDIR)$(FISHDIR)/$$a.fish; done
	for m in $(MANS); do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done

clean:
	rm -rf build

.PHONY: all units check demo install uninstall clean

# make fuzz: builds every tests/fuzz/fuzz_NAME.c with libFuzzer and the
# sanitizers against the core sources, then runs each for FUZZ_SECONDS on a
# copy of its seed corpus tests/fuzz/corpus/NAME/ (the seeds stay as they
# are; what the fuzzer adds and any crash-* file land in $(BUILD)/fuzz/).
# FUZZ_NAMES="arp ..." runs only those harnesses.
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_NAMES	?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_DIR	 = $(BUILD)/fuzz
FUZZ_FLAGS	 = -g -O1 -std=c11 -fno-omit-frame-pointer \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRCS	 = $(patsubst %,src/%.c,$(CORE))

fuzz:
	@sh tests/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzzers
	@set -e; for n in $(FUZZ_NAMES); do \
		w=$(FUZZ_DIR)/corpus-$$n; rm -rf $$w; mkdir -p $$w; \
		if [ -d tests/fuzz/corpus/$$n ]; then \
			cp -R tests/fuzz/corpus/$$n/. $$w/; fi; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s on $$w"; \
		$(FUZZ_DIR)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) \
		    -timeout=10 -artifact_prefix=$(FUZZ_DIR)/$$n- $$w; \
	done

fuzzers: $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_NAMES))

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/*.h $(FUZZ_SRCS) src/*.h | $(FUZZ_DIR)
	$(FUZZ_CC) $(CPPFLAGS) $(BSD_CFLAGS) $(FUZZ_FLAGS) -o $@ $< \
	    $(FUZZ_SRCS) $(LIBS)

$(FUZZ_DIR):
	mkdir -p $@

# test_arp.c includes the ARP harness to replay the seed corpus.
$(BUILD)/unit/test_arp: tests/fuzz/fuzz_arp.c tests/fuzz/jsonread.h

.PHONY: fuzz fuzzers
