/* SYSCALL/SYSRET set-up and the C side of the syscall entry. */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/syscall.h>
#include <arch/cpu.h>
#include <arch/segments.h>
#include <arch/traps.h>

extern char syscall_entry[];

void syscall_init(void)
{
	/*
	 * STAR[47:32]: kernel CS (SS = +8). STAR[63:48]: base for SYSRET, which
	 * loads SS = base + 8 and CS = base + 16 (see segments.h).
	 */
	wrmsr(MSR_STAR, ((uint64_t)(GDT_USER_CS32 | USER_RPL) << 48) |
			((uint64_t)GDT_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Enter with interrupts off (until the stack switch is done), DF clear,
	 * and no single-step or alignment checking inherited from user space. */
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC |
			 RFLAGS_NT | RFLAGS_IOPL);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void syscall_handler(struct trap_frame *tf)
{
	arch_irq_enable();
	/* Keep the number (Linux's orig_rax): restarting after a signal needs it. */
	tf->error_code = tf->rax;
	tf->rax = syscall_dispatch(tf->rax, tf->rdi, tf->rsi, tf->rdx,
				   tf->r10, tf->r8, tf->r9);
	sched_preempt_point();
	return_to_user_work(tf);
}
