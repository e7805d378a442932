/* stat family, statx and getdents64 over the tmpfs. */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <kevlar/mount.h>
#include <kevlar/syscalls.h>
#include "fs_internal.h"

#define DIRENT_CHUNK    512

/*
 * 512-byte blocks as Linux's tmpfs counts them: whole pages for file
 * data, nothing for short symlinks (kept in the inode) and directories.
 */
static uint64_t inode_blocks(const struct inode *ino)
{
	if (!S_ISREG(ino->mode))
		return 0;
	return ALIGN_UP(ino->size, (uint64_t)PAGE_SIZE) / 512;
}

static void fill_stat(const struct inode *ino, struct kstat_user *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode_sb(ino)->dev;
	st->st_ino = ino->ino;
	st->st_nlink = ino->nlink;
	st->st_mode = ino->mode;
	st->st_uid = ino->uid;
	st->st_gid = ino->gid;
	st->st_rdev = ((uint64_t)ino->rdev_major << 8) | (ino->rdev_minor & 0xff) |
		      ((uint64_t)(ino->rdev_minor & ~0xffu) << 12);
	st->st_size = ino->size;
	st->st_blksize = 4096;
	st->st_blocks = inode_blocks(ino);
	st->st_atime_sec = ino->atime_sec;
	st->st_atime_nsec = ino->atime_nsec;
	st->st_mtime_sec = ino->mtime_sec;
	st->st_mtime_nsec = ino->mtime_nsec;
	st->st_ctime_sec = ino->ctime_sec;
	st->st_ctime_nsec = ino->ctime_nsec;
}

long stat_to_user(const struct inode *ino, void *ust)
{
	struct kstat_user st;

	fill_stat(ino, &st);
	return copy_to_user(ust, &st, sizeof(st));
}

/* The console opened without a device node: like /dev/console (5, 1). */
static const struct inode console_inode = {
	.mode = S_IFCHR | 0600, .rdev_major = 5, .rdev_minor = 1,
};

/*
 * Find what a stat-like call names: path relative to dirfd, or with
 * AT_EMPTY_PATH and "" the descriptor itself. Copies the inode out so
 * the caller can write to user memory after dropping the lock.
 */
static long stat_target(int dirfd, const char *upath, int flags, struct inode *out)
{
	char *path;
	struct dentry *d;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((err = path_from_user(upath, &path)))
		return err;
	fs_lock();
	if (path[0] == '\0') {
		struct file *f = dirfd == AT_FDCWD ? NULL : fd_lookup_locked(dirfd);

		if (!(flags & AT_EMPTY_PATH))
			err = -ENOENT;
		else if (dirfd == AT_FDCWD)
			*out = *task_cwd(current_task())->inode;
		else if (!f)
			err = -EBADF;
		else
			*out = f->inode ? *f->inode : console_inode;
	} else if (!(err = path_walk(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, &d))) {
		*out = *d->inode;
	}
	fs_unlock();
	kfree(path);
	return err;
}

long sys_newfstatat(int dirfd, const char *upath, struct kstat_user *ust, int flags)
{
	struct inode ino;
	long err = stat_target(dirfd, upath, flags, &ino);

	return err ? err : stat_to_user(&ino, ust);
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
	struct file *f;
	struct inode ino;

	fs_lock();              /* f, and a consistent copy of its inode */
	if ((f = fd_lookup_locked(fd)))
		ino = f->inode ? *f->inode : console_inode;
	fs_unlock();
	return f ? stat_to_user(&ino, ust) : -EBADF;
}

static void statx_time(struct statx_timestamp_user *t, int64_t sec, uint32_t nsec)
{
	t->tv_sec = sec;
	t->tv_nsec = nsec;
}

long sys_statx(int dirfd, const char *upath, int flags, unsigned mask, struct statx_user *ubuf)
{
	struct statx_user sx;
	struct inode ino;
	long err;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((err = stat_target(dirfd, upath, flags, &ino)))
		return err;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = 4096;
	sx.stx_nlink = ino.nlink;
	sx.stx_uid = ino.uid;
	sx.stx_gid = ino.gid;
	sx.stx_mode = ino.mode;
	sx.stx_ino = ino.ino;
	sx.stx_size = ino.size;
	sx.stx_blocks = inode_blocks(&ino);
	statx_time(&sx.stx_atime, ino.atime_sec, ino.atime_nsec);
	statx_time(&sx.stx_mtime, ino.mtime_sec, ino.mtime_nsec);
	statx_time(&sx.stx_ctime, ino.ctime_sec, ino.ctime_nsec);
	sx.stx_rdev_major = ino.rdev_major;
	sx.stx_rdev_minor = ino.rdev_minor;
	sx.stx_dev_major = 0;       /* every filesystem is an anonymous device */
	sx.stx_dev_minor = inode_sb(&ino)->dev;
	return copy_to_user(ubuf, &sx, sizeof(sx));
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
 * f->pos is a cookie: 0 is ".", 1 is "..", then whatever the file system
 * hands out (vfs_readdir). Records are built in a kernel buffer under the
 * lock, copied out after.
 */
struct getdents_buf {
	struct dir_context ctx;
	char *buf;
	size_t done, size;
	bool full;                  /* an entry did not fit */
};

/* One record into the buffer; false if it does not fit. */
static bool dirent_emit(struct dir_context *ctx, const char *name, size_t len,
			uint64_t ino, uint32_t mode, uint64_t next_pos)
{
	struct getdents_buf *g = container_of(ctx, struct getdents_buf, ctx);
	struct linux_dirent64 *d = (struct linux_dirent64 *)(g->buf + g->done);
	size_t reclen = ALIGN_UP(sizeof(*d) + len + 1, 8);

	if (reclen > g->size - g->done) {
		g->full = true;
		return false;
	}
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next_pos;
	d->d_reclen = reclen;
	d->d_type = dirent_type(mode);
	memcpy(d->d_name, name, len);
	g->done += reclen;
	return true;
}

static long getdents_file(struct file *f, void *ubuf, size_t count);

long sys_getdents64(int fd, void *ubuf, size_t count)
{
	struct file *f = fdget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = getdents_file(f, ubuf, count);
	fdput(f);
	return ret;
}

static long getdents_file(struct file *f, void *ubuf, size_t count)
{
	struct getdents_buf g = { .ctx = { .emit = dirent_emit }, .size = MIN(count, (size_t)PAGE_SIZE * 4) };
	long ret;
	int err;

	if (!f->dentry || !S_ISDIR(f->dentry->inode->mode))
		return -ENOTDIR;
	if (!(g.buf = kmalloc(g.size ? g.size : 1)))
		return -ENOMEM;
	fs_lock();
	g.ctx.pos = f->pos;
	err = vfs_readdir(f->dentry, &g.ctx);
	f->pos = g.ctx.pos;
	fs_unlock();
	if (g.done == 0) {
		kfree(g.buf);
		if (err)
			return err;
		return g.full ? -EINVAL : 0;    /* the next entry does not fit at all, or the end */
	}
	ret = copy_to_user(ubuf, g.buf, g.done) ? -EFAULT : (long)g.done;
	kfree(g.buf);
	return ret;
}
