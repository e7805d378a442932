#ifndef KEVLAR_REFCOUNT_H
#define KEVLAR_REFCOUNT_H

/*
 * Reference counts that fail safe. A plain int that a bug pushes past
 * INT_MAX wraps to negative and then to zero, and zero frees the object
 * while its users still hold it; one that a bug decrements once too often
 * frees it early. refcount_t instead detects the impossible moves
 * (incrementing a count that is already zero, decrementing below zero,
 * overflowing) and parks the count at REFCOUNT_SATURATED: a saturated
 * object is leaked, never freed, and the first bad move on each count is
 * reported with a backtrace (lib/refcount.c). A leak is a bug we can
 * read about in the log; a use after free is one we cannot.
 *
 * Every operation is one atomic read-modify-write (GCC __atomic builtins),
 * so no lock is needed around a count. The saturation value sits in the
 * middle of the negative range: racing increments or decrements of a
 * saturated count move it by at most a few steps, far from both zero and
 * the wrap, and the next operation that sees it puts it back.
 *
 * Ordering: a decrement releases (this holder's writes to the object
 * happen before the free) and the one that reaches zero acquires (the
 * freeing code sees all of them); increments need no ordering because the
 * incrementer already holds a reference or found the object under a lock.
 *
 * No kernel-only headers here: host unit tests compile it (tests/unit).
 */

#include <kevlar/types.h>

typedef struct {
	int refs;
} refcount_t;

#define REFCOUNT_SATURATED  (-0x40000000)   /* INT_MIN / 2 */
#define REFCOUNT_INIT(n)    { .refs = (n) }

/* What went wrong, for the report. */
enum refcount_fault {
	REFCOUNT_OVERFLOW,      /* incremented past INT_MAX */
	REFCOUNT_INC_FROM_ZERO, /* the object was already released: use after free */
	REFCOUNT_UNDERFLOW,     /* decremented below zero: one put too many */
	REFCOUNT_DEC_TO_ZERO,   /* refcount_dec reached zero: nobody frees it, a leak */
};

/* Saturate r and report the fault (lib/refcount.c). */
void refcount_fault(refcount_t *r, enum refcount_fault fault);

static inline void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELAXED);
}

static inline int refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

static inline bool refcount_saturated(const refcount_t *r)
{
	return refcount_read(r) < 0;
}

/* Take another reference; the caller already holds one. */
static inline void refcount_inc(refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED);

	if (__builtin_expect(old > 0 && old != __INT_MAX__, 1))
		return;
	if (old == 0)
		refcount_fault(r, REFCOUNT_INC_FROM_ZERO);
	else if (old == __INT_MAX__)
		refcount_fault(r, REFCOUNT_OVERFLOW);
	else
		refcount_set(r, REFCOUNT_SATURATED);    /* already reported */
}

/*
 * Take a reference unless the count is zero (the object is on its way
 * out and must not be revived): true when one was taken.
 */
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = refcount_read(r);

	do {
		if (old == 0)
			return false;
		if (old < 0)
			return true;                    /* saturated: stays so, never freed */
		if (old == __INT_MAX__) {
			refcount_fault(r, REFCOUNT_OVERFLOW);
			return true;
		}
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

/* Drop a reference: true when it was the last one and the caller frees. */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_RELEASE);

	if (old == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (__builtin_expect(old > 1, 1))
		return false;
	if (old == 0)
		refcount_fault(r, REFCOUNT_UNDERFLOW);
	else
		refcount_set(r, REFCOUNT_SATURATED);    /* already reported */
	return false;
}

/* Drop a reference that is known not to be the last (reaching zero is a leak). */
static inline void refcount_dec(refcount_t *r)
{
	if (refcount_dec_and_test(r))
		refcount_fault(r, REFCOUNT_DEC_TO_ZERO);
}

#endif
