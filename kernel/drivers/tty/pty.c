/*
 * Unix 98 pseudo-terminals. Opening /dev/ptmx makes a pair: the master
 * file returned, and a slave terminal that appears as /dev/pts/N. The
 * slave is an ordinary struct tty (termios, job control, controlling
 * terminal): what the master writes is the slave's received input, and
 * the slave's processed output lands in a buffer the master reads.
 *
 * As on Linux: the slave starts locked (opening it is EIO until
 * TIOCSPTLCK 0, which unlockpt does); master reads return EIO once the
 * slave side is closed; the master's last close hangs the slave up
 * (SIGHUP to its session, reads 0, writes EIO) and removes its node.
 * Not done: packet mode (TIOCPKT), TIOCGPTPEER, per-mount instances.
 *
 * Locking: interrupts off, as for every tty (kevlar/tty.h).
 */
#include <kevlar/arch.h>
#include <kevlar/format.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/time.h>
#include <kevlar/tty.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>

#define PTY_MAX         256
#define PTY_OUT_SIZE    8192
#define PTY_CHUNK       512

struct pty {
	struct tty slave;
	unsigned index;
	bool locked;            /* TIOCSPTLCK: the slave cannot be opened */
	bool master_open;
	bool slave_closed;      /* the slave was opened and its last file closed */
	struct wait_queue master_wait;  /* master readers: slave output arrived or slave closed */
	struct dentry *node;
	char name[16];
	struct ringbuf out;     /* slave output not yet read by the master */
	char out_buf[PTY_OUT_SIZE];
};

static struct pty *ptys[PTY_MAX];

static void slave_output(struct tty *tty, const char *buf, size_t n)
{
	struct pty *pty = tty->driver;

	/* Nobody will read it once the master is gone; echo beyond the buffer is dropped. */
	if (pty->master_open)
		ringbuf_put(&pty->out, buf, n);
	wake_up_all(&pty->master_wait);
}

static size_t slave_write_room(struct tty *tty)
{
	return ringbuf_free(&((struct pty *)tty->driver)->out);
}

/* Interrupts off. Called once both sides are closed. */
static void pty_free(struct pty *pty)
{
	ptys[pty->index] = NULL;
	kfree(pty);
}

static void slave_release(struct tty *tty)
{
	struct pty *pty = tty->driver;
	unsigned long flags = arch_irq_save();

	pty->slave_closed = true;
	wake_up_all(&pty->master_wait);
	if (!pty->master_open)
		pty_free(pty);
	arch_irq_restore(flags);
}

static bool master_readable(void *arg)
{
	struct pty *pty = arg;

	return !ringbuf_empty(&pty->out) || pty->slave_closed;
}

static ssize_t master_read(struct file *f, struct iov_iter *to)
{
	struct pty *pty = f->private;
	size_t n = iov_iter_count(to), got, copied;
	char buf[PTY_CHUNK];
	unsigned long flags;
	int err;

	if (n == 0)
		return 0;
	for (;;) {
		flags = arch_irq_save();
		got = ringbuf_get(&pty->out, buf, MIN(n, sizeof(buf)));
		arch_irq_restore(flags);
		if (got) {
			wake_up_all(&pty->slave.wait);     /* slave writers wait for room */
			copied = copy_to_iter(to, buf, got);
			return copied || !got ? (ssize_t)copied : -EFAULT;
		}
		if (pty->slave_closed)
			return -EIO;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_interruptible_deadline(&pty->master_wait, master_readable, pty, 0);
		if (err)
			return err;
	}
}

static bool input_room(void *arg)
{
	struct pty *pty = arg;

	return ringbuf_free(&pty->slave.ldisc.input) > 0;
}

/* What the master writes is typed at the slave: the ldisc's receive side. */
static ssize_t master_write(struct file *f, struct iov_iter *from)
{
	struct pty *pty = f->private;
	struct tty_ldisc *l = &pty->slave.ldisc;
	size_t n = iov_iter_count(from), done = 0;
	char buf[PTY_CHUNK];
	int err;

	while (done < n) {
		size_t want = MIN(n - done, sizeof(buf)), put = 0;
		size_t chunk = copy_from_iter(buf, from, want);

		if (!chunk)
			return done ? (ssize_t)done : -EFAULT;
		while (put < chunk) {
			unsigned long flags = arch_irq_save();
			size_t room = ringbuf_free(&l->input), k = MIN(room, chunk - put);

			if (k && (l->termios.c_cflag & CREAD))
				tty_ldisc_receive(l, buf + put, k);
			else if (k)
				k = chunk - put;        /* CREAD off: the slave ignores input */
			arch_irq_restore(flags);
			put += k;
			if (k)
				continue;
			/* The slave's input queue is full: wait for its reader, as Linux throttles. */
			if (f->flags & O_NONBLOCK) {
				done += put;
				return done ? (ssize_t)done : -EAGAIN;
			}
			err = wait_interruptible_deadline(&pty->slave.wait, input_room, pty, 0);
			if (err) {
				done += put;
				return done ? (ssize_t)done : err;
			}
		}
		done += chunk;
		if (chunk < want)
			break;          /* a fault after these bytes: a short write */
	}
	return done;
}

static unsigned master_poll(struct file *f, struct poll_table *pt)
{
	struct pty *pty = f->private;
	unsigned mask = 0;

	unsigned long flags;

	poll_wait(f, &pty->master_wait, pt);
	poll_wait(f, &pty->slave.wait, pt);
	flags = arch_irq_save();        /* the buffers change with interrupts off */
	if (!ringbuf_empty(&pty->out))
		mask |= POLLIN | POLLRDNORM;
	if (pty->slave_closed)
		mask |= POLLHUP;
	if (input_room(pty))
		mask |= POLLOUT | POLLWRNORM;
	arch_irq_restore(flags);
	return mask;
}

static void master_release(struct file *f)
{
	struct pty *pty = f->private;
	struct dentry *node = pty->node;
	unsigned long flags;

	pty->node = NULL;
	if (node)
		devpts_remove_slave(node);
	flags = arch_irq_save();
	pty->master_open = false;
	arch_irq_restore(flags);
	tty_hangup(&pty->slave);
	flags = arch_irq_save();
	if (!pty->slave.open_files)
		pty_free(pty);
	arch_irq_restore(flags);
}

static long master_set_termios(struct pty *pty, unsigned cmd, unsigned long arg)
{
	struct termios tio;
	unsigned long flags;
	int err;

	if (copy_from_user(&tio, (void *)arg, sizeof(tio)))
		return -EFAULT;
	flags = arch_irq_save();
	err = tty_ldisc_set_termios(&pty->slave.ldisc, &tio, cmd);
	arch_irq_restore(flags);
	wake_up_all(&pty->slave.wait);
	return err;
}

/* The master answers for the slave's settings, as on Linux (isatty(master) is true). */
static long master_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct pty *pty = f->private;
	struct tty_ldisc *l = &pty->slave.ldisc;
	struct winsize ws;
	unsigned long flags;
	int v;

	switch (cmd) {
	case TIOCGPTN:
		return put_user(pty->index, (unsigned *)arg) ? -EFAULT : 0;
	case TIOCSPTLCK:
		if (get_user(v, (int *)arg))
			return -EFAULT;
		pty->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		return put_user((int)pty->locked, (int *)arg) ? -EFAULT : 0;
	case TCGETS:
		return copy_to_user((void *)arg, &l->termios, sizeof(struct termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return master_set_termios(pty, cmd, arg);
	case TIOCGWINSZ:
		return copy_to_user((void *)arg, &l->winsize, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, (void *)arg, sizeof(ws)))
			return -EFAULT;
		flags = arch_irq_save();
		tty_ldisc_set_winsize(l, &ws);
		arch_irq_restore(flags);
		return 0;
	case FIONREAD:
		return put_user((int)ringbuf_used(&pty->out), (int *)arg) ? -EFAULT : 0;
	case TIOCOUTQ:
		return put_user((int)ringbuf_used(&l->input), (int *)arg) ? -EFAULT : 0;
	case TCFLSH:
		if (arg != TCIFLUSH && arg != TCOFLUSH && arg != TCIOFLUSH)
			return -EINVAL;
		flags = arch_irq_save();
		/* The master's input is the slave's output, and the other way round. */
		if (arg != TCOFLUSH)
			ringbuf_clear(&pty->out);
		if (arg != TCIFLUSH)
			tty_ldisc_flush_input(l);
		arch_irq_restore(flags);
		wake_up_all(&pty->slave.wait);
		return 0;
	case TCSBRK:
	case TCSBRKP:
		return 0;
	case TIOCPKT:
		if (get_user(v, (int *)arg))
			return -EFAULT;
		return v ? -EINVAL : 0;
	case FIONBIO:
		if (get_user(v, (int *)arg))
			return -EFAULT;
		if (v)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		return 0;
	default:
		return -ENOTTY;
	}
}

static const struct file_ops master_ops = {
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
	.release = master_release,
};

/* Interrupts off: the lowest free index, reserved with a placeholder-free claim. */
static int claim_index(struct pty *pty)
{
	for (unsigned i = 0; i < PTY_MAX; i++)
		if (!ptys[i]) {
			ptys[i] = pty;
			return i;
		}
	return -ENOSPC;
}

int pty_open_master(struct inode *node, unsigned flags, struct file **out)
{
	struct task *t = current_task();
	struct pty *pty = kzalloc(sizeof(*pty));
	struct file *f;
	unsigned long irq;
	int idx, err;

	if (!pty)
		return -ENOMEM;
	irq = arch_irq_save();
	idx = claim_index(pty);
	arch_irq_restore(irq);
	if (idx < 0) {
		err = idx;
		goto out_free;
	}
	pty->index = idx;
	ksnprintf(pty->name, sizeof(pty->name), "pts/%d", idx);
	tty_init(&pty->slave, pty->name, NULL);
	pty->slave.output = slave_output;
	pty->slave.write_room = slave_write_room;
	pty->slave.release = slave_release;
	pty->slave.driver = pty;
	wait_queue_init(&pty->master_wait);
	ringbuf_init(&pty->out, pty->out_buf, sizeof(pty->out_buf));
	pty->locked = true;
	pty->master_open = true;
	err = -ENOMEM;
	if (!(f = file_alloc(&master_ops, node, flags)))
		goto out_unclaim;
	f->private = pty;
	/* Without a devpts instance the pair still works; ptsname then fails its stat. */
	pty->node = devpts_add_slave(idx, PTS_MAJOR_FIRST + idx / 256, idx % 256,
				     t->cred.fsuid, t->cred.fsgid);
	*out = f;
	return 0;
out_unclaim:
	irq = arch_irq_save();
	ptys[idx] = NULL;
	arch_irq_restore(irq);
out_free:
	kfree(pty);
	return err;
}

int pty_open_slave(unsigned index, struct inode *node, unsigned flags, struct file **out)
{
	struct pty *pty = index < PTY_MAX ? ptys[index] : NULL;
	int err;

	if (!pty)
		return -ENXIO;
	if (!pty->master_open || pty->locked)
		return -EIO;
	if ((err = tty_open_file(&pty->slave, node, flags, false, out)))
		return err;
	pty->slave_closed = false;
	return 0;
}
