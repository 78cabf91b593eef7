# ppc: big-endian 32-bit PowerPC, hard-float (old QNAP/Synology, tape appliance controllers)
TRIPLE   = powerpc-linux-gnu
GCCPKG   = gcc-powerpc-linux-gnu
MUSL     = source
CPUFLAGS = -mcpu=powerpc -mlong-double-64
ELF      = ELF32 big PowerPC
QEMU     = qemu-ppc-static -cpu 603e
BUDGET   = 24576
