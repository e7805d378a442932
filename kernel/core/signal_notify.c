/*
 * Signals the kernel sends by itself: SIGCHLD to a parent when a child
 * stops or continues (exit is in task_exit.c), and SIGALRM when an
 * ITIMER_REAL / alarm(2) timer expires.
 */
#include <kevlar/arch.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>

/* Tasks with an armed ITIMER_REAL, so the timer interrupt can skip the walk. */
static int armed_timers;

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

/* Caller has interrupts off. Returns the previous deadline. */
uint64_t signal_timer_arm(struct task *t, uint64_t deadline_ns, uint64_t interval_ns)
{
	uint64_t old = t->sig.itimer_deadline_ns;

	if (old && !deadline_ns)
		armed_timers--;
	else if (!old && deadline_ns)
		armed_timers++;
	t->sig.itimer_deadline_ns = deadline_ns;
	t->sig.itimer_interval_ns = interval_ns;
	return old;
}

/* Timer interrupt. */
void signal_timer_tick(uint64_t now_ns)
{
	struct task *t;

	if (!armed_timers)
		return;
	list_for_each_entry(t, &all_tasks, all_link) {
		uint64_t d = t->sig.itimer_deadline_ns;
		struct pending_info info = { .code = SI_TIMER };

		if (!d || d > now_ns || t->state == TASK_ZOMBIE)
			continue;
		if (t->sig.itimer_interval_ns)
			t->sig.itimer_deadline_ns = now_ns + t->sig.itimer_interval_ns;
		else
			signal_timer_arm(t, 0, 0);
		signal_send_process(t, SIGALRM, &info);
	}
}

/* exit: a dead task's timer must not keep the count up. */
void signal_timer_release(struct task *t)
{
	unsigned long flags = arch_irq_save();

	signal_timer_arm(t, 0, 0);
	arch_irq_restore(flags);
}
