# mipsel: little-endian 32-bit MIPS32r2, hard-float o32 (routers, older NAS).
# -mno-abicalls: plain position-dependent code (no PIC calls through the
# GOT: about 2 KB less, as -mplt did), which lets -G 1024 put every global
# of up to 1 KB in the small-data area, reached from $gp (set in _start,
# src/libc.c) in one instruction instead of two: 876 bytes less.  It holds
# about 8 KB of the 64 KB $gp reaches; past that the link fails, loudly.
# No invariants hoisted out of loops: they live in registers saved and
# restored around every call (board/sizes.txt).  Passes
# whose rewrites come out longer on MIPS are off: expensive-optimizations
# (its extra CSE and combine keep values live across calls), ipa-modref,
# tree-tail-merge, tree-loop-im, and sibling calls made jumps (each needs
# its own epilogue copy); see board/sizes.txt.
# No branch probabilities guessed where no profile says (the guesses
# duplicate blocks and lay out paths to favour the "likely" one): -176 B;
# costs as the 24Kf's (the qemu CPU, and the common MIPS32r2 router core)
# rather than the generic MIPS32r2's: -176 B beside it; forward propagation
# on trees off: -28 B.  None changes which instructions the CPU must have.
# Not -mips16: MIPS16e is optional on MIPS32r2 cores.
TRIPLE   = mipsel-linux-gnu
GCCPKG   = gcc-mipsel-linux-gnu
MUSL     = musl-dev:mipsel
CPUFLAGS = -march=mips32r2 -mhard-float -mno-abicalls -G 1024 -fno-move-loop-invariants -fno-expensive-optimizations -fno-ipa-modref -fno-optimize-sibling-calls -fno-tree-tail-merge -fno-tree-loop-im -fno-guess-branch-probability -mtune=24kf -fno-tree-forwprop
# src/sys.c defines every system call of the mipsel build in assembly the
# link-time optimiser cannot see: no C library may be linked beside it.
LINK     = -nostdlib
ELF      = ELF32 little MIPS
QEMU     = qemu-mipsel-static -cpu 24Kf
BUDGET   = 28672
