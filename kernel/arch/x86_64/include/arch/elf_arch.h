#ifndef ARCH_X86_64_ELF_ARCH_H
#define ARCH_X86_64_ELF_ARCH_H

#include <kevlar/types.h>
#include <uapi/elf.h>

#define ARCH_ELF_MACHINE    EM_X86_64
#define ARCH_ELF_PLATFORM   "x86_64"
/* Where a position-independent static executable is placed (as Linux does). */
#define ARCH_ET_DYN_BASE    0x555555554000UL

/*
 * AT_MINSIGSTKSZ: room our signal frame needs (fxsave area, ucontext,
 * siginfo, alignment), rounded up like Linux's value without AVX-512.
 */
#define ARCH_MINSIGSTKSZ    2048

/* AT_HWCAP: on x86_64 Linux reports CPUID leaf 1 EDX. */
uint64_t arch_elf_hwcap(void);

#endif
