/*
 * The lock checker's kernel side (kevlar.debug=locks; the bookkeeping is
 * core/lockcheck_graph.c). It picks the context whose held locks an event
 * belongs to: the interrupted task's own stack would mix an interrupt
 * handler's short spin locks into the task's order, so handlers get one
 * stack of their own (they never nest: interrupts stay off inside). The
 * checker's tables are shared by every context: each call runs with
 * interrupts off, which on one CPU is their lock.
 */
#include <kevlar/lockcheck.h>
#include <kevlar/arch.h>
#include <kevlar/backtrace.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/spinlock.h>

bool lockcheck_enabled;

static struct lockcheck_ctx irq_ctx;    /* interrupt handlers' held locks */

static struct lockcheck_ctx *current_ctx(void)
{
	return in_interrupt() ? &irq_ctx : &current_task()->lockcheck;
}

/* From this function's own frame, which stays live during the walk. */
void lockcheck_dump_stack(void)
{
	backtrace_print((uint64_t)__builtin_frame_address(0));
}

void lock_note_acquire(struct lockcheck_map *map, enum lock_kind kind, bool trylock,
		       const char *site)
{
	unsigned long flags;

	if (!lockcheck_enabled)
		return;
	flags = arch_irq_save();
	if (in_interrupt())
		lockcheck_in_irq(map, kind, site);
	lockcheck_acquire(current_ctx(), map, kind, trylock, site);
	arch_irq_restore(flags);
}

void lock_note_release(struct lockcheck_map *map, const char *site)
{
	unsigned long flags;

	if (!lockcheck_enabled)
		return;
	flags = arch_irq_save();
	lockcheck_release(current_ctx(), map, site);
	arch_irq_restore(flags);
}

void might_sleep_at(const char *site)
{
	unsigned long flags;
	bool irqs_were_on;

	if (!lockcheck_enabled)
		return;
	irqs_were_on = arch_irqs_enabled();
	flags = arch_irq_save();
	lockcheck_sleep(current_ctx(), site, current_task()->preempt_count, in_interrupt(),
			!irqs_were_on);
	arch_irq_restore(flags);
}

void might_wait_at(const char *site)
{
	unsigned long flags;

	if (!lockcheck_enabled)
		return;
	might_sleep_at(site);
	flags = arch_irq_save();
	lockcheck_wait(current_ctx(), site);
	arch_irq_restore(flags);
}

void lockcheck_syscall_exit(const char *name)
{
	unsigned long flags;

	if (!lockcheck_enabled)
		return;
	flags = arch_irq_save();
	lockcheck_user_return(current_ctx(), name, current_task()->preempt_count);
	arch_irq_restore(flags);
}

/* Interrupts are off (schedule turns them off itself). The sleep's site is in the backtrace. */
void lockcheck_schedule_sleep(void)
{
	if (lockcheck_enabled)
		lockcheck_sleep(current_ctx(), NULL, current_task()->preempt_count,
				in_interrupt(), false);
}

void spin_lock_deadlock(spinlock_t *l, const char *site)
{
	panic("spin lock \"%s\" taken at %s is already held on this CPU: deadlock "
	      "(recursion, or an interrupt handler taking a lock held without irqsave)",
	      l->dep.name, site);
}
