/*
 * signalfd: a file whose read(2) takes pending signals of a chosen set
 * off the reading task, as 128-byte signalfd_siginfo records, instead of
 * having them delivered. As on Linux the program blocks those signals
 * itself (otherwise delivery usually wins the race); the file only looks
 * at what is pending. Signal state is per task here (kevlar/signal.h), so
 * the reader sees the signals sent to its own task.
 *
 * Every signalfd reader and poller sleeps on one wait queue that
 * signal_send wakes whenever any signal becomes pending: spurious wake-ups
 * re-check their mask, and signals are rare enough for that not to matter.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/poll.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <kevlar/wait.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>
#include <uapi/signalfd.h>

struct signalfd {
	ksigset_t mask;
};

static struct wait_queue signalfd_wait = {
	.waiters = LIST_HEAD_INIT(signalfd_wait.waiters),
};

/* signal_send, interrupts off: a signal just became pending on some task. */
void signalfd_notify(void)
{
	wake_up_all(&signalfd_wait);
}

static ksigset_t sfd_mask(const struct file *f)
{
	return ((const struct signalfd *)f->private)->mask;
}

static bool sfd_ready(const struct file *f)
{
	return (current_task()->sig.pending & sfd_mask(f)) != 0;
}

static void fill_record(struct signalfd_siginfo *r, int sig, const struct pending_info *p)
{
	memset(r, 0, sizeof(*r));
	r->ssi_signo = sig;
	r->ssi_code = p->code;
	switch (sig) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (p->code > 0 && p->code != SI_KERNEL) {
			r->ssi_addr = p->addr;
			return;
		}
		break;
	}
	r->ssi_pid = p->pid;
	r->ssi_uid = p->uid;
	if (sig == SIGCHLD)
		r->ssi_status = p->status;
}

/* Blocks (interruptibly) for the first record only, as Linux does. */
static ssize_t sfd_read(struct file *f, struct iov_iter *to)
{
	struct task *t = current_task();
	size_t n = iov_iter_count(to), done = 0;

	if (n < sizeof(struct signalfd_siginfo))
		return -EINVAL;
	while (n - done >= sizeof(struct signalfd_siginfo)) {
		struct signalfd_siginfo rec;
		struct pending_info info;
		unsigned long flags;
		int sig;

		flags = arch_irq_save();
		sig = signal_dequeue_masked(t, sfd_mask(f), &info);
		arch_irq_restore(flags);
		if (!sig) {
			int err;

			if (done)
				break;
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			err = wait_event_interruptible(&signalfd_wait, sfd_ready(f));
			if (err)
				return err;
			continue;
		}
		fill_record(&rec, sig, &info);
		if (copy_to_iter(to, &rec, sizeof(rec)) != sizeof(rec)) {
			/* Linux loses the signal too; report what was read, if anything. */
			return done ? (ssize_t)done : -EFAULT;
		}
		done += sizeof(rec);
	}
	return done;
}

static unsigned sfd_poll(struct file *f, struct poll_table *pt)
{
	unsigned long flags;
	bool ready;

	if (pt)
		poll_wait(f, &signalfd_wait, pt);
	flags = arch_irq_save();        /* signal state changes with interrupts off */
	ready = sfd_ready(f);
	arch_irq_restore(flags);
	return ready ? POLLIN | POLLRDNORM : 0;
}

static void sfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops signalfd_ops = {
	.read = sfd_read,
	.poll = sfd_poll,
	.release = sfd_release,
};

static long sfd_create(ksigset_t mask, int flags)
{
	struct fd_table *tab = current_task()->files;
	struct signalfd *s = kzalloc(sizeof(*s));
	struct inode *ino;
	struct file *f = NULL;
	int fd = -ENOMEM;

	if (!s)
		return -ENOMEM;
	s->mask = mask;
	/* Linux's anonymous inode: no file type bits, owner read/write. */
	if (!(ino = inode_alloc(0600)))
		goto out;
	f = file_alloc(&signalfd_ops, ino, O_RDWR | (flags & O_NONBLOCK));
	fs_lock();
	iput(ino);              /* the file holds the inode now */
	fs_unlock();
	if (!f)
		goto out;
	f->private = s;
	s = NULL;
	if ((fd = fd_install(tab, f, 0, flags & O_CLOEXEC)) < 0)
		file_put(f);
out:
	kfree(s);
	return fd;
}

long sys_signalfd4(int fd, const ksigset_t *umask, size_t sizemask, int flags)
{
	ksigset_t mask;
	struct file *f;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (sizemask != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	/* Nobody can take SIGKILL or SIGSTOP away from their default action. */
	mask &= ~SIG_UNBLOCKABLE;
	if (fd == -1)
		return sfd_create(mask, flags);
	/* An existing signalfd gets the new mask; its flags stay as they were. */
	if (!(f = fdget(fd)))
		return -EBADF;
	if (f->ops != &signalfd_ops) {
		fdput(f);
		return -EINVAL;
	}
	((struct signalfd *)f->private)->mask = mask;
	fdput(f);
	signalfd_notify();      /* a poller may now be ready */
	return fd;
}

long sys_signalfd(int fd, const ksigset_t *umask, size_t sizemask)
{
	return sys_signalfd4(fd, umask, sizemask, 0);
}
