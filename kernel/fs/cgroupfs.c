/*
 * cgroup (v1) hierarchies that group nothing: each mount is a new tree
 * whose root has the control files OpenRC touches (it writes its pid to
 * tasks and sets notify_on_release); writes are accepted and forgotten,
 * and tasks lists no one. Directories made inside are plain tmpfs, so
 * OpenRC's per-service groups can be created and removed.
 */
#include <kevlar/mount.h>
#include <kevlar/pseudo.h>
#include <uapi/magic.h>

static size_t show_empty(struct dentry *d, char *buf, size_t size)
{
	(void)d;
	(void)buf;
	(void)size;
	return 0;
}

static size_t show_zero(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	(void)d;
	pseudo_printf(buf, size, &len, "0\n");
	return len;
}

static long store_ignore(struct dentry *d, const char *buf, size_t len)
{
	(void)d;
	(void)buf;
	(void)len;
	return 0;
}

static const struct pseudo_file list_file = { show_empty, store_ignore };
static const struct pseudo_file flag_file = { show_zero, store_ignore };

struct superblock *cgroupfs_create(void)
{
	struct superblock *sb = sb_create_ops("cgroup", CGROUP_SUPER_MAGIC, 0755, &tmpfs_tree_super_ops);
	struct dentry *root;

	if (!sb)
		return NULL;
	root = sb->root;
	pseudo_file(root, "tasks", 0644, &list_file, 0);
	pseudo_file(root, "cgroup.procs", 0644, &list_file, 0);
	pseudo_file(root, "notify_on_release", 0644, &flag_file, 0);
	pseudo_file(root, "cgroup.clone_children", 0644, &flag_file, 0);
	pseudo_file(root, "release_agent", 0644, &list_file, 0);
	return sb;
}
