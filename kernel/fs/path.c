/*
 * Path lookup. Symlinks are followed in every component but the last, and
 * in the last one with LOOKUP_FOLLOW; more than SYMLOOP_MAX of them in one
 * lookup is ELOOP, as on Linux. Busybox's applets are symlinks, so this
 * is on every exec path. Relative paths start at the root (no cwd yet).
 */
#include <kevlar/fs.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

struct walk {
	int links_followed;
};

static int walk_path(struct walk *w, struct inode *start, const char *path,
		     unsigned flags, struct inode **out);

static int follow_link(struct walk *w, struct inode *dir, struct inode *link,
		       struct inode **out)
{
	char target[PATH_MAX];

	if (++w->links_followed > SYMLOOP_MAX)
		return -ELOOP;
	if (link->size >= sizeof(target))
		return -ENAMETOOLONG;
	memcpy(target, link->data, link->size);
	target[link->size] = '\0';
	return walk_path(w, target[0] == '/' ? tmpfs_root() : dir, target,
			 LOOKUP_FOLLOW, out);
}

static int walk_path(struct walk *w, struct inode *start, const char *path,
		     unsigned flags, struct inode **out)
{
	struct inode *cur = path[0] == '/' ? tmpfs_root() : start;
	const char *p = path;

	if (!*path)
		return -ENOENT;
	for (;;) {
		const char *name, *rest;
		size_t len;
		struct inode *next;
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
		if (!S_ISDIR(cur->mode))
			return -ENOTDIR;
		next = tmpfs_child(cur, name, len);
		if (!next)
			return -ENOENT;
		/* A trailing slash asks for the directory the link names. */
		if (S_ISLNK(next->mode) && (!last || (flags & LOOKUP_FOLLOW) || *p == '/')) {
			if ((err = follow_link(w, cur, next, &next)))
				return err;
		}
		cur = next;
	}
	*out = cur;
	return 0;
}

int path_lookup(const char *path, unsigned flags, struct inode **out)
{
	struct walk w = { 0 };

	return walk_path(&w, tmpfs_root(), path, flags, out);
}

int path_lookup_parent(const char *path, struct inode **parent, const char **last,
		       size_t *last_len)
{
	char dir[PATH_MAX];
	const char *end = path + strlen(path), *slash;
	int err;

	while (end > path && end[-1] == '/')
		end--;
	if (end == path)
		return -EEXIST;         /* "/" has no parent entry */
	slash = end;
	while (slash > path && slash[-1] != '/')
		slash--;
	*last = slash;
	*last_len = end - slash;
	if (slash == path) {
		*parent = tmpfs_root();
		return 0;
	}
	if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, slash - path);
	dir[slash - path] = '\0';
	if ((err = path_lookup(dir, LOOKUP_FOLLOW, parent)))
		return err;
	return S_ISDIR((*parent)->mode) ? 0 : -ENOTDIR;
}
