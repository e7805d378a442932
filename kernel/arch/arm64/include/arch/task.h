#ifndef ARCH_ARM64_TASK_H
#define ARCH_ARM64_TASK_H

#include <kevlar/types.h>

/* User FP/SIMD state: v0-v31, FPSR, FPCR (saved at context switch). */
struct fpsimd_state {
	__uint128_t v[32];
	uint32_t fpsr, fpcr;
} __attribute__((aligned(16)));

/* Per-task CPU state that is not on the kernel stack. */
struct arch_task {
	uint64_t ksp;           /* saved kernel sp while switched out */
	uint64_t tpidr_el0;     /* user TLS pointer */
	struct fpsimd_state fp;
};

#endif
