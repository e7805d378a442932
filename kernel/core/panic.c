/*
 * panic(): the last words. The order is fixed because the farm parses it:
 * registers (if trapped), the "KEVLAR PANIC:" marker line, the backtrace,
 * then the flight recorder block, then QEMU exits with status 3.
 */
#include <kevlar/panic.h>
#include <kevlar/arch.h>
#include <kevlar/backtrace.h>
#include <kevlar/flight_recorder.h>
#include <kevlar/format.h>
#include <kevlar/printk.h>
#include <arch/traps.h>

static bool panicking;

static __attribute__((noreturn)) void panic_finish(const char *reason, uint64_t ip,
						   uint64_t fp)
{
	printk(KERN_EMERG "KEVLAR PANIC: %s\n", reason);
	printk(KERN_EMERG "Backtrace:\n");
	if (ip)
		backtrace_print_ip(ip);
	backtrace_print(fp);
	fr_dump();
	arch_panic_exit();
}

static void enter_panic(void)
{
	arch_irq_disable();
	if (panicking) {
		/* A panic while panicking: say so and leave without more output. */
		printk(KERN_EMERG "KEVLAR PANIC: recursive panic\n");
		arch_panic_exit();
	}
	panicking = true;
}

void panic(const char *fmt, ...)
{
	static char reason[256];
	va_list ap;

	enter_panic();
	va_start(ap, fmt);
	kvsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	panic_finish(reason, 0, backtrace_current_frame());
}

void panic_with_frame(const struct trap_frame *tf, const char *fmt, ...)
{
	static char reason[256];
	va_list ap;

	enter_panic();
	va_start(ap, fmt);
	kvsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	trap_print_frame(tf);
	panic_finish(reason, trap_frame_ip(tf), trap_frame_fp(tf));
}
