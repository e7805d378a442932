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

struct unpack_stats {
	unsigned files, dirs, links, nodes, skipped;
};

static int unpack_entry(const struct cpio_entry *e, void *arg)
{
	struct unpack_stats *st = arg;
	char path[PATH_MAX];
	struct inode *parent, *ino, *old;
	const char *last;
	size_t last_len;
	char name[NAME_MAX + 1];
	int err;

	/* Archives name entries "./usr/bin" or "usr/bin"; "." is the root itself. */
	const char *n = e->name;
	while (n[0] == '.' && n[1] == '/')
		n += 2;
	if (!*n || strcmp(n, ".") == 0)
		return 0;
	if (strlcpy(path, n, sizeof(path)) >= sizeof(path))
		goto skip;
	if (path_lookup_parent(path, &parent, &last, &last_len) || last_len > NAME_MAX)
		goto skip;
	memcpy(name, last, last_len);
	name[last_len] = '\0';

	/* A later entry replaces an earlier one, except directory over directory. */
	old = tmpfs_child(parent, name, last_len);
	if (old) {
		if (S_ISDIR(old->mode) && S_ISDIR(e->mode)) {
			old->mode = e->mode;
			return 0;
		}
		goto skip;
	}
	err = tmpfs_create(parent, name, e->mode, &ino);
	if (err == -ENOMEM)
		return err;
	if (err)
		goto skip;
	ino->uid = e->uid;
	ino->gid = e->gid;
	ino->mtime = e->mtime;
	ino->rdev_major = e->rdevmajor;
	ino->rdev_minor = e->rdevminor;
	if (S_ISREG(e->mode) || S_ISLNK(e->mode))
		tmpfs_set_borrowed(ino, e->data, e->size);
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
