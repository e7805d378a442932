/*
 * /proc/<pid>/mounts (fstab format) and mountinfo (proc(5)), as seen
 * from that process's root. OpenRC's mountinfo and BusyBox mount/df read
 * these to learn what is mounted where.
 */
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <uapi/mount.h>
#include "procfs_internal.h"

#define PATH_BUF    512

static const char *mount_path(struct mount *m, struct task *t, char *buf)
{
	if (!m->mountpoint)
		return "/";
	return dentry_path(m->root, task_root(t), buf, PATH_BUF) > 0 ? buf : "?";
}

/* Where a bind mount's root is inside its own filesystem: "/" for whole trees. */
static const char *root_in_fs(struct mount *m, char *buf)
{
	size_t pos = PATH_BUF - 1;
	struct dentry *d;

	buf[pos] = '\0';
	for (d = m->root; d->parent != d; d = d->parent) {
		size_t len = strlen(d->name);

		if (pos < len + 2)
			return "?";
		pos -= len;
		memcpy(buf + pos, d->name, len);
		buf[--pos] = '/';
	}
	return pos == PATH_BUF - 1 ? "/" : buf + pos;
}

size_t procfs_show_mounts(struct task *t, char *buf, size_t size)
{
	char *path = kmalloc(PATH_BUF), flags[96];
	struct mount *m;
	size_t len = 0;

	if (!path)
		return 0;
	mount_root();
	list_for_each_entry(m, &mount_list, link) {
		mount_flags_string(m->flags, flags, sizeof(flags));
		pseudo_printf(buf, size, &len, "%s %s %s %s%s%s 0 0\n", m->source,
			      mount_path(m, t, path), m->sb->type, flags,
			      m->options[0] ? "," : "", m->options);
	}
	kfree(path);
	return len;
}

size_t procfs_show_mountinfo(struct task *t, char *buf, size_t size)
{
	char *path = kmalloc(PATH_BUF), *rootbuf = kmalloc(PATH_BUF), flags[96];
	struct mount *m;
	size_t len = 0;

	if (!path || !rootbuf)
		goto out;
	mount_root();
	list_for_each_entry(m, &mount_list, link) {
		mount_flags_string(m->flags, flags, sizeof(flags));
		pseudo_printf(buf, size, &len, "%d %d 0:%u %s %s %s - %s %s %s%s%s\n",
			      m->id, m->parent ? m->parent->id : m->id, m->sb->dev,
			      root_in_fs(m, rootbuf), mount_path(m, t, path), flags,
			      m->sb->type, m->source, (m->flags & MS_RDONLY) ? "ro" : "rw",
			      m->options[0] ? "," : "", m->options);
	}
out:
	kfree(rootbuf);
	kfree(path);
	return len;
}
