/*
 * flock(2): advisory whole-file locks. A lock belongs to the open file
 * description (struct file), so dup'd and fork-inherited descriptors share
 * it, and it goes away with LOCK_UN or the description's last close
 * (flock_release from file_put). Locks conflict per inode: two open()s of
 * one file are two owners.
 *
 * One list and one wait queue for the whole system: few files are locked
 * at a time, and a wake-up makes every waiter re-check its own inode.
 * The list is only touched with interrupts off, which on our one CPU also
 * keeps a waker and a waiter from interleaving.
 */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/spinlock.h>
#include <kevlar/kmalloc.h>
#include <kevlar/list.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/wait.h>
#include <uapi/errno.h>

#define LOCK_SH     1
#define LOCK_EX     2
#define LOCK_NB     4
#define LOCK_UN     8

struct flock_entry {
	struct list_head link;
	struct inode *inode;
	struct file *owner;
	unsigned type;                  /* LOCK_SH or LOCK_EX */
};

/* flock_lock (spin, task context only): the flocks list and its entries. */
static DEFINE_SPINLOCK(flock_lock);
static struct list_head flocks = LIST_HEAD_INIT(flocks);
static struct wait_queue flock_wait = { .waiters = LIST_HEAD_INIT(flock_wait.waiters) };

static struct flock_entry *flock_find(struct file *f)
{
	struct flock_entry *e;

	list_for_each_entry(e, &flocks, link)
		if (e->owner == f)
			return e;
	return NULL;
}

/* Another description holds a lock on f's inode that type cannot share. */
static bool flock_conflicts(struct file *f, unsigned type)
{
	struct flock_entry *e;

	list_for_each_entry(e, &flocks, link)
		if (e->inode && e->inode == f->inode && e->owner != f &&
		    (type == LOCK_EX || e->type == LOCK_EX))
			return true;
	return false;
}

/* The wait's condition: the walk of the list needs the lock too (a waiter can be preempted in it). */
static bool flock_free_for(struct file *f, unsigned type)
{
	bool free;

	spin_lock(&flock_lock);
	free = !flock_conflicts(f, type);
	spin_unlock(&flock_lock);
	return free;
}

/* Drop f's lock, if any, and let waiters re-check. */
static void flock_remove(struct file *f)
{
	struct flock_entry *e;

	spin_lock(&flock_lock);
	if ((e = flock_find(f)))
		list_del(&e->link);
	spin_unlock(&flock_lock);
	if (e) {
		kfree(e);
		wake_up_all(&flock_wait);
	}
}

void flock_release(struct file *f)
{
	flock_remove(f);
}

static long flock_file(struct file *f, unsigned cmd);

/*
 * The call holds the file throughout: a close() of fd by another thread
 * meanwhile leaves a waiter waiting, as on Linux; the lock it then gets
 * belongs to the description, so it goes when that call's reference, the
 * last, is put.
 */
long sys_flock(int fd, unsigned cmd)
{
	struct file *f = fdget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = flock_file(f, cmd);
	fdput(f);
	return ret;
}

static long flock_file(struct file *f, unsigned cmd)
{
	unsigned op = cmd & ~LOCK_NB;
	struct flock_entry *e, *old;
	int ret;

	if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN)
		return -EINVAL;
	if (op == LOCK_UN) {
		flock_remove(f);
		return 0;
	}
	/* A file without an inode (console, pipe) locks, conflicting with none. */
	spin_lock(&flock_lock);
	old = flock_find(f);
	if (old && old->type == op) {
		spin_unlock(&flock_lock);
		return 0;
	}
	spin_unlock(&flock_lock);
	/* Converting is not atomic, as on Linux: the old lock goes first, so
	 * two SH holders both converting to EX do not deadlock. */
	if (old)
		flock_remove(f);

	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->inode = f->inode;
	e->owner = f;
	e->type = op;
	for (;;) {
		spin_lock(&flock_lock);
		if (!flock_conflicts(f, op)) {
			list_add_tail(&e->link, &flocks);
			spin_unlock(&flock_lock);
			return 0;
		}
		spin_unlock(&flock_lock);
		if (cmd & LOCK_NB) {
			ret = -EWOULDBLOCK;
			break;
		}
		ret = wait_event_interruptible(&flock_wait, flock_free_for(f, op));
		if (ret)
			break;
	}
	kfree(e);
	return ret;
}
