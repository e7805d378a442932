/*
 * Pipes and FIFOs over a byte ring (lib/ringbuf.c). Semantics as POSIX
 * and Linux give them:
 *  - a read blocks while the pipe is empty and some writer exists; with
 *    no writer left it returns 0 (end of file);
 *  - a write of at most PIPE_BUF bytes lands whole or waits; a larger one
 *    may be split between other writers' data;
 *  - writing with no reader left raises SIGPIPE and fails with EPIPE;
 *  - O_NONBLOCK turns every wait into EAGAIN.
 *
 * Locking: ring and counters are touched with preemption off (nothing in
 * interrupt context uses a pipe), and never while sleeping. Sleepers use
 * the two wait queues; wait_event re-checks with interrupts off, so a
 * wake-up between the check and the sleep is not lost.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/ringbuf.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/termios.h>

struct pipe {
	struct ringbuf rb;
	void *storage;
	int readers, writers;
	unsigned reader_opens, writer_opens;    /* FIFO: a waiting open sees the other end come */
	struct wait_queue read_wait;    /* readers: data or EOF; FIFO opens */
	struct wait_queue write_wait;   /* writers: room or no reader */
	struct inode *inode;
};

/*
 * Hooks into signal handling (core/signal.c), referenced weakly so pipes
 * work before it is linked in: whether a signal ends the current wait,
 * and SIGPIPE delivery. An interrupted wait returns ERESTARTSYS, which
 * signal delivery turns into EINTR or a restart (SA_RESTART).
 */
bool current_signal_pending(void) __attribute__((weak));
struct pending_info;
void signal_send(struct task *t, int sig, const struct pending_info *info) __attribute__((weak));
#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif

static bool interrupted(void)
{
	return current_signal_pending && current_signal_pending();
}

static void raise_sigpipe(void)
{
	if (signal_send)
		signal_send(current_task(), SIGPIPE, NULL);
}

static struct pipe *pipe_alloc(struct inode *ino)
{
	struct pipe *p = kzalloc(sizeof(*p));
	size_t cap = PIPE_SIZE;

	if (!p)
		return NULL;
	/* Under memory pressure a smaller ring still works, as long as PIPE_BUF fits. */
	if (!(p->storage = kmalloc(cap)))
		p->storage = kmalloc(cap = PIPE_BUF);
	if (!p->storage) {
		kfree(p);
		return NULL;
	}
	ringbuf_init(&p->rb, p->storage, cap);
	wait_queue_init(&p->read_wait);
	wait_queue_init(&p->write_wait);
	p->inode = ino;
	ino->fifo = p;
	return p;
}

static void pipe_free(struct pipe *p)
{
	p->inode->fifo = NULL;
	kfree(p->storage);
	kfree(p);
}

static bool is_reader(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool is_writer(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

static ssize_t pipe_read(struct file *f, struct iov_iter *to)
{
	struct pipe *p = f->private;
	size_t n = iov_iter_count(to);
	ssize_t done = 0;

	if (n == 0)
		return 0;
	for (;;) {
		preempt_disable();
		while (done < (ssize_t)n && !ringbuf_empty(&p->rb)) {
			const char *span;
			size_t len = MIN(ringbuf_read_span(&p->rb, &span), n - done);
			size_t got = copy_to_iter(to, span, len);

			/* What a fault left behind stays in the pipe, as on Linux. */
			ringbuf_consume(&p->rb, got);
			done += got;
			if (got < len) {
				if (!done)
					done = -EFAULT;
				break;
			}
		}
		if (done) {
			preempt_enable();
			wake_up_all(&p->write_wait);
			return done;
		}
		preempt_enable();
		if (p->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (interrupted())
			return -ERESTARTSYS;
		wait_event(&p->read_wait, !ringbuf_empty(&p->rb) || p->writers == 0 || interrupted());
	}
}

/* Room for the next piece: all of a PIPE_BUF-sized write, else anything. */
static bool write_room(struct pipe *p, size_t left, bool atomic)
{
	return atomic ? ringbuf_free(&p->rb) >= left : ringbuf_free(&p->rb) > 0;
}

static ssize_t pipe_write(struct file *f, struct iov_iter *from)
{
	struct pipe *p = f->private;
	size_t n = iov_iter_count(from);
	bool atomic = n <= PIPE_BUF;
	size_t done = 0;

	while (done < n) {
		bool fault = false;

		preempt_disable();
		if (p->readers == 0) {
			preempt_enable();
			raise_sigpipe();
			return done ? (ssize_t)done : -EPIPE;
		}
		if (write_room(p, n - done, atomic)) {
			while (done < n && ringbuf_free(&p->rb)) {
				char *span;
				size_t len = MIN(ringbuf_write_span(&p->rb, &span), n - done);
				size_t got = copy_from_iter(span, from, len);

				ringbuf_produce(&p->rb, got);
				done += got;
				if (got < len) {
					fault = true;
					break;
				}
			}
			preempt_enable();
			wake_up_all(&p->read_wait);
			if (fault)
				return done ? (ssize_t)done : -EFAULT;
			continue;
		}
		preempt_enable();
		if (f->flags & O_NONBLOCK)
			return done ? (ssize_t)done : -EAGAIN;
		if (interrupted())
			return done ? (ssize_t)done : -ERESTARTSYS;
		wait_event(&p->write_wait, p->readers == 0 || write_room(p, n - done, atomic) ||
			   interrupted());
	}
	return done;
}

static unsigned pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private;
	unsigned mask = 0;

	if (pt && poll_wait) {
		poll_wait(f, &p->read_wait, pt);
		poll_wait(f, &p->write_wait, pt);
	}
	preempt_disable();
	if (is_reader(f)) {
		if (!ringbuf_empty(&p->rb))
			mask |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			mask |= POLLHUP;
	}
	if (is_writer(f)) {
		/* Linux: writable when a whole PIPE_BUF write would not block. */
		if (ringbuf_free(&p->rb) >= PIPE_BUF)
			mask |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			mask |= POLLERR;
	}
	preempt_enable();
	return mask;
}

/* The last close of one end: the other side sees EOF or EPIPE. */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->private;
	bool last;

	preempt_disable();
	if (is_reader(f))
		p->readers--;
	if (is_writer(f))
		p->writers--;
	last = p->readers == 0 && p->writers == 0;
	if (last)
		pipe_free(p);
	preempt_enable();
	if (!last) {
		wake_up_all(&p->read_wait);
		wake_up_all(&p->write_wait);
	}
}

/* FIONREAD: the bytes waiting (shells and `less` ask a pipe). */
static long pipe_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct pipe *p = f->private;
	int n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	preempt_disable();
	n = ringbuf_used(&p->rb);
	preempt_enable();
	return put_user(n, (int *)arg) ? -EFAULT : 0;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

/* A file for one end; counts it before anyone can see it. */
static struct file *pipe_end(struct pipe *p, unsigned flags)
{
	struct file *f = file_alloc(&pipe_ops, p->inode, flags);

	if (!f)
		return NULL;
	f->private = p;
	if (is_reader(f))
		p->readers++;
	if (is_writer(f))
		p->writers++;
	return f;
}

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct inode *ino = inode_alloc(S_IFIFO | 0600);
	struct pipe *p;
	int err = -ENFILE;

	if (!ino)
		return -ENFILE;
	if (!(p = pipe_alloc(ino)))
		goto out;
	*rd = pipe_end(p, O_RDONLY | (flags & O_NONBLOCK));
	*wr = *rd ? pipe_end(p, O_WRONLY | (flags & O_NONBLOCK)) : NULL;
	if (*wr) {
		err = 0;
		goto out;
	}
	if (*rd)
		file_put(*rd);      /* its release frees the pipe */
	else
		pipe_free(p);
out:
	fs_lock();
	iput(ino);              /* the files hold the inode now */
	fs_unlock();
	return err;
}

/*
 * Opening a FIFO: a reader waits for a writer and a writer for a reader,
 * unless O_NONBLOCK (then a writer without reader gets ENXIO) or O_RDWR.
 */
int fifo_open(struct inode *ino, unsigned flags, struct file **out)
{
	unsigned acc = flags & O_ACCMODE;
	bool wait = !(flags & O_NONBLOCK) && acc != O_RDWR;
	struct pipe *p;
	struct file *f;
	unsigned seen;

	preempt_disable();
	if (!(p = ino->fifo) && !(p = pipe_alloc(ino))) {
		preempt_enable();
		return -ENOMEM;
	}
	if (acc == O_WRONLY && (flags & O_NONBLOCK) && p->readers == 0) {
		if (p->writers == 0)
			pipe_free(p);
		preempt_enable();
		return -ENXIO;
	}
	if (!(f = pipe_end(p, flags))) {
		if (p->readers == 0 && p->writers == 0)
			pipe_free(p);
		preempt_enable();
		return -ENOMEM;
	}
	if (is_reader(f))
		p->reader_opens++;
	if (is_writer(f))
		p->writer_opens++;
	seen = acc == O_RDONLY ? p->writer_opens : p->reader_opens;
	preempt_enable();
	wake_up_all(&p->read_wait);
	wake_up_all(&p->write_wait);
	if (wait && acc == O_RDONLY && p->writers == 0)
		wait_event(&p->read_wait, p->writer_opens != seen || interrupted());
	else if (wait && acc == O_WRONLY && p->readers == 0)
		wait_event(&p->write_wait, p->reader_opens != seen || interrupted());
	if (wait && (acc == O_RDONLY ? p->writer_opens : p->reader_opens) == seen &&
	    (acc == O_RDONLY ? p->writers : p->readers) == 0) {
		file_put(f);
		return -ERESTARTSYS;
	}
	*out = f;
	return 0;
}

/* Undo a descriptor this call installed (another thread may already have closed it). */
static void uninstall(int fd)
{
	struct file *f = fd_remove(fd);

	if (f)
		file_put(f);
}

long sys_pipe2(int *ufds, int flags)
{
	struct fd_table *t = current_task()->files;
	bool cloexec = flags & O_CLOEXEC;
	struct file *rd, *wr;
	int fds[2], err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if ((err = pipe_create(flags, &rd, &wr)))
		return err;
	if ((fds[0] = fd_install(t, rd, 0, cloexec)) < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	if ((fds[1] = fd_install(t, wr, 0, cloexec)) < 0) {
		uninstall(fds[0]);
		file_put(wr);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		uninstall(fds[0]);
		uninstall(fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}
