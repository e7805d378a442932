#ifndef UNIT_CONSOLE_STUB_H
#define UNIT_CONSOLE_STUB_H

/*
 * Host stand-ins for the arch functions printk needs. Console output is
 * captured so tests can assert on exactly what printk wrote.
 */

#include <kevlar/types.h>

extern char console_output[65536];
extern size_t console_output_len;
extern uint64_t fake_clock_ns;
/* Depth of fake interrupt-off sections and preempt count (spin locks). */
extern int fake_irq_off_depth;
extern int fake_preempt_count;

/* Forget captured output. */
void console_reset(void);

#endif
