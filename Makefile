# socketpipe: one table of targets.  `make` builds ./socketpipe for this host
# (static, musl, stripped); BOARD=<name> cross-builds into build/<name>/.
#
#   make                  ./socketpipe, static musl, size-optimised
#   make size             bytes of the binary and of each object
#   make test             the whole suite (installs what it needs when root)
#   make test-host        the host suite only (tests/run)
#   make check-sanitize   the host suite on an ASan+UBSan build
#   make BOARD=aarch64    build/aarch64/socketpipe, and build/<uname -m> links (board/)
#   make boards           every board;  make test-boards  each under qemu-user
#   make test-qemu        two QEMU machines on a virtual LAN (see test-qemu/)
#   make bench            socketpipe against ssh, dropbear, nc, socat, mbuffer
#   make fuzz             each libFuzzer target FUZZ_S seconds (default 60)
#   make test-fuzz        replay the fuzz corpora and every input that once failed
#   make test-adversary   strangers on the port, replays, slow-loris, scans, signals
#   make test-quote       random argument vectors through the far command line, 9 shells
#   make analyze          gcc -fanalyzer and scan-build over src/
#   make setup            install build and test dependencies (apt-get, root)
#   make install          bin/socketpipe, the man page and the boards built, in
#                         PREFIX (/usr/local) under DESTDIR;  make uninstall
#   make install-boards   every board built first, then make install
#   make dist             build/dist/: source and static archives, reproducible
#   make deb              build/deb/: the Debian packages, checked by lintian

VERSION = 2.4
SRCS    = $(wildcard src/*.c)
CC      = musl-gcc
CFLAGS  = -Oz -std=c99 -Wall -Wextra -Werror -D_GNU_SOURCE -DVERSION=\"$(VERSION)\" \
          -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
          -fno-stack-protector -fno-ident -fno-pie -flto -DSP_START \
          -fno-tree-loop-distribute-patterns -ffile-prefix-map=$(CURDIR)=. $(EXTRA_CFLAGS)
# an x86_64 host builds with the x86_64 board's row (board/x86_64.mk): its
# CPU flags, link flags and size budget
host_field    = $(if $(filter x86_64,$(shell uname -m)),$(call board_field,x86_64,$(1)))
HOST_CPUFLAGS = $(call host_field,CPUFLAGS)
HOST_LINK     = $(call host_field,LINK)
# the packer and its stub, where this CPU has one (board/pack.c; the row's
# PACK decides whether the binary is packed)
HOST_PACK     = $(if $(wildcard board/pack-$(HOST_CPU).S),build/pack build/pack-$(HOST_CPU).bin)
# what -V names as the CPU: uname -m (on x86_64 also the board row's name)
HOST_CPU      = $(shell uname -m)
HOSTCC  = gcc
# common-page-size=16: no padding to a page boundary before the data segment
LDFLAGS = -static -no-pie -nostartfiles -flto -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro \
          -Wl,-z,common-page-size=16 -Wl,--build-id=none $(EXTRA_LDFLAGS)

.PHONY: all demo size test test-host check-sanitize boards test-boards test-qemu bench setup clean \
        fuzz test-fuzz test-adversary test-quote analyze install install-boards uninstall dist deb FORCE

all: socketpipe

socketpipe: $(SRCS) $(wildcard src/*.h) Makefile build/elfcut build/commit $(HOST_PACK)
	@command -v $(CC) >/dev/null || { echo "missing $(CC): apt-get install musl-tools (or run: make setup)"; exit 1; }
	$(CC) $(CFLAGS) $(call version_line,$(HOST_CPU)) $(HOST_CPUFLAGS) $(LDFLAGS) $(HOST_LINK) -o $@ $(SRCS)
	build/elfcut $@
	$(if $(call host_field,PACK),build/pack build/pack-$(HOST_CPU).bin $@ $@)

# -V's line, one string literal made here (nothing formatted at run time):
# version, the CPU the binary is for, the commit (board/version.sh).
# build/commit changes only when the commit does, so a new commit relinks
# the binaries and nothing else does.
version_line = -DVERSION_LINE='"socketpipe $(VERSION) ($(1), commit $(shell cat build/commit))"'
build/commit: FORCE
	@mkdir -p build
	@sh board/version.sh >$@.$$$$ && { cmp -s $@.$$$$ $@ && rm -f $@.$$$$ || mv -f $@.$$$$ $@; }
FORCE:

# drops the section headers the kernel never reads (board/elfcut.c)
build/elfcut: board/elfcut.c
	@mkdir -p build
	$(HOSTCC) -O2 -Wall -Wextra -Werror -o $@ board/elfcut.c

# packs a binary that decompresses itself at start (board/pack.c), for a
# board whose row says PACK
build/pack: board/pack.c
	@mkdir -p build
	$(HOSTCC) -O2 -Wall -Wextra -Werror -o $@ board/pack.c

# the same sources on glibc with AddressSanitizer and UBSan, for the suite
SANFLAGS = -O1 -g -std=c99 -Wall -Wextra -Werror -D_GNU_SOURCE -DVERSION=\"$(VERSION)\" \
           -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
socketpipe-san: $(SRCS) $(wildcard src/*.h) Makefile
	gcc $(SANFLAGS) -o $@ $(SRCS)

size: socketpipe
	@mkdir -p build/obj
	@for f in $(SRCS); do $(CC) $(CFLAGS) $(HOST_CPUFLAGS) -fno-lto -c $$f -o build/obj/$$(basename $$f .c).o || exit 1; done
	@size build/obj/*.o | sed 's|build/obj/||'
	@echo "socketpipe: $$(wc -c <socketpipe) bytes stripped$(if $(call host_field,BUDGET), (budget $(call host_field,BUDGET)))"

setup:
	sh tests/deps.sh
	sh board/setup.sh
	sh test-qemu/setup

test:
	sh tests/all

test-host: socketpipe
	sh tests/logins-selftest.sh
	sh tests/run ./socketpipe

check-sanitize: socketpipe-san
	sh tests/run ./socketpipe-san

FUZZ_S ?= 60
fuzz:
	FUZZ_S=$(FUZZ_S) sh fuzz/run.sh

test-fuzz:
	sh fuzz/regress.sh

test-adversary: socketpipe
	sh tests/adversary.sh ./socketpipe

test-quote:
	sh tests/quote-prop.sh

analyze:
	sh fuzz/analyze.sh

clean: clean-boards
	rm -rf socketpipe socketpipe-san build/obj build/commit build/dist build/deb

test-qemu: socketpipe $(if $(filter aarch64 mixed,$(ARCH)),build/aarch64/socketpipe)
	sh test-qemu/run $(ARCH)

bench: socketpipe
	sh tests/deps.sh mbuffer:mbuffer tc:iproute2
	QUICK=$(QUICK) sh bench/run

-include board/rules.mk

# make install [PREFIX=/usr/local] [DESTDIR=]: bin/socketpipe, its man page,
# and the board binaries already built (brought up to date first) in
# lib/socketpipe/<uname -m>/socketpipe; install-boards builds all eight
# first.  board/install.sh says what goes where.
PREFIX = /usr/local
BUILT_BOARDS = $(foreach b,$(BOARDS),$(if $(wildcard build/$(b)/socketpipe),$(b)))
install: socketpipe $(foreach b,$(BUILT_BOARDS),build/$(b)/socketpipe)
	sh board/install.sh install '$(DESTDIR)' '$(PREFIX)' $(call board_names,$(BUILT_BOARDS))
install-boards: socketpipe $(BOARD_BINS)
	SKIP_HOST=$(SKIP_HOST) sh board/install.sh install '$(DESTDIR)' '$(PREFIX)' $(call board_names,$(BOARDS))
uninstall:
	sh board/install.sh uninstall '$(DESTDIR)' '$(PREFIX)' $(call board_names,$(BOARDS))

# make dist: build/dist/socketpipe-$(VERSION).tar.gz (sources) and
# -static.tar.gz (the eight binaries, man page, SHA256SUMS), reproducible,
# both from the commit (board/dist.sh).  The sysroots are made here first.
dist: $(foreach b,$(BOARDS),build/sysroot/$(b)/ok)
	@sh board/dist.sh $(VERSION) $(call board_names,$(BOARDS))

# make deb: build/deb/socketpipe_$(VERSION)_<arch>.deb and
# socketpipe-boards_..., dpkg-buildpackage on a copy of the commit, then
# lintian (board/deb.sh; the packaging is board/debian/).
deb: $(foreach b,$(BOARDS),build/sysroot/$(b)/ok)
	@sh board/deb.sh $(VERSION)

demo:
	sh tests/deps.sh --demo && $(MAKE) -s socketpipe && sh tests/demo.sh
