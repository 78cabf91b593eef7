# riscv64: RV64GC, lp64d.  Debian 12 has no musl-dev here: musl is built from
# Debian's source package.  -msave-restore: shared prologue/epilogue helpers
# instead of inline register saves (about 0.8 KB less); their unwind
# tables, which nothing reads, are dropped by board/noeh.ld.
TRIPLE   = riscv64-linux-gnu
GCCPKG   = gcc-riscv64-linux-gnu
MUSL     = source
CPUFLAGS = -march=rv64gc -mabi=lp64d -msave-restore
LINK     = -Wl,-T,board/noeh.ld
ELF      = ELF64 little RISC-V
QEMU     = qemu-riscv64-static
BUDGET   = 28672
