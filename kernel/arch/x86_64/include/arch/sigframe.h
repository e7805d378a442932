#ifndef ARCH_X86_64_SIGFRAME_H
#define ARCH_X86_64_SIGFRAME_H

/*
 * The x86_64 signal frame as Linux builds it on the user stack
 * (asm/sigcontext.h, asm-generic/ucontext.h, the kernel's rt_sigframe):
 * at the handler's rsp, the return address (sa_restorer, which calls
 * rt_sigreturn), then the ucontext, then the siginfo. The 512-byte
 * fxsave image sits above, 64-byte aligned, pointed to by fpstate.
 */

#include <kevlar/types.h>
#include <uapi/signal.h>

struct sigcontext_x86_64 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;               /* user address of the fxsave image, 0 if none */
	uint64_t reserved1[8];
};

#define UC_FP_XSTATE            0x1
#define UC_SIGCONTEXT_SS        0x2
#define UC_STRICT_RESTORE_SS    0x4

struct ucontext_x86_64 {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct k_stack uc_stack;
	struct sigcontext_x86_64 uc_mcontext;
	ksigset_t uc_sigmask;
};

struct rt_sigframe_x86_64 {
	uint64_t pretcode;
	struct ucontext_x86_64 uc;
	struct siginfo info;
};

_Static_assert(sizeof(struct sigcontext_x86_64) == 256, "sigcontext is 256 bytes");
_Static_assert(sizeof(struct siginfo) == 128, "siginfo is 128 bytes");
_Static_assert(sizeof(struct ucontext_x86_64) == 304, "ucontext is 304 bytes");

#define FXSAVE_SIZE     512
#define FXSAVE_MXCSR_OFFSET      24
#define FXSAVE_MXCSR_MASK_OFFSET 28

#endif
