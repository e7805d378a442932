/*
 * Sleeping mutexes (see kevlar/mutex.h). The owner field is the lock; on
 * one CPU it is read and changed with interrupts off, and a task that
 * finds it taken queues itself on the waiters before enabling interrupts
 * again, so the owner's wake-up cannot slip in between. With several CPUs
 * the owner and the queue need the wait queue's own spin lock instead.
 * Unlock wakes every waiter and the first to run takes the mutex; the
 * others find it taken and sleep again (contention is rare here).
 */
#include <kevlar/mutex.h>
#include <kevlar/arch.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <uapi/errno.h>

void mutex_init_named(struct mutex *m, const char *name)
{
	m->owner = NULL;
	wait_queue_init(&m->waiters);
	m->dep = (struct lockcheck_map)LOCKCHECK_MAP_INIT(name);
}

/* Interrupts are off. True if the current task now owns m. */
static bool take(struct mutex *m)
{
	if (m->owner)
		return false;
	m->owner = current_task();
	return true;
}

/* Interrupts are off. A statically initialised mutex gets its queue here. */
static struct wait_queue *waiters(struct mutex *m)
{
	if (!m->waiters.waiters.next)
		wait_queue_init(&m->waiters);
	return &m->waiters;
}

static int lock_common(struct mutex *m, bool interruptible, enum lock_kind kind,
		       const char *site)
{
	struct wait_entry we;
	int err = 0;

	/* In an interrupt handler the checker's in-irq report says it all. */
	if (!in_interrupt())
		might_sleep_at(site);
	if (lockcheck_enabled)
		lock_note_acquire(&m->dep, kind, false, site);
	for (;;) {
		unsigned long flags = arch_irq_save();

		if (take(m)) {
			arch_irq_restore(flags);
			break;
		}
		if (interruptible && current_signal_pending()) {
			arch_irq_restore(flags);
			err = -ERESTARTSYS;
			break;
		}
		wait_prepare(waiters(m), &we);
		wait_sleep(&we);
		arch_irq_restore(flags);
	}
	if (err && lockcheck_enabled)
		lock_note_release(&m->dep, site);
	return err;
}

void mutex_lock_at(struct mutex *m, const char *site)
{
	lock_common(m, false, LOCK_KIND_MUTEX, site);
}

int mutex_lock_interruptible_at(struct mutex *m, const char *site)
{
	return lock_common(m, true, LOCK_KIND_MUTEX, site);
}

bool mutex_trylock_at(struct mutex *m, const char *site)
{
	unsigned long flags = arch_irq_save();
	bool ok = take(m);

	arch_irq_restore(flags);
	if (ok && lockcheck_enabled)
		lock_note_acquire(&m->dep, LOCK_KIND_MUTEX, true, site);
	return ok;
}

/*
 * Releasing a mutex another task owns (or nobody) is a bug: it is reported
 * (by the checker with both sites, else once) and the mutex left as it is.
 */
void mutex_unlock_at(struct mutex *m, const char *site)
{
	static bool said;
	unsigned long flags;

	if (lockcheck_enabled)
		lock_note_release(&m->dep, site);
	if (m->owner != current_task()) {
		if (!lockcheck_enabled && !said)
			pr_warn("mutex: %s releases \"%s\", which it does not own (ignored)\n",
				site, m->dep.name);
		said = true;
		return;
	}
	flags = arch_irq_save();
	m->owner = NULL;
	wake_up_all(waiters(m));
	arch_irq_restore(flags);
}

bool mutex_held_by_current(const struct mutex *m)
{
	return m->owner != NULL && m->owner == current_task();
}

/*
 * A nesting mutex: the owner taking it again only counts (depth is read
 * and changed by the owner alone, so it needs no lock); the last unlock
 * releases the mutex. The checker sees every acquisition as
 * LOCK_KIND_NESTING and counts the nesting itself.
 */
void nesting_mutex_lock_at(struct nesting_mutex *n, const char *site)
{
	if (n->m.owner == current_task()) {
		n->depth++;
		if (lockcheck_enabled)
			lock_note_acquire(&n->m.dep, LOCK_KIND_NESTING, false, site);
		return;
	}
	lock_common(&n->m, false, LOCK_KIND_NESTING, site);
	n->depth = 1;
}

void nesting_mutex_unlock_at(struct nesting_mutex *n, const char *site)
{
	if (n->m.owner == current_task() && n->depth > 1) {
		n->depth--;
		if (lockcheck_enabled)
			lock_note_release(&n->m.dep, site);
		return;
	}
	if (n->m.owner == current_task())
		n->depth = 0;
	mutex_unlock_at(&n->m, site);   /* reports a release by a non-owner */
}
