/*
 * Signals the kernel sends by itself: SIGCHLD to a parent when a child
 * stops or continues (exit is in task_exit.c), and SIGALRM when an
 * ITIMER_REAL / alarm(2) timer expires: each process's timer is a
 * MONOTONIC timer (core/timer.c), so the tick only looks at the earliest.
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/time.h>
#include <kevlar/timer.h>

void signal_notify_parent_stop(struct task *t, int why, int sig)
{
	struct task *p = t->parent;
	struct pending_info info = {
		.code = why, .pid = t->pid, .uid = t->cred.uid, .status = sig,
	};

	if (!p)
		return;
	wake_up_all(&p->child_exit);
	if (!(p->sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		signal_send_process(p, SIGCHLD, &info);
}

/* The tick, interrupts off: SIGALRM, and the next period for setitimer's interval. */
static void itimer_expired(struct timer *tm)
{
	struct task *t = tm->data;
	struct pending_info info = { .code = SI_TIMER };

	if (t->state == TASK_ZOMBIE)
		return;
	if (t->sig.itimer_interval_ns)
		timer_arm(tm, time_add_sat(clock_monotonic_ns(), t->sig.itimer_interval_ns));
	signal_send_process(t, SIGALRM, &info);
}

uint64_t signal_timer_deadline(const struct task *t)
{
	return timer_armed(&t->sig.itimer) ? t->sig.itimer.node.key : 0;
}

/* Caller has interrupts off. Returns the previous deadline. */
uint64_t signal_timer_arm(struct task *t, uint64_t deadline_ns, uint64_t interval_ns)
{
	struct timer *tm = &t->sig.itimer;
	uint64_t old = signal_timer_deadline(t);

	if (!tm->fn)
		timer_init(tm, TIMER_MONOTONIC, itimer_expired, t);
	t->sig.itimer_interval_ns = interval_ns;
	/* A saturated deadline stays armed (getitimer reports it), just never comes. */
	if (deadline_ns)
		timer_arm(tm, MIN(deadline_ns, TIME_NEVER - 1));
	else
		timer_cancel(tm);
	return old;
}

/* exit: a dead task's timer must not keep the count up. */
void signal_timer_release(struct task *t)
{
	unsigned long flags = arch_irq_save();

	signal_timer_arm(t, 0, 0);
	arch_irq_restore(flags);
}
