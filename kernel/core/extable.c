/*
 * Exception-table lookup for faults inside the user-copy routines: each
 * arch's uaccess code lists (faulting instruction, where to resume) pairs
 * in __ex_table; a fault on a listed instruction resumes at its fix-up.
 */
#include <arch/traps.h>

struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

bool extable_fixup(struct trap_frame *tf)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == TRAP_FRAME_PC(tf)) {
			TRAP_FRAME_PC(tf) = e->fixup;
			return true;
		}
	}
	return false;
}
