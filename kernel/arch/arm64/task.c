/*
 * arm64 side of tasks: the initial kernel stack of a new thread, the
 * context switch (stacks, FP/SIMD registers, TLS register, address
 * space), and the first entry to user mode.
 */
#include <kevlar/mm.h>
#include <kevlar/mmu.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <arch/cpu.h>
#include <arch/trap_frame.h>

void switch_stacks(uint64_t *save_sp, uint64_t next_sp);
void kthread_trampoline(void);
void fork_return(void);
__attribute__((noreturn)) void enter_user_frame(struct trap_frame *tf);
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_load(const struct fpsimd_state *s);

/* switch_stacks' saved registers: x19..x28, x29, x30 (12 words). */
#define SWITCH_FRAME_WORDS 12

static uint64_t *switch_frame(uint64_t *sp, void (*resume)(void))
{
	sp -= SWITCH_FRAME_WORDS;
	memset(sp, 0, SWITCH_FRAME_WORDS * 8);
	sp[11] = (uint64_t)resume;      /* x30: where switch_stacks returns */
	return sp;
}

void arch_task_init(struct task *t, void (*fn)(void *), void *arg)
{
	uint64_t *sp = switch_frame((uint64_t *)((char *)t->kstack + KSTACK_SIZE),
				    kthread_trampoline);

	sp[0] = (uint64_t)fn;           /* x19 */
	sp[1] = (uint64_t)arg;          /* x20 */
	t->arch.ksp = (uint64_t)sp;
	t->arch.tpidr_el0 = 0;
	memset(&t->arch.fp, 0, sizeof(t->arch.fp));
}

void arch_switch_to(struct task *prev, struct task *next)
{
	if (prev->mm) {
		fpsimd_save(&prev->arch.fp);
		prev->arch.tpidr_el0 = read_sysreg(tpidr_el0);
	}
	if (next->mm) {
		fpsimd_load(&next->arch.fp);
		write_sysreg(tpidr_el0, next->arch.tpidr_el0);
		mmu_activate(next->mm->pt.root);
	} else {
		mmu_activate(mmu_kernel_root());
	}
	switch_stacks(&prev->arch.ksp, next->arch.ksp);
}

struct trap_frame *task_user_frame(struct task *t)
{
	return (struct trap_frame *)((char *)t->kstack + KSTACK_SIZE) - 1;
}

/* A fresh program: registers zero, EL0 with interrupts on, FP state zero. */
static void reset_user_regs(struct task *t, struct trap_frame *tf, uint64_t entry, uint64_t sp)
{
	memset(tf, 0, sizeof(*tf));
	tf->pc = entry;
	tf->sp = sp;
	tf->pstate = PSTATE_EL0t;
	tf->syscallno = -1;
	t->arch.tpidr_el0 = 0;
	write_sysreg(tpidr_el0, 0);
	memset(&t->arch.fp, 0, sizeof(t->arch.fp));
	fpsimd_load(&t->arch.fp);
}

void arch_enter_user(struct task *t, uint64_t entry, uint64_t sp)
{
	struct trap_frame *tf = task_user_frame(t);

	__asm__ volatile("msr daifset, #2" : : : "memory");
	reset_user_regs(t, tf, entry, sp);
	enter_user_frame(tf);
}

/* Exec replaces the registers of the current syscall's frame instead. */
void arch_exec_regs(struct trap_frame *tf, uint64_t entry, uint64_t sp)
{
	reset_user_regs(current_task(), tf, entry, sp);
}

/*
 * A forked child resumes in user mode where the parent made the syscall,
 * with a copy of its registers and 0 as the syscall's result.
 */
void arch_fork_init(struct task *child, const struct trap_frame *parent_tf,
		    uint64_t new_sp, uint64_t tls, bool set_tls)
{
	struct trap_frame *tf = task_user_frame(child);

	*tf = *parent_tf;
	tf->x[0] = 0;
	if (new_sp)
		tf->sp = new_sp;
	child->arch.ksp = (uint64_t)switch_frame((uint64_t *)tf, fork_return);
	child->arch.tpidr_el0 = set_tls ? tls : read_sysreg(tpidr_el0);
	/* The parent is running, so its live FP registers are its state. */
	fpsimd_save(&child->arch.fp);
}
