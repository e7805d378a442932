/*
 * sendfile(2), which busybox cat and cp use. The bytes go through a
 * kernel buffer, a chunk at a time: read from in into it, written from it
 * to out, with the very read/pread and write paths (and checks) the
 * caller could use, on kernel cursors (kevlar/uio.h). Nothing is mapped
 * into the caller's address space.
 */
#include <kevlar/fs.h>
#include <kevlar/kmalloc.h>
#include <kevlar/sched.h>
#include <kevlar/signal.h>
#include <kevlar/syscalls.h>
#include <kevlar/uaccess.h>
#include <kevlar/uio.h>
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

static long sendfile_files(struct file *out, struct file *in, int64_t *uoff, int64_t pos,
			   size_t count);

/*
 * Linux's order of checks: the offset is read first, then each file must
 * be open for its direction, even for a copy of 0 bytes. Both files are
 * held for the whole copy: a close() meanwhile does not end it.
 */
long sys_sendfile(int out_fd, int in_fd, int64_t *uoff, size_t count)
{
	struct file *in, *out = NULL;
	int64_t pos = 0;
	long ret;

	if (uoff && get_user(pos, uoff))
		return -EFAULT;
	in = fdget(in_fd);
	if (!in || !file_open_for(in, false))
		ret = -EBADF;
	else if (pos < 0)
		ret = -EINVAL;
	else if (!(out = fdget(out_fd)) || !file_open_for(out, true))
		ret = -EBADF;
	else
		ret = sendfile_files(out, in, uoff, pos, count);
	fdput(out);
	fdput(in);
	return ret;
}

static long sendfile_files(struct file *out, struct file *in, int64_t *uoff, int64_t pos,
			   size_t count)
{
	size_t done = 0;
	long ret = 0;
	char *buf;

	count = MIN(count, SENDFILE_MAX);
	if (!count)
		return 0;
	/* Less than a chunk to copy: a buffer of that size (kmalloc rounds up itself). */
	if (!(buf = kmalloc(MIN(count, (size_t)SENDFILE_CHUNK))))
		return -ENOMEM;
	/* Up to 2 GiB between two files is seconds of copying with no sleep in
	 * it: a SIGKILL ends it (the task never sees the result; Linux's reads
	 * and writes check for a fatal signal between pages). */
	while (done < count && !fatal_signal_pending(current_task())) {
		size_t want = MIN(count - done, (size_t)SENDFILE_CHUNK);
		struct iov_iter it;
		long got, put;

		iov_iter_kernel(&it, buf, want);
		got = uoff ? file_pread_iter(in, &it, pos) : file_read_iter(in, &it);
		if (got <= 0) {
			ret = got;
			break;
		}
		iov_iter_kernel(&it, buf, got);
		put = file_write_iter(out, &it);
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
	kfree(buf);
	if (uoff && put_user(pos, uoff))
		return -EFAULT;
	return done ? (long)done : ret;
}
