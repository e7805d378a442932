/* stat family, getdents64, getcwd and chdir over the tmpfs. */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

#define TMPFS_DEV       0x10    /* an arbitrary device number for st_dev */
#define DIRENT_CHUNK    512

static void fill_stat(const struct inode *ino, struct kstat_user *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = TMPFS_DEV;
	st->st_ino = ino->ino;
	st->st_nlink = ino->nlink;
	st->st_mode = ino->mode;
	st->st_uid = ino->uid;
	st->st_gid = ino->gid;
	st->st_rdev = ((uint64_t)ino->rdev_major << 8) | (ino->rdev_minor & 0xff) |
		      ((uint64_t)(ino->rdev_minor & ~0xffu) << 12);
	st->st_size = ino->size;
	st->st_blksize = 4096;
	st->st_blocks = (ino->size + 511) / 512;
	st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = ino->mtime;
}

static long stat_inode(const struct inode *ino, struct kstat_user *ust)
{
	struct kstat_user st;

	fill_stat(ino, &st);
	return copy_to_user(ust, &st, sizeof(st));
}

long sys_newfstatat(int dirfd, const char *upath, struct kstat_user *ust, int flags)
{
	char *path = kmalloc(PATH_MAX);
	struct inode *ino;
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, PATH_MAX);
	if (err >= 0 && path[0] == '\0') {
		/* AT_EMPTY_PATH: stat the descriptor itself. */
		struct file *f = fd_get(dirfd);

		kfree(path);
		if (!(flags & AT_EMPTY_PATH))
			return -ENOENT;
		if (!f)
			return -EBADF;
		return f->inode ? stat_inode(f->inode, ust) : -EINVAL;
	}
	if (err >= 0)
		err = path_lookup(path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &ino);
	kfree(path);
	if (err < 0)
		return err;
	return stat_inode(ino, ust);
}

long sys_stat(const char *upath, struct kstat_user *ust)
{
	return sys_newfstatat(AT_FDCWD, upath, ust, 0);
}

long sys_lstat(const char *upath, struct kstat_user *ust)
{
	return sys_newfstatat(AT_FDCWD, upath, ust, AT_SYMLINK_NOFOLLOW);
}

long sys_fstat(int fd, struct kstat_user *ust)
{
	struct file *f = fd_get(fd);
	struct kstat_user st;

	if (!f)
		return -EBADF;
	if (f->inode)
		return stat_inode(f->inode, ust);
	/* The console: a character device, like /dev/console (5, 1). */
	memset(&st, 0, sizeof(st));
	st.st_mode = S_IFCHR | 0600;
	st.st_rdev = (5 << 8) | 1;
	st.st_blksize = 1024;
	return copy_to_user(ust, &st, sizeof(st));
}

static uint8_t dirent_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	case S_IFIFO: return DT_FIFO;
	case S_IFSOCK: return DT_SOCK;
	default: return DT_UNKNOWN;
	}
}

/*
 * f->pos counts entries: 0 is ".", 1 is "..", then the children in order.
 * (Entries removed while reading would shift this; no unlink exists yet.)
 */
long sys_getdents64(int fd, void *ubuf, size_t count)
{
	struct file *f = fd_get(fd);
	char rec[DIRENT_CHUNK] __attribute__((aligned(8)));
	struct inode *dir, *child;
	size_t done = 0;
	uint64_t index = 0;

	if (!f)
		return -EBADF;
	dir = f->inode;
	if (!dir || !S_ISDIR(dir->mode))
		return -ENOTDIR;

	struct inode *dots[2] = { dir, dir->parent };
	const char *dot_names[2] = { ".", ".." };
	child = list_empty(&dir->children) ? NULL :
		list_first_entry(&dir->children, struct inode, sibling);
	for (;; index++) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
		const struct inode *ino;
		const char *name;
		size_t len, reclen;

		if (index < 2) {
			ino = dots[index];
			name = dot_names[index];
		} else {
			if (!child)
				break;
			ino = child;
			name = child->name;
			child = child->sibling.next == &dir->children ? NULL :
				list_entry(child->sibling.next, struct inode, sibling);
		}
		if (index < f->pos)
			continue;
		len = strlen(name);
		reclen = ALIGN_UP(sizeof(*d) + len + 1, 8);
		if (done + reclen > count)
			return done ? (long)done : -EINVAL;
		memset(rec, 0, reclen);
		d->d_ino = ino->ino;
		d->d_off = index + 1;
		d->d_reclen = reclen;
		d->d_type = dirent_type(ino->mode);
		memcpy(d->d_name, name, len);
		if (copy_to_user((char *)ubuf + done, rec, reclen))
			return -EFAULT;
		done += reclen;
		f->pos = index + 1;
	}
	return done;
}

/* No per-process working directory yet: everyone lives in "/". */
long sys_getcwd(char *ubuf, size_t size)
{
	if (size < 2)
		return -ERANGE;
	if (copy_to_user(ubuf, "/", 2))
		return -EFAULT;
	return 2;
}

long sys_chdir(const char *upath)
{
	char path[PATH_MAX];
	struct inode *ino;
	long err = strncpy_from_user(path, upath, sizeof(path));

	if (err < 0)
		return err;
	if ((err = path_lookup(path, LOOKUP_FOLLOW, &ino)))
		return err;
	return S_ISDIR(ino->mode) ? 0 : -ENOTDIR;
}

long sys_access(const char *upath, int mode)
{
	char *path = kmalloc(PATH_MAX);
	struct inode *ino;
	long err;

	(void)mode;     /* root may do anything the file exists for */
	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, upath, PATH_MAX);
	if (err >= 0)
		err = path_lookup(path, LOOKUP_FOLLOW, &ino);
	kfree(path);
	return err < 0 ? err : 0;
}

long sys_faccessat(int dirfd, const char *upath, int mode)
{
	(void)dirfd;
	return sys_access(upath, mode);
}

long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	(void)flags;
	return sys_faccessat(dirfd, upath, mode);
}
