/* Exception-table lookup for faults inside the user-copy routines. */
#include <arch/traps.h>

struct extable_entry {
	uint64_t insn;
	uint64_t fixup;
};

extern const struct extable_entry __ex_table_start[], __ex_table_end[];

bool extable_fixup(struct trap_frame *tf)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == tf->pc) {
			tf->pc = e->fixup;
			return true;
		}
	}
	return false;
}
