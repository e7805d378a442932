/*
 * The slow path of refcount_t (include/kevlar/refcount.h): a count made an
 * impossible move. It is parked at REFCOUNT_SATURATED, so the object is
 * leaked instead of freed under its users, and the move is reported with
 * a backtrace of who made it. A saturated count stays saturated and never
 * comes back here with a fault of its own, so each count reports once.
 */
#include <kevlar/printk.h>
#include <kevlar/refcount.h>
#ifndef KEVLAR_HOST_TEST
#include <kevlar/backtrace.h>
#endif

static const char *const fault_names[] = {
	[REFCOUNT_OVERFLOW]      = "overflow; saturated, the object is leaked",
	[REFCOUNT_INC_FROM_ZERO] = "increment from zero; use after free",
	[REFCOUNT_UNDERFLOW]     = "decrement below zero; use after free",
	[REFCOUNT_DEC_TO_ZERO]   = "decrement to zero without release; leak",
};

void refcount_fault(refcount_t *r, enum refcount_fault fault)
{
	refcount_set(r, REFCOUNT_SATURATED);
	printk(KERN_WARNING "refcount: %s (count at %p)\n", fault_names[fault], (void *)r);
#ifndef KEVLAR_HOST_TEST
	backtrace_print(backtrace_current_frame());
#endif
}
