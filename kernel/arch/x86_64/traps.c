/*
 * Exception and interrupt dispatch. A fault in user mode is the process's
 * problem (a signal it may catch: SIGSEGV, SIGILL, ...); a fault in the kernel is either
 * a user-memory access with an exception-table fix-up (→ -EFAULT) or a bug
 * (→ panic).
 */
#include <kevlar/arch.h>
#include <kevlar/fault.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/segments.h>
#include <arch/traps.h>

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved", "x87 floating-point error", "alignment check",
	"machine check", "SIMD floating-point error", "virtualization exception",
	"control protection", "reserved", "reserved", "reserved", "reserved",
	"reserved", "reserved", "hypervisor injection", "VMM communication",
	"security exception", "reserved",
};

/* Which signal Linux would send for a user-mode exception. */
static int exception_signal(unsigned vector)
{
	switch (vector) {
	case VEC_DIVIDE:
	case 16:
	case 19:
		return SIGFPE;
	case VEC_INVALID_OPCODE:
		return SIGILL;
	case VEC_DEBUG:
	case VEC_BREAKPOINT:
		return SIGTRAP;
	case 17:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

void trap_print_frame(const struct trap_frame *tf)
{
	printk(KERN_EMERG "trap %lu (%s) error %#lx %s mode\n",
	       (unsigned long)tf->vector,
	       tf->vector < 32 ? exception_names[tf->vector] : "interrupt",
	       (unsigned long)tf->error_code, trap_from_user(tf) ? "user" : "kernel");
	printk(KERN_EMERG "RIP %04lx:%016lx RFLAGS %016lx CR2 %016lx\n",
	       (unsigned long)tf->cs, (unsigned long)tf->rip,
	       (unsigned long)tf->rflags, (unsigned long)read_cr2());
	printk(KERN_EMERG "RSP %04lx:%016lx CR3 %016lx\n",
	       (unsigned long)tf->ss, (unsigned long)tf->rsp, (unsigned long)read_cr3());
	printk(KERN_EMERG "RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n",
	       (unsigned long)tf->rax, (unsigned long)tf->rbx,
	       (unsigned long)tf->rcx, (unsigned long)tf->rdx);
	printk(KERN_EMERG "RSI %016lx RDI %016lx RBP %016lx R8  %016lx\n",
	       (unsigned long)tf->rsi, (unsigned long)tf->rdi,
	       (unsigned long)tf->rbp, (unsigned long)tf->r8);
	printk(KERN_EMERG "R9  %016lx R10 %016lx R11 %016lx R12 %016lx\n",
	       (unsigned long)tf->r9, (unsigned long)tf->r10,
	       (unsigned long)tf->r11, (unsigned long)tf->r12);
	printk(KERN_EMERG "R13 %016lx R14 %016lx R15 %016lx\n",
	       (unsigned long)tf->r13, (unsigned long)tf->r14, (unsigned long)tf->r15);
}

static void page_fault(struct trap_frame *tf)
{
	struct page_fault f = {
		.addr = read_cr2(),
		.access = (tf->error_code & PF_WRITE) ? MMU_WRITE :
			  (tf->error_code & PF_FETCH) ? MMU_EXEC : MMU_READ,
		.protection = tf->error_code & PF_PRESENT,
		.irqs_were_on = tf->rflags & RFLAGS_IF,
		.error_name = "error",
		.error = tf->error_code,
	};

	page_fault_handle(tf, &f);
}

/* si_code and si_addr Linux reports for an exception (besides page faults). */
static void exception_siginfo(const struct trap_frame *tf, int *code, uint64_t *addr)
{
	*addr = tf->rip;
	switch (tf->vector) {
	case VEC_DIVIDE:
		*code = FPE_INTDIV;
		break;
	case VEC_INVALID_OPCODE:
		*code = ILL_ILLOPC;
		break;
	case 17:
		*code = BUS_ADRALN;
		break;
	case 16:
	case 19:
		*code = FPE_FLTINV;
		break;
	default:
		/* #GP and friends, int3: SI_KERNEL with no address. */
		*code = SI_KERNEL;
		*addr = 0;
		break;
	}
}

static void exception(struct trap_frame *tf)
{
	struct task *t = current_task();

	fr_record(FR_EXCEPTION, tf->vector, tf->error_code, tf->rip,
		  tf->vector == VEC_PAGE_FAULT ? read_cr2() : 0);
	if (tf->vector == VEC_PAGE_FAULT) {
		page_fault(tf);
		return;
	}
	if (tf->vector == VEC_NMI) {
		pr_warn("NMI received, ignored\n");
		return;
	}
	if (trap_from_user(tf) && tf->vector != VEC_DOUBLE_FAULT) {
		int sig = exception_signal(tf->vector), code;
		uint64_t addr;

		if (t->sig.action[sig - 1].handler == SIG_DFL)
			pr_info("%s[%d]: %s at ip %#lx sp %#lx error %lx\n",
				t->comm, t->pid, exception_names[tf->vector],
				(unsigned long)tf->rip, (unsigned long)tf->rsp,
				(unsigned long)tf->error_code);
		exception_siginfo(tf, &code, &addr);
		signal_fault(sig, code, addr);
		return;
	}
	if (extable_fixup(tf))
		return;
	panic_with_frame(tf, "%s in kernel mode at %#lx",
			 exception_names[tf->vector], (unsigned long)tf->rip);
}

/*
 * The mode the interrupt being handled came from. Interrupt gates keep
 * IF off inside handlers, so interrupts never nest and one variable does.
 */
static bool irq_user;

bool arch_irq_from_user(void)
{
	return irq_user;
}

void trap_handler(struct trap_frame *tf)
{
	if (tf->vector < 32) {
		exception(tf);
	} else if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + 16) {
		irq_user = trap_from_user(tf);
		irq_dispatch(tf->vector - IRQ_BASE);
	} else {
		pr_warn("unexpected interrupt vector %lu\n", (unsigned long)tf->vector);
	}

	/* Preempt only where no lock can be held: IF was on when we trapped. */
	if (tf->rflags & RFLAGS_IF)
		sched_preempt_point();
	if (trap_from_user(tf))
		return_to_user_work(tf);
}
