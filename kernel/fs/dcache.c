/*
 * The dentry cache (kevlar/dcache.h): names under their parent, and one
 * hash table over (parent, name) so a lookup costs the same in a
 * directory of ten entries or of ten thousand (the linear scan it
 * replaces compared every name of a directory such as /usr/bin, one by
 * one, on each lookup in it). The table doubles when it holds more dentries than
 * buckets; if the bigger table cannot be had, chains just grow longer.
 * It halves again when fewer than a quarter of its buckets' worth are
 * left (a storm of processes fills /proc with names that go with them),
 * so the memory comes back; the gap between the two bounds keeps a
 * table from flapping around one size.
 * Callers hold fs_lock().
 */
#include <kevlar/dcache.h>
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/string.h>

/* Readdir cookies 0 and 1 are "." and ".."; entries start after them. */
#define FIRST_DIR_POS   2

#define MIN_BUCKETS     256
/* 2^17 list heads: 2 MiB, within kmalloc's largest block. */
#define MAX_BUCKETS     ((size_t)1 << 17)

/* The first table is static, so there is always one to enter names in. */
static struct list_head first_buckets[MIN_BUCKETS];
static struct list_head *buckets;
static size_t nr_buckets;           /* a power of two once set up */
static uint64_t nr_hashed;

static void table_setup(void)
{
	for (size_t i = 0; i < MIN_BUCKETS; i++)
		list_init(&first_buckets[i]);
	buckets = first_buckets;
	nr_buckets = MIN_BUCKETS;
}

/* FNV-1a over the name, started from the parent's address, then spread. */
static uint64_t name_hash(const struct dentry *dir, const char *name, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)(uintptr_t)dir;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

static struct list_head *bucket_of(const struct dentry *dir, const char *name, size_t len)
{
	return &buckets[name_hash(dir, name, len) & (nr_buckets - 1)];
}

/* Move every entry into a table of n buckets; false (nothing changed) without memory. */
static bool rehash(size_t n)
{
	struct list_head *fresh = n == MIN_BUCKETS ? first_buckets : kmalloc(n * sizeof(*fresh));
	struct list_head *old = buckets;
	size_t old_n = nr_buckets;

	if (!fresh)
		return false;
	for (size_t i = 0; i < n; i++)
		list_init(&fresh[i]);
	buckets = fresh;
	nr_buckets = n;
	for (size_t i = 0; i < old_n; i++) {
		while (!list_empty(&old[i])) {
			struct dentry *d = list_first_entry(&old[i], struct dentry, hash_link);

			list_del(&d->hash_link);
			list_add_tail(&d->hash_link, bucket_of(d->parent, d->name, strlen(d->name)));
		}
	}
	if (old != first_buckets)
		kfree(old);
	return true;
}

static void hash_add(struct dentry *d)
{
	if (!nr_buckets)
		table_setup();
	if (nr_hashed >= nr_buckets && nr_buckets < MAX_BUCKETS)
		rehash(nr_buckets * 2);
	list_add_tail(&d->hash_link, bucket_of(d->parent, d->name, strlen(d->name)));
	d->hashed = true;
	nr_hashed++;
}

static void hash_del(struct dentry *d)
{
	if (!d->hashed)
		return;
	list_del(&d->hash_link);
	list_init(&d->hash_link);
	d->hashed = false;
	nr_hashed--;
	if (nr_buckets > MIN_BUCKETS && nr_hashed < nr_buckets / 4)
		rehash(nr_buckets / 2);
}

struct dentry *d_alloc(const char *name, size_t len, struct inode *ino)
{
	struct dentry *d;

	if (len > NAME_MAX || !(d = kzalloc(sizeof(*d))))
		return NULL;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	d->inode = ino;
	d->parent = d;
	refcount_set(&d->refs, 1);
	d->next_dir_pos = FIRST_DIR_POS;
	list_init(&d->children);
	list_init(&d->sibling);
	list_init(&d->hash_link);
	return d;
}

void d_attach(struct dentry *dir, struct dentry *d)
{
	d->parent = dir;
	dget(dir);
	d->dir_pos = dir->next_dir_pos++;
	d->unlinked = false;
	list_add_tail(&d->sibling, &dir->children);
	hash_add(d);
}

void d_detach(struct dentry *d)
{
	hash_del(d);
	list_del(&d->sibling);
	list_init(&d->sibling);
	d->unlinked = true;
}

void d_set_name(struct dentry *d, const char *name, size_t len)
{
	memcpy(d->name, name, len);
	d->name[len] = '\0';
}

struct dentry *d_lookup(const struct dentry *dir, const char *name, size_t len)
{
	struct dentry *d;

	if (len > NAME_MAX || !nr_buckets)
		return NULL;
	list_for_each_entry(d, bucket_of(dir, name, len), hash_link)
		if (d->parent == dir && memcmp(d->name, name, len) == 0 && d->name[len] == '\0')
			return d;
	return NULL;
}

void dcache_stats(uint64_t *nr_dentries, uint64_t *nr_buckets_out)
{
	*nr_dentries = nr_hashed;
	*nr_buckets_out = nr_buckets;
}

void dget(struct dentry *d)
{
	refcount_inc(&d->refs);
}

/* A dentry is freed once detached and unused; it keeps its parent alive. */
void dput(struct dentry *d)
{
	while (d && refcount_dec_and_test(&d->refs)) {
		struct dentry *parent = d->parent;

		iput(d->inode);
		kfree(d);
		d = parent == d ? NULL : parent;
	}
}
