/*
 * tmpfs: the in-memory tree every file lives in for now. An inode is also
 * its (only) directory entry. File contents are one contiguous buffer;
 * files from the initramfs borrow the archive's bytes until written.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/panic.h>
#include <kevlar/string.h>
#include <uapi/errno.h>

static struct inode *root;
static uint64_t next_ino = 1;

static struct inode *inode_new(const char *name, size_t len, uint32_t mode)
{
	struct inode *ino = kzalloc(sizeof(*ino));

	if (!ino)
		return NULL;
	ino->ino = next_ino++;
	ino->mode = mode;
	ino->nlink = S_ISDIR(mode) ? 2 : 1;
	memcpy(ino->name, name, len);
	ino->name[len] = '\0';
	list_init(&ino->children);
	list_init(&ino->sibling);
	return ino;
}

void tmpfs_init(void)
{
	root = inode_new("", 0, S_IFDIR | 0755);
	if (!root)
		panic("boot: out of memory creating the root directory");
	root->parent = root;
}

struct inode *tmpfs_root(void)
{
	return root;
}

struct inode *tmpfs_child(struct inode *dir, const char *name, size_t len)
{
	struct inode *c;

	if (len == 1 && name[0] == '.')
		return dir;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;
	list_for_each_entry(c, &dir->children, sibling)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

int tmpfs_create(struct inode *dir, const char *name, uint32_t mode, struct inode **out)
{
	size_t len = strlen(name);
	struct inode *ino;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (len == 0 || len > NAME_MAX)
		return -ENAMETOOLONG;
	if (tmpfs_child(dir, name, len))
		return -EEXIST;
	ino = inode_new(name, len, mode);
	if (!ino)
		return -ENOMEM;
	ino->parent = dir;
	list_add_tail(&ino->sibling, &dir->children);
	if (S_ISDIR(mode))
		dir->nlink++;
	*out = ino;
	return 0;
}

static void drop_data(struct inode *ino)
{
	if (!ino->data_borrowed)
		kfree(ino->data);
	ino->data = NULL;
	ino->capacity = 0;
	ino->size = 0;
	ino->data_borrowed = false;
}

void tmpfs_set_borrowed(struct inode *ino, const void *data, size_t len)
{
	drop_data(ino);
	ino->data = (char *)data;
	ino->size = len;
	ino->capacity = len;
	ino->data_borrowed = true;
}

int tmpfs_set_data(struct inode *ino, const void *data, size_t len)
{
	char *copy = kmalloc(len ? len : 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, len);
	drop_data(ino);
	ino->data = copy;
	ino->size = len;
	ino->capacity = len;
	return 0;
}
