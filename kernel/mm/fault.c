/*
 * What a page fault means. A fault on a user address (from user mode,
 * or from the kernel copying user memory) may be demand paging or
 * copy-on-write, which mm_handle_fault resolves. Otherwise a fault in
 * the kernel is a user copy with an exception-table fix-up (the copy
 * returns -EFAULT) or a kernel bug (panic), and a fault in user mode is
 * SIGSEGV for the program, which it may catch (SIGBUS when a mapped
 * file's page could not be read). A user-mode fault that finds no free
 * page calls the OOM killer (mm/oom_kill.c) and is tried again. A kernel
 * copy made with page faults disabled (pagefault_disable) goes straight
 * to its fix-up.
 */
#include <kevlar/fault.h>
#include <kevlar/arch.h>
#include <kevlar/mm.h>
#include <kevlar/oom.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/uaccess.h>
#include <arch/trap_frame.h>
#include <arch/traps.h>
#include <uapi/errno.h>

static const char *access_name(unsigned access)
{
	return access == MMU_WRITE ? "write" : access == MMU_EXEC ? "fetch" : "read";
}

void page_fault_handle(struct trap_frame *tf, const struct page_fault *f)
{
	struct task *t = current_task();
	/* A kernel copy with faults disabled is not resolved: it fails. */
	bool resolve = trap_from_user(tf) || !t || !t->pagefault_disabled;
	int err = -EFAULT;

	if (resolve && f->addr < USER_SPACE_END && t && t->mm) {
		/* Resolving it may take a while (and later sleep): let interrupts in. */
		if (f->irqs_were_on)
			arch_irq_enable();
		if ((err = mm_handle_fault(t->mm, f->addr, f->access)) == 0)
			return;
		/* Out of memory: a process is killed, then the access runs again. */
		if (err == -ENOMEM && trap_from_user(tf) && f->irqs_were_on && oom_fault())
			return;
	}
	if (!trap_from_user(tf)) {
		if (extable_fixup(tf))
			return;
		panic_with_frame(tf, "kernel page fault at %#lx (%s%s) ip %#lx",
				 (unsigned long)f->addr, f->protection ? "protection " : "not present ",
				 access_name(f->access), (unsigned long)trap_frame_ip(tf));
	}
	/* A file page the file system could not read: SIGBUS, as on Linux. */
	if (err == -EIO) {
		signal_fault(SIGBUS, BUS_ADRERR, f->addr);
		return;
	}
	if (t->sig.action[SIGSEGV - 1].handler == SIG_DFL)
		pr_info("%s[%d]: segfault at %#lx ip %#lx sp %#lx %s %lx\n",
			t->comm, t->pid, (unsigned long)f->addr, (unsigned long)trap_frame_ip(tf),
			(unsigned long)arch_frame_user_sp(tf), f->error_name, (unsigned long)f->error);
	/* As Linux: ACCERR when an area is there but forbids the access, MAPERR otherwise. */
	signal_fault(SIGSEGV, err == -EACCES ? SEGV_ACCERR : SEGV_MAPERR, f->addr);
}

void pagefault_disable(void)
{
	current_task()->pagefault_disabled++;
}

void pagefault_enable(void)
{
	current_task()->pagefault_disabled--;
}

int fault_in_user_writeable(uint64_t uaddr)
{
	struct task *t = current_task();

	if (!user_range_ok(uaddr, 1) || !t->mm)
		return -EFAULT;
	return mm_handle_fault(t->mm, uaddr, MMU_WRITE) ? -EFAULT : 0;
}
