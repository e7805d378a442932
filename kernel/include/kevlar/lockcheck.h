#ifndef KEVLAR_LOCKCHECK_H
#define KEVLAR_LOCKCHECK_H

/*
 * The lock checker (kevlar.debug=locks). Every lock embeds a
 * struct lockcheck_map naming its class; locks initialised with the same
 * name share a class. When the checker is on, each acquisition and
 * release is noted on the current context's stack of held locks (per
 * task, plus one for interrupt handlers), and the checker reports with a
 * printk warning and a backtrace, once per site or pair:
 *   - a lock order inversion: class B taken while holding A after A was
 *     once taken while holding B (both pairs of code sites are named);
 *   - sleeping (or calling might_sleep) with a spin lock held, with
 *     preemption or interrupts disabled, or in an interrupt handler;
 *   - a mutex or fs_lock taken by an interrupt handler;
 *   - releasing a lock the context does not hold;
 *   - a syscall returning to user space with a lock held or preemption off;
 *   - taking a non-recursive lock the context already holds.
 * The kernel keeps running after a report. The bookkeeping (class table,
 * order graph, held stacks: core/lockcheck_graph.c) compiles for the host
 * and is unit-tested there; core/lockcheck.c connects it to tasks.
 *
 * Only direct pairs are checked (A->B against B->A), not longer cycles;
 * two instances of one class nested in each other are not ordered.
 */

#include <kevlar/types.h>

/* "file:line" of the macro's caller: the code site a report names. */
#define LOCK_STRINGIFY_(x) #x
#define LOCK_STRINGIFY(x)  LOCK_STRINGIFY_(x)
#define LOCK_SITE          (__FILE__ ":" LOCK_STRINGIFY(__LINE__))

/* What a held lock forbids and allows. */
enum lock_kind {
	LOCK_KIND_SPIN,         /* no sleeping; not recursive */
	LOCK_KIND_NESTING,      /* a nesting mutex (fs_lock): may sleep; its owner may take it again */
	LOCK_KIND_MUTEX,        /* may sleep; not recursive */
};

/* The checker's view of one lock, embedded in it. */
struct lockcheck_map {
	const char *name;       /* the class name */
	int class_id;           /* 0 until first looked up, then 1 + index */
};

#define LOCKCHECK_MAP_INIT(n) { .name = (n), .class_id = 0 }

#define LOCKCHECK_MAX_HELD 12

struct lockcheck_held {
	struct lockcheck_map *map;
	const char *site;       /* where it was taken */
	uint16_t kind;          /* enum lock_kind */
	uint16_t count;         /* recursion depth (LOCK_KIND_NESTING only) */
};

/* The locks one context (a task, or interrupt handlers) holds, in order. */
struct lockcheck_ctx {
	struct lockcheck_held held[LOCKCHECK_MAX_HELD];
	int depth;
	int untracked;          /* acquisitions past LOCKCHECK_MAX_HELD */
};

/* ---- the core (core/lockcheck_graph.c): pure bookkeeping, host-testable ---- */

/* A lock was taken (trylock: it cannot deadlock, so no order is checked). */
void lockcheck_acquire(struct lockcheck_ctx *ctx, struct lockcheck_map *map,
		       enum lock_kind kind, bool trylock, const char *site);
/* A lock is being released. Returns false (after a report) if ctx does not hold it. */
bool lockcheck_release(struct lockcheck_ctx *ctx, struct lockcheck_map *map, const char *site);
/*
 * The context may sleep here (site may be NULL: see the backtrace). Reports
 * when it holds a lock that forbids sleeping, else when preempt_count is
 * not zero, in_irq or irqs_off (the caller had interrupts disabled);
 * returns true if something was wrong.
 */
bool lockcheck_sleep(struct lockcheck_ctx *ctx, const char *site, int preempt_count,
		     bool in_irq, bool irqs_off);
/*
 * A syscall (what: its name) is about to return to user space: reports a
 * lock still held (once per site that took it) or a preempt count left
 * over (once per what). True if something was wrong.
 */
bool lockcheck_user_return(struct lockcheck_ctx *ctx, const char *what, int preempt_count);
/*
 * The context waits here for an event another task brings (wait_event and
 * kin): reported when it holds a nesting mutex (fs_lock), which the
 * bringer may need. True if so. (The sleep itself is lockcheck_sleep's.)
 */
bool lockcheck_wait(struct lockcheck_ctx *ctx, const char *site);
/* A lock was taken by an interrupt handler: reported unless it is a spin lock. */
void lockcheck_in_irq(struct lockcheck_map *map, enum lock_kind kind, const char *site);
bool lockcheck_holds(const struct lockcheck_ctx *ctx, const struct lockcheck_map *map);
/* Warnings printed since boot (or the last reset). */
unsigned lockcheck_warnings(void);
/* Forget every class, pair and report (host tests). */
void lockcheck_reset(void);
/* Print a backtrace for a report (kernel: core/lockcheck.c). */
void lockcheck_dump_stack(void);

/* ---- the kernel side (core/lockcheck.c) ---- */

extern bool lockcheck_enabled;

/* Called by the lock primitives; they do nothing unless lockcheck_enabled. */
void lock_note_acquire(struct lockcheck_map *map, enum lock_kind kind, bool trylock,
		       const char *site);
void lock_note_release(struct lockcheck_map *map, const char *site);

/*
 * Sleeping primitives call might_sleep(): the caller must hold no spin
 * lock, have preemption and interrupts enabled and not be an interrupt
 * handler (mutexes and fs_lock may be held). Checked under
 * kevlar.debug=locks.
 */
void might_sleep_at(const char *site);
#define might_sleep() do {                                              \
	if (unlikely(lockcheck_enabled))                                \
		might_sleep_at(LOCK_SITE);                              \
} while (0)

/*
 * Waiting for an event (wait_event*, timed waits): might_sleep's rules,
 * and fs_lock must not be held either (see lockcheck_wait).
 */
void might_wait_at(const char *site);
#define might_wait() do {                                               \
	if (unlikely(lockcheck_enabled))                                \
		might_wait_at(LOCK_SITE);                               \
} while (0)
/* The current task's syscall name ends: nothing may stay locked. */
void lockcheck_syscall_exit(const char *name);

/* schedule() is about to put the current task to sleep (site unknown). */
void lockcheck_schedule_sleep(void);

#endif
