/*
 * ITIMER_REAL and alarm(2): one per process, counted in the monotonic
 * clock, checked by the timer interrupt (signal_notify.c), SIGALRM on
 * expiry. ITIMER_VIRTUAL and ITIMER_PROF need CPU-time accounting we do
 * not have: -EINVAL.
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
#define NSEC_PER_USEC 1000ULL

struct itimerval64 {
	struct timeval64 it_interval;
	struct timeval64 it_value;
};

static uint64_t tv_to_ns(const struct timeval64 *tv)
{
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * NSEC_PER_USEC;
}

static void ns_to_tv(uint64_t ns, struct timeval64 *tv)
{
	tv->tv_sec = ns / NSEC_PER_SEC;
	tv->tv_usec = ns % NSEC_PER_SEC / NSEC_PER_USEC;
}

/* Current setting; interrupts off. */
static void read_timer(struct task *t, struct itimerval64 *v)
{
	uint64_t now = clock_monotonic_ns(), d = t->sig.itimer_deadline_ns;

	ns_to_tv(d ? (d > now ? d - now : NSEC_PER_USEC) : 0, &v->it_value);
	ns_to_tv(t->sig.itimer_interval_ns, &v->it_interval);
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
	uint64_t value;

	if (which != ITIMER_REAL)
		return -EINVAL;
	if (unew && copy_from_user(&v, unew, sizeof(v)))
		return -EFAULT;
	if (v.it_value.tv_sec < 0 || v.it_value.tv_usec < 0 || v.it_value.tv_usec >= 1000000 ||
	    v.it_interval.tv_sec < 0 || v.it_interval.tv_usec < 0 ||
	    v.it_interval.tv_usec >= 1000000)
		return -EINVAL;
	value = tv_to_ns(&v.it_value);
	flags = arch_irq_save();
	read_timer(t, &old);
	if (unew)
		signal_timer_arm(t, value ? clock_monotonic_ns() + value : 0,
				 value ? tv_to_ns(&v.it_interval) : 0);
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
	signal_timer_arm(t, seconds ? clock_monotonic_ns() + seconds * NSEC_PER_SEC : 0, 0);
	arch_irq_restore(flags);
	/* Linux rounds the remainder to the nearest second, but never to 0 while armed. */
	left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	if (!left && old.it_value.tv_usec)
		left = 1;
	return left;
}
