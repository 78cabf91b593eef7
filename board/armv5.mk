# armv5: 32-bit ARM soft-float (Debian armel), ARMv5TE: old Marvell Kirkwood
# (Feroceon) NAS.  Thumb-1 is in every ARMv5TE and interworks with musl's
# ARM code through BLX; it makes our code about 15% smaller.  qemu's arm926
# is an ARMv5TEJ core, so the tests fail on any newer instruction.
TRIPLE   = arm-linux-gnueabi
GCCPKG   = gcc-arm-linux-gnueabi
MUSL     = musl-dev:armel
CPUFLAGS = -march=armv5te -mthumb -mfloat-abi=soft
ELF      = ELF32 little ARM
QEMU     = qemu-arm-static -cpu arm926
BUDGET   = 28672
