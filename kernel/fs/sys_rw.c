/* read/write family: thin wrappers that find the file and call its ops. */
#include <kevlar/fs.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>
#include "fs_internal.h"

/* Linux caps one transfer so the result fits an int with room to spare. */
#define RW_MAX  0x7ffff000UL

static bool open_for(const struct file *f, bool writing)
{
	unsigned acc = f->flags & O_ACCMODE;

	return !(f->flags & O_PATH) && (writing ? acc != O_RDONLY : acc != O_WRONLY);
}

/* fd's file, with a reference (fdput it), if it is open for that direction. */
static struct file *file_for(int fd, bool writing)
{
	struct file *f = fdget(fd);

	if (f && !open_for(f, writing)) {
		fdput(f);
		return NULL;
	}
	return f;
}

static long file_read(struct file *f, void *buf, size_t count)
{
	if (!f->ops->read)
		return -EINVAL;
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	return f->ops->read(f, buf, MIN(count, RW_MAX));
}

static long file_write(struct file *f, const void *buf, size_t count)
{
	if (!f->ops->write)
		return -EINVAL;
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	return f->ops->write(f, buf, MIN(count, RW_MAX));
}

long sys_read(int fd, void *buf, size_t count)
{
	struct file *f = file_for(fd, false);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_read(f, buf, count);
	fdput(f);
	return ret;
}

long sys_write(int fd, const void *buf, size_t count)
{
	struct file *f = file_for(fd, true);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_write(f, buf, count);
	fdput(f);
	return ret;
}

static long file_positioned(struct file *f, void *buf, size_t count, long pos, bool writing)
{
	if (pos < 0)
		return -EINVAL;
	if (!file_is_regular(f))
		return f->inode && S_ISDIR(f->inode->mode) ? -EISDIR : -ESPIPE;
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	count = MIN(count, RW_MAX);
	return writing ? regular_pwrite(f, buf, count, pos) : regular_pread(f, buf, count, pos);
}

static long positioned(int fd, void *buf, size_t count, long pos, bool writing)
{
	struct file *f = file_for(fd, writing);
	long ret;

	if (!f)
		return -EBADF;
	ret = file_positioned(f, buf, count, pos, writing);
	fdput(f);
	return ret;
}

long file_read_checked(struct file *f, void *ubuf, size_t count)
{
	return open_for(f, false) ? file_read(f, ubuf, count) : -EBADF;
}

long file_write_checked(struct file *f, const void *ubuf, size_t count)
{
	return open_for(f, true) ? file_write(f, ubuf, count) : -EBADF;
}

long file_pread_checked(struct file *f, void *ubuf, size_t count, long pos)
{
	return open_for(f, false) ? file_positioned(f, ubuf, count, pos, false) : -EBADF;
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
 * Vectors are done one segment at a time; a short transfer ends the call.
 * pos < 0 means "at the file position" (readv/writev).
 */
static long file_iov(struct file *f, const struct iovec *uiov, int iovcnt, bool writing, long pos)
{
	long total = 0;

	for (int i = 0; i < iovcnt; i++) {
		struct iovec iov;
		long n;

		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return total ? total : -EFAULT;
		if (iov.iov_len == 0)
			continue;
		if (pos >= 0)
			n = file_positioned(f, (void *)iov.iov_base, iov.iov_len, pos + total, writing);
		else if (writing)
			n = file_write(f, (const void *)iov.iov_base, iov.iov_len);
		else
			n = file_read(f, (void *)iov.iov_base, iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < iov.iov_len)
			break;
	}
	return total;
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
