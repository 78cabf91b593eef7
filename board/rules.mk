# board/rules.mk: cross builds, included by the top Makefile after its own
# rules.  Each board/<name>.mk is one row of the table (triple, musl source,
# CPU flags, ELF identity, qemu-user command, size budget); this file turns
# the rows into rules.  It reuses the top Makefile's SRCS, CFLAGS, LDFLAGS.
#
#   make BOARD=ppc          build/ppc/socketpipe
#   make boards             all boards, plus the forced-fallback variant
#   make size-report        table board x bytes, kept in board/sizes.txt
#   make test-boards        transfer cases per board under qemu-user
#   make probe-boards       a tiny socket/fork/exec probe per board
#   make setup-boards       cross gcc, qemu-user-static, musl sysroots
#   make clean-boards       the board binaries (distclean-boards: sysroots too)

BOARDS := x86_64 i386 aarch64 armv7 armv5 mipsel riscv64 ppc

# What `uname -m` prints on the machines each board runs on: make install
# puts the board's binary in $(PREFIX)/lib/socketpipe/<first name>/ and
# links the other names to that directory (board/install.sh).  armv8l is a
# 32-bit ARM kernel on an ARMv8 core (runs armv7 code); armv6l runs the
# ARMv5TE build; "mips" is what both byte orders print, and only the
# little-endian ones run mipsel.  Not i386, i486 or i586 for the i386
# board: a 32-bit x86 kernel prints i<family> (family capped at 6), so
# those names mean a CPU older than the board's i686 baseline (a Pentium,
# a Geode or Vortex86, Intel's Quark), and the build uses CMOV (31 of them
# in 2.3), which such a CPU lacks: no binary beats one that dies of SIGILL
# (the local end then says it has none for that CPU).
UNAME_x86_64  := x86_64
UNAME_i386    := i686
UNAME_aarch64 := aarch64
UNAME_armv7   := armv7l armv8l
UNAME_armv5   := armv5tel armv5tejl armv6l
UNAME_mipsel  := mips
UNAME_riscv64 := riscv64
UNAME_ppc     := ppc
# board:name,name... words for board/install.sh
comma := ,
board_names = $(foreach b,$(1),$(b):$(subst $() ,$(comma),$(UNAME_$(b))))
# The names that differ from the board's own, as links in the build tree:
# build/armv7l -> armv7, build/i686 -> i386, build/mips -> mipsel, ...  A
# local end finds the binary for a far `uname -m` of M as
# build/M/socketpipe beside its own directory (issue 12, "any far side").
board_links = $(foreach b,$(1),$(foreach n,$(filter-out $(b),$(UNAME_$(b))),build/$(n)))

# Boards also built with every old-kernel fallback forced on: ppc is the
# oldest-kernel family in the field, armv5 the slowest CPU.
FALLBACK_BOARDS := ppc armv5
FALLBACK_FLAGS  := -DSP_NO_GETRANDOM -DSP_NO_SPLICE -DSP_NO_TCPINFO

# One field of a board row.  Recursive, so the sed only runs inside recipes
# that need it, never when plain `make` parses this file.
board_field = $(shell sed -n 's/^$(2)[[:space:]]*=[[:space:]]*//p' board/$(1).mk)

# Position-dependent code is smaller on every target (no GOT, no PC
# thunks on i386/ppc/mips) and a static non-PIE has nothing to relocate.
# LTO measured 0.1-1.5 KB smaller on every board (most on aarch64, mipsel).
# A 16-byte common page lets the data segment start right after the text
# in the file instead of on the next 4 KB boundary (up to 2 KB of padding).
BOARD_CFLAGS  = -fno-pie -flto
BOARD_LDFLAGS = -no-pie -Wl,-z,common-page-size=16

ifneq ($(BOARD),)
ifeq ($(wildcard board/$(BOARD).mk),)
$(error unknown BOARD=$(BOARD); boards: $(BOARDS))
endif
.DEFAULT_GOAL := board-$(BOARD)
endif

.PHONY: boards size-report test-boards probe-boards setup-boards $(foreach b,$(BOARDS),board-$(b))

# $(1) board, $(2) output, $(3) extra flags, $(4) sources, $(5) "libc":
# link with musl's own start-up (the probe), not socketpipe's src/libc.c
# (nor the board's LINK flags, which are for socketpipe's own runtime).
# -V names the build directory's name: the board, or e.g. ppc-fallback.
define board_cc
	@command -v $(call board_field,$(1),TRIPLE)-gcc >/dev/null || { \
	  echo "missing $(call board_field,$(1),TRIPLE)-gcc: apt-get install $(call board_field,$(1),GCCPKG) (or: make setup-boards)"; exit 1; }
	@mkdir -p $(dir $(2))
	$(call board_field,$(1),TRIPLE)-gcc -specs build/sysroot/$(1)/musl.specs \
	  $(CFLAGS) $(call version_line,$(notdir $(patsubst %/,%,$(dir $(2))))) \
	  $(BOARD_CFLAGS) $(call board_field,$(1),CPUFLAGS) $(3) \
	  $(if $(5),$(filter-out -nostartfiles,$(LDFLAGS)),$(LDFLAGS) $(call board_field,$(1),LINK)) \
	  $(BOARD_LDFLAGS) -o $(2) $(4)
	build/elfcut $(2)
	$(if $(5),,$(if $(call board_field,$(1),PACK),cp $(2) $(2).unpacked && build/pack build/pack-$(1).bin $(2).unpacked $(2)))
	@sh board/check-elf.sh $(1) $(2)
endef

# A board with a packer stub (board/pack-<board>.S) builds it and the packer
# (board/pack.c); its row's PACK decides whether board_cc packs the binary
# (keeping the unpacked one beside it, for the tests).
pack_deps = $(if $(wildcard board/pack-$(1).S),build/pack build/pack-$(1).bin)

# The stub as a flat blob of machine code, made by the board's assembler
# (the host's own where no triple-named one is installed: the host build on
# an x86_64 distribution without Debian's x86_64-linux-gnu-* names).
build/pack-%.bin: board/pack-%.S board/%.mk
	@mkdir -p build
	$$(command -v $(call board_field,$*,TRIPLE)-gcc || echo $(HOSTCC)) -c -o build/pack-$*.o $<
	$$(command -v $(call board_field,$*,TRIPLE)-objcopy || echo objcopy) -O binary -j .text build/pack-$*.o $@

define board_rules
build/$(1)/socketpipe: $$(SRCS) $$(wildcard src/*.h) board/$(1).mk board/rules.mk build/sysroot/$(1)/ok build/elfcut build/commit $(call pack_deps,$(1))
	$$(call board_cc,$(1),$$@,,$$(SRCS))

build/$(1)-fallback/socketpipe: $$(SRCS) $$(wildcard src/*.h) board/$(1).mk board/rules.mk build/sysroot/$(1)/ok build/elfcut build/commit $(call pack_deps,$(1))
	$$(call board_cc,$(1),$$@,$(FALLBACK_FLAGS),$$(SRCS))

build/$(1)/probe: board/probe.c board/$(1).mk board/rules.mk build/sysroot/$(1)/ok build/elfcut
	$$(call board_cc,$(1),$$@,,board/probe.c,libc)

# make BOARD=$(1): the binary and its uname links.  A link is (re)made only
# when it does not already point to the board; a real directory of that
# name is left alone, loudly.
board-$(1): build/$(1)/socketpipe
	@for n in $$(patsubst build/%,%,$$(call board_links,$(1))); do \
	  [ "$$$$(readlink build/$$$$n)" = $(1) ] && continue; \
	  if [ -e build/$$$$n ] && [ ! -L build/$$$$n ]; then echo "build/$$$$n is not a link: not replaced by a link to $(1)" >&2; exit 1; fi; \
	  echo "ln -sfn $(1) build/$$$$n"; ln -sfn $(1) build/$$$$n || exit 1; \
	done

# setup.sh decides itself whether anything needs redoing; the touch keeps
# make from asking again when it did not.
build/sysroot/$(1)/ok: board/$(1).mk
	@sh board/setup.sh $(1)
	@touch $$@
endef
$(foreach b,$(BOARDS),$(eval $(call board_rules,$(b))))

BOARD_BINS    := $(foreach b,$(BOARDS),build/$(b)/socketpipe)
FALLBACK_BINS := $(foreach b,$(FALLBACK_BOARDS),build/$(b)-fallback/socketpipe)

setup-boards:
	sh board/setup.sh

boards: $(foreach b,$(BOARDS),board-$(b)) $(FALLBACK_BINS)

probe-boards: $(foreach b,$(BOARDS),build/$(b)/probe)
	@sh board/probe-run.sh $(BOARDS)

size-report: $(BOARD_BINS)
	@sh board/size-report.sh $(BOARDS)

test-boards: boards
	@BOARDS="$(BOARDS)" FALLBACK_BOARDS="$(FALLBACK_BOARDS)" BOARD_UNAMES="$(call board_names,$(BOARDS))" sh board/test-boards.sh

# Where the bytes go, for trimming towards the budget:
#   make size-detail BOARD=mipsel
size-detail: $(if $(BOARD),build/sysroot/$(BOARD)/ok)
	@test -n "$(BOARD)" || { echo "usage: make size-detail BOARD=<$(subst $(eval) ,|,$(BOARDS))>"; exit 2; }
	@mkdir -p build/$(BOARD)
	$(call board_field,$(BOARD),TRIPLE)-gcc -specs build/sysroot/$(BOARD)/musl.specs \
	  $(CFLAGS) $(BOARD_CFLAGS) $(call board_field,$(BOARD),CPUFLAGS) \
	  $(filter-out -s,$(LDFLAGS)) $(call board_field,$(BOARD),LINK) $(BOARD_LDFLAGS) -Wl,-Map,build/$(BOARD)/socketpipe.map \
	  -o build/$(BOARD)/socketpipe.full $(SRCS)
	@sh board/size-detail.sh build/$(BOARD)/socketpipe.map

# Binaries only; the sysroots (a few minutes to remake) stay unless asked.
.PHONY: clean-boards distclean-boards size-detail
clean-boards:
	rm -rf $(foreach b,$(BOARDS),build/$(b) build/$(b)-fallback)
	rm -f $(call board_links,$(BOARDS))
distclean-boards: clean-boards
	rm -rf build/sysroot build/apt build/musl-src build/musl-build build/setup-boards.lock build/apt-install.log
