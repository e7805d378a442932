/*
 * The inode cache (kevlar/dcache.h): inodes by (superblock, number), so a
 * file reached by two names, or looked up again while open, is one struct
 * inode. A fixed table of chains: inodes in use are what the dentries
 * hold, so its size follows the dentry cache's, and a short chain costs
 * less than a second growing table here. Callers hold fs_lock().
 */
#include <kevlar/dcache.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/list.h>
#include <kevlar/vfs.h>

#define ICACHE_BUCKETS  4096    /* 64 KiB of list heads */

static struct list_head buckets[ICACHE_BUCKETS];
static bool ready;

static struct list_head *bucket_of(const struct superblock *sb, uint64_t ino)
{
	uint64_t h = ((uint64_t)(uintptr_t)sb >> 4) * 0x9e3779b97f4a7c15ull ^ ino;

	h *= 0xff51afd7ed558ccdull;
	if (!ready) {
		for (size_t i = 0; i < ICACHE_BUCKETS; i++)
			list_init(&buckets[i]);
		ready = true;
	}
	return &buckets[(h >> 32) & (ICACHE_BUCKETS - 1)];
}

static struct inode *find(const struct superblock *sb, uint64_t ino)
{
	struct inode *i;

	list_for_each_entry(i, bucket_of(sb, ino), icache_link)
		if (i->sb == sb && i->ino == ino)
			return i;
	return NULL;
}

struct inode *icache_find(struct superblock *sb, uint64_t ino)
{
	struct inode *i = find(sb, ino);

	if (i)
		iget(i);
	return i;
}

struct inode *icache_insert(struct inode *ino)
{
	struct inode *old = find(ino->sb, ino->ino);

	if (old) {
		iget(old);
		return old;
	}
	list_add_tail(&ino->icache_link, bucket_of(ino->sb, ino->ino));
	ino->cached = true;
	return ino;
}

static void icache_remove(struct inode *ino)
{
	if (!ino->cached)
		return;
	list_del(&ino->icache_link);
	ino->cached = false;
}

void iget(struct inode *ino)
{
	refcount_inc(&ino->refs);
}

/* The last reference: out of the cache, then the file system frees what it holds. */
void iput(struct inode *ino)
{
	if (!refcount_dec_and_test(&ino->refs))
		return;
	icache_remove(ino);
	if (ino->fs_ops && ino->fs_ops->evict)
		ino->fs_ops->evict(ino);
	kfree(ino);
}
