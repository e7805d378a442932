/*
 * printk: format a message, give each line a "[seconds.micros] " stamp and
 * send it to the console. There is no log buffer yet; what is below the
 * console loglevel is dropped.
 */

#include <kevlar/printk.h>
#include <kevlar/format.h>
#include <kevlar/string.h>

#define PRINTK_MSG_MAX    1024
#define LEVEL_CONT        (-1)

static int console_loglevel = PRINTK_DEFAULT_CONSOLE_LOGLEVEL;

/*
 * State of the console line, guarded by printk_lock_irqsave: whether the
 * last message left it open (no '\n' yet), and the level it was opened
 * with, so continuations are shown or hidden together with their start.
 */
static bool line_open;
static int open_line_level;
static char msgbuf[PRINTK_MSG_MAX];

void printk_set_loglevel(int level)
{
	if (level < 0)
		level = 0;
	if (level > 8)
		level = 8;
	console_loglevel = level;
}

int printk_get_loglevel(void)
{
	return console_loglevel;
}

size_t printk_format_line(char *buf, size_t size, uint64_t ns, const char *msg)
{
	unsigned long secs = (unsigned long)(ns / 1000000000u);
	unsigned long micros = (unsigned long)(ns % 1000000000u / 1000u);
	int n;

	if (size == 0)
		return 0;
	n = ksnprintf(buf, size, "[%5lu.%06lu] %s", secs, micros, msg);
	return (size_t)n < size ? (size_t)n : size - 1;
}

/* Strip a KERN_* marker; returns the level, LEVEL_CONT, or the default. */
static const char *parse_level(const char *fmt, int *level, bool *explicit_level)
{
	*level = LOGLEVEL_DEFAULT;
	*explicit_level = false;
	if (fmt[0] != KERN_SOH[0])
		return fmt;
	if (fmt[1] >= '0' && fmt[1] <= '7') {
		*level = fmt[1] - '0';
		*explicit_level = true;
		return fmt + 2;
	}
	if (fmt[1] == 'c') {
		*level = LEVEL_CONT;
		return fmt + 2;
	}
	return fmt;
}

/* The kernel log ring for syslog(2) (core/klog.c); absent in host tests. */
void klog_append(int level, const char *msg, size_t len, bool starts_line, uint64_t ns)
	__attribute__((weak));

/* Called with the printk lock held. */
static void emit(const char *msg, bool continues_line, bool visible, int level)
{
	char stamp[32];
	uint64_t ns = clock_monotonic_ns();

	while (*msg) {
		const char *nl = strchr(msg, '\n');
		size_t len = nl ? (size_t)(nl - msg) + 1 : strlen(msg);

		if (!continues_line && visible) {
			size_t n = printk_format_line(stamp, sizeof(stamp), ns, "");

			console_write(stamp, n);
		}
		if (visible)
			console_write(msg, len);
		if (klog_append)
			klog_append(level, msg, len, !continues_line, ns);
		msg += len;
		continues_line = !nl;
	}
	line_open = continues_line;
}

void vprintk(const char *fmt, va_list ap)
{
	unsigned long flags;
	bool explicit_level, continues_line;
	int level;

	fmt = parse_level(fmt, &level, &explicit_level);

	flags = printk_lock_irqsave();
	kvsnprintf(msgbuf, sizeof(msgbuf), fmt, ap);

	/*
	 * A message with an explicit level always starts a fresh line; an
	 * unlevelled one or KERN_CONT continues an open line. A continuation
	 * with nothing open starts a line at the default level.
	 */
	continues_line = line_open && !explicit_level;
	if (line_open && explicit_level && open_line_level < console_loglevel)
		console_write("\n", 1);
	if (continues_line) {
		level = open_line_level;
	} else {
		if (level == LEVEL_CONT)
			level = LOGLEVEL_DEFAULT;
		open_line_level = level;
	}
	emit(msgbuf, continues_line, level < console_loglevel, level);
	printk_unlock_irqrestore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
