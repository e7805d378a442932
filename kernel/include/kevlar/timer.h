#ifndef KEVLAR_TIMER_H
#define KEVLAR_TIMER_H

/*
 * Timers (core/timer.c): "call fn when clock reaches expires". Each clock
 * has its own heap (kevlar/timer_heap.h), so the tick only looks at the
 * earliest expiry of each clock, never at every sleeper. A REALTIME timer
 * expires when the wall clock reaches its time, however the clock was set
 * meanwhile (clock_settime forward past it: it fires at once; back: later),
 * as Linux's absolute CLOCK_REALTIME timers do. Relative waits belong on
 * MONOTONIC, which never jumps. BOOTTIME is MONOTONIC here (no suspend),
 * kept apart so callers say what they mean.
 *
 * Resolution is the tick (HZ): a timer fires at the first tick at or
 * after its expiry, never before.
 *
 * Lock: timer_lock (core/timer.c, irqsave) protects the heaps and every
 * armed timer's fields; a timer's function runs without it, interrupts off.
 */

#include <kevlar/timer_heap.h>
#include <kevlar/types.h>

enum timer_clock {
	TIMER_MONOTONIC,
	TIMER_REALTIME,
	TIMER_BOOTTIME,
	TIMER_NR_CLOCKS,
};

struct timer {
	struct heap_node node;          /* node.key: the expiry on clock */
	enum timer_clock clock;
	bool fired;                     /* expired since it was last armed */
	/* Runs from the tick (or clock_settime) with interrupts off; may re-arm t. */
	void (*fn)(struct timer *t);
	void *data;
};

void timer_init(struct timer *t, enum timer_clock clock, void (*fn)(struct timer *), void *data);
/*
 * (Re)arm t to fire when its clock reaches expires (already passed: at the
 * next tick). TIME_NEVER (kevlar/time.h) leaves it disarmed: it never fires.
 * Never allocates; any context.
 */
void timer_arm(struct timer *t, uint64_t expires);
/* Disarm; true if it was armed. */
bool timer_cancel(struct timer *t);

static inline bool timer_armed(const struct timer *t)
{
	return t->node.queued;
}

/* The clock a timer of this kind counts in, now. */
uint64_t timer_clock_now(enum timer_clock clock);

/* The tick: run every timer whose expiry has come, earliest first. */
void timer_run_expired(void);
/* The wall clock was set: REALTIME timers now due fire without waiting for a tick. */
void timer_clock_was_set(void);

/* A timer callback: wake the task in t->data. */
void timer_wake_task(struct timer *t);

#endif
