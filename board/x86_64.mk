# x86_64: any 64-bit PC, NAS or appliance controller with an x86-64 CPU.
# Baseline x86-64 (v1): no SSE3/AVX assumed, so old Atoms and Opterons run it.
# No SSE at all in our code (smaller moves and frames), calls kept calls:
# 1 KB less than plain -Oz.  Arrays at their ABI alignment (not 32), no
# cmov sequences, no invariants hoisted into registers kept across loops,
# and passes off whose rewrites come out longer here (forward-propagate,
# expensive-optimizations; tree-pta, ipa-modref, tree-dominator-opts): see
# board/sizes.txt; the same for loop-invariant motion on trees, sibling
# calls made jumps and dead-store elimination on trees, and tail merging on
# trees; null-pointer checks kept rather than deleted after a dereference
# (the deletion's knock-on rewrites come out longer); no call-clobbered
# registers saved around calls (a callee-saved one serves: -16 B).  None of it is on the data
# path (splice moves the bytes in the kernel).  The same flags as the host
# build.
TRIPLE   = x86_64-linux-gnu
GCCPKG   = gcc
MUSL     = musl-dev:amd64
CPUFLAGS = -march=x86-64 -mtune=generic -mgeneral-regs-only -malign-data=abi -mpreferred-stack-boundary=3 -fno-inline-small-functions -fno-jump-tables -fno-if-conversion -fno-move-loop-invariants -fno-forward-propagate -fno-expensive-optimizations -fno-tree-pta -fno-ipa-modref -fno-tree-dominator-opts -fno-tree-loop-im -fno-optimize-sibling-calls -fno-tree-dse -fno-tree-tail-merge -fno-delete-null-pointer-checks -fno-caller-saves
# src/sys.c defines every system call of the x86_64 build in assembly the
# link-time optimiser cannot see: no C library may be linked beside it.
LINK     = -nostdlib
ELF      = ELF64 little X86-64
QEMU     = qemu-x86_64-static -cpu qemu64
BUDGET   = 20480
# Packed (board/pack.c, board/pack-x86_64.S): the binary decompresses itself
# into place at start (a 308-byte stub), 21984 -> about 16.1 KB.  The text
# is made executable by mprotect after it is written, which SELinux's execmem
# and PaX MPROTECT forbid (board/README.md: there, build with PACK empty).
PACK     = yes
