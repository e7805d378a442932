/*
 * Name-space syscalls: mkdir, mknod, rmdir, unlink, link, symlink,
 * rename, readlink and their *at forms. Errors follow Linux's order of
 * checks closely enough that coreutils/busybox report the same messages.
 * Permissions are checked here; the VFS (kevlar/vfs.h) does the rest.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* Creating or removing an entry in dir needs a writable mount, and write and search on dir. */
static int may_change_dir(struct dentry *dir)
{
	return mount_may_write(dir->inode) ?: inode_permission(dir->inode, MAY_WRITE | MAY_EXEC);
}

/* In a sticky directory (/tmp) only the owner of the entry or dir, or root, removes it. */
static int may_delete(struct dentry *dir, struct dentry *victim)
{
	uint32_t uid = cred_fsuid();
	int err = may_change_dir(dir);

	if (err)
		return err;
	if ((dir->inode->mode & S_ISVTX) && uid != 0 && uid != victim->inode->uid &&
	    uid != dir->inode->uid)
		return -EPERM;
	if (victim == task_root(current_task()) || victim == vfs_root())
		return -EBUSY;
	return 0;
}

/*
 * Look up the parent of a new name; bad_last is the error for "/", "." or "..".
 * same_fs (link's source, else NULL) must be on the parent's file system:
 * -EXDEV, after -EEXIST and before the permission check, as on Linux.
 */
static int new_name(int dirfd, const char *path, struct dentry **parent,
		    char *name, bool *slash, int bad_last, const struct inode *same_fs)
{
	int err = path_walk_parent(dirfd, path, parent, name, slash);
	struct dentry *d;

	if (err == -EBUSY)
		return bad_last;
	if (err)
		return err;
	if (!(err = vfs_lookup(*parent, name, strlen(name), &d)))
		return -EEXIST;
	if (err != -ENOENT)
		return err;
	if (same_fs && inode_sb(same_fs) != inode_sb((*parent)->inode))
		return -EXDEV;
	return may_change_dir(*parent);
}

static long make_node(int dirfd, const char *upath, uint32_t mode, const char *target,
		      uint32_t major, uint32_t minor)
{
	char name[NAME_MAX + 1], *path;
	struct dentry *parent, *d;
	bool slash;
	long err;

	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if ((err = new_name(dirfd, path, &parent, name, &slash, -EEXIST, NULL)))
		goto out;
	if (slash && !S_ISDIR(mode)) {
		err = -ENOENT;
		goto out;
	}
	if (target)
		err = vfs_symlink(parent, name, target, &d);
	else
		err = vfs_create(parent, name, mode, major, minor, &d);
out:
	fs_unlock();
	kfree(path);
	return err;
}

long sys_mkdirat(int dirfd, const char *upath, unsigned mode)
{
	return make_node(dirfd, upath, S_IFDIR | (mode & 01777 & ~current_task()->umask),
			 NULL, 0, 0);
}

long sys_mkdir(const char *upath, unsigned mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

/* dev_t as glibc encodes it: 12 bits of major, 20 of minor, split. */
long sys_mknodat(int dirfd, const char *upath, unsigned mode, unsigned long dev)
{
	uint32_t major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffu);
	uint32_t minor = (dev & 0xff) | ((dev >> 12) & ~0xffu);
	uint32_t perm = mode & 07777 & ~current_task()->umask;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		return make_node(dirfd, upath, S_IFREG | perm, NULL, 0, 0);
	case S_IFIFO:
	case S_IFSOCK:
		return make_node(dirfd, upath, (mode & S_IFMT) | perm, NULL, 0, 0);
	case S_IFCHR:
	case S_IFBLK:
		if (cred_fsuid() != 0)
			return -EPERM;
		return make_node(dirfd, upath, (mode & S_IFMT) | perm, NULL, major, minor);
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

long sys_mknod(const char *upath, unsigned mode, unsigned dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}

long sys_symlinkat(const char *utarget, int dirfd, const char *upath)
{
	char *target;
	long err;

	if ((err = path_from_user(utarget, &target)))
		return err;
	err = target[0] ? make_node(dirfd, upath, S_IFLNK | 0777, target, 0, 0) : -ENOENT;
	kfree(target);
	return err;
}

long sys_symlink(const char *utarget, const char *upath)
{
	return sys_symlinkat(utarget, AT_FDCWD, upath);
}

/* unlink and rmdir: the entry named, not what a symlink there points to. */
static long remove_name(int dirfd, const char *upath, bool dir)
{
	char name[NAME_MAX + 1], *path;
	struct dentry *parent, *d;
	bool slash;
	long err;

	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	err = path_walk_parent(dirfd, path, &parent, name, &slash);
	if (err == -EBUSY) {
		/* rmdir "." is EINVAL, ".." ENOTEMPTY, "/" EBUSY; unlink says EISDIR. */
		size_t n = strlen(name);

		err = !dir ? -EISDIR : n == 1 && name[0] == '.' ? -EINVAL :
		      n == 2 && name[0] == '.' ? -ENOTEMPTY : -EBUSY;
		goto out;
	}
	if (err)
		goto out;
	if ((err = vfs_lookup(parent, name, strlen(name), &d)))
		goto out;
	if (dir && !S_ISDIR(d->inode->mode))
		err = -ENOTDIR;
	else if (!dir && S_ISDIR(d->inode->mode))
		err = -EISDIR;
	else if (!dir && slash)
		err = -ENOTDIR;
	else if (d->mounted || mount_with_root(d))
		err = -EBUSY;           /* a mount point, or what is mounted */
	else if (!(err = may_delete(parent, d)))
		err = dir ? vfs_rmdir(parent, d) : vfs_unlink(parent, d);
out:
	fs_unlock();
	kfree(path);
	return err;
}

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return remove_name(dirfd, upath, flags & AT_REMOVEDIR);
}

long sys_unlink(const char *upath)
{
	return remove_name(AT_FDCWD, upath, false);
}

long sys_rmdir(const char *upath)
{
	return remove_name(AT_FDCWD, upath, true);
}

long sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags)
{
	char name[NAME_MAX + 1], *oldpath, *newpath = NULL;
	struct dentry *old, *parent;
	struct file *f;
	bool slash;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = path_from_user(uold, &oldpath)))
		return err;
	if ((err = path_from_user(unew, &newpath)))
		goto free;
	fs_lock();
	if (!oldpath[0] && (flags & AT_EMPTY_PATH)) {
		f = fd_lookup_locked(olddirfd);
		err = !f ? -EBADF : !f->dentry ? -ENOENT : 0;
		old = f ? f->dentry : NULL;
	} else {
		err = path_walk(olddirfd, oldpath, (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0,
				&old);
	}
	if (err)
		goto out;
	if ((err = new_name(newdirfd, newpath, &parent, name, &slash, -EEXIST, old->inode)))
		goto out;
	if (S_ISDIR(old->inode->mode))
		err = -EPERM;
	else if (slash)
		err = -ENOENT;
	else
		err = vfs_link(old->inode, parent, name);
out:
	fs_unlock();
free:
	kfree(newpath);
	kfree(oldpath);
	return err;
}

long sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

/* Is d the directory anc or below it? (A directory cannot move into itself.) */
static bool is_ancestor(struct dentry *anc, struct dentry *d)
{
	for (;; d = d->parent) {
		if (d == anc)
			return true;
		if (d == d->parent)
			return false;
	}
}

static long do_rename(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		      unsigned flags)
{
	char oldname[NAME_MAX + 1], newname[NAME_MAX + 1];
	struct dentry *oldparent, *newparent, *d, *target;
	bool oldslash, newslash, isdir;
	int err;

	if ((err = path_walk_parent(olddirfd, oldpath, &oldparent, oldname, &oldslash)))
		return err;
	if ((err = path_walk_parent(newdirfd, newpath, &newparent, newname, &newslash)))
		return err;
	/* Linux says so before looking at the names. */
	if (!vfs_same_fs(oldparent, newparent))
		return -EXDEV;
	if ((err = vfs_lookup(oldparent, oldname, strlen(oldname), &d)))
		return err;
	isdir = S_ISDIR(d->inode->mode);
	if (d->mounted)
		return -EBUSY;
	if (!isdir && (oldslash || newslash))
		return -ENOTDIR;
	if ((err = may_delete(oldparent, d)) || (err = may_change_dir(newparent)))
		return err;
	if ((err = vfs_lookup(newparent, newname, strlen(newname), &target)) == -ENOENT)
		target = NULL;
	else if (err)
		return err;
	if (target == d)
		return 0;
	if (target && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	/* Two names of one inode: POSIX says do nothing. */
	if (target && target->inode == d->inode)
		return 0;
	if (isdir && is_ancestor(d, newparent))
		return -EINVAL;
	if (target && (err = may_delete(newparent, target)))
		return err;
	return vfs_rename(oldparent, d, newparent, newname, target);
}

long sys_renameat2(int olddirfd, const char *uold, int newdirfd, const char *unew,
		   unsigned flags)
{
	char *oldpath, *newpath = NULL;
	long err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;     /* exchange and whiteout are not supported */
	if ((err = path_from_user(uold, &oldpath)))
		return err;
	if (!(err = path_from_user(unew, &newpath))) {
		fs_lock();
		err = do_rename(olddirfd, oldpath, newdirfd, newpath, flags);
		fs_unlock();
	}
	kfree(newpath);
	kfree(oldpath);
	return err;
}

long sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew)
{
	return sys_renameat2(olddirfd, uold, newdirfd, unew, 0);
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat2(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz)
{
	struct dentry *d;
	struct file *f;
	char *path, *target = NULL;
	size_t n = 0;
	long err;

	if (bufsiz <= 0)
		return -EINVAL;
	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if (!path[0]) {
		/* "" names dirfd itself (an O_PATH|O_NOFOLLOW descriptor of a link). */
		f = fd_lookup_locked(dirfd);
		err = dirfd == AT_FDCWD ? -ENOENT : !f ? -EBADF : !f->dentry ? -EINVAL : 0;
		d = f ? f->dentry : NULL;
	} else {
		err = path_walk(dirfd, path, 0, &d);
	}
	if (!err && !S_ISLNK(d->inode->mode))
		err = -EINVAL;
	else if (!err && !(target = kmalloc(PATH_MAX)))
		err = -ENOMEM;
	else if (!err && (err = vfs_readlink(d, target, PATH_MAX)) >= 0)
		n = MIN((size_t)bufsiz, (size_t)err), err = 0;
	fs_unlock();
	if (!err)
		err = copy_to_user(ubuf, target, n) ? -EFAULT : (long)n;
	kfree(target);
	kfree(path);
	return err;
}

long sys_readlink(const char *upath, char *ubuf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, bufsiz);
}
