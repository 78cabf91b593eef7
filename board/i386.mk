# i386: 32-bit x86, i686 baseline (Pentium Pro and later, 32-bit Atom NAS).
# -mpreferred-stack-boundary=2: no 16-byte stack realignment code (there is
# no SSE code to need it at i686); saves about 0.4 KB.  No
# expensive-optimizations: its rewrites come out longer (board/sizes.txt).
TRIPLE   = i686-linux-gnu
GCCPKG   = gcc-i686-linux-gnu
MUSL     = musl-dev:i386
CPUFLAGS = -march=i686 -mtune=generic -mpreferred-stack-boundary=2 -fno-expensive-optimizations
ELF      = ELF32 little 80386
QEMU     = qemu-i386-static -cpu pentium2
BUDGET   = 28672
