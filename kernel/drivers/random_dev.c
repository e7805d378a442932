/*
 * /dev/random and /dev/urandom (char 1:8 and 1:9): both read the kernel's
 * generator and never block, as Linux's do once seeded. Writes are
 * accepted and ignored (Linux mixes them in without crediting entropy).
 */
#include <kevlar/fs.h>
#include <kevlar/random.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>

static ssize_t random_read(struct file *f, struct iov_iter *to)
{
	uint8_t chunk[256];
	size_t n = iov_iter_count(to), done = 0;

	(void)f;
	while (done < n) {
		size_t len = MIN(n - done, sizeof(chunk)), got;

		random_bytes(chunk, len);
		got = copy_to_iter(to, chunk, len);
		done += got;
		if (got < len)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

static ssize_t random_write(struct file *f, struct iov_iter *from)
{
	size_t n = iov_iter_count(from);

	(void)f;
	iov_iter_advance(from, n);
	return n;
}

const struct file_ops random_dev_ops = { .read = random_read, .write = random_write };
