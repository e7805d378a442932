/*
 * Reading and writing regular files through the page cache
 * (fs/file_pages.c, kevlar/page_cache.h). Everything runs under fs_lock, so a concurrent
 * truncate cannot free a page being copied (user copies do not sleep: a
 * fault is resolved or -EFAULT).
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/rlimit.h>
#include <kevlar/string.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "fs_internal.h"

/* Linux's MAX_LFS_FILESIZE is larger; this keeps pos + n and page indexes small. */
#define REG_MAX_SIZE    ((uint64_t)1 << 40)

ssize_t regular_pread(struct file *f, struct iov_iter *to, uint64_t pos)
{
	ssize_t ret;

	fs_lock();
	ret = file_pages_read(f->inode, pos, to);
	fs_unlock();
	return ret;
}

ssize_t regular_pwrite(struct file *f, struct iov_iter *from, uint64_t pos)
{
	struct inode *ino = f->inode;
	size_t n = iov_iter_count(from), done = 0;
	ssize_t ret = 0;

	if (n == 0)
		return 0;
	if (pos >= REG_MAX_SIZE || n > REG_MAX_SIZE - pos)
		return -EFBIG;
	if ((ret = rlimit_fsize_write(pos, &n)))
		return ret;
	fs_lock();
	if (pos > ino->size)
		file_pages_resize(ino, pos);    /* the gap reads as zeros */
	while (done < n) {
		uint64_t p = pos + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - p % PAGE_SIZE), got;
		int err = 0;
		char *page = file_page_get(ino, p / PAGE_SIZE, &err);

		if (!page) {
			ret = err;
			break;
		}
		got = copy_from_iter(page + p % PAGE_SIZE, from, chunk);
		if (got)
			page_cache_mark_dirty(ino, p / PAGE_SIZE);
		done += got;
		ino->size = MAX(ino->size, p + got);
		if (got < chunk) {
			ret = -EFAULT;
			break;
		}
	}
	if (done) {
		inode_touch(ino, true);
		ret = done;
	}
	fs_unlock();
	return ret;
}

static ssize_t reg_read(struct file *f, struct iov_iter *to)
{
	ssize_t ret = regular_pread(f, to, f->pos);

	if (ret > 0)
		f->pos += ret;
	return ret;
}

static ssize_t reg_write(struct file *f, struct iov_iter *from)
{
	ssize_t ret;

	/* O_APPEND: the size is read and written under the same lock hold. */
	fs_lock();
	if (f->flags & O_APPEND)
		f->pos = f->inode->size;
	ret = regular_pwrite(f, from, f->pos);
	if (ret > 0)
		f->pos += ret;
	fs_unlock();
	return ret;
}

const struct file_ops regular_file_ops = {
	.read = reg_read,
	.write = reg_write,
};

static ssize_t dir_read(struct file *f, struct iov_iter *to)
{
	(void)f;
	(void)to;
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
