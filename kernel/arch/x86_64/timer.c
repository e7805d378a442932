/*
 * Time on x86_64: the PIT (8254) ticks the scheduler at HZ, and the TSC,
 * calibrated against PIT channel 2 at boot, gives nanoseconds since kernel
 * entry (boot.S samples the TSC first thing). Under TCG the TSC and the
 * PIT both follow the host clock, so the calibration holds.
 */
#include <kevlar/arch.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/time.h>
#include <arch/cpu.h>
#include <arch/traps.h>

#define PIT_HZ              1193182
#define PIT_CH0             0x40
#define PIT_CH2             0x42
#define PIT_CMD             0x43
#define PIT_GATE_PORT       0x61    /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */
#define PIT_CH0_RATE_GEN    0x34    /* channel 0, lo/hi byte, mode 2 */
#define PIT_CH2_ONESHOT     0xb0    /* channel 2, lo/hi byte, mode 0 */
#define CALIBRATE_MS        10

extern uint64_t boot_tsc;
static uint64_t tsc_khz;
static volatile uint64_t jiffies;

uint64_t arch_cycles_since_boot(void)
{
	return rdtsc() - boot_tsc;
}

uint64_t clock_monotonic_ns(void)
{
	uint64_t c;

	if (!tsc_khz)
		return jiffies * (1000000000ULL / HZ);
	c = rdtsc() - boot_tsc;
	return c / tsc_khz * 1000000 + (c % tsc_khz) * 1000000 / tsc_khz;
}

uint64_t time_jiffies(void)
{
	return jiffies;
}

static void calibrate_tsc(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t start, end;
	uint8_t gate = inb(PIT_GATE_PORT);
	unsigned long spins = 0;

	outb(PIT_GATE_PORT, (gate & ~0x02) | 0x01);
	outb(PIT_CMD, PIT_CH2_ONESHOT);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	start = rdtsc();
	while (!(inb(PIT_GATE_PORT) & 0x20) && ++spins < 100000000)
		;
	end = rdtsc();
	outb(PIT_GATE_PORT, gate);
	if (spins >= 100000000 || end <= start) {
		pr_warn("time: TSC calibration failed, using the tick counter\n");
		return;
	}
	tsc_khz = (end - start) / CALIBRATE_MS;
}

static void timer_interrupt(void)
{
	jiffies++;
	cputime_tick(arch_irq_from_user());
	time_tick();
	sched_tick();
}

void arch_timer_init(void)
{
	uint16_t divisor = PIT_HZ / HZ;

	calibrate_tsc();
	outb(PIT_CMD, PIT_CH0_RATE_GEN);
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	irq_register(0, timer_interrupt);
	pr_info("time: PIT at %d Hz, TSC %lu.%03lu MHz\n", HZ,
		(unsigned long)(tsc_khz / 1000), (unsigned long)(tsc_khz % 1000));
}
