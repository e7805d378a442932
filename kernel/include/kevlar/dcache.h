#ifndef KEVLAR_DCACHE_H
#define KEVLAR_DCACHE_H

/*
 * The dentry cache and the inode cache (kernel/fs/dcache.c, fs/icache.c):
 * the VFS's own memory of names and files, apart from where a file system
 * stores them.
 *
 * Dentries. Every name the VFS knows is a struct dentry (kevlar/fs.h)
 * linked under its parent (parent->children, in creation order) and in
 * one hash table keyed by (parent, name), which path lookup asks first.
 * Only on a miss is the file system asked (vfs_inode_ops.lookup, which
 * answers with an inode); the VFS then makes and caches the dentry. A
 * file system whose names live only in memory (tmpfs and the trees built
 * from it: proc, sysfs, devtmpfs, devpts, cgroup) keeps every name in the
 * cache and has no lookup operation: a miss is "no such name", as Linux's
 * ramfs. The cache does not keep negative entries yet, and nothing prunes
 * unused dentries: a file system that can find its names again (on a
 * disk) is the first that could give them up under memory pressure.
 *
 * Inodes. Inodes of a file system instance are found by (superblock,
 * inode number) in a hash (icache_find), so two names of one file (hard
 * links) found through a file system's lookup share one struct inode,
 * and a file that is open or mapped is the same object whichever name it
 * is reached by. An inode leaves the hash on its last iput, when its file
 * system's evict operation frees what it holds.
 *
 * Locking: everything here runs under fs_lock() (kevlar/fs.h). A dentry
 * or inode found in a cache is borrowed until fs_unlock(); keep it longer
 * with dget()/iget().
 */

#include <kevlar/types.h>

struct dentry;
struct inode;
struct superblock;

/*
 * A new dentry name (len bytes, 0..NAME_MAX) for ino (which it takes over
 * the caller's reference to; NULL until instantiated), not yet in any
 * directory: one reference (the caller's), its own parent. NULL when out
 * of memory.
 */
struct dentry *d_alloc(const char *name, size_t len, struct inode *ino);
/*
 * Link d under dir: into dir's children (with the next readdir cookie)
 * and into the hash. d's reference becomes the tree's; d takes one on dir.
 */
void d_attach(struct dentry *dir, struct dentry *d);
/* Take d out of its directory and the hash; it stays valid while referenced. */
void d_detach(struct dentry *d);
/* Give the detached d a new name (len bytes), e.g. before re-attaching it for rename. */
void d_set_name(struct dentry *d, const char *name, size_t len);
/* The cached entry name (len bytes) in dir, or NULL. "." and ".." are not entries. */
struct dentry *d_lookup(const struct dentry *dir, const char *name, size_t len);
/* Dentries in the hash and buckets of the table (the host test checks it grows). */
void dcache_stats(uint64_t *nr_dentries, uint64_t *nr_buckets);

/*
 * The inode (sb, ino) if it is in the cache, with a new reference; NULL
 * if not. sb NULL is the root file system's instance (as inode->sb).
 */
struct inode *icache_find(struct superblock *sb, uint64_t ino);
/*
 * Enter a new inode (its sb and ino set, refcount held by the caller)
 * into the cache and return it; if (sb, ino) is already there, return
 * that one with a new reference instead, and the caller drops its own
 * copy (two lookups may read the same inode when the file system sleeps
 * in between).
 */
struct inode *icache_insert(struct inode *ino);

#endif
