#ifndef KEVLAR_CPIO_H
#define KEVLAR_CPIO_H

/*
 * Reader for "newc" cpio archives (kernel/fs/cpio.c), the initramfs
 * format. Magic "070701", or "070702" whose checksum is ignored. The
 * archive is never read past len, whatever its contents.
 */

#include <kevlar/types.h>

struct cpio_entry {
	const char *name;        /* NUL-terminated, points into the archive */
	size_t namelen;          /* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const void *data;        /* points into the archive */
	size_t size;
};

/*
 * Call cb for each entry before "TRAILER!!!". Returns 0 on success,
 * -EINVAL for malformed input (bad magic, non-hex field, name or data
 * running past len, name not NUL-terminated, missing trailer), or the
 * first nonzero value returned by cb, which stops the walk. Entries seen
 * before an error have already been passed to cb.
 */
int cpio_iterate(const void *archive, size_t len,
		 int (*cb)(const struct cpio_entry *e, void *arg), void *arg);

/* Cheap check of the first magic, to tell "not a cpio archive" early. */
bool cpio_looks_valid(const void *archive, size_t len);

#endif
