/*
 * arm64 signal frames: building the rt_sigframe a handler runs on, and
 * rt_sigreturn taking it apart again. The layout is Linux's (see
 * arch/sigframe.h): SA_SIGINFO handlers read the ucontext, and the
 * restorer (x30 when the handler starts: sa_restorer, or the trampoline
 * page) calls rt_sigreturn with sp at the frame.
 */
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <arch/sigframe.h>
#include <arch/task.h>
#include <arch/trap_frame.h>
#include <uapi/errno.h>

void fpsimd_save(struct fpsimd_state *s);
void fpsimd_load(const struct fpsimd_state *s);

/* Condition flags user code may set through sigreturn (N Z C V). */
#define PSTATE_NZCV     0xf0000000UL

bool arch_frame_in_syscall(const struct trap_frame *tf)
{
	return tf->syscallno >= 0;
}

long arch_frame_syscall_result(const struct trap_frame *tf)
{
	return (long)tf->x[0];
}

void arch_frame_set_result(struct trap_frame *tf, long ret)
{
	tf->x[0] = (uint64_t)ret;
}

uint64_t arch_frame_user_sp(const struct trap_frame *tf)
{
	return tf->sp;
}

/* The number is still in x8; x0 was overwritten by the result. */
void arch_frame_restart_syscall(struct trap_frame *tf)
{
	tf->x[0] = tf->orig_x0;
	tf->pc -= 4;            /* SVC is one 4-byte instruction */
}

static bool on_altstack(const struct task *t, uint64_t sp)
{
	const struct k_stack *ss = &t->sig.altstack;

	return ss->ss_size && sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

int arch_setup_signal_frame(struct trap_frame *tf, int sig, const struct k_sigaction *ka,
			    const struct siginfo *info, ksigset_t old_mask)
{
	static struct rt_sigframe_arm64 frame;  /* 4.7 KiB: too big for the kernel stack */
	struct task *t = current_task();
	struct sigcontext_arm64 *sc = &frame.uc.uc_mcontext;
	struct fpsimd_context *fp = (struct fpsimd_context *)sc->reserved;
	struct fpsimd_state live;
	struct frame_record rec;
	uint64_t sp = tf->sp, frame_addr, rec_addr;

	if ((ka->flags & SA_ONSTACK) && t->sig.altstack.ss_size &&
	    !(t->sig.altstack.ss_flags & SS_DISABLE) && !on_altstack(t, sp))
		sp = t->sig.altstack.ss_sp + t->sig.altstack.ss_size;

	rec_addr = (sp - sizeof(rec)) & ~15UL;
	frame_addr = (rec_addr - sizeof(frame)) & ~15UL;

	memset(&frame, 0, sizeof(frame));
	frame.uc.uc_stack = t->sig.altstack;
	frame.uc.uc_stack.ss_flags = t->sig.altstack.ss_size ?
		(on_altstack(t, tf->sp) ? SS_ONSTACK : 0) : SS_DISABLE;
	frame.uc.uc_sigmask = old_mask;
	memcpy(sc->regs, tf->x, sizeof(sc->regs));
	sc->sp = tf->sp;
	sc->pc = tf->pc;
	sc->pstate = tf->pstate;
	if (!arch_frame_in_syscall(tf))
		sc->fault_address = info->fault.addr;
	/* In the kernel the FP registers still hold the user's state. */
	fpsimd_save(&live);
	fp->head.magic = FPSIMD_MAGIC;
	fp->head.size = sizeof(*fp);
	fp->fpsr = live.fpsr;
	fp->fpcr = live.fpcr;
	memcpy(fp->vregs, live.v, sizeof(fp->vregs));
	/* The record after it stays zero: the end marker. */
	frame.info = *info;
	rec.fp = tf->x[29];
	rec.lr = tf->x[30];

	if (copy_to_user((void *)frame_addr, &frame, sizeof(frame)) ||
	    copy_to_user((void *)rec_addr, &rec, sizeof(rec)))
		return -EFAULT;

	tf->sp = frame_addr;
	tf->pc = ka->handler;
	tf->x[0] = (uint64_t)sig;
	tf->x[1] = frame_addr + offsetof(struct rt_sigframe_arm64, info);
	tf->x[2] = frame_addr + offsetof(struct rt_sigframe_arm64, uc);
	tf->x[29] = rec_addr;
	/* glibc sets no SA_RESTORER on arm64: Linux returns through its vDSO, we through paging.c's page. */
	tf->x[30] = (ka->flags & SA_RESTORER) ? ka->restorer : ARM64_SIGTRAMP_ADDR;
	/* A signal frame is not a syscall to restart. */
	tf->syscallno = -1;
	return 0;
}

long arch_signal_return(struct trap_frame *tf)
{
	static struct rt_sigframe_arm64 frame;
	struct task *t = current_task();
	const struct sigcontext_arm64 *sc = &frame.uc.uc_mcontext;
	const struct fpsimd_context *fp = (const struct fpsimd_context *)sc->reserved;
	struct fpsimd_state live;

	/* The restorer runs with sp where the handler started: at the frame. */
	if (copy_from_user(&frame, (const void *)tf->sp, sizeof(frame)) ||
	    (tf->sp & 15))
		task_kill_by_signal(SIGSEGV);
	memcpy(tf->x, sc->regs, sizeof(tf->x));
	tf->sp = sc->sp;
	tf->pc = sc->pc;
	tf->pstate = PSTATE_EL0t | (sc->pstate & PSTATE_NZCV);
	if (fp->head.magic == FPSIMD_MAGIC && fp->head.size == sizeof(*fp)) {
		memcpy(live.v, fp->vregs, sizeof(live.v));
		live.fpsr = fp->fpsr;
		live.fpcr = fp->fpcr;
		fpsimd_load(&live);
	}
	tf->syscallno = -1;     /* never restart what the frame returns to */
	t->sig.blocked = frame.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	/* syscall_handler stores our result in x0: give it the saved x0. */
	return (long)sc->regs[0];
}
