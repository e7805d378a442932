/*
 * The C side of SVC: arm64 passes the number in x8, arguments in x0-x5,
 * and takes the result in x0 (orig_x0 keeps the first argument so a
 * restarted call sees it again).
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/syscall.h>
#include <arch/traps.h>

/* arm64's clone takes (flags, stack, parent_tid, tls, child_tid). */
#define ARM64_NR_CLONE 220

void syscall_handler(struct trap_frame *tf)
{
	uint64_t *x = tf->x;

	arch_irq_enable();
	tf->syscallno = (int64_t)x[8];
	if (x[8] == ARM64_NR_CLONE)
		x[0] = syscall_dispatch(x[8], x[0], x[1], x[2], x[4], x[3], x[5]);
	else
		x[0] = syscall_dispatch(x[8], x[0], x[1], x[2], x[3], x[4], x[5]);
	sched_preempt_point();
	return_to_user_work(tf);
}
