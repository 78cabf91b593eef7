# ppc: big-endian 32-bit PowerPC, hard-float, classic (603e/G2/e300 class):
# old QNAP/Synology and tape appliance controllers.  Debian 12 has no
# musl-dev here: musl is built from source, and musl supports only a 64-bit
# long double on powerpc, which Debian's gcc does not default to.
# As on MIPS, no expensive-optimizations, no loop invariants hoisted into
# registers saved around calls, no tail merging: their rewrites come out
# longer here (board/sizes.txt).
# src/sys.c defines the system calls in assembly the link-time optimiser
# cannot see, and GCC's register-restore helpers (libgcc's, which bring
# unwind tables too): no library may be linked beside it.
TRIPLE   = powerpc-linux-gnu
GCCPKG   = gcc-powerpc-linux-gnu
MUSL     = source
CPUFLAGS = -mcpu=powerpc -mlong-double-64 -fno-expensive-optimizations -fno-move-loop-invariants -fno-tree-tail-merge
LINK     = -nostdlib
ELF      = ELF32 big PowerPC
QEMU     = qemu-ppc-static -cpu 603e
BUDGET   = 28672
