/*
 * The boot console: where printk goes (polled UART output, "\n" sent as
 * "\r\n"), and the terminal init gets as its standard descriptors. The
 * console file itself is the serial tty (tty_serial.c).
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/printk.h>
#include <kevlar/tty.h>
#include <uapi/fcntl.h>

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
	}
}

unsigned long printk_lock_irqsave(void)
{
	/* One CPU: masking interrupts is enough to own printk's line buffer. */
	return arch_irq_save();
}

void printk_unlock_irqrestore(unsigned long flags)
{
	arch_irq_restore(flags);
}

/* /dev/console: the serial tty, never a controlling terminal (Linux's rule). */
struct file *console_open_flags(struct inode *node, unsigned flags)
{
	struct file *f;

	return tty_open_file(tty_serial(), node, flags, true, &f) ? NULL : f;
}

/*
 * init's stdin/stdout/stderr. As on Linux, the console is not init's
 * controlling terminal and init is in no session of its own (sid and pgid
 * 0): a session leader that opens the line later (getty, or `setsid sh`
 * opening /dev/ttyS0) makes it its controlling terminal. BusyBox's setsid
 * relies on this: in a process-group leader it would fork and exit instead.
 */
struct file *console_open(void)
{
	struct tty *tty = tty_serial();
	struct file *f;

	if (tty_open_file(tty, NULL, O_RDWR, true, &f))
		return NULL;
	return f;
}
