/*
 * The tty driver core: files on a terminal, with blocking read and write
 * around the non-blocking line discipline, and VMIN/VTIME. Ioctls are in
 * tty_ioctl.c, job control in tty_jobctl.c, the serial line in
 * tty_serial.c.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/pgrp.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/time.h>
#include <kevlar/tty.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>

#define TTY_CHUNK 512
#define NSEC_PER_DECISECOND 100000000ULL

static void ldisc_output(void *ctx, const char *buf, size_t n)
{
	struct tty *tty = ctx;

	if (tty->output) {
		tty->output(tty, buf, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		tty->putc(buf[i]);
}

/* Interrupt context (^C typed): the foreground group gets sig. */
static void ldisc_signal(void *ctx, int sig)
{
	struct tty *tty = ctx;

	if (tty->pgrp > 0)
		signal_send_pgrp(tty->pgrp, sig, NULL);
}

static void ldisc_wake(void *ctx)
{
	struct tty *tty = ctx;

	wake_up_all(&tty->wait);
}

static const struct tty_ldisc_ops tty_ldisc_ops = {
	.output = ldisc_output,
	.signal = ldisc_signal,
	.wake = ldisc_wake,
};

void tty_init(struct tty *tty, const char *name, void (*putc)(char c))
{
	tty->name = name;
	tty->putc = putc;
	wait_queue_init(&tty->wait);
	tty_ldisc_init(&tty->ldisc, &tty_ldisc_ops, tty);
}

void tty_hangup(struct tty *tty)
{
	unsigned long flags = arch_irq_save();
	struct task *leader;

	tty->hungup = true;
	if (tty->session && (leader = task_by_pid(tty->session))) {
		signal_send(leader, SIGHUP, NULL);
		signal_send(leader, SIGCONT, NULL);
	}
	if (tty->pgrp > 0) {
		signal_send_pgrp(tty->pgrp, SIGHUP, NULL);
		signal_send_pgrp(tty->pgrp, SIGCONT, NULL);
	}
	if (tty->session)
		session_clear_ctty(tty->session);
	tty->session = 0;
	tty->pgrp = 0;
	arch_irq_restore(flags);
	wake_up_all(&tty->wait);
}

static bool read_ready(void *arg)
{
	struct tty *tty = arg;

	return tty->hungup || tty_ldisc_read_ready(&tty->ldisc);
}

static bool any_input(void *arg)
{
	struct tty *tty = arg;

	return tty->hungup || tty_ldisc_readable(&tty->ldisc) > 0;
}

static ssize_t ldisc_read_locked(struct tty *tty, char *buf, size_t n, bool available)
{
	unsigned long flags = arch_irq_save();
	ssize_t got = available ? tty_ldisc_read_available(&tty->ldisc, buf, n)
				: tty_ldisc_read(&tty->ldisc, buf, n);

	arch_irq_restore(flags);
	return got;
}

/*
 * Raw mode with VTIME: VMIN = 0 waits up to VTIME for any byte; VMIN > 0
 * waits for the first byte as long as it takes, then VTIME between bytes
 * until VMIN arrived. Canonical mode and VTIME = 0 wait for the ldisc.
 */
static ssize_t tty_read_blocking(struct file *f, struct tty *tty, char *buf, size_t n)
{
	const struct termios *tio = &tty->ldisc.termios;
	uint64_t vtime = tio->c_cc[VTIME] * NSEC_PER_DECISECOND;
	bool timed = !(tio->c_lflag & ICANON) && vtime;
	ssize_t got;
	int err;

	if (timed && tio->c_cc[VMIN] == 0) {
		err = wait_interruptible_deadline(&tty->wait, any_input, tty,
						  clock_monotonic_ns() + vtime);
		if (err == -ERESTARTSYS)
			return err;
		got = ldisc_read_locked(tty, buf, n, true);
		return got == -EAGAIN ? 0 : got;
	}
	for (;;) {
		got = ldisc_read_locked(tty, buf, n, f->flags & O_NONBLOCK);
		if (got == -EAGAIN && tty->hungup)
			return 0;
		if (got != -EAGAIN || (f->flags & O_NONBLOCK))
			return got;
		if (timed && tty_ldisc_readable(&tty->ldisc) > 0) {
			/* Some bytes came: wait VTIME for the rest, then take what is there. */
			size_t before = tty_ldisc_readable(&tty->ldisc);

			err = wait_interruptible_deadline(&tty->wait, read_ready, tty,
							  clock_monotonic_ns() + vtime);
			if (err == -ETIMEDOUT && tty_ldisc_readable(&tty->ldisc) == before)
				return ldisc_read_locked(tty, buf, n, true);
		} else {
			err = wait_interruptible_deadline(&tty->wait, timed ? any_input : read_ready,
							  tty, 0);
		}
		if (err == -ERESTARTSYS)
			return err;
	}
}

static ssize_t tty_read(struct file *f, struct iov_iter *to)
{
	struct tty *tty = tty_from_file(f);
	size_t n = iov_iter_count(to), copied;
	char buf[TTY_CHUNK];
	ssize_t got;
	int err;

	if ((err = tty_check_background(tty, SIGTTIN)))
		return err;
	if (n == 0)
		return 0;
	got = tty_read_blocking(f, tty, buf, MIN(n, sizeof(buf)));
	if (got > 0) {
		/* Room in the input queue: a pty master writer may be waiting for it. */
		wake_up_all(&tty->wait);
		/* Input the caller could not take is lost, as on Linux. */
		if ((copied = copy_to_iter(to, buf, got)) < (size_t)got)
			return copied ? (ssize_t)copied : -EFAULT;
	}
	return got;
}

/* Room for chunk bytes after output processing, which at most doubles them (ONLCR). */
static bool has_room(struct tty *tty, size_t chunk)
{
	return !tty->write_room || tty->write_room(tty) >= 2 * chunk;
}

static bool write_ready(void *arg)
{
	struct tty *tty = arg;

	return tty->hungup || (tty_ldisc_write_ready(&tty->ldisc) && has_room(tty, TTY_CHUNK));
}

static ssize_t tty_write(struct file *f, struct iov_iter *from)
{
	struct tty *tty = tty_from_file(f);
	size_t n = iov_iter_count(from), done = 0;
	char buf[TTY_CHUNK];
	int err;

	if (tty->hungup)
		return -EIO;
	if ((tty->ldisc.termios.c_lflag & TOSTOP) &&
	    (err = tty_check_background(tty, SIGTTOU)))
		return err;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(buf));
		/* Copied once: a wait below retries with the same bytes. */
		size_t got = copy_from_iter(buf, from, chunk);

		if (!got)
			return done ? (ssize_t)done : -EFAULT;
		for (;;) {
			unsigned long flags = arch_irq_save();
			ssize_t w;

			if (tty->hungup)
				w = -EIO;
			else if (!has_room(tty, TTY_CHUNK))
				w = -EAGAIN;
			else
				w = tty_ldisc_write(&tty->ldisc, buf, got);
			arch_irq_restore(flags);
			if (w == -EIO)
				return done ? (ssize_t)done : -EIO;
			if (w != -EAGAIN)
				break;
			/* Output stopped by ^S, or the device has no room. */
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			err = wait_interruptible_deadline(&tty->wait, write_ready, tty, 0);
			if (err)
				return done ? (ssize_t)done : err;
		}
		done += got;
		if (got < chunk)
			break;          /* a fault after these bytes: a short write */
	}
	return done;
}

static unsigned tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty *tty = tty_from_file(f);
	unsigned mask = 0;

	unsigned long flags;

	poll_wait(f, &tty->wait, pt);
	flags = arch_irq_save();        /* the buffers are shared with the UART interrupt */
	if (tty->hungup)
		mask = POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLERR | POLLHUP;
	else {
		if (tty_ldisc_read_ready(&tty->ldisc))
			mask |= POLLIN | POLLRDNORM;
		if (write_ready(tty))
			mask |= POLLOUT | POLLWRNORM;
	}
	arch_irq_restore(flags);
	return mask;
}

static void tty_release(struct file *f)
{
	struct tty *tty = tty_from_file(f);
	unsigned long flags = arch_irq_save();
	bool last = --tty->open_files == 0;

	arch_irq_restore(flags);
	if (last && tty->release)
		tty->release(tty);
}

static const struct file_ops tty_file_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
	.release = tty_release,
};

/* Each open tty file names its terminal (the serial line now, ptys next). */
struct tty *tty_from_file(struct file *f)
{
	return f && f->ops == &tty_file_ops ? f->private : NULL;
}

int tty_open_file(struct tty *tty, struct inode *node, unsigned flags, bool noctty,
		  struct file **out)
{
	struct file *f = file_alloc(&tty_file_ops, node, flags);

	if (!f)
		return -ENOMEM;
	f->private = tty;
	tty->open_files++;
	if (!noctty && !(flags & O_NOCTTY))
		tty_set_ctty(tty, false);
	*out = f;
	return 0;
}
