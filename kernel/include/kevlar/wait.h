#ifndef KEVLAR_WAIT_H
#define KEVLAR_WAIT_H

/*
 * Wait queues (kernel/core/wait.c). A sleeper re-checks its condition
 * with interrupts off before sleeping, so a wake-up from an interrupt
 * handler between the check and the sleep is never lost.
 *
 * Waiting may sleep: callers hold no spin lock (nor fs_lock, which a
 * waker may need: see wait_event_interruptible_fs) and are not interrupt
 * handlers (might_wait reports it under kevlar.debug=locks).
 * The condition runs with interrupts off, so it must not sleep or take a
 * mutex either; waking up (wake_up_all) is allowed anywhere.
 */

#include <kevlar/list.h>
#include <kevlar/lockcheck.h>
#include <kevlar/signal.h>

struct task;

struct wait_queue {
	struct list_head waiters;
};

struct wait_entry {
	struct task *task;
	struct list_head link;
	unsigned long seen;             /* the task's wake-up count when last checked */
};

void wait_queue_init(struct wait_queue *wq);
void wake_up_all(struct wait_queue *wq);

/* Internals of wait_event; flags are from arch_irq_save. */
void wait_prepare(struct wait_queue *wq, struct wait_entry *we);
void wait_sleep(struct wait_entry *we);

/*
 * Waits whose condition cannot run with interrupts off (it needs a
 * sleeping lock, as wait_event_interruptible_fs's does): wait_add queues
 * the entry, the caller checks its condition however it must, then
 * wait_sleep_unless_woken sleeps only if no wake-up reached the task
 * since wait_add or since the last such sleep (every sched_wake counts
 * one: the queue's, a signal's, a timer's), so a wake-up between the
 * check and the sleep ends the sleep at once; wait_remove dequeues.
 * Interrupts on around all three.
 */
void wait_add(struct wait_queue *wq, struct wait_entry *we);
void wait_sleep_unless_woken(struct wait_entry *we);
void wait_remove(struct wait_entry *we);

#define wait_event(wq, cond) do {                                       \
	struct wait_entry _we;                                          \
	might_wait();                                                   \
	for (;;) {                                                      \
		unsigned long _f = arch_irq_save();                     \
		if (cond) {                                             \
			arch_irq_restore(_f);                           \
			break;                                          \
		}                                                       \
		wait_prepare((wq), &_we);                               \
		wait_sleep(&_we);                                       \
		arch_irq_restore(_f);                                   \
	}                                                               \
} while (0)

/* The current task has an unblocked signal pending (core/signal.c). */
bool current_signal_pending(void);

/*
 * Like wait_event, but a pending signal ends the wait too: evaluates to 0
 * when cond became true, -ERESTARTSYS when a signal interrupted (syscalls
 * return that as is; signal delivery turns it into EINTR or a restart).
 */
#define wait_event_interruptible(wq, cond) ({                           \
	struct wait_entry _we;                                          \
	int _ret = 0;                                                   \
	might_wait();                                                   \
	for (;;) {                                                      \
		unsigned long _f = arch_irq_save();                     \
		if (cond) {                                             \
			arch_irq_restore(_f);                           \
			break;                                          \
		}                                                       \
		if (current_signal_pending()) {                         \
			arch_irq_restore(_f);                           \
			_ret = -ERESTARTSYS;                            \
			break;                                          \
		}                                                       \
		wait_prepare((wq), &_we);                               \
		wait_sleep(&_we);                                       \
		arch_irq_restore(_f);                                   \
	}                                                               \
	_ret;                                                           \
})

#endif
