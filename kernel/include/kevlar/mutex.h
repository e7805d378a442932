#ifndef KEVLAR_MUTEX_H
#define KEVLAR_MUTEX_H

/*
 * Sleeping locks (kernel/core/mutex.c), for sections that may sleep or
 * run long: a task that finds the mutex taken sleeps on its wait queue
 * until the owner releases it.
 *
 *   static struct mutex foo_mutex = MUTEX_INIT(foo_mutex);   (or "name")
 *   mutex_init(&obj->mutex);                                 (or , "name")
 *   mutex_lock(&m) ... mutex_unlock(&m);
 *   if ((err = mutex_lock_interruptible(&m))) return err;    (-ERESTARTSYS)
 *
 * Rules: only tasks take mutexes (never interrupt handlers), never with a
 * spin lock held or interrupts off (mutex_lock may sleep: might_sleep checks);
 * the owner releases it; not recursive. The owner may sleep while holding
 * it. No wake-up is lost: the owner check and the sleep happen with
 * interrupts off (one CPU), as wait_event's condition does.
 */

#include <kevlar/types.h>
#include <kevlar/lockcheck.h>
#include <kevlar/wait.h>

struct task;

struct mutex {
	struct task *owner;             /* NULL when free; changed with interrupts off */
	struct wait_queue waiters;      /* tasks sleeping in mutex_lock (zero: not set up yet) */
	struct lockcheck_map dep;
};

/*
 * The class name is the argument spelled out (MUTEX_INIT(foo_mutex) or
 * MUTEX_INIT("foo")). The wait queue of a static mutex is set up on first
 * contention, so the initialiser needs no address.
 */
#define MUTEX_INIT(name) { .owner = NULL, .dep = LOCKCHECK_MAP_INIT(#name) }
#define DEFINE_MUTEX(name) struct mutex name = MUTEX_INIT(name)

void mutex_init_named(struct mutex *m, const char *name);
#define MUTEX_INIT_PICK_(_1, _2, f, ...) f
#define mutex_init(...) MUTEX_INIT_PICK_(__VA_ARGS__, mutex_init_named, MUTEX_INIT_ONE_)(__VA_ARGS__)
#define MUTEX_INIT_ONE_(m) mutex_init_named((m), #m)

void mutex_lock_at(struct mutex *m, const char *site);
/* 0, or -ERESTARTSYS when a signal came first (the syscall restarts or fails EINTR). */
int mutex_lock_interruptible_at(struct mutex *m, const char *site);
/* Take it if free: true on success. Never sleeps. */
bool mutex_trylock_at(struct mutex *m, const char *site);
void mutex_unlock_at(struct mutex *m, const char *site);

#define mutex_lock(m)                  mutex_lock_at((m), LOCK_SITE)
#define mutex_lock_interruptible(m)    mutex_lock_interruptible_at((m), LOCK_SITE)
#define mutex_trylock(m)               mutex_trylock_at((m), LOCK_SITE)
#define mutex_unlock(m)                mutex_unlock_at((m), LOCK_SITE)

static inline bool mutex_is_locked(const struct mutex *m)
{
	return m->owner != NULL;
}

/* The calling task owns m (for assertions: BUG_ON(!mutex_held_by_current(&m))). */
bool mutex_held_by_current(const struct mutex *m);

/*
 * A mutex its owner may take again (fs_lock): every lock needs its unlock,
 * and the last unlock releases it. Otherwise a mutex: it may sleep, the
 * owner may sleep holding it, interrupt handlers never take it.
 */
struct nesting_mutex {
	struct mutex m;
	unsigned depth;                 /* the owner's lock calls not yet unlocked */
};

#define NESTING_MUTEX_INIT(name) { .m = MUTEX_INIT(name), .depth = 0 }

void nesting_mutex_lock_at(struct nesting_mutex *n, const char *site);
void nesting_mutex_unlock_at(struct nesting_mutex *n, const char *site);

#endif
