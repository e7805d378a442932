#ifndef KEVLAR_FS_INTERNAL_H
#define KEVLAR_FS_INTERNAL_H

/* Helpers shared by the files of fs/ and nobody else. */

#include <kevlar/fs.h>

/* tmpfs regular files at an explicit offset (pread/pwrite, and read/write). */
bool file_is_regular(const struct file *f);
ssize_t regular_pread(struct file *f, struct iov_iter *to, uint64_t pos);
ssize_t regular_pwrite(struct file *f, struct iov_iter *from, uint64_t pos);

/*
 * read(2), write(2) and pread64(2) on a file the caller holds, through any
 * cursor (fs/sys_rw.c), with the syscalls' checks: -EBADF when f is not
 * open for that direction, transfers capped at RW_MAX.
 */
bool file_open_for(const struct file *f, bool writing);
long file_read_iter(struct file *f, struct iov_iter *to);
long file_write_iter(struct file *f, struct iov_iter *from);
long file_pread_iter(struct file *f, struct iov_iter *to, long pos);

/* Copy a struct stat for ino to user space (fs/sys_stat.c). */
long stat_to_user(const struct inode *ino, void *ust);

#endif
