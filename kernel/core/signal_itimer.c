/*
 * ITIMER_REAL and alarm(2): one per process, counted in the monotonic
 * clock, a timer (signal_notify.c) that sends SIGALRM on expiry.
 * ITIMER_VIRTUAL and ITIMER_PROF need CPU-time accounting we do not have:
 * -EINVAL. Huge values saturate (kevlar/time.h): armed, never expiring.
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/time.h>

#define ITIMER_REAL 0

struct itimerval64 {
	struct timeval64 it_interval;
	struct timeval64 it_value;
};

/* Current setting; interrupts off. */
static void read_timer(struct task *t, struct itimerval64 *v)
{
	uint64_t now = clock_monotonic_ns(), d = signal_timer_deadline(t);

	ns_to_timeval(d ? (d > now ? d - now : NSEC_PER_USEC) : 0, &v->it_value);
	ns_to_timeval(t->sig.itimer_interval_ns, &v->it_interval);
}

long sys_getitimer(int which, struct itimerval64 *ucur)
{
	struct itimerval64 v;
	unsigned long flags;

	if (which != ITIMER_REAL)
		return -EINVAL;
	flags = arch_irq_save();
	read_timer(current_task(), &v);
	arch_irq_restore(flags);
	return copy_to_user(ucur, &v, sizeof(v)) ? -EFAULT : 0;
}

long sys_setitimer(int which, const struct itimerval64 *unew, struct itimerval64 *uold)
{
	struct task *t = current_task();
	struct itimerval64 v = { 0 }, old;
	unsigned long flags;
	uint64_t value, interval;

	if (which != ITIMER_REAL)
		return -EINVAL;
	if (unew && copy_from_user(&v, unew, sizeof(v)))
		return -EFAULT;
	if (timeval_to_ns(&v.it_value, &value) || timeval_to_ns(&v.it_interval, &interval))
		return -EINVAL;
	flags = arch_irq_save();
	read_timer(t, &old);
	if (unew)
		signal_timer_arm(t, value ? time_add_sat(clock_monotonic_ns(), value) : 0,
				 value ? interval : 0);
	arch_irq_restore(flags);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_alarm(unsigned seconds)
{
	struct task *t = current_task();
	struct itimerval64 old;
	unsigned long flags = arch_irq_save();
	long left;

	read_timer(t, &old);
	signal_timer_arm(t, seconds ? time_add_sat(clock_monotonic_ns(), time_ns_sat(seconds, 0)) : 0,
			 0);
	arch_irq_restore(flags);
	/* Linux rounds the remainder to the nearest second, but never to 0 while armed. */
	left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	if (!left && old.it_value.tv_usec)
		left = 1;
	return left;
}
