/*
 * Path lookup. Relative paths start at dirfd's directory or the cwd,
 * absolute ones at the process root, and ".." never climbs above that
 * root. Symlinks are followed in every component but the last, and in the
 * last one with LOOKUP_FOLLOW; more than SYMLOOP_MAX of them in one lookup
 * is ELOOP, as on Linux. Every directory passed through needs search (x)
 * permission. A directory something is mounted on stands for the root of
 * what is mounted there, and ".." from a mount's root goes to the parent
 * of the directory it covers. Callers hold fs_lock(); results are
 * borrowed under it.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

struct walk {
	int links_followed;
	struct dentry *root;
};

static int walk_path(struct walk *w, struct dentry *start, const char *path,
		     unsigned flags, struct dentry **out);

/* A symlink's target, NUL-terminated, in a kmalloc buffer the caller frees. */
static int link_target(struct dentry *link, char **out)
{
	struct inode *ino = link->inode;
	bool computed = ino->iops && ino->iops->readlink;
	char *target;
	long len;

	/* A stored target's length is the link's size. */
	if (!computed && ino->size >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!computed && ino->size == 0)
		return -ENOENT;
	if (!(target = kmalloc(PATH_MAX)))
		return -ENOMEM;
	if ((len = vfs_readlink(link, target, PATH_MAX - 1)) < 0) {
		kfree(target);
		return (int)len;
	}
	target[len] = '\0';
	*out = target;
	return 0;
}

static int follow_link(struct walk *w, struct dentry *dir, struct dentry *link,
		       struct dentry **out)
{
	char *target = NULL;
	int err;

	if (++w->links_followed > SYMLOOP_MAX)
		return -ELOOP;
	/* Recursion depth is bounded by SYMLOOP_MAX; the target lives on the heap. */
	if ((err = link_target(link, &target)))
		return err;
	err = walk_path(w, dir, target, LOOKUP_FOLLOW, out);
	kfree(target);
	return err;
}

/* Step onto whatever is mounted on d (mounts stack: the newest shows). */
static struct dentry *cross_mounts(struct dentry *d)
{
	struct mount *m;

	while (d->mounted && (m = mount_on(d)))
		d = m->root;
	return d;
}

/* "..": out of mount roots to the covered directory first, never above root. */
static struct dentry *dot_dot(struct walk *w, struct dentry *cur)
{
	struct mount *m;

	while (cur != w->root && (m = mount_with_root(cur)) && m->mountpoint)
		cur = m->mountpoint;
	if (cur == w->root)
		return cur;
	return cross_mounts(cur->parent);
}

static int walk_path(struct walk *w, struct dentry *start, const char *path,
		     unsigned flags, struct dentry **out)
{
	struct dentry *cur = path[0] == '/' ? w->root : start;
	const char *p = path;
	bool slash_end = false;

	if (!*path)
		return -ENOENT;
	for (;;) {
		const char *name, *rest;
		size_t len;
		struct dentry *next;
		bool last;
		int err;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		name = p;
		while (*p && *p != '/')
			p++;
		len = p - name;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		for (rest = p; *rest == '/'; rest++)
			;
		last = !*rest;
		slash_end = last && *p == '/';
		if (!S_ISDIR(cur->inode->mode))
			return -ENOTDIR;
		if ((err = inode_permission(cur->inode, MAY_EXEC)))
			return err;
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			next = dot_dot(w, cur);
		} else if (len == 1 && name[0] == '.') {
			next = cur;
		} else {
			if ((err = vfs_lookup(cur, name, len, &next)))
				return err;
			next = cross_mounts(next);
		}
		/* A trailing slash asks for the directory the link names. */
		if (S_ISLNK(next->inode->mode) && (!last || (flags & LOOKUP_FOLLOW) || slash_end)) {
			if ((err = follow_link(w, cur, next, &next)))
				return err;
		}
		cur = next;
	}
	if ((slash_end || (flags & LOOKUP_DIRECTORY)) && !S_ISDIR(cur->inode->mode))
		return -ENOTDIR;
	*out = cur;
	return 0;
}

/* The directory a relative path starts from. */
static int start_dir(int dirfd, const char *path, struct dentry **out)
{
	struct file *f;

	if (path[0] == '/' || dirfd == AT_FDCWD) {
		*out = task_cwd(current_task());
		return 0;
	}
	if (!(f = fd_lookup_locked(dirfd)))
		return -EBADF;
	if (!f->dentry || !S_ISDIR(f->dentry->inode->mode))
		return -ENOTDIR;
	*out = f->dentry;
	return 0;
}

int path_walk(int dirfd, const char *path, unsigned flags, struct dentry **out)
{
	struct walk w = { 0, task_root(current_task()) };
	struct dentry *start;
	int err;

	if ((err = start_dir(dirfd, path, &start)))
		return err;
	return walk_path(&w, start, path, flags, out);
}

int path_walk_parent(int dirfd, const char *path, struct dentry **parent,
		     char name[NAME_MAX + 1], bool *trailing_slash)
{
	size_t plen = strlen(path);
	const char *end = path + plen, *slash;
	char *dir;
	int err;

	if (plen == 0)
		return -ENOENT;
	while (end > path && end[-1] == '/')
		end--;
	*trailing_slash = end < path + plen;
	if (end == path)
		return -EBUSY;          /* "/" itself: no parent entry to change */
	slash = end;
	while (slash > path && slash[-1] != '/')
		slash--;
	if ((size_t)(end - slash) > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, slash, end - slash);
	name[end - slash] = '\0';
	if (slash == path) {
		if ((err = start_dir(dirfd, path, parent)))
			return err;
	} else {
		if (!(dir = kmalloc(slash - path + 1)))
			return -ENOMEM;
		memcpy(dir, path, slash - path);
		dir[slash - path] = '\0';
		err = path_walk(dirfd, dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, parent);
		kfree(dir);
		if (err)
			return err;
	}
	if (!S_ISDIR((*parent)->inode->mode))
		return -ENOTDIR;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EBUSY;
	return 0;
}

int path_lookup(const char *path, unsigned flags, struct inode **out)
{
	struct dentry *d;
	int err = path_walk(AT_FDCWD, path, flags, &d);

	if (!err)
		*out = d->inode;
	return err;
}

long path_from_user(const char *upath, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, upath, PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return len;
	}
	*out = buf;
	return 0;
}

/*
 * getcwd's view: names from d up to root. A directory outside root (after
 * chroot) or removed is reported the way Linux does, "(unreachable)" and
 * " (deleted)" respectively, which the caller turns into errors.
 */
long dentry_path(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	size_t pos = size;

	if (size < 2)
		return -ERANGE;
	buf[--pos] = '\0';
	while (d != root) {
		struct mount *m = mount_with_root(d);
		size_t len;

		if (m && m->mountpoint) {
			d = m->mountpoint;      /* continue in the mount below */
			continue;
		}
		if (d->parent == d)
			break;                  /* the top of a tree that is not mounted */
		len = strlen(d->name);
		if (pos < len + 1)
			return -ERANGE;
		pos -= len;
		memcpy(buf + pos, d->name, len);
		buf[--pos] = '/';
		d = d->parent;
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return size - pos;
}
