/*
 * devtmpfs and devpts instances. devtmpfs is one tree for every mount,
 * filled with a node per registered device (kevlar/device.h) when first
 * mounted; after that it is an ordinary tmpfs (mknod, symlinks, mkdir
 * all work), which is what OpenRC's devfs and mountdevsubfs.sh expect.
 * devpts is one instance too: the ptmx node Linux puts there plus a node
 * per open pseudo-terminal (drivers/tty/pty.c adds and removes them), so
 * every mount of it shows the same slaves.
 */
#include <kevlar/device.h>
#include <kevlar/fs.h>
#include <kevlar/mount.h>
#include <kevlar/format.h>
#include <uapi/magic.h>

static struct superblock *devtmpfs_sb, *devpts_sb;

static void add_node(struct dentry *dir, const char *name, uint32_t mode,
		     uint32_t major, uint32_t minor)
{
	struct dentry *d;

	if (tmpfs_create(dir, name, S_IFCHR | mode, &d))
		return;
	d->inode->uid = d->inode->gid = 0;
	d->inode->rdev_major = major;
	d->inode->rdev_minor = minor;
}

struct superblock *devtmpfs_instance(void)
{
	struct dentry *root;

	if (devtmpfs_sb)
		return devtmpfs_sb;
	if (!(devtmpfs_sb = sb_create("devtmpfs", TMPFS_MAGIC, 0755)))
		return NULL;
	root = devtmpfs_sb->root;
	for (size_t i = 0; i < nr_device_nodes; i++)
		add_node(root, device_nodes[i].name, device_nodes[i].mode,
			 device_nodes[i].major, device_nodes[i].minor);
	return devtmpfs_sb;
}

struct superblock *devpts_instance(void)
{
	if (devpts_sb)
		return devpts_sb;
	if (!(devpts_sb = sb_create_ops("devpts", DEVPTS_SUPER_MAGIC, 0755, &tmpfs_tree_super_ops)))
		return NULL;
	add_node(devpts_sb->root, "ptmx", 0000, 5, 2);
	return devpts_sb;
}

struct dentry *devpts_add_slave(unsigned index, uint32_t major, uint32_t minor,
				uint32_t uid, uint32_t gid)
{
	struct superblock *sb = devpts_instance();
	struct dentry *d = NULL;
	char name[12];

	if (!sb)
		return NULL;
	ksnprintf(name, sizeof(name), "%u", index);
	fs_lock();
	/* Linux's devpts default: mode 0600, owned by the opener of /dev/ptmx. */
	if (!tmpfs_create(sb->root, name, S_IFCHR | 0600, &d)) {
		d->inode->uid = uid;
		d->inode->gid = gid;
		d->inode->rdev_major = major;
		d->inode->rdev_minor = minor;
		dget(d);        /* ours, so a hand-made rm leaves it valid */
	}
	fs_unlock();
	return d;
}

void devpts_remove_slave(struct dentry *d)
{
	fs_lock();
	if (!d->unlinked)
		tmpfs_unlink(d);
	dput(d);
	fs_unlock();
}
