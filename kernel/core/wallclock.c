/*
 * The wall clock (CLOCK_REALTIME): the monotonic clock plus an offset.
 * The offset is set once at boot from the arch's hardware clock (x86_64:
 * the CMOS RTC, which QEMU sets to the host's time) and moved by
 * clock_settime/settimeofday; the monotonic clock never jumps. Absolute
 * REALTIME timers are kept in wall-clock time (core/timer.c), so setting
 * the clock moves them with it: the ones now due fire at once.
 */
#include <kevlar/printk.h>
#include <kevlar/time.h>
#include <kevlar/timer.h>

/* Signed: a clock set before the boot's own monotonic start is negative. */
static volatile int64_t realtime_offset_ns;

/* Arches without a hardware clock yet (arm64 until its PL031 driver). */
__attribute__((weak)) int64_t arch_rtc_read_seconds(void)
{
	return -1;
}

void clock_realtime_init(void)
{
	int64_t sec = arch_rtc_read_seconds();

	if (sec < 0) {
		pr_info("time: no real-time clock; the wall clock starts at the epoch\n");
		return;
	}
	realtime_offset_ns = sec * (int64_t)NSEC_PER_SEC - (int64_t)clock_monotonic_ns();
	pr_info("time: real-time clock reads %ld s since the epoch\n", (long)sec);
}

uint64_t clock_realtime_ns(void)
{
	return clock_monotonic_ns() + realtime_offset_ns;
}

void clock_set_realtime_ns(uint64_t ns)
{
	realtime_offset_ns = (int64_t)ns - (int64_t)clock_monotonic_ns();
	timer_clock_was_set();
}
