#ifndef KEVLAR_TIME_H
#define KEVLAR_TIME_H

#include <kevlar/types.h>

#define HZ 100              /* scheduler tick; also AT_CLKTCK / USER_HZ */
#define NSEC_PER_SEC 1000000000ULL

uint64_t clock_monotonic_ns(void);
/* Wall clock (core/wallclock.c): nanoseconds since the epoch. */
uint64_t clock_realtime_ns(void);
void clock_set_realtime_ns(uint64_t ns);
/* Boot: start the wall clock from the arch's hardware clock, if any. */
void clock_realtime_init(void);
/* Seconds since the epoch from the hardware clock, or -1 (none, unreadable). */
int64_t arch_rtc_read_seconds(void);
uint64_t time_jiffies(void);
/* Called from the timer interrupt: wakes sleepers whose time has come. */
void time_tick(void);
/* Sleep until clock_monotonic_ns() >= deadline (not interruptible). */
void time_sleep_until(uint64_t deadline_ns);
/* Same, but a signal ends it: 0, or -ERESTARTSYS. */
int time_sleep_until_interruptible(uint64_t deadline_ns);
/* The queue the timer tick wakes (poll timeouts). */
struct wait_queue *time_tick_queue(void);
/*
 * Sleep on wq until ready(arg), a signal, or the deadline (0: none):
 * 0, -ERESTARTSYS or -ETIMEDOUT. ready() runs with interrupts off.
 */
struct wait_queue;
int wait_interruptible_deadline(struct wait_queue *wq, bool (*ready)(void *), void *arg,
				uint64_t deadline_ns);

#endif
