/*
 * Converting user times to nanoseconds and back (kevlar/time.h). Pure
 * arithmetic, host-tested: every timeout in the kernel goes through here,
 * so a huge timespec saturates in one place instead of overflowing in many.
 */
#include <kevlar/time.h>
#include <uapi/errno.h>
#include <uapi/time.h>

uint64_t time_ns_sat(uint64_t sec, uint64_t nsec)
{
	if (sec >= TIME_NEVER / NSEC_PER_SEC)
		return TIME_NEVER;
	return time_add_sat(sec * NSEC_PER_SEC, nsec);
}

uint64_t time_add_sat(uint64_t a, uint64_t b)
{
	if (a >= TIME_NEVER || b >= TIME_NEVER - a)
		return TIME_NEVER;
	return a + b;
}

int timespec_to_ns(const struct timespec64 *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = time_ns_sat((uint64_t)ts->tv_sec, (uint64_t)ts->tv_nsec);
	return 0;
}

int timeval_to_ns(const struct timeval64 *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
		return -EINVAL;
	*ns = time_ns_sat((uint64_t)tv->tv_sec, (uint64_t)tv->tv_usec * NSEC_PER_USEC);
	return 0;
}

void ns_to_timespec(uint64_t ns, struct timespec64 *ts)
{
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
}

void ns_to_timeval(uint64_t ns, struct timeval64 *tv)
{
	tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
}
