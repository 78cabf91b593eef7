# ppc: big-endian 32-bit PowerPC, hard-float, classic (603e/G2/e300 class):
# old QNAP/Synology and tape appliance controllers.  Debian 12 has no
# musl-dev here: musl is built from source, and musl supports only a 64-bit
# long double on powerpc, which Debian's gcc does not default to.
# As on MIPS, no expensive-optimizations, no loop invariants hoisted into
# registers saved around calls, no tail merging: their rewrites come out
# longer here (board/sizes.txt).
# No floating point in the build (-msoft-float: the code has none, and a
# double brought in would fail the link, which has no soft-float helpers):
# no call to a varargs function clears cr1's "FP arguments" bit (crxor
# 6,6,6) and say() no longer saves f1-f8 (-160 B).  No loops counted in
# the count register (bdnz wants the count set up first; these loops are
# short): -128 B.  No call-clobbered registers saved around calls in place
# of callee-saved ones: -28 B.
# src/sys.c defines the system calls in assembly the link-time optimiser
# cannot see, and GCC's register-restore helpers (libgcc's, which bring
# unwind tables too): no library may be linked beside it.
# Globals of up to 1 KB in the small-data area, reached from r13 (set in
# _start, src/libc.c) in one instruction instead of two: -696 B.  Not in
# CPUFLAGS: musl's own start-up (the probe, and musl built from source
# with CPUFLAGS) sets no r13.  Its data in one section per file: with a
# section per variable the linker put _SDA_BASE_ 0x8000 past a later
# piece, out of reach of the first ones.  Past 64 KB of small data the
# link fails, loudly.
TRIPLE   = powerpc-linux-gnu
GCCPKG   = gcc-powerpc-linux-gnu
MUSL     = source
CPUFLAGS = -mcpu=powerpc -mlong-double-64 -fno-expensive-optimizations -fno-move-loop-invariants -fno-tree-tail-merge -msoft-float -fno-branch-count-reg -fno-caller-saves
LINK     = -nostdlib -msdata=sysv -G 1024 -fno-data-sections
ELF      = ELF32 big PowerPC
QEMU     = qemu-ppc-static -cpu 603e
BUDGET   = 28672
