/*
 * Computed files (see kevlar/pseudo.h): generic open, read and write of
 * text produced by a show function, and the helpers that build the
 * trees of procfs and sysfs out of tmpfs entries.
 */
#include <kevlar/format.h>
#include <kevlar/kmalloc.h>
#include <kevlar/pseudo.h>
#include <kevlar/string.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <stdarg.h>

#define PSEUDO_FIRST_SIZE   4096
#define PSEUDO_MAX_SIZE     (1u << 20)      /* one text, e.g. /proc/self/maps */
#define PSEUDO_WRITE_MAX    4096

struct pseudo_text {
	char *data;
	size_t len;
};

void pseudo_printf(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*len += kvsnprintf(buf + *len, *len < size ? size - *len : 0, fmt, ap);
	va_end(ap);
}

static ssize_t pseudo_read(struct file *f, struct iov_iter *to)
{
	struct pseudo_text *t = f->private;
	size_t avail, got;

	if (!t || f->pos >= t->len)
		return 0;
	avail = MIN(iov_iter_count(to), t->len - f->pos);
	got = copy_to_iter(to, t->data + f->pos, avail);
	if (!got && avail)
		return -EFAULT;
	f->pos += got;
	return got;
}

static ssize_t pseudo_write(struct file *f, struct iov_iter *from)
{
	const struct pseudo_file *pf = f->inode->priv;
	size_t n = MIN(iov_iter_count(from), (size_t)PSEUDO_WRITE_MAX);
	char *buf;
	long ret;

	if (!pf->store)
		return -EINVAL;
	if (!(buf = kmalloc(n + 1)))
		return -ENOMEM;
	/* A setting is taken whole or not at all. */
	if (copy_from_iter(buf, from, n) != n) {
		kfree(buf);
		return -EFAULT;
	}
	buf[n] = '\0';
	fs_lock();
	ret = pf->store(f->dentry, buf, n);
	fs_unlock();
	kfree(buf);
	return ret < 0 ? ret : (ssize_t)n;
}

static void pseudo_release(struct file *f)
{
	struct pseudo_text *t = f->private;

	if (t) {
		kfree(t->data);
		kfree(t);
	}
}

static const struct file_ops pseudo_fops = {
	.read = pseudo_read,
	.write = pseudo_write,
	.release = pseudo_release,
};

/* The text of d, grown until it fits; -ENOMEM. */
static int pseudo_render(struct dentry *d, const struct pseudo_file *pf,
			 struct pseudo_text **out)
{
	struct pseudo_text *t = kzalloc(sizeof(*t));
	size_t size = PSEUDO_FIRST_SIZE, len;

	if (!t)
		return -ENOMEM;
	for (;;) {
		if (!(t->data = kmalloc(size))) {
			kfree(t);
			return -ENOMEM;
		}
		len = pf->show(d, t->data, size);
		if (len < size || size >= PSEUDO_MAX_SIZE)
			break;
		kfree(t->data);
		size = MIN(ALIGN_UP(len + 1, (size_t)PSEUDO_FIRST_SIZE), (size_t)PSEUDO_MAX_SIZE);
	}
	t->len = MIN(len, size - 1);
	*out = t;
	return 0;
}

/* Called under fs_lock from open. */
static int pseudo_open(struct dentry *d, unsigned flags, struct file **out)
{
	const struct pseudo_file *pf = d->inode->priv;
	struct pseudo_text *t = NULL;
	struct file *f;
	int err;

	if ((flags & O_ACCMODE) != O_WRONLY && pf->show && (err = pseudo_render(d, pf, &t)))
		return err;
	if (!(f = file_alloc(&pseudo_fops, d->inode, flags))) {
		pseudo_release(&(struct file){ .private = t });
		return -ENOMEM;
	}
	f->private = t;
	dget(d);
	f->dentry = d;
	*out = f;
	return 0;
}

const struct inode_ops pseudo_file_iops = { .open = pseudo_open };

static struct dentry *pseudo_new(struct dentry *dir, const char *name, uint32_t mode,
				 const struct inode_ops *iops, void *priv, long id)
{
	struct dentry *d;

	if (tmpfs_create(dir, name, mode, &d))
		return NULL;
	d->inode->uid = d->inode->gid = 0;
	d->inode->iops = iops;
	d->inode->priv = priv;
	d->inode->priv_id = id;
	return d;
}

struct dentry *pseudo_dir(struct dentry *dir, const char *name, uint32_t mode,
			  const struct inode_ops *iops, long id)
{
	return pseudo_new(dir, name, S_IFDIR | mode, iops, NULL, id);
}

struct dentry *pseudo_file(struct dentry *dir, const char *name, uint32_t mode,
			   const struct pseudo_file *pf, long id)
{
	return pseudo_new(dir, name, S_IFREG | mode, &pseudo_file_iops, (void *)pf, id);
}

struct dentry *pseudo_link(struct dentry *dir, const char *name,
			   const struct inode_ops *iops, long id)
{
	return pseudo_new(dir, name, S_IFLNK | 0777, iops, NULL, id);
}

struct dentry *pseudo_static_link(struct dentry *dir, const char *name, const char *target)
{
	struct dentry *d = pseudo_new(dir, name, S_IFLNK | 0777, NULL, NULL, 0);

	if (d && tmpfs_set_data(d->inode, target, strlen(target))) {
		tmpfs_unlink(d);
		return NULL;
	}
	return d;
}

void pseudo_remove(struct dentry *d)
{
	while (!list_empty(&d->children))
		pseudo_remove(list_first_entry(&d->children, struct dentry, sibling));
	tmpfs_unlink(d);
}
