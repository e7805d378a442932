/* mount(2), umount2(2), statfs(2) and fstatfs(2) over the mount table. */
#include <kevlar/arch.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/tmpfs_limits.h>
#include <kevlar/page_cache.h>
#include <kevlar/page.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/magic.h>
#include <uapi/mount.h>

#define FSTYPE_MAX      32
#define MOUNT_DATA_MAX  256

/* The mount a path lookup ended at the root of (after crossing), or NULL. */
static struct mount *mount_at(struct dentry *d)
{
	return mount_with_root(d);
}

/* The mount a dentry lives in: the newest mount showing its instance. */
static struct mount *mount_containing(struct dentry *d)
{
	return mount_of_sb(inode_sb(d->inode)) ?: mount_root();
}

static long do_new_mount(struct dentry *target, const char *source, const char *type,
			 unsigned long flags, const char *data)
{
	struct superblock *sb;
	long err;

	if ((err = fs_type_instance(type, data, &sb)))
		return err;
	return mount_add(mount_containing(target), target, sb->root, sb, flags,
			 source, data, NULL);
}

static long do_bind(struct dentry *target, const char *source, unsigned long flags)
{
	struct dentry *src;
	long err;

	if ((err = path_walk(AT_FDCWD, source, LOOKUP_FOLLOW, &src)))
		return err;
	if (S_ISDIR(src->inode->mode) != S_ISDIR(target->inode->mode))
		return S_ISDIR(src->inode->mode) ? -ENOTDIR : -EISDIR;
	return mount_add(mount_containing(target), target, src, inode_sb(src->inode),
			 flags, source, "", NULL);
}

/*
 * The per-mount flags change, and a tmpfs's size= and nr_inodes= (the
 * rest of the options is kept as given, for /proc/mounts).
 */
static long do_remount(struct dentry *target, unsigned long flags, const char *data)
{
	struct mount *m = mount_at(target);
	long err;

	if (!m)
		return -EINVAL;     /* not a mount point */
	if (m->sb->ops == &tmpfs_super_ops && !(flags & MS_BIND) && data &&
	    (err = tmpfs_limits_remount(m->sb, data)))
		return err;
	m->flags = flags & MS_PER_MOUNT;
	if (data && data[0] && !(flags & MS_BIND))
		strlcpy(m->options, data, sizeof(m->options));
	return 0;
}

long sys_mount(const char *usource, const char *utarget, const char *utype,
	       unsigned long flags, const void *udata)
{
	char *source = NULL, *target = NULL, type[FSTYPE_MAX] = "", data[MOUNT_DATA_MAX] = "";
	struct dentry *d;
	long err;

	if (cred_fsuid() != 0)
		return -EPERM;
	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if ((err = path_from_user(utarget, &target)))
		return err;
	if (usource && (err = path_from_user(usource, &source)))
		goto out;
	if (utype && (err = strncpy_from_user(type, utype, sizeof(type))) < 0)
		goto out;
	/* The data page is text for every filesystem we know. */
	if (udata && (err = strncpy_from_user(data, udata, sizeof(data))) < 0)
		goto out;
	fs_lock();
	if ((err = path_walk(AT_FDCWD, target, LOOKUP_FOLLOW, &d)))
		goto unlock;
	if (flags & MS_REMOUNT)
		err = do_remount(d, flags, data);
	else if (flags & MS_BIND)
		err = source ? do_bind(d, source, flags) : -EFAULT;
	else if (flags & MS_PROPAGATION)
		err = 0;            /* one namespace, no peers: nothing propagates */
	else if (flags & MS_MOVE)
		err = -EINVAL;
	else if (!utype)
		err = -EINVAL;      /* a new mount needs a type */
	else if (!S_ISDIR(d->inode->mode))
		err = -ENOTDIR;
	else
		err = do_new_mount(d, source ? source : "none", type, flags, data);
unlock:
	fs_unlock();
out:
	kfree(source);
	kfree(target);
	return err;
}

/*
 * Anything of sb's still in use by a process: a cwd, a root or an open
 * file. Under fs_lock, which cwd, root and descriptor tables change
 * under (exit too); interrupts off for the list itself. Nothing here
 * sleeps, so no task reference is needed.
 */
static bool sb_busy(struct superblock *sb)
{
	unsigned long flags = arch_irq_save();
	bool busy = false;
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link) {
		if ((t->cwd && t->cwd->inode->sb == sb) || (t->root && t->root->inode->sb == sb))
			busy = true;
		if (!busy && t->files && t->state != TASK_ZOMBIE) {
			for (unsigned i = 0; i < t->files->size && !busy; i++) {
				struct file *f = t->files->fd[i];

				busy = f && f->inode && f->inode->sb == sb;
			}
		}
		if (busy)
			break;
	}
	arch_irq_restore(flags);
	return busy;
}

long sys_umount2(const char *utarget, int flags)
{
	struct mount *m;
	struct dentry *d;
	char *target;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (cred_fsuid() != 0)
		return -EPERM;
	if ((err = path_from_user(utarget, &target)))
		return err;
	fs_lock();
	if ((err = path_walk(AT_FDCWD, target, (flags & UMOUNT_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &d)))
		goto out;
	if (!(m = mount_at(d)) || !m->parent) {
		err = -EINVAL;
	} else if (!(flags & MNT_DETACH) && m->sb->mounts == 1 && sb_busy(m->sb)) {
		err = -EBUSY;
	} else {
		/* The instance's last mount: its dirty pages go out first (errors stay with the inodes). */
		if (m->sb->mounts == 1)
			page_cache_sync_all(m->sb);
		err = mount_remove(m, flags & MNT_DETACH);
	}
out:
	fs_unlock();
	kfree(target);
	return err;
}

static void fill_statfs(struct inode *ino, struct statfs_user *st)
{
	struct superblock *sb = inode_sb(ino);
	struct mount *m = mount_of_sb(sb);
	unsigned long mf = m ? m->flags : 0;

	memset(st, 0, sizeof(*st));
	st->f_type = sb->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	st->f_fsid[0] = sb->dev;
	if (sb->ops && sb->ops->statfs) {
		struct vfs_statfs counts = { 0 };

		sb->ops->statfs(sb, &counts);
		st->f_blocks = counts.blocks;
		st->f_bfree = counts.bfree;
		st->f_bavail = counts.bavail;
		st->f_files = counts.files;
		st->f_ffree = counts.ffree;
	}
	st->f_flags = ST_VALID | ((mf & MS_RDONLY) ? ST_RDONLY : 0) |
		      ((mf & MS_NOSUID) ? ST_NOSUID : 0) | ((mf & MS_NODEV) ? ST_NODEV : 0) |
		      ((mf & MS_NOEXEC) ? ST_NOEXEC : 0) | ((mf & MS_NOATIME) ? ST_NOATIME : 0) |
		      ((mf & (MS_NOATIME | MS_STRICTATIME)) ? 0 : ST_RELATIME);
}

long sys_statfs(const char *upath, struct statfs_user *ubuf)
{
	struct statfs_user st;
	struct dentry *d;
	char *path;
	long err;

	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if (!(err = path_walk(AT_FDCWD, path, LOOKUP_FOLLOW, &d)))
		fill_statfs(d->inode, &st);
	fs_unlock();
	kfree(path);
	return err ? err : copy_to_user(ubuf, &st, sizeof(st));
}

long sys_fstatfs(int fd, struct statfs_user *ubuf)
{
	struct statfs_user st;
	struct file *f = fdget_raw(fd);         /* O_PATH too, as on Linux */

	if (!f)
		return -EBADF;
	fs_lock();
	if (f->inode) {
		fill_statfs(f->inode, &st);
	} else {
		struct inode console = { .sb = NULL };

		fill_statfs(&console, &st);
	}
	fs_unlock();
	fdput(f);
	return copy_to_user(ubuf, &st, sizeof(st));
}
