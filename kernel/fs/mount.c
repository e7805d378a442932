/*
 * Filesystem instances and the mount table. See kevlar/mount.h for the
 * model: every instance is a separate tree of dentries its file system
 * (super_ops, kevlar/vfs.h) makes; a mount
 * shows one instance's directory over a directory of another mount.
 * The table is a list in mount order (what /proc/mounts prints); lookups
 * scan it, which is cheap for the few dozen mounts a system has.
 * Callers hold fs_lock().
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/panic.h>
#include <kevlar/string.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/magic.h>
#include <uapi/mount.h>

LIST_HEAD(mount_list);

/* Anonymous devices have major 0, as on Linux; minors count up. */
static uint32_t next_anon_minor = 1;
static int next_mount_id = 1;
/* The initramfs root: no size limit (max_pages, max_inodes 0). */
static struct superblock rootfs = {
	.type = "rootfs", .magic = TMPFS_MAGIC, .dev = 0, .root = NULL, .mounts = 1,
	.single = true, .ops = &tmpfs_super_ops,
};
static struct mount *root_mount;

struct superblock *rootfs_sb(void)
{
	if (!rootfs.root) {
		rootfs.root = vfs_root();
		rootfs.dev = next_anon_minor++;
	}
	return &rootfs;
}

struct mount *mount_root(void)
{
	if (!root_mount) {
		/* The first mount(2) or /proc/mounts read; the kernel has booted by then. */
		if (!(root_mount = kzalloc(sizeof(*root_mount))))
			panic("boot: out of memory for the root mount");
		root_mount->id = next_mount_id++;
		root_mount->root = vfs_root();
		root_mount->sb = rootfs_sb();
		strlcpy(root_mount->source, "rootfs", sizeof(root_mount->source));
		list_add(&root_mount->link, &mount_list);
	}
	return root_mount;
}

struct superblock *inode_sb(const struct inode *ino)
{
	return ino->sb ? ino->sb : rootfs_sb();
}

struct superblock *sb_create_ops(const char *type, uint32_t magic, uint32_t root_mode,
				 const struct super_ops *ops)
{
	struct superblock *sb = kzalloc(sizeof(*sb));

	if (!sb)
		return NULL;
	sb->type = type;
	sb->magic = magic;
	sb->dev = next_anon_minor++;
	sb->ops = ops;
	if (!(sb->root = ops->make_root(sb, S_IFDIR | root_mode))) {
		kfree(sb);
		return NULL;
	}
	return sb;
}

struct superblock *sb_create(const char *type, uint32_t magic, uint32_t root_mode)
{
	return sb_create_ops(type, magic, root_mode, &tmpfs_super_ops);
}

struct mount *mount_on(struct dentry *d)
{
	struct mount *m, *found = NULL;

	mount_root();
	list_for_each_entry(m, &mount_list, link)
		if (m->mountpoint == d)
			found = m;
	return found;
}

struct mount *mount_with_root(struct dentry *d)
{
	struct mount *m, *found = NULL;

	mount_root();
	list_for_each_entry(m, &mount_list, link)
		if (m->root == d)
			found = m;
	return found;
}

struct mount *mount_of_sb(struct superblock *sb)
{
	struct mount *m, *found = NULL;

	mount_root();
	list_for_each_entry(m, &mount_list, link)
		if (m->sb == sb)
			found = m;
	return found;
}

int mount_add(struct mount *parent, struct dentry *mountpoint, struct dentry *root,
	      struct superblock *sb, unsigned long flags, const char *source,
	      const char *options, struct mount **out)
{
	struct mount *m = kzalloc(sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->id = next_mount_id++;
	m->parent = parent;
	m->mountpoint = mountpoint;
	m->root = root;
	m->sb = sb;
	m->flags = flags & MS_PER_MOUNT;
	strlcpy(m->source, source ? source : "none", sizeof(m->source));
	strlcpy(m->options, options ? options : "", sizeof(m->options));
	dget(mountpoint);
	dget(root);
	mountpoint->mounted++;
	sb->mounts++;
	list_add_tail(&m->link, &mount_list);
	if (out)
		*out = m;
	return 0;
}

int mount_remove(struct mount *m, bool detach)
{
	struct mount *c, *tmp;

	if (!m->parent)
		return -EINVAL;     /* the root mount stays */
	list_for_each_entry(c, &mount_list, link)
		if (c->parent == m && !detach)
			return -EBUSY;
	/* A lazy unmount takes what is mounted below along. */
	list_for_each_entry_safe(c, tmp, &mount_list, link)
		if (c->parent == m)
			mount_remove(c, true);
	list_del(&m->link);
	m->mountpoint->mounted--;
	m->sb->mounts--;
	dput(m->mountpoint);
	dput(m->root);
	/*
	 * The instance itself is kept: open files and working directories
	 * may still be inside it, and single instances are reused.
	 */
	kfree(m);
	return 0;
}

static void append(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf);

	if (len < size)
		strlcpy(buf + len, s, size - len);
}

void mount_flags_string(unsigned long flags, char *buf, size_t size)
{
	static const struct { unsigned long flag; const char *name; } names[] = {
		{ MS_NOSUID, ",nosuid" }, { MS_NODEV, ",nodev" }, { MS_NOEXEC, ",noexec" },
		{ MS_SYNCHRONOUS, ",sync" }, { MS_DIRSYNC, ",dirsync" },
		{ MS_NOSYMFOLLOW, ",nosymfollow" }, { MS_NOATIME, ",noatime" },
		{ MS_NODIRATIME, ",nodiratime" },
	};

	strlcpy(buf, (flags & MS_RDONLY) ? "ro" : "rw", size);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag)
			append(buf, size, names[i].name);
	/* Linux's default atime mode is relatime unless told otherwise. */
	if (!(flags & (MS_NOATIME | MS_STRICTATIME)))
		append(buf, size, ",relatime");
}
