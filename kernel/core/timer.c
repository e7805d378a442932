/*
 * Timers on three clocks (kevlar/timer.h). One heap per clock; the tick
 * compares each heap's earliest expiry with that clock's time and runs
 * what is due, so its cost is the number of timers that fire, not the
 * number armed.
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/spinlock.h>
#include <kevlar/time.h>
#include <kevlar/timer.h>

/* The armed timers of each clock. */
static struct timer_heap heaps[TIMER_NR_CLOCKS];
/*
 * Protects heaps and every timer's node and fired flag. Always irqsave:
 * the tick runs timers from its interrupt. It is let go while a timer's
 * function runs (the function may re-arm its timer, arm others and wake
 * tasks), with interrupts still off, so on one CPU nothing can cancel or
 * free the timer meanwhile; with several, a cancel will have to wait for
 * a function still running (#13).
 */
static DEFINE_SPINLOCK(timer_lock);

void timer_init(struct timer *t, enum timer_clock clock, void (*fn)(struct timer *), void *data)
{
	*t = (struct timer){ .clock = clock, .fn = fn, .data = data };
}

void timer_arm(struct timer *t, uint64_t expires)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);

	if (t->node.queued)
		timer_heap_remove(&heaps[t->clock], &t->node);
	t->fired = false;
	if (expires < TIME_NEVER) {
		t->node.key = expires;
		timer_heap_insert(&heaps[t->clock], &t->node);
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}

bool timer_cancel(struct timer *t)
{
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&timer_lock, flags);
	was = t->node.queued;
	if (was)
		timer_heap_remove(&heaps[t->clock], &t->node);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

uint64_t timer_clock_now(enum timer_clock clock)
{
	switch (clock) {
	case TIMER_REALTIME:
		return clock_realtime_ns();
	case TIMER_MONOTONIC:
	case TIMER_BOOTTIME:
	default:
		return clock_monotonic_ns();
	}
}

void timer_run_expired(void)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);

	for (int c = 0; c < TIMER_NR_CLOCKS; c++) {
		struct timer_heap *h = &heaps[c];
		uint64_t now;

		if (!timer_heap_min(h))
			continue;
		now = timer_clock_now(c);
		while (timer_heap_min(h) && timer_heap_min(h)->key <= now) {
			struct timer *t = container_of(timer_heap_min(h), struct timer, node);

			timer_heap_remove(h, &t->node);
			t->fired = true;
			spin_unlock(&timer_lock);
			t->fn(t);
			spin_lock(&timer_lock);
		}
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}

void timer_clock_was_set(void)
{
	timer_run_expired();
}

void timer_wake_task(struct timer *t)
{
	sched_wake(t->data);
}
