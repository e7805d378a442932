/*
 * Captures console output and fakes the clock, the printk lock and what
 * spin locks need (interrupt mask, preempt count, the checker's hooks).
 */

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include "console_stub.h"

char console_output[65536];
size_t console_output_len;
uint64_t fake_clock_ns;
static int printk_lock_depth;

#define FAKE_IRQ_FLAGS 0x5aUL

void console_reset(void)
{
	console_output_len = 0;
	console_output[0] = '\0';
}

void console_write(const char *s, size_t len)
{
	/* printk must only write while holding its lock. */
	assert(printk_lock_depth == 1);
	if (len > sizeof(console_output) - 1 - console_output_len)
		len = sizeof(console_output) - 1 - console_output_len;
	memcpy(console_output + console_output_len, s, len);
	console_output_len += len;
	console_output[console_output_len] = '\0';
}

uint64_t clock_monotonic_ns(void)
{
	return fake_clock_ns;
}

/* File times read the wall clock; host tests keep it on the fake clock. */
uint64_t clock_realtime_ns(void)
{
	return fake_clock_ns;
}

unsigned long printk_lock_irqsave(void)
{
	assert(printk_lock_depth == 0);
	printk_lock_depth++;
	return FAKE_IRQ_FLAGS;
}

void printk_unlock_irqrestore(unsigned long flags)
{
	assert(flags == FAKE_IRQ_FLAGS);
	assert(printk_lock_depth == 1);
	printk_lock_depth--;
}

/*
 * Interrupt mask and preempt count for spin locks: nesting depths a test
 * can assert on (kmalloc's backend runs with interrupts "off"). Weak where
 * a test brings its own (test_tmpfs: preempt_disable).
 */
int fake_irq_off_depth;
int fake_preempt_count;

unsigned long arch_irq_save(void)
{
	return (unsigned long)fake_irq_off_depth++;
}

void arch_irq_restore(unsigned long flags)
{
	/* Restores must pair with saves, innermost first. */
	assert(fake_irq_off_depth > 0 && flags == (unsigned long)(fake_irq_off_depth - 1));
	fake_irq_off_depth--;
}

__attribute__((weak)) void preempt_disable(void)
{
	fake_preempt_count++;
}

__attribute__((weak)) void preempt_enable(void)
{
	assert(fake_preempt_count > 0);
	fake_preempt_count--;
}

/*
 * The checker stays off in host tests of other code (test_lockcheck calls
 * its core directly), so these are never reached.
 */
bool lockcheck_enabled;

void lock_note_acquire(struct lockcheck_map *map, enum lock_kind kind, bool trylock,
		       const char *site)
{
	(void)map; (void)kind; (void)trylock; (void)site;
	abort();
}

void lock_note_release(struct lockcheck_map *map, const char *site)
{
	(void)map; (void)site;
	abort();
}

void spin_lock_deadlock(spinlock_t *l, const char *site)
{
	(void)l; (void)site;
	abort();    /* a spin lock taken twice: the code under test deadlocks */
}

/* Backtraces are the kernel's; a test may count them with a strong version. */
__attribute__((weak)) void lockcheck_dump_stack(void)
{
}
