#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

#include <kevlar/types.h>
#include <arch/segments.h>

struct task;

/*
 * Per-CPU data, reached through %gs while in the kernel. The first fields
 * are used by the SYSCALL entry before any register is free, so their
 * offsets are fixed (PERCPU_* in segments.h).
 */
struct percpu {
	struct percpu *self;
	uint64_t kernel_rsp;        /* top of the current task's kernel stack */
	uint64_t user_rsp;          /* scratch for SYSCALL entry */
	struct task *current;
	unsigned cpu_id;
};

_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "percpu");
_Static_assert(__builtin_offsetof(struct percpu, current) == PERCPU_CURRENT, "percpu");

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

void percpu_init(void);
void tss_set_kernel_stack(uint64_t rsp0);

#endif
