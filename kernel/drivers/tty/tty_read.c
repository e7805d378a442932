/*
 * The line discipline's read side: the non-blocking read core the tty
 * driver loops on, and the readiness queries behind FIONREAD and poll.
 */

#include <kevlar/tty_ldisc.h>
#include <uapi/errno.h>
#include "tty_internal.h"

/* At most one line; a VEOF mark ends it without being copied. */
static ssize_t read_canonical(struct tty_ldisc *l, char *buf, size_t n)
{
	size_t copied = 0;
	bool ended = false;

	if (l->canon_len == 0)
		return -EAGAIN;
	while (copied < n && l->canon_len && !ended) {
		size_t i = mark_index(l, 0);
		unsigned char c = ringbuf_at(&l->input, 0);

		ended = mark_test(l->line_end, i);
		dequeue(l, 1);
		if (mark_test(l->eof, i))
			return (ssize_t)copied;
		buf[copied++] = (char)c;
	}
	/*
	 * The buffer filled exactly at a VEOF ("ab^D" read with n = 2): consume
	 * the mark too, or the next read would report a spurious end of file.
	 * Linux does the same.
	 */
	if (!ended && l->canon_len && mark_test(l->eof, mark_index(l, 0)))
		dequeue(l, 1);
	return (ssize_t)copied;
}

static ssize_t read_raw(struct tty_ldisc *l, char *buf, size_t n)
{
	size_t got = ringbuf_peek(&l->input, 0, buf, n);

	dequeue(l, got);
	return (ssize_t)got;
}

ssize_t tty_ldisc_read_available(struct tty_ldisc *l, char *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (is_canonical(l))
		return read_canonical(l, buf, n);
	if (queued(l) == 0)
		return -EAGAIN;
	return read_raw(l, buf, n);
}

ssize_t tty_ldisc_read(struct tty_ldisc *l, char *buf, size_t n)
{
	size_t vmin = l->termios.c_cc[VMIN];

	if (n == 0)
		return 0;
	if (is_canonical(l))
		return read_canonical(l, buf, n);
	if (queued(l) == 0) {
		/* VMIN = VTIME = 0 is a poll: nothing there is a zero-length read, not a wait. */
		if (vmin == 0 && l->termios.c_cc[VTIME] == 0)
			return 0;
		return -EAGAIN;
	}
	/* Linux waits for min(VMIN, n) bytes: a short buffer cannot hold VMIN anyway. */
	if (queued(l) < MIN(vmin, n))
		return -EAGAIN;
	return read_raw(l, buf, n);
}

size_t tty_ldisc_readable(const struct tty_ldisc *l)
{
	size_t n = 0;

	if (!is_canonical(l))
		return queued(l);
	/* VEOF marks are never read, so FIONREAD does not count them. */
	for (size_t off = 0; off < l->canon_len; off++)
		if (!mark_test(l->eof, mark_index(l, off)))
			n++;
	return n;
}

bool tty_ldisc_read_ready(const struct tty_ldisc *l)
{
	size_t vmin = l->termios.c_cc[VMIN];

	if (is_canonical(l))
		return l->canon_len > 0;
	/* As on Linux: with VTIME = 0, poll waits for VMIN bytes, like read. */
	if (l->termios.c_cc[VTIME] == 0 && vmin > 1)
		return queued(l) >= vmin;
	return queued(l) > 0;
}
