/*
 * Sleeping on time. A timed sleeper arms a timer (core/timer.c) that wakes
 * it when its clock reaches the deadline; the tick runs only the timers
 * that are due. ITIMER_REAL / alarm(2) are timers too (signal_notify.c).
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/time.h>
#include <kevlar/timer.h>
#include <kevlar/wait.h>
#include <uapi/errno.h>

void time_tick(void)
{
	timer_run_expired();
}

int wait_interruptible_until(struct wait_queue *wq, bool (*ready)(void *), void *arg,
			     enum timer_clock clock, uint64_t deadline)
{
	struct task *t = current_task();
	struct wait_entry on_wq;
	struct timer timeout;
	int ret;

	might_wait();
	timer_init(&timeout, clock, timer_wake_task, t);
	timer_arm(&timeout, deadline);
	for (;;) {
		/* Interrupts off: check and sleep are one step for wakers and the timer. */
		unsigned long flags = arch_irq_save();

		if (ready && ready(arg)) {
			ret = 0;
		} else if (signal_pending(t)) {
			ret = -ERESTARTSYS;
		} else if (deadline < TIME_NEVER &&
			   (timeout.fired || timer_clock_now(clock) >= deadline)) {
			ret = -ETIMEDOUT;
		} else {
			if (wq)
				wait_prepare(wq, &on_wq);
			t->state = TASK_SLEEPING;
			schedule();
			if (wq)
				list_del(&on_wq.link);
			arch_irq_restore(flags);
			continue;
		}
		arch_irq_restore(flags);
		break;
	}
	timer_cancel(&timeout);
	return ret;
}

int wait_interruptible_deadline(struct wait_queue *wq, bool (*ready)(void *), void *arg,
				uint64_t deadline_ns)
{
	return wait_interruptible_until(wq, ready, arg, TIMER_MONOTONIC,
					deadline_ns ? deadline_ns : TIME_NEVER);
}
