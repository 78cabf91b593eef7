# aarch64: 64-bit ARM, ARMv8.0-A baseline (Cortex-A53 NAS boxes and up).
# -mno-outline-atomics: no run-time LSE dispatch helpers, ARMv8.0 has no LSE.
# -mcmodel=tiny: one ADR instead of ADRP+ADD per address (the whole image,
# bss included, is far below the model's 1 MB); about 0.8 KB less.
# -fno-unwind-tables: GCC emits unwind tables on aarch64 even without
# -fasynchronous-unwind-tables; nothing here unwinds (no C++, no
# backtraces).
TRIPLE   = aarch64-linux-gnu
GCCPKG   = gcc-aarch64-linux-gnu
MUSL     = musl-dev:arm64
CPUFLAGS = -march=armv8-a -mno-outline-atomics -mcmodel=tiny -fno-unwind-tables
ELF      = ELF64 little AArch64
QEMU     = qemu-aarch64-static -cpu cortex-a53
BUDGET   = 28672
