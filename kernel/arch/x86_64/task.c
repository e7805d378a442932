/*
 * x86_64 side of tasks: the initial kernel stack of a new thread, the
 * context switch (stacks, FPU/SSE state, TLS base, address space, TSS),
 * and the first entry to user mode.
 */
#include <kevlar/mm.h>
#include <kevlar/mmu.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/segments.h>
#include <arch/trap_frame.h>

#define MXCSR_DEFAULT 0x1f80    /* all SSE exceptions masked, round to nearest */

void switch_stacks(uint64_t *save_sp, uint64_t next_sp);
void kthread_trampoline(void);
__attribute__((noreturn)) void enter_user_frame(struct trap_frame *tf);

/* The FPU state a new program starts with (captured once at boot). */
static uint8_t fpu_initial[512] __attribute__((aligned(16)));

void fpu_init(void)
{
	uint32_t mxcsr = MXCSR_DEFAULT;

	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit; ldmxcsr %0; fxsaveq %1"
			 : : "m"(mxcsr), "m"(fpu_initial) : "memory");
}

void arch_task_init(struct task *t, void (*fn)(void *), void *arg)
{
	/* Mirror of switch_stacks' pops: r15 r14 r13 r12 rbx rbp, then ret. */
	uint64_t *sp = (uint64_t *)((char *)t->kstack + KSTACK_SIZE);

	/* The trampoline starts at the 16-aligned top, so fn sees rsp%16 == 8. */
	*--sp = (uint64_t)kthread_trampoline;
	*--sp = 0;                          /* rbp */
	*--sp = 0;                          /* rbx */
	*--sp = (uint64_t)fn;               /* r12 */
	*--sp = (uint64_t)arg;              /* r13 */
	*--sp = 0;                          /* r14 */
	*--sp = 0;                          /* r15 */
	t->arch.ksp = (uint64_t)sp;
	t->arch.fs_base = 0;
	memcpy(t->arch.fpu, fpu_initial, sizeof(fpu_initial));
}

void arch_switch_to(struct task *prev, struct task *next)
{
	if (prev->mm)
		__asm__ volatile("fxsaveq %0" : "=m"(prev->arch.fpu));
	if (next->mm) {
		__asm__ volatile("fxrstorq %0" : : "m"(next->arch.fpu));
		wrmsr(MSR_FS_BASE, next->arch.fs_base);
		mmu_activate(next->mm->pt.root);
	} else {
		mmu_activate(mmu_kernel_root());
	}
	if (next->kstack)
		tss_set_kernel_stack((uint64_t)next->kstack + KSTACK_SIZE);
	switch_stacks(&prev->arch.ksp, next->arch.ksp);
}

struct trap_frame *task_user_frame(struct task *t)
{
	return (struct trap_frame *)((char *)t->kstack + KSTACK_SIZE) - 1;
}

void arch_enter_user(struct task *t, uint64_t entry, uint64_t sp)
{
	struct trap_frame *tf = task_user_frame(t);

	__asm__ volatile("cli");
	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->cs = USER_CS;
	tf->rflags = RFLAGS_IF | 0x2;       /* bit 1 is always set */
	tf->rsp = sp;
	tf->ss = USER_DS;
	t->arch.fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	memcpy(t->arch.fpu, fpu_initial, sizeof(fpu_initial));
	__asm__ volatile("fxrstorq %0" : : "m"(t->arch.fpu));
	tss_set_kernel_stack((uint64_t)t->kstack + KSTACK_SIZE);
	enter_user_frame(tf);
}

/* Exec replaces the registers of the current syscall's frame instead. */
void arch_exec_regs(struct trap_frame *tf, uint64_t entry, uint64_t sp)
{
	struct task *t = current_task();

	memset(tf, 0, sizeof(*tf));
	tf->rip = entry;
	tf->cs = USER_CS;
	tf->rflags = RFLAGS_IF | 0x2;
	tf->rsp = sp;
	tf->ss = USER_DS;
	t->arch.fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	memcpy(t->arch.fpu, fpu_initial, sizeof(fpu_initial));
	__asm__ volatile("fxrstorq %0" : : "m"(t->arch.fpu));
}

/*
 * A forked child resumes in user mode where the parent made the syscall,
 * with a copy of its registers and 0 as the syscall's result.
 */
void arch_fork_init(struct task *child, const struct trap_frame *parent_tf,
		    uint64_t new_sp, uint64_t tls, bool set_tls)
{
	void fork_return(void);
	struct trap_frame *tf = task_user_frame(child);
	uint64_t *sp = (uint64_t *)tf;

	*tf = *parent_tf;
	tf->rax = 0;
	if (new_sp)
		tf->rsp = new_sp;
	*--sp = (uint64_t)fork_return;
	for (int i = 0; i < 6; i++)         /* rbp rbx r12 r13 r14 r15 */
		*--sp = 0;
	child->arch.ksp = (uint64_t)sp;
	child->arch.fs_base = set_tls ? tls : current_task()->arch.fs_base;
	/* The parent is running, so its live FPU registers are its state. */
	__asm__ volatile("fxsaveq %0" : "=m"(child->arch.fpu));
}
