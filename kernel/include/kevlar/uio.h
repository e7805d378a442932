#ifndef KEVLAR_UIO_H
#define KEVLAR_UIO_H

/*
 * An I/O cursor (fs/uio.c): where a read puts its bytes or a write takes
 * them from, either user memory (one buffer or a readv/writev vector) or a
 * kernel buffer. File operations copy through it, so the same code serves
 * read(2) and kernel callers such as sendfile, which reads into a kmalloc'd
 * chunk instead of borrowing the caller's address space.
 *
 * User segments are hostile: each copy goes through copy_to_user and
 * friends, and a fault ends the copy early. The copy functions return the
 * bytes actually copied (and advance past them), so a file reports a short
 * transfer, or -EFAULT when nothing moved, as Linux's read and write do.
 * Kernel segments never fault.
 */

#include <kevlar/types.h>
#include <uapi/uio.h>

struct iov_iter {
	bool user;                      /* segments are user addresses */
	const struct iovec *iov;        /* segments left, the current first (kernel memory) */
	unsigned long nr_segs;
	size_t seg_off;                 /* bytes of iov[0] already used */
	size_t count;                   /* bytes left in all segments */
	struct iovec one;               /* the segment of a one-buffer cursor */
};

/* Over n bytes of user memory at ubuf (the caller checked the range). */
void iov_iter_user(struct iov_iter *it, void *ubuf, size_t n);
/* Over n bytes of kernel memory at buf. */
void iov_iter_kernel(struct iov_iter *it, void *buf, size_t n);
/*
 * Over a vector of user segments already copied into the kernel (iov
 * stays the caller's, and must outlive the cursor); count is their total,
 * which may be less than the sum (the rest is ignored).
 */
void iov_iter_user_vec(struct iov_iter *it, const struct iovec *iov, unsigned long nr,
		       size_t count);

static inline size_t iov_iter_count(const struct iov_iter *it)
{
	return it->count;
}

/* Copy up to n bytes from src into the cursor: the count copied. */
size_t copy_to_iter(struct iov_iter *it, const void *src, size_t n);
/* Copy up to n bytes from the cursor into dst: the count copied. */
size_t copy_from_iter(void *dst, struct iov_iter *it, size_t n);
/* Write up to n zero bytes into the cursor: the count written. */
size_t zero_to_iter(struct iov_iter *it, size_t n);
/* Skip n bytes (at most what is left) without copying. */
void iov_iter_advance(struct iov_iter *it, size_t n);

/*
 * Import a user readv/writev vector: nr entries at uiov are copied into
 * *out (a kmalloc'd array the caller kfrees; NULL when nr is 0) and the
 * cursor is set over them. As Linux: nr above UIO_MAXIOV or a negative
 * length is -EINVAL, an unreadable array or a segment outside user space
 * -EFAULT, and the total is capped at max (later segments cut short).
 */
long iov_iter_import(struct iov_iter *it, const struct iovec *uiov, int nr, size_t max,
		     struct iovec **out);

#endif
