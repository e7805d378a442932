/*
 * Reading and setting the clocks: clock_gettime/getres/settime,
 * gettimeofday/settimeofday, time, sleeping on them (nanosleep,
 * clock_nanosleep), and the CPU-time reports times and getrusage.
 * REALTIME is the wall clock (wallclock.c), TAI the same (a TAI offset of
 * 0, Linux's default); the others count from boot, and the *_ALARM clocks
 * are their plain twins (we never suspend). times/getrusage report the
 * tick-sampled CPU times of cputime.c; the CPU-time clocks still read the
 * monotonic clock (ticks would give them 10 ms steps, which programs
 * timing short work mind more), and a CLOCK_PROCESS_CPUTIME_ID sleep
 * counts that clock too.
 */
#include <kevlar/cred.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

#define RUSAGE_SELF      0
#define RUSAGE_CHILDREN  (-1)
#define RUSAGE_THREAD    1

/* struct tms: four clock_t (long) in USER_HZ ticks. */
struct tms_user {
	int64_t utime, stime, cutime, cstime;
};

/* Linux's struct timezone; kept only to be read back. */
struct timezone_user {
	int32_t minuteswest, dsttime;
};

static struct timezone_user sys_tz;

static long clock_read(int clock, uint64_t *ns)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = clock_monotonic_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(int clock, struct timespec64 *tp)
{
	struct timespec64 ts;
	uint64_t ns;
	long err;

	if ((err = clock_read(clock, &ns)))
		return err;
	ts.tv_sec = ns / NSEC_PER_SEC;
	ts.tv_nsec = ns % NSEC_PER_SEC;
	return copy_to_user(tp, &ts, sizeof(ts));
}

long sys_clock_getres(int clock, struct timespec64 *res)
{
	struct timespec64 ts = { 0, 1 };
	uint64_t ns;

	if (clock_read(clock, &ns))
		return -EINVAL;
	return res ? copy_to_user(res, &ts, sizeof(ts)) : 0;
}

/* Setting the time needs CAP_SYS_TIME: root. */
static long set_realtime(const struct timespec64 *ts)
{
	uint64_t ns;

	if (!cred_is_root(current_task()))
		return -EPERM;
	/* A time the nanosecond clock cannot hold is EINVAL, as Linux's. */
	if (timespec_to_ns(ts, &ns) || ns >= TIME_NEVER)
		return -EINVAL;
	clock_set_realtime_ns(ns);
	return 0;
}

long sys_clock_settime(int clock, const struct timespec64 *tp)
{
	struct timespec64 ts;

	if (copy_from_user(&ts, tp, sizeof(ts)))
		return -EFAULT;
	if (clock != CLOCK_REALTIME)
		return -EINVAL;
	return set_realtime(&ts);
}

long sys_gettimeofday(struct timeval64 *tv, struct timezone_user *tz)
{
	uint64_t ns = clock_realtime_ns();
	struct timeval64 t = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000 };

	if (tv && copy_to_user(tv, &t, sizeof(t)))
		return -EFAULT;
	if (tz && copy_to_user(tz, &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

/* Either pointer may be NULL; both NULL does nothing (as Linux). */
long sys_settimeofday(const struct timeval64 *tv, const struct timezone_user *tz)
{
	struct timeval64 t;
	struct timezone_user z;
	struct timespec64 ts;
	long err;

	if (tv && copy_from_user(&t, tv, sizeof(t)))
		return -EFAULT;
	if (tz && copy_from_user(&z, tz, sizeof(z)))
		return -EFAULT;
	if (tv && (t.tv_usec < 0 || t.tv_usec >= 1000000))
		return -EINVAL;
	if ((tv || tz) && !cred_is_root(current_task()))
		return -EPERM;
	if (tz)
		sys_tz = z;
	if (!tv)
		return 0;
	ts.tv_sec = t.tv_sec;
	ts.tv_nsec = t.tv_usec * 1000;
	err = set_realtime(&ts);
	return err;
}

long sys_time(int64_t *tloc)
{
	int64_t now = clock_realtime_ns() / NSEC_PER_SEC;

	if (tloc && copy_to_user(tloc, &now, sizeof(now)))
		return -EFAULT;
	return now;
}

/* The return value is ticks since an arbitrary point (boot, here):
 * programs only subtract two of them. HZ is USER_HZ, so no conversion. */
long sys_times(struct tms_user *buf)
{
	struct cputime_pair self = cputime_group(current_task());
	struct cputime_pair children = cputime_children(current_task());
	struct tms_user t = { self.utime, self.stime, children.utime, children.stime };

	if (buf && copy_to_user(buf, &t, sizeof(t)))
		return -EFAULT;
	return time_jiffies();
}

long sys_getrusage(int who, void *usage)
{
	struct task *t = current_task();

	switch (who) {
	case RUSAGE_SELF:
		return cputime_put_rusage(usage, cputime_group(t));
	case RUSAGE_CHILDREN:
		return cputime_put_rusage(usage, cputime_children(t));
	case RUSAGE_THREAD:
		return cputime_put_rusage(usage, cputime_thread(t));
	default:
		return -EINVAL;
	}
}

/*
 * The timer clock a clock_nanosleep clock sleeps on: -EINVAL for clocks
 * that do not exist, -EOPNOTSUPP for ones Linux cannot sleep on (the
 * thread CPU-time clock, the raw and coarse clocks), as Linux 6.1 answers.
 */
static int sleep_clock(int clock, int flags, enum timer_clock *tc)
{
	switch (clock) {
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		/* Alarm clocks take only TIMER_ABSTIME and need CAP_WAKE_ALARM. */
		if (flags & ~TIMER_ABSTIME)
			return -EINVAL;
		if (!cred_is_root(current_task()))
			return -EPERM;
		*tc = clock == CLOCK_REALTIME_ALARM ? TIMER_REALTIME : TIMER_BOOTTIME;
		return 0;
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		*tc = TIMER_REALTIME;
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_PROCESS_CPUTIME_ID:
	case MAKE_PROCESS_CPUCLOCK(0, CPUCLOCK_SCHED):    /* glibc's CLOCK_PROCESS_CPUTIME_ID */
		*tc = TIMER_MONOTONIC;
		return 0;
	case CLOCK_BOOTTIME:
		*tc = TIMER_BOOTTIME;
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/*
 * Sleep until clock tc reaches the requested time (absolute) or for the
 * requested duration (relative: counted on the monotonic clock for
 * REALTIME/TAI, so setting the wall clock neither stretches nor cuts it).
 * A signal ends the sleep: the time left goes to *urem for relative
 * sleeps, and -ERESTARTNOHAND becomes EINTR if a handler runs, or a
 * restart of the whole request if not (Linux restarts with the remainder;
 * we start over, which only matters for SIGSTOP/SIGCONT of a relative sleep).
 */
static long sleep_on(enum timer_clock tc, bool absolute, const struct timespec64 *ureq,
		     struct timespec64 *urem)
{
	struct timespec64 req, rem;
	uint64_t ns, deadline, now;
	long err;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if ((err = timespec_to_ns(&req, &ns)))
		return err;
	if (absolute) {
		deadline = ns;
	} else {
		if (tc == TIMER_REALTIME)
			tc = TIMER_MONOTONIC;
		deadline = time_add_sat(timer_clock_now(tc), ns);
	}
	if (wait_interruptible_until(NULL, NULL, NULL, tc, deadline) != -ERESTARTSYS)
		return 0;
	if (absolute)
		return -ERESTARTNOHAND;
	now = timer_clock_now(tc);
	if (now >= deadline)
		return 0;               /* the time was up anyway: the sleep is complete */
	ns_to_timespec(deadline - now, &rem);
	if (urem && copy_to_user(urem, &rem, sizeof(rem)))
		return -EFAULT;
	return -ERESTARTNOHAND;
}

long sys_nanosleep(const struct timespec64 *req, struct timespec64 *rem)
{
	return sleep_on(TIMER_MONOTONIC, false, req, rem);
}

long sys_clock_nanosleep(int clock, int flags, const struct timespec64 *req,
			 struct timespec64 *rem)
{
	enum timer_clock tc;
	long err;

	if ((err = sleep_clock(clock, flags, &tc)))
		return err;
	return sleep_on(tc, flags & TIMER_ABSTIME, req, rem);
}
