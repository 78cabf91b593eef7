# x86_64: any 64-bit PC, NAS or appliance controller with an x86-64 CPU.
# Baseline x86-64 (v1): no SSE3/AVX assumed, so old Atoms and Opterons run it.
TRIPLE   = x86_64-linux-gnu
GCCPKG   = gcc
MUSL     = musl-dev:amd64
CPUFLAGS = -march=x86-64 -mtune=generic
ELF      = ELF64 little X86-64
QEMU     = qemu-x86_64-static -cpu qemu64
BUDGET   = 16384
