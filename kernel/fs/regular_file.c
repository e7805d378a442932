/*
 * Reading and writing tmpfs regular files. A file still borrowing the
 * initrd's bytes gets its own copy on the first write. Everything runs
 * under fs_lock, so a concurrent truncate cannot free the bytes being
 * copied (user copies do not sleep: a fault is resolved or -EFAULT).
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "fs_internal.h"

/* Far beyond what kmalloc can hold; keeps pos + n from overflowing. */
#define REG_MAX_SIZE    ((uint64_t)1 << 40)

ssize_t regular_pread(struct file *f, void *ubuf, size_t n, uint64_t pos)
{
	struct inode *ino = f->inode;
	ssize_t ret = 0;

	fs_lock();
	if (pos < ino->size) {
		size_t avail = MIN(n, ino->size - pos);

		ret = copy_to_user(ubuf, ino->data + pos, avail) ? -EFAULT : (ssize_t)avail;
	}
	fs_unlock();
	return ret;
}

ssize_t regular_pwrite(struct file *f, const void *ubuf, size_t n, uint64_t pos)
{
	struct inode *ino = f->inode;
	ssize_t ret;

	if (n == 0)
		return 0;
	if (pos >= REG_MAX_SIZE || n > REG_MAX_SIZE - pos)
		return -EFBIG;
	fs_lock();
	if ((ret = tmpfs_reserve(ino, pos + n)))
		goto out;
	if (pos > ino->size)
		memset(ino->data + ino->size, 0, pos - ino->size);
	if (copy_from_user(ino->data + pos, ubuf, n)) {
		ret = -EFAULT;
		goto out;
	}
	ino->size = MAX(ino->size, pos + n);
	inode_touch(ino, true);
	ret = n;
out:
	fs_unlock();
	return ret;
}

static ssize_t reg_read(struct file *f, void *ubuf, size_t n)
{
	ssize_t ret = regular_pread(f, ubuf, n, f->pos);

	if (ret > 0)
		f->pos += ret;
	return ret;
}

static ssize_t reg_write(struct file *f, const void *ubuf, size_t n)
{
	ssize_t ret;

	/* O_APPEND: the size is read and written under the same lock hold. */
	fs_lock();
	if (f->flags & O_APPEND)
		f->pos = f->inode->size;
	ret = regular_pwrite(f, ubuf, n, f->pos);
	if (ret > 0)
		f->pos += ret;
	fs_unlock();
	return ret;
}

const struct file_ops regular_file_ops = {
	.read = reg_read,
	.write = reg_write,
};

static ssize_t dir_read(struct file *f, void *ubuf, size_t n)
{
	(void)f;
	(void)ubuf;
	(void)n;
	return -EISDIR;
}

static const struct file_ops directory_ops = {
	.read = dir_read,
};

bool file_is_regular(const struct file *f)
{
	return f->ops == &regular_file_ops;
}

struct file *file_open_dentry(struct dentry *d, unsigned flags)
{
	struct inode *ino = d->inode;
	struct file *f = file_alloc(S_ISDIR(ino->mode) ? &directory_ops : &regular_file_ops,
				    ino, flags);

	if (f) {
		dget(d);
		f->dentry = d;
	}
	return f;
}
