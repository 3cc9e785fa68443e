# rawsock: a multi-call binary for raw Ethernet. Plain make, no generators.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
COMPDIR	?= $(PREFIX)/share/bash-completion/completions
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -Wall -Wextra -Werror
CPPFLAGS += -D_GNU_SOURCE -Isrc
# Recursive '=' so pkg-config runs only once the dependencies exist.
BSD_CFLAGS = $(shell pkg-config --cflags libbsd-overlay)
BSD_LIBS   = $(shell pkg-config --libs libbsd-overlay)

# SANITIZE=1 builds everything with ASan and UBSan into its own directory.
ifeq ($(SANITIZE),1)
BUILD	?= build/sanitize
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
else
BUILD	?= build
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

$(BUILD)/rawsock: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(BSD_LIBS)

$(addprefix $(BUILD)/,$(APPLETS)): $(BUILD)/rawsock
	ln -sf rawsock $@

$(BUILD)/%.o: src/%.c src/*.h | $(BUILD)
	$(CC) $(CPPFLAGS) $(BSD_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD) $(BUILD)/unit:
	mkdir -p $@

$(BUILD)/unit/%: tests/unit/%.c tests/unit/unit.h $(CORE_OBJS) | $(BUILD)/unit
	$(CC) $(CPPFLAGS) $(BSD_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(CORE_OBJS) $(BSD_LIBS)

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

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BUILD)/rawsock $(DESTDIR)$(BINDIR)/rawsock
	for a in $(APPLETS); do ln -sf rawsock $(DESTDIR)$(BINDIR)/$$a; done
	install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/rawsock.bash $(DESTDIR)$(COMPDIR)/rawsock
	for a in $(APPLETS); do \
		ln -sf rawsock $(DESTDIR)$(COMPDIR)/$$a; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rawsock $(DESTDIR)$(COMPDIR)/rawsock
	for a in $(APPLETS); do rm -f $(DESTDIR)$(BINDIR)/$$a \
		$(DESTDIR)$(COMPDIR)/$$a; done
	for m in $(MANS); do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done

clean:
	rm -rf build

.PHONY: all units check demo install uninstall clean
