#ifndef KEVLAR_PANIC_H
#define KEVLAR_PANIC_H

/*
 * panic() is for kernel bugs and boot-time impossibilities only. It prints
 * "KEVLAR PANIC: <reason>" (the farm keys on that marker), a backtrace and
 * the flight recorder, then leaves QEMU with status 3.
 */

#include <kevlar/types.h>

struct trap_frame;

__attribute__((noreturn, format(printf, 1, 2)))
void panic(const char *fmt, ...);

/* Same, with the registers of a trapped context printed first. */
__attribute__((noreturn, format(printf, 2, 3)))
void panic_with_frame(const struct trap_frame *tf, const char *fmt, ...);

#define BUG_ON(cond) do { if (unlikely(cond)) \
	panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

#endif
