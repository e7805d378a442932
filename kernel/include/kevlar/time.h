#ifndef KEVLAR_TIME_H
#define KEVLAR_TIME_H

#include <kevlar/types.h>

#define HZ 100              /* scheduler tick; also AT_CLKTCK / USER_HZ */
#define NSEC_PER_SEC 1000000000ULL

uint64_t clock_monotonic_ns(void);
uint64_t time_jiffies(void);
/* Called from the timer interrupt: wakes sleepers whose time has come. */
void time_tick(void);
/* Sleep (interruptibly, one day) until clock_monotonic_ns() >= deadline. */
void time_sleep_until(uint64_t deadline_ns);

#endif
