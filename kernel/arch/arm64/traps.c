/*
 * Exception dispatch. Synchronous exceptions from user mode are system
 * calls (SVC), page faults, or the process's problem (a signal it may
 * catch); a fault in the kernel is a user-memory access with an
 * exception-table fix-up (-> -EFAULT), demand paging of user memory, or
 * a bug (-> panic).
 */
#include <kevlar/arch.h>
#include <kevlar/fault.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/mm.h>
#include <kevlar/mmu.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/traps.h>

static const char *const kind_names[] = {
	"synchronous", "IRQ", "FIQ", "SError", "exception on SP_EL0", "AArch32 exception",
};

static unsigned esr_class(const struct trap_frame *tf)
{
	return (tf->esr >> ESR_EC_SHIFT) & 0x3f;
}

void trap_print_frame(const struct trap_frame *tf)
{
	printk(KERN_EMERG "%s exception, ESR %08lx (class %#x) FAR %016lx, %s mode\n",
	       tf->kind < 6 ? kind_names[tf->kind] : "unknown", (unsigned long)tf->esr,
	       esr_class(tf), (unsigned long)tf->far, trap_from_user(tf) ? "user" : "kernel");
	printk(KERN_EMERG "PC %016lx PSTATE %08lx SP %016lx\n", (unsigned long)tf->pc,
	       (unsigned long)tf->pstate, (unsigned long)tf->sp);
	printk(KERN_EMERG "TTBR0 %016lx TTBR1 %016lx\n",
	       (unsigned long)read_sysreg(ttbr0_el1), (unsigned long)read_sysreg(ttbr1_el1));
	for (int i = 0; i < 31; i += 4) {
		if (i + 3 < 31)
			printk(KERN_EMERG "X%-2d %016lx X%-2d %016lx X%-2d %016lx X%-2d %016lx\n",
			       i, (unsigned long)tf->x[i], i + 1, (unsigned long)tf->x[i + 1],
			       i + 2, (unsigned long)tf->x[i + 2], i + 3, (unsigned long)tf->x[i + 3]);
		else
			printk(KERN_EMERG "X%-2d %016lx X%-2d %016lx X%-2d %016lx\n",
			       i, (unsigned long)tf->x[i], i + 1, (unsigned long)tf->x[i + 1],
			       i + 2, (unsigned long)tf->x[i + 2]);
	}
}

/*
 * An abort that no page can mend: alignment (SIGBUS BUS_ADRALN, as Linux),
 * or an external abort, an address-size or TLB-conflict fault (SIGBUS
 * BUS_OBJERR). Retrying it as a page fault would run the access again for
 * ever. In the kernel it is a user copy's fix-up or a bug.
 */
static void abort_unmendable(struct trap_frame *tf, unsigned fsc)
{
	struct task *t = current_task();
	bool align = fsc == ESR_FSC_ALIGNMENT;

	if (!trap_from_user(tf)) {
		if (extable_fixup(tf))
			return;
		panic_with_frame(tf, "kernel abort, fault status %#x (%s) at %#lx ip %#lx", fsc,
				 align ? "alignment" : "not a page fault", (unsigned long)tf->far,
				 (unsigned long)tf->pc);
	}
	if (t->sig.action[SIGBUS - 1].handler == SIG_DFL)
		pr_info("%s[%d]: %s fault at %#lx ip %#lx esr %lx\n", t->comm, t->pid,
			align ? "alignment" : "bus", (unsigned long)tf->far, (unsigned long)tf->pc,
			(unsigned long)tf->esr);
	signal_fault(SIGBUS, align ? BUS_ADRALN : BUS_OBJERR, tf->far);
}

static void abort_fault(struct trap_frame *tf, bool instruction)
{
	unsigned fsc = tf->esr & ESR_FSC_MASK, type = fsc & ESR_FSC_TYPE_MASK;
	bool write = !instruction && (tf->esr & ESR_ISS_WNR) && !(tf->esr & ESR_ISS_CM);
	struct page_fault f = {
		.addr = tf->far,
		.access = instruction ? MMU_EXEC : write ? MMU_WRITE : MMU_READ,
		.protection = ((tf->esr & ESR_FSC_MASK) & ESR_FSC_TYPE_MASK) == ESR_FSC_PERMISSION,
		.irqs_were_on = !(tf->pstate & PSTATE_I),
		.error_name = "esr",
		.error = tf->esr,
	};

	if (type != ESR_FSC_TRANSLATION && type != ESR_FSC_ACCESS && type != ESR_FSC_PERMISSION) {
		abort_unmendable(tf, fsc);
		return;
	}
	page_fault_handle(tf, &f);
}

/* Signal and si_code Linux sends for a user-mode exception class. */
static int user_exception_signal(unsigned ec, int *code)
{
	switch (ec) {
	case ESR_EC_PC_ALIGN:
	case ESR_EC_SP_ALIGN:
		*code = BUS_ADRALN;
		return SIGBUS;
	case ESR_EC_BRK64:
	case ESR_EC_BREAKPT_LOW:
	case ESR_EC_SOFTSTP_LOW:
	case ESR_EC_WATCHPT_LOW:
		*code = TRAP_BRKPT;
		return SIGTRAP;
	case ESR_EC_FP_EXC64:
		*code = FPE_FLTINV;
		return SIGFPE;
	default:
		*code = ILL_ILLOPC;
		return SIGILL;
	}
}

static void sync_exception(struct trap_frame *tf)
{
	unsigned ec = esr_class(tf);
	struct task *t = current_task();

	if (ec == ESR_EC_SVC64 && trap_from_user(tf)) {
		syscall_handler(tf);
		return;
	}
	fr_record(FR_EXCEPTION, ec, tf->esr, tf->pc, tf->far);
	if (ec == ESR_EC_DABT_LOW || ec == ESR_EC_DABT_CUR) {
		abort_fault(tf, false);
		return;
	}
	if (ec == ESR_EC_IABT_LOW) {
		abort_fault(tf, true);
		return;
	}
	if (trap_from_user(tf)) {
		int code, sig = user_exception_signal(ec, &code);

		if (t->sig.action[sig - 1].handler == SIG_DFL)
			pr_info("%s[%d]: exception class %#x at ip %#lx sp %#lx esr %lx\n",
				t->comm, t->pid, ec, (unsigned long)tf->pc,
				(unsigned long)tf->sp, (unsigned long)tf->esr);
		signal_fault(sig, code, ec == ESR_EC_SP_ALIGN ? tf->sp : tf->pc);
		return;
	}
	panic_with_frame(tf, "exception class %#x in kernel mode at %#lx",
			 ec, (unsigned long)tf->pc);
}

/*
 * The mode the interrupt being handled came from. Exception entry masks
 * IRQs (DAIF.I) and handlers never unmask them, so one variable does.
 */
static bool irq_user;

bool arch_irq_from_user(void)
{
	return irq_user;
}

void trap_handler(struct trap_frame *tf)
{
	switch (tf->kind) {
	case TRAP_SYNC:
		sync_exception(tf);
		if (esr_class(tf) == ESR_EC_SVC64 && trap_from_user(tf))
			return;         /* syscall_handler did the return work */
		break;
	case TRAP_IRQ:
		irq_user = trap_from_user(tf);
		gic_handle_irq();
		break;
	default:
		fr_record(FR_EXCEPTION, 0x100 + tf->kind, tf->esr, tf->pc, tf->far);
		panic_with_frame(tf, "%s exception (%s mode) at %#lx",
				 tf->kind < 6 ? kind_names[tf->kind] : "unknown",
				 trap_from_user(tf) ? "user" : "kernel", (unsigned long)tf->pc);
	}

	/* Preempt only where no lock can be held: interrupts were on when we trapped. */
	if (!(tf->pstate & PSTATE_I))
		sched_preempt_point();
	if (trap_from_user(tf))
		return_to_user_work(tf);
}
