#ifndef KEVLAR_SYSCALL_H
#define KEVLAR_SYSCALL_H

/*
 * Syscall dispatch (kernel/core/syscall.c). The table comes from
 * core/syscalls.def through tools/gen_syscall_table.awk; handlers are
 * `long sys_<name>(...)` in the subsystem that owns them, declared in
 * kevlar/syscalls.h.
 */

#include <kevlar/types.h>
#include <syscall_table.h>

typedef long (*syscall_fn_t)(unsigned long, unsigned long, unsigned long,
			     unsigned long, unsigned long, unsigned long);

struct syscall_desc {
	const char *name;
	syscall_fn_t fn;        /* NULL: not implemented */
};

extern const struct syscall_desc syscall_table[SYSCALL_TABLE_SIZE];

long syscall_dispatch(unsigned long nr, unsigned long a0, unsigned long a1,
		      unsigned long a2, unsigned long a3, unsigned long a4,
		      unsigned long a5);
/* Name for logs and the flight recorder; "?" if unknown. */
const char *syscall_name(unsigned long nr);

#endif
