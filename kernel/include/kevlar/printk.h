#ifndef KEVLAR_PRINTK_H
#define KEVLAR_PRINTK_H

/*
 * Kernel log to the console (kernel/core/printk.c).
 *
 * As in Linux, a message may start with a level marker: the byte '\001'
 * followed by a digit '0'..'7' (or 'c' for a continuation). Each line is
 * printed as "[sssss.uuuuuu] message", the time being seconds since boot.
 * A message that does not end in '\n' leaves the line open: the next
 * printk continues it without a new timestamp.
 */

#include <stdarg.h>
#include <kevlar/types.h>

#define KERN_SOH        "\001"
#define KERN_EMERG      KERN_SOH "0"
#define KERN_ALERT      KERN_SOH "1"
#define KERN_CRIT       KERN_SOH "2"
#define KERN_ERR        KERN_SOH "3"
#define KERN_WARNING    KERN_SOH "4"
#define KERN_NOTICE     KERN_SOH "5"
#define KERN_INFO       KERN_SOH "6"
#define KERN_DEBUG      KERN_SOH "7"
#define KERN_CONT       KERN_SOH "c"
/* Messages without a level marker are logged at LOGLEVEL_DEFAULT. */
#define KERN_DEFAULT    ""

#define LOGLEVEL_EMERG    0
#define LOGLEVEL_ALERT    1
#define LOGLEVEL_CRIT     2
#define LOGLEVEL_ERR      3
#define LOGLEVEL_WARNING  4
#define LOGLEVEL_NOTICE   5
#define LOGLEVEL_INFO     6
#define LOGLEVEL_DEBUG    7
#define LOGLEVEL_DEFAULT  LOGLEVEL_INFO

/* Console loglevel at boot: everything but debug is shown. */
#define PRINTK_DEFAULT_CONSOLE_LOGLEVEL 7

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#define pr_emerg(fmt, ...)  printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...)  printk(KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...)   printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)    printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)   printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)   printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)  printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)   printk(KERN_CONT fmt, ##__VA_ARGS__)

/*
 * Like Linux's console_loglevel: messages whose level number is >= level
 * are not printed. level is clamped to 0..8 (8 shows debug too).
 */
void printk_set_loglevel(int level);
int printk_get_loglevel(void);

/*
 * Format one log line "[%5lu.%06lu] msg" for a timestamp of ns
 * nanoseconds into buf (NUL-terminated when size > 0). msg is copied
 * verbatim (no level marker). Returns the length written (excluding the
 * NUL), which is less than the full length if buf was too small.
 */
size_t printk_format_line(char *buf, size_t size, uint64_t ns, const char *msg);

/* ---- provided by the architecture / console driver ---- */

/* Write len bytes to the boot console; '\n' -> "\r\n" is the driver's job. */
void console_write(const char *s, size_t len);

/* Nanoseconds since boot; must work from the first printk on (0 is fine). */
uint64_t clock_monotonic_ns(void);

/*
 * Protect printk's static line buffer and the "line is open" state against
 * an interrupt handler (or another CPU) calling printk mid-message.
 * Returns the previous interrupt state for the matching unlock.
 */
unsigned long printk_lock_irqsave(void);
void printk_unlock_irqrestore(unsigned long flags);

#endif
