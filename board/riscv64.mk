# riscv64: RV64GC, lp64d (Debian has no musl-dev here: musl is built from source)
TRIPLE   = riscv64-linux-gnu
GCCPKG   = gcc-riscv64-linux-gnu
MUSL     = source
CPUFLAGS = -march=rv64gc -mabi=lp64d -msave-restore
ELF      = ELF64 little RISC-V
QEMU     = qemu-riscv64-static
BUDGET   = 24576
