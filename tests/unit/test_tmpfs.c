/*
 * tmpfs and path lookup on the host: names vs inodes (hard links, open
 * after unlink, rename), lookups relative to a cwd and a chroot, symlink
 * loops, readdir cookies that survive removal, permission checks, and
 * the VFS entry points' generic checks over tmpfs.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <kevlar/dcache.h>
#include <kevlar/fs.h>
#include <kevlar/tmpfs_limits.h>
#include <kevlar/kmalloc.h>
#include <kevlar/mount.h>
#include <kevlar/sched.h>
#include <kevlar/time.h>
#include <kevlar/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/magic.h>
#include "fs_stubs.h"

/* The kernel services tmpfs and path.c use: fs_stubs.c. */
/* File pages: host memory through the same direct-map arithmetic the kernel uses. */
#include <kevlar/page.h>
static long pages_live;
void *page_zalloc(unsigned order)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

	if (p) {
		memset(p, 0, PAGE_SIZE << order);
		pages_live++;
	}
	return p;
}
bool page_ref_put(paddr_t pa) { pages_live--; free(phys_to_virt(pa)); return true; }
unsigned page_ref_count(paddr_t pa) { (void)pa; return 1; }
uint64_t page_nr_free(void) { return 1 << 20; }
uint64_t page_nr_total(void) { return 1 << 20; }
/* Each test builds a fresh tree and leaves the old one behind on purpose. */
const char *__asan_default_options(void) { return "detect_leaks=0"; }

static int setup(void **state)
{
	(void)state;
	memset(&task, 0, sizeof(task));
	fsuid = fsgid = 0;
	tmpfs_init();
	return 0;
}

/* The entry name in dir, or NULL when the VFS says there is none. */
static struct dentry *entry(struct dentry *dir, const char *name)
{
	struct dentry *d;
	int err = vfs_lookup(dir, name, strlen(name), &d);

	if (err == -ENOENT)
		return NULL;
	assert_int_equal(err, 0);
	return d;
}

static struct dentry *make(const char *path, uint32_t mode)
{
	struct dentry *parent, *d;
	char name[NAME_MAX + 1];
	bool slash;

	assert_int_equal(path_walk_parent(AT_FDCWD, path, &parent, name, &slash), 0);
	assert_int_equal(tmpfs_create(parent, name, mode, &d), 0);
	return d;
}

static void test_hard_link_shares_the_inode_and_unlink_keeps_it_while_used(void **state)
{
	struct dentry *d = make("/a", S_IFREG | 0644), *found;
	struct inode *ino = d->inode;

	(void)state;
	assert_int_equal(tmpfs_link(tmpfs_root(), "b", ino), 0);
	assert_int_equal(ino->nlink, 2);
	assert_int_equal(path_walk(AT_FDCWD, "/b", 0, &found), 0);
	assert_ptr_equal(found->inode, ino);
	iget(ino);                      /* an open file */
	tmpfs_unlink(d);
	tmpfs_unlink(found);
	assert_int_equal(ino->nlink, 0);
	assert_int_equal(path_walk(AT_FDCWD, "/a", 0, &found), -ENOENT);
	assert_int_equal(tmpfs_set_data(ino, "still here", 10), 0);
	iput(ino);                      /* last close frees it (ASan checks) */
}

static void test_relative_paths_follow_cwd_and_dotdot_stops_at_root(void **state)
{
	struct dentry *b, *found;
	char buf[64];

	(void)state;
	make("/a", S_IFDIR | 0755);
	b = make("/a/b", S_IFDIR | 0755);
	task.cwd = b;
	dget(b);
	assert_int_equal(path_walk(AT_FDCWD, "..", LOOKUP_FOLLOW, &found), 0);
	assert_string_equal(found->name, "a");
	assert_int_equal(path_walk(AT_FDCWD, "../../../..", LOOKUP_FOLLOW, &found), 0);
	assert_ptr_equal(found, tmpfs_root());
	assert_int_equal(dentry_path(b, tmpfs_root(), buf, sizeof(buf)), 5);
	assert_string_equal(buf, "/a/b");
	/* chroot to /a: "/" is /a, and /a/b prints as /b. */
	task.root = found = b->parent;
	assert_int_equal(dentry_path(b, task.root, buf, sizeof(buf)), 3);
	assert_string_equal(buf, "/b");
	assert_int_equal(path_walk(AT_FDCWD, "/../b", LOOKUP_FOLLOW, &found), 0);
	assert_ptr_equal(found, b);
	task.root = NULL;
	assert_int_equal(dentry_path(b, tmpfs_root(), buf, 4), -ERANGE);
	dput(task.cwd);
	task.cwd = NULL;
}

static void test_symlink_loop_is_eloop_and_trailing_slash_needs_a_directory(void **state)
{
	struct dentry *found, *l1 = make("/l1", S_IFLNK | 0777), *l2 = make("/l2", S_IFLNK | 0777);

	(void)state;
	tmpfs_set_data(l1->inode, "/l2", 3);
	tmpfs_set_data(l2->inode, "l1", 2);
	assert_int_equal(path_walk(AT_FDCWD, "/l1", LOOKUP_FOLLOW, &found), -ELOOP);
	assert_int_equal(path_walk(AT_FDCWD, "/l1", 0, &found), 0);
	assert_ptr_equal(found, l1);
	make("/f", S_IFREG | 0644);
	assert_int_equal(path_walk(AT_FDCWD, "/f/", 0, &found), -ENOTDIR);
	assert_int_equal(path_walk(AT_FDCWD, "/f/x", 0, &found), -ENOTDIR);
}

static void test_rename_moves_and_readdir_cookies_only_grow(void **state)
{
	struct dentry *dir = make("/d", S_IFDIR | 0755), *x = make("/x", S_IFREG | 0600);
	uint64_t first;

	(void)state;
	first = x->dir_pos;
	assert_int_equal(tmpfs_rename(x, dir, "y", NULL), 0);
	assert_ptr_equal(tmpfs_child(dir, "y", 1), x);
	assert_null(tmpfs_child(tmpfs_root(), "x", 1));
	assert_true(x->dir_pos >= 2);
	make("/z", S_IFREG | 0600);
	assert_true(tmpfs_child(tmpfs_root(), "z", 1)->dir_pos > first);
	assert_false(tmpfs_dir_empty(dir));
	assert_int_equal(dir->inode->nlink, 2);
}

static void test_permissions_follow_owner_group_other_and_root_needs_x_to_exec(void **state)
{
	struct inode ino = { .mode = S_IFREG | 0640, .uid = 100, .gid = 200 };

	(void)state;
	assert_int_equal(inode_permission(&ino, MAY_READ | MAY_WRITE), 0);      /* root */
	assert_int_equal(inode_permission(&ino, MAY_EXEC), -EACCES);
	fsuid = 100;
	assert_int_equal(inode_permission(&ino, MAY_WRITE), 0);
	fsuid = 300; fsgid = 200;
	assert_int_equal(inode_permission(&ino, MAY_READ), 0);
	assert_int_equal(inode_permission(&ino, MAY_WRITE), -EACCES);
	fsgid = 7;
	assert_int_equal(inode_permission(&ino, MAY_READ), -EACCES);
	assert_false(inode_owner_or_root(&ino));
}

static void test_file_pages_grow_past_4mib_read_back_and_zero_on_truncate(void **state)
{
	struct inode *ino = make("/big", S_IFREG | 0644)->inode;
	static char chunk[10000], back[10000];
	uint64_t total = 6 << 20, pos;
	long before = pages_live;

	(void)state;
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)i;
	for (pos = 0; pos < total; pos += sizeof(chunk))
		assert_int_equal(file_write_kernel(ino, pos, chunk, sizeof(chunk)), 0);
	assert_true(ino->size >= total);
	assert_int_equal(file_read_kernel(ino, 4990000, back, sizeof(back)), sizeof(back));
	assert_memory_equal(back, chunk, sizeof(back));     /* 4990000 = 499 chunks */
	/* Shrink into a page: its tail is zeroed, so growing reads zeros. */
	assert_int_equal(tmpfs_truncate(ino, 5000), 0);
	assert_int_equal(ino->nr_pages, 2);
	assert_int_equal(tmpfs_truncate(ino, 9000), 0);
	assert_int_equal(file_read_kernel(ino, 4999, back, 10), 10);
	assert_int_equal(back[0], chunk[4999]);
	assert_int_equal(back[1], 0);
	assert_int_equal(back[9], 0);
	/* Reads stop at the size; a far write leaves a hole without pages. */
	assert_int_equal(file_read_kernel(ino, 8995, back, 100), 5);
	assert_int_equal(file_write_kernel(ino, 100 * PAGE_SIZE, "x", 1), 0);
	assert_int_equal(ino->nr_pages, 3);
	assert_int_equal(file_read_kernel(ino, 50 * PAGE_SIZE, back, 3), 3);
	assert_int_equal(back[0] | back[1] | back[2], 0);
	assert_int_equal(tmpfs_truncate(ino, 0), 0);
	assert_int_equal(pages_live, before);
}

static void test_initrd_bytes_are_borrowed_until_a_page_is_needed(void **state)
{
	struct inode *ino = make("/rd", S_IFREG | 0644)->inode;
	static char archive[PAGE_SIZE + 100];
	char back[8];
	int err = 0;
	char *page;

	(void)state;
	memset(archive, 'r', sizeof(archive));
	tmpfs_set_borrowed(ino, archive, sizeof(archive));
	assert_int_equal(ino->nr_pages, 0);
	assert_int_equal(file_read_kernel(ino, PAGE_SIZE + 96, back, 8), 4);
	assert_memory_equal(back, "rrrr", 4);
	/* The partial last page: initrd bytes, then zeros (for mmap past the end). */
	page = file_page_get(ino, 1, &err);
	assert_non_null(page);
	assert_int_equal(page[99], 'r');
	assert_int_equal(page[100], 0);
	assert_int_equal(file_write_kernel(ino, 0, "W", 1), 0);
	assert_int_equal(archive[0], 'r');          /* never written through */
	assert_int_equal(file_read_kernel(ino, 0, back, 2), 2);
	assert_memory_equal(back, "Wr", 2);
	iput(ino);
}

static void test_mounts_are_crossed_dotdot_climbs_out_and_umount_uncovers(void **state)
{
	struct dentry *mnt = make("/mnt", S_IFDIR | 0755), *found, *sub;
	struct superblock *sb = sb_create("tmpfs", TMPFS_MAGIC, 0755), *inner;
	struct mount *m, *m2;
	char buf[64];

	(void)state;
	make("/mnt/hidden", S_IFREG | 0644);
	assert_non_null(sb);
	assert_int_equal(mount_add(mount_root(), mnt, sb->root, sb, 0, "tmpfs", "", &m), 0);
	/* The mounted tree shows at /mnt; what was there is covered. */
	assert_int_equal(path_walk(AT_FDCWD, "/mnt/hidden", 0, &found), -ENOENT);
	sub = make("/mnt/sub", S_IFDIR | 0755);
	assert_ptr_equal(sub->inode->sb, sb);
	assert_ptr_equal(inode_sb(tmpfs_root()->inode), rootfs_sb());
	assert_int_equal(path_walk(AT_FDCWD, "/mnt/sub/../..", LOOKUP_FOLLOW, &found), 0);
	assert_ptr_equal(found, tmpfs_root());
	/* getcwd inside the mount names the path through the mount point. */
	assert_int_equal(dentry_path(sub, tmpfs_root(), buf, sizeof(buf)), 9);
	assert_string_equal(buf, "/mnt/sub");
	/* Stacking: a mount on /mnt/sub makes /mnt busy. */
	inner = sb_create("tmpfs", TMPFS_MAGIC, 0700);
	assert_int_equal(mount_add(m, sub, inner->root, inner, 0, "tmpfs", "", &m2), 0);
	assert_int_equal(path_walk(AT_FDCWD, "/mnt/sub", 0, &found), 0);
	assert_ptr_equal(found, inner->root);
	assert_int_equal(mount_remove(m, false), -EBUSY);
	assert_int_equal(mount_remove(m2, false), 0);
	assert_int_equal(mount_remove(m, false), 0);
	assert_int_equal(mnt->mounted, 0);
	assert_int_equal(path_walk(AT_FDCWD, "/mnt/hidden", 0, &found), 0);
}

static void test_vfs_checks_kinds_emptiness_and_file_systems(void **state)
{
	struct dentry *root = vfs_root(), *dir, *file, *sub, *link, *found;
	struct superblock *other = sb_create("tmpfs", TMPFS_MAGIC, 0755);
	char buf[8];

	(void)state;
	assert_non_null(other);
	assert_int_equal(vfs_mkdir(root, "d", 0755, &dir), 0);
	assert_true(S_ISDIR(dir->inode->mode));
	assert_int_equal(dir->inode->nlink, 2);
	assert_int_equal(vfs_create(root, "f", S_IFCHR | 0600, 1, 3, &file), 0);
	assert_int_equal(file->inode->rdev_major, 1);
	assert_int_equal(file->inode->rdev_minor, 3);
	assert_int_equal(vfs_create(root, "f", S_IFREG | 0644, 0, 0, &found), -EEXIST);
	assert_int_equal(vfs_create(file, "x", S_IFREG | 0644, 0, 0, &found), -ENOTDIR);
	assert_int_equal(vfs_symlink(root, "l", "/d", &link), 0);
	assert_int_equal(path_walk(AT_FDCWD, "/l", LOOKUP_FOLLOW, &found), 0);
	assert_ptr_equal(found, dir);
	assert_ptr_equal(entry(root, "l"), link);
	assert_int_equal(vfs_readlink(link, buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "/d", 2);
	assert_int_equal(vfs_readlink(link, buf, 1), 1);
	assert_int_equal(vfs_readlink(dir, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(vfs_lookup(file, "x", 1, &found), -ENOTDIR);
	/* Kinds: unlink is not for directories, rmdir only for them. */
	assert_int_equal(vfs_unlink(root, dir), -EISDIR);
	assert_int_equal(vfs_rmdir(root, file), -ENOTDIR);
	assert_int_equal(vfs_create(dir, "sub", S_IFDIR | 0755, 0, 0, &sub), 0);
	assert_int_equal(vfs_rmdir(root, dir), -ENOTEMPTY);
	/* rename: kinds must match, a directory target must be empty. */
	assert_int_equal(vfs_rename(root, file, root, "d", dir), -EISDIR);
	assert_int_equal(vfs_rename(dir, sub, root, "f", file), -ENOTDIR);
	assert_int_equal(vfs_mkdir(root, "e", 0755, &found), 0);
	assert_int_equal(vfs_rename(root, found, root, "d", dir), -ENOTEMPTY);
	assert_ptr_equal(entry(root, "e"), found);
	assert_int_equal(vfs_rename(dir, sub, root, "e", found), 0);
	assert_ptr_equal(entry(root, "e"), sub);
	assert_null(entry(dir, "sub"));
	assert_int_equal(vfs_rmdir(root, dir), 0);
	assert_null(entry(root, "d"));
	/* Across file systems: EXDEV, and nothing moves. */
	assert_false(vfs_same_fs(root, other->root));
	assert_int_equal(vfs_rename(root, file, other->root, "f", NULL), -EXDEV);
	assert_int_equal(vfs_link(file->inode, other->root, "f"), -EXDEV);
	assert_ptr_equal(entry(root, "f"), file);
	assert_null(entry(other->root, "f"));
	assert_int_equal(vfs_link(sub->inode, root, "s2"), -EPERM);
	assert_int_equal(vfs_link(file->inode, root, "f2"), 0);
	assert_int_equal(file->inode->nlink, 2);
	/* truncate: regular files only. */
	assert_int_equal(vfs_truncate(sub->inode, 0), -EISDIR);
	assert_int_equal(vfs_truncate(file->inode, 0), -EINVAL);
	assert_int_equal(vfs_create(root, "r", S_IFREG | 0644, 0, 0, &found), 0);
	assert_int_equal(vfs_truncate(found->inode, 5), 0);
	assert_int_equal(found->inode->size, 5);
	assert_int_equal(file_read_kernel(found->inode, 0, buf, sizeof(buf)), 5);
	/* setattr stores what valid names, keeps the type, and stamps ctime. */
	found->inode->ctime_sec = 12345;
	assert_int_equal(vfs_setattr(found->inode, &(struct vfs_attr){
		.valid = VFS_ATTR_MODE | VFS_ATTR_GID | VFS_ATTR_MTIME,
		.mode = S_IFDIR | 04711, .uid = 7, .gid = 8, .mtime_sec = 1000, .mtime_nsec = 5 }), 0);
	assert_int_equal(found->inode->mode, S_IFREG | 04711);
	assert_int_equal(found->inode->uid, 0);
	assert_int_equal(found->inode->gid, 8);
	assert_int_equal(found->inode->mtime_sec, 1000);
	assert_int_equal(found->inode->mtime_nsec, 5);
	assert_true(found->inode->atime_sec != 1000);
	assert_int_equal(found->inode->ctime_sec, clock_realtime_ns() / 1000000000);
	assert_int_equal(vfs_unlink(root, found), 0);
	assert_null(entry(root, "r"));
}

/* ---- a file system whose names are elsewhere (a "disk"), found through its lookup ---- */

struct disk_entry {
	uint64_t dir, ino;
	const char *name;
	uint32_t mode;
};

/* Root is inode 1; "b" is a second name (hard link) of "a"'s inode 2. */
static const struct disk_entry disk[] = {
	{ 1, 2, "a", S_IFREG | 0644 },
	{ 1, 2, "b", S_IFREG | 0644 },
	{ 1, 3, "sub", S_IFDIR | 0755 },
	{ 3, 4, "c", S_IFREG | 0600 },
};
static int disk_lookups, disk_reads, disk_evicts;
static const struct vfs_inode_ops disk_ops;

static void disk_evict(struct inode *ino)
{
	(void)ino;
	disk_evicts++;
}

/* An inode read "from the disk" once, then found in the inode cache. */
static struct inode *disk_inode(struct superblock *sb, uint64_t n, uint32_t mode)
{
	struct inode *ino = icache_find(sb, n);

	if (ino)
		return ino;
	disk_reads++;
	ino = calloc(1, sizeof(*ino));
	ino->ino = n;
	ino->sb = sb;
	ino->mode = mode;
	ino->nlink = 1;
	ino->fs_ops = &disk_ops;
	refcount_set(&ino->refs, 1);
	return icache_insert(ino);
}

static int disk_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	disk_lookups++;
	if (len == 3 && memcmp(name, "eio", 3) == 0)
		return -EIO;
	for (size_t i = 0; i < sizeof(disk) / sizeof(disk[0]); i++)
		if (disk[i].dir == dir->ino && strlen(disk[i].name) == len &&
		    memcmp(disk[i].name, name, len) == 0) {
			*out = disk_inode(dir->sb, disk[i].ino, disk[i].mode);
			return 0;
		}
	return -ENOENT;
}

static const struct vfs_inode_ops disk_ops = { .lookup = disk_lookup, .evict = disk_evict };

static struct dentry *disk_make_root(struct superblock *sb, uint32_t mode)
{
	struct inode *ino = disk_inode(sb, 1, mode);
	struct dentry *d = d_alloc("", 0, ino);

	dget(d);            /* its own parent, never freed while mounted */
	return d;
}

static const struct super_ops disk_super_ops = { .make_root = disk_make_root };

static void test_a_miss_asks_the_file_system_once_and_hard_links_share_one_inode(void **state)
{
	struct superblock *sb;
	struct dentry *root, *a, *a2, *b, *c, *d;
	struct inode *ino;

	(void)state;
	disk_lookups = disk_reads = disk_evicts = 0;
	sb = sb_create_ops("diskfs", 0x1234, S_IFDIR | 0755, &disk_super_ops);
	assert_non_null(sb);
	root = sb->root;
	assert_int_equal(disk_reads, 1);                /* the root */
	assert_int_equal(vfs_lookup(root, "a", 1, &a), 0);
	assert_int_equal(disk_lookups, 1);
	assert_int_equal(vfs_lookup(root, "a", 1, &a2), 0);
	assert_ptr_equal(a2, a);
	assert_int_equal(disk_lookups, 1);              /* a hit: the file system is not asked */
	assert_int_equal(vfs_lookup(root, "b", 1, &b), 0);
	assert_true(b != a);
	assert_ptr_equal(b->inode, a->inode);           /* one file, two names */
	assert_int_equal(disk_reads, 2);
	/* Path walks go through the same caches, and a file system error reaches the caller. */
	task.cwd = task.root = root;
	assert_int_equal(path_walk(AT_FDCWD, "sub/c", 0, &c), 0);
	assert_int_equal(c->inode->ino, 4);
	assert_int_equal(path_walk(AT_FDCWD, "/sub/../a", 0, &d), 0);
	assert_ptr_equal(d, a);
	assert_int_equal(path_walk(AT_FDCWD, "missing", 0, &d), -ENOENT);
	assert_int_equal(path_walk(AT_FDCWD, "sub/eio", 0, &d), -EIO);
	assert_int_equal(vfs_create(root, "eio", S_IFREG | 0644, 0, 0, &d), -EIO);
	assert_int_equal(vfs_create(root, "new", S_IFREG | 0644, 0, 0, &d), -EPERM);
	/* The inode is found by number while a name holds it, and evicted with the last. */
	ino = icache_find(sb, 2);
	assert_ptr_equal(ino, a->inode);
	iput(ino);
	d_detach(a);
	dput(a);
	assert_int_equal(disk_evicts, 0);
	assert_ptr_equal(icache_find(sb, 2), b->inode);
	iput(b->inode);
	d_detach(b);
	dput(b);
	assert_int_equal(disk_evicts, 1);
	assert_null(icache_find(sb, 2));
	/* Looked up again: read again, and cached again. */
	assert_int_equal(vfs_lookup(root, "a", 1, &a), 0);
	assert_int_equal(disk_reads, 5);                /* root, a, sub, c, then a again */
	assert_ptr_equal(icache_find(sb, 2), a->inode);
	iput(a->inode);
}

static void test_thousands_of_names_in_one_directory_are_found_renamed_and_removed(void **state)
{
	enum { N = 5000 };
	struct dentry *root = vfs_root(), *d, *moved;
	uint64_t nr, buckets;
	char name[16];

	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(vfs_create(root, name, S_IFREG | 0644, 0, 0, &d), 0);
	}
	dcache_stats(&nr, &buckets);
	assert_true(nr >= N);
	assert_true(buckets >= N / 2);                  /* the table grew with the entries */
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_non_null(d = entry(root, name));
		assert_string_equal(d->name, name);
		assert_ptr_equal(icache_find(d->inode->sb, d->inode->ino), d->inode);
		iput(d->inode);
		snprintf(name, sizeof(name), "g%d", i);
		assert_null(entry(root, name));
	}
	for (int i = 0; i < N; i += 2) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(vfs_unlink(root, entry(root, name)), 0);
	}
	assert_non_null(moved = entry(root, "f1"));
	assert_int_equal(vfs_rename(root, moved, root, "renamed", NULL), 0);
	assert_null(entry(root, "f1"));
	assert_ptr_equal(entry(root, "renamed"), moved);
	for (int i = 2; i < N; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (i % 2)
			assert_non_null(entry(root, name));
		else
			assert_null(entry(root, name));
	}
	/* An unlinked, unused tmpfs file leaves the inode cache. */
	assert_int_equal(vfs_create(root, "gone", S_IFREG | 0644, 0, 0, &d), 0);
	{
		struct superblock *sb = d->inode->sb;
		uint64_t n = d->inode->ino;

		assert_int_equal(vfs_unlink(root, d), 0);
		assert_null(icache_find(sb, n));
	}
	/* With the names gone the table shrinks back, and what is left is found. */
	for (int i = 3; i < N; i += 2) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(vfs_unlink(root, entry(root, name)), 0);
	}
	dcache_stats(&nr, &buckets);
	assert_true(buckets <= 4 * (nr < 256 ? 256 : nr));
	assert_true(buckets < N / 2);
	assert_ptr_equal(entry(root, "renamed"), moved);
	assert_null(entry(root, "f3"));
}

static void test_tmpfs_size_options_parse_as_linux_reads_them(void **state)
{
	struct tmpfs_limits l;

	(void)state;
	assert_int_equal(tmpfs_limits_parse("mode=0755,size=1m,nr_inodes=4", 1000, &l), 0);
	assert_true(l.pages_set && l.inodes_set);
	assert_int_equal(l.max_pages, 256);
	assert_int_equal(l.max_inodes, 4);
	assert_int_equal(tmpfs_limits_parse("size=1025", 1000, &l), 0);
	assert_int_equal(l.max_pages, 1);               /* bytes round up to pages */
	assert_int_equal(tmpfs_limits_parse("size=4097", 1000, &l), 0);
	assert_int_equal(l.max_pages, 2);
	assert_int_equal(tmpfs_limits_parse("size=50%", 1000, &l), 0);
	assert_int_equal(l.max_pages, 500);
	assert_int_equal(tmpfs_limits_parse("size=1G,nr_blocks=10k", 1000, &l), 0);
	assert_int_equal(l.max_pages, 10240);           /* the last one named wins */
	assert_int_equal(tmpfs_limits_parse("nr_inodes=2k", 1000, &l), 0);
	assert_int_equal(l.max_inodes, 2048);
	assert_false(l.pages_set);
	assert_int_equal(tmpfs_limits_parse("noexec,size=0", 1000, &l), 0);
	assert_true(l.pages_set);
	assert_int_equal(l.max_pages, 0);               /* no limit */
	assert_int_equal(tmpfs_limits_parse("size=12x", 1000, &l), -EINVAL);
	assert_int_equal(tmpfs_limits_parse("size=k", 1000, &l), -EINVAL);
	assert_int_equal(tmpfs_limits_parse("nr_inodes=5%", 1000, &l), -EINVAL);
	assert_int_equal(tmpfs_limits_parse("size=99999999999999999999", 1000, &l), -EINVAL);
	assert_int_equal(tmpfs_limits_parse("size=16000000000000e", 1000, &l), -EINVAL);
	assert_int_equal(tmpfs_limits_parse("", 1000, &l), 0);
	assert_false(l.pages_set || l.inodes_set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hard_link_shares_the_inode_and_unlink_keeps_it_while_used, setup),
		cmocka_unit_test_setup(test_relative_paths_follow_cwd_and_dotdot_stops_at_root, setup),
		cmocka_unit_test_setup(test_symlink_loop_is_eloop_and_trailing_slash_needs_a_directory, setup),
		cmocka_unit_test_setup(test_rename_moves_and_readdir_cookies_only_grow, setup),
		cmocka_unit_test_setup(test_permissions_follow_owner_group_other_and_root_needs_x_to_exec, setup),
		cmocka_unit_test_setup(test_file_pages_grow_past_4mib_read_back_and_zero_on_truncate, setup),
		cmocka_unit_test_setup(test_initrd_bytes_are_borrowed_until_a_page_is_needed, setup),
		cmocka_unit_test_setup(test_mounts_are_crossed_dotdot_climbs_out_and_umount_uncovers, setup),
		cmocka_unit_test_setup(test_vfs_checks_kinds_emptiness_and_file_systems, setup),
		cmocka_unit_test_setup(test_a_miss_asks_the_file_system_once_and_hard_links_share_one_inode, setup),
		cmocka_unit_test_setup(test_thousands_of_names_in_one_directory_are_found_renamed_and_removed, setup),
		cmocka_unit_test(test_tmpfs_size_options_parse_as_linux_reads_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
