/* openat and readlink over the tmpfs. Paths are resolved from the root. */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* Copy a user path into a fresh kernel buffer (PATH_MAX bytes). */
static long get_path(const char *upath, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, upath, PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return len;
	}
	if (len == 0) {
		kfree(buf);
		return -ENOENT;
	}
	*out = buf;
	return 0;
}

static int create_file(const char *path, unsigned mode, struct inode **out)
{
	struct inode *parent;
	const char *last;
	size_t len;
	char name[NAME_MAX + 1];
	int err;

	if ((err = path_lookup_parent(path, &parent, &last, &len)))
		return err;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, last, len);
	name[len] = '\0';
	return tmpfs_create(parent, name, S_IFREG | (mode & 07777), out);
}

long sys_openat(int dirfd, const char *upath, int flags, unsigned mode)
{
	struct fd_table *t = current_task()->files;
	struct inode *ino;
	struct file *f;
	char *path;
	long err;
	int fd;

	(void)dirfd;    /* no cwd or directory fds yet: relative means from / */
	if ((err = get_path(upath, &path)))
		return err;
	err = path_lookup(path, (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &ino);
	if (err == -ENOENT && (flags & O_CREAT))
		err = create_file(path, mode, &ino);
	else if (!err && (flags & O_CREAT) && (flags & O_EXCL))
		err = -EEXIST;
	kfree(path);
	if (err)
		return err;
	if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	if (S_ISDIR(ino->mode) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if (S_ISLNK(ino->mode))
		return -ELOOP;
	if (S_ISBLK(ino->mode))
		return -ENXIO;      /* no block devices yet */
	if (S_ISCHR(ino->mode)) {
		if ((err = chardev_open(ino, flags, &f)))
			return err;
		goto install;
	}
	if ((flags & O_TRUNC) && S_ISREG(ino->mode) && (flags & O_ACCMODE) != O_RDONLY)
		tmpfs_set_borrowed(ino, NULL, 0);
	f = file_open_inode(ino, flags);
	if (!f)
		return -ENOMEM;
install:
	fd = fd_install(t, f, 0);
	if (fd < 0) {
		file_put(f);
		return fd;
	}
	t->cloexec[fd] = flags & O_CLOEXEC;
	return fd;
}

long sys_open(const char *upath, int flags, unsigned mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_readlinkat(int dirfd, const char *upath, char *ubuf, int bufsiz)
{
	struct inode *ino;
	char *path;
	long err;
	size_t n;

	(void)dirfd;
	if (bufsiz <= 0)
		return -EINVAL;
	if ((err = get_path(upath, &path)))
		return err;
	err = path_lookup(path, 0, &ino);
	kfree(path);
	if (err)
		return err;
	if (!S_ISLNK(ino->mode))
		return -EINVAL;
	n = MIN((size_t)bufsiz, ino->size);
	if (copy_to_user(ubuf, ino->data, n))
		return -EFAULT;
	return n;
}

long sys_readlink(const char *upath, char *ubuf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, bufsiz);
}
