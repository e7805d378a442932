/*
 * Open files and descriptor tables. Descriptors are allocated lowest-free
 * first, as POSIX requires and getty relies on (close(0); open(tty)).
 *
 * An open file is counted (refcount_t): one reference per descriptor and
 * one per syscall using it (fdget/fdput), so a thread's close() while
 * another thread is inside read() on the same descriptor removes only the
 * descriptor, as on Linux; the read finishes with its file, and the last
 * reference to go runs the release. Table slots change under fs_lock(),
 * file references never need it, and file_put runs outside it because a
 * release may sleep or take fs_lock() itself.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/rlimit.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

struct file *file_alloc(const struct file_ops *ops, struct inode *inode, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->inode = inode;
	f->flags = flags;
	refcount_set(&f->refs, 1);
	/* The open file keeps an unlinked inode alive until the last close;
	 * the caller holds a reference to inode, so no lock is needed. */
	if (inode)
		iget(inode);
	return f;
}

void file_get(struct file *f)
{
	refcount_inc(&f->refs);
}

void file_put(struct file *f)
{
	if (!refcount_dec_and_test(&f->refs))
		return;
	flock_release(f);
	if (f->ops->release)
		f->ops->release(f);
	fs_lock();              /* the last dput/iput may unlink from the tree */
	if (f->dentry)
		dput(f->dentry);
	if (f->inode)
		iput(f->inode);
	fs_unlock();
	kfree(f);
}

/* Arrays of n slots for t, the old contents copied; under fs_lock (or t not yet shared). */
static int table_resize(struct fd_table *t, unsigned n)
{
	struct file **fd = kzalloc(n * sizeof(*fd));
	bool *cloexec = kzalloc(n * sizeof(*cloexec));

	if (!fd || !cloexec) {
		kfree(fd);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (t->size) {
		memcpy(fd, t->fd, t->size * sizeof(*fd));
		memcpy(cloexec, t->cloexec, t->size * sizeof(*cloexec));
	}
	kfree(t->fd);
	kfree(t->cloexec);
	t->fd = fd;
	t->cloexec = cloexec;
	t->size = n;
	return 0;
}

int fd_table_reserve(struct fd_table *t, unsigned fd)
{
	unsigned n = t->size ? t->size : FD_TABLE_FIRST;

	if (fd < t->size)
		return 0;
	while (n <= fd)
		n *= 2;
	return table_resize(t, MIN(n, (unsigned)NR_OPEN));
}

unsigned fd_limit(void)
{
	struct rlimit64 r;

	rlimit_get(current_task(), RLIMIT_NOFILE, &r);
	return r.rlim_cur < NR_OPEN ? (unsigned)r.rlim_cur : NR_OPEN;
}

struct fd_table *fd_table_create(void)
{
	struct fd_table *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	if (table_resize(t, FD_TABLE_FIRST)) {
		kfree(t);
		return NULL;
	}
	refcount_set(&t->refs, 1);
	return t;
}

/* The last user of the table is gone: nobody else can see its slots. */
void fd_table_put(struct fd_table *t)
{
	if (!refcount_dec_and_test(&t->refs))
		return;
	for (unsigned i = 0; i < t->size; i++)
		if (t->fd[i])
			file_put(t->fd[i]);
	kfree(t->fd);
	kfree(t->cloexec);
	kfree(t);
}

void task_files_release(struct task *t)
{
	struct fd_table *files;

	fs_lock();
	files = t->files;
	t->files = NULL;
	fs_unlock();
	if (files)
		fd_table_put(files);
}

int fd_install(struct fd_table *t, struct file *f, int min, bool cloexec)
{
	unsigned limit = fd_limit(), i = min < 0 ? 0 : (unsigned)min;
	int fd = -EMFILE;

	fs_lock();              /* the table's slots */
	while (i < limit && i < t->size && t->fd[i])
		i++;
	if (i < limit) {
		if (fd_table_reserve(t, i)) {
			fd = -ENOMEM;
		} else {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			fd = (int)i;
		}
	}
	fs_unlock();
	return fd;
}

struct file *fd_lookup_locked(int fd)
{
	struct task *t = current_task();

	if (fd < 0 || !t->files || (unsigned)fd >= t->files->size)
		return NULL;
	return t->files->fd[fd];
}

/*
 * Always counted, even when the table is not shared: the reference costs
 * one atomic increment, and one rule for every caller is easier to keep
 * right than Linux's borrowed-when-single-threaded shortcut.
 */
struct file *fdget_raw(int fd)
{
	struct file *f;

	fs_lock();              /* the slot: a close cannot drop its reference meanwhile */
	if ((f = fd_lookup_locked(fd)))
		file_get(f);
	fs_unlock();
	return f;
}

struct file *fdget(int fd)
{
	struct file *f = fdget_raw(fd);

	if (f && (f->flags & O_PATH)) {
		fdput(f);
		return NULL;
	}
	return f;
}

void fdput(struct file *f)
{
	if (f)
		file_put(f);
}

bool fd_is_open(int fd)
{
	bool open;

	fs_lock();              /* the table's slots */
	open = fd_lookup_locked(fd) != NULL;
	fs_unlock();
	return open;
}

struct file *fd_remove(int fd)
{
	struct fd_table *t = current_task()->files;
	struct file *f;

	fs_lock();              /* the table's slots */
	if ((f = fd_lookup_locked(fd))) {
		t->fd[fd] = NULL;
		t->cloexec[fd] = false;
	}
	fs_unlock();
	return f;
}

struct fd_table *fd_table_clone(struct fd_table *src)
{
	struct fd_table *t = fd_table_create();

	if (!t)
		return NULL;
	fs_lock();              /* src's slots, which its other threads may change */
	if (src->size > t->size && table_resize(t, src->size)) {
		fs_unlock();
		fd_table_put(t);
		return NULL;
	}
	for (unsigned i = 0; i < src->size; i++) {
		if (src->fd[i]) {
			file_get(src->fd[i]);
			t->fd[i] = src->fd[i];
			t->cloexec[i] = src->cloexec[i];
		}
	}
	fs_unlock();
	return t;
}

void fd_close_on_exec(struct fd_table *t)
{
	for (unsigned i = 0; t && i < t->size; i++) {
		struct file *f = NULL;

		fs_lock();      /* the table's slots */
		if (i < t->size && t->fd[i] && t->cloexec[i]) {
			f = t->fd[i];
			t->fd[i] = NULL;
			t->cloexec[i] = false;
		}
		fs_unlock();
		if (f)
			file_put(f);
	}
}
