/*
 * /dev/random and /dev/urandom (char 1:8 and 1:9): both read the kernel's
 * generator and never block, as Linux's do once seeded. Writes are
 * accepted and ignored (Linux mixes them in without crediting entropy).
 */
#include <kevlar/fs.h>
#include <kevlar/random.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>

static ssize_t random_read(struct file *f, void *ubuf, size_t n)
{
	uint8_t chunk[256];
	size_t done = 0;

	(void)f;
	while (done < n) {
		size_t len = MIN(n - done, sizeof(chunk));

		random_bytes(chunk, len);
		if (copy_to_user((char *)ubuf + done, chunk, len))
			return done ? (ssize_t)done : -EFAULT;
		done += len;
	}
	return done;
}

static ssize_t random_write(struct file *f, const void *ubuf, size_t n)
{
	(void)f;
	(void)ubuf;
	return n;
}

const struct file_ops random_dev_ops = { .read = random_read, .write = random_write };
