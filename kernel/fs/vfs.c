/*
 * The generic side of the VFS (kevlar/vfs.h): the checks every file system
 * shares, made once here, then the file system's own operation. The
 * syscalls have made the permission checks before calling in. Callers
 * hold fs_lock().
 */
#include <kevlar/dcache.h>
#include <kevlar/fs.h>
#include <kevlar/mount.h>
#include <kevlar/rlimit.h>
#include <kevlar/string.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>

void vfs_init(void)
{
	tmpfs_init();
}

/* The root file system is the tmpfs the initramfs is unpacked into. */
struct dentry *vfs_root(void)
{
	return tmpfs_root();
}

bool vfs_same_fs(const struct dentry *a, const struct dentry *b)
{
	return inode_sb(a->inode) == inode_sb(b->inode);
}

int vfs_lookup(struct dentry *dir, const char *name, size_t len, struct dentry **out)
{
	const struct vfs_inode_ops *ops = dir->inode->fs_ops;
	struct inode *ino;
	struct dentry *d;
	int err;

	if (!S_ISDIR(dir->inode->mode))
		return -ENOTDIR;
	if (len == 0 || len > NAME_MAX)
		return len ? -ENAMETOOLONG : -ENOENT;
	if (dir->inode->iops && dir->inode->iops->refresh)
		dir->inode->iops->refresh(dir);
	if ((d = d_lookup(dir, name, len))) {
		*out = d;
		return 0;
	}
	if (!ops || !ops->lookup || dir->unlinked)
		return -ENOENT;
	if ((err = ops->lookup(dir->inode, name, len, &ino)))
		return err;
	if (!(d = d_alloc(name, len, ino))) {
		iput(ino);
		return -ENOMEM;
	}
	d_attach(dir, d);           /* the cache's reference is the one d_alloc gave */
	*out = d;
	return 0;
}

/* dir can take the new entry name: the checks before any create/mkdir/symlink/link. */
static int check_new_name(struct dentry *dir, const char *name)
{
	size_t len = strlen(name);
	struct dentry *d;
	int err;

	if (!S_ISDIR(dir->inode->mode))
		return -ENOTDIR;
	if (dir->unlinked)
		return -ENOENT;     /* creating in a removed directory */
	if (len == 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EEXIST;
	switch ((err = vfs_lookup(dir, name, len, &d))) {
	case 0:
		return -EEXIST;
	case -ENOENT:
		return 0;
	default:
		return err;         /* the file system could not tell (-EIO) */
	}
}

int vfs_create(struct dentry *dir, const char *name, uint32_t mode,
	       uint32_t rdev_major, uint32_t rdev_minor, struct dentry **out)
{
	const struct vfs_inode_ops *ops;
	int err;

	if (S_ISDIR(mode))
		return vfs_mkdir(dir, name, mode & ~S_IFMT, out);
	if ((err = check_new_name(dir, name)))
		return err;
	ops = dir->inode->fs_ops;
	if (!ops->create)
		return -EPERM;
	return ops->create(dir, name, mode, rdev_major, rdev_minor, out);
}

int vfs_mkdir(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out)
{
	int err = check_new_name(dir, name);

	if (err)
		return err;
	if (!dir->inode->fs_ops->mkdir)
		return -EPERM;
	return dir->inode->fs_ops->mkdir(dir, name, mode & ~S_IFMT, out);
}

int vfs_symlink(struct dentry *dir, const char *name, const char *target,
		struct dentry **out)
{
	int err = check_new_name(dir, name);

	if (err)
		return err;
	if (!target[0])
		return -ENOENT;
	if (!dir->inode->fs_ops->symlink)
		return -EPERM;
	return dir->inode->fs_ops->symlink(dir, name, target, out);
}

int vfs_link(struct inode *ino, struct dentry *dir, const char *name)
{
	int err;

	if (inode_sb(ino) != inode_sb(dir->inode))
		return -EXDEV;
	if (S_ISDIR(ino->mode))
		return -EPERM;
	if ((err = check_new_name(dir, name)))
		return err;
	if (!dir->inode->fs_ops->link)
		return -EPERM;
	return dir->inode->fs_ops->link(dir, name, ino);
}

int vfs_unlink(struct dentry *dir, struct dentry *d)
{
	if (S_ISDIR(d->inode->mode))
		return -EISDIR;
	if (!dir->inode->fs_ops->unlink)
		return -EPERM;
	dir->inode->fs_ops->unlink(dir, d);
	return 0;
}

int vfs_rmdir(struct dentry *dir, struct dentry *d)
{
	if (!S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	if (!dir->inode->fs_ops->rmdir)
		return -EPERM;
	return dir->inode->fs_ops->rmdir(dir, d);
}

int vfs_rename(struct dentry *old_dir, struct dentry *d, struct dentry *new_dir,
	       const char *name, struct dentry *target)
{
	bool isdir = S_ISDIR(d->inode->mode);
	size_t len = strlen(name);

	if (!vfs_same_fs(old_dir, new_dir))
		return -EXDEV;
	if (target) {
		if (isdir && !S_ISDIR(target->inode->mode))
			return -ENOTDIR;
		if (!isdir && S_ISDIR(target->inode->mode))
			return -EISDIR;
	}
	if (len == 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	if (!old_dir->inode->fs_ops->rename)
		return -EPERM;
	return old_dir->inode->fs_ops->rename(old_dir, d, new_dir, name, target);
}

int vfs_readdir(struct dentry *dir, struct dir_context *ctx)
{
	struct inode *ino = dir->inode;

	if (!S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (ino->iops && ino->iops->refresh)
		ino->iops->refresh(dir);        /* /proc's pids, a process's fds */
	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, ino->ino, ino->mode, 1))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->emit(ctx, "..", 2, dir->parent->inode->ino, dir->parent->inode->mode, 2))
			return 0;
		ctx->pos = 2;
	}
	if (!ino->fs_ops || !ino->fs_ops->readdir)
		return 0;
	return ino->fs_ops->readdir(dir, ctx);
}

int vfs_truncate(struct inode *ino, uint64_t size)
{
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (!S_ISREG(ino->mode) || !ino->fs_ops || !ino->fs_ops->truncate)
		return -EINVAL;
	if (size > ino->size) {
		int err = rlimit_fsize_extend(size);

		if (err)
			return err;
	}
	return ino->fs_ops->truncate(ino, size);
}

long vfs_readlink(struct dentry *d, char *buf, size_t size)
{
	struct inode *ino = d->inode;

	if (!S_ISLNK(ino->mode))
		return -EINVAL;
	if (ino->iops && ino->iops->readlink)       /* /proc/self, /proc/<pid>/exe, fd/N */
		return ino->iops->readlink(d, buf, size);
	if (!ino->fs_ops || !ino->fs_ops->readlink)
		return -EINVAL;
	return ino->fs_ops->readlink(d, buf, size);
}

int vfs_setattr(struct inode *ino, const struct vfs_attr *attr)
{
	if (!ino->fs_ops || !ino->fs_ops->setattr)
		return -EPERM;
	return ino->fs_ops->setattr(ino, attr);
}
