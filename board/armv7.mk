# armv7: 32-bit ARM hard-float (Debian armhf baseline): ARMv7-A, VFPv3-D16
# (Marvell Armada 370/XP have only 16 double registers), Thumb-2 for size.
TRIPLE   = arm-linux-gnueabihf
GCCPKG   = gcc-arm-linux-gnueabihf
MUSL     = musl-dev:armhf
CPUFLAGS = -march=armv7-a -mthumb -mfpu=vfpv3-d16 -mfloat-abi=hard
ELF      = ELF32 little ARM
QEMU     = qemu-arm-static -cpu cortex-a9
BUDGET   = 28672
