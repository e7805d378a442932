/* Captures console output and fakes the clock and printk lock for tests. */

#include <assert.h>
#include <string.h>
#include <kevlar/printk.h>
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
