#ifndef KEVLAR_UAPI_TIME_H
#define KEVLAR_UAPI_TIME_H

#include <kevlar/types.h>

/* linux/time.h, linux/time_types.h (64-bit layouts). */
#define CLOCK_REALTIME              0
#define CLOCK_MONOTONIC             1
#define CLOCK_PROCESS_CPUTIME_ID    2
#define CLOCK_THREAD_CPUTIME_ID     3
#define CLOCK_MONOTONIC_RAW         4
#define CLOCK_REALTIME_COARSE       5
#define CLOCK_MONOTONIC_COARSE      6
#define CLOCK_BOOTTIME              7
#define CLOCK_REALTIME_ALARM        8
#define CLOCK_BOOTTIME_ALARM        9
#define CLOCK_TAI                   11

#define TIMER_ABSTIME               0x01

/*
 * Dynamic CPU-time clock ids (clock_getcpuclockid, linux/posix-timers.h):
 * ~pid << 3 | which, pid 0 meaning the caller's process.
 */
#define CPUCLOCK_SCHED              2
#define MAKE_PROCESS_CPUCLOCK(pid, which) ((int)(~(unsigned)(pid) << 3) | (which))

struct timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct timeval64 {
	int64_t tv_sec;
	int64_t tv_usec;
};

#endif
