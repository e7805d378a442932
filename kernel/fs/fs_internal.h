#ifndef KEVLAR_FS_INTERNAL_H
#define KEVLAR_FS_INTERNAL_H

/* Helpers shared by the files of fs/ and nobody else. */

#include <kevlar/fs.h>

/* tmpfs regular files at an explicit offset (pread/pwrite, and read/write). */
bool file_is_regular(const struct file *f);
ssize_t regular_pread(struct file *f, void *ubuf, size_t n, uint64_t pos);
ssize_t regular_pwrite(struct file *f, const void *ubuf, size_t n, uint64_t pos);

/*
 * read(2), write(2) and pread64(2) on a file the caller holds (fs/sys_rw.c),
 * with the syscalls' checks: -EBADF when f is not open for that direction.
 */
long file_read_checked(struct file *f, void *ubuf, size_t count);
long file_write_checked(struct file *f, const void *ubuf, size_t count);
long file_pread_checked(struct file *f, void *ubuf, size_t count, long pos);

/* Copy a struct stat for ino to user space (fs/sys_stat.c). */
long stat_to_user(const struct inode *ino, void *ust);

#endif
