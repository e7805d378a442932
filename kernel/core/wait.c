/*
 * Wait queues. All list manipulation happens with interrupts off: that is
 * the lock (one CPU), and it is what makes check-then-sleep race free.
 */
#include <kevlar/wait.h>
#include <kevlar/arch.h>
#include <kevlar/sched.h>

void wait_queue_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

/* Caller has interrupts off. */
void wait_prepare(struct wait_queue *wq, struct wait_entry *we)
{
	struct task *t = current_task();

	we->task = t;
	list_add_tail(&we->link, &wq->waiters);
	t->state = TASK_SLEEPING;
}

/* Caller has interrupts off; they are off again on return. */
void wait_sleep(struct wait_entry *we)
{
	schedule();
	list_del(&we->link);
}

void wake_up_all(struct wait_queue *wq)
{
	unsigned long flags = arch_irq_save();
	struct wait_entry *we;

	list_for_each_entry(we, &wq->waiters, link)
		sched_wake(we->task);
	arch_irq_restore(flags);
}

void wait_add(struct wait_queue *wq, struct wait_entry *we)
{
	unsigned long flags = arch_irq_save();
	struct task *t = current_task();

	we->task = t;
	we->seen = t->wakeups;
	list_add_tail(&we->link, &wq->waiters);
	arch_irq_restore(flags);
}

void wait_sleep_unless_woken(struct wait_entry *we)
{
	unsigned long flags = arch_irq_save();
	struct task *t = current_task();

	if (t->wakeups == we->seen) {
		t->state = TASK_SLEEPING;
		schedule();
	}
	we->seen = t->wakeups;
	arch_irq_restore(flags);
}

void wait_remove(struct wait_entry *we)
{
	unsigned long flags = arch_irq_save();

	list_del(&we->link);
	arch_irq_restore(flags);
}
