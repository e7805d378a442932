#ifndef KEVLAR_FAULT_H
#define KEVLAR_FAULT_H

/*
 * The page-fault policy (kernel/mm/fault.c), one for every arch: each
 * arch's trap code decodes its fault registers into a struct page_fault
 * and calls page_fault_handle, which decides between demand paging,
 * an exception-table fix-up (a user copy that faulted: -EFAULT), a
 * signal to the user program, and a kernel panic.
 */

#include <kevlar/types.h>

struct trap_frame;

struct page_fault {
	vaddr_t addr;               /* the faulting address */
	unsigned access;            /* MMU_READ, MMU_WRITE or MMU_EXEC */
	bool protection;            /* the page was present (not allowed), else not present */
	bool irqs_were_on;          /* interrupts were enabled where the fault hit */
	const char *error_name;     /* the arch's fault register, for the log: "error", "esr" */
	uint64_t error;
};

void page_fault_handle(struct trap_frame *tf, const struct page_fault *f);

#endif
