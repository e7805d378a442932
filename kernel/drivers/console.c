/*
 * The boot console: where printk goes, and the file behind init's
 * stdin/stdout/stderr. Output maps "\n" to "\r\n" as a tty with ONLCR
 * would. Input arrives by the UART's receive interrupt into a small ring;
 * readers sleep until it has bytes. Echo and CR-to-NL happen on read, a
 * stand-in until a real tty line discipline exists.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/printk.h>
#include <kevlar/sched.h>
#include <kevlar/uaccess.h>
#include <kevlar/wait.h>
#include <uapi/errno.h>

#define CONSOLE_CHUNK 256
#define RX_RING_SIZE  256   /* power of two */

/* Written by the interrupt handler, read with interrupts off. */
static char rx_ring[RX_RING_SIZE];
static volatile unsigned rx_head, rx_tail;
static struct wait_queue rx_wait = { LIST_HEAD_INIT(rx_wait.waiters) };
static bool rx_started;

static void console_rx(char c)
{
	if (rx_head - rx_tail < RX_RING_SIZE)       /* drop on overflow */
		rx_ring[rx_head++ % RX_RING_SIZE] = c;
	wake_up_all(&rx_wait);
}

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
	unsigned long flags;
	char c;

	(void)f;
	if (n == 0)
		return 0;
	wait_event(&rx_wait, rx_head != rx_tail);
	flags = arch_irq_save();
	c = rx_ring[rx_tail++ % RX_RING_SIZE];
	arch_irq_restore(flags);
	if (c == '\r')
		c = '\n';                          /* ICRNL */
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

struct file *console_open_flags(struct inode *node, unsigned flags)
{
	if (!rx_started) {
		rx_started = true;
		arch_console_rx_enable(console_rx);
	}
	return file_alloc(&console_ops, node, flags);
}

struct file *console_open(void)
{
	return console_open_flags(NULL, 2 /* O_RDWR */);
}
