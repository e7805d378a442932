#ifndef ARCH_X86_64_TASK_H
#define ARCH_X86_64_TASK_H

#include <kevlar/types.h>

/* Per-task CPU state that is not on the kernel stack. */
struct arch_task {
	uint64_t ksp;           /* saved kernel rsp while switched out */
	uint64_t fs_base;       /* user TLS pointer (arch_prctl ARCH_SET_FS) */
	/* fxsave image: x87/SSE registers of the user program. */
	uint8_t fpu[512] __attribute__((aligned(16)));
};

#endif
