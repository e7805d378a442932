/*
 * Sleeping on time. Sleepers wait on one queue and re-check their deadline
 * each tick; simple and O(sleepers) per tick, which is plenty for now.
 * The same tick also checks ITIMER_REAL deadlines (signal_notify.c).
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/time.h>
#include <kevlar/wait.h>
#include <uapi/errno.h>

static struct wait_queue tick_wait = { LIST_HEAD_INIT(tick_wait.waiters) };

void time_tick(void)
{
	signal_timer_tick(clock_monotonic_ns());
	if (!list_empty(&tick_wait.waiters))
		wake_up_all(&tick_wait);
}

struct wait_queue *time_tick_queue(void)
{
	return &tick_wait;
}

void time_sleep_until(uint64_t deadline_ns)
{
	wait_event(&tick_wait, clock_monotonic_ns() >= deadline_ns);
}

int time_sleep_until_interruptible(uint64_t deadline_ns)
{
	return wait_event_interruptible(&tick_wait, clock_monotonic_ns() >= deadline_ns);
}

int wait_interruptible_deadline(struct wait_queue *wq, bool (*ready)(void *), void *arg,
				uint64_t deadline_ns)
{
	struct task *t = current_task();
	struct wait_entry on_wq, on_tick;
	int ret;

	for (;;) {
		unsigned long flags = arch_irq_save();

		if (ready(arg)) {
			ret = 0;
		} else if (signal_pending(t)) {
			ret = -ERESTARTSYS;
		} else if (deadline_ns && clock_monotonic_ns() >= deadline_ns) {
			ret = -ETIMEDOUT;
		} else {
			wait_prepare(wq, &on_wq);
			if (deadline_ns)
				wait_prepare(&tick_wait, &on_tick);
			schedule();
			list_del(&on_wq.link);
			if (deadline_ns)
				list_del(&on_tick.link);
			arch_irq_restore(flags);
			continue;
		}
		arch_irq_restore(flags);
		return ret;
	}
}
