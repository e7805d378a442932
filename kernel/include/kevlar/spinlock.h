#ifndef KEVLAR_SPINLOCK_H
#define KEVLAR_SPINLOCK_H

/*
 * Spin locks: short critical sections that never sleep.
 *
 *   static spinlock_t foo_lock = SPINLOCK_INIT(foo_lock);   (or "name")
 *   spin_lock_init(&obj->lock);                             (or , "name")
 *
 *   unsigned long flags;
 *   spin_lock_irqsave(&foo_lock, flags);   - data also touched by interrupt handlers
 *   spin_unlock_irqrestore(&foo_lock, flags);
 *   spin_lock(&foo_lock); spin_unlock(&foo_lock);  - task context only: preemption off
 *
 * On our one CPU the exclusion is the interrupt mask (irqsave) or the
 * per-task preempt count (spin_lock); the flag is still taken with an
 * atomic test-and-set, so with several CPUs this is a real spin lock, and
 * here a lock found taken is a certain deadlock (the holder is this CPU),
 * reported and fatal. Holding one forbids sleeping (might_sleep checks it).
 * The name is the lock's class for the checker (kevlar/lockcheck.h):
 * locks initialised with the same name are ordered as one.
 */

#include <kevlar/types.h>
#include <kevlar/lockcheck.h>

typedef struct spinlock {
	volatile bool locked;           /* the atomic flag */
	struct lockcheck_map dep;
} spinlock_t;

/*
 * The class name is the argument spelled out: SPINLOCK_INIT(foo_lock) names
 * it "foo_lock"; SPINLOCK_INIT("foo") works too (the checker drops the quotes).
 */
#define SPINLOCK_INIT(name) { .locked = false, .dep = LOCKCHECK_MAP_INIT(#name) }
/* static DEFINE_SPINLOCK(foo_lock); is the same as the first line above. */
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT(name)

static inline void spin_lock_init_named(spinlock_t *l, const char *name)
{
	l->locked = false;
	l->dep = (struct lockcheck_map)LOCKCHECK_MAP_INIT(name);
}

/* spin_lock_init(&l) names the class after the expression; spin_lock_init(&l, "name"). */
#define SPIN_INIT_PICK_(_1, _2, f, ...) f
#define spin_lock_init(...) \
	SPIN_INIT_PICK_(__VA_ARGS__, spin_lock_init_named, SPIN_INIT_ONE_)(__VA_ARGS__)
#define SPIN_INIT_ONE_(l) spin_lock_init_named((l), #l)

/* Provided by the arch (interrupt mask) and the scheduler (preempt count). */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void preempt_disable(void);
void preempt_enable(void);
/* A spin lock found taken on one CPU: report and stop (core/lockcheck.c). */
__attribute__((noreturn)) void spin_lock_deadlock(spinlock_t *l, const char *site);

static inline void spin_acquire_(spinlock_t *l, const char *site)
{
	while (__atomic_test_and_set(&l->locked, __ATOMIC_ACQUIRE)) {
#ifndef KEVLAR_SMP
		spin_lock_deadlock(l, site);
#endif
	}
	if (unlikely(lockcheck_enabled))
		lock_note_acquire(&l->dep, LOCK_KIND_SPIN, false, site);
}

static inline void spin_release_(spinlock_t *l, const char *site)
{
	if (unlikely(lockcheck_enabled))
		lock_note_release(&l->dep, site);
	__atomic_clear(&l->locked, __ATOMIC_RELEASE);
}

static inline void spin_lock_at(spinlock_t *l, const char *site)
{
	preempt_disable();
	spin_acquire_(l, site);
}

static inline void spin_unlock_at(spinlock_t *l, const char *site)
{
	spin_release_(l, site);
	preempt_enable();
}

static inline unsigned long spin_lock_irqsave_at(spinlock_t *l, const char *site)
{
	unsigned long flags = arch_irq_save();

	preempt_disable();
	spin_acquire_(l, site);
	return flags;
}

static inline void spin_unlock_irqrestore_at(spinlock_t *l, unsigned long flags,
					     const char *site)
{
	spin_release_(l, site);
	preempt_enable();
	arch_irq_restore(flags);
}

#define spin_lock(l)                     spin_lock_at((l), LOCK_SITE)
#define spin_unlock(l)                   spin_unlock_at((l), LOCK_SITE)
#define spin_lock_irqsave(l, flags)      ((flags) = spin_lock_irqsave_at((l), LOCK_SITE))
#define spin_unlock_irqrestore(l, flags) spin_unlock_irqrestore_at((l), (flags), LOCK_SITE)

static inline bool spin_is_locked(const spinlock_t *l)
{
	return l->locked;
}

#endif
