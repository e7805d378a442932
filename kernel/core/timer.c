/*
 * Timers on three clocks (kevlar/timer.h). One heap per clock; the tick
 * compares each heap's earliest expiry with that clock's time and runs
 * what is due, so its cost is the number of timers that fire, not the
 * number armed.
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/time.h>
#include <kevlar/timer.h>

/* The armed timers of each clock. Lock: interrupts off (see timer.h). */
static struct timer_heap heaps[TIMER_NR_CLOCKS];

void timer_init(struct timer *t, enum timer_clock clock, void (*fn)(struct timer *), void *data)
{
	*t = (struct timer){ .clock = clock, .fn = fn, .data = data };
}

void timer_arm(struct timer *t, uint64_t expires)
{
	unsigned long flags = arch_irq_save();

	if (t->node.queued)
		timer_heap_remove(&heaps[t->clock], &t->node);
	t->fired = false;
	if (expires < TIME_NEVER) {
		t->node.key = expires;
		timer_heap_insert(&heaps[t->clock], &t->node);
	}
	arch_irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
	unsigned long flags = arch_irq_save();
	bool was = t->node.queued;

	if (was)
		timer_heap_remove(&heaps[t->clock], &t->node);
	arch_irq_restore(flags);
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
	unsigned long flags = arch_irq_save();

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
			t->fn(t);
		}
	}
	arch_irq_restore(flags);
}

void timer_clock_was_set(void)
{
	timer_run_expired();
}

void timer_wake_task(struct timer *t)
{
	sched_wake(t->data);
}
