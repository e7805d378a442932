/*
 * Character devices by (major, minor), the numbers Linux assigns
 * (Documentation/admin-guide/devices.txt): opening a device node in the
 * initramfs reaches the driver here. /dev/ttyS0 and /dev/console are the
 * serial tty; /dev/tty is the caller's controlling terminal; /dev/ptmx
 * and /dev/pts/N are pseudo-terminals (pty.c).
 */
#include <kevlar/fs.h>
#include <kevlar/sched.h>
#include <kevlar/tty.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>

#define MEM_MAJOR       1
#define MEM_NULL        3
#define MEM_ZERO        5
#define MEM_FULL        7
#define MEM_RANDOM      8
#define MEM_URANDOM     9
#define TTYS_MAJOR      4
#define TTYS_FIRST      64
#define TTYAUX_MAJOR    5
#define TTYAUX_TTY      0
#define TTYAUX_CONSOLE  1
#define TTYAUX_PTMX     2
/* AMBA PL011 ports: /dev/ttyAMA0 is 204:64, the serial line on arm64. */
#define TTYAMA_MAJOR    204
#define TTYAMA_FIRST    64

static ssize_t null_read(struct file *f, struct iov_iter *to)
{
	(void)f;
	(void)to;
	return 0;
}

/* Everything is taken and dropped, without looking at the bytes. */
static ssize_t null_write(struct file *f, struct iov_iter *from)
{
	size_t n = iov_iter_count(from);

	(void)f;
	iov_iter_advance(from, n);
	return n;
}

static ssize_t zero_read(struct file *f, struct iov_iter *to)
{
	size_t n = iov_iter_count(to), got = zero_to_iter(to, n);

	(void)f;
	return got || !n ? (ssize_t)got : -EFAULT;
}

static ssize_t full_write(struct file *f, struct iov_iter *from)
{
	(void)f;
	(void)from;
	return -ENOSPC;
}

static const struct file_ops null_ops = { .read = null_read, .write = null_write };
static const struct file_ops zero_ops = { .read = zero_read, .write = null_write };
extern const struct file_ops random_dev_ops;
static const struct file_ops full_ops = { .read = zero_read, .write = full_write };

int chardev_open(struct inode *ino, unsigned flags, struct file **out)
{
	const struct file_ops *ops = NULL;

	switch (ino->rdev_major) {
	case MEM_MAJOR:
		ops = ino->rdev_minor == MEM_NULL ? &null_ops :
		      ino->rdev_minor == MEM_ZERO ? &zero_ops :
		      ino->rdev_minor == MEM_FULL ? &full_ops :
		      ino->rdev_minor == MEM_RANDOM ? &random_dev_ops :
		      ino->rdev_minor == MEM_URANDOM ? &random_dev_ops : NULL;
		break;
	case TTYAUX_MAJOR:
		if (ino->rdev_minor == TTYAUX_TTY) {
			/* /dev/tty: whatever terminal controls the caller; none is ENXIO. */
			struct tty *ctty = current_task()->job.ctty;

			return ctty ? tty_open_file(ctty, ino, flags, true, out) : -ENXIO;
		}
		if (ino->rdev_minor == TTYAUX_CONSOLE)
			return tty_open_file(tty_serial(), ino, flags, true, out);
		if (ino->rdev_minor == TTYAUX_PTMX)
			return pty_open_master(ino, flags, out);
		break;
	case TTYS_MAJOR:
		if (ino->rdev_minor == TTYS_FIRST)
			return tty_open_file(tty_serial(), ino, flags, false, out);
		break;
	case TTYAMA_MAJOR:
		if (ino->rdev_minor == TTYAMA_FIRST)
			return tty_open_file(tty_serial(), ino, flags, false, out);
		break;
	}
	if (ino->rdev_major >= PTS_MAJOR_FIRST && ino->rdev_major <= PTS_MAJOR_LAST)
		return pty_open_slave((ino->rdev_major - PTS_MAJOR_FIRST) * 256 + ino->rdev_minor,
				      ino, flags, out);
	if (!ops)
		return -ENXIO;
	*out = file_alloc(ops, ino, flags);
	return *out ? 0 : -ENOMEM;
}
