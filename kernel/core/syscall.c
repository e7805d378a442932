/*
 * Generic syscall dispatch: table lookup, flight recorder, -ENOSYS with a
 * once-per-name log line for everything not implemented yet (and a line for
 * each of the first few numbers no arch has), and the
 * kevlar.trace=syscall trace.
 */
#include <kevlar/flight_recorder.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/trace.h>
#include <uapi/errno.h>
#include <kevlar/syscall.h>
#include <kevlar/syscalls.h>
/* Second inclusion, now with the table body (see gen_syscall_table.awk):
 * it points at the sys_<name> handlers kevlar/syscalls.h declares. */
#define SYSCALL_TABLE_DEFINE
#include <syscall_table.h>

static uint8_t warned[(SYSCALL_TABLE_SIZE + 7) / 8];

/* Numbers no arch defines are user input, not a missing feature: a loop of
 * them (a fuzzer, a confused program) must not fill the kernel log. */
#define UNKNOWN_LOGGED 8
static unsigned unknown_seen;

const char *syscall_name(unsigned long nr)
{
	if (nr < SYSCALL_TABLE_SIZE && syscall_table[nr].name)
		return syscall_table[nr].name;
	return "?";
}

static long unimplemented(unsigned long nr)
{
	struct task *t = current_task();

	if (nr >= SYSCALL_TABLE_SIZE || !syscall_table[nr].name) {
		if (unknown_seen < UNKNOWN_LOGGED) {
			unknown_seen++;
			pr_warn("unknown syscall %lu by %d %s%s\n", nr, t->pid, t->comm,
				unknown_seen == UNKNOWN_LOGGED ? " (no more are logged)" : "");
		}
	} else if (!(warned[nr / 8] & (1u << (nr % 8)))) {
		warned[nr / 8] |= 1u << (nr % 8);
		pr_warn("unimplemented syscall %s by %d %s\n",
			syscall_table[nr].name, t->pid, t->comm);
	}
	return -ENOSYS;
}

long syscall_dispatch(unsigned long nr, unsigned long a0, unsigned long a1,
		      unsigned long a2, unsigned long a3, unsigned long a4,
		      unsigned long a5)
{
	long ret;

	fr_record(FR_SYSCALL, nr, a0, a1, a2);
	if (nr >= SYSCALL_TABLE_SIZE || !syscall_table[nr].fn)
		ret = unimplemented(nr);
	else
		ret = syscall_table[nr].fn(a0, a1, a2, a3, a4, a5);
	if (trace_flags & TRACE_SYSCALL) {
		struct task *t = current_task();

		pr_info("trace: %d %s: %s(%#lx, %#lx, %#lx) = %ld\n", t->pid, t->comm,
			syscall_name(nr), a0, a1, a2, ret);
	}
	if (unlikely(lockcheck_enabled))
		lockcheck_syscall_exit(syscall_name(nr));
	return ret;
}
