#ifndef KEVLAR_TIME_H
#define KEVLAR_TIME_H

#include <kevlar/types.h>
#include <kevlar/timer.h>

#define HZ 100              /* scheduler tick; also AT_CLKTCK / USER_HZ */
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL

/*
 * "No deadline": times and durations saturate here (INT64_MAX ns, about
 * 292 years, as Linux's KTIME_MAX), and a timer armed for it never fires.
 */
#define TIME_NEVER ((uint64_t)INT64_MAX)

struct timespec64;
struct timeval64;

/*
 * User times to nanoseconds, the one conversion every timeout goes
 * through (core/time_conv.c, pure: host-tested). -EINVAL when tv_sec < 0
 * or tv_nsec (tv_usec) is outside [0, 1e9) ([0, 1e6)); anything past
 * TIME_NEVER saturates to it, so a huge timeout means "until a signal".
 */
int timespec_to_ns(const struct timespec64 *ts, uint64_t *ns);
int timeval_to_ns(const struct timeval64 *tv, uint64_t *ns);
/* sec seconds + nsec nanoseconds, saturated at TIME_NEVER. */
uint64_t time_ns_sat(uint64_t sec, uint64_t nsec);
/* a + b, saturated at TIME_NEVER. */
uint64_t time_add_sat(uint64_t a, uint64_t b);
void ns_to_timespec(uint64_t ns, struct timespec64 *ts);
void ns_to_timeval(uint64_t ns, struct timeval64 *tv);

uint64_t clock_monotonic_ns(void);
/* Wall clock (core/wallclock.c): nanoseconds since the epoch. */
uint64_t clock_realtime_ns(void);
/* Set the wall clock; absolute REALTIME timers move with it. */
void clock_set_realtime_ns(uint64_t ns);
/* Boot: start the wall clock from the arch's hardware clock, if any. */
void clock_realtime_init(void);
/* Seconds since the epoch from the hardware clock, or -1 (none, unreadable). */
int64_t arch_rtc_read_seconds(void);
uint64_t time_jiffies(void);
/* Called from the timer interrupt: runs the timers whose time has come. */
void time_tick(void);

struct wait_queue;
/*
 * Sleep on wq (NULL: on nothing) until ready(arg) (NULL: never), a signal,
 * or clock reaching deadline (TIME_NEVER: no deadline): 0, -ERESTARTSYS
 * or -ETIMEDOUT. ready() runs with interrupts off.
 */
int wait_interruptible_until(struct wait_queue *wq, bool (*ready)(void *), void *arg,
			     enum timer_clock clock, uint64_t deadline);
/* The same with a CLOCK_MONOTONIC deadline, 0 meaning none. */
int wait_interruptible_deadline(struct wait_queue *wq, bool (*ready)(void *), void *arg,
				uint64_t deadline_ns);

#endif
