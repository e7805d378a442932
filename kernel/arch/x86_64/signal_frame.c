/*
 * x86_64 signal frames: building the rt_sigframe a handler runs on, and
 * rt_sigreturn taking it apart again. The layout is Linux's (see
 * arch/sigframe.h) because user space depends on it: glibc and musl read
 * the ucontext in SA_SIGINFO handlers, and their sa_restorer simply calls
 * rt_sigreturn with rsp where the handler's ret left it.
 */
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <arch/cpu.h>
#include <arch/segments.h>
#include <arch/sigframe.h>
#include <arch/trap_frame.h>
#include <uapi/errno.h>

#define RED_ZONE 128    /* the SysV ABI lets leaf code use 128 bytes below rsp */

/* Flags user code may change through sigreturn: arithmetic flags, DF, TF, AC, RF. */
#define USER_RFLAGS_MASK 0x50dd5UL

struct fx_image {
	uint8_t bytes[FXSAVE_SIZE];
} __attribute__((aligned(16)));

bool arch_frame_in_syscall(const struct trap_frame *tf)
{
	return tf->vector == VECTOR_SYSCALL;
}

long arch_frame_syscall_result(const struct trap_frame *tf)
{
	return (long)tf->rax;
}

void arch_frame_set_result(struct trap_frame *tf, long ret)
{
	tf->rax = (uint64_t)ret;
}

uint64_t arch_frame_user_sp(const struct trap_frame *tf)
{
	return tf->rsp;
}

/* syscall_handler keeps the original number in error_code (orig_rax). */
void arch_frame_restart_syscall(struct trap_frame *tf)
{
	tf->rax = tf->error_code;
	tf->rip -= 2;           /* the SYSCALL instruction is 0f 05 */
}

static bool on_altstack(const struct task *t, uint64_t sp)
{
	const struct k_stack *ss = &t->sig.altstack;

	return ss->ss_size && sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

int arch_setup_signal_frame(struct trap_frame *tf, int sig, const struct k_sigaction *ka,
			    const struct siginfo *info, ksigset_t old_mask)
{
	struct task *t = current_task();
	struct rt_sigframe_x86_64 frame;
	struct sigcontext_x86_64 *sc = &frame.uc.uc_mcontext;
	struct fx_image fx;
	uint64_t sp = tf->rsp, fx_addr, frame_addr;

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;     /* no vDSO: without a restorer the handler cannot return */
	if ((ka->flags & SA_ONSTACK) && t->sig.altstack.ss_size &&
	    !(t->sig.altstack.ss_flags & SS_DISABLE) && !on_altstack(t, sp))
		sp = t->sig.altstack.ss_sp + t->sig.altstack.ss_size;
	else
		sp -= RED_ZONE;

	fx_addr = (sp - FXSAVE_SIZE) & ~63UL;
	frame_addr = ((fx_addr - sizeof(frame)) & ~15UL) - 8;  /* as if called: rsp % 16 == 8 */

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ka->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	frame.uc.uc_stack = t->sig.altstack;
	frame.uc.uc_stack.ss_flags = t->sig.altstack.ss_size ?
		(on_altstack(t, tf->rsp) ? SS_ONSTACK : 0) : SS_DISABLE;
	sc->r8 = tf->r8; sc->r9 = tf->r9; sc->r10 = tf->r10; sc->r11 = tf->r11;
	sc->r12 = tf->r12; sc->r13 = tf->r13; sc->r14 = tf->r14; sc->r15 = tf->r15;
	sc->rdi = tf->rdi; sc->rsi = tf->rsi; sc->rbp = tf->rbp; sc->rbx = tf->rbx;
	sc->rdx = tf->rdx; sc->rax = tf->rax; sc->rcx = tf->rcx; sc->rsp = tf->rsp;
	sc->rip = tf->rip;
	sc->eflags = tf->rflags;
	sc->cs = USER_CS;
	sc->ss = USER_DS;
	if (!arch_frame_in_syscall(tf) && tf->vector < 32) {
		sc->err = tf->error_code;
		sc->trapno = tf->vector;
		sc->cr2 = info->fault.addr;
	}
	sc->oldmask = old_mask;
	sc->fpstate = fx_addr;
	frame.uc.uc_sigmask = old_mask;
	frame.info = *info;

	/* In the kernel the FPU registers still hold the user's state. */
	__asm__ volatile("fxsaveq %0" : "=m"(fx));
	if (copy_to_user((void *)fx_addr, &fx, sizeof(fx)) ||
	    copy_to_user((void *)frame_addr, &frame, sizeof(frame)))
		return -EFAULT;

	tf->rsp = frame_addr;
	tf->rip = ka->handler;
	tf->rdi = (uint64_t)sig;
	tf->rsi = frame_addr + offsetof(struct rt_sigframe_x86_64, info);
	tf->rdx = frame_addr + offsetof(struct rt_sigframe_x86_64, uc);
	tf->rax = 0;
	/* The handler starts with DF clear and not single-stepping, as the ABI expects. */
	tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF);
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	/* A signal frame is not a syscall to restart. */
	tf->vector = 0;
	return 0;
}

static int restore_fpu(uint64_t ufx)
{
	struct fx_image fx, cur;
	uint32_t mxcsr, mask;

	if (!ufx)
		return 0;
	if (copy_from_user(&fx, (const void *)ufx, sizeof(fx)))
		return -EFAULT;
	/* Reserved MXCSR bits would make fxrstor fault in the kernel. */
	__asm__ volatile("fxsaveq %0" : "=m"(cur));
	memcpy(&mask, cur.bytes + FXSAVE_MXCSR_MASK_OFFSET, 4);
	if (!mask)
		mask = 0xffbf;
	memcpy(&mxcsr, fx.bytes + FXSAVE_MXCSR_OFFSET, 4);
	mxcsr &= mask;
	memcpy(fx.bytes + FXSAVE_MXCSR_OFFSET, &mxcsr, 4);
	__asm__ volatile("fxrstorq %0" : : "m"(fx));
	return 0;
}

long arch_signal_return(struct trap_frame *tf)
{
	struct task *t = current_task();
	struct ucontext_x86_64 uc;
	const struct sigcontext_x86_64 *sc = &uc.uc_mcontext;

	/* The handler's ret popped pretcode: rsp points at the ucontext. */
	if (copy_from_user(&uc, (const void *)tf->rsp, sizeof(uc)) ||
	    restore_fpu(sc->fpstate)) {
		task_kill_by_signal(SIGSEGV);
	}
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14; tf->r15 = sc->r15;
	tf->rdi = sc->rdi; tf->rsi = sc->rsi; tf->rbp = sc->rbp; tf->rbx = sc->rbx;
	tf->rdx = sc->rdx; tf->rcx = sc->rcx; tf->rsp = sc->rsp; tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~USER_RFLAGS_MASK) | (sc->eflags & USER_RFLAGS_MASK) |
		     RFLAGS_IF | 0x2;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->vector = 0;         /* never restart what the frame returns to */
	t->sig.blocked = uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	/* syscall_handler stores our result in rax: give it the saved rax. */
	return (long)sc->rax;
}
