/*
 * I/O cursors (kevlar/uio.h): the one place file operations touch the
 * memory a read fills or a write drains. A cursor walks its segments in
 * order; a user segment that faults stops the copy where it faulted.
 */
#include <kevlar/kmalloc.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
#include <uapi/errno.h>

void iov_iter_user_vec(struct iov_iter *it, const struct iovec *iov, unsigned long nr,
		       size_t count)
{
	it->user = true;
	it->iov = iov;
	it->nr_segs = nr;
	it->seg_off = 0;
	it->count = count;
}

void iov_iter_user(struct iov_iter *it, void *ubuf, size_t n)
{
	it->one = (struct iovec){ (uint64_t)ubuf, n };
	iov_iter_user_vec(it, &it->one, 1, n);
}

void iov_iter_kernel(struct iov_iter *it, void *buf, size_t n)
{
	iov_iter_user(it, buf, n);
	it->user = false;
}

/* The current segment's next byte and the bytes left in it (at most it->count); 0: the end. */
static size_t seg_span(struct iov_iter *it, char **at)
{
	while (it->count && it->nr_segs) {
		size_t left = it->iov->iov_len - it->seg_off;

		if (left) {
			*at = (char *)it->iov->iov_base + it->seg_off;
			return MIN(left, it->count);
		}
		it->iov++;
		it->nr_segs--;
		it->seg_off = 0;
	}
	return 0;
}

void iov_iter_advance(struct iov_iter *it, size_t n)
{
	char *at;

	n = MIN(n, it->count);
	while (n) {
		size_t len = MIN(seg_span(it, &at), n);

		it->seg_off += len;
		it->count -= len;
		n -= len;
	}
}

/*
 * The one copy loop: op moves len bytes between the segment at seg and
 * the kernel memory at k (NULL: zeros) and reports a fault as non-zero.
 * A faulting piece is retried byte by byte, so the count is exact.
 */
enum copy_dir { TO_ITER, FROM_ITER, ZERO_ITER };

static int copy_piece(bool user, enum copy_dir dir, char *seg, char *k, size_t len)
{
	if (!user) {
		if (dir == TO_ITER)
			memcpy(seg, k, len);
		else if (dir == FROM_ITER)
			memcpy(k, seg, len);
		else
			memset(seg, 0, len);
		return 0;
	}
	return dir == TO_ITER ? copy_to_user(seg, k, len) :
	       dir == FROM_ITER ? copy_from_user(k, seg, len) : clear_user(seg, len);
}

static size_t iter_copy(struct iov_iter *it, enum copy_dir dir, char *k, size_t n)
{
	size_t done = 0;

	while (done < n) {
		char *seg;
		size_t len = MIN(seg_span(it, &seg), n - done);
		char *kp = dir == ZERO_ITER ? NULL : k + done;

		if (!len)
			break;
		if (copy_piece(it->user, dir, seg, kp, len)) {
			/* Find how far it gets: a read or write is short by exactly that. */
			size_t ok = 0;

			while (ok < len && !copy_piece(true, dir, seg + ok, kp ? kp + ok : NULL, 1))
				ok++;
			iov_iter_advance(it, ok);
			return done + ok;
		}
		iov_iter_advance(it, len);
		done += len;
	}
	return done;
}

size_t copy_to_iter(struct iov_iter *it, const void *src, size_t n)
{
	return iter_copy(it, TO_ITER, (char *)src, n);
}

size_t copy_from_iter(void *dst, struct iov_iter *it, size_t n)
{
	return iter_copy(it, FROM_ITER, dst, n);
}

size_t zero_to_iter(struct iov_iter *it, size_t n)
{
	return iter_copy(it, ZERO_ITER, NULL, n);
}

long iov_iter_import(struct iov_iter *it, const struct iovec *uiov, int nr, size_t max,
		     struct iovec **out)
{
	struct iovec *iov = NULL;
	size_t total = 0;

	*out = NULL;
	if (nr < 0 || nr > UIO_MAXIOV)
		return -EINVAL;
	if (nr && !(iov = kmalloc(nr * sizeof(*iov))))
		return -ENOMEM;
	if (nr && copy_from_user(iov, uiov, nr * sizeof(*iov))) {
		kfree(iov);
		return -EFAULT;
	}
	/* Linux checks every length before any address. */
	for (int i = 0; i < nr; i++) {
		if ((int64_t)iov[i].iov_len < 0) {
			kfree(iov);
			return -EINVAL;
		}
	}
	for (int i = 0; i < nr; i++) {
		if (!user_range_ok(iov[i].iov_base, iov[i].iov_len)) {
			kfree(iov);
			return -EFAULT;
		}
		iov[i].iov_len = MIN(iov[i].iov_len, max - total);
		total += iov[i].iov_len;
	}
	iov_iter_user_vec(it, iov, nr, total);
	*out = iov;
	return 0;
}
