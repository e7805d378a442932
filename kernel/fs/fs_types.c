/*
 * The filesystem types mount(2) accepts and /proc/filesystems lists.
 * proc, sysfs and devtmpfs have one instance for all mounts, as on Linux
 * (devtmpfs is the one tree the kernel fills with device nodes); tmpfs
 * and ramfs make a new empty tree per mount, and so do securityfs and
 * pstore (nothing to show in them yet) and cgroup (v1 hierarchies that
 * accept tasks but do not control anything: fs/cgroupfs.c). Types not
 * listed here (cgroup2, debugfs, ...) are ENODEV, which OpenRC expects
 * when /proc/filesystems does not name them.
 */
#include <kevlar/fs.h>
#include <kevlar/format.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/string.h>
#include <kevlar/tmpfs_limits.h>
#include <uapi/errno.h>
#include <uapi/magic.h>

/* The single instances, built on first mount by their filesystems. */
struct superblock *procfs_instance(void) __attribute__((weak));
struct superblock *sysfs_instance(void) __attribute__((weak));
struct superblock *devtmpfs_instance(void) __attribute__((weak));
struct superblock *devpts_instance(void) __attribute__((weak));
/* A new cgroup hierarchy (fs/cgroupfs.c). */
struct superblock *cgroupfs_create(void) __attribute__((weak));

/* instance NULL: a new tree per mount. */
static const struct fs_type {
	const char *name;
	uint32_t magic;
	struct superblock *(*instance)(void);
} fs_types[] = {
	{ "sysfs", SYSFS_MAGIC, sysfs_instance },
	{ "tmpfs", TMPFS_MAGIC, NULL },
	{ "proc", PROC_SUPER_MAGIC, procfs_instance },
	{ "devtmpfs", TMPFS_MAGIC, devtmpfs_instance },
	{ "devpts", DEVPTS_SUPER_MAGIC, devpts_instance },
	{ "ramfs", RAMFS_MAGIC, NULL },
	{ "securityfs", SECURITYFS_MAGIC, NULL },
	{ "pstore", PSTOREFS_MAGIC, NULL },
	{ "cgroup", CGROUP_SUPER_MAGIC, NULL },
};

#define NR_FS_TYPES (sizeof(fs_types) / sizeof(fs_types[0]))

static bool is_cgroup(const struct fs_type *t)
{
	return !strcmp(t->name, "cgroup");
}

/* A type whose code is not in this kernel is not listed. */
static bool available(const struct fs_type *t)
{
	if (is_cgroup(t))
		return cgroupfs_create != NULL;
	return t->instance || !strcmp(t->name, "tmpfs") || !strcmp(t->name, "ramfs") ||
	       !strcmp(t->name, "securityfs") || !strcmp(t->name, "pstore");
}

/* "mode=0755" among comma-separated options: the root directory's mode. */
static uint32_t option_mode(const char *options, uint32_t dflt)
{
	const char *p = options;

	while (p && *p) {
		if (!strncmp(p, "mode=", 5)) {
			uint32_t mode = 0;

			for (p += 5; *p >= '0' && *p <= '7'; p++)
				mode = mode * 8 + (*p - '0');
			return mode & 07777;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return dflt;
}

int fs_type_instance(const char *type, const char *options, struct superblock **out)
{
	for (size_t i = 0; i < NR_FS_TYPES; i++) {
		const struct fs_type *t = &fs_types[i];

		if (strcmp(type, t->name) || !available(t))
			continue;
		bool tmpfs = !strcmp(t->name, "tmpfs");
		struct tmpfs_limits limits;

		/* Bad size= or nr_inodes= values refuse the mount, as on Linux. */
		if (tmpfs && tmpfs_limits_parse(options, page_nr_total(), &limits))
			return -EINVAL;
		if (is_cgroup(t))
			*out = cgroupfs_create();
		else if (t->instance)
			*out = t->instance();
		else
			*out = sb_create_ops(t->name, t->magic, option_mode(options,
				tmpfs || !strcmp(t->name, "ramfs") ? 01777 : 0755),
				/* Only tmpfs counts its size; ramfs, securityfs, pstore: zeros, as Linux. */
				tmpfs ? &tmpfs_super_ops : &tmpfs_tree_super_ops);
		if (*out && tmpfs)
			tmpfs_limits_mount(*out, options);
		return *out ? 0 : -ENOMEM;
	}
	return -ENODEV;
}

/* Linux's format: "nodev" for filesystems without a block device, a tab, the name. */
size_t fs_types_show(char *buf, size_t size)
{
	size_t len = 0;

	for (size_t i = 0; i < NR_FS_TYPES; i++)
		if (available(&fs_types[i]))
			len += ksnprintf(buf + len, len < size ? size - len : 0, "nodev\t%s\n",
					 fs_types[i].name);
	return len;
}
