/*
 * sysfs: one small, read-only-by-convention tree with what BusyBox and
 * OpenRC look at: the top-level directories, /sys/fs/cgroup (OpenRC mounts
 * a tmpfs there), /sys/kernel/security and /sys/fs/pstore (mount points
 * for filesystems we do not have), and the CPU masks under
 * /sys/devices/system/cpu that libc and nproc read.
 */
#include <kevlar/mount.h>
#include <kevlar/pseudo.h>
#include <kevlar/string.h>
#include <uapi/magic.h>

static struct superblock *sys_sb;

static size_t show_text(struct dentry *d, char *buf, size_t size)
{
	size_t len = 0;

	pseudo_printf(buf, size, &len, "%s\n", (const char *)(uintptr_t)d->inode->priv_id);
	return len;
}

static const struct pseudo_file text_file = { .show = show_text };

static struct dentry *dir(struct dentry *parent, const char *name)
{
	return parent ? pseudo_dir(parent, name, 0755, NULL, 0) : NULL;
}

static void text(struct dentry *parent, const char *name, const char *value)
{
	if (parent)
		pseudo_file(parent, name, 0444, &text_file, (long)(uintptr_t)value);
}

struct superblock *sysfs_instance(void)
{
	static const char *const top[] = {
		"block", "bus", "class", "dev", "firmware", "module", "power",
	};
	struct dentry *root, *fs, *kernel, *devices, *system, *cpu, *class;

	if (sys_sb)
		return sys_sb;
	if (!(sys_sb = sb_create_ops("sysfs", SYSFS_MAGIC, 0555, &tmpfs_tree_super_ops)))
		return NULL;
	root = sys_sb->root;
	for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		dir(root, top[i]);
	class = tmpfs_child(root, "class", 5);
	dir(class, "tty");
	dir(class, "net");
	dir(class, "mem");
	fs = dir(root, "fs");
	dir(fs, "cgroup");
	dir(fs, "pstore");
	kernel = dir(root, "kernel");
	dir(kernel, "security");
	dir(kernel, "debug");
	devices = dir(root, "devices");
	system = dir(devices, "system");
	cpu = dir(system, "cpu");
	dir(cpu, "cpu0");
	text(cpu, "online", "0");
	text(cpu, "possible", "0");
	text(cpu, "present", "0");
	text(cpu, "kernel_max", "0");
	return sys_sb;
}
