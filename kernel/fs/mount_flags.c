/*
 * What a mount's flags forbid (mount(2) MS_*): on a read-only mount every
 * change is EROFS, on noexec nothing is executed from it (EACCES), and on
 * nodev its device nodes do not open (EACCES). nosuid needs nothing here:
 * exec does not honour set-user/group-ID bits anywhere yet.
 *
 * A dentry does not record the mount it was reached through, so an inode is
 * judged by the newest mount of its filesystem instance (mount_of_sb). That
 * is exact while an instance is mounted once, which is every mount the
 * rootfs makes; a bind mount with other flags than its source is not.
 */
#include <kevlar/fs.h>
#include <kevlar/mount.h>
#include <uapi/errno.h>
#include <uapi/mount.h>

static unsigned long inode_mount_flags(const struct inode *ino)
{
	struct mount *m = mount_of_sb(inode_sb(ino));

	return m ? m->flags : 0;
}

int mount_may_write(const struct inode *ino)
{
	return (inode_mount_flags(ino) & MS_RDONLY) ? -EROFS : 0;
}

/* Writing to a device node, FIFO or socket changes nothing on the mount. */
int mount_may_write_file(const struct inode *ino)
{
	if (S_ISCHR(ino->mode) || S_ISBLK(ino->mode) || S_ISFIFO(ino->mode) ||
	    S_ISSOCK(ino->mode))
		return 0;
	return mount_may_write(ino);
}

int mount_may_exec(const struct inode *ino)
{
	return (inode_mount_flags(ino) & MS_NOEXEC) ? -EACCES : 0;
}

int mount_may_open_dev(const struct inode *ino)
{
	if (!S_ISCHR(ino->mode) && !S_ISBLK(ino->mode))
		return 0;
	return (inode_mount_flags(ino) & MS_NODEV) ? -EACCES : 0;
}
