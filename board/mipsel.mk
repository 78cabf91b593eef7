# mipsel: little-endian 32-bit MIPS32r2, hard-float o32 (routers, older NAS).
# -mplt: direct calls instead of PIC calls through the GOT in our code
# (about 2 KB less).  No invariants hoisted out of loops: they live in
# registers saved and restored around every call (board/sizes.txt).  Passes
# whose rewrites come out longer on MIPS are off: expensive-optimizations
# (its extra CSE and combine keep values live across calls), ipa-modref,
# tree-tail-merge, tree-loop-im, and sibling calls made jumps (each needs
# its own epilogue copy); see board/sizes.txt.
# Not -mips16: MIPS16e is optional on MIPS32r2 cores.
TRIPLE   = mipsel-linux-gnu
GCCPKG   = gcc-mipsel-linux-gnu
MUSL     = musl-dev:mipsel
CPUFLAGS = -march=mips32r2 -mhard-float -mplt -fno-move-loop-invariants -fno-expensive-optimizations -fno-ipa-modref -fno-optimize-sibling-calls -fno-tree-tail-merge -fno-tree-loop-im
# src/sys.c defines every system call of the mipsel build in assembly the
# link-time optimiser cannot see: no C library may be linked beside it.
LINK     = -nostdlib
ELF      = ELF32 little MIPS
QEMU     = qemu-mipsel-static -cpu 24Kf
BUDGET   = 28672
