#ifndef KEVLAR_RWSEM_H
#define KEVLAR_RWSEM_H

/*
 * Reader-writer semaphores (kernel/core/rwsem.c): sleeping locks that any
 * number of readers hold together, or one writer alone. For data read
 * far more often than changed, where readers may sleep.
 *
 *   static struct rw_semaphore foo_rwsem = RWSEM_INIT(foo_rwsem);  (or "name")
 *   rwsem_init(&obj->rwsem);                                      (or , "name")
 *   down_read(&s) ... up_read(&s);   down_write(&s) ... up_write(&s);
 *
 * A waiting writer goes first: new readers wait behind it, so readers
 * cannot starve writers. Same rules as a mutex: tasks only, never with a
 * spin lock or fs_lock held, not recursive (a read inside a read can
 * deadlock against a writer waiting in between), released by the holder.
 * The checker orders readers and writers as one class.
 */

#include <kevlar/types.h>
#include <kevlar/lockcheck.h>
#include <kevlar/wait.h>

struct task;

struct rw_semaphore {
	int readers;                    /* readers holding it; changed with interrupts off */
	struct task *writer;            /* the writer holding it, or NULL */
	int writers_waiting;            /* writers sleeping in down_write */
	struct wait_queue waiters;      /* readers and writers (zero: not set up yet) */
	struct lockcheck_map dep;
};

#define RWSEM_INIT(name) { .readers = 0, .writer = NULL, .dep = LOCKCHECK_MAP_INIT(#name) }

void rwsem_init_named(struct rw_semaphore *s, const char *name);
#define RWSEM_INIT_PICK_(_1, _2, f, ...) f
#define rwsem_init(...) RWSEM_INIT_PICK_(__VA_ARGS__, rwsem_init_named, RWSEM_INIT_ONE_)(__VA_ARGS__)
#define RWSEM_INIT_ONE_(s) rwsem_init_named((s), #s)

void down_read_at(struct rw_semaphore *s, const char *site);
void down_write_at(struct rw_semaphore *s, const char *site);
/* Never sleep: true when taken. */
bool down_read_trylock_at(struct rw_semaphore *s, const char *site);
bool down_write_trylock_at(struct rw_semaphore *s, const char *site);
void up_read_at(struct rw_semaphore *s, const char *site);
void up_write_at(struct rw_semaphore *s, const char *site);

#define down_read(s)          down_read_at((s), LOCK_SITE)
#define down_write(s)         down_write_at((s), LOCK_SITE)
#define down_read_trylock(s)  down_read_trylock_at((s), LOCK_SITE)
#define down_write_trylock(s) down_write_trylock_at((s), LOCK_SITE)
#define up_read(s)            up_read_at((s), LOCK_SITE)
#define up_write(s)           up_write_at((s), LOCK_SITE)

static inline bool rwsem_is_locked(const struct rw_semaphore *s)
{
	return s->readers > 0 || s->writer != NULL;
}

#endif
