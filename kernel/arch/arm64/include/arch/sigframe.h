#ifndef ARCH_ARM64_SIGFRAME_H
#define ARCH_ARM64_SIGFRAME_H

/*
 * The arm64 signal frame as Linux builds it on the user stack
 * (asm/sigcontext.h, asm/ucontext.h, the kernel's rt_sigframe): at the
 * handler's sp the siginfo, then the ucontext, whose sigcontext ends in
 * a 4 KiB area of tagged records (here: the FP/SIMD record, then the
 * zero terminator); after the frame a frame record {fp, lr} that x29
 * points at, so backtraces walk through the handler.
 */

#include <kevlar/types.h>
#include <uapi/signal.h>

/* Where paging.c maps the signal return trampoline in every address space. */
#define ARM64_SIGTRAMP_ADDR     0x0000fffffffff000UL

struct sigcontext_arm64 {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct aarch64_ctx {
	uint32_t magic;
	uint32_t size;
};

#define FPSIMD_MAGIC    0x46508001

struct fpsimd_context {
	struct aarch64_ctx head;
	uint32_t fpsr;
	uint32_t fpcr;
	__uint128_t vregs[32];
};

struct ucontext_arm64 {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct k_stack uc_stack;
	ksigset_t uc_sigmask;
	/* glibc's sigset_t is 1024 bits; the kernel's is 64. */
	uint8_t unused[128 - sizeof(ksigset_t)];
	struct sigcontext_arm64 uc_mcontext;
};

struct rt_sigframe_arm64 {
	struct siginfo info;
	struct ucontext_arm64 uc;
};

struct frame_record {
	uint64_t fp, lr;
};

_Static_assert(sizeof(struct fpsimd_context) == 528, "fpsimd_context is 528 bytes");
_Static_assert(__builtin_offsetof(struct ucontext_arm64, uc_mcontext) == 176, "uc_mcontext at 176");
_Static_assert(sizeof(struct sigcontext_arm64) == 4384, "sigcontext is 4384 bytes");

#endif
