/*
 * tmpfs: the in-memory tree every file lives in for now. Dentries are the
 * names, inodes the files; a regular file may have several names (hard
 * links) and lives on while open after its last name is gone. Regular
 * file contents are pages (fs/file_pages.c); symlink targets are one
 * buffer. Both borrow the initramfs archive's bytes until written.
 * It is a file system behind the VFS (kevlar/vfs.h): tmpfs_inode_ops
 * and tmpfs_super_ops at the end are its operations; the tmpfs_*
 * functions are also a library the computed file systems (proc, sysfs,
 * devfs, ...) build their trees with.
 * Callers hold fs_lock().
 */
#include <kevlar/dcache.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/page.h>
#include <kevlar/page_cache.h>
#include <kevlar/panic.h>
#include <kevlar/sched.h>
#include <kevlar/string.h>
#include <kevlar/tmpfs_limits.h>
#include <kevlar/time.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>

static struct dentry *root;
static uint64_t next_ino = 1;
static const struct vfs_inode_ops tmpfs_inode_ops;

/* File times are wall-clock times, as clock_gettime(CLOCK_REALTIME) reads. */
void inode_touch(struct inode *ino, bool modified)
{
	uint64_t ns = clock_realtime_ns();

	ino->ctime_sec = ns / NSEC_PER_SEC;
	ino->ctime_nsec = ns % NSEC_PER_SEC;
	if (modified) {
		ino->mtime_sec = ino->ctime_sec;
		ino->mtime_nsec = ino->ctime_nsec;
	}
}

static struct inode *inode_new(uint32_t mode)
{
	struct inode *ino = kzalloc(sizeof(*ino));

	if (!ino)
		return NULL;
	ino->ino = next_ino++;
	ino->mode = mode;
	ino->uid = cred_fsuid();
	ino->gid = cred_fsgid();
	ino->fs_ops = &tmpfs_inode_ops;
	inode_touch(ino, true);
	ino->atime_sec = ino->mtime_sec;
	ino->atime_nsec = ino->mtime_nsec;
	return ino;
}

struct inode *inode_alloc(uint32_t mode)
{
	struct inode *ino = inode_new(mode);

	if (ino)
		refcount_set(&ino->refs, 1);
	return ino;
}

static void drop_data(struct inode *ino)
{
	file_pages_release(ino);
	ino->pc_ops = NULL;
	ino->backing = NULL;
	ino->backing_len = 0;
	if (!ino->data_borrowed)
		kfree(ino->data);
	ino->data = NULL;
	ino->capacity = 0;
	ino->size = 0;
	ino->data_borrowed = false;
}

/* The last reference to an inode is gone: its data, and its place in nr_inodes. */
static void tmpfs_evict(struct inode *ino)
{
	drop_data(ino);
	sb_uncharge_inode(inode_sb(ino));
}

void tmpfs_init(void)
{
	struct inode *ino = inode_new(S_IFDIR | 0755);

	root = ino ? d_alloc("", 0, ino) : NULL;
	if (!root)
		panic("boot: out of memory creating the root directory");
	ino->nlink = 2;
	refcount_set(&ino->refs, 1);
	icache_insert(ino);
	refcount_inc(&root->refs);     /* never freed: it is its own parent */
}

struct dentry *tmpfs_root(void)
{
	return root;
}

/* Like the root above: its own parent, never freed while mounted. */
static struct dentry *tmpfs_make_root(struct superblock *sb, uint32_t mode)
{
	struct inode *ino = inode_new(mode);
	struct dentry *d = ino ? d_alloc("", 0, ino) : NULL;

	if (!d) {
		kfree(ino);
		return NULL;
	}
	ino->nlink = 2;
	refcount_set(&ino->refs, 1);
	ino->sb = sb;
	sb->used_inodes++;              /* the root counts, as on Linux */
	icache_insert(ino);
	refcount_inc(&d->refs);         /* its own parent (d_alloc) */
	return d;
}

/* Every tmpfs name is in the dentry cache: that is where this tree lives. */
struct dentry *tmpfs_child(struct dentry *dir, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;
	return d_lookup(dir, name, len);
}

/* Link d under dir: the tree's reference is the one d was created with. */
static void attach(struct dentry *dir, struct dentry *d)
{
	d_attach(dir, d);
	if (S_ISDIR(d->inode->mode))
		dir->inode->nlink++;
	inode_touch(dir->inode, true);
}

static int check_new_name(struct dentry *dir, const char *name)
{
	size_t len = strlen(name);

	if (!S_ISDIR(dir->inode->mode))
		return -ENOTDIR;
	if (dir->unlinked)
		return -ENOENT;     /* creating in a removed directory */
	if (len == 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	if (tmpfs_child(dir, name, len))
		return -EEXIST;
	return 0;
}

int tmpfs_create(struct dentry *dir, const char *name, uint32_t mode, struct dentry **out)
{
	struct inode *ino;
	struct dentry *d;
	int err = check_new_name(dir, name);

	if (err)
		return err;
	if (!sb_charge_inode(inode_sb(dir->inode)))
		return -ENOSPC;         /* nr_inodes= reached */
	if (!(ino = inode_new(mode))) {
		sb_uncharge_inode(inode_sb(dir->inode));
		return -ENOMEM;
	}
	if (!(d = d_alloc(name, strlen(name), ino))) {
		kfree(ino);
		sb_uncharge_inode(inode_sb(dir->inode));
		return -ENOMEM;
	}
	refcount_set(&ino->refs, 1);
	ino->nlink = S_ISDIR(mode) ? 2 : 1;
	ino->sb = dir->inode->sb;       /* a new file belongs to its directory's filesystem */
	icache_insert(ino);
	/* setgid directories hand their group down, as on Linux. */
	if (dir->inode->mode & S_ISGID) {
		ino->gid = dir->inode->gid;
		if (S_ISDIR(mode))
			ino->mode |= S_ISGID;
	}
	attach(dir, d);
	*out = d;
	return 0;
}

int tmpfs_link(struct dentry *dir, const char *name, struct inode *ino)
{
	struct dentry *d;
	int err = check_new_name(dir, name);

	if (err)
		return err;
	/* As Linux: each further name of a file takes an inode of nr_inodes. */
	if (!sb_charge_inode(inode_sb(dir->inode)))
		return -ENOSPC;
	if (!(d = d_alloc(name, strlen(name), ino))) {
		sb_uncharge_inode(inode_sb(dir->inode));
		return -ENOMEM;
	}
	iget(ino);
	ino->nlink++;
	inode_touch(ino, false);
	attach(dir, d);
	return 0;
}

static void detach(struct dentry *d)
{
	struct dentry *dir = d->parent;

	d_detach(d);
	if (S_ISDIR(d->inode->mode))
		dir->inode->nlink--;
	inode_touch(dir->inode, true);
}

void tmpfs_unlink(struct dentry *d)
{
	struct inode *ino = d->inode;

	detach(d);
	if (!S_ISDIR(ino->mode) && ino->nlink > 1)
		sb_uncharge_inode(inode_sb(ino));       /* a further name (tmpfs_link) */
	/* A directory loses "." too; it stays usable as a cwd, but empty. */
	ino->nlink = S_ISDIR(ino->mode) ? 0 : ino->nlink - 1;
	inode_touch(ino, false);
	dput(d);            /* the tree's reference; parent's goes with d */
}

int tmpfs_rename(struct dentry *d, struct dentry *dir, const char *name,
		 struct dentry *target)
{
	size_t len = strlen(name);
	struct dentry *old_parent = d->parent;

	if (len == 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	if (target)
		tmpfs_unlink(target);
	detach(d);
	d_set_name(d, name, len);
	attach(dir, d);
	inode_touch(d->inode, false);
	dput(old_parent);   /* attach took a reference on the new parent */
	return 0;
}

bool tmpfs_dir_empty(const struct dentry *dir)
{
	return list_empty(&dir->children);
}

/*
 * Regular files unpacked from the initramfs borrow the archive's bytes
 * (never written) until a page must exist: read(2) and exec copy from
 * the archive in place (peek), a write or a mapping gets a page filled
 * from it (read_page). Past backing_len (the archive's end, or a
 * truncate's) is a hole.
 */
static int initrd_read_page(struct inode *ino, uint64_t idx, void *page)
{
	uint64_t off = idx * PAGE_SIZE;

	if (off < ino->backing_len)
		memcpy(page, ino->backing + off, MIN((uint64_t)PAGE_SIZE, ino->backing_len - off));
	return 0;
}

static const char *initrd_peek(struct inode *ino, uint64_t pos, size_t *len)
{
	if (pos >= ino->backing_len)
		return NULL;
	*len = MIN(*len, ino->backing_len - pos);   /* the archive may end mid-page */
	return ino->backing + pos;
}

static const struct page_cache_ops initrd_page_ops = {
	.read_page = initrd_read_page,
	.peek = initrd_peek,
};

void tmpfs_set_borrowed(struct inode *ino, const void *data, size_t len)
{
	drop_data(ino);
	if (S_ISREG(ino->mode)) {
		ino->backing = data;
		ino->backing_len = ino->size = len;
		ino->pc_ops = &initrd_page_ops;
		return;
	}
	ino->data = (char *)data;
	ino->size = len;
	ino->capacity = len;
	ino->data_borrowed = true;
}

int tmpfs_set_data(struct inode *ino, const void *data, size_t len)
{
	char *copy;

	if (S_ISREG(ino->mode)) {
		int err;

		drop_data(ino);
		if ((err = file_write_kernel(ino, 0, data, len)))
			file_pages_release(ino);
		return err;
	}
	if (!(copy = kmalloc(len ? len : 1)))
		return -ENOMEM;
	memcpy(copy, data, len);
	drop_data(ino);
	ino->data = copy;
	ino->size = len;
	ino->capacity = len;
	return 0;
}

int tmpfs_truncate(struct inode *ino, uint64_t size)
{
	if (size > ((uint64_t)1 << 40))
		return -EFBIG;
	/* Holes cost nothing: pages appear when written or mapped. */
	file_pages_resize(ino, size);
	/* The archive's bytes past the new size are gone: growing reads zeros. */
	ino->backing_len = MIN(ino->backing_len, size);
	inode_touch(ino, true);
	return 0;
}

/* The VFS operations (kevlar/vfs.h): the library above, with vfs_* having checked the names. */

static int tmpfs_op_create(struct dentry *dir, const char *name, uint32_t mode,
			   uint32_t rdev_major, uint32_t rdev_minor, struct dentry **out)
{
	int err = tmpfs_create(dir, name, mode, out);

	if (!err) {
		(*out)->inode->rdev_major = rdev_major;
		(*out)->inode->rdev_minor = rdev_minor;
	}
	return err;
}

static int tmpfs_op_mkdir(struct dentry *dir, const char *name, uint32_t mode,
			  struct dentry **out)
{
	return tmpfs_create(dir, name, S_IFDIR | mode, out);
}

static int tmpfs_op_symlink(struct dentry *dir, const char *name, const char *target,
			    struct dentry **out)
{
	struct dentry *d;
	int err = tmpfs_create(dir, name, S_IFLNK | 0777, &d);

	if (err)
		return err;
	if ((err = tmpfs_set_data(d->inode, target, strlen(target)))) {
		tmpfs_unlink(d);
		return err;
	}
	*out = d;
	return 0;
}

static int tmpfs_op_link(struct dentry *dir, const char *name, struct inode *ino)
{
	return tmpfs_link(dir, name, ino);
}

static void tmpfs_op_unlink(struct dentry *dir, struct dentry *d)
{
	(void)dir;
	tmpfs_unlink(d);
}

static int tmpfs_op_rmdir(struct dentry *dir, struct dentry *d)
{
	(void)dir;
	if (!tmpfs_dir_empty(d))
		return -ENOTEMPTY;
	tmpfs_unlink(d);
	return 0;
}

static int tmpfs_op_rename(struct dentry *old_dir, struct dentry *d, struct dentry *new_dir,
			   const char *name, struct dentry *target)
{
	(void)old_dir;
	if (target && S_ISDIR(target->inode->mode) && !tmpfs_dir_empty(target))
		return -ENOTEMPTY;
	return tmpfs_rename(d, new_dir, name, target);
}

static long tmpfs_readlink(struct dentry *d, char *buf, size_t size)
{
	size_t n = MIN(size, d->inode->size);

	memcpy(buf, d->inode->data, n);
	return (long)n;
}

static int tmpfs_setattr(struct inode *ino, const struct vfs_attr *attr)
{
	if (attr->valid & VFS_ATTR_MODE)
		ino->mode = (ino->mode & S_IFMT) | (attr->mode & 07777);
	if (attr->valid & VFS_ATTR_UID)
		ino->uid = attr->uid;
	if (attr->valid & VFS_ATTR_GID)
		ino->gid = attr->gid;
	if (attr->valid & VFS_ATTR_ATIME) {
		ino->atime_sec = attr->atime_sec;
		ino->atime_nsec = attr->atime_nsec;
	}
	if (attr->valid & VFS_ATTR_MTIME) {
		ino->mtime_sec = attr->mtime_sec;
		ino->mtime_nsec = attr->mtime_nsec;
	}
	inode_touch(ino, false);
	return 0;
}

/*
 * The names are the dentry cache's, in creation order; a name's cookie is
 * its dir_pos + 1 (d_attach hands them out growing), so removing names
 * between calls never moves the ones after them.
 */
static int tmpfs_readdir(struct dentry *dir, struct dir_context *ctx)
{
	struct dentry *c;

	list_for_each_entry(c, &dir->children, sibling) {
		if (c->dir_pos < ctx->pos)
			continue;
		if (!c->unlisted && !ctx->emit(ctx, c->name, strlen(c->name), c->inode->ino,
					       c->inode->mode, c->dir_pos + 1))
			return 0;
		ctx->pos = c->dir_pos + 1;
	}
	return 0;
}

static const struct vfs_inode_ops tmpfs_inode_ops = {
	.readdir = tmpfs_readdir,
	.evict = tmpfs_evict,
	.create = tmpfs_op_create,
	.mkdir = tmpfs_op_mkdir,
	.symlink = tmpfs_op_symlink,
	.link = tmpfs_op_link,
	.unlink = tmpfs_op_unlink,
	.rmdir = tmpfs_op_rmdir,
	.rename = tmpfs_op_rename,
	.truncate = tmpfs_truncate,
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
};

/*
 * A mounted tmpfs reports its size= and nr_inodes= and what is used of
 * them (fs/tmpfs_limits.c); the initramfs root, which has no limit,
 * reports memory.
 */
static void tmpfs_statfs(struct superblock *sb, struct vfs_statfs *st)
{
	st->blocks = sb->max_pages ? sb->max_pages : page_nr_total();
	st->bfree = st->bavail = sb->max_pages ?
		(sb->max_pages > sb->used_pages ? sb->max_pages - sb->used_pages : 0) :
		page_nr_free();
	st->files = sb->max_inodes ? sb->max_inodes : page_nr_total() / 2;
	st->ffree = st->files > sb->used_inodes ? st->files - sb->used_inodes : 0;
}

const struct super_ops tmpfs_super_ops = {
	.make_root = tmpfs_make_root,
	.statfs = tmpfs_statfs,
};

const struct super_ops tmpfs_tree_super_ops = {
	.make_root = tmpfs_make_root,
};
