/*
 * Reading and setting the clocks: clock_gettime/getres/settime,
 * gettimeofday/settimeofday, time, and the CPU-time reports times and
 * getrusage. REALTIME is the wall clock (wallclock.c); the others count
 * from boot. times/getrusage report the tick-sampled CPU times of
 * cputime.c; the CPU-time clocks still read the monotonic clock (ticks
 * would give them 10 ms steps, which programs timing short work mind more).
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
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
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

	if (clock < 0 || clock > CLOCK_BOOTTIME)
		return -EINVAL;
	return res ? copy_to_user(res, &ts, sizeof(ts)) : 0;
}

/* Setting the time needs CAP_SYS_TIME: root. */
static long set_realtime(const struct timespec64 *ts)
{
	if (!cred_is_root(current_task()))
		return -EPERM;
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	clock_set_realtime_ns(ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec);
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
