# armv7: 32-bit ARM hard-float, ARMv7-A + VFPv3-D16, Thumb-2 (Debian armhf baseline)
TRIPLE   = arm-linux-gnueabihf
GCCPKG   = gcc-arm-linux-gnueabihf
MUSL     = musl-dev:armhf
CPUFLAGS = -march=armv7-a -mthumb -mfpu=vfpv3-d16 -mfloat-abi=hard
ELF      = ELF32 little ARM
QEMU     = qemu-arm-static -cpu cortex-a9
BUDGET   = 24576
