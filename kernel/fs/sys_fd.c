/* Descriptor-table syscalls: close, dup*, fcntl. */
#include <kevlar/fs.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <kevlar/uaccess.h>

long sys_close(int fd)
{
	struct file *f = fd_remove(fd);

	if (!f)
		return -EBADF;
	file_put(f);            /* a syscall still using f keeps it until it returns */
	return 0;
}

/* newfd becomes a descriptor for oldfd's file; what newfd held is closed. */
static long dup_to(int oldfd, int newfd, bool cloexec)
{
	struct fd_table *t = current_task()->files;
	unsigned limit = fd_limit();
	struct file *f, *old = NULL;

	fs_lock();              /* the table's slots */
	/* Linux: a newfd at or past RLIMIT_NOFILE is EBADF. */
	if (!(f = fd_lookup_locked(oldfd)) || newfd < 0 || (unsigned)newfd >= limit) {
		fs_unlock();
		return -EBADF;
	}
	if (fd_table_reserve(t, (unsigned)newfd)) {
		fs_unlock();
		return -ENOMEM;
	}
	if (oldfd != newfd) {
		file_get(f);
		old = t->fd[newfd];
		t->fd[newfd] = f;
		t->cloexec[newfd] = cloexec;
	}
	fs_unlock();
	if (old)
		file_put(old);
	return newfd;
}

long sys_dup2(int oldfd, int newfd)
{
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
	struct file *f = fdget_raw(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	if (min < 0 || (unsigned)min >= fd_limit()) {
		fdput(f);
		return -EINVAL;
	}
	/* fdget's reference becomes the new descriptor's. */
	fd = fd_install(current_task()->files, f, min, cloexec);
	if (fd < 0)
		fdput(f);
	return fd;
}

long sys_dup(int oldfd)
{
	return dup_min(oldfd, 0, false);
}

static long fcntl_file(struct file *f, int fd, int cmd, unsigned long arg);

/* What fcntl may do with an O_PATH descriptor (Linux's list): the descriptor's own business. */
static bool fcntl_cmd_for_path(int cmd)
{
	return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC || cmd == F_GETFD || cmd == F_SETFD ||
	       cmd == F_GETFL;
}

long sys_fcntl(int fd, int cmd, unsigned long arg)
{
	struct file *f = fdget_raw(fd);
	long ret;

	if (!f)
		return -EBADF;
	if ((f->flags & O_PATH) && !fcntl_cmd_for_path(cmd))
		ret = -EBADF;
	else
		ret = fcntl_file(f, fd, cmd, arg);
	fdput(f);
	return ret;
}

/* The close-on-exec flag of fd, if fd still holds f (another thread may have closed it). */
static long cloexec_flag(struct file *f, int fd, bool set, bool on)
{
	struct fd_table *t = current_task()->files;
	long ret = -EBADF;

	fs_lock();              /* the table's slots */
	if ((unsigned)fd < t->size && t->fd[fd] == f) {
		if (set)
			t->cloexec[fd] = on;
		ret = set ? 0 : t->cloexec[fd] ? FD_CLOEXEC : 0;
	}
	fs_unlock();
	return ret;
}

static long fcntl_file(struct file *f, int fd, int cmd, unsigned long arg)
{
	const unsigned settable = O_APPEND | O_NONBLOCK;

	switch (cmd) {
	case F_DUPFD:
		return dup_min(fd, arg, false);
	case F_DUPFD_CLOEXEC:
		return dup_min(fd, arg, true);
	case F_GETFD:
		return cloexec_flag(f, fd, false, false);
	case F_SETFD:
		return cloexec_flag(f, fd, true, arg & FD_CLOEXEC);
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
