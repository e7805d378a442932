#ifndef KEVLAR_FS_H
#define KEVLAR_FS_H

/*
 * Files and the in-memory tree filesystem (kernel/fs/). For now there is
 * one filesystem, a tmpfs filled from the initramfs: inodes are the
 * directory entries themselves (no hard links across directories yet).
 */

#include <kevlar/types.h>
#include <kevlar/list.h>
#include <uapi/stat.h>

#define NAME_MAX        255
#define PATH_MAX        4096
#define SYMLOOP_MAX     40      /* Linux's limit on symlinks in one lookup */
#define FD_MAX          256

struct file;

struct file_ops {
	ssize_t (*read)(struct file *f, void *ubuf, size_t n);
	ssize_t (*write)(struct file *f, const void *ubuf, size_t n);
	long (*ioctl)(struct file *f, unsigned cmd, unsigned long arg);
};

struct inode {
	uint64_t ino;
	uint32_t mode, uid, gid, nlink;
	uint64_t mtime;
	uint32_t rdev_major, rdev_minor;
	uint64_t size;
	char name[NAME_MAX + 1];
	struct inode *parent;           /* ".." (the root is its own parent) */
	struct list_head children;      /* directories: entries, in creation order */
	struct list_head sibling;       /* link in parent->children */
	/* Regular files and symlink targets. */
	char *data;
	size_t capacity;
	bool data_borrowed;             /* points into the initrd; copy before writing */
};

struct file {
	const struct file_ops *ops;
	struct inode *inode;            /* NULL for the boot console */
	uint64_t pos;
	unsigned flags;                 /* O_* given to open */
	int refcount;
};

struct fd_table {
	int refcount;
	struct file *fd[FD_MAX];
	bool cloexec[FD_MAX];
};

/* tmpfs (fs/tmpfs.c) */
void tmpfs_init(void);
struct inode *tmpfs_root(void);
struct inode *tmpfs_child(struct inode *dir, const char *name, size_t len);
/* Create name in dir; -EEXIST, -ENOTDIR, -ENOMEM. */
int tmpfs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out);
/* Replace a file's contents with len bytes at data (borrowed, not copied). */
void tmpfs_set_borrowed(struct inode *ino, const void *data, size_t len);
int tmpfs_set_data(struct inode *ino, const void *data, size_t len);

/* Path lookup (fs/path.c), absolute or relative to the root. */
#define LOOKUP_FOLLOW   (1u << 0)   /* follow a symlink in the last component */
#define LOOKUP_PARENT   (1u << 1)   /* stop at the parent; *last gets the name */
int path_lookup(const char *path, unsigned flags, struct inode **out);
int path_lookup_parent(const char *path, struct inode **parent, const char **last,
		       size_t *last_len);

/* Initramfs (fs/initramfs.c): unpack a cpio newc archive into the tmpfs. */
int initramfs_unpack(const void *archive, size_t len);

/* Files and descriptors (fs/file.c) */
struct file *file_alloc(const struct file_ops *ops, struct inode *inode, unsigned flags);
void file_get(struct file *f);
void file_put(struct file *f);
struct fd_table *fd_table_create(void);
void fd_table_put(struct fd_table *t);
/* A copy sharing the open files (fork); NULL when out of memory. */
struct fd_table *fd_table_clone(struct fd_table *t);
/* Install f at the lowest free descriptor >= min; the table takes the reference. */
int fd_install(struct fd_table *t, struct file *f, int min);
struct file *fd_get(int fd);        /* borrowed from the current task's table */
struct file *file_open_inode(struct inode *ino, unsigned flags);

/* The console as a file (drivers/console.c); from a device node, or not. */
struct file *console_open(void);
struct file *console_open_flags(struct inode *node, unsigned flags);

/* Open a character device node (drivers/chardev.c): 0, -ENXIO, -ENOMEM. */
int chardev_open(struct inode *ino, unsigned flags, struct file **out);

#endif
