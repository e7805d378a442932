#ifndef KEVLAR_PSEUDO_H
#define KEVLAR_PSEUDO_H

/*
 * Computed files for procfs and sysfs (kernel/fs/pseudo.c). They are
 * ordinary tmpfs dentries and inodes in their filesystem's tree, so
 * lookup, stat and readdir need nothing special; an inode's operations
 * (struct inode_ops) produce the contents. A file's text is generated
 * once when it is opened, like a seq_file read from the start, so a
 * reader sees one consistent snapshot.
 */

#include <kevlar/fs.h>

struct pseudo_file {
	/* Write the text for d into buf (size bytes); return its full length. */
	size_t (*show)(struct dentry *d, char *buf, size_t size);
	/* A write of len bytes (a kernel copy, NUL-terminated); NULL: read-only. */
	long (*store)(struct dentry *d, const char *buf, size_t len);
};

/* New entries under dir, owned by root; NULL when out of memory. */
struct dentry *pseudo_dir(struct dentry *dir, const char *name, uint32_t mode,
			  const struct inode_ops *iops, long id);
struct dentry *pseudo_file(struct dentry *dir, const char *name, uint32_t mode,
			   const struct pseudo_file *pf, long id);
/* A symlink whose target iops->readlink computes. */
struct dentry *pseudo_link(struct dentry *dir, const char *name,
			   const struct inode_ops *iops, long id);
/* A symlink with a fixed target. */
struct dentry *pseudo_static_link(struct dentry *dir, const char *name, const char *target);
/* Remove d and everything below it from its tree. */
void pseudo_remove(struct dentry *d);

/* The inode operations of pseudo_file entries. */
extern const struct inode_ops pseudo_file_iops;

/* ksnprintf that appends at *len and never writes past size. */
void pseudo_printf(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
