# mipsel: little-endian 32-bit MIPS32r2, hard-float o32 (routers, older NAS)
TRIPLE   = mipsel-linux-gnu
GCCPKG   = gcc-mipsel-linux-gnu
MUSL     = musl-dev:mipsel
CPUFLAGS = -march=mips32r2 -mhard-float -mplt
ELF      = ELF32 little MIPS
QEMU     = qemu-mipsel-static -cpu 24Kf
BUDGET   = 24576
