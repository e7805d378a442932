/*
 * Reading and writing tmpfs regular files. A file still borrowing the
 * initrd's bytes gets its own copy on the first write.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

static ssize_t reg_read(struct file *f, void *ubuf, size_t n)
{
	struct inode *ino = f->inode;
	size_t avail;

	if (f->pos >= ino->size)
		return 0;
	avail = MIN(n, ino->size - f->pos);
	if (copy_to_user(ubuf, ino->data + f->pos, avail))
		return -EFAULT;
	f->pos += avail;
	return avail;
}

static int ensure_capacity(struct inode *ino, size_t need)
{
	size_t cap;
	char *data;

	if (!ino->data_borrowed && need <= ino->capacity)
		return 0;
	cap = MAX(need, ino->capacity * 2);
	cap = MAX(cap, (size_t)64);
	data = kmalloc(cap);
	if (!data)
		return -ENOMEM;
	memcpy(data, ino->data, ino->size);
	if (!ino->data_borrowed)
		kfree(ino->data);
	ino->data = data;
	ino->capacity = cap;
	ino->data_borrowed = false;
	return 0;
}

static ssize_t reg_write(struct file *f, const void *ubuf, size_t n)
{
	struct inode *ino = f->inode;
	int err;

	if (f->flags & O_APPEND)
		f->pos = ino->size;
	if ((err = ensure_capacity(ino, f->pos + n)))
		return err;
	if (f->pos > ino->size)
		memset(ino->data + ino->size, 0, f->pos - ino->size);
	if (copy_from_user(ino->data + f->pos, ubuf, n))
		return -EFAULT;
	f->pos += n;
	ino->size = MAX(ino->size, f->pos);
	return n;
}

const struct file_ops regular_file_ops = {
	.read = reg_read,
	.write = reg_write,
};

static ssize_t dir_read(struct file *f, void *ubuf, size_t n)
{
	(void)f;
	(void)ubuf;
	(void)n;
	return -EISDIR;
}

const struct file_ops directory_ops = {
	.read = dir_read,
};

struct file *file_open_inode(struct inode *ino, unsigned flags)
{
	if (S_ISDIR(ino->mode))
		return file_alloc(&directory_ops, ino, flags);
	return file_alloc(&regular_file_ops, ino, flags);
}
