/*
 * The boot console: where printk goes, and the file behind init's
 * stdin/stdout/stderr. Output maps "\n" to "\r\n" as a tty with ONLCR
 * would. Input is polled from the UART for now, yielding the CPU between
 * polls; a real tty with a line discipline comes later.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

#define CONSOLE_CHUNK 256

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

static ssize_t console_file_write(struct file *f, const void *ubuf, size_t n)
{
	char buf[CONSOLE_CHUNK];
	size_t done = 0;

	(void)f;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(buf));

		if (copy_from_user(buf, (const char *)ubuf + done, chunk))
			return done ? (ssize_t)done : -EFAULT;
		console_write(buf, chunk);
		done += chunk;
	}
	return done;
}

static ssize_t console_file_read(struct file *f, void *ubuf, size_t n)
{
	char c;
	int ch;

	(void)f;
	if (n == 0)
		return 0;
	while ((ch = arch_console_getc()) < 0)
		schedule();
	c = ch == '\r' ? '\n' : (char)ch;     /* ICRNL */
	console_write(&c, 1);                   /* ECHO */
	if (copy_to_user(ubuf, &c, 1))
		return -EFAULT;
	return 1;
}

static long console_file_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	(void)f;
	(void)cmd;
	(void)arg;
	return -ENOTTY;
}

static const struct file_ops console_ops = {
	.read = console_file_read,
	.write = console_file_write,
	.ioctl = console_file_ioctl,
};

struct file *console_open(void)
{
	return file_alloc(&console_ops, NULL, 2 /* O_RDWR */);
}
