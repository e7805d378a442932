#ifndef KEVLAR_MOUNT_H
#define KEVLAR_MOUNT_H

/*
 * Filesystem instances and the mount table (kernel/fs/mount.c).
 *
 * Every filesystem is a tree of dentries and inodes its operations (super_ops
 * and vfs_inode_ops, kevlar/vfs.h) make; today all are tmpfs's, and what differs is
 * the instance (superblock) its inodes point to, which gives st_dev, the
 * statfs magic and the name /proc/mounts prints, and, for the computed
 * filesystems (proc, sysfs), inode operations that generate contents.
 * A mount puts an instance's root (or, for a bind mount, any directory)
 * over a directory of another mount; path lookup crosses into it, and
 * ".." from its root climbs back to the directory it covers.
 * Everything here is guarded by fs_lock().
 */

#include <kevlar/types.h>
#include <kevlar/list.h>

struct dentry;
struct inode;
struct super_ops;

struct superblock {
	const char *type;           /* the name /proc/filesystems lists */
	uint32_t magic;             /* statfs f_type (uapi/magic.h) */
	uint32_t dev;               /* st_dev: major 0 and a minor of its own */
	struct dentry *root;
	int mounts;                 /* mounts showing it */
	bool single;                /* one instance for every mount (proc, sysfs, devtmpfs) */
	const struct super_ops *ops; /* its file system (kevlar/vfs.h) */
	/* tmpfs's size= and nr_inodes= (fs/tmpfs_limits.c; 0: no limit) and use, under fs_lock. */
	uint64_t max_pages, used_pages, max_inodes, used_inodes;
};

struct mount {
	struct list_head link;      /* in mount order, which /proc/mounts keeps */
	int id;
	struct mount *parent;       /* NULL for the root mount */
	struct dentry *mountpoint;  /* in parent; NULL for the root mount */
	struct dentry *root;        /* what shows at mountpoint */
	struct superblock *sb;
	unsigned long flags;        /* MS_* per-mount flags */
	char source[64];
	char options[128];          /* filesystem options as given, for /proc/mounts */
};

extern struct list_head mount_list;

/* The rootfs instance and mount (created on first use). */
struct superblock *rootfs_sb(void);
struct mount *mount_root(void);
/* The instance an inode belongs to (inodes made outside any tree: rootfs). */
struct superblock *inode_sb(const struct inode *ino);

/* A new instance of the file system ops with a fresh root directory; NULL when out of memory. */
struct superblock *sb_create_ops(const char *type, uint32_t magic, uint32_t root_mode,
				 const struct super_ops *ops);
/* The same for a tmpfs-based instance (tmpfs, proc, sysfs, devtmpfs, ...). */
struct superblock *sb_create(const char *type, uint32_t magic, uint32_t root_mode);

/* The most recent mount on directory d (d->mounted != 0), or NULL. */
struct mount *mount_on(struct dentry *d);
/* The most recent mount whose root is d, or NULL. */
struct mount *mount_with_root(struct dentry *d);
/* A mount showing sb (the newest), or NULL. */
struct mount *mount_of_sb(struct superblock *sb);

/*
 * What the flags of the mount an inode is seen through allow (fs/mount_flags.c):
 * 0, or -EROFS (read-only; _file: not for device nodes, FIFOs, sockets),
 * -EACCES (noexec; nodev, for device nodes).
 */
int mount_may_write(const struct inode *ino);
int mount_may_write_file(const struct inode *ino);
int mount_may_exec(const struct inode *ino);
int mount_may_open_dev(const struct inode *ino);

/* Add a mount of root (from sb) over mountpoint; -ENOMEM. */
int mount_add(struct mount *parent, struct dentry *mountpoint, struct dentry *root,
	      struct superblock *sb, unsigned long flags, const char *source,
	      const char *options, struct mount **out);
/* Remove m; -EBUSY when something is mounted below it (unless detach). */
int mount_remove(struct mount *m, bool detach);

/* "rw,nosuid,..." for flags into buf. */
void mount_flags_string(unsigned long flags, char *buf, size_t size);

/* The filesystems mount(2) knows, by name; the instance to mount. */
int fs_type_instance(const char *type, const char *options, struct superblock **out);
/* /proc/filesystems */
size_t fs_types_show(char *buf, size_t size);

#endif
