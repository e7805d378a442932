#ifndef ARCH_X86_64_TRAP_FRAME_H
#define ARCH_X86_64_TRAP_FRAME_H

#include <kevlar/types.h>

/*
 * Registers saved on the kernel stack by every entry path (exceptions,
 * interrupts and SYSCALL), lowest address first. The tail from rip on is
 * what the CPU pushes for an interrupt and what iretq pops.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

static inline bool trap_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 3;
}

static inline uint64_t trap_frame_ip(const struct trap_frame *tf)
{
	return tf->rip;
}

static inline uint64_t trap_frame_fp(const struct trap_frame *tf)
{
	return tf->rbp;
}

#endif
