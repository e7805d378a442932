/*
 * Time on arm64: the generic timer. The EL1 virtual counter (CNTVCT_EL0,
 * CNTFRQ_EL0 Hz) gives nanoseconds since kernel entry; its timer
 * (CNTV_*, a per-CPU interrupt) ticks the scheduler at HZ.
 */
#include <kevlar/arch.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/time.h>
#include <arch/cpu.h>
#include <arch/platform.h>
#include <arch/traps.h>

#define CNTV_CTL_ENABLE     (1 << 0)
#define CNTV_CTL_IMASK      (1 << 1)

static uint64_t boot_count, freq, tick_interval;
static volatile uint64_t jiffies;

/* The counter's value at the first call (early in boot) is time zero. */
static uint64_t counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

uint64_t arch_cycles_since_boot(void)
{
	if (!boot_count)
		boot_count = counter();
	return counter() - boot_count;
}

uint64_t clock_monotonic_ns(void)
{
	uint64_t c = arch_cycles_since_boot();

	if (!freq)
		freq = read_sysreg(cntfrq_el0);
	if (!freq)
		return jiffies * (1000000000ULL / HZ);
	return c / freq * 1000000000ULL + (c % freq) * 1000000000ULL / freq;
}

uint64_t time_jiffies(void)
{
	return jiffies;
}

static void timer_interrupt(void)
{
	write_sysreg(cntv_tval_el0, tick_interval);
	jiffies++;
	cputime_tick(arch_irq_from_user());
	time_tick();
	sched_tick();
}

void arch_timer_init(void)
{
	freq = read_sysreg(cntfrq_el0);
	tick_interval = freq / HZ;
	irq_register(platform.timer_irq, timer_interrupt);
	gic_enable_irq(platform.timer_irq);
	write_sysreg(cntv_tval_el0, tick_interval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	pr_info("time: generic timer at %lu.%03lu MHz, tick %d Hz (interrupt %u)\n",
		(unsigned long)(freq / 1000000), (unsigned long)(freq / 1000 % 1000), HZ,
		platform.timer_irq);
}
