/*
 * poll, ppoll, select and pselect6. A file reports readiness through its
 * poll operation and registers the wait queues that will announce a
 * change (poll_wait); the poller sleeps on all of them at once, with a
 * timer to wake it at the deadline. The poll operations run with
 * interrupts on (a socket's takes fs_lock, which may sleep): each queues
 * its entries before it looks at its state, and the poller sleeps only
 * if no wake-up reached it since the pass began (the task's wake-up
 * count), so a change after a file was checked is never lost.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/poll.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/time.h>

/* Files without a poll operation (regular files, /dev/null) are always ready. */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
/* Queues one file may register (a pipe registers two). */
#define QUEUES_PER_FILE 2

struct poll_entry {
	struct wait_entry we;
};

struct poll_table {
	struct poll_entry *entries;
	int used, size;
};

void poll_wait(struct file *f, struct wait_queue *wq, struct poll_table *pt)
{
	struct poll_entry *e;

	(void)f;
	if (!pt || pt->used == pt->size)
		return;
	e = &pt->entries[pt->used++];
	wait_add(wq, &e->we);
}

static void poll_unregister(struct poll_table *pt)
{
	for (int i = 0; i < pt->used; i++)
		wait_remove(&pt->entries[i].we);
	pt->used = 0;
}

/* f: p->fd's file for this pass (see hold_files), NULL if not open. */
static unsigned poll_one(struct pollfd *p, struct file *f, struct poll_table *pt)
{
	unsigned mask;

	if (p->fd < 0)
		return p->revents = 0;
	if (!f)
		return p->revents = POLLNVAL;
	mask = f->ops->poll ? f->ops->poll(f, pt) : DEFAULT_POLLMASK;
	/* POLLERR, POLLHUP and POLLNVAL are reported whether asked for or not. */
	mask &= (unsigned short)p->events | POLLERR | POLLHUP | POLLNVAL;
	p->revents = (short)mask;
	return mask;
}

/*
 * Each pass looks the descriptors up again (one closed meanwhile reads as
 * POLLNVAL, as on Linux) and holds its files until the pass has taken
 * its wait entries off their queues, which live in the files.
 */
static void hold_files(const struct pollfd *fds, unsigned nfds, struct file **files)
{
	for (unsigned i = 0; i < nfds; i++)
		files[i] = fds[i].fd < 0 ? NULL : fdget(fds[i].fd);
}

static void release_files(struct file **files, unsigned nfds)
{
	for (unsigned i = 0; i < nfds; i++)
		fdput(files[i]);
}

long poll_kernel(struct pollfd *fds, unsigned nfds, uint64_t deadline_ns, bool nowait)
{
	struct task *t = current_task();
	struct poll_table pt = { .size = nfds * QUEUES_PER_FILE };
	struct timer timeout;
	bool timed_out = false;
	long ready;

	struct file **files;

	might_wait();
	files = kmalloc(sizeof(*files) * (nfds ? nfds : 1));

	pt.entries = kmalloc(sizeof(*pt.entries) * (pt.size ? pt.size : 1));
	if (!pt.entries || !files) {
		kfree(pt.entries);
		kfree(files);
		return -ENOMEM;
	}
	timer_init(&timeout, TIMER_MONOTONIC, timer_wake_task, t);
	if (!nowait)
		timer_arm(&timeout, deadline_ns);
	for (;;) {
		unsigned long flags, seen;
		bool sleep;

		hold_files(fds, nfds, files);
		seen = t->wakeups;      /* one word, changed with interrupts off */
		ready = 0;
		for (unsigned i = 0; i < nfds; i++)
			if (poll_one(&fds[i], files[i], nowait ? NULL : &pt))
				ready++;
		flags = arch_irq_save();
		timed_out = deadline_ns < TIME_NEVER &&
			    (timeout.fired || clock_monotonic_ns() >= deadline_ns);
		sleep = !ready && !nowait && !signal_pending(t) && !timed_out;
		if (sleep && t->wakeups == seen) {
			t->state = TASK_SLEEPING;
			schedule();
		}
		arch_irq_restore(flags);
		poll_unregister(&pt);
		release_files(files, nfds);
		if (!sleep)
			break;
	}
	timer_cancel(&timeout);
	kfree(pt.entries);
	kfree(files);
	if (!ready && signal_pending(t) && !nowait && !timed_out)
		return -ERESTARTNOHAND;
	return ready;
}

int poll_set_temp_mask(const ksigset_t *umask, size_t size)
{
	struct task *t = current_task();
	ksigset_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(ksigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	t->sig.saved_mask = t->sig.blocked;
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	t->sig.restore_mask = true;
	return 0;
}

void poll_end_temp_mask(long ret)
{
	struct task *t = current_task();

	if (t->sig.restore_mask && ret != -ERESTARTNOHAND) {
		t->sig.restore_mask = false;
		t->sig.blocked = t->sig.saved_mask;
	}
}

static long poll_common(struct pollfd *ufds, unsigned nfds, uint64_t deadline_ns, bool nowait)
{
	struct pollfd *fds;
	long ret;

	if (nfds > fd_limit())
		return -EINVAL;         /* Linux: more than RLIMIT_NOFILE */
	fds = kmalloc(sizeof(*fds) * (nfds ? nfds : 1));
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, sizeof(*fds) * nfds)) {
		ret = -EFAULT;
		goto out;
	}
	ret = poll_kernel(fds, nfds, deadline_ns, nowait);
	if (ret >= 0) {
		for (unsigned i = 0; i < nfds; i++)
			if (put_user(fds[i].revents, &ufds[i].revents)) {
				ret = -EFAULT;
				break;
			}
	}
out:
	kfree(fds);
	return ret;
}

long sys_poll(struct pollfd *ufds, unsigned nfds, int timeout_ms)
{
	uint64_t deadline = TIME_NEVER;

	/* Negative: no timeout. INT_MAX ms is 25 days: no overflow to fear. */
	if (timeout_ms > 0)
		deadline = clock_monotonic_ns() + (uint64_t)timeout_ms * 1000000ULL;
	return poll_common(ufds, nfds, deadline, timeout_ms == 0);
}

/*
 * A relative timespec to an absolute CLOCK_MONOTONIC deadline (TIME_NEVER:
 * none, or too far to matter); *nowait for a zero timeout.
 */
int poll_timeout_deadline(const struct timespec64 *uts, uint64_t *deadline, bool *nowait)
{
	struct timespec64 ts;
	uint64_t ns;
	int err;

	*deadline = TIME_NEVER;
	*nowait = false;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if ((err = timespec_to_ns(&ts, &ns)))
		return err;
	if (!ns)
		*nowait = true;
	else
		*deadline = time_add_sat(clock_monotonic_ns(), ns);
	return 0;
}

long sys_ppoll(struct pollfd *ufds, unsigned nfds, const struct timespec64 *uts,
	       const ksigset_t *umask, size_t sigsetsize)
{
	uint64_t deadline;
	bool nowait;
	long ret;

	if ((ret = poll_timeout_deadline(uts, &deadline, &nowait)))
		return ret;
	if ((ret = poll_set_temp_mask(umask, sigsetsize)))
		return ret;
	ret = poll_common(ufds, nfds, deadline, nowait);
	poll_end_temp_mask(ret);
	return ret;
}
