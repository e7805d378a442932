/*
 * sendfile(2), which busybox cat and cp use. File operations only take
 * user buffers, so the copy goes through a scratch area mapped in the
 * caller's address space for the duration of the call, using the very
 * read/pread and write paths (and their checks) the caller could use.
 */
#include <kevlar/fs.h>
#include <kevlar/mm.h>
#include <kevlar/sched.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <uapi/errno.h>
#include "fs_internal.h"

#define SENDFILE_CHUNK  (64 * 1024)
/* Linux caps one transfer so the result fits an int with room to spare. */
#define SENDFILE_MAX    0x7ffff000UL

/* Bytes read but not written are read again next time (regular files; a pipe cannot give them back). */
static void unread(struct file *f, long n)
{
	if (file_is_regular(f))
		f->pos -= n;
}

static long sendfile_files(struct file *out, struct file *in, int64_t *uoff, size_t count);

/* Both files are held for the whole copy: a close() meanwhile does not end it. */
long sys_sendfile(int out_fd, int in_fd, int64_t *uoff, size_t count)
{
	struct file *in = fdget(in_fd), *out = in ? fdget(out_fd) : NULL;
	long ret = in && out ? sendfile_files(out, in, uoff, count) : -EBADF;

	fdput(out);
	fdput(in);
	return ret;
}

static long sendfile_files(struct file *out, struct file *in, int64_t *uoff, size_t count)
{
	struct mm *mm = current_task()->mm;
	int64_t pos = 0;
	size_t done = 0;
	long ret = 0;
	vaddr_t bounce;

	if (uoff && get_user(pos, uoff))
		return -EFAULT;
	if (pos < 0)
		return -EINVAL;
	count = MIN(count, SENDFILE_MAX);
	if (!count)
		return 0;
	spin_lock(&mm->lock);
	if (!(bounce = mm_find_free(mm, SENDFILE_CHUNK)) ||
	    mm_add_vma(mm, bounce, bounce + SENDFILE_CHUNK, MMU_READ | MMU_WRITE, VMA_ANON)) {
		spin_unlock(&mm->lock);
		return -ENOMEM;
	}
	spin_unlock(&mm->lock);
	while (done < count) {
		size_t want = MIN(count - done, (size_t)SENDFILE_CHUNK);
		long got = uoff ? file_pread_checked(in, (void *)bounce, want, pos)
				: file_read_checked(in, (void *)bounce, want);
		long put;

		if (got <= 0) {
			ret = got;
			break;
		}
		put = file_write_checked(out, (void *)bounce, got);
		if (put < 0) {
			ret = put;
			if (!uoff)
				unread(in, got);
			break;
		}
		done += put;
		pos += put;
		if (put < got) {
			if (!uoff)
				unread(in, got - put);
			break;
		}
	}
	spin_lock(&mm->lock);
	mm_unmap_range(mm, bounce, bounce + SENDFILE_CHUNK);
	spin_unlock(&mm->lock);
	if (uoff && put_user(pos, uoff))
		return -EFAULT;
	return done ? (long)done : ret;
}
