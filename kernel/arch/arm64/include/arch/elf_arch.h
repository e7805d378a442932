#ifndef ARCH_ARM64_ELF_ARCH_H
#define ARCH_ARM64_ELF_ARCH_H

#include <kevlar/types.h>
#include <uapi/elf.h>

#define ARCH_ELF_MACHINE    EM_AARCH64
#define ARCH_ELF_PLATFORM   "aarch64"
/* Where a PIE goes: 2/3 of our 47-bit user space, as on x86_64 (Linux arm64
 * uses 2/3 of 48 bits; user space does not depend on the value). */
#define ARCH_ET_DYN_BASE    0x555555554000UL

/*
 * AT_MINSIGSTKSZ: our frame (siginfo, ucontext with the fpsimd record and
 * the end marker), rounded up; Linux reports 5120 with SVE, 2048 without.
 */
#define ARCH_MINSIGSTKSZ    2048

/* AT_HWCAP: arm64 feature bits (asm/hwcap.h) from the ID registers. */
uint64_t arch_elf_hwcap(void);

#endif
