/*
 * Per-process filesystem context: working directory, root (chroot) and
 * umask. All three are inherited across fork and kept across exec. A NULL
 * cwd or root means the root file system's root, so kernel threads need no set-up.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

struct dentry *task_cwd(struct task *t)
{
	return t->cwd ? t->cwd : vfs_root();
}

struct dentry *task_root(struct task *t)
{
	return t->root ? t->root : vfs_root();
}

void fs_context_inherit(struct task *child, struct task *parent)
{
	fs_lock();
	if ((child->cwd = parent->cwd))
		dget(child->cwd);
	if ((child->root = parent->root))
		dget(child->root);
	child->umask = parent->umask;
	fs_unlock();
}

void fs_context_release(struct task *t)
{
	fs_lock();
	dput(t->cwd);
	dput(t->root);
	t->cwd = t->root = NULL;
	fs_unlock();
}

/* Replace *slot (a cwd or root) with d, which must be a searchable directory. */
static long set_dir(struct dentry **slot, struct dentry *d)
{
	long err;

	if (!S_ISDIR(d->inode->mode))
		return -ENOTDIR;
	if ((err = inode_permission(d->inode, MAY_EXEC)))
		return err;
	dget(d);
	dput(*slot);
	*slot = d;
	return 0;
}

static long set_dir_by_path(const char *upath, bool root)
{
	struct task *t = current_task();
	struct dentry *d;
	char *path;
	long err;

	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if (!(err = path_walk(AT_FDCWD, path, LOOKUP_FOLLOW, &d)))
		err = set_dir(root ? &t->root : &t->cwd, d);
	fs_unlock();
	kfree(path);
	return err;
}

long sys_chdir(const char *upath)
{
	return set_dir_by_path(upath, false);
}

long sys_chroot(const char *upath)
{
	if (cred_fsuid() != 0)
		return -EPERM;
	return set_dir_by_path(upath, true);
}

long sys_fchdir(int fd)
{
	struct task *t = current_task();
	struct file *f;
	long err = -EBADF;

	fs_lock();
	if ((f = fd_lookup_locked(fd)))
		err = f->dentry ? set_dir(&t->cwd, f->dentry) : -ENOTDIR;
	fs_unlock();
	return err;
}

long sys_getcwd(char *ubuf, size_t size)
{
	struct task *t = current_task();
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	fs_lock();
	if (task_cwd(t)->unlinked)
		len = -ENOENT;      /* Linux: the cwd was removed */
	else
		len = dentry_path(task_cwd(t), task_root(t), buf, PATH_MAX);
	fs_unlock();
	if (len > 0 && (size_t)len > size)
		len = -ERANGE;
	if (len > 0 && copy_to_user(ubuf, buf, len))
		len = -EFAULT;
	kfree(buf);
	return len;
}

long sys_umask(unsigned mask)
{
	struct task *t = current_task();
	unsigned old = t->umask;

	t->umask = mask & 0777;
	return old;
}
