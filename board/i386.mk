# i386: 32-bit x86, i686 baseline (Pentium Pro and later, Atom NAS boards)
TRIPLE   = i686-linux-gnu
GCCPKG   = gcc-i686-linux-gnu
MUSL     = musl-dev:i386
CPUFLAGS = -march=i686 -mtune=generic -mpreferred-stack-boundary=2
ELF      = ELF32 little 80386
QEMU     = qemu-i386-static -cpu pentium2
BUDGET   = 24576
