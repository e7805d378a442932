/*
 * The PC's CMOS real-time clock (MC146818 and its descendants): read once
 * at boot to start the wall clock. Registers are reached by writing an
 * index to port 0x70 and reading 0x71. Status register B says how the
 * chip stores time: binary or BCD (bit 2 set: binary), 24- or 12-hour
 * (bit 1 set: 24h; in 12h mode bit 7 of the hour is PM). The clock keeps
 * UTC here: QEMU's default (-rtc base=utc) and what Linux assumes for
 * the kernel's own read.
 */
#include <kevlar/time.h>
#include <kevlar/string.h>
#include <arch/cpu.h>

#define CMOS_INDEX   0x70
#define CMOS_DATA    0x71

enum {
	RTC_SECONDS = 0x00, RTC_MINUTES = 0x02, RTC_HOURS = 0x04,
	RTC_DAY = 0x07, RTC_MONTH = 0x08, RTC_YEAR = 0x09,
	RTC_STATUS_A = 0x0a, RTC_STATUS_B = 0x0b,
	/* Not in the original chip; the ACPI FADT may name another index,
	 * 0x32 is where PCs and QEMU keep it. */
	RTC_CENTURY = 0x32,
};

#define STATUS_A_UPDATING  0x80
#define STATUS_B_24H       0x02
#define STATUS_B_BINARY    0x04
#define HOUR_PM            0x80

struct rtc_time {
	unsigned sec, min, hour, day, mon, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
	/* An update cycle takes under 2 ms once a second; reading during one
	 * can mix old and new fields. */
	for (int spin = 0; spin < 1000000 && (cmos_read(RTC_STATUS_A) & STATUS_A_UPDATING); spin++)
		__asm__ volatile("pause");
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->mon = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
}

static unsigned bcd(unsigned v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; March-based years
 * put the leap day last). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t arch_rtc_read_seconds(void)
{
	struct rtc_time a, b;
	uint8_t status_b;
	bool pm;
	unsigned year;

	/* Read until two reads agree: an update may start between fields. */
	read_raw(&b);
	for (int tries = 0; tries < 5; tries++) {
		a = b;
		read_raw(&b);
		if (!memcmp(&a, &b, sizeof(a)))
			break;
	}
	status_b = cmos_read(RTC_STATUS_B);
	pm = !(status_b & STATUS_B_24H) && (b.hour & HOUR_PM);
	b.hour &= ~HOUR_PM;
	if (!(status_b & STATUS_B_BINARY)) {
		b.sec = bcd(b.sec);
		b.min = bcd(b.min);
		b.hour = bcd(b.hour);
		b.day = bcd(b.day);
		b.mon = bcd(b.mon);
		b.year = bcd(b.year);
		b.century = bcd(b.century);
	}
	/* 12-hour mode: 12 AM is midnight, 12 PM is noon. */
	if (!(status_b & STATUS_B_24H))
		b.hour = (b.hour % 12) + (pm ? 12 : 0);
	if (b.sec > 59 || b.min > 59 || b.hour > 23 || b.day < 1 || b.day > 31 ||
	    b.mon < 1 || b.mon > 12 || b.year > 99)
		return -1;
	/* No century register (reads 0 or garbage): the years 1970..2069. */
	if (b.century >= 19 && b.century <= 30)
		year = b.century * 100 + b.year;
	else
		year = b.year + (b.year < 70 ? 2000 : 1900);
	return days_from_civil(year, b.mon, b.day) * 86400 +
	       b.hour * 3600 + b.min * 60 + b.sec;
}
