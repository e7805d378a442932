/* read/write family: thin wrappers that find the file and call its ops. */
#include <kevlar/fs.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/uio.h>

long sys_read(int fd, void *buf, size_t count)
{
	struct file *f = fd_get(fd);

	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	return f->ops->read(f, buf, count);
}

long sys_write(int fd, const void *buf, size_t count)
{
	struct file *f = fd_get(fd);

	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	if (!user_range_ok((uint64_t)buf, count))
		return -EFAULT;
	return f->ops->write(f, buf, count);
}

/* Vectors are done one segment at a time; a short transfer ends the call. */
static long do_iov(int fd, const struct iovec *uiov, int iovcnt, bool writing)
{
	long total = 0;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		struct iovec iov;
		long n;

		if (copy_from_user(&iov, &uiov[i], sizeof(iov)))
			return total ? total : -EFAULT;
		if (iov.iov_len == 0)
			continue;
		n = writing ? sys_write(fd, (const void *)iov.iov_base, iov.iov_len)
			    : sys_read(fd, (void *)iov.iov_base, iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < iov.iov_len)
			break;
	}
	return total;
}

long sys_writev(int fd, const struct iovec *iov, int iovcnt)
{
	return do_iov(fd, iov, iovcnt, true);
}

long sys_readv(int fd, const struct iovec *iov, int iovcnt)
{
	return do_iov(fd, iov, iovcnt, false);
}

long sys_ioctl(int fd, unsigned cmd, unsigned long arg)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, cmd, arg);
}

long sys_lseek(int fd, long offset, int whence)
{
	struct file *f = fd_get(fd);
	long base;

	if (!f)
		return -EBADF;
	if (!f->inode || !S_ISREG(f->inode->mode))
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->pos; break;
	case SEEK_END: base = f->inode->size; break;
	default: return -EINVAL;
	}
	if (base + offset < 0)
		return -EINVAL;
	f->pos = base + offset;
	return f->pos;
}
