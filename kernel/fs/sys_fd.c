/* Descriptor-table syscalls: close, dup*, fcntl. */
#include <kevlar/fs.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <kevlar/uaccess.h>

long sys_close(int fd)
{
	struct fd_table *t = current_task()->files;
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	t->fd[fd] = NULL;
	t->cloexec[fd] = false;
	file_put(f);
	return 0;
}

static long dup_to(int oldfd, int newfd, bool cloexec)
{
	struct fd_table *t = current_task()->files;
	struct file *f = fd_get(oldfd);

	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= FD_MAX)
		return -EBADF;
	if (oldfd == newfd)
		return newfd;
	file_get(f);
	if (t->fd[newfd])
		file_put(t->fd[newfd]);
	t->fd[newfd] = f;
	t->cloexec[newfd] = cloexec;
	return newfd;
}

long sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fd_get(oldfd) ? newfd : -EBADF;
	return dup_to(oldfd, newfd, false);
}

long sys_dup3(int oldfd, int newfd, int flags)
{
	if (oldfd == newfd || (flags & ~O_CLOEXEC))
		return -EINVAL;
	return dup_to(oldfd, newfd, flags & O_CLOEXEC);
}

static long dup_min(int oldfd, int min, bool cloexec)
{
	struct fd_table *t = current_task()->files;
	struct file *f = fd_get(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	if (min < 0 || min >= FD_MAX)
		return -EINVAL;
	file_get(f);
	fd = fd_install(t, f, min);
	if (fd < 0)
		file_put(f);
	else
		t->cloexec[fd] = cloexec;
	return fd;
}

long sys_dup(int oldfd)
{
	return dup_min(oldfd, 0, false);
}

long sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct fd_table *t = current_task()->files;
	struct file *f = fd_get(fd);
	const unsigned settable = O_APPEND | O_NONBLOCK;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
		return dup_min(fd, arg, false);
	case F_DUPFD_CLOEXEC:
		return dup_min(fd, arg, true);
	case F_GETFD:
		return t->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		t->cloexec[fd] = arg & FD_CLOEXEC;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~settable) | (arg & settable);
		return 0;
	case F_GETLK: {
		/* No other process holds locks we could report: "unlocked" (F_UNLCK). */
		short unlocked = 2;

		return copy_to_user((void *)arg, &unlocked, sizeof(unlocked)) ? -EFAULT : 0;
	}
	case F_SETLK:
	case F_SETLKW:
		return 0;           /* advisory locks always granted: one user at a time */
	case F_GETOWN:
	case F_SETOWN:
		return 0;
	case F_GETPIPE_SZ:
		return f->inode && !S_ISFIFO(f->inode->mode) ? -EBADF : PIPE_SIZE;
	case F_SETPIPE_SZ:
		return f->inode && !S_ISFIFO(f->inode->mode) ? -EBADF : PIPE_SIZE;
	default:
		return -EINVAL;
	}
}
