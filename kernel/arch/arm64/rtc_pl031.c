/*
 * PL031 real-time clock (QEMU virt: 0x09010000, set to the host's time):
 * its data register counts seconds since the epoch. Read once at boot to
 * start the wall clock.
 */
#include <kevlar/time.h>
#include <arch/cpu.h>
#include <arch/platform.h>

#define RTC_DR  0x00

int64_t arch_rtc_read_seconds(void)
{
	if (!platform.rtc_base)
		return -1;
	return mmio_read32(mmio_virt(platform.rtc_base) + RTC_DR);
}
