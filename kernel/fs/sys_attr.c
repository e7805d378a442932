/*
 * Attribute syscalls: access, chmod, chown, truncate, utimensat. Each
 * resolves its target under fs_lock and changes the inode there (the
 * sync family is in fs/sys_sync.c).
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/time.h>

typedef long (*inode_op)(struct inode *ino, void *arg);

/*
 * Run op on what (dirfd, path, flags) names, with the same rules as the
 * stat family: AT_SYMLINK_NOFOLLOW, and AT_EMPTY_PATH with "" for dirfd.
 */
static long with_inode(int dirfd, const char *upath, int flags, inode_op op, void *arg)
{
	struct dentry *d;
	struct file *f;
	char *path;
	long err;

	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		if (dirfd == AT_FDCWD)
			err = op(task_cwd(current_task())->inode, arg);
		else if (!(f = fd_lookup_locked(dirfd)))
			err = -EBADF;
		else
			err = f->inode ? op(f->inode, arg) : -EINVAL;
	} else if (!(err = path_walk(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW,
				     &d))) {
		err = op(d->inode, arg);
	}
	fs_unlock();
	kfree(path);
	return err;
}

static long with_fd(int fd, inode_op op, void *arg)
{
	struct file *f = fdget(fd);
	long err = -EINVAL;

	if (!f)
		return -EBADF;
	if (f->inode) {
		fs_lock();
		err = op(f->inode, arg);
		fs_unlock();
	}
	fdput(f);
	return err;
}

/* access(2) checks with the real ids; until they differ from the fs ids, these. */
static long access_op(struct inode *ino, void *arg)
{
	int mode = *(int *)arg;
	int err;

	if (mode == F_OK)
		return 0;
	/* As Linux: X_OK of a file on a noexec mount fails before the mode
	 * bits are read; W_OK on a read-only mount fails after them, except
	 * for files whose writes change nothing there (devices, FIFOs). */
	if ((mode & X_OK) && S_ISREG(ino->mode) && (err = mount_may_exec(ino)))
		return err;
	if ((err = inode_permission(ino, mode)))
		return err;
	return (mode & W_OK) ? mount_may_write_file(ino) : 0;
}

long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return with_inode(dirfd, upath, flags & ~AT_EACCESS, access_op, &mode);
}

long sys_faccessat(int dirfd, const char *upath, int mode)
{
	return sys_faccessat2(dirfd, upath, mode, 0);
}

long sys_access(const char *upath, int mode)
{
	return sys_faccessat2(AT_FDCWD, upath, mode, 0);
}

/* Only the owner or root changes the mode; a non-member loses setgid (Linux). */
static long chmod_op(struct inode *ino, void *arg)
{
	uint32_t mode = *(unsigned *)arg & 07777;
	int err = mount_may_write(ino);

	if (err)
		return err;
	if (!inode_owner_or_root(ino))
		return -EPERM;
	if (cred_fsuid() != 0 && !cred_in_group(ino->gid))
		mode &= ~S_ISGID;
	return vfs_setattr(ino, &(struct vfs_attr){ .valid = VFS_ATTR_MODE, .mode = mode });
}

long sys_fchmodat(int dirfd, const char *upath, unsigned mode)
{
	return with_inode(dirfd, upath, 0, chmod_op, &mode);
}

long sys_chmod(const char *upath, unsigned mode)
{
	return with_inode(AT_FDCWD, upath, 0, chmod_op, &mode);
}

long sys_fchmod(int fd, unsigned mode)
{
	return with_fd(fd, chmod_op, &mode);
}

struct owner {
	uint32_t uid, gid;      /* (uint32_t)-1: leave unchanged */
};

/*
 * Root may give a file to anyone; an owner may only change its group to
 * one of their own. A change clears setuid, and setgid when group-exec is
 * set, as Linux does for non-directories.
 */
static long chown_op(struct inode *ino, void *arg)
{
	struct owner *o = arg;
	struct vfs_attr a = { .valid = 0 };
	bool root = cred_fsuid() == 0;
	int err = mount_may_write(ino);

	if (err)
		return err;
	if (o->uid != (uint32_t)-1 && o->uid != ino->uid && !root)
		return -EPERM;
	if (o->gid != (uint32_t)-1 && o->gid != ino->gid && !root &&
	    (cred_fsuid() != ino->uid || !cred_in_group(o->gid)))
		return -EPERM;
	if (o->uid != (uint32_t)-1)
		a.valid |= VFS_ATTR_UID, a.uid = o->uid;
	if (o->gid != (uint32_t)-1)
		a.valid |= VFS_ATTR_GID, a.gid = o->gid;
	if (!S_ISDIR(ino->mode) && a.valid) {
		a.valid |= VFS_ATTR_MODE;
		a.mode = ino->mode & 07777 & ~S_ISUID;
		if (a.mode & 0010)
			a.mode &= ~S_ISGID;
	}
	return vfs_setattr(ino, &a);
}

long sys_fchownat(int dirfd, const char *upath, unsigned uid, unsigned gid, int flags)
{
	struct owner o = { uid, gid };

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return with_inode(dirfd, upath, flags, chown_op, &o);
}

long sys_chown(const char *upath, unsigned uid, unsigned gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long sys_lchown(const char *upath, unsigned uid, unsigned gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown(int fd, unsigned uid, unsigned gid)
{
	struct owner o = { uid, gid };

	return with_fd(fd, chown_op, &o);
}

static long truncate_op(struct inode *ino, void *arg)
{
	return vfs_truncate(ino, *(uint64_t *)arg);
}

long sys_truncate(const char *upath, long length)
{
	struct dentry *d;
	char *path;
	long err;

	if (length < 0)
		return -EINVAL;
	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if (!(err = path_walk(AT_FDCWD, path, LOOKUP_FOLLOW, &d)) &&
	    !(err = S_ISDIR(d->inode->mode) ? -EISDIR : mount_may_write(d->inode)) &&
	    !(err = inode_permission(d->inode, MAY_WRITE))) {
		uint64_t len = length;

		err = truncate_op(d->inode, &len);
	}
	fs_unlock();
	kfree(path);
	return err;
}

long sys_ftruncate(int fd, long length)
{
	struct file *f = fdget(fd);
	uint64_t len = length;
	long err = -EINVAL;

	if (!f)
		return -EBADF;
	if (f->flags & O_PATH)
		err = -EBADF;
	else if (length >= 0 && (f->flags & O_ACCMODE) != O_RDONLY && f->inode) {
		fs_lock();
		err = truncate_op(f->inode, &len);
		fs_unlock();
	}
	fdput(f);
	return err;
}

struct times {
	struct timespec64 t[2];     /* atime, mtime; UTIME_NOW / UTIME_OMIT */
	bool null;                  /* times == NULL: both now */
};

/* The time ts asks for into *sec, *nsec: false for UTIME_OMIT (leave it). */
static bool set_time(int64_t *sec, uint32_t *nsec, const struct timespec64 *ts, uint64_t now)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return false;
	if (ts->tv_nsec == UTIME_NOW) {
		*sec = now / NSEC_PER_SEC;
		*nsec = now % NSEC_PER_SEC;
	} else {
		*sec = ts->tv_sec;
		*nsec = ts->tv_nsec;
	}
	return true;
}

/* Setting "now" needs write access or ownership; explicit times need ownership. */
static long utimes_op(struct inode *ino, void *arg)
{
	struct times *tm = arg;
	struct vfs_attr a = { .valid = 0 };
	bool only_now = tm->null || ((tm->t[0].tv_nsec == UTIME_NOW || tm->t[0].tv_nsec == UTIME_OMIT) &&
				     (tm->t[1].tv_nsec == UTIME_NOW || tm->t[1].tv_nsec == UTIME_OMIT));
	uint64_t now = clock_realtime_ns();
	int err = mount_may_write(ino);

	if (err)
		return err;
	if (!inode_owner_or_root(ino) && (!only_now || inode_permission(ino, MAY_WRITE)))
		return only_now ? -EACCES : -EPERM;
	if (set_time(&a.atime_sec, &a.atime_nsec, &tm->t[0], now))
		a.valid |= VFS_ATTR_ATIME;
	if (set_time(&a.mtime_sec, &a.mtime_nsec, &tm->t[1], now))
		a.valid |= VFS_ATTR_MTIME;
	return vfs_setattr(ino, &a);
}

long sys_utimensat(int dirfd, const char *upath, const struct timespec64 *utimes, int flags)
{
	struct times tm = { .null = !utimes };

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(tm.t, utimes, sizeof(tm.t)))
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if ((tm.t[i].tv_nsec < 0 || tm.t[i].tv_nsec >= (long)NSEC_PER_SEC) &&
			    tm.t[i].tv_nsec != UTIME_NOW && tm.t[i].tv_nsec != UTIME_OMIT)
				return -EINVAL;
	} else {
		tm.t[0].tv_nsec = tm.t[1].tv_nsec = UTIME_NOW;
	}
	/* Linux: a NULL path means dirfd itself (futimens); with AT_FDCWD it
	 * is a path like any other, so EFAULT. */
	if (!upath && dirfd != AT_FDCWD)
		return with_fd(dirfd, utimes_op, &tm);
	return with_inode(dirfd, upath, flags, utimes_op, &tm);
}
