/*
 * The sync family: fsync, fdatasync, sync_file_range, syncfs, sync. They
 * write dirty file pages back through the page cache (kevlar/page_cache.h);
 * on tmpfs, which has nowhere to write, that only clears dirty bits.
 * Writeback is synchronous, so "start" and "wait" are one step here.
 */
#include <kevlar/fs.h>
#include <kevlar/mount.h>
#include <kevlar/page_cache.h>
#include <kevlar/syscalls.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/*
 * fdatasync is fsync: there is no inode metadata to write apart from the
 * pages yet. Files without pages (ttys, pipes, sockets, directories)
 * succeed, as they always have here (Linux says EINVAL for some of them).
 */
long sys_fsync(int fd)
{
	struct file *f = fdget(fd);
	long err = 0;

	if (!f)
		return -EBADF;
	if (f->inode && S_ISREG(f->inode->mode)) {
		fs_lock();
		err = page_cache_fsync(f->inode, 0, UINT64_MAX);
		fs_unlock();
	}
	fdput(f);
	return err;
}

long sys_fdatasync(int fd)
{
	return sys_fsync(fd);
}

#define SYNC_FILE_RANGE_VALID \
	(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER)

/* Linux's checks, in its order: EBADF, then EINVAL (flags, range), then ESPIPE. */
long sys_sync_file_range(int fd, long offset, long nbytes, unsigned flags)
{
	struct file *f = fdget(fd);
	struct inode *ino;
	uint64_t end;
	long err = -EINVAL;

	if (!f)
		return -EBADF;
	ino = f->inode;
	if ((flags & ~SYNC_FILE_RANGE_VALID) || offset < 0 || nbytes < 0 ||
	    offset + (unsigned long)nbytes > (unsigned long)INT64_MAX)
		goto out;
	end = nbytes ? (uint64_t)offset + nbytes : UINT64_MAX;
	err = -ESPIPE;
	if (!ino || (!S_ISREG(ino->mode) && !S_ISDIR(ino->mode) && !S_ISLNK(ino->mode) &&
		     !S_ISBLK(ino->mode)))
		goto out;
	err = 0;
	if (!S_ISREG(ino->mode))
		goto out;
	fs_lock();
	if (flags & SYNC_FILE_RANGE_WRITE)
		page_cache_writeback(ino, offset, end);
	/* Waiting is where Linux reports a writeback error, once. */
	if (flags & (SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WAIT_AFTER))
		err = page_cache_take_error(ino);
	fs_unlock();
out:
	fdput(f);
	return err;
}

/* Errors stay with the inodes for their next fsync: syncfs keeps no per-instance error. */
long sys_syncfs(int fd)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	if (f->inode) {
		fs_lock();
		page_cache_sync_all(inode_sb(f->inode));
		fs_unlock();
	}
	fdput(f);
	return 0;
}

long sys_sync(void)
{
	fs_lock();
	page_cache_sync_all(NULL);
	fs_unlock();
	return 0;
}
