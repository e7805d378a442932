/*
 * Reader-writer semaphores (see kevlar/rwsem.h). As for mutexes, the
 * counts are read and changed with interrupts off (one CPU; with several
 * they need the wait queue's spin lock), and a sleeper queues itself
 * before interrupts come back on, so a release's wake-up is never lost.
 * Releases wake every waiter; each re-checks whether it may go.
 */
#include <kevlar/rwsem.h>
#include <kevlar/arch.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>

void rwsem_init_named(struct rw_semaphore *s, const char *name)
{
	s->readers = 0;
	s->writer = NULL;
	s->writers_waiting = 0;
	wait_queue_init(&s->waiters);
	s->dep = (struct lockcheck_map)LOCKCHECK_MAP_INIT(name);
}

/* Interrupts are off. A statically initialised rwsem gets its queue here. */
static struct wait_queue *waiters(struct rw_semaphore *s)
{
	if (!s->waiters.waiters.next)
		wait_queue_init(&s->waiters);
	return &s->waiters;
}

/* Interrupts are off. A reader may go: no writer holds it or waits. */
static bool take_read(struct rw_semaphore *s)
{
	if (s->writer || s->writers_waiting)
		return false;
	s->readers++;
	return true;
}

static bool take_write(struct rw_semaphore *s)
{
	if (s->writer || s->readers)
		return false;
	s->writer = current_task();
	return true;
}

static void sleep_until(struct rw_semaphore *s, bool write)
{
	struct wait_entry we;

	for (;;) {
		unsigned long flags = arch_irq_save();

		if (write ? take_write(s) : take_read(s)) {
			arch_irq_restore(flags);
			return;
		}
		wait_prepare(waiters(s), &we);
		wait_sleep(&we);
		arch_irq_restore(flags);
	}
}

void down_read_at(struct rw_semaphore *s, const char *site)
{
	might_sleep_at(site);
	if (lockcheck_enabled)
		lock_note_acquire(&s->dep, LOCK_KIND_MUTEX, false, site);
	sleep_until(s, false);
}

void down_write_at(struct rw_semaphore *s, const char *site)
{
	unsigned long flags;

	might_sleep_at(site);
	if (lockcheck_enabled)
		lock_note_acquire(&s->dep, LOCK_KIND_MUTEX, false, site);
	flags = arch_irq_save();
	s->writers_waiting++;           /* from here new readers wait for us */
	arch_irq_restore(flags);
	sleep_until(s, true);
	flags = arch_irq_save();
	s->writers_waiting--;
	arch_irq_restore(flags);
}

static bool trylock(struct rw_semaphore *s, bool write, const char *site)
{
	unsigned long flags = arch_irq_save();
	bool ok = write ? take_write(s) : take_read(s);

	arch_irq_restore(flags);
	if (ok && lockcheck_enabled)
		lock_note_acquire(&s->dep, LOCK_KIND_MUTEX, true, site);
	return ok;
}

bool down_read_trylock_at(struct rw_semaphore *s, const char *site)
{
	return trylock(s, false, site);
}

bool down_write_trylock_at(struct rw_semaphore *s, const char *site)
{
	return trylock(s, true, site);
}

void up_read_at(struct rw_semaphore *s, const char *site)
{
	unsigned long flags;

	if (lockcheck_enabled)
		lock_note_release(&s->dep, site);
	flags = arch_irq_save();
	if (s->readers > 0 && --s->readers == 0)
		wake_up_all(waiters(s));
	arch_irq_restore(flags);
}

void up_write_at(struct rw_semaphore *s, const char *site)
{
	static bool said;
	unsigned long flags;

	if (lockcheck_enabled)
		lock_note_release(&s->dep, site);
	flags = arch_irq_save();
	if (s->writer == current_task()) {
		s->writer = NULL;
		wake_up_all(waiters(s));
	} else if (!lockcheck_enabled && !said) {
		said = true;
		pr_warn("rwsem: %s releases \"%s\" for writing, which it does not hold (ignored)\n",
			site, s->dep.name);
	}
	arch_irq_restore(flags);
}
