/* open, openat, creat: finding or creating the file, then a descriptor for it. */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* Flags that only matter while opening; F_GETFL does not report them. */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC)

static int access_mask(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY: return MAY_READ;
	case O_WRONLY: return MAY_WRITE;
	default: return MAY_READ | MAY_WRITE;
	}
}

/* O_CREAT: the existing file, or a new one with mode & ~umask. */
static int lookup_or_create(int dirfd, const char *path, int flags, unsigned mode,
			    struct dentry **out, bool *created)
{
	struct dentry *parent, *d;
	char name[NAME_MAX + 1];
	bool slash;
	int err = path_walk_parent(dirfd, path, &parent, name, &slash);

	if (err == -EBUSY)      /* "/", "." or "..": an existing directory */
		return path_walk(dirfd, path, LOOKUP_FOLLOW, out) ?: -EISDIR;
	if (err)
		return err;
	if (!(err = vfs_lookup(parent, name, strlen(name), &d))) {
		if (flags & O_EXCL)
			return -EEXIST;
		if (!S_ISLNK(d->inode->mode)) {
			*out = d;
			return 0;
		}
		if (flags & O_NOFOLLOW)
			return -ELOOP;
		/* A dangling symlink is not followed to create its target here. */
		return path_walk(dirfd, path, LOOKUP_FOLLOW, out);
	}
	if (err != -ENOENT)
		return err;
	if (slash)
		return -EISDIR;
	if ((err = mount_may_write(parent->inode)) ||
	    (err = inode_permission(parent->inode, MAY_WRITE | MAY_EXEC)))
		return err;
	mode = S_IFREG | (mode & 07777 & ~current_task()->umask);
	if ((err = vfs_create(parent, name, mode, 0, 0, out)))
		return err;
	*created = true;
	return 0;
}

/* O_PATH descriptors only name a file: read and write are EBADF. */
static const struct file_ops path_only_ops;

static int open_file(int dirfd, const char *path, int flags, unsigned mode,
		     struct file **out)
{
	struct dentry *d;
	struct inode *ino;
	bool created = false;
	unsigned walk = ((flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW) |
			((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0);
	int err;

	if (flags & O_CREAT)
		err = lookup_or_create(dirfd, path, flags, mode, &d, &created);
	else
		err = path_walk(dirfd, path, walk, &d);
	if (err)
		return err;
	ino = d->inode;
	if (flags & O_PATH) {
		if (!(*out = file_alloc(&path_only_ops, ino, flags)))
			return -ENOMEM;
		dget(d);
		(*out)->dentry = d;
		return 0;
	}
	if (S_ISLNK(ino->mode))
		return -ELOOP;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (S_ISDIR(ino->mode) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if ((err = mount_may_open_dev(ino)))
		return err;
	if (S_ISBLK(ino->mode) || S_ISSOCK(ino->mode))
		return -ENXIO;      /* no block devices or sockets yet */
	if (!created && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) &&
	    (err = mount_may_write_file(ino)))
		return err;
	if (!created && (err = inode_permission(ino, access_mask(flags) |
					       ((flags & O_TRUNC) ? MAY_WRITE : 0))))
		return err;
	if (ino->iops && ino->iops->open)      /* computed files: /proc, /sys */
		return ino->iops->open(d, flags & ~OPEN_ONLY_FLAGS, out);
	if (S_ISCHR(ino->mode) || S_ISFIFO(ino->mode)) {
		/* These may sleep (a FIFO waits for its other end): not under fs_lock. */
		iget(ino);
		fs_unlock();
		flags &= ~OPEN_ONLY_FLAGS;
		err = S_ISCHR(ino->mode) ? chardev_open(ino, flags, out) :
					   fifo_open(ino, flags, out);
		fs_lock();
		iput(ino);
		return err;
	}
	if ((flags & O_TRUNC) && S_ISREG(ino->mode) && (err = vfs_truncate(ino, 0)))
		return err;
	*out = file_open_dentry(d, flags & ~OPEN_ONLY_FLAGS);
	return *out ? 0 : -ENOMEM;
}

long sys_openat(int dirfd, const char *upath, int flags, unsigned mode)
{
	struct file *f;
	char *path;
	long err;
	int fd;

	if ((err = path_from_user(upath, &path)))
		return err;
	/* Like Linux on 64-bit: every file is opened large. */
	flags |= O_LARGEFILE;
	fs_lock();
	err = open_file(dirfd, path, flags, mode, &f);
	fs_unlock();
	kfree(path);
	if (err)
		return err;
	fd = fd_install(current_task()->files, f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_open(const char *upath, int flags, unsigned mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_creat(const char *upath, unsigned mode)
{
	return sys_openat(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}
