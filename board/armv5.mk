# armv5: 32-bit ARM soft-float (armel), ARMv5TE, old Marvell Kirkwood NAS
TRIPLE   = arm-linux-gnueabi
GCCPKG   = gcc-arm-linux-gnueabi
MUSL     = musl-dev:armel
CPUFLAGS = -march=armv5te -mthumb -mfloat-abi=soft
ELF      = ELF32 little ARM
QEMU     = qemu-arm-static -cpu arm926
BUDGET   = 24576
