/*
 * Initramfs: a cpio newc archive from the boot loader, unpacked into the
 * tmpfs as Linux does. File contents are not copied: inodes borrow the
 * archive's bytes (the initrd stays reserved), which keeps a 10 MB
 * initramfs from costing 10 MB more at boot.
 */
#include <kevlar/cpio.h>
#include <kevlar/fs.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

struct unpack_stats {
	unsigned files, dirs, links, nodes, skipped;
};

static int unpack_entry(const struct cpio_entry *e, void *arg)
{
	struct unpack_stats *st = arg;
	struct dentry *parent, *d, *old;
	char name[NAME_MAX + 1];
	bool slash;
	int err;

	/* Archives name entries "./usr/bin" or "usr/bin"; "." is the root itself. */
	const char *n = e->name;
	while (n[0] == '.' && n[1] == '/')
		n += 2;
	if (!*n || strcmp(n, ".") == 0)
		return 0;
	if (strlen(n) >= PATH_MAX || path_walk_parent(AT_FDCWD, n, &parent, name, &slash))
		goto skip;

	/* A later entry replaces an earlier one, except directory over directory. */
	old = tmpfs_child(parent, name, strlen(name));
	if (old) {
		if (S_ISDIR(old->inode->mode) && S_ISDIR(e->mode)) {
			old->inode->mode = e->mode;
			return 0;
		}
		goto skip;
	}
	err = tmpfs_create(parent, name, e->mode, &d);
	if (err == -ENOMEM)
		return err;
	if (err)
		goto skip;
	d->inode->uid = e->uid;
	d->inode->gid = e->gid;
	d->inode->mtime_sec = d->inode->atime_sec = d->inode->ctime_sec = e->mtime;
	d->inode->mtime_nsec = d->inode->atime_nsec = d->inode->ctime_nsec = 0;
	d->inode->rdev_major = e->rdevmajor;
	d->inode->rdev_minor = e->rdevminor;
	if (S_ISREG(e->mode) || S_ISLNK(e->mode))
		tmpfs_set_borrowed(d->inode, e->data, e->size);
	if (S_ISREG(e->mode))
		st->files++;
	else if (S_ISDIR(e->mode))
		st->dirs++;
	else if (S_ISLNK(e->mode))
		st->links++;
	else
		st->nodes++;
	return 0;
skip:
	st->skipped++;
	pr_warn("initramfs: skipped \"%s\"\n", e->name);
	return 0;
}

int initramfs_unpack(const void *archive, size_t len)
{
	struct unpack_stats st = { 0 };
	int err;

	if (!cpio_looks_valid(archive, len))
		return -EINVAL;
	err = cpio_iterate(archive, len, unpack_entry, &st);
	pr_info("initramfs: %u files, %u directories, %u symlinks, %u device nodes%s\n",
		st.files, st.dirs, st.links, st.nodes, err ? " (archive damaged, stopped)" : "");
	return err;
}
