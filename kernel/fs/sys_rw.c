/* read/write family: thin wrappers that find the file and call its ops. */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>
#include "fs_internal.h"

/* Linux caps one transfer so the result fits an int with room to spare. */
#define RW_MAX  0x7ffff000UL

bool file_open_for(const struct file *f, bool writing)
{
	unsigned acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (writing ? acc != O_RDONLY : acc != O_WRONLY);
}

/* fd's file, with a reference (fdput it), if it is open for that direction. */
static struct file *file_for(int fd, bool writing)
{
	struct file *f = fdget(fd);

	if (f && !file_open_for(f, writing)) {
		fdput(f);
		return NULL;
	}
	return f;
}

/*
 * One transfer of at most RW_MAX of the cursor's bytes (the rest is left
 * for the caller): through the file's ops, or at pos >= 0 (regular files).
 */
static long rw_capped(struct file *f, struct iov_iter *it, long pos, bool writing)
{
	size_t over = iov_iter_count(it) > RW_MAX ? iov_iter_count(it) - RW_MAX : 0;
	long ret;

	it->count -= over;
	if (pos >= 0)
		ret = writing ? regular_pwrite(f, it, pos) : regular_pread(f, it, pos);
	else
		ret = writing ? f->ops->write(f, it) : f->ops->read(f, it);
	it->count += over;
	return ret;
}

long file_read_iter(struct file *f, struct iov_iter *to)
{
	if (!file_open_for(f, false))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return rw_capped(f, to, -1, false);
}

long file_write_iter(struct file *f, struct iov_iter *from)
{
	if (!file_open_for(f, true))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	return rw_capped(f, from, -1, true);
}

/* The checks read(2) and write(2) make before building the cursor, in Linux's order. */
static long file_rw_user(struct file *f, void *buf, size_t count, bool writing)
{
	struct iov_iter it;

	if (writing ? !f->ops->write : !f->ops->read)
		return -EINVAL;
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	iov_iter_user(&it, buf, count);
	return writing ? file_write_iter(f, &it) : file_read_iter(f, &it);
}

static long rw(int fd, void *buf, size_t count, bool writing)
{
	struct file *f = file_for(fd, writing);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_rw_user(f, buf, count, writing);
	fdput(f);
	return ret;
}

long sys_read(int fd, void *buf, size_t count)
{
	return rw(fd, buf, count, false);
}

long sys_write(int fd, const void *buf, size_t count)
{
	return rw(fd, (void *)buf, count, true);
}

/* Only tmpfs regular files have offsets. */
static long positioned_ok(const struct file *f, long pos)
{
	if (pos < 0)
		return -EINVAL;
	if (!file_is_regular(f))
		return f->inode && S_ISDIR(f->inode->mode) ? -EISDIR : -ESPIPE;
	return 0;
}

static long positioned_iter(struct file *f, struct iov_iter *it, long pos, bool writing)
{
	long ret = positioned_ok(f, pos);

	return ret ? ret : rw_capped(f, it, pos, writing);
}

long file_pread_iter(struct file *f, struct iov_iter *to, long pos)
{
	return file_open_for(f, false) ? positioned_iter(f, to, pos, false) : -EBADF;
}

static long positioned(int fd, void *buf, size_t count, long pos, bool writing)
{
	struct file *f = file_for(fd, writing);
	struct iov_iter it;
	long ret;

	if (!f)
		return -EBADF;
	if (!(ret = positioned_ok(f, pos)) && !user_range_ok((uint64_t)buf, count))
		ret = -EFAULT;
	if (!ret) {
		iov_iter_user(&it, buf, count);
		ret = rw_capped(f, &it, pos, writing);
	}
	fdput(f);
	return ret;
}

long sys_pread64(int fd, void *buf, size_t count, long pos)
{
	return positioned(fd, buf, count, pos, false);
}

long sys_pwrite64(int fd, const void *buf, size_t count, long pos)
{
	return positioned(fd, (void *)buf, count, pos, true);
}

/*
 * Vectors: the whole user vector becomes one cursor, so a file sees one
 * read or write (a pipe read returns what is there instead of waiting to
 * fill every segment). pos < 0 means "at the file position" (readv/writev).
 */
static long file_iov(struct file *f, const struct iovec *uiov, int iovcnt, bool writing, long pos)
{
	struct iov_iter it;
	struct iovec *iov;
	long ret;

	if (pos < 0 && (writing ? !f->ops->write : !f->ops->read))
		return -EINVAL;
	if ((ret = iov_iter_import(&it, uiov, iovcnt, RW_MAX, &iov)))
		return ret;
	if (!iov_iter_count(&it))
		ret = 0;
	else if (pos >= 0)
		ret = positioned_iter(f, &it, pos, writing);
	else
		ret = writing ? file_write_iter(f, &it) : file_read_iter(f, &it);
	kfree(iov);
	return ret;
}

static long do_iov(int fd, const struct iovec *uiov, int iovcnt, bool writing, long pos)
{
	struct file *f;
	long ret;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (!(f = file_for(fd, writing)))
		return -EBADF;
	ret = file_iov(f, uiov, iovcnt, writing, pos);
	fdput(f);
	return ret;
}

long sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return do_iov(fd, iov, iovcnt, true, -1);
}

long sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	return do_iov(fd, iov, iovcnt, false, -1);
}

long sys_preadv(int fd, const struct iovec *iov, int iovcnt, long pos)
{
	return pos < 0 ? -EINVAL : do_iov(fd, iov, iovcnt, false, pos);
}

long sys_pwritev(int fd, const struct iovec *iov, int iovcnt, long pos)
{
	return pos < 0 ? -EINVAL : do_iov(fd, iov, iovcnt, true, pos);
}

long sys_ioctl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *f = fdget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (f->flags & O_PATH)
		ret = -EBADF;
	else if (!f->ops->ioctl)
		ret = -ENOTTY;
	else
		ret = f->ops->ioctl(f, cmd, arg);
	fdput(f);
	return ret;
}

/*
 * Regular files seek anywhere (past the end too); directories only back
 * to the start (rewinddir), since their position is a readdir cookie.
 * Pipes, FIFOs and terminals are ESPIPE; the memory devices (null,
 * zero, full: major 1) accept any seek and stay at 0.
 */
static long file_lseek(struct file *f, long offset, int whence);

long sys_lseek(int fd, long offset, int whence)
{
	struct file *f = fdget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_lseek(f, offset, whence);
	fdput(f);
	return ret;
}

static long file_lseek(struct file *f, long offset, int whence)
{
	long base;

	if (!f->inode || S_ISFIFO(f->inode->mode))
		return -ESPIPE;
	if (S_ISCHR(f->inode->mode))
		return f->inode->rdev_major == 1 ? 0 : -ESPIPE;
	if (S_ISDIR(f->inode->mode)) {
		if (whence != SEEK_SET || offset != 0)
			return -EINVAL;
		f->pos = 0;
		return 0;
	}
	fs_lock();
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->inode->size; break;
	default: base = -1; break;
	}
	fs_unlock();
	if (base < 0 || (offset < 0 && base + offset < 0))
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}
