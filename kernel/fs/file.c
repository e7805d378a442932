/*
 * Open files and descriptor tables. Descriptors are allocated lowest-free
 * first, as POSIX requires and getty relies on (close(0); open(tty)).
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <uapi/errno.h>

struct file *file_alloc(const struct file_ops *ops, struct inode *inode, unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->ops = ops;
	f->inode = inode;
	f->flags = flags;
	f->refcount = 1;
	/* The open file keeps an unlinked inode alive until the last close. */
	if (inode) {
		fs_lock();
		iget(inode);
		fs_unlock();
	}
	return f;
}

void file_get(struct file *f)
{
	f->refcount++;
}

void file_put(struct file *f)
{
	if (--f->refcount > 0)
		return;
	flock_release(f);
	if (f->ops->release)
		f->ops->release(f);
	fs_lock();
	if (f->dentry)
		dput(f->dentry);
	if (f->inode)
		iput(f->inode);
	fs_unlock();
	kfree(f);
}

struct fd_table *fd_table_create(void)
{
	struct fd_table *t = kzalloc(sizeof(*t));

	if (t)
		t->refcount = 1;
	return t;
}

void fd_table_put(struct fd_table *t)
{
	if (--t->refcount > 0)
		return;
	for (int i = 0; i < FD_MAX; i++)
		if (t->fd[i])
			file_put(t->fd[i]);
	kfree(t);
}

int fd_install(struct fd_table *t, struct file *f, int min)
{
	for (int i = min; i < FD_MAX; i++) {
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = false;
			return i;
		}
	}
	return -EMFILE;
}

struct file *fd_get(int fd)
{
	struct task *t = current_task();

	if (fd < 0 || fd >= FD_MAX || !t->files)
		return NULL;
	return t->files->fd[fd];
}

struct fd_table *fd_table_clone(struct fd_table *src)
{
	struct fd_table *t = fd_table_create();

	if (!t)
		return NULL;
	for (int i = 0; i < FD_MAX; i++) {
		if (src->fd[i]) {
			file_get(src->fd[i]);
			t->fd[i] = src->fd[i];
			t->cloexec[i] = src->cloexec[i];
		}
	}
	return t;
}

void fd_close_on_exec(struct fd_table *t)
{
	for (int i = 0; t && i < FD_MAX; i++) {
		if (t->fd[i] && t->cloexec[i]) {
			struct file *f = t->fd[i];

			t->fd[i] = NULL;
			t->cloexec[i] = false;
			file_put(f);
		}
	}
}
