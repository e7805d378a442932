#ifndef KEVLAR_VFS_H
#define KEVLAR_VFS_H

/*
 * The VFS layer (kernel/fs/vfs.c): what a file system provides, and the
 * generic entry points the syscalls use instead of calling a file system.
 *
 * A file system is a superblock (kevlar/mount.h) with super_ops, whose
 * inodes carry vfs_inode_ops (inode->fs_ops, set by the file system when
 * it makes the inode). The vfs_* calls below do the checks every file
 * system shares once (the directory is one, the name is new, types match,
 * both ends are on one file system) and then call the operation; the
 * syscalls keep the permission and mount-flag checks (may_delete & co.
 * in fs/sys_namei.c, fs/mount_flags.c), which they make before.
 *
 * Today every file system is tmpfs (fs/tmpfs.c) or built from it (proc,
 * sysfs, devtmpfs, devpts, cgroup: trees of tmpfs dentries whose computed
 * files add struct inode_ops, kevlar/fs.h). Names and inodes are the
 * VFS's caches (kevlar/dcache.h): a file system that stores its names
 * elsewhere (a disk) answers the dentry cache's misses with its lookup.
 *
 * Locking: the caller of every vfs_* call and every operation holds
 * fs_lock() (kevlar/fs.h), a sleeping lock: operations may sleep for
 * memory or I/O, but must not wait for events other tasks bring (they
 * would need fs_lock to bring them).
 */

#include <kevlar/fs.h>

struct superblock;

/* What vfs_setattr changes (vfs_attr.valid); ctime always becomes now. */
#define VFS_ATTR_MODE   (1u << 0)       /* the permission bits (07777); the type stays */
#define VFS_ATTR_UID    (1u << 1)
#define VFS_ATTR_GID    (1u << 2)
#define VFS_ATTR_ATIME  (1u << 3)
#define VFS_ATTR_MTIME  (1u << 4)

struct vfs_attr {
	unsigned valid;
	uint32_t mode, uid, gid;
	int64_t atime_sec, mtime_sec;
	uint32_t atime_nsec, mtime_nsec;
};

/*
 * Where readdir puts entries (getdents fills user records with it). emit
 * takes one entry: its name (len bytes), inode number, mode (only the
 * S_IFMT type bits count) and the cookie of the entry after it; it returns
 * false when the entry does not fit, and then the walk stops with pos left
 * at that entry, so the next call starts there.
 */
struct dir_context {
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len,
		     uint64_t ino, uint32_t mode, uint64_t next_pos);
	uint64_t pos;               /* the cookie to go on from (the file's offset) */
};

/* The counts statfs reports (the VFS fills type, ids and flags). */
struct vfs_statfs {
	uint64_t blocks, bfree, bavail;     /* in PAGE_SIZE units */
	uint64_t files, ffree;
};

struct super_ops {
	/*
	 * The root directory of a new instance sb (mode includes S_IFDIR),
	 * its own parent and never freed while mounted; NULL when out of
	 * memory. Its inode's sb is sb.
	 */
	struct dentry *(*make_root)(struct superblock *sb, uint32_t mode);
	/*
	 * statfs(2)'s sizes for sb. NULL: all zero, as Linux's proc, sysfs,
	 * devpts, ramfs and the other in-memory trees that count nothing.
	 */
	void (*statfs)(struct superblock *sb, struct vfs_statfs *st);
};

struct vfs_inode_ops {
	/*
	 * Directories. name is NUL-terminated, 1..NAME_MAX bytes, not "."
	 * or "..", and (for the ones that make a name) not present in dir:
	 * vfs_* checked. New inodes belong to dir's superblock, are owned
	 * by the caller's fsuid and gid (or dir's gid if dir is setgid).
	 */
	/*
	 * Called on a dentry-cache miss (kevlar/dcache.h) for the entry name
	 * (len bytes, not NUL-terminated) in dir: its inode with a reference
	 * for the caller (found through icache_find/icache_insert, so hard
	 * links share one), -ENOENT, or an error (-EIO, -ENOMEM). The VFS
	 * makes and caches the dentry. NULL: every name of the file system
	 * is in the dentry cache (tmpfs and what is built from it), so a
	 * miss is -ENOENT.
	 */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/* A new regular file, FIFO, socket or device node (mode has the type); -ENOMEM. */
	int (*create)(struct dentry *dir, const char *name, uint32_t mode,
		      uint32_t rdev_major, uint32_t rdev_minor, struct dentry **out);
	/* A new directory; -ENOMEM. */
	int (*mkdir)(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out);
	/* A new symlink to target (non-empty); -ENOMEM. */
	int (*symlink)(struct dentry *dir, const char *name, const char *target,
		       struct dentry **out);
	/* A new name for ino (not a directory, same superblock); -ENOMEM. */
	int (*link)(struct dentry *dir, const char *name, struct inode *ino);
	/* Remove the non-directory d from dir; the inode lives on while used. */
	void (*unlink)(struct dentry *dir, struct dentry *d);
	/* Remove the directory d from dir: -ENOTEMPTY unless it is empty. */
	int (*rmdir)(struct dentry *dir, struct dentry *d);
	/*
	 * Move d (in old_dir) to new_dir/name, replacing target when not
	 * NULL: target is of d's kind (vfs_rename checked) and, when a
	 * directory, must be empty (-ENOTEMPTY, nothing changed).
	 */
	int (*rename)(struct dentry *old_dir, struct dentry *d, struct dentry *new_dir,
		      const char *name, struct dentry *target);
	/*
	 * Directories: emit the entries from cookie ctx->pos (2 or more: the
	 * VFS gives "." and ".." as 0 and 1) in order, setting ctx->pos past
	 * each one emitted or skipped. A cookie must stay valid while entries
	 * come and go, so that a walk interleaved with unlink (rm -r) neither
	 * skips nor repeats. 0, or the file system's error (-EIO).
	 */
	int (*readdir)(struct dentry *dir, struct dir_context *ctx);
	/* Regular files: set the size (growth reads back zeros); -EFBIG, -ENOSPC. */
	int (*truncate)(struct inode *ino, uint64_t size);
	/* Symlinks: up to size bytes of the target into buf (no NUL); the count. */
	long (*readlink)(struct dentry *d, char *buf, size_t size);
	/* Any inode: store what attr->valid names (already permitted) and set ctime to now. */
	int (*setattr)(struct inode *ino, const struct vfs_attr *attr);
	/*
	 * The last reference is gone (iput): free what the file system holds
	 * for it, not ino itself. One still linked on disk (once caches are
	 * pruned) must have its dirty pages written first (page_cache_fsync).
	 */
	void (*evict)(struct inode *ino);
};

/* Boot: the root file system (a tmpfs). */
void vfs_init(void);
/* The root directory of the root file system. */
struct dentry *vfs_root(void);

/* a and b are on one file system instance (link and rename need it). */
bool vfs_same_fs(const struct dentry *a, const struct dentry *b);

/*
 * The entry name (len bytes) in dir: from the dentry cache (computed
 * directories brought up to date first), else from the file system's
 * lookup, whose answer is cached. 0 and the dentry (borrowed under
 * fs_lock), -ENOENT, -ENOTDIR, -ENAMETOOLONG, or the file system's error.
 */
int vfs_lookup(struct dentry *dir, const char *name, size_t len, struct dentry **out);
/*
 * Make name in dir: mode's type picks the operation (S_IFDIR: mkdir,
 * S_IFLNK: symlink to target, else create with the device numbers).
 * -ENOTDIR (dir is not one), -ENOENT (dir was removed), -ENAMETOOLONG,
 * -EEXIST, -EPERM (the file system makes no such files), or its error.
 */
int vfs_create(struct dentry *dir, const char *name, uint32_t mode,
	       uint32_t rdev_major, uint32_t rdev_minor, struct dentry **out);
int vfs_mkdir(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out);
int vfs_symlink(struct dentry *dir, const char *name, const char *target,
		struct dentry **out);
/* A new name for ino in dir: -EXDEV across file systems, -EPERM for a directory. */
int vfs_link(struct inode *ino, struct dentry *dir, const char *name);
/* Remove d from dir: -EISDIR for a directory. */
int vfs_unlink(struct dentry *dir, struct dentry *d);
/* Remove the directory d from dir: -ENOTDIR, -ENOTEMPTY. */
int vfs_rmdir(struct dentry *dir, struct dentry *d);
/*
 * Move d from old_dir to new_dir/name over target (NULL: none): -EXDEV
 * across file systems, -ENOTDIR / -EISDIR when target's kind differs
 * from d's, -ENOTEMPTY for a non-empty target directory.
 */
int vfs_rename(struct dentry *old_dir, struct dentry *d, struct dentry *new_dir,
	       const char *name, struct dentry *target);
/*
 * Entries of the open directory dir from ctx->pos: "." and ".." (cookies 0
 * and 1), then the file system's (computed directories brought up to date
 * first). 0 (also when emit said "full"), -ENOTDIR, or the file system's error.
 */
int vfs_readdir(struct dentry *dir, struct dir_context *ctx);
/* Set a regular file's size: -EISDIR for a directory, -EINVAL for other kinds. */
int vfs_truncate(struct inode *ino, uint64_t size);
/*
 * Up to size bytes of the symlink d's target into buf (no NUL): the count,
 * or -EINVAL (not a symlink); computed links (inode_ops) answer first.
 */
long vfs_readlink(struct dentry *d, char *buf, size_t size);
/* chmod, chown, utimes once the caller has checked them: -EPERM if the fs cannot. */
int vfs_setattr(struct inode *ino, const struct vfs_attr *attr);

#endif
