#ifndef KEVLAR_FLIGHT_RECORDER_H
#define KEVLAR_FLIGHT_RECORDER_H

/*
 * Flight recorder: a fixed ring of the most recent kernel events, always
 * on. Recording is a few stores with interrupts off (no formatting, no
 * locks), so it can sit on the syscall path. After a panic the ring is
 * printed as a parseable block:
 *
 *   --- flight recorder begin ---
 *   FR <seq> <ns> <cpu> <pid> <kind> <fields...>
 *   --- flight recorder end ---
 */

#include <kevlar/types.h>

enum fr_kind {
	FR_SYSCALL,     /* nr, arg0, arg1, arg2 */
	FR_EXCEPTION,   /* vector, error code, rip, cr2/addr */
	FR_SWITCH,      /* prev pid, next pid */
	FR_EXEC,        /* (path hash), entry */
	FR_EXIT,        /* status */
	FR_FORK,        /* child pid */
	FR_IRQ,         /* irq number (only unusual ones, not the timer) */
	FR_SIGNAL,      /* target pid, signal */
	FR_NR_KINDS
};

void fr_record(enum fr_kind kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d);
void fr_dump(void);

#endif
